"""``honours show / export / register / settings``: the roll as published and filed.

Over 500 lines because these four commands share their options (formats,
padding, fonts, layout) and the one path that issues numbers with a file.
"""


from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from ..render import REGISTER_FORMATS, ROLL_FORMATS
from .choices import complete_category, completed, format_parsed, parsed
from .common import (
    activate_overrides,
    change,
    confirm,
    console,
    escape,
    examples,
    fail,
    guard_output,
    note,
    refuse_existing,
    store,
    warn,
)

app_settings = typer.Typer(help=_("Show or change the roll's settings."), no_args_is_help=False)

PaddingOption = Annotated[
    str,
    typer.Option(
        "--padding",
        callback=parsed(vocabulary.PADDINGS), autocompletion=completed(vocabulary.PADDINGS),
        help=_(
            "Between the characters of a two-character name: space (as in most "
            "published rosters) or ideographic (U+3000)."
        ),
    ),
]
ExportPaddingOption = Annotated[
    str | None,
    typer.Option(
        "--padding",
        callback=parsed(vocabulary.PADDINGS), autocompletion=completed(vocabulary.PADDINGS),
        help=_(
            "Between the characters of a two-character name: space or ideographic "
            "(U+3000). Default: ideographic in docx, pdf, xlsx and html (columns line up "
            "in a Chinese font), space in the other formats."
        ),
    ),
]
AffiliationOption = Annotated[
    bool,
    typer.Option(
        "--with-affiliation",
        help=_("Print each winner's affiliation after the name: 张三（数学组）."),
    ),
]
#: The formats set as GB/T 9704 pages: they take --font ROLE=FILE and --layout.
TYPESET_FORMATS = ("docx", "pdf")
OptionalCategory = Annotated[
    str | None,
    typer.Argument(
        metavar="[CATEGORY]", autocompletion=complete_category,
        help=_("Id, title or path of titles joined by /; omitted: the whole roll.")
    ),
]


def register(app: typer.Typer) -> None:
    app.command(
        "show",
        help=_(
            "Show the roll (or one category and what is below it) laid out as published: "
            "numbered headings, counts, ordering rules, name grids, works with proposers."
        ) + examples("honours show", "honours show 先进个人", "honours show --padding ideographic"),
    )(show)
    app.command(
        "export",
        help=_(
            "Export the roll (or a category) to a file: the same content in every format.\n\n"
            "csv is UTF-8 with a byte-order mark for Excel; json is the lossless interchange "
            "format (docs/json-format.md). An existing file is replaced only with --force."
        ) + examples(
            "honours export -o 光荣榜.docx",
            "honours export 先进个人 -o 先进个人.xlsx",
            "honours export -o - --format txt",
        ),
    )(export)
    app.command(
        "register",
        help=_(
            "The certificate register (证书发放名册): sequence, certificate number, "
            "recipient, honour, and blank 签收 and date columns.\n\n"
            "On screen it shows the numbers already issued and, marked *, the ones "
            "winners without a number would get; --issue issues them. Writing the "
            "register to a file (-o) issues them as part of writing it: a command that "
            "fails issues nothing. Issued numbers keep their pattern and year, never "
            "change and never come back, not even after `backup restore` or `undo`."
        ) + examples(
            "honours register",
            "honours register --issue",
            "honours register -o 证书发放名册.xlsx",
        ),
    )(register_command)


def _padding(value: str) -> str:
    from ..render.view import PADDINGS

    return PADDINGS[value]  # a code: the option's callback took the Chinese word too


def show(category: OptionalCategory = None, padding: PaddingOption = "space") -> None:
    from ..render.terminal import render_terminal
    from ..roll import roll_view

    pad = _padding(padding)
    activate_overrides()
    db = store().snapshot()
    view = roll_view(db, category)
    if not view.sections:
        note(_("the roll is empty: `honours category add TITLE` starts it"))
        return
    out = console()
    # On a terminal long lines wrap; into a file or a pipe each line stays whole,
    # so that `honours show > roll.txt; honours check roll.txt` reads it back.
    out.print(render_terminal(view, pad, wrap=out.is_terminal))
    _quota_notes(db, view)


def _quota_notes(db, view) -> None:
    """Below the roll (on standard error, so that the roll itself can be saved as it
    is): the categories shown that are over or under their quota."""
    from ..eligibility import quota_report

    shown = {section.id for section in view.walk()}
    for status in quota_report(db):
        if status.category.id not in shown:
            continue
        if status.over:
            warn(_("over quota: {path}: {status}").format(
                path=status.path, status=status.describe()))
        elif status.under:
            note(_("under quota: {path}: {status}").format(
                path=status.path, status=status.describe()))


