"""Print-ready output (issue 12): the wording of certificates for people, units
and works, Chinese line breaking without widows, grouped blocks, missing glyphs,
warnings, the office's own Word template, and the roll as a PDF — checked on
the files the commands write, for the example roll and a stress roll."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from honours.certificates.fit import (
    NO_END,
    NO_START,
    PT,
    Line,
    _may_break,
    _tokens,
    fit,
    has_widow,
    wrap,
)
from honours.certificates.layout import load_layout
from honours.certificates.wording import default_author_label, default_honour, merit_clause

from .conftest import REPO
from .test_certificates import FONT, bare, char_boxes, needs_font, pdf_pages_text

AWARD = "区政协2024年度反映社情民意信息工作成绩突出单位和个人"
PROPOSALS = "区政协2024年度优秀提案"


def em(text: str, size: float) -> float:
    """Every character one em wide, in mm."""
    return len(text) * size * PT


# -- wording ---------------------------------------------------------------------------


def test_default_honour_is_one_phrase_as_published():
    assert default_honour([PROPOSALS]) == PROPOSALS
    assert default_honour([AWARD, "信息工作成绩突出单位"]) == (
        "区政协2024年度反映社情民意信息工作成绩突出单位")
    # a list below the honour's level groups its winners and adds nothing
    assert default_honour([AWARD, "信息工作成绩突出个人", "市、区政协委员"]) == (
        "区政协2024年度反映社情民意信息工作成绩突出个人")
    assert default_honour(["2024学年度表彰", "优秀教师"]) == "2024学年度优秀教师"
    assert default_honour(["金山中学表彰", "优秀班主任"]) == "金山中学优秀班主任"
    assert default_honour(["2024年度表彰", "2025年度优秀教师"]) == "2025年度优秀教师"
    for titles in ([AWARD, "信息工作成绩突出个人", "其他反映人"], ["优秀", "教师"]):
        assert " " not in default_honour(titles)


def test_author_label_and_year_clause():
    assert default_author_label([PROPOSALS]) == "提案者"
    assert default_author_label(["2024学年度表彰", "优秀论文"]) == "作者"
    assert merit_clause("2024", "优秀教师") == "在2024年度工作中成绩突出，"
    assert merit_clause("2024", "2025年度优秀教师") == ""  # never a year twice


def school_roll(honours) -> None:
    """A school's year-end roll: teachers, classes, units, papers with authors."""
    honours("settings", "set", "year", "2024")
    honours("settings", "set", "date", "2025-01")
    honours("settings", "set", "issuer", "上海市金山区某某实验学校")
    honours("category", "add", "2024学年度表彰", "--kind", "person", "--sort", "manual")
    honours("category", "add", "优秀教师", "--parent", "2024学年度表彰")
    honours("add", "2024学年度表彰/优秀教师", "马罡", "阿依古丽·买买提", "欧阳建国",
            "刘振", "买买提江·艾合买提", "李娜")
    honours("category", "add", "先进班集体", "--parent", "2024学年度表彰", "--kind", "unit")
    honours("add", "2024学年度表彰/先进班集体", "初二（3）班",
            "上海市金山区某某实验学校初中部二〇二四届（3）班")
    honours("category", "add", "优秀论文", "--parent", "2024学年度表彰", "--kind", "work")
    honours("add", "2024学年度表彰/优秀论文",
            "核心素养视域下初中数学单元整体教学设计与实践研究——以“函数”单元为例",
            "--proposer", "张三", "--affiliation", "数学组")
    honours("category", "add", "优秀教研组", "--parent", "2024学年度表彰", "--kind", "unit",
            "--honour", "上海市金山区教育系统2024学年度教育教学工作成绩突出优秀教研组")
    honours("add", "2024学年度表彰/优秀教研组", "数学组",
            "上海市金山区某某实验学校初中部语文教研组")


