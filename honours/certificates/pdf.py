"""PDF certificates with fpdf2: the CJK font embedded (subset), text placed in
millimetres, a border for blank paper, an optional background under the text,
and the calibration page."""

from __future__ import annotations

import io
from pathlib import Path

from ..i18n import _
from . import CertificateError
from .fit import PT, fit, placed
from .fonts import FontChoice, missing_characters, open_font
from .layout import Layout

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
BORDER_COLOR = (178, 34, 34)


def _new_pdf(layout: Layout):
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format=(layout.width, layout.height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("honours")
    pdf.set_producer("honours (fpdf2)")
    return pdf


class _Fonts:
    """The fonts of a document: the main one and any a block names."""

    def __init__(self, pdf, main: FontChoice, layout: Layout):
        self.pdf = pdf
        self.families: dict[str, str] = {}
        self.choices: dict[str, FontChoice] = {}
        self.main = self._add(main)
        self.by_block = {}
        for block in layout.blocks:
            if block.font is not None:
                choice = open_font(block.font, f"the font of block {block.name!r}")
                self.by_block[block.name] = self._add(choice)

    def _add(self, choice: FontChoice) -> str:
        key = f"{choice.path}#{choice.index}"
        if key not in self.families:
            family = f"cjk{len(self.families)}"
            try:
                self.pdf.add_font(family, fname=str(choice.path),
                                  collection_font_number=choice.index)
            except Exception as error:  # fpdf2/fontTools: a font it cannot embed
                raise CertificateError(
                    _("cannot embed the font {font}: {error}").format(font=choice, error=error)
                ) from None
            self.families[key] = family
            self.choices[family] = choice
        return self.families[key]

    def family_for(self, block) -> str:
        return self.by_block.get(block.name, self.main)

    def measure(self, family: str):
        pdf = self.pdf

        def width(text: str, size: float) -> float:
            pdf.set_font(family, size=size)
            return pdf.get_string_width(text)

        return width


def draw_border(pdf, layout: Layout) -> None:
    pdf.set_draw_color(*BORDER_COLOR)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, layout.width - 20, layout.height - 20)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, layout.width - 26, layout.height - 26)


def draw_text(pdf, fonts: _Fonts, block, text: str, warnings: list[str], who: str) -> None:
    """One block's text, fitted, shrunk or wrapped to stay inside the block."""
    family = fonts.family_for(block)
    fitted = fit(text, block, fonts.measure(family))
    if fitted.below_minimum:
        warnings.append(
            _(
                "{who}: the {block} text needed {size:g} pt, below the minimum "
                "{minimum:g} pt, to fit its block"
            ).format(who=who, block=block.name, size=fitted.size, minimum=block.min_font_size)
        )
    pdf.set_font(family, size=fitted.size)
    pdf.set_text_color(*block.color)
    descent = pdf.current_font.desc.descent / 1000  # negative: below the baseline
    size_mm = fitted.size * PT
    for line, left, top in placed(fitted, block):
        if line.text:
            # the em box (what PDF text extraction reports) spans the font size,
            # from the descent below the baseline: its top sits at ``top``
            pdf.text(left, top + size_mm * (1 + descent), line.text)


def _check_glyphs(fonts: _Fonts, certificates, layout: Layout, warnings: list[str]) -> None:
    for family, choice in fonts.choices.items():
        names = [b.name for b in layout.blocks if fonts.family_for(b) == family]
        text = "".join(c.texts.get(n, "") for c in certificates for n in names)
        missing = missing_characters(choice, text)
        if missing:
            warnings.append(
                _(
                    "the font {font} has no glyph for {characters}: those characters "
                    "will be blank; give a fuller font with --font"
                ).format(font=choice, characters=" ".join(missing))
            )


def render_pdf(certificates, layout: Layout, font: FontChoice,
               background: Path | None = None) -> tuple[bytes, list[str]]:
    """The certificates, one page each; returns the PDF and any warnings."""
    pdf = _new_pdf(layout)
    fonts = _Fonts(pdf, font, layout)
    warnings: list[str] = []
    _check_glyphs(fonts, certificates, layout, warnings)
    image = background if background and background.suffix.lower() in IMAGE_SUFFIXES else None
    for certificate in certificates:
        pdf.add_page()
        if image is not None:
            try:
                pdf.image(str(image), x=0, y=0, w=layout.width, h=layout.height)
            except Exception as error:
                raise CertificateError(
                    _("cannot use the background {file}: {error}").format(file=image, error=error)
                ) from None
        if layout.border:
            draw_border(pdf, layout)
        who = _("certificate {number} ({recipient})").format(
            number=certificate.certificate, recipient=certificate.recipient
        )
        for block in layout.blocks:
            text = certificate.texts.get(block.name, "")
            if text.strip():
                draw_text(pdf, fonts, block, text, warnings, who)
    payload = bytes(pdf.output())
    if background is not None and image is None:
        payload = merge_background(payload, background, layout)
    return payload, warnings


