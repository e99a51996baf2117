"""The CLI contract: every command answers --help, and run with typical arguments
it prints what the database then holds (never "edited" for no change, never a
place or a number the data does not show)."""

from __future__ import annotations

import csv
import io
import json
import re

import click
import pytest
import typer

from honours.cli import app
from honours.storage import Store


def command_paths() -> list[tuple[str, ...]]:
    def walk(command, path):
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, (*path, name))
        else:
            yield path

    return list(walk(typer.main.get_command(app), ()))


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_answers_help(honours, path):
    result = honours(*path, "--help")
    assert "Usage" in result.output and "Traceback" not in result.output


def held(db) -> dict:
    """The database as plain data: categories by title, winners by name."""
    snapshot = Store(db).snapshot()
    categories = {doc.doc_id: dict(doc) for doc in snapshot.table("categories").all()}
    winners = [dict(doc) | {"id": doc.doc_id} for doc in snapshot.table("winners").all()]
    settings = snapshot.table("settings").get(doc_id=1) or {}
    return {"categories": categories, "winners": winners, "settings": settings}


def winner(db, name: str) -> dict:
    return next(w for w in held(db)["winners"] if w["name"] == name)


def test_typical_use_of_every_command_prints_what_the_database_holds(honours, db, tmp_path):
    covered: set[tuple[str, ...]] = set()

    def run(*args, ok=True):
        path = tuple(a for a in args[:2] if not a.startswith("-"))
        for length in (2, 1):
            if path[:length] in set(command_paths()):
                covered.add(path[:length])
                break
        return honours(*args, ok=ok)

    out = run("category", "add", "名单").output
    categories = held(db)["categories"]
    assert [c["title"] for c in categories.values()] == ["名单"]
    assert f"added category {next(iter(categories))}: 名单" in out

    out = run("add", "名单", "王五", "丁一").output
    assert "added 2: 王五、丁一" in out
    assert sorted(w["name"] for w in held(db)["winners"]) == ["丁一", "王五"]

    listed = json.loads(run("list", "名单", "-f", "json").output)
    assert [r["name"] for r in listed] == ["丁一", "王五"]  # stroke order: 丁 2, 王 4
    assert [r["id"] for r in listed] == [winner(db, "丁一")["id"], winner(db, "王五")["id"]]

    out = run("edit", "名单", "王五", "--note", "教师").output
    assert winner(db, "王五")["note"] == "教师" and "note '' → '教师'" in out

    out = run("move", "名单", "王五", "--position", "1").output
    place = [r["name"] for r in json.loads(run("list", "名单", "-f", "json").output)]
    assert f"place {place.index('王五') + 1}" in out

    out = run("category", "edit", "名单", "--sort", "manual").output
    assert held(db)["categories"][1]["sort"] == "manual" and "'stroke' → 'manual'" in out
    out = run("move", "名单", "王五", "--position", "1").output
    assert "place 1" in out
    assert [r["name"] for r in json.loads(run("list", "名单", "-f", "json").output)][0] == "王五"

    run("category", "add", "其他")
    out = run("category", "move", "其他", "--position", "1").output
    assert "(position 1)" in out
    assert held(db)["categories"][2]["position"] == 0

    out = run("category", "show", "名单").output
    assert "manual" in out and "2" in out
    out = run("category", "list").output
    assert "名单（2名）" in out

    out = run("register").output
    assert "2026-0001*" in out.replace(" ", "") or re.search(r"\d{4}-0001\*", out)
    assert not any(w.get("certificate") for w in held(db)["winners"])
    out = run("register", "--issue").output
    numbers = {w["name"]: w["certificate"] for w in held(db)["winners"]}
    assert all(number in out for number in numbers.values())
    target = tmp_path / "名册.csv"
    run("register", "-o", str(target))
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))[1:]
    assert {row[2]: row[1] for row in rows} == numbers

    out = run("settings", "set", "issuer", "某某委员会").output
    assert held(db)["settings"]["issuer"] == "某某委员会" and "某某委员会" in out
    out = run("settings").output
    assert "issuer: 某某委员会" in out

    exported = tmp_path / "exported.json"
    run("export", "-o", str(exported))
    data = json.loads(exported.read_text("utf-8"))
    assert [w["name"] for w in data["categories"][1]["winners"]] == ["王五", "丁一"]

    source = tmp_path / "new.csv"
    source.write_text("姓名\n李四\n", "utf-8")
    out = run("import", str(source), "--into", "名单").output
    assert "added 1 of 1 entry" in out and winner(db, "李四")

    out = re.sub(r"\s", "", run("show").output)  # two-character names are padded
    assert all(w["name"] in out for w in held(db)["winners"])

    out = run("remove", "名单", "李四").output
    assert "removed 李四" in out
    assert "李四" not in [w["name"] for w in held(db)["winners"]]

    out = run("log").output
    assert "removed 李四 from 名单" in out
    out = run("undo").output
    assert "undid" in out and winner(db, "李四")

    listing = run("backup", "list").output
    newest = next(line for line in listing.splitlines() if line.startswith("honours-"))
    before_undo = json.loads(
        db.with_name("roll.journal.jsonl").read_text("utf-8").splitlines()[-1])["backup"]
    assert newest == before_undo
    run("backup", "restore", newest, "--yes")
    assert "李四" not in [w["name"] for w in held(db)["winners"]]

    out = run("info").output
    assert f"{len(held(db)['categories'])} categories" in out
    assert f"{len(held(db)['winners'])} winners" in out

    out = run("doctor", ok=False).output
    assert "Writable." in out

    names = tmp_path / "names.txt"
    names.write_text("王五\n丁一\n", "utf-8")
    assert run("sort", str(names)).output.split() == ["丁一", "王五"]
    assert run("check", str(names), ok=False).exit_code == 1
    assert "丁" in run("explain", "丁", "王").output

    certificates = tmp_path / "证书.docx"
    result = run("certificates", "名单", "-o", str(certificates))
    assert certificates.exists() and "2 certificates" in result.output

    # Within the roll: people on two lists, counts, quotas, exclusive lists.
    out = run("add", "其他", "王 五")
    assert "王五 is also on 名单" in out.output
    out = run("duplicates").output
    assert "王五" in out and "名单" in out and "其他" in out
    run("remove", "其他", "王五")
    out = run("category", "edit", "名单", "--quota", "2", "--exclusive").output
    assert held(db)["categories"][1]["quota"] == 2 and held(db)["categories"][1]["exclusive"]
    assert "quota 'none' → 2; exclusive 'no' → 'yes'" in out
    out = run("stats").output
    assert re.search(r"名单\s*│\s*2\s*│\s*2", out)
    refused = run("add", "名单", "张三", ok=False)
    assert refused.exit_code == 2 and "has a quota of 2 and holds 2 already" in refused.output
    assert "张三" not in [w["name"] for w in held(db)["winners"]]

    # Year after year: next year's roll beside this one, and people across the rolls.
    from datetime import datetime

    following = db.with_name(f"roll-{datetime.now().year + 1}.json")
    out = run("new-year", "--yes").output
    assert following.exists() and f"created {following}" in out
    assert Store(following).snapshot().table("winners").all() == []
    out = run("find", "王五", "--all")
    assert "王五" in out.output and "名单" in out.output and "exported.json" in out.output
    out = run("history", "丁一").output
    assert "丁一: honoured in 1 year" in out
    out = run("streaks", "--category", "名单", "--years", "2").output
    assert "nobody was honoured in 名单 in 2 consecutive years" in out

    out = run("category", "remove", "其他").output
    assert "removed 其他" in out and len(held(db)["categories"]) == 1

    # A new command must join this contract.
    assert set(command_paths()) <= covered, set(command_paths()) - covered


