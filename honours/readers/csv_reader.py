"""CSV and TSV files as Excel and WPS save them (UTF-8 with or without BOM,
GBK/GB18030 on Chinese Windows, UTF-16 "Unicode text")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..i18n import _
from ..render.tabular import unguard
from . import limits
from .plan import ImportPlan, UnreadableFile
from .stream import TextStream, line_too_long
from .tabular import rows_to_plan

DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon"}


def _separator(delimiter: str) -> str:
    words = {",": _("comma"), "\t": _("tab"), ";": _("semicolon")}
    return words[delimiter]


def read_csv(data, origin: str, encoding: str | None = None) -> ImportPlan:
    """``data``: the file's bytes, or a :class:`~honours.readers.stream.TextStream`
    read a line at a time (a row is made into a record as it is read)."""
    text = data if isinstance(data, TextStream) else TextStream(
        io.BytesIO(data), origin, encoding)
    delimiter = _delimiter(text.prefix(8192))
    label = _("row {number}")
    reader = records(text.lines(universal=True, max_chars=limits.MAX_CSV_LINE_CHARS),
                     delimiter, origin)
    rows = (
        (label.format(number=number), [unguard(cell) for cell in cells])
        for number, cells in enumerate(reader, start=1)
    )
    try:
        plan = rows_to_plan(rows, "")
    except csv.Error as error:
        raise UnreadableFile(
            _("{origin} is not a well-formed CSV file: {error}").format(origin=origin, error=error)
        ) from None
    plan.source = _("CSV ({encoding}, {separator}-separated)").format(
        encoding=text.encoding, separator=_separator(delimiter)
    )
    plan.problems += text.damage
    return plan


def records(lines: Iterable[str], delimiter: str, origin: str) -> Iterator[list[str]]:
    """The CSV records of ``lines`` (their ends kept), refused at the first line
    longer than MAX_CSV_LINE_CHARS, before it is split (a line of 20 million commas
    is never made into cells), and at the first record of more than MAX_COLUMNS
    cells; a quoted cell holds at most MAX_CSV_LINE_CHARS characters."""
    limit = limits.MAX_CSV_LINE_CHARS

    def bounded() -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            if len(line) > limit:
                raise line_too_long(origin, number, limit)
            yield line

    reader = csv.reader(bounded(), delimiter=delimiter)
    number = 0
    # The csv module's limit is the process's: set while reading, then put back.
    previous = csv.field_size_limit(limit)
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if "field larger than field limit" not in str(error):
                    raise
                raise UnreadableFile(
                    _("{origin}, row {row:,}: a quoted cell longer than {limit:,} characters "
                      "(a quote that is never closed?)").format(
                        origin=origin, row=number + 1, limit=limit)) from None
            number += 1
            if len(cells) > limits.MAX_COLUMNS:
                raise UnreadableFile(
                    _("{origin}, row {row:,}: {count:,} cells, more than the {limit} columns "
                      "an import reads (is the separator right?)").format(
                        origin=origin, row=number, count=len(cells),
                        limit=limits.MAX_COLUMNS))
            yield cells
    finally:
        csv.field_size_limit(previous)


def _delimiter(text: str) -> str:
    """The separator used most on the first lines (tabs for Excel's text export)."""
    sample = text[:8192].splitlines()[:10]
    counts = {d: sum(line.count(d) for line in sample) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
