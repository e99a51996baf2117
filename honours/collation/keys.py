"""Sort keys: one string per entry, compared symbol by symbol.

Each character becomes one or a few key symbols (see the ranges in
:mod:`honours.collation.tables`), built as code points by ``str.translate`` and
stored 4 Latin-1 characters a symbol (:func:`~honours.collation.tables.wide_key`),
so sorting a million names is Python's own string comparison on ``memcmp``.
The common case, a name of letters only, takes a fast path without regular
expressions; :func:`keys_of` keys a long list of such names in a few calls for
the whole list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Sequence

from .names import ordering_form
from .tables import (
    BLANK,
    HAN_BASE,
    HAN_START,
    NUMBER_BASE,
    SYMBOL_WIDTH,
    CharTables,
    KeyTable,
    wide_key,
)

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
    """Symbols of an ordering form that may hold digits, spaces and symbols."""
    if not any(c.isdecimal() for c in text):
        return text.translate(table)
    parts = _DIGITS.split(text)
    return "".join(
        _number_key(part) if index % 2 else part.translate(table)
        for index, part in enumerate(parts)
        if part
    )


def stroke_surname_symbols(tables: CharTables) -> Callable[[str], str]:
    """姓氏笔画: a two-character name reads as if a blank stood in the middle."""
    table = tables.stroke_keys

    def key(name: str) -> str:
        if not name.isalpha():
            name = ordering_form(name)
        # Not letters to Python: a Han character newer than its Unicode data
        # (Extension H on 3.11) is one all the same, so the blank is still sought.
        k = name.translate(table) if name.isalpha() else _encode(name, table)
        # Two Han keys can only come from a two-character Chinese name.
        if len(k) == 2 and k[0] >= HAN_START and k[1] >= HAN_START:
            return f"{k[0]}{BLANK}{k[1]}"
        return k

    return key


def stroke_fullname_symbols(tables: CharTables) -> Callable[[str], str]:
    """姓名笔画: every character compared in turn, no blank."""
    table = tables.stroke_keys

    def key(name: str) -> str:
        if name.isalpha():
            return name.translate(table)
        return _encode(ordering_form(name), table)

    return key


def pinyin_person_symbols(tables: CharTables) -> Callable[[str], str]:
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


def pinyin_unit_symbols(tables: CharTables) -> Callable[[str], str]:
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


def _unit_symbols(table: KeyTable) -> Callable[[str], str]:
    """Organisations and titles: no blank, spaces and symbols < numbers < letters < Han."""

    def key(text: str) -> str:
        if text.isalpha():
            return text.translate(table)
        return _encode(ordering_form(text, keep_spaces=True), table)

    return key


def _symbols_for(rule: str, kind: str, tables: CharTables) -> Callable[[str], str]:
    """The function from an entry to its symbols (code points, not yet widened)."""
    if rule not in RULES or rule == "manual":
        raise ValueError(f"no sort key for rule {rule!r}; rules are {', '.join(RULES[:3])}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    if kind != "person":
        return (pinyin_unit_symbols(tables) if rule == "pinyin"
                else _unit_symbols(tables.stroke_keys))
    if rule == "stroke":
        return stroke_surname_symbols(tables)
    if rule == "stroke-fullname":
        return stroke_fullname_symbols(tables)
    return pinyin_person_symbols(tables)


def sort_key(rule: str, kind: str = "person", tables: CharTables | None = None):
    """The key function for ``rule`` applied to entries of ``kind``.

    ``manual`` has no key: the caller keeps its own order.
    """
    from . import default_tables

    symbols = _symbols_for(rule, kind, tables or default_tables())

    def key(text: str) -> str:
        return wide_key(symbols(text))

    return key


# -- a whole list at once ------------------------------------------------------------
# Between entries while a list is keyed in one piece; no symbol of a name of letters
# takes these values (Han, unknown Han and letter symbols are all below them), and
# their last three bytes are not 0, so widened they cannot be found across two
# symbols (every symbol's first byte is 0).
_SEPARATOR = "\U0010ffff"
_WIDE_SEPARATOR = wide_key(_SEPARATOR)
#: What the whole-list table gives for a character it has no entry for yet.
_MISSING = "\U0010fffe"
#: The second character of a widened symbol is at least this for Han (with or
#: without data), and below it for every other symbol.
_HAN_LEAD = wide_key(HAN_START)[1]
assert HAN_BASE % 0x10000 == 0 and _HAN_LEAD > "\x00"
#: Those second bytes (the separator's too): deleted, nothing is left of a list of Han.
_HAN_LEADS = bytes(range(ord(_HAN_LEAD), 256))
_WIDE_BLANK = wide_key(BLANK)
_WIDE_BLANK_BYTES = _WIDE_BLANK.encode("latin-1")


#: Above this many entries the translation table is filled in one pass over the
#: data before keying, instead of one look-up for each distinct character.
PRIME_THRESHOLD = 2_000
#: From this many entries up a stroke list is translated as one string: the table
#: by code point it needs takes about 10 ms to build, a few microseconds a name
#: below this.
WHOLE_LIST_THRESHOLD = 20_000


def keys_of(
    entries: Sequence[str], rule: str, kind: str = "person", tables: CharTables | None = None
) -> list[str]:
    """``[sort_key(rule, kind, tables)(entry) for entry in entries]``, faster for a
    long list: names of letters only (the common case) are translated as one
    string, and all keys are widened in one call."""
    from . import default_tables

    tables = tables or default_tables()
    symbols = _symbols_for(rule, kind, tables)
    if (kind == "person" and rule in ("stroke", "stroke-fullname")
            and len(entries) > WHOLE_LIST_THRESHOLD):
        return _stroke_keys_of(entries, tables, symbols, blank=rule == "stroke")
    if len(entries) > PRIME_THRESHOLD:
        tables.prime(rule)
    return _widen_all(list(map(symbols, entries)))


def _widen_all(texts: list[str]) -> list[str]:
    """``[wide_key(text) for text in texts]`` in one encode of the joined texts."""
    joined = _SEPARATOR.join(texts)
    if not texts or joined.count(_SEPARATOR) != len(texts) - 1:  # a name held U+10FFFF
        return [wide_key(text) for text in texts]
    return wide_key(joined).split(_WIDE_SEPARATOR)


def _stroke_keys_of(
    entries: Sequence[str], tables: CharTables, symbols: Callable[[str], str], blank: bool
) -> list[str]:
    """Stroke keys of a list: what stroke_surname_symbols and stroke_fullname_symbols
    give a name of letters only is the name translated, the blank aside, so the
    whole list is translated as one string through a table indexed by code point
    (faster than the dict of a translation per name)."""
    entries = list(entries)
    joined = "\n".join(entries)
    odd: list[int] = []
    if joined.count("\n") != len(entries) - 1 or not joined.replace("\n", "").isalpha():
        # names with spaces, dots, digits, annotations: keyed one by one
        odd = [index for index, entry in enumerate(entries) if not entry.isalpha()]
        plain = entries[:]
        for index in odd:
            plain[index] = ""
        joined = "\n".join(plain)
    wide = wide_key(_translated_whole(joined, tables))
    keys = wide.split(_WIDE_SEPARATOR)
    if blank:  # 姓氏笔画: the blank of a two-character Chinese name
        width, lead = SYMBOL_WIDTH, _HAN_LEAD
        if not wide.encode("latin-1")[1::width].translate(None, _HAN_LEADS):
            # Han only (the common case): every key of two symbols takes the blank.
            # Made once for each distinct key: two-character names repeat a lot.
            blanked: dict[str, str] = {}
            get, put = blanked.get, blanked.setdefault
            keys = [
                key if len(key) != 2 * width
                else get(key) or put(key, key[:width] + _WIDE_BLANK + key[width:])
                for key in keys
            ]
        else:
            keys = [
                key[:width] + _WIDE_BLANK + key[width:]
                if len(key) == 2 * width and key[1] >= lead and key[width + 1] >= lead
                else key
                for key in keys
            ]
    for index in odd:
        keys[index] = wide_key(symbols(entries[index]))
    return keys


def _translated_whole(joined: str, tables: CharTables) -> str:
    """Names joined by newlines, translated through the stroke table as one string,
    the newlines made separators."""
    table = tables.stroke_keys
    dense = _dense(tables)
    translated = joined.translate(dense)
    if _MISSING in translated:  # characters not seen yet (letters, Han without data)
        for char in set(joined):
            if dense[ord(char)] is _MISSING:
                dense[ord(char)] = table[ord(char)]
        translated = joined.translate(dense)
    return translated


def stroke_keys_by_length(names: list[str], tables: CharTables) -> list[str] | None:
    """姓氏笔画 keys of ``names`` given shortest first (``sorted(names, key=len)``),
    or ``None`` unless every name is of Han characters only.

    Names of Han only have a symbol a character, so the two-character names, one
    block of the list, are one block of the translation, a symbol a character
    with a separator after each: twelve bytes a name once widened.  The blank is
    put in the middle of all of them at once by strided copies into a block of
    sixteen bytes a name, where a blank after each name's key would cost a Python
    step for each (a third of the time of keying a million names)."""
    if not names:
        return []
    joined = "\n".join(names) + "\n"
    letters = joined.replace("\n", "")
    if joined.count("\n") != len(names) or letters and not letters.isalpha():
        return None
    data = _translated_whole(joined, tables).encode("utf-32-be", "surrogatepass")
    if data[1::SYMBOL_WIDTH].translate(None, _HAN_LEADS):
        return None  # a symbol that is not a Han character's
    start, end = bisect_left(names, 2, key=len), bisect_right(names, 2, key=len)
    if start < end:
        width, count = SYMBOL_WIDTH, end - start
        head = width * (sum(map(len, names[:start])) + start)
        pairs = data[head:head + 3 * width * count]
        blanked = bytearray(4 * width * count)
        for lane in range(width):  # byte by byte of each four-byte symbol
            blanked[lane::4 * width] = pairs[lane::3 * width]
            blanked[width + lane::4 * width] = _WIDE_BLANK_BYTES[lane:lane + 1] * count
            blanked[2 * width + lane::4 * width] = pairs[width + lane::3 * width]
            blanked[3 * width + lane::4 * width] = pairs[2 * width + lane::3 * width]
        data = b"".join((data[:head], blanked, data[head + len(pairs):]))
    keys = data.decode("latin-1").split(_WIDE_SEPARATOR)
    keys.pop()  # after the last separator
    return keys


def _dense(tables: CharTables) -> list[str]:
    """The stroke table as a list indexed by code point (``_MISSING`` where it has
    no entry yet), with the newline between names mapped to the separator.

    Every character of the stroke data is entered from the data itself, as
    :meth:`CharTables.prime` enters it in the table, without the table's dict."""
    dense = [_MISSING] * 0x110000
    deque(map(dense.__setitem__, *tables.stroke_symbols()), maxlen=0)
    for code, value in tables.stroke_keys.items():  # letters, compatibility forms
        dense[code] = value
    dense[ord("\n")] = _SEPARATOR
    return dense
