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

from . import files
from .errors import HonoursError, os_reason
from .files import open_regular, read_regular_file
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
        raw = read_regular_file(journal_path(store), files.JOURNAL_BYTES, _("the journal"))
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
    fd = open_regular(path, _("the journal"), os.O_RDWR | os.O_CREAT | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        # A crash may have cut the last line short: start a fresh line.
        # (lseek and read, not pread, which Windows lacks; O_APPEND writes at the end.)
        if size and os.lseek(fd, size - 1, os.SEEK_SET) >= 0 and os.read(fd, 1) != b"\n":
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
    unrecorded: str | None = None  # why the saved change has no journal line, if so
    number: int | None = None  # the change's number, read from the journal before the save

    def describe(self, text: str) -> None:
        self.changes.append(text)

    def before_save(self) -> None:
        # The journal is read before the change is saved: a link, a FIFO, a device
        # or a journal past its limit in its place is refused with nothing saved,
        # not found out after the save (the append checks the file again).
        entries = read_journal(self.store)
        self.number = (entries[-1].number + 1) if entries else 1
        for action in self.before:
            action()

    def after_save(self, backup: Backup | None, before: bytes | None, after: bytes) -> None:
        """Append the change's line; when it cannot be written, the change stays
        saved: the store's ``warn`` is told that undo cannot go back past it
        (:attr:`unrecorded` holds the sentence), or, without one, it is raised."""
        if self.number is None:  # saved without before_save (not by a Store)
            try:
                entries = read_journal(self.store)
            except StoreError as error:
                self._unrecorded(error)
                return
            self.number = (entries[-1].number + 1) if entries else 1
        self.entry = Entry(
            number=self.number,
            time=datetime.now().isoformat(timespec="seconds"),
            command=self.command,
            changes=tuple(self.changes),
            backup=backup.name if backup else None,
            created=before is None,
            after=content_hash(after),
        )
        try:
            _append(self.store, self.entry)
        except (OSError, StoreError) as error:
            self.entry = None
            self._unrecorded(error)

    def _unrecorded(self, error: OSError | StoreError) -> None:
        """The change is saved; only its line in the journal is missing."""
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        self.unrecorded = _(
            "The change was saved, but the journal {path} could not be written: "
            "{error}. `honours undo` cannot go back past this change."
        ).format(path=journal_path(self.store), error=reason)
        if self.store.warn is None:
            raise StoreError(self.unrecorded) from (error if isinstance(error, OSError) else None)
        self.store.warn(self.unrecorded)


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
            content = (read_regular_file(backup.path, files.DATABASE_BYTES, _("the backup"))
                       if backup else None)
        except (OSError, StoreError):
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
        current = self.store.read_raw()
        if content_hash(current) != self.expected:
            raise NothingToUndo(self._changed_since(content_hash(current)))
        super().before_save()

    def _changed_since(self, now: str) -> str:
        """Why the database is not what undo planned on: another command saved a
        change since (named, when the journal records it), or a change nobody
        recorded (a hand edit, an interrupted command)."""
        entries = read_journal(self.store)
        planned = next((e.number for e in reversed(entries) if e.after == self.expected), 0)
        later = [e for e in entries if e.number > planned] if planned else []
        if later and later[-1].after == now:
            return ngettext(
                "Another command changed the roll while undo waited for it: #{number} "
                "{command} ({summary}). Nothing was undone; `honours log` shows it, and "
                "`honours undo` again takes back the newest change.",
                "Other commands changed the roll while undo waited for it, the last "
                "#{number} {command} ({summary}). Nothing was undone; `honours log` shows "
                "them, and `honours undo` again takes back the newest change.",
                len(later),
            ).format(number=later[-1].number, command=later[-1].command,
                     summary=later[-1].summary)
        return _(
            "The database changed after the last recorded change (edited by hand, "
            "or a command was interrupted before it could record its change), so "
            "undo would drop a change the journal does not show. Nothing was "
            "undone; `honours backup list` and `honours backup restore NAME` go "
            "back to a chosen backup."
        )


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
