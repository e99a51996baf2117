"""The roll's data model over a TinyDB handle: categories (a tree) and winners.

Every function takes the ``TinyDB`` that :class:`honours.storage.Store` yields
inside a transaction (or a read-only snapshot), so a command's changes are
saved all together or not at all.  Nothing here prints or parses arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tinydb import TinyDB

from .collation import KINDS, RULES, InvalidName, sort_records, validate_entry
from .collation.names import MAX_NAME_LENGTH, MAX_TITLE_LENGTH

CATEGORIES = "categories"
WINNERS = "winners"

#: Measure word and grid columns by kind (rolls.md: 名 for people, 家 for units, 件 for works).
DEFAULT_MEASURE = {"person": "名", "unit": "家", "work": "件"}
DEFAULT_COLUMNS = {"person": 5, "unit": 3, "work": 1}
#: Lists of people are usually published in stroke order; units and works in the clerk's order.
DEFAULT_SORT = {"person": "stroke", "unit": "manual", "work": "manual"}
MEASURES = ("名", "家", "件", "个", "项", "人", "篇", "部")
PATH_SEPARATOR = "/"


class RollError(Exception):
    """A request the roll cannot carry out; the message says why and what to do."""


@dataclass
class Category:
    id: int
    title: str
    parent: int | None
    position: int
    kind: str
    sort: str
    measure: str
    columns: int
    description: str = ""
    children: list[Category] = field(default_factory=list)

    @classmethod
    def from_doc(cls, doc) -> Category:
        return cls(
            id=doc.doc_id,
            title=doc["title"],
            parent=doc.get("parent"),
            position=doc.get("position", 0),
            kind=doc.get("kind", "person"),
            sort=doc.get("sort", "stroke"),
            measure=doc.get("measure", "名"),
            columns=doc.get("columns", 5),
            description=doc.get("description", ""),
        )

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "parent": self.parent,
            "position": self.position,
            "kind": self.kind,
            "sort": self.sort,
            "measure": self.measure,
            "columns": self.columns,
            "description": self.description,
        }


@dataclass
class Winner:
    id: int
    category: int
    name: str
    position: int
    affiliation: str = ""
    note: str = ""
    proposer: str = ""

    @classmethod
    def from_doc(cls, doc) -> Winner:
        return cls(
            id=doc.doc_id,
            category=doc["category"],
            name=doc["name"],
            position=doc.get("position", 0),
            affiliation=doc.get("affiliation", ""),
            note=doc.get("note", ""),
            proposer=doc.get("proposer", ""),
        )

    def as_dict(self) -> dict:
        data = {"id": self.id, "name": self.name, "position": self.position}
        for extra in ("affiliation", "note", "proposer"):
            if getattr(self, extra):
                data[extra] = getattr(self, extra)
        return data


# -- categories ------------------------------------------------------------------------


def all_categories(db: TinyDB) -> list[Category]:
    return [Category.from_doc(doc) for doc in db.table(CATEGORIES).all()]


def category_tree(db: TinyDB) -> list[Category]:
    """Top-level categories with ``children`` filled in, siblings in their order."""
    categories = all_categories(db)
    by_id = {c.id: c for c in categories}
    roots = []
    for category in sorted(categories, key=lambda c: (c.position, c.id)):
        parent = by_id.get(category.parent) if category.parent is not None else None
        (parent.children if parent else roots).append(category)
    return roots


def path_of(db: TinyDB, category: Category) -> str:
    return PATH_SEPARATOR.join(c.title for c in lineage(db, category))


def lineage(db: TinyDB, category: Category) -> list[Category]:
    """The category and its ancestors, outermost first."""
    by_id = {c.id: c for c in all_categories(db)}
    chain = [category]
    while chain[0].parent is not None and chain[0].parent in by_id:
        chain.insert(0, by_id[chain[0].parent])
    return chain


def resolve_category(db: TinyDB, reference: str) -> Category:
    """A category by numeric id, unique title, or path of titles joined by ``/``.

    Unknown or ambiguous references raise :class:`RollError` listing candidates.
    """
    reference = reference.strip()
    categories = all_categories(db)
    if not categories:
        raise RollError("there are no categories yet; create one with `honours category add`")
    if reference.isdigit():
        for category in categories:
            if category.id == int(reference):
                return category
    by_title = [c for c in categories if c.title == reference]
    if len(by_title) == 1:
        return by_title[0]
    by_path = [c for c in categories if path_of(db, c) == reference]
    if len(by_path) == 1:
        return by_path[0]
    if len(by_title) > 1:
        listing = "\n".join(f"  {c.id}: {path_of(db, c)}" for c in by_title)
        raise RollError(
            f"{reference!r} names {len(by_title)} categories; give the id or the path:\n{listing}"
        )
    near = [c for c in categories if reference in path_of(db, c)] or categories
    listing = "\n".join(f"  {c.id}: {path_of(db, c)}" for c in near[:20])
    raise RollError(f"no category {reference!r}; the categories are:\n{listing}")


def _check_attributes(kind: str | None, sort: str | None, columns: int | None) -> None:
    if kind is not None and kind not in KINDS:
        raise RollError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if sort is not None and sort not in RULES:
        raise RollError(f"unknown ordering rule {sort!r}; choose one of {', '.join(RULES)}")
    if columns is not None and not 1 <= columns <= 12:
        raise RollError(f"grid columns must be between 1 and 12, not {columns}")


def _clean_title(title: str) -> str:
    try:
        return validate_entry(title, max_length=MAX_TITLE_LENGTH, what="title")
    except InvalidName as error:
        raise RollError(str(error)) from None


def _siblings(db: TinyDB, parent: int | None, exclude: int | None = None) -> list[Category]:
    return sorted(
        (c for c in all_categories(db) if c.parent == parent and c.id != exclude),
        key=lambda c: (c.position, c.id),
    )


def add_category(
    db: TinyDB,
    title: str,
    parent: str | None = None,
    kind: str = "person",
    sort: str | None = None,
    measure: str | None = None,
    columns: int | None = None,
    description: str = "",
) -> Category:
    _check_attributes(kind, sort, columns)
    title = _clean_title(title)
    if PATH_SEPARATOR in title:
        raise RollError(f"a title cannot contain {PATH_SEPARATOR!r}: it separates paths")
    parent_category = resolve_category(db, parent) if parent else None
    parent_id = parent_category.id if parent_category else None
    siblings = _siblings(db, parent_id)
    if any(s.title == title for s in siblings):
        raise RollError(f"{title!r} already exists there; choose another title")
    doc = {
        "title": title,
        "parent": parent_id,
        "position": (siblings[-1].position + 1) if siblings else 0,
        "kind": kind,
        "sort": sort or DEFAULT_SORT[kind],
        "measure": measure or DEFAULT_MEASURE[kind],
        "columns": columns or DEFAULT_COLUMNS[kind],
        "description": description,
    }
    doc_id = db.table(CATEGORIES).insert(doc)
    return Category.from_doc(db.table(CATEGORIES).get(doc_id=doc_id))


def edit_category(db: TinyDB, reference: str, **changes) -> Category:
    category = resolve_category(db, reference)
    changes = {k: v for k, v in changes.items() if v is not None}
    _check_attributes(changes.get("kind"), changes.get("sort"), changes.get("columns"))
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
        if PATH_SEPARATOR in changes["title"]:
            raise RollError(f"a title cannot contain {PATH_SEPARATOR!r}: it separates paths")
        if any(s.title == changes["title"] for s in _siblings(db, category.parent, category.id)):
            raise RollError(f"{changes['title']!r} already exists there; choose another title")
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    if changes:
        db.table(CATEGORIES).update(changes, doc_ids=[category.id])
    return Category.from_doc(db.table(CATEGORIES).get(doc_id=category.id))


def _descendants(db: TinyDB, category: Category) -> list[Category]:
    found, frontier = [], [category.id]
    categories = all_categories(db)
    while frontier:
        children = [c for c in categories if c.parent in frontier]
        found += children
        frontier = [c.id for c in children]
    return found


def move_category(
    db: TinyDB,
    reference: str,
    parent: str | None = None,
    to_top: bool = False,
    position: int | None = None,
) -> Category:
    """Re-parent (``parent`` or ``to_top``) and/or reorder among siblings (1-based ``position``)."""
    category = resolve_category(db, reference)
    new_parent = category.parent
    if to_top:
        new_parent = None
    elif parent:
        target = resolve_category(db, parent)
        if target.id == category.id or target.id in {d.id for d in _descendants(db, category)}:
            raise RollError("a category cannot move into itself or one of its subcategories")
        new_parent = target.id
    siblings = _siblings(db, new_parent, exclude=category.id)
    if any(s.title == category.title for s in siblings):
        raise RollError(f"{category.title!r} already exists there")
    index = len(siblings) if position is None else max(0, min(position - 1, len(siblings)))
    siblings.insert(index, category)
    table = db.table(CATEGORIES)
    for place, sibling in enumerate(siblings):
        table.update({"position": place, "parent": new_parent}, doc_ids=[sibling.id])
    return Category.from_doc(table.get(doc_id=category.id))


def remove_category(db: TinyDB, reference: str, force: bool = False) -> tuple[Category, int, int]:
    """Remove a category; returns it with the number of subcategories and winners removed."""
    category = resolve_category(db, reference)
    below = _descendants(db, category)
    ids = [category.id] + [c.id for c in below]
    winners = db.table(WINNERS).search(lambda doc: doc["category"] in ids)
    if (below or winners) and not force:
        raise RollError(
            f"{category.title!r} holds {len(below)} subcategories and {len(winners)} winners; "
            "add --force to remove them all (a backup is kept)"
        )
    db.table(WINNERS).remove(doc_ids=[w.doc_id for w in winners])
    db.table(CATEGORIES).remove(doc_ids=ids)
    return category, len(below), len(winners)


# -- winners -----------------------------------------------------------------------------


def winners_of(db: TinyDB, category: Category) -> list[Winner]:
    """The category's winners in display order: the category's rule, or manual order."""
    winners = sorted(
        (Winner.from_doc(doc) for doc in db.table(WINNERS).search(_in_category(category.id))),
        key=lambda w: (w.position, w.id),
    )
    return sort_records(winners, category.sort, category.kind, name=lambda w: w.name)


def total_count(category: Category, counts: dict[int, int]) -> int | None:
    """The count printed after a heading: its own winners plus its subcategories'.

    A group's count is the sum of its children (68 = 37 + 15 + 16) when they
    are counted with the same measure word; a group mixing 家 and 名 has no
    single count, so ``None``.  ``category.children`` must be filled in
    (:func:`category_tree`).
    """
    total = counts.get(category.id, 0)
    for child in category.children:
        below = total_count(child, counts)
        if below is None or child.measure != category.measure:
            return None
        total += below
    return total


def count_winners(db: TinyDB) -> dict[int, int]:
    counts: dict[int, int] = {}
    for doc in db.table(WINNERS).all():
        counts[doc["category"]] = counts.get(doc["category"], 0) + 1
    return counts


def _in_category(category_id: int):
    return lambda doc: doc["category"] == category_id


@dataclass
class NewWinner:
    """One entry to add, before validation."""

    name: str
    affiliation: str = ""
    note: str = ""
    proposer: str = ""
    origin: str = ""  # where it came from (argument 2, line 7 …) for messages


def prepare_winners(
    db: TinyDB, category: Category, entries: Iterable[NewWinner], allow_duplicate: bool = False
) -> tuple[list[dict], list[str]]:
    """Validate entries against the category; returns (documents, problems).

    Nothing is written: the caller decides what to do when there are problems.
    """
    existing = {w.name for w in (Winner.from_doc(d) for d in db.table(WINNERS).search(
        _in_category(category.id)))}
    limit = MAX_TITLE_LENGTH if category.kind == "work" else MAX_NAME_LENGTH
    what = "title" if category.kind == "work" else "name"
    documents, problems, seen = [], [], set()
    for entry in entries:
        where = f"{entry.origin}: " if entry.origin else ""
        try:
            name = validate_entry(entry.name, max_length=limit, what=what)
            extras = {}
            for field_name in ("affiliation", "note", "proposer"):
                value = getattr(entry, field_name)
                if value:
                    extras[field_name] = validate_entry(
                        value, max_length=MAX_TITLE_LENGTH, what=field_name
                    )
        except InvalidName as error:
            problems.append(f"{where}{error}")
            continue
        if not allow_duplicate and (name in existing or name in seen):
            problems.append(
                f"{where}{name} is already in {category.title!r} "
                "(use --allow-duplicate for two people of the same name)"
            )
            continue
        if category.kind == "work" and not extras.get("proposer"):
            problems.append(f"{where}the work {name!r} needs a proposer (--proposer)")
            continue
        seen.add(name)
        documents.append({"category": category.id, "name": name, **extras})
    return documents, problems


def insert_winners(db: TinyDB, category: Category, documents: list[dict]) -> list[int]:
    """Append validated documents at the end of the category's manual order."""
    table = db.table(WINNERS)
    positions = [d.get("position", 0) for d in table.search(_in_category(category.id))]
    start = max(positions) + 1 if positions else 0
    now = datetime.now().isoformat(timespec="seconds")
    for offset, document in enumerate(documents):
        document["position"] = start + offset
        document["added"] = now
    return table.insert_multiple(documents)


