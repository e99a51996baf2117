"""A name grid that keeps its columns when a name is long (rolls.md): the cell
width suits the section's ordinary names, and a name wider than one cell spans
as many cells of its row as it needs (the next name moves on), rather than the
whole grid dropping to fewer columns for one name.

Pure layout, in whatever unit the caller measures in (terminal cells, xlsx
column units, millimetres): every format that prints a grid lays it out here —
the terminal, the xlsx 光荣榜 sheet and the HTML page with :func:`layout`, the
PDF and DOCX (whose column count is the published one) with
:func:`fixed_columns`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: The share of a section's names that must fit one cell: the cell is made as
#: wide as the name at this rank by width (the longest few then span cells).
ORDINARY = 0.9


@dataclass(frozen=True)
class Placed:
    """A name in a grid row: from cell ``column`` over ``span`` cells."""

    name: str
    column: int
    span: int


@dataclass(frozen=True)
class GridLayout:
    """How a grid is laid out: its column count, the width of one cell, and its
    rows as (name, span) pairs (spans of a row add up to at most ``columns``)."""

    columns: int
    cell: float
    rows: list[list[tuple[str, int]]]

    @property
    def spans(self) -> bool:
        """Whether any name spans more than one cell."""
        return any(span > 1 for row in self.rows for _, span in row)

    def width(self, span: int, gap: float) -> float:
        """The width of ``span`` cells and the gaps between them."""
        return span * self.cell + (span - 1) * gap

    def placed(self) -> list[list[Placed]]:
        """The rows with each name's first cell."""
        result = []
        for row in self.rows:
            line, at = [], 0
            for name, span in row:
                line.append(Placed(name, at, span))
                at += span
            result.append(line)
        return result


def _ordinary(widths: Sequence[float]) -> float:
    ranked = sorted(widths)
    return ranked[int(ORDINARY * (len(ranked) - 1))] if ranked else 0.0


def layout(names: Sequence[str], wanted: int, available: float,
           width_of: Callable[[str], float], gap: float, cell: float | None = None
           ) -> GridLayout:
    """The grid of ``names`` in ``wanted`` columns across ``available``
    (``gap`` between cells).  Fewer columns only when not even the section's
    ordinary names (:data:`ORDINARY`) fit that many; the cell is as wide as
    the widest name that fits it (or ``cell``, fixed by the caller: a sheet's
    column width); a wider name spans cells, and one wider than the whole row
    takes the row (the caller wraps it)."""
    widths = [width_of(name) for name in names]
    columns = max(1, wanted)
    if cell is None:
        ordinary = _ordinary(widths)
        while columns > 1 and (available - gap * (columns - 1)) / columns < ordinary:
            columns -= 1
        limit = max(1.0, (available - gap * (columns - 1)) / columns)
        cell = max((width for width in widths if width <= limit), default=limit)
        cell = cell if cell > 0 else limit
    rows: list[list[tuple[str, int]]] = []
    row: list[tuple[str, int]] = []
    used = 0
    for name, width in zip(names, widths):
        span = 1
        while span < columns and span * cell + (span - 1) * gap < width:
            span += 1
        if used + span > columns:
            rows.append(row)
            row, used = [], 0
        row.append((name, span))
        used += span
    if row:
        rows.append(row)
    return GridLayout(columns, cell, rows)


def fixed_columns(names: Sequence[str], columns: int, available: float,
                  width_of: Callable[[str], float], gap: float) -> list[list[Placed]]:
    """The grid at exactly ``columns`` cells of ``available / columns`` each, as
    the PDF and DOCX print it: a name fits ``span`` cells when it leaves ``gap``
    before the next, the gap of the last column shared out over all of them (so
    that the rightmost name may reach the margin)."""
    columns = max(1, columns)
    share = gap * (columns - 1) / columns
    return layout(names, columns, available, lambda name: width_of(name) + share - 1e-9,
                  0.0, cell=available / columns).placed()
