"""The roll and the certificate register as Word documents (.docx, python-docx).

The roll follows the conventions of Chinese official documents (GB/T 9704) as
far as fonts that every office PC has allow:

- body text 仿宋 (FangSong) 16 pt (三号), fixed 28 pt line spacing;
- the title 光荣榜 宋体 (SimSun) bold 22 pt (二号), centred — a stand-in for
  方正小标宋简体, which most PCs do not have;
- headings 黑体 (SimHei) 16 pt, awards (Heading 1) centred, subsections
  (Heading 2 …) flush left.

仿宋 is chosen over 仿宋_GB2312 because Windows has shipped 仿宋 since Vista
while 仿宋_GB2312 comes only with WPS or a separate install; Word silently
substitutes a missing font, so the name that exists wins.  Fonts are set as
``w:eastAsia`` on the styles' ``w:rFonts`` (python-docx's ``font.name`` sets only
the Latin slots, which Word and WPS ignore for Chinese text), the template's
theme-font attributes are removed (they would override the explicit names), and
the document's East Asian language is zh-CN so that “” and ： take the Chinese
font.

Name grids are borderless tables, as clerks lay them out by hand; works are a
numbered title paragraph and a "■ 提案者：…" paragraph, the numbers typed rather
than Word list numbering so that they survive a copy and paste into WPS.
"""

from __future__ import annotations

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

from .text import grid_names, grid_rows, work_proposer_line
from .view import (
    ExportOptions,
    RegisterView,
    RollView,
    Section,
    fitting_columns,
    register_columns,
    register_rows,
)

#: East Asian font names (see the module docstring for why these).
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
#: Latin font for digits and Latin letters in the same text.
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
REGISTER_SIZE = Pt(12)  # 小四: a register is a working table, not a notice
LINE_SPACING = Pt(28)
MAX_HEADING_LEVEL = 9

#: GB/T 9704 page margins for A4: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
ROLL_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))
REGISTER_MARGIN = Mm(15)

#: Register column widths on A4 landscape (297 mm less 2 × 15 mm = 267 mm):
#: 签收 and 日期 wide enough for a handwritten name and date.
REGISTER_WIDTHS = (Mm(14), Mm(36), Mm(50), Mm(97), Mm(40), Mm(30))
#: The same with a 单位 column (taken from 获奖者 and 荣誉).
REGISTER_WIDTHS_WITH_UNIT = (Mm(14), Mm(34), Mm(40), Mm(45), Mm(74), Mm(34), Mm(26))
#: Word's default cell margins, left and right (0.19 cm each): the gap between grid columns.
CELL_MARGINS = Mm(3.8)
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


def _chinese_defaults(document) -> None:
    """Document defaults: Chinese language and fonts, for anything not styled."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is None:
        return
    _set_fonts(rpr_default, BODY_FONT)
    rpr = rpr_default.find(qn("w:rPr"))
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


def _page_numbers(document, size: Length) -> None:
    """— 1 — centred in the footer of every page, as official documents number pages."""
    section = document.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
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
    for each in paragraph.runs:
        each.font.size = size


def _setup_styles(document, body_size: Length, line_spacing: Length | float) -> None:
    _chinese_defaults(document)
    normal = document.styles["Normal"]
    _style_fonts(normal, BODY_FONT, body_size)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = line_spacing

    title = document.styles["Title"]
    _style_fonts(title, TITLE_FONT, TITLE_SIZE, bold=True)
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
        _style_fonts(heading, HEADING_FONT, body_size)
        heading.paragraph_format.space_before = Pt(14)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
        )


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


def _grid_table(document, section: Section, options: ExportOptions, usable: int,
                size: Length) -> None:
    from ..certificates.docx import estimate_width

    names = grid_names(section, options.padding, options.with_affiliation)
    # as many columns as the longest name allows: a name is never wrapped
    columns = fitting_columns(
        names, section.columns, Length(usable).mm,
        lambda name: estimate_width(name, size.pt), Length(CELL_MARGINS).mm,
    )
    rows = grid_rows(section, options.padding, options.with_affiliation, columns)
    table = document.add_table(rows=len(rows), cols=columns)
    _no_borders(table)
    _fixed_widths(table, [usable // columns] * columns)
    for row, names in zip(table.rows, rows):
        for cell, name in zip(row.cells, names):
            cell.text = _clean(name)


# -- the roll ----------------------------------------------------------------------------


def _section(document, section: Section, options: ExportOptions, usable: int) -> None:
    document.add_heading(_clean(section.heading), level=min(section.depth + 1, MAX_HEADING_LEVEL))
    if section.description:
        document.add_paragraph(_clean(section.description))
    if section.kind == "work":
        for entry in section.entries:
            title = document.add_paragraph(_clean(f"{entry.position}. {entry.name}"))
            title.paragraph_format.keep_with_next = True  # never part a title from its proposer
            title.paragraph_format.space_before = Pt(6)
            if entry.proposer:
                line = work_proposer_line(section, entry, options)
                document.add_paragraph(_clean(line))
    elif section.entries:
        _grid_table(document, section, options, usable, BODY_SIZE)
    for child in section.children:
        _section(document, child, options, usable)


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    document = Document()
    _setup_styles(document, BODY_SIZE, LINE_SPACING)
    usable = _page(document, landscape=False, margins=ROLL_MARGINS)
    document.core_properties.title = _clean(view.title)
    document.core_properties.language = "zh-CN"
    _page_numbers(document, Pt(14))  # 四号
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
