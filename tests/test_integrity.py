"""Hand-edited databases: every command refuses a file whose records do not make a
roll, naming each problem; `doctor` lists them; `doctor --repair` mends them
after a backup and loses no winner (issue 16)."""

from __future__ import annotations

import json

import pytest

from honours.integrity import check, repair

from .conftest import run_cli


def _tables(db):
    return json.loads(db.read_text("utf-8"))


def _edit(db, change):
    data = _tables(db)
    change(data)
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _first(table: dict) -> dict:
    return next(iter(table.values()))


EDITS = {
    "title-not-text": lambda d: _first(d["categories"]).update(title=12),
    "parent-missing": lambda d: _first(d["categories"]).update(parent=999),
    "parent-not-a-number": lambda d: _first(d["categories"]).update(parent="x"),
    "kind-unknown": lambda d: _first(d["categories"]).update(kind="robot"),
    "sort-unknown": lambda d: _first(d["categories"]).update(sort="alphabet"),
    "columns-text": lambda d: _first(d["categories"]).update(columns="5"),
    "position-text": lambda d: _first(d["winners"]).update(position="a"),
    "name-missing": lambda d: _first(d["winners"]).pop("name"),
    "category-missing": lambda d: _first(d["winners"]).pop("category"),
    "title-missing": lambda d: _first(d["categories"]).pop("title"),
    "id-31-digits": lambda d: d["winners"].update({str(10**30 + 7): d["winners"].pop(
        next(iter(d["winners"])))}),
    "name-number": lambda d: _first(d["winners"]).update(name=7),
    "note-list": lambda d: _first(d["winners"]).update(note=["x"]),
    "orphan-winner": lambda d: _first(d["winners"]).update(category=999),
    "category-bool": lambda d: _first(d["winners"]).update(category=True),
    "cycle": lambda d: [c.update(parent=int(k) % 3 + 1) for k, c in d["categories"].items()
                        if k in ("1", "2", "3")],
    "id-01": lambda d: d["winners"].update({"01": dict(_first(d["winners"]))}),
    "id-zero": lambda d: d["winners"].update({"0": dict(_first(d["winners"]))}),
    "setting-number": lambda d: d.setdefault("settings", {}).setdefault("1", {}).update(
        year=2024),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_hand_edited_database_is_named_refused_and_repaired(jinshan_db, edit):
    winners_before = len(_tables(jinshan_db)["winners"])
    _edit(jinshan_db, EDITS[edit])
    edited = jinshan_db.read_bytes()
    for command in (["show"], ["category", "list"], ["add", "1", "新人甲"]):
        result = run_cli("--db", str(jinshan_db), *command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "do not make a roll" in result.stderr and "Traceback" not in result.stderr
    assert jinshan_db.read_bytes() == edited  # refused, never saved over
    doctor = run_cli("--db", str(jinshan_db), "doctor")
    assert doctor.returncode == 1 and "doctor --repair" in doctor.stdout
    assert "Traceback" not in doctor.stdout + doctor.stderr
    assert "unexpected error" not in doctor.stdout + doctor.stderr
    repaired = run_cli("--db", str(jinshan_db), "doctor", "--repair")
    assert "repaired" in repaired.stderr, repaired.stderr
    assert check(_tables(jinshan_db)) == []
    assert len(_tables(jinshan_db)["winners"]) >= winners_before  # no winner lost
    assert run_cli("--db", str(jinshan_db), "show").returncode == 0
    backups = run_cli("--db", str(jinshan_db), "backup", "list")
    assert "repair" in backups.stdout


def test_repair_keeps_every_winner_of_a_lost_category():
    tables = {
        "categories": {"1": {"title": "甲", "parent": None, "kind": "person", "sort": "stroke"}},
        "winners": {"1": {"name": "张三", "category": 1}, "2": {"name": "李四", "category": 7},
                    "02": {"name": "王五", "category": 1}},
    }
    done = repair(tables)
    assert check(tables) == [] and done
    assert sorted(w["name"] for w in tables["winners"].values()) == ["张三", "李四", "王五"]
    home = next(k for k, c in tables["categories"].items() if c["title"].startswith("未归类"))
    assert any(w["category"] == int(home) for w in tables["winners"].values())


def test_a_sound_database_has_no_problems(jinshan_db):
    assert check(_tables(jinshan_db)) == []
    assert run_cli("--db", str(jinshan_db), "doctor", "--repair").stderr.strip().endswith(
        "nothing to repair")


def _broken_then_repaired(db) -> bytes:
    """A hand edit (a winner without a category), then `doctor --repair`; returns
    the broken file the repair's backup holds."""
    _edit(db, lambda d: _first(d["winners"]).pop("category"))
    broken = db.read_bytes()
    assert run_cli("--db", str(db), "doctor", "--repair").returncode == 0
    assert check(_tables(db)) == []
    return broken


def test_undo_of_a_repair_is_refused_unless_asked_and_then_warns(jinshan_db):
    broken = _broken_then_repaired(jinshan_db)
    repaired = jinshan_db.read_bytes()
    refused = run_cli("--lang", "en", "--db", str(jinshan_db), "undo")
    assert refused.returncode == 2, refused.stderr
    assert "do not make a roll" in refused.stderr and "--allow-broken" in refused.stderr
    assert "its category None does not exist" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert jinshan_db.read_bytes() == repaired  # nothing undone
    done = run_cli("--lang", "en", "--db", str(jinshan_db), "undo", "--allow-broken")
    assert done.returncode == 0, done.stderr
    assert jinshan_db.read_bytes() == broken
    assert "warning" in done.stderr and "honours doctor --repair" in done.stderr
    # ... and the undo itself is taken back, from the broken state, by a plain undo.
    again = run_cli("--lang", "en", "--db", str(jinshan_db), "undo")
    assert again.returncode == 0, again.stderr
    assert jinshan_db.read_bytes() == repaired


def test_restoring_the_backup_before_a_repair_says_what_it_brings_back(jinshan_db):
    broken = _broken_then_repaired(jinshan_db)
    repaired = jinshan_db.read_bytes()
    listing = run_cli("--db", str(jinshan_db), "backup", "list").stdout
    name = next(line for line in listing.splitlines() if line.endswith("-repair.json"))
    refused = run_cli("--lang", "en", "--db", str(jinshan_db), "backup", "restore", name, "-y")
    assert refused.returncode == 2, refused.stderr
    assert "do not make a roll" in refused.stderr and "--allow-broken" in refused.stderr
    assert jinshan_db.read_bytes() == repaired
    done = run_cli("--lang", "en", "--db", str(jinshan_db), "backup", "restore", name, "-y",
                   "--allow-broken")
    assert done.returncode == 0, done.stderr
    assert jinshan_db.read_bytes() == broken
    assert "honours doctor --repair" in done.stderr and "Traceback" not in done.stderr
