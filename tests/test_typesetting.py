"""The roll as GB/T 9704-2012 sets official documents, in PDF and DOCX: page
numbers (4号, "— n —", outer side, 7 mm below the text block), the 22 × 28 page,
font roles chosen by --font ROLE=FILE and a layout's [fonts], grids that keep
their columns, wrapped lines that hang, a work's title and proposer on one page.
Rolls are built here through the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from honours.certificates.fit import PT
from honours.render.grid import fixed_columns

from .test_certificates import FONT, bare, char_boxes, needs_font

LEFT, RIGHT_EDGE, BLOCK_BOTTOM = 28.0, 210.0 - 26.0, 297.0 - 35.0
ONE_14PT = 14 * PT  # 空一字 of the page number
ONE_16PT = 16 * PT  # a body character
#: 阿卜杜热合曼·艾则孜 is ten characters with the dot.
LONG_NAME = "阿卜杜热合曼·艾则孜"
LONG_UNIT = ("上海市金山区人民政府办公室信息与督查科暨区政府总值班室全体工作人员"
             "和他们的家属以及全体志愿者服务队")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def three_hundred_names() -> list[str]:
    names = [SURNAMES[i % 20] + GIVEN[i % 24] + GIVEN[(i * 7) % 24] for i in range(299)]
    names.insert(37, LONG_NAME)
    return names


def page_number_boxes(path: Path, page: int) -> list[dict]:
    return [box for box in char_boxes(path, page) if box["top"] > BLOCK_BOTTOM]


def ink_rows(png: Path, x0: float, x1: float, top: float, bottom: float) -> list[float]:
    """The rows (mm from the top, 300 dpi) with ink between x0 and x1 mm."""
    from PIL import Image

    image = Image.open(png).convert("L")
    per_mm = 300 / 25.4
    return [y / per_mm for y in range(int(top * per_mm), int(bottom * per_mm))
            if any(image.getpixel((x, y)) < 160
                   for x in range(int(x0 * per_mm), int(x1 * per_mm)))]


def font_names(path: Path, text: str) -> set[str]:
    """The fonts pdfminer reads the characters of the lines holding ``text`` in."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextLine

    found = set()

    def walk(item):
        if isinstance(item, LTTextLine):
            if text in bare(item.get_text()):
                found.update(c.fontname for c in item if isinstance(c, LTChar))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for page in extract_pages(str(path)):
        walk(page)
    return found


# -- page numbers --------------------------------------------------------------------


@needs_font
def test_page_numbers_are_4hao_on_the_outer_side_of_every_page(honours, jinshan_db, tmp_path):
    """"— 1 —" at 14 pt (it was drawn at 1 pt when the text had no "——"), odd
    pages at the right and even ones at the left, one character in."""
    honours.db = jinshan_db
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    for page in (0, 1):
        boxes = page_number_boxes(out, page)
        assert "".join(box["char"] for box in boxes) == f"—{page + 1}—"
        assert {round(box["size"], 1) for box in boxes} == {14.0}
        left, right = min(b["x0"] for b in boxes), max(b["x1"] for b in boxes)
        if page % 2 == 0:  # page 1, odd: its right end one character from the right edge
            assert abs(right - (RIGHT_EDGE - ONE_14PT)) < 0.3
        else:
            assert abs(left - (LEFT + ONE_14PT)) < 0.3
    other = tmp_path / "other.pdf"
    honours("export", "其他反映人", "-o", str(other))  # no "——" anywhere in its text
    assert {round(b["size"], 1) for b in page_number_boxes(other, 0)} == {14.0}


@needs_font
@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler's pdftoppm")
def test_page_number_dashes_are_inked_7mm_below_the_text_block(honours, jinshan_db, tmp_path):
    honours.db = jinshan_db
    out = tmp_path / "other.pdf"
    honours("export", "其他反映人", "-o", str(out))
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "page")], check=True)
    dash = page_number_boxes(out, 0)[0]
    rows = ink_rows(tmp_path / "page-1.png", dash["x0"] + 0.5, dash["x1"] - 0.5,
                    BLOCK_BOTTOM + 1, 290)
    assert rows, "the page number's dash has no ink"
    assert abs(rows[0] - (BLOCK_BOTTOM + 7)) < 0.5


def docx_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith(".xml")}


