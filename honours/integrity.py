"""The database's records checked as a whole: what a hand edit or another program
can break, and how ``honours doctor --repair`` mends it.

The storage layer checks that the file is an honours database (JSON, tables of
documents, the schema); this module checks that the documents make a roll:
record ids TinyDB will keep ("01" beside "1" would lose one at the next save),
fields of the right type and value, parents and categories that exist, no
circle of parents.  Pure: the tables in, problems out; a repair changes only
what it must and loses no winner.  Fast enough to run on every open (plain
dictionary work, no name validation: names are checked when they are typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import methodcaller

from .collation import KINDS, RULES
from .i18n import _
from .recipients import CERTIFICATE_MODES

CATEGORIES, WINNERS, SETTINGS = "categories", "winners", "settings"
#: Where a repair puts winners whose category no longer exists.
ORPHANS_TITLE = "未归类（修复）"
_TEXT_FIELDS = {
    CATEGORIES: ("measure", "description", "honour", "author_label", "certificate_mode",
                 "verb"),
    WINNERS: ("affiliation", "note", "proposer", "certificate", "proposer_kind"),
}
#: A category's certificate mode, when set (honours/recipients.py).
_MODES = ("", *CERTIFICATE_MODES)
_SORTS = (*RULES, "manual")


@dataclass(frozen=True)
class Problem:
    table: str
    record: str  # the document id as written in the file
    message: str

    def __str__(self) -> str:
        return _("{table} #{record}: {message}").format(
            table=self.table, record=self.record, message=self.message)


def check(tables: dict[str, dict]) -> list[Problem]:
    """Every problem of the tables, in file order."""
    problems: list[Problem] = []
    for name, table in tables.items():
        problems += _ids(name, table)
    categories = tables.get(CATEGORIES, {})
    category_ids = {int(i) for i in categories if _canonical(i)}
    for record, document in categories.items():
        problems += _category(record, document, category_ids)
    problems += _cycles(categories)
    problems += _winners(tables.get(WINNERS, {}), category_ids)
    for record, document in tables.get(SETTINGS, {}).items():
        bad = [key for key, value in document.items() if not isinstance(value, str)]
        if bad:
            problems.append(Problem(SETTINGS, record, _("settings {keys} are not text").format(
                keys=", ".join(bad))))
    return problems


def _canonical(record: str) -> bool:
    """A plain positive number as TinyDB writes it: no leading zero, ASCII digits."""
    return record.isascii() and record.isdigit() and record[0] != "0"


def _ids(name: str, table: dict) -> list[Problem]:
    if (all(map(str.isascii, table)) and all(map(str.isdigit, table))
            and not any(map(methodcaller("startswith", "0"), table))):
        return []  # plain numbers are all different numbers
    problems = []
    seen: dict[int, str] = {}
    for record in table:
        number = int(record) if record.isdecimal() else None
        if not _canonical(record):
            problems.append(Problem(name, record, _(
                "the id {record!r} is not a plain number: TinyDB would lose a record at the "
                "next save").format(record=record)))
        if number is not None and number in seen:
            problems.append(Problem(name, record, _(
                "the ids {first!r} and {second!r} are the same record to TinyDB").format(
                    first=seen[number], second=record)))
        if number is not None:
            seen[number] = record
    return problems


def _category(record: str, document: dict, category_ids: set[int]) -> list[Problem]:
    problems = []

    def bad(message: str) -> None:
        problems.append(Problem(CATEGORIES, record, message))

    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        bad(_("the title is missing or not text"))
    parent = document.get("parent")
    if parent is not None and (not _is_int(parent) or parent not in category_ids):
        bad(_("its parent {parent!r} is not a category").format(parent=parent))
    if document.get("kind", "person") not in KINDS:
        bad(_("the kind {value!r} is not one of {choices}").format(
            value=document.get("kind"), choices=", ".join(KINDS)))
    if document.get("sort", "stroke") not in _SORTS:
        bad(_("the ordering rule {value!r} is not one of {choices}").format(
            value=document.get("sort"), choices=", ".join(_SORTS)))
    columns = document.get("columns", 5)
    if not _is_int(columns) or not 1 <= columns <= 50:
        bad(_("columns {value!r} is not a number from 1 to 50").format(value=columns))
    if not _is_int(document.get("position", 0)):
        bad(_("position {value!r} is not a number").format(value=document.get("position")))
    for field in _TEXT_FIELDS[CATEGORIES]:
        if not isinstance(document.get(field, ""), str):
            bad(_("{field} is not text").format(field=field))
    if document.get("certificate_mode", "") not in _MODES:
        bad(_("the certificate mode {value!r} is not one of {choices}").format(
            value=document.get("certificate_mode"), choices=", ".join(CERTIFICATE_MODES)))
    return problems


def _winners(winners: dict, category_ids: set[int]) -> list[Problem]:
    """The winners' problems.  This runs on every open of a roll of 100,000, so the
    usual case, every winner sound, is decided a field at a time over all winners
    in C (``map``), and only a roll with a problem is looked at winner by winner."""
    documents = list(winners.values())
    count = len(documents)

    def values(field: str, default=None) -> list:
        return list(map(dict.get, documents, repeat(field, count), repeat(default, count)))

    names = values("name")
    categories = values("category")
    sound = (
        set(map(type, names)) <= {str} and all(names) and not any(map(str.isspace, names))
        # types of the list, not of a set: True and 1 are one member of a set
        and set(map(type, categories)) <= {int}
        and set(categories) <= category_ids
        and set(map(type, values("position", 0))) <= {int}
        and all(set(map(type, values(field, ""))) <= {str} for field in _TEXT_FIELDS[WINNERS])
        and all(map(_numbers_sound, values("certificates", {})))
    )
    if sound:
        return []
    problems = []
    for record, document in winners.items():
        get = document.get
        name, category = get("name"), get("category")
        if (
            type(name) is str and type(category) is int and category in category_ids
            and type(get("position", 0)) is int and type(get("affiliation", "")) is str
            and type(get("note", "")) is str and type(get("proposer", "")) is str
            and type(get("certificate", "")) is str and name and not name.isspace()
            and type(get("proposer_kind", "")) is str and _numbers_sound(get("certificates", {}))
        ):
            continue
        problems += _winner(record, document, category_ids)
    return problems


def _winner(record: str, document: dict, category_ids: set[int]) -> list[Problem]:
    problems = []

    def bad(message: str) -> None:
        problems.append(Problem(WINNERS, record, message))

    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        bad(_("the name is missing or not text"))
    category = document.get("category")
    if not _is_int(category) or category not in category_ids:
        bad(_("its category {category!r} does not exist").format(category=category))
    if not _is_int(document.get("position", 0)):
        bad(_("position {value!r} is not a number").format(value=document.get("position")))
    for field in _TEXT_FIELDS[WINNERS]:
        if not isinstance(document.get(field, ""), str):
            bad(_("{field} is not text").format(field=field))
    if not _numbers_sound(document.get("certificates", {})):
        bad(_("certificates is not a table of proposers and their certificate numbers"))
    return problems


def _numbers_sound(value) -> bool:
    """A joint work's numbers: proposer -> certificate number, all text."""
    return type(value) is dict and all(
        type(key) is str and type(number) is str for key, number in value.items())


