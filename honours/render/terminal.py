"""The roll in the terminal with rich: the text layout, with grids aligned by
display width (rich measures East Asian wide characters)."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .text import grid_rows, proposer_line
from .view import RollView, Section


def _grid(section: Section, padding: str) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 3, 0, 0))
    for _ in range(max(1, section.columns)):
        table.add_column(no_wrap=True)
    for row in grid_rows(section, padding):
        table.add_row(*(escape(cell) for cell in row))
    return table


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