@needs_font
def test_certificates_name_the_work_and_word_each_kind(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out))
    pages = [bare(p) for p in pdf_pages_text(out)]
    first = pages[0]  # a proposal of a unit
    assert "中国民主促进会上海市金山区委员会：" in first
    assert "你单位提交的《做深“一粒米”文章" in first and "被评为区政协2024年度优秀提案。" in first
    person_work = next(p for p in pages if "朱豪杰" in p)
    assert "朱豪杰同志：" in person_work and "你提交的《关于巩固国家生态文明建设" in person_work
    member = next(p for p in pages if "马\u3000罡" in p or "马罡" in p)
    # the honour carries the year: no "在2024年度工作中" before it
    assert "被评为区政协2024年度反映社情民意信息工作成绩突出个人。" in member
    assert "2024年度工作中" not in member
    assert all(" " not in re.sub(r"^荣 誉 证 书", "", p.strip()).split("JSZX")[0]
               for p in pdf_pages_text(out)[:3])


@needs_font
def test_school_roll_wording(honours, tmp_path):
    school_roll(honours)
    out = tmp_path / "school.pdf"
    honours("certificates", "-o", str(out))
    pages = [bare(p) for p in pdf_pages_text(out)]
    teacher = next(p for p in pages if "欧阳建国" in p)
    # the honour names its year: it is not said twice
    assert "欧阳建国同志：被评为2024学年度优秀教师。特发此证，以资鼓励。" in teacher
    paper = next(p for p in pages if "张三" in p)
    assert "你撰写的《核心素养视域下" in paper and "被评为2024学年度优秀论文。" in paper
    text = honours("show").output
    assert "■ 作者：张三" in text.replace("张 三", "张三")
    honours("category", "edit", "优秀论文", "--author-label", "执笔人")
    assert "■ 执笔人：" in honours("show").output


# -- line breaking ---------------------------------------------------------------------

CHARACTERS = st.sampled_from(list("荣誉证书优秀提案者，。、：；！？）》」（《「“”—…·") + ["2024"])


@settings(max_examples=300, deadline=None)
@given(st.lists(CHARACTERS, min_size=1, max_size=60), st.integers(min_value=3, max_value=20))
def test_wrap_follows_chinese_rules(parts, width_in_chars):
    text = "".join(parts)
    lines = wrap(text, 10, width_in_chars * 10 * PT * 1.0001 + 4 * 10 * PT, 0.0, em)
    if lines is None:
        return
    assert "".join(line.text for line in lines) == text
    for previous, line in zip(lines, lines[1:]):
        breaks_rule = (line.text[:1] in NO_START or previous.text[-1:] in NO_END
                       or (previous.text.endswith("—") and line.text.startswith("—")))
        if breaks_rule:
            # only where the line offered no better place (punctuation only)
            tokens = _tokens(previous.text + line.text[:1])
            assert not any(_may_break(a, b) for a, b in zip(tokens, tokens[1:])), (
                previous.text, line.text)


def test_no_widow_in_the_body_when_it_can_be_avoided():
    block = load_layout().block("body")
    for honour in ("区政协2024年度优秀提案", "区政协2024年度优秀政协委员",
                   "上海市金山区教育系统2024学年度教育教学工作成绩突出优秀教研组"):
        for prefix in ("", "在2024年度工作中成绩突出，",
                       "你单位提交的《关于金山区发展合成生物产业的建议》"):
            text = f"{prefix}被评为{honour}。\n特发此证，以资鼓励。"
            fitted = fit(text, block, em)
            assert not has_widow(text, fitted.lines), [line.text for line in fitted.lines]
            assert fitted.size >= block.font_size * 0.9 - 1e-9 or len(fitted.lines) > 3


def test_a_widow_is_detected():
    assert has_widow("x", [Line("优秀提", 0, 0), Line("案。", 0, 0)])
    assert not has_widow("x", [Line("优秀提案。", 0, 0)])


# -- the PDFs, structurally ------------------------------------------------------------


