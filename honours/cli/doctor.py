"""``honours doctor``: check the database, backups, character data, overrides,
fonts and interface language, and say what to do about each problem.

Nothing here changes the database: the file is only read, writability is tested
with ``os.access`` and a temporary file that is removed at once, and the lock is
taken with no wait and released immediately.

Over 500 lines because it is one command of many independent checks (a section
each, each short); they share the findings table and nothing else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from ..errors import HonoursError, os_reason
from ..i18n import _
from .common import console, db_path, escape, override_files, state

OK, WARNING, PROBLEM = "ok", "warning", "problem"
#: Free space below this in the database's folder is a warning.
LOW_SPACE = 100 * 1024 * 1024
_STYLES = {OK: "green", WARNING: "yellow", PROBLEM: "bold red"}


@dataclass
class Finding:
    section: str
    status: str
    message: str
    hint: str = ""


def register(root: typer.Typer) -> None:
    root.command(
        "doctor",
        help=_(
            "Check the database (writable by the same rule as every writing command), "
            "backups, the certificate ledger and the journal, character data, override "
            "files, fonts (every character of the roll drawn by one) and the interface "
            "language; say what to do about each problem. "
            "Exit 1 when there is a problem."
        ),
    )(doctor)


def doctor(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help=_("Mend records a hand edit broke (missing parents, circles of parents, "
                   "ids like 01 or too large, wrong types, missing fields), after taking a "
                   "backup; no winner is dropped. A value a command sets right (a quota in "
                   "words, a setting `settings set` refuses) is named with that command. "
                   "Rebuild a lost, emptied or lowered certificate ledger from the roll and "
                   "its backups, never lowering a serial."),
        ),
    ] = False,
    font: Annotated[
        str | None,
        typer.Option("--font", metavar="PATH",
                     help=_("Check the roll's characters against this font file, as export "
                            "--font and certificates --font would use it (default: the "
                            "installed font they find).")),
    ] = None,
) -> None:
    if repair:
        _repair()
    findings: list[Finding] = []
    readable: list = []  # the roll, once the database section has read it whole
    findings += _database_findings(readable)
    findings += _quota_findings(readable[0] if readable else None)
    findings += _backup_findings()
    findings += _ledger_and_journal_findings()
    findings += _certificate_number_findings()
    findings += _character_data_findings()
    findings += _override_findings()
    findings += _font_findings(readable[0] if readable else None, font)
    findings += _font_role_findings()
    findings += _language_findings()
    _print(findings)
    problems = sum(1 for f in findings if f.status == PROBLEM)
    warnings = sum(1 for f in findings if f.status == WARNING)
    out = console()
    if problems:
        out.print(
            _("{problems} problem(s), {warnings} warning(s): see what to do above.").format(
                problems=problems, warnings=warnings
            )
        )
        raise typer.Exit(1)
    if warnings:
        out.print(_("No problems; {warnings} warning(s).").format(warnings=warnings))
    else:
        out.print(_("No problems found."))


def _repair() -> None:
    """Mend the records, one backed-up change; says what was done, and what it
    leaves to a command (:func:`honours.integrity.advice`), naming the command."""
    from ..integrity import WINNERS, advice, repair
    from ..journal import recorded_change
    from ..ledger import Ledger, LedgerError
    from ..storage import Store
    from .common import note, warn

    current = Store(db_path(), warn=warn)  # read without the check that refuses what we mend
    with recorded_change(current, "repair", state.argv) as recorded:
        try:  # under the lock: a number issued meanwhile is never lost from it
            ledger = Ledger.load(recorded.store)
        except LedgerError:
            ledger = None  # the changes section says why; its serial is not known
        storage = recorded.db.storage
        tables = storage.read()
        renumbered: dict = {}
        named = _names_from_ledger(tables.get(WINNERS), ledger) if ledger else []
        done = named + repair(tables, renumbered, serial=ledger.highest if ledger else 0)
        if done:
            storage.write(tables)
            recorded.describe(_("repaired {count} record(s)").format(count=len(done)))
            if ledger is not None and _follow_in_ledger(
                    ledger, renumbered.get(WINNERS, {}), tables.get(WINNERS, {})):
                recorded.before.append(ledger.save)  # under the lock, before the save
        left = advice(tables)
    from .numbers import repair_ledger

    ledger_done = repair_ledger(recorded.command)
    for line in ledger_done:
        note("  " + line)
    if done:
        for line in done:
            note("  " + line)
        note(_("repaired {count} record(s); the backup before the repair is listed by "
               "`honours backup list`").format(count=len(done)))
    elif not left and not ledger_done:
        note(_("nothing to repair"))
    for problem in left:
        note(_("not mended: {problem}; run `{command}`").format(
            problem=problem, command=problem.fix))


def warn_brought_back_broken(problems) -> None:
    """After `undo` or `backup restore --allow-broken` brought back records that do
    not make a roll: say so, and what mends them."""
    from .common import note

    note(_("warning: the database now holds {count} record(s) that do not make a roll: "
           "{problems}. Every command but `honours doctor` refuses it until "
           "`honours doctor --repair` mends them; `honours undo` takes this back.").format(
        count=len(problems), problems="; ".join(str(p) for p in problems[:5])
        + (" …" if len(problems) > 5 else "")))


def _names_from_ledger(winners, ledger) -> list[str]:
    """Give a winner whose name a hand edit broke (missing, empty, not text) the
    name the ledger records for its certificate number under its id: the name
    printed on its certificate.  Returns what was done, in words."""
    done = []
    for record, document in (winners.items() if isinstance(winners, dict) else ()):
        if not isinstance(document, dict) or document.get("proposer") or document.get(
                "certificates"):
            continue  # a work's proposers are the ledger's recipients, not its title
        name, number = document.get("name"), document.get("certificate")
        if isinstance(name, str) and name.strip() or not isinstance(number, str):
            continue
        issued = ledger.numbers.get(number)
        if issued is not None and not issued.revoked and str(issued.winner) == record:
            document["name"] = issued.recipient
            done.append(_("winner #{record}: name set to {name}, as the certificate ledger "
                          "records it for number {number}").format(
                              record=record, name=issued.recipient, number=number))
    return done


def _follow_in_ledger(ledger, moved: dict[int, int], winners: dict) -> bool:
    """Give the ledger's numbers of renumbered winners their new ids (only the
    numbers the winner holds: a number the ledger has for an id no winner holds
    it under stays as it is); whether any changed."""
    from ..recipients import held_numbers

    changed = False
    for old, new in moved.items():
        holds = set(held_numbers(winners.get(str(new), {})))
        for number in holds:
            issued = ledger.numbers.get(number)
            if issued is not None and issued.winner == old:
                issued.winner = new
                changed = True
    return changed


def _status_label(status: str) -> str:
    return {OK: _("OK"), WARNING: _("WARNING"), PROBLEM: _("PROBLEM")}[status]


def _print(findings: list[Finding]) -> None:
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    table.add_column(_("check"), no_wrap=True)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("details"), overflow="fold")
    previous = None
    for finding in findings:
        section = finding.section if finding.section != previous else ""
        if previous is not None and section:
            table.add_section()
        previous = finding.section
        style = _STYLES[finding.status]
        text = escape(finding.message)
        if finding.hint:
            text += "\n[dim]→[/] " + escape(finding.hint)
        table.add_row(section, f"[{style}]{_status_label(finding.status)}[/]", text)
    console().print(table)


# --------------------------------------------------------------------------- database


def _db_source() -> str:
    if state.db_option:
        return _("given with --db")
    if os.environ.get("HONOURS_DB"):
        return _("set by HONOURS_DB")
    return _("the default location")


def _existing_ancestor(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` that exists (``path`` itself excluded)."""
    for parent in path.parents:
        if parent.exists():
            return parent
    return None


