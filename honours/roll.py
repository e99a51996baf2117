"""The roll's data model over a TinyDB handle: categories (a tree) and winners.

Every function takes the ``TinyDB`` that :class:`honours.storage.Store` yields
inside a transaction (or a read-only snapshot), so a command's changes are
saved all together or not at all.  Nothing here prints or parses arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tinydb import TinyDB
from tinydb.table import Document, Table

from .collation import KINDS, RULES, InvalidName, sort_records, validate_entry
from .collation.names import MAX_NAME_LENGTH, MAX_TITLE_LENGTH
from .errors import HonoursError
from .i18n import _, at, ngettext
from .recipients import CERTIFICATE_MODES, DEFAULT_MODE, RECIPIENT_KINDS

CATEGORIES = "categories"
WINNERS = "winners"

#: Measure word and grid columns by kind (rolls.md: 名 for people, 家 for units, 件 for works).
DEFAULT_MEASURE = {"person": "名", "unit": "家", "work": "件"}
DEFAULT_COLUMNS = {"person": 5, "unit": 3, "work": 1}
#: Lists of people are usually published in stroke order; units and works in the clerk's order.
DEFAULT_SORT = {"person": "stroke", "unit": "manual", "work": "manual"}
MEASURES = ("名", "家", "件", "个", "项", "人", "篇", "部")
PATH_SEPARATOR = "/"


class RollError(HonoursError):
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
    honour: str = ""
    author_label: str = ""  # what a work's proposer is called: 提案者, 作者, 申报单位 …
    quota: int | None = None  # at most this many winners here and below (honours/eligibility.py)
    exclusive: bool = False  # a winner may not also be in another exclusive list of the award
    certificate_mode: str = ""  # a work's certificates: per-proposer or per-work ("": inherited)
    verb: str = ""  # the verb that confers the honour: 荣获, 被评为 … ("": inherited or chosen)
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
            honour=doc.get("honour", ""),
            author_label=doc.get("author_label", ""),
            quota=_quota_of(doc.get("quota")),
            exclusive=doc.get("exclusive") is True,
            certificate_mode=_mode_of(doc.get("certificate_mode")),
            verb=doc.get("verb") if type(doc.get("verb")) is str else "",
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
            "honour": self.honour,
            "author_label": self.author_label,
            **({"quota": self.quota} if self.quota else {}),
            **({"exclusive": True} if self.exclusive else {}),
            **({"certificate_mode": self.certificate_mode} if self.certificate_mode else {}),
            **({"verb": self.verb} if self.verb else {}),
        }


def _mode_of(value: object) -> str:
    """A stored certificate mode: per-proposer or per-work, else none (inherited)."""
    return value if value in CERTIFICATE_MODES else ""


def _quota_of(value: object) -> int | None:
    """A stored quota: a positive whole number, else none (a hand edit is not trusted)."""
    return value if type(value) is int and value > 0 else None


@dataclass
class Winner:
    id: int
    category: int
    name: str
    position: int
    affiliation: str = ""
    note: str = ""
    proposer: str = ""
    certificate: str = ""
    proposer_kind: str = ""  # person or unit, or one per proposer: person,unit
    certificates: dict[str, str] = field(default_factory=dict)  # joint proposers' numbers

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
            certificate=doc.get("certificate", ""),
            proposer_kind=doc.get("proposer_kind", ""),
            certificates=dict(doc.get("certificates") or {}),
        )

    def as_dict(self) -> dict:
        data = {"id": self.id, "name": self.name, "position": self.position}
        for extra in ("affiliation", "note", "proposer", "proposer_kind", "certificate",
                      "certificates"):
            if getattr(self, extra):
                data[extra] = getattr(self, extra)
        return data


# -- categories ------------------------------------------------------------------------


def all_categories(db: TinyDB) -> list[Category]:
    return [Category.from_doc(doc) for doc in db.table(CATEGORIES).all()]


def categories_by_id(db: TinyDB) -> dict[int, Category]:
    """Every category by id, with ``children`` filled in, siblings in their order."""
    by_id = {c.id: c for c in all_categories(db)}
    for category in sorted(by_id.values(), key=lambda c: (c.position, c.id)):
        if category.parent in by_id:
            by_id[category.parent].children.append(category)
    return by_id


def category_tree(db: TinyDB) -> list[Category]:
    """Top-level categories with ``children`` filled in, siblings in their order."""
    by_id = categories_by_id(db)
    return sorted(
        (c for c in by_id.values() if c.parent not in by_id), key=lambda c: (c.position, c.id)
    )


def path_of(db: TinyDB, category: Category,
            by_id: Mapping[int, Category] | None = None) -> str:
    return PATH_SEPARATOR.join(c.title for c in lineage(db, category, by_id))


def lineage(db: TinyDB, category: Category,
            by_id: Mapping[int, Category] | None = None) -> list[Category]:
    """The category and its ancestors, outermost first (``by_id``: every category by
    id, when the caller has them already)."""
    if by_id is None:
        by_id = {c.id: c for c in all_categories(db)}
    chain = [category]
    seen = {category.id}
    while chain[0].parent is not None and chain[0].parent in by_id:
        parent = by_id[chain[0].parent]
        if parent.id in seen:  # a hand-edited file: the parents go round in a circle
            raise RollError(
                _("category {id} is its own ancestor (parents {ids} form a cycle); fix the "
                  "file or restore a backup").format(
                    id=category.id, ids=" → ".join(str(c.id) for c in chain))
            )
        seen.add(parent.id)
        chain.insert(0, parent)
    return chain


def resolve_category(db: TinyDB, reference: str) -> Category:
    """A category by numeric id, unique title, or path of titles joined by ``/``.

    Unknown or ambiguous references raise :class:`RollError` listing candidates.
    """
    reference = reference.strip()
    categories = all_categories(db)
    if not categories:
        raise RollError(_("there are no categories yet; create one with `honours category add`"))
    if reference.isdigit():
        for category in categories:
            if category.id == int(reference):
                return category
    by_title = [c for c in categories if c.title == reference]
    if len(by_title) == 1:
        return by_title[0]
    by_id = {c.id: c for c in categories}
    by_path = [c for c in categories if path_of(db, c, by_id) == reference]
    if len(by_path) == 1:
        return by_path[0]
    if len(by_title) > 1:
        listing = "\n".join(f"  {c.id}: {path_of(db, c, by_id)}" for c in by_title)
        raise RollError(
            _("{reference!r} names {count} categories; give the id or the path:\n{listing}")
            .format(reference=reference, count=len(by_title), listing=listing)
        )
    near = [c for c in categories if reference in path_of(db, c, by_id)] or categories
    listing = "\n".join(f"  {c.id}: {path_of(db, c, by_id)}" for c in near[:20])
    raise RollError(
        _("no category {reference!r}; the categories are:\n{listing}").format(
            reference=reference, listing=listing
        )
    )


def _check_attributes(kind: str | None, sort: str | None, columns: int | None) -> None:
    from . import vocabulary

    if kind is not None and kind not in KINDS:
        raise RollError(str(vocabulary.KINDS.refusal(kind)))
    if sort is not None and sort not in RULES:
        raise RollError(str(vocabulary.RULES.refusal(sort)))
    if columns is not None and not 1 <= columns <= 12:
        raise RollError(
            _("grid columns must be between 1 and 12, not {columns}").format(columns=columns)
        )


#: The longest verb a category may set for its honour (荣获, 被授予, 被命名为 …).
MAX_VERB_LENGTH = 8


def _check_certificate_settings(mode: str, verb: str) -> None:
    from . import vocabulary

    if mode and mode not in CERTIFICATE_MODES:
        raise RollError(str(vocabulary.CERTIFICATE_MODES.refusal(mode)))
    verb = verb.strip()
    if len(verb) > MAX_VERB_LENGTH or any(char.isspace() for char in verb):
        raise RollError(
            _("the verb {verb!r} must be one short word of at most {limit} characters, "
              "e.g. 荣获 or 被授予").format(verb=verb, limit=MAX_VERB_LENGTH)
        )


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
    honour: str = "",
    author_label: str = "",
    certificate_mode: str = "",
    verb: str = "",
) -> Category:
    _check_attributes(kind, sort, columns)
    _check_certificate_settings(certificate_mode, verb)
    title = _clean_title(title)
    if PATH_SEPARATOR in title:
        raise RollError(
            _("a title cannot contain {separator!r}: it separates paths").format(
                separator=PATH_SEPARATOR
            )
        )
    parent_category = resolve_category(db, parent) if parent else None
    parent_id = parent_category.id if parent_category else None
    if parent_category is not None and len(lineage(db, parent_category)) >= MAX_DEPTH:
        raise RollError(
            _("a category can be at most {limit} levels deep (award → group → list …)").format(
                limit=MAX_DEPTH)
        )
    siblings = _siblings(db, parent_id)
    if any(s.title == title for s in siblings):
        raise RollError(
            _("{title!r} already exists there; choose another title").format(title=title)
        )
    doc = {
        "title": title,
        "parent": parent_id,
        "position": (siblings[-1].position + 1) if siblings else 0,
        "kind": kind,
        "sort": sort or DEFAULT_SORT[kind],
        "measure": measure or DEFAULT_MEASURE[kind],
        "columns": columns or DEFAULT_COLUMNS[kind],
        "description": description.strip(),
        "honour": honour.strip(),
    }
    if author_label.strip():
        doc["author_label"] = author_label.strip()
    if certificate_mode:
        doc["certificate_mode"] = certificate_mode
    if verb.strip():
        doc["verb"] = verb.strip()
    doc_id = db.table(CATEGORIES).insert(doc)
    return Category.from_doc(db.table(CATEGORIES).get(doc_id=doc_id))


def edit_category(db: TinyDB, reference: str, **changes) -> Category:
    category = resolve_category(db, reference)
    changes = {k: v for k, v in changes.items() if v is not None}
    _check_attributes(changes.get("kind"), changes.get("sort"), changes.get("columns"))
    _check_certificate_settings(changes.get("certificate_mode", ""), changes.get("verb", ""))
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
        if PATH_SEPARATOR in changes["title"]:
            raise RollError(
                _("a title cannot contain {separator!r}: it separates paths").format(
                    separator=PATH_SEPARATOR
                )
            )
        if any(s.title == changes["title"] for s in _siblings(db, category.parent, category.id)):
            raise RollError(
                _("{title!r} already exists there; choose another title").format(
                    title=changes["title"]
                )
            )
    for free_text in ("description", "honour", "author_label", "verb"):
        if free_text in changes:
            changes[free_text] = changes[free_text].strip()
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
            raise RollError(_("a category cannot move into itself or one of its subcategories"))
        new_parent = target.id
    siblings = _siblings(db, new_parent, exclude=category.id)
    if any(s.title == category.title for s in siblings):
        raise RollError(_("{title!r} already exists there").format(title=category.title))
    index = len(siblings) if position is None else max(0, min(position - 1, len(siblings)))
    siblings.insert(index, category)
    table = db.table(CATEGORIES)
    for place, sibling in enumerate(siblings):
        table.update({"position": place, "parent": new_parent}, doc_ids=[sibling.id])
    return Category.from_doc(table.get(doc_id=category.id))


def remove_category(
    db: TinyDB, reference: str, force: bool = False
) -> tuple[Category, int, list[Winner]]:
    """Remove a category; returns it with the number of subcategories and the winners removed."""
    category = resolve_category(db, reference)
    below = _descendants(db, category)
    ids = [category.id] + [c.id for c in below]
    winners = db.table(WINNERS).search(lambda doc: doc["category"] in ids)
    if (below or winners) and not force:
        raise RollError(
            _(
                "{title!r} holds {below} subcategories and {winners} winners; "
                "add --force to remove them all (a backup is kept)"
            ).format(title=category.title, below=len(below), winners=len(winners))
        )
    db.table(WINNERS).remove(doc_ids=[w.doc_id for w in winners])
    db.table(CATEGORIES).remove(doc_ids=ids)
    return category, len(below), [Winner.from_doc(doc) for doc in winners]


# -- winners -----------------------------------------------------------------------------


def winners_of(db: TinyDB, category: Category) -> list[Winner]:
    """The category's winners in display order: the category's rule, or manual order."""
    winners = sorted(
        (Winner.from_doc(doc) for doc in _in_category(db.table(WINNERS), category.id)),
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
    for doc in winner_records(db).values():
        counts[doc["category"]] = counts.get(doc["category"], 0) + 1
    return counts


def update_documents(table: Table, changes: Mapping[int, Mapping[str, object]]) -> None:
    """Apply ``changes`` (document id → fields) in one change of the table (one
    change per document would save the table each time), after checking that
    every id exists: an unknown id is refused with nothing changed."""
    if not changes:
        return
    stored = table._read_table()  # one look-up per id; TinyDB's contains() reads a copy
    missing = [doc_id for doc_id in changes if str(doc_id) not in stored]
    if missing:
        raise RollError(_("no document {ids} in the database").format(ids=missing[:5]))
    table.update_each(changes)


def winner_records(db: TinyDB) -> Mapping[str, dict]:
    """Every winner's record as stored, by id (as text), to read in one pass; not
    to change (a change goes through the table)."""
    return db.table(WINNERS)._read_table()


def _in_category(table: Table, category_id: int) -> list[Document]:
    """The records of one category, in file order.  On a table still unread (see
    :class:`~honours.storage.UnreadRecords`) only the lines naming the category are
    parsed; else one pass over the stored records (a TinyDB search calls a Python
    function per record: 40 ms at 100,000)."""
    records = None
    lines_holding = getattr(table, "lines_holding", None)  # honours' own tables
    if lines_holding is not None and type(category_id) is int:
        # orjson writes "category":3 and then the next key or the record's end.
        records = lines_holding([b'"category":%d,' % category_id,
                                 b'"category":%d}' % category_id])
    if records is None:
        records = table._read_table()
    return [Document(doc, int(doc_id)) for doc_id, doc in records.items()
            if doc["category"] == category_id]


@dataclass
class NewWinner:
    """One entry to add, before validation."""

    name: str
    affiliation: str = ""
    note: str = ""
    proposer: str = ""
    certificate: str = ""  # kept from an import; otherwise issued by the register
    origin: str = ""  # where it came from (argument 2, line 7 …) for messages
    proposer_kind: str = ""  # person or unit (个人/单位), or one per proposer: 个人、单位
    certificates: dict[str, str] | None = None  # joint proposers' numbers (roll JSON)


@dataclass
class InferredKind:
    """A proposer whose kind was not given and was taken from the name (warned of)."""

    name: str
    kind: str  # person or unit
    rule: str  # recipients.BY_DOTS, BY_LENGTH, BY_ENDING or BY_DEFAULT
    origin: str = ""


def describe_inferred(inferred: list[InferredKind], limit: int = 10) -> str:
    """The warning for proposers whose kind was taken from the name (person or unit
    decides 同志 and 你/你单位 on their certificates)."""
    words = {"person": _("person"), "unit": _("unit")}
    shown = "、".join(f"{found.name}（{words[found.kind]}）" for found in inferred[:limit])
    if len(inferred) > limit:
        shown += _(" … ({count} in all)").format(count=len(inferred))
    return ngettext(
        "the kind of {count} proposer was not given and is taken from the name: {names}; "
        "give --proposer-kind person|unit (or a 提案者类型 column) where it is wrong",
        "the kind of {count} proposers was not given and is taken from the names: {names}; "
        "give --proposer-kind person|unit (or a 提案者类型 column) where it is wrong",
        len(inferred),
    ).format(count=len(inferred), names=shown)


def proposer_kind_code(value: str, proposers: list[str]) -> str:
    """The stored form of a proposer kind as typed (个人, unit, 个人、单位 …) for
    ``proposers``: one kind for all, or one for each, in order."""
    from . import vocabulary
    from .recipients import SEPARATORS, kinds_text

    parts = [part.strip() for part in SEPARATORS.split(value) if part.strip()]
    try:
        kinds = [vocabulary.KINDS.code(part, RECIPIENT_KINDS) for part in parts]
    except vocabulary.UnknownValue as error:
        raise RollError(str(error)) from None
    if len(kinds) > 1 and len(kinds) != len(proposers):
        raise RollError(
            _("{count} proposer kinds for {proposers} ({number} proposers): give one kind "
              "for all, or one for each in order").format(
                count=len(kinds), proposers="、".join(proposers), number=len(proposers))
        )
    return kinds_text(kinds)


def settle_proposer_kind(proposer: str, given: str, origin: str = "",
                         kept: dict[str, str] | None = None,
                         inferred: list[InferredKind] | None = None) -> str:
    """The ``proposer_kind`` to store for ``proposer``: the kind ``given`` (as typed),
    else each proposer's kind from ``kept`` (name -> kind, the proposers a work had)
    or inferred from the name, each inference added to ``inferred``."""
    from .recipients import infer_kind, kinds_text, split_proposers

    proposers = split_proposers(proposer)
    if not proposers:
        return ""
    if given.strip():
        return proposer_kind_code(given, proposers)
    kinds = []
    for name in proposers:
        if kept and name in kept:
            kinds.append(kept[name])
            continue
        kind, rule = infer_kind(name)
        kinds.append(kind)
        if inferred is not None:
            inferred.append(InferredKind(name, kind, rule, origin))
    return kinds_text(kinds)


def names_in(db: TinyDB, category: Category) -> set[str]:
    return roster(db, category)[0]


def roster(db: TinyDB, category: Category) -> tuple[set[str], int]:
    """The names in the category and the manual-order position after its last
    winner (see :func:`prepare_winners` and :func:`insert_winners`), in one read."""
    documents = _in_category(db.table(WINNERS), category.id)
    positions = [d.get("position", 0) for d in documents]
    return {d["name"] for d in documents}, max(positions) + 1 if positions else 0


def prepare_winners(
    db: TinyDB,
    category: Category,
    entries: Iterable[NewWinner],
    allow_duplicate: bool = False,
    existing: set[str] | None = None,
    inferred: list[InferredKind] | None = None,
) -> tuple[list[dict], list[str]]:
    """Validate entries against the category; returns (documents, problems).

    Nothing is written: the caller decides what to do when there are problems.
    A work's proposer kind not given is inferred from the name and added to
    ``inferred`` (the caller warns of it).
    ``existing`` (the names already in the category, from :func:`names_in`)
    saves a scan when adding in chunks; the accepted names are added to it.
    """
    existing = names_in(db, category) if existing is None else existing
    limit = MAX_TITLE_LENGTH if category.kind == "work" else MAX_NAME_LENGTH
    what = "title" if category.kind == "work" else "name"
    documents, problems, seen = [], [], set()
    inferred = [] if inferred is None else inferred
    for entry in entries:
        where = entry.origin or ""
        try:
            name = validate_entry(entry.name, max_length=limit, what=what)
            extras = {}
            for field_name in ("affiliation", "note", "proposer", "certificate"):
                value = getattr(entry, field_name)
                if value:
                    extras[field_name] = validate_entry(
                        value, max_length=MAX_TITLE_LENGTH, what=field_name
                    )
        except InvalidName as error:
            problems.append(at(where, str(error)))
            continue
        if not allow_duplicate and name in seen:
            problems.append(at(where, _(
                "{name} is given more than once "
                "(use --allow-duplicate if two winners really have the same name)"
            ).format(name=name)))
            continue
        if not allow_duplicate and name in existing:
            problems.append(at(where, _(
                "{name} is already in {category!r} "
                "(use --allow-duplicate if two winners really have the same name)"
            ).format(name=name, category=category.title)))
            continue
        if category.kind == "work" and not extras.get("proposer"):
            problems.append(at(
                where, _("the work {name!r} needs a proposer (--proposer)").format(name=name)))
            continue
        if category.kind == "work":
            found: list[InferredKind] = []
            try:
                kind = settle_proposer_kind(extras["proposer"], entry.proposer_kind, where,
                                            inferred=found)
            except RollError as error:
                problems.append(at(where, str(error)))
                continue
            if kind:
                extras["proposer_kind"] = kind
        elif entry.proposer_kind.strip():
            problems.append(at(where, _(
                "a proposer kind is only for works; {category!r} is not a list of works")
                .format(category=category.title)))
            continue
        joint = extras.get("certificate", "").split("、")
        if category.kind == "work" and len(joint) > 1 and not entry.certificates:
            from .recipients import split_proposers

            names = split_proposers(extras["proposer"])
            if len(names) != len(joint):  # a roll's CSV: one number per proposer, in order
                problems.append(at(where, _(
                    "{count} certificate numbers for {number} proposers ({proposers})").format(
                        count=len(joint), number=len(names), proposers="、".join(names))))
                continue
            entry.certificates = dict(zip(names, (number.strip() for number in joint)))
        if entry.certificates and category.kind == "work":
            numbers = {key.strip(): value.strip() for key, value in entry.certificates.items()
                       if key.strip()}
            if any(numbers.values()):
                extras["certificates"] = numbers
                extras.pop("certificate", None)
        seen.add(name)
        if category.kind == "work":
            inferred += found
        documents.append({"category": category.id, "name": name, **extras})
    existing |= seen
    return documents, problems


def next_position(db: TinyDB, category: Category) -> int:
    """The manual-order position after the category's last winner."""
    return roster(db, category)[1]


