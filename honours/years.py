"""One roll a year: which rolls there are, the year of each, and next year's roll.

Rolls of successive years are files side by side in one folder (the folder of
the roll in use: the user data folder by default, or wherever ``--db`` or
``HONOURS_DB`` points).  ``honours new-year`` writes the next one beside the
current one, named by its year: ``2024.json`` → ``2025.json``,
``roll2024.json`` → ``roll2025.json``, else ``NAME-2025.json``.

The next roll has the same category tree (titles, kinds, ordering rules,
measure words, columns, honours wording, author labels, quotas, exclusive
marks), the same settings, the year advanced everywhere it is written (the
year setting, the roll's title, the certificate date, category titles,
descriptions and honours: both the roll's year and the year before it move on,
so 2023—2024学年 becomes 2024—2025学年), and no winners.  Certificate numbers
restart when the pattern contains the year and continue the serial when it
does not (one series with the old roll: honours.series).  Pure planning here;
the command writes the file in one recorded transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tinydb import TinyDB

from .errors import HonoursError
from .i18n import _
from .people import category_paths
from .roll import (
    CATEGORIES,
    DEFAULT_SETTINGS,
    SETTINGS,
    check_certificate_pattern,
    stored_settings,
)

#: A year in a file name or a title: four digits, not part of a longer number.
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CHINESE_DIGITS = "〇一二三四五六七八九"
#: A year written in Chinese numerals: 二〇二四.
_CHINESE_YEAR = re.compile(r"(?<![〇零一二三四五六七八九十])[〇零一二三四五六七八九]{4}"
                           r"(?![〇零一二三四五六七八九十])")
#: Category fields whose text may hold the year.
_CATEGORY_TEXT = ("title", "description", "honour")
#: Settings whose text may hold the year (the year setting itself is set, not shifted).
_SETTING_TEXT = ("title", "date")
#: The folder's record of number series shared by its rolls (honours.series).
SERIES_NAME = "honours-series.json"
#: Files in a folder of rolls that are never rolls.
_NOT_ROLLS = (".ledger.json",)


class YearsError(HonoursError):
    """A roll cannot be made or found; the message says why."""


def year_in_name(path: Path) -> str | None:
    """The last year written in the file's name (roll2024.json → 2024), if any."""
    found = _YEAR.findall(Path(path).stem)
    return found[-1] if found else None


def roll_year(db: TinyDB, path: Path | None = None) -> str:
    """The roll's year: its year setting, else the year in its file name, else this year."""
    stored = stored_settings(db)["year"]
    if stored:
        return stored
    return (year_in_name(path) if path is not None else None) or str(datetime.now().year)


def next_roll_path(path: Path, new_year: int) -> Path:
    """Where next year's roll goes: beside ``path``, named by its year."""
    path = Path(path)
    stem = path.stem
    matches = list(_YEAR.finditer(stem))
    if matches:
        last = matches[-1]
        stem = f"{stem[:last.start()]}{new_year}{stem[last.end():]}"
    else:
        stem = f"{stem}-{new_year}"
    return path.with_name(stem + (path.suffix or ".json"))


def advance_years(text: str, year: int) -> str:
    """``text`` with ``year`` and the year before it moved on by one, in Arabic and
    in Chinese numerals (2024年度 → 2025年度, 二〇二四年 → 二〇二五年)."""
    if not text:
        return text
    moved = {str(year - 1): str(year), str(year): str(year + 1)}
    text = _YEAR.sub(lambda m: moved.get(m.group(), m.group()), text)

    def chinese(match: re.Match) -> str:
        written = match.group()
        digits = "".join(str(_CHINESE_DIGITS.index("〇" if c == "零" else c)) for c in written)
        if digits not in moved:
            return written
        return "".join(_CHINESE_DIGITS[int(d)] for d in moved[digits])

    return _CHINESE_YEAR.sub(chinese, text)


@dataclass(frozen=True)
class Advanced:
    """One text the new year changes: where, before and after."""

    where: str
    before: str
    after: str


