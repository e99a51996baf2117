"""What the commands say about the ledger's cross-check (honours.number_audit):
the findings worded, the refusal before numbers are issued or printed, the
warning after a restore or an undo, and doctor's section and repair."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..i18n import _, ngettext
from .common import fail, note, warn

#: Read a backup's numbers only when its text holds a number at all.
_HOLDS_NUMBERS = re.compile(
    rb'"certificate"\s*:\s*"[^"]|"certificates"\s*:\s*\{\s*"|"certificate-serial"')


def backup_states(current) -> Iterator[tuple[str, object]]:
    """(name, database) of every readable backup that holds numbers, newest first;
    read one at a time, as the caller asks for them."""
    from .. import files
    from ..integrity import check
    from ..storage import Store, StoreError

    for backup in current.list_backups():
        try:
            raw = files.read_regular_file(backup.path, files.DATABASE_BYTES, _("the backup"))
        except (OSError, StoreError):
            continue
        if not _HOLDS_NUMBERS.search(raw):
            continue
        try:  # a backup that does not make a roll (the one before a repair) is passed by
            yield backup.name, Store(backup.path, validate=check).snapshot()
        except StoreError:
            continue


def audit_store(current, db, ledger):
    """The cross-check of ``db`` (the roll in ``current``) with ``ledger``."""
    from ..number_audit import audit

    return audit(db, ledger, ledger.path.exists(), backup_states(current))


def holder_text(holder) -> str:
    if holder.recipient and holder.recipient != holder.name:
        return _("{recipient} (proposer of {name}, #{id}, {category})").format(
            recipient=holder.recipient, name=holder.name, id=holder.winner,
            category=holder.category)
    return _("{name} (#{id}, {category})").format(
        name=holder.name, id=holder.winner, category=holder.category)


def record_text(record) -> str:
    """Whom the ledger gives a number to."""
    text = (_("{name} (#{id}, {category})").format(
        name=record.recipient, id=record.winner, category=record.category)
        if record.winner else _("{name} ({category})").format(
            name=record.recipient, category=record.category))
    if record.revoked:
        text += _(", revoked {when}").format(when=record.revoked.replace("T", " "))
    return text


def describe(finding, path=None) -> str:
    """A finding in a sentence; ``path``: the ledger file, for the ledger's own state."""
    from .. import number_audit as audit

    if isinstance(finding, audit.ForeignNumber):
        return _("{holder} holds certificate number {number}, which the ledger gives to "
                 "{owner}.").format(holder=holder_text(finding.holder), number=finding.number,
                                    owner=record_text(finding.issued))
    if isinstance(finding, audit.SharedNumber):
        holders = "、".join(holder_text(h) for h in finding.holders)
        if finding.keeper is not None:
            return ngettext(
                "Certificate number {number} is held {count} time: {holders}; the ledger "
                "gives it to {keeper}.",
                "Certificate number {number} is held {count} times: {holders}; the ledger "
                "gives it to {keeper}.", len(finding.holders),
            ).format(number=finding.number, count=len(finding.holders), holders=holders,
                     keeper=holder_text(finding.keeper))
        return ngettext(
            "Certificate number {number} is held {count} time: {holders}; the ledger gives "
            "it to none of them.",
            "Certificate number {number} is held {count} times: {holders}; the ledger gives "
            "it to none of them.", len(finding.holders),
        ).format(number=finding.number, count=len(finding.holders), holders=holders)
    if isinstance(finding, audit.UnknownNumber):
        return _("{holder} holds certificate number {number}, which the ledger does not "
                 "record.").format(holder=holder_text(finding.holder), number=finding.number)
    if isinstance(finding, audit.LedgerLowered):
        if finding.number:
            return _("The certificate ledger's highest serial is {highest}, below the serial "
                     "{needed} of {number} it records.").format(
                highest=finding.highest, needed=finding.needed, number=finding.number)
        return _("The certificate ledger's highest serial is {highest}, below the database's "
                 "counter {needed}.").format(highest=finding.highest, needed=finding.needed)
    where = (_("the backup {name}").format(name=finding.backup) if finding.backup
             else _("the roll"))
    issued = ngettext(
        "{where} holds {held} certificate number (counter {counter})",
        "{where} holds {held} certificate numbers (counter {counter})", finding.held,
    ).format(where=where, held=finding.held, counter=finding.counter)
    if isinstance(finding, audit.LedgerMissing):
        return _("The certificate ledger {path} is missing, while {issued}.").format(
            path=path or "", issued=issued)
    return _("The certificate ledger {path} records no number, while {issued}.").format(
        path=path or "", issued=issued)