def insert_winners(
    db: TinyDB, category: Category, documents: list[dict], start: int | None = None
) -> list[int]:
    """Append validated documents at the end of the category's manual order
    (``start``: the first position, from :func:`next_position`, to save a scan)."""
    table = db.table(WINNERS)
    start = next_position(db, category) if start is None else start
    now = datetime.now().isoformat(timespec="seconds")
    for offset, document in enumerate(documents):
        document["position"] = start + offset
        document["added"] = now
    return table.insert_multiple(documents)


def resolve_winner(db: TinyDB, category: Category, reference: str) -> Winner:
    """A winner of ``category`` by its name as listed, or ``#ID``."""
    winners = [Winner.from_doc(d) for d in _in_category(db.table(WINNERS), category.id)]
    reference = reference.strip()
    if reference.startswith("#") and reference[1:].isdigit():
        for winner in winners:
            if winner.id == int(reference[1:]):
                return winner
        raise RollError(
            _("no winner {reference} in {category!r}").format(
                reference=reference, category=category.title
            )
        )
    try:
        name = validate_entry(reference)
    except InvalidName as error:
        raise RollError(str(error)) from None
    matches = [w for w in winners if w.name == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(f"#{w.id}" for w in matches)
        raise RollError(
            _("{name} is in {category!r} {count} times; give one of {ids}").format(
                name=name, category=category.title, count=len(matches), ids=ids
            )
        )
    raise RollError(
        _("{name} is not in {category!r}; `honours list` shows who is").format(
            name=name, category=category.title
        )
    )


def remove_winner(db: TinyDB, category: Category, reference: str) -> Winner:
    winner = resolve_winner(db, category, reference)
    db.table(WINNERS).remove(doc_ids=[winner.id])
    return winner


def edit_winner(db: TinyDB, category: Category, reference: str,
                inferred: list[InferredKind] | None = None, **changes) -> Winner:
    """Change a winner's fields.  A work's proposer kind follows its proposers: the
    kind given (``proposer_kind``), else each kept proposer's own, else inferred
    (added to ``inferred``).  Certificate numbers are the caller's to settle
    (:func:`numbers_before` and :func:`renumber`)."""
    from .recipients import proposer_kinds, split_proposers

    winner = resolve_winner(db, category, reference)
    changes = {k: v for k, v in changes.items() if v is not None}
    if category.kind != "work" and changes.get("proposer_kind"):
        raise RollError(
            _("a proposer kind is only for works; {category!r} is not a list of works")
            .format(category=category.title))
    if "name" in changes:
        limit = MAX_TITLE_LENGTH if category.kind == "work" else MAX_NAME_LENGTH
        try:
            name = validate_entry(changes["name"], max_length=limit)
        except InvalidName as error:
            raise RollError(str(error)) from None
        if name != winner.name and any(
            d["name"] == name for d in _in_category(db.table(WINNERS), category.id)
        ):
            raise RollError(
                _("{name} is already in {category!r}").format(name=name, category=category.title)
            )
        changes["name"] = name
    for field_name in ("affiliation", "note", "proposer"):
        if field_name in changes and changes[field_name]:
            try:
                changes[field_name] = validate_entry(
                    changes[field_name], max_length=MAX_TITLE_LENGTH, what=field_name
                )
            except InvalidName as error:
                raise RollError(str(error)) from None
    if category.kind == "work" and ("proposer" in changes or "proposer_kind" in changes):
        if changes.get("proposer") == "":
            raise RollError(_("a work needs a proposer"))
        proposer = changes.get("proposer", winner.proposer)
        old = split_proposers(winner.proposer)
        kinds = [kind for kind, _inferred in proposer_kinds(old, winner.proposer_kind)]
        kept = dict(zip(old, kinds))
        new = split_proposers(proposer)
        for index, name in enumerate(new):  # a corrected spelling keeps the kind at its place
            if name not in kept and index < len(old) and old[index] not in new:
                kept[name] = kinds[index]
        changes["proposer_kind"] = settle_proposer_kind(
            proposer, changes.get("proposer_kind", ""), kept=kept, inferred=inferred)
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
        (Winner.from_doc(d) for d in _in_category(table, target.id)
         if d.doc_id != winner.id),
        key=lambda w: (w.position, w.id),
    )
    if target.id != category.id and any(w.name == winner.name for w in others):
        raise RollError(
            _("{name} is already in {category!r}").format(name=winner.name, category=target.title)
        )
    index = len(others) if position is None else max(0, min(position - 1, len(others)))
    order = [w.id for w in others]
    order.insert(index, winner.id)
    for place, doc_id in enumerate(order):
        table.update({"position": place, "category": target.id}, doc_ids=[doc_id])
    return Winner.from_doc(table.get(doc_id=winner.id))


