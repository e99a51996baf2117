"""Across years: find a person in several rolls, a person's history, and streaks.

A search reads roll files (honours databases) without locking them: saves are
atomic renames, so each file is read whole.  Each roll's year is its year
setting, else the year in its file name.  People are matched as
:mod:`honours.people` says: padding and annotations ignored, and two people
of the same name but different affiliations kept apart and pointed out.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import _
from .people import Occurrence, differing_affiliations, name_key, occurrences
from .years import YearsError, roll_year, rolls_in


@dataclass
class Sources:
    """The rolls read, and the files of a folder that were not rolls or could not be read."""

    rolls: list[tuple[Path, str, list[Occurrence]]] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # JSON of another kind (an export)
    unreadable: list[Path] = field(default_factory=list)  # a damaged or newer roll

    @property
    def everything(self) -> list[Occurrence]:
        return [o for _path, _year, found in self.rolls for o in found]


def open_rolls(files: list[Path], folders: list[Path]) -> Sources:
    """Read ``files`` (each must be a roll) and every roll of ``folders`` (their
    other .json files are skipped and listed); a file named twice is read once."""
    from .integrity import check
    from .storage import NotAHonoursDatabase, Store, StoreError

    sources = Sources()
    seen: set[str] = set()

    def read(path: Path, must: bool) -> None:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        try:
            db = Store(path, missing_ok=False, validate=check).snapshot()
        except NotAHonoursDatabase:
            if must:
                raise
            sources.skipped.append(path)
            return
        except StoreError:
            if must:
                raise
            sources.unreadable.append(path)
            return
        year = roll_year(db, path)
        sources.rolls.append((path, year, occurrences(db, year=year, roll=str(path))))

    for path in files:
        read(path, must=True)
    for folder in folders:
        if not Path(folder).is_dir():
            raise YearsError(_("{path} is not a folder").format(path=folder))
        for path in rolls_in(folder):
            read(path, must=False)
    sources.rolls.sort(key=lambda item: (item[1], str(item[0])))
    return sources


def _year_order(occurrence: Occurrence) -> tuple:
    return (occurrence.year, occurrence.roll, occurrence.path)


def find(sources: Sources, names: list[str]) -> dict[str, list[Occurrence]]:
    """For each name, every occurrence in the rolls, oldest year first."""
    everything = sources.everything
    keys = {name: name_key(name) for name in names}
    return {
        name: sorted((o for o in everything if o.key == keys[name]), key=_year_order)
        for name in names
    }


def affiliations_differ(found: list[Occurrence]) -> list[str]:
    """The different affiliations one name is given with (two or more: maybe two
    people)."""
    return next(iter(differing_affiliations(found).values()), [])


@dataclass(frozen=True)
class Streak:
    """A person honoured in a category matching the pattern in consecutive years."""

    name: str
    first: int
    last: int
    entries: tuple[Occurrence, ...]

    @property
    def years(self) -> int:
        return self.last - self.first + 1

    @property
    def affiliations(self) -> list[str]:
        return affiliations_differ(list(self.entries))


def matches(pattern: str, path: str) -> bool:
    """A category pattern: with * or ? a wildcard over the title or the whole path,
    else a part of the path (优秀教师 matches 表彰/优秀教师 and 优秀教师（高中）)."""
    pattern = pattern.strip()
    if any(mark in pattern for mark in "*?["):
        title = path.rsplit("/", 1)[-1]
        return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(title, pattern)
    return pattern in path


def streaks(sources: Sources, pattern: str, years: int) -> list[Streak]:
    """Everyone honoured in a category matching ``pattern`` in at least ``years``
    consecutive years (one run per person: their longest ones, each reported)."""
    from .collation import sort_records

    by_person: dict[str, list[Occurrence]] = {}
    for occurrence in sources.everything:
        if occurrence.kind == "work" or not occurrence.year.isdigit():
            continue
        if matches(pattern, occurrence.path):
            by_person.setdefault(occurrence.key, []).append(occurrence)
    found = []
    for entries in by_person.values():
        held = sorted({int(o.year) for o in entries})
        start = previous = held[0]
        runs = []
        for year in held[1:] + [None]:
            if year is not None and year == previous + 1:
                previous = year
                continue
            runs.append((start, previous))
            if year is not None:
                start = previous = year
        for first, last in runs:
            if last - first + 1 >= years:
                within = tuple(sorted((o for o in entries if first <= int(o.year) <= last),
                                      key=_year_order))
                found.append(Streak(within[0].name, first, last, within))
    found = sort_records(found, "stroke", "person", name=lambda s: s.name)
    found.sort(key=lambda s: -s.years)  # stable: longest first, then stroke order
    return found
