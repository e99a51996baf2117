"""``honours doctor``: every check reports OK, WARNING or PROBLEM with what to do,
and nothing it does changes the database."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


@pytest.fixture(autouse=True)
def _wide_english(monkeypatch):
    # Wide enough that no path is folded over two lines of the table.
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.delenv("HONOURS_FONT_DIRS", raising=False)


def doctor(honours, *extra: str):
    return honours("--lang", "en", "doctor", *extra, ok=False)


def lines_with(output: str, word: str) -> list[str]:
    return [line for line in output.splitlines() if word in line]


def test_healthy_database_exits_0(honours, db):
    honours("category", "add", "市、区政协委员")
    before = db.read_bytes()
    result = doctor(honours)
    assert result.exit_code == 0, result.output
    assert "PROBLEM" not in result.output
    assert str(db) in result.output and "given with --db" in result.output
    assert lines_with(result.output, "Readable: 1 categories, 0 winners")[0].count("OK") == 1
    assert lines_with(result.output, "Schema version 1")
    assert lines_with(result.output, "Writable.")
    assert lines_with(result.output, "Not locked by another command.")
    assert lines_with(result.output, "MB free in")
    assert lines_with(result.output, "97,058 characters with a stroke count")
    assert lines_with(result.output, "English (en), given with --lang")
    assert db.read_bytes() == before
    # The writability probe leaves nothing behind.
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".")) == []


def test_database_not_created_yet_is_fine_and_stays_absent(honours, db):
    result = doctor(honours)
    assert result.exit_code == 0, result.output
    assert "Not created yet" in result.output
    assert not db.exists()


def test_database_from_environment(honours, db, monkeypatch):
    monkeypatch.setenv("HONOURS_DB", str(db))
    from typer.testing import CliRunner

    from honours.cli import app

    result = CliRunner().invoke(app, ["--lang", "en", "doctor"])
    assert result.exit_code == 0, result.output
    assert f"{db} (set by HONOURS_DB)" in result.output


def test_damaged_database_is_a_problem_and_left_untouched(honours, db):
    honours("category", "add", "市、区政协委员")
    damaged = db.read_bytes()[:-20]
    db.write_bytes(damaged)
    result = doctor(honours)
    assert result.exit_code == 1, result.output
    problem = lines_with(result.output, "PROBLEM")
    assert problem and str(db) in problem[0] and "damaged" in problem[0]
    assert "honours backup restore NAME" in result.output
    assert "1 problem(s)" in result.output
    assert db.read_bytes() == damaged


def test_newer_schema_is_a_problem(honours, db):
    db.write_text('{"_meta": {"1": {"application": "honours", "schema": 99}}}\n')
    result = doctor(honours)
    assert result.exit_code == 1
    assert "schema version 99" in result.output and "upgrade honours" in result.output


def test_bad_override_file_names_the_line(honours, db):
    honours("category", "add", "市、区政协委员")
    overrides = db.with_name(db.stem + ".overrides.txt")
    overrides.write_text("# my characters\n罡 10 25221\n", "utf-8")
    result = doctor(honours)
    assert result.exit_code == 1, result.output
    problem = lines_with(result.output, "PROBLEM")
    assert problem and f"{overrides}, line 2" in problem[0]
    assert "10 strokes but a sequence of 5" in problem[0]


def test_good_override_file_is_reported_in_use(honours, db):
    overrides = db.with_name(db.stem + ".overrides.txt")
    overrides.write_text("罡 10 2522112121\n罡 gāng\n", "utf-8")
    result = doctor(honours)
    assert result.exit_code == 0, result.output
    assert lines_with(result.output, "in use, 1 stroke entries and 1 readings")


def test_folder_that_is_a_file_is_a_problem(honours, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    honours.db = blocker / "roll.json"
    result = doctor(honours)
    assert result.exit_code == 1, result.output
    problem = lines_with(result.output, "PROBLEM")
    assert problem and str(blocker) in problem[0] and "not a folder" in problem[0]
    assert "--db PATH" in result.output
    assert blocker.read_text() == "x"


def test_read_only_folder_is_a_problem(honours, db):
    honours("category", "add", "市、区政协委员")
    before = db.read_bytes()
    db.parent.chmod(0o555)
    try:
        result = doctor(honours)
    finally:
        db.parent.chmod(0o755)
    assert result.exit_code == 1, result.output
    # Read from the mode bits, so root is told the same as anyone.
    assert lines_with(result.output, "is read-only")[0].count("PROBLEM") == 1
    assert db.read_bytes() == before


def test_missing_font_is_a_warning_with_the_install_hint(honours, db, tmp_path, monkeypatch):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(empty))
    result = doctor(honours)
    assert result.exit_code == 0, result.output
    warning = lines_with(result.output, "No font with Chinese characters")
    assert warning and "WARNING" in warning[0]
    assert "apt-get install fonts-arphic-ukai" in result.output
    assert "1 warning(s)" in result.output


def test_lock_held_by_another_process_is_a_warning(honours, db):
    honours("category", "add", "市、区政协委员")
    from honours.storage import Store

    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from filelock import FileLock
            lock = FileLock({str(Store(db).lock_path)!r})
            lock.acquire()
            print("held", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = doctor(honours)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert result.exit_code == 0, result.output
    warning = lines_with(result.output, "Another honours command is using the database")
    assert warning and "WARNING" in warning[0]
    # Released again: a change goes through at once.
    honours("category", "add", "其他反映人")


def test_backups_are_counted(honours, db):
    honours("category", "add", "市、区政协委员")
    honours("category", "add", "其他反映人")
    honours("category", "remove", "其他反映人")
    result = doctor(honours)
    assert result.exit_code == 0, result.output
    # Every change after the first keeps a backup (what `honours undo` restores).
    line = lines_with(result.output, "2 in ")
    assert line and "honours-" in line[0] and "OK" in line[0]
    assert lines_with(result.output, "The backup folder is writable.")


def test_language_from_environment(honours, monkeypatch):
    from typer.testing import CliRunner

    from honours import i18n
    from honours.cli import app

    monkeypatch.setenv("HONOURS_LANG", "en")
    i18n.set_language("en")
    result = CliRunner().invoke(app, ["--db", str(honours.db), "doctor"])
    assert "English (en), from HONOURS_LANG=en" in result.output


def test_sticky_folder_with_the_file_of_another_user_is_a_problem(honours, db, monkeypatch):
    """A save replaces the file by a rename, which a sticky folder (mode 1777, like
    /tmp) allows only to the file's owner, the folder's or root, whatever the
    file's mode: doctor says so by the writers' own rule, and a change is refused
    before any work with the same words (issue 24)."""
    import os

    honours("category", "add", "市、区政协委员")
    before = db.read_bytes()
    db.chmod(0o666)
    db.parent.chmod(0o1777)
    owner = db.stat().st_uid
    # Another user than the file's and the folder's owner (os.access still answers
    # for the real user, who may write the file: only the sticky rule refuses).
    try:
        with monkeypatch.context() as patched:
            patched.setattr(os, "geteuid", lambda: owner + 4242)
            result = doctor(honours)
            refused = honours("add", "市、区政协委员", "张三", ok=False)
    finally:
        db.parent.chmod(0o755)
    assert result.exit_code == 1, result.output
    problem = lines_with(result.output, "is sticky")
    assert problem and "PROBLEM" in problem[0], result.output
    assert not lines_with(result.output, "Writable.")
    assert refused.exit_code == 2 and "is sticky" in refused.output, refused.output
    assert db.read_bytes() == before


def test_sticky_folder_of_ones_own_file_is_writable(honours, db):
    honours("category", "add", "市、区政协委员")
    db.parent.chmod(0o1777)
    try:
        result = doctor(honours)
    finally:
        db.parent.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert lines_with(result.output, "Writable.")