def body_lines(boxes: list[dict], block) -> list[list[dict]]:
    inside = [b for b in boxes if block.y - 1 <= b["top"] <= block.y + block.height]
    lines: list[list[dict]] = []
    for box in sorted(inside, key=lambda b: (round(b["top"], 0), b["x0"])):
        if lines and abs(lines[-1][0]["top"] - box["top"]) < 1:
            lines[-1].append(box)
        else:
            lines.append([box])
    return lines


def assert_printable(path: Path, layout=None) -> None:
    """Every page: fonts embedded, no character outside the page, and (with a
    layout) no body paragraph ending in a line of one or two characters."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    for number, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width) * PT, float(page.mediabox.height) * PT
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
        boxes = char_boxes(path, number)
        assert boxes, f"page {number + 1} has no text"
        for box in boxes:
            assert -0.5 <= box["x0"] and box["x1"] <= width + 0.5, box
            assert -0.5 <= box["top"] and box["bottom"] <= height + 0.5, box
        if layout is None:
            continue
        body = layout.block("body")
        lines = body_lines(boxes, body)
        starts = [i for i, line in enumerate(lines) if line[0]["x0"] > body.x + 2]
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(lines)
            paragraph = lines[start:end]
            if len(paragraph) > 1:
                last = "".join(c["char"] for c in paragraph[-1])
                assert len(last) > 2, f"page {number + 1}: widow {last!r}"


@needs_font
def test_example_roll_certificates_are_printable(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out))
    assert_printable(out, load_layout())


@needs_font
def test_stress_roll_certificates_are_printable(honours, tmp_path):
    school_roll(honours)
    award = "上海市金山区2024年度社区治理和公共服务工作成绩突出的先进集体和先进个人"
    honours("category", "add", award, "--kind", "unit")
    honours("add", award,
            "中国民主促进会上海市金山区委员会社会服务工作委员会第三支部",
            "上海市金山区石化街道办事处社区服务中心（党群服务中心）", "漕泾镇")
    out = tmp_path / "stress.pdf"
    honours("certificates", "-o", str(out))
    assert_printable(out, load_layout())
    text = [bare(p) for p in pdf_pages_text(out)]
    assert any("阿依古丽·买买提同志" in p for p in text)


@needs_font
def test_issuer_and_date_scale_together(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    honours("settings", "set", "issuer", "中国人民政治协商会议上海市金山区委员会办公室（盖章）")
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--only", "马罡")
    layout = load_layout()
    boxes = char_boxes(out)
    sizes = {}
    for name in ("issuer", "date"):
        block = layout.block(name)
        sizes[name] = {round(b["size"], 1) for b in boxes
                       if block.y - 0.5 <= b["top"] <= block.y + block.height}
    assert len(sizes["issuer"]) == 1 and sizes["issuer"] == sizes["date"]
    assert max(sizes["issuer"]) < layout.block("issuer").font_size


@needs_font
def test_pdf_metadata(honours, jinshan_db, tmp_path):
    from pypdf import PdfReader

    honours.db = jinshan_db
    out = tmp_path / "c.pdf"
    honours("certificates", "-o", str(out), "--only", "马罡")
    meta = PdfReader(str(out)).metadata
    assert "荣誉证书" in meta.title
    assert meta.author == "政协上海市金山区委员会"
    assert meta.subject == "区政协2024年度反映社情民意信息工作成绩突出个人"


# -- missing glyphs and warnings -------------------------------------------------------

RARE = "李\U00020BB7"  # 𠮷, CJK extension B: not in AR PL UKai


@needs_font
def test_missing_glyph_is_an_error_naming_character_and_winner(honours, jinshan_db, tmp_path,
                                                              monkeypatch):
    from honours.certificates.fonts import undrawn

    if not undrawn(FONT, "\U00020BB7"):
        pytest.skip("the installed font draws 𠮷")
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(FONT.path.parent))  # no fallback font
    honours.db = jinshan_db
    honours("add", f"{AWARD}/信息工作成绩突出个人/其他反映人", RARE)
    out = tmp_path / "c.pdf"
    result = honours("certificates", "-o", str(out), "--only", RARE, ok=False)
    assert result.exit_code == 2
    assert "\U00020BB7" in result.output and "U+20BB7" in result.output and RARE in result.output
    assert "--allow-missing-glyphs" in result.output
    assert not out.exists()
    # refused before a certificate number was issued
    assert "issued" not in result.output
    import json

    winners = json.loads(honours.db.read_text("utf-8"))["winners"].values()
    assert not [w for w in winners if w["name"] == RARE and w.get("certificate")]
    result = honours("certificates", "-o", str(out), "--only", RARE, "--allow-missing-glyphs")
    assert out.exists() and "printed blank" in result.output


@needs_font
def test_missing_glyph_falls_back_to_another_installed_font(honours, jinshan_db, tmp_path):
    from pypdf import PdfReader

    from honours.certificates.fonts import faces_drawing

    if not faces_drawing({"\U00020BB7"}):
        pytest.skip("no installed font draws 𠮷 (apt-get install fonts-noto-cjk)")
    honours.db = jinshan_db
    honours("add", f"{AWARD}/信息工作成绩突出个人/其他反映人", RARE)
    out = tmp_path / "c.pdf"
    result = honours("certificates", "-o", str(out), "--only", RARE)
    assert "drawn with" in result.output
    fonts = PdfReader(str(out)).pages[0]["/Resources"]["/Font"]
    assert len(fonts) == 2  # the main font and the fallback, both embedded
    from pdfminer.high_level import extract_text

    assert RARE in bare(extract_text(str(out))) or "李" in extract_text(str(out))


@needs_font
def test_warnings_for_issuer_date_and_background(honours, jinshan_db, tmp_path):
    from PIL import Image

    honours.db = jinshan_db
    honours("settings", "set", "issuer", "")
    honours("settings", "set", "date", "")
    wide = tmp_path / "wide.png"
    Image.new("RGB", (400, 200), (250, 240, 200)).save(wide)
    result = honours("certificates", "-o", str(tmp_path / "c.pdf"), "--only", "马罡",
                     "--background", str(wide))
    assert "no issuer is set" in result.output
    assert "no date is set" in result.output and "this month" in result.output
    assert "stretched" in result.output
    right = tmp_path / "right.png"
    Image.new("RGB", (297, 210), (250, 240, 200)).save(right)
    result = honours("certificates", "-o", str(tmp_path / "d.pdf"), "--only", "马罡",
                     "--background", str(right))
    assert "stretched" not in result.output


def test_scale_bar_is_where_no_block_is():
    from honours.certificates.layout import parse_layout
    from honours.certificates.pdf import BAR_BOX, scale_bar_place

    crowded = """
