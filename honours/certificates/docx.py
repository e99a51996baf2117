"""DOCX certificates for Word and WPS: one section (page) per certificate, each
text block a paragraph in a frame positioned on the page in millimetres, with
the font size the PDF uses, and the East Asian font named."""

from __future__ import annotations

import dataclasses
import io

from .fit import PT, fit_page
from .layout import Layout

TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def estimate_width(text: str, size: float) -> float:
    """Width in mm without a font file: full width for Chinese, half for the rest."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text) * size * PT


def _frame(paragraph, block, slack: float = 0.0, paper_width: float = 1e9) -> None:
    """The paragraph in a frame at the block's place.  ``slack`` (mm) widens the
    frame on the side(s) the text does not align to: the lines are broken here
    already, and a word processor whose font is a little wider must not break
    them a second time."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    x, width = block.x, block.width
    if block.align == "left":
        width += slack
    elif block.align == "right":
        x, width = x - slack, width + slack
    else:
        x, width = x - slack / 2, width + slack
    x = max(0.0, x)
    width = min(width, paper_width - x)
    ppr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    for key, value in (
        ("w:w", _twips(width)), ("w:h", _twips(block.height)), ("w:hRule", "exact"),
        ("w:wrap", "around"), ("w:hAnchor", "page"), ("w:vAnchor", "page"),
        ("w:x", _twips(x)), ("w:y", _twips(block.y)),
    ):
        frame.set(qn(key), value)
    ppr.insert(0, frame)


def _fonts(run, name: str) -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _page_border(section) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "double"), ("w:sz", "12"), ("w:space", "28"),
                           ("w:color", "B22222")):
            edge.set(qn(key), value)
        borders.append(edge)
    sect = section._sectPr
    for old in sect.findall(qn("w:pgBorders")):  # a new section is a clone of the last
        sect.remove(old)
    # pgBorders comes after pgMar in the schema's order
    margin = sect.find(qn("w:pgMar"))
    if margin is not None:
        margin.addnext(borders)
    else:
        sect.append(borders)


def _setup(section, layout: Layout) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = (
        WD_ORIENT.LANDSCAPE if layout.orientation == "landscape" else WD_ORIENT.PORTRAIT
    )
    section.page_width, section.page_height = Mm(layout.width), Mm(layout.height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    section.header_distance = section.footer_distance = Mm(5)
    if layout.border:
        _page_border(section)


def render_docx(certificates, layout: Layout, measure=None) -> bytes:
    """``measure(text, size) -> mm`` sizes the text as the PDF does (the same
    font); without it, widths are estimated."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    measure = measure or estimate_width
    align = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
             "right": WD_ALIGN_PARAGRAPH.RIGHT}
    document = Document()
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._p)
    document.core_properties.title = "荣誉证书"
    document.core_properties.author = "honours"
    for number, certificate in enumerate(certificates):
        section = document.sections[0] if number == 0 else document.add_section(
            WD_SECTION.NEW_PAGE)
        _setup(section, layout)
        fitted_blocks = fit_page(certificate.texts, layout, lambda block: measure)
        for block in layout.blocks:
            text = certificate.texts.get(block.name, "")
            if block.name not in fitted_blocks:
                continue
            fitted = fitted_blocks[block.name]
            # valign: the room left in the frame above the lines (exact line heights)
            room = block.height - len(fitted.lines) * fitted.size * PT * block.line_height
            above = max(0.0, {"top": 0.0, "middle": room / 2, "bottom": room}[block.valign])
            framed = dataclasses.replace(block, y=block.y + above, height=block.height - above)
            # the lines as the PDF breaks them (Chinese line-breaking rules, no
            # widows), so that Word and WPS cannot break them differently
            for number, _paragraph_text in enumerate(text.split("\n")):
                lines = [line.text for line in fitted.lines if line.paragraph == number]
                paragraph = document.add_paragraph()
                # two characters of slack: digits and Latin letters are wider in
                # some fonts Word substitutes
                _frame(paragraph, framed, 2 * fitted.size * PT, layout.width)
                form = paragraph.paragraph_format
                form.alignment = align[block.align]
                form.space_before = form.space_after = Pt(0)
                form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                form.line_spacing = Pt(fitted.size * block.line_height)
                if block.indent:
                    form.first_line_indent = Pt(fitted.size * block.indent)
                run = paragraph.add_run(lines[0] if lines else "")
                for line in lines[1:]:
                    run.add_break()
                    run.add_text(line)
                run.font.size = Pt(fitted.size)
                run.font.color.rgb = RGBColor(*block.color)
                _fonts(run, block.docx_font or layout.docx_font)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
