"""Values in Chinese or English: kinds, rules, settings keys, formats and dates are
accepted either way and stored as one code; shown in the interface language;
offered by shell completion."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import click
import pytest
import typer
from click.shell_completion import ShellComplete
from hypothesis import given
from hypothesis import strategies as st

from honours import vocabulary
from honours.cli import app
from honours.i18n import current_language, set_language
from honours.vocabulary import UnknownValue, canonical_date

from .conftest import REPO, honours_command, run_cli


@pytest.fixture
def chinese():
    before = current_language()
    set_language("zh")
    yield
    set_language(before)


def _stored(db) -> dict:
    return json.loads(db.read_text("utf-8"))


# -- the mapping ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "typed", "code"),
    [
        (vocabulary.RULES, "笔画", "stroke"),
        (vocabulary.RULES, "姓氏笔画", "stroke"),
        (vocabulary.RULES, "按姓氏笔画排序", "stroke"),
        (vocabulary.RULES, "姓名笔画", "stroke-fullname"),
        (vocabulary.RULES, "拼音", "pinyin"),
        (vocabulary.RULES, "手工", "manual"),
        (vocabulary.RULES, "手动", "manual"),
        (vocabulary.RULES, "Stroke-Fullname", "stroke-fullname"),
        (vocabulary.KINDS, "个人", "person"),
        (vocabulary.KINDS, "单位", "unit"),
        (vocabulary.KINDS, "作品", "work"),
        (vocabulary.SETTINGS, "标题", "title"),
        (vocabulary.SETTINGS, "落款", "issuer"),
        (vocabulary.SETTINGS, "年度", "year"),
        (vocabulary.SETTINGS, "日期", "date"),
        (vocabulary.SETTINGS, "编号格式", "certificate-pattern"),
        (vocabulary.FORMATS, "表格", "table"),
        (vocabulary.FORMATS, "文本", "text"),
    ],
)
def test_chinese_words_name_their_code(words, typed, code):
    assert words.code(typed) == code
    assert words.code(code) == code


def test_every_spelling_names_one_value():
    for words in (vocabulary.KINDS, vocabulary.RULES, vocabulary.SETTINGS, vocabulary.FORMATS,
                  vocabulary.PADDINGS, vocabulary.REGISTER_ORDERS, vocabulary.BACKUP_REASONS):
        for word in words.words:
            for spelling in (word.code, word.chinese, *word.aliases):
                assert words.code(spelling) == word.code


def test_text_means_txt_where_a_file_is_written():
    assert vocabulary.format_code("文本", ("txt", "md", "csv")) == "txt"
    assert vocabulary.format_code("文本", ("table", "text", "json")) == "text"


def test_an_unknown_value_lists_the_choices_in_the_interface_language(chinese):
    with pytest.raises(UnknownValue) as caught:
        vocabulary.RULES.code("字母", allowed=("stroke", "stroke-fullname", "pinyin"))
    message = str(caught.value)
    assert "字母" in message and "姓氏笔画（stroke）" in message and "手工" not in message


def test_values_are_shown_in_chinese_under_zh(chinese):
    assert vocabulary.KINDS.label("unit") == "单位"
    assert vocabulary.RULES.label("stroke") == "姓氏笔画"
    assert vocabulary.SETTINGS.label("certificate-pattern") == "编号格式"
    assert vocabulary.BACKUP_REASONS.label("before-restore") == "恢复备份之前"
    assert vocabulary.BACKUP_REASONS.label("something-new") == "something-new"


def test_values_are_shown_as_codes_in_english():
    assert vocabulary.KINDS.label("unit") == "unit"
    assert vocabulary.RULES.label("stroke") == "stroke"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2024-12", "2024-12"),
        ("2024年12月", "2024-12"),
        ("2024 年 12 月", "2024-12"),
        ("2024年12月5日", "2024-12-05"),
        ("2024年12月5号", "2024-12-05"),
        ("2024.12.5", "2024-12-05"),
        ("2024/12/05", "2024-12-05"),
        ("2024-2", "2024-02"),
        ("２０２４年１２月", "2024-12"),
    ],
)
def test_dates_as_clerks_write_them(typed, stored):
    assert canonical_date(typed) == stored


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2024-13", "there is no month 13"),
        ("2024-02-30", "has no day 30"),
        ("2024年", "the date must be a year and a month"),
        ("12月5日", "the date must be a year and a month"),
        ("next week", "the date must be a year and a month"),
    ],
)
def test_impossible_dates_are_refused_in_words(typed, said):
    with pytest.raises(UnknownValue, match=said):
        canonical_date(typed)


@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1)))
def test_every_real_date_reads_back_in_every_spelling(day):
    stored = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    for spelling in (stored, f"{day.year}年{day.month}月{day.day}日",
                     f"{day.year}.{day.month}.{day.day}", f"{day.year}/{day.month}/{day.day}"):
        assert canonical_date(spelling) == stored


# -- the command line: typed in Chinese, stored as the code --------------------------


def test_kind_and_sort_typed_in_chinese_are_stored_as_codes(honours, db):
    honours("category", "add", "先进单位", "--kind", "单位", "--sort", "笔画")
    honours("category", "add", "优秀作品", "-k", "作品", "-s", "手动")
    categories = _stored(db)["categories"]
    assert {(c["title"], c["kind"], c["sort"]) for c in categories.values()} == {
        ("先进单位", "unit", "stroke"), ("优秀作品", "work", "manual")}
    honours("category", "edit", "先进单位", "--sort", "姓名笔画")
    assert _stored(db)["categories"]["1"]["sort"] == "stroke-fullname"


def test_an_unknown_rule_is_refused_with_the_choices(honours, db):
    result = honours("category", "add", "甲", "--sort", "字母", ok=False)
    assert result.exit_code == 2
    assert "unknown ordering rule '字母'; choose one of stroke, stroke-fullname" in result.output
    assert not db.exists()


def test_settings_keys_and_dates_typed_in_chinese(honours, db):
    honours("settings", "set", "落款", "某某市人民政府")
    honours("settings", "set", "日期", "2024年12月5日")
    honours("settings", "set", "编号格式", "JS{year}-{serial:03d}")
    stored = _stored(db)["settings"]["1"]
    assert stored == {"issuer": "某某市人民政府", "date": "2024-12-05",
                      "certificate-pattern": "JS{year}-{serial:03d}"}
    bad = honours("settings", "set", "日期", "2024-13", ok=False)
    assert bad.exit_code == 2 and "there is no month 13" in bad.output
    assert "month must be in 1..12" not in bad.output
    unknown = honours("settings", "set", "颜色", "红", ok=False)
    assert unknown.exit_code == 2 and "unknown setting '颜色'" in unknown.output


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("{serial:04d", "without its pair"),
        ("{serial}{foo}", "{foo} is not a field"),
        ("{serial:xyz}", "is not a number format"),
        ("{serial}{}", "needs a name inside"),
    ],
)
def test_a_bad_numbering_pattern_is_explained(honours, pattern, said):
    result = honours("settings", "set", "certificate-pattern", pattern, ok=False)
    assert result.exit_code == 2 and said in result.output
    assert "format spec" not in result.output and "Single" not in result.output


def test_list_formats_in_chinese_and_stable_machine_keys(honours):
    honours("category", "add", "先进个人")
    honours("add", "先进个人", "张三", "--affiliation", "一中")
    assert honours("list", "先进个人", "--format", "文本").output.split() == ["张三"]
    csv = honours("list", "先进个人", "-f", "csv").output
    assert csv.splitlines()[0] == "place,name,affiliation,note,proposer,id,position"
    records = json.loads(honours("list", "先进个人", "-f", "json").output)
    assert records[0]["name"] == "张三" and records[0]["affiliation"] == "一中"


def test_chinese_interface_shows_values_in_chinese(tmp_path):
    db = str(tmp_path / "roll.json")
    zh = ("--db", db, "--lang", "zh")
    assert run_cli(*zh, "category", "add", "先进单位", "-k", "unit").returncode == 0
    assert run_cli(*zh, "add", "先进单位", "某某局", "某某厅").stdout.startswith("已添加 2 家：")
    shown = run_cli(*zh, "category", "show", "先进单位").stdout
    assert "单位" in shown and "手工" in shown and "manual" not in shown
    listed = run_cli(*zh, "category", "list").stdout
    assert "unit" not in listed and "单位" in listed
    assert run_cli(*zh, "settings", "set", "issuer", "某某市").stdout.strip() == "落款：某某市"
    settings = run_cli(*zh, "settings").stdout
    assert "标题：光荣榜" in settings and "issuer" not in settings
    table = run_cli(*zh, "list", "先进单位").stdout
    assert "名称" in table and "name" not in table


def test_the_prompt_names_the_entry_by_kind(honours):
    honours("category", "add", "先进单位", "--kind", "unit")
    result = honours("add", "先进单位", input="某某局\n\n")
    assert "unit name" in result.output and "1 added" in result.output


# -- shell completion -----------------------------------------------------------------


def _complete(args: list[str], incomplete: str) -> list[str]:
    command = typer.main.get_command(app)
    completion = ShellComplete(command, {}, "honours", "_HONOURS_COMPLETE")
    return [item.value for item in completion.get_completions(args, incomplete)]


def test_completion_of_rules_kinds_formats_and_settings():
    assert _complete(["category", "add", "甲", "--sort"], "s") == ["stroke", "stroke-fullname"]
    assert _complete(["category", "add", "甲", "--sort"], "拼") == ["拼音"]
    assert _complete(["category", "add", "甲", "--kind"], "") == ["person", "unit", "work"]
    assert _complete(["list", "甲", "--format"], "") == ["table", "text", "csv", "json"]
    assert _complete(["settings", "set"], "") == [
        "title", "issuer", "year", "certificate-pattern", "date"]
    assert _complete(["settings", "set"], "落") == ["落款"]
    assert "docx" in _complete(["export", "--format"], "d")


def test_completion_of_category_titles(honours, db, monkeypatch):
    honours("category", "add", "先进个人")
    honours("category", "add", "教师", "--parent", "先进个人")
    honours("category", "add", "先进单位")
    assert _complete(["--db", str(db), "list"], "先进") == ["先进个人", "先进个人/教师", "先进单位"]
    assert _complete(["--db", str(db), "category", "show"], "先进个人/") == ["先进个人/教师"]
    assert _complete(["--db", str(db), "add"], "教") == ["教师"]
    assert _complete(["--db", str(db), "add"], "3") == ["3"]
    assert _complete(["--db", str(db), "category", "add", "x", "--parent"], "先进个") == [
        "先进个人", "先进个人/教师"]
    assert _complete(["--db", str(db), "import", "f.csv", "--into"], "教") == ["教师"]
    assert _complete(["--db", str(db), "move", "教师", "张三", "--to"], "先进单") == ["先进单位"]
    monkeypatch.setenv("HONOURS_DB", str(db))  # the default database
    assert _complete(["list"], "教") == ["教师"]


def test_completion_without_a_database_offers_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HONOURS_DB", str(tmp_path / "none.json"))
    assert _complete(["list"], "") == []
    assert _complete(["--db", str(tmp_path / "other.json"), "list"], "") == []
    assert not (tmp_path / "none.json").exists()


def test_completion_through_the_shell_protocol(tmp_path):
    command = honours_command()
    if not command[0].endswith("honours"):
        pytest.skip("the honours console script is not installed")
    env = {**os.environ, "_HONOURS_COMPLETE": "complete_bash",
           "COMP_WORDS": "honours category add 甲 --sort s", "COMP_CWORD": "5"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    assert result.stdout.split() == ["stroke", "stroke-fullname"], result.stderr


# -- no silent waits ------------------------------------------------------------------


def test_reading_a_terminal_says_how_to_finish(tmp_path):
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "honours", "--lang", "en", "sort"], stdin=slave,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
    )
    os.close(slave)
    # The hint comes before anything is typed.
    deadline = time.monotonic() + 30
    seen = b""
    while b"Ctrl-D" not in seen and time.monotonic() < deadline:
        ready, _w, _x = select.select([process.stderr], [], [], 0.5)
        if ready:
            seen += os.read(process.stderr.fileno(), 1000)
    os.write(master, "张三\n李四\n".encode())
    os.write(master, b"\x04")
    out, err = process.communicate(timeout=30)
    os.close(master)
    assert b"Ctrl-D" in seen and b"finish" in seen
    assert out.decode().split() == ["李四", "张三"]


def test_piped_input_gets_no_hint():
    result = run_cli("--lang", "en", "sort", input="张三\n")
    assert result.returncode == 0 and "Ctrl-D" not in result.stderr


def test_a_wait_for_the_lock_says_who_holds_it(tmp_path):
    from honours.lockwait import holder_path
    from honours.storage import Store

    db = tmp_path / "roll.json"
    assert run_cli("--db", str(db), "category", "add", "甲").returncode == 0
    store = Store(db)
    with store.transaction():
        holder = json.loads(holder_path(store.lock_path).read_text("utf-8"))
        assert holder["pid"] == os.getpid()
        process = subprocess.Popen(
            [sys.executable, "-m", "honours", "--lang", "en", "--db", str(db), "add", "甲", "张三"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )
        time.sleep(3)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "waiting for the database" in err
    assert f"process {os.getpid()} is using it" in err
    assert not holder_path(store.lock_path).exists()  # cleared when the lock is released


def test_the_holder_of_a_dead_process_is_not_named(tmp_path):
    from honours.lockwait import holder_path, read_holder

    lock = tmp_path / "roll.json.lock"
    holder_path(lock).write_text(json.dumps({"pid": 2**22 + 12345, "command": "x"}), "utf-8")
    assert read_holder(lock) is None


def test_click_range_in_words(chinese):
    from honours.cli.framework import translate_framework

    translate_framework()
    assert click.IntRange(min=1)._describe_range() == "不小于 1"
    assert click.IntRange(1, 12)._describe_range() == "在 1 到 12 之间"


# -- help that helps --------------------------------------------------------------------


def _arguments():
    found = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        for param in command.params:
            if isinstance(param, click.Argument):
                found.append((path, param))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def test_every_positional_argument_has_help():
    arguments = _arguments()
    assert len(arguments) > 20
    missing = [f"{' '.join(path)} {param.name}" for path, param in arguments if not param.help]
    assert not missing, missing


def test_argument_help_is_shown_once(honours):
    page = honours("settings", "set", "--help").output
    assert "certificate-pattern" in page.split("Arguments:")[1]
    assert page.count("KEY ") == 1 + page.split("Arguments:")[0].count("KEY ")
    assert "Positional arguments" not in page


@pytest.mark.parametrize(
    "path",
    [("add",), ("list",), ("show",), ("export",), ("register",), ("import",), ("sort",),
     ("check",), ("explain",), ("certificates",), ("category", "add"), ("settings", "set")],
)
def test_main_commands_show_examples(honours, path):
    page = honours(*path, "--help").output
    examples = page.split("Examples:")[1].split("Arguments:")[0]
    assert f"honours {' '.join(path)}" in examples


def test_completion_of_backup_names(honours, db):
    honours("category", "add", "甲")
    honours("category", "edit", "甲", "--title", "乙")
    names = _complete(["--db", str(db), "backup", "restore"], "honours-")
    assert names and all(name.startswith("honours-") and name.endswith(".json") for name in names)
    assert _complete(["--db", str(db), "backup", "restore"], "nothing") == []


def test_a_busy_database_names_the_holder(tmp_path):
    from honours.storage import DatabaseBusy, Store

    db = tmp_path / "roll.json"
    holder = Store(db)
    with holder.transaction(create=True) as data:
        data.table("categories").insert({"title": "甲"})
    with holder.transaction():
        with pytest.raises(DatabaseBusy) as caught:
            with Store(db, lock_timeout=0.3).transaction():
                pass
        doctor = run_cli("--lang", "en", "--db", str(db), "doctor")
    assert f"It is process {os.getpid()}" in str(caught.value)
    assert f"Process {os.getpid()} is using the database right now" in doctor.stdout


def test_import_and_removal_count_with_the_lists_measure_word(tmp_path):
    from .conftest import run_cli

    db = tmp_path / "roll.json"
    run_cli("--db", str(db), "category", "add", "先进集体", "--kind", "unit")
    table = tmp_path / "units.csv"
    table.write_text("名称\n第一中学\n第二中学\n", encoding="utf-8")
    result = run_cli("--lang", "zh", "--db", str(db), "import", str(table), "--into", "先进集体")
    assert "已向 先进集体 添加 2 家" in result.stderr + result.stdout
    removed = run_cli("--lang", "zh", "--db", str(db), "category", "remove", "先进集体",
                      "--force")
    assert "2 家获奖者" in removed.stdout


def test_settings_show_a_date_as_certificates_print_it(tmp_path):
    from .conftest import run_cli

    db = tmp_path / "roll.json"
    run_cli("--db", str(db), "settings", "set", "date", "2024年12月")
    shown = run_cli("--lang", "zh", "--db", str(db), "settings").stdout
    assert "日期：2024-12（印作 二〇二四年十二月）" in shown
