"""One number series across the years' rolls (issue 24): a pattern without
{year} gives the same numbers in every roll of a folder, so the rolls share one
serial through the series record ``honours-series.json`` beside them; no two
rolls ever issue the same number, not after `new-year`, not when the new roll
was deleted by hand, not when two rolls issue at once, not after a kill -9."""

from __future__ import annotations

import collections
import json
import os
import re
import time
from pathlib import Path

import pytest

from honours.series import SERIES_NAME, series_key
from honours.storage import Store

from .conftest import Honours
from .test_kill import KILLED, delays, run, timed

PATTERN = "QDU-{serial:04d}"


def numbers(db: Path) -> list[str]:
    """Every number the roll's winners hold."""
    return [w["certificate"] for w in Store(db).snapshot().table("winners").all()
            if w.get("certificate")]


def issued(result) -> list[str]:
    """The numbers a `register --issue` says it issued."""
    found = re.search(r"issued \d+ new certificate numbers?: (.*)", result.output)
    return found.group(1).replace(" … ", "、").split("、") if found else []


def record(folder: Path) -> dict:
    return json.loads((folder / SERIES_NAME).read_text("utf-8"))


def start_roll(folder: Path, pattern: str = PATTERN, year: str = "2026",
               name: str | None = None) -> Honours:
    roll = Honours(folder / (name or f"{year}.json"))
    roll("settings", "set", "year", year)
    roll("settings", "set", "certificate-pattern", pattern)
    roll("category", "add", "先进个人")
    return roll


def add_and_issue(roll: Honours, *names: str) -> list[str]:
    roll("add", "先进个人", *names)
    return issued(roll("register", "--issue"))


# --------------------------------------------------------------------------- the reproductions


def test_the_old_roll_and_next_years_never_issue_one_number(tmp_path):
    old = start_roll(tmp_path)
    assert add_and_issue(old, "马罡") == ["QDU-0001"]
    old("new-year", "--yes")
    new = Honours(tmp_path / "2027.json")
    late = add_and_issue(old, "张冒名")  # a late 2026 winner
    first = add_and_issue(new, "王芳")  # the first 2027 winner
    assert late == ["QDU-0002"] and first == ["QDU-0003"]  # was QDU-0002 twice
    assert not set(numbers(old.db)) & set(numbers(new.db))
    assert SERIES_NAME not in old("find", "马罡", "--all").output  # never taken for a roll
    series = record(tmp_path)["patterns"]["QDU-{serial}"]
    assert series == {"highest": 3, "rolls": {"2026.json": 2, "2027.json": 3}}


def test_new_year_again_after_the_new_roll_was_deleted_by_hand(tmp_path):
    old = start_roll(tmp_path)
    add_and_issue(old, "马罡")
    old("new-year", "--yes")
    new = Honours(tmp_path / "2027.json")
    given = add_and_issue(new, "王芳", "刘振")  # printed, then the file deleted
    (tmp_path / "2027.json").unlink()
    (tmp_path / "2027.ledger.json").unlink()  # its companions too, by a thorough hand
    old("new-year", "--yes")
    again = add_and_issue(new, "李娜") + add_and_issue(old, "赵六")
    assert given == ["QDU-0002", "QDU-0003"]
    assert again == ["QDU-0004", "QDU-0005"]  # was QDU-0003 twice
    shown = Honours(tmp_path / "2026.json")("new-year", "--yes", ok=False)  # 2027 exists
    assert shown.exit_code != 0


def test_every_number_stays_once_across_three_years(tmp_path):
    rolls = [start_roll(tmp_path)]
    seen: list[str] = add_and_issue(rolls[0], "甲一", "甲二")
    for year in (2027, 2028):
        rolls[-1]("new-year", "--yes")
        rolls.append(Honours(tmp_path / f"{year}.json"))
        for number, roll in enumerate(rolls):
            seen += add_and_issue(roll, f"乙{year}{number}")
    assert len(seen) == len(set(seen)) == 7
    assert sorted(seen) == [f"QDU-{n:04d}" for n in range(1, 8)]


def test_rolls_older_than_the_record_start_it_from_the_folder(tmp_path):
    old = start_roll(tmp_path)
    add_and_issue(old, "马罡", "王芳")
    old("new-year", "--yes")
    new = Honours(tmp_path / "2027.json")
    add_and_issue(new, "刘振")
    (tmp_path / SERIES_NAME).unlink()  # as rolls made before the record existed
    (tmp_path / "2027.json").unlink()  # and the roll is gone: its ledger still counts
    assert add_and_issue(old, "赵六") == ["QDU-0004"]
    assert record(tmp_path)["patterns"]["QDU-{serial}"]["rolls"] == {
        "2026.json": 4, "2027.json": 3}