# -- whose certificate number is whose --------------------------------------------------


@dataclass
class Renumbering:
    """What a change did to the certificate numbers of works (:func:`renumber`)."""

    #: (number, recipient it was issued to, category path): no recipient keeps it
    revoked: list[tuple[str, str, str]] = field(default_factory=list)
    #: (number, recipient it was issued to, recipient holding it now): a renamed proposer
    moved: list[tuple[str, str, str]] = field(default_factory=list)


def certificate_mode_of(chain: list[Category]) -> str:
    """A work's certificates: the nearest mode set on the category or an ancestor,
    else one per proposer."""
    for category in reversed(chain):
        if category.certificate_mode:
            return category.certificate_mode
    return DEFAULT_MODE


def honour_verb_of(chain: list[Category]) -> str:
    """The verb set for the honour on the category or an ancestor ("": chosen by it)."""
    for category in reversed(chain):
        if category.verb:
            return category.verb
    return ""


def _work_modes(db: TinyDB) -> dict[int, tuple[str, str]]:
    """Each category of works: (certificate mode, path)."""
    by_id = {c.id: c for c in all_categories(db)}
    modes = {}
    for category in by_id.values():
        if category.kind == "work":
            chain = lineage(db, category, by_id)
            modes[category.id] = (certificate_mode_of(chain),
                                  PATH_SEPARATOR.join(c.title for c in chain))
    return modes


