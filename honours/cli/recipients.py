"""What the winners commands and the category commands say about recipients:
proposers' kinds taken from their names, and certificate numbers that follow a
renamed proposer or are revoked (recorded in the ledger)."""

from typing import TYPE_CHECKING

from ..i18n import _
from .common import note, warn

if TYPE_CHECKING:
    from .. import roll


def warn_inferred_kinds(inferred: "list[roll.InferredKind]") -> None:
    """One warning for the proposers whose kind was taken from the name."""
    from .. import roll

    if inferred:
        warn(roll.describe_inferred(inferred))


def revoke_certificates(recorded, gone: "list[roll.Winner]", where: str) -> list[str]:
    """Record in the ledger that removed winners' certificate numbers are revoked
    (every number of a work: each of its proposers')."""
    numbers = {}
    for winner in gone:
        for recipient, number in winner.certificates.items():
            if number:
                numbers[number] = (recipient, where)
        if winner.certificate:
            numbers[winner.certificate] = (winner.proposer or winner.name, where)
    return revoke_numbers(recorded, numbers)


def revoke_numbers(recorded, numbers: dict[str, tuple[str, str]], ledger=None) -> list[str]:
    """Record in the ledger that these numbers (number -> (recipient, category path))
    lost their recipient, and say so in the journal (``ledger``: the one the caller
    loaded and saves already)."""
    from ..ledger import Ledger, revoke

    if not numbers:
        return []
    if ledger is None:
        ledger = Ledger.load(recorded.store)
        recorded.before.append(ledger.save)
    revoke(ledger, numbers, recorded.command)
    recorded.describe(
        _("revoked certificate numbers {numbers}").format(numbers="、".join(numbers))
    )
    return list(numbers)


def report_renumbering(recorded, settled: "roll.Renumbering",
                       renamed: "tuple[int, str, str] | None" = None) -> None:
    """Say what a change did to works' certificate numbers: numbers that follow a
    renamed proposer, numbers revoked (recorded in the ledger).  The ledger's
    records follow a renamed recipient (a proposer's corrected spelling, or
    ``renamed``: (winner id, old name, new name) of a person or unit), so that the
    certificate ledger still gives the numbers to their holders."""
    from ..ledger import Ledger
    from ..number_audit import follow_rename, rename_record

    if renamed is not None and not _holds_numbers(recorded.db, renamed):
        renamed = None  # nothing of the ledger's to rename: it is not read
    ledger = None
    if settled.moved or settled.revoked or renamed:
        ledger = Ledger.load(recorded.store)
    followed = []
    for number, old, new in settled.moved:
        note(_("certificate number {number} issued to {old} is now {new}'s").format(
            number=number, old=old, new=new))
        recorded.describe(_("certificate number {number} moved from {old} to {new}").format(
            number=number, old=old, new=new))
        record = ledger.numbers.get(number)
        if record is not None and record.recipient == old:
            rename_record(record, new)
            followed.append(number)
    if renamed is not None:
        followed += follow_rename(ledger, *renamed)
    revoked = revoke_numbers(
        recorded, {number: (name, path) for number, name, path in settled.revoked}, ledger)
    if followed or revoked:
        recorded.before.append(ledger.save)
    if revoked:
        note(_("certificate numbers revoked (never issued again): {numbers}").format(
            numbers="、".join(revoked)))


def _holds_numbers(db, renamed: "tuple[int, str, str]") -> bool:
    """Whether the winner renamed (winner id, old name, new name) holds a number."""
    from ..recipients import held_numbers
    from ..roll import winner_records

    winner, old, new = renamed
    record = winner_records(db).get(str(winner))
    return old != new and record is not None and bool(held_numbers(record))
