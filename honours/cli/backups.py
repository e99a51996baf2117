"""``honours backup …`` and ``honours info``: where the data is and how to get it back."""


from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from .common import confirm, console, escape, note, override_files, state, store

app = typer.Typer(help=_("List and restore the database's backups."), no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.command(
        "info",
        help=_("Print which database file is in use, its state, backups and override files."),
    )(info)


def info() -> None:
    from .. import roll

    current = store()
    out = console()
    out.print(_("database: {path}").format(path=escape(str(current.path))))
    if not current.exists():
        out.print(_("  not created yet: the first change creates it"))
    else:
        db = current.snapshot()
        categories = roll.all_categories(db)
        winners = sum(roll.count_winners(db).values())
        size = current.path.stat().st_size
        out.print(
            "  "
            + ngettext("{count} category", "{count} categories", len(categories)).format(
                count=len(categories)
            )
            + _(", ")
            + ngettext("{count} winner", "{count} winners", winners).format(count=winners)
            + _(", ")
            + ngettext("{size:,} byte", "{size:,} bytes", size).format(size=size)
        )
    backups = current.list_backups()
    if backups:
        out.print(
            _("backups: {count}, newest {name}").format(count=len(backups), name=backups[0].name)
        )
    else:
        out.print(_("backups: {count}").format(count=0))
    from ..journal import journal_path, read_journal
    from ..ledger import LEDGER_SUFFIX, Ledger

    changes = len(read_journal(current))
    out.print(
        ngettext("journal: {path} ({count} change)", "journal: {path} ({count} changes)",
                 changes).format(path=escape(str(journal_path(current))), count=changes)
    )
    ledger_file = current.beside(LEDGER_SUFFIX)
    if ledger_file.exists():
        out.print(
            _("certificate ledger: {path} (highest serial issued: {serial})").format(
                path=escape(str(ledger_file)), serial=Ledger.load(current).highest)
        )
    else:
        out.print(_("certificate ledger: {path} (no number issued yet)").format(
            path=escape(str(ledger_file))))
    _series_section(current)
    for path in override_files():
        state = _("in use") if path.is_file() else _("absent")
        out.print(_("overrides: {path} ({state})").format(path=escape(str(path)), state=state))


def _series_section(current) -> None:
    """The number series of the roll's folder (honours.series): the record, each
    series with its highest serial and its rolls, the roll's own marked."""
    from ..roll import settings
    from ..series import SeriesError, read_record, series_key, series_path

    out = console()
    path = series_path(current)
    try:
        entries = read_record(path)
    except SeriesError as error:
        out.print(_("number series: {path}").format(path=escape(str(path))))
        out.print("  " + escape(str(error)))
        return
    if entries is None:
        out.print(_("number series: {path} (not recorded yet: the first number issued in a "
                    "roll of this folder records its series)").format(path=escape(str(path))))
        return
    own = None
    if current.exists():
        values = settings(current.snapshot())
        own = series_key(values["certificate-pattern"], values["year"])
    out.print(_("number series: {path}").format(path=escape(str(path))))
    for key, entry in entries.items():
        rolls = "、".join(
            _("{roll} (highest {serial})").format(roll=roll, serial=serial) if serial else
            _("{roll} (none issued yet)").format(roll=roll)
            for roll, serial in entry.rolls.items()) or _("none")
        line = _("  {pattern}: highest serial {serial}; rolls: {rolls}").format(
            pattern=key.replace("\n", " "), serial=entry.highest, rolls=rolls)
        if key == own:
            line += _(" (this roll's series)")
        out.print(escape(line))
    if own is not None and own not in entries:
        out.print(escape(_("  this roll's series {pattern} is not recorded yet: its first "
                           "number issued records it").format(pattern=own)))


@app.command("list", help=_("List backups, newest first."))
def list_backups() -> None:
    backups = store().list_backups()
    if not backups:
        console().print(
            _("no backups yet: destructive commands keep one before they change data")
        )
        return
    from ..journal import journal_by_backup

    undoes = journal_by_backup(store())
    out = console()
    for backup in backups:
        entry = undoes.get(backup.name)
        what = (
            _("undoes #{number}: {summary}").format(number=entry.number, summary=entry.summary)
            if entry else _("taken before: {reason}").format(
                reason=vocabulary.BACKUP_REASONS.label(backup.reason))
        )
        # The name is what `backup restore` takes: on a line of its own, never shortened.
        out.print(f"[bold]{escape(backup.name)}[/]", no_wrap=True, overflow="ignore")
        out.print(
            "    " + _("{time}, {size} bytes; {what}").format(
                time=backup.created.strftime("%Y-%m-%d %H:%M:%S"), size=f"{backup.size:,}",
                what=escape(what),
            )
        )


def _complete_backup(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Backup names starting with what was typed, newest first, with when and why."""
    try:
        from ..paths import resolve_db_path
        from ..storage import Store

        current = Store(resolve_db_path(ctx.find_root().params.get("db")))
        return [
            (backup.name, "{time} {reason}".format(
                time=backup.created.strftime("%Y-%m-%d %H:%M"),
                reason=vocabulary.BACKUP_REASONS.label(backup.reason)))
            for backup in current.list_backups() if backup.name.startswith(incomplete)
        ]
    except Exception:  # completion must never print a traceback into the shell
        return []


def _check_backup_settings(chosen) -> None:
    """A backup whose settings `settings set` would refuse (a certificate pattern
    that hangs issuing) is refused before anything is restored; a backup that cannot
    be read is left to the restore, which says why in its own words."""
    from ..roll import check_settings
    from ..storage import Store, StoreError

    try:
        db = Store(chosen.path).snapshot()
    except StoreError:
        return
    check_settings(db, _("The backup {name}").format(name=chosen.name))


@app.command(
    "restore",
    help=_("Replace the database with a backup (the current file is backed up first)."),
)
def restore(
    name: Annotated[str, typer.Argument(
        metavar="NAME", autocompletion=_complete_backup,
        help=_("Backup name as listed by `honours backup list` "
               "(honours-20241205-103000-…-edit.json)."))],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("Restore without asking (for scripts)."))
    ] = False,
    allow_broken: Annotated[
        bool, typer.Option("--allow-broken", help=_(
            "Restore a backup whose records do not make a roll (the one taken before "
            "`doctor --repair`); every command but doctor refuses it until "
            "`honours doctor --repair` mends it."))
    ] = False,
) -> None:
    from ..journal import Change, changes_after, command_line

    current = store()
    current.check_writable()
    chosen = current.find_backup(name)
    _check_backup_settings(chosen)
    dropped = changes_after(current, chosen)
    if dropped:
        note(
            ngettext(
                "Restoring {name} drops {count} later change:",
                "Restoring {name} drops {count} later changes:",
                len(dropped),
            ).format(name=chosen.name, count=len(dropped))
        )
        for entry in dropped:
            note(f"  #{entry.number} {entry.time.replace('T', ' ')} {entry.summary}")
        note(_("(certificate numbers issued by them stay used; `honours undo` takes the "
               "restore back)"))
    confirm(_("Restore {name}?").format(name=chosen.name), yes)
    hooks = Change(store=current, command=command_line(state.argv))
    hooks.describe(
        ngettext(
            "restored backup {name}, dropping {count} later change",
            "restored backup {name}, dropping {count} later changes",
            len(dropped),
        ).format(name=chosen.name, count=len(dropped))
    )
    from .history import numbers_held, report_numbers_set_aside

    before = numbers_held()
    restored = current.restore(chosen.name, hooks, allow_broken=allow_broken)
    console().print(
        _("restored {name} into {path}").format(
            name=escape(restored.name), path=escape(str(current.path))
        )
    )
    if restored.problems:  # brought back broken: the roll cannot be read for its numbers
        from .doctor import warn_brought_back_broken

        warn_brought_back_broken(restored.problems)
        return
    report_numbers_set_aside(before)
