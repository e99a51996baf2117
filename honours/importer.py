"""Applying an import plan to the database: validate everything first, then
write it in the caller's one transaction, or nothing at all.

Problems are collected with where they come from ("row 5: …", "line 12: …");
with ``skip_invalid`` the good rows are written and the others listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tinydb import TinyDB

from . import roll, vocabulary
from .eligibility import RollIndex, set_rules
from .errors import HonoursError
from .i18n import _, at, ngettext
from .ledger import Ledger, held_numbers, raise_certificate_serial
from .number_audit import claims
from .number_audit import names_of as audit_names
from .readers.plan import ImportPlan, RowSpec
from .recipients import held_numbers as numbers_held

#: Rows are validated and added in chunks of this size, for the progress bar.
CHUNK = 5_000
#: Rows inserted into the table at a time (each insert rewrites the table).
INSERT_CHUNK = 100_000


@dataclass
class ImportReport:
    source: str
    rows: int = 0
    created: list[str] = field(default_factory=list)  # category paths
    added: dict[str, int] = field(default_factory=dict)  # category path -> winners added
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # certificate numbers brought in
    renumbered: list[str] = field(default_factory=list)  # numbers dropped (--renumber)

    @property
    def added_total(self) -> int:
        return sum(self.added.values())


class ImportRefused(HonoursError):
    """The file has problems and nothing was written; ``report`` lists them."""

    def __init__(self, report: ImportReport):
        self.report = report
        count = len(report.problems)
        super().__init__(
            ngettext(
                "nothing was imported: {count} problem "
                "(fix the file, or use --skip-invalid to import the good rows)",
                "nothing was imported: {count} problems "
                "(fix the file, or use --skip-invalid to import the good rows)",
                count,
            ).format(count=count)
        )


def apply_plan(
    db: TinyDB,
    plan: ImportPlan,
    into: str | None = None,
    skip_invalid: bool = False,
    allow_duplicate: bool = False,
    progress: Callable[[int], None] | None = None,
    strict: bool = False,
    ledger: Ledger | None = None,
    renumber: bool = False,
) -> ImportReport:
    """Add the plan's categories and winners to ``db``.

    Raises :class:`ImportRefused` when there are problems and ``skip_invalid``
    is false; the caller's transaction then writes nothing.  Quotas and exclusive
    lists apply as to ``add`` (:mod:`honours.eligibility`); a person already on
    another list is a note, or with ``strict`` a problem.

    A certificate number in the file that a winner holds already, or that the
    ``ledger`` gives to someone else, is a problem; with ``renumber`` it is dropped
    from the incoming winner instead (a note), who gets a fresh number at the next
    issuing.  The numbers kept are listed in ``report.numbers`` (the caller records
    them in the ledger).
    """
    report = ImportReport(source=plan.source, rows=len(plan.rows), problems=list(plan.problems))
    if not plan.rows and not plan.categories and not plan.problems:
        report.problems.append(_("the file holds no entries (only a header, or nothing)"))
    was_empty = not roll.all_categories(db)
    base = roll.resolve_category(db, into) if into else None
    base_path = tuple(roll.path_of(db, base).split(roll.PATH_SEPARATOR)) if base else ()
    by_path = _categories_by_path(db)

    for spec in plan.categories:
        path = base_path + spec.path
        if path in by_path:
            continue
        parent = by_path.get(path[:-1]) if len(path) > 1 else None
        if len(path) > 1 and parent is None:
            report.problems.append(
                _("{origin}: the parent of {title!r} is missing").format(
                    origin=spec.origin, title=spec.path[-1]
                )
            )
            continue
        try:
            created = roll.add_category(
                db, path[-1], parent=str(parent.id) if parent else None,
                kind=spec.kind or "person", sort=spec.sort, measure=spec.measure,
                columns=spec.columns, description=spec.description, honour=spec.honour,
                author_label=spec.author_label, certificate_mode=spec.certificate_mode,
                verb=spec.verb,
            )
            if spec.quota or spec.exclusive:
                created = set_rules(db, created, quota=spec.quota,
                                    exclusive=spec.exclusive or None)
        except roll.RollError as error:
            report.problems.append(at(spec.origin, str(error)))
            continue
        by_path[path] = created
        report.created.append(roll.PATH_SEPARATOR.join(path))

    grouped = _group_rows(db, plan.rows, base, base_path, by_path, report)
    index = RollIndex(db, [row.name for row in plan.rows])
    taken = held_numbers(db)
    inferred: list[roll.InferredKind] = []
    for category, rows in grouped:
        if any(row.order is not None for row in rows):
            rows = sorted(rows, key=lambda row: (row.order is None, row.order or 0))
        existing, position = roll.roster(db, category)
        path = roll.path_of(db, category)
        # Inserted INSERT_CHUNK at a time: with TinyDB's own tables every insert
        # copied the whole table, so inserting every CHUNK made a large import
        # quadratic (the store's tables change in place now; fewer calls still).
        prepared: list[dict] = []
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            entries = [
                roll.NewWinner(
                    row.name, affiliation=row.affiliation, note=row.note,
                    proposer=row.proposer, certificate=row.certificate, origin=row.origin,
                    proposer_kind=_proposer_kind(row, category),
                    certificates=row.certificates,
                )
                for row in chunk
            ]
            documents, problems = roll.prepare_winners(
                db, category, entries, allow_duplicate, existing, inferred
            )
            report.problems += problems
            documents = _unique_certificates(documents, taken, report, ledger, path, renumber)
            verdict = index.vet(category, documents, strict)
            report.problems += verdict.problems
            report.notes += verdict.warnings
            documents = verdict.kept
            index.record(category, documents)
            prepared += documents
            report.added[path] = report.added.get(path, 0) + len(documents)
            if len(prepared) >= INSERT_CHUNK or start + CHUNK >= len(rows):
                roll.insert_winners(db, category, prepared, position)
                position += len(prepared)
                prepared = []
            if progress:
                progress(len(chunk))

    if inferred:
        report.notes.append(roll.describe_inferred(inferred))
    if plan.settings:
        if was_empty:
            for key, value in plan.settings.items():
                if key in roll.DEFAULT_SETTINGS and value:
                    try:
                        roll.set_setting(db, key, value)
                    except roll.RollError as error:
                        report.problems.append(
                            _("setting {key}: {error}").format(
                                key=vocabulary.SETTINGS.label(key), error=error)
                        )
        else:
            report.notes.append(
                _(
                    "the file's settings ({settings}) were not "
                    "applied: the database has its own (`honours settings`)"
                ).format(settings=_(", ").join(
                    vocabulary.SETTINGS.label(key) for key in sorted(plan.settings)))
            )
    if plan.certificate_serial:
        raise_certificate_serial(db, plan.certificate_serial)
    if report.problems and not skip_invalid:
        raise ImportRefused(report)
    return report


def _categories_by_path(db: TinyDB) -> dict[tuple[str, ...], roll.Category]:
    by_id = roll.categories_by_id(db)
    paths: dict[tuple[str, ...], roll.Category] = {}

    def walk(category: roll.Category, parent: tuple[str, ...]) -> None:
        path = parent + (category.title,)
        paths[path] = category
        for child in category.children:
            walk(child, path)

    for category in by_id.values():
        if category.parent not in by_id:
            walk(category, ())
    return paths


def _group_rows(
    db: TinyDB,
    rows: list[RowSpec],
    base: roll.Category | None,
    base_path: tuple[str, ...],
    by_path: dict[tuple[str, ...], roll.Category],
    report: ImportReport,
) -> list[tuple[roll.Category, list[RowSpec]]]:
    """Rows by target category, in the order categories first appear."""
    resolved: dict[object, roll.Category | str] = {}
    groups: dict[int, tuple[roll.Category, list[RowSpec]]] = {}
    for row in rows:
        key = row.category
        if key not in resolved:
            resolved[key] = _resolve(db, key, base, base_path, by_path)
        target = resolved[key]
        if isinstance(target, str):
            report.problems.append(at(row.origin, target))
            continue
        groups.setdefault(target.id, (target, []))[1].append(row)
    return list(groups.values())


def _resolve(db, key, base, base_path, by_path) -> roll.Category | str:
    """The category for a row's category field, or the problem as text."""
    if key is None:
        return base or _("no category: give the file a category column, or use --into CATEGORY")
    if isinstance(key, tuple):
        found = by_path.get(base_path + key)
        return found or _("its category {path!r} could not be created").format(
            path=roll.PATH_SEPARATOR.join(key)
        )
    try:
        if base is not None:
            found = by_path.get(base_path + tuple(key.split(roll.PATH_SEPARATOR)))
            if found:
                return found
        return roll.resolve_category(db, key)
    except roll.RollError:
        return _(
            "unknown category {category!r} (create it first with `honours category add`)"
        ).format(category=key)


