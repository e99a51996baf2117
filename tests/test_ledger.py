"""Certificate numbers as a ledger: issued explicitly, with their file, never twice."""

from __future__ import annotations

import csv
import itertools
import json
import random
from pathlib import Path

import pytest


def numbers_by_name(honours) -> dict[str, str]:
    """Every winner's certificate number, from the JSON export (what the file holds)."""
    out = honours.db.with_name("numbers-export.json")
    honours("export", "-o", str(out), "--force")
    data = json.loads(out.read_text("utf-8"))
    found = {}

    def walk(categories):
        for category in categories:
            for winner in category.get("winners", []):
                if winner.get("certificate"):
                    found[winner["name"]] = winner["certificate"]
            walk(category.get("children", []))

    walk(data["categories"])
    return found


def ledger_of(db: Path) -> dict:
    path = db.with_name(db.stem + ".ledger.json")
    if not path.exists():
        return {"highest": 0, "numbers": {}}
    return json.loads(path.read_text("utf-8"))


@pytest.fixture
def roll(honours):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一", "乙二")
    return honours


def test_the_issue_scenario_never_gives_a_number_twice(roll, db):
    """The report of issue 11: numbers came back after a restore."""
    roll("register", "--issue")
    assert numbers_by_name(roll) == {"乙二": "2026-0001", "甲一": "2026-0002"}
    first = numbers_by_name(roll)
    roll("remove", "名单", "乙二")
    roll("add", "名单", "丙三")
    roll("register", "--issue")
    third = numbers_by_name(roll)["丙三"]
    remove_backup = next(line for line in roll("backup", "list").output.splitlines()
                         if line.startswith("honours-") and "remove" in line)
    roll("backup", "restore", remove_backup, "--yes")
    roll("add", "名单", "戊五")
    roll("register", "--issue")
    now = numbers_by_name(roll)
    assert now["戊五"] not in set(first.values()) | {third}
    assert now["乙二"] == first["乙二"] and now["甲一"] == first["甲一"]
    assert ledger_of(db)["highest"] == 4


def test_plain_register_only_shows_what_it_would_issue(roll, db):
    before = db.read_bytes()
    shown = roll("register")
    assert "*" in shown.output and "--issue" in shown.output
    assert "2026-0001*" in shown.output.replace(" ", "")
    assert db.read_bytes() == before
    assert not db.with_name("roll.ledger.json").exists()
    assert numbers_by_name(roll) == {}


def test_a_register_file_that_cannot_be_written_issues_nothing(roll, db, tmp_path):
    existing = tmp_path / "名册.docx"
    existing.write_bytes(b"old")
    before = db.read_bytes()
    refused = roll("register", "-f", "docx", "-o", str(existing), ok=False)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert "issued" not in refused.output
    assert db.read_bytes() == before and existing.read_bytes() == b"old"
    assert numbers_by_name(roll) == {}
    # The same into a folder that does not accept files.
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    refused = roll("register", "-o", str(blocker / "名册.csv"), ok=False)
    assert refused.exit_code == 2 and numbers_by_name(roll) == {}
    assert not list(tmp_path.glob(".*.tmp"))


def test_certificates_over_an_existing_file_issue_nothing(roll, db, tmp_path):
    existing = tmp_path / "证书.pdf"
    existing.write_bytes(b"old")
    before = db.read_bytes()
    refused = roll("certificates", "-o", str(existing), ok=False)
    assert refused.exit_code == 2
    assert db.read_bytes() == before and numbers_by_name(roll) == {}


def test_a_register_file_issues_its_numbers_with_it(roll, tmp_path):
    out = tmp_path / "名册.csv"
    result = roll("register", "-o", str(out))
    assert "issued 2 new certificate numbers" in result.output
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    in_file = {row[2]: row[1] for row in rows[1:]}
    assert in_file == numbers_by_name(roll)
    log = roll("log").output
    assert "issued 2 certificate numbers" in log and "名册.csv" in log


