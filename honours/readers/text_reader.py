"""Plain text: one name per line, or grids pasted from Word, Excel or a web page."""

from __future__ import annotations

import re

from ..collation import is_han
from ..i18n import _
from .encoding import decode
from .plan import ImportPlan, RowSpec

#: What separates entries on a pasted line: tabs, 、，,;； and runs of two or more
#: spaces (ASCII or U+3000).  A single space is padding or part of a Latin name.
_SEPARATORS = re.compile(r"[\t、，,;；]|[ \u3000]{2,}")
#: For units and titles, whose names may hold 、 and ，: only tabs and wide gaps.
_UNIT_SEPARATORS = re.compile(r"\t|[ \u3000]{2,}")
#: A list number at the start of a line: 1. 1、 (1) （1） ①.
_LIST_NUMBER = re.compile(r"^\s*(?:\d+\s*[.、．)）]|[(（]\d+[)）]|[①-⑳])\s*")


def split_entries(line: str, units: bool = False) -> list[str]:
    """The entries on one pasted line.

    "马 罡\t刘 振" and "马 罡  刘 振" are two names; in "马 罡 刘 振" single
    Chinese characters pair up into two-character names; "张三 李四" is two
    names; "John Smith" stays one.  With ``units`` only tabs and wide gaps
    separate, and a cell is one entry whatever its spaces.
    """
    line = _LIST_NUMBER.sub("", line)
    if units:
        return [cell.strip() for cell in _UNIT_SEPARATORS.split(line) if cell.strip()]
    entries: list[str] = []
    for cell in _SEPARATORS.split(line):
        parts = cell.replace("\u3000", " ").split()
        index = 0
        while index < len(parts):
            part = parts[index]
            following = parts[index + 1] if index + 1 < len(parts) else ""
            if _single_han(part) and _single_han(following):
                entries.append(part + following)  # a padded two-character name
                index += 2
            elif not _has_han(part) and following and not _has_han(following):
                words = [part]  # a Latin name of several words
                index += 1
                while index < len(parts) and not _has_han(parts[index]):
                    words.append(parts[index])
                    index += 1
                entries.append(" ".join(words))
            else:
                entries.append(part)
                index += 1
    return entries


def _single_han(text: str) -> bool:
    return len(text) == 1 and is_han(text)


def _has_han(text: str) -> bool:
    return any(is_han(char) for char in text)


def read_text(data: bytes, origin: str, units: bool = False) -> ImportPlan:
    text, encoding = decode(data, origin)
    plan = ImportPlan(source=_("plain text ({encoding})").format(encoding=encoding))
    for number, line in enumerate(text.splitlines(), start=1):
        for entry in split_entries(line, units):
            plan.rows.append(RowSpec(origin=_("line {number}").format(number=number), name=entry))
    return plan
