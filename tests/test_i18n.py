"""The interface in two languages: the catalog is complete and up to date, every
user-visible text goes through gettext, and the command line speaks Chinese or
English as asked (--lang > $HONOURS_LANG > the locale > English)."""

from __future__ import annotations

import ast
import gettext
import os
import re
import string
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import click
import pytest
import typer
from babel.messages.pofile import read_po  # the test extra: pip install -e '.[test]'

from honours.cli import app
from honours.i18n import LOCALE_DIR, language_from

from .conftest import REPO, load_script

PACKAGE = REPO / "honours"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "honours.po"
MO = PO.with_suffix(".mo")



def _update_catalog():
    """scripts/update_catalog.py as a module (extraction, merging, compiling)."""
    return load_script("update_catalog")


def _po():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_CN", domain="honours")


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


# -- (a) the catalog holds exactly the texts of the code ---------------------------------


def test_catalog_is_up_to_date_with_the_code():
    extracted = {_key(m.id): m.id for m in _update_catalog().extract() if m.id}
    committed = {_key(m.id): m.id for m in _po() if m.id}
    new = sorted(set(extracted) - set(committed))
    gone = sorted(set(committed) - set(extracted))
    assert not new, f"texts not in the catalog (run scripts/update_catalog.py): {new[:10]}"
    assert not gone, f"obsolete texts in the catalog (run scripts/update_catalog.py): {gone[:10]}"
    changed = [k for k in extracted if extracted[k] != committed[k]]  # plural forms
    assert not changed, changed[:10]


def test_the_template_matches_the_catalog():
    pot = LOCALE_DIR / "honours.pot"
    with pot.open("rb") as handle:
        template = {_key(m.id) for m in read_po(handle) if m.id}
    assert template == {_key(m.id) for m in _po() if m.id}


# -- (b) every text is translated, with the same placeholders ----------------------------


def _fields(text: str) -> set[str]:
    """Names of the str.format fields ({name}, {count:,}, {x!r}) and %(name)s fields."""
    names = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(field)
    names |= {f"%({name})" for name in re.findall(r"%\((\w+)\)[sdr]", text)}
    return names


