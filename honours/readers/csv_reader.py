"""CSV and TSV files as Excel and WPS save them (UTF-8 with or without BOM,
GBK/GB18030 on Chinese Windows, UTF-16 "Unicode text")."""

from __future__ import annotations

import csv
import io

from ..i18n import _
from ..render.tabular import unguard
from .encoding import decode
from .plan import ImportPlan, UnreadableFile
from .tabular import rows_to_plan

DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon"}


def _separator(delimiter: str) -> str:
    words = {",": _("comma"), "\t": _("tab"), ";": _("semicolon")}
    return words[delimiter]


def read_csv(data: bytes, origin: str, encoding: str | None = None) -> ImportPlan:
    text, encoding, damage = decode(data, origin, encoding)
    delimiter = _delimiter(text)
    csv.field_size_limit(1 << 24)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [
            (_("row {number}").format(number=number), [unguard(cell) for cell in cells])
            for number, cells in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise UnreadableFile(
            _("{origin} is not a well-formed CSV file: {error}").format(origin=origin, error=error)
        ) from None
    source = _("CSV ({encoding}, {separator}-separated)").format(
        encoding=encoding, separator=_separator(delimiter)
    )
    plan = rows_to_plan(rows, source)
    if damage:
        plan.problems.append(damage)
    return plan


def _delimiter(text: str) -> str:
    """The separator used most on the first lines (tabs for Excel's text export)."""
    sample = text[:8192].splitlines()[:10]
    counts = {d: sum(line.count(d) for line in sample) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