def test_docx_page_numbers_in_odd_and_even_footers(honours, jinshan_db, tmp_path):
    import docx

    honours.db = jinshan_db
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    assert "<w:evenAndOddHeaders/>" in docx_parts(out)["word/settings.xml"]
    section = docx.Document(str(out)).sections[0]
    # the dashes 7 mm below the text block (35 mm from the foot): the footer's
    # 四号 line half an em under them
    assert abs(section.footer_distance.mm - (35 - 7 - 14 * PT / 2)) < 0.1
    for footer, side, indent in ((section.footer, "right", "right_indent"),
                                 (section.even_page_footer, "left", "left_indent")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.text == "— 1 —" and "PAGE" in xml
        assert f'<w:jc w:val="{side}"/>' in xml
        assert abs(getattr(paragraph.paragraph_format, indent).pt - 14) < 0.1  # 空一字
        assert {run.font.size.pt for run in paragraph.runs} == {14.0}
        assert 'w:eastAsia="宋体"' in xml


def test_docx_is_on_the_22_line_28_character_page(honours, jinshan_db, tmp_path):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Length

    honours.db = jinshan_db
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    document = docx.Document(str(out))
    section = document.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch"))) / 20  # pt
    assert 22 * pitch <= 225 / PT < 23 * pitch  # 22 lines in the 225 mm block
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert abs(normal.paragraph_format.line_spacing.pt - pitch) < 0.1
    spacing = normal.element.rPr.find(qn("w:spacing"))
    advance = 16 + int(spacing.get(qn("w:val"))) / 20  # each 三号 character, condensed
    assert 28 * advance <= 156 / PT < 29 * advance  # 28 characters in the 156 mm line
    # the 28-character pitch as Word's character grid states it
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    line = Length(section.page_width - section.left_margin - section.right_margin).pt
    assert 28 * char_pitch <= line < 29 * char_pitch
    # grid tables without cell padding: a row holds the line's 28 characters
    assert document.tables
    for table in document.tables:
        padding = table._tbl.tblPr.find(qn("w:tblCellMar"))
        assert {m.get(qn("w:w")) for m in padding} == {"0"}


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                    reason="needs LibreOffice and poppler")
def test_docx_line_holds_28_characters_in_libreoffice(honours, tmp_path):
    honours("category", "add", "先进集体", "--kind", "unit", "--columns", "1")
    honours("add", "先进集体", LONG_UNIT)
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out)], check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", str(tmp_path / "roll.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    first = next(line.strip() for line in text.splitlines() if line.startswith("上海市"))
    assert len(first) == 28 and LONG_UNIT.startswith(first)


# -- font roles ----------------------------------------------------------------------


def test_font_options_name_roles_or_every_role(tmp_path):
    from honours.certificates import CertificateError
    from honours.certificates.font_roles import parse_font_options

    assert parse_font_options(["a.ttf"]) == ("a.ttf", {})
    assert parse_font_options(["title=FZXBSJW.TTF", "body=simfang.ttf", "b.ttf"]) == (
        "b.ttf", {"title": "FZXBSJW.TTF", "body": "simfang.ttf"})
    odd = tmp_path / "a=b.ttf"
    odd.write_bytes(b"")
    assert parse_font_options([str(odd)]) == (str(odd), {})  # a file whose name has "="
    with pytest.raises(CertificateError, match="unknown role 'heading3'"):
        parse_font_options(["heading3=x.ttf"])


@needs_font
def test_roles_from_font_options_and_a_layout_fonts_section(tmp_path):
    from honours.certificates.font_roles import ROLES, resolve_roles
    from honours.certificates.layout import load_layout

    chosen = resolve_roles([f"heading2={FONT.path}"])
    assert chosen["heading2"].path == FONT.path and chosen.sources["heading2"] == "--font"
    assert chosen.chosen == {"heading2"}
    every = resolve_roles([str(FONT.path)])
    assert {every[role].path for role in ROLES} == {FONT.path}
    layout_file = tmp_path / "fonts.toml"
    layout_file.write_text(f'[fonts]\ntitle = "{FONT.path}"\npage-number = "{FONT.path}"\n',
                           "utf-8")
    layout = load_layout(layout_file, blocks_required=False)
    assert layout.fonts == {"title": FONT.path, "page-number": FONT.path}
    from_layout = resolve_roles(None, layout.fonts, layout.font, layout.source)
    assert from_layout["title"].path == FONT.path
    assert from_layout.sources["title"] == str(layout_file)
    # --font wins over the file, for its role only
    both = resolve_roles([f"title={FONT.path}"], {"body": FONT.path}, None, "L")
    assert both.sources["title"] == "--font" and both.sources["body"] == "L"


