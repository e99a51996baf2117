"""Sorting and proof-reading lists with the keys of :mod:`honours.collation.keys`."""

from __future__ import annotations

import functools
import operator
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from . import keys as keying
from .keys import keys_of, stroke_keys_by_length
from .tables import CharTables

T = TypeVar("T")

def _keys(entries: Sequence[str], rule: str, kind: str, tables: CharTables | None) -> list[str]:
    from . import default_tables

    return keys_of(entries, rule, kind, tables or default_tables())


def _sorted_by(items: list[T], keys: list[str]) -> list[T]:
    """``items`` in the order of ``keys`` (one for each item, in the same order); stable."""
    if sys.implementation.name == "cpython":
        # list.sort calls the key function once for each item, first to last, so
        # the keys can be handed over in turn: no index list to sort and gather.
        return sorted(items, key=functools.partial(next, iter(keys)))
    order = sorted(range(len(items)), key=keys.__getitem__)
    return [items[index] for index in order]


def sort_records(
    records: Iterable[T],
    rule: str,
    kind: str = "person",
    name: Callable[[T], str] = lambda record: record,  # type: ignore[assignment,return-value]
    tables: CharTables | None = None,
) -> list[T]:
    """Records in the order of ``rule``; stable, so equal keys keep their order.

    ``manual`` keeps the given order.
    """
    records = list(records)
    if rule == "manual":
        return records
    return _sorted(records, list(map(name, records)), rule, kind, tables)


def sort_entries(
    entries: Iterable[str], rule: str = "stroke", kind: str = "person",
    tables: CharTables | None = None,
) -> list[str]:
    """Strings in the order of ``rule`` (stable)."""
    entries = list(entries)
    if rule == "manual":
        return entries
    return _sorted(entries, entries, rule, kind, tables)


def _sorted(
    items: list[T], names: list[str], rule: str, kind: str, tables: CharTables | None
) -> list[T]:
    """``items`` (``names`` itself, or records named ``names``) in the order of ``rule``."""
    from . import default_tables

    if rule == "stroke" and kind == "person" and len(names) > keying.WHOLE_LIST_THRESHOLD:
        # A long list of Chinese names is keyed shortest first, where its
        # two-character names are one block (see stroke_keys_by_length).  Equal
        # keys are names of one length, so the sort stays stable.
        tables = tables or default_tables()
        if items is names:
            by_length = sorted(names, key=len)
            keys = stroke_keys_by_length(by_length, tables)
            if keys is not None:
                return _sorted_by(by_length, keys)
        else:
            lengths = list(map(len, names))
            keys = stroke_keys_by_length(_sorted_by(names, lengths), tables)
            if keys is not None:
                return _sorted_by(_sorted_by(items, lengths), keys)
    return _sorted_by(items, _keys(names, rule, kind, tables))


@dataclass(frozen=True)
class Misplacement:
    """An entry out of place: where it is and where it belongs (1-based)."""

    entry: str
    line: int
    belongs_at: int
    after: str | None  # the entry it should follow, None when it belongs first
    before: str | None  # the entry it should precede, None when it belongs last


def check_order(
    entries: Sequence[str], rule: str = "stroke", kind: str = "person",
    tables: CharTables | None = None,
) -> list[Misplacement]:
    """Every entry that is out of place, fewest possible, with where it belongs.

    The entries kept in place are a longest run already in order (a longest
    non-decreasing subsequence of the keys), so one name moved in a proof
    reports that one name, not all the names it jumped over.
    """
    if rule == "manual" or len(entries) < 2:
        return []
    keys = _keys(entries, rule, kind, tables)
    if all(map(operator.le, keys, islice(keys, 1, None))):
        return []  # the common case, a list in order: one pass, nothing to place
    in_place = longest_ordered_run(keys)
    order = sorted(range(len(entries)), key=keys.__getitem__)
    position = {index: place for place, index in enumerate(order)}
    problems = []
    for index, entry in enumerate(entries):
        if index in in_place:
            continue
        place = position[index]
        before_index = order[place - 1] if place > 0 else None
        after_index = order[place + 1] if place + 1 < len(order) else None
        problems.append(
            Misplacement(
                entry=entry,
                line=index + 1,
                belongs_at=place + 1,
                after=entries[before_index] if before_index is not None else None,
                before=entries[after_index] if after_index is not None else None,
            )
        )
    return problems


def longest_ordered_run(keys: Sequence, strict: bool = False) -> set[int]:
    """Indices of one longest non-decreasing (``strict``: increasing) subsequence,
    by patience sorting: the entries that can stay where they are."""
    find_slot = bisect_left if strict else bisect_right
    tails: list = []
    tail_index: list[int] = []
    previous = [-1] * len(keys)
    for index, key in enumerate(keys):
        slot = find_slot(tails, key)
        if slot == len(tails):
            tails.append(key)
            tail_index.append(index)
        else:
            tails[slot] = key
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    kept = set()
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        kept.add(index)
        index = previous[index]
    return kept
