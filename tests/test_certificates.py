"""Certificates (荣誉证书): PDF text, positions, fonts, fitting, --only, calibration,
background, DOCX and preview, checked on the files the command writes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from honours.certificates import CertificateError
from honours.certificates.fit import PT, fit
from honours.certificates.fonts import find_font
from honours.certificates.layout import load_layout, parse_layout
from honours.certificates.text import chinese_date, is_person, select_rows

try:
    FONT = find_font()
except CertificateError:
    FONT = None

needs_font = pytest.mark.skipif(
    FONT is None,
    reason="no CJK font installed (apt-get install fonts-arphic-ukai, as .ci/run does)",
)


def bare(text: str) -> str:
    return "".join(text.split())


def pdf_pages_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def register_rows(honours, *args) -> list[dict]:
    out = honours.db.parent / "register.csv"
    honours("register", *args, "-f", "csv", "-o", str(out), "--force")
    return list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))


def char_boxes(path: Path, page_number: int = 0) -> list[dict]:
    """Each character of a page with its box in mm from the paper's top-left corner."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    page = list(extract_pages(str(path), page_numbers=[page_number]))[0]
    height = page.height
    found = []

    def walk(item):
        if isinstance(item, LTChar):
            found.append({
                "char": item.get_text(),
                "x0": item.x0 * PT, "x1": item.x1 * PT,
                "top": (height - item.y1) * PT, "bottom": (height - item.y0) * PT,
                "size": item.size,
            })
        elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    walk(page)
    return [c for c in found if c["char"].strip()]


def inside(box: dict, block, tolerance: float = 0.0) -> bool:
    return (
        box["x0"] >= block.x - tolerance and box["x1"] <= block.x + block.width + tolerance
        and box["top"] >= block.y - tolerance
        and box["bottom"] <= block.y + block.height + tolerance
    )


# -- the text: dates, salutations, template --------------------------------------------


def test_chinese_dates():
    assert chinese_date("2024-12") == "二〇二四年十二月"
    assert chinese_date("2025-01-05") == "二〇二五年一月五日"
    assert chinese_date("2030-10-31") == "二〇三〇年十月三十一日"


def test_person_or_unit():
    from honours.recipients import infer_kind
    from honours.render.view import RegisterRow

    def row(recipient, kind, recipient_kind=""):
        return RegisterRow(1, "", recipient, "", "", kind, recipient_kind=recipient_kind)

    assert is_person(row("马罡", "person"))
    assert not is_person(row("民革界别", "unit"))
    assert is_person(row("朱豪杰", "work"))  # a work proposed by a person
    assert not is_person(row("金山区妇女联合会", "work"))
    assert not is_person(row("民进界别", "work"))
    assert not is_person(row("朱豪杰", "work", "unit"))  # the stored kind decides
    # rare and dotted names are people (today's code took them for units)
    for name in ("王𬌗", "刘䶮", "阿卜杜热合曼·艾则孜", "张建中"):
        assert infer_kind(name)[0] == "person", name
    for name in ("黎川一中", "人民日报", "中国民主促进会上海市金山区委员会"):
        assert infer_kind(name)[0] == "unit", name


def test_date_setting_is_validated(honours):
    assert honours("settings", "set", "date", "2024-13", ok=False).exit_code == 2
    assert honours("settings", "set", "date", "24-12", ok=False).exit_code == 2
    honours("settings", "set", "date", "2024-12-05")
    assert "date: 2024-12-05" in honours("settings").output


# -- PDF: every page matches its winner --------------------------------------------------


