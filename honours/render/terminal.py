"""The roll in the terminal with rich: the text layout, with grids aligned by
display width (rich measures East Asian wide characters)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markup import escape
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from .text import grid_rows, proposer_line
from .view import RollView, Section

#: Spaces between the columns of a grid.
GAP = 3


class _Grid:
    """A section's names in columns, each as wide as its widest name (display
    width: rich's ``cell_len``, CJK counting two).

    Laid out line by line when it fits the terminal: a rich ``Table`` renders
    every cell through its whole layout machinery, which took a minute for a
    100,000-name roll.  A grid wider than the terminal is left to the table,
    which shrinks and crops it."""

    def __init__(self, section: Section, padding: str) -> None:
        self.columns = max(1, section.columns)
        self.rows = grid_rows(section, padding)

    def table(self) -> Table:
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, GAP, 0, 0))
        for _ in range(self.columns):
            table.add_column(no_wrap=True)
        for row in self.rows:
            table.add_row(*(escape(cell) for cell in row))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [0] * self.columns
        for row in self.rows:
            for index, cell in enumerate(row):
                widths[index] = max(widths[index], cell_len(cell))
        if not self.rows or sum(widths) + GAP * (self.columns - 1) > options.max_width:
            yield self.table()
            return
        gap = " " * GAP
        for row in self.rows:
            line = gap.join(set_cell_size(cell, width) for cell, width in zip(row, widths))
            yield Segment(line)
            yield Segment.line()


def _section(section: Section, padding: str) -> list:
    parts: list = [Text(section.heading, style="bold"), Text("")]
    if section.description:
        parts += [Text(section.description, style="dim"), Text("")]
    if section.kind == "work":
        for entry in section.entries:
            parts.append(Text(f"{entry.position}. {entry.name}"))
            if entry.proposer:
                line = proposer_line(entry.proposer, padding, section.author_label)
                parts.append(Padding(Text(line), (0, 0, 0, 3)))
        if section.entries:
            parts.append(Text(""))
    elif section.entries:
        parts += [_Grid(section, padding), Text("")]
    for child in section.children:
        parts += _section(child, padding)
    return parts


def render_terminal(view: RollView, padding: str = " ") -> Group:
    parts: list = []
    if view.printed_title:
        parts += [Text(view.printed_title, style="bold", justify="center"), Text("")]
    for section in view.sections:
        parts += _section(section, padding)
    return Group(*parts)
