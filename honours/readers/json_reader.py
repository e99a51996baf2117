"""The roll interchange format (docs/json-format.md) read back."""

from __future__ import annotations

import json

from ..errors import json_problem
from ..i18n import _
from ..render.json_file import FORMAT_NAME, FORMAT_VERSION
from .encoding import decode
from .plan import CategorySpec, ImportPlan, RowSpec, UnreadableFile

#: The highest certificate serial a roll file may carry: a billion certificates.
MAX_SERIAL = 10**9

_CATEGORY_FIELDS = ("kind", "sort", "measure", "columns", "description", "honour",
                    "author_label", "certificate_mode", "verb")
_WINNER_TEXT = ("proposer", "affiliation", "note", "certificate", "proposer_kind")


def read_json(data: bytes, origin: str) -> ImportPlan:
    _check_size(data, origin)
    text = decode(data, origin).text
    twice: list[tuple[dict, str]] = []  # objects that held a key twice, and the key
    try:
        document = json.loads(text, object_pairs_hook=_keeping_duplicates(twice))
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            _(
                "{origin} is not valid JSON (line {line}, column {column}): "
                "{error}; the file may be truncated"
            ).format(origin=origin, line=error.lineno, column=error.colno,
                     error=json_problem(error))
        ) from None
    except RecursionError:
        raise UnreadableFile(
            _("{origin} is nested too deeply to be a roll").format(origin=origin)
        ) from None
    except ValueError:  # an integer of thousands of digits
        raise UnreadableFile(
            _("{origin} holds a number too long to be part of a roll").format(origin=origin)
        ) from None
    if twice:
        # The first whose place is still in the document (an object inside a value
        # that a repeated key replaced is not), else the first.
        places = ((_place(document, found), key) for found, key in twice)
        place, key = next((p for p in places if p[0] is not None), (None, twice[0][1]))
        raise UnreadableFile(
            _("{origin}: the key {key!r} is written twice in {place}; only one can be "
              "read, and none is dropped unsaid: remove the one that is wrong").format(
                origin=origin, key=key[:80], place=place or _("an object of the file")))
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise UnreadableFile(
            _(
                "{origin} is JSON but not a honours roll (no \"format\": \"{format}\"); "
                "`honours export -f json` writes one"
            ).format(origin=origin, format=FORMAT_NAME)
        )
    if document.get("version") != FORMAT_VERSION:
        raise UnreadableFile(
            _(
                "{origin} is roll format version {version!r}; this honours "
                "reads version {supported}: upgrade honours to import it"
            ).format(origin=origin, version=document.get("version"), supported=FORMAT_VERSION)
        )
    plan = ImportPlan(
        source=_("honours roll JSON, version {version}").format(version=FORMAT_VERSION)
    )
    settings = document.get("settings") or {}
    if isinstance(settings, dict):
        plan.settings = {k: str(v) for k, v in settings.items() if isinstance(v, (str, int))}
    serial = document.get("certificate_serial", 0)
    if isinstance(serial, int) and not isinstance(serial, bool) and 0 <= serial <= MAX_SERIAL:
        plan.certificate_serial = serial
    else:
        plan.problems.append(
            _("certificate_serial {value} is not a serial number from 0 to {limit}").format(
                value=str(serial)[:20], limit=f"{MAX_SERIAL:,}")
        )
    categories = document.get("categories")
    if not isinstance(categories, list):
        raise UnreadableFile(_("{origin}: \"categories\" must be a list").format(origin=origin))
    for index, category in enumerate(categories):
        _category(category, (), f"categories[{index}]", plan)
    return plan


def _check_size(data: bytes, origin: str) -> None:
    """Refuse a file whose parse would cost too much memory, before parsing: Python
    holds an empty list of two bytes of text in 56 bytes.  The values are counted
    from their delimiters ({, [ and commas, inside texts too: an upper bound)."""
    from . import limits

    if len(data) > limits.MAX_JSON_BYTES:
        raise UnreadableFile(
            _("{origin} is {size:,} bytes, more than the {limit:,} a roll JSON may be; "
              "split the roll, or import it as CSV or xlsx").format(
                origin=origin, size=len(data), limit=limits.MAX_JSON_BYTES))
    values = data.count(b"{") + data.count(b"[") + data.count(b",")
    if values > limits.MAX_JSON_VALUES:
        raise UnreadableFile(
            _("{origin} holds about {count:,} values, more than the {limit:,} a roll JSON "
              "may hold; split the roll, or import it as CSV or xlsx").format(
                origin=origin, count=values, limit=limits.MAX_JSON_VALUES))


