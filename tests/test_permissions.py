"""A database that must not be written stays byte-identical through every writing command,
as root and as an ordinary user; `doctor` says the same as the commands."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from honours import storage
from honours.storage import Store, write_refusal

from .conftest import REPO


def writing_commands(tmp_path: Path) -> list[list[str]]:
    source = tmp_path / "import.csv"
    source.write_text("姓名\n新人\n", "utf-8")
    return [
        ["add", "名单", "新人"],
        ["remove", "名单", "甲一"],
        ["edit", "名单", "甲一", "--note", "x"],
        ["move", "名单", "甲一", "--position", "2"],
        ["category", "add", "新类"],
        ["category", "edit", "名单", "--sort", "pinyin"],
        ["category", "move", "名单", "--top"],
        ["category", "remove", "名单", "--force"],
        ["import", str(source), "--into", "名单"],
        ["register", "--issue"],
        ["register", "-o", str(tmp_path / "名册.csv")],
        ["settings", "set", "issuer", "某单位"],
        ["certificates", "-o", str(tmp_path / "证书.docx")],
        ["undo"],
    ]


@pytest.fixture
def filled(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一", "乙二")
    return honours


def assert_all_refused(honours, db: Path, tmp_path: Path, said: str) -> None:
    before = db.read_bytes()
    backup = next(db.with_name("roll.backups").glob("*.json")).name
    for args in writing_commands(tmp_path) + [["backup", "restore", backup, "--yes"]]:
        result = honours(*args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert "cannot be changed" in result.output and said in result.output, args
        assert "Nothing was done" in result.output
        assert db.read_bytes() == before, args
    assert not (tmp_path / "名册.csv").exists() and not (tmp_path / "证书.docx").exists()


def test_a_read_only_file_is_refused_by_every_writing_command(filled, db, tmp_path):
    db.chmod(0o444)  # as root too: the mode bits decide
    assert_all_refused(filled, db, tmp_path, "read-only (mode 0444)")
    doctor = filled("doctor", ok=False)
    assert doctor.exit_code == 1
    assert "read-only (mode 0444)" in doctor.output and "Writable." not in doctor.output
    db.chmod(0o644)
    filled("add", "名单", "丙三")  # writable again: works at once
    assert "Writable." in filled("doctor", ok=False).output


def test_a_read_only_folder_is_refused(filled, db, tmp_path):
    db.parent.chmod(0o555)
    try:
        assert_all_refused(filled, db, tmp_path, "is read-only (mode 0555)")
        assert "(mode 0555)" in filled("doctor", ok=False).output
    finally:
        db.parent.chmod(0o755)


def test_a_read_only_file_system_is_refused(filled, db, tmp_path, monkeypatch):
    real = os.statvfs

    class ReadOnly:
        def __init__(self, path):
            self._real = real(path)
            self.f_flag = self._real.f_flag | os.ST_RDONLY

        def __getattr__(self, name):
            return getattr(self._real, name)

    monkeypatch.setattr(storage.os, "statvfs", ReadOnly)
    before = db.read_bytes()
    result = filled("add", "名单", "丙三", ok=False)
    assert result.exit_code == 2 and "read-only file system" in result.output
    assert db.read_bytes() == before
    doctor = filled("doctor", ok=False)
    assert "read-only file system" in doctor.output


def test_write_refusal_reads_the_mode_bits(tmp_path):
    target = tmp_path / "db.json"
    assert write_refusal(target) is None  # not created yet: the folder decides
    target.write_text("{}")
    target.chmod(0o444)
    assert "read-only" in write_refusal(target)
    target.chmod(0o644)
    assert write_refusal(target) is None
    with pytest.raises(storage.ReadOnlyDatabase):
        target.chmod(0o400)
        with Store(target).transaction():
            pass


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to run a command as another user")
def test_as_an_ordinary_user_a_read_only_file_stays_identical(honours):
    """The report of issue 11: `chmod 444 db.json; honours add …` changed the file,
    because a save replaces it by a rename in a writable folder."""
    nobody = 65534
    folder = Path(tempfile.mkdtemp(prefix="honours-perm-"))
    try:
        folder.chmod(0o777)
        db = folder / "db.json"
        honours.db = db
        honours("category", "add", "名单")
        honours("add", "名单", "甲一", "乙二")
        commands = writing_commands(folder)
        backup = next(db.with_name("db.backups").glob("*.json")).name
        commands.append(["backup", "restore", backup, "--yes"])
        for path in folder.rglob("*"):
            os.chown(path, nobody, nobody)
        db.chmod(0o444)
        before = db.read_bytes()
        env = {**os.environ, "HOME": str(folder), "HONOURS_LANG": "en",
               "XDG_CONFIG_HOME": str(folder / "config"),
               "XDG_DATA_HOME": str(folder / "data"), "PYTHONPATH": str(REPO)}

        def as_nobody():
            os.setgid(nobody)
            os.setuid(nobody)

        python = _python_for(nobody, as_nobody, env)

        for args in commands:
            result = subprocess.run(
                [python, "-m", "honours", "--db", str(db), *args],
                capture_output=True, text=True, env=env, preexec_fn=as_nobody,
                timeout=60, cwd=str(folder),
            )
            assert result.returncode == 2, (args, result.stdout, result.stderr)
            assert "read-only" in result.stderr
            assert db.read_bytes() == before
            assert stat.S_IMODE(db.stat().st_mode) == 0o444
        assert not (folder / "名册.csv").exists() and not (folder / "证书.docx").exists()
        doctor = subprocess.run(
            [python, "-m", "honours", "--db", str(db), "doctor"],
            capture_output=True, text=True, env=env, preexec_fn=as_nobody, timeout=60,
            cwd=str(folder),
        )
        assert doctor.returncode == 1 and "read-only" in doctor.stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _python_for(user: int, switch, env: dict) -> str:
    """An interpreter the other user may run: this one, or the system's of the same
    version with this one's packages (a pyenv under /root is closed to others)."""
    import site
    import sysconfig

    candidates = [sys.executable]
    system = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    if system:
        candidates.append(system)
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys, typer, tinydb, rich, pypinyin, filelock; "
                              "print(sys.version_info[:2])"],
            capture_output=True, text=True, env={
                **env, "PYTHONPATH": os.pathsep.join(
                    [str(REPO), *site.getsitepackages(), sysconfig.get_path("purelib")])},
            preexec_fn=switch, timeout=60,
        ) if _can_run(candidate, switch) else None
        if probe is not None and probe.returncode == 0 and probe.stdout.strip() == str(
                tuple(sys.version_info[:2])):
            env["PYTHONPATH"] = os.pathsep.join(
                [str(REPO), *site.getsitepackages(), sysconfig.get_path("purelib")])
            return candidate
    pytest.skip("no Python interpreter here that an ordinary user may run")


def _can_run(candidate: str, switch) -> bool:
    try:
        subprocess.run([candidate, "-c", "pass"], preexec_fn=switch, timeout=60,
                       capture_output=True)
    except OSError:
        return False
    return True