def numbers_before(db: TinyDB, categories: Iterable[int] | None = None,
                   winners: Iterable[int] = ()) -> dict[int, list[tuple[str, str]]]:
    """Before a change of works' recipients (an edited proposer, a category's mode,
    a move): the (recipient, number) pairs of the works among ``winners``, or in
    ``categories`` (None: every category; a category's mode is inherited), that hold
    numbers, for :func:`renumber` after the change."""
    from .recipients import issued, recipients

    modes = _work_modes(db)
    wanted = set(modes) if categories is None else set(categories)
    ids = {str(winner) for winner in winners}
    before = {}
    for doc_id, doc in winner_records(db).items():
        category = doc["category"]
        if category not in modes or not (category in wanted or doc_id in ids):
            continue
        if not (doc.get("certificate") or doc.get("certificates")):
            continue
        proposer = doc.get("proposer", "")
        now = recipients("work", doc["name"], proposer, modes[category][0])
        pairs = issued(doc.get("certificate", ""), doc.get("certificates"), now,
                       proposer or doc["name"])
        if any(number for _name, number in pairs):
            before[int(doc_id)] = pairs
    return before


def renumber(db: TinyDB, before: dict[int, list[tuple[str, str]]]) -> Renumbering:
    """Give the numbers recorded by :func:`numbers_before` to the works' recipients
    as they are now (:func:`honours.recipients.assign`: a name keeps its number; a
    renamed proposer keeps the number of the name it replaces at its place); what
    no recipient keeps is returned as revoked, for the ledger."""
    from .recipients import assign, numbers_fields, recipients

    modes = _work_modes(db)
    result = Renumbering()
    table = db.table(WINNERS)
    records = winner_records(db)
    updates = {}
    for doc_id, pairs in before.items():
        doc = records.get(str(doc_id))
        if doc is None:
            continue
        mode, path = modes.get(doc["category"], (DEFAULT_MODE, ""))
        kind = "work" if doc["category"] in modes else "person"
        now = recipients(kind, doc["name"], doc.get("proposer", ""), mode)
        numbers, left = assign(now, pairs)
        owner = {number: name for name, number in pairs}
        result.revoked += [(number, name, path) for name, number in left]
        result.moved += [(number, owner[number], name) for name, number in zip(now, numbers)
                         if number and owner[number] != name]
        fields = numbers_fields(doc, now, numbers)
        if any(doc.get(key, type(value)()) != value for key, value in fields.items()):
            updates[doc_id] = fields
    update_documents(table, updates)
    return result


