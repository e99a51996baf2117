"""One series of certificate numbers across the rolls of a folder.

Rolls of successive years sit side by side in one folder (honours.years).  A
pattern without ``{year}`` (``QDU-{serial:04d}``) makes the same numbers in
every roll that uses it, so those rolls must share one serial: the series
record ``honours-series.json`` in the rolls' folder holds, for each series, the
highest serial ever issued by any roll of the folder and which rolls issued
from it (each with the highest serial it issued; 0 for a roll that joined the
series through ``new-year`` and has issued nothing yet).

A series is named by its key: the pattern with every ``{year}`` field written
out as the roll's numbers write it, and every ``{serial}`` field without its
format (:func:`series_key`).  So ``QDU-{serial:04d}`` is one series in every
year; ``QDU2026-{serial}`` (the year written by hand) is its own; a pattern
with ``{year}`` is one series per year (``JS{year}-{serial:04d}`` in 2026 is
``JS2026-{serial}``): next year's roll starts again at 1, and two rolls of the
same year in one folder share the year's serial instead of both issuing
JS2026-0001.  A change of width (``{serial:04d}`` → ``{serial:05d}``) stays in
the same series: it can only leave a gap, never a double.

Every issuing reads and raises the record under its own lock (the store's:
``honours-series.json.lock``), taken after the roll's lock and held until the
roll is saved; the record is written before the ledger and the database, so an
interruption leaves a gap, never a number two rolls can issue.  A series the
record does not hold yet (rolls older than the record, or a new year) starts
from the highest serial found in the folder: every roll whose numbers follow
the series (its counter and its ledger's highest) and every ledger's numbers of
that series.  A damaged record is never overwritten and stops every issuing in
the folder until it is repaired or moved away (it is then rebuilt from the
rolls and ledgers, which is exact as long as no roll or ledger was deleted).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from tinydb import TinyDB

from . import files
from .errors import HonoursError, json_problem, os_reason
from .i18n import _
from .ledger import LEDGER_SUFFIX, Ledger, LedgerError, certificate_serial
from .roll import check_certificate_pattern, settings
from .storage import NotAHonoursDatabase, Store, StoreError, readable_json, write_file_atomically
from .years import SERIES_NAME, rolls_in

SERIES_FORMAT = 1
#: The record holds a line per series and a name per roll: a few kilobytes.  A
#: larger file is not one honours wrote.


class SeriesError(HonoursError):
    """The series record cannot be read or used; nothing is issued then."""


# --------------------------------------------------------------------------- the key


def series_key(pattern: str, year: str) -> str:
    """The series a pattern's numbers belong to in a roll of ``year``: the pattern
    with ``{year}`` written out and ``{serial}`` without its format, braces of the
    text doubled as in a pattern (``JS{year}-{serial:04d}``, 2026 → ``JS2026-{serial}``)."""
    try:
        return _key(pattern, year)
    except (KeyError, ValueError, IndexError, AttributeError, TypeError):
        return f"{pattern}\n{year}"  # a pattern the validator refuses: its own series


def _key(pattern: str, year: str) -> str:
    parts = []
    for text, name, spec, conversion in string.Formatter().parse(pattern):
        parts.append(_braced(text))
        if name is None:
            continue
        if name == "serial":
            parts.append("{serial}")
            continue
        field_text = "{" + name + (f"!{conversion}" if conversion else "") + (
            f":{spec}" if spec else "") + "}"
        parts.append(_braced(field_text.format(year=year, serial=0)))
    return "".join(parts)


def _braced(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


# --------------------------------------------------------------------------- the record


@dataclass
class Entry:
    """One series in the record: its highest serial, and each roll's own highest."""

    highest: int = 0
    rolls: dict[str, int] = field(default_factory=dict)


def series_path(store: Store) -> Path:
    """The series record of the folder the roll is in (its real folder, links resolved)."""
    return store.file.with_name(SERIES_NAME)


def read_bytes(path: Path) -> bytes | None:
    """The record's bytes; ``None`` when there is none.  Read as every companion
    file is (:func:`honours.files.read_regular_file`: never through a link, a FIFO
    or a device refused at once, at most ``files.SERIES_BYTES``).  The one place
    the record is read."""
    try:
        return files.read_regular_file(path, files.SERIES_BYTES, _("the number series record"))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SeriesError(_("Cannot read the number series record {path}: {error}.").format(
            path=path, error=os_reason(error))) from None


def read_record(path: Path) -> dict[str, Entry] | None:
    """Every series of the record at ``path``; ``None`` when there is no record."""
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise _damaged(path, json_problem(error)) from None
    if not isinstance(data, dict) or data.get("application") != "honours" or not _count(
            data.get("series")):
        raise _damaged(path, _("it is not a number series record of honours"))
    if data["series"] > SERIES_FORMAT:
        raise SeriesError(_(
            "The number series record {path} was written by a newer version of honours; "
            "upgrade honours to issue numbers in this folder.").format(path=path))
    patterns = data.get("patterns")
    if not isinstance(patterns, dict):
        raise _damaged(path, _("its list of series is missing"))
    entries = {}
    for key, item in patterns.items():
        rolls = item.get("rolls") if isinstance(item, dict) else None
        if not (isinstance(rolls, dict) and _serial(item.get("highest"))
                and all(_serial(serial) for serial in rolls.values())):
            raise _damaged(path, _("the series {key} has no highest serial and rolls").format(
                key=key))
        entries[key] = Entry(item["highest"], dict(rolls))
    return entries


