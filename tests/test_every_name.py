"""No name is ever dropped or split silently (issue 23, scope 1).

In a row of names every cell is a name: a cell beside a name is that person's
affiliation only when it ends as an organisation's name does; a name that looks
unlike one (long, one character, letter-spaced, mixed scripts) is kept and
warned about with its line and entry; what a reader skips is counted; and
``check``, ``sort``, ``add -`` (and its prompt) and ``import`` read as many names
as the text holds, on grids of random names and on the 2,296 delegates of 2022
(tests/data/published/017-…, as a text grid and as a Word table).
"""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from honours.readers.doubts import LETTER_SPACED, LONG, MIXED, SINGLE, SPACED_RUN
from honours.readers.pasted import (
    SourceLine,
    lines_of_text,
    read_document,
    read_pasted,
    read_pasted_lines,
)
from honours.unitnames import looks_like_unit

from .conftest import run_cli
from .test_published_rolls import EXPECTED, roll_text

DELEGATES = "017-cpc-20th-congress-delegates-2022.txt"


def squash(name: str) -> str:
    return "".join(name.split())


def names_read(document) -> list[str]:
    return [squash(entry.name) for entry in document.entries]


# ------------------------------------------------------------------ the cases of the issue


def test_a_long_name_between_two_names_is_a_name_with_a_doubt():
    document = read_pasted("张三　　青格勒吉日格乐　　李四\n")
    assert names_read(document) == ["张三", "青格勒吉日格乐", "李四"]
    assert not any(entry.affiliation for entry in document.entries)
    (doubt,) = document.doubts
    assert (doubt.name, doubt.where, doubt.place, doubt.reason, doubt.length) == (
        "青格勒吉日格乐", "line 1", 2, LONG, 7)


@pytest.mark.parametrize(("line", "affiliation"), [
    ("张三  福州一中", "福州一中"),
    ("张三\t浙江大学", "浙江大学"),
    ("张三　　鼓楼区教育局", "鼓楼区教育局"),
    ("张三  福建师范大学附属中学", "福建师范大学附属中学"),
])
def test_a_cell_ending_as_an_organisation_is_the_persons_affiliation(line, affiliation):
    (entry,) = read_pasted(line + "\n").entries
    assert (entry.name, entry.affiliation) == ("张三", affiliation)


def test_the_unit_endings_tell_units_from_names():
    units = ("福州一中", "厦门十一中", "浙江大学", "城关镇中心小学", "鼓楼区教育局", "城关镇红星村")
    for unit in units:
        assert looks_like_unit(unit), unit
    for name in ("青格勒吉日格乐", "金克勒那日", "张一中", "李镇", "王镇义", "刘国中", "胡中明"):
        assert not looks_like_unit(name), name


@pytest.mark.parametrize("gap", ["\u3000", " "])
def test_a_letter_spaced_name_is_one_name_with_a_doubt(gap):
    document = read_pasted(f"王{gap}小{gap}明\u3000\u3000李四\n")
    assert names_read(document) == ["王小明", "李四"]
    assert [(d.name, d.reason) for d in document.doubts] == [("王小明", LETTER_SPACED)]


def test_pairs_stay_pairs_and_an_odd_run_is_read_in_twos_then_three_with_doubts():
    assert names_read(read_pasted("马 罡 刘 振\n")) == ["马罡", "刘振"]
    assert not read_pasted("马 罡 刘 振\n").doubts
    document = read_pasted("马 罡 王 小 明\n")
    assert names_read(document) == ["马罡", "王小明"]
    assert [(d.name, d.reason) for d in document.doubts] == [
        ("马罡", SPACED_RUN), ("王小明", SPACED_RUN)]


@pytest.mark.parametrize("text", ["王\n张三\n李四\n", "名单（按姓氏笔画排序）\n王  张三  李四\n"])
def test_a_one_character_name_is_kept_with_a_doubt(text):
    document = read_pasted(text, "person")
    assert "王" in names_read(document)
    assert [(d.name, d.reason) for d in document.doubts] == [("王", SINGLE)]


def test_mixed_scripts_are_a_doubt_on_both_paths():
    text = "张三\n李Anna\n王五\n"
    for document in (read_pasted(text, "person"), read_document(lines_of_text(text), "person")):
        assert [(d.name, d.where, d.reason) for d in document.doubts] == [
            ("李Anna", "line 2", MIXED)]


