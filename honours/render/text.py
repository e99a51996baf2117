"""The roll as plain text, laid out as Chinese offices publish it (rolls.md):
headings numbered by depth, counts with measure words, name grids with tabs
between columns, works as a numbered title and a proposer line."""

from __future__ import annotations

import re

from rich.cells import cell_len

from ..certificates.fit import WIDOW, Line, is_widow, wrap
from .view import PADDINGS, ExportOptions, RollView, Section, pad_name

#: Text of CJK unified ideographs only (most names): two cells a character.
ALL_WIDE = re.compile("[\u4e00-\u9fff]+")

#: The marker before a work's proposer line, with the default label.
PROPOSER_MARK = "■ 提案者："


def line_cells(text: str) -> int:
    """The display width of one line of text in terminal cells, as rich's
    ``cell_len`` measures it, at once for the common texts: printable ASCII (one
    cell a character) and Chinese characters only (two)."""
    if text.isascii() and text.isprintable():
        return len(text)
    if ALL_WIDE.fullmatch(text):
        return 2 * len(text)
    return cell_len(text)


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` display cells by Chinese
    rules (certificates/fit.py: no line starts with closing punctuation or ends
    with an opening one, a Latin word is kept whole); a word wider than a line
    is folded where the line is full.  Every character is kept; a line break in
    the text starts a new line."""
    width = max(2, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if line_cells(paragraph) <= width:
            lines.append(paragraph)
            continue
        wrapped = _unwidowed(paragraph, width)
        if wrapped is not None:
            lines += wrapped
            continue
        line, used = "", 0
        for character in paragraph:  # a word longer than the line: folded
            size = line_cells(character)
            if line and used + size > width:
                lines.append(line)
                line, used = "", 0
            line += character
            used += size
        lines.append(line)
    return lines


def _unwidowed(paragraph: str, width: int) -> list[str] | None:
    """The paragraph wrapped at ``width`` cells, or a little narrower when that
    pulls a last line of one or two characters (a widow: 建 / 议) back into
    company without adding a line; None when a word is wider than a line."""
    def lines_at(cells: int) -> list[str] | None:
        wrapped = wrap(paragraph, 1.0, cells, 0.0, lambda part, _size: line_cells(part))
        return None if wrapped is None else [line.text for line in wrapped]

    lines = lines_at(width)
    if lines is None or not is_widow([Line(line, 0.0, 0.0) for line in lines]):
        return lines
    for narrower in range(width - 1, max(1, width - 4 * WIDOW) - 1, -1):
        tried = lines_at(narrower)
        if tried is None or len(tried) > len(lines):
            break
        if not is_widow([Line(line, 0.0, 0.0) for line in tried]):
            return tried
    return lines


#: Export formats whose grids are printed in a CJK font, where U+3000 (one
#: character wide) lines a two-character name up with three-character ones.
IDEOGRAPHIC_FORMATS = ("docx", "pdf", "xlsx", "html")


def default_padding(fmt: str) -> str:
    """The padding of two-character names a format gets unless asked otherwise:
    the one rule for every format (``export --padding`` overrides it)."""
    return PADDINGS["ideographic" if fmt in IDEOGRAPHIC_FORMATS else "space"]


def display_name(name: str, padding: str, affiliation: str = "") -> str:
    """马 罡, or 马 罡（数学组） when the affiliation is printed."""
    shown = pad_name(name, padding)
    return f"{shown}（{affiliation}）" if affiliation else shown


def grid_names(section: Section, padding: str = " ", with_affiliation: bool = False
               ) -> list[str]:
    return [
        display_name(entry.name, padding, entry.affiliation if with_affiliation else "")
        for entry in section.entries
    ]


def grid_rows(section: Section, padding: str = " ", with_affiliation: bool = False,
              columns: int | None = None) -> list[list[str]]:
    """The section's names in rows of its column count (or ``columns``); the
    last row is filled with empty cells, as a Word table pasted as text is."""
    names = grid_names(section, padding, with_affiliation)
    columns = max(1, columns or section.columns)
    rows = [names[start : start + columns] for start in range(0, len(names), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1] += [""] * (columns - len(rows[-1]))
    return rows


def proposer_line(proposer: str, padding: str = " ", label: str = "提案者",
                  affiliation: str = "") -> str:
    """■ 提案者：马 罡 — the label is the category's (提案者, 作者, 申报单位 …)."""
    return f"■ {label or '提案者'}：" + display_name(proposer, padding, affiliation)


def work_proposer_line(section: Section, entry, options: ExportOptions) -> str:
    return proposer_line(
        entry.proposer, options.padding, section.author_label,
        entry.affiliation if options.with_affiliation else "",
    )


def section_lines(section: Section, options: ExportOptions | None = None) -> list[str]:
    """Lines of one section and its subsections, blank lines between blocks."""
    options = options or ExportOptions()
    lines = [section.heading, ""]
    if section.description:
        lines += [section.description, ""]
    if section.kind == "work":
        for entry in section.entries:
            lines += [f"{entry.position}. {entry.name}", ""]
            if entry.proposer:
                lines += [work_proposer_line(section, entry, options), ""]
    elif section.entries:
        rows = grid_rows(section, options.padding, options.with_affiliation)
        lines += ["\t".join(row) for row in rows]
        lines.append("")
    for child in section.children:
        lines += section_lines(child, options)
    return lines


def assemble(title_lines: list[str], view: RollView, section_lines_of) -> str:
    """A text document: the title lines, then each top-level section's lines,
    without trailing blank lines (shared by the txt and Markdown writers)."""
    lines = list(title_lines)
    for section in view.sections:
        lines += section_lines_of(section)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def render_text(view: RollView, padding: str = " ", with_affiliation: bool = False) -> str:
    """The roll as text; ``padding`` goes between the two characters of a
    two-character name (an ASCII space as in most published rosters, or U+3000).
    A subtree is printed without the roll's title."""
    title = [view.printed_title, ""] if view.printed_title else []
    options = ExportOptions(padding=padding, with_affiliation=with_affiliation)
    return assemble(title, view, lambda section: section_lines(section, options))


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    return render_text(view, options.padding, options.with_affiliation).encode("utf-8")