def _damaged(path: Path, problem: str) -> SeriesError:
    return SeriesError(_(
        "The number series record {path} is damaged ({problem}); it has been left "
        "untouched, and no certificate number can be issued in the rolls of this folder "
        "until it is repaired or restored from a copy (moved away, it is rebuilt from "
        "the rolls and ledgers of the folder).").format(path=path, problem=problem))


def _serial(value: object) -> bool:
    """A serial: an int of 0 or more that is not a bool (JSON true is no serial)."""
    return type(value) is int and value >= 0


def _count(value: object) -> bool:
    """A format number: an int of 1 or more, not a bool."""
    return type(value) is int and value > 0


def _payload(entries: dict[str, Entry]) -> bytes:
    document = {
        "application": "honours", "series": SERIES_FORMAT,
        "patterns": {key: {"highest": entry.highest, "rolls": dict(sorted(entry.rolls.items()))}
                     for key, entry in sorted(entries.items())},
    }
    return readable_json(document) + b"\n"


# --------------------------------------------------------------------------- the folder's rolls


def folder_highest(folder: Path, key: str) -> Entry:
    """The series ``key`` as the rolls and ledgers of ``folder`` hold it: every roll
    whose numbers follow it gives its highest serial (database counter and ledger),
    every ledger the serials of its numbers issued in it.  A roll or ledger that
    cannot be read stops the count (its numbers could be doubled)."""
    entry = Entry()
    stems = {path.name[:-len(".json")]: path for path in rolls_in(folder)}
    try:
        ledgers = sorted(p for p in Path(folder).iterdir() if p.name.endswith(LEDGER_SUFFIX)
                         and not p.name.startswith("."))
    except FileNotFoundError:
        ledgers = []
    for path in ledgers:
        stems.setdefault(path.name[:-len(LEDGER_SUFFIX)], path.with_name(
            path.name[:-len(LEDGER_SUFFIX)] + ".json"))
    keys: dict[tuple[str, str], str] = {}
    for _stem, path in sorted(stems.items()):
        roll = Store(path, missing_ok=True)
        try:
            db = roll.snapshot()
        except NotAHonoursDatabase:
            continue  # an export or another program's file, not a roll
        except StoreError as error:
            raise _unreadable(path, str(error)) from None
        try:
            ledger = Ledger.load(roll)
        except LedgerError as error:
            raise _unreadable(path, str(error)) from None
        found = 0
        values = settings(db)
        if path.exists() and series_key(values["certificate-pattern"], values["year"]) == key:
            found = max(certificate_serial(db), ledger.highest)
        for record in ledger.numbers.values():
            if record.serial > found and record.pattern:
                pair = (record.pattern, record.year)
                if pair not in keys:
                    keys[pair] = series_key(*pair)
                if keys[pair] == key:
                    found = record.serial
        if found:
            entry.rolls[path.name] = found
            entry.highest = max(entry.highest, found)
    return entry


def _unreadable(path: Path, why: str) -> SeriesError:
    return SeriesError(_(
        "The number series of this folder cannot be counted: {path} cannot be read "
        "({why}). Its numbers could be issued again, so none is issued: repair it "
        "(`honours --db {path} doctor`) or move it out of the folder.").format(
            path=path, why=why))


# --------------------------------------------------------------------------- a roll's series


@dataclass
class Series:
    """The series a roll issues from, as the record (or the folder) holds it now."""

    path: Path
    key: str
    roll: str
    entry: Entry
    entries: dict[str, Entry]

    @property
    def highest(self) -> int:
        return self.entry.highest

    def issued(self, serial: int, roll: str | None = None) -> None:
        """Raise the series (in memory) to ``serial``, issued by ``roll`` (this roll)."""
        name = roll or self.roll
        self.entry.highest = max(self.entry.highest, serial)
        self.entry.rolls[name] = max(self.entry.rolls.get(name, 0), serial)
        self.entries[self.key] = self.entry

    def save(self) -> None:
        """Write the record; the caller holds its lock (:func:`issuing`)."""
        write_file_atomically(self.path, _payload(self.entries), replace=True)


def series_of(store: Store, db: TinyDB, pattern: str | None = None,
              year: str | None = None) -> Series:
    """The roll's series (``pattern`` and ``year``: the roll's own settings unless
    given), read without the lock: what planning and previews follow."""
    values = settings(db)
    pattern = values["certificate-pattern"] if pattern is None else pattern
    check_certificate_pattern(pattern)
    key = series_key(pattern, values["year"] if year is None else year)
    path = series_path(store)
    entries = read_record(path) or {}
    entry = entries.get(key)
    if entry is None:
        entry = folder_highest(path.parent, key)
    return Series(path, key, store.file.name, entry, entries)


@contextmanager
def issuing(store: Store, db: TinyDB, pattern: str | None = None,
            year: str | None = None) -> Iterator[Series]:
    """The roll's series under the record's lock, held until the block ends: the
    caller raises it (:meth:`Series.issued`) and saves it before its ledger."""
    read_bytes(series_path(store))  # a link, a FIFO or a device is refused before locking
    record = Store(series_path(store), lock_timeout=store.lock_timeout, waiting=store.waiting)
    with record._locked():  # the store's own lock, on the record's file
        yield series_of(store, db, pattern, year)


def raise_series(store: Store, db: TinyDB, serial: int) -> None:
    """Make the roll's series follow ``serial`` (numbers that came into the roll by an
    import): read, raised and written at once under the record's lock, before the
    roll itself is saved; an interruption leaves a gap, never a double."""
    with issuing(store, db) as series:
        if serial > series.highest:
            series.issued(serial)
            series.save()
