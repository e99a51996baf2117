"""Rows of cells (from CSV or a spreadsheet) to an import plan: find the header
row under any title rows, map its names to fields, read each row."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..i18n import _
from .doubts import Doubt, doubt_of
from .plan import ImportPlan, RowSpec

#: Header names by field, Chinese and English, as clerks and departments write them.
#: The first match wins, so more specific names come first.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "name": ("姓名/名称", "姓名", "名字", "获奖者", "获奖人", "获奖单位", "单位名称", "名称",
             "name", "winner", "recipient"),
    "category": ("类别", "奖项", "表彰类别", "荣誉称号", "获奖类别", "category", "award", "list"),
    "title": ("题目", "提案题目", "标题", "作品名称", "作品", "title", "work"),
    "proposer": ("提案者", "提案人", "申报人", "作者", "proposer", "author"),
    "affiliation": ("单位/职务", "工作单位", "所在单位", "单位", "职务", "部门", "affiliation",
                    "organisation", "organization", "unit", "position title"),
    "note": ("备注", "说明", "note", "notes", "remark", "remarks"),
    "certificate": ("证书编号", "证书号", "certificate", "certificate number"),
    "proposer_kind": ("提案者类型", "提案人类型", "作者类型", "类型", "proposer kind",
                      "proposer_kind"),
}
#: Name columns that hold people's names: their cells are checked for doubts.
PERSON_HEADERS = ("姓名", "名字", "获奖者", "获奖人")
#: Columns recognised and deliberately not imported (the tool computes them).
IGNORED_HEADERS = ("序号", "编号", "kind", "position", "no", "no.", "#")

_SPACES = re.compile(r"[\s\u3000]+")


def _clean_header(cell: object) -> str:
    return _SPACES.sub("", str(cell or "")).strip("*：:").lower()


def field_name(field: str) -> str:
    """What a column is read as, in the interface language."""
    return {
        "name": _("name"), "category": _("category"), "title": _("title of the work"),
        "proposer": _("proposer"), "affiliation": _("affiliation"), "note": _("note"),
        "certificate": _("certificate number"), "proposer_kind": _("proposer kind"),
    }[field]


def map_header(cells: Sequence[object]) -> dict[str, int] | None:
    """Field -> column index, if ``cells`` look like a header row: a column
    named 姓名 (or 名称, 题目, name …).  Other columns are left to
    :func:`other_columns`."""
    headers = [_clean_header(cell) for cell in cells]
    mapping: dict[str, int] = {}
    for field, names in HEADER_NAMES.items():
        # The most specific name wins: 工作单位 over 职务 for the affiliation.
        for name in names:
            name = name.lower()
            index = next(
                (i for i, header in enumerate(headers)
                 if header == name and i not in mapping.values()),
                None,
            )
            if index is not None:
                mapping[field] = index
                break
    if "name" in mapping or "title" in mapping:
        return mapping
    return None


def other_columns(cells: Sequence[object], mapping: dict[str, int]) -> dict[int, str]:
    """Column index -> header of the columns no field takes (性别, 出生年月, a
    second 单位 …), except those the tool computes itself (序号)."""
    taken = set(mapping.values())
    others = {}
    for index, cell in enumerate(cells):
        header = str(cell or "").strip()
        if index in taken or not header or _clean_header(cell) in IGNORED_HEADERS:
            continue
        others[index] = header
    return others


def rows_to_plan(
    rows: Iterable[tuple[str, Sequence[object]]], source: str, unit: str = "row"
) -> ImportPlan:
    """``rows`` are (origin, cells) pairs; title rows above the header are
    skipped, and counted with the header and blank rows in ``plan.skipped``; a
    person's name (under 姓名) that looks unlike one is a doubt in ``plan.doubts``."""
    plan = ImportPlan(source=source)
    mapping: dict[str, int] | None = None
    others: dict[int, str] = {}
    people = False  # the name column holds people's names (姓名)
    for origin, cells in rows:
        if mapping is None:
            mapping = map_header(cells)
            blank = mapping is None and not any(cell_text(cell).strip() for cell in cells)
            plan.skipped["header" if mapping is not None else "blank" if blank else "title"] += 1
            if mapping is not None:
                name_column = mapping.get("name")
                people = name_column is not None and "title" not in mapping and _clean_header(
                    cells[name_column]) in PERSON_HEADERS
                plan.notices.append(_("header at {origin}: {columns}").format(
                    origin=origin, columns=_("; ").join(
                        _("{column} as {field}").format(
                            column=str(cells[i]).strip(), field=field_name(field))
                        for field, i in mapping.items())))
                others = other_columns(cells, mapping)
                if others:
                    plan.notices.append(
                        _("columns kept in each winner's note: {columns}").format(
                            columns="、".join(others.values())
                        )
                    )
            continue
        values = {
            field: cell_text(cells[index]) if index < len(cells) else ""
            for field, index in mapping.items()
        }
        if not any(values.values()):
            plan.skipped["blank"] += 1
            continue  # a blank row
        extra = [
            f"{header}：{cell_text(cells[index])}" for index, header in others.items()
            if index < len(cells) and cell_text(cells[index]).strip()
        ]
        if extra:  # 性别：男；出生年月：1980.01 — never dropped silently
            values["note"] = "；".join(filter(None, [values.get("note", ""), *extra]))
        title = values.get("title", "")
        if title:  # a work: its title is the entry, the name column its proposer
            name, proposer = title, values.get("proposer") or values.get("name", "")
        else:
            name, proposer = values.get("name", ""), values.get("proposer", "")
            found = doubt_of(name) if people else None
            if found is not None:
                plan.doubts.append(Doubt(name, origin, 0, *found))
        plan.rows.append(
            RowSpec(
                origin=origin,
                name=name,
                category=values.get("category") or None,
                proposer=proposer,
                affiliation=values.get("affiliation", ""),
                note=values.get("note", ""),
                certificate=values.get("certificate", ""),
                proposer_kind=values.get("proposer_kind", ""),
            )
        )
    if mapping is None:
        plan.problems.append(
            _(
                "no header row found: the first rows need a column named 姓名 (or name, 名称, "
                "题目 …); known columns are {columns}"
            ).format(columns="、".join(n[0] for n in HEADER_NAMES.values()))
        )
    return plan


def cell_text(cell: object) -> str:
    """A spreadsheet cell as text: 3.0 → "3", None → ""."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)
