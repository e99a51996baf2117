"""Sort keys: one string per entry, compared code point by code point.

Each character becomes one or a few key code points (see the ranges in
:mod:`honours.collation.tables`), so sorting a million names is one
``str.translate`` per name and Python's own string comparison.  The common
case, a name of letters only, takes a fast path without regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .names import ordering_form
from .tables import BLANK, HAN_START, NUMBER_BASE, CharTables, KeyTable

#: The ordering rules of a list; ``manual`` means the clerk's own order.
RULES = ("stroke", "stroke-fullname", "pinyin", "manual")
#: What a list holds; units and works order as organisations and titles.
KINDS = ("person", "unit", "work")

RULE_LABELS = {
    "stroke": "按姓氏笔画排序",
    "stroke-fullname": "按姓名笔画排序",
    "pinyin": "按姓氏拼音排序",
    "manual": "",
}

_DIGITS = re.compile(r"(\d+)")


def _number_key(digits: str) -> str:
    """Digits as a number: shorter (after leading zeros) is smaller, so 2 < 10."""
    value = str(int(digits))  # int() reads any Unicode decimal digits
    return chr(NUMBER_BASE + min(len(value), 0xEFF)) + value


def _encode(text: str, table: KeyTable) -> str:
    """Key of an ordering form that may hold digits, spaces and symbols."""
    if not any(c.isdecimal() for c in text):
        return text.translate(table)
    parts = _DIGITS.split(text)
    return "".join(
        _number_key(part) if index % 2 else part.translate(table)
        for index, part in enumerate(parts)
        if part
    )


def stroke_surname_key(tables: CharTables) -> Callable[[str], str]:
    """姓氏笔画: a two-character name reads as if a blank stood in the middle."""
    table = tables.stroke_keys

    def key(name: str) -> str:
        if not name.isalpha():
            name = ordering_form(name)
            if not name.isalpha():
                return _encode(name, table)
        k = name.translate(table)
        # Two Han keys can only come from a two-character Chinese name.
        if len(k) == 2 and k[0] >= HAN_START and k[1] >= HAN_START:
            return f"{k[0]}{BLANK}{k[1]}"
        return k

    return key


def stroke_fullname_key(tables: CharTables) -> Callable[[str], str]:
    """姓名笔画: every character compared in turn, no blank."""
    table = tables.stroke_keys

    def key(name: str) -> str:
        if name.isalpha():
            return name.translate(table)
        return _encode(ordering_form(name), table)

    return key


def pinyin_person_key(tables: CharTables) -> Callable[[str], str]:
    """按姓氏拼音: the surname position read with its surname reading."""
    table = tables.pinyin_keys
    surnames = tables.surname_keys
    compounds = tables.compound_surnames

    def key(name: str) -> str:
        if not name.isalpha():
            name = ordering_form(name)
            if not name.isalpha():
                return _encode(name, table)
        if len(name) > 2 and name[:2] in compounds:
            head = surnames.get(name[:2])
            if head:
                return head + name[2:].translate(table)
        head = surnames.get(name[0])
        if head:
            return head + name[1:].translate(table)
        return name.translate(table)

    return key


_HAN_RUN = None  # built on first use from the Han blocks of names.py


def pinyin_unit_key(tables: CharTables) -> Callable[[str], str]:
    """Organisations and titles in pinyin order: each run of Han characters read
    in context (重庆 chóng qìng, 银行 yín háng), no surname readings."""
    global _HAN_RUN
    if _HAN_RUN is None:
        from .names import _han_class

        _HAN_RUN = re.compile(f"([{_han_class()}]+)")
    # Spaces, symbols, numbers and letters key the same in every table.
    others = tables.stroke_keys

    def key(text: str) -> str:
        form = ordering_form(text, keep_spaces=True)
        return "".join(
            tables.phrase_key(run) if index % 2 else _encode(run, others)
            for index, run in enumerate(_HAN_RUN.split(form))
            if run
        )

    return key


def _unit_key(table: KeyTable) -> Callable[[str], str]:
    """Organisations and titles: no blank, spaces and symbols < numbers < letters < Han."""

    def key(text: str) -> str:
        if text.isalpha():
            return text.translate(table)
        return _encode(ordering_form(text, keep_spaces=True), table)

    return key


def sort_key(rule: str, kind: str = "person", tables: CharTables | None = None):
    """The key function for ``rule`` applied to entries of ``kind``.

    ``manual`` has no key: the caller keeps its own order.
    """
    from . import default_tables

    tables = tables or default_tables()
    if rule not in RULES or rule == "manual":
        raise ValueError(f"no sort key for rule {rule!r}; rules are {', '.join(RULES[:3])}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    if kind != "person":
        return pinyin_unit_key(tables) if rule == "pinyin" else _unit_key(tables.stroke_keys)
    if rule == "stroke":
        return stroke_surname_key(tables)
    if rule == "stroke-fullname":
        return stroke_fullname_key(tables)
    return pinyin_person_key(tables)
