"""What every command module shares: the database in use, consoles, errors, overrides."""


import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from .. import paths
from ..errors import os_reason
from ..files import open_input
from ..i18n import _
from ..paths import resolve_db_path


class State:
    """Global options, set by the root callback."""

    db_option: str | None = None
    argv: list[str] | None = None  # the arguments as typed, for the journal


state = State()


def examples(*commands: str) -> str:
    """An "Examples:" block for a command's help, kept as written (\\b: Click does
    not rewrap it)."""
    heading = _("Examples:")
    lines = "\n".join(f"  {command}" for command in commands)
    return f"\n\n\b\n{heading}\n{lines}"


def console(stderr: bool = False):
    from rich.console import Console

    # soft_wrap: long lines (category paths) are not broken when output is piped.
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def db_path() -> Path:
    return resolve_db_path(state.db_option)


def store():
    """The database in use (imported on demand: `sort` and `--help` never need it)."""
    from ..integrity import check
    from ..storage import Store

    return Store(db_path(), announce=note, missing_ok=False, validate=check,
                 waiting=lock_wait, warn=warn)


@contextmanager
def lock_wait(holder):
    """While another process holds the database: a spinner on a terminal with the
    time waited and who holds it; elsewhere (a log, a script) one line."""
    out = console(stderr=True)

    def message(seconds: float, who) -> str:
        if who is None:
            return _("waiting for the database, {seconds} s: another honours command "
                     "is using it").format(seconds=int(seconds))
        command = who.command if len(who.command) <= 40 else who.command[:39] + "…"
        return _("waiting for the database, {seconds} s: process {pid} is using it "
                 "({command})").format(seconds=int(seconds), pid=who.pid, command=command)

    if not out.is_terminal:
        note(message(0, holder))
        yield lambda seconds, who: None
        return
    with out.status(escape(message(0, holder))) as status:
        yield lambda seconds, who: status.update(escape(message(seconds, who)))


def refuse_existing(path: str | Path | None, force: bool) -> None:
    """Refuse an output file that exists, without --force, before any work (a
    100,000-winner register takes seconds to make); the write checks again.
    Nothing to refuse for no file or ``-`` (standard output)."""
    if path is not None and str(path) != "-" and not force and Path(path).exists():
        raise fail(_("{path} exists; add --force to replace it").format(path=path))


def guard_output(path: Path) -> None:
    """Refuse to write an export, a register or certificates over the database in
    use or one of its files, even with --force."""
    if str(path) != "-" and (store().owns(Path(path)) or _is_series_record(Path(path))):
        raise fail(
            _("{path} is the database in use or one of its files (backups, journal, "
              "ledger); write the output elsewhere").format(path=path)
        )


def _is_series_record(path: Path) -> bool:
    """Whether ``path`` is the number series record of the roll's folder."""
    from ..series import series_path

    return Path(os.path.realpath(path)) == series_path(store())


def change(reason: str, create: bool = False):
    """A transaction recorded in the journal and backed up first, so it can be undone
    (``reason`` names the backup); only a change that may ``create`` the database
    runs when it does not exist yet."""
    from ..journal import recorded_change

    return recorded_change(store(), reason, state.argv, create=create)


def confirm(question: str, yes: bool) -> None:
    """Ask before a step that drops or changes recorded work; ``--yes`` answers for scripts.
    Without a terminal to ask on, refuse rather than guess."""
    if yes:
        return
    if not is_interactive():
        raise fail(_("{question} Add --yes to go ahead without being asked.").format(
            question=question))
    if not typer.confirm(question, default=False):
        raise fail(_("nothing was changed"), code=1)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as an error and return the exit to raise."""
    label = _("error:")
    console(stderr=True).print(f"[bold red]{label}[/]{_gap(label)}{escape(message)}")
    return typer.Exit(code)


def note(message: str) -> None:
    console(stderr=True).print(message, markup=False, highlight=False)


def warn(message: str) -> None:
    label = _("warning:")
    console(stderr=True).print(f"[yellow]{label}[/]{_gap(label)}{escape(message)}")


def _gap(label: str) -> str:
    """A space after "error:", none after the full-width "错误：" (it has its own width)."""
    return "" if label.endswith("：") else " "


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def override_files() -> list[Path]:
    return paths.override_files(db_path())


def activate_overrides() -> list[Path]:
    """Load the user's character overrides into the ordering core; returns the files used."""
    from ..collation import OverrideError, Overrides, parse_overrides, use_overrides

    used, strokes, readings = [], {}, {}
    for path in override_files():
        try:
            text = paths.read_override_file(path)
            if text is None:
                continue
            parsed = parse_overrides(text, origin=str(path))
        except (OSError, UnicodeDecodeError) as error:
            raise fail(
                _("cannot read the override file {path}: {error}").format(path=path, error=error)
            ) from None
        except OverrideError as error:
            raise fail(str(error)) from None
        strokes.update(parsed.strokes)
        readings.update(parsed.readings)
        used.append(path)
    if used:
        origin = ", ".join(map(str, used))
        use_overrides(Overrides(strokes=strokes, readings=readings, origin=origin))
    return used


def read_input(source: str | None) -> tuple[str, bytes]:
    """(origin, bytes) of FILE, or of standard input when FILE is omitted or ``-``."""
    if source in (None, "-"):
        if sys.stdin is None:
            raise fail(_("no input: give a FILE or pipe entries into standard input"))
        from ..readers import read_bounded

        if sys.stdin.isatty():  # a terminal waits for the clerk: say how to finish
            note(end_of_input_hint())
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        data = read_bounded(stream, _("standard input"))
        if isinstance(data, str):
            data = data.encode("utf-8")
        return _("standard input"), data
    from ..readers import read_bounded

    try:
        with open_input(source) as stream:
            return source, read_bounded(stream, source)
    except OSError as error:
        raise fail(
            _("cannot read {file}: {error}").format(file=source, error=os_reason(error))
        ) from None


def end_of_input_hint() -> str:
    """How to end typed or pasted input on this system."""
    if sys.platform == "win32":
        return _("Type or paste the entries, then press Ctrl-Z and Enter to finish "
                 "(Ctrl-C cancels).")
    return _("Type or paste the entries, then press Ctrl-D on a new line to finish "
             "(Ctrl-C cancels).")


def read_text(source: str | None) -> str:
    """The text of FILE or standard input, decoded as ``honours import`` decodes:
    UTF-8 (with or without BOM), UTF-16 with BOM or GB18030, as Excel and WPS
    save it."""
    from ..readers.encoding import decode

    origin, data = read_input(source)
    decoded = decode(data, origin)
    if decoded.damage:
        warn(decoded.damage)
    return decoded.text


def is_interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and not os.environ.get("CI")


#: ``--encoding`` of the commands that read text files (import, sort, check).
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding", metavar="NAME",
        help=_("The text file's encoding (gb18030, big5, utf-16 …) when the guess is wrong."),
    ),
]
