"""The roll and the certificate register as Word documents (.docx, python-docx).

The roll is set as GB/T 9704-2012 sets official documents:

- A4, margins 37 mm top, 35 bottom, 28 left, 26 right: a text block of
  156 × 225 mm holding 22 lines × 28 characters of 三号 (the document grid's
  lines, 28.95 pt, and characters condensed by 0.25 pt: :func:`_standard_grid`);
- the faces of :mod:`honours.certificates.font_roles`, named as Windows names
  them unless the user chose a face: the title 方正小标宋简体 22 pt (二号),
  centred; headings 黑体 (the award's, centred, and the first level 一、), then
  楷体 (the second, 1.), deeper ones 仿宋, all 16 pt; the body 仿宋 16 pt (三号);
- the page number "— 1 —" in 宋体 14 pt (四号), a PAGE field, in an odd-page
  footer at the right and an even-page one at the left, one character in, its
  dashes about 7 mm below the text block.

Fonts are set as ``w:eastAsia`` on the styles' ``w:rFonts`` (python-docx's
``font.name`` sets only the Latin slots, which Word and WPS ignore for Chinese
text), the template's theme-font attributes are removed (they would override
the explicit names), and the document's East Asian language is zh-CN so that
“” and ： take the Chinese font.  Word substitutes a face a PC lacks (方正小标宋简体
is often missing: Word then prints the title in 宋体).

Name grids are borderless tables with no cell padding (a line of cells holds the
grid's 28 characters), at the section's column count: a long name spans as many
cells as it needs.  Works are a numbered title paragraph and a "■ 提案者：…"
paragraph, their wrapped lines hanging under the first character of the text,
kept together on one page; the numbers typed rather than Word list numbering
so that they survive a copy and paste into WPS.

Over 500 lines because the roll and the register are one Word document model:
the page setup, the grid, the footers and the font roles are shared by both.
"""

from __future__ import annotations

import math
import re
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table

from ..certificates.docx import estimate_width
from ..certificates.font_roles import (
    BODY,
    PAGE_NUMBER,
    PAGE_NUMBER_BELOW,
    ROLES,
    SPECS,
    TITLE,
    heading_role,
    resolve_roles,
)
from .grid import fixed_columns
from .text import grid_names, work_proposer_line
from .view import (
    ExportOptions,
    RegisterView,
    RollView,
    Section,
    register_columns,
    register_rows,
)

#: East Asian font names of the roles when no face is chosen (the module docstring).
WORD_FAMILIES = {role: SPECS[role].word_family for role in ROLES}
BODY_FONT = WORD_FAMILIES[BODY]
#: Latin font for digits and Latin letters in the same text.
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(SPECS[BODY].size)  # 三号
TITLE_SIZE = Pt(SPECS[TITLE].size)  # 二号
PAGE_NUMBER_SIZE = Pt(SPECS[PAGE_NUMBER].size)  # 四号
REGISTER_SIZE = Pt(12)  # 小四: a register is a working table, not a notice
#: The standard's grid: 22 lines in the 225 mm text block, 28 characters in 156 mm.
LINES_A_PAGE, CHARACTERS_A_LINE = 22, 28
LINE_PITCH = 579  # twentieths of a point: 22 × 28.95 pt fill 225 mm (637.8 pt)
LINE_SPACING = Pt(LINE_PITCH / 20)
#: The body's characters condensed by this, in twentieths of a point: 28 of 三号
#: in the 156 mm line (_standard_grid).
CONDENSED = -5
MAX_HEADING_LEVEL = 9

#: GB/T 9704 page margins for A4: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
ROLL_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))
REGISTER_MARGIN = Mm(15)

#: Register column widths on A4 landscape (297 mm less 2 × 15 mm = 267 mm):
#: 签收 and 日期 wide enough for a handwritten name and date.
REGISTER_WIDTHS = (Mm(14), Mm(36), Mm(50), Mm(97), Mm(40), Mm(30))
#: The same with a 单位 column (taken from 获奖者 and 荣誉).
REGISTER_WIDTHS_WITH_UNIT = (Mm(14), Mm(34), Mm(40), Mm(45), Mm(74), Mm(34), Mm(26))
#: A character of the document grid: 156 mm / 28.
GRID_CHARACTER_MM = (210 - 28 - 26) / CHARACTERS_A_LINE
#: The room a name leaves before the next in a grid (cells have no padding).
CELL_MARGINS = Mm(3.8)
#: The page number's line is one em of 四号 (exact spacing); its dashes about
#: half an em above the line's foot.  The footer's foot this far from the
#: paper's edge puts them 7 mm below the text block.
FOOTER_DISTANCE = Mm(35 - PAGE_NUMBER_BELOW - SPECS[PAGE_NUMBER].size * 25.4 / 72 / 2)
#: Minimum row height of the register: room for a signature.
REGISTER_ROW_HEIGHT = Mm(10)