def test_numbers_imported_into_one_roll_are_followed_by_the_others(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = start_roll(elsewhere)
    add_and_issue(other, *[f"外{i:02d}" for i in range(10)])
    other("export", "-o", str(elsewhere / "roll.json.export"), "--format", "json")
    old = start_roll(tmp_path)
    add_and_issue(old, "马罡")
    old("new-year", "--yes")
    new = Honours(tmp_path / "2027.json")
    new("import", str(elsewhere / "roll.json.export"), "--format", "json")
    assert max(numbers(new.db)) == "QDU-0010"
    assert add_and_issue(old, "赵六") == ["QDU-0011"]


def test_a_roll_that_changed_pattern_still_counts_its_numbers_of_the_series(tmp_path):
    first = start_roll(tmp_path, year="2025")
    add_and_issue(first, "马罡", "王芳", "刘振")  # QDU-0001 … QDU-0003
    first("settings", "set", "certificate-pattern", "X-{serial}", "--yes")
    (tmp_path / SERIES_NAME).unlink()  # as before the record existed
    second = start_roll(tmp_path)  # a roll of the QDU series, made by hand
    assert add_and_issue(second, "李娜") == ["QDU-0004"]  # from the first roll's ledger


def test_a_register_preview_shows_the_series_next_number(tmp_path):
    old = start_roll(tmp_path)
    add_and_issue(old, "马罡")
    old("new-year", "--yes")
    new = Honours(tmp_path / "2027.json")
    add_and_issue(new, "王芳", "刘振")
    old("add", "先进个人", "赵六")
    shown = old("register").output
    assert "QDU-0004*" in shown


def test_changing_to_a_series_pattern_previews_the_series_next_number(tmp_path):
    qdu = start_roll(tmp_path)
    add_and_issue(qdu, "马罡", "王芳", "刘振")
    other = start_roll(tmp_path, "JS{year}-{serial:04d}", name="other.json")
    add_and_issue(other, "李娜")
    preview = other("settings", "set", "certificate-pattern", PATTERN, "--yes").output
    assert "QDU-0004" in preview  # the folder's series is at 3, the roll's own serial at 1
    assert add_and_issue(other, "赵六") == ["QDU-0004"]


def test_a_pattern_with_the_year_restarts_and_same_year_rolls_share_it(tmp_path):
    first = start_roll(tmp_path, "JS{year}-{serial:04d}")
    assert add_and_issue(first, "马罡") == ["JS2026-0001"]
    first("new-year", "--yes")
    assert add_and_issue(Honours(tmp_path / "2027.json"), "王芳") == ["JS2027-0001"]
    # A second roll of 2026 in the folder (another honour list of the same year)
    second = start_roll(tmp_path, "JS{year}-{serial:04d}", name="2026-second.json")
    assert add_and_issue(second, "刘振") == ["JS2026-0002"]
    # and a pattern writing the year by hand makes the same numbers: the same series
    third = start_roll(tmp_path, "JS2026-{serial:03d}", year="2027", name="third.json")
    assert add_and_issue(third, "李娜") == ["JS2026-003"]
    assert add_and_issue(first, "赵六") == ["JS2026-0004"]


def test_no_output_is_written_over_the_record(tmp_path):
    roll = start_roll(tmp_path)
    add_and_issue(roll, "马罡")
    before = (tmp_path / SERIES_NAME).read_bytes()
    for command in (["export", "-o", str(tmp_path / SERIES_NAME), "--force"],
                    ["register", "-o", str(tmp_path / SERIES_NAME), "--format", "csv",
                     "--force"]):
        result = roll(*command, ok=False)
        assert result.exit_code != 0 and "one of its files" in " ".join(result.output.split())
    assert (tmp_path / SERIES_NAME).read_bytes() == before


def test_series_keys():
    assert series_key("QDU-{serial:04d}", "2026") == "QDU-{serial}"
    assert series_key("QDU-{serial}", "2030") == "QDU-{serial}"
    assert series_key("JS{year}-{serial:04d}", "2026") == "JS2026-{serial}"
    assert series_key("QDU2026-{serial}", "2027") == "QDU2026-{serial}"
    assert series_key("{year[2:]}", "2026") != series_key("{serial}", "2026")
    assert series_key("A{{B}}{serial:>5}", "2026") == "A{{B}}{serial}"


# --------------------------------------------------------------------------- info


def test_info_shows_the_series(tmp_path):
    old = start_roll(tmp_path)
    assert "not recorded yet" in old("info").output
    add_and_issue(old, "马罡")
    old("new-year", "--yes")
    add_and_issue(Honours(tmp_path / "2027.json"), "王芳")
    out = Honours(tmp_path / "2027.json")("info").output
    assert f"number series: {tmp_path / SERIES_NAME}" in " ".join(out.split())
    line = next(line for line in out.splitlines() if "QDU-{serial}" in line)
    assert "highest serial 2" in line and "2026.json (highest 1)" in line
    assert "2027.json (highest 2)" in line and "this roll's series" in line
    try:
        zh = Honours(tmp_path / "2027.json")("--lang", "zh", "info").output
        assert "2026.json（最大序号 1）" in zh and "本光荣榜的序列" in zh
    finally:
        Honours(tmp_path / "2027.json")("--lang", "en", "info")  # the language is global


# --------------------------------------------------------------------------- a damaged record


def _state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith((".lock", ".holder", ".jsonl"))}


