"""What a reader of names kept in doubt and what it skipped, worded for the clerk.

Every command that reads names from text or a document (``check``, ``sort``,
``add -`` and its prompt, ``import``) reports through here, on standard error (so
that ``sort``'s output stays the sorted list): each doubt
(:class:`~honours.readers.doubts.Doubt`) as a warning with its line and entry,
then one line counting what was read and is not a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..i18n import _, ngettext
from .common import note, warn

#: Doubts printed one by one; the rest are counted in one line.
SHOWN_DOUBTS = 50


def reading_help() -> str:
    """The paragraph of ``--help`` that says how doubts and skips are reported."""
    return "\n\n" + _(
        "Every cell of a row of names is read as a name: one that looks unlike a name "
        "(青格勒吉日格乐, 王　小　明, a single character) is kept and warned about with its "
        "line; what is read and is not a name (headings, notes, 序号 numbers, empty cells) "
        "is counted, on standard error."
    )


def where_words(where: str, place: int) -> str:
    """Where an entry was read: line 12, or "line 12, entry 3" in a line of several."""
    if place:
        return _("{where}, entry {place}").format(where=where, place=place)
    return where


def doubt_words(doubt) -> str:
    """One doubt as a warning: where, the name, why, what to check."""
    from ..readers import doubts

    template = {
        doubts.LONG: _(
            "{where}: {name} ({length} characters) read as one name; check it is not two "
            "names or a unit"),
        doubts.SINGLE: _(
            "{where}: {name} (one character) read as a name; check that no character is "
            "missing"),
        doubts.MIXED: _(
            "{where}: {name} mixes Chinese characters and Latin letters; check it is one name"),
        doubts.LETTER_SPACED: _(
            "{where}: {name} read as one name from three spaced characters; check it is not "
            "two names"),
        doubts.SPACED_RUN: _(
            "{where}: {name} read from a run of single spaced characters (in twos, three at "
            "the end); check where each name ends"),
    }[doubt.reason]
    return template.format(
        where=where_words(doubt.where, doubt.place), name=doubt.name, length=doubt.length)


def skipped_words(skipped: Counter) -> str:
    """What was read and is not a name, in one line; "" when nothing was."""
    kinds = (
        ("heading", lambda n: ngettext("{count} heading", "{count} headings", n)),
        ("title", lambda n: ngettext("{count} title line", "{count} title lines", n)),
        ("note", lambda n: ngettext("{count} note", "{count} notes", n)),
        ("aside", lambda n: ngettext("{count} date or remark", "{count} dates or remarks", n)),
        ("proposer", lambda n: ngettext("{count} proposer line", "{count} proposer lines", n)),
        ("header", lambda n: ngettext("{count} header row", "{count} header rows", n)),
        ("filler", lambda n: ngettext(
            "{count} number or dash cell", "{count} number or dash cells", n)),
        ("empty", lambda n: ngettext("{count} empty cell", "{count} empty cells", n)),
        ("blank", lambda n: ngettext("{count} blank row", "{count} blank rows", n)),
        ("description", lambda n: ngettext(
            "{count} part of a sentence about a name", "{count} parts of sentences about names",
            n)),
    )
    parts = [words(skipped[kind]).format(count=skipped[kind])
             for kind, words in kinds if skipped.get(kind)]
    if not parts:
        return ""
    return _("read and skipped (not names): {parts}").format(parts=_(", ").join(parts))


def report_reading(doubts: Iterable, skipped: Counter) -> None:
    """Warn about each doubt (the first :data:`SHOWN_DOUBTS`), then count the skips."""
    doubts = list(doubts)
    for doubt in doubts[:SHOWN_DOUBTS]:
        warn(doubt_words(doubt))
    rest = len(doubts) - SHOWN_DOUBTS
    if rest > 0:
        warn(ngettext("{count} more name in doubt", "{count} more names in doubt", rest).format(
            count=rest))
    line = skipped_words(skipped)
    if line:
        note(line)


def report_documents(documents: Iterable) -> None:
    """:func:`report_reading` of documents read together (the sheets of a workbook)."""
    doubts: list = []
    skipped: Counter = Counter()
    for document in documents:
        doubts += document.doubts
        skipped.update(document.skipped)
    report_reading(doubts, skipped)
