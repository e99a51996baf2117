"""The certificate ledger as the one authority on numbers: a roll's numbers checked
against it both ways, an incoming number checked before it enters the roll, and
a lost ledger rebuilt from the roll and its backups.

Pure functions over a database (TinyDB) and a :class:`~honours.ledger.Ledger`;
no I/O.  The findings carry fields; the command line words them
(honours/cli/numbers.py).  docs/certificates.md says the rules for clerks.

A number belongs to a holder when the ledger records it for the same winner (its
id) under one of the winner's names, or, for a number recorded without a winner
(revoked before the ledger knew it), for the same name in the same category.
Both are needed: a removed winner's id is taken by the next winner added.  A
rename (``edit --name``, a proposer's corrected spelling) renames the ledger's
record too (:func:`follow_rename`), so the renamed winner keeps its number.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tinydb import TinyDB

from .ledger import IssuedNumber, Ledger, certificate_serial
from .recipients import split_proposers
from .roll import (
    PATH_SEPARATOR,
    WINNERS,
    categories_by_id,
    settings,
    update_documents,
    winner_records,
)


@dataclass(frozen=True)
class Holder:
    """Who holds a number in the roll: the winner, and the recipient it is for (the
    winner itself, or one of a work's proposers)."""

    winner: int
    name: str
    recipient: str
    category: str  # the category's path


@dataclass(frozen=True)
class ForeignNumber:
    """A number a winner holds that the ledger gives to someone else (or records as
    revoked from a winner whose id this one took)."""

    number: str
    holder: Holder
    issued: IssuedNumber


@dataclass(frozen=True)
class SharedNumber:
    """One number held by several winners or proposers; ``keeper``: the one the
    ledger gives it to (None when the ledger names none of them)."""

    number: str
    holders: tuple[Holder, ...]
    keeper: Holder | None


@dataclass(frozen=True)
class UnknownNumber:
    """A number a winner holds that the ledger does not record."""

    number: str
    holder: Holder


@dataclass(frozen=True)
class LedgerMissing:
    """No ledger file, while winners hold ``held`` numbers or the database's counter
    says ``counter`` were issued (in the roll, or in the backup ``backup``)."""

    held: int
    counter: int
    backup: str = ""


@dataclass(frozen=True)
class LedgerEmptied:
    """A ledger file recording no number, while numbers were issued (as
    :class:`LedgerMissing`)."""

    held: int
    counter: int
    backup: str = ""


@dataclass(frozen=True)
class LedgerLowered:
    """The ledger's highest serial is below a serial it records (``number``) or
    below the database's counter (``number`` empty)."""

    highest: int
    needed: int
    number: str


Finding = (ForeignNumber | SharedNumber | UnknownNumber | LedgerMissing | LedgerEmptied
           | LedgerLowered)
#: The findings that stop every issuing and printing of numbers until mended.
DAMAGE = (LedgerMissing, LedgerEmptied, LedgerLowered)


# --------------------------------------------------------------------------- holders


def names_of(doc: Mapping) -> set[str]:
    """Every name a winner's number may be recorded under."""
    names = {doc.get("name", "")}
    proposer = (doc.get("proposer") or "").strip()
    if proposer:
        names.add(proposer)
        names.update(split_proposers(proposer))
    names.update((doc.get("certificates") or {}).keys())
    names.discard("")
    return names


class _Paths:
    """Category paths by id, made on demand (a finding names its category)."""

    def __init__(self, db: TinyDB) -> None:
        self.by_id = categories_by_id(db)
        self.paths: dict = {}

    def __call__(self, category_id) -> str:
        if category_id not in self.paths:
            parts, seen, current = [], set(), self.by_id.get(category_id)
            while current is not None and current.id not in seen:
                seen.add(current.id)
                parts.append(current.title)
                current = self.by_id.get(current.parent)
            self.paths[category_id] = PATH_SEPARATOR.join(reversed(parts))
        return self.paths[category_id]


def _held(records: Mapping[str, dict]) -> dict[str, list[tuple[str, str | None]]]:
    """Number → (winner key, recipient; None: the winner's one number) of every
    holder, in winner order: one pass, no object made for a number."""
    by_number: dict[str, list[tuple[str, str | None]]] = {}
    for key, doc in records.items():
        certificates = doc.get("certificates")
        if certificates:
            for recipient, number in certificates.items():
                if number:
                    by_number.setdefault(number, []).append((key, recipient))
        single = doc.get("certificate")
        if single:
            by_number.setdefault(single, []).append((key, None))
    return by_number


def _holder(key: str, recipient: str | None, doc: Mapping, paths: _Paths) -> Holder:
    try:
        winner = int(key)
    except ValueError:
        winner = 0
    if recipient is None:
        recipient = (doc.get("proposer") or "").strip() or doc.get("name", "")
    return Holder(winner, doc.get("name", ""), recipient, paths(doc.get("category")))


def holdings(db: TinyDB) -> list[tuple[str, Holder, frozenset[str]]]:
    """(number, holder, the holder's names) for every number the roll holds, in
    winner order (a work's proposers each)."""
    records = winner_records(db)
    paths = _Paths(db)
    return [(number, _holder(key, recipient, records[key], paths),
             frozenset(names_of(records[key])))
            for number, holders in _held(records).items() for key, recipient in holders]


def belongs(record: IssuedNumber, holder: Holder, names: Iterable[str],
            winner_gone: bool = False) -> bool:
    """Whether the ledger's ``record`` gives its number to ``holder`` (see the module).
    ``winner_gone``: no winner of the roll has the record's winner id any more (an
    id mended by ``doctor --repair`` after a hand edit): then, as for a record
    without a winner, the same name in the same category holds it, unless revoked."""
    names = set(names)
    named = (record.recipient in names or record.recipient == holder.recipient
             or (bool(record.renamed) and not names.isdisjoint(record.renamed.split("、"))))
    if record.winner and not (winner_gone and not record.revoked):
        return record.winner == holder.winner and named
    return named and record.category == holder.category


def rename_record(record: IssuedNumber, new: str) -> None:
    """The recipient of ``record`` is now called ``new``; the former name is kept
    (an undo of the rename brings it back, with its number)."""
    former = [name for name in record.renamed.split("、") if name]
    if record.recipient not in former:
        former.append(record.recipient)
    record.renamed = "、".join(name for name in former if name != new)
    record.recipient = new


def follow_rename(ledger: Ledger, winner: int, old: str, new: str) -> list[str]:
    """Rename the recipient of ``winner``'s numbers in ``ledger`` (in memory) from
    ``old`` to ``new``; returns the numbers renamed."""
    renamed = []
    if old == new:
        return renamed
    for record in ledger.numbers.values():
        if record.winner == winner and record.recipient == old:
            rename_record(record, new)
            renamed.append(record.number)
    return renamed


def claims(record: IssuedNumber, names: Iterable[str], category: str) -> bool:
    """Whether a new winner (an imported one: no id yet) may take ``record``'s number:
    the ledger gives it to the same name in the same category."""
    names = set(names)
    named = record.recipient in names or (
        bool(record.renamed) and not names.isdisjoint(record.renamed.split("、")))
    return named and record.category == category


# --------------------------------------------------------------------------- the audit


def audit(db: TinyDB, ledger: Ledger, ledger_on_disk: bool = True,
          backups: Iterable[tuple[str, TinyDB]] = ()) -> list[Finding]:
    """Every inconsistency between the roll's numbers and the ledger: the ledger's
    own state first (missing, emptied, lowered), then numbers shared, held for
    someone else, or unknown to the ledger, in winner order.  ``backups`` (name,
    database), newest first, are read only when the ledger records no number and
    the roll shows none issued: a backup's numbers make an empty ledger damage too."""
    records = winner_records(db)
    held = _held(records)
    counter = certificate_serial(db)
    findings: list[Finding] = []
    damaged = False
    if not ledger.numbers:
        seen, top, where = sum(map(len, held.values())), counter, ""
        if not (seen or top > ledger.highest):
            for name, state in backups:
                seen = sum(map(len, _held(winner_records(state)).values()))
                top = certificate_serial(state)
                if seen or top > ledger.highest:
                    where = name
                    break
        if seen or top > ledger.highest:
            damaged = True
            kind = LedgerEmptied if ledger_on_disk else LedgerMissing
            findings.append(kind(seen, top, where))
    else:
        top_record = max(ledger.numbers.values(), key=lambda r: r.serial)
        if top_record.serial > ledger.highest:
            findings.append(LedgerLowered(ledger.highest, top_record.serial, top_record.number))
        elif counter > ledger.highest:
            findings.append(LedgerLowered(ledger.highest, counter, ""))
    paths = _Paths(db)

    def holder(key: str, recipient: str | None) -> tuple[Holder, frozenset[str]]:
        doc = records[key]
        return _holder(key, recipient, doc, paths), frozenset(names_of(doc))

    for number, holders in held.items():
        record = ledger.numbers.get(number)
        if len(holders) > 1:
            made = [holder(*h) for h in holders]
            keeper = None
            if record is not None:
                gone = str(record.winner) not in records
                keeper = next((h for h, names in made if belongs(record, h, names, gone)),
                              None)
            findings.append(SharedNumber(number, tuple(h for h, _n in made), keeper))
        elif record is None:
            if not damaged:
                findings.append(UnknownNumber(number, holder(*holders[0])[0]))
        else:
            key, recipient = holders[0]
            doc = records[key]
            if (record.winner and str(record.winner) == key
                    and record.recipient in (recipient, doc.get("name"))):
                continue  # the common case, without making the holder
            made, names = holder(key, recipient)
            if not belongs(record, made, names, str(record.winner) not in records):
                findings.append(ForeignNumber(number, made, record))
    return findings


def wrongly_held(findings: Iterable[Finding]) -> list[tuple[str, Holder]]:
    """(number, holder) of every number held without the ledger giving it to its
    holder: a foreign holder; every holder of a shared number but its keeper."""
    wrong: list[tuple[str, Holder]] = []
    for finding in findings:
        if isinstance(finding, ForeignNumber):
            wrong.append((finding.number, finding.holder))
        elif isinstance(finding, SharedNumber):
            wrong += [(finding.number, h) for h in finding.holders if h != finding.keeper]
    return wrong


# --------------------------------------------------------------------------- serials


def serial_reader(pattern: str) -> re.Pattern | None:
    """A regular expression that reads the serial back from a number made by
    ``pattern`` (``{year}-{serial:04d}``: ``(?P<serial>\\d+)``), or None when the
    pattern cannot be read back."""
    parts = []
    serials = 0
    try:
        for text, field, _spec, _conversion in string.Formatter().parse(pattern):
            parts.append(re.escape(text))
            if field is None:
                continue
            if field == "serial":
                parts.append("(?P<serial>\\d+)" if not serials else "(?P=serial)")
                serials += 1
            elif field == "year":
                parts.append(".+?")
            else:
                return None
    except ValueError:
        return None
    if not serials:
        return None
    return re.compile("".join(parts) + "$")


def serial_of(number: str, readers: Iterable[re.Pattern]) -> int:
    """The serial in ``number`` by the first reader that reads it (0: none does)."""
    for reader in readers:
        match = reader.match(number)
        if match:
            return int(match["serial"])
    return 0


# --------------------------------------------------------------------------- rebuilding


@dataclass
class Rebuilt:
    """What :func:`rebuild` did: the serial it raised the ledger to (from what),
    the numbers it recorded, and the shared numbers it could not give anyone."""

    highest_before: int
    highest: int
    recorded: list[str]
    undecided: list[SharedNumber]

    @property
    def changed(self) -> bool:
        return bool(self.recorded) or self.highest != self.highest_before


def rebuild(ledger: Ledger, db: TinyDB, backups: Iterable[TinyDB], command: str = "") -> Rebuilt:
    """Raise ``ledger`` (in memory; the caller saves it) to what the roll and its
    backups show, never lower: every number a winner holds now or held in a backup
    is recorded (for its holder now; else for its holder in the newest backup that
    has it), and the highest serial becomes the largest of the ledger's, every
    recorded serial, the database's counter and every backup's, and every serial
    read back from a number.  A number several winners hold is recorded only when
    the ledger already names its keeper: rebuilding never guesses."""
    now = datetime.now().isoformat(timespec="seconds")
    before = ledger.highest
    readers = []
    top = max(ledger.highest, certificate_serial(db))
    recorded: list[str] = []
    undecided: list[SharedNumber] = []
    states = [db, *backups]
    for state in states:
        pattern = settings(state)["certificate-pattern"]
        reader = serial_reader(pattern)
        if reader is not None and reader not in readers:
            readers.append(reader)
    readers += [r for r in (serial_reader(record.pattern) for record in _patterns(ledger))
                if r is not None and r not in readers]
    for place, state in enumerate(states):
        top = max(top, certificate_serial(state))
        values = settings(state)
        by_number: dict[str, list[Holder]] = {}
        for number, holder, _names in holdings(state):
            by_number.setdefault(number, []).append(holder)
        for number, holders in by_number.items():
            serial = serial_of(number, readers)
            top = max(top, serial)
            if number in ledger.numbers:
                continue
            if len(holders) > 1:
                if place == 0:
                    undecided.append(SharedNumber(number, tuple(holders), None))
                continue
            holder = holders[0]
            ledger.numbers[number] = IssuedNumber(
                number=number, serial=serial, pattern="", year=values["year"],
                recipient=holder.recipient, category=holder.category,
                winner=holder.winner if place == 0 else 0, issued=now, command=command,
            )
            recorded.append(number)
    top = max([top, *(record.serial for record in ledger.numbers.values())])
    ledger.highest = max(ledger.highest, top)
    return Rebuilt(before, ledger.highest, recorded, undecided)


def _patterns(ledger: Ledger) -> list[IssuedNumber]:
    """One record of each pattern the ledger holds."""
    seen: dict[str, IssuedNumber] = {}
    for record in ledger.numbers.values():
        if record.pattern and record.pattern not in seen:
            seen[record.pattern] = record
    return list(seen.values())


# --------------------------------------------------------------------------- mending


def take_off(db: TinyDB, findings: Iterable[Finding]) -> list[tuple[str, Holder]]:
    """Take the numbers the ledger does not give to their holders off them (a
    foreign holder; every holder of a shared number but its keeper), in ``db``;
    returns (number, holder) of each.  The next issuing gives them fresh numbers."""
    removed = wrongly_held(findings)
    records = winner_records(db)
    changes: dict[int, dict] = {}
    for number, holder in removed:
        record = records[str(holder.winner)]
        fields = changes.setdefault(holder.winner, {
            "certificate": record.get("certificate") or "",
            "certificates": dict(record.get("certificates") or {}),
        })
        if fields["certificates"].get(holder.recipient) == number:
            fields["certificates"][holder.recipient] = ""
        elif number in fields["certificates"].values():
            place = next(k for k, v in fields["certificates"].items() if v == number)
            fields["certificates"][place] = ""
        elif fields["certificate"] == number:
            fields["certificate"] = ""
    for fields in changes.values():
        if not any(fields["certificates"].values()):
            fields["certificates"] = {}
    update_documents(db.table(WINNERS), changes)
    return removed


def record_imported(ledger: Ledger, db: TinyDB, numbers: Iterable[str],
                    command: str = "") -> list[str]:
    """Record in ``ledger`` (in memory) the imported ``numbers`` for the winners
    that hold them now: a number it lacks as issued by the import (its serial read
    back by the pattern, the highest raised to it), a number it gives to the same
    name in the same category (checked by the import: :func:`claims`) for the new
    winner.  Returns the numbers newly recorded."""
    wanted = set(numbers)
    if not wanted:
        return []
    now = datetime.now().isoformat(timespec="seconds")
    values = settings(db)
    readers = [r for r in (serial_reader(values["certificate-pattern"]),) if r is not None]
    recorded = []
    for number, holder, _names in holdings(db):
        if number not in wanted:
            continue
        record = ledger.numbers.get(number)
        if record is not None:
            record.winner = holder.winner
            continue
        serial = serial_of(number, readers)
        ledger.numbers[number] = IssuedNumber(
            number=number, serial=serial, pattern="", year=values["year"],
            recipient=holder.recipient, category=holder.category, winner=holder.winner,
            issued=now, command=command,
        )
        ledger.highest = max(ledger.highest, serial)
        recorded.append(number)
    return recorded