def _folder_writable(folder: Path) -> str | None:
    """``None`` when a file can be created in ``folder``, else the reason it cannot:
    a real file is made and removed (what a save, a backup or the lock does first),
    after :func:`honours.storage.write_refusal`, the writers' own rule, for the
    database."""
    try:
        fd, name = tempfile.mkstemp(prefix=".honours-doctor-", suffix=".tmp", dir=folder)
    except OSError as error:
        return os_reason(error)
    os.close(fd)
    try:
        os.unlink(name)
    except OSError:
        pass
    return None


def _database_findings(readable: list) -> list[Finding]:
    """The database section; ``readable`` receives the roll when it opens and its
    records make a roll, so that the quota section does not read it again."""
    from ..storage import SCHEMA_VERSION, StoreError, UnsupportedSchema

    section = _("database")
    path = db_path()
    findings = [
        Finding(
            section, OK,
            _("{path} ({source}).").format(path=path, source=_db_source()),
        )
    ]
    from ..storage import Store

    current = Store(path)
    file = Path(os.path.realpath(path))
    folder = file.parent

    # The folder: must exist (or be creatable) and accept new files.
    if folder.exists() and not folder.is_dir():
        findings.append(Finding(
            section, PROBLEM,
            _("{folder} is a file, not a folder: the database cannot be kept there.").format(
                folder=folder),
            _("Choose another database path with --db PATH or HONOURS_DB."),
        ))
        return findings
    if not folder.exists():
        ancestor = _existing_ancestor(folder)
        if ancestor is None or not ancestor.is_dir():
            findings.append(Finding(
                section, PROBLEM,
                _("The folder {folder} cannot be created: {ancestor} is not a folder.").format(
                    folder=folder, ancestor=ancestor),
                _("Choose another database path with --db PATH or HONOURS_DB."),
            ))
            return findings
        reason = _folder_writable(ancestor)
        if reason:
            findings.append(Finding(
                section, PROBLEM,
                _("The folder {folder} cannot be created in {ancestor}: {reason}.").format(
                    folder=folder, ancestor=ancestor, reason=reason),
                _("Choose a folder you can write to with --db PATH, or fix its permissions."),
            ))
        else:
            findings.append(Finding(
                section, OK,
                _("Not created yet: the first change creates it (and its folder {folder}).")
                .format(folder=folder),
            ))
        return findings

    if file.exists() and not file.is_file():
        findings.append(Finding(
            section, PROBLEM,
            _("{path} is not a regular file (a folder?).").format(path=path),
            _("Choose another database path with --db PATH or HONOURS_DB."),
        ))
        return findings

    # Readable and parseable.
    if not file.exists():
        findings.append(Finding(
            section, OK, _("Not created yet: the first change creates it."),
        ))
    else:
        try:
            db = current.snapshot()
        except UnsupportedSchema as error:
            findings.append(Finding(section, PROBLEM, str(error)))
        except StoreError as error:
            findings.append(Finding(
                section, PROBLEM, str(error),
                _("The file is left untouched; `honours backup list` shows the backups.")
                if "backup" not in str(error) else "",
            ))
        else:
            from ..integrity import CATEGORIES, WINNERS, advice, check

            tables = db.storage.read()
            broken = check(tables)
            if not broken:
                readable.append(db)
            for problem in broken[:20]:
                findings.append(Finding(
                    section, PROBLEM, str(problem),
                    _("`honours doctor --repair` mends it after taking a backup."),
                ))
            if len(broken) > 20:
                findings.append(Finding(section, PROBLEM, _("… and {count} more.").format(
                    count=len(broken) - 20)))
            for problem in [] if broken else advice(tables):
                findings.append(Finding(section, PROBLEM, str(problem), _(
                    "Run `{command}`.").format(command=problem.fix)))
            findings += [] if broken else _orphan_findings(section, tables)
            # Counted from the records as they are: a hand-edited record may lack a
            # field the roll's own readers need.
            categories = len(tables.get(CATEGORIES, {}))
            winners = len(tables.get(WINNERS, {}))
            size = file.stat().st_size
            findings.append(Finding(
                section, OK,
                _("Readable: {categories} categories, {winners} winners, {size} bytes.").format(
                    categories=categories, winners=winners, size=f"{size:,}"),
            ))
            findings.append(Finding(
                section, OK,
                _("Schema version {version} (the version this honours writes).").format(
                    version=SCHEMA_VERSION),
            ))

    # Writable: the same verdict the writing commands reach (mode bits included, as
    # root too), then a real temporary file in the folder.
    from ..storage import write_refusal

    refusal = write_refusal(path)
    reason = None if refusal else _folder_writable(folder)
    if refusal:
        findings.append(Finding(
            section, PROBLEM,
            _("Changes cannot be saved: {reason}.").format(reason=refusal),
            _("Every writing command refuses it. Make it writable (e.g. `chmod u+w FILE`) "
              "or use another database with --db PATH."),
        ))
    elif reason:
        findings.append(Finding(
            section, PROBLEM,
            _("Cannot write in the folder {folder}: {reason}.").format(
                folder=folder, reason=reason),
            _("Changes cannot be saved. Fix the folder's permissions or move the database "
              "with --db PATH."),
        ))
    else:
        findings.append(Finding(section, OK, _("Writable.")))
        if file.exists():  # a lock file is never made for a database that is not there
            findings.append(_lock_finding(section, current))

    # Free space.
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if free is not None:
        amount = _("{size} MB free in {folder}.").format(size=f"{free // 2**20:,}", folder=folder)
        if free < LOW_SPACE:
            findings.append(Finding(
                section, WARNING, amount,
                _("Saves and backups need room: free some disk space."),
            ))
        else:
            findings.append(Finding(section, OK, amount))
    return findings