def hint(finding) -> str:
    """Which command mends a finding."""
    from .. import number_audit as audit

    if isinstance(finding, (audit.ForeignNumber, audit.SharedNumber)):
        return _("The number is never issued again, and no register or certificate prints "
                 "it: `honours register --issue --renumber` gives its holders (all but the "
                 "one the ledger gives it to) fresh numbers.")
    if isinstance(finding, audit.UnknownNumber):
        return _("`honours doctor --repair` records it in the ledger for its holder.")
    return _("`honours doctor --repair` rebuilds the ledger from the roll and its backups, "
             "never lowering a serial (the next issuing of numbers does it first too).")


def checked_for_issuing(current, db, ledger, command: str, renumber: bool) -> list:
    """Before numbers are issued or printed, under the lock: a missing, emptied or
    lowered ledger, or numbers it lacks, are mended first (rebuilt from the roll and
    every backup, never lowering a serial, and saved at once: said in warnings);
    then a number held for someone else, or held twice, refuses (an error naming
    each) unless ``renumber``: then those findings are returned, to take the
    numbers off their holders."""
    from .. import number_audit as audit

    findings = audit_store(current, db, ledger)
    if any(isinstance(f, (*audit.DAMAGE, audit.UnknownNumber)) for f in findings):
        for finding in findings:
            if isinstance(finding, (*audit.DAMAGE, audit.UnknownNumber)):
                warn(describe(finding, ledger.path))
        done = audit.rebuild(ledger, db, (state for _n, state in backup_states(current)),
                             command)
        if done.changed:
            ledger.save()
        for line in rebuilt_lines(done, ledger.path):
            note(line)
        findings = audit.audit(db, ledger)
    blocking = [f for f in findings
                if not (renumber and isinstance(f, (audit.ForeignNumber, audit.SharedNumber)))]
    if blocking:
        for finding in blocking:
            warn(describe(finding, ledger.path))
        raise fail(ngettext(
            "nothing was issued or written: the roll holds {count} certificate number the "
            "ledger does not give to its holder (above). {hint}",
            "nothing was issued or written: the roll holds {count} certificate numbers the "
            "ledger does not give to their holders (above). {hint}", len(blocking),
        ).format(count=len(blocking), hint=hint(blocking[0])))
    return [f for f in findings if isinstance(f, (audit.ForeignNumber, audit.SharedNumber))]


def rebuilt_lines(done, path) -> list[str]:
    """What :func:`honours.number_audit.rebuild` did, in sentences."""
    from ..ledger import describe_numbers

    lines = []
    if done.recorded:
        lines.append(ngettext(
            "recorded {count} certificate number in the ledger {path} ({numbers})",
            "recorded {count} certificate numbers in the ledger {path} ({numbers})",
            len(done.recorded)).format(count=len(done.recorded), path=path,
                                       numbers=describe_numbers(done.recorded)))
    if done.highest != done.highest_before:
        lines.append(_("raised the ledger's highest serial from {old} to {new} (the highest "
                       "seen in the roll and its backups)").format(
            old=done.highest_before, new=done.highest))
    for shared in done.undecided:
        lines.append(describe(shared) + " " + _(
            "It is not recorded for anyone: `honours register --issue --renumber` gives "
            "every holder a fresh number."))
    return lines


def warn_state(findings, path) -> None:
    """After a restore or an undo: what the state brought back holds against the ledger."""
    for finding in findings:
        warn(describe(finding, path))
    if findings:
        note(hint(findings[0]))


# --------------------------------------------------------------------------- doctor


def doctor_findings() -> list[tuple[str, str, str]]:
    """doctor's section: (status, message, hint) for every finding of the
    cross-check ("ok", "warning" or "problem"), or one "ok" line when the roll and
    the ledger agree.  Nothing when the database or the ledger cannot be read
    (their own sections say why)."""
    from ..ledger import Ledger, LedgerError
    from ..storage import StoreError
    from .common import store

    try:
        current = store()
        if not current.exists():
            return []
        db = current.snapshot()
        ledger = Ledger.load(current)
    except (StoreError, LedgerError):
        return []
    found = audit_store(current, db, ledger)
    if not found:
        return [("ok", _("Every certificate number a winner holds is the ledger's for that "
                         "winner, once."), "")]
    return [("problem", describe(finding, ledger.path), hint(finding)) for finding in found]


def repair_ledger(command: str) -> list[str]:
    """``doctor --repair``: rebuild a lost, emptied or lowered ledger from the roll
    and every backup, never lowering a serial, under the database lock; returns
    what was done, in sentences (nothing when the ledger was whole)."""
    from ..ledger import Ledger, LedgerError
    from ..number_audit import rebuild
    from ..storage import StoreError
    from .common import store

    try:
        current = store()
        if not current.exists():
            return []
        with current.transaction() as db:
            ledger = Ledger.load(current)
            done = rebuild(ledger, db, (state for _name, state in backup_states(current)),
                           command)
            if done.changed:
                ledger.save()
    except LedgerError as error:
        return [_("the certificate ledger was not rebuilt: {error}").format(error=error)]
    except StoreError as error:
        return [_("the certificate ledger was not rebuilt: {error}").format(error=error)]
    return rebuilt_lines(done, ledger.path)
