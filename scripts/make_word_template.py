"""Writes examples/证书模板.docx: a certificate as an office designs it in Word,
for ``honours certificates --docx-template``.

A4 landscape, a decorative picture behind the text (drawn here with Pillow,
anchored to the page as Word's "behind text" wrapping does), the title, and
paragraphs holding the placeholders {姓名}{称谓} {正文} {落款} {日期} {编号}.
The recipient's placeholder is deliberately split across two runs, as Word
splits text typed in two editing sessions, to show that this still works.

    python scripts/make_word_template.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "examples" / "证书模板.docx"
RED = (178, 34, 34)
GOLD = (191, 144, 0)


def background_png() -> bytes:
    """A cream sheet with a red and gold double frame and corner squares, 297×210 mm."""
    width, height = 2970, 2100  # 10 px per mm
    image = Image.new("RGB", (width, height), (255, 251, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 80, width - 80, height - 80), outline=RED, width=28)
    draw.rectangle((140, 140, width - 140, height - 140), outline=GOLD, width=8)
    for x, y in ((80, 80), (width - 200, 80), (80, height - 200), (width - 200, height - 200)):
        draw.rectangle((x, y, x + 120, y + 120), fill=RED)
        draw.rectangle((x + 30, y + 30, x + 90, y + 90), fill=GOLD)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def behind_text(run, picture: bytes, width_mm: float, height_mm: float) -> None:
    """Put the picture into ``run`` anchored at the page's top-left corner, behind the text."""
    run.add_picture(io.BytesIO(picture), width=Mm(width_mm), height=Mm(height_mm))
    inline_xml = run._r.xpath(".//wp:inline")[0]
    graphic = inline_xml.find(qn("a:graphic"))
    extent = inline_xml.find(qn("wp:extent"))
    anchor = parse_xml(
        '<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="0"'
        ' behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="1" name="证书底图"/><wp:cNvGraphicFramePr/>'
        "</wp:anchor>"
    )
    anchor.append(graphic)
    inline_xml.getparent().replace(inline_xml, anchor)


def east_asian(run, font: str, size: float, color=(0, 0, 0), bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(*color)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), font)
    fonts.set(qn("w:hint"), "eastAsia")


def paragraph(document, parts, align=WD_ALIGN_PARAGRAPH.LEFT, before=0.0, indent=0.0,
              font="楷体", size=20.0, color=(0, 0, 0), bold=False):
    p = document.add_paragraph()
    form = p.paragraph_format
    form.alignment = align
    form.space_before, form.space_after = Pt(before), Pt(0)
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(size * 1.6)
    form.left_indent = Mm(indent)
    form.right_indent = Mm(indent)
    if indent:
        form.first_line_indent = None
    for text in parts:
        east_asian(p.add_run(text), font, size, color, bold)
    return p


def build() -> bytes:
    document = Document()
    body = document.element.body
    for old in list(document.paragraphs):
        body.remove(old._p)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(30)
    section.left_margin = section.right_margin = Mm(35)
    document.core_properties.title = "荣誉证书模板"

    title = paragraph(document, [], align=WD_ALIGN_PARAGRAPH.CENTER, size=40, before=0)
    behind_text(title.add_run(), background_png(), 297, 210)
    east_asian(title.add_run("荣 誉 证 书"), "华文中宋", 40, RED, bold=True)
    # Typed in two sessions: Word keeps "{姓" and "名}" in separate runs.
    paragraph(document, ["{姓", "名}{称谓}："], before=24, size=24)
    body_text = paragraph(document, ["{正文}"], before=10, size=20)
    body_text.paragraph_format.first_line_indent = Pt(40)
    closing = paragraph(document, ["特发此证，以资鼓励。"], size=20)
    closing.paragraph_format.first_line_indent = Pt(40)
    paragraph(document, ["{落款}"], align=WD_ALIGN_PARAGRAPH.RIGHT, before=30, size=18)
    paragraph(document, ["{日期}"], align=WD_ALIGN_PARAGRAPH.RIGHT, size=18)
    paragraph(document, ["证书编号：{编号}"], before=6, size=10, color=(90, 90, 90))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