def test_what_is_skipped_is_counted():
    text = (
        "光荣榜\n优秀教师（按姓氏笔画排序）\n（二〇二四年十二月）\n序号\t姓名\n1\t张三\n2\t李四\n"
        "优秀提案（2件）\n1. 关于甲的建议\n■ 提案者：张三\n2. 关于乙的建议\n■ 提案者：李四\n"
    )
    document = read_pasted(text)
    assert dict(document.skipped) == {
        "title": 1, "heading": 2, "aside": 1, "header": 1, "proposer": 2}
    grid = read_pasted("名单（按姓氏笔画排序）\n1  张三  李四\n2  王五  —\n")
    assert names_read(grid) == ["张三", "李四", "王五"]
    assert grid.skipped["filler"] == 3


# ------------------------------------------------------------------ count in == count out

#: Characters of the random names: none ends an organisation's name (局, 院, 中 …), so
#: that every cell of a grid of them is a name.
NAME_CHARS = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕" \
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰红梅建文斌宁罡振巍燕格勒吉日乐克那热曼阿依古丽"
single_name = st.text(NAME_CHARS, min_size=1, max_size=8).filter(lambda n: not looks_like_unit(n))
dotted_name = st.lists(st.text(NAME_CHARS, min_size=2, max_size=5), min_size=2, max_size=3).map(
    "·".join)
any_name = st.one_of(single_name, single_name, single_name, dotted_name)
#: What separates the cells of a pasted grid: runs of U+3000 or ASCII spaces, tabs.
GAPS = ["\u3000\u3000", "\u3000\u3000\u3000", "  ", "    ", "\t", "\t\t", " \t", "\u3000 \u3000"]


def _padded(name: str, pad: bool) -> str:
    return name[0] + "\u3000" + name[1] if pad and len(name) == 2 else name


@st.composite
def grids(draw):
    """Rows of 1–6 names, cells separated by gaps, two-character names padded with
    U+3000 as published grids are.  Two one-character names are never side by
    side across a gap of spaces: that is how a monospaced grid pads "马  罡", read
    as one name (docs/pasted-text.md)."""
    rows = draw(st.lists(st.lists(any_name, min_size=1, max_size=6), min_size=1, max_size=12))
    pad = draw(st.booleans())
    lines = []
    for row in rows:
        line = _padded(row[0], pad)
        for before, name in zip(row, row[1:]):
            gap = draw(st.sampled_from(GAPS))
            if len(before) == 1 and len(name) == 1:
                gap = "\t"
            line += gap + _padded(name, pad)
        lines.append(line)
    heading = draw(st.sampled_from(
        ["", "代表名单（按姓氏笔画为序）\n", "二十大代表名单\n（共{n}名，按姓氏笔画为序）\n"]))
    names = [name for row in rows for name in row]
    return heading.format(n=len(names)) + "\n".join(lines) + "\n", names


@settings(max_examples=150, deadline=None)
@given(grids())
def test_every_name_of_a_pasted_grid_is_read_whole(grid):
    text, names = grid
    for document in (
        read_pasted(text), read_pasted(text, "person"),
        read_document(lines_of_text(text)), read_pasted_lines(text.split("\n")),
    ):
        assert names_read(document) == names
        assert not any(entry.affiliation for entry in document.entries)
    doubted = {d.name for d in read_pasted(text, "person").doubts}
    for name in names:
        if len(name) == 1 or ("·" not in name and len(name) > 4):
            assert name in doubted


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(any_name, min_size=1, max_size=6), min_size=1, max_size=10),
       empty=st.booleans())
def test_every_name_of_a_table_is_read_whole(rows, empty):
    """A Word or Excel table: a cell per name, some empty, maybe a 序号 column."""
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = [(str(number), f"row {number}, cell 1")] if empty else []
        cells += [(name, f"row {number}, cell {i + 2}") for i, name in enumerate(row)]
        if empty:
            cells.append(("", f"row {number}, cell {len(row) + 2}"))
        lines.append(SourceLine(cells, number))
    document = read_document(lines)
    assert names_read(document) == [name for row in rows for name in row]
    if empty:
        assert document.skipped["filler"] == len(rows)
        assert document.skipped["empty"] == len(rows)


@settings(max_examples=80, deadline=None)
@given(names=st.lists(st.one_of(single_name, st.sampled_from(["李Anna", "Anna李", "王"])),
                      min_size=1, max_size=40),
       head=st.sampled_from(["", "名单（按姓氏笔画排序）\n", "优秀教师：\n\n"]))
def test_the_fast_path_finds_the_doubts_the_general_reader_finds(names, head):
    text = head + "\n".join(names) + "\n"
    general = read_document(lines_of_text(text), "person")
    for fast in (read_pasted(text, "person"), read_pasted_lines(text.split("\n"), "person")):
        assert fast.doubts == general.doubts
        assert names_read(fast) == names