# -- settings of the roll -----------------------------------------------------------------

SETTINGS = "settings"
#: Settings of the whole roll, with their defaults.
DEFAULT_SETTINGS = {
    "title": "光荣榜",
    "issuer": "",
    "year": "",  # empty: the current year
    "certificate-pattern": "{year}-{serial:04d}",
    "date": "",  # on certificates, YYYY-MM or YYYY-MM-DD; empty: this month
}


def stored_settings(db: TinyDB) -> dict[str, str]:
    """The settings as stored, defaults filled in (an empty year stays empty)."""
    stored = db.table(SETTINGS).get(doc_id=1) or {}
    return {**DEFAULT_SETTINGS, **{k: v for k, v in stored.items() if k in DEFAULT_SETTINGS}}


def settings(db: TinyDB) -> dict[str, str]:
    """The settings in effect: an empty year means the current year."""
    values = stored_settings(db)
    if not values["year"]:
        values["year"] = str(datetime.now().year)
    return values


def set_setting(db: TinyDB, key: str, value: str) -> dict[str, str]:
    """Store one setting; ``key`` may be the code or its Chinese word (落款), a date
    any way a clerk writes one (2024年12月): both are stored in their one form."""
    key, value = checked_setting(key, value)
    table = db.table(SETTINGS)
    if table.get(doc_id=1) is None:
        table.insert({key: value})
    else:
        table.update({key: value}, doc_ids=[1])
    return settings(db)


