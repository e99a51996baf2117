"""The character tables the ordering core needs, loaded lazily from the package.

``strokes.txt`` and ``readings.txt`` are shipped already in rank order
(see ``data/README.md``), so the common case is one pass over each file with no
sorting. User overrides re-rank with the same key functions the build script
used (:mod:`honours.collation.ranking`).

No function here touches the user's files: overrides arrive as text, parsed by
:func:`parse_overrides`, so the core stays free of I/O beyond its own data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from .names import is_han
from .ranking import (
    STROKE_CLASSES,
    StrokeEntry,
    numbered_to_marked,
    pinyin_rank_key,
    stroke_rank_key,
)

# Key code points.  A sort key is a string compared code point by code point,
# so every class of character gets its own range (collation.md section 3):
# blank < symbols < numbers < letters < Han with data < Han without data.
BLANK = "\x01"  # the blank of a two-character name (姓氏笔画)
SYMBOL_MARK = "\x02"  # followed by the symbol itself
NUMBER_BASE = 0x100  # + number of digits, followed by the digits
LETTER_BASE = 0x1000  # + code point of the case-folded base letter
HAN_BASE = 0x40000  # + rank in the shipped order
UNKNOWN_HAN_BASE = 0xC0000  # + code point: Han the data does not know, last

HAN_START = chr(HAN_BASE)

#: Source tag of sequences borrowed from the 通用规范汉字表 neighbour (data/README.md).
INFERRED_SOURCE = "tgh-inferred"


class OverrideError(ValueError):
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
        where = f"{origin}, line {number}"
        char = unicodedata.normalize("NFC", parts[0])
        if len(char) != 1:
            raise OverrideError(f"{where}: {parts[0]!r} is not one character")
        if len(parts) == 3 and parts[1].isdigit():
            count, sequence = int(parts[1]), _stroke_digits(parts[2])
            if not sequence.isdigit() or set(sequence) - set("12345"):
                raise OverrideError(
                    f"{where}: the stroke sequence {parts[2]!r} must use 1-5 or 横竖撇点折"
                )
            if len(sequence) != count:
                raise OverrideError(
                    f"{where}: {count} strokes but a sequence of {len(sequence)}"
                )
            strokes[char] = (count, sequence)
        elif len(parts) == 2 and parts[1].isdigit():
            strokes[char] = (int(parts[1]), "")
        elif len(parts) == 2 and parts[1].replace(":", "").rstrip("012345").isalpha():
            readings[char] = _marked_to_numbered(parts[1])
        else:
            raise OverrideError(
                f"{where}: expected '字 count sequence' (e.g. 罡 10 2512112121) "
                f"or '字 pinyin' (e.g. 罡 gang1), got {line!r}"
            )
    return Overrides(strokes=strokes, readings=readings, origin=origin)


def _data_text(name: str) -> str:
    return resources.files("honours.collation.data").joinpath(name).read_text("utf-8")


def _data_lines(name: str) -> list[list[str]]:
    return [
        line.split("\t") for line in _data_text(name).splitlines() if line and line[0] != "#"
    ]


class KeyTable(dict):
    """A ``str.translate`` table from code points to key strings.

    Han characters with data are filled in at load time; anything else is
    classified on first sight by :meth:`__missing__` and remembered.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if is_han(char):
            canonical = unicodedata.normalize("NFC", char)
            if canonical != char and ord(canonical) in self:
                key = self[ord(canonical)]
            else:
                key = chr(UNKNOWN_HAN_BASE + code)
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
    """Stroke and reading data with the translation tables built from them."""

    def __init__(self, overrides: Overrides | None = None):
        self.overrides = overrides or Overrides()

    # -- stroke data --------------------------------------------------------------
    @cached_property
    def _stroke_rows(self) -> list[list[str]]:
        rows = _data_lines("strokes.txt")
        if not self.overrides.strokes:
            return rows
        by_char = {row[0]: row for row in rows}
        for char, (count, sequence) in self.overrides.strokes.items():
            old = by_char.get(char)
            tgh = old[3] if old else ""
            by_char[char] = [char, str(count), sequence, tgh, "override"]
        entries = sorted((_entry(row) for row in by_char.values()), key=stroke_rank_key)
        return [
            [e.char, str(e.count), e.sequence, "" if e.tgh is None else str(e.tgh), e.source]
            for e in entries
        ]

    @cached_property
    def stroke_order(self) -> list[str]:
        """Every character with stroke data, in stroke order."""
        return [row[0] for row in self._stroke_rows]

    @cached_property
    def stroke_rank(self) -> dict[str, int]:
        return {char: rank for rank, char in enumerate(self.stroke_order)}

    @cached_property
    def stroke_entries(self) -> dict[str, StrokeEntry]:
        return {row[0]: _entry(row) for row in self._stroke_rows}

    @cached_property
    def stroke_keys(self) -> KeyTable:
        table = KeyTable(
            zip(map(ord, self.stroke_order), map(chr, range(HAN_BASE, HAN_BASE + 200_000)))
        )
        _add_compatibility_ideographs(table)
        return table

    # -- readings -----------------------------------------------------------------
    @cached_property
    def _reading_rows(self) -> list[list[str]]:
        rows = _data_lines("readings.txt")
        if not self.overrides:
            return rows
        overridden = self.overrides.readings
        rows = [row for row in rows if not (row[0] in overridden and row[2] == "1")]
        rows += [[char, reading, "1"] for char, reading in overridden.items()]
        far = len(self.stroke_rank)
        rank = self.stroke_rank

        def key(row: list[str]) -> tuple:
            return pinyin_rank_key(row[1], rank.get(row[0], far + ord(row[0])))

        return sorted(rows, key=key)

    @cached_property
    def usual_readings(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._reading_rows if row[2] == "1"}

    @cached_property
    def pinyin_keys(self) -> KeyTable:
        table = KeyTable(
            (ord(row[0]), chr(HAN_BASE + rank))
            for rank, row in enumerate(self._reading_rows)
            if row[2] == "1"
        )
        # Han characters without a reading sort after every read one, by strokes.
        offset = HAN_BASE + len(self._reading_rows)
        for char, rank in self.stroke_rank.items():
            table.setdefault(ord(char), chr(offset + rank))
        _add_compatibility_ideographs(table)
        return table

    @cached_property
    def surname_readings(self) -> dict[str, tuple[str, ...]]:
        """Surnames (one or two characters) with the readings they take as surnames."""
        return {
            row[0]: tuple(row[1].split())
            for row in _data_lines("surnames.txt")
            if len(row) >= 2
        }

    @cached_property
    def surname_keys(self) -> dict[str, str]:
        """Key strings of the surname readings, by surname."""
        wanted = {
            (char, reading)
            for surname, readings in self.surname_readings.items()
            for char, reading in zip(surname, readings)
        }
        pair_key = {
            (row[0], row[1]): chr(HAN_BASE + rank)
            for rank, row in enumerate(self._reading_rows)
            if (row[0], row[1]) in wanted
        }
        keys = {}
        for surname, readings in self.surname_readings.items():
            parts = [pair_key.get((c, r)) for c, r in zip(surname, readings)]
            if all(parts):
                keys[surname] = "".join(parts)
        return keys

    @cached_property
    def compound_surnames(self) -> frozenset[str]:
        return frozenset(s for s in self.surname_readings if len(s) == 2)

    # -- what the data does not know -----------------------------------------------
    def unplaced(self, text: str) -> dict[str, str]:
        """Han characters of ``text`` whose stroke place is not exact, with the reason."""
        found = {}
        for char in text:
            if not is_han(char):
                continue
            char = unicodedata.normalize("NFC", char)
            entry = self.stroke_entries.get(char)
            if entry is None:
                found[char] = "no stroke data: placed after every known character"
            elif not entry.sequence:
                found[char] = (
                    f"stroke count {entry.count} known, sequence unknown: placed after "
                    f"the known characters of {entry.count} strokes"
                )
            elif entry.source == INFERRED_SOURCE:
                found[char] = (
                    "stroke sequence not in any source: placed by its position in the "
                    "通用规范汉字表, exact among that table's characters of its level"
                )
        return found

    def reading_of(self, char: str) -> str | None:
        return self.usual_readings.get(char)

    @staticmethod
    def marked(reading: str) -> str:
        return numbered_to_marked(reading)


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
    """Map compatibility ideographs (U+F900.., U+2F800..) to their canonical key.

    Their NFC form is a unified ideograph, so the same name typed with either
    code point sorts in one place without normalising every name at sort time.
    """
    for block in (range(0xF900, 0xFB00), range(0x2F800, 0x2FA20)):
        for code in block:
            canonical = unicodedata.normalize("NFC", chr(code))
            if len(canonical) == 1 and canonical != chr(code) and ord(canonical) in table:
                table[code] = table[ord(canonical)]