def resolve_winner(db: TinyDB, category: Category, reference: str) -> Winner:
    """A winner of ``category`` by its name as listed, or ``#ID``."""
    winners = [Winner.from_doc(d) for d in db.table(WINNERS).search(_in_category(category.id))]
    reference = reference.strip()
    if reference.startswith("#") and reference[1:].isdigit():
        for winner in winners:
            if winner.id == int(reference[1:]):
                return winner
        raise RollError(f"no winner {reference} in {category.title!r}")
    try:
        name = validate_entry(reference)
    except InvalidName as error:
        raise RollError(str(error)) from None
    matches = [w for w in winners if w.name == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(f"#{w.id}" for w in matches)
        raise RollError(f"{name} is in {category.title!r} {len(matches)} times; give one of {ids}")
    raise RollError(f"{name} is not in {category.title!r}; `honours list` shows who is")


def remove_winner(db: TinyDB, category: Category, reference: str) -> Winner:
    winner = resolve_winner(db, category, reference)
    db.table(WINNERS).remove(doc_ids=[winner.id])
    return winner


def edit_winner(db: TinyDB, category: Category, reference: str, **changes) -> Winner:
    winner = resolve_winner(db, category, reference)
    changes = {k: v for k, v in changes.items() if v is not None}
    if "name" in changes:
        limit = MAX_TITLE_LENGTH if category.kind == "work" else MAX_NAME_LENGTH
        try:
            name = validate_entry(changes["name"], max_length=limit)
        except InvalidName as error:
            raise RollError(str(error)) from None
        if name != winner.name and any(
            d["name"] == name for d in db.table(WINNERS).search(_in_category(category.id))
        ):
            raise RollError(f"{name} is already in {category.title!r}")
        changes["name"] = name
    for field_name in ("affiliation", "note", "proposer"):
        if field_name in changes and changes[field_name]:
            try:
                changes[field_name] = validate_entry(
                    changes[field_name], max_length=MAX_TITLE_LENGTH, what=field_name
                )
            except InvalidName as error:
                raise RollError(str(error)) from None
    if changes:
        db.table(WINNERS).update(changes, doc_ids=[winner.id])
    return Winner.from_doc(db.table(WINNERS).get(doc_id=winner.id))


def move_winner(
    db: TinyDB,
    category: Category,
    reference: str,
    to: Category | None = None,
    position: int | None = None,
) -> Winner:
    """Move a winner to another category and/or to a 1-based place in the manual order."""
    winner = resolve_winner(db, category, reference)
    target = to or category
    table = db.table(WINNERS)
    others = sorted(
        (Winner.from_doc(d) for d in table.search(_in_category(target.id))
         if d.doc_id != winner.id),
        key=lambda w: (w.position, w.id),
    )
    if target.id != category.id and any(w.name == winner.name for w in others):
        raise RollError(f"{winner.name} is already in {target.title!r}")
    index = len(others) if position is None else max(0, min(position - 1, len(others)))
    order = [w.id for w in others]
    order.insert(index, winner.id)
    for place, doc_id in enumerate(order):
        table.update({"position": place, "category": target.id}, doc_ids=[doc_id])
    return Winner.from_doc(table.get(doc_id=winner.id))