def _cycles(categories: dict) -> list[Problem]:
    """Categories whose parents lead back to themselves."""
    parent = {
        int(record): document.get("parent") for record, document in categories.items()
        if _canonical(record)
    }
    state: dict[int, int] = {}  # 1: being followed, 2: leads to a root
    problems = []
    for start in parent:
        path = []
        node = start
        while _is_int(node) and node in parent and state.get(node) != 2:
            if state.get(node) == 1:
                circle = path[path.index(node):]
                problems.append(Problem(CATEGORIES, str(min(circle)), _(
                    "its parents go round in a circle: {ids}").format(
                        ids=" → ".join(str(i) for i in [*circle, node]))))
                break
            state[node] = 1
            path.append(node)
            node = parent[node]
        for visited in path:
            state[visited] = 2
    return problems


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------- repair


def repair(tables: dict[str, dict]) -> list[str]:
    """Mend ``tables`` in place so that :func:`check` finds nothing a repair can
    fix; returns what was done, in words.  No winner is dropped: a winner whose
    category is gone moves to a category "未归类（修复）"."""
    done: list[str] = []
    for name in list(tables):
        tables[name] = _renumber(name, tables[name], done)
    categories = tables.setdefault(CATEGORIES, {})
    for record, document in categories.items():
        _mend_fields(CATEGORIES, record, document, done)
    ids = {int(i) for i in categories}
    for record, document in categories.items():
        parent = document.get("parent")
        if parent is not None and (not _is_int(parent) or parent not in ids):
            document["parent"] = None
            done.append(_("category #{record}: missing parent {parent!r} removed (now a top "
                          "category)").format(record=record, parent=parent))
    for problem in _cycles(categories):
        categories[problem.record]["parent"] = None
        done.append(_("category #{record}: a circle of parents broken (now a top "
                      "category)").format(record=problem.record))
    winners = tables.get(WINNERS, {})
    orphans = [r for r, d in winners.items()
               if not _is_int(d.get("category")) or d.get("category") not in ids]
    if orphans:
        home = max(ids, default=0) + 1
        categories[str(home)] = {
            "title": ORPHANS_TITLE, "parent": None, "position": len(categories),
            "kind": "person", "sort": "manual", "measure": "名", "columns": 5,
            "description": "", "honour": "",
        }
        for record in orphans:
            winners[record]["category"] = home
        done.append(_("{count} winner(s) whose category was gone moved to {title}").format(
            count=len(orphans), title=ORPHANS_TITLE))
    for record, document in winners.items():
        _mend_fields(WINNERS, record, document, done)
    for document in tables.get(SETTINGS, {}).values():
        for key, value in list(document.items()):
            if not isinstance(value, str):
                document[key] = "" if value is None else str(value)
                done.append(_("setting {key}: made text").format(key=key))
    return done