def test_every_text_has_a_finished_translation():
    problems = []
    for message in _po():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {_key(message.id)!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {_key(message.id)!r}")
    assert not problems, "\n".join(problems[:20])


def test_translations_keep_the_placeholders():
    problems = []
    for message in _po():
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            # Chinese has one plural form, used for every count: it takes the
            # plural's fields (the code passes the fields of both forms).
            wanted = _fields(message.id[1])
            strings = message.string
        else:
            wanted = _fields(message.id)
            strings = (message.string,)
        for text in strings:
            if text and _fields(text) != wanted:
                problems.append(f"{_key(message.id)!r}: {sorted(wanted)} vs {text!r}")
    assert not problems, "\n".join(problems[:20])


def test_the_placeholder_check_catches_a_lost_field():
    assert _fields("已添加 {count} 个") != _fields("added {count} to {path}")
    assert _fields("{n:,} 字节") == _fields("{n:,} bytes")


# -- (c) the compiled catalog is the catalog ---------------------------------------------


def test_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected = {}
    for message in _po():
        if not message.id or not message.string or not all(message.string):
            continue  # untranslated: test_every_text_has_a_finished_translation
        if isinstance(message.id, tuple):
            expected[(message.id[0], 0)] = message.string[0]
        else:
            expected[message.id] = message.string
    shipped = {k: v for k, v in compiled._catalog.items() if k != ""}
    assert shipped == expected, "run scripts/update_catalog.py to compile honours.mo"


# -- (d) no user-visible literal escapes gettext -----------------------------------------

#: Calls whose first argument is a message for the user.
MESSAGE_CALLS = {
    "fail", "note", "warn", "RollError", "StoreError", "DamagedDatabase", "NotAHonoursDatabase",
    "UnsupportedSchema", "DatabaseBusy", "BackupNotFound", "InvalidName", "UnreadableFile",
    "OverrideError", "CertificateError", "ImportRefused", "prompt", "BadParameter",
}
#: ``x.problems.append(…)``, ``x.notes.append(…)``, ``warnings.append(…)``: reported texts.
REPORT_LISTS = {"problems", "notes", "warnings"}


def _literal(node: ast.AST) -> bool:
    """A text written in place, not looked up: "…", f"…", "…" + x, "…".format()."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(node.value.strip()) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and any(c.isalpha() for c in v.value)
            for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return _literal(node.left) or _literal(node.right)
    if isinstance(node, ast.IfExp):
        return _literal(node.body) or _literal(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in ("format", "join"):
            return _literal(node.func.value)
    return False


def _is_gettext(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_gettext(node.left)  # help=_("…") + examples("honours add …")
    call = node
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        if call.func.attr == "format":
            call = call.func.value
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id in ("_", "ngettext")
    )


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def untranslated(source: str, cli: bool) -> list[str]:
    """Where ``source`` shows the user a text that does not go through ``_()``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        line = getattr(node, "lineno", 0)
        for keyword in node.keywords:
            if keyword.arg == "help" and not _is_gettext(keyword.value):
                if _literal(keyword.value) or isinstance(keyword.value, ast.Constant):
                    found.append(f"line {line}: help= without _()")
        if name in MESSAGE_CALLS and node.args and _literal(node.args[0]):
            found.append(f"line {line}: {name}() of a literal text")
        if (
            name == "append"
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) in REPORT_LISTS
            and node.args
            and _literal(node.args[0])
        ):
            found.append(f"line {line}: {_name(node.func.value)}.append() of a literal text")
        if cli and name in ("command", "Typer"):
            help_ = next((k.value for k in node.keywords if k.arg == "help"), None)
            if help_ is None or not _is_gettext(help_):
                found.append(f"line {line}: {name}() without help=_(…) (a docstring is English)")
    return found


def test_user_visible_texts_go_through_gettext():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "collation/data" in path.as_posix():
            continue
        cli = path.parent.name == "cli"
        for problem in untranslated(path.read_text("utf-8"), cli=cli):
            problems.append(f"{path.relative_to(REPO)} {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        'fail("no such file")',
        'raise RollError(f"no category {name!r}")',
        'warn("cannot read " + path)',
        'report.problems.append(f"{where}: bad row")',
        'typer.prompt("name")',
        'typer.Option("--force", help="Replace it.")',
        'app.command("list")(list_winners)',
        'app.command("list", help="List them.")(list_winners)',
        'x = typer.Typer(no_args_is_help=True)',
        'raise StoreError("{path} exists".format(path=p))',
    ],
)
def test_the_gettext_check_catches_a_bare_text(source):
    assert untranslated(source, cli=True)


@pytest.mark.parametrize(
    "source",
    [
        'fail(_("no such file"))',
        'raise RollError(_("no category {name!r}").format(name=name))',
        'warn(str(error))',
        'app.command("list", help=_("List them."))(list_winners)',
        'app.command("add", help=_("Add them.") + examples("honours add 甲 张三"))(add)',
        'note(ngettext("{n} entry", "{n} entries", n).format(n=n))',
    ],
)
def test_the_gettext_check_accepts_translated_texts(source):
    assert not untranslated(source, cli=True)


# -- (e) every command's help in both languages, in real processes -----------------------