[paper]
size = "A4"
orientation = "landscape"
[[block]]
name = "a"
x = 20
y = 150
width = 257
height = 55
font-size = 12
"""
    for layout in (load_layout(), parse_layout(crowded, "test")):
        left, y = scale_bar_place(layout)
        x0, y0 = left + BAR_BOX[0], y + BAR_BOX[1]
        for block in layout.blocks:
            apart = (x0 + BAR_BOX[2] <= block.x or block.x + block.width <= x0
                     or y0 + BAR_BOX[3] <= block.y or block.y + block.height <= y0)
            assert apart, (block.name, left, y)
        assert 0 <= x0 and x0 + BAR_BOX[2] <= layout.width
        assert 0 <= y0 and y0 + BAR_BOX[3] <= layout.height


# -- the office's own Word template ----------------------------------------------------

EXAMPLE_TEMPLATE = REPO / "examples" / "证书模板.docx"


def body_texts(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_word_template_fills_one_copy_per_winner(honours, jinshan_db, tmp_path):
    import docx

    honours.db = jinshan_db
    out = tmp_path / "word.docx"
    honours("certificates", "--docx-template", str(EXAMPLE_TEMPLATE), "-o", str(out),
            "信息工作成绩突出单位")
    document = docx.Document(str(out))
    assert len(document.sections) == 16  # one section (page) per winner
    texts = [p.text for p in document.paragraphs]
    joined = "\n".join(texts)
    assert "{" not in joined and "}" not in joined
    assert "民革界别：" in texts  # {姓}{名} split across runs, then {称谓} empty for a unit
    assert joined.count("被评为区政协2024年度反映社情民意信息工作成绩突出单位。") == 16
    assert joined.count("政协上海市金山区委员会") == 16
    # the background picture behind the text is in every copy, with unique ids
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("word/document.xml").decode()
    assert xml.count('behindDoc="1"') == 16
    ids = re.findall(r'<wp:docPr id="(\d+)"', xml)
    assert len(ids) == len(set(ids)) == 16
    for section in document.sections:
        assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210


def test_word_template_placeholders_split_across_runs(honours, jinshan_db, tmp_path):
    import docx
    from docx.shared import Pt

    template = docx.Document()
    paragraph = template.add_paragraph()
    for piece in ("兹授予", "{", "姓", "名", "}", "同志", "{hon", "our}", "称号（", "{编号}", "）"):
        run = paragraph.add_run(piece)
        run.font.size = Pt(20)
    framed = template.add_paragraph("{落款} {日期} {年度}年 {作品}{单位}")
    from docx.oxml import parse_xml

    framed._p.get_or_add_pPr().insert(0, parse_xml(
        '<w:framePr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:w="3000" w:h="600" w:hAnchor="page" w:vAnchor="page" w:x="1000" w:y="2000"/>'))
    path = tmp_path / "t.docx"
    template.save(str(path))
    honours.db = jinshan_db
    out = tmp_path / "out.docx"
    honours("certificates", "--docx-template", str(path), "-o", str(out), "--only", "马罡")
    texts = body_texts(out)
    assert re.fullmatch(
        # 马　罡 spread as the PDF prints it (the template's own text kept)
        r"兹授予马　罡同志区政协2024年度反映社情民意信息工作成绩突出个人称号（JSZX2024-\d{3}）",
        texts[0]), texts[0]
    assert texts[1] == "政协上海市金山区委员会 二〇二四年十二月 2024年 "
    filled = docx.Document(str(out))
    sizes = {run.font.size for run in filled.paragraphs[0].runs if run.text}
    assert sizes == {Pt(20)}  # the template's formatting kept
    assert filled.paragraphs[1]._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}framePr") is not None


def test_word_template_errors(honours, jinshan_db, tmp_path):
    import docx

    honours.db = jinshan_db
    bad = docx.Document()
    bad.add_paragraph("{姓名} {奖项}")
    path = tmp_path / "bad.docx"
    bad.save(str(path))
    result = honours("certificates", "--docx-template", str(path), "-o",
                     str(tmp_path / "o.docx"), ok=False)
    assert result.exit_code == 2 and "{奖项}" in result.output
    none = docx.Document()
    none.add_paragraph("荣誉证书")
    none.save(str(path))
    result = honours("certificates", "--docx-template", str(path), "-o",
                     str(tmp_path / "o.docx"), ok=False)
    assert result.exit_code == 2 and "no placeholder" in result.output
    header = docx.Document()
    header.add_paragraph("{荣誉}")
    header.sections[0].header.paragraphs[0].text = "{姓名}"
    header.save(str(path))
    result = honours("certificates", "--docx-template", str(path), "-o",
                     str(tmp_path / "o.docx"), ok=False)
    assert result.exit_code == 2 and "header" in result.output
    (tmp_path / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    result = honours("certificates", "--docx-template", str(tmp_path / "x.doc"), "-o",
                     str(tmp_path / "o.docx"), ok=False)
    assert result.exit_code == 2 and ".docx" in result.output
    result = honours("certificates", "--docx-template", str(EXAMPLE_TEMPLATE), "-o",
                     str(tmp_path / "o.pdf"), ok=False)
    assert result.exit_code == 2 and "FILE.docx" in result.output
    assert not (tmp_path / "o.docx").exists()


def test_bundled_word_template_is_what_the_script_writes(tmp_path):
    from .conftest import load_script

    script = load_script("make_word_template")
    fresh = docx_text(script.build())
    assert fresh == docx_text(EXAMPLE_TEMPLATE.read_bytes())
    assert "{姓名}{称谓}：" in fresh and "{正文}" in fresh


def docx_text(data: bytes) -> list[str]:
    import docx

    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# -- the roll as offices print it ------------------------------------------------------


@needs_font
def test_roll_pdf(honours, jinshan_db, tmp_path):
    from pypdf import PdfReader

    honours.db = jinshan_db
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert round(float(page.mediabox.width) * PT) == 210
        assert round(float(page.mediabox.height) * PT) == 297
    # pypdf reads the 2-byte codes of fpdf2's CFF faces (the title's and the
    # headings' Noto CJK) with a NUL before each character
    pages = [page.extract_text().replace("\x00", "") for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert f"— {number} —" in text
    everything = "\n".join(pages)
    assert "光荣榜" in pages[0] and "区政协2024年度优秀提案（12件）" in bare(everything)
    assert "1.市、区政协委员（37名，按姓氏笔画排序）" in bare(everything)
    assert "马\u3000罡" in everything  # ideographic padding by default
    assert "■ 提案者：中国民主促进会上海市金山区委员会" in everything
    lines = [line.strip() for line in everything.splitlines()]
    # grid names are whole on their lines: 16 units, none broken
    for unit in ("九三学社界别", "张堰镇地区联络组", "枫泾镇地区联络组"):
        assert any(unit in line for line in lines)
    assert reader.metadata.title == "光荣榜"
    assert reader.metadata.author == "政协上海市金山区委员会"
    assert_printable(out)


@needs_font
def test_roll_pdf_embeds_glyphs_as_the_font_has_them(honours, jinshan_db, tmp_path):
    """The subset keeps each glyph as the font has it (its box too): recomputing
    the boxes re-encoded every glyph used, a second for a long roll's 600 glyphs."""
    import io

    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    honours.db = jinshan_db
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    descriptor = PdfReader(str(out)).pages[0]["/Resources"]["/Font"].values()
    embedded = None
    for font in descriptor:
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        file = descendant["/FontDescriptor"].get_object().get("/FontFile2")
        if file is not None:
            embedded = TTFont(io.BytesIO(file.get_object().get_data()))
            break
    assert embedded is not None
    from honours.certificates.font_roles import BODY, resolve_roles

    body = resolve_roles()[BODY]  # the first TrueType face embedded: the body's
    original = TTFont(str(body.path), fontNumber=body.index, lazy=True)
    compared = 0
    for ch in "提案者中国民主":  # body text (the title and headings have faces of their own)
        name = original.getBestCmap()[ord(ch)]
        ours = embedded["glyf"].glyphs.get(name)
        assert ours is not None and hasattr(ours, "data")
        theirs = original["glyf"].glyphs[name].data
        # the same bytes (box, outline, hints), but for the table's zero padding
        assert theirs.startswith(ours.data) and not theirs[len(ours.data):].strip(b"\0")
        compared += 1
    assert compared == 7