def _proposer_kind(row: RowSpec, category: roll.Category) -> str:
    """A work's proposer kind from the file; a 类型 column of people or units, or
    one that says 作品 (an exported roll's list kind), is the list's kind: not read."""
    if category.kind != "work":
        return ""
    try:
        if vocabulary.KINDS.code(row.proposer_kind) == "work":
            return ""
    except vocabulary.UnknownValue:
        pass  # several kinds (个人、单位), or a wrong one: prepare_winners says which
    return row.proposer_kind


def _unique_certificates(documents: list[dict], taken: set[str], report: ImportReport,
                         ledger: Ledger | None = None, path: str = "",
                         renumber: bool = False) -> list[dict]:
    """Refuse (a problem) the certificate numbers already held by a winner, twice in
    one winner, or given by the ledger to someone else; with ``renumber`` drop them
    from the incoming winner instead (a note).  Returns the documents kept."""
    kept = []
    records = ledger.numbers if ledger is not None else {}
    for document in documents:
        numbers = numbers_held(document)
        names = audit_names(document)
        refused: list[tuple[str, str]] = []  # (number, why)
        seen: set[str] = set()
        for number in numbers:
            record = records.get(number)
            if number in taken or number in seen:
                refused.append((number, _("already held by another winner")))
            elif record is not None and not claims(record, names, path):
                owner = _("{name} ({category})").format(
                    name=record.recipient, category=record.category)
                refused.append((number, (
                    _("the ledger gives it to {owner} (revoked {when}: never issued again)").format(
                        owner=owner, when=record.revoked.replace("T", " "))
                    if record.revoked else
                    _("the ledger gives it to {owner}").format(owner=owner))))
            seen.add(number)
        if refused and not renumber:
            for number, why in refused:
                report.problems.append(
                    _("{name}: certificate number {number} is refused: {why} "
                      "(--renumber drops it and a fresh number is issued later)").format(
                        name=document["name"], number=number, why=why))
            continue
        for number, why in refused:
            _drop_number(document, number)
            report.renumbered.append(number)
            report.notes.append(
                _("{name}: certificate number {number} dropped ({why}); a fresh number "
                  "is issued at the next issuing").format(
                    name=document["name"], number=number, why=why))
        held = numbers_held(document)
        taken.update(held)
        report.numbers += held
        kept.append(document)
    return kept


def _drop_number(document: dict, number: str) -> None:
    """Take ``number`` off an incoming winner's record (a work's proposer keeps
    their place, without a number)."""
    certificates = document.get("certificates") or {}
    for recipient, held in certificates.items():
        if held == number:
            certificates[recipient] = ""
            break
    else:
        if document.get("certificate") == number:
            document["certificate"] = ""
    if certificates and not any(certificates.values()):
        document["certificates"] = {}