def test_layout_fonts_section_is_checked(tmp_path):
    from honours.certificates import CertificateError
    from honours.certificates.layout import load_layout

    bad = tmp_path / "bad.toml"
    bad.write_text('[fonts]\nheading3 = "x.ttf"\n', "utf-8")
    with pytest.raises(CertificateError, match="unknown role"):
        load_layout(bad, blocks_required=False)
    fonts_only = tmp_path / "fonts-only.toml"
    fonts_only.write_text('[fonts]\nbody = "x.ttf"\n', "utf-8")
    assert load_layout(fonts_only, blocks_required=False).fonts == {"body": tmp_path / "x.ttf"}
    with pytest.raises(CertificateError, match="at least one"):
        load_layout(fonts_only)  # a certificate layout still needs its blocks


@needs_font
def test_export_font_role_option_sets_that_role_in_pdf_and_docx(honours, jinshan_db, tmp_path):
    import docx

    from honours.certificates.font_roles import HEADING1, family_name, resolve_roles

    if resolve_roles()[HEADING1].path == FONT.path:
        pytest.skip("the installed 黑体 stand-in is that font already")
    honours.db = jinshan_db
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out), "--font", f"heading1={FONT.path}")
    postscript = re.sub(r"\W", "", FONT.family)
    names = font_names(out, "一、信息工作成绩突出单位")
    assert names and all(postscript in name for name in names)
    layout_file = tmp_path / "fonts.toml"
    layout_file.write_text(f'[fonts]\ntitle = "{FONT.path}"\n', "utf-8")
    word = tmp_path / "roll.docx"
    honours("export", "-o", str(word), "--layout", str(layout_file))
    title = docx.Document(str(word)).styles["Title"]
    assert f'w:eastAsia="{family_name(FONT)}"' in title.element.xml
    result = honours("export", "-o", str(tmp_path / "x.pdf"), "--font", "heading3=x.ttf",
                     ok=False)
    assert result.exit_code == 2 and "unknown role" in result.output


