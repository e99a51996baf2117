"""The roll as a complete, printable HTML page.

One self-contained file (no scripts, no external style sheets or fonts) that a
clerk can open in any browser and print on A4: the title, headings by depth,
name grids as tables in the section's column count, and works as an ordered
list, each with its proposer line.  Two-character names are padded with
U+3000 by default, as in print, so that they line up with three-character
ones in a Chinese font.  Every piece of text is HTML-escaped, so a
name such as ``<b>`` prints as itself.
"""

from __future__ import annotations

from html import escape

from .grid import layout
from .text import default_padding, grid_names, proposer_line, work_proposer_line
from .view import ExportOptions, RollView, Section

#: The page's text width in mm (A4 less the @page margins) and the body size in pt,
#: to choose how many names fit a row.
TEXT_WIDTH = 170.0
BODY_PT = 16.0
CELL_PADDING = 0.6 * BODY_PT * 25.4 / 72  # 0.3em each side

#: Chinese fonts by platform, the printed-document look first: 仿宋 (Windows),
#: 华文仿宋 (macOS), then Song/Ming faces, Noto/Source Han (Linux), and serif.
BODY_FONTS = (
    '"FangSong", "仿宋", "STFangsong", "华文仿宋", "SimSun", "宋体", "Songti SC", '
    '"Noto Serif CJK SC", "Source Han Serif SC", serif'
)
HEADING_FONTS = (
    '"SimHei", "黑体", "Heiti SC", "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
)

STYLE = f"""
@page {{ size: A4; margin: 25mm 20mm 25mm 20mm; }}
html {{ font-family: {BODY_FONTS}; font-size: 16pt; line-height: 1.75; color: #000; }}
body {{ max-width: 170mm; margin: 0 auto; padding: 1em; background: #fff; }}
h1, h2, h3, h4, h5, h6 {{
  font-family: {HEADING_FONTS}; font-weight: normal; font-size: 16pt;
  margin: 1.2em 0 0.5em; break-after: avoid; page-break-after: avoid;
}}
h1 {{ font-size: 22pt; text-align: center; margin-top: 0; }}
h2 {{ text-align: center; }}
p {{ margin: 0.3em 0; }}
table.grid {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0.3em 0 0.8em; }}
table.grid td {{
  padding: 0.1em 0.3em; vertical-align: top;
  /* padding spaces kept; a name wraps only if it is wider than its column,
     and then never overprints the next one */
  white-space: pre-wrap; word-break: keep-all; overflow-wrap: anywhere;
}}
tr, li {{ break-inside: avoid; page-break-inside: avoid; }}
ol.works {{ padding-left: 2em; }}
ol.works li {{ margin: 0.5em 0; }}
ol.works p.proposer {{ margin: 0.2em 0 0; display: flex; }}
/* a wrapped proposer hangs under its first character, not under the label */
ol.works p.proposer span.label {{ flex: none; }}
@media print {{ body {{ max-width: none; padding: 0; }} }}
"""


def _grid(section: Section, options: ExportOptions) -> list[str]:
    """The names in the section's columns, all of one width (fewer columns only
    when its ordinary names do not fit: :func:`~.grid.layout`); a long name
    spans as many cells as it needs (``colspan``), so one long unit name does
    not take the whole grid down to fewer columns."""
    from ..certificates.docx import estimate_width

    names = grid_names(section, options.padding, options.with_affiliation)

    def width_of(name: str) -> float:
        return estimate_width(name, BODY_PT) + CELL_PADDING

    grid = layout(names, section.columns, TEXT_WIDTH, width_of, 0.0)
    grid = layout(names, grid.columns, TEXT_WIDTH, width_of, 0.0,
                  cell=TEXT_WIDTH / grid.columns)
    share = f"{100 / grid.columns:.4g}%"
    lines = ['<table class="grid">', "<colgroup>"]
    lines += [f'<col style="width: {share}">'] * grid.columns
    lines += ["</colgroup>", "<tbody>"]
    for row in grid.rows:
        cells = "".join(
            f'<td colspan="{span}">{escape(name)}</td>' if span > 1 else f"<td>{escape(name)}</td>"
            for name, span in row)
        cells += "<td></td>" * (grid.columns - sum(span for _, span in row))
        lines.append(f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return lines


def _works(section: Section, options: ExportOptions) -> list[str]:
    lines = ['<ol class="works">']
    for entry in section.entries:
        # value= keeps the printed number even if a list is ever split.
        item = f'<li value="{entry.position}"><p class="title">{escape(entry.name)}</p>'
        if entry.proposer:
            line = work_proposer_line(section, entry, options)
            label = proposer_line("", options.padding, section.author_label)  # ■ 提案者：
            item += (f'<p class="proposer"><span class="label">{escape(label)}</span>'
                     f'<span>{escape(line[len(label):])}</span></p>')
        lines.append(item + "</li>")
    lines.append("</ol>")
    return lines


def _section(section: Section, options: ExportOptions) -> list[str]:
    level = min(section.depth + 2, 6)  # h1 is the roll's title
    lines = [
        f'<section class="depth-{section.depth}">',
        f"<h{level}>{escape(section.heading)}</h{level}>",
    ]
    if section.description:
        lines.append(f'<p class="description">{escape(section.description)}</p>')
    if section.kind == "work":
        if section.entries:
            lines += _works(section, options)
    elif section.entries:
        lines += _grid(section, options)
    for child in section.children:
        lines += _section(child, options)
    lines.append("</section>")
    return lines


def render_html(view: RollView, padding: str = default_padding("html"),
                with_affiliation: bool = False) -> str:
    options = ExportOptions(padding=padding, with_affiliation=with_affiliation)
    # The page title: the roll's, or the category's when only a part is exported.
    title = view.printed_title or (view.sections[0].title if view.sections else "") or "光荣榜"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    if view.printed_title:
        lines.append(f"<h1>{escape(view.printed_title)}</h1>")
    for section in view.sections:
        lines += _section(section, options)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    return render_html(view, options.padding, options.with_affiliation).encode("utf-8")
