"""Who may be added where, within one roll: quotas, exclusive lists, and the
same person on two lists.

* A category may carry a **quota** (``category add/edit --quota N``): at most N
  winners in it and in the categories below it.  Adding past it is refused
  with the count; ``show``, ``category show`` and ``doctor`` report categories
  over or under their quota.
* A category may be **exclusive** (``--exclusive``): a winner may not be in it
  and in another exclusive category of the same award (the same top category).
* Adding or importing a person already on another list of the roll warns,
  naming that list; ``--strict`` refuses instead.  A person with the same name
  but another affiliation is only pointed out (two people may share a name).

:class:`RollIndex` is built once per command and kept current as entries are
added, so an import of 100,000 rows reads each name once.  Nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat

from tinydb import TinyDB

from . import roll, vocabulary
from .i18n import _, ngettext
from .people import (
    Occurrence,
    affiliation_key,
    category_paths,
    compatible,
    name_key,
    occurrences,
    people_groups,
)


@dataclass
class Vetting:
    """What may be added: the documents kept, the refusals and the warnings."""

    kept: list[dict]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class RollIndex:
    """The roll's winners by person and the counts under each category."""

    def __init__(self, db: TinyDB, names: Iterable[str] | None = None) -> None:
        """``names``: only these names will be vetted (``add``, ``move``), so only
        their people are looked up: adding one winner to a roll of 100,000 does
        not make an entry for every winner."""
        self.db = db
        self.paths = category_paths(db)
        self.by_id = roll.categories_by_id(db)
        self.people: dict[str, list[Occurrence]] = {}
        self._own: dict[int, int] | None = None  # counted when a quota asks (below)
        # The name keys looked up so far (None: all of them, read at once).
        self._looked_up: set[str] | None = None if names is None else set()
        if names is None:
            for occurrence in occurrences(db):
                self.people.setdefault(occurrence.key, []).append(occurrence)
        else:
            self._look_up({name_key(name) for name in names})

    def _look_up(self, keys: set[str]) -> None:
        """Bring the people of these name keys in, in one pass over the roll (any a
        caller did not announce are looked up when they are vetted)."""
        if self._looked_up is None:
            return
        keys -= self._looked_up
        if keys:
            for occurrence in occurrences(self.db, keys=keys):
                self.people.setdefault(occurrence.key, []).append(occurrence)
            self._looked_up |= keys

    @property
    def own(self) -> dict[int, int]:
        """Winners by category, not counting those below it.  Counted on first use:
        adding to a roll without quotas does not read every winner for it."""
        if self._own is None:
            records = roll.winner_records(self.db).values()
            self._own = Counter(map(dict.get, records, repeat("category")))
        return self._own

    def _remember(self, occurrence: Occurrence) -> None:
        self.people.setdefault(occurrence.key, []).append(occurrence)
        own = self.own  # counted now: a recorded entry may not be in the table yet
        own[occurrence.category] = own.get(occurrence.category, 0) + 1

    def record(self, category: roll.Category, documents: Iterable[dict]) -> None:
        """Entries just added to ``category`` (after :meth:`vet` accepted them)."""
        path, top, kind, exclusive = self.paths[category.id]
        for document in documents:
            name = document["name"]
            self._remember(Occurrence(
                name=name, key=name_key(name), affiliation=document.get("affiliation", ""),
                certificate=document.get("certificate", ""), category=category.id, path=path,
                award=top, kind=kind, exclusive=exclusive,
            ))

    def forget(self, category_id: int, winner_id: int) -> None:
        """A winner about to move (it no longer counts where it was)."""
        self.forget_all({winner_id: category_id})

    def forget_all(self, leaving: dict[int, int]) -> None:
        """Winners about to move (winner id → the category it leaves), in one pass."""
        for found in self.people.values():
            found[:] = [o for o in found if leaving.get(o.winner) != o.category]
        own = self.own
        for category_id in leaving.values():
            own[category_id] -= 1

    def count(self, category: roll.Category) -> int:
        """Winners in the category and in every category below it."""
        node = self.by_id.get(category.id, category)
        return self.own.get(node.id, 0) + sum(self.count(child) for child in node.children)

    def lineage(self, category: roll.Category) -> list[roll.Category]:
        return roll.lineage(self.db, self.by_id.get(category.id, category), self.by_id)

    def vet(self, category: roll.Category, documents: list[dict], strict: bool = False) -> Vetting:
        """Check entries about to be added to ``category``; the quota keeps the first
        ones that fit (``--skip-invalid`` imports those)."""
        self._look_up({name_key(document["name"]) for document in documents})
        verdict = Vetting(kept=[])
        path, top, kind, exclusive = self.paths[category.id]
        accepted = []
        for document in documents:
            refusal, warnings = self._person_check(document, category.id, top, kind, exclusive,
                                                   strict)
            verdict.warnings += warnings
            if refusal:
                verdict.problems.append(refusal)
            else:
                accepted.append(document)
        verdict.kept = self._within_quotas(self.lineage(category), accepted, verdict.problems)
        return verdict

    def vet_change(self, category: roll.Category, document: dict) -> Vetting:
        """A winner of ``category`` renamed or given another affiliation (``document``
        its new fields, already in the table): the rules of people apply as to ``add``
        (a person on two exclusive lists of one award is refused); its count, and so
        any quota, is unchanged."""
        self._look_up({name_key(document["name"])})
        _path, top, kind, exclusive = self.paths[category.id]
        refusal, warnings = self._person_check(document, category.id, top, kind, exclusive,
                                               strict=False)
        return Vetting(kept=[] if refusal else [document],
                       problems=[refusal] if refusal else [], warnings=warnings)

    def vet_category_move(self, category: roll.Category,
                          parent: roll.Category | None) -> list[str]:
        """The refusals of moving ``category``, with everything below it, under
        ``parent`` (None: to the top level), as ``add`` would refuse its winners
        there: past a quota of ``parent`` or a category above it, or onto two
        exclusive lists of the award it joins.  Built with ``names=()``: the moving
        winners are looked up here."""
        node = self.by_id.get(category.id, category)
        below, stack = [], [node]
        while stack:
            current = stack.pop()
            below.append(current.id)
            stack += current.children
        inside = set(below)
        moving = {int(doc_id): doc for doc_id, doc in roll.winner_records(self.db).items()
                  if doc.get("category") in inside}
        if parent is None or not moving:
            return []  # a new award of its own: nobody there to meet, no quota above
        self._look_up({name_key(doc["name"]) for doc in moving.values()})
        self.forget_all({winner: doc["category"] for winner, doc in moving.items()})
        problems: list[str] = []
        top = self.paths[parent.id][1]
        for doc in moving.values():
            _path, _top, kind, exclusive = self.paths[doc["category"]]
            refusal, _warnings = self._person_check(doc, doc["category"], top, kind,
                                                    exclusive, strict=False)
            if refusal:
                problems.append(refusal)
        self._within_quotas(self.lineage(parent), list(moving.values()), problems)
        return problems

    def _within_quotas(self, lineage: list[roll.Category], accepted: list[dict],
                       problems: list[str]) -> list[dict]:
        """The first of ``accepted`` that fit every quota of ``lineage`` (a category
        and those above it); a refusal in ``problems`` for each quota passed."""
        room = None
        for holder in lineage:
            if holder.quota is None:
                continue
            left = max(holder.quota - self.count(holder), 0)
            if len(accepted) > left:
                refused = [d["name"] for d in accepted[left:]]
                problems.append(quota_refusal(holder, self.paths[holder.id][0],
                                              self.count(holder), refused))
            room = left if room is None else min(room, left)
        return accepted if room is None else accepted[:room]

    def _person_check(self, document: dict, category_id: int, top: int, kind: str,
                      exclusive: bool, strict: bool) -> tuple[str | None, list[str]]:
        if kind == "work":
            return None, []  # titles of works: nobody to meet twice
        name, affiliation = document["name"], document.get("affiliation", "")
        others = [o for o in self.people.get(name_key(name), ())
                  if o.category != category_id and o.kind == kind]
        warnings: list[str] = []
        for other in others:
            if not compatible(affiliation, other.affiliation):
                warnings.append(_(
                    "{other} ({affiliation}) is on {path}: the same name, another "
                    "affiliation; a different person?").format(
                        other=other.name, affiliation=other.affiliation, path=other.path))
                continue
            if exclusive and other.exclusive and other.award == top:
                return _(
                    "{name} is already on {path}: a winner may be on only one exclusive "
                    "list of the same award").format(name=name, path=other.path), warnings
            if strict:
                return _("{name} is already on {path} (--strict refuses a person on two "
                         "lists)").format(name=name, path=other.path), warnings
            warnings.append(_("{name} is also on {path}").format(name=name, path=other.path))
        return None, warnings


