"""`honours import` with files made the way Excel, WPS and Word make them,
broken ones included: each imports completely and correctly, or is refused
with the row that is wrong and the database left byte-for-byte as it was."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from honours.readers.pasted import split_entries

from .conftest import Honours
from .data.seed_jinshan_2024 import MEMBERS_2024, names

SEED_ROLL = Path(__file__).parent / "data" / "jinshan-2024-roll.txt"


def squash(entries):
    return ["".join(e.split()) for e in entries]


def listed(honours, category):
    return honours("list", category, "--format", "text").output.splitlines()


@pytest.fixture
def people(honours) -> Honours:
    honours("category", "add", "奖项")
    honours("category", "add", "委员", "--parent", "奖项")
    honours("category", "add", "单位", "--parent", "奖项", "--kind", "unit")
    return honours


def excel_csv(path: Path, rows: list[list[str]], encoding: str = "gbk") -> Path:
    """A CSV as Excel on Chinese Windows saves it: GBK, CRLF, quoted as needed."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# -- CSV ---------------------------------------------------------------------------------


def test_gbk_csv_from_excel_with_a_title_row(people, tmp_path):
    path = excel_csv(tmp_path / "名单.csv", [
        ["2024年度信息工作成绩突出个人名单", "", ""],
        ["序号", "姓名", "工作单位", "备注"],
        ["1", "杨旦红", "区教育局", ""],
        ["2", "杨 巍", "区卫健委", "连续三年"],
        ["3", "吕东远", "", ""],
    ])
    result = people("import", str(path), "--into", "奖项/委员")
    assert "GB18030" in result.output and "header at row 2" in result.output
    assert listed(people, "委员") == ["吕东远", "杨巍", "杨旦红"]
    records = json.loads(people("list", "委员", "--format", "json").output)
    assert {r["name"]: r.get("affiliation") for r in records}["杨巍"] == "区卫健委"
    assert {r["name"]: r.get("note") for r in records}["杨巍"] == "连续三年"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_encodings(people, tmp_path, encoding):
    path = excel_csv(tmp_path / "x.csv", [["姓名"], ["马 罡"], ["刘振"]], encoding)
    people("import", str(path), "--into", "委员")
    assert listed(people, "委员") == ["马罡", "刘振"]


def test_tab_separated_text_from_excel(people, tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "姓名\t单位\r\n张三\t区教育局\r\n".encode("utf-16-le"))
    people("import", str(path), "--format", "csv", "--into", "委员")
    assert listed(people, "委员") == ["张三"]


def test_csv_category_column_and_english_headers(people, tmp_path):
    path = excel_csv(tmp_path / "x.csv", [
        ["Name", "Category", "Affiliation"],
        ["张三", "奖项/委员", "A"],
        ["区教育局", "单位", ""],
        ["李四", "", ""],
    ], "utf-8")
    people("import", str(path), "--into", "委员")
    assert sorted(listed(people, "委员")) == ["张三", "李四"]
    assert listed(people, "单位") == ["区教育局"]


def test_csv_problems_are_reported_by_row_and_nothing_is_written(people, db, tmp_path):
    people("add", "委员", "张三")
    before = db.read_bytes()
    path = excel_csv(tmp_path / "x.csv", [
        ["姓名", "类别"],
        ["李四", "委员"],
        ["", "委员"],
        ["张三", "委员"],
        ["王五", "不存在"],
        ["赵\u202e六", "委员"],
        ["李四", "委员"],
    ], "utf-8")
    result = people("import", str(path), ok=False)
    assert result.exit_code == 2
    output = result.output
    assert "row 3" in output and "empty" in output
    assert "row 4" in output and "already" in output
    assert "row 5" in output and "unknown category" in output
    assert "row 6" in output and "U+202E" in output
    assert "row 7" in output
    assert "nothing was imported" in output
    assert db.read_bytes() == before


def test_skip_invalid_writes_the_good_rows(people, tmp_path):
    path = excel_csv(tmp_path / "x.csv", [["姓名"], ["李四"], ["赵\u202e六"], ["王五"]], "utf-8")
    result = people("import", str(path), "--into", "委员", "--skip-invalid")
    assert "row 3" in result.output
    assert sorted(listed(people, "委员")) == ["李四", "王五"]
    assert "import" in people("backup", "list").output


def test_dry_run_writes_nothing(people, db, tmp_path):
    before = db.read_bytes()
    path = excel_csv(tmp_path / "x.csv", [["姓名"], ["李四"], ["王五"]], "utf-8")
    result = people("import", str(path), "--into", "委员", "--dry-run")
    assert "would add 2" in result.output and "dry run" in result.output
    assert db.read_bytes() == before


def test_rows_without_a_category_need_into(people, db, tmp_path):
    before = db.read_bytes()
    path = excel_csv(tmp_path / "x.csv", [["姓名"], ["李四"]], "utf-8")
    result = people("import", str(path), ok=False)
    assert result.exit_code == 2 and "--into" in result.output
    assert db.read_bytes() == before


