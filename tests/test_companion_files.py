"""The database's companion files are honours' own (issue 24, scope 2 and parts of 4, 5).

A link planted at the lock holder, the journal, the ledger or the overrides is
refused and never written through; a FIFO or a device wherever honours reads or
writes is refused at once (a command never blocks on one, least of all while it
holds the lock); every read is bounded (``/dev/zero`` is refused, not read into
memory); a hand edit that gives a key twice is refused rather than dropped at the
next save; leftover temporary files of every companion are swept; a read-only
ledger is obeyed; a change saved without its journal line is reported as saved.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from honours import files, journal
from honours.storage import DuplicateKeys, Store, duplicate_keys

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and links")


class Blocked(Exception):
    pass


@contextmanager
def at_most(seconds: float):
    """Fail, rather than hang, commands that block (on the old code: on a FIFO).
    The runner catches what the alarm raises, so the alarm repeats (each blocked
    command is interrupted) and the block is asserted at the end."""
    blocked = []

    def expired(signum, frame):
        blocked.append(True)
        raise Blocked(f"blocked for {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not blocked, "a command blocked"


@pytest.fixture
def filled(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "马罡", "王芳")
    return honours


def companion(db: Path, suffix: str) -> Path:
    return db.with_name(db.stem + suffix)


def ledger(db: Path) -> Path:
    return companion(db, ".ledger.json")


def holder(db: Path) -> Path:
    return db.with_name(db.name + ".lock.holder")


def numbers(db: Path) -> list[str]:
    return [w["certificate"] for w in Store(db).snapshot().table("winners").all()
            if w.get("certificate")]


# --------------------------------------------------------------------------- links


def test_a_link_at_the_lock_holder_is_never_written_through(filled, db, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me", "utf-8")
    holder(db).symlink_to(target)
    before = db.read_bytes()
    result = filled("add", "名单", "李四", ok=False)
    assert result.exit_code == 2
    assert "lock holder file" in result.output and "symbolic link" in result.output
    assert target.read_text("utf-8") == "keep me"
    assert db.read_bytes() == before
    assert holder(db).is_symlink()  # left as it was: the clerk is told, nothing removed
    holder(db).unlink()
    filled("add", "名单", "李四")  # and the lock was let go


def test_a_link_at_the_journal_is_refused_before_the_change_is_saved(filled, db, tmp_path):
    target = tmp_path / "elsewhere.jsonl"
    journal_file = companion(db, ".journal.jsonl")
    target.write_bytes(journal_file.read_bytes())
    journal_file.unlink()
    journal_file.symlink_to(target)
    before, seen = db.read_bytes(), target.read_bytes()
    result = filled("add", "名单", "李四", ok=False)
    assert result.exit_code == 2 and "journal" in result.output and "symbolic link" in result.output
    assert target.read_bytes() == seen and db.read_bytes() == before
    assert filled("log", ok=False).exit_code == 2  # reading it is refused too


def test_a_link_at_the_ledger_is_refused_and_no_number_issued(filled, db, tmp_path):
    filled("register", "--issue")
    target = tmp_path / "other-ledger.json"
    target.write_bytes(ledger(db).read_bytes())
    ledger(db).unlink()
    ledger(db).symlink_to(target)
    filled("add", "名单", "李四")
    before, seen = db.read_bytes(), target.read_bytes()
    result = filled("register", "--issue", ok=False)
    assert result.exit_code == 2 and "certificate ledger" in result.output
    assert "symbolic link" in result.output
    assert db.read_bytes() == before and target.read_bytes() == seen
    assert ledger(db).is_symlink()


def test_a_link_at_the_overrides_beside_the_database_is_refused(filled, db, tmp_path):
    target = tmp_path / "planted.txt"
    target.write_text("王 笔画 99\n", "utf-8")
    companion(db, ".overrides.txt").symlink_to(target)
    result = filled("list", "名单", ok=False)
    assert result.exit_code == 2 and "override file" in result.output
    assert "symbolic link" in result.output


def test_the_users_own_override_file_may_be_a_link(filled, db, tmp_path):
    """The config folder's file is the user's, often a link into a dotfiles folder."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "honours"
    config.mkdir(parents=True)
    kept = tmp_path / "dotfiles-overrides.txt"
    kept.write_text("", "utf-8")
    (config / "overrides.txt").symlink_to(kept)
    filled("list", "名单")


