"""``honours certificates``: one 荣誉证书 per winner, as PDF or DOCX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import vocabulary
from ..i18n import _, ngettext
from .common import (
    console,
    escape,
    examples,
    fail,
    guard_output,
    note,
    refuse_existing,
    warn,
)
from .rolls import OptionalCategory


def register(app: typer.Typer) -> None:
    app.command(
        "certificates",
        help=_(
            "Print the certificates (荣誉证书): one page per winner, people and units; "
            "a work's go to its proposers, one each (or one for them together where the "
            "category says --certificates per-work), as in the register.\n\n"
            "Certificate numbers come from the register: winners without one are issued "
            "the next number as part of writing the file, as `honours register -o` does; "
            "a command that fails issues none. The text comes from the template, the "
            "positions from the layout file (docs/certificates.md)."
        ) + examples(
            "honours certificates -o 证书.pdf",
            "honours certificates 先进个人 -o 证书.pdf --only 张三",
            "honours certificates --calibration -o 校准.pdf",
        ),
    )(certificates)


def certificates(
    category: OptionalCategory = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE.pdf|FILE.docx", help=_("File to write.")),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", metavar="FILE", help=_("Text of the blocks (TOML).")),
    ] = None,
    layout_file: Annotated[
        str | None,
        typer.Option("--layout", metavar="FILE",
                     help=_("Paper and block positions in mm (TOML). "
                            "Default: blank A4 landscape.")),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="NAME",
                     help=_("Only this recipient's certificate(s); "
                            "repeat, or separate with commas.")),
    ] = None,
    font: Annotated[
        str | None,
        typer.Option("--font", metavar="PATH", help=_("A font file with Chinese characters.")),
    ] = None,
    background: Annotated[
        str | None,
        typer.Option("--background", metavar="FILE.pdf|FILE.png",
                     help=_("The office's design under the text of every page, in place of "
                            "the default border and title (PDF output).")),
    ] = None,
    calibration: Annotated[
        bool,
        typer.Option("--calibration",
                     help=_("Write a calibration page (millimetre grid and the layout's blocks) "
                            "instead of certificates.")),
    ] = False,
    preview: Annotated[
        str | None,
        typer.Option("--preview", metavar="FILE.png", help=_("Also render the first page to PNG.")),
    ] = None,
    docx_template: Annotated[
        str | None,
        typer.Option("--docx-template", metavar="FILE.docx",
                     help=_("The office's own Word certificate: {姓名}, {荣誉}, {作品}, {单位}, "
                            "{编号}, {日期}, {落款}, {年度} are filled, one copy per winner "
                            "(output: -o FILE.docx).")),
    ] = None,
    allow_missing_glyphs: Annotated[
        bool,
        typer.Option("--allow-missing-glyphs",
                     help=_("Print even when no installed font draws a character of a name "
                            "(it prints blank).")),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help=_("Replace existing files."))] = False,
    renumber: Annotated[
        bool,
        typer.Option("--renumber",
                     help=_("A number a winner holds that the certificate ledger gives to "
                            "someone else is taken off that winner, who is issued a fresh "
                            "one; without it such a number refuses the command.")),
    ] = False,
) -> None:
    from ..certificates import CertificateError

    try:
        _certificates(category, output, template, layout_file, only or [], font,
                      background, calibration, preview, force, docx_template,
                      allow_missing_glyphs, renumber)
    except CertificateError as error:
        raise fail(str(error)) from None


def _write(path: Path, payload: bytes, force: bool) -> None:
    from ..storage import write_file_atomically

    guard_output(path)
    write_file_atomically(path, payload, replace=force)
    console().print(
        ngettext("wrote {path} ({size:,} byte)", "wrote {path} ({size:,} bytes)", len(payload))
        .format(path=escape(str(path)), size=len(payload))
    )


def _certificates(category, output, template, layout_file, only, font, background,
                  calibration, preview, force, docx_template=None,
                  allow_missing_glyphs=False, renumber=False) -> None:
    from ..certificates import CertificateError
    from ..certificates.fonts import resolve_font
    from ..certificates.layout import load_layout
    from ..certificates.text import load_template

    if output is None:
        raise fail(_("give the file to write: -o FILE.pdf or -o FILE.docx"))
    target = Path(output)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "docx"):
        raise fail(
            _("the output must be a .pdf or .docx file, not {output!r}").format(output=output)
        )
    preview_path = Path(preview) if preview else None
    if preview_path is not None and preview_path.suffix.lower() != ".png":
        raise fail(
            _("--preview writes a PNG picture: give FILE.png, not {preview!r}").format(
                preview=preview
            )
        )
    for path in (target, preview_path):
        refuse_existing(path, force)
    if docx_template is not None:
        _from_word_template(category, target, fmt, docx_template, only, force,
                            (template, layout_file, font, background, calibration, preview),
                            renumber)
        return
    layout = load_layout(layout_file)
    background_path = Path(background) if background else None
    if background_path is not None:
        from ..certificates.pdf import check_background

        if fmt != "pdf":
            raise fail(_("--background is for PDF output; Word and WPS have their own page "
                         "backgrounds"))
        aspect = check_background(background_path, layout)
        if aspect:
            warn(aspect)

    if calibration:
        from ..certificates.pdf import calibration_pdf

        if fmt != "pdf":
            raise fail(_("the calibration page is a PDF: give -o FILE.pdf"))
        try:
            chosen = resolve_font(font, layout.font)
        except CertificateError as error:
            if font:
                raise
            warn(
                _("{error}; the calibration page is labelled in English").format(error=error)
            )
            chosen = None
        payload = calibration_pdf(layout, chosen, background_path)
        _write(target, payload, force)
        _preview(payload, preview_path, force)
        note(_("print it at actual size (100%), lay it on the certificate paper against the "
               "light, and read off the blanks' positions in mm"))
        return

    texts = load_template(template)
    # the font first: a missing font must not issue certificate numbers
    chosen = None
    if fmt == "pdf" or preview_path is not None:
        chosen = resolve_font(font, layout.font)
    else:
        try:
            chosen = resolve_font(font, layout.font)
        except CertificateError:
            if font:
                raise
            note(_("no Chinese font found here: text sizes in the .docx are estimated"))

    from ..certificates.text import fill
    from .rolls import issue_and_write

    outcome: dict = {}

    def build(register, values) -> list[tuple[Path, bytes]]:
        # Inside the change: an unknown --only name, a character no font draws, a
        # failed rendering or an existing file refuses before any number is issued.
        rows, when = _chosen(register, values, only)
        pages = [fill(texts, layout, row, values, when) for row in rows]
        payload = pdf_payload = None
        warnings: list[str] = []
        if fmt == "pdf" or preview_path is not None:
            from ..certificates.pdf import render_pdf

            pdf_payload, warnings = render_pdf(
                pages if fmt == "pdf" else pages[:1], layout, chosen, background_path,
                allow_missing=allow_missing_glyphs,
                meta={"title": f"{values.get('title', '')}荣誉证书",
                      "issuer": values.get("issuer", "")})
            payload = pdf_payload
        if fmt == "docx":
            from ..certificates.docx import render_docx

            measure = None
            if chosen is not None:
                from ..certificates.pdf import font_measure

                measure = font_measure(chosen)
            payload = render_docx(pages, layout, measure)
        outcome.update(pages=len(pages), warnings=warnings)
        files = [(target, payload)]
        if preview_path is not None and pdf_payload is not None:
            from ..certificates.preview import first_page_png

            files.append((preview_path, first_page_png(pdf_payload)))
        return files

    issue_and_write(category, build, force, renumber=renumber)
    for message in dict.fromkeys(outcome["warnings"]):
        warn(message)
    note(
        ngettext("{count} certificate", "{count} certificates", outcome["pages"]).format(
            count=outcome["pages"]
        )
    )


def _chosen(register, values: dict[str, str], only: list[str]):
    """The register rows to print (``--only``) and the date as printed; no rows
    refuses, before any number is issued."""
    from ..certificates.text import select_rows, split_names

    rows = select_rows(register.rows, split_names(only)) if only else register.rows
    if not rows:
        raise fail(_("there are no winners to print certificates for"))
    guessed = list(dict.fromkeys(row.recipient for row in rows if row.kind_inferred))
    if guessed:
        warn(ngettext(
            "the kind of {count} proposer is not stored and is taken from the name: {names}; "
            "`honours edit CATEGORY WORK --proposer-kind person|unit` stores it",
            "the kind of {count} proposers is not stored and is taken from the names: "
            "{names}; `honours edit CATEGORY WORK --proposer-kind person|unit` stores it",
            len(guessed),
        ).format(count=len(guessed), names=vocabulary.listed(guessed)))
    return rows, _date_and_warnings(values)


def _date_and_warnings(values: dict[str, str]) -> str:
    """The date as printed; warns of what a clerk would otherwise find on paper."""
    from ..certificates.text import date_text

    if not values.get("issuer", "").strip():
        warn(_("no issuer is set: the certificates are unsigned; "
               "`honours settings set issuer 政协上海市金山区委员会` sets it"))
    when = date_text(values.get("date", ""))
    if not values.get("date"):
        warn(_("no date is set: the certificates say {date} (this month); "
               "`honours settings set date 2024-12` sets it").format(date=when))
    return when


def _from_word_template(category, target: Path, fmt: str, docx_template: str, only,
                        force: bool, others, renumber: bool = False) -> None:
    """Fill the office's own .docx: one copy of it per winner, in one document."""
    from ..certificates.word import fill_word_template, load_word_template
    from .rolls import issue_and_write

    template_path = Path(docx_template)
    if fmt != "docx":
        raise fail(_("--docx-template writes a Word file: give -o FILE.docx"))
    options = ("--template", "--layout", "--font", "--background", "--calibration", "--preview")
    used = [name for name, value in zip(options, others) if value]
    if used:
        raise fail(_("{options} do not apply to --docx-template: the Word file is the "
                     "design").format(options=", ".join(used)))
    document = load_word_template(template_path)  # checked before numbers are issued
    for message in document.dropped:  # macros, links to outside files
        warn(message)

    outcome: dict = {}

    def build(register, values) -> list[tuple[Path, bytes]]:
        rows, when = _chosen(register, values, only)
        outcome["count"] = len(rows)
        return [(target, fill_word_template(document, rows, values, when))]

    issue_and_write(category, build, force, renumber=renumber)
    note(ngettext("{count} certificate", "{count} certificates", outcome["count"]).format(
        count=outcome["count"]))


def _preview(pdf_payload: bytes | None, path: Path | None, force: bool) -> None:
    if path is None or pdf_payload is None:
        return
    from ..certificates.preview import first_page_png

    _write(path, first_page_png(pdf_payload), force)
