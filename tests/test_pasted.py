"""The one reader of pasted text (honours/readers/pasted.py) and what is built on
it: `check` on whole documents, `sort` keeping the input's shape, `add -`,
import of what Excel and WPS really write, and wrong files named as such."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from honours.proofread import proofread
from honours.readers.pasted import (
    declared_rule,
    is_declaration,
    parse_heading,
    read_pasted,
    split_entries,
)
from honours.render.terminal import render_terminal
from honours.render.text import render_text
from honours.render.view import Entry as ViewEntry
from honours.render.view import RollView, Section

from .conftest import run_cli
from .data.seed_jinshan_2024 import MEMBERS_2024, OTHERS_2024, names

# -- cells, padding and list numbers ------------------------------------------------------


@pytest.mark.parametrize(
    "line, entries",
    [
        ("甲乙丙    丁戊己", ["甲乙丙", "丁戊己"]),  # a wide gap separates
        ("赵一、钱二", ["赵一", "钱二"]),
        ("赵丽华、刘洋、孙强、王芳", ["赵丽华", "刘洋", "孙强", "王芳"]),
        ("赵一，钱二,孙三；李四;周五", ["赵一", "钱二", "孙三", "李四", "周五"]),
        ("马 罡", ["马罡"]),  # one space inside a two-character name is padding
        ("马\u3000罡", ["马罡"]),
        ("马  罡", ["马罡"]),  # two ASCII spaces: a monospaced grid's padding
        ("马 罡   吕东远   朱春燕", ["马罡", "吕东远", "朱春燕"]),
        ("丁丽珍\u3000马\u3000罡\u3000吕东远", ["丁丽珍", "马罡", "吕东远"]),
        ("1. 张三", ["张三"]),
        ("1、张三", ["张三"]),
        ("（1）张三", ["张三"]),
        ("(12) 张三", ["张三"]),
        ("① 张三", ["张三"]),
        ("一、张三", ["张三"]),
        ("1.张三  2.李四", ["张三", "李四"]),
        ("■ 张三", ["张三"]),
        ("| 丁丽珍 | 马 罡 | 吕东远 |", ["丁丽珍", "马罡", "吕东远"]),  # Markdown
        ("买买提·艾力  阿依古丽", ["买买提·艾力", "阿依古丽"]),
        ("John Smith\t张三", ["John Smith", "张三"]),
        ("王伟（女）、李明", ["王伟（女）", "李明"]),
        ("1\t张三\t男", ["张三", "男"]),  # a 序号 cell is not a name
    ],
)
def test_split_entries(line, entries):
    assert split_entries(line) == entries


def test_units_keep_their_punctuation():
    line = "中国民主促进会上海市金山区委员会\t市、区政协委员联络组"
    assert split_entries(line, people=False) == [
        "中国民主促进会上海市金山区委员会", "市、区政协委员联络组"]
    assert split_entries("1. 关于健康路（新汇街-亭枫公路）的建议", people=False) == [
        "关于健康路（新汇街-亭枫公路）的建议"]


# -- headings and declared orders ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, rule",
    [
        ("按姓氏笔画排序", "stroke"),
        ("以姓氏笔画为序", "stroke"),
        ("按姓氏笔划排列", "stroke"),
        ("按姓氏笔画顺序排列", "stroke"),
        ("按姓名笔画排序", "stroke-fullname"),
        ("按姓氏拼音排序", "pinyin"),
        ("按姓氏拼音字母顺序排列", "pinyin"),
        ("按音序排列", "pinyin"),
        ("排名不分先后", "manual"),
        ("笔画教学先进个人", None),
        ("优秀教师", None),
    ],
)
def test_declared_rule(text, rule):
    assert declared_rule(text) == rule


def test_headings():
    heading = parse_heading("1. 市、区政协委员（37名，按姓氏笔画排序）")
    assert (heading.title, heading.count, heading.measure, heading.rule) == (
        "市、区政协委员", 37, "名", "stroke")
    assert heading.strong and heading.number == "1."
    seed_style = parse_heading("1. 市、区政协委员(37名,按姓氏笔画排序)")
    assert (seed_style.count, seed_style.rule) == (37, "stroke")
    assert parse_heading("二、信息工作成绩突出个人（68名）").depth < heading.depth
    assert parse_heading("优秀教师：").strong
    assert parse_heading("### 1. 市、区政协委员（37名，按姓氏笔画排序）").rule == "stroke"
    # A bracket that is part of the title is not a suffix.
    work = parse_heading("关于朱泾镇健康路（新汇街-亭枫公路）交通组织调整方案的建议")
    assert work.count is None and work.rule is None and not work.strong
    assert not parse_heading("一、张三").strong  # a numbered name, not a heading


def test_declaration_notes():
    assert is_declaration("（按姓氏笔画排序）") == "stroke"
    assert is_declaration("以下名单按姓氏拼音排序") == "pinyin"
    assert is_declaration("（排名不分先后）") == "manual"
    assert is_declaration("优秀教师（按姓氏笔画排序）") is None  # a heading, not a note


def test_a_document_with_notes_inline_lists_and_works():
    text = """表彰名单