def _command_paths() -> list[tuple[str, ...]]:
    paths = [()]

    def walk(command: click.Command, prefix: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                paths.append((*prefix, name))
                walk(sub, (*prefix, name))

    walk(typer.main.get_command(app), ())
    return paths


def _env(**variables: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items()
        if k not in ("HONOURS_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    env.update(COLUMNS="100", **variables)
    return env


def _honours(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "honours", *args], capture_output=True, text=True,
        env=env or _env(), cwd=REPO, timeout=60,
    )


HAN = re.compile(r"[\u4e00-\u9fff]")
# Three or more English words in a row: a sentence left untranslated.
ENGLISH = re.compile(r"[A-Za-z][a-z']+(?:,? [a-z][a-z']+){2,}")


def _sentences(text: str) -> set[str]:
    """English phrases of a help page, the usage line (command names) left out."""
    lines = [line for line in text.splitlines()
             if not line.startswith(("Usage:", "用法:", "用法："))
             and not line.strip().startswith("honours ")]  # an example, typed as is
    return set(ENGLISH.findall(re.sub(r"`[^`]*`", "", "\n".join(lines))))


@pytest.fixture(scope="module")
def helps() -> dict[tuple[str, tuple[str, ...]], subprocess.CompletedProcess]:
    jobs = [(lang, path) for path in _command_paths() for lang in ("en", "zh")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda job: _honours("--lang", job[0], *job[1], "--help"), jobs)
        return dict(zip(jobs, results))


def test_there_are_many_commands_to_check(helps):
    paths = {path for _lang, path in helps}
    assert len(paths) > 20 and ("category", "add") in paths and ("settings", "set") in paths


def test_every_help_renders_in_both_languages(helps):
    problems = []
    for path in {path for _lang, path in helps}:
        english, chinese = helps["en", path], helps["zh", path]
        shown = " ".join(("honours", *path))
        if english.returncode or chinese.returncode:
            problems.append(f"{shown}: exit {english.returncode}/{chinese.returncode}")
            continue
        if "Usage:" not in english.stdout or "Options" not in english.stdout:
            problems.append(f"{shown} --lang en: not an English help page")
        if "用法" not in chinese.stdout or "选项" not in chinese.stdout:
            problems.append(f"{shown} --lang zh: no Chinese headings")
        if len(HAN.findall(chinese.stdout)) < 4:
            problems.append(f"{shown} --lang zh: no Chinese text")
        left = _sentences(english.stdout) & _sentences(chinese.stdout)
        if left:
            problems.append(f"{shown} --lang zh: English left: {sorted(left)}")
    assert not problems, "\n".join(sorted(problems))


def test_the_english_sentence_check_finds_english():
    assert _sentences("  --force  Replace an existing file.") == {"Replace an existing file"}
    assert not _sentences("  --force  覆盖已有文件。 txt、md、csv 或 json")


# -- (f) which language: --lang > $HONOURS_LANG > the locale > English -------------------


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["honours", "--lang", "zh"], {"HONOURS_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
        (["honours", "--lang=en"], {"HONOURS_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        (["honours"], {"HONOURS_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        (["honours"], {"HONOURS_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        (["honours"], {"LANG": "zh_CN.UTF-8"}, "zh"),
        (["honours"], {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (["honours"], {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        (["honours"], {"LANG": "C"}, "en"),
        (["honours"], {}, "en"),
    ],
)
def test_language_precedence(argv, environ, expected):
    assert language_from(argv, environ) == expected


@pytest.mark.parametrize(
    ("args", "variables", "chinese"),
    [
        (("--lang", "zh", "--help"), {"HONOURS_LANG": "en"}, True),
        (("--lang", "en", "--help"), {"HONOURS_LANG": "zh"}, False),
        (("add", "--help"), {"HONOURS_LANG": "zh", "LANG": "en_US.UTF-8"}, True),
        (("add", "--help"), {"LANG": "zh_CN.UTF-8"}, True),
        (("add", "--help"), {"LC_ALL": "zh_CN.UTF-8"}, True),
        (("add", "--help"), {"LANG": "zh_CN.UTF-8", "HONOURS_LANG": "en"}, False),
        (("add", "--help"), {"LANG": "C"}, False),
        (("add", "--help"), {}, False),
    ],
)
def test_the_command_line_picks_the_language(args, variables, chinese):
    result = _honours(*args, env=_env(**variables))
    assert result.returncode == 0, result.stderr
    assert ("用法" in result.stdout) == chinese
    assert ("Usage:" in result.stdout) != chinese


def test_an_unknown_language_is_refused_clearly():
    result = _honours("--lang", "fr", "info")
    assert result.returncode == 2
    assert "unknown language 'fr'; choose zh" in result.stderr


def test_lang_is_documented_in_the_help():
    assert "--lang zh|en" in _honours("--help").stdout
    assert "界面语言" in _honours("--lang", "zh", "--help").stdout


# -- (g) real errors in both languages ---------------------------------------------------


def test_unknown_category_in_both_languages(tmp_path):
    db = str(tmp_path / "roll.json")
    assert _honours("--db", db, "category", "add", "先进个人").returncode == 0
    english = _honours("--db", db, "--lang", "en", "add", "优秀", "张三")
    chinese = _honours("--db", db, "--lang", "zh", "add", "优秀", "张三")
    assert english.returncode == chinese.returncode == 2
    assert "error: no category '优秀'; the categories are:" in english.stderr
    assert "错误：没有类别“优秀”；现有类别如下：" in chinese.stderr
    assert "先进个人" in chinese.stderr and "Traceback" not in chinese.stderr


def test_damaged_database_in_both_languages(tmp_path):
    db = tmp_path / "roll.json"
    db.write_text('{"_meta": {"1": {"application": "hon', "utf-8")
    english = _honours("--db", str(db), "--lang", "en", "category", "list")
    chinese = _honours("--db", str(db), "--lang", "zh", "category", "list")
    assert english.returncode == chinese.returncode == 2
    assert "is damaged and cannot be read" in english.stderr
    assert "已损坏，无法读取" in chinese.stderr
    assert "honours backup list" in chinese.stderr  # what to do, in both
    assert "is damaged" not in chinese.stderr


def test_click_errors_in_both_languages():
    english = _honours("--lang", "en", "add", "--bogus")
    chinese = _honours("--lang", "zh", "add", "--bogus")
    assert english.returncode == chinese.returncode == 2
    assert "No such option" in english.stderr
    assert "没有选项 '--bogus'" in chinese.stderr and "用法" in chinese.stderr


def _columns(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def test_chinese_help_is_wrapped_to_the_terminal(helps):
    """Click wraps at spaces and counts characters: Chinese help came out as lines
    twice the terminal's width (COLUMNS=100 in these runs)."""
    wide = [
        f"{' '.join(path)}: {line}"
        for (lang, path), result in helps.items() if lang == "zh"
        for line in result.stdout.splitlines()
        if _columns(line) > 100 and not line.strip().startswith(("honours ", "用法"))
    ]
    assert not wide, "\n".join(wide)


def test_value_types_are_named_in_the_interface_language(tmp_path):
    """Click's type names (integer, TEXT) were English inside Chinese messages and
    help: "'abc' 不是有效的integer"."""
    db = str(tmp_path / "roll.json")
    assert _honours("--db", db, "category", "add", "先进个人").returncode == 0
    english = _honours("--db", db, "--lang", "en", "category", "edit", "先进个人",
                       "--columns", "abc")
    chinese = _honours("--db", db, "--lang", "zh", "category", "edit", "先进个人",
                       "--columns", "abc")
    assert english.returncode == chinese.returncode == 2
    assert "'abc' is not a valid integer." in english.stderr
    assert "'abc' 不是有效的整数。" in chinese.stderr and "integer" not in chinese.stderr


def test_chinese_help_columns_line_up(helps):
    """The descriptions of a help's options start in one column, measured by display
    width: a Chinese metavar (--columns 整数) pushed its description right."""
    import re

    for (lang, path), result in helps.items():
        if lang != "zh":
            continue
        starts = set()
        for line in result.stdout.splitlines():
            found = re.match(r"(  -.*?\S)( {2,})\S", line)
            if found:
                starts.add(_columns(found[1]) + len(found[2]))
        assert len(starts) <= 1, (path, starts, result.stdout)
    zh_edit = helps["zh", ("category", "edit")].stdout
    assert "--columns 整数" in zh_edit and "--title 文本" in zh_edit