# Characters XML 1.0 cannot carry; lxml refuses them, so an odd imported name
# would otherwise abort the whole export.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


# -- styles ------------------------------------------------------------------------------


def _set_fonts(rpr_owner: Any, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts explicitly on an element with ``w:rPr`` (a style or the
    document defaults), dropping theme fonts that would take precedence."""
    if hasattr(rpr_owner, "get_or_add_rPr"):  # a style: python-docx keeps schema order
        fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    else:  # w:rPrDefault, a plain element: w:rFonts goes first in its w:rPr
        rpr = rpr_owner.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_owner.append(rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    # Characters shared by both scripts (“” ： …) are drawn with the East Asian font.
    fonts.set(qn("w:hint"), "eastAsia")


def _style_fonts(style: BaseStyle, east_asian: str, size: Length, bold: bool = False) -> None:
    _set_fonts(style.element, east_asian)
    font = style.font  # type: ignore[attr-defined]
    font.size = size
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)


def _chinese_defaults(document, body_font: str = BODY_FONT, size: Length | None = None
                      ) -> None:
    """Document defaults: Chinese language and fonts, for anything not styled;
    ``size``: the default font size (the grid's characters are measured from it)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is None:
        return
    _set_fonts(rpr_default, body_font)
    rpr = rpr_default.find(qn("w:rPr"))
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(round(size.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    # Only the East Asian language: Latin text stays English for the spelling checker.
    lang.set(qn("w:eastAsia"), "zh-CN")
    # The theme's fonts follow the language in settings.xml (python-docx's
    # template says ja-JP, which makes Word pick Japanese glyph shapes).
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        document.settings.element.append(theme_lang)
    theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _page_field(paragraph) -> None:
    """— PAGE — in ``paragraph``: the page number as a field, between 一字线."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    paragraph.add_run(" —")


def _footer_paragraph(footer, size: Length, family: str | None):
    paragraph = footer.paragraphs[0]
    _page_field(paragraph)
    for each in paragraph.runs:
        each.font.size = size
        if family:
            _set_fonts(each._r, family, latin=family)  # 半角宋体阿拉伯数字
    return paragraph


def _page_numbers(document, size: Length) -> None:
    """— 1 — centred in the footer of every page (the register)."""
    paragraph = _footer_paragraph(document.sections[0].footer, size, None)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _outer_page_numbers(document, family: str) -> None:
    """— 1 — as GB/T 9704 places it: 四号, odd pages at the right and even pages
    at the left, one character in, its dashes 7 mm below the text block."""
    section = document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    section.footer_distance = FOOTER_DISTANCE
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = _footer_paragraph(footer, PAGE_NUMBER_SIZE, family)
        paragraph.alignment = alignment
        layout = paragraph.paragraph_format
        layout.line_spacing = PAGE_NUMBER_SIZE  # exactly one em: the foot of the em box
        layout.space_before = layout.space_after = Pt(0)
        one = PAGE_NUMBER_SIZE  # 空一字: one character of the number's size
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            layout.right_indent = one
        else:
            layout.left_indent = one
        _off_grid(paragraph)


def _off_grid(paragraph) -> None:
    """The paragraph (or paragraph style) not snapped to the document grid
    (w:snapToGrid off)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    owner = paragraph._p if hasattr(paragraph, "_p") else paragraph.element
    ppr = owner.get_or_add_pPr()
    ppr.insert_element_before(
        snap, "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
        "w:sectPr", "w:pPrChange")


def _setup_styles(document, body_size: Length, line_spacing: Length | float,
                  families: dict[str, str] | None = None) -> None:
    """Normal, Title and Heading 1–9 in the roles' faces (``families``: role ->
    the East Asian font name; the Windows names by default)."""
    families = families or WORD_FAMILIES
    _chinese_defaults(document, families[BODY], body_size)
    normal = document.styles["Normal"]
    _style_fonts(normal, families[BODY], body_size)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = line_spacing

    title = document.styles["Title"]
    _style_fonts(title, families[TITLE], TITLE_SIZE)  # 小标宋 is a heavy face itself
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))  # the template underlines its title in blue
    if border is not None:
        ppr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(16)
    title.paragraph_format.line_spacing = 1.0

    for level in range(1, MAX_HEADING_LEVEL + 1):
        heading = document.styles[f"Heading {level}"]
        _style_fonts(heading, families[heading_role(level - 1)], body_size)
        heading.paragraph_format.space_before = Pt(14)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
        )


def _standard_grid(document) -> None:
    """The page of GB/T 9704: 22 lines of 28 characters of 三号.  The lines are
    the document grid's (w:docGrid, 28.95 pt a line); the characters are
    condensed by a quarter point (字间距紧缩 0.25 磅: 15.75 pt each, 28 in
    156 mm).  Not a character grid (linesAndChars): Word fits a 三号 character
    to its 15.79 pt, but LibreOffice gives each character wider than the grid
    two cells, 14 a line.  w:charSpace is the 28-character pitch less the
    default font size in 4096ths of a point, what Word's page setup shows when
    its character grid is turned on."""
    section = document.sections[0]
    usable = Length(section.page_width - section.left_margin - section.right_margin).pt
    pitch = usable / CHARACTERS_A_LINE
    # rounded down, and a step less: Word must find room for the 28th character
    char_space = math.floor((pitch - BODY_SIZE.pt) * 4096) - 1
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(char_space))
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), str(CONDENSED))
    rpr.insert_element_before(
        condensed, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
        "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
        "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    # the title's 二号 characters are wider than a grid cell: off the grid, or
    # each would take two
    _off_grid(document.styles["Title"])


def _page(document, landscape: bool, margins: tuple[Length, Length, Length, Length]) -> int:
    """Set the page to A4; returns the usable width in EMU."""
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = margins
    return section.page_width - section.left_margin - section.right_margin


# -- tables ------------------------------------------------------------------------------


def _no_borders(table: Table) -> None:
    """Explicitly borderless: WPS and some Word setups draw a default grid otherwise."""
    tbl_pr = table._tbl.tblPr
    old = tbl_pr.find(qn("w:tblBorders"))
    if old is not None:
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    # Schema order matters to Word ("unreadable content"): w:tblBorders comes
    # before these siblings of w:tblPr.
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
        "w:tblCaption", "w:tblDescription", "w:tblPrChange",
    )