一、先进集体（2个）
（排名不分先后）
金山区第一中学\t金山区教育局

二、优秀教师（5名）
（按姓氏笔画为序）
王芳、刘洋、孙强
李四、丁一

三、三好学生（3名，按姓氏拼音排序）：曾国藩、张三、周五

四、优秀论文（1篇）
1. 关于“双减”背景下作业设计的研究
■ 作者：张三
"""
    document = read_pasted(text)
    # Above numbered groups the title is the award they belong to.
    assert document.headings[0].title == "表彰名单" and len(document.headings[0].children) == 4
    found = {s.title: s for s in document.headings}
    assert found["先进集体"].rule == "manual" and found["先进集体"].kind == "unit"
    assert [e.name for e in found["先进集体"].entries] == ["金山区第一中学", "金山区教育局"]
    assert found["优秀教师"].rule == "stroke"
    assert [e.name for e in found["优秀教师"].entries] == ["王芳", "刘洋", "孙强", "李四", "丁一"]
    assert found["三好学生"].rule == "pinyin"
    assert [e.name for e in found["三好学生"].entries] == ["曾国藩", "张三", "周五"]
    paper = found["优秀论文"].entries
    assert found["优秀论文"].kind == "work"
    assert [(e.name, e.proposer) for e in paper] == [("关于“双减”背景下作业设计的研究", "张三")]
    checks = {c.section.title: c for c in proofread([("", document)])}
    assert checks["优秀教师"].checked and [m.entry.name for m in checks["优秀教师"].misplaced] == [
        "丁一"]
    assert not checks["先进集体"].checked  # 排名不分先后
    assert checks["三好学生"].checked and not checks["三好学生"].misplaced


def test_a_document_wide_note_applies_to_every_list():
    document = read_pasted("以下名单均按姓氏笔画排序\n\n优秀教师（2名）\n张三\n王五\n"
                           "\n优秀班主任（2名）\n李四\n丁一\n")
    checks = proofread([("", document)])
    assert [c.rule for c in checks] == ["stroke", "stroke"]
    assert [m.entry.name for c in checks for m in c.misplaced] == ["张三", "李四"]


# -- any printed list reads back as the same entries --------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅国建文斌宁罡振倪巍晏沂燕"
name_strategy = st.one_of(
    st.tuples(st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2)).map("".join),
    st.sampled_from(["欧阳娜娜", "司马光明", "买买提·艾力", "阿依古丽", "王伟（女）"]),
)


def _view(entries: list[str], columns: int) -> RollView:
    section = Section(
        id=1, title="优秀教师", path="优秀教师", kind="person", sort="stroke", measure="名",
        columns=columns, description="", depth=0, number="", count=len(entries), honour="",
        entries=[ViewEntry(id=i, name=n, position=i) for i, n in enumerate(entries, start=1)],
    )
    return RollView(title="光荣榜", sections=[section])


@settings(max_examples=150, deadline=None)
@given(
    entries=st.lists(name_strategy, min_size=1, max_size=40),
    columns=st.integers(min_value=1, max_value=8),
    padding=st.sampled_from([" ", "\u3000"]),
    layout=st.sampled_from(["txt", "show"]),
)
def test_printed_lists_read_back_as_the_same_entries(entries, columns, padding, layout):
    view = _view(entries, columns)
    if layout == "txt":
        text = render_text(view, padding)
    else:
        console = Console(width=400, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(render_terminal(view, padding))
        text = console.export_text()
    document = read_pasted(text)
    section = document.headings[-1]
    assert section.title == "优秀教师" and section.rule == "stroke"
    assert section.heading.count == len(entries)
    assert [entry.name for entry in section.entries] == entries


# -- honours check on whole documents -----------------------------------------------------


def _published_members() -> list[str]:
    return ["".join(name.split()) for name in names(MEMBERS_2024)]


def test_check_says_what_it_read(tmp_path):
    result = run_cli("check", input="赵丽华、刘洋、孙强、王芳\n")
    assert result.returncode == 1  # four names, not one entry "in order"
    assert "4 entries" in result.stdout and "赵丽华" in result.stdout


@pytest.mark.parametrize("fmt", ["txt", "docx", "xlsx", "md", "csv"])
def test_every_export_of_the_example_checks_in_order(jinshan_db, tmp_path, fmt):
    path = tmp_path / f"roll.{fmt}"
    assert run_cli("--db", str(jinshan_db), "export", "-o", str(path)).returncode == 0
    result = run_cli("check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    if fmt != "csv":  # the roll layout: headings declare the orders and counts
        assert "市、区政协委员" in result.stdout and "37 names read, as the heading says" in (
            result.stdout)
        assert "68 names read below it" in result.stdout


def test_show_output_checks_in_order_and_counts_every_name(jinshan_db, tmp_path):
    shown = run_cli("--db", str(jinshan_db), "show").stdout
    path = tmp_path / "shown.txt"
    path.write_text(shown, encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 0, result.stdout
    assert "2 lists checked, 0 out of order, 3 not checked" in result.stdout
    part = run_cli("--db", str(jinshan_db), "show", "市、区政协委员").stdout
    result = run_cli("check", input=part)
    assert result.returncode == 0 and "37 names read" in result.stdout


def test_check_names_misplaced_entries_with_their_line(jinshan_db, tmp_path):
    text = run_cli("--db", str(jinshan_db), "export", "-o", "-", "-f", "txt").stdout
    text = text.replace("陆学峰", "@@").replace("丁丽珍", "陆学峰").replace("@@", "丁丽珍")
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="gb18030")  # a GBK file from a Windows machine
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert "陆学峰 belongs at" in result.stdout and "丁丽珍 belongs at" in result.stdout
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if t.startswith("陆学峰"))
    assert f"line {line}, entry 1: 陆学峰" in result.stdout
    assert "1 out of order" in result.stdout


def test_check_finds_a_name_moved_in_a_word_table(jinshan_db, tmp_path):
    from docx import Document

    path = tmp_path / "roll.docx"
    run_cli("--db", str(jinshan_db), "export", "-o", str(path))
    document = Document(str(path))
    cells = [c for t in document.tables for r in t.rows for c in r.cells]
    first = next(c for c in cells if c.text.strip() == "丁丽珍")
    last = next(c for c in cells if c.text.strip() == "潘淑红")
    first.paragraphs[0].runs[0].text, last.paragraphs[0].runs[0].text = "潘淑红", "丁丽珍"
    document.save(str(path))
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert "table" in result.stdout and "row 1, cell 1: 潘淑红 belongs at 37" in result.stdout


def test_check_reads_an_excel_column_under_a_header(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["2024年度优秀教师名单（按姓氏笔画排序）"])
    sheet.append(["序号", "姓名", "单位"])
    for number, name in enumerate(["丁一", "马三", "李四", "王二", "田五", "白六"], start=1):
        sheet.append([number, name, "第一中学"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert "6 names read" in result.stdout
    assert "Sheet!B5: 李四 belongs at 6, after 白六" in result.stdout


def test_check_without_declared_orders_says_nothing_was_checked(tmp_path):
    result = run_cli("check", input="优秀教师（2名）\n王五\n张三\n\n先进集体（1个）\n第一中学\n")
    assert result.returncode == 0
    assert "not checked" in result.stdout and "nothing was checked" in result.stderr
    forced = run_cli("check", "--by", "stroke", input="优秀教师（2名）\n张三\n王五\n")
    assert forced.returncode == 1 and "as given by --by" in forced.stdout


def test_a_count_that_differs_from_the_heading_fails_the_check():
    result = run_cli("check", input="优秀教师（3名，按姓氏笔画排序）\n王五、张三\n")
    assert result.returncode == 1
    assert "the heading says 3名 but 2 were read" in result.stdout


def test_check_refuses_unreadable_and_old_files(tmp_path):
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = run_cli("check", str(old))
    assert result.returncode == 2 and "save it as .xlsx" in result.stderr
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_cli("check", str(broken))
    assert result.returncode == 2 and "Traceback" not in result.stderr


# -- sort keeps the input's shape -----------------------------------------------------


def test_sort_keeps_grids_inline_lists_and_headings(tmp_path):
    grid = "\n".join("\t".join(reversed(line.split("\t")))
                     for line in reversed(OTHERS_2024.strip().splitlines()))
    assert run_cli("sort", input=grid).stdout.splitlines() == OTHERS_2024.strip().splitlines()
    three = run_cli("sort", "--columns", "3", input=grid).stdout.splitlines()
    assert three[0] == "付 铨\t朱志兰\t刘 峰" and len(three) == 5
    inline = run_cli("sort", input="赵丽华、刘洋、孙强、王芳\n").stdout.strip()
    assert inline == "王芳、刘洋、孙强、赵丽华"
    roll = "市、区政协委员（37名，按姓氏笔画排序）\n" + "、".join(reversed(_published_members()))
    out = run_cli("sort", input=roll).stdout.splitlines()
    assert out[0] == "市、区政协委员（37名，按姓氏笔画排序）"
    assert out[1].split("、") == _published_members()
    data = json.loads(run_cli("sort", "--format", "json", input=roll).stdout)
    assert data["lists"][0]["rule"] == "stroke" and data["lists"][0]["entries"] == (
        _published_members())


# -- add - and import read names the same way ----------------------------------------------


def test_add_from_standard_input_splits_and_skips_headings(honours):
    honours("category", "add", "名单")
    result = honours("add", "名单", "-", input="名单（4名）\n甲乙丙    丁戊己\n赵一、钱二\n")
    assert "heading skipped" in result.output
    assert honours("list", "名单", "--format", "text").output.split() == [
        "丁戊己", "甲乙丙", "赵一", "钱二"]


def test_add_works_with_their_proposer_lines(honours):
    honours("category", "add", "优秀提案", "--kind", "work")
    honours("add", "优秀提案", "-", input="1. 关于甲的建议\n■ 提案者：张三\n2. 关于乙的建议\n"
            "■ 提案者：民进区委\n")
    rows = json.loads(honours("list", "优秀提案", "--format", "json").output)
    assert [(r["name"], r["proposer"]) for r in rows] == [
        ("关于甲的建议", "张三"), ("关于乙的建议", "民进区委")]


def test_import_reads_excel_unicode_text_and_keeps_unknown_columns(honours, tmp_path):
    honours("category", "add", "优秀教师")
    text = "序号\t姓名\t性别\t出生年月\t职务\t工作单位\n1\t张三\t男\t1980.01\t教师\t一中\n"
    path = tmp_path / "报送.txt"
    path.write_bytes(text.encode("utf-16"))  # Excel's "Unicode 文本": UTF-16 with BOM
    result = honours("import", str(path), "--into", "优秀教师")
    assert "tab-separated" in result.output and "性别、出生年月、职务" in result.output
    row = json.loads(honours("list", "优秀教师", "--format", "json").output)[0]
    assert row["affiliation"] == "一中"
    assert row["note"] == "性别：男；出生年月：1980.01；职务：教师"


@pytest.mark.parametrize("suffix", [".xls", ".et", ".wps", ".doc"])
def test_import_refuses_old_binary_formats_with_how_to_save_them(honours, tmp_path, suffix):
    path = tmp_path / f"报送{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    result = honours("import", str(path), ok=False)
    assert result.exit_code == 2 and "save it as" in result.output


# -- wrong files named as such ------------------------------------------------------------


def test_a_workbook_or_document_given_as_database_is_named(tmp_path, jinshan_db):
    for fmt in ("xlsx", "docx", "json", "txt"):
        path = tmp_path / f"roll.{fmt}"
        run_cli("--db", str(jinshan_db), "export", "-o", str(path))
        before = path.read_bytes()
        result = run_cli("--db", str(path), "show")
        assert result.returncode == 2
        assert "not a honours database" in result.stderr and "damaged" not in result.stderr
        assert "honours import" in result.stderr
        assert path.read_bytes() == before
    other = tmp_path / "other.json"
    other.write_text('{"name": "something else"}', encoding="utf-8")
    result = run_cli("--db", str(other), "list", "x")
    assert "JSON file of another program" in result.stderr


@pytest.mark.parametrize(
    "command",
    [["show"], ["list", "X"], ["category", "list"], ["register"], ["doctor"],
     ["export", "-o", "out.txt"], ["remove", "X", "Y"]],
)
def test_a_missing_database_is_said_to_be_missing_and_nothing_is_created(tmp_path, command):
    folder = tmp_path / "nowhere"
    db = folder / "roll.json"
    result = run_cli("--db", str(db), *command, cwd=tmp_path)
    if command != ["doctor"]:
        assert result.returncode == 2 and "does not exist" in result.stderr, result.stderr
    assert not folder.exists() and not (tmp_path / "out.txt").exists()


def test_creating_a_database_in_a_new_folder_says_so(tmp_path):
    db = tmp_path / "new" / "folder" / "roll.json"
    result = run_cli("--db", str(db), "category", "add", "优秀教师")
    assert result.returncode == 0
    assert "created a new database" in result.stderr and "new folder" in result.stderr
    again = run_cli("--db", str(db), "category", "add", "先进集体")
    assert "created a new database" not in again.stderr


def test_zip_detection_is_not_fooled_by_names(tmp_path):
    path = tmp_path / "roll.json"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
    result = run_cli("--db", str(path), "show")
    assert "Excel workbook" in result.stderr
    assert Path(path).exists()


# -- long lists with a few names out of place ----------------------------------------------


def _long_list(n: int = 3000) -> list[str]:
    import importlib.util

    from honours.collation import sort_entries

    from .conftest import REPO

    spec = importlib.util.spec_from_file_location("names", REPO / "benchmarks" / "names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return sort_entries(list(dict.fromkeys(module.generate(n, seed=7))), "stroke")


def _layouts(names: list[str]) -> dict[str, str]:
    from honours.render.view import pad_name

    def rows(width: int, cell, joiner: str) -> list[str]:
        cells = [cell(name) for name in names]
        return [joiner.join(cells[i:i + width]) for i in range(0, len(cells), width)]

    heading = f"二、优秀共产党员（{len(names)}名，按姓氏笔画排序）"
    return {
        "word grid": "\n".join([heading, *rows(5, pad_name, "\t")]),
        "pdf grid": "\n".join(["优秀共产党员名单", "（按姓氏笔画为序）",
                               *rows(6, lambda n: pad_name(n, "\u3000"), "\u3000")]),
        "web page": "\n".join([heading, *rows(20, str, "、")]),
        "monospace": "\n".join([heading, *rows(4, lambda n: f"{pad_name(n, '  '):<8}", "  ")]),
        "numbered": "\n".join([heading, *(f"{i}. {n}" for i, n in enumerate(names, 1))]),
    }


@pytest.mark.parametrize("layout", ["word grid", "pdf grid", "web page", "monospace", "numbered"])
def test_a_long_list_with_a_few_names_moved_is_read_whole_and_exactly_caught(tmp_path, layout):
    import random

    from honours.collation import sort_key

    names = _long_list()
    key = sort_key("stroke", "person")
    rng = random.Random(layout)
    moved: set[str] = set()
    order = list(names)
    while len(moved) < 5:
        source = rng.randrange(len(order))
        target = rng.randrange(len(order))
        name = order[source]
        if abs(source - target) < 300 or name in moved or names.count(name) > 1:
            continue
        neighbours = order[max(target - 1, 0):target + 1]
        if any(key(other) == key(name) for other in neighbours):
            continue
        order.insert(target, order.pop(source))
        moved.add(name)
    path = tmp_path / "draft.txt"
    path.write_text(_layouts(order)[layout], encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 1
    assert f"{len(names)} names read" in result.stdout
    reported = {line.split(": ", 1)[1].split(" belongs at")[0]
                for line in result.stdout.splitlines() if "belongs at" in line}
    assert reported == moved


def test_show_fits_its_grids_to_a_narrow_terminal_and_still_checks(jinshan_db):
    shown = run_cli("--db", str(jinshan_db), "show", env={"COLUMNS": "30"}).stdout
    assert "…" not in shown
    assert max(len(line.rstrip()) for line in shown.splitlines() if "\t" not in line) < 60
    result = run_cli("check", input=shown)
    assert result.returncode == 0 and "37 names read" in result.stdout


@settings(max_examples=120, deadline=None)
@given(
    names=st.lists(name_strategy, min_size=0, max_size=30),
    head=st.sampled_from([
        "", "名单（{n}名，按姓氏笔画排序）\n", "优秀教师\n（按姓氏笔画排序）\n",
        "一、先进个人（{n}名）\n", "光荣榜\n\n二、优秀教师：\n", "主任\n张三\n副主任\n",
        "（排名不分先后）\n", "1. 关于甲的建议\n■ 提案者：张三\n优秀论文（{n}篇）\n",
        "以下名单均按姓氏笔画排序\n\n优秀教师（1名）\n张三\n\n优秀班主任\n",
    ]),
    crlf=st.booleans(),
)
def test_the_fast_path_for_long_plain_runs_reads_as_the_general_reader(names, head, crlf):
    from honours.readers.pasted import lines_of_text, read_document

    text = head.format(n=len(names)) + "\n".join(names) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")

    def shape(document):
        return [(s.title, s.rule, s.count, s.kind, [(e.name, e.where, e.place, e.proposer,
                 e.affiliation) for e in s.entries]) for s in document.sections]

    assert shape(read_pasted(text)) == shape(read_document(lines_of_text(text)))


# Plain names only (the names-only path) and a few that are not (the general path).
plain_or_not = st.one_of(
    name_strategy, name_strategy, name_strategy,
    st.sampled_from(["", "马 罡", "John Smith", "主任", "Anna", "anna", "张三1", "e\u0301"]),
)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(plain_or_not, min_size=1, max_size=40),
    head=st.sampled_from(["", "名单（{n}名，按姓氏笔画排序）\n", "优秀教师：\n", "1. 张三\n"]),
    rule=st.sampled_from(["stroke", "stroke-fullname", "pinyin"]),
    block=st.integers(min_value=1, max_value=7),
    crlf=st.booleans(),
)
def test_the_names_only_path_sorts_and_checks_as_the_general_reader(
    names, head, rule, block, crlf
):
    """A plain list is kept as its names (PlainEntries): the names, the places
    reported, the sorted order and the misplaced entries are those of the
    general reader, whether the text is searched whole (sort, check) or a block
    of lines at a time (a streamed import)."""
    from unittest import mock

    from honours.collation import sort_entries
    from honours.readers import pasted
    from honours.readers.pasted import lines_of_text, read_document, read_pasted_lines

    text = head.format(n=len(names)) + "\n".join(names) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    general = read_document(lines_of_text(text))
    with mock.patch.object(pasted, "_BLOCK", block):
        by_lines = read_pasted_lines(text.replace("\r\n", "\n").split("\n"))
    for fast in (read_pasted(text), by_lines):
        assert len(fast.sections) == len(general.sections)
        for mine, theirs in zip(fast.sections, general.sections):
            expected = [entry.name for entry in theirs.entries]
            assert mine.names == expected
            assert [(e.name, e.where, e.place) for e in mine.entries] == [
                (e.name, e.where, e.place) for e in theirs.entries]
            assert mine.kind == theirs.kind
            assert sort_entries(mine.names, rule, mine.kind) == sort_entries(
                expected, rule, theirs.kind)

        def misplaced(document):
            return [(check.rule, [(m.entry.name, m.entry.where, m.belongs_at, m.after, m.before)
                                  for m in check.misplaced])
                    for check in proofread([("", document)], by=rule)]

        assert misplaced(fast) == misplaced(general)