def checked_setting(key: str, value: str) -> tuple[str, str]:
    """A setting's code and value in their one stored form, or RollError saying why
    it is refused (``settings set``, and ``doctor`` on a stored value)."""
    from . import vocabulary

    try:
        key = vocabulary.SETTINGS.code(key)
        if key == "date" and value.strip():
            value = vocabulary.canonical_date(value)
    except vocabulary.UnknownValue as error:
        raise RollError(str(error)) from None
    value = value.strip()
    check_setting(key, value)
    return key, value


def check_setting(key: str, value: str) -> None:
    """Refuse a value ``set_setting`` would not store (``key`` its code)."""
    if len(value) > MAX_SETTING_LENGTH:
        raise RollError(
            _("the {key} is {length} characters long; at most {limit} are accepted").format(
                key=key, length=len(value), limit=MAX_SETTING_LENGTH)
        )
    if key == "year" and value and not (value.isdigit() and len(value) == 4):
        raise RollError(_("the year must be four digits, not {value!r}").format(value=value))
    if key == "certificate-pattern":
        check_certificate_pattern(value)


def check_settings(db: TinyDB, origin: str) -> None:
    """Refuse settings that come from elsewhere (``origin``: a backup being restored)
    and that ``settings set`` would refuse: a pattern that hangs or blows up issuing."""
    for key, value in stored_settings(db).items():
        try:
            check_setting(key, value if isinstance(value, str) else str(value))
        except RollError as error:
            raise RollError(
                _("{origin} cannot be used: its setting {key}: {error}. Nothing was "
                  "changed").format(origin=origin, key=key, error=error)) from None


