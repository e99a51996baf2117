"""The ordering core of honours: official Chinese list order, as a library.

No I/O beyond the package's own data and no database: give it strings, get
them back in order.

>>> from honours.collation import sort_entries
>>> sort_entries(["杨旦红", "杨 巍", "吕东远"], "stroke")
['吕东远', '杨 巍', '杨旦红']

Rules: ``stroke`` (姓氏笔画, the default of most official lists),
``stroke-fullname`` (姓名笔画, people's congress lists), ``pinyin`` (姓氏拼音,
with surname readings) and ``manual``. Kinds: ``person``, ``unit``, ``work``.
"""

from __future__ import annotations

from .keys import KINDS, RULE_LABELS, RULES, sort_key
from .names import (
    InvalidName,
    display_form,
    is_han,
    ordering_form,
    validate_entry,
)
from .order import Misplacement, check_order, sort_entries, sort_records
from .tables import CharTables, OverrideError, Overrides, parse_overrides

_tables: CharTables | None = None


def default_tables() -> CharTables:
    """The tables every sort uses unless told otherwise (loaded on first use)."""
    global _tables
    if _tables is None:
        _tables = CharTables()
    return _tables


def use_overrides(overrides: Overrides | None) -> CharTables:
    """Make user-supplied character data take effect for every later sort."""
    global _tables
    _tables = CharTables(overrides)
    return _tables


__all__ = [
    "KINDS",
    "RULES",
    "RULE_LABELS",
    "CharTables",
    "InvalidName",
    "Misplacement",
    "OverrideError",
    "Overrides",
    "check_order",
    "default_tables",
    "display_form",
    "is_han",
    "ordering_form",
    "parse_overrides",
    "sort_entries",
    "sort_key",
    "sort_records",
    "use_overrides",
    "validate_entry",
]