def _write(output: str, payload: bytes, force: bool, binary: bool) -> None:
    if output == "-":
        if binary:
            raise fail(_("this format is a binary file: give -o FILE"))
        import sys

        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    from ..storage import write_file_atomically

    guard_output(Path(output))
    write_file_atomically(Path(output), payload, replace=force)
    console().print(
        ngettext("wrote {path} ({size:,} byte)", "wrote {path} ({size:,} bytes)", len(payload))
        .format(path=escape(output), size=len(payload))
    )


def _format_from(output: str | None, given: str | None, choices) -> str:
    fmt = given or (Path(output).suffix.lstrip(".").lower() if output and output != "-" else "")
    if fmt not in choices:
        raise fail(
            _("say which format: --format {choices}").format(choices="|".join(choices))
            if not fmt
            else _("unknown format {format!r}; choose one of {choices}").format(
                format=fmt, choices=", ".join(choices)
            )
        )
    return fmt


def export(
    category: OptionalCategory = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help=_("File to write; '-' for stdout.")
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            callback=format_parsed(tuple(ROLL_FORMATS)),
            autocompletion=completed(vocabulary.FORMATS, tuple(ROLL_FORMATS)),
            help=_("txt, md, csv, xlsx, docx, pdf, json or html (default: from -o)."),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
    padding: ExportPaddingOption = None,
    with_affiliation: AffiliationOption = False,
    font: Annotated[
        list[str] | None,
        typer.Option("--font", metavar="[ROLE=]FILE",
                     help=_("pdf, docx: the font file of a role (title, heading1, heading2, "
                            "body, page-number), as title=FZXBSJW.TTF; a FILE alone: "
                            "every role. Repeatable. Default: the installed faces of "
                            "GB/T 9704 (docs/rolls.md).")),
    ] = None,
    layout_file: Annotated[
        str | None,
        typer.Option("--layout", metavar="FILE",
                     help=_("pdf, docx: a layout file whose [fonts] section names the "
                            "font file of each role (--font wins over it).")),
    ] = None,
    allow_missing_glyphs: Annotated[
        bool,
        typer.Option("--allow-missing-glyphs",
                     help=_("pdf: print even when no installed font draws a character "
                            "(it prints blank).")),
    ] = False,
) -> None:
    from ..render import ROLL_FORMATS, export_roll
    from ..render.view import ExportOptions
    from ..roll import roll_view

    chosen = _format_from(output, fmt, ROLL_FORMATS)
    if output is None:
        raise fail(_("give the file to write: -o FILE (or -o - for standard output)"))
    from ..render.text import default_padding

    pad = _padding(padding) if padding else default_padding(chosen)
    if (font or layout_file) and chosen not in TYPESET_FORMATS:
        raise fail(_("--font and --layout are for --format pdf and docx"))
    refuse_existing(output, force)
    activate_overrides()
    from ..ledger import Ledger, LedgerError

    current = store()
    view = roll_view(current.snapshot(), category)
    # The JSON format carries the highest serial ever issued, restores and undos
    # included; no other format needs the ledger (100,000 numbers to read).
    if chosen == "json":
        try:
            view.certificate_serial = max(view.certificate_serial, Ledger.load(current).highest)
        except LedgerError as error:
            warn(str(error))  # an export issues nothing: the database's own counter serves
    options = ExportOptions(padding=pad, with_affiliation=with_affiliation, fonts=font or [],
                            allow_missing_glyphs=allow_missing_glyphs)
    if chosen in TYPESET_FORMATS:
        from ..certificates import CertificateError
        from ..certificates.layout import load_layout

        try:
            if layout_file:
                options.layout = load_layout(layout_file, blocks_required=False)
            payload = export_roll(view, chosen, options)
        except CertificateError as error:
            raise fail(str(error)) from None
        for message in dict.fromkeys(options.warnings):
            warn(message)
    else:
        payload = export_roll(view, chosen, options)
    _write(output, payload, force, binary=chosen in ("xlsx", "docx", "pdf"))