def test_a_linked_database_is_saved_into_the_file_it_points_to(honours, db, tmp_path):
    """The database path the user gives may be a link the user made (a synced
    folder): it is resolved once, the real file is replaced, the link stays a link,
    and the companions live beside the real file."""
    synced = tmp_path / "synced"
    synced.mkdir()
    real = synced / "roll.json"
    db.symlink_to(real)
    honours("category", "add", "名单")
    honours("add", "名单", "马罡")
    assert db.is_symlink() and real.is_file() and not real.is_symlink()
    assert (synced / "roll.journal.jsonl").is_file()
    assert "马罡" in real.read_text("utf-8")


def test_a_linked_backup_is_never_listed_or_restored(filled, db, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_bytes(db.read_bytes())
    planted = db.with_name("roll.backups") / "honours-20990101-000000-000000-add.json"
    planted.symlink_to(outside)
    listed = filled("backup", "list").output
    assert planted.name not in listed
    assert filled("backup", "restore", planted.name, "--yes", ok=False).exit_code == 2


# --------------------------------------------------------------------------- FIFOs and devices


def test_a_fifo_at_the_journal_is_refused_at_once(filled, db):
    journal_file = companion(db, ".journal.jsonl")
    journal_file.unlink()
    os.mkfifo(journal_file)
    before = db.read_bytes()
    with at_most(10):
        result = filled("add", "名单", "李四", ok=False)
        assert filled("log", ok=False).exit_code == 2
        assert filled("undo", ok=False).exit_code == 2
    assert result.exit_code == 2 and "named pipe" in result.output
    assert db.read_bytes() == before


def test_a_fifo_at_the_lock_holder_is_refused_at_once(filled, db):
    os.mkfifo(holder(db))
    before = db.read_bytes()
    with at_most(10):
        result = filled("add", "名单", "李四", ok=False)
    assert result.exit_code == 2 and "lock holder file" in result.output
    assert "named pipe" in result.output and db.read_bytes() == before


def test_a_fifo_at_the_ledger_is_refused_at_once_and_no_number_issued(filled, db):
    os.mkfifo(ledger(db))
    before = db.read_bytes()
    with at_most(10):
        result = filled("register", "--issue", ok=False)
        assert filled("register", ok=False).exit_code == 2
    assert result.exit_code == 2 and "certificate ledger" in result.output
    assert "named pipe" in result.output
    assert db.read_bytes() == before and numbers(db) == []


def test_a_fifo_as_the_database_or_given_to_find_is_refused_at_once(honours, tmp_path):
    fifo = tmp_path / "roll.json"
    os.mkfifo(fifo)
    with at_most(10):
        listed = honours("category", "list", ok=False)
        found = honours("find", "马罡", "--in", str(fifo), ok=False)
    for result in (listed, found):
        assert result.exit_code == 2 and "named pipe" in result.output, result.output


def test_a_fifo_at_the_lock_file_is_refused(filled, db):
    lock = db.with_name(db.name + ".lock")
    lock.unlink()
    os.mkfifo(lock)
    before = db.read_bytes()
    with at_most(10):
        result = filled("add", "名单", "李四", ok=False)
    assert result.exit_code == 2 and "lock file" in result.output
    assert db.read_bytes() == before


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_not_read_into_memory(filled, db, tmp_path):
    """``--db``, ``find --in`` and the ledger at /dev/zero ended in MemoryError."""
    for args in (["--db", "/dev/zero", "category", "list"],
                 ["find", "马罡", "--in", "/dev/zero"]):
        result = filled.runner.invoke(filled_app(), args)
        assert result.exit_code == 2 and "a device" in result.output, (args, result.output)
    ledger(db).symlink_to("/dev/zero")
    result = filled("register", ok=False)
    assert result.exit_code == 2 and "symbolic link" in result.output


def filled_app():
    from honours.cli import app

    return app


# --------------------------------------------------------------------------- bounds


def test_every_companion_read_is_bounded(filled, db, monkeypatch):
    filled("register", "--issue")
    size = db.stat().st_size
    monkeypatch.setattr(files, "DATABASE_BYTES", size - 1)
    result = filled("category", "list", ok=False)
    assert result.exit_code == 2 and "larger than" in result.output
    assert "database" in result.output
    monkeypatch.setattr(files, "DATABASE_BYTES", size)
    filled("category", "list")

    monkeypatch.setattr(files, "LEDGER_BYTES", ledger(db).stat().st_size - 1)
    result = filled("register", ok=False)
    assert result.exit_code == 2 and "certificate ledger" in result.output
    assert "larger than" in result.output

    monkeypatch.setattr(files, "JOURNAL_BYTES", 10)
    result = filled("log", ok=False)
    assert result.exit_code == 2 and "journal" in result.output and "larger than" in result.output
    before = db.read_bytes()
    result = filled("add", "名单", "李四", ok=False)  # found before the save, not after it
    assert result.exit_code == 2 and "larger than" in result.output
    assert "was saved" not in result.output and db.read_bytes() == before


def test_a_database_of_too_many_values_is_refused_before_it_is_parsed(filled, db, monkeypatch):
    """64 MiB of ``"a",`` parsed into 1.5 GB before it was refused; the values are
    counted first (a saved file and a hand-edited one alike)."""
    monkeypatch.setattr(files, "DATABASE_VALUES", 5)
    for edit in (False, True):
        if edit:
            hand_edit(db, '"name":"王芳"', '"name":"王芳 "')
        result = filled("category", "list", ok=False)
        assert result.exit_code == 2 and "more than 5 values" in result.output


def test_a_read_stops_at_its_limit_even_when_the_size_is_not_known(tmp_path):
    """A file that grows while read (or a size the system does not give) is read
    no further than its limit."""
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 100)
    assert files.read_regular_file(path, 100, "the test file") == b"x" * 100
    with pytest.raises(files.FileTooLarge) as refused:
        files.read_regular_file(path, 99, "the test file")
    assert refused.value.limit == 99 and refused.value.path == path


