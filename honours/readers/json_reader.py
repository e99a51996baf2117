"""The roll interchange format (docs/json-format.md) read back."""

from __future__ import annotations

import json

from ..render.json_file import FORMAT_NAME, FORMAT_VERSION
from .encoding import decode
from .plan import CategorySpec, ImportPlan, RowSpec, UnreadableFile

_CATEGORY_FIELDS = ("kind", "sort", "measure", "columns", "description", "honour")
_WINNER_TEXT = ("proposer", "affiliation", "note", "certificate")


def read_json(data: bytes, origin: str) -> ImportPlan:
    text, _ = decode(data, origin)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{origin} is not valid JSON (line {error.lineno}, column {error.colno}): "
            f"{error.msg}; the file may be truncated"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise UnreadableFile(
            f"{origin} is JSON but not a honours roll (no \"format\": \"{FORMAT_NAME}\"); "
            "`honours export -f json` writes one"
        )
    if document.get("version") != FORMAT_VERSION:
        raise UnreadableFile(
            f"{origin} is roll format version {document.get('version')!r}; this honours "
            f"reads version {FORMAT_VERSION}: upgrade honours to import it"
        )
    plan = ImportPlan(source=f"honours roll JSON, version {FORMAT_VERSION}")
    settings = document.get("settings") or {}
    if isinstance(settings, dict):
        plan.settings = {k: str(v) for k, v in settings.items() if isinstance(v, (str, int))}
    serial = document.get("certificate_serial", 0)
    plan.certificate_serial = serial if isinstance(serial, int) and serial >= 0 else 0
    categories = document.get("categories")
    if not isinstance(categories, list):
        raise UnreadableFile(f"{origin}: \"categories\" must be a list")
    for index, category in enumerate(categories):
        _category(category, (), f"categories[{index}]", plan)
    return plan


def _category(document: object, parent: tuple[str, ...], where: str, plan: ImportPlan) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("title"), str):
        plan.problems.append(f"{where}: a category needs a \"title\" string")
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
            expected_count=None,
        )
    )
    winners = document.get("winners") or []
    if not isinstance(winners, list):
        plan.problems.append(f"{where}.winners must be a list")
        winners = []
    for number, winner in enumerate(winners):
        at = f"{where}.winners[{number}]"
        if not isinstance(winner, dict) or not isinstance(winner.get("name"), str):
            plan.problems.append(f"{at}: a winner needs a \"name\" string")
            continue
        order = winner.get("order")
        plan.rows.append(
            RowSpec(
                origin=at,
                name=winner["name"],
                category=path,
                order=order if isinstance(order, int) else None,
                **{f: str(winner.get(f) or "") for f in _WINNER_TEXT},
            )
        )
    children = document.get("children") or []
    for number, child in enumerate(children if isinstance(children, list) else []):
        _category(child, path, f"{where}.children[{number}]", plan)