def register_command(
    category: OptionalCategory = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", callback=format_parsed(("table", *REGISTER_FORMATS)),
            autocompletion=completed(vocabulary.FORMATS, ("table", *REGISTER_FORMATS)),
            help=_("table (表格, on screen), csv, xlsx or docx (default: from -o)."))
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help=_("File to write; '-' for stdout (csv).")
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
    issue: Annotated[
        bool,
        typer.Option("--issue", help=_("Issue the missing certificate numbers now.")),
    ] = False,
    by: Annotated[
        str,
        typer.Option("--by", metavar="roll|number",
                     callback=parsed(vocabulary.REGISTER_ORDERS),
                     autocompletion=completed(vocabulary.REGISTER_ORDERS),
                     help=_("Order: roll (as published) or number (certificate number order).")),
    ] = "roll",
    revoked: Annotated[
        bool,
        typer.Option("--revoked",
                     help=_("List the issued numbers no winner holds now (revoked), and why.")),
    ] = False,
    renumber: Annotated[
        bool,
        typer.Option("--renumber",
                     help=_("With --issue or -o: a number a winner holds that the certificate "
                            "ledger gives to someone else (a hand edit, an old backup) is "
                            "taken off that winner, who is issued a fresh one; without it "
                            "such a number refuses the command.")),
    ] = False,
) -> None:
    from ..render import REGISTER_FORMATS, export_register

    if output_format is None:
        output_format = (
            _format_from(output, None, REGISTER_FORMATS) if output and output != "-" else
            "csv" if output == "-" else "table"
        )
    if output_format != "table" and output_format not in REGISTER_FORMATS:
        raise fail(
            _("unknown format {format!r}; choose table, csv, xlsx or docx").format(
                format=output_format
            )
        )
    if revoked:
        _print_revoked()
        return
    if output_format != "table" and output is None:
        raise fail(_("give the file to write: -o FILE"))
    if output is not None and output_format == "table":
        raise fail(_("a table is shown on screen: for a file give --format csv, xlsx or docx"))
    refuse_existing(output, force)
    by_number = by == "number"
    if output_format == "table" or (output == "-" and not issue):
        register, notes, pending = _preview_register(category, issue, by_number, renumber)
        if output_format == "table":
            _print_register(register)
        else:
            for row in register.rows:  # standard output is no register file: nothing issued
                if row.pending:
                    row.certificate = ""
            _write(output, export_register(register, output_format), force, binary=False)
        for line in notes:
            note(line)
        if pending:
            note(
                ngettext(
                    "{count} certificate has no number yet{marked}; "
                    "`honours register --issue` issues it.",
                    "{count} certificates have no number yet{marked}; "
                    "`honours register --issue` issues them.",
                    pending,
                ).format(
                    count=pending,
                    marked=_(" (marked *: the number it would get)")
                    if output_format == "table" else "",
                )
            )
        return
    if output == "-":
        register, *_rest = issue_and_write(category, lambda r, v: [], force, by_number,
                                           renumber=renumber)
        _write(output, export_register(register, output_format), force, binary=False)
        return
    issue_and_write(
        category,
        lambda register, values: [(Path(output), export_register(register, output_format))],
        force, by_number, renumber=renumber,
    )


def _preview_register(category: str | None, issue: bool, by_number: bool,
                      renumber: bool = False):
    """The register on screen: with ``issue``, issued first; else the numbers already
    issued and the ones that would be, marked, with a warning for every number the
    ledger disagrees with. Returns (register, notes, pending)."""
    from ..ledger import Ledger, plan_numbers, register_notes, register_view
    from ..number_audit import wrongly_held
    from ..roll import roll_view
    from ..series import series_of
    from .numbers import audit_store, warn_state

    if issue:
        register, _values, _files, notes = issue_and_write(
            category, lambda r, v: [], False, by_number, notes=True, renumber=renumber
        )
        return register, notes, 0
    activate_overrides()
    current = store()
    db = current.snapshot()
    ledger = Ledger.load(current)
    findings = audit_store(current, db, ledger)
    warn_state(findings, ledger.path)
    view = roll_view(db, category)
    planned = plan_numbers(db, ledger, category, view)
    after = series_of(current, db).highest if planned else 0
    if after > ledger.serial_after(db):  # the folder's series is further on
        planned = plan_numbers(db, ledger, category, view, after)
    register = register_view(db, category, pending=planned, ledger=ledger, by_number=by_number,
                             view=view)
    # A number the ledger gives to someone else is never shown on its holder's row
    # (the warning above names it).
    wrong = {(number, holder.recipient) for number, holder in wrongly_held(findings)}
    for row in register.rows if wrong else ():
        if (row.certificate, row.recipient) in wrong:
            row.certificate = ""
    return register, register_notes(db, ledger, register, category), len(planned)