@needs_font
def test_every_page_matches_the_register(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    honours("settings", "set", "issuer", "政协上海市金山区委员会")
    honours("settings", "set", "date", "2024-12")
    out = tmp_path / "c.pdf"
    result = honours("certificates", "-o", str(out))
    assert "96 certificate" in result.output
    pages = pdf_pages_text(out)
    rows = register_rows(honours)  # the numbers issued by `certificates` itself
    assert len(pages) == len(rows) == 96
    for page, row in zip(pages, rows):
        text = bare(page)
        assert row["证书编号"] and bare(f"证书编号：{row['证书编号']}") in text
        assert bare(row["荣誉"]) in text
        assert "政协上海市金山区委员会" in text and "二〇二四年十二月" in text
        assert text.startswith("荣誉证书" + bare(row["获奖者"]))
    numbers = [row["证书编号"] for row in rows]
    assert len(set(numbers)) == 96
    by_name = {bare(p).split("荣誉证书")[1][:12]: p for p in pages}
    assert any(k.startswith("丁丽珍同志：") for k in by_name)  # a person: 同志
    assert any(k.startswith("民革界别：") for k in by_name)  # a unit: none
    assert any(k.startswith("朱豪杰同志：") for k in by_name)  # a work's proposer, a person
    assert any("马\u3000罡同志" in p for p in pages)  # a two-character name spaced out
    # a second run prints the same numbers: they come from the register
    again = tmp_path / "again.pdf"
    honours("certificates", "-o", str(again))
    assert [bare(p) for p in pdf_pages_text(again)] == [bare(p) for p in pages]


@needs_font
def test_category_and_numbers_issued_before_printing(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    out = tmp_path / "units.pdf"
    honours("certificates", "信息工作成绩突出单位", "-o", str(out))
    pages = pdf_pages_text(out)
    rows = register_rows(honours, "信息工作成绩突出单位")
    assert len(pages) == len(rows) == 16
    for page, row in zip(pages, rows):
        assert row["证书编号"] in page and "同志" not in page


@needs_font
def test_the_font_is_embedded(honours, jinshan_db, tmp_path):
    from pypdf import PdfReader

    honours.db = jinshan_db
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--only", "马罡")
    page = PdfReader(str(out)).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        assert font["/Subtype"] == "/Type0"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


# -- positions from the layout file ------------------------------------------------------

PREPRINTED = """
[paper]
size = "A4"
orientation = "portrait"
border = false
line-height = 1.4

[[block]]
name = "recipient"
x = 40.5
y = 101.3
width = 90
height = 12
font-size = 22
align = "left"

[[block]]
name = "body"
x = 25
y = 125
width = 160
height = 40
font-size = 16
align = "center"
valign = "middle"

[[block]]
name = "date"
x = 105
y = 230.7
width = 80
height = 9
font-size = 14
align = "right"
valign = "bottom"

[[block]]
name = "certificate"
x = 20
y = 275
width = 100
height = 6
font-size = 9
"""


def _check_positions(boxes: list[dict], layout) -> dict[str, list[dict]]:
    """Every character inside a block (within 1 mm); each block's text aligned as
    the layout says, within 1 mm."""
    by_block: dict[str, list[dict]] = {}
    for box in boxes:
        owners = [b for b in layout.blocks if inside(box, b, tolerance=1.0)]
        assert owners, f"{box['char']!r} at {box} lies outside every block"
        by_block.setdefault(owners[0].name, []).append(box)
    for block in layout.blocks:
        chars = by_block.get(block.name)
        if not chars:
            continue
        top = min(c["top"] for c in chars)
        bottom = max(c["bottom"] for c in chars)
        lines: dict[float, list[dict]] = {}
        for c in chars:
            lines.setdefault(round(c["top"], 1), []).append(c)
        for line in lines.values():
            left = min(c["x0"] for c in line)
            right = max(c["x1"] for c in line)
            if block.align == "left":  # a paragraph's first line may be indented
                indent = block.indent * line[0]["size"] * PT
                assert min(abs(left - block.x), abs(left - block.x - indent)) <= 1.0, block
            elif block.align == "right":
                assert abs(right - (block.x + block.width)) <= 1.0, block
            else:
                assert abs((left + right) / 2 - (block.x + block.width / 2)) <= 1.0, block
        if block.valign == "top":
            assert abs(top - block.y) <= 1.0
        elif block.valign == "bottom":
            assert abs(bottom - (block.y + block.height)) <= 1.0
        else:
            assert abs((top + bottom) / 2 - (block.y + block.height / 2)) <= 1.0
    return by_block


@needs_font
def test_text_positions_honour_the_layout_file(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    honours("settings", "set", "date", "2024-12")
    layout_file = tmp_path / "paper.toml"
    layout_file.write_text(PREPRINTED, "utf-8")
    layout = load_layout(layout_file)
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--layout", str(layout_file),
            "--only", "丁丽珍,民革界别")
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) * PT - 210) < 0.1 and abs(float(box.height) * PT - 297) < 0.1
    for number in range(2):
        boxes = char_boxes(out, number)
        by_block = _check_positions(boxes, layout)
        assert set(by_block) == {"recipient", "body", "date", "certificate"}
        assert "".join(c["char"] for c in by_block["date"]) == "二〇二四年十二月"
        sizes = {round(c["size"], 1) for c in by_block["recipient"]}
        assert sizes == {22.0}


