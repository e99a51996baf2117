"""The certificate ledger is the one authority on numbers (issue 24): a number held
for someone else enters the roll by no path (import, restore, undo, a hand edit),
is never printed, and `doctor` names every disagreement between the roll and the
ledger; `doctor --repair` rebuilds a lost ledger without lowering a serial."""

from __future__ import annotations

import csv
import errno
import json
from pathlib import Path

import pytest

from honours.storage import Store


def ledger_of(db: Path) -> dict:
    path = db.with_name(db.stem + ".ledger.json")
    return json.loads(path.read_text("utf-8")) if path.exists() else {"highest": 0, "numbers": {}}


def numbers(db: Path) -> dict[str, str]:
    """name -> certificate number, as the database holds them."""
    return {w["name"]: w.get("certificate", "") for w in Store(db).snapshot().table("winners")}


def hand_edit(db: Path, change) -> None:
    """Edit the database file as a clerk with a text editor would."""
    data = json.loads(db.read_text("utf-8"))
    change(data)
    db.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def give(name: str, number: str):
    def change(data):
        for winner in data["winners"].values():
            if winner["name"] == name:
                winner["certificate"] = number
    return change


def roll_json(tmp_path: Path, *winners: tuple[str, str]) -> Path:
    path = tmp_path / "incoming.json"
    path.write_text(json.dumps({
        "format": "honours-roll", "version": 1, "title": "光荣榜",
        "categories": [{"title": "名单", "kind": "person", "winners": [
            {"name": name, "certificate": number} for name, number in winners]}],
    }, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture
def issued(honours):
    """2026-0001 issued to 马罡, who is then removed (the number revoked)."""
    honours("settings", "set", "year", "2026")
    honours("category", "add", "名单")
    honours("add", "名单", "马罡")
    honours("register", "--issue")
    assert numbers(honours.db) == {"马罡": "2026-0001"}
    return honours


# --------------------------------------------------------------------------- import


def test_importing_a_removed_winners_number_for_someone_else_is_refused(issued, db, tmp_path):
    issued("remove", "名单", "马罡")
    before = db.read_bytes()
    refused = issued("import", str(roll_json(tmp_path, ("张冒名", "2026-0001"))), ok=False)
    assert refused.exit_code != 0
    assert "张冒名" in refused.output and "2026-0001" in refused.output
    assert "马罡" in refused.output and "--renumber" in refused.output
    assert db.read_bytes() == before
    assert "张冒名" not in issued("register").output


def test_renumber_drops_the_number_and_a_fresh_one_is_issued(issued, db, tmp_path):
    issued("remove", "名单", "马罡")
    done = issued("import", str(roll_json(tmp_path, ("张冒名", "2026-0001"))), "--renumber")
    assert "2026-0001" in done.output and "dropped" in done.output
    assert numbers(db) == {"张冒名": ""}
    issued("register", "--issue")
    assert numbers(db) == {"张冒名": "2026-0002"}
    assert ledger_of(db)["numbers"]["2026-0001"]["recipient"] == "马罡"


def test_after_undo_of_the_issuing_the_number_cannot_be_imported_for_another(
        issued, db, tmp_path):
    issued("undo")
    assert numbers(db) == {"马罡": ""}
    issued("remove", "名单", "马罡")
    refused = issued("import", str(roll_json(tmp_path, ("张冒名", "2026-0001"))), ok=False)
    assert refused.exit_code != 0 and "马罡" in refused.output
    issued("add", "名单", "王芳")
    issued("register", "--issue")
    assert numbers(db) == {"王芳": "2026-0002"}  # the undone number stays used


def test_a_csv_number_column_is_checked_against_the_ledger(issued, db, tmp_path):
    issued("remove", "名单", "马罡")
    source = tmp_path / "报送.csv"
    source.write_text("姓名,证书编号\n张冒名,2026-0001\n李四,2026-0009\n", "utf-8")
    refused = issued("import", str(source), "--into", "名单", ok=False)
    assert refused.exit_code != 0 and "张冒名" in refused.output
    issued("import", str(source), "--into", "名单", "--renumber")
    assert numbers(db) == {"张冒名": "", "李四": "2026-0009"}
    # The imported number is the ledger's from now on: for 李四, and never again.
    assert ledger_of(db)["numbers"]["2026-0009"]["recipient"] == "李四"
    assert ledger_of(db)["highest"] >= 9
    assert "PROBLEM" not in issued("doctor", ok=False).output


def test_reimporting_an_export_gives_the_numbers_back_to_their_own(issued, db, tmp_path):
    exported = tmp_path / "roll-export.json"
    issued("export", "-o", str(exported))
    issued("remove", "名单", "马罡")
    issued("import", str(exported))  # the same 马罡 in the same list: his number
    assert numbers(db) == {"马罡": "2026-0001"}
    assert "PROBLEM" not in issued("doctor", ok=False).output


# --------------------------------------------------------------------------- hand edits


def test_a_hand_edited_number_held_for_someone_else_is_never_printed(issued, db, tmp_path):
    issued("add", "名单", "王芳")
    hand_edit(db, give("王芳", "2026-0001"))  # 马罡's number, by hand
    out = tmp_path / "名册.csv"
    refused = issued("register", "-o", str(out), ok=False)
    assert refused.exit_code != 0 and not out.exists()
    assert "王芳" in refused.output and "马罡" in refused.output
    assert "2026-0001" in refused.output
    assert issued("certificates", "-o", str(tmp_path / "证书.pdf"), ok=False).exit_code != 0
    assert not (tmp_path / "证书.pdf").exists()
    doctor = issued("doctor", ok=False)
    assert doctor.exit_code == 1 and "王芳" in doctor.output
    shown = issued("register")  # on screen: a warning naming the holder
    assert "王芳" in shown.output and "--renumber" in shown.output
    listed = issued("register", "-o", "-")  # standard output: never on 王芳's row
    rows = list(csv.reader(listed.stdout.lstrip("\ufeff").splitlines()))[1:]
    assert {row[2]: row[1] for row in rows} == {"马罡": "2026-0001", "王芳": ""}
    issued("register", "-o", str(out), "--renumber")
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))[1:]
    assert {row[2]: row[1] for row in rows} == {"马罡": "2026-0001", "王芳": "2026-0002"}
    assert "PROBLEM" not in issued("doctor", ok=False).output


