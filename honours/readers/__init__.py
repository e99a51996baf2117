"""Readers: import files (CSV, Excel, plain text, roll layouts, roll JSON) turned
into an :class:`~honours.readers.plan.ImportPlan`; nothing here touches the
database."""

from __future__ import annotations

from pathlib import Path

from ..errors import os_reason
from ..files import open_input
from ..i18n import _
from .encoding import decode
from .limits import MAX_BYTES
from .plan import CategorySpec, ImportPlan, RowSpec, UnreadableFile

FORMATS = ("auto", "csv", "xlsx", "txt", "roll", "json")
#: Formats read as a stream of text (the others are read whole, within MAX_BYTES).
STREAMED = ("csv", "txt", "roll")
#: The first bytes, read before the format is known.
HEAD = 1 << 16
_TEXT = "text"  # a text file whose kind (csv, roll, txt) its first lines decide


def read_bounded(stream, origin: str, limit: int | None = None) -> bytes:
    """At most ``limit`` bytes of ``stream``, or :class:`UnreadableFile`: the cap
    holds as the bytes are read, so a pipe, /dev/zero or a growing file is
    stopped too (their size is not known beforehand)."""
    from . import limits
    from .stream import too_large

    limit = limits.MAX_BYTES if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(origin, limit)
    return data


def detect_format(path: Path, data: bytes, encoding: str | None = None, text=None) -> str:
    """The format by extension, then by content (``data``: the first bytes;
    ``text``: the :class:`~honours.readers.stream.TextStream` they begin)."""
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
    if text is _TEXT:
        return _TEXT  # text of some kind: its first lines decide
    from .roll_text import looks_like_roll

    try:
        prefix = text.prefix() if text is not None else decode(data, str(path), encoding).text
    except UnreadableFile:
        return "txt"  # let the reader report it
    if _is_text_table(prefix):
        return "csv"  # Excel's and WPS's "Unicode 文本": tab-separated with a header
    return "roll" if looks_like_roll(prefix) else "txt"


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
    """Read ``path`` (a file, a pipe, a device); returns the format used and the
    plan.  ``kind``: what a plain list holds (person, unit, work), which decides
    how its lines split; ``encoding``: the text encoding, when the guess is not
    to be trusted.

    CSV and text are read as a stream (:mod:`honours.readers.stream`): decoded a
    chunk at a time, at most MAX_LINES lines (a regular file's are counted
    before anything is decoded); workbooks and JSON are read whole, within
    MAX_BYTES."""
    origin = str(path)
    try:
        with open_input(path) as stream:
            return _read_stream(stream, path, origin, fmt, sheet, kind, encoding)
    except OSError as error:
        raise UnreadableFile(
            _("cannot read {file}: {error}").format(file=path, error=os_reason(error))
        ) from None


def _read_stream(stream, path, origin, fmt, sheet, kind, encoding):
    from . import limits
    from .documents import refuse_old_format
    from .stream import TextStream, count_lines, regular_size, spool, too_large

    size = regular_size(stream)
    if size is not None and size > limits.MAX_BYTES:
        raise too_large(origin, limits.MAX_BYTES)
    head = stream.read(HEAD)  # the first bytes (fewer from a pipe): enough to tell the format
    refuse_old_format(path, head)
    if fmt == "auto":
        fmt = detect_format(path, head, encoding, _TEXT)
    if fmt in (_TEXT, *STREAMED):
        if size is None and not _binary(head, encoding):
            # A pipe or a device: copied to a temporary file as it is read, its
            # lines counted on the way (refused at line 1,000,001, the rest
            # unread), so that no record is made of a file that is then refused.
            stream, head, size = spool(stream, origin, head, not _wide(head, encoding)), b"", 0
        elif size is not None and not _wide(head, encoding):
            count_lines(stream, origin, head)
        text = TextStream(stream, origin, encoding, head)
        if fmt == _TEXT:
            fmt = detect_format(path, head, encoding, text)
        return fmt, _read_text_format(fmt, text, origin, kind, encoding)
    data = head + read_bounded(stream, origin, limits.MAX_BYTES - len(head))
    if fmt == "xlsx":
        from .limits import check_workbook
        from .xlsx_reader import read_xlsx, workbook_errors

        check_workbook(data, origin)
        with workbook_errors(origin):
            return fmt, read_xlsx(data, origin, sheet)
    if fmt == "json":  # JSON is read whole by the C parser; its size is bounded above
        from .json_reader import read_json

        return fmt, read_json(data, origin)
    raise UnreadableFile(
        _("unknown format {format!r}; choose one of {choices}").format(
            format=fmt, choices=", ".join(FORMATS)
        )
    )


def _binary(head: bytes, encoding: str | None) -> bool:
    """Bytes the text reader refuses at once as binary (a zero byte, no mark)."""
    import codecs

    marked = head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return not encoding and not marked and b"\x00" in head[:8192]


def _wide(head: bytes, encoding: str | None) -> bool:
    """UTF-16 or UTF-32, whose characters may hold the byte of a line end."""
    import codecs

    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not encoding:
        return True
    try:
        name = codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        return False  # the reader names the unknown encoding
    return name.startswith(("utf-16", "utf-32"))


def _read_text_format(fmt, text, origin, kind, encoding):
    if fmt == "csv":
        from .csv_reader import read_csv

        return read_csv(text, origin, encoding)
    if fmt == "roll":
        from .roll_text import read_roll_text

        return read_roll_text(text, origin, encoding)
    from .text_reader import read_text

    return read_text(text, origin, kind, encoding)


__all__ = [
    "FORMATS", "MAX_BYTES", "CategorySpec", "ImportPlan", "RowSpec", "UnreadableFile", "read_file",
]
