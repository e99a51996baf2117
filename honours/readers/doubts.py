"""Names kept but in doubt: what every reader of names warns about.

A reader never leaves out a cell that looks unlike a name: it keeps it as a
name and records a :class:`Doubt` with where it was read, and the command
words it as a warning ("line 3, entry 2: 青格勒吉日格乐 (7 characters) read as
one name …").  A doubt is a long name of Chinese characters only (five or more:
two names run together, or a unit?), a single character, Chinese characters
and Latin letters together, or a name read from single characters spaced out
(王　小　明).  Pure: no I/O, no wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..collation.names import _han_class

LONG = "long"  # Chinese characters only, more than a usual name (five or more)
SINGLE = "single"  # one character
MIXED = "mixed"  # Chinese characters and Latin letters together
LETTER_SPACED = "letter-spaced"  # 王　小　明: three single characters read as one name
SPACED_RUN = "spaced-run"  # five or more single characters: split in pairs, then three
REASONS = (LONG, SINGLE, MIXED, LETTER_SPACED, SPACED_RUN)
#: Names of more Chinese characters than this (and nothing else) are in doubt; a
#: name with a separator dot (阿卜杜热合曼·艾则孜) is as long as it needs to be.
USUAL_NAME_LENGTH = 4


@dataclass(frozen=True)
class Doubt:
    """A name kept as read but unlike a name; ``reason`` is one of :data:`REASONS`."""

    name: str
    where: str  # line 3; table 1, row 2, cell 3; Sheet1!B4
    place: int  # its place among several names of that line or cell; 0 = alone
    reason: str
    length: int  # the name's characters (its Chinese characters for LONG)


@cache
def _han() -> re.Pattern[str]:
    return re.compile(f"[{_han_class()}]")


def doubt_of(name: str) -> tuple[str, int] | None:
    """(reason, length) when a person's name looks unlike one, else None;
    an annotation (（女，蒙古族）) and padding are not counted."""
    core = "".join(name.split())
    if core.endswith((")", "）")):  # 青格勒吉日格乐（女，蒙古族）: the name before the bracket
        opening = min((at for at in (core.find("("), core.find("（")) if at >= 0), default=0)
        core = core[:opening] if opening > 0 else core
    han = len(_han().findall(core))
    if han and any("a" <= char.lower() <= "z" for char in core):
        return MIXED, len(core)
    if han == 1 and len(core) == 1:
        return SINGLE, 1
    if han > USUAL_NAME_LENGTH and han == len(core):
        return LONG, han
    return None


@cache
def plain_doubt_pattern() -> re.Pattern[str]:
    """Lines of plain names (one a line: no space, dot or bracket) of one
    Chinese character or of five or more and nothing else, which
    :func:`doubt_of` doubts (:data:`SINGLE`, :data:`LONG`), found by one search
    over the whole text rather than a look at each name.  It is searched in the
    text after a line end ("\\n" + text), group 1 the line: a pattern that
    starts with a line end is searched for that character first, many times
    faster than trying ``^`` at every position."""
    han = _han_class()
    return re.compile(rf"\n([{han}](?:[{han}]{{{USUAL_NAME_LENGTH},}})?)(?=\n|\Z)")


#: A Latin letter: a plain line that holds one mixes scripts (:data:`MIXED`; every
#: plain line holds a Chinese character).
LATIN = re.compile("[A-Za-z]")