@needs_font
def test_roll_pdf_with_affiliation_and_long_names(honours, tmp_path):
    school_roll(honours)
    honours("add", "2024学年度表彰/优秀教师", "王五", "--affiliation", "数学组")
    out = tmp_path / "school.pdf"
    honours("export", "-o", str(out), "--with-affiliation")
    text = "\n".join(pdf_pages_text(out))
    assert "王\u3000五（数学组）" in text
    assert "■ 作者：张\u3000三（数学组）" in text
    # the long class name is never split: it has a line of its own
    assert "上海市金山区某某实验学校初中部二〇二四届（3）班" in bare(text)
    assert_printable(out)


def test_docx_roll_is_chinese_and_numbered(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        settings_xml = archive.read("word/settings.xml").decode()
        footers = [archive.read(n).decode() for n in archive.namelist() if "footer" in n]
        document = archive.read("word/document.xml").decode()
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings_xml)
    assert any("PAGE" in footer for footer in footers)
    assert "马\u3000罡" in document  # ideographic padding by default in Word
    register = tmp_path / "register.docx"
    honours("register", "-f", "docx", "-o", str(register))
    with zipfile.ZipFile(register) as archive:
        assert any("PAGE" in archive.read(n).decode()
                   for n in archive.namelist() if "footer" in n)


