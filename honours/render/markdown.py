"""The roll as Markdown (GitHub-flavoured): ``# 光荣榜``, headings by depth,
name grids as pipe tables, works as an ordered list with the proposer line.

Grid tables have an empty header row.  GFM requires a header row, and
promoting the first row of names to it would print those names bold and
centred, as if they were column titles rather than winners like the rest;
an empty header costs one thin blank row on GitHub and keeps every name alike.

Names come from clerks and imports, so every piece of text is escaped: the
characters that Markdown (and GitHub's extensions: tables, strikethrough, math)
would read as markup get a backslash, and so does anything at the start of a
line that would begin a list, quote or heading.
"""

from __future__ import annotations

import re

from .text import assemble, grid_rows, work_proposer_line
from .view import ExportOptions, RollView, Section

# \ ` * _ [ ] emphasis, code and links; < > HTML and autolinks; | table cells;
# # headings (also a closing run of #); ~ strikethrough; & entities; $ math on GitHub.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])")
# At the start of a line: a bullet (- +), a setext underline (=), an ordered item (1. 1)).
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")
_BREAKS = re.compile(r"[\t\r\n\v\f\x85\u2028\u2029]+")


def escape(text: str, line_start: bool = True) -> str:
    """``text`` as literal Markdown, on one line.  ``line_start``: the text
    begins a line (a paragraph, a list item's content), where a leading "-" or
    "1." would start a list; headings and table cells cannot, so they are left
    more readable."""
    # No line breaks or tabs inside a heading or cell; U+3000 padding is kept.
    text = _BREAKS.sub(" ", text)
    text = _SPECIAL.sub(r"\\\1", text)
    # "1. foo" must stay text: escape the dot, not the digits ("1\. foo").
    match = _LINE_START.match(text) if line_start else None
    if match:
        start = match.end()
        if match.group(2)[0].isdigit():
            text = text[:start] + "\\" + text[start:]
        else:
            text = text[: match.start(2)] + "\\" + text[match.start(2):]
    return text


def _table(section: Section, options: ExportOptions) -> list[str]:
    rows = grid_rows(section, options.padding, options.with_affiliation)
    columns = len(rows[0])
    lines = ["|" + "   |" * columns, "|" + " --- |" * columns]
    for row in rows:
        lines.append("| " + " | ".join(escape(name, line_start=False) for name in row) + " |")
    return lines


def _works(section: Section, options: ExportOptions) -> list[str]:
    """A loose ordered list: the proposer line is a second paragraph of the
    item, indented to the item's content so every CommonMark renderer (and
    Python-Markdown, which wants four spaces) keeps it inside the item."""
    lines: list[str] = []
    for entry in section.entries:
        marker = f"{entry.position}. "
        lines += [marker + escape(entry.name), ""]
        if entry.proposer:
            indent = " " * max(4, len(marker))
            lines += [indent + escape(work_proposer_line(section, entry, options)), ""]
    return lines


def _section(section: Section, options: ExportOptions) -> list[str]:
    hashes = "#" * min(section.depth + 2, 6)  # "#" is the roll's title
    lines = [f"{hashes} {escape(section.heading, line_start=False)}", ""]
    if section.description:
        lines += [escape(section.description), ""]
    if section.kind == "work":
        lines += _works(section, options)
    elif section.entries:
        lines += _table(section, options)
        lines.append("")
    for child in section.children:
        lines += _section(child, options)
    return lines


def render_markdown(view: RollView, padding: str = " ", with_affiliation: bool = False) -> str:
    title = view.printed_title
    heading = [f"# {escape(title, line_start=False)}", ""] if title else []
    options = ExportOptions(padding=padding, with_affiliation=with_affiliation)
    return assemble(heading, view, lambda section: _section(section, options))


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    return render_markdown(view, options.padding, options.with_affiliation).encode("utf-8")