# ------------------------------------------------------------------ the commands


GRID = "名单（按姓氏笔画为序）\n张三　　青格勒吉日格乐　　李四\n王　小　明\n"
WARNING = "line 2, entry 2: 青格勒吉日格乐 (7 characters) read as one name"


def test_add_from_standard_input_adds_every_name_and_warns(honours):
    honours("category", "add", "代表")
    result = honours("add", "代表", "-", input="张三　　青格勒吉日格乐　　李四\n")
    assert "line 1, entry 2: 青格勒吉日格乐 (7 characters) read as one name" in result.output
    listed = json.loads(honours("list", "代表", "--format", "json").output)
    assert sorted(row["name"] for row in listed) == sorted(["张三", "青格勒吉日格乐", "李四"])


def test_add_keeps_the_affiliation_read_beside_a_name(honours):
    honours("category", "add", "优秀教师")
    honours("add", "优秀教师", "-", input="张三  福州一中\n李四\n")
    listed = json.loads(honours("list", "优秀教师", "--format", "json").output)
    assert {(row["name"], row.get("affiliation", "")) for row in listed} == {
        ("张三", "福州一中"), ("李四", "")}


def test_the_add_prompt_adds_every_name_and_warns(honours):
    honours("category", "add", "代表")
    result = honours("add", "代表", input="张三　　青格勒吉日格乐\n王　小　明\n\n")
    assert "青格勒吉日格乐 (7 characters)" in result.output
    assert "王小明 read as one name from three spaced characters" in result.output
    listed = json.loads(honours("list", "代表", "--format", "json").output)
    assert len(listed) == 3


