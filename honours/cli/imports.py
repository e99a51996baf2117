"""``honours import``: winners and categories from CSV, Excel, text, a roll or JSON."""

from pathlib import Path
from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from ..readers import FORMATS as IMPORT_FORMATS
from .choices import complete_category, completed, format_parsed
from .common import EncodingOption, change, console, escape, examples, fail, note, store
from .reading import reading_help, report_reading
from .winners import StrictOption

#: Above this many rows a progress bar shows the import's progress.
PROGRESS_FROM = 5_000


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=_(
            "Import winners (and, from a roll or JSON, the category tree).\n\n"
            "Everything is checked first; by default nothing is written if any row has a "
            "problem, and every problem is listed with its row or line. The import is "
            "one atomic save, with a backup taken first."
        ) + reading_help() + examples(
            "honours import 报送.xlsx",
            "honours import 名单.txt --into 先进个人",
            "honours import 光荣榜.json --dry-run",
        ),
    )(import_file)


class _DryRun(Exception):
    """Raised inside the transaction to discard a dry run's changes."""


def import_file(
    file: Annotated[
        Path, typer.Argument(help=_("CSV/TSV, .xlsx, .txt, a roll layout, or roll JSON."))
    ],
    into: Annotated[
        str | None,
        typer.Option(
            "--into", "-i", metavar="CATEGORY", autocompletion=complete_category,
            help=_("Category for rows without one; for a roll or JSON, where its tree goes."),
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option(
            "--format", "-f", callback=format_parsed(IMPORT_FORMATS),
            autocompletion=completed(vocabulary.FORMATS, IMPORT_FORMATS),
            help=_("auto (自动, from the file), csv, xlsx, txt, roll (光荣榜文本) or json."))
    ] = "auto",
    sheet: Annotated[
        str | None, typer.Option("--sheet", help=_("The sheet of an .xlsx (default: the first)."))
    ] = None,
    encoding: EncodingOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=_("Check and show what would be added; write nothing.")),
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help=_("Write the good rows and list the others.")),
    ] = False,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help=_("Accept names already in a category."))
    ] = False,
    strict: Annotated[bool, StrictOption] = False,
    renumber: Annotated[
        bool,
        typer.Option("--renumber", help=_(
            "A certificate number in the file that a winner holds already, or that the "
            "certificate ledger gives to someone else, is dropped from the incoming winner "
            "(who gets a fresh number at the next issuing) instead of refusing the import.")),
    ] = False,
) -> None:
    from ..importer import ImportRefused, apply_plan
    from ..readers import read_file

    if not dry_run:
        store().check_writable()  # before reading a file that may be large
    kind = None
    if into and fmt in ("auto", "txt"):
        from ..roll import resolve_category

        kind = resolve_category(store().snapshot(), into).kind
    used, plan = read_file(file, fmt, sheet, kind, encoding)
    out = console(stderr=True)
    out.print(
        ngettext(
            "read {file} as {source}: {count:,} entry",
            "read {file} as {source}: {count:,} entries",
            len(plan.rows),
        ).format(file=escape(str(file)), source=escape(plan.source), count=len(plan.rows))
    )
    for notice in plan.notices:
        note(notice)
    report_reading(plan.doubts, plan.skipped)
    try:
        with _progress(len(plan.rows)) as advance:
            with change("import", create=True) as recorded:
                from ..ledger import Ledger

                ledger = Ledger.load(recorded.store)
                report = apply_plan(
                    recorded.db, plan, into=into, skip_invalid=skip_invalid,
                    allow_duplicate=allow_duplicate, progress=advance, strict=strict,
                    ledger=ledger, renumber=renumber,
                )
                if dry_run:
                    raise _DryRun
                recorded.describe(
                    ngettext(
                        "imported {count} entry from {file}",
                        "imported {count} entries from {file}",
                        report.added_total,
                    ).format(count=report.added_total, file=file.name)
                )
                for path in report.created:
                    recorded.describe(_("created category {path}").format(path=path))
                _remember_numbers(recorded, ledger, report)
    except ImportRefused as refused:
        _print_problems(refused.report)  # nothing was written: no "added" lines
        raise fail(str(refused)) from None
    except _DryRun:
        _print_report(report, dry_run=True)
        note(_("dry run: nothing was written"))
        return
    _print_report(report, dry_run=False)


def _remember_numbers(recorded, ledger, report) -> None:
    """The imported certificate numbers and the roll's serial go into the ledger,
    so that no later import, restore or undo can give them to someone else."""
    from ..number_audit import record_imported

    highest = ledger.highest
    recorded_now = record_imported(ledger, recorded.db, report.numbers, recorded.command)
    raised = ledger.absorb(recorded.db) or ledger.highest > highest
    if raised:
        from ..series import raise_series

        raise_series(recorded.store, recorded.db, ledger.highest)  # the years' rolls too
    if recorded_now or raised or report.numbers:
        recorded.before.append(ledger.save)
    if recorded_now:
        from ..ledger import describe_numbers

        recorded.describe(ngettext(
            "recorded {count} imported certificate number in the ledger ({numbers})",
            "recorded {count} imported certificate numbers in the ledger ({numbers})",
            len(recorded_now)).format(count=len(recorded_now),
                                      numbers=describe_numbers(recorded_now)))
    if report.renumbered:
        from ..ledger import describe_numbers

        recorded.describe(ngettext(
            "dropped {count} certificate number held for someone else ({numbers})",
            "dropped {count} certificate numbers held for someone else ({numbers})",
            len(report.renumbered)).format(count=len(report.renumbered),
                                           numbers=describe_numbers(report.renumbered)))


def _progress(total: int):
    """A rich progress bar for large imports; a no-op context otherwise."""
    from contextlib import contextmanager

    @contextmanager
    def bar():
        if total < PROGRESS_FROM:
            yield None
            return
        from rich.progress import Progress

        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task(_("importing"), total=total)
            yield lambda count: progress.advance(task, count)

    return bar()


def _measures() -> dict[str, str]:
    """Each category's measure word by path, so that counts read 3 名, 2 家, 1 件."""
    from ..roll import all_categories, path_of

    current = store()
    if not current.exists():  # a dry run into a new database
        return {}
    db = current.snapshot()
    return {path_of(db, category): category.measure for category in all_categories(db)}


def _print_problems(report) -> None:
    if report.problems:
        out = console()
        count = len(report.problems)
        heading = ngettext("{count} problem:", "{count} problems:", count).format(count=count)
        out.print(f"[bold]{heading}[/]")
        for problem in report.problems:
            out.print(f"  {escape(problem)}")


def _print_report(report, dry_run: bool) -> None:
    out = console()
    _print_problems(report)
    created = _("would create category {path}") if dry_run else _("created category {path}")
    added = _("would add {count} to {path}") if dry_run else _("added {count} to {path}")
    for path in report.created:
        out.print(created.format(path=escape(path)))
    measures = _measures()
    for path, count in report.added.items():
        if count:
            out.print(added.format(count=vocabulary.counted(count, measures.get(path, "")),
                                   path=escape(path)))
    for line in report.notes:
        note(line)
    if not report.problems or dry_run or report.added_total:
        total = (
            ngettext(
                "would add {count} of {rows} entry", "would add {count} of {rows} entries",
                report.rows,
            )
            if dry_run
            else ngettext(
                "added {count} of {rows} entry", "added {count} of {rows} entries", report.rows
            )
        )
        out.print(total.format(count=report.added_total, rows=report.rows))