def test_the_primitive_refuses_with_fields(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(files.NotARegularFile) as refused:
        files.read_regular_file(fifo, 10, "the test file")
    assert refused.value.kind == files.FIFO and refused.value.path == fifo
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    with pytest.raises(files.NotARegularFile) as refused:
        files.open_regular(link, "the test file", os.O_WRONLY | os.O_CREAT)
    assert refused.value.kind == files.LINK
    with pytest.raises(files.NotARegularFile) as refused:  # a FIFO nobody reads, to write
        files.write_regular_file(fifo, b"x", "the test file")
    assert refused.value.kind == files.FIFO


# --------------------------------------------------------------------------- duplicate keys


def hand_edit(db: Path, old: str, new: str) -> None:
    text = db.read_text("utf-8")
    assert old in text
    db.write_text(text.replace(old, new, 1), "utf-8")


def test_a_record_id_given_twice_is_refused_never_dropped(filled, db):
    hand_edit(db, '"2": {"category":1,"name":"王芳"', '"1": {"category":1,"name":"王芳"')
    before = db.read_bytes()
    for args in (("list", "名单"), ("add", "名单", "李四")):
        result = filled(*args, ok=False)
        assert result.exit_code == 2, args
        assert 'same key more than once: "1" twice in "winners"' in result.output
        assert "doctor" in result.output
    assert db.read_bytes() == before  # both 马罡 and 王芳 are still in the file
    doctor = "".join(filled("doctor", ok=False).output.replace("│", "").split())
    assert "samekeymorethanonce" in doctor
    with pytest.raises(DuplicateKeys) as refused:
        Store(db).snapshot()
    assert refused.value.duplicates == [(("winners",), "1")]


def test_a_field_given_twice_in_a_record_is_refused(filled, db):
    hand_edit(db, '"name":"王芳"', '"name":"王芳","name":"王芳芳"')
    result = filled("add", "名单", "李四", ok=False)
    assert result.exit_code == 2
    assert '"name" twice in "winners" → "2"' in result.output
    assert duplicate_keys(db.read_bytes()) == [(("winners", "2"), "name")]


def test_a_backup_with_a_key_twice_is_not_restored(filled, db):
    backups = sorted(db.with_name("roll.backups").glob("honours-*.json"))
    chosen = backups[-1]
    text = chosen.read_text("utf-8")
    chosen.write_text(text.replace('"categories": {', '"categories": {\n "1": {},', 1), "utf-8")
    before = db.read_bytes()
    result = filled("backup", "restore", chosen.name, "--yes", ok=False)
    assert result.exit_code == 2 and "same key more than once" in result.output
    assert db.read_bytes() == before


def test_a_file_without_keys_twice_has_none(filled, db):
    assert duplicate_keys(db.read_bytes()) == []
    assert duplicate_keys(b"not json") == []


# --------------------------------------------------------------------------- temp files


def dead_pid() -> int:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def test_a_ledger_temp_file_left_by_a_kill_is_swept_by_a_later_save(filled, db):
    filled("register", "--issue")
    left = db.with_name(f".{ledger(db).name}.{dead_pid()}-0badcafe.tmp")
    left.write_bytes(b'{"half": ')
    running = db.with_name(f".{ledger(db).name}.{os.getpid()}-0badcafe.tmp")
    running.write_bytes(b"")  # a live writer's: kept
    foreign = db.with_name(f".notes.txt.{dead_pid()}-0badcafe.tmp")
    foreign.write_bytes(b"")  # not a companion: not ours to remove
    filled("add", "名单", "李四")  # writes the database, not the ledger
    assert not left.exists()
    assert running.exists() and foreign.exists()


# --------------------------------------------------------------------------- permissions


def test_a_read_only_ledger_is_obeyed(filled, db, tmp_path):
    filled("register", "--issue")
    filled("add", "名单", "李四")
    ledger(db).chmod(0o444)
    before, kept = db.read_bytes(), ledger(db).read_bytes()
    out = tmp_path / "名册.csv"
    for args in (["register", "--issue"], ["register", "-o", str(out)],
                 ["remove", "名单", "马罡"]):
        result = filled(*args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert "certificate ledger" in result.output and "read-only" in result.output
        assert db.read_bytes() == before and ledger(db).read_bytes() == kept
    assert not out.exists()
    assert stat_mode(ledger(db)) == 0o444
    filled("add", "名单", "赵六")  # a change that leaves the ledger alone still runs


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# --------------------------------------------------------------------------- the journal line


def test_a_saved_change_whose_journal_line_failed_is_reported_as_saved(filled, db, monkeypatch):
    def disk_full(store, entry):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal, "_append", disk_full)
    before = len(companion(db, ".journal.jsonl").read_text("utf-8").splitlines())
    result = filled("add", "名单", "李四")
    assert result.exit_code == 0
    assert "added" in result.output  # the command's own report
    assert "warning" in result.output and "The change was saved" in result.output
    assert "undo" in result.output and "disk is full" in result.output
    assert "李四" in {w["name"] for w in Store(db).snapshot().table("winners").all()}
    assert len(companion(db, ".journal.jsonl").read_text("utf-8").splitlines()) == before


def test_without_a_listener_the_unrecorded_change_is_an_error(filled, db, monkeypatch):
    """The library's own callers (no ``warn``) still hear of it, as an error that
    says the change was saved."""
    def disk_full(store, entry):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal, "_append", disk_full)
    store = Store(db)
    with pytest.raises(files.StoreError, match="The change was saved"):
        with journal.recorded_change(store, "add", ["add"]) as change:
            change.db.table("winners").insert({"category": 1, "name": "李四"})
    assert "李四" in db.read_text("utf-8")