#: How deep the category tree may go: real rolls use 2 to 4 levels.
MAX_DEPTH = 16
#: Bounds of a certificate-number pattern (docs/rolls.md): a number is printed on a
#: certificate and in a register cell; a pattern from a file must not ask for a
#: 200-million-digit one.  Every accepted pattern is formatted for MAX_SERIAL and
#: MAX_YEAR before it is kept, so no number issued later is longer than
#: MAX_NUMBER_LENGTH characters.
MAX_PATTERN_LENGTH = 60
MAX_FIELD_WIDTH = 12
#: The highest serial a pattern is checked for and a roll issues: a billion certificates.
MAX_SERIAL = 10**9
MAX_YEAR = 9999
MAX_NUMBER_LENGTH = 80
#: The longest title or issuer a setting takes (a certificate line, a roll heading).
MAX_SETTING_LENGTH = 200

#: A field's format, the only one a pattern takes: [[fill]align][0][width][d]
#: (``d`` for {serial} only).  Python's whole mini-language (nested fields, signs,
#: precision, grouping) is not for a certificate number.
_FIELD_SPEC = re.compile(
    r"(?:(?P<fill>[^{}])?(?P<align>[<>=^]))?(?P<zero>0)?(?P<width>[0-9]+)?(?P<type>d)?",
    re.DOTALL)


def check_certificate_pattern(pattern: str) -> None:
    """Refuse, with a sentence, a pattern that could not give every serial its own
    number of bounded length.  The pattern is parsed (string.Formatter) before it is
    ever formatted: only the fields {year} and {serial}, each with at most the format
    [[fill]align][0][width][d] and a width of at most MAX_FIELD_WIDTH; no {{ }}
    escapes, no nested fields, no attribute or index access, no conversion; {serial}
    present, padded so that two serials never give one number (a digit as fill only
    as leading zeros).  Then it is formatted for serials 1, 2 and MAX_SERIAL with
    year MAX_YEAR: at most MAX_NUMBER_LENGTH characters, different for each serial.
    Every refusal is a RollError, never another exception."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RollError(
            _("the certificate pattern is {length} characters long; at most {limit} are "
              "accepted").format(length=len(pattern), limit=MAX_PATTERN_LENGTH)
        )
    problem = _pattern_problem(pattern)
    if problem is not None:
        raise RollError(
            _(
                "the certificate pattern {pattern!r} cannot be used: {problem}; "
                "it may use {{year}} and {{serial}}, e.g. JS{{year}}-{{serial:04d}}"
            ).format(pattern=pattern, problem=problem)
        )
    numbers = [pattern.format(serial=serial, year=str(MAX_YEAR))
               for serial in (1, 2, MAX_SERIAL)]
    longest = max(map(len, numbers))
    if longest > MAX_NUMBER_LENGTH:
        raise RollError(
            _("the certificate pattern {pattern!r} gives numbers of up to {length} "
              "characters; at most {limit} are accepted").format(
                pattern=pattern, length=longest, limit=MAX_NUMBER_LENGTH)
        )
    if len(set(numbers)) != len(numbers):  # the grammar rules it out; kept as the promise
        raise RollError(
            _("the certificate pattern {pattern!r} gives the same number to different "
              "serials").format(pattern=pattern)
        )


def _pattern_problem(pattern: str) -> str | None:
    """What is wrong with a numbering pattern, in the interface language (Python's
    own "unmatched '{' in format spec" is not for a clerk); None: nothing."""
    import string

    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        return _unpaired()
    serial = False
    for text, name, spec, conversion in parts:
        if not text.isprintable() or "{" in text or "}" in text:
            if "{" in text or "}" in text:
                return _("{open}{open} and {close}{close} (a brace printed as is) are not "
                         "accepted: a number holds no braces").format(open="{", close="}")
            return _("it holds a tab, a line break or another invisible character")
        if name is None:
            continue
        if name == "":
            return _("{empty} needs a name inside: {year} or {serial}").format(
                empty="{}", year="{year}", serial="{serial}")
        if "." in name or "[" in name:
            return _("{field} reads a part of a field ({mark}); write {year} or {serial} "
                     "as they are").format(field="{" + name + "}", mark="." if "." in name
                                           else "[ ]", year="{year}", serial="{serial}")
        if name not in ("year", "serial"):
            return _("{field} is not a field (only {year} and {serial} are)").format(
                field="{" + name + "}", year="{year}", serial="{serial}")
        if conversion is not None:
            return _("{mark} cannot be used inside a field").format(mark="!")
        if "{" in spec or "}" in spec:
            return _("a field's format cannot hold another field ({spec})").format(
                spec="{" + name + ":" + spec + "}")
        problem = _spec_problem(name, spec)
        if problem is not None:
            return problem
        serial = serial or name == "serial"
    if not serial:
        return _("it must contain {serial}, the counter that makes each number its own").format(
            serial="{serial}")
    return None


def _spec_problem(name: str, spec: str) -> str | None:
    """What is wrong with one field's format (after the colon); None: nothing."""
    found = _FIELD_SPEC.fullmatch(spec) if spec.isprintable() else None
    if found is None or (name == "year" and (found["type"] or found["zero"]
                                             or found["align"] == "=")):
        return _("the part after : is not a number format (04d means four digits "
                 "with leading zeros)")
    if found["width"] and int(found["width"]) > MAX_FIELD_WIDTH:
        return _("the field {field} is wider than {limit} characters").format(
            field="{" + name + ":" + spec + "}", limit=MAX_FIELD_WIDTH)
    # The padding as Python applies it: the 0 flag fills with zeros unless a fill is given.
    fill = found["fill"] or ("0" if found["zero"] else " ")
    align = found["align"] or ("=" if found["zero"] else ">")
    if fill.isdigit() and not (fill == "0" and align in ">="):
        return _("the field {field} pads with a digit after or around the serial, so two "
                 "serials would give one number (write {example} for leading zeros)").format(
            field="{" + name + ":" + spec + "}", example="{serial:04d}")
    return None


