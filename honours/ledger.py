"""Certificate numbers as a ledger: issued once, to one winner, never again.

A number is issued explicitly (``register --issue``, or writing a register or
certificates file) and recorded twice: on the winner in the database, and in
the ledger ``NAME.ledger.json`` beside it.  The ledger keeps the highest serial
ever issued and, for every number, its pattern, year, recipient and category,
when it was issued and, once its winner is removed, when and why it was
revoked.  ``backup restore``, ``undo`` and ``import`` replace the database but
never the ledger, so a serial can never come back: the next number always
follows the higher of the ledger's serial and the database's own counter (kept
for the JSON interchange format).

The ledger is written under the database lock before the database and before
an output file is put in place: an interruption can leave a number recorded
that no file shows (a gap), never a printed number the ledger does not know.

Over 500 lines because the rule "a number is never given twice" lives in one
place: issuing, revoking, the per-proposer numbers of joint works and the
checks doctor runs all read and write the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import ClassVar, NamedTuple

import orjson
from tinydb import Query, TinyDB

from . import files
from .errors import HonoursError, os_reason
from .files import read_regular_file
from .i18n import _, ngettext
from .recipients import (
    PER_WORK,
    PERSON,
    UNIT,
    assign,
    issued,
    numbers_fields,
    proposer_kinds,
    recipients,
    split_proposers,
)
from .recipients import held_numbers as numbers_of
from .roll import (
    MAX_SERIAL,
    PATH_SEPARATOR,
    WINNERS,
    RollError,
    check_certificate_pattern,
    path_of,
    resolve_category,
    roll_view,
    settings,
    update_documents,
    winner_records,
)
from .storage import (
    Store,
    check_companion_writable,
    duplicate_keys,
    readable_json,
    write_file_atomically,
)

LEDGER_SUFFIX = ".ledger.json"
LEDGER_FORMAT = 1
COUNTERS = "counters"
CERTIFICATE_SERIAL = "certificate-serial"


class LedgerError(HonoursError):
    """The ledger cannot be read; it is never overwritten then."""


# --------------------------------------------------------------------------- the database's counter


def certificate_serial(db: TinyDB) -> int:
    """The last certificate serial this database issued (0 before the first)."""
    found = db.table(COUNTERS).get(Query().name == CERTIFICATE_SERIAL)
    return found["value"] if found else 0


def raise_certificate_serial(db: TinyDB, value: int) -> None:
    """Make sure later serials come after ``value`` (an import's numbers)."""
    table = db.table(COUNTERS)
    found = table.get(Query().name == CERTIFICATE_SERIAL)
    if found is None:
        table.insert({"name": CERTIFICATE_SERIAL, "value": value})
    elif found["value"] < value:
        table.update({"value": value}, doc_ids=[found.doc_id])


# --------------------------------------------------------------------------- the ledger file


@dataclass
class IssuedNumber:
    number: str
    serial: int
    pattern: str
    year: str
    recipient: str
    category: str
    winner: int
    issued: str  # local time, ISO 8601
    command: str = ""
    revoked: str = ""  # when its winner was removed
    revoked_because: str = ""
    #: The recipient's former names, joined by 、 (``edit --name``, a proposer's
    #: corrected spelling); not a field: set on a renamed number only, so that a
    #: ledger without renames keeps the file format every version reads.
    renamed: ClassVar[str] = ""


#: The fields of a number, in the order the ledger file holds them.
_FIELDS = tuple(f.name for f in fields(IssuedNumber))


def _issued(record: dict) -> IssuedNumber:
    """A number from its record in the file.  A record with every field, as honours
    writes it, becomes the number's fields as they are (a third of the time of
    ``IssuedNumber(**record)``, for 100,000 numbers on every register); any other
    goes through the constructor, which refuses what is not a number."""
    if type(record) is dict and tuple(record) == _FIELDS:
        number = object.__new__(IssuedNumber)
        number.__dict__ = record  # the record itself: no copy of 100,000 dictionaries
        return number
    if type(record) is dict and "renamed" in record:
        record = dict(record)
        renamed = str(record.pop("renamed"))
        number = IssuedNumber(**record)
        if renamed:
            number.renamed = renamed
        return number
    return IssuedNumber(**record)


def _issued_now(assignment: Assignment, now: str, command: str) -> IssuedNumber:
    """The number an assignment issues, its fields made directly in the ledger
    file's order, as :func:`_issued` makes a number read from it (the
    constructor's keywords cost three times as much, for every number issued)."""
    number = object.__new__(IssuedNumber)
    number.__dict__ = {
        "number": assignment.number, "serial": assignment.serial,
        "pattern": assignment.pattern, "year": assignment.year,
        "recipient": assignment.recipient, "category": assignment.category,
        "winner": assignment.winner, "issued": now, "command": command, "revoked": "",
        "revoked_because": "",
    }
    return number


@dataclass
class Ledger:
    path: Path
    highest: int = 0
    numbers: dict[str, IssuedNumber] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store) -> Ledger:
        path = store.beside(LEDGER_SUFFIX)
        try:
            raw = read_regular_file(path, files.LEDGER_BYTES, _("the certificate ledger"))
        except FileNotFoundError:
            return cls(path)
        except OSError as error:
            raise LedgerError(
                _("Cannot read the certificate ledger {path}: {error}.").format(
                    path=path, error=os_reason(error)
                )
            ) from error
        try:
            data = orjson.loads(raw)
            numbers = {number: _issued(record) for number, record in data["numbers"].items()}
            highest = int(data["highest"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise LedgerError(
                _(
                    "The certificate ledger {path} is damaged ({error}); it has been left "
                    "untouched, and no certificate number can be issued until it is "
                    "repaired or restored from a copy."
                ).format(path=path, error=error)
            ) from None
        if raw.count(b'"number":') != len(numbers):  # a hand edit: is a key there twice?
            twice = duplicate_keys(raw)
            if twice:  # parsed, only the last would be kept, and the next save drop the rest
                raise LedgerError(
                    _("The certificate ledger {path} gives {keys} more than once (a hand "
                      "edit?); it has been left untouched, and no certificate number can "
                      "be issued until each is given once.").format(
                        path=path, keys="、".join(
                            "/".join((*where, key)) for where, key in twice[:5])))
        return cls(path, highest, numbers)

    def document(self) -> dict:
        """The ledger file's content (every field of a number is a str or an int)."""
        return {
            "application": "honours", "ledger": LEDGER_FORMAT, "highest": self.highest,
            "numbers": {number: vars(record) for number, record in self.numbers.items()},
        }

    def save(self) -> None:
        check_companion_writable(self.path, _("the certificate ledger"))  # a 444 ledger stays
        write_file_atomically(self.path, self.payload(), replace=True)

    def payload(self) -> bytes:
        """The file: ``readable_json(self.document())`` and a newline, in UTF-8 (one
        number per line, like the database: readable, and fast to write).  The
        records are the ledger's own dictionaries (``vars``, not ``asdict``'s deep
        copies) and orjson writes them a table at a time: 100,000 numbers once took
        300 MB for a moment, made as one text through ``json``."""
        return readable_json(self.document()) + b"\n"

    def serial_after(self, db: TinyDB) -> int:
        """The highest serial ever issued, by the ledger or by this database."""
        return max(self.highest, certificate_serial(db))

    def absorb(self, db: TinyDB) -> bool:
        """Raise the ledger to the database's counter (after an import); whether it rose."""
        serial = certificate_serial(db)
        if serial > self.highest:
            self.highest = serial
            return True
        return False


# --------------------------------------------------------------------------- issuing


class Assignment(NamedTuple):
    """A number to give one recipient of a winner (a tuple: a frozen dataclass cost
    2 µs to make, a fifth of planning 100,000 numbers).  ``place`` and
    ``recipients``: for a work with several recipients (its joint proposers), which
    one of them it is."""

    winner: int
    number: str
    serial: int
    pattern: str
    year: str
    recipient: str
    category: str
    place: int = 0
    recipients: tuple[str, ...] = ()


class Recipient(NamedTuple):
    """One certificate a winner gives: to whom, its number ("" when none yet), the
    recipient's kind (person or unit), whether that kind was taken from the name,
    and how many proposers share it (per-work)."""

    name: str
    number: str
    kind: str
    inferred: bool = False
    together: int = 1


def recipients_of(section, entry) -> list[Recipient]:
    """Who receives ``entry``'s certificates, in order, with their numbers: a
    person or unit itself; a work's proposers, each with their own certificate, or
    together on one when the category says per-work (docs/certificates.md)."""
    if section.kind != "work":
        return [Recipient(entry.name, entry.certificate, section.kind)]
    proposer = entry.proposer or entry.name
    names = recipients("work", entry.name, proposer, section.certificate_mode)
    pairs = issued(entry.certificate, entry.certificates, names, proposer)
    if len(names) == 1 and pairs and pairs[0][0] == names[0]:
        numbers = [pairs[0][1]]  # the common case, without the general matching
    else:
        numbers = assign(names, pairs)[0]
    proposers = split_proposers(proposer) or [proposer]
    kinds = proposer_kinds(proposers, entry.proposer_kind)
    if section.certificate_mode == PER_WORK or len(names) != len(kinds):
        person = all(kind == PERSON for kind, _inferred in kinds)
        return [Recipient(names[0], numbers[0], PERSON if person else UNIT,
                          any(inferred for _kind, inferred in kinds), len(proposers))]
    return [Recipient(name, number, kind, inferred)
            for name, number, (kind, inferred) in zip(names, numbers, kinds)]


def plan_numbers(
    db: TinyDB, ledger: Ledger, reference: str | None = None, view=None, after: int = 0
) -> list[Assignment]:
    """The numbers the winners without one would get now, in roll order; nothing is written.
    ``view``: ``roll_view(db, reference)`` when the caller has it already; ``after``:
    the highest serial of the roll's number series across its folder (honours.series).

    Numbers follow the highest serial ever issued; a number already taken (a
    pattern changed back and forth, an imported number) is skipped."""
    values = settings(db)
    pattern = values["certificate-pattern"]
    check_certificate_pattern(pattern)
    view = view or roll_view(db, reference)
    if all(entry.certificate if section.kind != "work" else
           all(r.number for r in recipients_of(section, entry))
           for section in view.walk() for entry in section.entries):
        return []  # every number issued: nothing to collect the taken numbers for
    taken = set(ledger.numbers)
    taken |= held_numbers(db)
    serial = max(ledger.serial_after(db), after)
    if serial >= MAX_SERIAL:  # before a number of thousands of digits is formatted
        raise _past_the_last(serial + 1)
    year = values["year"]
    planned = []
    skipped = 0
    for section in view.walk():
        is_work, path = section.kind == "work", section.path
        for entry in section.entries:
            if not is_work:
                if entry.certificate:
                    continue
                given = [(0, entry.name)]
                names: tuple[str, ...] = ()
            else:
                found = recipients_of(section, entry)
                given = [(place, r.name) for place, r in enumerate(found) if not r.number]
                names = tuple(r.name for r in found) if len(found) > 1 else ()
            for place, recipient in given:
                serial += 1
                number = pattern.format(serial=serial, year=year)
                while number in taken:
                    # Bounded: the checked pattern gives each serial its own number,
                    # so each serial skipped is another of the numbers taken.
                    skipped += 1
                    if skipped > len(taken):
                        raise _no_free_number(pattern)
                    serial += 1
                    number = pattern.format(serial=serial, year=year)
                taken.add(number)
                planned.append(Assignment(  # winner, number, serial, pattern, year, recipient,
                    entry.id, number, serial, pattern, year,  # category, place, recipients
                    recipient, path, place, names,
                ))
    if serial > MAX_SERIAL:
        raise _past_the_last(serial)
    return planned


def _past_the_last(serial: int) -> RollError:
    return RollError(
        _("certificate serial {serial:,} would pass the highest a roll issues, {limit:,}; "
          "no number was issued (was the ledger edited by hand?)").format(
            serial=serial, limit=MAX_SERIAL))


def _no_free_number(pattern: str) -> RollError:
    return RollError(
        _("the certificate pattern {pattern!r} gives no number that is not taken already; "
          "no number was issued: set another pattern with `honours settings set "
          "certificate-pattern`").format(pattern=pattern))


def apply_numbers(
    db: TinyDB, ledger: Ledger, planned: list[Assignment], command: str = "", view=None
) -> None:
    """Give the planned numbers to their winners, in the database and in the ledger
    (in memory: the caller saves the ledger before the database), and in ``view``
    (the roll view they were planned on), which then shows the roll as it is now
    without building it again."""
    now = datetime.now().isoformat(timespec="seconds")
    changes = {a.winner: {"certificate": a.number} for a in planned if not a.recipients}
    joint: dict[int, list[Assignment]] = {}
    for assignment in planned:
        if assignment.recipients:
            joint.setdefault(assignment.winner, []).append(assignment)
    if joint:
        records = winner_records(db)
        for winner, given in joint.items():
            record = records[str(winner)]
            names = list(given[0].recipients)
            whole = record.get("proposer") or record["name"]
            numbers = assign(names, issued(record.get("certificate", ""),
                                           record.get("certificates"), names, whole))[0]
            for assignment in given:
                numbers[assignment.place] = assignment.number
            changes[winner] = numbers_fields(record, names, numbers)
    update_documents(db.table(WINNERS), changes)
    if view is not None and changes:
        for section in view.walk():
            for entry in section.entries:
                fields = changes.get(entry.id)
                if fields is not None:
                    entry.certificate = fields.get("certificate", entry.certificate)
                    if "certificates" in fields:
                        entry.certificates = fields["certificates"]
    for assignment in planned:
        ledger.numbers[assignment.number] = _issued_now(assignment, now, command)
    if planned:
        top = max(a.serial for a in planned)
        raise_certificate_serial(db, top)
        ledger.highest = max(ledger.highest, top)
        if view is not None:
            view.certificate_serial = certificate_serial(db)


def revoke(ledger: Ledger, numbers: dict[str, tuple[str, str]], because: str) -> int:
    """Record that these numbers (number → (recipient, category)) lost their winner.

    A number the ledger does not know (imported, or issued before the ledger
    existed) is recorded too, with serial 0.  Returns how many were recorded."""
    now = datetime.now().isoformat(timespec="seconds")
    for number, (recipient, category) in numbers.items():
        record = ledger.numbers.get(number)
        if record is None:
            record = IssuedNumber(
                number=number, serial=0, pattern="", year="", recipient=recipient,
                category=category, winner=0, issued="",
            )
            ledger.numbers[number] = record
        record.revoked = now
        record.revoked_because = because
    return len(numbers)


def held_numbers(db: TinyDB) -> set[str]:
    """Every number a winner holds (a work's joint proposers' too)."""
    held = set()
    for doc in winner_records(db).values():
        if doc.get("certificates"):
            held.update(numbers_of(doc))
        elif doc.get("certificate"):
            held.add(doc["certificate"])
    return held


# --------------------------------------------------------------------------- the register


def register_view(
    db: TinyDB,
    reference: str | None = None,
    pending: list[Assignment] | None = None,
    ledger: Ledger | None = None,
    by_number: bool = False,
    view=None,
):
    """The certificate register (证书发放名册) of the roll or a subtree, in roll order
    (``by_number``: in number order).  ``pending`` numbers (not issued yet) are shown
    on their winners and marked."""
    from .render.view import RegisterRow, RegisterView

    view = view or roll_view(db, reference)
    planned = {(a.winner, a.place): a for a in pending or []}
    rows = []
    for section in view.walk():
        is_work = section.kind == "work"
        honour, path, kind, verb = section.honour, section.path, section.kind, section.verb
        label = section.author_label if is_work else ""
        for entry in section.entries:
            if not is_work:
                future = planned.get((entry.id, 0)) if planned else None
                # RegisterRow's fields in order (keywords cost a third more, 100,000 times)
                rows.append(RegisterRow(
                    len(rows) + 1, entry.certificate or (future.number if future else ""),
                    entry.name, honour, path, kind, "", future is not None, entry.affiliation,
                    label, kind, 1, verb,
                ))
                continue
            for place, recipient in enumerate(recipients_of(section, entry)):
                future = None if recipient.number else planned.get((entry.id, place))
                rows.append(RegisterRow(
                    len(rows) + 1, recipient.number or (future.number if future else ""),
                    recipient.name, honour, path, kind, entry.name, future is not None,
                    entry.affiliation, label, recipient.kind, recipient.together, verb,
                    recipient.inferred,
                ))
    if by_number:
        serials = {n: r.serial for n, r in (ledger.numbers.items() if ledger else ())}
        serials.update((a.number, a.serial) for a in pending or [])

        def key(row):
            if not row.certificate:
                return (2, 0, "", row.sequence)
            if row.certificate in serials and serials[row.certificate]:
                return (0, serials[row.certificate], row.certificate, row.sequence)
            return (1, 0, row.certificate, row.sequence)

        rows.sort(key=key)
        for place, row in enumerate(rows, start=1):
            row.sequence = place
    title = view.sections[0].title if reference and view.sections else view.title
    return RegisterView(title=f"{title}证书发放名册", rows=rows)


def register_notes(db: TinyDB, ledger: Ledger, register, reference: str | None) -> list[str]:
    """What a clerk should know about the register's numbers: gaps and mixed patterns."""
    notes = []
    held = held_numbers(db)
    root = path_of(db, resolve_category(db, reference)) if reference else None

    def within(record: IssuedNumber) -> bool:
        return root is None or record.category == root or record.category.startswith(
            root + PATH_SEPARATOR)

    missing = sorted(
        (record for number, record in ledger.numbers.items()
         if number not in held and within(record)),
        key=lambda r: (r.serial, r.number),
    )
    if missing:
        shown = "、".join(r.number for r in missing[:8]) + (" …" if len(missing) > 8 else "")
        notes.append(
            ngettext(
                "{count} issued number is not on this register ({numbers}): its winner was "
                "removed (or its proposer taken off the work), or the change that gave it "
                "was undone; `honours register --revoked` lists it.",
                "{count} issued numbers are not on this register ({numbers}): their winners "
                "were removed (or their proposers taken off the work), or the changes that "
                "gave them were undone; `honours register --revoked` lists them.",
                len(missing),
            ).format(count=len(missing), numbers=shown)
        )
    # (pattern, year) -> [an example number, how many]
    patterns: dict[tuple[str, str], list] = {}
    values = settings(db)
    for row in register.rows:
        record = ledger.numbers.get(row.certificate)
        if row.pending:
            key = (values["certificate-pattern"], values["year"])
        elif record is not None and record.pattern:
            key = (record.pattern, record.year)
        else:
            continue  # imported, or issued before the ledger: its pattern is unknown
        patterns.setdefault(key, [row.certificate, 0])[1] += 1
    if len(patterns) > 1:
        listing = _(", ").join(
            _("like {example} ({count})").format(example=example, count=count)
            for example, count in patterns.values()
        )
        notes.append(
            _("The numbers on this register follow {count} patterns: {listing}. "
              "Numbers keep the pattern and year they were issued with.").format(
                count=len(patterns), listing=listing)
        )
    return notes


def revoked_numbers(db: TinyDB, ledger: Ledger) -> list[IssuedNumber]:
    """Issued numbers no winner holds now, in number order."""
    held = held_numbers(db)
    return sorted(
        (record for number, record in ledger.numbers.items() if number not in held),
        key=lambda r: (r.serial == 0, r.serial, r.number),
    )


def describe_numbers(numbers: list[str]) -> str:
    if not numbers:
        return ""
    if len(numbers) <= 3:
        return "、".join(numbers)
    return f"{numbers[0]} … {numbers[-1]}"


def pattern_change_warning(db: TinyDB, ledger: Ledger, key: str, value: str,
                           after: int = 0) -> str | None:
    """What changing the pattern (or the year it uses) does to numbers already issued;
    ``None`` when no number is issued or the change does not affect numbering.
    ``after``: the highest serial of the series the new pattern and year make in the
    rolls' folder (honours.series), which the next number follows too."""
    current = settings(db)
    if key == "certificate-pattern":
        check_certificate_pattern(value)  # refused before anything is formatted
        new_pattern, new_year = value, current["year"]
    elif key == "year":
        new_pattern, new_year = current["certificate-pattern"], value or str(datetime.now().year)
        if "{year" not in new_pattern or not (new_year.isdigit() and len(new_year) == 4):
            return None  # a year that is not four digits is refused when it is set
    else:
        return None
    if (new_pattern, new_year) == (current["certificate-pattern"], current["year"]):
        return None
    issued = held_numbers(db)  # the numbers on certificates that winners hold
    if not issued:
        return None
    try:
        check_certificate_pattern(new_pattern)  # a pattern stored by hand, for the year
    except RollError:
        return None  # the year is set; issuing refuses the pattern, with the reason
    example = new_pattern.format(serial=max(ledger.serial_after(db), after) + 1, year=new_year)
    return ngettext(
        "{count} certificate number is already issued; it keeps its number. "
        "Numbers issued from now on follow the new pattern, continuing the serial: "
        "the next is {example}. The register will mix the two patterns.",
        "{count} certificate numbers are already issued; they keep their numbers. "
        "Numbers issued from now on follow the new pattern, continuing the serial: "
        "the next is {example}. The register will mix the two patterns.",
        len(issued),
    ).format(count=len(issued), example=example)
