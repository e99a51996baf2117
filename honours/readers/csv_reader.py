"""CSV and TSV files as Excel and WPS save them (UTF-8 with or without BOM,
GBK/GB18030 on Chinese Windows, UTF-16 "Unicode text")."""

from __future__ import annotations

import csv
import io

from ..i18n import _
from ..render.tabular import unguard
from .plan import ImportPlan, UnreadableFile
from .stream import TextStream
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
    csv.field_size_limit(1 << 24)
    label = _("row {number}")
    reader = csv.reader(text.lines(universal=True), delimiter=delimiter)
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


def _delimiter(text: str) -> str:
    """The separator used most on the first lines (tabs for Excel's text export)."""
    sample = text[:8192].splitlines()[:10]
    counts = {d: sum(line.count(d) for line in sample) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
