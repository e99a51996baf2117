"""Certificate layouts that hold on long text and over the office's design:
a long unit name wraps before it shrinks below the body text (issue 23), and a
--background design replaces the default border and title (PDF and calibration)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from honours.certificates import CertificateError
from honours.certificates.fit import fit_page
from honours.certificates.fonts import find_font
from honours.certificates.layout import default_layout_text, load_layout, parse_layout

try:
    FONT = find_font()
except CertificateError:
    FONT = None

needs_font = pytest.mark.skipif(FONT is None, reason="no CJK font installed")

UNITS = (
    "中国共产党国网上海市电力公司金山供电公司委员会",
    "中国民主促进会上海市金山区委员会机关第一支部暨社会服务工作联合委员会",
    "中国共产党国网上海市电力公司金山供电公司委员会党委办公室",
)
BODY = "被评为区政协2024年度反映社情民意信息工作成绩突出单位。\n特发此证，以资鼓励。"


def em_measure(text: str, size: float) -> float:
    """Every character one em wide, as the CJK fonts set Chinese text."""
    return len(text) * size * 25.4 / 72


@pytest.mark.parametrize("unit", UNITS)
def test_a_long_unit_name_wraps_before_it_shrinks_below_the_body(unit):
    layout = load_layout()
    fitted = fit_page({"recipient": unit + "：", "body": BODY}, layout, lambda block: em_measure)
    recipient, body = fitted["recipient"], fitted["body"]
    assert recipient.size >= body.size  # never smaller than the text under it
    assert "".join(line.text for line in recipient.lines) == unit + "："
    block = layout.block("recipient")
    assert all(line.width <= block.width + 1e-6 for line in recipient.lines)
    assert all(len(line.text) > 2 for line in recipient.lines)  # no widow 会：


def test_a_recipient_that_cannot_stay_at_the_body_size_is_warned_about():
    layout = load_layout()
    huge = "".join(UNITS) * 2  # three lines do not fit the block at 20 pt
    fitted = fit_page({"recipient": huge + "：", "body": BODY}, layout, lambda block: em_measure)
    assert fitted["recipient"].below_minimum  # draw_text warns, naming the certificate
    assert layout.block("recipient").min_font_size == layout.block("body").font_size


def test_border_keys():
    base = '[[block]]\nname = "title"\ntext = "荣誉证书"\nx = 10\ny = 10\nwidth = 100\n' \
           'height = 20\nfont-size = 30\n'
    for value, blank, over in (("true", True, True), ("false", False, False),
                               ('"blank"', True, False)):
        layout = parse_layout(f"[paper]\nborder = {value}\n" + base, "t")
        assert (layout.border, layout.under_background().border) == (blank, over)
        assert [b.name for b in layout.under_background().blocks] == ["title"]
    hidden = parse_layout(base + "with-background = false\n", "t")
    assert [b.name for b in hidden.blocks] == ["title"]
    assert hidden.under_background().blocks == []
    for bad in ('border = "yes"', "border = 1"):
        with pytest.raises(CertificateError, match="border must be"):
            parse_layout(f"[paper]\n{bad}\n" + base, "t")
    with pytest.raises(CertificateError, match="with-background must be true or false"):
        parse_layout(base + 'with-background = "no"\n', "t")


def _page_operators(path) -> list[str]:
    from pypdf import PdfReader

    return [page.get_contents().get_data().decode("latin-1") for page in PdfReader(str(path)).pages]


def _rectangles(content: str) -> int:
    return len(re.findall(r"\bre\b", content))


def _certificates_roll(honours):
    honours("category", "add", "先进集体", "--kind", "unit", "--honour", "区政协2024年度先进集体")
    honours("add", "先进集体", UNITS[1], "民革界别")
    honours("settings", "set", "issuer", "政协上海市金山区委员会")
    honours("settings", "set", "date", "2024-12")


def _design(tmp_path):
    from PIL import Image

    png = tmp_path / "design.png"
    Image.new("RGB", (297, 210), (250, 240, 200)).save(png)
    return png


@needs_font
def test_a_background_replaces_the_default_border_and_title(honours, tmp_path):
    from pypdf import PdfReader

    _certificates_roll(honours)
    plain, over = tmp_path / "plain.pdf", tmp_path / "over.pdf"
    honours("certificates", "-o", str(plain))
    honours("certificates", "-o", str(over), "--background", str(_design(tmp_path)))
    for page in PdfReader(str(plain)).pages:
        assert "荣誉证书" in "".join(page.extract_text().split())
    for content in _page_operators(plain):
        assert _rectangles(content) == 2  # the double border
    for page in PdfReader(str(over)).pages:
        text = "".join(page.extract_text().split())
        assert "荣誉证书" not in text and "证书编号" in text
    for content in _page_operators(over):
        assert _rectangles(content) == 0  # the design has its own border

    # a layout that asks for them keeps them over the design
    layout = (default_layout_text()
              .replace('border = "blank"', "border = true")
              .replace("with-background = false", ""))
    asked = tmp_path / "asked.toml"
    asked.write_text(layout, "utf-8")
    kept = tmp_path / "kept.pdf"
    honours("certificates", "-o", str(kept), "--layout", str(asked),
            "--background", str(_design(tmp_path)))
    for page, content in zip(PdfReader(str(kept)).pages, _page_operators(kept)):
        assert "荣誉证书" in "".join(page.extract_text().split())
        assert _rectangles(content) == 2


@needs_font
def test_the_calibration_page_over_a_background_shows_what_prints(honours, tmp_path):
    from pypdf import PdfReader

    plain, over = tmp_path / "plain.pdf", tmp_path / "over.pdf"
    honours("certificates", "--calibration", "-o", str(plain))
    honours("certificates", "--calibration", "-o", str(over),
            "--background", str(_design(tmp_path)))
    plain_text = PdfReader(str(plain)).pages[0].extract_text()
    page = PdfReader(str(over)).pages[0]
    assert re.search(r"\btitle\b", plain_text)
    assert not re.search(r"\btitle\b", page.extract_text())  # not printed over the design
    assert re.search(r"\brecipient\b", page.extract_text())
    objects = page["/Resources"]["/XObject"]
    assert any(o.get_object()["/Subtype"] == "/Image" for o in objects.values())


# -- the office's Word template: one page per certificate -------------------------------

TEMPLATE = Path(__file__).resolve().parent.parent / "examples" / "证书模板.docx"
#: 61 characters, as long as the honours of real rolls get
LONG_HONOUR = ("区政协2024年度反映社情民意信息工作暨推进长三角生态绿色一体化发展示范区建设"
               "与乡村振兴战略调研成果转化优秀提案")
LONG_TITLE = ("关于进一步完善金山区社区嵌入式养老服务体系建设、推动医养康养深度融合、"
              "促进老年助餐服务提质扩面和长三角区域养老资源共享的建议")


def _work_roll(honours, honour: str = LONG_HONOUR):
    honours("category", "add", "优秀提案", "--kind", "work", "--honour", honour)
    honours("add", "优秀提案", LONG_TITLE, "--proposer", UNITS[1])
    honours("add", "优秀提案", "关于加快金山区数字化转型的建议",
            "--proposer", "阿卜杜热合曼·艾则孜")
    honours("add", "优秀提案", "关于金山农业的建议", "--proposer", "马罡")
    honours("settings", "set", "issuer", "政协上海市金山区委员会")
    honours("settings", "set", "date", "2024-12")


def _pdf_pages(docx: Path, tmp_path: Path) -> int:
    from pypdf import PdfReader

    subprocess.run([shutil.which("soffice"), "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    return len(PdfReader(str(docx.with_suffix(".pdf"))).pages)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_long_honour_and_title_stay_on_the_templates_one_page(honours, tmp_path):
    from docx import Document

    _work_roll(honours)
    out = tmp_path / "证书.docx"
    honours("certificates", "--docx-template", str(TEMPLATE), "-o", str(out))
    assert _pdf_pages(out, tmp_path) == 3  # one page per certificate, none spilled
    sizes = {}
    for paragraph in Document(str(out)).paragraphs:
        for run in paragraph.runs:
            if run.text.strip() and run.font.size:
                sizes.setdefault(run.text[:6], set()).add(run.font.size.pt)
    assert min(sizes["你单位提交的"]) < 20 <= max(sizes["你提交的《关"])  # only the long one shrank
    assert min(sizes["你单位提交的"]) >= 12  # not below the floor


def test_a_template_fill_that_cannot_fit_is_refused_before_any_number(honours, tmp_path):
    _work_roll(honours, honour="先进" * 400)
    out = tmp_path / "证书.docx"
    before = honours.db.read_bytes()
    result = honours("certificates", "--docx-template", str(TEMPLATE), "-o", str(out), ok=False)
    assert result.exit_code == 2 and not out.exists()
    assert UNITS[1] in result.output and "{正文}" in result.output
    assert honours.db.read_bytes() == before  # no certificate number was issued


def test_the_estimate_reads_table_cells_and_text_widths():
    from docx import Document
    from docx.shared import Mm, Pt

    from honours.certificates.word import _q
    from honours.certificates.wordfit import Estimate, Page, Styles

    document = Document()
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.width = Mm(100)
    run = cell.paragraphs[0].add_run("很" * 60)
    run.font.size = Pt(20)
    body = document.element.body
    estimate = Estimate(Styles(document.styles.element), Page.of(body.find(_q("w:sectPr"))))
    lines, size = estimate.lines(cell.paragraphs[0]._p, 100 - 2 * 108 * 25.4 / 1440)
    assert size == 20 and lines == 5  # 14 characters of 7.06 mm in 96.2 mm


def test_docx_frames_follow_the_blocks_vertical_alignment(honours, tmp_path):
    """The default recipient is bottom-aligned: in the DOCX its frame starts where
    the PDF's line does, above the body, not at the top of the two-line block."""
    from docx import Document

    _certificates_roll(honours)
    out = tmp_path / "c.docx"
    honours("certificates", "-o", str(out), "--only", "民革界别")
    block = load_layout().block("recipient")
    for paragraph in Document(str(out)).paragraphs:
        if paragraph.text.startswith("民革界别"):
            frame = paragraph._p.pPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}framePr")
            y = int(frame.get(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}y")) * 25.4 / 1440
            size_mm = paragraph.runs[0].font.size.pt * 25.4 / 72
            assert abs(y - (block.y + block.height - size_mm * block.line_height)) < 0.1
            break
    else:
        raise AssertionError("no recipient paragraph")