def _fixed_widths(table: Table, widths: list[int]) -> None:
    """Fixed layout with these column widths, in both places that matter:
    the grid (LibreOffice, WPS) and every cell (Word)."""
    table.autofit = False  # w:tblLayout fixed, put in schema order by python-docx
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _no_padding(table: Table) -> None:
    """No cell padding and no indent: a row of cells holds the page's 28
    characters (Word's default 0.19 cm each side left 26)."""
    tbl_pr = table._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), "0")
    indent.set(qn("w:type"), "dxa")
    tbl_pr.insert_element_before(
        indent, "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
        "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def grid_width(text: str) -> float:
    """A name's width in mm on the document grid: each Chinese character one
    grid character (156/28 mm), the rest half of one."""
    return estimate_width(text, 72 / 25.4 * GRID_CHARACTER_MM)


def _grid_table(document, section: Section, options: ExportOptions, usable: int) -> None:
    names = grid_names(section, options.padding, options.with_affiliation)
    columns = max(1, section.columns)
    line = Length(usable).mm
    rows = fixed_columns(names, columns, line, grid_width, Length(CELL_MARGINS).mm)
    table = document.add_table(rows=len(rows), cols=columns)
    _no_borders(table)
    _no_padding(table)
    _fixed_widths(table, [usable // columns] * columns)
    one = Mm(GRID_CHARACTER_MM)
    for row, placed in zip(table.rows, rows):
        cells = row.cells
        for place in placed:
            cell = cells[place.column]
            if place.span > 1:  # a long name over the cells it needs (w:gridSpan)
                cell = cell.merge(cells[place.column + place.span - 1])
            cell.text = _clean(place.name)
            if grid_width(place.name) > line:  # wraps: its further lines one character in
                _hanging(cell.paragraphs[0], one, one)


def _hanging(paragraph, left: Length, hanging: Length) -> None:
    """Lines after the first start ``left`` in; the first ``hanging`` less."""
    layout = paragraph.paragraph_format
    layout.left_indent = left
    layout.first_line_indent = -hanging


def _keep(paragraph, with_next: bool) -> None:
    """The paragraph's lines on one page (and with the next paragraph's)."""
    paragraph.paragraph_format.keep_together = True
    paragraph.paragraph_format.keep_with_next = with_next


# -- the roll ----------------------------------------------------------------------------


def _section(document, section: Section, options: ExportOptions, usable: int) -> None:
    document.add_heading(_clean(section.heading), level=min(section.depth + 1, MAX_HEADING_LEVEL))
    if section.description:
        document.add_paragraph(_clean(section.description))
    if section.kind == "work":
        one = Mm(GRID_CHARACTER_MM)
        for entry in section.entries:
            number = f"{entry.position}. "
            title = document.add_paragraph(_clean(number + entry.name))
            _hanging(title, Mm(grid_width(number)), Mm(grid_width(number)))
            # never part a title from its proposer, nor a title or a proposer line
            _keep(title, with_next=bool(entry.proposer))
            title.paragraph_format.space_before = Pt(6)
            if entry.proposer:
                line = work_proposer_line(section, entry, options)
                label = Mm(grid_width(line[:line.index("：") + 1]))
                proposer = document.add_paragraph(_clean(line))
                _hanging(proposer, one + label, label)  # under the first character of the name
                _keep(proposer, with_next=False)
    elif section.entries:
        _grid_table(document, section, options, usable)
    for child in section.children:
        _section(document, child, options, usable)


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_families(options: ExportOptions) -> dict[str, str]:
    """The East Asian font name of each role: the Windows family, or the family
    of the face the user chose with --font or a layout's [fonts]."""
    if not options.fonts and options.layout is None:
        return dict(WORD_FAMILIES)  # no font file to open
    faces = resolve_roles(options.fonts, *options.layout_fonts())
    return {role: faces.word_family(role) for role in ROLES}


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    families = word_families(options)
    document = Document()
    _setup_styles(document, BODY_SIZE, LINE_SPACING, families)
    usable = _page(document, landscape=False, margins=ROLL_MARGINS)
    _standard_grid(document)
    document.core_properties.title = _clean(view.title)
    document.core_properties.language = "zh-CN"
    _outer_page_numbers(document, families[PAGE_NUMBER])
    if view.printed_title:
        document.add_paragraph(_clean(view.printed_title), style="Title")
    for section in view.sections:
        _section(document, section, options, usable)
    return _save(document)


# -- the certificate register ------------------------------------------------------------


def _row_properties(row, repeat_header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    # A row never breaks across pages: a signature must not be cut in half.
    tr_pr.append(OxmlElement("w:cantSplit"))
    if repeat_header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def render_register(register: RegisterView) -> bytes:
    document = Document()
    _setup_styles(document, REGISTER_SIZE, 1.2)
    margin = REGISTER_MARGIN
    _page(document, landscape=True, margins=(margin, margin, margin, margin))
    document.core_properties.title = _clean(register.title)
    document.core_properties.language = "zh-CN"
    _page_numbers(document, Pt(10.5))
    title = document.add_paragraph(_clean(register.title), style="Title")
    title.runs[0].font.size = Pt(18)

    columns = register_columns(register)
    widths = REGISTER_WIDTHS if len(columns) == len(REGISTER_WIDTHS) else REGISTER_WIDTHS_WITH_UNIT
    table = document.add_table(rows=1 + len(register.rows), cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, [int(width) for width in widths])

    header = table.rows[0]
    _row_properties(header, repeat_header=True)  # repeated at the top of every page
    for cell, label in zip(header.cells, columns):
        cell.text = label
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.runs[0].font.bold = True

    cells = register_rows(register, with_works=True, columns=columns)
    for row, values in zip(table.rows[1:], cells):
        _row_properties(row)
        row.height = REGISTER_ROW_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for index, (cell, value) in enumerate(zip(row.cells, values)):
            cell.text = _clean(str(value))  # "\n" becomes a line break
            if index < 2:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return _save(document)
