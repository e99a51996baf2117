"""The official roll: `show`, the txt/csv/json exports, the certificate register
and the roll's settings, on the example roll built through the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from honours.render.view import chinese_number, heading_number, pad_name

from .conftest import Honours
from .data.seed_jinshan_2024 import MEMBERS_2024, OTHERS_2024, names

SEED_ROLL = Path(__file__).parent / "data" / "jinshan-2024-roll.txt"
# The seed went through a converter that made its punctuation ASCII; the tool
# writes the full-width punctuation of official documents.
WIDTH = str.maketrans("（），：；！？", "(),:;!?")


def comparable(text: str) -> list[str]:
    """Lines with blank lines, trailing whitespace and punctuation width set aside."""
    return [line.rstrip().translate(WIDTH) for line in text.splitlines() if line.strip()]


@pytest.fixture
def jinshan(jinshan_db) -> Honours:
    return Honours(jinshan_db)


def test_txt_export_reproduces_the_published_roll(jinshan, tmp_path):
    out = tmp_path / "roll.txt"
    jinshan("export", "--format", "txt", "-o", str(out))
    produced = out.read_text("utf-8")
    assert comparable(produced) == comparable(SEED_ROLL.read_text("utf-8"))
    # Full-width punctuation by default, tabs between grid columns.
    assert "区政协2024年度优秀提案（12件）" in produced
    assert "1. 市、区政协委员（37名，按姓氏笔画排序）" in produced
    assert "■ 提案者：刘 振" in produced
    assert "丁丽珍\t马 罡\t吕东远\t朱春燕\t刘 振" in produced


def test_txt_export_with_ideographic_padding(jinshan, tmp_path):
    out = tmp_path / "roll.txt"
    jinshan("export", "-o", str(out), "--padding", "ideographic")
    text = out.read_text("utf-8")
    assert "丁丽珍\t马\u3000罡\t吕东远" in text
    assert "马 罡" not in text
    assert jinshan("export", "-o", "-", "-f", "txt", "--padding", "wide", ok=False).exit_code == 2


def test_export_of_one_category_and_to_stdout(jinshan):
    result = jinshan("export", "其他反映人", "-f", "txt", "-o", "-")
    lines = comparable(result.stdout)
    assert lines[0] == "其他反映人(15名,按姓氏笔画排序)"
    assert "\t".join(lines[1:]).split("\t") == names(OTHERS_2024)


def test_export_refuses_to_replace_a_file_without_force(jinshan, tmp_path):
    out = tmp_path / "roll.txt"
    out.write_text("a clerk's own file", encoding="utf-8")
    refused = jinshan("export", "-o", str(out), ok=False)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert out.read_text("utf-8") == "a clerk's own file"
    jinshan("export", "-o", str(out), "--force")
    assert out.read_text("utf-8").startswith("光荣榜")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jinshan.json", "roll.txt"]  # no temp


@pytest.mark.parametrize("command", [
    ["export", "--format", "pdf"], ["export", "--format", "xlsx"],
    ["register", "--format", "xlsx"], ["register", "--format", "csv", "--issue"],
])
def test_an_existing_output_is_refused_before_any_work(jinshan, tmp_path, monkeypatch,
                                                        command):
    """A file that exists (no --force) is refused before the roll is even read: a
    100,000-winner register or PDF takes seconds to make, then to be refused."""
    from honours import roll

    out = tmp_path / "out.file"
    out.write_text("a clerk's own file", encoding="utf-8")

    def no_work(*args, **kwargs):
        raise AssertionError("the roll was read for a file that will not be written")

    monkeypatch.setattr(roll, "roll_view", no_work)
    refused = jinshan(*command, "-o", str(out), ok=False)
    assert refused.exit_code == 2 and "--force" in refused.output, refused.output
    assert out.read_text("utf-8") == "a clerk's own file"


def test_export_format_is_required_or_inferred(jinshan, tmp_path):
    assert jinshan("export", "-o", str(tmp_path / "roll.rtf"), ok=False).exit_code == 2
    assert jinshan("export", "-o", "-", ok=False).exit_code == 2
    assert jinshan("export", "-f", "txt", ok=False).exit_code == 2
    jinshan("export", "-o", str(tmp_path / "roll.csv"))
    assert (tmp_path / "roll.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_export_for_excel(jinshan, tmp_path):
    out = tmp_path / "roll.csv"
    jinshan("export", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:7] == ["类别", "序号", "姓名/名称", "类型", "题目", "单位/职务", "备注"]
    members = [r[2] for r in rows if r[0].endswith("市、区政协委员")]
    assert members == ["".join(n.split()) for n in names(MEMBERS_2024)]
    work = next(r for r in rows if r[3] == "作品")
    assert work[2] == "中国民主促进会上海市金山区委员会" and work[4].startswith("做深")
    assert len(rows) == 1 + 12 + 16 + 37 + 15 + 16


def test_csv_neutralises_formula_cells(honours, tmp_path):
    honours("category", "add", "名单", "--sort", "manual")
    honours("add", "名单", "--", "=1+1", "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0", "张三")
    out = tmp_path / "roll.csv"
    honours("export", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    cells = [r[2] for r in rows[1:]]
    assert cells == ["'=1+1", "'@SUM(A1)", "'-2+3", "'+cmd|' /C calc'!A0", "张三"]


def test_json_export_is_complete(jinshan, tmp_path):
    out = tmp_path / "roll.json"
    jinshan("category", "edit", "区政协2024年度优秀提案", "--honour", "优秀提案奖")
    jinshan("export", "-o", str(out))
    document = json.loads(out.read_text("utf-8"))
    assert document["format"] == "honours-roll" and document["version"] == 1
    assert document["title"] == "光荣榜" and document["settings"]["year"] == "2024"
    proposals, award = document["categories"]
    assert proposals["kind"] == "work" and proposals["honour"] == "优秀提案奖"
    assert proposals["winners"][10]["proposer"] == "刘振"
    units, people = award["children"]
    assert (units["kind"], units["columns"], units["measure"]) == ("unit", 3, "家")
    members = people["children"][0]
    assert members["sort"] == "stroke" and members["count"] == 37
    assert [w["name"] for w in members["winners"]] == [
        "".join(n.split()) for n in names(MEMBERS_2024)
    ]
    # The manual order (shuffled entry order) is kept beside the display order.
    orders = [w["order"] for w in members["winners"]]
    assert sorted(orders) == list(range(37)) and orders != list(range(37))


def test_show_renders_the_roll(jinshan):
    output = jinshan("show").output
    assert output.splitlines()[0].strip() == "光荣榜"
    for heading in ("区政协2024年度优秀提案（12件）", "一、信息工作成绩突出单位（16家）",
                    "二、信息工作成绩突出个人（68名）", "2. 其他反映人（15名，按姓氏笔画排序）",
                    "3. 社情民意信息工作人员（16名）", "■ 提案者：常 慧"):
        assert heading in output
    grid = [line for line in output.splitlines() if line.startswith("丁丽珍")][0]
    assert re.split(r"\s{2,}", grid.strip()) == ["丁丽珍", "马 罡", "吕东远", "朱春燕", "刘 振"]


def test_show_grid_columns_align(jinshan):
    from rich.cells import cell_len

    def column_starts(row: str) -> tuple[int, ...]:
        """Display columns where a cell begins: after two or more spaces."""
        starts, width, spaces = [], 0, 2
        for char in row:
            if char != " " and spaces >= 2:
                starts.append(width)
            spaces = spaces + 1 if char == " " else 0
            width += cell_len(char)
        return tuple(starts)

    output = jinshan("show", "市、区政协委员").output
    rows = [line for line in output.splitlines() if line.strip() and "（" not in line]
    assert len(rows) == 8
    assert len({column_starts(row) for row in rows[:-1]}) == 1  # full rows line up
    assert column_starts(rows[-1]) == column_starts(rows[0])[:2]  # 樊文军 潘淑红


def test_show_of_an_empty_roll(honours):
    missing = honours("show", ok=False)
    assert missing.exit_code == 2 and "does not exist" in missing.output
    honours("settings", "set", "title", "光荣榜")  # the database exists, with no category
    assert "empty" in honours("show").output


def test_heading_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 99, 100, 105)] == [
        "一", "十", "十一", "二十", "九十九", "一百", "一百零五"]
    assert [heading_number(d, 2) for d in range(5)] == ["", "二、", "2. ", "（2）", "②"]
    assert pad_name("马罡") == "马 罡" and pad_name("欧阳少东") == "欧阳少东"
    assert pad_name("Li") == "Li" and pad_name("马罡", "\u3000") == "马\u3000罡"


def test_group_counts_are_sums_and_mixed_groups_have_none(honours):
    honours("category", "add", "奖")
    honours("category", "add", "个人", "--parent", "奖")
    honours("category", "add", "甲", "--parent", "个人")
    honours("category", "add", "乙", "--parent", "个人")
    honours("category", "add", "单位", "--parent", "奖", "--kind", "unit")
    honours("add", "甲", "张三", "李四")
    honours("add", "乙", "王五")
    honours("add", "单位", "区教育局")
    text = honours("export", "-f", "txt", "-o", "-").stdout
    assert "\n奖\n" in text  # 名 and 家 below: no single count
    assert "一、个人（3名）" in text and "1. 甲（2名，按姓氏笔画排序）" in text
    assert "二、单位（1家）" in text


# -- the certificate register -----------------------------------------------------------


def test_register_numbers_are_issued_once_and_never_reused(jinshan, tmp_path):
    out = tmp_path / "register.csv"
    jinshan("register", "-f", "csv", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["序号", "证书编号", "获奖者", "荣誉", "签收", "日期"]
    first = {(r[2], r[3]): r[1] for r in rows[1:]}
    assert len(rows) == 1 + 96 and len(set(first.values())) == 96
    assert rows[1][1] == "JSZX2024-001" and rows[1][3] == "区政协2024年度优秀提案"
    assert rows[1][4] == rows[1][5] == ""

    jinshan("remove", "市、区政协委员", "沈 燕")
    jinshan("add", "市、区政协委员", "丁一")
    jinshan("register", "-f", "csv", "-o", str(out), "--force")
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    second = {(r[2], r[3]): r[1] for r in rows[1:]}
    recipients = {name for name, _ in second}
    assert "沈燕" not in recipients
    new = next(number for (name, _), number in second.items() if name == "丁一")
    assert new == "JSZX2024-097"  # a new number, not 沈燕's
    assert all(second[key] == number for key, number in first.items() if key[0] != "沈燕")
    # The register lists in roll order: 丁一 comes first among the members.
    members = [r[2] for r in rows if "市、区政协委员" in r[3] or r[2] in ("丁一", "丁丽珍")]
    assert members[0] == "丁一"


def test_register_of_a_category_and_as_a_table(jinshan):
    table = jinshan("register", "其他反映人").output
    assert "其他反映人证书发放名册" in table and "付铨" in table and "签收" in table
    assert "JSZX2024-" in table


def test_register_refuses_unknown_formats(jinshan):
    assert jinshan("register", "-f", "pdf", "-o", "x.pdf", ok=False).exit_code == 2
    assert jinshan("register", "-f", "xlsx", ok=False).exit_code == 2


def test_certificate_pattern_and_year_settings(honours):
    honours("category", "add", "名单")
    honours("add", "名单", "张三")
    for key, value in (("certificate-pattern", "no-serial"), ("certificate-pattern", "{nope}"),
                       ("year", "24"), ("colour", "red")):
        result = honours("settings", "set", key, value, ok=False)
        assert result.exit_code == 2 and "Traceback" not in result.output
    honours("settings", "set", "certificate-pattern", "荣字〔{year}〕{serial}号")
    honours("settings", "set", "year", "2025")
    assert "荣字〔2025〕1号" in honours("register").output
    settings = honours("settings").output
    assert "year: 2025" in settings and "title: 光荣榜" in settings
    honours("settings", "set", "title", "表彰名单")
    assert honours("export", "-f", "txt", "-o", "-").stdout.startswith("表彰名单")


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_a_subtree_is_exported_without_the_roll_title(jinshan, fmt):
    whole = jinshan("export", "-f", fmt, "-o", "-").stdout
    part = jinshan("export", "其他反映人", "-f", fmt, "-o", "-").stdout
    assert "光荣榜" in whole
    assert "光荣榜" not in part
    padded = "付\u3000铨" if fmt == "html" else "付 铨"  # U+3000 in html, as in print
    assert padded in part and "丁丽珍" not in part


def test_update_documents_gives_each_document_its_own_fields_in_one_pass(tmp_path):
    """Issuing numbers updates every winner in one change of the table (one TinyDB
    update per winner copied the whole table each time: quadratic); each winner still
    gets its own number, and an unknown id changes nothing."""
    from honours import roll
    from honours.storage import Store

    store = Store(tmp_path / "roll.json")
    with store.transaction() as db:
        category = roll.add_category(db, "名单", kind="person", sort="manual")
        documents, _ = roll.prepare_winners(db, category, [roll.NewWinner(n) for n in
                                                           ("甲", "乙", "丙", "丁")])
        ids = roll.insert_winners(db, category, documents)
        table = db.table(roll.WINNERS)
        calls = []
        original = table._update_table  # where every change of a table goes
        table._update_table = lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs)
        roll.update_documents(table, {ids[3]: {"certificate": "N4"}, ids[0]: {"certificate": "N1"},
                                      ids[1]: {"note": "x"}})
        assert len(calls) == 1
        with pytest.raises(roll.RollError):
            roll.update_documents(table, {ids[2]: {"certificate": "N3"}, 999: {"certificate": "?"}})
    winners = {doc["name"]: doc for doc in store.snapshot().table(roll.WINNERS).all()}
    assert winners["甲"]["certificate"] == "N1" and winners["丁"]["certificate"] == "N4"
    assert winners["乙"]["note"] == "x" and "certificate" not in winners["乙"]
    assert "certificate" not in winners["丙"]