def test_docx_grid_keeps_its_columns_and_a_long_name_spans_them(honours, tmp_path):
    import docx

    honours("category", "add", "先进集体", "--kind", "unit", "--columns", "3")
    long = "上海市金山区石化街道办事处社区服务中心（党群服务中心）"
    honours("add", "先进集体", "民革界别", long, "漕泾镇", "民建界别")
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    table = docx.Document(str(out)).tables[0]
    assert len(table.columns) == 3  # the section's columns, whatever the longest name
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    # the long name needs the whole row: the names after it continue on the next
    assert rows == [["民革界别", "", ""], [long] * 3, ["漕泾镇", "民建界别", ""]]


def test_xlsx_print_setup_and_font(honours, jinshan_db, tmp_path):
    import openpyxl

    honours.db = jinshan_db
    out = tmp_path / "roll.xlsx"
    honours("export", "-o", str(out))
    workbook = openpyxl.load_workbook(out)
    for sheet in workbook.worksheets:
        assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_margins.left > 0.5
        assert sheet["A1"].font.name == "宋体"
    assert workbook["名单"].print_title_rows == "$1:$1"
    assert workbook["名单"].column_dimensions["A"].width > 20  # from the content


def test_register_has_a_unit_column_when_any_winner_has_one(honours, tmp_path):
    import csv

    honours("category", "add", "优秀教师")
    honours("add", "优秀教师", "张三", "--affiliation", "数学组")
    honours("add", "优秀教师", "李四")
    out = tmp_path / "r.csv"
    honours("register", "-f", "csv", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0] == ["序号", "证书编号", "获奖者", "单位", "荣誉", "签收", "日期"]
    assert sorted(row[2:4] for row in rows[1:]) == [["张三", "数学组"], ["李四", ""]]
    assert "单位" in honours("register").output
    text = honours("export", "-f", "txt", "-o", "-", "--with-affiliation").output
    assert "张 三（数学组）" in text


