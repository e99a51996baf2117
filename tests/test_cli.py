"""The command line: categories, winners, listing, sort/check/explain, and attacks
through the CLI contract (hostile input, damaged files, concurrent writers, kill -9)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import time

import pytest

from .conftest import REPO, honours_command, run_cli
from .data.seed_jinshan_2024 import MEMBERS_2024, OTHERS_2024, names


def squash(entries):
    return ["".join(e.split()) for e in entries]


def listed(honours, category, fmt="text"):
    return honours("list", category, "--format", fmt).output.splitlines()


# -- categories ------------------------------------------------------------------------


def test_category_tree_three_deep_with_counts(honours):
    honours("category", "add", "奖项")
    honours("category", "add", "个人", "--parent", "奖项")
    honours("category", "add", "委员", "--parent", "奖项/个人")
    honours("category", "add", "其他", "--parent", "个人")
    honours("add", "委员", "张三", "李四")
    honours("add", "其他", "王五")
    tree = honours("category", "list").output
    assert "个人（3名）" in tree  # a group's count is the sum of its children
    assert "委员（2名，按姓氏笔画排序）" in tree
    shown = honours("category", "show", "奖项/个人/委员").output
    assert "stroke" in shown and "奖项/个人/委员" in shown


def test_category_defaults_by_kind(honours):
    honours("category", "add", "单位", "--kind", "unit")
    honours("category", "add", "提案", "--kind", "work")
    shown = honours("category", "show", "单位").output
    assert "家" in shown and "manual" in shown and "3" in shown
    assert "件" in honours("category", "show", "提案").output


def test_category_reference_by_id_title_and_path(honours):
    honours("category", "add", "甲")
    honours("category", "add", "名单", "--parent", "甲")
    honours("category", "add", "乙")
    honours("category", "add", "名单", "--parent", "乙")
    result = honours("add", "名单", "张三", ok=False)
    assert result.exit_code == 2
    assert "甲/名单" in result.output and "乙/名单" in result.output
    honours("add", "乙/名单", "张三")
    honours("add", "2", "李四")
    assert listed(honours, "甲/名单") == ["李四"]
    unknown = honours("list", "丙", ok=False)
    assert unknown.exit_code == 2 and "no category '丙'" in unknown.output


def test_category_edit_move_and_reorder(honours):
    for title in ("一等奖", "二等奖", "三等奖"):
        honours("category", "add", title)
    honours("category", "edit", "三等奖", "--title", "优秀奖", "--sort", "pinyin", "--columns", "4")
    shown = honours("category", "show", "优秀奖").output
    assert "pinyin" in shown and "4" in shown
    honours("category", "move", "优秀奖", "--position", "1")
    tree = honours("category", "list").output
    assert tree.index("优秀奖") < tree.index("一等奖") < tree.index("二等奖")
    honours("category", "move", "二等奖", "--parent", "一等奖")
    assert "一等奖/二等奖" in honours("category", "show", "二等奖").output
    assert honours("category", "move", "一等奖", "--parent", "二等奖", ok=False).exit_code == 2
    honours("category", "move", "二等奖", "--top")
    assert re.search(r"path\s+二等奖\s*$", honours("category", "show", "二等奖").output, re.M)


def test_category_edit_refuses_bad_values(honours, db):
    honours("category", "add", "名单")
    before = db.read_bytes()
    for args in (["--sort", "alphabet"], ["--kind", "team"], ["--columns", "0"],
                 ["--title", "a/b"], ["--title", "  "]):
        result = honours("category", "edit", "名单", *args, ok=False)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_removing_a_non_empty_category_needs_force_and_keeps_a_backup(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "张三")
    refused = honours("category", "remove", "名单", ok=False)
    assert refused.exit_code == 2 and "--force" in refused.output
    honours("category", "remove", "名单", "--force")
    assert "名单" not in honours("category", "list").output
    backups = honours("backup", "list").output
    assert "category-remove" in backups
    name = next(word for word in backups.split() if word.endswith(".json"))
    honours("backup", "restore", name, "--yes")
    assert listed(honours, "名单") == ["张三"]


# -- winners ---------------------------------------------------------------------------


@pytest.fixture
def people(honours):
    honours("category", "add", "委员")
    return honours


def test_add_names_as_arguments_are_normalised(people):
    people("add", "委员", "马 罡", "刘\u3000振", "王伟(女)", "ｌｉ")
    assert set(listed(people, "委员")) == {"马罡", "刘振", "王伟(女)", "ｌｉ"}
    records = json.loads(people("list", "委员", "--format", "json").output)
    assert {r["name"] for r in records} == {"马罡", "刘振", "王伟(女)", "ｌｉ"}


def test_add_from_standard_input_splits_pasted_grids(people):
    grid = "丁丽珍\t马 罡\t吕东远\n\n朱春燕\t刘 振\n"
    people("add", "委员", "-", input=grid)
    assert listed(people, "委员") == ["丁丽珍", "马罡", "吕东远", "朱春燕", "刘振"]


def test_add_with_affiliation_and_note(people):
    people("add", "委员", "张三", "--affiliation", "区教育局", "--note", "连续三年")
    record = json.loads(people("list", "委员", "--format", "json").output)[0]
    assert record["affiliation"] == "区教育局" and record["note"] == "连续三年"
    table = people("list", "委员").output
    assert "区教育局" in table and "连续三年" in table


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   ",
        "\u3000",
        "张\u202e三",  # right-to-left override
        "张\u200b三",  # zero-width space
        "张\x00三",
        "张\x1b[31m三",
        "\ufeff张三",
        "张" * 101,
    ],
    ids=["empty", "blank", "ideographic-blank", "bidi", "zwsp", "nul", "escape", "bom", "long"],
)
def test_hostile_names_are_refused_and_nothing_is_written(people, db, hostile):
    people("add", "委员", "张三")
    before = db.read_bytes()
    result = people("add", "委员", "李四", hostile, ok=False)
    assert result.exit_code == 2
    assert "nothing was added" in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_duplicates_are_refused_unless_allowed(people, db):
    people("add", "委员", "张三")
    before = db.read_bytes()
    for names_, said in ((["张 三"], "is already in"), (["李四", "李四"], "more than once")):
        result = people("add", "委员", *names_, ok=False)
        assert result.exit_code == 2 and said in result.output
    assert db.read_bytes() == before
    people("add", "委员", "张三", "--allow-duplicate")
    assert listed(people, "委员") == ["张三", "张三"]


def test_bad_lines_on_standard_input_name_their_line(people, db):
    people("add", "委员", "张三")
    before = db.read_bytes()
    result = people("add", "委员", "-", input="李四\n王五\t张\u202e六\n", ok=False)
    assert result.exit_code == 2 and "line 2" in result.output
    assert db.read_bytes() == before


def test_unknown_category_is_refused(people, db):
    before = db.read_bytes()
    result = people("add", "不存在", "张三", ok=False)
    assert result.exit_code == 2 and "no category" in result.output
    assert db.read_bytes() == before


def test_works_need_a_proposer(honours):
    honours("category", "add", "优秀提案", "--kind", "work")
    refused = honours("add", "优秀提案", "关于某事的建议", ok=False)
    assert refused.exit_code == 2 and "proposer" in refused.output
    honours("add", "优秀提案", "关于某事的建议", "--proposer", "刘 振")
    record = json.loads(honours("list", "优秀提案", "--format", "json").output)[0]
    assert record == {
        "place": 1, "id": 1, "name": "关于某事的建议", "position": 0, "proposer": "刘振",
        "proposer_kind": "person",  # not given: taken from the name (and warned of)
    }


def test_interactive_prompt_adds_until_an_empty_line(people):
    result = people("add", "委员", input="张三\n马 罡\n\n")
    assert "2 added" in result.output
    assert listed(people, "委员") == ["马罡", "张三"]


def test_interactive_prompt_reports_a_bad_line_and_goes_on(people):
    result = people("add", "委员", input="张三\n张三\n李四\n\n")
    assert "already" in result.output
    assert sorted(listed(people, "委员")) == sorted(["张三", "李四"])


def test_interactive_ctrl_c_keeps_what_was_confirmed(people, monkeypatch):
    import typer

    answers = iter(["张三", "李四"])

    def prompt(*args, **kwargs):
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(typer, "prompt", prompt)
    result = people("add", "委员")
    assert result.exit_code == 0 and "2 added" in result.output
    assert sorted(listed(people, "委员")) == ["张三", "李四"]


def test_remove_edit_rename_and_move(honours):
    honours("category", "add", "甲", "--sort", "manual")
    honours("category", "add", "乙")
    honours("add", "甲", "张三", "李四", "王五")
    honours("remove", "甲", "李四")
    assert listed(honours, "甲") == ["张三", "王五"]
    honours("edit", "甲", "张三", "--name", "张 珊", "--affiliation", "区教育局")
    assert listed(honours, "甲") == ["张珊", "王五"]
    honours("move", "甲", "王五", "--position", "1")
    assert listed(honours, "甲") == ["王五", "张珊"]
    honours("move", "甲", "王五", "--to", "乙")
    assert listed(honours, "甲") == ["张珊"] and listed(honours, "乙") == ["王五"]
    missing = honours("remove", "乙", "赵六", ok=False)
    assert missing.exit_code == 2 and "not in" in missing.output


def test_remove_by_id_when_names_repeat(honours):
    honours("category", "add", "甲")
    honours("add", "甲", "张三", "张三", "--allow-duplicate")
    ambiguous = honours("remove", "甲", "张三", ok=False)
    assert ambiguous.exit_code == 2 and "#1" in ambiguous.output
    honours("remove", "甲", "#2")
    assert listed(honours, "甲") == ["张三"]


def test_list_formats(people):
    people("add", "委员", "-", input="\n".join(reversed(names(MEMBERS_2024))))
    expected = squash(names(MEMBERS_2024))
    assert listed(people, "委员") == expected
    records = json.loads(people("list", "委员", "--format", "json").output)
    assert [r["name"] for r in records] == expected
    rows = list(csv.DictReader(io.StringIO(people("list", "委员", "--format", "csv").output)))
    assert [r["name"] for r in rows] == expected and rows[0]["place"] == "1"
    table = people("list", "委员").output
    assert "37名，按姓氏笔画排序" in table
    assert people("list", "委员", "--format", "yaml", ok=False).exit_code == 2


def test_table_columns_align_with_chinese_names(people):
    people("add", "委员", "马 罡", "欧阳少东", "Li")
    lines = [line for line in people("list", "委员").output.splitlines() if "│" in line]
    from rich.cells import cell_len

    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1  # every row has the same display width


def test_changing_the_rule_reorders_the_list(people):
    people("add", "委员", "杨旦红", "杨 巍", "田大利", "田 富")
    assert listed(people, "委员") == ["田富", "田大利", "杨巍", "杨旦红"]
    people("category", "edit", "委员", "--sort", "stroke-fullname")
    assert listed(people, "委员") == ["田大利", "田富", "杨旦红", "杨巍"]
    people("category", "edit", "委员", "--sort", "manual")
    assert listed(people, "委员") == ["杨旦红", "杨巍", "田大利", "田富"]


# -- which database --------------------------------------------------------------------


def test_database_from_environment_and_default(tmp_path, monkeypatch):
    env_db = tmp_path / "env.json"
    result = run_cli("info", env={"HONOURS_DB": str(env_db)})
    assert result.returncode == 0 and str(env_db) in result.stdout
    result = run_cli("info", env={"HONOURS_DB": ""})
    assert "honours.json" in result.stdout


def test_info_prints_the_database_in_use(honours, db):
    honours("category", "add", "名单")
    output = honours("info").output
    assert str(db) in output and "1 category," in output


# -- sort / check / explain ------------------------------------------------------------


def test_sort_reads_standard_input_and_files(tmp_path):
    shuffled = "\n".join(reversed(names(MEMBERS_2024))) + "\n\n"
    result = run_cli("sort", input=shuffled)
    assert result.returncode == 0
    assert result.stdout.splitlines() == squash(names(MEMBERS_2024))
    grid = tmp_path / "grid.txt"
    grid.write_text("\n".join("\t".join(reversed(line.split("\t")))
                              for line in reversed(OTHERS_2024.strip().splitlines())),
                    encoding="utf-8")
    result = run_cli("sort", str(grid))
    # A grid in gives the grid out, as published: five columns, 马 罡 padded.
    assert result.stdout.splitlines() == OTHERS_2024.strip().splitlines()
    result = run_cli("sort", "--columns", "1", str(grid))
    assert result.stdout.splitlines() == squash(names(OTHERS_2024))


def test_sort_reads_gb18030_files(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("杨旦红\n杨 巍\n".encode("gb18030"))
    assert run_cli("sort", str(path)).stdout.splitlines() == ["杨巍", "杨旦红"]


def test_sort_conventions_and_units():
    data = "杨旦红\n杨巍\n"
    assert run_cli("sort", "--by", "stroke-fullname", input=data).stdout.split() == [
        "杨旦红", "杨巍"]
    assert run_cli("sort", "--units", input="第10组\n第2组\n").stdout.split() == ["第2组", "第10组"]
    assert run_cli("sort", "--by", "pinyin", input="张明\n曾明\n").stdout.split() == [
        "曾明", "张明"]
    bad = run_cli("sort", "--by", "alphabet", input=data)
    assert bad.returncode == 2 and "unknown ordering rule" in bad.stderr


def test_check_exit_codes_and_report():
    published = "\n".join(names(MEMBERS_2024))
    assert run_cli("check", input=published).returncode == 0
    proof = names(MEMBERS_2024)
    proof.insert(2, proof.pop(20))  # 陆学峰 moved up
    result = run_cli("check", input="\n".join(proof))
    assert result.returncode == 1
    assert "陆学峰" in result.stdout and "belongs at 21" in result.stdout
    assert result.stdout.count("belongs at") == 1


def test_explain_characters_and_pairs():
    result = run_cli("explain", "曾", "--by", "pinyin")
    assert "12" in result.stdout and "zēng (surname)" in result.stdout
    result = run_cli("explain", "陆", "张")
    assert "张 before 陆" in result.stdout and "stroke 2" in result.stdout
    assert "折横折撇横折点" in result.stdout  # 张's sequence
    result = run_cli("explain", "杨巍", "杨旦红")
    assert "two-character" in result.stdout


def test_unknown_characters_warn_and_overrides_fix_them(tmp_path):
    db = tmp_path / "roll.json"
    unknown = "\U000323af"
    result = run_cli("--db", str(db), "sort", input=f"王{unknown}\n丁一\n")
    assert result.returncode == 0 and result.stdout.split() == ["丁一", f"王{unknown}"]
    assert "U+323AF" in result.stderr
    (tmp_path / "roll.overrides.txt").write_text(f"{unknown} 1 1\n", encoding="utf-8")
    result = run_cli("--db", str(db), "sort", "--by", "stroke-fullname",
                     input=f"丁一\n王{unknown}\n王二\n")
    assert result.stdout.split() == ["丁一", f"王{unknown}", "王二"]
    assert "U+323AF" not in result.stderr


def test_bad_override_file_is_a_clear_error(tmp_path):
    db = tmp_path / "roll.json"
    (tmp_path / "roll.overrides.txt").write_text("丁 3 12\n", encoding="utf-8")
    result = run_cli("--db", str(db), "sort", input="丁一\n")
    assert result.returncode == 2 and "line 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_input_is_refused(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01\x02" * 100)
    result = run_cli("sort", str(path))
    assert result.returncode == 2 and "binary" in result.stderr
    missing = run_cli("sort", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


# -- the store attacked through the CLI ------------------------------------------------


def test_damaged_database_is_refused_and_left_unchanged(tmp_path):
    db = tmp_path / "roll.json"
    assert run_cli("--db", str(db), "category", "add", "名单").returncode == 0
    whole = db.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"\x89PNG\r\n\x1a\n" + os.urandom(64)):
        db.write_bytes(damaged)
        for args in (["list", "名单"], ["add", "名单", "张三"], ["category", "list"]):
            result = run_cli("--db", str(db), *args)
            assert result.returncode == 2, args
            assert str(db) in result.stderr and "Traceback" not in result.stderr
            assert db.read_bytes() == damaged


def test_not_a_honours_file_is_refused(tmp_path):
    db = tmp_path / "other.json"
    db.write_text('{"_default": {"1": {"a": 1}}}', encoding="utf-8")
    before = db.read_bytes()
    result = run_cli("--db", str(db), "category", "add", "名单")
    assert result.returncode == 2 and "honours" in result.stderr
    assert db.read_bytes() == before


def test_concurrent_adds_lose_nothing(tmp_path):
    db = tmp_path / "roll.json"
    assert run_cli("--db", str(db), "category", "add", "名单").returncode == 0
    processes = [
        subprocess.Popen(
            [*honours_command(), "--db", str(db), "add", "名单", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(6)
    ]
    for number, process in enumerate(processes):
        process.communicate("\n".join(f"人{number}号{i}" for i in range(40)))
        assert process.returncode == 0
    listed_names = run_cli("--db", str(db), "list", "名单", "--format", "json")
    assert len(json.loads(listed_names.stdout)) == 6 * 40


def test_kill_during_large_adds_leaves_a_whole_database(tmp_path):
    db = tmp_path / "roll.json"
    assert run_cli("--db", str(db), "category", "add", "名单").returncode == 0
    batch = "\n".join(f"测试{i:06d}" for i in range(20_000))
    for attempt in range(6):
        process = subprocess.Popen(
            [*honours_command(), "--db", str(db), "add", "名单", "-", "--allow-duplicate"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        process.stdin.write(batch.encode())
        process.stdin.close()
        time.sleep(0.3 + attempt * 0.25)
        process.send_signal(signal.SIGKILL)
        process.wait()
        result = run_cli("--db", str(db), "list", "名单", "--format", "json")
        assert result.returncode == 0, result.stderr
        count = len(json.loads(result.stdout))
        assert count % 20_000 == 0  # all of a command's entries, or none


# -- the example roll ------------------------------------------------------------------


def test_example_builds_the_seed_roll(tmp_path):
    db = tmp_path / "jinshan.json"
    wrapper = tmp_path / "honours"
    wrapper.write_text("#!/bin/sh\nexec " + " ".join(honours_command()) + ' "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "HONOURS": str(wrapper)}
    script = REPO / "examples" / "jinshan-2024.sh"
    result = subprocess.run(["bash", str(script), str(db)], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0, result.stderr
    tree = run_cli("--db", str(db), "category", "list").stdout
    for heading in ("区政协2024年度优秀提案（12件）", "信息工作成绩突出单位（16家）",
                    "信息工作成绩突出个人（68名）", "市、区政协委员（37名，按姓氏笔画排序）",
                    "其他反映人（15名，按姓氏笔画排序）", "社情民意信息工作人员（16名）"):
        assert heading in tree
    members = run_cli("--db", str(db), "list", "市、区政协委员", "--format", "text")
    assert members.stdout.splitlines() == squash(names(MEMBERS_2024))
    others = run_cli("--db", str(db), "list", "其他反映人", "--format", "text")
    assert others.stdout.splitlines() == squash(names(OTHERS_2024))
    units = run_cli("--db", str(db), "list", "信息工作成绩突出单位", "--format", "text")
    assert units.stdout.splitlines()[:3] == ["民革界别", "民建界别", "致公党界别"]
    assert units.stdout.splitlines()[-1] == "体育界别"


def test_python_dash_m_works():
    result = subprocess.run(
        [os.sys.executable, "-m", "honours", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "honours" in result.stdout


def test_help_of_every_command(honours):
    for args in (["--help"], ["category", "--help"], ["add", "--help"], ["list", "--help"],
                 ["sort", "--help"], ["check", "--help"], ["explain", "--help"],
                 ["backup", "--help"], ["info", "--help"]):
        result = honours(*args)
        assert "Usage" in result.output