def quota_refusal(category: roll.Category, path: str, count: int, refused: list[str]) -> str:
    """The refusal of entries past a quota, with the count."""
    return ngettext(
        "{path} has a quota of {quota} and holds {count} already: {names} cannot be added "
        "({refused} too many)",
        "{path} has a quota of {quota} and holds {count} already: {names} cannot be added "
        "({refused} too many)",
        len(refused),
    ).format(path=path, quota=vocabulary.counted(category.quota, category.measure),
             count=vocabulary.counted(count, category.measure), names=vocabulary.listed(refused),
             refused=len(refused))


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class QuotaStatus:
    category: roll.Category
    path: str
    count: int

    @property
    def over(self) -> int:
        return max(self.count - (self.category.quota or 0), 0)

    @property
    def under(self) -> int:
        return max((self.category.quota or 0) - self.count, 0)

    def describe(self) -> str:
        """The count against the quota in words: 21 of 20, 1 over."""
        measure = self.category.measure
        values = {"count": vocabulary.counted(self.count, measure),
                  "quota": vocabulary.counted(self.category.quota, measure)}
        if self.over:
            return _("{count} of a quota of {quota}: {over} over").format(
                over=vocabulary.counted(self.over, measure), **values)
        if self.under:
            return _("{count} of a quota of {quota}: {under} to go").format(
                under=vocabulary.counted(self.under, measure), **values)
        return _("{count} of a quota of {quota}: full").format(**values)