def _refused(roll: Honours, folder: Path, text: str) -> None:
    roll("add", "先进个人", "新人")
    before = _state(folder)
    result = roll("register", "--issue", ok=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert text in " ".join(result.output.split())
    assert _state(folder) == before  # no number issued, the record untouched
    result = roll("certificates", "-o", str(folder / "out.pdf"), ok=False)
    assert result.exit_code != 0 and not (folder / "out.pdf").exists()


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"application": "honours"}',
                                     b'{"application": "honours", "series": 1, "patterns": '
                                     b'{"QDU-{serial}": {"highest": true, "rolls": {}}}}'])
def test_a_damaged_record_is_reported_kept_and_nothing_is_issued(tmp_path, content):
    roll = start_roll(tmp_path)
    add_and_issue(roll, "马罡")
    (tmp_path / SERIES_NAME).write_bytes(content)
    _refused(roll, tmp_path, "is damaged")
    assert (tmp_path / SERIES_NAME).read_bytes() == content
    assert "is damaged" in roll("info").output


def test_a_reprint_issues_nothing_and_does_not_need_the_record(tmp_path):
    roll = start_roll(tmp_path)
    add_and_issue(roll, "马罡")
    (tmp_path / SERIES_NAME).write_bytes(b"{not json")
    roll("certificates", "-o", str(tmp_path / "reprint.pdf"))  # every winner numbered
    assert "QDU-0001" in roll("register").output
    assert (tmp_path / SERIES_NAME).read_bytes() == b"{not json"


def test_a_record_from_a_newer_version_is_refused(tmp_path):
    roll = start_roll(tmp_path)
    (tmp_path / SERIES_NAME).write_text(
        '{"application": "honours", "series": 99, "patterns": {}}', "utf-8")
    _refused(roll, tmp_path, "newer version")


def test_a_linked_record_is_never_followed(tmp_path):
    roll = start_roll(tmp_path)
    add_and_issue(roll, "马罡")
    target = tmp_path / "elsewhere.txt"
    target.write_bytes((tmp_path / SERIES_NAME).read_bytes())
    (tmp_path / SERIES_NAME).unlink()
    (tmp_path / SERIES_NAME).symlink_to(target)
    before = target.read_bytes()
    _refused(roll, tmp_path, "symbolic link")
    assert target.read_bytes() == before and (tmp_path / SERIES_NAME).is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_record_is_refused_at_once(tmp_path):
    roll = start_roll(tmp_path)
    os.mkfifo(tmp_path / SERIES_NAME)
    roll("add", "先进个人", "新人")
    result = roll("register", "--issue", ok=False)  # would block for ever on a read
    assert result.exit_code != 0 and "not a regular file" in " ".join(result.output.split())
    assert numbers(roll.db) == []


def test_a_record_too_large_is_refused_unread(tmp_path, monkeypatch):
    import honours.files

    roll = start_roll(tmp_path)
    add_and_issue(roll, "马罡")
    monkeypatch.setattr(honours.files, "SERIES_BYTES", 64)
    _refused(roll, tmp_path, "is larger than")


def test_an_unreadable_roll_of_the_folder_stops_a_new_series(tmp_path):
    roll = start_roll(tmp_path)
    (tmp_path / "2025.json").write_text('{"_meta": {"application": "honours", "schema": 1},'
                                        ' "winners": {', "utf-8")  # damaged
    _refused(roll, tmp_path, "2025.json cannot be read")


# --------------------------------------------------------------------------- two at once


def _two_rolls(tmp_path) -> tuple[Honours, Honours]:
    old = start_roll(tmp_path)
    add_and_issue(old, "马罡")
    old("new-year", "--yes")
    return old, Honours(tmp_path / "2027.json")


