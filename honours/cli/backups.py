"""``honours backup …`` and ``honours info``: where the data is and how to get it back."""


from typing import Annotated

import typer

from .common import console, escape, override_files, store

app = typer.Typer(help="List and restore the database's backups.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.command("info")(info)


def info() -> None:
    """Print which database file is in use, its state, backups and override files."""
    from .. import roll

    current = store()
    out = console()
    out.print(f"database: {escape(str(current.path))}")
    if not current.exists():
        out.print("  not created yet: the first change creates it")
    else:
        db = current.snapshot()
        categories = roll.all_categories(db)
        winners = sum(roll.count_winners(db).values())
        size = current.path.stat().st_size
        out.print(f"  {len(categories)} categories, {winners} winners, {size:,} bytes")
    backups = current.list_backups()
    out.print(f"backups: {len(backups)}" + (f", newest {backups[0].name}" if backups else ""))
    for path in override_files():
        state = "in use" if path.is_file() else "absent"
        out.print(f"overrides: {escape(str(path))} ({state})")


@app.command("list")
def list_backups() -> None:
    """List backups, newest first."""
    from rich.table import Table

    backups = store().list_backups()
    if not backups:
        console().print("no backups yet: destructive commands keep one before they change data")
        return
    table = Table()
    # The name is what `backup restore` takes: never shorten it.
    table.add_column("name", min_width=max(len(b.name) for b in backups), no_wrap=True)
    for column in ("taken", "reason", "size"):
        table.add_column(column)
    for backup in backups:
        table.add_row(
            backup.name, backup.created.strftime("%Y-%m-%d %H:%M:%S"), backup.reason,
            f"{backup.size:,}",
        )
    console().print(table)


@app.command("restore")
def restore(
    name: Annotated[str, typer.Argument(help="Backup name as listed by `honours backup list`.")],
) -> None:
    """Replace the database with a backup (the current file is backed up first)."""
    restored = store().restore(name)
    console().print(f"restored {escape(restored.name)} into {escape(str(store().path))}")
