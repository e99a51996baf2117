"""Every command's error paths in both languages: a clear message and a non-zero exit,
and under --lang zh not one English word in a sentence, except what the user typed,
a command, an option, a file name or a code (docs/glossary.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import pytest
import typer

from honours import vocabulary
from honours.cli import app

# Words that are names, not English: the program, formats, encodings, keys, units.
NAMES = {
    "honours", "python", "json", "csv", "tsv", "txt", "xlsx", "xlsm", "docx", "pdf", "png",
    "html", "toml", "xls", "doc", "utf", "bom", "gb18030", "excel", "wps", "word", "ctrl", "enter",
    "unicode", "usb", "options", "command", "args", "category", "name", "file", "text", "path",
    "winner", "key", "value", "title", "width", "height", "year", "serial",
}
WORD = re.compile(r"[A-Za-z]{3,}")


def _allowed_words() -> set[str]:
    """Command and option names, metavars and the codes of the vocabularies."""
    words = set(NAMES)

    def walk(command: click.Command) -> None:
        for param in command.params:
            for opt in (*param.opts, *param.secondary_opts):
                words.update(part.lower() for part in re.split(r"[-_]+", opt) if part)
            if param.metavar:
                words.update(w.lower() for w in WORD.findall(param.metavar))
            words.add(param.name.lower())
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                words.add(name.lower())
                walk(sub)

    walk(typer.main.get_command(app))
    for words_of in (vocabulary.KINDS, vocabulary.RULES, vocabulary.SETTINGS, vocabulary.FORMATS,
                     vocabulary.PADDINGS, vocabulary.REGISTER_ORDERS,
                     vocabulary.BACKUP_REASONS):
        for code in words_of.codes:
            words.update(code.split("-"))
    return words


ALLOWED = _allowed_words()


def english_words(text: str, typed: tuple[str, ...]) -> set[str]:
    """ASCII words of three letters or more that are none of the allowed names."""
    text = re.sub(r"`[^`]*`", " ", text)  # a command to run, as typed
    text = re.sub(r"--?[A-Za-z][\w-]*", " ", text)  # an option
    text = re.sub(r"(?<![\w])[\w./\\~-]*[/\\][\w./\\~-]*", " ", text)  # paths
    text = re.sub(r"\b[\w-]+\.(?:json|csv|tsv|txt|xlsx|docx|pdf|png|toml|html|md|lock)\b",
                  " ", text)
    text = re.sub(r"\{[^{}]*\}", " ", text)  # placeholders shown as is: {year}
    text = re.sub(r"U\+[0-9A-F]{4,6}", " ", text)
    typed_words = {w.lower() for arg in typed for w in WORD.findall(arg)}
    return {w for w in WORD.findall(text)
            if w.lower() not in ALLOWED and w.lower() not in typed_words}


def test_the_check_finds_an_english_sentence():
    assert english_words("错误：Operation not permitted。", ()) == {"Operation", "not", "permitted"}
    assert english_words("错误：没有类别“foo”", ("foo",)) == set()
    assert english_words("可运行“honours add --help”查看帮助，见 /tmp/roll.json", ()) == set()


@pytest.fixture(scope="module")
def roll(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("errors")
    db = folder / "roll.json"
    for args in (
        ("category", "add", "先进个人"),
        ("category", "add", "先进单位", "--kind", "unit"),
        ("category", "add", "优秀提案", "--kind", "work"),
        ("add", "先进个人", "张三", "李四"),
        ("category", "add", "满额", "--quota", "1"),
        ("add", "满额", "钱七"),
    ):
        assert _run(db, "en", args).returncode == 0
    (folder / "a-folder.txt").mkdir()
    (folder / "exists.txt").write_text("x", "utf-8")
    (folder / "no-category.csv").write_text("姓名,单位\n张三,一中\n", "utf-8")
    (folder / "bad-rows.csv").write_text("姓名,类别\n张三,不存在\n\n王\u0000五,先进个人\n", "utf-8")
    (folder / "broken.xlsx").write_bytes(b"not a zip at all")
    (folder / "damaged.json").write_text('{"_meta": {', "utf-8")
    (folder / "unordered.txt").write_text("王五\n丁一\n", "utf-8")
    return db


def _run(db: Path, lang: str, args: tuple[str, ...], stdin: str = ""):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HONOURS_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "honours", "--lang", lang, "--db", str(db), *args],
        capture_output=True, text=True, env=env, cwd=db.parent, input=stdin, timeout=120,
    )


# (arguments, exit status expected); files are named relative to the roll's folder.
SCENARIOS: list[tuple[tuple[str, ...], int]] = [
    (("add", "不存在", "张三"), 2),
    (("add", "先进个人", "张三"), 2),
    (("add", "优秀提案", "某某提案"), 2),
    (("add", "先进个人", "--bogus"), 2),
    (("lst",), 2),
    (("category", "lsit"), 2),
    (("category", "add", "甲", "--kind", "foo"), 2),
    (("category", "add", "甲", "--sort", "字母"), 2),
    (("category", "add", "先进个人"), 2),
    (("category", "add", "甲/乙"), 2),
    (("category", "edit", "先进个人"), 2),
    (("category", "edit", "先进个人", "--columns", "20"), 2),
    (("category", "remove", "先进个人"), 2),
    (("category", "move", "先进个人", "--position", "0"), 2),
    (("category", "move", "先进个人", "--parent", "先进单位", "--top"), 2),
    (("category", "show", "99"), 2),
    (("settings", "set", "颜色", "红"), 2),
    (("settings", "set", "日期", "2024-13"), 2),
    (("settings", "set", "日期", "2024-02-30"), 2),
    (("settings", "set", "日期", "明年"), 2),
    (("settings", "set", "year", "24"), 2),
    (("settings", "set", "编号格式", "{serial:04d"), 2),
    (("settings", "set", "编号格式", "X{year}"), 2),
    (("settings", "set", "编号格式", "{serial}{foo}"), 2),
    (("list", "先进个人", "--format", "foo"), 2),
    (("remove", "先进个人", "王五"), 2),
    (("edit", "先进个人", "王五", "--note", "备注"), 2),
    (("move", "先进个人", "张三", "--position", "0"), 2),
    (("export", "-o", "a-folder.txt"), 2),
    (("export", "-o", "exists.txt"), 2),
    (("export", "-o", "roll.xyz"), 2),
    (("export", "-o", "-", "--format", "xlsx"), 2),
    (("show", "--padding", "foo"), 2),
    (("import", "missing.csv"), 2),
    (("import", "a-folder.txt"), 2),
    (("import", "no-category.csv"), 2),
    (("import", "bad-rows.csv"), 2),
    (("import", "broken.xlsx"), 2),
    (("import", "no-category.csv", "--format", "foo"), 2),
    (("sort", "missing.txt"), 2),
    (("sort", "a-folder.txt"), 2),
    (("sort", "--by", "字母", "unordered.txt"), 2),
    (("check", "unordered.txt"), 1),
    (("explain",), 2),
    (("backup", "restore", "honours-nonexistent.json", "--yes"), 2),
    (("undo", "0"), 2),
    (("register", "--format", "foo"), 2),
    (("register", "--by", "foo"), 2),
    (("register", "-o", "a-folder.txt", "--format", "csv"), 2),
    (("certificates",), 2),
    (("certificates", "-o", "x.pdf", "--font", "missing.ttf"), 2),
    (("add", "满额", "孙八"), 2),
    (("add", "先进个人", "钱七", "--strict"), 2),
    (("category", "edit", "先进个人", "--quota", "-1"), 2),
    (("new-year",), 2),
    (("find",), 2),
    (("find", "不存在的人"), 1),
    (("find", "张三", "--in", "missing.json"), 2),
    (("find", "张三", "--in", "damaged.json"), 2),
    (("history", "张三", "--in", "exists.txt"), 2),
    (("streaks", "--category", "不存在"), 2),
    (("streaks", "--category", "先进个人", "--years", "1"), 2),
    (("stats", "--top", "-1"), 2),
    (("--db", "damaged.json", "category", "list"), 2),
    (("--db", "a-folder.txt", "category", "list"), 2),
]


@pytest.fixture(scope="module")
def outcomes(roll):
    jobs = [(args, lang) for args, _status in SCENARIOS for lang in ("en", "zh")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda job: _run(roll, job[1], job[0]), jobs)
        return dict(zip(jobs, results))


def test_every_error_path_speaks_the_asked_language(outcomes):
    problems = []
    for args, status in SCENARIOS:
        shown = " ".join(args)
        for lang in ("en", "zh"):
            result = outcomes[args, lang]
            output = result.stderr + result.stdout
            if result.returncode != status:
                problems.append(f"{lang} {shown}: exit {result.returncode}, not {status}:\n"
                                f"{output}")
            if "Traceback" in output:
                problems.append(f"{lang} {shown}: a traceback")
        english = outcomes[args, "en"].stderr + outcomes[args, "en"].stdout
        chinese = outcomes[args, "zh"].stderr + outcomes[args, "zh"].stdout
        left = english_words(chinese, args)
        if left:
            problems.append(f"zh {shown}: English words {sorted(left)} in:\n{chinese}")
        if not re.search(r"[\u4e00-\u9fff]", chinese):
            problems.append(f"zh {shown}: no Chinese at all:\n{chinese}")
        if "Error" not in english and "error" not in english and status == 2:
            problems.append(f"en {shown}: no error said:\n{english}")
    assert not problems, "\n\n".join(problems)


def test_chinese_messages_use_full_width_punctuation(outcomes):
    problems = []
    for args, _status in SCENARIOS:
        chinese = outcomes[args, "zh"].stderr
        for line in chinese.splitlines():
            if (re.search(r"[\u4e00-\u9fff]: ", line) or "错误:" in line or "。." in line
                    or "。 " in line or line.startswith(("用法:", "用法： "))):
                problems.append(f"{' '.join(args)}: {line}")
    assert not problems, "\n".join(problems)


def test_os_errors_are_said_with_what_to_do(outcomes):
    folder = outcomes[("import", "a-folder.txt"), "zh"].stderr
    assert "是一个文件夹，不是文件" in folder and "Is a directory" not in folder
    missing = outcomes[("import", "missing.csv"), "zh"].stderr
    assert "没有这个文件或文件夹" in missing
    english = outcomes[("import", "a-folder.txt"), "en"].stderr
    assert "that is a folder, not a file" in english


def test_counts_use_the_lists_measure_word(roll):
    result = _run(roll, "zh", ("add", "先进单位", "某某局", "某某厅"))
    assert result.returncode == 0 and "已添加 2 家" in result.stdout
    result = _run(roll, "zh", ("add", "先进个人", "王五"))
    assert "已添加 1 名" in result.stdout
    assert _run(roll, "en", ("add", "先进个人", "赵六")).stdout.startswith("added 1:")
