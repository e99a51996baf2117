"""``honours log`` and ``honours undo``: what changed, and taking it back."""


from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import console, escape, note, state, store, warn


def register(app: typer.Typer) -> None:
    app.command(
        "log",
        help=_(
            "List the recorded changes, newest first: number, time, the command as typed "
            "and what it changed. `honours undo` takes back the newest."
        ),
    )(log)
    app.command(
        "undo",
        help=_(
            "Take back the last change (or the last N): the database returns to what it "
            "was before them. The undo is itself a change: recorded, and undone by another "
            "`honours undo`. Certificate numbers issued stay used."
        ),
    )(undo)


def log(
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=0, help=_("Show at most this many changes (0: all).")),
    ] = 20,
) -> None:
    from ..journal import read_journal

    current = store()
    entries = list(reversed(read_journal(current)))
    if not entries:
        console().print(_("no changes recorded yet"))
        return
    kept = {backup.name for backup in current.list_backups()}
    shown = entries if limit == 0 else entries[:limit]
    out = console()
    for entry in shown:
        undoable = entry.created or (entry.backup in kept)
        mark = "" if undoable else _(" (can no longer be undone: its backup was pruned)")
        out.print(
            f"[bold]#{entry.number}[/] [dim]{escape(entry.time.replace('T', ' '))}[/] "
            f"{escape(entry.command)}{escape(mark)}"
        )
        for line in entry.changes:
            out.print(f"    {escape(line)}")
    if len(shown) < len(entries):
        note(
            ngettext(
                "{count} older change not shown (--limit 0 shows all)",
                "{count} older changes not shown (--limit 0 shows all)",
                len(entries) - len(shown),
            ).format(count=len(entries) - len(shown))
        )


def undo(
    count: Annotated[
        int,
        typer.Argument(metavar="[N]", min=1, help=_("How many of the last changes (default 1).")),
    ] = 1,
    allow_broken: Annotated[
        bool, typer.Option("--allow-broken", help=_(
            "Undo even when it brings back records that do not make a roll (undoing "
            "`doctor --repair`); every command but doctor refuses them until "
            "`honours doctor --repair` mends them."))
    ] = False,
) -> None:
    from ..journal import undo as undo_changes

    current = store()
    before = numbers_held()
    undone, recorded = undo_changes(current, count, state.argv, allow_broken=allow_broken)
    out = console()
    for entry in undone:
        out.print(
            _("undid #{number}: {summary}").format(
                number=entry.number, summary=escape(entry.summary)
            )
        )
    if recorded.problems:  # brought back broken: the roll cannot be read for its numbers
        from .doctor import warn_brought_back_broken

        warn_brought_back_broken(recorded.problems)
    else:
        report_numbers_set_aside(before)
    if recorded.entry is not None:
        note(
            _("recorded as change #{number}; `honours undo` takes it back").format(
                number=recorded.entry.number
            )
        )


def numbers_held() -> set[str]:
    from ..ledger import held_numbers
    from ..storage import InconsistentDatabase

    current = store()
    try:
        return held_numbers(current.snapshot()) if current.exists() else set()
    except InconsistentDatabase:  # records that do not make a roll: going back mends them
        return set()


def report_numbers_set_aside(before: set[str]) -> None:
    """Say which certificate numbers no winner holds after going back (they stay
    used), and every number the state brought back holds against the ledger (held
    for someone else, twice, or unknown to it): never issued again, never printed."""
    from ..ledger import Ledger, LedgerError
    from .numbers import audit_store, warn_state

    current = store()
    if current.exists():
        try:
            ledger = Ledger.load(current)
        except LedgerError as error:
            warn(str(error))
        else:
            warn_state(audit_store(current, current.snapshot(), ledger), ledger.path)
    gone = sorted(before - numbers_held())
    if gone:
        from ..ledger import describe_numbers

        note(
            _("certificate numbers no longer on any winner: {numbers}; they stay used "
              "and are never issued again (`honours register --revoked`)").format(
                numbers=describe_numbers(gone))
        )
