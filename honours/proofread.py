"""Proof-reading a document: is every list that declares an order in that order?

Pure: a :class:`~honours.readers.pasted.Document` in, a list of
:class:`ListCheck` out; reading the file is the readers' job, printing the
CLI's.  Each section whose heading (or a note under it) declares an order
(按姓氏笔画排序, 按姓名笔画排序, 按姓氏拼音排序 …) is checked by that rule, or by the
rule the clerk gives; sections that declare none are reported as not checked;
every heading that states a count is compared with the entries read under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .collation import check_order
from .readers.pasted import Document, Entry, Section

#: Where the rule a list was checked by came from.
DECLARED, GIVEN, DEFAULT = "declared", "given", "default"


@dataclass
class Misplaced:
    """An entry out of place, where it is and where it belongs (1-based)."""

    entry: Entry
    index: int  # its place in the list as read
    belongs_at: int
    after: str | None
    before: str | None


@dataclass
class ListCheck:
    """What was found about one section of a document."""

    section: Section
    part: str = ""  # the sheet, in a workbook of several
    rule: str | None = None  # the rule checked by; None: not checked
    rule_source: str | None = None  # DECLARED, GIVEN or DEFAULT
    misplaced: list[Misplaced] = field(default_factory=list)

    @property
    def expected(self) -> int | None:
        return self.section.count

    @property
    def found(self) -> int:
        """Entries read in the section and every section below it."""
        return self.section.descendants_count()

    @property
    def count_differs(self) -> bool:
        return self.expected is not None and self.expected != self.found

    @property
    def checked(self) -> bool:
        """Whether the list's order was checked: it has entries and a rule
        other than 排名不分先后."""
        return self.rule not in (None, "manual") and bool(self.section.entries)

    @property
    def ok(self) -> bool:
        return not self.misplaced and not self.count_differs


def proofread(
    parts: list[tuple[str, Document]], by: str | None = None, default: str = "stroke",
) -> list[ListCheck]:
    """Check every section of every part.

    ``by`` overrides each list's declared rule.  A document without headings
    is one plain list, checked by ``by`` or else ``default``.  A list declared
    排名不分先后 is not checked unless ``by`` is given.
    """
    checks: list[ListCheck] = []
    for label, document in parts:
        headed = bool(document.headings)
        for section in document.sections:
            if headed and section.heading is None:
                continue  # text above the first heading: a title page, a report
            check = ListCheck(section=section, part=label)
            if by is not None:
                check.rule, check.rule_source = by, GIVEN
            elif section.rule is not None:
                check.rule, check.rule_source = section.rule, DECLARED
            elif not headed:
                check.rule, check.rule_source = default, DEFAULT
            if check.checked:
                check.misplaced = _misplaced(section, check.rule)
            checks.append(check)
    return checks


def _misplaced(section: Section, rule: str) -> list[Misplaced]:
    entries = section.entries
    names = section.names
    return [
        Misplaced(
            entry=entries[problem.line - 1], index=problem.line, belongs_at=problem.belongs_at,
            after=problem.after, before=problem.before,
        )
        for problem in check_order(names, rule, section.kind)
    ]