def _unpaired() -> str:
    return _("a {open} or {close} without its pair (a field is written {serial})").format(
        open="{", close="}", serial="{serial}")


# -- the roll as the renderers see it ---------------------------------------------------


def honour_of(chain: list[Category]) -> str:
    """The honour in words: the nearest ``honour`` set on the category or an
    ancestor, else one phrase made from the titles (docs/certificates.md)."""
    from .certificates.wording import default_honour

    for category in reversed(chain):
        if category.honour:
            return category.honour
    return default_honour([category.title for category in chain])


def author_label_of(chain: list[Category]) -> str:
    """What a work's proposer is called: the nearest ``author_label`` set, else
    one that suits the titles (提案者 for proposals, else 作者)."""
    from .certificates.wording import default_author_label

    for category in reversed(chain):
        if category.author_label:
            return category.author_label
    return default_author_label([category.title for category in chain])


def roll_view(db: TinyDB, reference: str | None = None):
    """The whole roll, or the subtree of ``reference``, ready to render."""
    from .ledger import certificate_serial
    from .render.view import Entry, RollView, Section, heading_number

    # The documents themselves, not a Winner each: the view's entries are made
    # from them directly (a roll of 100,000 winners built 100,000 objects more).
    by_category: dict[int, list] = {}
    for doc_id, doc in winner_records(db).items():  # (id, record): no Document copies
        by_category.setdefault(doc["category"], []).append((int(doc_id), doc))
    counts = {category: len(winners) for category, winners in by_category.items()}
    if reference:
        root = resolve_category(db, reference)
        roots = [categories_by_id(db)[root.id]]
        chains = {root.id: lineage(db, root)}
    else:
        roots = category_tree(db)
        chains = {}

    def section(category: Category, depth: int, index: int, chain: list[Category]) -> Section:
        winners = sorted(by_category.get(category.id, []),
                         key=lambda pair: (pair[1].get("position", 0), pair[0]))
        winners = sort_records(winners, category.sort, category.kind,
                               name=lambda pair: pair[1]["name"])
        built = Section(
            id=category.id,
            title=category.title,
            path=PATH_SEPARATOR.join(c.title for c in chain),
            kind=category.kind,
            sort=category.sort,
            measure=category.measure,
            columns=category.columns,
            description=category.description,
            depth=depth,
            number=heading_number(depth, index),
            count=total_count(category, counts),
            honour=honour_of(chain),
            own_honour=category.honour,
            author_label=author_label_of(chain),
            own_author_label=category.author_label,
            quota=category.quota,
            exclusive=category.exclusive,
            certificate_mode=certificate_mode_of(chain),
            own_certificate_mode=category.certificate_mode,
            verb=honour_verb_of(chain),
            own_verb=category.verb,
            entries=[  # Entry's fields in order (keywords cost a third more, per winner)
                Entry(doc_id, doc["name"], place, doc.get("position", 0),
                      doc.get("proposer", ""), doc.get("affiliation", ""), doc.get("note", ""),
                      doc.get("certificate", ""), doc.get("proposer_kind", ""),
                      doc.get("certificates"))
                for place, (doc_id, doc) in enumerate(winners, start=1)
            ],
        )
        built.children = [
            section(child, depth + 1, number, chain + [child])
            for number, child in enumerate(category.children, start=1)
        ]
        return built

    sections = [
        section(root, 0, 1, chains.get(root.id, [root])) for root in roots
    ]
    return RollView(
        title=stored_settings(db)["title"], sections=sections, settings=stored_settings(db),
        subtree=bool(reference), certificate_serial=certificate_serial(db),
    )