def test_html_grids_never_overprint(honours, tmp_path):
    honours("category", "add", "先进集体", "--kind", "unit", "--columns", "3")
    honours("add", "先进集体", "民革界别", "上海市金山区石化街道办事处社区服务中心（党群服务中心）")
    out = tmp_path / "roll.html"
    honours("export", "-o", str(out))
    html = out.read_text("utf-8")
    assert "white-space: pre-wrap" in html and "overflow-wrap: anywhere" in html
    # The grid keeps its three columns; the long name spans them rather than
    # wrapping inside one.
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    assert rows[0].count("<td") == 3
    assert '<td colspan="3">上海市金山区石化街道办事处社区服务中心（党群服务中心）</td>' in rows[1]


def test_author_label_survives_json_export_and_import(honours, tmp_path):
    honours("category", "add", "优秀论文", "--kind", "work", "--author-label", "执笔人")
    honours("add", "优秀论文", "论城市更新", "--proposer", "张三")
    out = tmp_path / "exported.json"
    honours("export", "-o", str(out))
    assert '"author_label": "执笔人"' in out.read_text("utf-8")
    honours.db = tmp_path / "again.json"
    honours("import", str(out))
    assert "■ 执笔人：张 三" in honours("show").output


TITLE_CHARACTERS = st.text(
    alphabet="区政协年度优秀提案信息工作成绩突出单位和个人教师班集体表彰名单",
    min_size=1, max_size=16)


