"""Storage layer: one TinyDB JSON file holding a clerk's year of work.

Every command runs as one transaction: it takes an inter-process lock, reads the file once,
works on an in-memory TinyDB, and writes the file once, atomically, if anything changed.
Readers that do not write use :meth:`Store.snapshot`, which needs no lock because a save is
always an atomic rename of a complete file.

Nothing here ever overwrites a file it could not read: a damaged, foreign or newer file is
refused with an error whose text (``str(error)``) is meant to be shown to the user as is.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from . import files, lockwait
from .errors import json_problem, os_reason
from .files import StoreError, process_alive, read_regular_file
from .i18n import _
from .paths import APPLICATION, ENV_VAR, OVERRIDES_SUFFIX

SCHEMA_VERSION = 1
META_TABLE = "_meta"
META_DOCUMENT: dict[str, Any] = {"application": APPLICATION, "schema": SCHEMA_VERSION}

DEFAULT_LOCK_TIMEOUT = 30.0
DEFAULT_KEEP_BACKUPS = 20


_BACKUP_PREFIX = "honours"
_BACKUP_NAME = re.compile(
    rf"^{_BACKUP_PREFIX}-(?P<stamp>\d{{8}}-\d{{6}}-\d{{6}})(?:-(?P<reason>[a-z0-9-]*))?\.json$"
)
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_TEMP_SUFFIX = ".tmp"


# --------------------------------------------------------------------------- errors


# StoreError, the base of all storage errors, is defined in honours.files (the
# refusals of a link, a FIFO or an oversized file are storage errors too).


class DamagedDatabase(StoreError):
    """The file exists but is empty, truncated, not UTF-8 or not parseable JSON."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class DuplicateKeys(DamagedDatabase):
    """The file holds a JSON object with the same key twice (a hand edit): parsed,
    only the last would be kept, and the next save would drop the others silently."""

    def __init__(self, message: str, path: Path, duplicates: list[tuple[tuple[str, ...], str]]
                 ) -> None:
        super().__init__(message, path)
        self.duplicates = duplicates  # (where: the keys leading to the object, the key)


