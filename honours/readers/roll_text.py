"""The roll's text layout read back: as ``honours export -f txt`` writes it and as
published rolls print it (the seed from 光荣榜 on).

Headings become the category tree (unnumbered: an award; 一、 then 1. then
（1） then ① below it); （37名，按姓氏笔画排序） gives the count to check, the
measure word and the ordering rule; grid lines give the entries; a numbered
line followed by "■ 提案者：…" is a work with its proposer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..collation import RULE_LABELS, display_form
from ..i18n import _
from .encoding import decode
from .plan import CategorySpec, ImportPlan, RowSpec
from .text_reader import split_entries

_NUMBER = r"(?P<number>[一二三四五六七八九十百]+、|\d+[.．]\s*|[(（]\d+[)）]|[①-⑳])"
_SUFFIX = (
    r"[(（]\s*(?P<count>\d+)\s*(?P<measure>[名家件个项人篇部])"
    r"(?:\s*[,，]\s*(?P<rule>" + "|".join(label for label in RULE_LABELS.values() if label)
    + r"))?\s*[)）]"
)
_HEADING = re.compile(rf"^{_NUMBER}?(?P<title>.+?)\s*(?:{_SUFFIX})?$")
_PROPOSER = re.compile(r"^\s*■?\s*(?:提案者|提案人|申报人)\s*[:：]\s*(?P<who>.+?)\s*$")
_RULE_BY_LABEL = {label: rule for rule, label in RULE_LABELS.items() if label}
_KIND_BY_MEASURE = {"名": "person", "人": "person", "家": "unit", "个": "unit",
                    "件": "work", "篇": "work", "项": "work", "部": "work"}


def _depth(number: str | None) -> int:
    if not number:
        return 0
    if number.endswith("、"):
        return 1
    if number[0] in "(（":
        return 3
    if number[0].isdigit():
        return 2
    return 4


@dataclass
class _Section:
    title: str
    depth: int
    line: int
    count: int | None
    measure: str | None
    rule: str | None
    parent: _Section | None = None
    children: list[_Section] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)
    works: list[tuple[int, str, str]] = field(default_factory=list)  # (line, title, proposer)

    @property
    def path(self) -> tuple[str, ...]:
        return (self.parent.path if self.parent else ()) + (self.title,)


def looks_like_roll(text: str) -> bool:
    """Whether a text file is laid out as a roll rather than a plain list of names."""
    head = text[:20000]
    return bool(
        re.search(r"^\s*■?\s*提案者\s*[:：]", head, re.M)
        or re.search(rf"^{_NUMBER}?.+{_SUFFIX}\s*$", head, re.M)
        or re.search(r"^\s*[一二三四五六七八九十]+、\S", head, re.M)
    )


def read_roll_text(data: bytes, origin: str) -> ImportPlan:
    text, encoding = decode(data, origin)
    return parse_roll(text, _("roll layout ({encoding})").format(encoding=encoding))


def parse_roll(text: str, source: str) -> ImportPlan:
    # Trailing tabs stay: they mark a grid row with empty cells ("体育界别\t\t").
    lines = [(number, line.rstrip(" \r\u3000"))
             for number, line in enumerate(text.splitlines(), start=1)]
    content = [(number, line) for number, line in lines if line.strip()]
    plan = ImportPlan(source=source)
    sections: list[_Section] = []
    stack: list[_Section] = []
    title_seen = False
    index = 0
    while index < len(content):
        number, line = content[index]
        following = content[index + 1][1] if index + 1 < len(content) else ""
        proposer = _PROPOSER.match(following)
        match = _HEADING.match(line.strip()) if "\t" not in line.strip() else None
        is_numbered = bool(match and match.group("number"))
        has_suffix = bool(match and match.group("count"))
        current = stack[-1] if stack else None
        if proposer and is_numbered:
            # A work: "1. title" then "■ 提案者：…".
            if current is None:
                plan.problems.append(
                    _("line {number}: a work before any heading").format(number=number)
                )
            else:
                current.works.append((number, match.group("title"), proposer.group("who")))
            index += 2
            continue
        if _PROPOSER.match(line):
            plan.problems.append(
                _("line {number}: a proposer line without a work title above it").format(
                    number=number
                )
            )
            index += 1
            continue
        heading_below = _next_is_heading(content, index + 1)
        if match and (is_numbered or has_suffix or heading_below):
            depth = _depth(match.group("number"))
            if not title_seen and not sections and depth == 0 and not has_suffix:
                next_match = _HEADING.match(following.strip()) if following else None
                if next_match and not next_match.group("number"):
                    plan.settings["title"] = match.group("title")  # 光荣榜
                    title_seen = True
                    index += 1
                    continue
            while stack and stack[-1].depth >= depth:
                stack.pop()
            section = _Section(
                title=display_form(match.group("title")),
                depth=depth,
                line=number,
                count=int(match.group("count")) if match.group("count") else None,
                measure=match.group("measure"),
                rule=_RULE_BY_LABEL.get(match.group("rule") or ""),
                parent=stack[-1] if stack else None,
            )
            (section.parent.children if section.parent else sections).append(section)
            stack.append(section)
            index += 1
            continue
        if current is None:
            plan.problems.append(
                _("line {number}: entries before any heading: {text!r}").format(
                    number=number, text=line.strip()
                )
            )
        else:
            current.rows.append((number, line.split("\t") if "\t" in line else [line]))
        index += 1
    for section in sections:
        _emit(section, plan)
    if not sections:
        plan.problems.append(_("no headings found: this does not look like a roll"))
    return plan


_FIRST_NUMBERS = ("一、", "1.", "1．", "(1)", "（1）", "①")


def _next_is_heading(content: list[tuple[int, str]], index: int) -> bool:
    """Whether the line at ``index`` opens a group: a heading numbered first
    (一、 1. （1） ①) or an unnumbered heading with a count.  Then the line
    before it, unnumbered and without a count, is a heading too; before "二、"
    it is the last row of a grid."""
    if index >= len(content):
        return False
    line = content[index][1].strip()
    match = _HEADING.match(line) if "\t" not in line else None
    if not match:
        return False
    following = content[index + 1][1] if index + 1 < len(content) else ""
    number = (match.group("number") or "").replace(" ", "")
    if number and _PROPOSER.match(following):
        return False  # a work, not a heading
    if number:
        return number in _FIRST_NUMBERS
    return bool(match.group("count"))


def _kind(section: _Section) -> str:
    if section.works:
        return "work"
    if section.measure:
        return _KIND_BY_MEASURE[section.measure]
    if section.children:
        return "person"  # a group without a count: the default kind of a category
    cells = [cell.strip() for _, row in section.rows for cell in row if cell.strip()]
    long_names = sum(len(display_form(cell)) > 4 for cell in cells)
    return "unit" if cells and long_names * 2 > len(cells) else "person"


def _emit(section: _Section, plan: ImportPlan) -> int:
    """Add the section, its entries and its subsections to the plan; returns the
    number of entries found below it, to check against its printed count."""
    kind = _kind(section)
    spec = CategorySpec(
        path=section.path,
        origin=_("line {number}").format(number=section.line),
        kind=kind,
        sort=section.rule or "manual",
        measure=section.measure,
        columns=max((len(row) for _, row in section.rows), default=None) if section.rows
        else None,
        expected_count=section.count,
    )
    plan.categories.append(spec)
    found = 0
    for line, title, proposer in section.works:
        plan.rows.append(RowSpec(origin=_("line {number}").format(number=line), name=title,
                                 category=section.path, proposer=proposer))
        found += 1
    for line, cells in section.rows:
        if len(cells) == 1:
            entries = split_entries(cells[0], units=kind != "person")
        else:
            entries = [cell.strip() for cell in cells if cell.strip()]
        for entry in entries:
            plan.rows.append(
                RowSpec(
                    origin=_("line {number}").format(number=line), name=entry,
                    category=section.path,
                )
            )
            found += 1
    for child in section.children:
        found += _emit(child, plan)
    if section.count is not None and section.count != found:
        plan.problems.append(
            _(
                "line {number}: {title} says {count}{measure} "
                "but {found} entries were found below it"
            ).format(
                number=section.line, title=section.title, count=section.count,
                measure=section.measure, found=found,
            )
        )
    return found
