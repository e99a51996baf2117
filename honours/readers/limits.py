"""Bounds on what an import reads, so that a hostile or broken file is refused
quickly and in little memory instead of exhausting the machine.

* at most ``MAX_LINES`` lines or rows (a national roll has tens of thousands;
  ten million lines of CSV are refused at line 1,000,001, the rest unread:
  :mod:`honours.readers.stream`), and at most ``MAX_BYTES`` bytes;
* a workbook (.xlsx, a zip of XML parts) at most ``MAX_UNZIPPED`` bytes once
  unpacked, no part packed more than ``MAX_RATIO`` times (zip bombs), read from
  the sizes the zip declares: Python's zipfile never inflates a part beyond its
  declared size;
* no document type declaration in a workbook's XML (Excel and WPS never write
  one; it is how entity expansion, "billion laughs", and external entities get in).
"""

from __future__ import annotations

import io
import zipfile

from ..i18n import _
from .plan import UnreadableFile

MAX_LINES = 1_000_000
#: The largest file read at all; a year's roll is a few hundred kilobytes.
MAX_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FROM = 1024 * 1024  # small parts may compress well without harm
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def check_rows(number: int, origin: str) -> None:
    if number > MAX_LINES:
        raise UnreadableFile(
            _(
                "{origin} has more than {limit:,} rows, more than an import reads; "
                "split it into smaller files"
            ).format(origin=origin, limit=MAX_LINES)
        )


def check_workbook(data: bytes, origin: str) -> None:
    """Refuse a zip bomb or XML with a document type declaration before parsing."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the workbook reader reports it in its own words
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNZIPPED:
            raise UnreadableFile(
                _(
                    "{origin} unpacks to {size:,} bytes, more than the {limit:,} an import "
                    "reads (a damaged or hostile workbook?)"
                ).format(origin=origin, size=unpacked, limit=MAX_UNZIPPED)
            )
        for member in members:
            if (member.file_size > _RATIO_FROM
                    and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
                raise UnreadableFile(
                    _(
                        "{origin}: the part {part} is packed {ratio:,} times, as zip bombs "
                        "are; it was not unpacked"
                    ).format(origin=origin, part=member.filename,
                             ratio=member.file_size // max(member.compress_size, 1))
                )
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and _has_dtd(archive, member):
                raise UnreadableFile(
                    _(
                        "{origin}: the part {part} declares a document type (entities), "
                        "which Excel and WPS never write; it was not read"
                    ).format(origin=origin, part=member.filename)
                )


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the part contains a DTD marker, read in chunks (bounded memory)."""
    tail = b""
    try:
        with archive.open(member) as part:
            while chunk := part.read(1 << 16):
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    return True
                tail = window[-16:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return False  # unreadable: the workbook reader reports it
    return False
