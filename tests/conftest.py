from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

# The tests read English messages: the in-process app translates its help texts
# when it is first imported, so the language is fixed before that import
# (tests/test_i18n.py runs the Chinese interface in subprocesses).
os.environ["HONOURS_LANG"] = "en"

from honours.cli import app  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user data and config folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("HONOURS_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("HONOURS_LANG", "en")


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "roll.json"


class Honours:
    """Runs ``honours --db DB …`` in-process through Typer's runner."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, ok: bool = True):
        result = self.runner.invoke(app, ["--db", str(self.db), *args], input=input)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"honours {' '.join(args)} exited {result.exit_code}:\n{result.output}"
                f"{result.exception!r}"
            )
        return result


@pytest.fixture
def honours(db) -> Honours:
    return Honours(db)


def honours_command() -> list[str]:
    """The installed console script, else ``python -m honours``."""
    script = shutil.which("honours", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "honours"]


def run_cli(*args: str, input: str | None = None, env: dict | None = None, **kwargs):
    """Run honours in a real subprocess."""
    return subprocess.run(
        [*honours_command(), *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        **kwargs,
    )


@pytest.fixture(scope="session")
def _jinshan_built(tmp_path_factory) -> Path:
    """The example roll, built once through the CLI by examples/jinshan-2024.sh."""
    folder = tmp_path_factory.mktemp("jinshan")
    wrapper = folder / "honours"
    wrapper.write_text("#!/bin/sh\nexec " + " ".join(honours_command()) + ' "$@"\n')
    wrapper.chmod(0o755)
    db = folder / "jinshan.json"
    result = subprocess.run(
        ["bash", str(REPO / "examples" / "jinshan-2024.sh"), str(db)],
        capture_output=True, text=True, env={**os.environ, "HONOURS": str(wrapper)},
    )
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def jinshan_db(_jinshan_built, tmp_path) -> Path:
    """A fresh copy of the example roll for one test."""
    db = tmp_path / "jinshan.json"
    shutil.copyfile(_jinshan_built, db)
    return db


def load_script(name: str):
    """A script of ``scripts/`` imported as a module, for tests that drive it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def terminal_output(monkeypatch, module, width: int, draw) -> str:
    """What ``draw()`` prints through ``module.console()``, on a plain console
    ``width`` columns wide (no colour, no highlighting, lines not wrapped)."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, highlight=False, soft_wrap=True,
                      color_system=None)
    monkeypatch.setattr(module, "console", lambda: console)
    draw()
    return console.file.getvalue()


def long_tables_in_full(monkeypatch) -> None:
    """Make every LongTable print as the rich Table it stands for (the reference
    its line-by-line writer is held to)."""
    from honours.render import terminal

    monkeypatch.setattr(terminal.LongTable, "__rich_console__",
                        lambda table, console, options: iter([table._full()]))
