"""What a name is: its display form, the text that is ordered, and what is refused.

Spacing inside a Chinese name is layout (马 罡 is 马罡), annotations such as
（女） and separator dots (买买提·艾力) are kept for display but ignored for
ordering (collation.md section 1).
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import HonoursError
from ..i18n import _

#: Separator dots used in transcribed names; kept for display, ignored for ordering.
SEPARATOR_DOTS = "\u00b7\u30fb\u2022\u2027\uff65\u2219\u22c5"
#: A parenthesised annotation, half- or full-width: 王伟(女), 李明（大）.
_ANNOTATION = re.compile(r"\s*[(（][^()（）]*[)）]")
_WHITESPACE_RUN = re.compile(r"\s+")
_HAN_GAP = None  # built lazily: whitespace between two Han characters

#: Characters refused anywhere in a name: controls, format characters (bidi
#: overrides, zero-width joiners, BOM), surrogates, line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}

#: Longest accepted entry, in characters, by what it is.
MAX_NAME_LENGTH = 100
MAX_TITLE_LENGTH = 300

# Blocks of Han ideographs (URO, extensions A-I, compatibility ideographs, 〇).
HAN_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EE5F),
    (0x2F800, 0x2FA1F),
    (0x30000, 0x323AF),
)


def is_han(char: str) -> bool:
    """True for a Han ideograph (any CJK block, compatibility ideographs, 〇)."""
    code = ord(char)
    return any(low <= code <= high for low, high in HAN_RANGES)


class InvalidName(HonoursError, ValueError):
    """An entry that cannot be stored; the message says why, in plain words."""


def _han_class() -> str:
    return "".join(
        f"{chr(low)}-{chr(high)}" if low != high else chr(low) for low, high in HAN_RANGES
    )


def _han_gap() -> re.Pattern[str]:
    global _HAN_GAP
    if _HAN_GAP is None:
        han = _han_class()
        # Whitespace with Han (or a closing annotation) on both sides is padding.
        _HAN_GAP = re.compile(rf"(?<=[{han}])\s+(?=[{han}])")
    return _HAN_GAP


def display_form(text: str) -> str:
    """The stored and printed form of an entry.

    NFC; leading and trailing whitespace removed; whitespace (ASCII or the
    full-width U+3000) between two Han characters removed, since it is padding;
    any other run of whitespace becomes one space (so "John  Smith" keeps one).
    """
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return text
    text = _han_gap().sub("", text)
    return _WHITESPACE_RUN.sub(" ", text)


def ordering_form(text: str, *, keep_spaces: bool = False) -> str:
    """The part of an entry that decides its place.

    Annotations in parentheses and separator dots are dropped; for names all
    whitespace goes too, for units and titles (``keep_spaces``) a space is kept
    as a symbol, which sorts before digits, letters and Han.
    """
    text = display_form(text)
    if "(" in text or "（" in text:
        stripped = _ANNOTATION.sub("", text).strip()
        text = stripped or text  # an entry that is only an annotation orders by itself
    for dot in SEPARATOR_DOTS:
        if dot in text:
            text = text.replace(dot, "")
    if keep_spaces:
        return text
    return "".join(text.split())


def _what(what: str) -> str:
    """The kind of entry in words, for messages."""
    words = {
        "name": _("name"),
        "title": _("title of the work"),
        "affiliation": _("affiliation"),
        "note": _("note"),
        "proposer": _("proposer"),
        "certificate": _("certificate number"),
    }
    return words.get(what, what)


#: Characters that are letters or symbols to Unicode but print as nothing: the
#: Hangul fillers and the blank Braille pattern.
BLANK_LOOKING = "\u115f\u1160\u3164\uffa0\u2800"


def is_noncharacter(char: str) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF,
    U+1FFFE …): never text, and they break Office files."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def prints_something(text: str) -> bool:
    """Whether some character of ``text`` is visible: a letter, digit, symbol or
    punctuation mark that is not a blank look-alike (variation selectors and
    combining marks alone print nothing)."""
    return any(
        unicodedata.category(char)[0] in "LNSP" and char not in BLANK_LOOKING for char in text
    )


def validate_entry(raw: str, *, max_length: int = MAX_NAME_LENGTH, what: str = "name") -> str:
    """Return the display form of ``raw`` or raise :class:`InvalidName` saying why."""
    for char in raw:
        category = unicodedata.category(char)
        if (category in _REFUSED_CATEGORIES and char not in "\t\n\r") or is_noncharacter(char):
            raise InvalidName(
                _(
                    "the {what} {text!r} contains the invisible or control character "
                    "U+{code:04X} ({character}); retype it"
                ).format(
                    what=_what(what), text=raw, code=ord(char),
                    character=unicodedata.name(
                        char, "noncharacter" if is_noncharacter(char) else "unnamed"),
                )
            )
    if any(char in "\n\r" for char in raw.strip()):
        raise InvalidName(
            _("the {what} {text!r} spans several lines; give one entry per line").format(
                what=_what(what), text=raw
            )
        )
    text = display_form(raw)
    if not text:
        raise InvalidName(_("an empty {what} cannot be added").format(what=_what(what)))
    if not prints_something(text):
        raise InvalidName(
            _(
                "the {what} {text!r} prints as nothing (only blank, filler or combining "
                "characters: {codes}); retype it"
            ).format(
                what=_what(what), text=text,
                codes=" ".join(f"U+{ord(char):04X}" for char in text[:8]),
            )
        )
    if len(text) > max_length:
        raise InvalidName(
            _(
                "the {what} {text}… is {length} characters long; at most {limit} are accepted"
            ).format(what=_what(what), text=text[:20], length=len(text), limit=max_length)
        )
    return text