@settings(max_examples=200, deadline=None)
@given(st.lists(TITLE_CHARACTERS, min_size=1, max_size=4), st.sampled_from(["", "2024年度"]))
@example(titles=["个名单", "表彰名单"], year="")  # every level below the award list-only
def test_default_honour_keeps_the_list_words(titles, year):
    titles = [year + titles[0]] + titles[1:]
    honour = default_honour(titles)
    assert " " not in honour and honour
    if len(titles) == 1:  # the title, less a word that only names the list (名单)
        assert titles[0].startswith(honour) and honour
    else:
        # the honour ends as the first list below the award does: a deeper
        # grouping's title (市、区政协委员) never becomes the honour, nor a level
        # that only introduces the lists (表彰名单)
        from honours.certificates.wording import _list_only

        items = [title for title in titles[1:] if not _list_only(title)]
        if not items:  # only levels that introduce lists: the award's own honour
            assert honour == default_honour(titles[:1])
            return
        item = items[0]
        assert honour.endswith(item[-1])
        assert len(honour) >= len(item)


def test_export_font_option_is_for_pdf_and_docx(honours, tmp_path):
    honours("category", "add", "优秀教师")
    result = honours("export", "-o", str(tmp_path / "r.txt"), "--font", "x.ttf", ok=False)
    assert result.exit_code == 2 and "--format pdf and docx" in result.output
    result = honours("export", "-o", str(tmp_path / "r.docx"), "--font", "x.ttf", ok=False)
    assert result.exit_code == 2 and "no such font file" in result.output
    result = honours("export", "-o", str(tmp_path / "r.pdf"), "--font",
                     str(tmp_path / "missing.ttf"), ok=False)
    assert result.exit_code == 2 and "no such font file" in result.output
    assert not (tmp_path / "r.pdf").exists()


@needs_font
@pytest.mark.parametrize("options", [{}, {"with_affiliation": True, "padding": " "}])
def test_roll_pdf_is_the_same_without_its_shortcuts(jinshan_db, options, monkeypatch):
    """The roll PDF skips set_font when the font is set already, draws a name in one
    font without looking at each character, draws a grid line of names with one
    font and baseline, and does not wrap a grid name that
    fits its column: the file is the same as with set_font before every piece of
    text, fonts chosen a character at a time and wrap() for every name (but for
    its date and the /ID made from it).  Includes a name too long for one line, and rare
    characters that need a fallback font."""
    import re

    from honours.certificates.pdf import _Fonts
    from honours.render.pdf import _Roll
    from honours.render.view import Entry, ExportOptions, Section
    from honours.roll import roll_view
    from honours.storage import Store

    view = roll_view(Store(jinshan_db).snapshot())
    long = "上海市金山区某某实验学校初中部二〇二四届（3）班全体同学和他们的班主任老师" * 2
    view.sections.append(Section(
        id=999, title="另册", path="另册", kind="person", sort="manual", measure="名",
        columns=4, description="", depth=0, number="", count=4, honour="另册",
        entries=[Entry(id=990 + n, name=name, position=n, affiliation="组 ")
                 for n, name in enumerate(["龘靐", long, "王 ", " 李"], start=1)]))

    def rendered() -> bytes:
        data = render_roll(view, ExportOptions(allow_missing_glyphs=True, **options))
        return re.sub(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", data)

    from honours.render.pdf import BODY_SIZE, render_roll

    fast = rendered()
    monkeypatch.setattr(_Roll, "font", lambda roll, family, size: roll.pdf.set_font(
        family, size=size))
    monkeypatch.setattr(_Roll, "name_lines", lambda roll, name, width, measured: [
        line.text for line in roll._lines(name, BODY_SIZE, width, BODY_SIZE * PT)])
    monkeypatch.setattr(_Fonts, "runs", _Fonts.runs_by_character)
    monkeypatch.setattr(_Roll, "draw_row", lambda roll, lefts, texts, size: [
        roll.draw(left, text, size) for left, text in zip(lefts, texts)])
    assert fast == rendered()