@needs_font
def test_default_layout_positions(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    honours("settings", "set", "issuer", "政协上海市金山区委员会")
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--only", "朱豪杰")
    by_block = _check_positions(char_boxes(out), load_layout())
    assert "".join(c["char"] for c in by_block["title"]) == "荣誉证书"


LONG_UNIT = "中国民主促进会上海市金山区委员会机关第一支部暨社会服务工作联合委员会"


@needs_font
def test_long_names_shrink_and_wrap_inside_their_block(honours, tmp_path):
    long_honour = "区政协2024年度" + "社情民意信息工作" * 8 + "先进集体"
    honours("category", "add", "先进集体", "--kind", "unit", "--honour", long_honour)
    honours("add", "先进集体", LONG_UNIT, "短名单位")
    layout_text = PREPRINTED.replace('name = "recipient"', 'name = "recipient"\nwrap = false')
    layout_file = tmp_path / "paper.toml"
    layout_file.write_text(layout_text, "utf-8")
    layout = load_layout(layout_file)
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--layout", str(layout_file))
    long_page = _check_positions(char_boxes(out, 0), layout)
    short_page = _check_positions(char_boxes(out, 1), layout)
    recipient = long_page["recipient"]
    assert "".join(c["char"] for c in recipient) == LONG_UNIT + "："
    assert max(c["size"] for c in recipient) < 22  # shrunk to fit on one line ...
    assert len({round(c["top"], 1) for c in recipient}) == 1  # ... with no wrap
    assert {round(c["size"]) for c in short_page["recipient"]} == {22}
    # the long honour in the body wraps (and shrinks) and stays inside its block
    body = long_page["body"]
    assert bare(long_honour) in "".join(c["char"] for c in body)
    assert len({round(c["top"], 1) for c in body}) >= 4


def test_fit_shrinks_then_wraps_then_refuses():
    layout = parse_layout(PREPRINTED, "test")
    block = layout.block("recipient")

    def measure(text, size):  # every character one em wide
        return len(text) * size * PT

    assert fit("马罡同志：", block, measure).size == 22
    fitted = fit("很" * 20, block, measure)
    assert fitted.size < 22
    assert all(line.width <= block.width for line in fitted.lines)
    block.min_font_size = 20  # below it the text wraps instead, inside the block
    wrapped = fit("很" * 20, block, measure)
    assert len(wrapped.lines) >= 1
    assert all(line.width <= block.width + 1e-6 for line in wrapped.lines)
    total = wrapped.size_mm * (1 + (len(wrapped.lines) - 1) * block.line_height)
    assert total <= block.height + 1e-6
    with pytest.raises(CertificateError, match="does not fit"):
        fit("很" * 5000, block, measure)


# -- --only, errors ---------------------------------------------------------------------


@needs_font
def test_only_prints_just_those_certificates(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--only", "马 罡", "--only", "民革界别")
    pages = pdf_pages_text(out)
    rows = {r["获奖者"]: r["证书编号"] for r in register_rows(honours)}
    assert len(pages) == 2
    assert "民革界别" in pages[0] and rows["民革界别"] in pages[0]
    assert "马\u3000罡" in pages[1] and rows["马罡"] in pages[1]


def test_only_unknown_name_lists_close_names(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    before = jinshan_db.read_bytes()
    # DOCX output needs no font installed, so this runs with or without one
    result = honours("certificates", "-o", str(tmp_path / "c.docx"), "--only", "丁丽", ok=False)
    assert result.exit_code == 2
    assert "丁丽" in result.output and "丁丽珍" in result.output
    assert not (tmp_path / "c.docx").exists()
    assert jinshan_db.read_bytes() == before  # no certificate number was issued


def test_select_rows_ignores_padding():
    from honours.render.view import RegisterRow

    rows = [RegisterRow(1, "A-1", "马罡", "h", "c", "person"),
            RegisterRow(2, "A-2", "刘振", "h", "c", "person")]
    assert [r.certificate for r in select_rows(rows, ["刘\u3000振"])] == ["A-2"]
    with pytest.raises(CertificateError, match="close names: 马罡"):
        select_rows(rows, ["马刚"])


def test_no_font_is_a_clear_error(honours, jinshan_db, tmp_path, monkeypatch):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(empty))
    honours.db = jinshan_db
    before = jinshan_db.read_bytes()
    result = honours("certificates", "-o", str(tmp_path / "c.pdf"), ok=False)
    assert result.exit_code == 2
    assert "apt-get install fonts-arphic-ukai" in result.output
    assert "--font" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert jinshan_db.read_bytes() == before


def test_a_font_without_chinese_is_refused(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    latin = tmp_path / "latin.ttf"
    # any installed Latin-only font shows the check; a damaged file is refused too
    candidates = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))
    latin.write_bytes(candidates[0].read_bytes() if candidates else b"not a font")
    result = honours("certificates", "-o", str(tmp_path / "c.pdf"), "--font", str(latin),
                     ok=False)
    assert result.exit_code == 2
    message = result.output.replace("\n", "")
    assert "latin.ttf" in message
    assert ("no Chinese characters" if candidates else "not a readable font") in message


def test_layout_errors_are_clear(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    bad = tmp_path / "bad.toml"
    bad.write_text(PREPRINTED.replace("x = 105", "x = 180"), "utf-8")
    result = honours("certificates", "-o", str(tmp_path / "c.pdf"), "--layout", str(bad),
                     ok=False)
    assert result.exit_code == 2 and "reaches past the paper" in result.output
    bad.write_text(PREPRINTED.replace('align = "right"', 'align = "justify"'), "utf-8")
    result = honours("certificates", "-o", str(tmp_path / "c.pdf"), "--layout", str(bad),
                     ok=False)
    assert result.exit_code == 2 and "align must be one of" in result.output
    template = tmp_path / "t.toml"
    template.write_text('recipient = "{name}"\n', "utf-8")
    result = honours("certificates", "-o", str(tmp_path / "c.pdf"), "--template",
                     str(template), ok=False)
    assert result.exit_code == 2 and "unknown placeholder {name}" in result.output


@needs_font
def test_custom_template(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    template = tmp_path / "t.toml"
    template.write_text(
        'recipient = "授予 {recipient}"\nbody = "{work}"\ncertificate = "No. {certificate}"\n',
        "utf-8",
    )
    out = tmp_path / "c.pdf"
    honours("certificates", "区政协2024年度优秀提案", "-o", str(out), "--template",
            str(template), "--only", "朱豪杰")
    (page,) = pdf_pages_text(out)
    assert "授予 朱豪杰" in page and "同志" not in page and "No. JSZX2024-" in page
    assert "关于" in page  # the work's title


# -- calibration, background, preview, DOCX ---------------------------------------------


def test_calibration_page(honours, tmp_path):
    out = tmp_path / "cal.pdf"
    honours("certificates", "--calibration", "-o", str(out))
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width) * PT) == 297 and round(float(box.height) * PT) == 210
    words: list[list[dict]] = []  # runs of touching characters: the labels
    for box_ in char_boxes(out):
        last = words[-1][-1] if words else None
        if last and abs(box_["x0"] - last["x1"]) < 0.3 and abs(box_["top"] - last["top"]) < 0.3:
            words[-1].append(box_)
        else:
            words.append([box_])
    labels: dict[str, list[dict]] = {}
    for word in words:
        labels.setdefault("".join(c["char"] for c in word), []).append(word[0])
    for mm in (10, 50, 150, 280):
        # the label of the line at x = mm starts just right of it along the top edge
        tops = [b for b in labels.get(str(mm), []) if b["top"] < 5]
        assert tops, f"no label {mm} along the top"
        assert all(abs(b["x0"] - (mm + 0.4)) < 0.6 for b in tops)
    for mm in (20, 100, 200):
        assert str(mm) in labels


@needs_font
def test_background_png_and_pdf(honours, jinshan_db, tmp_path):
    from fpdf import FPDF
    from PIL import Image
    from pypdf import PdfReader

    honours.db = jinshan_db
    png = tmp_path / "design.png"
    Image.new("RGB", (297, 210), (250, 240, 200)).save(png)
    out = tmp_path / "png.pdf"
    honours("certificates", "-o", str(out), "--background", str(png),
            "--only", "马罡,丁丽珍")
    for page in PdfReader(str(out)).pages:
        objects = page["/Resources"]["/XObject"]
        assert any(o.get_object()["/Subtype"] == "/Image" for o in objects.values())

    design = FPDF(unit="mm", format="A4")
    design.add_page()
    design.set_font("helvetica", size=30)
    design.text(20, 40, "DESIGN-MARK")
    background = tmp_path / "design.pdf"
    design.output(str(background))
    out = tmp_path / "pdf.pdf"
    honours("certificates", "-o", str(out), "--background", str(background),
            "--only", "马罡,丁丽珍")
    pages = pdf_pages_text(out)
    assert len(pages) == 2
    for page in pages:
        assert "DESIGN-MARK" in page and "证书编号" in page
    result = honours("certificates", "-o", str(tmp_path / "c.docx"), "--background",
                     str(png), ok=False)
    assert result.exit_code == 2


@needs_font
def test_preview_png(honours, jinshan_db, tmp_path):
    from PIL import Image

    honours.db = jinshan_db
    preview = tmp_path / "first.png"
    honours("certificates", "-o", str(tmp_path / "c.pdf"), "--preview", str(preview))
    with Image.open(preview) as image:
        assert image.format == "PNG"
        width, height = image.size
        assert width > height > 500  # landscape A4 at 100 dpi: 1169 × 827
        # the title is red, the paper white: the picture is not blank
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert any(r > 150 and g < 90 and b < 90 for _, (r, g, b) in colours)


def test_docx_certificates(honours, jinshan_db, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    honours.db = jinshan_db
    honours("settings", "set", "date", "2024-12")
    out = tmp_path / "c.docx"
    honours("certificates", "-o", str(out))
    rows = register_rows(honours)
    document = Document(str(out))
    assert len(document.sections) == 96
    section = document.sections[0]
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    layout = load_layout()
    pages: list[list] = [[]]
    for paragraph in document.element.body.iter(qn("w:p")):
        ppr = paragraph.pPr
        frame = ppr.find(qn("w:framePr")) if ppr is not None else None
        if frame is not None:
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            pages[-1].append((frame, text, paragraph))
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            pages.append([])
    pages = [p for p in pages if p]
    assert len(pages) == 96
    for page, row in zip(pages, rows):
        texts = [text for _, text, _ in page]
        assert texts[0] == "荣 誉 证 书"
        assert bare(texts[1]).startswith(bare(row["获奖者"]))
        assert any(row["荣誉"] in t for t in texts)
        assert texts[-1] == f"证书编号：{row['证书编号']}" and "二〇二四年十二月" in texts
    frame = pages[0][1][0]
    recipient = layout.block("recipient")
    assert int(frame.get(qn("w:x"))) == round(recipient.x * 1440 / 25.4)
    # bottom-aligned (valign): the frame starts where its one line starts
    size_mm = float(pages[0][1][2].find(".//" + qn("w:sz")).get(qn("w:val"))) / 2 * PT
    top = recipient.y + recipient.height - size_mm * recipient.line_height
    assert abs(int(frame.get(qn("w:y"))) - top * 1440 / 25.4) <= 1
    assert frame.get(qn("w:hAnchor")) == "page" == frame.get(qn("w:vAnchor"))
    fonts = pages[0][1][2].find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "楷体"


def test_output_format_and_overwrite(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    result = honours("certificates", "-o", str(tmp_path / "c.txt"), ok=False)
    assert result.exit_code == 2 and ".pdf or .docx" in result.output
    existing = tmp_path / "c.docx"
    existing.write_text("keep")
    result = honours("certificates", "-o", str(existing), ok=False)
    assert result.exit_code == 2 and "--force" in result.output
    assert existing.read_text() == "keep"


def test_default_layout_and_template_ship_with_the_package():
    layout = load_layout()
    assert (layout.width, layout.height, layout.border) == (297, 210, True)
    assert [b.name for b in layout.blocks][:2] == ["title", "recipient"]
    assert layout.block("recipient").spread_names
    text = re.sub(r"\s", "", layout.block("title").text)
    assert text == "荣誉证书"


class _FakeFace:
    """A face of a font file as fontTools gives it: a name and a character map,
    counting how often the map is read (each read of a CJK face's costs 0.2 s)."""

    def __init__(self, family: str, characters: str, damaged: bool = False):
        self.family, self.characters, self.damaged, self.reads = family, characters, damaged, 0

    def __contains__(self, table: str) -> bool:
        return table in ("name", "glyf")

    def __getitem__(self, table: str):
        return self  # the name table, and the glyf table: every glyph has an outline

    def getDebugName(self, number: int) -> str:
        return self.family

    def getBestCmap(self) -> dict[int, str]:
        self.reads += 1
        if self.damaged:
            raise ValueError("a damaged cmap")
        return {ord(char): "glyph" for char in self.characters}

    numberOfContours = 1


def test_the_simplified_face_of_a_collection_is_chosen_reading_only_its_map():
    from honours.certificates.fonts import PROBE, _best_face

    tw, cn = _FakeFace("AR PL UKai TW", PROBE), _FakeFace("AR PL UKai CN", PROBE)
    choice = _best_face(Path("ukai.ttc"), [(0, tw), (1, cn)])
    assert (choice.index, choice.family) == (1, "AR PL UKai CN")
    assert (tw.reads, cn.reads) == (0, 1)
    # A simplified face that lacks the characters, or cannot be read, is passed over.
    for cn in (_FakeFace("Font SC", "荣誉"), _FakeFace("Font SC", PROBE, damaged=True)):
        hk = _FakeFace("Font HK", PROBE)
        assert _best_face(Path("f.ttc"), [(0, hk), (1, cn)]).index == 0
    assert _best_face(Path("f.ttf"), [(0, _FakeFace("Latin", "abc"))]) is None