def test_journal_lines_cut_short_by_a_crash_still_start_afresh(filled, db):
    journal_file = companion(db, ".journal.jsonl")
    with journal_file.open("ab") as cut:
        cut.write(b'{"number": 9')
    filled("add", "名单", "李四")
    lines = journal_file.read_text("utf-8").splitlines()
    assert json.loads(lines[-1])["changes"]
    assert lines[-2] == '{"number": 9'


# --------------------------------------------------------------------------- kills


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_a_kill_while_the_ledger_is_written_leaves_nothing_a_later_add_keeps(tmp_path):
    """``register --issue`` killed at random moments (the ledger's temporary file,
    its check and its rename, the database's save): the roll holds the state before
    or after, every held number is in the ledger, and a later ``add`` (which
    writes the database, not the ledger) sweeps every temporary file left."""
    from .test_kill import check_numbers, delays, no_temporary_files, run, timed, winners

    db = tmp_path / "roll.json"
    base = ["--db", str(db)]
    assert run([*base, "category", "add", "名单"]) == 0
    assert run([*base, "add", "名单", *[f"初始{i:04d}" for i in range(400)]]) == 0
    duration = timed([*base, "register", "--issue"])
    for step, delay in enumerate(delays(duration, 24)):
        assert run([*base, "add", "名单", *[f"待发{step:02d}{i:03d}" for i in range(200)]]) == 0
        before = db.read_bytes()
        run([*base, "register", "--issue"], delay)
        check_numbers(db)
        if db.read_bytes() != before:
            assert all(w.get("certificate") for w in winners(db))
        assert run([*base, "add", "名单", f"收尾{step:02d}"]) == 0
        assert no_temporary_files(tmp_path) == []
        check_numbers(db)