def issue_and_write(category: str | None, build, force: bool, by_number: bool = False,
                    notes: bool = False, renumber: bool = False):
    """Issue the missing certificate numbers and write the files built from the
    register, as one change: returns (register, settings, files written, and with
    ``notes`` the register's notes, from the roll and ledger as saved).

    ``build(register, settings)`` returns the files as (path, bytes) and may refuse
    by raising: then no number is issued.  First the roll is checked against the
    ledger (honours.number_audit): a missing, emptied or lowered ledger, or one
    lacking numbers the roll holds, is rebuilt from the roll and its backups; a
    number held for someone else or held twice refuses, before anything is issued
    or written; with ``renumber`` such numbers are taken off their holders, who
    are issued fresh ones.  The files are
    written in full first, then, under the lock, the ledger is saved, then the
    database, and only then are the files put in place: a failed save leaves no
    file holding numbers that were not saved (the ledger holding them is a gap).
    Shared by ``register`` and ``certificates``: numbers always come from here."""
    from ..ledger import (
        Ledger,
        apply_numbers,
        describe_numbers,
        plan_numbers,
        register_notes,
        register_view,
        revoke,
    )
    from ..number_audit import take_off
    from ..roll import roll_view, settings
    from ..series import issuing
    from ..storage import prepare_file
    from .numbers import checked_for_issuing, holder_text

    activate_overrides()
    prepared = []
    taken_off: list = []
    try:
        # The folder's number series is locked after the roll and released after
        # its save (honours.series): two rolls of one series never plan one number.
        with ExitStack() as series_lock, change("issue-numbers") as recorded:
            db = recorded.db
            ledger = Ledger.load(recorded.store)
            to_take = checked_for_issuing(recorded.store, db, ledger, recorded.command,
                                          renumber)
            if to_take:
                taken_off = take_off(db, to_take)
                unknown = {number: (holder.recipient, holder.category)
                           for number, holder in taken_off if number not in ledger.numbers}
                if unknown:  # held twice and recorded for no one: never issued again
                    revoke(ledger, unknown, recorded.command)
                recorded.describe(_("took certificate numbers held for someone else off "
                                    "their holders ({numbers})").format(
                    numbers=describe_numbers(sorted({n for n, _h in taken_off}))))
            # One view of the roll for planning and for the register: the numbers
            # are given to its entries as they are issued.
            view = roll_view(db, category)
            planned = plan_numbers(db, ledger, category, view)
            if planned:  # numbers follow the folder's series too, locked until the save
                series = series_lock.enter_context(issuing(recorded.store, db))
                if series.highest > ledger.serial_after(db):
                    planned = plan_numbers(db, ledger, category, view, series.highest)
            apply_numbers(db, ledger, planned, recorded.command, view)
            register = register_view(db, category, ledger=ledger, by_number=by_number,
                                     view=view)
            values = settings(db)
            found = register_notes(db, ledger, register, category) if notes else []
            files = build(register, values)
            for path, _payload in files:
                guard_output(Path(path))
            prepared = [prepare_file(Path(path), payload, force) for path, payload in files]
            if planned:
                numbers = describe_numbers([a.number for a in planned])
                recorded.describe(
                    ngettext(
                        "issued {count} certificate number ({numbers})",
                        "issued {count} certificate numbers ({numbers})",
                        len(planned),
                    ).format(count=len(planned), numbers=numbers)
                    + (_(" for {files}").format(files="、".join(str(p) for p, _b in files))
                       if files else "")
                )
                series.issued(max(a.serial for a in planned))
                recorded.before.append(series.save)
            if planned or taken_off:
                recorded.before.append(ledger.save)
        # The database is saved (or nothing changed): the files go in place now.
        for file in prepared:
            file.commit()
    except BaseException:
        for file in prepared:
            file.discard()
        raise
    for number, holder in taken_off:
        note(_("certificate number {number} taken off {holder}: the ledger does not give "
               "it to them").format(number=number, holder=holder_text(holder)))
    for file in prepared:
        console().print(
            ngettext("wrote {path} ({size:,} byte)", "wrote {path} ({size:,} bytes)", file.size)
            .format(path=escape(str(file.target)), size=file.size)
        )
    if planned:
        note(
            ngettext(
                "issued {count} new certificate number: {numbers}",
                "issued {count} new certificate numbers: {numbers}",
                len(planned),
            ).format(count=len(planned), numbers=describe_numbers([a.number for a in planned]))
        )
    return register, values, prepared, found


def _print_register(register) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..render.terminal import LongTable
    from ..render.view import register_columns, register_table

    columns = register_columns(register)

    def table() -> Table:
        table = Table(title=escape(register.title))
        for column in columns:
            table.add_column(column, overflow="fold", no_wrap=column in ("序号", "证书编号"))
        return table

    cells: list[list] = register_table(register, with_works=True, columns=columns)
    cells[0] = list(map(str, cells[0]))
    for number, row in enumerate(register.rows):
        if row.pending:
            cells[1][number] = Text(f"{row.certificate}*", style="dim")
    console().print(LongTable(table, cells))