def _orphan_findings(section: str, tables: dict) -> list[Finding]:
    """Winners a repair put in the category for winners whose category was lost."""
    from ..integrity import CATEGORIES, ORPHANS_TITLE, WINNERS

    homes = {int(record) for record, document in tables.get(CATEGORIES, {}).items()
             if document.get("title") == ORPHANS_TITLE}
    count = sum(1 for document in tables.get(WINNERS, {}).values()
                if document.get("category") in homes)
    if not count:
        return []
    home = min(homes)
    return [Finding(
        section, WARNING,
        _("{count} winner(s) are in {title} (category {id}), where a repair put winners "
          "whose category was lost.").format(count=count, title=ORPHANS_TITLE, id=home),
        _("Put each where it belongs: `honours move {id} #ID --to CATEGORY` "
          "(`honours list {id}` lists them).").format(id=home),
    )]


def _quota_findings(db) -> list[Finding]:
    """Categories over or under their quota, and people on two exclusive lists of one
    award (honours/eligibility.py); nothing when the database could not be read
    whole (the database section says why)."""
    from ..eligibility import duplicates, quota_report

    if db is None:
        return []
    try:
        statuses = quota_report(db)
        found, _differing = duplicates(db)
    except HonoursError:  # a roll whose records are broken: the database checks say so
        return []
    section = _("quotas")
    findings = []
    for status in statuses:
        if status.over:
            findings.append(Finding(
                section, PROBLEM,
                _("{path}: {status}").format(path=status.path, status=status.describe()),
                _("Remove winners, or raise the quota: `honours category edit CATEGORY "
                  "--quota N`."),
            ))
        else:
            findings.append(Finding(section, OK, _("{path}: {status}").format(
                path=status.path, status=status.describe())))
    for duplicate in found:
        if duplicate.exclusive_conflict:
            findings.append(Finding(
                section, PROBLEM,
                _("{name} is on more than one exclusive list of one award: {lists}").format(
                    name=duplicate.name,
                    lists="、".join(dict.fromkeys(o.path for o in duplicate.entries))),
                _("Remove the person from all but one of them (`honours duplicates` lists "
                  "them all)."),
            ))
    return findings