def test_doctor_reports_a_fifo_at_the_overrides_without_waiting_on_it(filled, db):
    os.mkfifo(companion(db, ".overrides.txt"))
    with at_most(10):
        result = filled("doctor", ok=False)
        listed = filled("list", "名单", ok=False)
    assert result.exit_code == 1
    assert "namedpipe" in "".join(result.output.replace("│", "").split())
    assert listed.exit_code == 2 and "named pipe" in listed.output


def test_a_linked_backup_folder_is_never_written_pruned_or_swept(filled, db, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".keep.tmp").write_bytes(b"not ours")
    (elsewhere / "honours-20000101-000000-000000-add.json").write_bytes(b"not ours either")
    backups = db.with_name("roll.backups")
    for backup in backups.iterdir():
        backup.unlink()
    backups.rmdir()
    backups.symlink_to(elsewhere)
    before = db.read_bytes()
    for args in (("add", "名单", "李四"), ("backup", "list")):
        result = filled(*args, ok=False)
        assert result.exit_code == 2 and "backup folder" in result.output, args
        assert "symbolic link" in result.output
    assert db.read_bytes() == before
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        ".keep.tmp", "honours-20000101-000000-000000-add.json"]


def test_new_year_copies_the_overrides_only_from_a_regular_file(filled, db, tmp_path):
    target = tmp_path / "planted.txt"
    target.write_text("王 笔画 99\n", "utf-8")
    companion(db, ".overrides.txt").symlink_to(target)
    result = filled("new-year", "--yes", ok=False)
    assert "symbolic link" in " ".join(result.output.split())
    assert not [p for p in tmp_path.iterdir()
                if p.name.endswith(".overrides.txt") and not p.is_symlink()]


def test_a_ledger_giving_a_number_twice_is_refused_never_dropped(filled, db):
    filled("register", "--issue")
    path = ledger(db)
    text = path.read_text("utf-8")
    first = json.loads(text)["numbers"]
    number, record = next(iter(first.items()))
    line = json.dumps(number, ensure_ascii=False) + ":" + json.dumps(record, ensure_ascii=False)
    path.write_text(text.replace('"numbers":{', '"numbers":{' + line + ",", 1)
                    if '"numbers":{' in text else text.replace(
                        '"numbers": {', '"numbers": {' + line + ",", 1), "utf-8")
    edited = path.read_bytes()
    assert edited.count(number.encode()) > text.count(number)
    filled("add", "名单", "刘振")
    result = filled("register", "--issue", ok=False)
    assert result.exit_code != 0 and "more than once" in " ".join(result.output.split())
    assert path.read_bytes() == edited


def test_a_named_pipe_given_to_read_never_blocks(tmp_path):
    """A FIFO nothing writes to, given to import, check or sort, reads as empty at
    once (it blocked for ever in open); a pipe with a writer reads as usual."""
    from .conftest import run_cli

    fifo = tmp_path / "list.txt"
    os.mkfifo(fifo)
    db = str(tmp_path / "r.json")
    for command in (["import", str(fifo)], ["check", str(fifo)], ["sort", str(fifo)]):
        result = run_cli("--db", db, *command, timeout=30)
        assert result.returncode in (0, 2), result.stderr
        assert "unexpected" not in result.stderr
    reading, writing = os.pipe()  # what <(command) gives: a pipe with its writer
    os.write(writing, "王芳\n马罡\n".encode())
    os.close(writing)
    try:
        with files.open_input(Path(f"/dev/fd/{reading}")) as stream:
            assert stream.read().decode() == "王芳\n马罡\n"
    finally:
        os.close(reading)
