"""The roll's text layout read back: as ``honours export -f txt`` writes it and as
published rolls print it (the seed from 光荣榜 on).

The document is read by the one reader of pasted text
(:mod:`honours.readers.pasted`): headings become the category tree (unnumbered:
an award; 一、 → （一） → 1. → （1） → ① below it); （37名，按姓氏笔画排序） gives the
count to check, the measure word and the ordering rule; grid lines give the
entries; a numbered line followed by "■ 提案者：…" is a work with its proposer.
"""

from __future__ import annotations

import io

from ..i18n import _
from .pasted import Section, read_pasted, read_pasted_lines, strip_list_number
from .plan import CategorySpec, ImportPlan, RowSpec
from .stream import TextStream


def looks_like_roll(text: str) -> bool:
    """Whether a text file is laid out as a roll rather than a plain list of
    names: some heading declares a count or an order, or a work has its
    proposer line."""
    document = read_pasted(text[:20000])
    return any(
        section.heading.count is not None or section.heading.rule is not None
        or section.kind == "work"
        for section in document.headings
    )


def read_roll_text(data, origin: str, encoding: str | None = None) -> ImportPlan:
    """``data``: the file's bytes or a :class:`~honours.readers.stream.TextStream`."""
    text = data if isinstance(data, TextStream) else TextStream(
        io.BytesIO(data), origin, encoding)
    lines = list(text.lines())
    plan = parse_roll(lines, _("roll layout ({encoding})").format(encoding=text.encoding))
    plan.problems += text.damage
    return plan


def parse_roll(text: str | list[str], source: str) -> ImportPlan:
    """``text``: the roll's text, or its lines (cut at ``\\n``)."""
    label = _("line {number}")
    document = read_pasted(text, label=label) if isinstance(text, str) else read_pasted_lines(
        text, label=label)
    plan = ImportPlan(source=source, doubts=document.doubts, skipped=document.skipped)
    if document.title:
        plan.settings["title"] = document.title
    for section in document.sections:
        if section.heading is None:
            for entry in section.entries:
                plan.problems.append(
                    _("{where}: entries before any heading: {text!r}").format(
                        where=entry.where, text=entry.name
                    )
                )
            continue
        if section.parent is None:
            _emit(section, plan)
    if not document.headings:
        plan.problems.append(_("no headings found: this does not look like a roll"))
    return plan


def _kind(section: Section) -> str:
    if section.heading and section.heading.kind:
        return section.heading.kind
    if section.children and not section.entries:
        return "person"  # a group without a count: the default kind of a category
    return section.kind


def _emit(section: Section, plan: ImportPlan) -> int:
    """Add the section, its entries and its subsections to the plan; returns the
    number of entries found below it, to check against its printed count."""
    kind = _kind(section)
    heading = section.heading
    assert heading is not None
    plan.categories.append(
        CategorySpec(
            path=section.path,
            origin=section.where,
            kind=kind,
            sort=section.rule or "manual",
            measure=section.measure,
            columns=section.columns if section.entries and kind != "work" else None,
            expected_count=section.count,
        )
    )
    for entry in section.entries:
        name = strip_list_number(entry.name)[1] if kind == "work" else entry.name
        plan.rows.append(
            RowSpec(origin=entry.where, name=name, category=section.path, proposer=entry.proposer,
                    affiliation=entry.affiliation)
        )
    found = len(section.entries) + sum(_emit(child, plan) for child in section.children)
    if section.count is not None and section.count != found:
        plan.problems.append(
            _(
                "{where}: {title} says {count}{measure} "
                "but {found} entries were found below it"
            ).format(
                where=section.where, title=section.title, count=heading.count,
                measure=section.measure, found=found,
            )
        )
    return found
