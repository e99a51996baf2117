"""The ``honours`` command line: thin commands over the roll, the store and the ordering core."""


from typing import Annotated

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import HonoursError
from .common import fail, state


class HonoursGroup(TyperGroup):
    """Turns the library's errors into a clear message and exit status 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HonoursError as error:
            raise fail(str(error)) from None


app = typer.Typer(
    cls=HonoursGroup,
    name="honours",
    help=(
        "Chinese honour rolls (光荣榜): award categories, winners, and lists in the "
        "official stroke or pinyin order."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"honours {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file. Default: $HONOURS_DB, else honours.json in the user data folder.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    state.db_option = db


from . import backups, categories, imports, ordering, rolls, winners  # noqa: E402  (register)
from . import certificates as certificate_commands  # noqa: E402

app.add_typer(categories.app, name="category")
app.add_typer(backups.app, name="backup")
app.add_typer(rolls.app_settings, name="settings")
winners.register(app)
rolls.register(app)
imports.register(app)
ordering.register(app)
backups.register(app)
certificate_commands.register(app)


def main() -> None:
    app()