def _print_revoked() -> None:
    from rich.table import Table

    from ..ledger import Ledger, revoked_numbers

    current = store()
    records = revoked_numbers(current.snapshot(), Ledger.load(current))
    if not records:
        console().print(_("no revoked certificate numbers: every issued number has its winner"))
        return
    table = Table(title=_("Revoked certificate numbers"))
    for column in (_("number"), _("recipient"), _("category"), _("issued"), _("revoked"),
                   _("why")):
        table.add_column(column, overflow="fold")
    for record in records:
        why = record.revoked_because or _(
            "not in the database now (an undo, a restore, or an interrupted command)")
        table.add_row(
            escape(record.number), escape(record.recipient), escape(record.category),
            escape(record.issued.replace("T", " ")), escape(record.revoked.replace("T", " ")),
            escape(why),
        )
    console().print(table)


@app_settings.callback(invoke_without_command=True)
def settings_show(ctx: typer.Context) -> None:
    """Show the roll's settings (the group's help is the Typer's, above)."""
    if ctx.invoked_subcommand:
        return
    from ..roll import DEFAULT_SETTINGS, settings

    values = settings(store().snapshot())
    for key in DEFAULT_SETTINGS:
        console().print(_setting_line(key, values[key]))


def _series_after(current, db, key: str, value: str) -> int:
    """The highest serial of the series the changed pattern or year would issue
    from (honours.series), for the preview of the next number; 0 when it cannot be
    told (a pattern or year that is refused: setting it says why)."""
    from ..roll import RollError
    from ..series import SeriesError, series_of

    if key not in ("certificate-pattern", "year"):
        return 0
    change = {"pattern": value} if key == "certificate-pattern" else {
        "year": value or str(datetime.now().year)}
    try:
        return series_of(current, db, **change).highest
    except (RollError, SeriesError):
        return 0  # refused by setting it, or said when numbers are next issued


def _setting_line(key: str, value: str) -> str:
    """``title: 光荣榜``, or under --lang zh ``标题：光荣榜``; a date also as it is
    printed on certificates (2024-12 → 二〇二四年十二月)."""
    if key == "date" and value:
        from ..certificates.text import date_text

        value = _("{date} (printed {words})").format(date=value, words=date_text(value))
    return escape(_("{key}: {value}").format(key=vocabulary.SETTINGS.label(key), value=value))


@app_settings.command(
    "set",
    help=_(
        "Change a setting.\n\n"
        "certificate-pattern uses {year} and {serial}, e.g. JS{year}-{serial:04d}."
    ) + examples(
        "honours settings set 落款 某某市人民政府",
        "honours settings set 日期 2024年12月",
        'honours settings set 编号格式 "JS{year}-{serial:04d}"',
    ),
)
def settings_set(
    key: Annotated[str, typer.Argument(
        metavar="KEY", callback=parsed(vocabulary.SETTINGS),
        autocompletion=completed(vocabulary.SETTINGS),
        help=_(
            "title (标题: the roll's heading), issuer (落款: who awards, on certificates), "
            "year (年度: four digits; empty is this year), date (日期: on certificates; "
            "2024-12, 2024年12月, 2024年12月5日 or 2024.12.5; empty is this month) or "
            "certificate-pattern (编号格式: uses {year} and {serial})."))],
    value: Annotated[str, typer.Argument(
        metavar="VALUE", help=_("The new value; '' restores the default."))],
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y",
                     help=_("Change it without asking, even when certificate numbers are issued.")),
    ] = False,
) -> None:
    from ..ledger import Ledger, pattern_change_warning
    from ..roll import DEFAULT_SETTINGS, set_setting, stored_settings

    value = value or DEFAULT_SETTINGS.get(key, "")
    current = store()
    warning = None
    if current.exists():
        db = current.snapshot()
        warning = pattern_change_warning(db, Ledger.load(current), key, value,
                                         _series_after(current, db, key, value))
    if warning:
        note(warning)
        confirm(_("Change {key} to {value!r}?").format(
            key=vocabulary.SETTINGS.label(key), value=value), yes)
    with change("settings", create=True) as recorded:
        before = stored_settings(recorded.db).get(key, "")
        values = set_setting(recorded.db, key, value)
        if values[key] != before:
            recorded.describe(_("set {key} to {value!r} (was {old!r})").format(
                key=vocabulary.SETTINGS.label(key), value=values[key], old=before))
    console().print(_setting_line(key, values[key]))