def test_pattern_and_year_stay_with_issued_numbers(roll):
    roll("register", "--issue")
    issued = numbers_by_name(roll)
    refused = roll("settings", "set", "certificate-pattern", "JS{year}-{serial:03d}", ok=False)
    assert refused.exit_code == 2
    assert "keeps its number" in refused.output or "keep their numbers" in refused.output
    assert "JS2026-003" in refused.output  # what the next number will be
    assert "--yes" in refused.output
    roll("settings", "set", "certificate-pattern", "JS{year}-{serial:03d}", "--yes")
    roll("settings", "set", "year", "2024", "--yes")
    roll("add", "名单", "丙三")
    roll("register", "--issue")
    now = numbers_by_name(roll)
    assert {k: now[k] for k in issued} == issued
    assert now["丙三"] == "JS2024-003"
    shown = roll("register").output
    assert "2 patterns: like 2026-0001 (2), like JS2024-003 (1)" in shown


def test_register_by_number_and_gaps(roll):
    roll("register", "--issue")
    roll("add", "名单", "丁四")
    roll("register", "--issue")
    roll("remove", "名单", "甲一")
    by_roll = roll("register").output
    by_number = roll("register", "--by", "number").output
    numbers = [n for n in ("2026-0001", "2026-0003") if n in by_number]
    assert numbers == ["2026-0001", "2026-0003"]
    assert by_number.index("2026-0001") < by_number.index("2026-0003")
    assert "1 issued number is not on this register (2026-0002)" in by_roll
    revoked = roll("register", "--revoked").output
    assert "2026-0002" in revoked and "甲一" in revoked and "remove" in revoked


def test_revoked_numbers_are_recorded_by_category_remove(roll, db):
    roll("register", "--issue")
    roll("category", "remove", "名单", "--force")
    ledger = ledger_of(db)
    assert {n for n, r in ledger["numbers"].items() if r["revoked"]} == {
        "2026-0001", "2026-0002"}


def test_undo_never_lowers_the_ledger(roll, db):
    roll("register", "--issue")
    said = roll("undo").output
    assert "no longer on any winner: 2026-0001、2026-0002; they stay used" in said
    assert numbers_by_name(roll) == {}
    assert ledger_of(db)["highest"] == 2
    roll("register", "--issue")
    assert set(numbers_by_name(roll).values()) == {"2026-0003", "2026-0004"}


def test_export_and_import_carry_the_highest_serial(roll, db, tmp_path, honours):
    roll("register", "--issue")
    roll("remove", "名单", "甲一")
    roll("undo")
    roll("undo")  # back to before the remove … and then undone again: 甲一 removed
    out = tmp_path / "exported.json"
    roll("export", "-o", str(out))
    assert json.loads(out.read_text("utf-8"))["certificate_serial"] == 2
    other = tmp_path / "other.json"
    honours.db = other
    honours("import", str(out))
    assert json.loads(other.with_name("other.ledger.json").read_text("utf-8"))["highest"] == 2


def test_a_damaged_ledger_is_refused_and_kept(roll, db):
    roll("register", "--issue")
    ledger = db.with_name("roll.ledger.json")
    ledger.write_text("{not json")
    roll("add", "名单", "丙三")
    refused = roll("register", "--issue", ok=False)
    assert refused.exit_code == 2 and "damaged" in refused.output
    assert ledger.read_text() == "{not json"


def test_random_orders_of_issue_restore_undo_and_failures(honours, db, tmp_path):
    """Restore, undo, re-run and fail commands in many orders: no number is ever
    shown for two winners, and every number a file shows is in the ledger."""
    honours("category", "add", "名单")
    rng = random.Random(11)
    holders: dict[str, str] = {}  # number -> the winner it was first given to
    names = (f"测试{i}" for i in itertools.count())
    existing = tmp_path / "exists.csv"
    existing.write_text("x")
    for step in range(60):
        action = rng.choice(["add", "add", "issue", "file", "fail", "remove", "undo",
                             "restore"])
        if action == "add":
            honours("add", "名单", next(names))
        elif action == "issue":
            honours("register", "--issue")
        elif action == "file":
            out = tmp_path / f"r{step}.csv"
            honours("register", "-o", str(out))
            rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))[1:]
            known = ledger_of(db)["numbers"]
            assert all(row[1] in known for row in rows if row[1])
        elif action == "fail":
            honours("register", "-o", str(existing), ok=False)
        elif action == "remove":
            current = numbers_by_name(honours)
            if current:
                honours("remove", "名单", rng.choice(sorted(current)))
        elif action == "undo":
            honours("undo", ok=False)
        else:
            backups = [line for line in honours("backup", "list").output.splitlines()
                       if line.startswith("honours-")]
            if backups:
                honours("backup", "restore", rng.choice(backups), "--yes")
        for name, number in numbers_by_name(honours).items():
            assert holders.setdefault(number, name) == name, (step, action, number)


