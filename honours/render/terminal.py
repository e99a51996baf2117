"""The roll in the terminal with rich: the text layout, with grids aligned by
display width (rich measures East Asian wide characters)."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .text import grid_rows, proposer_line
from .view import RollView, Section, fitting_columns

#: Spaces between the columns of a name grid.
GAP = 3


class _Grid:
    """A name grid as wide as the terminal allows: the section's columns, or fewer
    when the longest name would not fit (a name is never cut or wrapped inside),
    decided when rich knows the width."""

    def __init__(self, section: Section, padding: str) -> None:
        self.section, self.padding = section, padding

    def __rich_console__(self, console, options):
        from rich.cells import cell_len

        rows = grid_rows(self.section, self.padding)
        names = [cell for row in rows for cell in row if cell]
        columns = fitting_columns(names, self.section.columns, options.max_width, cell_len, GAP)
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, GAP, 0, 0))
        for _ in range(columns):
            table.add_column(no_wrap=True, overflow="fold")
        for row in grid_rows(self.section, self.padding, columns=columns):
            table.add_row(*(escape(cell) for cell in row))
        yield table


def _grid(section: Section, padding: str) -> _Grid:
    return _Grid(section, padding)


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
        parts += [_grid(section, padding), Text("")]
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
