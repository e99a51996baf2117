"""The database's records checked as a whole: what a hand edit or another program
can break, and how ``honours doctor --repair`` mends it.

The storage layer checks that the file is an honours database (JSON, tables of
documents, the schema); this module checks that the documents make a roll:
record ids TinyDB will keep ("01" beside "1" would lose one at the next save,
an id past :data:`MAX_ID` would make the next id one no save can write),
fields of the right type and value, parents and categories that exist, no
circle of parents, the database's serial counter a number.  Pure: the tables
in, problems out; a repair changes only what it must and loses no winner.
Fast enough to run on every open (plain dictionary work, no name validation:
names are checked when they are typed).

:func:`check` finds what every command refuses (the file is left to
``doctor --repair``); :func:`advice` finds values the commands read but ignore
or refuse to use (a quota in words, a setting ``settings set`` would refuse),
which a command sets right: each such problem names that command.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import repeat
from operator import methodcaller

from .collation import KINDS, RULES
from .errors import HonoursError
from .i18n import _
from .ledger import CERTIFICATE_SERIAL, COUNTERS
from .recipients import CERTIFICATE_MODES, RECIPIENT_KINDS, parse_kinds
from .roll import DEFAULT_SETTINGS, PATH_SEPARATOR, checked_setting

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
#: The largest record id kept: the largest whole number a JSON reader that
#: reads numbers as doubles keeps exactly, far below the 64 bits a save writes
#: (a hand-edited 31-digit id made every later insert fail).
MAX_ID = 2**53 - 1
_ID_DIGITS = len(str(MAX_ID))


@dataclass(frozen=True)
class Problem:
    table: str
    record: str  # the document id as written in the file
    message: str
    fix: str = ""  # the command that mends it (problems of :func:`advice`)

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
    problems += _counters(tables.get(COUNTERS, {}))
    for record, document in tables.get(SETTINGS, {}).items():
        bad = [key for key, value in document.items() if not isinstance(value, str)]
        if bad:
            problems.append(Problem(SETTINGS, record, _("settings {keys} are not text").format(
                keys=", ".join(bad))))
    return problems


def _canonical(record: str) -> bool:
    """A plain positive number as TinyDB writes it: no leading zero, ASCII digits,
    at most :data:`MAX_ID`."""
    return (record.isascii() and record.isdigit() and record[0] != "0"
            and (len(record) < _ID_DIGITS or int(record) <= MAX_ID))


def _ids(name: str, table: dict) -> list[Problem]:
    if (all(map(str.isascii, table)) and all(map(str.isdigit, table))
            and not any(map(methodcaller("startswith", "0"), table))
            and max(map(len, table), default=0) < _ID_DIGITS):
        return []  # plain numbers are all different numbers
    problems = []
    seen: dict[int, str] = {}
    for record in table:
        number = int(record) if record.isdecimal() else None
        if number is not None and number > MAX_ID and record.isascii() and record[0] != "0":
            problems.append(Problem(name, record, _(
                "the id {record} is larger than {limit}: the next record added would get "
                "an id no save can write").format(record=record, limit=MAX_ID)))
        elif not _canonical(record):
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


def _counters(counters: dict) -> list[Problem]:
    """The database's counters (honours/ledger.py): each named, the certificate
    serial a whole number of 0 or more (read by every register and issue)."""
    problems = []
    for record, document in counters.items():
        name = document.get("name")
        if type(name) is not str:
            problems.append(Problem(COUNTERS, record, _(
                "the counter has no name (a text)")))
        elif name == CERTIFICATE_SERIAL and not _serial_sound(document.get("value")):
            problems.append(Problem(COUNTERS, record, _(
                "the certificate serial {value!r} is not a whole number of 0 or more").format(
                    value=document.get("value"))))
    return problems


def _serial_sound(value) -> bool:
    return _is_int(value) and value >= 0


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


def advice(tables: dict[str, dict]) -> list[Problem]:
    """Values of sound tables (:func:`check` finds nothing) that the commands read
    but ignore or refuse to use, each with the command that sets it right in
    ``fix``: a quota or exclusive mark that is not one (so none is in force), a
    proposer kind that is not person or unit (so it is guessed), a title that no
    path can name, a setting ``settings set`` would refuse."""
    problems: list[Problem] = []
    categories = tables.get(CATEGORIES, {})
    titles: dict[tuple, str] = {}
    for record, document in categories.items():
        edit = f"honours category edit {record}"
        quota = document.get("quota")
        if quota is not None and not (_is_int(quota) and quota >= 0):
            given = quota if isinstance(quota, str) and quota.isascii() and quota.isdigit() \
                else "N"
            problems.append(Problem(CATEGORIES, record, _(
                "the quota {value!r} is not a whole number: no quota is in force").format(
                    value=quota), fix=f"{edit} --quota {given}"))
        exclusive = document.get("exclusive", False)
        if not isinstance(exclusive, bool):
            problems.append(Problem(CATEGORIES, record, _(
                "exclusive {value!r} is neither true nor false: the list is treated as not "
                "exclusive").format(value=exclusive),
                fix=f"{edit} --exclusive  |  {edit} --no-exclusive"))
        title = document["title"]
        if PATH_SEPARATOR in title:
            problems.append(Problem(CATEGORIES, record, _(
                "the title {title!r} holds {separator}, which joins the titles of a path: "
                "no path names it").format(title=title, separator=PATH_SEPARATOR),
                fix=f"{edit} --title NEW-TITLE"))
        place = (document.get("parent"), title.strip())
        if place in titles:
            problems.append(Problem(CATEGORIES, record, _(
                "the title {title!r} is also the title of category #{other} under the same "
                "parent: only its id names it").format(title=title, other=titles[place]),
                fix=f"{edit} --title NEW-TITLE"))
        titles.setdefault(place, record)
    for record, document in tables.get(WINNERS, {}).items():
        stored = document.get("proposer_kind")
        if not stored or stored in RECIPIENT_KINDS:
            continue  # the usual cases, without splitting
        if any(kind not in RECIPIENT_KINDS for kind in parse_kinds(stored)):
            problems.append(Problem(WINNERS, record, _(
                "the proposer kind {value!r} is not person or unit: it is guessed from the "
                "names").format(value=document.get("proposer_kind")),
                fix="honours edit {category} #{record} --proposer-kind person|unit".format(
                    category=document["category"], record=record)))
    for key, value in tables.get(SETTINGS, {}).get("1", {}).items():
        if key not in DEFAULT_SETTINGS or not value:
            continue
        try:
            checked_setting(key, value)
        except HonoursError as error:
            problems.append(Problem(SETTINGS, "1", _(
                "the setting {key} {value!r} cannot be used: {reason}").format(
                    key=key, value=value[:80], reason=error),
                fix=f"honours settings set {key} VALUE"))
    return problems


# --------------------------------------------------------------------------- repair


def repair(tables: dict[str, dict], renumbered: dict | None = None,
           serial: int = 0) -> list[str]:
    """Mend ``tables`` in place so that :func:`check` finds nothing; returns what
    was done, in words.  No winner is dropped: a winner whose category is gone
    (or who has none) moves to a category "未归类（修复）".  A record whose id is
    not a plain number up to :data:`MAX_ID` gets the next free id; the winners and
    subcategories of a renumbered category follow it.  ``renumbered`` receives
    {table: {old id: new id}} (the ledger names winners by id); ``serial`` is the
    ledger's highest serial, the least a damaged serial counter is mended to."""
    done: list[str] = []
    moved: dict[str, dict[int, int]] = {}
    for name in list(tables):
        tables[name], moved[name] = _renumber(name, tables[name], done)
    if renumbered is not None:
        renumbered.update(moved)
    _follow(tables, moved.get(CATEGORIES, {}))
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
        done.append(_("{count} winner(s) whose category was gone or missing moved to "
                      "{title} (category {id}): put each where it belongs with `honours move "
                      "{id} #ID --to CATEGORY`").format(
            count=len(orphans), title=ORPHANS_TITLE, id=home))
    for record, document in winners.items():
        _mend_fields(WINNERS, record, document, done)
    for document in tables.get(SETTINGS, {}).values():
        for key, value in list(document.items()):
            if not isinstance(value, str):
                document[key] = "" if value is None else str(value)
                done.append(_("setting {key}: made text").format(key=key))
    _mend_counters(tables.get(COUNTERS, {}), serial, done)
    return done