class NotAHonoursDatabase(StoreError):
    """The file is valid JSON but was not written by honours."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class UnsupportedSchema(StoreError):
    """The file is a honours database of a schema this version does not understand."""

    def __init__(self, message: str, path: Path, schema: object) -> None:
        super().__init__(message)
        self.path = path
        self.schema = schema


class InconsistentDatabase(StoreError):
    """The file is an honours database whose records do not make a roll (a hand
    edit: a missing parent, a circle of parents, "01" beside "1" …)."""


class BrokenBackup(InconsistentDatabase):
    """A backup whose records do not make a roll: restored only when asked to."""

    def __init__(self, message: str, name: str, problems: list) -> None:
        super().__init__(message)
        self.name = name
        self.problems = problems


class DatabaseMissing(StoreError):
    """The database file does not exist, and the command only reads it."""


class DatabaseBusy(StoreError):
    """Another process held the database lock for longer than the lock timeout."""


class BackupNotFound(StoreError):
    """No backup of that name exists."""


class _Invalid(Exception):
    """Internal: why some bytes are not a usable honours database.

    Kept separate from the public errors so the database and a backup can each phrase the
    problem in their own words.
    """

    def __init__(self, kind: type[StoreError], detail: str, schema: object = None,
                 duplicates: list[tuple[tuple[str, ...], str]] | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.schema = schema
        self.duplicates = duplicates

    def error(self, message: str, path: Path) -> StoreError:
        if self.duplicates:
            return DuplicateKeys(message, path, self.duplicates)
        if self.kind is UnsupportedSchema:
            return UnsupportedSchema(message, path, self.schema)
        if self.kind is DamagedDatabase:
            return DamagedDatabase(message, path)
        return NotAHonoursDatabase(message, path)


# --------------------------------------------------------------------------- path


# --------------------------------------------------------------------------- backups


@dataclass(frozen=True)
class Backup:
    """A timestamped copy of the database in ``<db stem>.backups/``."""

    name: str
    path: Path
    created: datetime  # local time, as encoded in the name
    size: int
    reason: str


@dataclass(frozen=True)
class RestoredBackup(Backup):
    """The backup :meth:`Store.restore` put in place, and what happened to the old file."""

    safety_backup: Backup | None = None  # copy of the previous content, if it was readable
    set_aside: Path | None = None  # where an unreadable previous file was kept, if any
    problems: tuple = ()  # what the roll checks find in it (restored with allow_broken)


def _slug(reason: str) -> str:
    """Make a reason safe for a file name on every platform (and for our name pattern)."""
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return slug[:40].strip("-") or "backup"


# --------------------------------------------------------------------------- TinyDB storage


class _MemoryStorage(Storage):
    """TinyDB storage over a dict already loaded from the file.

    ``write`` only keeps the data in memory and remembers that something was written; the
    :class:`Store` decides whether and when to save, so a transaction is all-or-nothing.
    Tables change in place (:class:`_InPlaceTable`), which records what each change did
    (``changes``), so that a save can reuse the saved text of the records nobody touched.
    """

    def __init__(self, data: dict[str, Any], read_only: bool = False,
                 unread: dict[str, UnreadRecords] | None = None) -> None:
        self._data = data
        self._unread = unread or {}
        self._read_only = read_only
        self._closed = False
        self.dirty = False
        self.broken = False  # an in-place table update failed half-way
        self.replaced = False  # the tables were written whole (TinyDB's drop, a repair)
        self.changes: dict[str, _TableChanges] = {}

    def read(self) -> dict[str, Any]:
        if self._unread:
            self.read_all()
        return self._data

    def read_all(self) -> None:
        """Parse the tables left as text: TinyDB (and anything else) reads them whole."""
        for name in list(self._unread):
            self.tables_with(name)

    def tables_with(self, name: str) -> dict[str, Any]:
        """The tables, with table ``name`` parsed if it was left as text (the others
        may still be: only :meth:`read` gives them all)."""
        unread = self._unread.pop(name, None)
        if unread is not None:
            records = self._data[name]  # the records appended since, if any
            appended = dict(records)
            records.clear()
            records.update(unread.parsed())
            records.update(appended)  # after the saved ones, as in the file
        return self._data

    def unread(self, name: str) -> UnreadRecords | None:
        """Table ``name`` as saved text, while nothing has read it whole."""
        return self._unread.get(name)

    def guard(self) -> None:
        """Refuse a change to a snapshot or after the transaction, before it is made."""
        if self._read_only:
            raise StoreError(
                _("A snapshot is read-only; use `store.transaction()` to change the database.")
            )
        if self._closed:
            # Writing after the transaction ended would silently be lost.
            raise StoreError(
                _("This transaction has ended; its database can no longer be changed.")
            )

    def write(self, data: dict[str, Any]) -> None:
        self.guard()
        self._data = data
        self.dirty = True
        self.replaced = True

    def end(self) -> None:
        self._closed = True

    @property
    def data(self) -> dict[str, Any]:
        return self._data


class _TableChanges:
    """What in-place changes did to one table since it was read: the ids added
    (in order), and whether any record that was read from the file may have changed."""

    __slots__ = ("added", "rewritten")

    def __init__(self, rewritten: bool = False) -> None:
        self.added: dict[str, None] = {}
        self.rewritten = rewritten


class _IdKeyed(MutableMapping):
    """A table's records by integer id, over the stored table whose ids are text.

    TinyDB's own update copies the whole table twice (ids to int and back) for every
    insert, update or removal: a tenth of a second per change at 100,000 winners.
    This view lets its operations change the stored table in place instead, and notes
    which records they may have changed: any record read through it (TinyDB's update
    reads a record to change it), replaced or removed."""

    __slots__ = ("records", "changes")

    def __init__(self, records: dict[str, Any], changes: _TableChanges) -> None:
        self.records = records
        self.changes = changes

    def __getitem__(self, doc_id: int) -> Any:
        key = str(doc_id)
        if key not in self.changes.added:
            self.changes.rewritten = True
        return self.records[key]

    def __setitem__(self, doc_id: int, document: Any) -> None:
        key = str(doc_id)
        if key in self.records and key not in self.changes.added:
            self.changes.rewritten = True
        else:
            self.changes.added[key] = None
        self.records[key] = document

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        del self.records[key]
        if key in self.changes.added:
            del self.changes.added[key]
        else:
            self.changes.rewritten = True

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.records

    def __iter__(self) -> Iterator[int]:
        return map(int, self.records)

    def __len__(self) -> int:
        return len(self.records)

    def clear(self) -> None:
        self.records.clear()
        self.changes.added.clear()
        self.changes.rewritten = True


class _Appending(_IdKeyed):
    """The view an insert gets of a table still unread: it may add records and ask
    whether an id is taken, which is all TinyDB's inserts do, without parsing the
    saved ones."""

    __slots__ = ("unread",)

    def __init__(self, records: dict[str, Any], changes: _TableChanges,
                 unread: UnreadRecords) -> None:
        super().__init__(records, changes)
        self.unread = unread

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.records or self.unread.has_id(str(doc_id))


class _InPlaceTable(Table):
    _appending = False  # inside insert/insert_multiple: the saved records stay unread

    def unread(self) -> UnreadRecords | None:
        """This table as saved text while nothing has read it whole (see
        :class:`UnreadRecords`): lets a query parse only the lines it needs."""
        return self._storage.unread(self.name)

    def lines_holding(self, needles: Iterable[bytes]) -> dict[str, Any] | None:
        """While the table is unread: the records whose saved line holds one of
        ``needles`` and those added since, by id (a superset: the caller checks
        each); ``None`` once the table has been read whole (the caller scans it)."""
        unread = self.unread()
        if unread is None:
            return None
        found = unread.containing(needles)
        found.update(self._storage.data.get(self.name, {}))
        return found

    @contextmanager
    def _inserting(self) -> Iterator[None]:
        self._appending = True
        try:
            yield
        finally:
            self._appending = False

    def insert(self, document: Mapping) -> int:
        with self._inserting():
            return super().insert(document)

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        with self._inserting():
            return super().insert_multiple(documents)

    def update_each(self, changes: Mapping[int, Mapping[str, Any]]) -> None:
        """Give each record of ``changes`` (id → fields) its own fields, in one
        change.  TinyDB's ``update`` takes one set of fields for all, or calls a
        function per record through two more calls of its own.  The ids must
        exist (a KeyError, and the change refused, if one does not)."""

        def update(records: _IdKeyed) -> None:
            read = records.__getitem__  # notes the record as changed
            for doc_id, fields in changes.items():
                read(doc_id).update(fields)

        self._update_table(update)

    def _read_table(self) -> dict[str, Mapping]:
        # Only this table is parsed: reading the categories leaves the winners as text.
        return self._storage.tables_with(self.name).get(self.name, {})

    def _get_next_id(self) -> int:
        if self._next_id is None:  # the first insert: one pass in C, not a generator
            unread = self.unread()
            if unread is not None:
                records = self._storage.data.get(self.name, {})
                self._next_id = max(unread.largest_id(), *map(int, records), 0) + 1
            else:
                records = self._read_table()
                self._next_id = max(map(int, records), default=0) + 1
        next_id = self._next_id
        self._next_id += 1
        return next_id

    def _update_table(self, updater: Callable[[Any], None]) -> None:
        storage = self._storage
        storage.guard()
        unread = self.unread() if self._appending else None
        tables = storage.tables_with(self.name) if unread is None else storage.data
        records = tables.get(self.name)
        new = records is None
        if new:
            records = {}
        changes = storage.changes.setdefault(self.name, _TableChanges(rewritten=new))
        try:
            updater(_IdKeyed(records, changes) if unread is None
                    else _Appending(records, changes, unread))
        except BaseException:
            # Part of the change may be made already: refuse to save what is left.
            storage.broken = True
            raise
        finally:
            self.clear_cache()
        if new:
            tables[self.name] = records
        storage.dirty = True


class _Database(TinyDB):
    table_class = _InPlaceTable


# --------------------------------------------------------------------------- parsing


def _parse(raw: bytes, as_saved: bool = False) -> dict[str, Any]:
    """Turn file bytes into validated TinyDB data (``_meta`` included) or raise ``_Invalid``.

    ``as_saved``: the bytes are what honours saved (:func:`_saved_body`)."""
    if not raw or raw.isspace():  # not strip(): that copies the whole file
        raise _Invalid(DamagedDatabase, _("the file is empty"))
    if not as_saved:  # a file as saved was counted whole (Store._load), not its skeleton
        _refuse_too_many_values(raw)
    foreign = _foreign_file(raw)
    if foreign is not None:
        raise _Invalid(NotAHonoursDatabase, foreign)
    data = _fast_json(raw, as_saved)
    if data is None:
        data = _standard_json(raw)
    if not isinstance(data, dict):
        raise _Invalid(
            NotAHonoursDatabase,
            _("it holds a JSON {type}, not a table").format(type=type(data).__name__),
        )

    meta_table = data.get(META_TABLE)
    meta = None
    if isinstance(meta_table, dict):
        meta = next(
            (d for d in meta_table.values() if isinstance(d, dict) and "application" in d), None
        )
    if meta is None or meta.get("application") != APPLICATION:
        if data.get("format") == "honours-roll":
            raise _Invalid(
                NotAHonoursDatabase,
                _("it is a roll exported as JSON; bring it in with `honours import FILE`"),
            )
        raise _Invalid(NotAHonoursDatabase, _("it is a JSON file of another program"))
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema != SCHEMA_VERSION:
        raise _Invalid(
            UnsupportedSchema, _("it uses schema {schema!r}").format(schema=schema), schema=schema
        )

    # TinyDB would fail later in obscure ways on a malformed table; refuse it up front.
    for table_name, table in data.items():
        if not isinstance(table, dict):
            raise _Invalid(
                DamagedDatabase, _("table {table!r} is not a JSON object").format(table=table_name)
            )
        if all(map(str.isdigit, table)) and set(map(type, table.values())) <= {dict}:
            continue  # the usual case, checked in C rather than record by record
        for doc_id, document in table.items():
            if not doc_id.isdigit() or not isinstance(document, dict):
                raise _Invalid(
                    DamagedDatabase,
                    _("table {table!r} has a bad document {id!r}").format(
                        table=table_name, id=doc_id
                    ),
                )
    return data


# Bytes that are digits become "0", all others a space: a run of 19 zeros is a number
# orjson may not hold exactly (beyond 64 bits it reads a float).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_NUMBER = b"0" * 19
_BOM = b"\xef\xbb\xbf"


def _refuse_too_many_values(raw: bytes) -> None:
    """Refuse, before parsing, bytes that would parse into more values than
    :data:`honours.files.DATABASE_VALUES` (parsed, each costs 50 bytes or more: a
    file of 60 MB of ``"a",`` took 1.5 GB).  Counted in C, an upper bound: a
    value after the first of its object or list follows a comma, and the first
    of each follows its opening bracket (commas inside texts count too)."""
    values = raw.count(b",") + raw.count(b"{") + raw.count(b"[")
    if values > files.DATABASE_VALUES:
        raise _Invalid(DamagedDatabase, _(
            "it holds more than {limit:,} values (texts, numbers, records), more than "
            "honours reads in one roll").format(limit=files.DATABASE_VALUES))


def _fast_json(raw: bytes, as_saved: bool) -> Any:
    """The file parsed by orjson (about three times as fast as ``json``), or ``None``
    when only the standard parser can say what it holds: invalid JSON (whose error
    ``json`` words better), NaN, a number of 19 digits or more (orjson would turn
    one past 64 bits into a float), or a key given twice in one object (orjson
    keeps the last, silently).  A file as honours saved it has none of them (see
    :func:`_serialise`; its digest says it is unchanged); any other is checked
    for keys given twice by :func:`_keys_all_kept`."""
    if not as_saved and _LONG_NUMBER in raw.translate(_DIGITS_ONLY):
        return None
    try:
        data = orjson.loads(memoryview(raw)[3:] if raw.startswith(_BOM) else raw)
    except orjson.JSONDecodeError:
        return None
    if not as_saved and not _keys_all_kept(raw, data):
        return None  # the standard parser says which keys, and where
    return data


def _keys_all_kept(raw: bytes, data: Any) -> bool:
    """Whether parsing ``raw`` into ``data`` kept every key it holds: no object
    gave a key twice.  Counted in C, not object by object: each key puts one colon
    in the text, outside its strings, and a colon inside a string is itself in the
    text; orjson writes ``data`` back with exactly the colons of what it kept, so
    a key dropped (with its value) leaves the text with more.  A colon written as
    an escape (``\\u003a``) breaks the count: then ``False``, and the standard
    parser decides."""
    if b"\\u003" in raw:
        return False
    try:
        written = orjson.dumps(data)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes
        return False
    return raw.count(b":") == written.count(b":")


def _standard_json(raw: bytes) -> Any:
    """The file parsed by the standard library, with its problems in words."""
    try:
        # utf-8-sig: tolerate a BOM added by a Windows editor.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Invalid(
            DamagedDatabase, _("it is not UTF-8 text (byte {byte})").format(byte=error.start)
        ) from None
    twice: list[dict] = []

    def pairs_to_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) != len(pairs):
            found = _KeyTwice(found)
            seen: set[str] = set()
            found.keys_twice = list(dict.fromkeys(
                key for key, _value in pairs if key in seen or seen.add(key)))
            twice.append(found)
        return found

    try:
        data = json.loads(text, parse_constant=_refuse_constant,
                          object_pairs_hook=pairs_to_object)
    except json.JSONDecodeError as error:
        raise _Invalid(
            DamagedDatabase,
            _("it is not complete JSON: {error} at line {line} column {column}").format(
                error=json_problem(error), line=error.lineno, column=error.colno
            ),
        ) from None
    except RecursionError:
        raise _Invalid(DamagedDatabase, _("it is nested too deeply to be read")) from None
    if twice:
        duplicates = _keys_twice(data)
        shown = _("; ").join(
            _("{key} twice in {where}").format(
                key=json.dumps(key, ensure_ascii=False),
                where=" → ".join(json.dumps(k, ensure_ascii=False) for k in where)
                if where else _("the top level"))
            for where, key in duplicates[:5]) + (" …" if len(duplicates) > 5 else "")
        raise _Invalid(
            DamagedDatabase,
            _("it holds the same key more than once: {keys}; only the last of each would "
              "be read, and the next save would drop the others silently: keep one of "
              "each by hand, `honours doctor` lists them all").format(
                keys=shown),
            duplicates=duplicates,
        )
    return data


class _KeyTwice(dict):
    """A JSON object that held a key more than once (``keys_twice``), as parsed."""

    keys_twice: list[str]


def _keys_twice(data: Any) -> list[tuple[tuple[str, ...], str]]:
    """Where the objects holding a key twice are in ``data``: (the keys leading to
    the object, the key), in file order."""
    found: list[tuple[tuple[str, ...], str]] = []
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack:  # not recursive: the file may be nested as deeply as json allows
        where, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node, _KeyTwice):
                found.extend((where, key) for key in node.keys_twice)
            stack.extend(reversed([((*where, str(k)), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([((*where, str(i)), v) for i, v in enumerate(node)]))
    return found


def duplicate_keys(raw: bytes) -> list[tuple[tuple[str, ...], str]]:
    """The keys a JSON file holds more than once in one object, where (the keys
    leading to the object) and which, for ``honours doctor``; ``[]`` when none,
    or when the bytes are not JSON at all (the load says what is wrong then)."""
    try:
        _standard_json(raw)
    except _Invalid as invalid:
        return invalid.duplicates or []
    return []


def _foreign_file(raw: bytes) -> str | None:
    """What a file plainly is when it is not JSON at all: a workbook, a Word
    document, a table or a roll in text, said so that the clerk knows what to do."""
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:4096]
        if b"word/" in head:
            what = _("a Word document (.docx)")
        elif b"xl/" in head:
            what = _("an Excel workbook (.xlsx)")
        else:
            what = _("a ZIP archive")
        return _("it is {what}; to bring its names in, use `honours import FILE`").format(
            what=what
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("it is an old Office file (.xls or .doc); save it as .xlsx and use "
                 "`honours import FILE`")
    if raw.startswith(b"%PDF"):
        return _("it is a PDF document")
    start = _LEADING_BLANKS.match(raw).end()  # not lstrip(): that copies the whole file
    if raw[start:start + 1] in (b"{", b"["):
        return None  # JSON: judged by its content
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary garbage: a damaged file
    try:
        raw[:65536].decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < 65530:
            return None  # not text either: treat as damaged
    return _("it is a text file (a list, a table or a roll?); to bring its names in, use "
             "`honours import FILE`")


_LEADING_BLANKS = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*")


def _refuse_constant(name: str) -> Any:
    # NaN/Infinity are not JSON and could never be saved back (allow_nan=False).
    raise _Invalid(
        DamagedDatabase, _("it contains {name}, which is not valid JSON").format(name=name)
    )


def _refuse_non_json(value: object) -> Any:
    raise TypeError(f"a value of type {type(value).__name__} ({value!r:.60}) cannot be stored")


# The start of a file as honours writes it, up to the _meta record.
_HEAD = b'{\n"_meta": {\n "1": '


def _serialise(tables: Mapping[str, Any], saved: _SavedText | None = None) -> bytes:
    """Encode the whole database, or raise StoreError before anything touches the disk.

    The _meta record carries ``body``, a SHA-256 of everything after it, when orjson
    wrote every record (so that it reads them back exactly, see :func:`_fast_json`).
    A file whose body still matches was saved by honours and not edited since: it is
    read without the checks meant for hand edits, a change is told from no change
    by comparing bytes (:meth:`Store._changed`), and ``saved`` lets the records no
    change touched keep their text (adding a winner to 100,000 encodes one record)."""
    if META_TABLE in tables:
        raise StoreError(
            _("The table name {name!r} is reserved for honours itself.").format(name=META_TABLE)
        )
    encoder = _Encoder(saved)
    try:
        # Kept as parts until the end: a roll of 12 MB is copied once, not four times.
        body = [*encoder.table_parts(tables, first=False), b"\n}\n"]
    except (TypeError, ValueError, RecursionError) as error:
        raise StoreError(
            _(
                "Nothing was saved: the changes contain data that cannot be stored ({error})."
            ).format(error=error)
        ) from error
    meta = dict(META_DOCUMENT)
    if encoder.exact:
        meta["ids"] = encoder.largest
        meta["body"] = _body_digest(body, encoder.largest)
    return b"".join([_HEAD, orjson.dumps(meta), b"\n}", *body])


def _body_digest(body: Iterable[bytes], largest: dict[str, int] | None) -> str:
    """The SHA-256 of a body (given in parts) and of the largest record id of each
    table (``ids`` in _meta, so that an insert into a table left as text need not
    read its ids; a file from before it has only the body's digest)."""
    digest = hashlib.sha256()
    for part in body:
        digest.update(part)
    if largest is not None:
        digest.update(b"\n" + orjson.dumps(largest, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


def _digest_in(payload: bytes) -> str | None:
    """The body digest in the _meta of a file :func:`_serialise` wrote, if any."""
    meta = orjson.loads(payload[len(_HEAD):payload.index(b"\n}", len(_HEAD))])
    return meta.get("body")


@dataclass
class _SavedText:
    """The records' text in a file as honours saved it, and what changed since."""

    body: bytes  # the file after its _meta record
    changes: dict[str, _TableChanges]
    largest: dict[str, int] | None = None  # ``ids`` of its _meta, when it has them
    spans: dict[str, tuple[int, int]] | None = None  # from :func:`_saved_table_spans`
    _tables: dict[str, memoryview] | None = None

    def largest_id(self, name: str) -> int:
        """The largest record id table ``name`` had as saved."""
        if self.largest is not None and name in self.largest:
            return self.largest[name]
        return _largest_id(self.records(name) or b"")

    def records(self, name: str) -> bytes | None:
        """The saved text of table ``name``'s records (their lines, without the braces)
        when no record read from the file has changed since, else ``None``."""
        changes = self.changes.get(name)
        if changes is not None and changes.rewritten:
            return None
        if self._tables is None:
            self._tables = _saved_tables(self.body, self.spans)
        return self._tables.get(name)


_TABLE_HEADER = re.compile(rb'\n"([A-Za-z0-9_-]+)": ')


def _saved_tables(body: bytes, spans: dict[str, tuple[int, int]] | None = None,
                  ) -> dict[str, memoryview]:
    """Each table's records as text in a body honours saved, by table name (tables
    whose names need escaping are left out: they are encoded again); views, not
    copies.  ``spans``: the body's :func:`_saved_table_spans`, if known."""
    view = memoryview(body)
    spans = _saved_table_spans(body) if spans is None else spans
    return {name: view[start:end] for name, (start, end) in spans.items()}


def _saved_table_spans(body: bytes) -> dict[str, tuple[int, int]]:
    """Where each table's record lines are in a body honours saved: (start, end) by
    table name, ``{\n`` before and ``\n}`` after (an empty table: start == end, the
    ``{}``).  Tables whose names need escaping are left out."""
    tables: dict[str, tuple[int, int]] = {}
    position = 0
    while (start := body.find(b'\n"', position)) >= 0:
        header = _TABLE_HEADER.match(body, start)
        if header is None:
            return tables
        value = header.end()
        if body.startswith(b"{}", value):
            tables[header[1].decode()] = (value + 1, value + 1)
            position = value + 2
            continue
        # Record lines start with a space and hold no line break: the table's own
        # closing brace is the first one at the start of a line.
        end = body.find(b"\n}", value)
        if not body.startswith(b"{\n", value) or end < 0:
            return tables
        tables[header[1].decode()] = (value + 2, end)
        position = end + 2
    return tables


#: A table whose saved text is at least this long is parsed when something first
#: reads it whole, not on load: `add` and `list` on a roll of 100,000 winners parse
#: the lines of one category and of one name, not 100,000 records (0.13 s).
LAZY_TABLE_BYTES = 1 << 18


class UnreadRecords:
    """A table's records as honours saved them, one ``"id": {...}`` a line, left
    unparsed until something reads the table whole (:meth:`_MemoryStorage.read`).

    Only a file byte for byte as honours saved it is read this way (its body digest
    matches), so every line is orjson's compact encoding of one record: a record
    holding ``"category": 3`` has the bytes ``"category":3`` on its line, and one
    whose name contains 张 has the bytes of 张 on its line.  :meth:`containing`
    finds the lines holding such bytes and parses only those; the caller keeps the
    records that really match (a necessary condition, checked exactly after)."""

    __slots__ = ("text", "largest")

    def __init__(self, text: bytes, largest: int | None = None) -> None:
        self.text = text  # the record lines, joined by ",\n", without the braces
        self.largest = largest  # the largest id, from _meta (None: read from the text)

    def parsed(self) -> dict[str, Any]:
        return orjson.loads(b"{" + self.text + b"}")

    def containing(self, needles: Iterable[bytes]) -> dict[str, Any]:
        """The records whose line holds any of ``needles``, by id, in file order."""
        text, lines = self.text, {}
        for needle in set(needles):
            found = text.find(needle)
            while found >= 0:
                start = text.rfind(b"\n", 0, found) + 1
                end = text.find(b"\n", found)
                end = len(text) if end < 0 else end
                lines[start] = text[start:end]
                found = text.find(needle, end)
        records: dict[str, Any] = {}
        for start in sorted(lines):
            records.update(orjson.loads(b"{" + lines[start].rstrip(b",") + b"}"))
        return records

    def has_id(self, doc_id: str) -> bool:
        return self.text.startswith(b' "%s": ' % doc_id.encode()) or (
            b'\n "%s": ' % doc_id.encode()) in self.text

    def largest_id(self) -> int:
        return _largest_id(self.text) if self.largest is None else self.largest


def _largest_id(records: bytes) -> int:
    """The largest id among saved record lines (ids are digits)."""
    return max(map(int, _RECORD_ID.findall(b"\n" + records)), default=0)


_RECORD_ID = re.compile(rb'\n "(\d+)": ')


def _unread_tables(raw: bytes, saved: _AsSaved,
                   ) -> tuple[bytes, dict[str, UnreadRecords], dict[str, tuple[int, int]]]:
    """``raw`` (as honours saved it) with its large tables' records cut out, those
    records as text by table name, and where every table's records are in the body."""
    body, largest = saved.body, saved.largest or {}
    spans = _saved_table_spans(body)
    kept, unread, position = [raw[:len(raw) - len(body)]], {}, 0
    for name, (start, end) in spans.items():
        if end == start or end - start < LAZY_TABLE_BYTES:  # empty or small: parsed
            continue
        # "name": {\n<records>\n}  becomes  "name": {}
        kept.append(body[position:start - 1])
        kept.append(b"}")
        unread[name] = UnreadRecords(body[start:end], largest.get(name))
        position = end + 2
    kept.append(body[position:])
    return b"".join(kept), unread, spans


class _AsSaved(NamedTuple):
    """A file exactly as honours saved it: its body, the ``ids`` and the digest of its _meta."""

    body: bytes
    largest: dict[str, int] | None
    digest: str


def _saved_body(raw: bytes) -> _AsSaved | None:
    """The body of ``raw``, with what its _meta says of it, when it is exactly what
    honours saved (see :func:`_serialise`), else ``None`` (an older honours, a hand
    edit, a record orjson could not write)."""
    if not raw.startswith(_HEAD):
        return None
    end = raw.find(b"\n}", len(_HEAD))
    if end < 0:
        return None
    try:
        meta = orjson.loads(raw[len(_HEAD):end])
    except orjson.JSONDecodeError:
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("body"), str):
        return None
    largest = meta.get("ids")
    if largest is not None and not (
            isinstance(largest, dict) and all(type(v) is int for v in largest.values())):
        return None
    body = raw[end + 2:]
    if _body_digest([body], largest) != meta["body"]:
        return None
    return _AsSaved(body, largest, meta["body"])


def readable_json(document: Mapping[str, Any]) -> bytes:
    """JSON with one record per line, UTF-8: readable and repairable by hand, and fast,
    because each table goes through orjson in one pass (``indent=`` in ``json`` would
    force its pure-Python encoder: seconds for a hundred thousand winners).  Raises
    TypeError or ValueError for what JSON cannot hold (NaN, sets, dates, lone
    surrogates)."""
    return b"{" + _Encoder().tables(document, first=True) + b"\n}"


_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_standard_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False,
                                    default=_refuse_non_json).encode


class _Encoder:
    """Writes tables one record per line through orjson; what orjson will not write
    as ``json`` would (a number past 64 bits, a key that is not text, a lone
    surrogate) goes through ``json``, which writes it or says why not."""

    def __init__(self, saved: _SavedText | None = None) -> None:
        self.exact = True  # False once a value went through ``json``
        self.saved = saved
        self.largest: dict[str, int] = {}  # each table's largest record id

    def value(self, value: object) -> bytes:
        try:
            encoded = orjson.dumps(value, default=_refuse_non_json, option=_OPTIONS)
        except TypeError:
            self.exact = False
            return _standard_encode(value).encode("utf-8")
        if b"null" in encoded:
            _refuse_nan(value)  # orjson writes NaN and infinity as null, silently
        return encoded

    def tables(self, document: Mapping[str, Any], first: bool) -> bytes:
        """The tables of ``document``; each starts with ",\n" (or "\n" for the very
        first one when ``first``)."""
        return b"".join(self.table_parts(document, first))

    def table_parts(self, document: Mapping[str, Any], first: bool) -> list[bytes]:
        """:meth:`tables` in parts, to be joined."""
        parts: list[bytes] = []
        for name, table in document.items():
            parts.append(b"\n" if first and not parts else b",\n")
            parts.append(self.value(name) + b": ")
            if isinstance(table, Mapping):
                parts += self.table(name, table)
            else:
                parts.append(self.value(table))
        return parts

    def table(self, name: str, table: Mapping[str, Any]) -> list[bytes]:
        """``{`` one ``"id": record`` per line ``}``, in parts."""
        kept = self.saved.records(name) if self.saved is not None else None
        if kept is None:
            runs = [self.records(table)]
            if table and all(map(str.isdigit, table)):
                self.largest[name] = max(map(int, table))
        else:
            added = self.saved.changes[name].added if name in self.saved.changes else {}
            runs = [kept, self.records({doc_id: table[doc_id] for doc_id in added})]
            if kept or added:
                self.largest[name] = max([self.saved.largest_id(name), *map(int, added)])
        runs = [run for run in runs if run]
        if not runs:
            return [b"{}"]
        parts = [b"{\n", runs[0]]
        for run in runs[1:]:
            parts += (b",\n", run)
        return [*parts, b"\n}"]

    def records(self, table: Mapping[str, Any]) -> bytes:
        """A line for each record (joined), the whole table in one pass."""
        dumps, options = orjson.dumps, _OPTIONS
        try:
            if all(map(str.isdigit, table)):
                # Document ids are digits (the loader and TinyDB see to it), which
                # JSON writes as themselves in quotes.
                lines = [b' "' + doc_id.encode() + b'": ' + dumps(record, option=options)
                         for doc_id, record in table.items()]
            else:  # other keys (the ledger's certificate numbers) in orjson's words too
                lines = [b" " + dumps(key) + b": " + dumps(record, option=options)
                         for key, record in table.items()]
        except TypeError:
            lines = [b" " + self.value(str(doc_id)) + b": " + self.value(record)
                     for doc_id, record in table.items()]
        joined = b",\n".join(lines)
        if b"null" in joined:
            _refuse_nan(table)  # orjson writes NaN and infinity as null, silently
        return joined


def _refuse_nan(value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a JSON number")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_nan(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_nan(item)


# --------------------------------------------------------------------------- file writing


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible on every platform (e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(target: Path, payload: bytes, mode: int | None) -> None:
    """Write ``payload`` to ``target`` so that a crash leaves either the old or the new file.

    ``mode`` keeps the permissions of the file being replaced; ``None`` lets the umask decide,
    as for any new file.
    """
    temp = _write_temp(target, payload, mode)
    try:
        _replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(target.parent)


def _write_temp(target: Path, payload: bytes, mode: int | None) -> Path:
    """``payload`` in a new, fsynced temporary file beside ``target``; returns its path."""
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    temp = directory / f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}{_TEMP_SUFFIX}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o600 if mode is not None else 0o666)
    try:
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None and not hasattr(os, "fchmod"):
            os.chmod(temp, mode)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    return temp


class PreparedFile:
    """An output file written in full beside its target, put in place by :meth:`commit`.

    Lets a command write its file only once everything that must come first (the
    certificate ledger) is recorded, and still refuse early: an existing target
    without ``replace``, a folder, or a write error all fail in :func:`prepare_file`,
    before any number is issued.
    """

    def __init__(self, target: Path, temp: Path, size: int) -> None:
        self.target = target
        self.temp = temp
        self.size = size
        self.committed = False

    def commit(self) -> None:
        if self.committed:
            return
        try:
            _replace(self.temp, self.target)
        except OSError as error:
            self.discard()
            raise StoreError(
                _("cannot write {path}: {error}").format(
                    path=self.target, error=os_reason(error)
                )
            ) from None
        self.committed = True
        _fsync_directory(self.target.parent)

    def discard(self) -> None:
        if not self.committed:
            with suppress(OSError):
                os.unlink(self.temp)


def _refuse_special_target(target: Path) -> None:
    """An output goes to a regular file or a new path, never over a folder, a device
    (/dev/full), a FIFO or a socket: replacing one would break the system, even
    with --force."""
    if target.is_dir():
        raise StoreError(_("{path} is a folder, not a file").format(path=target))
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        raise StoreError(
            _("{path} is not a regular file (a device, a pipe or a socket); write to a "
              "file instead").format(path=target)
        )


def prepare_file(target: Path, payload: bytes, replace: bool = False) -> PreparedFile:
    """Write ``payload`` to a temporary file beside ``target`` (see :class:`PreparedFile`)."""
    if target.exists() and not replace:
        raise StoreError(_("{path} exists; add --force to replace it").format(path=target))
    _refuse_special_target(target)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    _remove_orphaned_temp_files(target.parent, {target.name})
    try:
        temp = _write_temp(target, payload, mode)
    except OSError as error:
        raise StoreError(
            _("cannot write {path}: {error}").format(path=target, error=os_reason(error))
        ) from None
    return PreparedFile(target, temp, len(payload))


def _remove_orphaned_temp_files(folder: Path, names: set[str]) -> None:
    """Temporary files of the files ``names`` in ``folder`` left by a killed command
    (``.NAME.PID-RANDOM.tmp``, see :func:`_write_temp`, whose process is gone)."""
    with suppress(OSError):
        for entry in os.scandir(folder):
            name = entry.name
            if not (name.startswith(".") and name.endswith(_TEMP_SUFFIX)):
                continue
            target, _dot, writer = name[1:-len(_TEMP_SUFFIX)].rpartition(".")
            pid = writer.split("-", 1)[0]
            if target in names and pid.isdigit() and not process_alive(int(pid)):
                with suppress(OSError):
                    os.unlink(entry.path)


def write_file_atomically(target: Path, payload: bytes, replace: bool = True) -> None:
    """Write an output file (an export, a register) the way the database is saved.

    With ``replace=False`` an existing file is refused with :class:`StoreError`.
    Either way the target is never left half-written.
    """
    prepare_file(target, payload, replace).commit()


def _replace(source: Path, target: Path) -> None:
    # On Windows a reader holding the target open makes the rename fail briefly; retry.
    attempts = 20 if sys.platform == "win32" else 1
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _remove_stale_temp_files(directory: Path, prefix: str) -> None:
    """Remove temp files left by a killed save. Only called while holding the lock."""
    with suppress(OSError):
        for entry in os.scandir(directory):
            if entry.name.startswith(prefix) and entry.name.endswith(_TEMP_SUFFIX):
                with suppress(OSError):
                    os.unlink(entry.path)



# --------------------------------------------------------------------------- permissions


def write_refusal(path: Path) -> str | None:
    """Why the database at ``path`` must not be written, or ``None`` when it may be.

    Checked before any work by every writing command and by ``honours doctor``, so
    both say the same.  The mode bits are read, not only ``os.access``: root may
    write any file, but a file or folder its owner made read-only is a decision to
    respect, and a save replaces the file by a rename, which a read-only file
    alone would not prevent.
    """
    file = Path(os.path.realpath(path))
    folder = file.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the first save creates the missing folders here
    try:
        flags = os.statvfs(folder).f_flag if hasattr(os, "statvfs") else 0
    except OSError:
        flags = 0
    if flags & getattr(os, "ST_RDONLY", 1):
        return _("{folder} is on a read-only file system").format(folder=folder)
    try:
        info = file.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        return _("{path} cannot be examined: {error}").format(
            path=file, error=os_reason(error)
        )
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            return _("{path} is not a regular file").format(path=file)
        if not _may_write(info, file):
            return _("the file {path} is read-only (mode {mode})").format(
                path=file, mode=f"{stat.S_IMODE(info.st_mode):04o}"
            )
    try:
        folder_info = folder.stat()
    except OSError as error:
        return _("{path} cannot be examined: {error}").format(
            path=folder, error=os_reason(error)
        )
    if not stat.S_ISDIR(folder_info.st_mode):
        return _("{path} is not a folder").format(path=folder)
    if not _may_write(folder_info, folder, search=True):
        return _("the folder {folder} is read-only (mode {mode})").format(
            folder=folder, mode=f"{stat.S_IMODE(folder_info.st_mode):04o}"
        )
    if info is not None and not _may_replace(folder_info, info):
        return _("the folder {folder} is sticky (mode {mode}) and {path} belongs to another "
                 "user: only its owner or the folder's can replace it").format(
            folder=folder, mode=f"{stat.S_IMODE(folder_info.st_mode):04o}", path=file
        )
    return None


def _may_replace(folder: os.stat_result, file: os.stat_result) -> bool:
    """A save puts the new file in place by a rename: in a sticky folder (mode +t,
    like /tmp) only the file's owner, the folder's owner or root may rename over
    a file, whatever the file's own mode bits say."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None or not folder.st_mode & stat.S_ISVTX:
        return True
    user = geteuid()
    return user == 0 or user in (folder.st_uid, file.st_uid)


def _may_write(info: os.stat_result, path: Path, search: bool = False) -> bool:
    """The mode bits that apply to this user allow writing (and entering, for a folder).

    For root, whom the kernel lets write anything, a file counts as writable only
    when some write bit is set: ``chmod 444`` means "do not change this"."""
    wanted = os.W_OK | (os.X_OK if search else 0)
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None:  # Windows: only the read-only attribute exists
        return bool(info.st_mode & stat.S_IWRITE)
    if geteuid() == 0:
        return bool(info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return os.access(path, wanted)


class ReadOnlyDatabase(StoreError):
    """The database (its file, folder or file system) must not be written."""


class ReadOnlyFile(StoreError):
    """A companion file of the database (the certificate ledger) must not be written."""

    def __init__(self, path: Path, what: str, reason: str) -> None:
        self.path = Path(path)
        self.what = what
        self.reason = reason
        super().__init__(
            _("{what} {path} cannot be changed: {reason}. Nothing was changed. Make it "
              "writable (e.g. `chmod u+w FILE`) if honours may write it.").format(
                what=what[:1].upper() + what[1:], path=self.path, reason=reason)
        )


def check_companion_writable(path: Path, what: str) -> None:
    """Refuse to replace a companion file of the database that is not a regular
    file (:func:`honours.files.check_regular`) or that the database's own rule
    (:func:`write_refusal`: its mode bits, its folder's, the file system) says
    must not be written."""
    files.check_regular(path, what)
    reason = write_refusal(path)
    if reason:
        raise ReadOnlyFile(path, what, reason)

# --------------------------------------------------------------------------- store


class SaveHooks:
    """What a command does around the save, under the lock: ``before_save`` (write the
    certificate ledger, put an output file in place) and ``after_save`` (record the
    change in the journal).  The default does nothing."""

    def before_save(self) -> None:
        """Called just before the database file is replaced; raising cancels the save."""

    def after_save(self, backup: Backup | None, before: bytes | None, after: bytes) -> None:
        """Called once the new content is saved: ``backup`` holds ``before`` (the previous
        file, ``None`` if there was none), ``after`` is the content now saved."""


@dataclass
class _Loaded:
    """The database file as read at the start of an operation."""

    raw: bytes | None  # None: the file does not exist
    data: dict[str, Any]  # parsed tables, without _meta
    mode: int | None  # permission bits of the existing file
    identity: tuple | None = None  # (device, inode, size, mtime) of the file read
    saved: _AsSaved | None = None  # the file as honours wrote it (None: edited or older)
    unread: dict[str, UnreadRecords] | None = None  # large tables left as text (as saved)
    spans: dict[str, tuple[int, int]] | None = None  # each table's records in the body

    @property
    def body(self) -> bytes | None:
        """The tables as honours wrote them (None: edited or older)."""
        return None if self.saved is None else self.saved.body


def _holder_sentence(holder) -> str:
    """Who holds the lock, as a sentence to add to a message ("" when unknown)."""
    if holder is None:
        return ""
    sentence = _("It is process {pid}: {command}, since {since}.").format(
        pid=holder.pid, command=holder.command, since=holder.since.replace("T", " "))
    return sentence if sentence[0] > "\u2e7f" else " " + sentence  # no space after 。


class Store:
    """The honours database file, its lock and its backups."""

    def __init__(
        self,
        path: Path,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        keep_backups: int = DEFAULT_KEEP_BACKUPS,
        announce: Callable[[str], None] | None = None,
        missing_ok: bool = True,
        validate: Callable[[dict], list] | None = None,
        waiting: lockwait.Waiting | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        if keep_backups < 0:
            raise ValueError("keep_backups must be 0 or more")
        self.path = Path(path).expanduser()
        self.lock_timeout = lock_timeout
        self.keep_backups = keep_backups
        self._in_transaction = False
        # Told when a save creates the database (a new file, maybe in a new folder).
        self.announce = announce
        # False: reading a missing file, or a transaction that does not say it may
        # create one, raises DatabaseMissing (the command line's contract).
        self.missing_ok = missing_ok
        # Checks the records as a whole on every load (honours.integrity.check):
        # a file whose records do not make a roll is refused, never saved over.
        self.validate = validate
        # Shows a wait for another process's lock (honours.lockwait); None: wait silently.
        self.waiting = waiting
        # Told what went wrong after a save that stands (a journal line that could not
        # be written, honours.journal); None: that is raised as an error instead.
        self.warn = warn

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ----------------------------------------------------------------- paths

    @property
    def _file(self) -> Path:
        """The real file: saving through a symlink must replace its target, not the link."""
        return Path(os.path.realpath(self.path))

    @property
    def file(self) -> Path:
        """The database file itself (a symlink resolved)."""
        return self._file

    def beside(self, suffix: str) -> Path:
        """A companion file of the database: ``NAME{suffix}`` in the same folder."""
        file = self._file
        return file.with_name(f"{file.stem}{suffix}")

    @property
    def backup_dir(self) -> Path:
        file = self._file
        return file.with_name(f"{file.stem}.backups")

    def own_backup_dir(self) -> Path:
        """:attr:`backup_dir`, refused (:class:`honours.files.NotARegularFile`) when it
        is a symbolic link: backups are written, pruned and swept there, never
        through a link into another folder."""
        folder = self.backup_dir
        with suppress(FileNotFoundError):
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                raise files.NotARegularFile(folder, _("the backup folder"), files.LINK)
        return folder

    def owns(self, path: Path) -> bool:
        """Whether ``path`` is the database, its lock, a backup or a companion file
        (journal, ledger, overrides): an export must never be written there."""
        real = Path(os.path.realpath(path))
        own = {self._file, self.lock_path, *self.companions()}
        return real in own or self.backup_dir in real.parents or real == self.backup_dir

    def companions(self) -> list[Path]:
        """The companion files beside the database: journal, ledger, overrides, lock holder."""
        from .journal import JOURNAL_SUFFIX
        from .ledger import LEDGER_SUFFIX

        return [*(self.beside(suffix) for suffix in (
            JOURNAL_SUFFIX, LEDGER_SUFFIX, OVERRIDES_SUFFIX)),
            lockwait.holder_path(self.lock_path)]

    @property
    def lock_path(self) -> Path:
        file = self._file
        return file.with_name(f"{file.name}.lock")

    def exists(self) -> bool:
        return self._file.is_file()

    # ----------------------------------------------------------------- reading

    def read_raw(self) -> bytes | None:
        """The database file's bytes (``None``: there is none), refused when it is
        not a regular file or is larger than :data:`honours.files.DATABASE_BYTES`."""
        try:
            return read_regular_file(self._file, files.DATABASE_BYTES, _("the database"))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(
                _("Cannot read the database {path}: {error}.").format(
                    path=self.path, error=os_reason(error)
                )
            ) from error

    def _refusal(self, invalid: _Invalid) -> StoreError:
        """Turn a parse failure of the database file into the error the user sees."""
        untouched = _("The file has been left untouched.")
        if invalid.kind is DamagedDatabase:
            newest = self._newest_backup_quietly()
            if newest is None:
                hint = _("No backups were found in {folder}.").format(folder=self.backup_dir)
            else:
                hint = _("The newest backup is {name} (made {time}).").format(
                    name=newest.name, time=f"{newest.created:%Y-%m-%d %H:%M:%S}"
                )
            return invalid.error(
                _(
                    "The database file {path} is damaged and cannot be read "
                    "({detail}). {untouched}\n"
                    "To restore a backup, list them with `honours backup list`, then run "
                    "`honours backup restore NAME`. {hint}"
                ).format(path=self.path, detail=invalid.detail, untouched=untouched, hint=hint),
                self.path,
            )
        if invalid.kind is UnsupportedSchema:
            newer = isinstance(invalid.schema, int) and invalid.schema > SCHEMA_VERSION
            why = (
                _("It was written by a newer version of honours; upgrade honours to open it.")
                if newer
                else _("This version of honours cannot read it.")
            )
            return UnsupportedSchema(
                _(
                    "The database {path} uses schema version {schema!r}, but this "
                    "version of honours only understands schema {version}. {why} {untouched}"
                ).format(
                    path=self.path, schema=invalid.schema, version=SCHEMA_VERSION, why=why,
                    untouched=untouched,
                ),
                self.path,
                invalid.schema,
            )
        return NotAHonoursDatabase(
            _(
                "The file {path} is not a honours database ({detail}). {untouched} "
                "Check the --db option or the {variable} environment variable."
            ).format(path=self.path, detail=invalid.detail, untouched=untouched, variable=ENV_VAR),
            self.path,
        )

    def _newest_backup_quietly(self) -> Backup | None:
        # Only used to enrich an error message; must not raise a second error.
        try:
            backups = self.list_backups()
        except (OSError, StoreError):
            return None
        return backups[0] if backups else None

    def _load(self) -> _Loaded:
        raw = self.read_raw()
        if raw is None:
            return _Loaded(raw=None, data={}, mode=None)
        saved = _saved_body(raw)
        unread: dict[str, UnreadRecords] = {}
        spans = None
        try:
            if saved is not None:
                _refuse_too_many_values(raw)
                skeleton, unread, spans = _unread_tables(raw, saved)
                data = _parse(skeleton, as_saved=True)
            else:
                data = _parse(raw)
        except _Invalid as invalid:
            raise self._refusal(invalid) from None
        del data[META_TABLE]  # reserved; callers never see or edit it
        # The roll checks are for hand edits and other programs: a file that is
        # byte for byte what honours saved needs none (``doctor`` always checks).
        if self.validate is not None and saved is None:
            problems = self.validate(data)
            if problems:
                raise InconsistentDatabase(
                    _(
                        "The database {path} has {count} record(s) that do not make a roll "
                        "(a hand edit?): {problems}. The file has been left untouched; "
                        "`honours doctor` lists them all, and `honours doctor --repair` mends "
                        "them after taking a backup."
                    ).format(
                        path=self.path, count=len(problems),
                        problems="; ".join(str(p) for p in problems[:5])
                        + (" …" if len(problems) > 5 else ""),
                    )
                )
        try:
            info = self._file.stat()
        except OSError:
            mode = identity = None
        else:
            mode = stat.S_IMODE(info.st_mode)
            identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        return _Loaded(raw=raw, data=data, mode=mode, identity=identity, saved=saved,
                       unread=unread, spans=spans)

    def snapshot(self) -> TinyDB:
        """The current content as a read-only in-memory TinyDB, without taking the lock.

        Safe without the lock because every save replaces the file atomically.  A
        missing file reads as empty, or raises :class:`DatabaseMissing` when the
        store is not ``missing_ok``; nothing is created either way.
        """
        loaded = self._load()
        if loaded.raw is None and not self.missing_ok:
            raise self._missing()
        return _Database(storage=_MemoryStorage, data=loaded.data, read_only=True,
                         unread=loaded.unread)

    def _missing(self) -> DatabaseMissing:
        return DatabaseMissing(
            _(
                "The database {path} does not exist. Start one with `honours category add "
                "TITLE` (or `honours import FILE`), or check the --db option and the "
                "{variable} environment variable."
            ).format(path=self.path, variable=ENV_VAR)
        )

    # ----------------------------------------------------------------- locking

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self._in_transaction:
            # A nested transaction would read data the outer one has not saved yet.
            raise StoreError(_("A honours transaction is already open on this database."))
        self.check_writable()
        lock_path = self.lock_path
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                _("Cannot create the folder for the database {path}: {error}.").format(
                    path=self.path, error=os_reason(error)
                )
            ) from error
        try:
            # filelock retries a lock file it cannot create until its timeout and
            # then reports "busy": find out first whether the file can be made at all.
            os.close(files.open_regular(lock_path, _("the lock file"), os.O_RDWR | os.O_CREAT))
        except OSError as error:
            raise StoreError(
                _("Cannot lock the database {path} ({lock}): {error}.").format(
                    path=self.path, lock=lock_path, error=os_reason(error)
                )
            ) from error
        # Imported here: readers (snapshot) never lock, and start-up stays fast.
        from filelock import FileLock, Timeout

        lock = FileLock(str(lock_path), timeout=self.lock_timeout)
        try:
            lockwait.acquire(lock, lock_path, self.lock_timeout, self.waiting)
        except Timeout:
            holder = lockwait.read_holder(lock_path)
            raise DatabaseBusy(
                _(
                    "The database {path} is in use by another honours command "
                    "(waited {seconds:g} s for the lock {lock}). "
                    "Try again when that command has finished; the lock is released "
                    "automatically when it ends."
                ).format(path=self.path, seconds=self.lock_timeout, lock=lock_path)
                + _holder_sentence(holder)
            ) from None
        except OSError as error:  # e.g. a read-only folder: the lock file cannot be created
            raise StoreError(
                _("Cannot lock the database {path} ({lock}): {error}.").format(
                    path=self.path, lock=lock_path, error=os_reason(error)
                )
            ) from error
        self._in_transaction = True
        try:
            yield
        finally:
            self._in_transaction = False
            lockwait.clear_holder(lock_path)
            lock.release()

    def check_writable(self) -> None:
        """Refuse, before any work, a database that must not be written (see
        :func:`write_refusal`)."""
        reason = write_refusal(self.path)
        if reason:
            raise ReadOnlyDatabase(
                _(
                    "The database {path} cannot be changed: {reason}. Nothing was done. "
                    "Make it writable (e.g. `chmod u+w FILE`) or use another database "
                    "with --db PATH."
                ).format(path=self.path, reason=reason)
            )

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def transaction(
        self, backup: str | None = None, hooks: SaveHooks | None = None, create: bool = False
    ) -> Iterator[TinyDB]:
        """Lock, load, yield an in-memory TinyDB, then save once if anything changed.

        If the body raises, nothing is written and the exception propagates. If ``backup``
        is a non-empty reason and an existing file is about to change, a backup is taken
        first. ``hooks`` run under the lock just before and just after the save (the
        ledger, an output file and the journal are written there).  In a store that is
        not ``missing_ok``, only a transaction that may ``create`` the database runs when
        the file does not exist; any other raises :class:`DatabaseMissing` before it
        locks, so that nothing (no lock file, no folder) is left behind.
        """
        if not (create or self.missing_ok) and not self._file.exists():
            raise self._missing()
        new_folder = not self._file.parent.exists()
        with self._locked():
            loaded = self._load()
            db = _Database(storage=_MemoryStorage, data=loaded.data, unread=loaded.unread)
            storage: _MemoryStorage = db.storage  # type: ignore[assignment]
            try:
                yield db
                if storage.broken:
                    raise StoreError(_(
                        "Nothing was saved: a change to the database failed half-way."))
                saved = (None if loaded.saved is None or storage.replaced
                         else _SavedText(loaded.saved.body, storage.changes,
                                         loaded.saved.largest, loaded.spans))
                if saved is None:
                    storage.read_all()  # every record is encoded again
                payload = _serialise(storage.data, saved) if storage.dirty else None
                if payload is not None and self._changed(loaded, storage.data, payload):
                    taken = None
                    if backup and loaded.raw is not None:
                        taken = self._write_backup(loaded.raw, backup, loaded.mode,
                                                   same_as=loaded.identity)
                    try:
                        if hooks is not None:
                            hooks.before_save()
                        self._save(payload, loaded.mode)
                    except BaseException:
                        # A backup of a change that never happened would undo nothing.
                        if taken is not None:
                            with suppress(OSError):
                                taken.path.unlink()
                        raise
                    if loaded.raw is None and self.announce is not None:
                        self._announce_creation(new_folder)
                    if hooks is not None:
                        hooks.after_save(taken, loaded.raw, payload)
            finally:
                storage.end()

    def _announce_creation(self, new_folder: bool) -> None:
        if new_folder:
            message = _("created a new database {path} in the new folder {folder}").format(
                path=self.path, folder=self._file.parent
            )
        else:
            message = _("created a new database {path}").format(path=self.path)
        self.announce(message)

    @staticmethod
    def _changed(loaded: _Loaded, tables: dict[str, Any], payload: bytes) -> bool:
        """Whether the tables differ from the file; TinyDB writes even for no-op updates."""
        if loaded.raw is None:
            return bool(tables)
        if loaded.saved is not None:  # the file is as honours wrote it
            if loaded.saved.largest is not None:  # both digests cover the same: compare them
                return _digest_in(payload) != loaded.saved.digest
            return payload[payload.index(b"\n}", len(_HEAD)) + 2:] != loaded.saved.body
        # An edited or older file: parse it again (TinyDB changed the first copy in place).
        original = _parse(loaded.raw)
        del original[META_TABLE]
        return original != tables

    def _save(self, payload: bytes, mode: int | None) -> None:
        target = self._file
        try:
            # Temporary files a killed save left, beside the database and among
            # the backups: every save sweeps both, a backup taken or not, and
            # those of the companions (the ledger …) whose writer is gone.
            _remove_stale_temp_files(target.parent, f".{target.name}.")
            _remove_stale_temp_files(self.own_backup_dir(), ".")
            _remove_orphaned_temp_files(target.parent, {p.name for p in self.companions()})
            _atomic_write(target, payload, mode)
        except OSError as error:
            raise StoreError(
                _(
                    "Could not save the database {path}: {error}. "
                    "The previous content is unchanged."
                ).format(path=self.path, error=os_reason(error))
            ) from error

    # ----------------------------------------------------------------- backups

    def list_backups(self) -> list[Backup]:
        """Backups of this database, newest first."""
        backups = []
        try:
            entries = list(os.scandir(self.own_backup_dir()))
        except (FileNotFoundError, NotADirectoryError):
            return []
        for entry in entries:
            match = _BACKUP_NAME.match(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            try:
                created = datetime.strptime(match["stamp"], _STAMP_FORMAT)
                size = entry.stat().st_size
            except (ValueError, OSError):
                continue
            backups.append(
                Backup(
                    name=entry.name,
                    path=Path(entry.path),
                    created=created,
                    size=size,
                    reason=match["reason"] or "",
                )
            )
        backups.sort(key=lambda b: (b.created, b.name), reverse=True)
        return backups

    def _write_backup(
        self, raw: bytes, reason: str, mode: int | None, protect: str | None = None,
        same_as: tuple | None = None,
    ) -> Backup | None:
        """Keep ``raw`` (the current file) in the backup folder, then prune old backups.

        When the file is still the one read (``same_as``: its device, inode, size and
        time), the backup is a second name for it (a hard link): the save that follows
        replaces the database by a rename and never writes into the old file, so the
        link keeps the old content at no cost (a copy of a 100,000-winner roll costs
        more than the rest of a change).  Elsewhere, or where links are not possible,
        it is a copy."""
        if self.keep_backups == 0:
            return None
        directory = self.own_backup_dir()
        stamp = datetime.now()
        slug = _slug(reason)
        existing = {b.name for b in self.list_backups()}
        while True:
            name = f"{_BACKUP_PREFIX}-{stamp.strftime(_STAMP_FORMAT)}-{slug}.json"
            if name not in existing and not (directory / name).exists():
                break
            stamp += timedelta(microseconds=1)
        path = directory / name
        try:
            if not (same_as is not None and self._link(path, same_as)):
                _atomic_write(path, raw, mode)
        except OSError as error:
            raise StoreError(
                _(
                    "Could not write a backup to {folder}: {error}. "
                    "Nothing was changed in {path}."
                ).format(folder=directory, error=os_reason(error), path=self.path)
            ) from error
        self._prune_backups(protect={name, protect})
        return Backup(name=name, path=path, created=stamp, size=len(raw), reason=slug)

    def _link(self, path: Path, same_as: tuple) -> bool:
        """Link the database file as ``path`` if it is still the file ``same_as`` names."""
        file = self._file
        try:
            info = file.stat()
            if (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns) != same_as:
                return False
            path.parent.mkdir(parents=True, exist_ok=True)
            os.link(file, path)
        except OSError:
            return False  # no links on this file system (FAT, some shares): copy instead
        _fsync_directory(path.parent)
        return True

    def _prune_backups(self, protect: set[str | None]) -> None:
        backups = self.list_backups()
        for old in backups[self.keep_backups :]:
            if old.name in protect:
                continue
            with suppress(FileNotFoundError):
                old.path.unlink()

    def find_backup(self, name: str) -> Backup:
        """The backup called ``name`` (with or without ``.json``), or BackupNotFound."""
        return self._find_backup(name)

    def _find_backup(self, name: str) -> Backup:
        candidates = {name, f"{name}.json"}
        if os.sep in name or (os.altsep and os.altsep in name) or name in {"", ".", ".."}:
            candidates = set()
        for backup in self.list_backups():
            if backup.name in candidates:
                return backup
        raise BackupNotFound(
            _(
                "There is no backup named {name!r} in {folder}. "
                "Run `honours backup list` to see the available backups."
            ).format(name=name, folder=self.backup_dir)
        )

    def restore(
        self, name: str, hooks: SaveHooks | None = None, reason: str = "before-restore",
        allow_broken: bool = False,
    ) -> RestoredBackup:
        """Replace the database with backup ``name``, keeping what it replaces.

        A readable current file is first backed up (``reason``, by default
        ``before-restore``); an unreadable one (damaged, foreign or newer) is kept as
        ``<name>.damaged-<time>`` or ``<name>.set-aside-<time>`` beside it, never deleted.
        A backup whose records fail the roll checks (``validate``: the one taken before
        ``doctor --repair``) raises :class:`BrokenBackup`, unless ``allow_broken``;
        then what they find is in the result's ``problems``.
        """
        with self._locked():
            chosen = self._find_backup(name)
            try:
                raw = read_regular_file(chosen.path, files.DATABASE_BYTES, _("the backup"))
            except OSError as error:
                raise StoreError(
                    _("Cannot read the backup {name}: {error}.").format(
                        name=chosen.name, error=os_reason(error)
                    )
                ) from error
            try:
                parsed = _parse(raw)
            except _Invalid as invalid:
                message = _(
                    "The backup {name} cannot be restored: {detail}. "
                    "Nothing was changed in {path}."
                ).format(name=chosen.name, detail=invalid.detail, path=self.path)
                raise invalid.error(message, chosen.path) from None
            problems = self._roll_problems(raw, parsed)
            if problems and not allow_broken:
                raise BrokenBackup(_(
                    "The backup {name} holds {count} record(s) that do not make a roll: "
                    "{problems}. Nothing was changed in {path}. To bring it back anyway, add "
                    "--allow-broken: every command but `honours doctor` then refuses the "
                    "database until `honours doctor --repair` mends it."
                ).format(name=chosen.name, count=len(problems), path=self.path,
                         problems="; ".join(str(p) for p in problems[:5])
                         + (" …" if len(problems) > 5 else "")), chosen.name, problems)
            safety, set_aside = self._put_in_place(raw, reason, chosen.name, hooks)
            return RestoredBackup(**vars(chosen), safety_backup=safety, set_aside=set_aside,
                                  problems=tuple(problems))

    def _roll_problems(self, raw: bytes, parsed: dict[str, Any]) -> list:
        """What ``validate`` finds in a file's records (nothing in a file as honours
        saved it: it is read without the checks, as :meth:`_load` reads it)."""
        if self.validate is None or _saved_body(raw) is not None:
            return []
        return self.validate({k: v for k, v in parsed.items() if k != META_TABLE})

    def replace_with_empty(
        self, hooks: SaveHooks | None = None, reason: str = "before-undo"
    ) -> Backup | None:
        """Make the database empty (undoing the change that created it), keeping a
        backup of the current content; returns that backup."""
        with self._locked():
            safety, _aside = self._put_in_place(_serialise({}), reason, None, hooks)
            return safety

    def _put_in_place(
        self, raw: bytes, reason: str, protect: str | None, hooks: SaveHooks | None
    ) -> tuple[Backup | None, Path | None]:
        """Under the lock: keep the current file (backup or set aside), then save ``raw``."""
        if hooks is not None:
            hooks.before_save()
        target = self._file
        current = self.read_raw()
        mode: int | None = None
        safety: Backup | None = None
        set_aside: Path | None = None
        if current is not None:
            with suppress(OSError):
                mode = stat.S_IMODE(target.stat().st_mode)
            try:
                _parse(current)
            except _Invalid as invalid:
                set_aside = self._set_aside(target, current, invalid, mode)
            else:
                safety = self._write_backup(current, reason, mode, protect=protect)
        try:
            self._save(raw, mode)
        except BaseException:
            if safety is not None:
                with suppress(OSError):
                    safety.path.unlink()
            raise
        if hooks is not None:
            hooks.after_save(safety, current, raw)
        return safety, set_aside

    def _set_aside(self, target: Path, current: bytes, invalid: _Invalid, mode: int | None) -> Path:
        """Keep an unreadable database under another name before it is replaced.

        Copied (its bytes are in memory) rather than renamed, so the database path never
        disappears, even for a moment, under a reader that takes no lock.
        """
        label = "damaged" if invalid.kind is DamagedDatabase else "set-aside"
        stamp = datetime.now().strftime(_STAMP_FORMAT)
        aside = target.with_name(f"{target.name}.{label}-{stamp}")
        try:
            _atomic_write(aside, current, mode)
        except OSError as error:
            raise StoreError(
                _(
                    "Could not keep a copy of the unreadable database {path}: "
                    "{error}. Nothing was restored."
                ).format(path=self.path, error=os_reason(error))
            ) from error
        return aside
