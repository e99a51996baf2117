"""The character tables the ordering core needs, loaded lazily from the package.

``strokes.txt`` and ``readings.txt`` are shipped already in rank order
(see ``data/README.md``), so the common case is one pass over each file with no
sorting. User overrides re-rank with the same key functions the build script
used (:mod:`honours.collation.ranking`).

No function here touches the user's files: overrides arrive as text, parsed by
:func:`parse_overrides`, so the core stays free of I/O beyond its own data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import HonoursError
from ..i18n import _
from .names import HAN_RANGES, is_han
from .ranking import (
    COUNT_ONLY,
    INFERRED,
    SEQUENCED,
    STROKE_CLASSES,
    StrokeEntry,
    pinyin_index,
    pinyin_rank_key,
    read_index,
    stroke_index,
    stroke_rank_key,
)

# Key symbols.  A sort key is a sequence of symbols compared in turn, so every
# class of character gets its own range of symbol values (collation.md section 3):
# blank < symbols < numbers < letters < Han with data < Han without data.
# Symbols are built as code points (one ``str.translate`` per name) and a key
# stores each as the 4 bytes of its big-endian UTF-32, read as Latin-1 (see
# :func:`wide_key`).
BLANK = "\x01"  # the blank of a two-character name (姓氏笔画)
SYMBOL_MARK = "\x02"  # followed by the symbol itself
NUMBER_BASE = 0x100  # + number of digits, followed by the digits
LETTER_BASE = 0x1000  # + code point of the case-folded base letter
HAN_BASE = 0x40000  # + rank in the shipped order
UNKNOWN_HAN_BASE = 0xC0000  # + code point: Han the data does not know, last

HAN_START = chr(HAN_BASE)

#: Each symbol of a key is this many characters wide.
SYMBOL_WIDTH = 4


def wide_key(symbols: str) -> str:
    """The key of a string of symbols: every symbol as the 4 bytes of its
    big-endian UTF-32, as Latin-1 characters.

    Fixed width and most significant byte first keep the order of the symbols
    (a shorter key that is a prefix still sorts first), and a key of Latin-1
    characters only is compared with ``memcmp`` by ``list.sort``: a million
    names sort about a third faster than by keys of 4-byte code points.
    ``surrogatepass``: a lone surrogate in a name is a symbol like any other.
    """
    return symbols.encode("utf-32-be", "surrogatepass").decode("latin-1")


def key_symbols(key: str) -> str:
    """The symbols of a key (the inverse of :func:`wide_key`), for ``explain``."""
    return key.encode("latin-1").decode("utf-32-be", "surrogatepass")


#: From this many characters up, :meth:`CharTables.unplaced` searches the text first.
_SEARCHED_TEXT = 50_000


class OverrideError(HonoursError, ValueError):
    """A line of the user's override file that cannot be read."""


@dataclass(frozen=True)
class Overrides:
    """User-supplied character data: stroke facts and readings by character."""

    strokes: dict[str, tuple[int, str]] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)
    origin: str = ""

    def __bool__(self) -> bool:
        return bool(self.strokes or self.readings)


def _stroke_digits(text: str) -> str:
    """Accept a sequence as digits 1-5 or as 横竖撇点折 characters."""
    return "".join(str(STROKE_CLASSES.index(c) + 1) if c in STROKE_CLASSES else c for c in text)


def _marked_to_numbered(reading: str) -> str:
    """``yǎn`` -> ``yan3``; ``lü`` -> ``lv5``; numbered readings pass through."""
    reading = reading.strip().lower()
    if reading[-1:].isdigit():
        return reading.replace("ü", "v").replace("u:", "v")
    tone = 5
    plain = []
    for char in unicodedata.normalize("NFD", reading):
        mark = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}.get(char)
        if mark:
            tone = mark
        elif char == "\u0308":  # diaeresis of ü
            plain[-1] = "v"
        else:
            plain.append(char)
    return "".join(plain) + str(tone)


