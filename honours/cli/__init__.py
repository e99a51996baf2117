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
from ..errors import HonoursError, os_reason  # noqa: E402
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
        import click

        try:
            return super().invoke(ctx)
        except HonoursError as error:
            raise fail(str(error)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except OSError as error:  # a disk, a pipe or a file the system refused
            raise fail(_("{what}: {error}").format(
                what=error.filename or _("standard input or output"),
                error=os_reason(error))) from None
        except Exception as error:  # a bug: one line for the clerk, the details in a file
            raise fail(_unexpected(ctx, error), code=1) from None


def _unexpected(ctx, error: Exception) -> str:
    """Write the traceback to a report file and say where, in one sentence."""
    import tempfile
    import traceback
    from datetime import datetime
    from pathlib import Path

    command = " ".join(["honours", *(state.argv or [])])
    report = "".join(traceback.format_exception(error))
    try:
        from platformdirs import user_log_dir

        folder = Path(user_log_dir("honours", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / f"error-{datetime.now():%Y%m%d-%H%M%S}.txt"
    try:
        path.write_text(f"{command}\n\n{report}", encoding="utf-8")
        where = _("the details are in {path}").format(path=path)
    except OSError:
        where = _("the details could not be saved")
    return _(
        "{command} stopped on an unexpected error ({error}); nothing was changed by the "
        "unfinished step. {where}: please send that file to the maintainers."
    ).format(command=command, error=f"{type(error).__name__}: {error}"[:200], where=where)


_root = typer.Typer(
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


@_root.callback()
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


#: The command modules, in the order their commands are listed by --help, and
#: how each joins the root: as a group (module attribute, group name), or with
#: its ``register`` function (None).
_MODULES: tuple[tuple[str, tuple[str, str] | None], ...] = (
    ("categories", ("app", "category")),
    ("backups", ("app", "backup")),
    ("rolls", ("app_settings", "settings")),
    ("winners", None),
    ("rolls", None),
    ("imports", None),
    ("ordering", None),
    ("backups", None),
    ("history", None),
    ("years", None),
    ("counts", None),
    ("certificates", None),
    ("doctor", None),
)

#: The module of every top-level command and group.  Running one command imports
#: only its module (rich, the roll and the writers of the others stay unread: a
#: quarter of what `add` cost on a large roll went on imports); --help, completion
#: and a name not listed here load them all.  A test holds this table to the
#: commands the modules register.
COMMAND_MODULES = {
    "category": "categories",
    "backup": "backups",
    "settings": "rolls",
    **dict.fromkeys(("add", "remove", "edit", "move", "list"), "winners"),
    **dict.fromkeys(("show", "export", "register"), "rolls"),
    "import": "imports",
    **dict.fromkeys(("sort", "check", "explain"), "ordering"),
    "info": "backups",
    **dict.fromkeys(("log", "undo"), "history"),
    **dict.fromkeys(("new-year", "find", "history", "streaks"), "years"),
    **dict.fromkeys(("duplicates", "stats"), "counts"),
    "certificates": "certificates",
    "doctor": "doctor",
}

_loaded: set[tuple] = set()


def load_commands(modules: "set[str] | None" = None, root: typer.Typer | None = None,
                  ) -> typer.Typer:
    """Register the commands of ``modules`` (all by default) on ``root`` (the
    honours command), once each."""
    import importlib

    root = _root if root is None else root
    for name, group in _MODULES:
        if (modules is not None and name not in modules) or (root, name, group) in _loaded:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        if group is None:
            module.register(root)
        else:
            attribute, group_name = group
            root.add_typer(getattr(module, attribute), name=group_name)
        _loaded.add((root, name, group))
    return root


def command_named(arguments: list[str]) -> "str | None":
    """The command a command line runs, past the root's options (None: none named)."""
    taking_value = ("--db", "--lang")
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in taking_value:
            skip = True
        elif not argument.startswith("-"):
            return argument
        elif not argument.startswith(tuple(f"{option}=" for option in taking_value)):
            return None  # --help, --version, completion, or a mistake: all commands
    return None


def __getattr__(name: str):
    # `from honours.cli import app` (tests, embedding) gets every command.
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    # A command on a roll of 100,000 winners makes millions of objects and few
    # cycles: with Python's default threshold (700) the young-generation
    # collections alone took 15-25% of `show` and `register --issue` (measured
    # side by side, docs/benchmarks.md).  Collections stay on, 30 times rarer.
    import gc

    gc.set_threshold(20_000, 10, 10)
    import os

    name = None if os.environ.get("_HONOURS_COMPLETE") else command_named(sys.argv[1:])
    module = COMMAND_MODULES.get(name)
    load_commands(None if module is None else {module})()