def test_check_reads_every_name_warns_and_counts_the_skipped(honours, tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text(GRID, encoding="utf-8")
    result = honours("check", str(path), ok=False)
    assert "4 names read" in result.output
    assert WARNING in result.output
    assert "line 3: 王小明 read as one name from three spaced characters" in result.output
    assert "read and skipped (not names): 1 heading" in result.output


def test_sort_keeps_its_output_clean_and_warns_on_standard_error(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text(GRID, encoding="utf-8")
    result = run_cli("sort", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    (listing,) = json.loads(result.stdout)["lists"]
    assert sorted(listing["entries"]) == sorted(["张三", "青格勒吉日格乐", "李四", "王小明"])
    assert WARNING in result.stderr and "read and skipped" in result.stderr


def test_import_reads_every_name_and_warns(honours, tmp_path):
    honours("category", "add", "代表")
    path = tmp_path / "名单.txt"
    path.write_text("张三　　青格勒吉日格乐　　李四\n王\n", encoding="utf-8")
    result = honours("import", str(path), "--into", "代表")
    assert "line 1, entry 2: 青格勒吉日格乐 (7 characters)" in result.output
    assert "line 2: 王 (one character) read as a name" in result.output
    assert len(json.loads(honours("list", "代表", "--format", "json").output)) == 4


def test_import_of_a_sheet_warns_about_names_and_counts_its_skipped_rows(honours, tmp_path):
    from openpyxl import Workbook

    honours("category", "add", "代表")
    book = Workbook()
    sheet = book.active
    for row in (["2024年代表名单"], ["序号", "姓名", "工作单位"], [1, "张三", "福州一中"],
                [None, None, None], [2, "青格勒吉日格乐", "内蒙古大学"]):
        sheet.append(row)
    path = tmp_path / "名单.xlsx"
    book.save(path)
    result = honours("import", str(path), "--into", "代表")
    assert "row 5: 青格勒吉日格乐 (7 characters) read as one name" in result.output
    assert "1 title line" in result.output and "1 header row" in result.output
    assert "1 blank row" in result.output
    assert len(json.loads(honours("list", "代表", "--format", "json").output)) == 2


def test_check_of_a_word_table_reads_every_cell_and_counts_the_empty_ones(honours, tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("名单（按姓氏笔画为序）")
    table = document.add_table(rows=2, cols=3)
    for row, names in zip(table.rows, [["张三", "青格勒吉日格乐", "李四"], ["王五", "", ""]]):
        for cell, name in zip(row.cells, names):
            cell.text = name
    path = tmp_path / "名单.docx"
    document.save(path)
    result = honours("check", str(path), ok=False)
    assert "4 names read" in result.output
    assert "table 1, row 1, cell 2: 青格勒吉日格乐 (7 characters)" in result.output
    assert "2 empty cells" in result.output


# ------------------------------------------------------------------ the 2,296 delegates of 2022


def _delegates() -> dict:
    (roll,) = [roll for roll in EXPECTED["roll"] if roll["file"] == DELEGATES]
    return roll["list"][0]


def _delegate_names() -> list[str]:
    rows = roll_text(DELEGATES).splitlines()[1:]
    return [squash(cell) for row in rows for cell in re.split("\u3000{2,}", row)]


def _assert_read_in_full(output: str) -> None:
    expected = _delegates()
    assert expected["names"] == expected["published"] == 2296
    assert "2296 names read, as the heading says" in output
    assert "1 list checked, 1 out of order, 0 not checked" in output
    assert "4 out of place" in output
    for name in expected["misplaced"]:
        assert f": {name} belongs at" in output
    assert re.search(r"青格勒吉日格乐（女，蒙古族） \(7 characters\) read as one name", output)
    assert re.search(r"金克勒那日（达斡尔族） \(5 characters\) read as one name", output)


def test_the_2296_delegates_are_read_in_full_as_a_text_grid(honours, tmp_path):
    names = _delegate_names()
    assert len(names) == 2296 and "青格勒吉日格乐（女，蒙古族）" in names
    path = tmp_path / "代表名单.txt"  # the roll without its # block of source notes
    path.write_text(roll_text(DELEGATES), encoding="utf-8")
    result = honours("check", str(path), ok=False)
    assert result.exit_code == 1  # four entries the publisher placed otherwise
    _assert_read_in_full(result.output)


def test_the_2296_delegates_are_read_in_full_as_a_word_table(honours, tmp_path):
    from docx import Document

    names = _delegate_names()
    document = Document()
    document.add_paragraph(roll_text(DELEGATES).splitlines()[0])
    table = document.add_table(rows=0, cols=5)
    for start in range(0, len(names), 5):
        cells = table.add_row().cells
        for cell, name in zip(cells, names[start:start + 5]):
            cell.text = name[0] + "\u3000" + name[1:] if len(re.sub("（.*", "", name)) == 2 \
                else name
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "代表名单.docx"
    path.write_bytes(buffer.getvalue())
    result = honours("check", str(path), ok=False)
    assert result.exit_code == 1
    _assert_read_in_full(result.output)
    assert "4 empty cells" in result.output  # 2,296 = 459 rows of five, and one of one


# ------------------------------------------------------------------ the commands, on random grids


@settings(max_examples=8, deadline=None)
@given(grids())
def test_check_sort_add_and_import_read_every_name_of_a_random_grid(grid):
    import tempfile
    from pathlib import Path

    from .conftest import Honours

    text, names = grid
    with tempfile.TemporaryDirectory() as folder:
        honours = Honours(Path(folder) / "roll.json")
        path = Path(folder) / "名单.txt"
        path.write_text(text, encoding="utf-8")
        listing = json.loads(honours("sort", str(path), "--format", "json").stdout)["lists"]
        assert sorted(squash(n) for item in listing for n in item["entries"]) == sorted(names)
        result = honours("check", str(path), "--by", "stroke", ok=False)
        assert result.exit_code in (0, 1), result.output
        read = re.findall(
            r"(\d+) (?:names?|entry|entries|units?) read|of (\d+) entr(?:y|ies) out of place",
            result.output)
        read = ["".join(found) for found in read]
        assert sum(map(int, read)) == len(names), result.output
        honours("category", "add", "甲")
        honours("category", "add", "乙")
        honours("add", "甲", "-", "--allow-duplicate", input=text)
        honours("import", str(path), "--into", "乙", "--format", "txt", "--allow-duplicate")
        for category in ("甲", "乙"):
            rows = json.loads(honours("list", category, "--format", "json").stdout)
            assert sorted(squash(row["name"]) for row in rows) == sorted(names), category


def test_a_short_title_above_a_count_note_is_a_title_and_its_count_is_checked(tmp_path):
    """代表名单 (four characters, as long as a name) above （共4名） is the list's
    title, not a fourth name; the count the note gives is compared with the names."""
    roll = tmp_path / "名单.txt"
    roll.write_text("代表名单\n（共4名）\n王五\u3000\u3000李四\u3000\u3000张三\n", "utf-8")
    result = run_cli("check", str(roll))
    assert result.returncode == 1
    assert "3 names read" in result.stdout and "代表名单 belongs" not in result.stdout
    assert "says 4名 but 3 were read" in result.stdout, result.stdout
    assert "1 title line" in result.stderr + result.stdout
    roll.write_text("代表名单\n（共3名，按姓氏笔画排序）\n王五\u3000\u3000李四\u3000\u3000张三\n",
                    "utf-8")
    result = run_cli("check", str(roll))
    assert result.returncode == 0, result.stdout
    assert "3 names read, as the heading says" in result.stdout
