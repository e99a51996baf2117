"""Layouts that hold on long text (issue 23, scope 5) in the xlsx workbook, the
HTML page and the terminal: bounded column widths, wrapped cells with fitted
row heights, borders, U+3000 padding, a grid that keeps its columns and lets a
long name span cells, and ``show`` that wraps, never cuts.  The roll is built
through the CLI: minority names (阿卜杜热合曼·艾则孜, 青格勒吉日格乐),
two-character names, long unit names and a work with a long title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from honours.render.view import PADDINGS

openpyxl = pytest.importorskip("openpyxl")

IDEOGRAPHIC = "\u3000"
#: 31 characters, 62 cells: wider than a 60-column terminal.
LONG_UNIT = "国网上海市电力公司金山供电公司中国共产党委员会办公室党群工作部"
UNITS = ["民革界别", "民建界别", "致公党界别", "九三学社界别", "张堰镇地区联络组", LONG_UNIT,
         "中共界别", "教育界别"]
LONG_PERSON = "阿卜杜热合曼·艾则孜"
PEOPLE = ["王芳", "刘振", "朱志兰", LONG_PERSON, "青格勒吉日格乐", "陈佑", "陈建宇", "姚仰南",
          "高仙", "高瑛", "郭晓峰", "曹丹蕾", "沈蓓雷", "韩美珍", "金丽丽", "杨旦红"]
LONG_TITLE = ("关于进一步加强金山区老旧小区综合改造、加装电梯及完善社区养老服务设施建设，"
              "切实提升居民获得感和幸福感的建议")
AWARD = "区政协2024年度反映社情民意信息工作成绩突出单位和个人"


@pytest.fixture
def roll(honours):
    honours("category", "add", "优秀提案", "--kind", "work", "--sort", "manual")
    honours("add", "优秀提案", LONG_TITLE, "--proposer", LONG_PERSON)
    honours("add", "优秀提案", "关于金山区发展合成生物产业的建议", "--proposer", "刘振")
    honours("category", "add", AWARD, "--kind", "person", "--sort", "manual")
    honours("category", "add", "先进集体", "--parent", AWARD, "--kind", "unit", "--sort",
            "manual", "--columns", "3")
    honours("add", f"{AWARD}/先进集体", *UNITS)
    honours("category", "add", "先进个人", "--parent", AWARD, "--kind", "person", "--sort",
            "manual", "--columns", "5")
    honours("add", f"{AWARD}/先进个人", *PEOPLE)
    return honours


def workbook(roll, tmp_path: Path):
    out = tmp_path / "roll.xlsx"
    roll("export", "-o", str(out))
    return openpyxl.load_workbook(out)


def widths_of(sheet) -> dict[str, float]:
    return {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()
            if dimension.width}


# -- xlsx -------------------------------------------------------------------------------


def test_xlsx_sheets_fit_an_a4_page_at_full_size(roll, tmp_path):
    """No column is sized to the longest text: each sheet is no wider than an A4
    page holds at 100 % (portrait for the roll, landscape for the list), so
    "fit to width" does not shrink the print (it printed at about 4 pt)."""
    #: an A4 page's printed width at 100 % in column units (render/xlsx.py)
    portrait, landscape = 72, 108

    book = workbook(roll, tmp_path)
    roll_widths = widths_of(book["光荣榜"])
    assert sum(roll_widths.values()) <= portrait
    assert max(roll_widths.values()) < cell_len(LONG_UNIT)  # not sized to the long name
    list_widths = widths_of(book["名单"])
    assert sum(list_widths.values()) <= landscape
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert book["光荣榜"].page_setup.orientation == "portrait"


def test_xlsx_list_sheet_has_borders_wrapped_text_and_fitted_rows(roll, tmp_path):
    sheet = workbook(roll, tmp_path)["名单"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    # 序号 is its own narrow column, centred: it never runs into the name beside it.
    assert sheet["B1"].value == "序号" and sheet.column_dimensions["B"].width <= 8
    assert all(cell.alignment.horizontal == "center" for (cell,) in
               sheet.iter_rows(min_row=2, min_col=2, max_col=2))
    heights = []
    for row in sheet.iter_rows(min_row=2):
        path, name = row[0], row[2]
        width = sheet.column_dimensions["A"].width
        assert path.alignment.wrap_text
        lines = -(-cell_len(path.value) // int(width))  # at least this many lines
        height = sheet.row_dimensions[path.row].height
        if lines > 1:
            assert height is not None and height >= lines * 15
        heights.append(height)
        if name.value == LONG_UNIT:
            assert name.alignment.wrap_text
    # Rows are as tall as their lines, not one fixed tall height for every row.
    assert len(set(heights)) > 1 or heights[0] is None or heights[0] <= 3 * 15 + 3
    assert sheet.print_title_rows == "$1:$1"


def test_xlsx_roll_grid_keeps_its_columns_and_a_long_name_spans_cells(roll, tmp_path):
    sheet = workbook(roll, tmp_path)["光荣榜"]
    rows = [[value or "" for value in row] for row in sheet.iter_rows(values_only=True)]
    merged = {str(merged) for merged in sheet.merged_cells.ranges}
    at = next(number for number, row in enumerate(rows, start=1) if LONG_UNIT in row)
    long_cell = next(cell for cell in sheet[at] if cell.value == LONG_UNIT)
    assert long_cell.alignment.wrap_text
    assert any(range_.startswith(f"{long_cell.coordinate}:") for range_ in merged)
    # The people's grid keeps its five columns though 阿卜杜热合曼·艾则孜 is long.
    people = [row for row in rows if "朱志兰" in row or "沈蓓雷" in row]
    assert any(len([cell for cell in row if cell]) == 5 for row in people)
    assert any(LONG_PERSON in row for row in rows)
    # A long work title: the number in its own column, the title merged and
    # wrapped beside it (its lines start under its first character), a row tall
    # enough for its lines.
    title_at = next(number for number, row in enumerate(rows, start=1) if LONG_TITLE in row)
    assert rows[title_at - 1][0] == "1."
    title = sheet.cell(title_at, 2)
    assert title.value == LONG_TITLE and title.alignment.wrap_text
    assert sheet.row_dimensions[title_at].height >= 2 * 15


def test_xlsx_and_html_pad_two_character_names_with_u3000(roll, tmp_path):
    book = workbook(roll, tmp_path)
    cells = {cell for row in book["光荣榜"].iter_rows(values_only=True) for cell in row if cell}
    assert f"王{IDEOGRAPHIC}芳" in cells and "王 芳" not in cells
    out = tmp_path / "roll.html"
    roll("export", "-o", str(out))
    html = out.read_text("utf-8")
    assert f"<td>王{IDEOGRAPHIC}芳</td>" in html and "王 芳" not in html
    assert f"刘{IDEOGRAPHIC}振" in html  # the proposer line too
    # --padding still chooses: one rule for every format, overridable.
    roll("export", "-o", str(out), "--force", "--padding", "space")
    assert "<td>王 芳</td>" in out.read_text("utf-8")
    from honours.render.text import default_padding

    assert [default_padding(fmt) for fmt in ("docx", "pdf", "xlsx", "html")] == \
        [PADDINGS["ideographic"]] * 4
    assert [default_padding(fmt) for fmt in ("txt", "md", "csv")] == [" "] * 3


def test_html_grid_keeps_its_columns_and_a_long_name_spans_cells(roll, tmp_path):
    out = tmp_path / "roll.html"
    roll("export", "-o", str(out))
    html = out.read_text("utf-8")
    table = html[html.index("先进个人"):]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    spans = [sum(int(span or 1) for span in re.findall(r'<td(?: colspan="(\d+)")?>', row))
             for row in rows]
    assert set(spans) == {5}  # every row fills the five columns
    assert re.search(rf'<td colspan="\d">{LONG_PERSON}</td>', table)
    # a wrapped proposer hangs under its first character, not under the label
    assert '<span class="label">■ 提案者：</span><span>阿卜杜热合曼·艾则孜</span>' in html


# -- the terminal -----------------------------------------------------------------------


def show(roll, monkeypatch, columns: int, terminal: bool = True) -> list[str]:
    """What ``show`` prints ``columns`` wide: to a terminal (rich takes the
    output for one with TTY_COMPATIBLE), or to a file."""
    monkeypatch.setenv("COLUMNS", str(columns))
    if terminal:
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        monkeypatch.setenv("NO_COLOR", "1")
    output = re.sub(r"\x1b\[[0-9;]*m", "", roll("show").output)  # bold headings
    return output.splitlines()


@pytest.mark.parametrize("columns", [60, 100])
def test_show_wraps_long_lines_and_never_cuts(roll, monkeypatch, columns):
    lines = show(roll, monkeypatch, columns)
    text = "\n".join(lines)
    assert "…" not in text
    assert all(cell_len(line) <= columns for line in lines), text
    joined = "".join(line.strip() for line in lines)
    for whole in (LONG_UNIT, LONG_TITLE, LONG_PERSON, "青格勒吉日格乐", *UNITS):
        assert whole in joined


def test_show_into_a_file_prints_every_line_whole(roll, monkeypatch):
    """Into a file or a pipe nothing wraps (``honours check`` reads the text back:
    a heading wrapped onto two lines would read as two), and nothing is cut."""
    lines = show(roll, monkeypatch, 60, terminal=False)
    assert "…" not in "\n".join(lines)
    for whole in (LONG_UNIT, LONG_TITLE, LONG_PERSON, f"{AWARD}"):
        assert any(whole in line for line in lines), whole


def test_show_hangs_wrapped_lines_under_their_first_character(roll, monkeypatch):
    lines = show(roll, monkeypatch, 60)
    # The long unit name, wider than the terminal: wrapped, its second line
    # under its first character (the grid's left edge).
    first = next(number for number, line in enumerate(lines) if line.startswith(LONG_UNIT[:8]))
    rest = lines[first + 1]
    assert (lines[first] + rest).replace(" ", "").startswith(LONG_UNIT)
    assert rest.startswith(LONG_UNIT[len(lines[first].strip()):][:4])
    # The long title: after "1. ", its wrapped lines under its first character.
    at = next(number for number, line in enumerate(lines) if line.startswith("1. 关于进一步"))
    assert lines[at + 1].startswith("   ") and not lines[at + 1].startswith("    ")
    title = lines[at][3:] + "".join(line[3:] for line in lines[at + 1 : at + 3])
    assert title.startswith(LONG_TITLE[:40])
    # The people's grid keeps five columns aligned; the long name spans two cells.
    grid = lines[next(n for n, line in enumerate(lines) if "先进个人（" in line) + 2:]
    full = next(line for line in grid if "郭晓峰" in line)
    assert len(cell_starts(full)) == 5, "\n".join(lines)
    row = next(line for line in grid if line.startswith(LONG_PERSON))
    assert set(cell_starts(row)) <= set(cell_starts(full)), (row, full)
    assert "".join(line.replace(" ", "") for line in grid) == "".join(PEOPLE)


def cell_starts(line: str) -> list[int]:
    """Where each cell of a grid line starts, in display cells (a name may hold
    one space, as 王 芳; cells are parted by more)."""
    return [cell_len(line[: match.start()]) for match in re.finditer(r"\S+(?: \S+)*", line)]


# -- the pieces -------------------------------------------------------------------------


def test_wrap_cells_keeps_every_character_by_chinese_rules():
    from honours.render.text import wrap_cells

    text = "关于巩固国家生态文明建设示范区创建成果，加快“美丽海湾”建设的建议。"
    for width in (8, 12, 20, 30):
        lines = wrap_cells(text, width)
        assert "".join(lines) == text
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line[0] in "，。”" for line in lines[1:])  # no closing mark first
        assert not any(line[-1] == "“" for line in lines)  # no opening mark last
    assert wrap_cells("阿卜杜热合曼·艾则孜", 10) == ["阿卜杜热合", "曼·艾则孜"]  # not after ·
    assert "".join(wrap_cells("x" * 30, 8)) == "x" * 30  # a word wider than a line: folded
    assert len(wrap_cells("为转型塑造发展腾空间的建议", 24)[-1]) > 1  # no one-character widow


def test_grid_layout_keeps_columns_and_spans_long_names():
    from honours.render.grid import layout

    names = ["王 芳", "朱志兰", LONG_PERSON, "陈建宇", "姚仰南", "高 仙", "郭晓峰"]
    grid = layout(names, 5, 60, cell_len, 3)
    assert grid.columns == 5 and grid.spans
    assert [name for row in grid.rows for name, _ in row] == names
    assert all(sum(span for _, span in row) <= 5 for row in grid.rows)
    span = dict(pair for row in grid.rows for pair in row)[LONG_PERSON]
    assert grid.width(span, 3) >= cell_len(LONG_PERSON) > grid.width(span - 1, 3)
    # Too narrow for five ordinary names: fewer columns, never a cell narrower
    # than an ordinary name.
    narrow = layout(names, 5, 20, cell_len, 3)
    assert narrow.columns < 5 and narrow.cell >= cell_len("朱志兰")