def test_a_number_held_twice_is_named_and_repair_does_not_guess(issued, db):
    issued("add", "名单", "王芳")
    issued("add", "名单", "李四")
    hand_edit(db, give("王芳", "2026-0077"))
    hand_edit(db, give("李四", "2026-0077"))
    doctor = issued("doctor", ok=False)
    assert "2026-0077" in doctor.output and "王芳" in doctor.output and "李四" in doctor.output
    repaired = issued("doctor", "--repair", ok=False)
    assert "--renumber" in repaired.output
    assert "2026-0077" not in ledger_of(db)["numbers"]  # given to no one
    refused = issued("register", "--issue", ok=False)
    assert refused.exit_code != 0 and "2026-0077" in refused.output
    issued("register", "--issue", "--renumber")
    held = numbers(db)
    assert held["马罡"] == "2026-0001"
    assert "2026-0077" not in (held["王芳"], held["李四"]) and held["王芳"] != held["李四"]
    assert ledger_of(db)["numbers"]["2026-0077"]["revoked"]  # never issued again


def test_two_holders_where_the_ledger_names_one_keep_it_with_that_one(issued, db):
    issued("add", "名单", "王芳")
    hand_edit(db, give("王芳", "2026-0001"))
    issued("register", "--issue", "--renumber")
    assert numbers(db) == {"马罡": "2026-0001", "王芳": "2026-0002"}


def test_a_renamed_winner_keeps_its_number_and_so_does_the_undo(issued, db, tmp_path):
    issued("edit", "名单", "马罡", "--name", "马刚")
    assert "PROBLEM" not in issued("doctor", ok=False).output
    issued("register", "-o", str(tmp_path / "a.csv"))
    issued("undo")
    assert numbers(db) == {"马罡": "2026-0001"}
    assert "PROBLEM" not in issued("doctor", ok=False).output
    issued("register", "-o", str(tmp_path / "b.csv"))


# --------------------------------------------------------------------------- restore, undo


def test_restore_or_undo_of_a_state_holding_anothers_number_warns(issued, db):
    issued("add", "名单", "王芳")
    hand_edit(db, give("王芳", "2026-0001"))
    issued("add", "名单", "李四")  # its backup holds the hand-edited state
    undone = issued("undo")
    assert "warning" in undone.output and "王芳" in undone.output
    assert "2026-0001" in undone.output and "马罡" in undone.output
    backup = next(line for line in issued("backup", "list").output.splitlines()
                  if line.startswith("honours-") and "-add" in line)
    restored = issued("backup", "restore", backup, "--yes")
    assert "王芳" in restored.output and "马罡" in restored.output


def _issue_delete_the_ledger_and_restore(honours, db) -> None:
    """刘振 gets 2026-0001, the ledger is deleted, and the backup from before the
    issuing is restored: nothing on disk says 2026-0001 was ever given but the roll's
    later backups."""
    honours("settings", "set", "year", "2026")
    honours("category", "add", "名单")
    honours("add", "名单", "刘振")
    honours("register", "--issue")
    db.with_name("roll.ledger.json").unlink()
    first = next(line for line in honours("backup", "list").output.splitlines()
                 if line.startswith("honours-") and line.endswith("-add.json"))
    honours("backup", "restore", first, "--yes")


def test_a_deleted_ledger_and_a_restore_never_give_a_number_again(honours, db):
    _issue_delete_the_ledger_and_restore(honours, db)
    honours("add", "名单", "王芳")
    doctor = honours("doctor", ok=False)
    assert doctor.exit_code == 1 and "missing" in doctor.output
    issuing = honours("register", "--issue")  # rebuilds the ledger first, and says so
    assert "missing" in issuing.output and "recorded 1 certificate number" in issuing.output
    assert ledger_of(db)["numbers"]["2026-0001"]["recipient"] == "刘振"
    assert numbers(db) == {"王芳": "2026-0002"}


def test_doctor_repair_rebuilds_a_deleted_ledger_from_the_backups(honours, db):
    _issue_delete_the_ledger_and_restore(honours, db)
    repaired = honours("doctor", "--repair", ok=False)
    assert "recorded 1 certificate number" in repaired.output
    assert ledger_of(db)["highest"] == 1
    assert ledger_of(db)["numbers"]["2026-0001"]["recipient"] == "刘振"
    honours("add", "名单", "王芳")
    honours("register", "--issue")
    assert numbers(db) == {"王芳": "2026-0002"}


# --------------------------------------------------------------------------- doctor


@pytest.mark.parametrize("damage, words", [
    ("delete", "missing"),
    ("empty", "records no number"),
    ("lower", "highest serial is 0, below the serial 2"),
])
def test_doctor_names_a_lost_or_lowered_ledger_and_repair_rebuilds_it(
        issued, db, damage, words):
    issued("add", "名单", "王芳")
    issued("register", "--issue")
    path = db.with_name("roll.ledger.json")
    if damage == "delete":
        path.unlink()
    else:
        data = json.loads(path.read_text("utf-8"))
        data["highest"] = 0
        if damage == "empty":
            data["numbers"] = {}
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    doctor = issued("doctor", ok=False)
    assert doctor.exit_code == 1
    assert words in " ".join(doctor.output.replace("│", " ").split())
    issued("doctor", "--repair", ok=False)
    ledger = ledger_of(db)
    assert ledger["highest"] == 2
    assert {n: r["recipient"] for n, r in ledger["numbers"].items()} == {
        "2026-0001": "马罡", "2026-0002": "王芳"}
    assert issued("doctor").exit_code == 0


def test_doctor_names_a_number_the_ledger_lacks(issued, db):
    issued("add", "名单", "王芳")
    hand_edit(db, give("王芳", "2026-0050"))
    doctor = issued("doctor", ok=False)
    assert "2026-0050" in doctor.output and "does not record" in doctor.output
    issued("doctor", "--repair", ok=False)
    assert ledger_of(db)["numbers"]["2026-0050"]["recipient"] == "王芳"
    assert ledger_of(db)["highest"] == 50  # never lower than a serial seen
    issued("add", "名单", "李四")
    issued("register", "--issue")
    assert numbers(db)["李四"] == "2026-0051"


def test_issuing_on_an_emptied_ledger_rebuilds_it_first(issued, db):
    issued("add", "名单", "王芳")
    issued("register", "--issue")
    path = db.with_name("roll.ledger.json")
    path.write_text('{"application": "honours", "ledger": 1, "highest": 0, "numbers": {}}')
    issued("add", "名单", "李四")
    issuing = issued("register", "--issue")
    assert "records no number" in issuing.output
    assert numbers(db)["李四"] == "2026-0003"
    assert set(ledger_of(db)["numbers"]) == {"2026-0001", "2026-0002", "2026-0003"}


def test_repair_takes_the_highest_serial_of_every_backup(issued, db):
    issued("add", "名单", *[f"甲{i}" for i in range(5)])
    issued("register", "--issue")  # up to 2026-0006
    issued("undo")
    issued("undo")  # the roll is back to 马罡 alone, counter 1
    db.with_name("roll.ledger.json").unlink()
    issued("doctor", "--repair", ok=False)
    assert ledger_of(db)["highest"] == 6
    issued("add", "名单", "乙")
    issued("register", "--issue")
    assert numbers(db)["乙"] == "2026-0007"


# --------------------------------------------------------------------------- output files


def test_a_failed_database_save_leaves_no_output_file(issued, db, tmp_path, monkeypatch):
    from honours import storage

    issued("add", "名单", "王芳")
    real = storage._atomic_write

    def full_disk(target, payload, mode):
        if Path(target).name == db.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, payload, mode)

    monkeypatch.setattr(storage, "_atomic_write", full_disk)
    before = db.read_bytes()
    for args in (["register", "-o", str(tmp_path / "名册.csv")],
                 ["certificates", "-o", str(tmp_path / "证书.pdf")]):
        failed = issued(*args, ok=False)
        assert failed.exit_code != 0 and "disk is full" in failed.output
        assert not Path(args[-1]).exists()
        assert not list(tmp_path.glob(".*.tmp"))
    assert db.read_bytes() == before
    monkeypatch.undo()
    # The ledger may hold the number tried (a gap), never the reverse.
    issued("register", "-o", str(tmp_path / "名册.csv"))
    rows = list(csv.reader((tmp_path / "名册.csv").read_text("utf-8-sig").splitlines()))[1:]
    assert {row[1] for row in rows} <= set(ledger_of(db)["numbers"])


# --------------------------------------------------------------------------- undo


def test_undo_says_which_command_changed_the_roll_meanwhile(issued, monkeypatch):
    from honours import journal

    planned = journal.undo_plan

    def meanwhile(store, count):
        chosen = planned(store, count)
        issued("add", "名单", "同时")  # another command, while undo waited for the lock
        return chosen

    monkeypatch.setattr(journal, "undo_plan", meanwhile)
    refused = issued("undo", ok=False)
    assert refused.exit_code != 0
    assert "Another command changed the roll" in refused.output
    assert "add 名单 同时" in refused.output
    assert "edited by hand" not in refused.output


def test_two_proposers_holding_one_number_are_named_and_renumbered(honours, db):
    honours("settings", "set", "year", "2026")
    honours("category", "add", "优秀提案", "--kind", "work")
    honours("add", "优秀提案", "关于乡村振兴的建议", "--proposer", "朱豪杰、顾磊帆")
    honours("register", "--issue")

    def same(data):
        (work,) = data["winners"].values()
        work["certificates"]["顾磊帆"] = work["certificates"]["朱豪杰"]
    hand_edit(db, same)
    doctor = honours("doctor", ok=False)
    text = " ".join(doctor.output.replace("│", " ").split())
    assert "held 2 times" in text and "朱豪杰" in text and "顾磊帆" in text
    assert honours("register", "--issue", ok=False).exit_code != 0
    honours("register", "--issue", "--renumber")
    (work,) = Store(db).snapshot().table("winners").all()
    assert work["certificates"] == {"朱豪杰": "2026-0001", "顾磊帆": "2026-0003"}
