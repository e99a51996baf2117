"""Who is who: one person however the name was typed, on any list of any roll.

Two entries name the same person when their names match once padding,
annotations and separator dots are ignored (马 罡, 马　罡 and 马罡（女） are one
name: the ordering core's :func:`~honours.collation.names.ordering_form`, the
form every list is sorted by) and their affiliations do not contradict each
other: equal, or one of them not given.  Two 张伟 of different schools are two
people who share a name; commands say so rather than merge them.

Pure: a TinyDB handle in, plain records out; nothing prints.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from tinydb import TinyDB

from .collation.names import SEPARATOR_DOTS, display_form, is_han, ordering_form
from .roll import CATEGORIES, PATH_SEPARATOR, WINNERS, winner_records

#: What may make a name's key differ from the name: spacing, brackets, separator dots.
_NOT_PLAIN = re.compile(rf"[\s(（{SEPARATOR_DOTS}]")


def name_key(name: str) -> str:
    """What two spellings of one name have in common (padding and annotations dropped).

    A stored name without spacing, brackets or dots is its own key: the common
    case costs one search, not the whole ordering form (an import of 100,000)."""
    if _NOT_PLAIN.search(name) is None and unicodedata.is_normalized("NFC", name):
        return name
    return ordering_form(name)


def affiliation_key(affiliation: str) -> str:
    """An affiliation compared without its spacing: 数学 组 is 数学组."""
    return "".join(display_form(affiliation or "").split())


def compatible(first: str, second: str) -> bool:
    """Whether two affiliations may belong to one person: equal, or one not given."""
    a, b = affiliation_key(first), affiliation_key(second)
    return not a or not b or a == b


def names_given(arguments: Iterable[str]) -> list[str]:
    """The names typed as arguments, read by the one reader of names: "马 罡" is
    马罡, "张伟、李娜" two names, a list number is not part of a name."""
    from .readers.pasted import split_entries

    names: list[str] = []
    for argument in arguments:
        for name in split_entries(argument.strip(), people=True) if argument.strip() else []:
            if name_key(name) and name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class Occurrence:
    """One winner of one list of one roll."""

    name: str
    key: str  # name_key(name)
    affiliation: str
    certificate: str
    category: int  # its list's id
    path: str  # the list's path of titles
    award: int  # the id of the list's top category (the award it belongs to)
    kind: str
    exclusive: bool  # the list is an exclusive one
    winner: int = 0  # the winner's id in its roll
    year: str = ""
    roll: str = ""  # the roll's file, when several rolls are searched


def category_paths(db: TinyDB) -> dict[int, tuple[str, int, str, bool]]:
    """Every category id → (path, top category id, kind, exclusive), in one pass."""
    documents = {doc.doc_id: doc for doc in db.table(CATEGORIES).all()}
    known: dict[int, tuple[str, int, str, bool]] = {}

    def walk(doc_id: int) -> tuple[str, int]:
        chain, seen, current = [], set(), doc_id
        while current in documents and current not in seen:  # a circle is refused on open
            seen.add(current)
            chain.append(current)
            current = documents[current].get("parent")
        chain.reverse()
        return PATH_SEPARATOR.join(documents[c]["title"] for c in chain), chain[0]

    for doc_id, doc in documents.items():
        path, top = walk(doc_id)
        known[doc_id] = (path, top, doc.get("kind", "person"), doc.get("exclusive") is True)
    return known


def occurrences(db: TinyDB, year: str = "", roll: str = "",
                keys: set[str] | None = None) -> list[Occurrence]:
    """Every winner of the roll with where it stands, in file order (``keys``: only
    the winners whose name has one of these keys)."""
    paths = category_paths(db)
    found = []
    candidates = None if keys is None else _name_candidates(db, keys)
    if keys is None:
        records = winner_records(db).items()
    elif candidates is not None:  # a few lines of a roll left as text
        records = [(doc_id, doc) for doc_id, doc in candidates.items()
                   if name_key(doc["name"]) in keys]
    else:  # a plain name is its own key: one set look-up for most of the roll
        records = [(doc_id, doc) for doc_id, doc in winner_records(db).items()
                   if doc["name"] in keys or (_NOT_PLAIN.search(doc["name"]) is not None
                                              and name_key(doc["name"]) in keys)]
    for doc_id, doc in records:
        where = paths.get(doc["category"])
        if where is None:
            continue
        path, top, kind, exclusive = where
        name = doc["name"]
        found.append(Occurrence(
            name=name, key=name_key(name), affiliation=doc.get("affiliation", ""),
            certificate=doc.get("certificate", ""), category=doc["category"], path=path,
            award=top, kind=kind, exclusive=exclusive, winner=int(doc_id), year=year, roll=roll,
        ))
    return found


#: A look-up of more names than this reads the whole roll once instead.
_PROBED_KEYS = 50


def _name_candidates(db: TinyDB, keys: set[str]) -> dict | None:
    """While the winners are unread (:class:`~honours.storage.UnreadRecords`): the
    records whose line holds, for each key, the bytes of one of its Han characters,
    the rarest in the first megabyte (a superset of the winners with that key: the
    caller keeps those whose key matches); ``None`` when the winners are read whole
    or a key has no character that every spelling of it must contain."""
    table = db.table(WINNERS)
    unread = getattr(table, "unread", lambda: None)()
    if unread is None or len(keys) > _PROBED_KEYS:
        return None
    sample = unread.text[:1 << 20]
    needles = []
    for key in keys:
        probes = [char.encode() for char in set(key) if _kept_by_nfc(char)]
        if not probes:
            return None
        needles.append(min(probes, key=sample.count))
    return table.lines_holding(needles)


def _kept_by_nfc(char: str) -> bool:
    """Whether every text whose NFC form holds ``char`` holds it already: true of a
    Han character no compatibility ideograph turns into (a name's key is its NFC
    form with padding and annotations dropped, see :func:`name_key`)."""
    return is_han(char) and char not in _compatibility_targets()


@functools.cache
def _compatibility_targets() -> frozenset[str]:
    """The unified ideographs that NFC makes of the CJK compatibility ideographs."""
    blocks = (range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
    return frozenset(unicodedata.normalize("NFC", chr(code)) for block in blocks
                     for code in block)


def people_groups(found: Iterable[Occurrence]) -> list[list[Occurrence]]:
    """The occurrences grouped by person: one name key, affiliations that agree.

    A name with one affiliation (or none) is one person.  A name given with
    several affiliations is one group per affiliation; its entries without an
    affiliation, which could be any of them, form a group of their own."""
    by_key: dict[str, list[Occurrence]] = {}
    for occurrence in found:
        by_key.setdefault(occurrence.key, []).append(occurrence)
    groups = []
    for same_name in by_key.values():
        affiliations = {affiliation_key(o.affiliation) for o in same_name} - {""}
        if len(affiliations) <= 1:
            groups.append(same_name)
            continue
        split: dict[str, list[Occurrence]] = {}
        for occurrence in same_name:
            split.setdefault(affiliation_key(occurrence.affiliation), []).append(occurrence)
        groups += split.values()
    return groups


def differing_affiliations(found: Iterable[Occurrence]) -> dict[str, list[str]]:
    """Names (as first seen) given with more than one affiliation → those affiliations."""
    by_key: dict[str, tuple[str, dict[str, str]]] = {}
    for occurrence in found:
        key = affiliation_key(occurrence.affiliation)
        if not key:
            continue
        name, seen = by_key.setdefault(occurrence.key, (occurrence.name, {}))
        seen.setdefault(key, occurrence.affiliation)
    return {name: list(seen.values()) for name, seen in by_key.values() if len(seen) > 1}
