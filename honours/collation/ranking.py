"""How characters are ranked: the one definition shared by the build script and the loader.

The shipped data files list characters already in rank order, so loading them
needs no sorting. When a user supplies overrides the loader re-ranks with these
same functions, and the build script uses them to write the files: one rule,
one place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: The five stroke classes of the national stroke-order standard, in order.
STROKE_CLASSES = "横竖撇点折"

#: Sorts after any known stroke count: characters without a count go last.
UNKNOWN_COUNT = 1_000
#: Sorts after every real 通用规范汉字表 position.
NOT_IN_TGH = 100_000


@dataclass(frozen=True, slots=True)
class StrokeEntry:
    """Stroke facts about one character.

    ``sequence`` is a string of digits 1-5 (横竖撇点折), empty when unknown;
    ``tgh`` is the character's position (1-8105) in the 2013 通用规范汉字表, or
    ``None``; ``source`` names where the count and sequence came from.
    """

    char: str
    count: int | None
    sequence: str
    tgh: int | None
    source: str


def stroke_rank_key(entry: StrokeEntry) -> tuple:
    """The collation key of one character in stroke order (collation.md section 1).

    Fewer strokes first; then the stroke sequence class by class; a character
    whose sequence is unknown goes after the fully known characters of its
    count; then the 通用规范汉字表 order; then the code point, so the order is
    total and deterministic.
    """
    count = entry.count if entry.count is not None else UNKNOWN_COUNT
    known = 0 if entry.sequence else 1
    tgh = entry.tgh if entry.tgh is not None else NOT_IN_TGH
    return (count, known, entry.sequence, tgh, ord(entry.char))


def split_reading(reading: str) -> tuple[str, int]:
    """Split a numbered reading such as ``lv4`` or ``zhang1`` into (letters, tone).

    ``v`` stands for ü; tone 5 is the neutral tone.
    """
    if reading and reading[-1].isdigit():
        return reading[:-1], int(reading[-1])
    return reading, 5


def pinyin_rank_key(reading: str, stroke_rank: int) -> tuple:
    """The collation key of one (reading, character) pair (collation.md section 2).

    Letters with ü compared as u; then u before ü; then tone 1 < 2 < 3 < 4 <
    neutral; then the character's stroke rank for homophones (张 < 章).
    """
    letters, tone = split_reading(reading)
    return (letters.replace("v", "u"), "v" in letters, tone, stroke_rank)


def numbered_to_marked(reading: str) -> str:
    """``lv4`` -> ``lǜ``: the reading as printed, for messages and ``explain``."""
    letters, tone = split_reading(reading)
    letters = letters.replace("v", "ü")
    if tone == 5:
        return letters
    marks = {1: "\u0304", 2: "\u0301", 3: "\u030c", 4: "\u0300"}
    # Tone mark placement: a/e first, then o in "ou", else the last vowel.
    for vowel in ("a", "e"):
        if vowel in letters:
            index = letters.index(vowel)
            break
    else:
        if "ou" in letters:
            index = letters.index("o")
        else:
            index = max(letters.rfind(v) for v in "iouü")
    if index < 0:
        return letters + str(tone)
    marked = letters[: index + 1] + marks[tone] + letters[index + 1 :]
    return unicodedata.normalize("NFC", marked)


# -- compact indexes -------------------------------------------------------------------
# The loader finds a character's place with one ``str.find`` in a string of all
# characters in rank order, so a short list never pays for parsing the full
# data files.  Key code points only need to be monotonic in rank, so a
# character's offset in the index serves as its rank.

#: Status letters that follow each character in the stroke index.
SEQUENCED, COUNT_ONLY, INFERRED = "s", "c", "i"
#: Source tag of sequences borrowed from the 通用规范汉字表 neighbour (data/README.md).
INFERRED_SOURCE = "tgh-inferred"


def stroke_index(ordered: Iterable[StrokeEntry]) -> str:
    """Each character (in rank order) followed by its status letter."""
    return "".join(
        entry.char
        + (INFERRED if entry.source == INFERRED_SOURCE else SEQUENCED if entry.sequence
           else COUNT_ONLY)
        for entry in ordered
    )


def pinyin_index(
    ordered_pairs: Iterable[tuple[str, str, bool]], surname_pairs: set[tuple[str, str]]
) -> str:
    """(char, reading, usual) pairs in rank order: a usual reading is written as
    the character alone, a surname reading that is not the usual one as
    ``[char reading]``; other readings are left out (nothing is keyed by them)."""
    parts = []
    for char, reading, usual in ordered_pairs:
        if usual:
            parts.append(char)
        elif (char, reading) in surname_pairs:
            parts.append(f"[{char}{reading}]")
    return "".join(parts)


def index_file(index: str, title: str, width: int = 80) -> str:
    """The text of a shipped index file: a comment, then the index in lines."""
    lines = [f"# {title}", "# Generated by honours/collation/data/build_data.py; do not edit."]
    lines += [index[start : start + width] for start in range(0, len(index), width)]
    return "\n".join(lines) + "\n"


def read_index(text: str) -> str:
    return "".join(line for line in text.splitlines() if not line.startswith("#"))
