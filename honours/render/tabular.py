"""The roll as rows, one per winner: shared by the CSV and spreadsheet exports."""

from __future__ import annotations

from .view import RollView

KIND_LABELS = {"person": "个人", "unit": "单位", "work": "作品"}

#: Column headings of the one-row-per-winner table, Chinese first (for Excel users),
#: with the English field names in ``WINNER_FIELDS``.
WINNER_COLUMNS = ("类别", "序号", "姓名/名称", "类型", "题目", "单位/职务", "备注", "证书编号")
WINNER_FIELDS = (
    "category", "position", "name", "kind", "title", "affiliation", "note", "certificate",
)


def winner_rows(view: RollView) -> list[list[str | int]]:
    """One row per winner in roll order; for a work, name is its proposer and
    title its title."""
    rows: list[list[str | int]] = []
    for section in view.walk():
        for entry in section.entries:
            is_work = section.kind == "work"
            rows.append([
                section.path,
                entry.position,
                entry.proposer if is_work else entry.name,
                KIND_LABELS.get(section.kind, section.kind),
                entry.name if is_work else "",
                entry.affiliation,
                entry.note,
                # a work's joint proposers' numbers, in their order
                entry.certificate or "、".join(filter(None, (entry.certificates or {}).values())),
            ])
    return rows


#: Leading characters that make Excel, WPS and LibreOffice run a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str | int) -> str | int:
    """A text cell that a spreadsheet would run as a formula gets a leading
    single quote, so Excel, WPS and LibreOffice show it as text (CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def unguard(cell: str) -> str:
    """The text :func:`neutralise` guarded, as it was: '-李四 → -李四 (a CSV export
    read back is the same names, not one more quote per round trip)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell
