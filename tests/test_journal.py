"""The change journal, `honours log`, `honours undo`, and restores that say what they drop."""

from __future__ import annotations

import json
from pathlib import Path


def journal(db: Path) -> list[dict]:
    path = db.with_name(db.stem + ".journal.jsonl")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def winners(honours, category: str = "名单") -> list[str]:
    return [r["name"] for r in json.loads(honours("list", category, "-f", "json").output)]


def test_every_change_is_recorded_in_words_with_the_command(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一", "乙二")
    honours("remove", "名单", "乙二")
    honours("edit", "名单", "甲一", "--note", "教师")
    honours("move", "名单", "甲一", "--position", "1")  # already first: no change, no line
    honours("settings", "set", "issuer", "某某委员会")
    entries = journal(db)
    said = [entry["changes"] for entry in entries]
    assert said[0] == ["created category 名单"]
    assert said[1] == ["added 甲一、乙二 to 名单"]
    assert said[2] == ["removed 乙二 from 名单"]
    assert said[3] == ["edited 甲一 in 名单: note '' → '教师'"]
    assert said[4] == ["set issuer to '某某委员会' (was '')"] and len(said) == 5
    assert entries[2]["command"].endswith("remove 名单 乙二")
    log = honours("log").output
    assert log.index("set issuer") < log.index("removed 乙二 from 名单")  # newest first
    assert "honours --db" in log


def test_reading_commands_and_refused_commands_record_nothing(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    count = len(journal(db))
    honours("list", "名单")
    honours("show")
    honours("register")
    honours("add", "名单", "甲一", ok=False)
    honours("remove", "名单", "无此人", ok=False)
    honours("edit", "名单", "甲一", ok=False)
    assert len(journal(db)) == count


def test_undo_takes_back_the_last_change_and_is_itself_undoable(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一", "乙二")
    honours("remove", "名单", "乙二")
    result = honours("undo")
    assert "undid #3: removed 乙二 from 名单" in result.output
    assert winners(honours) == ["乙二", "甲一"]
    honours("undo")  # undoes the undo
    assert winners(honours) == ["甲一"]
    assert journal(db)[-1]["changes"][0].startswith("undid #4")


def test_undo_n_and_undo_of_the_first_change(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    honours("add", "名单", "乙二")
    honours("undo", "2")
    assert winners(honours) == []
    honours("undo", "2")  # the undo (#4) and `add 乙二` (#3): 甲一 is back
    assert winners(honours) == ["甲一"]
    honours("undo", "5")  # every change, back to before the first: an empty database
    assert "no categories" in honours("category", "list").output
    assert db.exists()
    refused = honours("undo", "99", ok=False)
    assert refused.exit_code == 2 and "nothing was undone" in refused.output


def test_undo_refuses_when_the_database_changed_outside_the_journal(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    text = db.read_text("utf-8").replace("甲一", "甲二")
    db.write_text(text, "utf-8")
    refused = honours("undo", ok=False)
    assert refused.exit_code == 2 and "does not show" in refused.output
    assert db.read_text("utf-8") == text


def test_nothing_to_undo(honours):
    refused = honours("undo", ok=False)
    assert refused.exit_code == 2 and "Nothing to undo" in refused.output
    assert "no changes recorded" in honours("log").output


def test_backups_are_listed_by_what_they_undo(honours):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    honours("remove", "名单", "甲一")
    listing = honours("backup", "list").output
    assert "undoes #3: removed 甲一 from 名单" in listing
    assert "undoes #2: added 甲一 to 名单" in listing


def test_restore_names_the_changes_it_drops_and_asks(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    honours("add", "名单", "乙二")
    honours("remove", "名单", "甲一")
    first = [line for line in honours("backup", "list").output.splitlines()
             if line.startswith("honours-")][-1]  # the oldest: taken before `add 甲一`
    before = db.read_bytes()
    refused = honours("backup", "restore", first, ok=False)
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert "drops 3 later changes" in refused.output
    for said in ("added 甲一 to 名单", "added 乙二 to 名单", "removed 甲一 from 名单"):
        assert said in refused.output
    assert db.read_bytes() == before
    honours("backup", "restore", first, "--yes")
    assert winners(honours) == []
    assert "restored backup" in honours("log").output
    honours("undo")
    assert winners(honours) == ["乙二"]


def test_a_failed_save_leaves_no_backup(honours, db, monkeypatch):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    count = len(list(db.with_name("roll.backups").glob("*.json")))
    from honours import storage

    def broken(self, payload, mode):
        raise storage.StoreError("disk full (simulated)")

    monkeypatch.setattr(storage.Store, "_save", broken)
    refused = honours("remove", "名单", "甲一", ok=False)
    assert refused.exit_code == 2 and "disk full" in refused.output
    assert len(list(db.with_name("roll.backups").glob("*.json"))) == count
    assert len(journal(db)) == 2


def test_edit_without_a_change_says_so(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    before = db.read_bytes()
    refused = honours("edit", "名单", "甲一", ok=False)
    assert refused.exit_code == 2 and "nothing to change" in refused.output
    same = honours("edit", "名单", "甲一", "--name", "甲一")
    assert "nothing changed" in same.output and "updated" not in same.output
    assert db.read_bytes() == before
    refused = honours("category", "edit", "名单", ok=False)
    assert refused.exit_code == 2 and "nothing to change" in refused.output


def test_move_reports_the_place_the_list_shows(honours):
    honours("category", "add", "名单")  # stroke order
    honours("add", "名单", "王五", "丁一", "乙二")
    moved = honours("move", "名单", "王五", "--position", "1").output
    shown = winners(honours)
    assert f"place {shown.index('王五') + 1}" in moved and "stroke order" in moved


def test_list_json_and_csv_agree_on_place(honours):
    honours("category", "add", "名单")
    honours("add", "名单", "王五", "丁一")
    records = json.loads(honours("list", "名单", "-f", "json").output)
    rows = honours("list", "名单", "-f", "csv").output.splitlines()
    header = rows[0].split(",")
    by_csv = {line.split(",")[1]: line.split(",")[header.index("place")] for line in rows[1:]}
    assert {r["name"]: str(r["place"]) for r in records} == by_csv
    assert {r["name"]: r["position"] for r in records} == {"王五": 0, "丁一": 1}


def test_explain_refuses_three_entries_before_printing_anything(honours):
    refused = honours("explain", "王", "李", "张", ok=False)
    assert refused.exit_code == 2 and "one or two entries" in refused.output
    assert "strokes" not in refused.output and "┃" not in refused.output


def test_undo_does_not_cross_a_change_the_journal_does_not_show(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    db.write_text(db.read_text("utf-8").replace("甲一", "甲二"), "utf-8")  # by hand
    honours("add", "名单", "乙二")
    honours("undo")  # the last change alone is fine: back to the hand-edited file
    assert winners(honours) == ["甲二"]
    refused = honours("undo", "3", ok=False)  # would drop the hand edit unsaid
    assert refused.exit_code == 2 and "cannot go back past change" in refused.output
    assert winners(honours) == ["甲二"]


def test_a_journal_line_cut_by_a_crash_is_skipped(honours, db):
    honours("category", "add", "名单")
    path = db.with_name("roll.journal.jsonl")
    with path.open("a", encoding="utf-8") as cut:
        cut.write('{"number": 2, "time": "2026-')
    honours("add", "名单", "甲一")
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 3 and lines[-1].startswith("{")  # the new line starts afresh
    assert "added 甲一 to 名单" in honours("log").output
    honours("undo")
    assert winners(honours) == []


def test_move_to_another_list_reports_its_place_there(honours):
    honours("category", "add", "名单")
    honours("category", "add", "其他")  # stroke order too
    honours("add", "其他", "丁一", "王五")
    honours("add", "名单", "乙二")
    moved = honours("move", "名单", "乙二", "--to", "其他").output
    shown = winners(honours, "其他")
    assert shown.index("乙二") == 0  # 乙 has one stroke: first, not last as appended
    assert "moved 乙二 to 其他; stroke order puts it at place 1" in moved


def test_info_names_the_journal_and_the_ledger(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    out = honours("info").output
    assert "(2 changes)" in out and "no number issued yet" in out
    honours("register", "--issue")
    assert "highest serial issued: 1" in honours("info").output