def _follow(tables: dict[str, dict], moved: dict[int, int]) -> None:
    """Winners and subcategories of a renumbered category name its new id."""
    if not moved:
        return
    for table, field in ((WINNERS, "category"), (CATEGORIES, "parent")):
        for document in tables.get(table, {}).values():
            value = document.get(field)
            if _is_int(value) and value in moved:
                document[field] = moved[value]


def _mend_counters(counters: dict, serial: int, done: list[str]) -> None:
    """A counter without a name is the certificate serial when none is named so
    (the one counter honours keeps); a serial that is not a whole number of 0 or
    more becomes the larger of what it says and the ledger's highest serial."""
    named = any(d.get("name") == CERTIFICATE_SERIAL for d in counters.values())
    for record, document in counters.items():
        if type(document.get("name")) is not str:
            document["name"] = CERTIFICATE_SERIAL if not named else f"unnamed-{record}"
            named = True
            done.append(_("counters #{record}: named {name}").format(
                record=record, name=document["name"]))
        if document["name"] != CERTIFICATE_SERIAL or _serial_sound(document.get("value")):
            continue
        value = document.get("value")
        said = value if _is_int(value) else None
        if isinstance(value, float) and value == value and abs(value) != float("inf"):
            said = math.ceil(value)
        elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            said = int(value)
        document["value"] = max(said or 0, serial, 0)
        done.append(_("counters #{record}: the certificate serial {old!r} set to {new} (the "
                      "ledger's highest serial is {serial})").format(
                          record=record, old=value, new=document["value"], serial=serial))