def test_docx_names_the_windows_faces_of_the_roles(honours, jinshan_db, tmp_path):
    import docx

    honours.db = jinshan_db
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    styles = docx.Document(str(out)).styles
    faces = {name: re.search(r'w:eastAsia="([^"]+)"', styles[name].element.xml).group(1)
             for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Normal")}
    assert faces == {"Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "黑体",
                     "Heading 3": "楷体", "Normal": "仿宋"}
    assert styles["Title"].font.size.pt == 22


@needs_font
def test_doctor_shows_the_face_of_each_role(honours):
    output = honours("doctor", ok=False).output
    for role in ("title", "heading1", "heading2", "body", "page-number"):
        assert re.search(rf"{role}: \S", output)


# -- grids ---------------------------------------------------------------------------


def test_grid_keeps_its_columns_and_a_long_name_spans_cells():
    names = three_hundred_names()
    rows = fixed_columns(names, 5, 156, lambda name: len(name) * ONE_16PT, ONE_16PT)
    assert max(place.column + place.span for row in rows for place in row) == 5
    placed = [place for row in rows for place in row]
    assert [place.name for place in placed] == names  # every name, in order
    long = next(place for place in placed if place.name == LONG_NAME)
    assert long.span == 2
    after = placed[placed.index(long) + 1]
    assert after.column == (long.column + 2) % 5
    # a name needing more than the row has the whole row (it wraps there)
    rows = fixed_columns(["甲" * 40, "乙"], 3, 156, lambda name: len(name) * ONE_16PT, ONE_16PT)
    assert [[place.span for place in row] for row in rows] == [[3], [1]]


@needs_font
def test_pdf_grid_of_300_names_keeps_5_columns_with_one_long_name(honours, tmp_path):
    honours("category", "add", "优秀代表", "--columns", "5", "--sort", "manual")
    honours("add", "优秀代表", "--allow-duplicate", "-", input="\n".join(three_hundred_names()))
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    boxes = [box for box in char_boxes(out, 0) if box["top"] < BLOCK_BOTTOM]
    cell = 156 / 5
    for column in range(5):  # names begin at each of the five columns
        assert any(abs(box["x0"] - (LEFT + column * cell)) < 0.3 for box in boxes)
    long_row = [box for box in boxes if box["char"] in "阿则孜"]
    assert len(long_row) == 3 and len({round(box["top"], 1) for box in long_row}) == 1


def test_docx_grid_of_300_names_keeps_5_columns(honours, tmp_path):
    import docx
    from docx.oxml.ns import qn

    honours("category", "add", "优秀代表", "--columns", "5", "--sort", "manual")
    honours("add", "优秀代表", "--allow-duplicate", "-", input="\n".join(three_hundred_names()))
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    table = docx.Document(str(out)).tables[0]
    assert len(table.columns) == 5
    spans = [tc for tc in table._tbl.iter(qn("w:tc"))
             if LONG_NAME in "".join(t.text or "" for t in tc.iter(qn("w:t")))]
    assert len(spans) == 1
    assert spans[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "2"


# -- wrapped lines -------------------------------------------------------------------


def long_works(honours, count: int) -> None:
    honours("category", "add", "优秀提案", "--kind", "work", "--sort", "manual")
    for number in range(1, count + 1):
        honours("add", "优秀提案",
                f"关于进一步完善金山区基层社会治理体系、提升城乡社区服务能力和水平的建议第{number}号",
                "--proposer",
                "朱豪杰、顾磊帆、许华丽、青格勒吉日格乐、中国民主促进会上海市金山区委员会、"
                f"中国致公党上海市金山区委员会第{number}支部")


def line_starts(path: Path) -> dict[str, float]:
    """Each line of page 1's text block (its characters, left to right) and
    where its first character starts, in mm."""
    lines: dict[float, list[dict]] = {}
    for box in char_boxes(path, 0):
        if box["top"] < BLOCK_BOTTOM:
            lines.setdefault(round(box["top"]), []).append(box)
    return {"".join(b["char"] for b in sorted(line, key=lambda b: b["x0"])):
            min(b["x0"] for b in line) for line in lines.values()}


@needs_font
def test_pdf_wrapped_lines_hang(honours, tmp_path):
    honours("category", "add", "先进集体", "--kind", "unit", "--columns", "3",
            "--sort", "manual")
    honours("add", "先进集体", "民革界别", LONG_UNIT, "体育界别")
    long_works(honours, 1)
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    starts = line_starts(out)
    unit_lines = {bare(line): x for line, x in starts.items()
                  if bare(line) and bare(line) in LONG_UNIT}
    assert len(unit_lines) == 2
    first = next(line for line in unit_lines if LONG_UNIT.startswith(line))
    second = next(line for line in unit_lines if line != first)
    assert first + second == LONG_UNIT and abs(unit_lines[first] - LEFT) < 0.3
    # the unit's second line one character in: it does not read as the next unit
    assert abs(unit_lines[second] - (LEFT + ONE_16PT)) < 0.3
    # the proposer's further lines under the first character after "■ 提案者："
    name_x = next(box for box in char_boxes(out, 0) if box["char"] == "朱")["x0"]
    further = [x for line, x in starts.items()
               if "提案者" not in line and bare(line)
               and bare(line) in bare("青格勒吉日格乐、中国民主促进会上海市金山区委员会、"
                                      "中国致公党上海市金山区委员会第1支部")]
    assert further and all(abs(x - name_x) < 0.3 for x in further)


def test_docx_wrapped_lines_hang(honours, tmp_path):
    import docx

    long_works(honours, 1)
    honours("category", "add", "先进集体", "--kind", "unit", "--columns", "1")
    honours("add", "先进集体", LONG_UNIT)
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    document = docx.Document(str(out))
    paragraphs = {p.text[:2]: p.paragraph_format for p in document.paragraphs}
    proposer = paragraphs["■ "]
    # further lines at the first character after the label, the first line one character in
    assert proposer.first_line_indent < 0
    assert abs((proposer.left_indent + proposer.first_line_indent) / 12700 - 156 / 28 / PT) < 0.5
    title = paragraphs["1."]
    assert title.first_line_indent < 0 and title.left_indent + title.first_line_indent == 0
    unit = document.tables[0].rows[0].cells[0].paragraphs[0].paragraph_format
    assert unit.left_indent > 0 and unit.left_indent + unit.first_line_indent == 0


# -- a work on one page --------------------------------------------------------------


@needs_font
def test_pdf_title_and_proposer_on_one_page(honours, tmp_path):
    from pypdf import PdfReader

    long_works(honours, 24)
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    pages = [bare(page.extract_text().replace("\x00", ""))
             for page in PdfReader(str(out)).pages]
    assert len(pages) > 3
    for number in range(1, 25):
        holding = [page for page in pages if f"建议第{number}号" in page]
        assert len(holding) == 1
        assert f"委员会第{number}支部" in holding[0], f"work {number}: proposer on another page"


def test_docx_title_and_proposer_kept_together(honours, tmp_path):
    import docx

    long_works(honours, 2)
    out = tmp_path / "roll.docx"
    honours("export", "-o", str(out))
    kinds = []
    for paragraph in docx.Document(str(out)).paragraphs:
        layout = paragraph.paragraph_format
        if re.match(r"\d+\. ", paragraph.text):
            assert layout.keep_with_next and layout.keep_together
            kinds.append("title")
        elif paragraph.text.startswith("■"):
            assert layout.keep_together
            kinds.append("proposer")
    assert kinds == ["title", "proposer"] * 2


def test_wrap_keeps_given_words_whole():
    from honours.certificates.fit import wrap

    def measure(text, size):
        return len(text) * size * PT

    line = "■ 提案者：朱豪杰、阿卜杜热合曼·艾则孜、许华丽"
    width = 11 * 16 * PT  # eleven characters a line: the dotted name would break at 艾
    plain = [each.text for each in wrap(line, 16, width, 0.0, measure)]
    assert not any("阿卜杜热合曼·艾则孜" in text for text in plain)  # the plain rule breaks it
    kept = [each.text for each in wrap(line, 16, width, 0.0, measure,
                                       words=("朱豪杰", "阿卜杜热合曼·艾则孜", "许华丽"))]
    assert "".join(kept) == line
    assert any("阿卜杜热合曼·艾则孜" in text for text in kept)
    # a word wider than a line is broken like any text, never lost
    narrow = wrap(line, 16, 6 * 16 * PT, 0.0, measure, words=("阿卜杜热合曼·艾则孜",))
    assert "".join(each.text for each in narrow) == line


@needs_font
def test_pdf_proposer_names_are_never_broken_across_lines(honours, tmp_path):
    proposers = ["朱豪杰", "顾磊帆", "许华丽", "阿卜杜热合曼·艾则孜", "青格勒吉日格乐",
                 "中国致公党上海市金山区委员会", "玛日耶姆古丽·吾布力喀斯木", "王𬌗", "李四"]
    honours("category", "add", "优秀提案", "--kind", "work", "--sort", "manual")
    for count in range(3, len(proposers) + 1):  # lines of every length: breaks fall everywhere
        honours("add", "优秀提案", f"关于第{count}项工作的建议", "--proposer",
                "、".join(proposers[:count]), "--proposer-kind", "person")
    out = tmp_path / "roll.pdf"
    honours("export", "-o", str(out))
    for line in pdf_text_lines(out):
        if "、" not in line:
            continue  # titles, headings, page numbers (and a lone last name)
        pieces = bare(line).removeprefix("■").removeprefix("提案者：").split("、")
        for piece in (pieces[0], pieces[-1]):  # where a line starts and ends
            assert not piece or piece in proposers, (piece, line)


def pdf_text_lines(path: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    lines = [line for page in document
             for line in page.get_textpage().get_text_range().splitlines()]
    document.close()
    return lines


@needs_font
def test_pdf_export_prints_no_library_log_lines(jinshan_db, tmp_path):
    """fontTools' subsetter logs the bitmap tables it drops from AR PL faces ("BDF
    NOT subset; don't know how to subset; dropped"): not a message for a clerk."""
    from .conftest import run_cli

    result = run_cli("--db", str(jinshan_db), "export", "-o", str(tmp_path / "roll.pdf"))
    assert result.returncode == 0, result.stderr
    assert "subset" not in result.stderr and "dropped" not in result.stderr, result.stderr
    result = run_cli("--db", str(jinshan_db), "certificates", "-o", str(tmp_path / "c.pdf"))
    assert result.returncode == 0, result.stderr
    assert "subset" not in result.stderr, result.stderr