@dataclass
class NextRoll:
    """Next year's roll, planned: nothing written yet."""

    source: Path
    target: Path
    year: int
    new_year: int
    categories: dict[int, dict]
    settings: dict[str, str]
    advanced: list[Advanced] = field(default_factory=list)
    #: The serial the new roll's numbers follow (None: they restart at 1).
    continue_serial: int | None = None
    pattern: str = ""


def plan_next_roll(db: TinyDB, source: Path, serial_so_far: int) -> NextRoll:
    """Next year's roll from ``db`` (the roll at ``source``); ``serial_so_far`` is the
    highest certificate serial the current roll and its ledger ever issued."""
    text = roll_year(db, source)
    if not (text.isdigit() and len(text) == 4):
        raise YearsError(_("the roll's year {year!r} is not four digits; set it with "
                           "`honours settings set year 2024`").format(year=text))
    year = int(text)
    new_year = year + 1
    advanced: list[Advanced] = []
    categories: dict[int, dict] = {}
    by_id = {doc.doc_id: doc for doc in db.table(CATEGORIES).all()}
    paths = category_paths(db)

    for doc_id, doc in sorted(by_id.items()):
        copied = dict(doc)
        for key in _CATEGORY_TEXT:
            value = copied.get(key)
            if isinstance(value, str) and value:
                changed = advance_years(value, year)
                if changed != value:
                    copied[key] = changed
                    advanced.append(Advanced(_field_place(key, paths[doc_id][0]), value, changed))
        categories[doc_id] = copied

    stored = db.table(SETTINGS).get(doc_id=1) or {}
    settings = {key: value for key, value in stored.items() if key in DEFAULT_SETTINGS}
    for key in _SETTING_TEXT:
        value = settings.get(key, "")
        changed = advance_years(value, year)
        if changed != value:
            settings[key] = changed
            advanced.append(Advanced(_setting_place(key), value, changed))
    settings["year"] = str(new_year)
    pattern = settings.get("certificate-pattern") or DEFAULT_SETTINGS["certificate-pattern"]
    check_certificate_pattern(pattern)  # a pattern stored by hand: refused before any preview
    return NextRoll(
        source=Path(source), target=next_roll_path(Path(source), new_year), year=year,
        new_year=new_year, categories=categories, settings=settings, advanced=advanced,
        continue_serial=None if "{year" in pattern else serial_so_far, pattern=pattern,
    )


def _field_place(key: str, path: str) -> str:
    return {
        "title": _("category {path}").format(path=path),
        "description": _("description of {path}").format(path=path),
        "honour": _("honour of {path}").format(path=path),
    }[key]


def _setting_place(key: str) -> str:
    from . import vocabulary

    return _("setting {key}").format(key=vocabulary.SETTINGS.label(key))


def fill_next_roll(db: TinyDB, plan: NextRoll) -> None:
    """Write the planned tree and settings into an empty database (ids kept, so that
    every path and reference stays the same)."""
    from tinydb.table import Document

    from .ledger import raise_certificate_serial

    table = db.table(CATEGORIES)
    for doc_id, document in plan.categories.items():
        table.insert(Document(document, doc_id=doc_id))
    db.table(SETTINGS).insert(Document(plan.settings, doc_id=1))
    if plan.continue_serial:
        raise_certificate_serial(db, plan.continue_serial)


# --------------------------------------------------------------------------- rolls in a folder


def rolls_in(folder: Path) -> list[Path]:
    """The candidate roll files of a folder (its ``*.json`` files, not ledgers, the
    series record, hidden or temporary files), by name; whether each is a roll is
    decided on opening."""
    try:
        entries = sorted(Path(folder).iterdir())
    except FileNotFoundError:
        return []
    return [
        entry for entry in entries
        if entry.suffix == ".json" and not entry.name.startswith(".")
        and not entry.name.endswith(_NOT_ROLLS) and entry.name != SERIES_NAME
        and entry.is_file()
    ]