def _renumber(name: str, table: dict, done: list[str]) -> tuple[dict, dict[int, int]]:
    """Give every record a plain, unique id up to MAX_ID (keeping the plain ones),
    the others in the order of their numbers; returns the table and, for each old
    id that was a number no kept record has, its new id."""
    kept = {record: document for record, document in table.items() if _canonical(record)}
    taken = {int(r) for r in kept}
    next_id = max(taken, default=0) + 1
    moved: dict[int, int] = {}
    others = [r for r in table if r not in kept]
    others.sort(key=lambda r: int(r) if r.isdecimal() else MAX_ID + 1)  # stable: file order
    for record in others:
        kept[str(next_id)] = table[record]
        if record.isdecimal() and int(record) not in taken:
            moved.setdefault(int(record), next_id)
        done.append(_("{table}: record {old!r} renumbered {new}").format(
            table=name, old=record, new=next_id))
        next_id += 1
    return kept, moved


def _mend_fields(table: str, record: str, document: dict, done: list[str]) -> None:
    def fix(field: str, value, why: str) -> None:
        document[field] = value
        done.append(_("{table} #{record}: {field} {why}").format(
            table=table, record=record, field=field, why=why))

    if table == CATEGORIES:
        title = document.get("title")
        if not isinstance(title, str) or not title.strip():
            fix("title", str(title).strip() if title not in (None, "") and str(title).strip()
                else f"类别{record}",
                _("set from the damaged value (rename it with `honours category edit {record} "
                  "--title TITLE`)").format(record=record))
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
            fix("name", str(name).strip() if name not in (None, "") and str(name).strip()
                else f"（无名）{record}",
                _("set from the damaged value (rename it with `honours edit {category} #{record} "
                  "--name NAME`)").format(category=document.get("category"), record=record))
        numbers = document.get("certificates", {})
        if not _numbers_sound(numbers):
            kept = ({str(key): str(value) for key, value in numbers.items() if value is not None}
                    if isinstance(numbers, dict) else {})
            fix("certificates", kept, _("made text (the ledger keeps every number issued)"))
    if not _is_int(document.get("position", 0)):
        fix("position", 0, _("set to 0"))
    for field in _TEXT_FIELDS[table]:
        value = document.get(field, "")
        if isinstance(value, str):
            continue
        if field == "proposer_kind":  # no word to keep: the kinds are guessed again
            fix(field, "", _("removed: the proposers' kinds are guessed from their names "
                             "(set them with `honours edit {category} #{record} "
                             "--proposer-kind person|unit`)").format(
                category=document.get("category"), record=record))
        else:
            fix(field, "" if value is None else str(value), _("made text"))
