"""The change journal beside the database, and undo.

Every change a command saves is one line of ``NAME.journal.jsonl`` beside
``NAME.json``: when, the command as typed, what changed in words, the backup
that holds the content before it (what undoing it restores) and a hash of the
content after it.  ``honours log`` lists the lines, ``honours undo`` restores
the backup of the last one (``undo N``: of the N-th last one) and is itself a
change, recorded and undoable.

The journal is appended under the database lock right after the save; a line
cut short by a crash is skipped when reading.  Undo refuses when the database
no longer holds what the last line says it saved (changed by hand, or a crash
between the save and the journal line): then it would silently drop a change
nobody recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tinydb import TinyDB

from .errors import HonoursError, os_reason
from .i18n import _, ngettext
from .storage import Backup, SaveHooks, Store, StoreError

JOURNAL_SUFFIX = ".journal.jsonl"


class NothingToUndo(HonoursError):
    """Undo cannot go back that far, or the database is not what the journal says."""


def journal_path(store: Store) -> Path:
    return store.beside(JOURNAL_SUFFIX)


def content_hash(raw: bytes | None) -> str:
    return hashlib.sha256(raw or b"").hexdigest()


@dataclass(frozen=True)
class Entry:
    """One recorded change."""

    number: int
    time: str  # local time, ISO 8601 to the second
    command: str  # as typed
    changes: tuple[str, ...]  # what changed, in words
    backup: str | None  # the backup holding the content before this change
    created: bool  # the database did not exist before this change
    after: str  # sha256 of the content this change saved

    @property
    def summary(self) -> str:
        return _("; ").join(self.changes) if self.changes else self.command

    def as_json(self) -> dict:
        return {
            "number": self.number, "time": self.time, "command": self.command,
            "changes": list(self.changes), "backup": self.backup, "created": self.created,
            "after": self.after,
        }


def read_journal(store: Store) -> list[Entry]:
    """The recorded changes, oldest first; unreadable lines (cut by a crash) are skipped."""
    try:
        raw = journal_path(store).read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise StoreError(
            _("Cannot read the journal {path}: {error}.").format(
                path=journal_path(store), error=os_reason(error)
            )
        ) from error
    entries = []
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            data = json.loads(line)
            entries.append(
                Entry(
                    number=int(data["number"]), time=str(data["time"]),
                    command=str(data["command"]),
                    changes=tuple(str(c) for c in data.get("changes", ())),
                    backup=data.get("backup") or None, created=bool(data.get("created")),
                    after=str(data["after"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return entries


def _append(store: Store, entry: Entry) -> None:
    path = journal_path(store)
    line = json.dumps(entry.as_json(), ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size:
            # A crash may have cut the last line short: start a fresh line.
            with open(path, "rb") as reader:
                reader.seek(size - 1)
                if reader.read(1) != b"\n":
                    line = "\n" + line
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


_PLAIN = re.compile(r"[^\s'\"\\$`!*?;&|<>()#~{}\[\]]+")


def command_line(argv: list[str] | None) -> str:
    """The command as typed: quoted only where a shell needs it (Chinese needs nothing)."""
    return " ".join(
        arg if _PLAIN.fullmatch(arg) else shlex.quote(arg) for arg in ["honours", *(argv or [])]
    )


# --------------------------------------------------------------------------- recording


@dataclass
class Change(SaveHooks):
    """A command's change in progress: what it did in words, and what must happen
    under the lock just before the save (``before``, in order)."""

    store: Store
    command: str
    changes: list[str] = field(default_factory=list)
    before: list[Callable[[], None]] = field(default_factory=list)
    db: TinyDB | None = None
    entry: Entry | None = None

    def describe(self, text: str) -> None:
        self.changes.append(text)

    def before_save(self) -> None:
        for action in self.before:
            action()

    def after_save(self, backup: Backup | None, before: bytes | None, after: bytes) -> None:
        entries = read_journal(self.store)
        self.entry = Entry(
            number=(entries[-1].number + 1) if entries else 1,
            time=datetime.now().isoformat(timespec="seconds"),
            command=self.command,
            changes=tuple(self.changes),
            backup=backup.name if backup else None,
            created=before is None,
            after=content_hash(after),
        )
        try:
            _append(self.store, self.entry)
        except OSError as error:
            # The change is saved; only its line in the journal is missing.
            raise StoreError(
                _(
                    "The change was saved, but the journal {path} could not be written: "
                    "{error}. `honours undo` cannot go back past this change."
                ).format(path=journal_path(self.store), error=os_reason(error))
            ) from error


@contextmanager
def recorded_change(
    store: Store, reason: str, argv: list[str] | None, create: bool = False
) -> Iterator[Change]:
    """A transaction whose change is backed up first (named after ``reason``, so
    that it can be undone) and recorded in the journal with the command as typed."""
    change = Change(store=store, command=command_line(argv))
    with store.transaction(backup=reason, hooks=change, create=create) as db:
        change.db = db
        yield change


# --------------------------------------------------------------------------- undo


def changes_after(store: Store, backup: Backup) -> list[Entry]:
    """The recorded changes that restoring ``backup`` drops: the one it was taken
    before and every later one (by time, for a backup no change names)."""
    entries = read_journal(store)
    for index, entry in enumerate(entries):
        if entry.backup == backup.name:
            return entries[index:]
    stamp = backup.created.isoformat(timespec="seconds")
    return [entry for entry in entries if entry.time >= stamp]


def undo_plan(store: Store, count: int) -> list[Entry]:
    """The last ``count`` changes, newest first, if they can be undone; else why not."""
    if count < 1:
        raise NothingToUndo(_("give a number of changes of 1 or more"))
    entries = read_journal(store)
    if not entries:
        raise NothingToUndo(
            _("Nothing to undo: the journal {path} records no change yet.").format(
                path=journal_path(store)
            )
        )
    if count > len(entries):
        raise NothingToUndo(
            ngettext(
                "Only {count} change is recorded; nothing was undone.",
                "Only {count} changes are recorded; nothing was undone.",
                len(entries),
            ).format(count=len(entries))
        )
    chosen = list(reversed(entries[-count:]))
    oldest = chosen[-1]
    known = {backup.name: backup for backup in store.list_backups()}
    if not oldest.created and (oldest.backup is None or oldest.backup not in known):
        raise NothingToUndo(
            _(
                "Change #{number} cannot be undone: its backup {name} is no longer kept "
                "(the newest {keep} backups are). Nothing was undone."
            ).format(number=oldest.number, name=oldest.backup, keep=store.keep_backups)
        )
    # Each change must start where the one before it ended; otherwise a change nobody
    # recorded happened in between, and undoing past it would silently drop it.
    for later, earlier in zip(chosen, chosen[1:]):
        backup = known.get(later.backup or "")
        try:
            content = backup.path.read_bytes() if backup else None
        except OSError:
            content = None
        if content is None or content_hash(content) != earlier.after:
            raise NothingToUndo(
                _(
                    "Undo cannot go back past change #{number}: the database it started "
                    "from is not what change #{earlier} left (a change was made that the "
                    "journal does not show, or a backup is missing). Nothing was undone; "
                    "`honours backup list` and `honours backup restore NAME` go back to a "
                    "chosen backup."
                ).format(number=later.number, earlier=earlier.number)
            )
    return chosen


class _UndoHooks(Change):
    """Before undoing, check under the lock that the database is what the journal
    last recorded."""

    expected: str = ""
    problems: tuple = ()  # what the roll checks find in the content brought back

    def before_save(self) -> None:
        try:
            current = self.store.file.read_bytes()
        except FileNotFoundError:
            current = None
        if content_hash(current) != self.expected:
            raise NothingToUndo(
                _(
                    "The database changed after the last recorded change (edited by hand, "
                    "or a command was interrupted before it could record its change), so "
                    "undo would drop a change the journal does not show. Nothing was "
                    "undone; `honours backup list` and `honours backup restore NAME` go "
                    "back to a chosen backup."
                )
            )
        super().before_save()


def undo(store: Store, count: int, argv: list[str] | None,
         allow_broken: bool = False) -> tuple[list[Entry], Change]:
    """Restore the content before the last ``count`` changes; returns them and the
    recorded undo (its ``problems``: what the roll checks find in the content
    brought back, which only ``allow_broken`` lets undo bring back, see
    :meth:`Store.restore`)."""
    chosen = undo_plan(store, count)
    newest, oldest = chosen[0], chosen[-1]
    hooks = _UndoHooks(store=store, command=command_line(argv))
    hooks.expected = newest.after
    for entry in chosen:
        hooks.describe(
            _("undid #{number} ({summary})").format(number=entry.number, summary=entry.summary)
        )
    if oldest.created:
        store.replace_with_empty(hooks)
    else:
        hooks.problems = store.restore(oldest.backup, hooks, reason="before-undo",
                                       allow_broken=allow_broken).problems
    return chosen, hooks


def journal_by_backup(store: Store) -> dict[str, Entry]:
    """Which recorded change each backup undoes."""
    with suppress(StoreError):
        return {entry.backup: entry for entry in read_journal(store) if entry.backup}
    return {}
