"""The roll as plain text, laid out as Chinese offices publish it (rolls.md):
headings numbered by depth, counts with measure words, name grids with tabs
between columns, works as a numbered title and a proposer line."""

from __future__ import annotations

from .view import ExportOptions, RollView, Section, pad_name

#: The marker before a work's proposer line.
PROPOSER_MARK = "■ 提案者："


def grid_rows(section: Section, padding: str = " ") -> list[list[str]]:
    """The section's names in rows of its column count; the last row is filled
    with empty cells, as a Word table pasted as text is."""
    names = [pad_name(entry.name, padding) for entry in section.entries]
    columns = max(1, section.columns)
    rows = [names[start : start + columns] for start in range(0, len(names), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1] += [""] * (columns - len(rows[-1]))
    return rows


def proposer_line(proposer: str, padding: str = " ") -> str:
    return PROPOSER_MARK + pad_name(proposer, padding)


def section_lines(section: Section, padding: str = " ") -> list[str]:
    """Lines of one section and its subsections, blank lines between blocks."""
    lines = [section.heading, ""]
    if section.description:
        lines += [section.description, ""]
    if section.kind == "work":
        for entry in section.entries:
            lines += [f"{entry.position}. {entry.name}", ""]
            if entry.proposer:
                lines += [proposer_line(entry.proposer, padding), ""]
    elif section.entries:
        lines += ["\t".join(row) for row in grid_rows(section, padding)]
        lines.append("")
    for child in section.children:
        lines += section_lines(child, padding)
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


def render_text(view: RollView, padding: str = " ") -> str:
    """The roll as text; ``padding`` goes between the two characters of a
    two-character name (an ASCII space as in most published rosters, or U+3000).
    A subtree is printed without the roll's title."""
    title = [view.printed_title, ""] if view.printed_title else []
    return assemble(title, view, lambda section: section_lines(section, padding))


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    return render_text(view, options.padding).encode("utf-8")