def _keeping_duplicates(twice: list[tuple[dict, str]]):
    """An ``object_pairs_hook`` that notes each object holding a key twice (a plain
    ``json.loads`` keeps the last and drops the other unsaid)."""

    def pairs(items: list[tuple[str, object]]) -> dict:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            key = next(k for k, _v in items if k in seen or seen.add(k))
            twice.append((result, key))
        return result

    return pairs


def _place(document: object, target: dict) -> str | None:
    """Where ``target`` is in ``document``, as ``categories[0].winners[3]`` (None:
    not there)."""
    stack: list[tuple[object, str]] = [(document, "")]
    while stack:
        value, path = stack.pop()
        if value is target:
            return path or _("the top object")
        if isinstance(value, dict):
            stack += [(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()
                      if isinstance(v, (dict, list))]
        elif isinstance(value, list):
            stack += [(v, f"{path}[{i}]") for i, v in enumerate(value)
                      if isinstance(v, (dict, list))]
    return None


def _quota(value: object, where: str, plan: ImportPlan) -> int | None:
    """A category's quota: absent, or a whole number from 1 (0 or null: none)."""
    from ..eligibility import MAX_QUOTA

    if value is None or (type(value) is int and value == 0):
        return None
    if type(value) is int and 0 < value <= MAX_QUOTA:
        return value
    plan.problems.append(_("{where}: the quota {value} is not a number from 1 to {limit}").format(
        where=where, value=str(value)[:20], limit=f"{MAX_QUOTA:,}"))
    return None


def _category(document: object, parent: tuple[str, ...], where: str, plan: ImportPlan) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("title"), str):
        plan.problems.append(_("{where}: a category needs a \"title\" string").format(where=where))
        return
    path = parent + (document["title"],)
    values = {field: document.get(field) for field in _CATEGORY_FIELDS}
    plan.categories.append(
        CategorySpec(
            path=path,
            origin=where,
            kind=values["kind"] if isinstance(values["kind"], str) else None,
            sort=values["sort"] if isinstance(values["sort"], str) else None,
            measure=values["measure"] if isinstance(values["measure"], str) else None,
            columns=values["columns"] if isinstance(values["columns"], int) else None,
            description=values["description"] if isinstance(values["description"], str) else "",
            honour=values["honour"] if isinstance(values["honour"], str) else "",
            author_label=(values["author_label"]
                          if isinstance(values["author_label"], str) else ""),
            quota=_quota(document.get("quota"), where, plan),
            exclusive=document.get("exclusive") is True,
            certificate_mode=(values["certificate_mode"]
                              if isinstance(values["certificate_mode"], str) else ""),
            verb=values["verb"] if isinstance(values["verb"], str) else "",
            expected_count=None,
        )
    )
    winners = document.get("winners") or []
    if not isinstance(winners, list):
        plan.problems.append(_("{where}.winners must be a list").format(where=where))
        winners = []
    for number, winner in enumerate(winners):
        at = f"{where}.winners[{number}]"
        if not isinstance(winner, dict) or not isinstance(winner.get("name"), str):
            plan.problems.append(_("{where}: a winner needs a \"name\" string").format(where=at))
            continue
        order = winner.get("order")
        numbers = winner.get("certificates")
        if numbers is not None and not (
            isinstance(numbers, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in numbers.items())
        ):
            plan.problems.append(_(
                "{where}: \"certificates\" must map each proposer to a certificate number"
            ).format(where=at))
            numbers = None
        plan.rows.append(
            RowSpec(
                origin=at,
                name=winner["name"],
                category=path,
                order=order if isinstance(order, int) else None,
                certificates=numbers or None,
                **{f: str(winner.get(f) or "") for f in _WINNER_TEXT},
            )
        )
    children = document.get("children") or []
    for number, child in enumerate(children if isinstance(children, list) else []):
        _category(child, path, f"{where}.children[{number}]", plan)