def test_works_from_a_sheet(honours, tmp_path):
    honours("category", "add", "优秀提案", "--kind", "work")
    path = excel_csv(tmp_path / "x.csv", [
        ["题目", "提案者"], ["关于某事的建议", "刘 振"], ["关于另一事的建议", "民革界别"],
    ], "utf-8")
    honours("import", str(path), "--into", "优秀提案")
    records = json.loads(honours("list", "优秀提案", "--format", "json").output)
    assert [(r["name"], r["proposer"]) for r in records] == [
        ("关于某事的建议", "刘振"), ("关于另一事的建议", "民革界别")]


# -- XLSX --------------------------------------------------------------------------------


def make_xlsx(path: Path, rows, merged_title: str | None = None, formula: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "获奖名单"
    if merged_title:
        sheet.append([merged_title])
        sheet.merge_cells("A1:C1")
        sheet.append(["填报单位：区政协办公室"])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    if formula:
        sheet.append(["=A5&\"\"", "区教育局"])  # a formula with no cached value
    other = book.create_sheet("其他")
    other.append(["姓名"])
    other.append(["赵六"])
    book.save(path)
    return path


def test_xlsx_with_merged_title_rows(people, tmp_path):
    rows = [["姓名", "单位", "备注"], ["杨旦红", "区教育局", None], ["杨 巍", None, "连任"]]
    path = make_xlsx(tmp_path / "名单.xlsx", rows, merged_title="2024年度表彰名单")
    result = people("import", str(path), "--into", "委员")
    assert "sheet '获奖名单'" in result.output and "header at row 4" in result.output
    assert listed(people, "委员") == ["杨巍", "杨旦红"]
    people("import", str(path), "--into", "委员", "--sheet", "其他")
    assert "赵六" in listed(people, "委员")
    missing = people("import", str(path), "--into", "委员", "--sheet", "无", ok=False)
    assert missing.exit_code == 2 and "其他" in missing.output


def test_xlsx_formula_without_value_is_a_problem(people, db, tmp_path):
    before = db.read_bytes()
    path = make_xlsx(tmp_path / "f.xlsx", [["姓名", "单位"], ["张三", "A"]], formula=True)
    result = people("import", str(path), "--into", "委员", ok=False)
    assert result.exit_code == 2 and "row 3" in result.output and "empty" in result.output
    assert db.read_bytes() == before


# -- plain text --------------------------------------------------------------------------


def test_plain_text_grids(people, tmp_path):
    path = tmp_path / "names.txt"
    text = "马 罡\t刘 振\n丁丽珍  吕东远\n朱春燕、孙海美，汪旭兵\n1. 邱 晏\n\n"
    path.write_text(text, encoding="utf-8")
    people("import", str(path), "--into", "委员")
    assert sorted(listed(people, "委员")) == sorted(
        ["马罡", "刘振", "丁丽珍", "吕东远", "朱春燕", "孙海美", "汪旭兵", "邱晏"])


def test_plain_text_units_keep_their_punctuation(people, tmp_path):
    path = tmp_path / "units.txt"
    path.write_text("市、区政协委员联络组\t朱泾镇（街道、社区）\n", encoding="utf-8")
    people("import", str(path), "--into", "单位")
    assert listed(people, "单位") == ["市、区政协委员联络组", "朱泾镇（街道、社区）"]


@pytest.mark.parametrize(
    ("line", "entries"),
    [
        ("马 罡\t刘 振", ["马罡", "刘振"]),
        ("马 罡 刘 振", ["马罡", "刘振"]),
        ("张三 李四", ["张三", "李四"]),
        ("John Smith\t张三", ["John Smith", "张三"]),
        ("马\u3000罡\u3000\u3000刘\u3000振", ["马罡", "刘振"]),
        ("（1）王伟(女)", ["王伟(女)"]),
    ],
)
def test_split_entries(line, entries):
    assert split_entries(line) == entries


# -- the roll layout ---------------------------------------------------------------------


def test_the_seed_imports_into_the_tree_the_example_builds(honours, jinshan_db):
    result = honours("import", str(SEED_ROLL))
    assert "roll layout" in result.output and "added 96 of 96" in result.output
    example = Honours(jinshan_db)
    assert honours("category", "list").output.split("\n", 1)[1] == example(
        "category", "list").output.split("\n", 1)[1]
    def attributes(output: str) -> list[str]:
        # The honour wording is the example's own choice; a printed roll does not show it.
        return [line.replace(" ", "") for line in output.splitlines() if "honour" not in line]

    for number in range(1, 8):
        mine = honours("category", "show", str(number)).output
        theirs = example("category", "show", str(number)).output
        assert attributes(mine) == attributes(theirs)
    assert listed(honours, "市、区政协委员") == squash(names(MEMBERS_2024))
    exported = honours("export", "-f", "txt", "-o", "-").stdout
    example_text = example("export", "-f", "txt", "-o", "-").stdout
    width = str.maketrans("（），：", "(),:")
    assert exported.translate(width) == example_text.translate(width)


def test_a_count_mismatch_is_reported(honours, db, tmp_path):
    text = SEED_ROLL.read_text("utf-8").replace("丁丽珍\t", "", 1)
    path = tmp_path / "roll.txt"
    path.write_text(text, encoding="utf-8")
    result = honours("import", str(path), ok=False)
    assert result.exit_code == 2
    assert "says 37名 but 36 entries" in result.output
    assert "says 68名 but 67 entries" in result.output
    assert not db.exists()
    honours("import", str(path), "--skip-invalid")
    assert len(listed(honours, "市、区政协委员")) == 36


def test_roll_text_exported_by_the_tool_imports_back(jinshan, tmp_path, honours):
    out = tmp_path / "exported.txt"
    jinshan("export", "-o", str(out), "--padding", "ideographic")
    honours("import", str(out))
    assert honours("export", "-f", "txt", "-o", "-").stdout == jinshan(
        "export", "-f", "txt", "-o", "-").stdout


@pytest.fixture
def jinshan(jinshan_db) -> Honours:
    return Honours(jinshan_db)


# -- JSON --------------------------------------------------------------------------------


def test_json_export_import_export_is_identical(jinshan, honours, tmp_path):
    jinshan("register", "--issue")  # issue certificate numbers, so they travel too
    jinshan("category", "edit", "区政协2024年度优秀提案", "--honour", "优秀提案奖")
    first = tmp_path / "first.json"
    jinshan("export", "-o", str(first))
    honours("import", str(first))
    second = tmp_path / "second.json"
    honours("export", "-o", str(second))
    assert second.read_bytes() == first.read_bytes()
    # New certificate numbers continue after the imported ones.
    honours("add", "市、区政协委员", "丁一")
    assert "JSZX2024-097" in honours("register", "市、区政协委员").output


def test_json_into_a_category(jinshan, honours, tmp_path):
    honours("category", "add", "存档")
    out = tmp_path / "others.json"
    jinshan("export", "其他反映人", "-o", str(out))
    honours("import", str(out), "--into", "存档")
    assert len(listed(honours, "存档/其他反映人")) == 15


# -- hostile files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.csv", b"\x00\x01\x02\xff" * 1000, "binary"),
        ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("truncated.json", b'{"format": "honours-roll", "version": 1, "categ', "not valid JSON"),
        ("other.json", b'{"a": 1}', "not a honours roll"),
        ("newer.json", b'{"format": "honours-roll", "version": 9, "categories": []}', "version"),
        ("truncated.xlsx", None, ".xlsx"),
        ("header-only.csv", "姓名,单位\r\n".encode("gbk"), "no entries"),
        ("empty.txt", b"", "no entries"),
        ("bad-utf8.csv", "姓名\n张三\n".encode() + b"\xe5\xbc", "truncated"),
        ("big5.csv", "姓名\n張三豐\n陳國華\n".encode("big5"), "--encoding"),
    ],
)
def test_hostile_files_are_refused_and_the_database_unchanged(people, db, tmp_path, name,
                                                              content, message):
    path = tmp_path / name
    if content is None:
        good = make_xlsx(tmp_path / "good.xlsx", [["姓名"], ["张三"]])
        content = good.read_bytes()[:400]
    path.write_bytes(content)
    before = db.read_bytes()
    result = people("import", str(path), "--into", "委员", ok=False)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_an_enormous_line_is_refused_by_the_name_limit(people, db, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("张" * 2_000_000 + "\n", encoding="utf-8")
    before = db.read_bytes()
    result = people("import", str(path), "--into", "委员", ok=False)
    assert result.exit_code == 2 and "line 1" in result.output and "at most" in result.output
    assert db.read_bytes() == before


def test_formula_text_in_csv_stays_text_and_exports_neutralised(people, tmp_path):
    path = excel_csv(tmp_path / "x.csv", [["姓名"], ["=HYPERLINK(\"http://x\")"]], "utf-8")
    people("import", str(path), "--into", "委员")
    out = tmp_path / "out.csv"
    people("export", "-o", str(out))
    assert "'=HYPERLINK" in out.read_bytes().decode("utf-8-sig")


def test_a_missing_file_is_a_clear_error(people, tmp_path):
    result = people("import", str(tmp_path / "missing.csv"), "--into", "委员", ok=False)
    assert result.exit_code == 2 and "cannot read" in result.output


def test_large_imports_show_progress_and_are_one_save(people, tmp_path, db):
    path = tmp_path / "big.csv"
    path.write_text("姓名\n" + "\n".join(f"测试{i:05d}" for i in range(6000)), encoding="utf-8")
    people("import", str(path), "--into", "委员")
    records = json.loads(people("list", "委员", "--format", "json").output)
    assert len(records) == 6000
    backups = [line for line in people("backup", "list").output.splitlines()
               if line.startswith("honours-") and "import" in line]
    assert len(backups) == 1  # one save, one backup


def test_a_refused_import_does_not_claim_to_have_added_anything(people, tmp_path):
    path = excel_csv(tmp_path / "x.csv", [["姓名"], ["李四"], ["赵\u202e六"]], "utf-8")
    result = people("import", str(path), "--into", "委员", ok=False)
    assert result.exit_code == 2 and "row 3" in result.output
    assert "added" not in result.output.replace("nothing was imported", "")
    assert listed(people, "委员") == []
