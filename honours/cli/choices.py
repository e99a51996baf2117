"""Options and arguments that take a value of a vocabulary (honours/vocabulary.py):
the English code or the Chinese word is accepted and turned into the code, and
shell completion offers the values (and category titles, for CATEGORY)."""


from collections.abc import Callable

import typer

from .. import vocabulary
from ..vocabulary import UnknownValue, Vocabulary
from .common import fail


def parsed(words: Vocabulary, allowed: tuple[str, ...] | None = None) -> Callable:
    """A Typer callback: the typed value as its code, or a clear error."""
    return _callback(lambda value: words.code(value, allowed))


def _callback(to_code: Callable[[str], str]) -> Callable:
    def callback(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return to_code(value)
        except UnknownValue as error:
            raise fail(str(error)) from None

    return callback


def completed(words: Vocabulary, allowed: tuple[str, ...] | None = None) -> Callable:
    """A Typer autocompletion: the values starting with what was typed, with their help."""

    def complete(incomplete: str) -> list[tuple[str, str]]:
        return words.completions(incomplete, allowed)

    return complete


def format_parsed(allowed: tuple[str, ...]) -> Callable:
    """A ``--format`` callback: 表格 → table, 文本 → text or txt, among ``allowed``."""
    return _callback(lambda value: vocabulary.format_code(value, allowed))


def complete_category(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Category titles and paths that start with what was typed (ids too, when typing
    digits), from the database named by --db on the line being completed, else the
    default one; nothing, quietly, when there is none or it cannot be read."""
    try:
        from .. import roll
        from ..paths import resolve_db_path
        from ..storage import Store

        path = resolve_db_path(ctx.find_root().params.get("db"))
        current = Store(path)
        if not current.exists():
            return []
        db = current.snapshot()
        found = []
        for category in roll.all_categories(db):
            full = roll.path_of(db, category)
            for spelling in (category.title, full, str(category.id)):
                if spelling.startswith(incomplete):
                    found.append((spelling, full if spelling != full else str(category.id)))
                    break
        return sorted(set(found))
    except Exception:  # completion must never print a traceback into the shell
        return []
