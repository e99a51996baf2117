"""Readers: import files (CSV, Excel, plain text, roll layouts, roll JSON) turned
into an :class:`~honours.readers.plan.ImportPlan`; nothing here touches the
database."""

from __future__ import annotations

from pathlib import Path

from ..errors import os_reason
from ..i18n import _
from .encoding import decode
from .plan import CategorySpec, ImportPlan, RowSpec, UnreadableFile

FORMATS = ("auto", "csv", "xlsx", "txt", "roll", "json")
#: The largest file read at all; a year's roll is a few hundred kilobytes.
MAX_BYTES = 200 * 1024 * 1024


def read_bounded(stream, origin: str, limit: int = MAX_BYTES) -> bytes:
    """At most ``limit`` bytes of ``stream``, or :class:`UnreadableFile`: the cap
    holds as the bytes are read, so a pipe, /dev/zero or a growing file is
    stopped too (their size is not known beforehand)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(
            _("{origin} is more than {limit:,} bytes: too large for a roll; nothing more "
              "was read").format(origin=origin, limit=limit)
        )
    return data


def detect_format(path: Path, data: bytes, encoding: str | None = None) -> str:
    """The format by extension, then by content."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
        return "json"
    from .roll_text import looks_like_roll

    try:
        text = decode(data, str(path), encoding).text
    except UnreadableFile:
        return "txt"  # let the reader report it
    if _is_text_table(text):
        return "csv"  # Excel's and WPS's "Unicode 文本": tab-separated with a header
    return "roll" if looks_like_roll(text) else "txt"


def _is_text_table(text: str) -> bool:
    """Whether the first non-blank line is a tab-separated header row (姓名 …)."""
    from .tabular import map_header

    for line in text[:65536].splitlines():
        if line.strip():
            return "\t" in line and map_header(line.split("\t")) is not None
    return False


def read_file(
    path: Path, fmt: str = "auto", sheet: str | None = None, kind: str | None = None,
    encoding: str | None = None,
) -> tuple[str, ImportPlan]:
    """Read ``path``; returns the format used and the plan.  ``kind``: what a
    plain list holds (person, unit, work), which decides how its lines split;
    ``encoding``: the text encoding, when the guess is not to be trusted."""
    try:
        with open(path, "rb") as stream:
            data = read_bounded(stream, str(path))
    except OSError as error:
        raise UnreadableFile(
            _("cannot read {file}: {error}").format(file=path, error=os_reason(error))
        ) from None
    from .documents import refuse_old_format

    refuse_old_format(path, data)
    if fmt == "auto":
        fmt = detect_format(path, data, encoding)
    origin = str(path)
    from .limits import check_lines, check_workbook

    if fmt == "xlsx":
        check_workbook(data, origin)
    elif fmt != "json":  # JSON is read whole by the C parser; its size is bounded above
        check_lines(data, origin)
    if fmt == "csv":
        from .csv_reader import read_csv

        return fmt, read_csv(data, origin, encoding)
    if fmt == "xlsx":
        from .xlsx_reader import read_xlsx, workbook_errors

        with workbook_errors(origin):
            return fmt, read_xlsx(data, origin, sheet)
    if fmt == "json":
        from .json_reader import read_json

        return fmt, read_json(data, origin)
    if fmt == "roll":
        from .roll_text import read_roll_text

        return fmt, read_roll_text(data, origin, encoding)
    if fmt == "txt":
        from .text_reader import read_text

        return fmt, read_text(data, origin, kind, encoding)
    raise UnreadableFile(
        _("unknown format {format!r}; choose one of {choices}").format(
            format=fmt, choices=", ".join(FORMATS)
        )
    )


__all__ = ["FORMATS", "CategorySpec", "ImportPlan", "RowSpec", "UnreadableFile", "read_file"]