def quota_report(db: TinyDB) -> list[QuotaStatus]:
    """Every category with a quota, in tree order, with its count."""
    index = RollIndex(db, names=())  # counts only: nobody to look up
    found = []

    def walk(categories: list[roll.Category]) -> None:
        for category in categories:
            if category.quota is not None:
                found.append(QuotaStatus(category, index.paths[category.id][0],
                                         index.count(category)))
            walk(category.children)

    walk(roll.category_tree(db))
    return found


@dataclass(frozen=True)
class Duplicate:
    """One person on several lists of the roll."""

    name: str
    entries: tuple[Occurrence, ...]
    exclusive_conflict: bool  # two of the lists are exclusive lists of one award

    @property
    def affiliation(self) -> str:
        return next((o.affiliation for o in self.entries if o.affiliation), "")


def duplicates(db: TinyDB) -> tuple[list[Duplicate], dict[str, list[str]]]:
    """Every person on more than one list (or twice on one), in name order; and the
    names that stand for people of different affiliations (name → affiliations)."""
    from .collation import sort_records
    from .people import differing_affiliations

    found = [o for o in occurrences(db) if o.kind != "work"]
    result = []
    for group in people_groups(found):
        if len(group) < 2:
            continue
        exclusive: dict[int, set[int]] = {}
        for occurrence in group:
            if occurrence.exclusive:
                exclusive.setdefault(occurrence.award, set()).add(occurrence.category)
        result.append(Duplicate(
            name=group[0].name, entries=tuple(group),
            exclusive_conflict=any(len(lists) > 1 for lists in exclusive.values()),
        ))
    result = sort_records(result, "stroke", "person", name=lambda d: d.name)
    return result, differing_affiliations(found)


