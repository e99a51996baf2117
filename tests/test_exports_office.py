"""The .xlsx, .docx, HTML and Markdown exports of the published 2024 roll,
each opened again with its own library and checked for what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest

from honours.render import export_register, export_roll
from honours.render.tabular import WINNER_COLUMNS
from honours.render.text import PROPOSER_MARK, grid_rows
from honours.render.view import (
    REGISTER_COLUMNS,
    ExportOptions,
    RegisterRow,
    RegisterView,
    RollView,
)
from honours.roll import NewWinner, add_category, insert_winners, prepare_winners, roll_view
from honours.storage import Store

from .conftest import REPO, honours_command, long_tables_in_full, terminal_output
from .data.seed_jinshan_2024 import MEMBERS_2024, OTHERS_2024, names

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

IDEOGRAPHIC = "\u3000"
MEMBERS = "区政协2024年度反映社情民意信息工作成绩突出单位和个人/信息工作成绩突出个人/市、区政协委员"
OTHERS = "区政协2024年度反映社情民意信息工作成绩突出单位和个人/信息工作成绩突出个人/其他反映人"
HOSTILE_TITLE = "测试类别"
#: Names a spreadsheet would run, HTML would parse, or Markdown would format.
HOSTILE = ["=1+1", "@SUM(A1)", "<b>粗体</b>", "*星*_号_|竖线", "-1", "1. 题"]
FIRST_WORK = "做深“一粒米”文章，走乡村产业新“稻”路——关于金山稻米产业化发展的建议"
FIRST_PROPOSER = "中国民主促进会上海市金山区委员会"


def unpadded(grid: str) -> list[str]:
    return [name.replace(" ", "") for name in names(grid)]


def grid_lines(grid: str, padding: str = " ") -> list[list[str]]:
    """The seed grid's rows as printed, padded with ``padding``, last row filled."""
    rows = [line.replace(" ", padding).split("\t") for line in grid.strip().splitlines()]
    width = len(rows[0])
    return [row + [""] * (width - len(row)) for row in rows]


@pytest.fixture(scope="module")
def view(tmp_path_factory) -> RollView:
    """The example roll built by examples/jinshan-2024.sh through the real CLI,
    plus a manual category of hostile names added through the roll API."""
    folder = tmp_path_factory.mktemp("exports")
    database = folder / "roll.json"
    command = honours_command()
    if len(command) == 1:
        program = command[0]
    else:  # no console script: the example wants one program to call
        wrapper = folder / "honours"
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m honours "$@"\n')
        wrapper.chmod(0o755)
        program = str(wrapper)
    home = folder / "home"
    env = {
        **os.environ, "HONOURS": program, "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
    }
    env.pop("HONOURS_DB", None)
    subprocess.run(
        ["bash", str(REPO / "examples" / "jinshan-2024.sh"), str(database)],
        env=env, check=True, capture_output=True, timeout=300,
    )
    store = Store(database)
    with store.transaction() as db:
        category = add_category(db, HOSTILE_TITLE, kind="person", sort="manual")
        documents, problems = prepare_winners(db, category, [NewWinner(n) for n in HOSTILE])
        assert not problems
        insert_winners(db, category, documents)
    return roll_view(store.snapshot())


def register_of(view: RollView) -> RegisterView:
    """A register with one row per winner (the CLI's builder is not needed here)."""
    rows = []
    for section in view.walk():
        for entry in section.entries:
            work = section.kind == "work"
            rows.append(RegisterRow(
                sequence=len(rows) + 1,
                certificate=f"JS2024-{len(rows) + 1:04d}",
                recipient=entry.proposer if work else entry.name,
                honour=section.honour,
                category=section.path,
                kind=section.kind,
                work=entry.name if work else "",
            ))
    return RegisterView(title="光荣榜 证书发放名册", rows=rows)


def section_at(view: RollView, path: str):
    return next(section for section in view.walk() if section.path == path)


def grid_sections(view: RollView):
    return [s for s in view.walk() if s.kind != "work" and s.entries]


