"""``honours show / export / register / settings``: the roll as published and filed."""


from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import activate_overrides, console, escape, fail, note, store

app_settings = typer.Typer(help=_("Show or change the roll's settings."), no_args_is_help=False)

PaddingOption = Annotated[
    str,
    typer.Option(
        "--padding",
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
        help=_(
            "Between the characters of a two-character name: space or ideographic "
            "(U+3000). Default: ideographic in docx and pdf (columns line up in print), "
            "space in the other formats."
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
#: Formats printed as documents, where U+3000 lines names up in a CJK font.
PRINT_FORMATS = ("docx", "pdf")
OptionalCategory = Annotated[
    str | None,
    typer.Argument(
        metavar="[CATEGORY]", help=_("Id, title or path; omitted: the whole roll.")
    ),
]


def register(app: typer.Typer) -> None:
    app.command(
        "show",
        help=_(
            "Show the roll (or one category and what is below it) laid out as published: "
            "numbered headings, counts, ordering rules, name grids, works with proposers."
        ),
    )(show)
    app.command(
        "export",
        help=_(
            "Export the roll (or a category) to a file: the same content in every format.\n\n"
            "csv is UTF-8 with a byte-order mark for Excel; json is the lossless interchange "
            "format (docs/json-format.md). An existing file is replaced only with --force."
        ),
    )(export)
    app.command(
        "register",
        help=_(
            "The certificate register (证书发放名册): sequence, certificate number, "
            "recipient, honour, and blank 签收 and date columns.\n\n"
            "Winners without a certificate number get the next one now, from the "
            "certificate-pattern setting; issued numbers never change or come back."
        ),
    )(register_command)


def _padding(value: str) -> str:
    from ..render.view import PADDINGS

    if value not in PADDINGS:
        raise fail(_("unknown padding {value!r}; choose space or ideographic").format(value=value))
    return PADDINGS[value]


def show(category: OptionalCategory = None, padding: PaddingOption = "space") -> None:
    from ..render.terminal import render_terminal
    from ..roll import roll_view

    pad = _padding(padding)
    activate_overrides()
    view = roll_view(store().snapshot(), category)
    if not view.sections:
        note(_("the roll is empty: `honours category add TITLE` starts it"))
        return
    console().print(render_terminal(view, pad))


def _write(output: str, payload: bytes, force: bool, binary: bool) -> None:
    if output == "-":
        if binary:
            raise fail(_("this format is a binary file: give -o FILE"))
        import sys

        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    from ..storage import write_file_atomically

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
            help=_("txt, md, csv, xlsx, docx, pdf, json or html (default: from -o)."),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
    padding: ExportPaddingOption = None,
    with_affiliation: AffiliationOption = False,
    font: Annotated[
        str | None,
        typer.Option("--font", metavar="PATH",
                     help=_("pdf: a font file with Chinese characters "
                            "(default: an installed one).")),
    ] = None,
    allow_missing_glyphs: Annotated[
        bool,
        typer.Option("--allow-missing-glyphs",
                     help=_("pdf: print even when no installed font has a character "
                            "(it prints blank).")),
    ] = False,
) -> None:
    from ..render import ROLL_FORMATS, export_roll
    from ..render.view import ExportOptions
    from ..roll import roll_view

    chosen = _format_from(output, fmt, ROLL_FORMATS)
    if output is None:
        raise fail(_("give the file to write: -o FILE (or -o - for standard output)"))
    pad = _padding(padding or ("ideographic" if chosen in PRINT_FORMATS else "space"))
    if font and chosen != "pdf":
        raise fail(_("--font is for --format pdf"))
    activate_overrides()
    view = roll_view(store().snapshot(), category)
    options = ExportOptions(padding=pad, with_affiliation=with_affiliation, font=font,
                            allow_missing_glyphs=allow_missing_glyphs)
    if chosen == "pdf":
        from ..certificates import CertificateError
        from .common import warn

        try:
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
        str, typer.Option("--format", "-f", help=_("table, csv, xlsx or docx."))
    ] = "table",
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help=_("File to write."))
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
) -> None:
    from ..render import REGISTER_FORMATS, export_register

    if output_format != "table" and output_format not in REGISTER_FORMATS:
        raise fail(
            _("unknown format {format!r}; choose table, csv, xlsx or docx").format(
                format=output_format
            )
        )
    if output_format != "table" and output is None:
        raise fail(_("give the file to write: -o FILE"))
    register_view_, _settings, _checked = issued_register(category)
    if output_format == "table":
        _print_register(register_view_)
        return
    payload = export_register(register_view_, output_format)
    _write(output, payload, force, binary=output_format != "csv")


def issued_register(category: str | None, check=None):
    """Issue the missing certificate numbers and return (register, settings, checked),
    all in one transaction.  ``check(register)`` may refuse by raising: then no
    number is issued.  Shared by ``register`` and ``certificates``: numbers
    always come from the register."""
    from ..roll import issue_certificates, register_view, settings

    activate_overrides()
    with store().transaction() as db:
        issued = issue_certificates(db, category)
        register = register_view(db, category)
        values = settings(db)
        checked = check(register) if check else None
    if issued:
        note(
            ngettext(
                "issued {count} new certificate number",
                "issued {count} new certificate numbers",
                issued,
            ).format(count=issued)
        )
    return register, values, checked


def _print_register(register) -> None:
    from rich.table import Table

    from ..render.view import register_cells, register_columns

    table = Table(title=escape(register.title))
    for column in register_columns(register):
        table.add_column(column, overflow="fold", no_wrap=column in ("序号", "证书编号"))
    for row in register.rows:
        table.add_row(*(escape(str(cell)) for cell in register_cells(register, row, row.honour)))
    console().print(table)


@app_settings.callback(invoke_without_command=True)
def settings_show(ctx: typer.Context) -> None:
    """Show the roll's settings (the group's help is the Typer's, above)."""
    if ctx.invoked_subcommand:
        return
    from ..roll import DEFAULT_SETTINGS, settings

    values = settings(store().snapshot())
    for key in DEFAULT_SETTINGS:
        console().print(f"{key}: {escape(values[key])}")


@app_settings.command(
    "set",
    help=_(
        "Change a setting.\n\n"
        "certificate-pattern uses {year} and {serial}, e.g. JS{year}-{serial:04d}."
    ),
)
def settings_set(
    key: Annotated[str, typer.Argument(help=_("title, issuer, year or certificate-pattern."))],
    value: Annotated[str, typer.Argument(help=_("The new value ('' restores the default)."))],
) -> None:
    from ..roll import DEFAULT_SETTINGS, set_setting

    with store().transaction() as db:
        values = set_setting(db, key, value or DEFAULT_SETTINGS.get(key, ""))
    console().print(f"{key}: {escape(values[key])}")