def _renumber(name: str, table: dict, done: list[str]) -> dict:
    """Give every record a plain, unique id (keeping the plain ones)."""
    kept = {record: document for record, document in table.items() if _canonical(record)}
    next_id = max((int(r) for r in kept), default=0) + 1
    for record, document in table.items():
        if record in kept:
            continue
        kept[str(next_id)] = document
        done.append(_("{table}: record {old!r} renumbered {new}").format(
            table=name, old=record, new=next_id))
        next_id += 1
    return kept


def _mend_fields(table: str, record: str, document: dict, done: list[str]) -> None:
    def fix(field: str, value, why: str) -> None:
        document[field] = value
        done.append(_("{table} #{record}: {field} {why}").format(
            table=table, record=record, field=field, why=why))

    if table == CATEGORIES:
        title = document.get("title")
        if not isinstance(title, str) or not title.strip():
            fix("title", str(title).strip() if title not in (None, "") else f"类别{record}",
                _("set from the damaged value"))
        if document.get("kind", "person") not in KINDS:
            fix("kind", "person", _("set to person"))
        if document.get("sort", "stroke") not in _SORTS:
            fix("sort", "manual", _("set to manual"))
        columns = document.get("columns", 5)
        if not _is_int(columns) or not 1 <= columns <= 50:
            fix("columns", 5, _("set to 5"))
        if document.get("certificate_mode", "") not in _MODES:
            fix("certificate_mode", "", _("removed (one certificate per proposer)"))
    else:
        name = document.get("name")
        if not isinstance(name, str) or not name.strip():
            fix("name", str(name).strip() if name not in (None, "") else f"（无名）{record}",
                _("set from the damaged value"))
        numbers = document.get("certificates", {})
        if not _numbers_sound(numbers):
            kept = ({str(key): str(value) for key, value in numbers.items() if value is not None}
                    if isinstance(numbers, dict) else {})
            fix("certificates", kept, _("made text (the ledger keeps every number issued)"))
    if not _is_int(document.get("position", 0)):
        fix("position", 0, _("set to 0"))
    for field in _TEXT_FIELDS[table]:
        value = document.get(field, "")
        if not isinstance(value, str):
            fix(field, "" if value is None else str(value), _("made text"))