def test_example_view_is_the_published_roll(view):
    assert [e.name for e in section_at(view, MEMBERS).entries] == unpadded(MEMBERS_2024)
    assert [e.name for e in section_at(view, OTHERS).entries] == unpadded(OTHERS_2024)


# -- xlsx --------------------------------------------------------------------------------


def open_workbook(data: bytes):
    return openpyxl.load_workbook(BytesIO(data))


def test_xlsx_winner_sheet(view):
    book = open_workbook(export_roll(view, "xlsx"))
    assert book.sheetnames == ["名单", "光荣榜"]
    sheet = book["名单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == WINNER_COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert len(rows) == 1 + view.entry_count()
    by_category = {}
    for row in rows[1:]:
        by_category.setdefault(row[0], []).append(row[2])
    assert by_category[MEMBERS] == unpadded(MEMBERS_2024)
    assert by_category[OTHERS] == unpadded(OTHERS_2024)
    works = [row for row in rows[1:] if row[3] == "作品"]
    assert (works[0][1], works[0][2], works[0][4]) == (1, FIRST_PROPOSER, FIRST_WORK)

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:H{len(rows)}"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGH"}
    assert all(width and width >= 6 for width in widths.values())
    # CJK counts double: the category paths are far wider than the sequence numbers.
    assert widths["A"] > 2 * widths["B"]


def test_xlsx_neutralises_formulas(view):
    book = open_workbook(export_roll(view, "xlsx"))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    hostile = [row[2] for row in book["名单"].iter_rows(values_only=True)
               if row[0] == HOSTILE_TITLE]
    # Stored as text, exactly as typed: no apostrophe shows in Excel.
    assert hostile == ["=1+1", "@SUM(A1)", "<b>粗体</b>", "*星*_号_|竖线", "-1", "1. 题"]