def exclusive_conflicts(db: TinyDB, category: roll.Category) -> list[str]:
    """Who would break the rule if ``category`` became exclusive: its winners
    also in another exclusive list of the same award (as "name: path")."""
    top = category_paths(db)[category.id][1]
    mine, others = [], {}
    for occurrence in occurrences(db):
        if occurrence.category == category.id:
            mine.append(occurrence)
        elif occurrence.exclusive and occurrence.award == top:
            others.setdefault(occurrence.key, []).append(occurrence)
    conflicts = []
    for occurrence in mine:
        for other in others.get(occurrence.key, ()):
            if compatible(occurrence.affiliation, other.affiliation):
                conflicts.append(f"{occurrence.name}：{other.path}")
    return conflicts


# --------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class CategoryCount:
    category: roll.Category
    path: str
    depth: int
    own: int
    total: int


def category_counts(db: TinyDB) -> list[CategoryCount]:
    """Every category in tree order with its own winners and those below it."""
    index = RollIndex(db, names=())  # counts only: nobody to look up
    rows = []

    def walk(categories: list[roll.Category], depth: int) -> None:
        for category in categories:
            rows.append(CategoryCount(category, index.paths[category.id][0], depth,
                                      index.own.get(category.id, 0), index.count(category)))
            walk(category.children, depth + 1)

    walk(roll.category_tree(db), 0)
    return rows


def affiliation_counts(db: TinyDB) -> tuple[list[tuple[str, int]], int]:
    """Affiliations by the number of winners they have, most first (ties by
    first appearance), and the number of winners without one.  Works count for
    their proposer's affiliation only when one is given."""
    counts: dict[str, tuple[str, int]] = {}
    without = 0
    for occurrence in occurrences(db):
        key = affiliation_key(occurrence.affiliation)
        if not key:
            without += 1
            continue
        shown, count = counts.get(key, (occurrence.affiliation, 0))
        counts[key] = (shown, count + 1)
    ranked = sorted(counts.values(), key=lambda item: -item[1])
    return ranked, without


# --------------------------------------------------------------------------- setting the rules

#: The largest quota a category takes (a roll of 100,000 winners is the largest tested).
MAX_QUOTA = 1_000_000


def set_rules(db: TinyDB, category: roll.Category, quota: int | None = None,
              exclusive: bool | None = None) -> roll.Category:
    """Give ``category`` a quota (0 removes it) and/or make it exclusive or not.

    A quota below the current count is kept (``show`` and ``doctor`` then report
    the category over its quota); making a category exclusive is refused while
    one of its winners is on another exclusive list of the same award."""
    changes: dict[str, object] = {}
    if quota is not None:
        if not 0 <= quota <= MAX_QUOTA:
            raise roll.RollError(_("a quota must be a number from 1 to {limit} (0 removes "
                                   "it), not {quota}").format(limit=MAX_QUOTA, quota=quota))
        changes["quota"] = quota or None
    if exclusive is not None:
        if exclusive:
            conflicts = exclusive_conflicts(db, category)
            if conflicts:
                raise roll.RollError(_(
                    "{title} cannot be exclusive: these winners are also on another "
                    "exclusive list of the same award:\n{listing}").format(
                        title=category.title,
                        listing="\n".join(f"  {line}" for line in conflicts[:20])))
        changes["exclusive"] = bool(exclusive)
    if changes:
        db.table(roll.CATEGORIES).update(changes, doc_ids=[category.id])
    return roll.Category.from_doc(db.table(roll.CATEGORIES).get(doc_id=category.id))