def check_background(path: Path) -> None:
    if not path.is_file():
        raise CertificateError(_("--background {path}: no such file").format(path=path))
    if path.suffix.lower() not in IMAGE_SUFFIXES + (".pdf",):
        raise CertificateError(
            _("--background {path}: give a .pdf, .png or .jpg file").format(path=path)
        )


def merge_background(payload: bytes, background: Path, layout: Layout) -> bytes:
    """Put the first page of ``background`` under every page, scaled to the paper."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.errors import PyPdfError

    try:
        design = PdfReader(str(background)).pages[0]
    except (OSError, PyPdfError, IndexError, ValueError) as error:
        raise CertificateError(
            _("cannot read the background {file}: {error}").format(file=background, error=error)
        ) from None
    box = design.mediabox
    width, height = float(box.width), float(box.height)
    target_w, target_h = layout.width / PT, layout.height / PT
    transform = (
        Transformation()
        .translate(-float(box.left), -float(box.bottom))
        .scale(target_w / width, target_h / height)
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(payload)))
    for page in writer.pages:
        page.merge_transformed_page(design, transform, over=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def calibration_pdf(layout: Layout, font: FontChoice | None) -> bytes:
    """A millimetre grid over the whole paper, labelled every 10 mm, with the
    layout's blocks outlined, to measure where the blanks of pre-printed paper are."""
    pdf = _new_pdf(layout)
    pdf.add_page()
    family = "helvetica"
    if font is not None:
        family = _Fonts(pdf, font, Layout(layout.width, layout.height, "", False)).main
    width, height = layout.width, layout.height
    for step, shade, line in ((1, 215, 0.05), (5, 160, 0.12), (10, 60, 0.25)):
        pdf.set_draw_color(shade, shade, shade)
        pdf.set_line_width(line)
        for x in range(0, int(width) + 1, step):
            pdf.line(x, 0, x, height)
        for y in range(0, int(height) + 1, step):
            pdf.line(0, y, width, y)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(family, size=6)
    for x in range(10, int(width), 10):
        for y in (1.5, height / 2 + 1.5, height - 3.5):
            pdf.text(x + 0.4, y + 1.6, str(x))
    for y in range(10, int(height), 10):
        for x in (0.8, width / 2 + 0.4, width - 6.5):
            pdf.text(x, y - 0.5, str(y))
    # the layout's blocks, dashed, with their names
    pdf.set_draw_color(*BORDER_COLOR)
    pdf.set_text_color(*BORDER_COLOR)
    pdf.set_line_width(0.3)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1.5, gap=1)
        for block in layout.blocks:
            pdf.rect(block.x, block.y, block.width, block.height)
    pdf.set_font(family, size=7)
    for block in layout.blocks:
        label = block.name if font is not None or block.name.isascii() else "block"
        pdf.text(block.x + 0.8, block.y + block.height - 1, label)
    # a 100 mm bar to check the printer does not scale the page
    bar_y = height - 25
    left = (width - 100) / 2
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(left - 2, bar_y - 8, 104, 14, style="F")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.6)
    pdf.line(left, bar_y, left + 100, bar_y)
    pdf.line(left, bar_y - 2, left, bar_y + 2)
    pdf.line(left + 100, bar_y - 2, left + 100, bar_y + 2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(family, size=8)
    caption = (
        "此线应长 100 mm；不等则打印时请选“实际大小”，不要“适合页面”。"
        if font is not None
        else "This line must measure 100 mm; if not, print at actual size (100%)."
    )
    pdf.text(left, bar_y + 4.5, caption)
    title = f"calibration {width:g} x {height:g} mm ({layout.source})"
    pdf.text(left, bar_y - 3, title if font is None else f"校准页 {title}")
    return bytes(pdf.output())


def font_measure(font: FontChoice):
    """``measure(text, size) -> mm`` with ``font``, as the PDF sets text."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm")
    fonts = _Fonts(pdf, font, Layout(297, 210, "landscape", False))
    return fonts.measure(fonts.main)
