"""kill -9 at random moments of the ledger paths issue 24 added or changed: an import
recording its numbers in the ledger, an issuing that takes numbers held for
someone else off their holders (--renumber) or rebuilds a lost ledger, `doctor
--repair` rebuilding it, and `edit --name` renaming the ledger's record.  After
each kill the database is the state before or after, the ledger is whole, and
the roll agrees with the ledger (honours.number_audit) whenever the command's
change was saved.  In the style of tests/test_kill.py, whose helpers it uses."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from honours.ledger import Ledger
from honours.number_audit import ForeignNumber, SharedNumber, UnknownNumber, audit
from honours.storage import Store

from .test_kill import delays, finish, ledger, run, timed, winners

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def disagreements(db: Path) -> list:
    """What the roll holds against the ledger (the ledger must be whole JSON)."""
    store = Store(db)
    return [f for f in audit(store.snapshot(), Ledger.load(store))
            if isinstance(f, (ForeignNumber, SharedNumber, UnknownNumber))]


@pytest.fixture
def numbered(tmp_path) -> tuple[Path, list[str]]:
    db = tmp_path / "roll.json"
    base = ["--db", str(db)]
    assert run([*base, "settings", "set", "year", "2026"]) == 0
    assert run([*base, "category", "add", "名单"]) == 0
    assert run([*base, "add", "名单", *[f"初始{i:04d}" for i in range(400)]]) == 0
    assert run([*base, "register", "--issue"]) == 0
    return db, base


def test_kill_import_of_numbers(numbered, tmp_path):
    db, base = numbered
    source = tmp_path / "import.csv"

    def write(step: int) -> None:
        rows = [f"导入{step:03d}-{i:03d},X{step:03d}-{i:04d}" for i in range(300)]
        source.write_text("姓名,证书编号\n" + "\n".join(rows) + "\n", "utf-8")

    args = [*base, "import", str(source), "--into", "名单"]
    write(999)
    duration = timed([*args, "--dry-run"]) * 1.5
    for step, delay in enumerate(delays(duration, 11)):
        write(step)
        before = db.read_bytes()
        run(args, delay)
        count = sum(1 for w in winners(db) if w["name"].startswith(f"导入{step:03d}-"))
        assert count in (0, 300)
        if db.read_bytes() != before:  # saved: the ledger holds every imported number
            assert {f"X{step:03d}-{i:04d}" for i in range(300)} <= set(ledger(db))
        assert disagreements(db) == []
    write(1000)
    finish(db, base, ["import", str(source), "--into", "名单"])


def test_kill_register_renumber(numbered, tmp_path):
    db, base = numbered
    out = tmp_path / "名册.csv"
    args = [*base, "register", "-o", str(out), "--force", "--renumber"]
    duration = timed(args)
    for step, delay in enumerate(delays(duration, 12)):
        # A hand edit: a winner holds another's number.
        data = json.loads(db.read_text("utf-8"))
        records = list(data["winners"].values())
        records[step + 1]["certificate"] = records[0]["certificate"]
        db.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        before = db.read_bytes()
        printed_before = out.read_bytes() if out.exists() else b""
        run(args, delay)
        if db.read_bytes() != before:  # saved: the number is taken off, a fresh one given
            assert disagreements(db) == []
            held = [w["certificate"] for w in winners(db)]
            assert len(held) == len(set(held))
        rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))[1:]
        printed = [row[1] for row in rows]
        assert len(printed) == len(set(printed)), "a number printed twice"
        assert set(printed) <= set(ledger(db)), "a printed number not in the ledger"
        if out.read_bytes() != printed_before:  # a new file: its numbers all saved
            held = {w.get("certificate") for w in winners(db)}
            assert set(printed) <= held, "a printed number the database did not save"
    finish(db, base, ["register", "-o", str(out), "--force", "--renumber"])


def test_kill_issuing_that_rebuilds_a_lost_ledger(numbered):
    db, base = numbered
    path = db.with_name("roll.ledger.json")
    args = [*base, "register", "--issue"]
    duration = timed(args)
    for step, delay in enumerate(delays(duration, 13)):
        highest = json.loads(path.read_text("utf-8"))["highest"]
        path.unlink()
        assert run([*base, "add", "名单", f"新{step:03d}"]) == 0
        run(args, delay)
        if path.exists():
            assert json.loads(path.read_text("utf-8"))["highest"] >= highest
        else:
            assert not all(w.get("certificate") for w in winners(db))
        assert run(args) == 0  # rebuilds (if the kill came first) and issues
        assert disagreements(db) == []
        assert json.loads(path.read_text("utf-8"))["highest"] >= highest + 1
    finish(db, base, ["register", "--issue"])


def test_kill_doctor_repair(numbered):
    db, base = numbered
    path = db.with_name("roll.ledger.json")
    whole = json.loads(path.read_text("utf-8"))
    args = [*base, "doctor", "--repair"]
    duration = timed(args)
    for delay in delays(duration, 14):
        path.unlink()
        run(args, delay)
        if path.exists():  # whole, never lower
            assert json.loads(path.read_text("utf-8"))["highest"] == whole["highest"]
        assert run(args) in (0, 1)
        rebuilt = json.loads(path.read_text("utf-8"))
        assert rebuilt["highest"] == whole["highest"]
        assert set(rebuilt["numbers"]) == set(whole["numbers"])
    finish(db, base, ["doctor", "--repair"])


def test_kill_edit_name(numbered):
    db, base = numbered
    names = ["初始0000", "改名0000"]
    for step, delay in enumerate(delays(timed([*base, "list", "名单"]) * 2, 15)):
        old, new = names[step % 2], names[(step + 1) % 2]
        present = {w["name"] for w in winners(db)}
        if old not in present:
            old, new = new, old
        before = db.read_bytes()
        run([*base, "edit", "名单", old, "--name", new], delay)
        assert db.read_bytes() == before or new in {w["name"] for w in winners(db)}
        assert disagreements(db) == []
    finish(db, base, ["edit", "名单", "初始0001", "--name", "改名0001"])