def _lock_finding(section: str, current) -> Finding:
    from filelock import FileLock, Timeout

    lock = FileLock(str(current.lock_path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        from ..lockwait import read_holder

        holder = read_holder(current.lock_path)
        return Finding(
            section, WARNING,
            _("Another honours command is using the database right now (lock {lock}).").format(
                lock=current.lock_path) if holder is None else
            _("Process {pid} is using the database right now: {command}, since {since} "
              "(lock {lock}).").format(pid=holder.pid, command=holder.command,
                                       since=holder.since.replace("T", " "),
                                       lock=current.lock_path),
            _("Wait until it finishes; the lock is released automatically when it ends."),
        )
    except OSError as error:
        return Finding(
            section, PROBLEM,
            _("Cannot take the lock {lock}: {reason}.").format(
                lock=current.lock_path, reason=os_reason(error)),
            _("Fix the folder's permissions or move the database with --db PATH."),
        )
    lock.release()
    return Finding(section, OK, _("Not locked by another command."))


# --------------------------------------------------------------------------- backups


def _backup_findings() -> list[Finding]:
    from ..storage import Store

    section = _("backups")
    current = Store(db_path())
    try:
        backups = current.list_backups()
    except OSError as error:
        return [Finding(
            section, PROBLEM,
            _("Cannot read the backup folder {folder}: {reason}.").format(
                folder=current.backup_dir, reason=os_reason(error)),
            _("Fix the folder's permissions."),
        )]
    findings = []
    if backups:
        newest = backups[0]
        findings.append(Finding(
            section, OK,
            _("{count} in {folder}; newest {name} ({taken}).").format(
                count=len(backups), folder=current.backup_dir, name=newest.name,
                taken=f"{newest.created:%Y-%m-%d %H:%M}"),
        ))
    else:
        findings.append(Finding(
            section, OK,
            _("None yet: destructive commands keep one in {folder} before they change data.")
            .format(folder=current.backup_dir),
        ))
    folder = current.backup_dir
    target = folder if folder.is_dir() else folder.parent
    if folder.exists() and not folder.is_dir():
        findings.append(Finding(
            section, PROBLEM,
            _("{folder} is a file, not a folder: no backup can be kept.").format(folder=folder),
            _("Move or rename that file."),
        ))
    elif target.is_dir():
        reason = _folder_writable(target)
        if reason:
            findings.append(Finding(
                section, PROBLEM,
                _("Cannot write backups in {folder}: {reason}.").format(
                    folder=target, reason=reason),
                _("Destructive commands will fail. Fix the folder's permissions."),
            ))
        else:
            findings.append(Finding(section, OK, _("The backup folder is writable.")))
    return findings


# --------------------------------------------------------------------------- character data


def _ledger_and_journal_findings() -> list[Finding]:
    """The certificate ledger must be readable for numbers to be issued; the journal
    says how far undo reaches."""
    from ..journal import journal_path, read_journal
    from ..ledger import Ledger, LedgerError
    from ..storage import Store, StoreError

    section = _("changes")
    current = Store(db_path())
    findings = []
    try:
        ledger = Ledger.load(current)
    except LedgerError as error:
        findings.append(Finding(
            section, PROBLEM, str(error),
            _("Restore the ledger from a copy of the folder, or repair the file by hand; "
              "until then `register --issue`, `register -o` and `certificates` refuse."),
        ))
    else:
        findings.append(Finding(
            section, OK,
            _("Certificate ledger: highest serial issued {serial}, {count} numbers recorded.")
            .format(serial=ledger.highest, count=len(ledger.numbers)),
        ))
    try:
        entries = read_journal(current)
    except StoreError as error:
        findings.append(Finding(section, WARNING, str(error)))
    else:
        findings.append(Finding(
            section, OK,
            _("Journal {path}: {count} changes recorded (`honours log`).").format(
                path=journal_path(current), count=len(entries)),
        ))
    return findings


def _certificate_number_findings() -> list[Finding]:
    """The roll's certificate numbers against the ledger (honours/cli/numbers.py)."""
    from .numbers import doctor_findings

    section = _("certificate numbers")
    return [Finding(section, status, message, hint)
            for status, message, hint in doctor_findings()]


def _character_data_findings() -> list[Finding]:
    from ..collation.ranking import INFERRED_SOURCE
    from ..collation.tables import CharTables

    section = _("character data")
    try:
        tables = CharTables()
        entries = tables.stroke_entries
        counted = sum(1 for e in entries.values() if e.count is not None)
        full = sum(1 for e in entries.values() if e.sequence and e.source != INFERRED_SOURCE)
        inferred = sum(1 for e in entries.values() if e.source == INFERRED_SOURCE)
        readings = len(tables.usual_readings)
        surnames = len(tables.surname_readings)
        placed = len(tables.stroke_index) // 2
        tables.pinyin_index  # noqa: B018  (loads and checks the index)
    except Exception as error:  # any failure here means the installation is broken
        return [Finding(
            section, PROBLEM,
            _("The shipped character data cannot be loaded: {error}").format(error=error),
            _("Reinstall honours (e.g. `pip install --force-reinstall honours`)."),
        )]
    findings = [
        Finding(section, OK, _(
            "{counted} characters with a stroke count, {full} with a full stroke sequence, "
            "{inferred} with an inferred sequence."
        ).format(counted=f"{counted:,}", full=f"{full:,}", inferred=f"{inferred:,}")),
        Finding(section, OK, _(
            "{readings} characters with a reading; {surnames} surnames with their own readings."
        ).format(readings=f"{readings:,}", surnames=f"{surnames:,}")),
    ]
    if placed != len(entries):
        findings.append(Finding(
            section, PROBLEM,
            _("The stroke index places {placed} characters but the data has {count}.").format(
                placed=placed, count=len(entries)),
            _("Reinstall honours (e.g. `pip install --force-reinstall honours`)."),
        ))
    return findings


# --------------------------------------------------------------------------- overrides


def _override_findings() -> list[Finding]:
    from ..collation import OverrideError, parse_overrides
    from ..files import StoreError
    from ..paths import read_override_file

    section = _("overrides")
    findings = []
    for path in override_files():
        if not path.exists():
            findings.append(Finding(
                section, OK, _("{path}: none (optional).").format(path=path),
            ))
            continue
        try:  # read as every command reads it: a FIFO, a device or a planted link refused
            parsed = parse_overrides(read_override_file(path) or "", origin=str(path))
        except OverrideError as error:
            findings.append(Finding(
                section, PROBLEM, str(error),
                _("Correct or remove that line; until then sort, list and explain refuse to "
                  "run."),
            ))
        except (OSError, UnicodeDecodeError, StoreError) as error:
            reason = os_reason(error) if isinstance(error, OSError) else str(error)
            findings.append(Finding(
                section, PROBLEM,
                _("Cannot read {path}: {reason}.").format(path=path, reason=reason),
                _("Save it as UTF-8 text and check its permissions."),
            ))
        else:
            findings.append(Finding(
                section, OK,
                _("{path}: in use, {strokes} stroke entries and {readings} readings.").format(
                    path=path, strokes=len(parsed.strokes), readings=len(parsed.readings)),
            ))
    return findings


# --------------------------------------------------------------------------- fonts


def _font_findings(db, font: str | None = None) -> list[Finding]:
    """The face the roll and the certificates use (``--font`` or the search),
    then :func:`_glyph_findings` on the roll's characters."""
    from ..certificates import CertificateError
    from ..certificates.fonts import resolve_font

    section = _("certificate font")
    try:
        choice = resolve_font(font, None)
    except CertificateError as error:
        if font:
            return [Finding(section, PROBLEM, str(error))]
        return [Finding(
            section, WARNING,
            _("No font with Chinese characters: `honours certificates` cannot make a PDF."),
            str(error),
        )]
    found = [Finding(section, OK, _("{font} (or give --font PATH).").format(font=choice))]
    return found + (_glyph_findings(db, choice) if db is not None else [])


def _roll_texts(db):
    """(text, field, owner, category) of everything the roll and its certificates
    print from the database: titles, honours, descriptions, author labels,
    names, affiliations, proposers, and the issuer and title settings."""
    from ..roll import all_categories, stored_settings, winner_records

    categories = {category.id: category.title for category in all_categories(db)}
    for category in all_categories(db):
        yield category.title, "title", category.title, ""
        yield category.honour, "honour", category.title, ""
        yield category.description, "description", category.title, ""
        yield category.author_label, "author_label", category.title, ""
    for record in winner_records(db).values():
        where = categories.get(record.get("category"), "")
        name = record.get("name", "")
        yield name, "name", name, where
        yield record.get("affiliation", ""), "affiliation", name, where
        yield record.get("proposer", ""), "proposer", name, where
    values = stored_settings(db)
    for key in ("issuer", "title"):
        yield values.get(key, ""), "setting", key, ""


def _place(field: str, owner: str, category: str) -> str:
    if field == "setting":
        return _("the setting {key}").format(key=owner)
    if field in ("title", "honour", "description", "author_label"):
        label = {"title": _("the title"), "honour": _("the honour"),
                 "description": _("the description"),
                 "author_label": _("the author label")}[field]
        return _("{field} of category {category}").format(field=label, category=owner)
    if field == "name":
        return _("{name} in {category}").format(name=owner, category=category)
    label = _("the affiliation") if field == "affiliation" else _("the proposer")
    return _("{field} of {name} in {category}").format(field=label, name=owner,
                                                       category=category)


def _glyph_findings(db, choice) -> list[Finding]:
    """Every character of the roll's printed text (:func:`_roll_texts`, and
    the certificate's own wording) against the faces a PDF would draw it with:
    ``choice``, then the installed fallbacks (fonts.faces_drawing). The
    distinct characters are collected first (a roll of 100,000 names has a few
    thousand), and only the texts holding a character ``choice`` does not draw
    are looked at again, to say where it is."""
    from ..certificates.fonts import PROBE, faces_drawing, undrawn

    section = _("characters")
    characters = set(PROBE).union(*(text for text, *_where in _roll_texts(db)))
    lacking = undrawn(choice, characters)
    findings = [Finding(section, OK, _(
        "{count} different characters in the roll, its settings and the certificate "
        "wording; {font} draws {drawn} of them.").format(
            count=len(characters), font=choice, drawn=len(characters) - len(lacking)))]
    if not lacking:
        return findings
    places: dict[str, list[str]] = {ch: [] for ch in lacking}
    counts = dict.fromkeys(lacking, 0)
    for text, field, owner, category in _roll_texts(db):
        if lacking.isdisjoint(text):
            continue
        for ch in lacking.intersection(text):
            counts[ch] += 1
            if len(places[ch]) < 3:
                places[ch].append(_place(field, owner, category))

    def where(ch: str) -> str:
        more = counts[ch] - len(places[ch])
        return "、".join(places[ch]) + (
            _(" and {count} more").format(count=more) if more else "")

    found = faces_drawing(lacking, [choice])
    for fallback in dict.fromkeys(found.values()):
        drawn = sorted(ch for ch, face in found.items() if face == fallback)
        findings.append(Finding(
            section, WARNING,
            _("{font} does not draw {characters}: a PDF draws them with {fallback}.").format(
                font=choice, fallback=fallback,
                characters="; ".join(
                    _("{character} (U+{code:04X}, in {places})").format(
                        character=ch, code=ord(ch), places=where(ch)) for ch in drawn)),
            _("The names print whole, in another face; give --font PATH to use a face "
              "that draws them all."),
        ))
    for ch in sorted(lacking - set(found)):
        findings.append(Finding(
            section, PROBLEM,
            _("No installed font draws {character} (U+{code:04X}), in {places}: "
              "certificates and the roll PDF refuse to print it (it would be blank).").format(
                character=ch, code=ord(ch), places=where(ch)),
            _("Install a fuller font (e.g. `apt-get install fonts-noto-cjk`, or on Windows "
              "SimSun-ExtB) or give one with --font PATH; --allow-missing-glyphs prints it "
              "blank."),
        ))
    return findings


def _font_role_findings() -> list[Finding]:
    """The face each role of the printed roll uses (GB/T 9704: title, headings,
    body, page number), and the face the standard names when it is a stand-in."""
    from ..certificates import CertificateError
    from ..certificates.font_roles import ROLES, SPECS, family_name, resolve_roles

    section = _("roll fonts")
    try:
        faces = resolve_roles()
    except CertificateError:  # no Chinese font at all: the font section warns of it
        return []
    findings = []
    for role in ROLES:
        choice, standard = faces[role], SPECS[role].word_family
        stand_in = standard not in family_name(choice)  # 华文仿宋 is a 仿宋
        message = (_("{role}: {font}, standing in for {standard}") if stand_in
                   else _("{role}: {font}")).format(role=role, font=choice, standard=standard)
        findings.append(Finding(section, OK, message))
    findings[-1].hint = _("Choose a face with `honours export --font ROLE=FILE` or a "
                          "layout file's [fonts] section (docs/rolls.md).")
    return findings


# --------------------------------------------------------------------------- language


def _language_source() -> str:
    import click

    from .. import i18n

    context = click.get_current_context(silent=True)
    if context is not None and context.find_root().params.get("lang"):
        return _("given with --lang")
    if os.environ.get(i18n.ENV_VAR):
        return _("from {variable}={value}").format(
            variable=i18n.ENV_VAR, value=os.environ[i18n.ENV_VAR])
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return _("from the locale, {variable}={value}").format(
                variable=variable, value=value)
    return _("the default")


def _language_findings() -> list[Finding]:
    from .. import i18n

    section = _("language")
    language = i18n.current_language()
    name = {"zh": "简体中文 (zh)", "en": "English (en)"}.get(language, language)
    findings = [Finding(
        section, OK,
        _("{language}, {source}.").format(language=name, source=_language_source()),
        _("Choose with --lang zh|en or HONOURS_LANG."),
    )]
    if language == "zh" and not (
        i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    ).is_file():
        findings.append(Finding(
            section, WARNING,
            _("The Chinese message catalog is missing: messages are shown in English."),
            _("Reinstall honours (e.g. `pip install --force-reinstall honours`)."),
        ))
    return findings
