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
  one; it is how entity expansion, "billion laughs", and external entities get in);
* a workbook's cells counted in its XML before it is parsed: at most ``MAX_CELLS``
  cells (and shared strings), at most ``MAX_ROW_CELLS`` in a row (Excel's widest);
  only the cells present are read, never the range a sheet declares, and a value
  beyond column ``MAX_COLUMNS`` is refused with its cell
  (:mod:`honours.readers.xlsx_reader`);
* a text line at most ``MAX_LINE_CHARS`` characters, a CSV line at most
  ``MAX_CSV_LINE_CHARS`` and ``MAX_COLUMNS`` cells, refused before it is split
  (:mod:`honours.readers.stream`, :mod:`honours.readers.csv_reader`);
* a roll JSON at most ``MAX_JSON_BYTES`` bytes and ``MAX_JSON_VALUES`` values,
  counted before it is parsed (Python's objects cost up to 25 times the text),
  nested as Python's parser allows, and no key twice in an object
  (:mod:`honours.readers.json_reader`).

The bounds are read from this module when they are used, so that tests lower
them (docs/import.md lists them).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ..i18n import _
from .plan import UnreadableFile

MAX_LINES = 1_000_000
#: The largest file read at all; a year's roll is a few hundred kilobytes.
MAX_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FROM = 1024 * 1024  # small parts may compress well without harm
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
#: Cells (and shared strings) a workbook may hold: a roll of 200,000 rows of 10 columns.
MAX_CELLS = 2_000_000
#: The widest row a workbook's XML may hold: Excel's 16,384 columns.
MAX_ROW_CELLS = 16_384
#: The columns a row is read to: a roll's sheet or CSV has a handful.
MAX_COLUMNS = 256
#: The longest line of a text read (a pasted paragraph of names) and of a CSV.
MAX_LINE_CHARS = 1 << 20
MAX_CSV_LINE_CHARS = 1 << 16
#: A roll JSON: the largest file and the most values (objects, lists, items).
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_JSON_VALUES = 2_000_000


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
        cells = rows = 0
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            scan = _scan(archive, member)
            if scan.dtd:
                raise UnreadableFile(
                    _(
                        "{origin}: the part {part} declares a document type (entities), "
                        "which Excel and WPS never write; it was not read"
                    ).format(origin=origin, part=member.filename)
                )
            if scan.widest > MAX_ROW_CELLS:
                raise UnreadableFile(
                    _("{origin}: a row of {part} holds {count:,} cells, more than Excel's "
                      "{limit:,} columns (a damaged or hostile workbook?); it was not read")
                    .format(origin=origin, part=member.filename, count=scan.widest,
                            limit=MAX_ROW_CELLS))
            rows += scan.rows
            check_rows(rows, origin)
            cells += max(scan.cells, scan.strings)
            if cells > MAX_CELLS:
                raise UnreadableFile(
                    _("{origin} holds more than {limit:,} cells, more than an import reads; "
                      "split it into smaller files").format(origin=origin, limit=MAX_CELLS))


#: The start tags counted in a part: a cell, a row, a shared string (any namespace prefix).
_TAGS = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?(c|row|si)[\s/>]")


@dataclass
class _Scan:
    dtd: bool = False
    cells: int = 0  # <c> elements
    strings: int = 0  # <si> elements (the shared strings)
    widest: int = 0  # the most cells in one row
    rows: int = 0  # <row> elements


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> _Scan:
    """A part's DTD markers and cell counts, read in chunks (bounded memory); a tag
    cut by a chunk's end is carried to the next chunk, so none is counted twice."""
    scan = _Scan()
    carry = tail = b""  # a tag cut by the chunk's end; the last bytes, for a cut marker
    row = 0
    try:
        with archive.open(member) as part:
            while True:
                chunk = part.read(1 << 16)
                if any(marker in tail + chunk for marker in _DTD_MARKERS):
                    scan.dtd = True
                    return scan
                tail = (tail + chunk)[-16:]
                window = carry + chunk
                cut = window.rfind(b"<", max(0, len(window) - 64)) if chunk else -1
                if cut < 0:
                    cut = len(window)
                # The tags in order as one text ("rowccsi…"), counted in C: "c" is only
                # ever a cell, "row" only ever a row.
                tags = b"".join(_TAGS.findall(window, 0, cut))
                scan.cells += tags.count(b"c")
                scan.strings += tags.count(b"si")
                rows = tags.split(b"row")
                scan.rows += len(rows) - 1
                row += rows[0].count(b"c")  # the row the previous chunk left open
                if len(rows) > 1:
                    scan.widest = max(scan.widest, row, *(r.count(b"c") for r in rows[1:]))
                    row = rows[-1].count(b"c")
                scan.widest = max(scan.widest, row)
                if not chunk:
                    return scan
                carry = window[cut:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return scan  # unreadable: the workbook reader reports it