def _issue_loop(db: Path, rounds: int) -> int:
    """In a forked child: add a winner and issue its number, ``rounds`` times."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (1, 2):
                os.dup2(null, fd)
            roll = Honours(db)
            for turn in range(rounds):
                roll("add", "先进个人", f"{db.stem}号{turn:03d}")
                roll("register", "--issue")
            code = 0
        finally:
            os._exit(code)
    return pid


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_two_rolls_issuing_at_once_never_share_a_number(tmp_path):
    old, new = _two_rolls(tmp_path)
    rounds = 12
    children = [_issue_loop(old.db, rounds), _issue_loop(new.db, rounds)]
    for child in children:
        _, status = os.waitpid(child, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    held = numbers(old.db) + numbers(new.db)
    assert len(held) == 1 + 2 * rounds
    assert len(set(held)) == len(held), "a number in both rolls"
    assert record(tmp_path)["patterns"]["QDU-{serial}"]["highest"] == len(held)


# --------------------------------------------------------------------------- kill -9


def _consistent(folder: Path) -> None:
    """Both rolls open, no number in two places, and the series record (whole)
    at or above every serial any roll of the folder holds or has ledgered."""
    held: list[str] = []
    highest = 0
    for db in (folder / "2026.json", folder / "2027.json"):
        if not db.exists():
            continue
        held += numbers(db)
        ledger = db.with_name(db.stem + ".ledger.json")
        if ledger.exists():
            found = json.loads(ledger.read_text("utf-8"))
            assert set(numbers(db)) <= set(found["numbers"]), "a number the ledger lacks"
            highest = max(highest, found["highest"])
    assert len(held) == len(set(held)), "a number on two winners"
    if (folder / SERIES_NAME).exists():
        series = record(folder)["patterns"]["QDU-{serial}"]["highest"]
        assert series >= max((int(n[4:]) for n in held), default=0)
        assert series >= highest


def _series_highest(folder: Path) -> int:
    path = folder / SERIES_NAME
    return record(folder)["patterns"]["QDU-{serial}"]["highest"] if path.exists() else 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_kill_issuing_in_two_rolls_of_one_series(tmp_path):
    old, new = _two_rolls(tmp_path)
    rolls = [old.db, new.db]
    for db in rolls:
        Honours(db)("add", "先进个人", *[f"{db.stem}初始{i:03d}" for i in range(300)])
        Honours(db)("register", "--issue")
    durations = []
    for turn in range(3):  # a real issuing: two new winners in a numbered roll
        assert run(["--db", str(old.db), "add", "先进个人", f"计时{turn}甲", f"计时{turn}乙"]) == 0
        durations.append(timed(["--db", str(old.db), "register", "--issue"]))
    outcomes: collections.Counter = collections.Counter()
    for turn, delay in enumerate(delays(max(durations), seed=24)):
        db = rolls[turn % 2]
        assert run(["--db", str(db), "add", "先进个人", f"补{turn:03d}甲", f"补{turn:03d}乙"]) == 0
        before = (_series_highest(tmp_path), len(numbers(db)))
        run(["--db", str(db), "register", "--issue"], kill_after=delay)
        _consistent(tmp_path)
        outcomes[(_series_highest(tmp_path) > before[0], len(numbers(db)) > before[1])] += 1
    _report_kills()
    print(f"(series raised, numbers saved): {dict(outcomes)}")
    for db in rolls:
        assert run(["--db", str(db), "register", "--issue"]) == 0
    _consistent(tmp_path)
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_kill_new_year_then_issue_in_both_rolls(tmp_path):
    old = start_roll(tmp_path)
    old("add", "先进个人", *[f"初始{i:03d}" for i in range(300)])
    old("register", "--issue")
    new_db = tmp_path / "2027.json"
    args = ["--db", str(old.db), "new-year", "--yes"]
    duration = timed_new_year(args, new_db)
    printed: list[str] = []  # the numbers of every 2027 roll deleted by hand
    for turn, delay in enumerate(delays(duration, seed=2027)):
        if new_db.exists():
            printed += numbers(new_db)
            new_db.unlink()  # by hand, as in the issue
        run(args, kill_after=delay)
        if new_db.exists():
            assert run(["--db", str(new_db), "add", "先进个人", f"新{turn:03d}"]) == 0
            assert run(["--db", str(new_db), "register", "--issue"]) == 0
        assert run(["--db", str(old.db), "add", "先进个人", f"迟{turn:03d}"]) == 0
        assert run(["--db", str(old.db), "register", "--issue"]) == 0
        _consistent(tmp_path)
    _report_kills()
    given = printed + numbers(old.db) + (numbers(new_db) if new_db.exists() else [])
    assert len(given) == len(set(given)), "a number given twice across the years"


def _report_kills() -> None:
    """How many kills landed mid-way depends on the machine's load: printed, not
    asserted (``pytest -s``), as in test_kill."""
    killed = KILLED[os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]]
    print(f"{killed} runs killed mid-way")


def timed_new_year(args: list[str], new_db: Path) -> float:
    """How long a new-year takes (the new roll removed after each run)."""
    durations = []
    for _ in range(3):
        started = time.monotonic()
        assert run(args) == 0
        durations.append(time.monotonic() - started)
        new_db.unlink()
    return min(durations)