def test_doctor_reports_a_damaged_ledger_and_export_still_works(roll, db, tmp_path):
    roll("register", "--issue")
    assert "highest serial issued 2" in roll("doctor", ok=False).output
    db.with_name("roll.ledger.json").write_text("{not json")
    doctor = roll("doctor", ok=False)
    assert doctor.exit_code == 1 and "ledger" in doctor.output and "damaged" in doctor.output
    out = tmp_path / "after.json"
    result = roll("export", "-o", str(out))
    assert "damaged" in result.output and json.loads(out.read_text("utf-8"))[
        "certificate_serial"] == 2
    # Only the JSON format carries the serial: no other export reads the ledger.
    text = roll("export", "-o", str(tmp_path / "after.txt"))
    assert "ledger" not in text.output and (tmp_path / "after.txt").exists()


def test_register_written_while_issuing_is_the_register_read_after(roll, tmp_path):
    """Issuing gives the numbers to the roll view it planned on, and the register
    file is made from that view: the same rows as a register made afterwards
    from the saved database, in roll order and in number order."""
    roll("category", "add", "作品", "--kind", "work")
    roll("add", "作品", "关于一的建议", "--proposer", "甲三")
    roll("add", "作品", "关于二的建议", "--proposer", "乙四")
    roll("add", "名单", "丙五")
    for by in ("roll", "number"):
        written = tmp_path / f"写时-{by}.csv"
        roll("register", "-o", str(written), "--by", by, "--force")
        after = roll("register", "-f", "csv", "-o", "-", "--by", by).output
        assert written.read_text("utf-8-sig").splitlines() == after.lstrip("\ufeff").splitlines()
        roll("add", "名单", f"丁{by}")  # one more to issue next time


def test_ledger_file_is_readable_json(roll, db):
    """The ledger is written record by record; its bytes are those of
    ``readable_json`` (one number per line), with numbers of digits only too."""
    from honours.ledger import IssuedNumber, Ledger
    from honours.storage import Store, readable_json

    roll("register", "--issue")
    ledger = Ledger.load(Store(db))
    assert ledger.numbers
    ledger.numbers["12"] = IssuedNumber(
        number="12", serial=12, pattern="{serial}", year="2024", recipient="张\"三\\",
        category="名单", winner=9, issued="2024-01-01T00:00:00")
    assert ledger.payload() == readable_json(ledger.document()) + b"\n"
    ledger.save()
    assert ledger.path.read_bytes() == readable_json(ledger.document()) + b"\n"
    empty = Ledger(ledger.path)
    assert empty.payload() == readable_json(empty.document()) + b"\n"


def test_a_number_issued_is_what_the_constructor_makes_in_the_files_order():
    from honours.ledger import _FIELDS, Assignment, IssuedNumber, _issued_now

    assignment = Assignment(winner=7, number="2026-0007", serial=7, pattern="{year}-{serial:04d}",
                            year="2026", recipient="王伟", category="表彰/先进个人")
    made = _issued_now(assignment, "2026-11-30T08:00:00", "honours register --issue")
    fields = {k: v for k, v in assignment._asdict().items() if k in _FIELDS}
    assert made == IssuedNumber(**fields, issued="2026-11-30T08:00:00",
                                command="honours register --issue")
    assert tuple(vars(made)) == _FIELDS
