"""The interface language: Simplified Chinese or English, through gettext.

The language comes from ``--lang zh|en``, else ``$HONOURS_LANG``, else the
locale (``zh_*`` means Chinese), else English.  Messages are written in English
in the code and looked up in the compiled catalog
``honours/locale/zh_CN/LC_MESSAGES/honours.mo``.  The content of rolls,
registers and certificates is Chinese in both languages: it is the document,
not the interface.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

DOMAIN = "honours"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")
ENV_VAR = "HONOURS_LANG"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def language_from(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] = os.environ
) -> str:
    """``--lang`` in ``argv``, else ``$HONOURS_LANG``, else the locale, else English."""
    argv = list(argv or [])
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return _normalise(argv[index + 1])
        if arg.startswith("--lang="):
            return _normalise(arg.split("=", 1)[1])
    if environ.get(ENV_VAR):
        return _normalise(environ[ENV_VAR])
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _normalise(value: str) -> str:
    value = value.strip().lower().replace("-", "_")
    return "zh" if value.startswith("zh") or value == "cn" else "en"


def set_language(language: str) -> str:
    """Switch every later message to ``language`` (``zh`` or ``en``)."""
    global _translation, _language
    _language = _normalise(language)
    if _language == "zh":
        _translation = _gettext.translation(
            DOMAIN, localedir=str(LOCALE_DIR), languages=["zh_CN"], fallback=True
        )
    else:
        _translation = _gettext.NullTranslations()
    return _language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """The message in the interface language."""
    return _translation.gettext(message)


def at(where: str, problem: str) -> str:
    """A problem with its place: ``line 5: …``, in Chinese ``第 5 行：…``."""
    return _("{where}: {problem}").format(where=where, problem=problem) if where else problem


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated where it is used."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)
