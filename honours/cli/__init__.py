"""The ``honours`` command line: thin commands over the roll, the store and the ordering core."""


import sys
from typing import Annotated

from ..i18n import language_from, set_language

# Help texts are translated when the command modules are imported: the language
# must be chosen first, from --lang, $HONOURS_LANG or the locale.
set_language(language_from(sys.argv))

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from .. import __version__  # noqa: E402
from ..errors import HonoursError  # noqa: E402
from ..i18n import LANGUAGES, _  # noqa: E402
from .common import fail, state  # noqa: E402
from .framework import translate_framework, translate_params  # noqa: E402

translate_framework()


class HonoursGroup(TyperGroup):
    """Turns the library's errors into a clear message and exit status 2, never a traceback."""

    def get_params(self, ctx):
        return translate_params(super().get_params(ctx))

    def make_context(self, info_name, args, parent=None, **extra):
        if parent is None:
            state.argv = list(args)  # the command as typed, for the journal
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HonoursError as error:
            raise fail(str(error)) from None


app = typer.Typer(
    cls=HonoursGroup,
    name="honours",
    help=_(
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


def _lang(value: str | None) -> str | None:
    if value is None:
        return None
    if value.strip().lower() not in LANGUAGES:
        raise typer.BadParameter(
            _("unknown language {value!r}; choose zh (中文) or en (English)").format(value=value)
        )
    set_language(value.strip().lower())
    return value


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help=_(
                "Database file. Default: $HONOURS_DB, else honours.json in the user data folder."
            ),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh|en",
            callback=_lang,
            is_eager=True,
            help=_(
                "Interface language: zh (Chinese) or en (English). Default: $HONOURS_LANG, "
                "else the locale (zh_* is Chinese), else English."
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version.")),
    ] = False,
) -> None:
    state.db_option = db


from . import backups, categories, history, imports, ordering, rolls, winners  # noqa: E402
from . import certificates as certificate_commands  # noqa: E402
from . import doctor as doctor_command  # noqa: E402

app.add_typer(categories.app, name="category")
app.add_typer(backups.app, name="backup")
app.add_typer(rolls.app_settings, name="settings")
winners.register(app)
rolls.register(app)
imports.register(app)
ordering.register(app)
backups.register(app)
history.register(app)
certificate_commands.register(app)
doctor_command.register(app)


def main() -> None:
    app()