def test_each_command_is_found_in_the_module_that_defines_it():
    """`honours CMD` imports only CMD's module (honours.cli.COMMAND_MODULES): the table
    must name every command and group, each with the module that registers it."""
    from honours import cli

    registered = {}
    for name, _group in cli._MODULES:
        root = typer.Typer()
        cli.load_commands({name}, root)
        registered.update({c.name: name for c in root.registered_commands})
        registered.update({g.name: name for g in root.registered_groups})
    assert registered == cli.COMMAND_MODULES
    assert set(typer.main.get_command(app).commands) == set(cli.COMMAND_MODULES)


@pytest.mark.parametrize(("argv", "named"), [
    (["add", "甲", "张三"], "add"),
    (["--db", "x.json", "list", "甲"], "list"),
    (["--db=x.json", "--lang", "zh", "category", "list"], "category"),
    (["--lang=en", "show"], "show"),
    (["--help"], None),
    (["--version"], None),
    ([], None),
    (["--db", "x.json"], None),
])
def test_the_command_named_on_a_command_line(argv, named):
    from honours.cli import command_named

    assert command_named(argv) == named


def test_a_command_run_alone_loads_only_its_module(tmp_path):
    """In a fresh process, `honours list` imports neither the register's writers nor
    the other command modules, and a mistyped command still gets its suggestion."""
    import subprocess
    import sys

    probe = ("import sys; sys.argv = ['honours', '--db', sys.argv[1], 'list', '甲']\n"
             "from honours.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('honours.cli.')))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "none.json")],
                         capture_output=True, text=True, check=True).stdout
    loaded = eval(out.strip().splitlines()[-1])
    assert "honours.cli.winners" in loaded
    assert not {"honours.cli.rolls", "honours.cli.doctor", "honours.cli.imports"} & set(loaded)
    typo = subprocess.run([sys.executable, "-m", "honours", "categry"], capture_output=True,
                          text=True, env={**__import__("os").environ, "HONOURS_LANG": "en"})
    assert typo.returncode == 2 and "category" in typo.stderr
