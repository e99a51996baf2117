"""``honours backup …`` and ``honours info``: where the data is and how to get it back."""


from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import console, escape, override_files, store

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
    for path in override_files():
        state = _("in use") if path.is_file() else _("absent")
        out.print(_("overrides: {path} ({state})").format(path=escape(str(path)), state=state))


@app.command("list", help=_("List backups, newest first."))
def list_backups() -> None:
    from rich.table import Table

    backups = store().list_backups()
    if not backups:
        console().print(
            _("no backups yet: destructive commands keep one before they change data")
        )
        return
    table = Table()
    # The name is what `backup restore` takes: never shorten it.
    table.add_column(_("name"), min_width=max(len(b.name) for b in backups), no_wrap=True)
    for column in (_("taken"), _("reason"), _("size")):
        table.add_column(column)
    for backup in backups:
        table.add_row(
            backup.name, backup.created.strftime("%Y-%m-%d %H:%M:%S"), backup.reason,
            f"{backup.size:,}",
        )
    console().print(table)


@app.command(
    "restore",
    help=_("Replace the database with a backup (the current file is backed up first)."),
)
def restore(
    name: Annotated[str, typer.Argument(help=_("Backup name as listed by `honours backup list`."))],
) -> None:
    restored = store().restore(name)
    console().print(
        _("restored {name} into {path}").format(
            name=escape(restored.name), path=escape(str(store().path))
        )
    )
