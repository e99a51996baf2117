"""Why an entry sorts where it does: per-character facts and pairwise decisions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _
from .keys import KINDS, sort_key
from .names import is_han, ordering_form
from .ranking import STROKE_CLASSES, numbered_to_marked, split_reading
from .tables import (
    BLANK,
    HAN_BASE,
    LETTER_BASE,
    NUMBER_BASE,
    SYMBOL_MARK,
    CharTables,
    key_symbols,
)

_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class CharFacts:
    """What the data says about one character of an entry."""

    char: str
    strokes: int | None
    sequence: str  # as 横竖撇点折, empty when unknown
    reading: str | None  # marked pinyin
    surname_reading: bool  # the reading is the surname reading
    source: str


def surname_positions(form: str, tables: CharTables) -> dict[int, str]:
    """Readings of a name's surname positions, as the pinyin key reads them: a
    compound surname when the name is longer than two characters, else the
    first character when it has a surname reading."""
    if len(form) > 2 and form[:2] in tables.compound_surnames:
        return dict(enumerate(tables.surname_readings[form[:2]]))
    readings = tables.surname_readings.get(form[:1])
    return {0: readings[0]} if readings else {}


def context_readings(form: str, tables: CharTables) -> dict[int, str]:
    """Readings of the Han characters of a unit or title, by position, read in
    context as the pinyin key of units reads them (重庆 chóng qìng)."""
    readings: dict[int, str] = {}
    start = None
    for index, char in enumerate(form + " "):
        if index < len(form) and is_han(char):
            start = index if start is None else start
            continue
        if start is not None:
            for offset, reading in enumerate(tables.phrase_readings(form[start:index])):
                if reading:
                    readings[start + offset] = reading
            start = None
    return readings


def character_facts(text: str, tables: CharTables, as_name: bool = True) -> list[CharFacts]:
    """Facts for each character of ``text``; the surname position of a name
    carries its surname reading when it has one; a unit's characters are read
    in context."""
    form = ordering_form(text)
    surname_readings = surname_positions(form, tables) if as_name else {}
    in_context = {} if as_name else context_readings(form, tables)
    facts = []
    for index, char in enumerate(form):
        entry = tables.stroke_entries.get(char)
        reading = (
            surname_readings.get(index) or in_context.get(index) or tables.reading_of(char)
        )
        facts.append(
            CharFacts(
                char=char,
                strokes=entry.count if entry else None,
                sequence="".join(STROKE_CLASSES[int(d) - 1] for d in entry.sequence)
                if entry
                else "",
                reading=numbered_to_marked(reading) if reading else None,
                surname_reading=index in surname_readings,
                source=(entry.source if entry else ("" if not is_han(char) else "none")),
            )
        )
    return facts


@dataclass(frozen=True)
class PairDecision:
    """Which of two entries comes first, and the position and reason that decide it."""

    first: str
    second: str
    position: int | None  # 1-based character position in the first entry; None if equal
    reason: str


def _tokens(text: str, key: str) -> list[tuple[str, str]]:
    """Split a key into per-character pieces labelled with what they stand for."""
    tokens = []
    index = 0
    chars = iter(_DIGITS.split(text))
    for part in chars:
        if not part:
            continue
        if part.isdecimal():
            size = 1 + len(str(int(part)))
            tokens.append((part, key[index : index + size]))
            index += size
            continue
        for char in part:
            if key[index : index + 1] == BLANK:
                tokens.append(("", BLANK))
                index += 1
            if key[index : index + 1] == SYMBOL_MARK:
                size = 2
            elif ord(key[index]) >= LETTER_BASE and not is_han(char):
                size = len(char.casefold()) if ord(key[index]) < HAN_BASE else 1
            else:
                size = 1
            tokens.append((char, key[index : index + size]))
            index += size
    return tokens


def _class_name(piece: str) -> str:
    code = ord(piece[0])
    if piece == BLANK:
        return "the blank of a two-character name"
    if piece[0] == SYMBOL_MARK:
        return "a space or symbol"
    if code < LETTER_BASE and code >= NUMBER_BASE:
        return "a number"
    if code < HAN_BASE:
        return "a letter"
    return "a Chinese character"


def _class_words(name: str) -> str:
    """A class name of :func:`_class_name` in the interface language."""
    words = {
        "the blank of a two-character name": _("the blank of a two-character name"),
        "a space or symbol": _("a space or symbol"),
        "a number": _("a number"),
        "a letter": _("a letter"),
        "a Chinese character": _("a Chinese character"),
    }
    return words[name]


def _why_han(
    a: str, b: str, rule: str, tables: CharTables, readings: tuple[str | None, str | None]
) -> str:
    ea, eb = tables.stroke_entries.get(a), tables.stroke_entries.get(b)
    if rule == "pinyin":
        ra, rb = readings
        if ra and rb and ra != rb:
            (la, ta), (lb, tb) = split_reading(ra), split_reading(rb)
            shown = _("{a} {reading_a} and {b} {reading_b}").format(
                a=a, reading_a=numbered_to_marked(ra), b=b, reading_b=numbered_to_marked(rb)
            )
            if la.replace("v", "u") != lb.replace("v", "u"):
                return _("{shown}: the letters decide").format(shown=shown)
            if la != lb:
                return _("{shown}: u comes before ü").format(shown=shown)
            first, second = (ta, tb) if ta < tb else (tb, ta)
            return _("{shown}: tone {first} comes before tone {second}").format(
                shown=shown, first=first, second=second
            )
        if ra and rb:
            prefix = _(
                "{a} and {b} are both read {reading}; homophones go by strokes: "
            ).format(a=a, b=b, reading=numbered_to_marked(ra))
        else:
            return _("{char} has no known reading and sorts after read characters").format(
                char=a if not ra else b
            )
    else:
        prefix = ""
    if not ea or not eb:
        missing = a if not ea else b
        return prefix + _(
            "{char} has no stroke data and sorts after every known character"
        ).format(char=missing)
    if ea.count != eb.count:
        return prefix + _("{a} has {count_a} strokes, {b} has {count_b}").format(
            a=a, count_a=ea.count, b=b, count_b=eb.count
        )
    if ea.sequence and eb.sequence and ea.sequence != eb.sequence:
        n = next(i for i, (x, y) in enumerate(zip(ea.sequence, eb.sequence)) if x != y)
        ca, cb = STROKE_CLASSES[int(ea.sequence[n]) - 1], STROKE_CLASSES[int(eb.sequence[n]) - 1]
        return prefix + _(
            "both have {count} strokes; stroke {number} is {stroke_a} in {a} and {stroke_b} "
            "in {b} (横 < 竖 < 撇 < 点 < 折)"
        ).format(count=ea.count, number=n + 1, stroke_a=ca, a=a, stroke_b=cb, b=b)
    if not ea.sequence or not eb.sequence:
        unknown = a if not ea.sequence else b
        return prefix + _(
            "both have {count} strokes; the stroke sequence of {char} is unknown, "
            "so it goes after the known characters"
        ).format(count=ea.count, char=unknown)
    if ea.tgh and eb.tgh:
        return prefix + _(
            "same count and stroke sequence; the 通用规范汉字表 lists {a} (#{number_a}) "
            "before {b} (#{number_b})"
        ).format(a=a, number_a=ea.tgh, b=b, number_b=eb.tgh)
    return prefix + _("same count and stroke sequence; the code point decides")


def explain_pair(
    a: str, b: str, rule: str = "stroke", kind: str = "person", tables: CharTables | None = None
) -> PairDecision:
    """Which of ``a`` and ``b`` comes first under ``rule`` and why."""
    from . import default_tables

    tables = tables or default_tables()
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    key = sort_key(rule, kind, tables)
    ka, kb = key_symbols(key(a)), key_symbols(key(b))  # one symbol a character: simpler to walk
    if ka > kb:
        a, b, ka, kb = b, a, kb, ka
    if ka == kb:
        return PairDecision(
            a, b, None, _("they order as equal; a list keeps their given order")
        )
    keep = kind != "person"
    form_a, form_b = ordering_form(a, keep_spaces=keep), ordering_form(b, keep_spaces=keep)
    ta, tb = _tokens(form_a, ka), _tokens(form_b, kb)
    # The readings that ordered them, by character offset in each form.
    if rule != "pinyin":
        special_a = special_b = {}
    elif kind == "person":
        special_a, special_b = surname_positions(form_a, tables), surname_positions(form_b, tables)
    else:
        special_a, special_b = context_readings(form_a, tables), context_readings(form_b, tables)
    position = offset_a = offset_b = 0
    for (ca, pa), (cb, pb) in zip(ta, tb):
        if ca:
            position += 1
        here_a, here_b = offset_a, offset_b
        offset_a, offset_b = offset_a + len(ca), offset_b + len(cb)
        if pa == pb:
            continue
        if pa == BLANK:
            return PairDecision(a, b, position + 1, _(
                "{a} is a two-character name: under 姓氏笔画 a blank stands after the "
                "surname and sorts before every character, so it precedes {b}"
            ).format(a=a, b=b))
        ka_class, kb_class = _class_name(pa), _class_name(pb)
        if ka_class != kb_class:
            return PairDecision(a, b, position, _(
                "{a}: {class_a} sorts before {class_b} {b}"
            ).format(a=ca, class_a=_class_words(ka_class), class_b=_class_words(kb_class), b=cb))
        if ka_class == "a number":
            return PairDecision(
                a, b, position, _("the number {a} is smaller than {b}").format(a=ca, b=cb)
            )
        if ka_class == "a Chinese character":
            readings = (
                special_a.get(here_a) or tables.reading_of(ca),
                special_b.get(here_b) or tables.reading_of(cb),
            )
            return PairDecision(a, b, position, _why_han(ca, cb, rule, tables, readings))
        return PairDecision(a, b, position, _("{a} sorts before {b}").format(a=ca, b=cb))
    return PairDecision(
        a, b, position + 1, _("{a} is shorter: it ends where {b} goes on").format(a=a, b=b)
    )