def parse_overrides(text: str, origin: str = "overrides") -> Overrides:
    """Parse lines ``字 count sequence`` or ``字 pinyin`` (``#`` starts a comment).

    Raises :class:`OverrideError` naming the line when a line is malformed.
    """
    strokes: dict[str, tuple[int, str]] = {}
    readings: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        where = _("{origin}, line {number}").format(origin=origin, number=number)
        char = unicodedata.normalize("NFC", parts[0])
        if len(char) != 1:
            raise OverrideError(
                _("{where}: {text!r} is not one character").format(where=where, text=parts[0])
            )
        if len(parts) == 3 and parts[1].isdigit():
            count, sequence = int(parts[1]), _stroke_digits(parts[2])
            if not sequence.isdigit() or set(sequence) - set("12345"):
                raise OverrideError(
                    _("{where}: the stroke sequence {sequence!r} must use 1-5 or 横竖撇点折")
                    .format(where=where, sequence=parts[2])
                )
            if len(sequence) != count:
                raise OverrideError(
                    _("{where}: {count} strokes but a sequence of {length}").format(
                        where=where, count=count, length=len(sequence)
                    )
                )
            strokes[char] = (count, sequence)
        elif len(parts) == 2 and parts[1].isdigit():
            strokes[char] = (int(parts[1]), "")
        elif len(parts) == 2 and parts[1].replace(":", "").rstrip("012345").isalpha():
            readings[char] = _marked_to_numbered(parts[1])
        else:
            raise OverrideError(
                _(
                    "{where}: expected '字 count sequence' (e.g. 罡 10 2512112121) "
                    "or '字 pinyin' (e.g. 罡 gang1), got {line!r}"
                ).format(where=where, line=line)
            )
    return Overrides(strokes=strokes, readings=readings, origin=origin)


_DATA = Path(__file__).resolve().parent / "data"


def _data_text(name: str) -> str:
    return (_DATA / name).read_text("utf-8")


def _data_rows(name: str) -> list[list[str]]:
    return [
        line.split("\t") for line in _data_text(name).splitlines() if line and line[0] != "#"
    ]


class KeyTable(dict):
    """A ``str.translate`` table from code points to key strings.

    Entries are made on first sight by :meth:`__missing__` (or all at once by
    :meth:`CharTables.prime` before a large sort).  ``place`` gives a Han
    character's key from the data, or ``None`` when the data lacks it.
    """

    def __init__(self, place):
        super().__init__()
        self.place = place

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if is_han(char):
            canonical = unicodedata.normalize("NFC", char)
            key = self.place(canonical) or chr(UNKNOWN_HAN_BASE + ord(canonical))
        elif char.isdecimal():
            # Digits are normally keyed as whole numbers before translation;
            # a lone digit reaching here still sorts as a number.
            key = chr(NUMBER_BASE + 1) + str(unicodedata.decimal(char))
        elif char.isalpha():
            base = unicodedata.normalize("NFKD", char)[0].casefold()
            key = "".join(chr(LETTER_BASE + ord(c)) for c in base)
        else:
            key = SYMBOL_MARK + char
        self[code] = key
        return key