def test_xlsx_cell_styles_survive_streaming(view):
    """The workbook is written row by row (write-only mode): every style the
    rows need is still there, cell by cell."""
    book = open_workbook(export_roll(view, "xlsx"))
    sheet = book["名单"]
    wrapped = {cell.column for cell in sheet[2] if cell.alignment.wrap_text}
    assert wrapped  # the long category paths wrap
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.alignment.vertical == "top"
            assert cell.font.name == "宋体" and cell.font.charset == 134
            assert bool(cell.alignment.wrap_text) == (cell.column in wrapped)
        height = sheet.row_dimensions[row[0].row].height
        assert height is None or height >= 2 * 15  # a row of one line: the default height
    formulas = [cell for row in sheet.iter_rows() for cell in row
                if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert formulas and all(cell.quotePrefix and cell.data_type == "s" for cell in formulas)
    roll = book["光荣榜"]
    headings = {section.heading for section in view.walk()}
    for (cell,) in roll.iter_rows(min_row=3, max_col=1):
        assert bool(cell.font.bold) == (cell.value in headings)
    assert roll["A1"].font.sz == 16 and roll["A1"].alignment.horizontal == "center"


def test_xlsx_roll_sheet_is_laid_out_like_the_roll(view):
    book = open_workbook(export_roll(view, "xlsx", ExportOptions(padding=IDEOGRAPHIC)))
    sheet = book["光荣榜"]
    assert sheet["A1"].value == "光荣榜"
    # Column A holds the works' numbers; the grid's five columns are B to F.
    merged = {str(merged) for merged in sheet.merged_cells.ranges}
    assert "A1:F1" in merged
    rows = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    first_column = [row[0] for row in rows]
    for section in view.walk():
        assert section.heading in first_column
    # Works: the number in its own column, the title and the proposer line beside it.
    title_at = [row[1] for row in rows].index(FIRST_WORK)
    assert rows[title_at][0] == "1."
    assert rows[title_at + 1][1] == f"{PROPOSER_MARK}{FIRST_PROPOSER}"
    assert f"B{title_at + 1}:F{title_at + 1}" in merged
    assert f"{PROPOSER_MARK}刘{IDEOGRAPHIC}振" in [row[1] for row in rows]
    # Grids: the published rows, two-character names padded with U+3000.
    for path, grid in ((MEMBERS, MEMBERS_2024), (OTHERS, OTHERS_2024)):
        start = first_column.index(section_at(view, path).heading) + 2
        expected = grid_lines(grid, IDEOGRAPHIC)
        assert [row[1:6] for row in rows[start : start + len(expected)]] == expected
    widths = [sheet.column_dimensions[letter].width for letter in "BCDEF"]
    assert len(set(widths)) == 1 and widths[0] > 10
    assert sheet.column_dimensions["A"].width < widths[0]


def test_xlsx_register(view):
    register = register_of(view)
    book = open_workbook(export_register(register, "xlsx"))
    assert book.sheetnames == ["证书发放名册"]
    sheet = book["证书发放名册"]
    assert sheet["A1"].value == register.title
    assert "A1:F1" in {str(merged) for merged in sheet.merged_cells.ranges}
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == REGISTER_COLUMNS
    assert len(rows) == 2 + len(register.rows)
    first = rows[2]
    assert first[:3] == (1, "JS2024-0001", FIRST_PROPOSER)
    assert first[3].startswith("区政协2024年度优秀提案") and FIRST_WORK in first[3]
    assert first[4:] == (None, None)
    recipients = [row[2] for row in rows[2:]]
    assert recipients.index("=1+1") > recipients.index("丁丽珍")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
            assert cell.data_type != "f"
    assert all(sheet.row_dimensions[n].height >= 28 for n in range(3, len(rows) + 1))
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9  # A4 in the OOXML paper size codes
    assert setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and int(setup.fitToWidth) == 1
    assert sheet.print_title_rows.replace("$", "") == "1:2"
    assert 0.5 < sheet.page_margins.left < 0.7  # about 1.5 cm, in inches
    assert sheet.column_dimensions["E"].width >= 14


# -- docx --------------------------------------------------------------------------------


def open_document(data: bytes):
    return docx.Document(BytesIO(data))


def spanned_rows(section, padding: str) -> list[list[str]]:
    """The grid's rows as python-docx reads them: each name once for each cell it
    spans (by the DOCX writer's measure), the last row padded with empty cells."""
    from honours.render.docx import CELL_MARGINS, grid_width
    from honours.render.grid import fixed_columns
    from honours.render.text import grid_names

    columns = max(1, section.columns)
    rows = []
    for placed in fixed_columns(grid_names(section, padding), columns, 156,
                              grid_width, CELL_MARGINS.mm):
        row = [""] * columns
        for place in placed:
            row[place.column:place.column + place.span] = [place.name] * place.span
        rows.append(row)
    return rows


def east_asian_font(style) -> str | None:
    from docx.oxml.ns import qn

    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_docx_roll(view):
    from docx.oxml.ns import qn

    document = open_document(export_roll(view, "docx", ExportOptions(padding=IDEOGRAPHIC)))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "光荣榜" and paragraphs[0].style.name == "Title"
    assert paragraphs[0].style.paragraph_format.alignment == 1  # centred by its style
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == [(f"Heading {s.depth + 1}", s.heading) for s in view.walk()]

    texts = [p.text for p in paragraphs]
    title_at = texts.index(f"1. {FIRST_WORK}")
    assert texts[title_at + 1] == f"{PROPOSER_MARK}{FIRST_PROPOSER}"
    assert texts[texts.index("12. 关于推动化工新材料产业升级，助力金山转型发展的建议") + 1] == (
        f"{PROPOSER_MARK}常{IDEOGRAPHIC}慧"
    )

    sections = grid_sections(view)
    assert len(document.tables) == len(sections)
    for table, section in zip(document.tables, sections):
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        # the section's columns; a long name over the cells it needs (python-docx
        # gives a merged cell once for each column it spans)
        assert len(table.columns) == section.columns
        assert cells == spanned_rows(section, IDEOGRAPHIC)
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    members = document.tables[[s.path for s in sections].index(MEMBERS)]
    assert [[c.text for c in row.cells] for row in members.rows] == grid_lines(
        MEMBERS_2024, IDEOGRAPHIC
    )
    hostile = document.tables[-1]
    assert list(dict.fromkeys(
        c.text for row in hostile.rows for c in row.cells if c.text)) == HOSTILE

    assert east_asian_font(document.styles["Normal"]) == "仿宋"
    # GB/T 9704 7.3.3: the award's heading and the first level 黑体, the second 楷体
    for level, face in ((1, "黑体"), (2, "黑体"), (3, "楷体"), (4, "仿宋")):
        assert east_asian_font(document.styles[f"Heading {level}"]) == face
    page = document.sections[0]
    assert abs(page.page_width.mm - 210) < 0.5 and abs(page.page_height.mm - 297) < 0.5


def test_docx_register(view):
    from docx.oxml.ns import qn
    from docx.shared import Mm

    register = register_of(view)
    document = open_document(export_register(register, "docx"))
    page = document.sections[0]
    assert page.orientation == 1  # landscape
    assert abs(page.page_width.mm - 297) < 0.5 and abs(page.page_height.mm - 210) < 0.5
    assert document.paragraphs[0].text == register.title
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == list(REGISTER_COLUMNS)
    assert len(rows) == 1 + len(register.rows)
    assert rows[1][:3] == ["1", "JS2024-0001", FIRST_PROPOSER]
    assert FIRST_WORK in rows[1][3]
    assert all(row[4] == "" and row[5] == "" for row in rows[1:])
    assert ["=1+1", "<b>粗体</b>"] == [row[2] for row in rows if row[2] in ("=1+1", "<b>粗体</b>")]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.style.name == "Table Grid"
    assert table.columns[4].width >= Mm(30) and table.columns[5].width >= Mm(25)
    assert all(row.height >= Mm(10) for row in table.rows[1:])


# -- html --------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects what a reader sees: title, headings, table cells, list items."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.lang = ""
        self.title = ""
        self.headings: list[tuple[str, str]] = []
        self.tables: list[list[list[str]]] = []
        self.items: list[list[str]] = []
        self.style = ""
        self._open: list[str] = []
        self._text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang", "")
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag == "li":
            self.items.append([])
        if tag in ("title", "style", "td", "p") or tag[0] == "h" and tag[1:].isdigit():
            self._text = ""
        self._open.append(tag)

    def handle_data(self, data):
        self._text += data

    def handle_endtag(self, tag):
        self._open.pop()
        if tag == "title":
            self.title = self._text
        elif tag == "style":
            self.style = self._text
        elif tag == "td":
            self.tables[-1][-1].append(self._text)
        elif tag == "p" and "li" in self._open:
            self.items[-1].append(self._text)
        elif tag[0] == "h" and tag[1:].isdigit():
            self.headings.append((tag, self._text))


def test_html_page(view):
    data = export_roll(view, "html")
    text = data.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    page = Page()
    page.feed(text)
    page.close()
    assert page.lang == "zh-CN" and page.title == "光荣榜"
    assert page.headings[0] == ("h1", "光荣榜")
    assert page.headings[1:] == [(f"h{min(s.depth + 2, 6)}", s.heading) for s in view.walk()]
    sections = grid_sections(view)
    assert len(page.tables) == len(sections)
    for table, section in zip(page.tables, sections):
        # the section's column count, or fewer when a long name needs the room
        assert len(table[0]) <= section.columns
        assert table == grid_rows(section, columns=len(table[0]))
    assert "white-space: pre;" not in text  # long names wrap, never overprint
    assert page.tables[[s.path for s in sections].index(MEMBERS)] == grid_lines(MEMBERS_2024)
    assert page.items[0] == [FIRST_WORK, f"{PROPOSER_MARK}{FIRST_PROPOSER}"]
    assert len(page.items) == 12
    assert '<li value="12">' in text
    # Escaping: the name <b>粗体</b> is text, not a bold tag.
    assert [cell for row in page.tables[-1] for cell in row if cell] == HOSTILE
    assert "b" not in page.tags
    assert "&lt;b&gt;粗体&lt;/b&gt;" in text
    assert "size: A4" in page.style and "@page" in page.style
    assert '"FangSong"' in page.style and '"仿宋"' in page.style and "serif" in page.style


# -- markdown ----------------------------------------------------------------------------


def table_line(row: list[str]) -> str:
    return "| " + " | ".join(row) + " |"


def test_markdown_text(view):
    text = export_roll(view, "md").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 光荣榜"
    for section in view.walk():
        assert "#" * min(section.depth + 2, 6) + " " + section.heading in lines
    assert "#### 1. 市、区政协委员（37名，按姓氏笔画排序）" in lines
    at = lines.index("#### 1. 市、区政协委员（37名，按姓氏笔画排序）")
    expected = [table_line(row) for row in grid_lines(MEMBERS_2024)]
    assert lines[at + 2 : at + 4] == ["|   |   |   |   |   |", "| --- | --- | --- | --- | --- |"]
    assert lines[at + 4 : at + 4 + len(expected)] == expected
    assert f"1. {FIRST_WORK}" in lines
    assert lines[lines.index(f"1. {FIRST_WORK}") + 2] == f"    {PROPOSER_MARK}{FIRST_PROPOSER}"
    hostile = lines[lines.index(f"## {HOSTILE_TITLE}（6名）") + 4]
    assert hostile == r"| =1+1 | @SUM(A1) | \<b\>粗体\</b\> | \*星\*\_号\_\|竖线 | -1 |"


def test_markdown_renders_as_written(view):
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(
        export_roll(view, "md", ExportOptions(padding=IDEOGRAPHIC)).decode("utf-8")
    )
    page = Page()
    page.feed(html)
    page.close()
    sections = grid_sections(view)
    assert len(page.tables) == len(sections)
    for table, section in zip(page.tables, sections):
        assert table[0] == []  # the empty header row (th cells, not collected)
        assert table[1:] == grid_rows(section, IDEOGRAPHIC)
    page.tables = [table[1:] for table in page.tables]
    # Hostile names come back literally, and nothing turned into markup.
    assert [cell for row in page.tables[-1] for cell in row if cell] == HOSTILE
    assert page.tables[-1][1][0] == "1. 题"
    assert not {"b", "em", "strong", "del"} & set(page.tags)
    assert page.items[0] == [FIRST_WORK, f"{PROPOSER_MARK}{FIRST_PROPOSER}"]
    assert page.items[10] == [
        "关于朱泾镇健康路（新汇街-亭枫公路）交通组织调整方案的建议",
        f"{PROPOSER_MARK}刘{IDEOGRAPHIC}振",
    ]


def test_exports_write_files(view, tmp_path: Path):
    """Every format round-trips through a file on disk, as the CLI writes them."""
    for fmt in ("xlsx", "docx", "html", "md"):
        target = tmp_path / f"roll.{fmt}"
        target.write_bytes(export_roll(view, fmt))
        assert target.stat().st_size > 0
    assert open_workbook((tmp_path / "roll.xlsx").read_bytes())["名单"]["A2"].value
    assert open_document((tmp_path / "roll.docx").read_bytes()).paragraphs[0].text == "光荣榜"


# -- terminal ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [20, 40, 80, 200])
def test_terminal_grids_print_as_rich_tables_would(view, width, monkeypatch):
    """Grids are laid out line by line (a rich Table per grid took a minute for
    100,000 names): the output is the table's, character for character, at any
    terminal width (a grid too wide for it is left to the table)."""
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from honours.render import terminal

    def printed() -> str:
        console = Console(file=io.StringIO(), width=width, highlight=False, soft_wrap=True,
                          color_system=None)
        for padding in (" ", IDEOGRAPHIC):
            console.print(terminal.render_terminal(view, padding))
        return console.file.getvalue()

    fast = printed()
    laid_out = terminal._Grid.__rich_console__

    def as_table(grid, console, options):
        layout = grid.layout(options.max_width)
        if any(cell_len(name) > layout.cell for row in layout.rows for name, _ in row):
            return laid_out(grid, console, options)  # a long name spans cells: not a table
        return iter([grid.table(options.max_width)])

    monkeypatch.setattr(terminal._Grid, "__rich_console__", as_table)
    assert fast == printed()


@pytest.mark.parametrize("width", [30, 60, 80, 250])
def test_terminal_register_prints_as_the_rich_table_would(view, width, monkeypatch):
    """The register is written line by line (rich took a millisecond a row):
    the same characters as rich's table, wrapped rows, pending marks and all."""
    from honours.cli import rolls

    register = register_of(view)
    for row in register.rows[::3]:
        row.pending = True

    def printed() -> str:
        return terminal_output(monkeypatch, rolls, width, lambda: rolls._print_register(register))

    fast = printed()
    assert "*" in fast
    long_tables_in_full(monkeypatch)
    assert fast == printed()


# -- the xlsx rows: written as openpyxl writes them ----------------------------------------

#: Text a cell writer must get right: escaping, xml:space, formulas, error codes,
#: characters XML cannot hold, Excel's length limit, characters outside the BMP.
AWKWARD = [
    "=1+1", "=", "#N/A", "#REF!", "a&b<c>d\"e'f", " 前空格", "后空格 ", "\u3000全角空格",
    "制表\t符", "回车\r换行\n", "控制\x01\x1f字符", "代理\ud800对", "非字符\ufffe\uffff",
    "𠀀𪚥", "", "x" * 40000, "-1", "@SUM(A1)", "张" * 60,
]


def awkward_view() -> RollView:
    """A roll whose names, paths and notes are the awkward texts above."""
    from honours.render.view import Entry, Section

    entries = [Entry(id=number, name=name or "无名", position=number, note=name,
                     affiliation=AWKWARD[-number], certificate=name[:12])
               for number, name in enumerate(AWKWARD, start=1)]
    section = Section(id=1, title="怪名 ", path="表彰/怪名 ", kind="person", sort="manual",
                      measure="名", columns=4, description="\t说明 ", depth=0, number="",
                      count=len(entries), honour="=荣誉", entries=entries)
    works = Section(id=2, title="作品", path="表彰/作品", kind="work", sort="manual",
                    measure="件", columns=1, description="", depth=1, number="一、",
                    count=2, honour="优秀作品",
                    entries=[Entry(id=100, name="《题目》&<>", position=1, proposer="=提案"),
                             Entry(id=101, name="题目\n二", position=2, proposer=" ")])
    section.children = [works]
    return RollView(title="光荣榜 &", sections=[section])


def xlsx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a workbook, without the one that holds the time it was made."""
    import zipfile

    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}


@pytest.mark.parametrize("which", ["example", "awkward"])
def test_xlsx_rows_are_written_as_openpyxl_writes_them(view, which, monkeypatch):
    """The rows are written as text (openpyxl's cells cost 25 µs each: 23 s for a
    roll of 100,000 winners); every part of the file is the same, byte for byte,
    as when openpyxl writes every cell itself: the roll, under each option, and
    the register."""
    from honours.render import xlsx

    roll = view if which == "example" else awkward_view()
    options = [ExportOptions(), ExportOptions(padding=IDEOGRAPHIC, with_affiliation=True)]
    register = register_of(roll)
    for row in register.rows[::4]:
        row.affiliation = "单位&"

    def written() -> list[dict[str, bytes]]:
        return ([xlsx_parts(export_roll(roll, "xlsx", option)) for option in options]
                + [xlsx_parts(export_register(register, "xlsx"))])

    fast = written()
    monkeypatch.setattr(xlsx, "REFERENCE_WRITER", True)
    reference = written()
    for ours, theirs in zip(fast, reference):
        assert list(ours) == list(theirs)
        for name in ours:
            assert ours[name] == theirs[name], name
    sheet = fast[0]["xl/worksheets/sheet1.xml"]
    assert b"<sheetData><row" in sheet  # the rows are there, not an empty sheet


def test_xlsx_awkward_text_reads_back():
    """What the awkward texts become in the workbook, read back by openpyxl."""
    book = open_workbook(export_roll(awkward_view(), "xlsx"))
    names = [row[2] for row in book["名单"].iter_rows(min_row=2, values_only=True)]
    expected = [name or "无名" for name in AWKWARD] + ["=提案", " "]
    expected = [name.replace("\x01", "").replace("\x1f", "").replace("\ud800", "")
                .replace("\ufffe", "").replace("\uffff", "")[:32767] for name in expected]
    assert names == expected
    assert book["名单"]["C2"].data_type == "s" and book["名单"]["C2"].quotePrefix


def test_xlsx_spaces_are_what_strip_strips():
    from honours.render.xlsx import _SPACES

    assert _SPACES == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize("width", [30, 80])
def test_terminal_register_of_awkward_texts_prints_as_rich_would(width, monkeypatch):
    """Tabs, full-width spaces, line breaks, characters outside the BMP: rows
    that are not one printable line are left to rich, the rest written."""
    from honours.cli import rolls

    register = register_of(awkward_view())
    for row in register.rows[::2]:
        row.pending = True
        row.affiliation = "单位 甲"

    def printed() -> str:
        return terminal_output(monkeypatch, rolls, width, lambda: rolls._print_register(register))

    fast = printed()
    long_tables_in_full(monkeypatch)
    assert fast == printed()


# -- the xlsx row writer and measures, against their definitions ----------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from openpyxl.styles import Alignment  # noqa: E402

#: Cell values as the renderers give them, awkward ones included.
cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-10**16, max_value=10**16),
    st.sampled_from(AWKWARD[:-2] + ["张三", "第31中学", "2026-0001", "x" * 40, "&", "#1"]),
    st.text(alphabet="张三 a=#&<>\n\t1", max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell_values, min_size=1, max_size=5), min_size=1, max_size=80),
       st.data())
def test_xlsx_rows_of_any_values_are_written_as_openpyxl_writes_them(rows, data):
    """Rows of one shape are written from one format string, rows whose every
    column is alike without a look at each row; every row must still come out
    as openpyxl writes it.  Rows are made alike (a column of one type, each cell
    empty or each not) often enough to take that path too."""
    from honours.render import xlsx

    if data.draw(st.booleans()):  # one shape for every row: the uniform path
        alike = {int: st.integers(min_value=-10**16, max_value=10**16),
                 str: st.sampled_from(["张三", "a&b", "=1", "李 ", "2026-0001", "x" * 9]),
                 type(None): st.none()}
        shape = rows[0]
        rows = [[value if type(value) is str and not value else data.draw(alike[type(value)])
                 for value in shape]
                for _ in range(xlsx._UNIFORM_ROWS + data.draw(st.integers(0, 5)))]
    heights = data.draw(st.lists(st.sampled_from([None, 15, 30.5]), min_size=len(rows),
                                 max_size=len(rows)))
    alignment = data.draw(st.sampled_from([None, Alignment(horizontal="center"),
                                           [Alignment(wrap_text=True)] * 5]))

    def written(reference: bool) -> dict[str, bytes]:
        workbook = xlsx._workbook()
        sheet = workbook.create_sheet("表")
        out = xlsx._Rows(sheet) if reference else xlsx._FastRows(sheet)
        out.append(["标题"], font=xlsx._BOLD)
        out.append_rows(rows, heights, alignment=alignment, border=xlsx._BOX)
        out.append([1, "尾"])
        return xlsx_parts(xlsx._save(workbook, out))

    assert written(reference=False) == written(reference=True)


@settings(max_examples=200, deadline=None)
@given(st.sets(cell_values, max_size=30))
def test_the_widest_value_is_the_width_of_the_widest(values):
    from honours.render.xlsx import _widest, _width

    assert _widest(values) == max(map(_width, values), default=0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(cell_values, min_size=3, max_size=3), min_size=1, max_size=20),
       st.sampled_from([4, 10, 40]))
def test_most_lines_is_the_most_of_each_rows_wrapped_lines(rows, width):
    from honours.render.xlsx import _most_lines, _wrapped_lines

    widths = {1: width, 3: width + 6}
    assert _most_lines(rows, [1, 3], widths) == [
        max(1, _wrapped_lines(width, row[0]), _wrapped_lines(width + 6, row[2]))
        for row in rows]
