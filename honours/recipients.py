"""Who receives a winner's certificates: the recipients of a work (each of its
joint proposers, or the proposers together), their kind (person or unit), and
which stored certificate number belongs to which recipient.

Pure functions on strings and records; no I/O.  docs/certificates.md describes
the rules for clerks, docs/storage.md how the numbers are kept.
"""

from __future__ import annotations

import re

from .collation import is_han
from .unitnames import looks_like_unit

#: The category setting: one certificate for each proposer of a work, or one per work.
PER_PROPOSER, PER_WORK = "per-proposer", "per-work"
CERTIFICATE_MODES = (PER_PROPOSER, PER_WORK)
DEFAULT_MODE = PER_PROPOSER
#: The kinds a recipient can be.
PERSON, UNIT = "person", "unit"
RECIPIENT_KINDS = (PERSON, UNIT)

#: What separates joint proposers: 朱豪杰、顾磊帆、许华丽 (also ，,；;).
SEPARATORS = re.compile(r"[、，,；;]")
#: The dots inside a minority name written the Chinese way: 阿卜杜热合曼·艾则孜.
NAME_DOTS = "·•・‧∙⋅．"
#: Why a kind was inferred (the warning says which rule decided).
BY_DOTS, BY_LENGTH, BY_ENDING, BY_DEFAULT = "dots", "length", "ending", "default"


def split_proposers(text: str) -> list[str]:
    """The proposers of a work, in order, each once: 朱豪杰、顾磊帆 -> [朱豪杰, 顾磊帆]."""
    seen: dict[str, None] = {}
    for part in SEPARATORS.split(text):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def infer_kind(name: str) -> tuple[str, str]:
    """(kind, rule): a name ending like an organisation's is a unit; a dotted name
    of Han parts (阿卜杜热合曼·艾则孜) or a name of 2–4 Han characters of any
    block (王𬌗, 刘䶮) is a person; anything else is taken for a unit."""
    bare = "".join(name.split())
    if looks_like_unit(bare, last_character_from=2):
        return UNIT, BY_ENDING
    parts = [part for part in re.split(f"[{NAME_DOTS}]", bare)]
    if len(parts) > 1 and all(part and all(map(is_han, part)) for part in parts):
        return PERSON, BY_DOTS
    if 2 <= len(bare) <= 4 and all(map(is_han, bare)):
        return PERSON, BY_LENGTH
    return UNIT, BY_DEFAULT


def parse_kinds(stored: str) -> list[str]:
    """A stored ``proposer_kind``: one kind for every proposer (``person``), or one
    per proposer in order (``person,unit``)."""
    return [part.strip() for part in stored.split(",") if part.strip()]


def kinds_text(kinds: list[str]) -> str:
    """The stored form of :func:`parse_kinds`: one word when every proposer is alike."""
    if kinds and all(kind == kinds[0] for kind in kinds):
        return kinds[0]
    return ",".join(kinds)


def proposer_kinds(proposers: list[str], stored: str) -> list[tuple[str, bool]]:
    """(kind, inferred) of each proposer: from ``stored`` (one kind for all, or one
    each), else inferred from the name."""
    given = parse_kinds(stored)
    kinds = []
    for index, name in enumerate(proposers):
        if len(given) == 1 and given[0] in RECIPIENT_KINDS:
            kinds.append((given[0], False))
        elif index < len(given) and given[index] in RECIPIENT_KINDS:
            kinds.append((given[index], False))
        else:
            kinds.append((infer_kind(name)[0], True))
    return kinds


def recipients(kind: str, name: str, proposer: str, mode: str) -> list[str]:
    """Who gets a certificate for a winner: a person or unit itself; a work's
    proposers each (``per-proposer``), or together (``per-work``)."""
    if kind != "work":
        return [name]
    if mode == PER_WORK or not proposer.strip():
        return [proposer.strip() or name]
    return split_proposers(proposer)


def issued(certificate: str, certificates: dict[str, str] | None, recipients_now: list[str],
           whole: str) -> list[tuple[str, str]]:
    """The (recipient, number) pairs a winner holds, in the order they were given:
    ``certificates`` (recipient -> number) of a work with several recipients, else
    its one ``certificate``, given to its one recipient, or to ``whole`` (the
    proposers together) when it now has several: a work numbered before its
    proposers had a certificate each, or under per-work."""
    if certificates:
        return list(certificates.items())  # "" too: a recipient's place counts
    if not certificate:
        return []
    return [(recipients_now[0] if len(recipients_now) == 1 else whole.strip(), certificate)]


def assign(recipients_now: list[str], pairs: list[tuple[str, str]]):
    """Each recipient's number, from the numbers issued: (numbers aligned with
    ``recipients_now``, "" where none yet; the (recipient, number) pairs that no
    recipient keeps).

    A recipient whose name holds a number keeps it, wherever it now stands.  A
    recipient without one takes the number of the recipient who stood at its place
    when that name is gone (a corrected spelling: 朱浩杰 for 朱豪杰).  A number
    whose recipient is gone and whose place is taken by a kept name is left over
    (the caller revokes it)."""
    held = {name: number for name, number in pairs if number}
    numbers = [held.pop(name, "") for name in recipients_now]
    old = [name for name, _number in pairs]
    for index, number in enumerate(numbers):
        if (not number and index < len(old) and old[index] in held
                and old[index] not in recipients_now):
            numbers[index] = held.pop(old[index])
    return numbers, list(held.items())


def numbers_fields(record: dict, recipients_now: list[str], numbers: list[str]) -> dict:
    """The changes to ``record`` that keep ``numbers`` (aligned with
    ``recipients_now``): ``certificate`` for one recipient, ``certificates``
    (every recipient in order, "" for one without a number yet) for several."""
    if len(recipients_now) <= 1:
        fields = {"certificate": numbers[0] if numbers else ""}
        if record.get("certificates"):
            fields["certificates"] = {}
        return fields
    kept = dict(zip(recipients_now, numbers)) if any(numbers) else {}
    fields = {"certificates": kept}
    if record.get("certificate"):
        fields["certificate"] = ""
    return fields


def held_numbers(record: dict) -> list[str]:
    """Every certificate number a winner's record holds."""
    numbers = [number for number in (record.get("certificates") or {}).values() if number]
    if record.get("certificate"):
        numbers.append(record["certificate"])
    return numbers