class CharTables:
    """Stroke and reading data with the translation tables built from them.

    Without overrides the compact indexes shipped in ``data/`` are read (a few
    milliseconds); the full files are parsed only for ``explain`` and for
    re-ranking when the user supplies overrides.
    """

    def __init__(self, overrides: Overrides | None = None):
        self.overrides = overrides or Overrides()

    # -- stroke data --------------------------------------------------------------
    @cached_property
    def stroke_entries(self) -> dict[str, StrokeEntry]:
        """Every character's stroke facts (parses the full file: for ``explain``)."""
        entries = {row[0]: _entry(row) for row in _data_rows("strokes.txt")}
        for char, (count, sequence) in self.overrides.strokes.items():
            old = entries.get(char)
            entries[char] = StrokeEntry(
                char, count, sequence, old.tgh if old else None, "override"
            )
        return entries

    @cached_property
    def stroke_index(self) -> str:
        if not self.overrides.strokes:
            return read_index(_data_text("stroke_index.txt"))
        return stroke_index(sorted(self.stroke_entries.values(), key=stroke_rank_key))

    def stroke_position(self, char: str) -> int | None:
        """The character's place in stroke order (monotonic, not contiguous)."""
        position = self.stroke_index.find(char)
        return None if position < 0 else position

    def _stroke_key(self, char: str) -> str | None:
        position = self.stroke_position(char)
        return None if position is None else chr(HAN_BASE + position)

    @cached_property
    def stroke_keys(self) -> KeyTable:
        table = KeyTable(self._stroke_key)
        return table

    # -- readings -----------------------------------------------------------------
    @cached_property
    def _reading_rows(self) -> list[list[str]]:
        """(char, reading, usual) rows in pinyin rank order, overrides applied."""
        rows = _data_rows("readings.txt")
        if not self.overrides:
            return rows
        overridden = self.overrides.readings
        rows = [row for row in rows if not (row[0] in overridden and row[2] == "1")]
        rows += [[char, reading, "1"] for char, reading in overridden.items()]
        far = len(self.stroke_index)

        def key(row: list[str]) -> tuple:
            position = self.stroke_position(row[0])
            return pinyin_rank_key(row[1], far + ord(row[0]) if position is None else position)

        return sorted(rows, key=key)

    @cached_property
    def usual_readings(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._reading_rows if row[2] == "1"}

    @cached_property
    def pinyin_index(self) -> str:
        if not self.overrides:
            return read_index(_data_text("pinyin_index.txt"))
        surname_pairs = {
            (char, reading)
            for surname, readings in self.surname_readings.items()
            for char, reading in zip(surname, readings)
        }
        rows = ((row[0], row[1], row[2] == "1") for row in self._reading_rows)
        return pinyin_index(rows, surname_pairs)

    def _pinyin_key(self, char: str) -> str | None:
        index = self.pinyin_index
        position = index.find(char)
        while position > 0 and index[position - 1] == "[":  # a surname reading, not usual
            position = index.find(char, position + 1)
        if position >= 0:
            return chr(HAN_BASE + position)
        # Characters without a reading sort after every read one, by strokes.
        stroke = self.stroke_position(char)
        return None if stroke is None else chr(HAN_BASE + len(index) + stroke)

    @cached_property
    def pinyin_keys(self) -> KeyTable:
        return KeyTable(self._pinyin_key)

    @cached_property
    def surname_readings(self) -> dict[str, tuple[str, ...]]:
        """Surnames (one or two characters) with the readings they take as surnames."""
        rows = _data_rows("surnames.txt")
        return {row[0]: tuple(row[1].split()) for row in rows if len(row) >= 2}

    @cached_property
    def surname_keys(self) -> dict[str, str]:
        """Key strings of the surname readings, by surname."""
        keys = {}
        for surname, readings in self.surname_readings.items():
            parts = []
            for char, reading in zip(surname, readings):
                position = self.pinyin_index.find(f"[{char}{reading}]")
                # Not bracketed: the surname reading is the character's usual one.
                parts.append(
                    chr(HAN_BASE + position) if position >= 0 else self._pinyin_key(char)
                )
            if all(parts):
                keys[surname] = "".join(parts)
        return keys

    # -- readings of organisations and titles, in context ---------------------------
    @cached_property
    def _pair_rank(self) -> dict[tuple[str, str], int]:
        """Every (character, reading) pair's place in pinyin order (parses readings.txt)."""
        return {(row[0], row[1]): rank for rank, row in enumerate(self._reading_rows)}

    def phrase_readings(self, run: str) -> list[str | None]:
        """Readings of a run of Han characters in context, one per character: 重庆
        is chóng qìng and 银行 yín háng (pypinyin's phrase dictionary), where the
        character alone would be read zhòng and xíng.  User overrides win."""
        from pypinyin import Style, lazy_pinyin

        # A character pypinyin does not know comes back as "#" (plus a tone digit).
        readings = [
            None if reading.startswith("#") else reading
            for reading in lazy_pinyin(
                run, style=Style.TONE3, neutral_tone_with_five=True,
                errors=lambda chars: ["#"] * len(chars),
            )
        ]
        if len(readings) != len(run):  # never expected; fall back to the usual readings
            readings = [None] * len(run)
        usual = self.overrides.readings
        return [usual.get(char) or reading for char, reading in zip(run, readings)]

    def phrase_key(self, run: str) -> str:
        """The pinyin key of a run of Han characters read in context."""
        ranks, far = self._pair_rank, HAN_BASE + len(self._reading_rows)
        usual = self.usual_readings
        parts = []
        for char, reading in zip(run, self.phrase_readings(run)):
            rank = ranks.get((char, reading)) if reading else None
            if rank is None and char in usual:
                rank = ranks.get((char, usual[char]))
            if rank is not None:
                parts.append(chr(HAN_BASE + rank))
                continue
            stroke = self.stroke_position(char)  # no reading: after every read character
            parts.append(chr(far + stroke) if stroke is not None
                         else chr(UNKNOWN_HAN_BASE + ord(char)))
        return "".join(parts)

    @cached_property
    def compound_surnames(self) -> frozenset[str]:
        return frozenset(s for s in self.surname_readings if len(s) == 2)

    def prime(self, rule: str) -> None:
        """Fill a translation table at once, before sorting many entries: one
        pass over the index beats a ``find`` per distinct character."""
        if rule == "pinyin":
            index, table = self.pinyin_index, self.pinyin_keys
            position, size = 0, len(index)
            while position < size:
                char = index[position]
                if char == "[":
                    position = index.index("]", position) + 1
                    continue
                table.setdefault(ord(char), chr(HAN_BASE + position))
                position += 1
        else:
            table = self.stroke_keys
            table.update(zip(*self.stroke_symbols()))
        _add_compatibility_ideographs(table)

    def stroke_symbols(self) -> tuple[Iterator[int], Iterator[str]]:
        """The code points of the characters of the stroke data and their symbols,
        in two iterators (one pass over the index, no dict)."""
        index = self.stroke_index
        return (map(ord, index[::2]),
                map(chr, range(HAN_BASE, HAN_BASE + len(index), 2)))

    # -- what the data does not know -----------------------------------------------
    @cached_property
    def _maybe_unplaced(self) -> re.Pattern[str]:
        """Any character :meth:`unplaced` may report: a Han character of the Basic
        Multilingual Plane without a known stroke sequence, or any character beyond
        it (a class of all those would be searched range by range, slowly)."""
        index = self.stroke_index
        sequenced = sorted(
            ord(char) for char, status in zip(index[::2], index[1::2])
            if status == SEQUENCED and ord(char) < 0x10000
        )
        ranges, position = [], 0
        for low, high in HAN_RANGES:
            if high >= 0x10000:
                continue
            start = low
            while position < len(sequenced) and sequenced[position] <= high:
                code = sequenced[position]
                if code >= start:
                    if code > start:
                        ranges.append((start, code - 1))
                    start = code + 1
                position += 1
            if start <= high:
                ranges.append((start, high))
        members = "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)
        return re.compile(f"[{members}\U00010000-\U0010ffff]")

    def unplaced(self, text: str) -> dict[str, str]:
        """Han characters of ``text`` whose stroke place is not exact, with the reason."""
        # One search over a long text (a million names) rules most of it out; the
        # search's pattern costs 20 ms to build, more than a short list's characters.
        if len(text) > _SEARCHED_TEXT and self._maybe_unplaced.search(text) is None:
            return {}
        # Each distinct character once: a set of code points is made faster than a
        # set of a long text's characters.
        codes = set(memoryview(text.encode("utf-32-le", "surrogatepass")).cast("I"))
        return self._unplaced_among(map(chr, codes))

    def _unplaced_among(self, chars) -> dict[str, str]:
        found = {}
        for char in chars:
            if not is_han(char):
                continue
            char = unicodedata.normalize("NFC", char)
            position = self.stroke_position(char)
            status = None if position is None else self.stroke_index[position + 1]
            if status is None:
                found[char] = _("no stroke data: placed after every known character")
            elif status == COUNT_ONLY:
                count = self.stroke_entries[char].count
                found[char] = _(
                    "stroke count {count} known, sequence unknown: placed after "
                    "the known characters of {count} strokes"
                ).format(count=count)
            elif status == INFERRED:
                found[char] = _(
                    "stroke sequence not in any source: placed by its position in the "
                    "通用规范汉字表, exact among that table's characters of its level"
                )
        return dict(sorted(found.items()))

    def reading_of(self, char: str) -> str | None:
        return self.usual_readings.get(char)


def _entry(row: list[str]) -> StrokeEntry:
    char, count, sequence, tgh, source = (row + [""] * 5)[:5]
    return StrokeEntry(
        char=char,
        count=int(count) if count else None,
        sequence=sequence,
        tgh=int(tgh) if tgh else None,
        source=source,
    )


def _add_compatibility_ideographs(table: KeyTable) -> None:
    """Key compatibility ideographs (U+F900.., U+2F800..) like their NFC form.

    A primed table would otherwise hold only canonical code points; the lazy
    path normalises in :meth:`KeyTable.__missing__`.
    """
    for block in (range(0xF900, 0xFB00), range(0x2F800, 0x2FA20)):
        for code in block:
            canonical = unicodedata.normalize("NFC", chr(code))
            if len(canonical) == 1 and canonical != chr(code) and ord(canonical) in table:
                table[code] = table[ord(canonical)]
