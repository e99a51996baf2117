"""PDF certificates with fpdf2: the CJK font embedded (subset), text placed in
millimetres, a border for blank paper, an optional background under the text,
and the calibration page."""

from __future__ import annotations

import logging
from pathlib import Path

from ..i18n import _
from . import CertificateError
from .background import IMAGE_SUFFIXES, check_image, merge_design, read_design
from .fit import PT, Fitted, fit_page, placed
from .fonts import FontChoice, faces_drawing, open_font, undrawn
from .layout import Layout

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
    """The fonts of a document: the main one, any a block names, and fallbacks
    for characters those do not draw (each character drawn with the first face
    of the chain that draws it: the document's own faces, then the fallbacks)."""

    def __init__(self, pdf, main: FontChoice, layout: Layout):
        self.pdf = pdf
        self.families: dict[str, str] = {}
        self.choices: dict[str, FontChoice] = {}
        #: family -> the code points it is known to draw (learnt as characters are
        #: asked about: :meth:`undrawn` before drawing, :meth:`draws` on the way)
        self.drawn: dict[str, set[int]] = {}
        #: the families in the order a character looks for a face: the document's
        #: own, then the fallbacks
        self.chain: list[str] = []
        self._widths: dict[tuple[str, str], float] = {}
        self.main = self.embed(main)
        self.by_block = {}
        for block in layout.blocks:
            if block.font is not None:
                choice = open_font(block.font, f"the font of block {block.name!r}")
                self.by_block[block.name] = self.embed(choice)

    def embed(self, choice: FontChoice) -> str:
        """Embed ``choice`` (once) and put it last in the chain; its family name."""
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
            self.drawn[family] = set()
            self.chain.append(family)
            embedded = self.pdf.fonts.get(family)
            if hasattr(embedded, "ttfont"):
                # The subset keeps each glyph's outline and box as the font has
                # them; recomputing the boxes re-encodes every glyph used (1 s
                # for the 600 glyphs of a long roll) for no visible change.
                embedded.ttfont.recalcBBoxes = False
        return self.families[key]

    def add_fallback(self, choice: FontChoice) -> str:
        """Embed ``choice`` as a fallback (after the faces already in the chain)."""
        return self.embed(choice)

    def family_for(self, block) -> str:
        return self.by_block.get(block.name, self.main)

    def undrawn(self, family: str, characters) -> set[str]:
        """The characters ``family``'s face does not draw (:func:`fonts.undrawn`);
        the others are remembered as drawn, for :meth:`runs`."""
        characters = set(characters)
        missing = undrawn(self.choices[family], characters)
        self.drawn[family].update(ord(ch) for ch in characters - missing)
        return missing

    def draws(self, family: str, ch: str) -> bool:
        return ord(ch) in self.drawn[family] or not self.undrawn(family, ch)

    def runs(self, family: str, text: str) -> list[tuple[str, str]]:
        """(family, text) pieces: each character in ``family`` if it draws it,
        else in the first face of the chain that does."""
        if text and all(map(self.drawn[family].__contains__, map(ord, text))):
            return [(family, text)]  # the common case, a run of one font: no loop in Python
        return self.runs_by_character(family, text)

    def runs_by_character(self, family: str, text: str) -> list[tuple[str, str]]:
        """:meth:`runs`, a character at a time."""
        pieces: list[tuple[str, str]] = []
        for ch in text:
            chosen = family
            if not self.draws(family, ch):  # a blank one is drawn: it stays in the run
                chosen = next((f for f in self.chain if f != family and self.draws(f, ch)),
                              family)
            if pieces and pieces[-1][0] == chosen:
                pieces[-1] = (chosen, pieces[-1][1] + ch)
            else:
                pieces.append((chosen, ch))
        return pieces

    def _char_width(self, family: str, ch: str) -> float:
        """Width in mm at 1 pt, in the font that draws ``ch`` (CJK text has no
        kerning: widths add up)."""
        key = (family, ch)
        width = self._widths.get(key)
        if width is None:
            drawn_with = self.runs(family, ch)[0][0]
            self.pdf.set_font(drawn_with, size=1)
            width = self._widths[key] = self.pdf.get_string_width(ch)
        return width

    def measure(self, family: str):
        widths = self._widths

        def width(text: str, size: float) -> float:
            total = 0.0
            for ch in text:
                one = widths.get((family, ch))
                total += one if one is not None else self._char_width(family, ch)
            return size * total

        return width


def _draw_image(pdf, image: Path, layout: Layout) -> None:
    """A picture background, stretched over the whole page."""
    try:
        pdf.image(str(image), x=0, y=0, w=layout.width, h=layout.height)
    except Exception as error:  # Pillow and fpdf2 raise many kinds for a damaged picture
        raise CertificateError(
            _("cannot use the background {file}: {error}").format(file=image, error=error)
        ) from None


def draw_border(pdf, layout: Layout) -> None:
    pdf.set_draw_color(*BORDER_COLOR)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, layout.width - 20, layout.height - 20)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, layout.width - 26, layout.height - 26)


def draw_text(pdf, fonts: _Fonts, block, fitted: Fitted, warnings: list[str], who: str) -> None:
    """One block's fitted text, each line from its left edge, fallback fonts
    for the characters the block's font lacks."""
    family = fonts.family_for(block)
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
    measure = fonts.measure(family)
    for line, left, top in placed(fitted, block):
        if not line.text:
            continue
        # the em box (what PDF text extraction reports) spans the font size,
        # from the descent below the baseline: its top sits at ``top``
        baseline = top + size_mm * (1 + descent)
        x = left
        for run_family, piece in fonts.runs(family, line.text):
            pdf.set_font(run_family, size=fitted.size)
            pdf.text(x, baseline, piece)
            x += measure(piece, fitted.size)


def _check_glyphs(fonts: _Fonts, certificates, layout: Layout, allow_missing: bool,
                  warnings: list[str]) -> None:
    """Every character of the certificates drawn: by its block's face, else by
    the next face of the chain (said in a warning); a character no face draws
    is an error naming it and its winner, or with ``allow_missing`` a warning
    (the character prints blank)."""
    cover(fonts, ((fonts.family_for(block), certificate.texts.get(block.name, ""),
                   certificate.recipient)
                  for certificate in certificates for block in layout.blocks),
          allow_missing, warnings)


def cover(fonts: _Fonts, uses, allow_missing: bool, warnings: list[str]) -> None:
    """Make sure each text is drawn whole. ``uses``: (family, text, who) for every
    text the document draws, ``who`` the winner (or the text) to name. Each
    face is asked only about the distinct characters it is to draw; those it
    does not draw get the next face of the chain (:func:`fonts.faces_drawing`:
    the document's faces, then installed ones), embedded as a fallback and said
    in a warning; a character no face draws raises :class:`CertificateError`
    (before anything is drawn, so a command refuses before issuing numbers),
    or with ``allow_missing`` is a warning and prints blank."""
    texts: dict[str, list[tuple[str, str]]] = {}
    for family, text, who in uses:
        if text:
            texts.setdefault(family, []).append((text, who))
    # character -> family that does not draw it -> who has it (the first five)
    lacking: dict[str, dict[str, list[str]]] = {}
    for family, items in texts.items():
        missing = fonts.undrawn(family, set().union(*(text for text, _who in items)))
        if not missing:
            continue
        for text, who in items:
            if missing.isdisjoint(text):
                continue
            for ch in missing.intersection(text):
                names = lacking.setdefault(ch, {}).setdefault(family, [])
                if who not in names and len(names) < 5:
                    names.append(who)
    if not lacking:
        return
    found = faces_drawing(lacking, [fonts.choices[family] for family in fonts.chain])
    for choice in dict.fromkeys(found.values()):
        fonts.add_fallback(choice)
    for ch in sorted(found):
        for family, names in lacking[ch].items():
            warnings.append(
                _("{character} (U+{code:04X}, in {recipients}) is not drawn by {font}: "
                  "drawn with {fallback}").format(
                    character=ch, code=ord(ch), recipients="、".join(names),
                    font=fonts.choices[family], fallback=found[ch]))
    missing = sorted(set(lacking) - set(found))
    if not missing:
        return
    described = "; ".join(
        _("{character} (U+{code:04X}) in {recipients}").format(
            character=ch, code=ord(ch),
            recipients="、".join(dict.fromkeys(
                who for names in lacking[ch].values() for who in names)))
        for ch in missing)
    if not allow_missing:
        raise CertificateError(
            _("no installed font draws {characters}: they would print blank. Install a "
              "fuller font (e.g. `apt-get install fonts-noto-cjk`, or on Windows "
              "SimSun-ExtB), give one with --font, or print anyway with "
              "--allow-missing-glyphs").format(characters=described))
    warnings.append(
        _("no installed font draws {characters}: printed blank (--allow-missing-glyphs)")
        .format(characters=described))


def output(pdf) -> bytes:
    """The PDF's bytes, without the libraries' own log lines on the terminal: fpdf2
    logs the glyphs a font lacks (:func:`cover` has said so, with the winner), and
    fontTools' subsetter the tables it drops from a face (AR PL's "BDF NOT subset":
    bitmaps a PDF does not use)."""
    for library in ("fpdf.output", "fontTools.subset"):
        logging.getLogger(library).setLevel(logging.ERROR)
    return bytes(pdf.output())


def _metadata(pdf, certificates, meta: dict[str, str]) -> None:
    pdf.set_title(meta.get("title") or "荣誉证书")
    if meta.get("issuer"):
        pdf.set_author(meta["issuer"])
    honours = list(dict.fromkeys(
        c.fields.get("honour", "") for c in certificates if c.fields.get("honour")))
    subject = "；".join(honours[:3]) + ("等" if len(honours) > 3 else "")
    pdf.set_subject(subject or "荣誉证书")
    pdf.set_keywords("荣誉证书")


def render_pdf(certificates, layout: Layout, font: FontChoice,
               background: Path | None = None, allow_missing: bool = False,
               meta: dict[str, str] | None = None) -> tuple[bytes, list[str]]:
    """The certificates, one page each; returns the PDF and any warnings.
    ``meta``: title and issuer for the PDF's properties.  Over a ``background``
    the layout's border and title are left out unless it asks for them
    (:meth:`~.layout.Layout.under_background`): the design has its own."""
    if background is not None:
        layout = layout.under_background()
    pdf = _new_pdf(layout)
    fonts = _Fonts(pdf, font, layout)
    warnings: list[str] = []
    _check_glyphs(fonts, certificates, layout, allow_missing, warnings)
    _metadata(pdf, certificates, meta or {})
    image = background if background and background.suffix.lower() in IMAGE_SUFFIXES else None

    def measure_for(block):
        return fonts.measure(fonts.family_for(block))

    by_name = {block.name: block for block in layout.blocks}
    for certificate in certificates:
        pdf.add_page()
        if image is not None:
            _draw_image(pdf, image, layout)
        if layout.border:
            draw_border(pdf, layout)
        who = _("certificate {number} ({recipient})").format(
            number=certificate.certificate, recipient=certificate.recipient
        )
        for name, fitted in fit_page(certificate.texts, layout, measure_for).items():
            draw_text(pdf, fonts, by_name[name], fitted, warnings, who)
    payload = output(pdf)
    if background is not None and image is None:
        payload = merge_background(payload, background, layout)
    return payload, warnings


def check_background(path: Path, layout: Layout | None = None) -> str | None:
    """Refuse a background that is missing or of an unknown type, and with
    ``layout`` one that is damaged or past the bounds (:mod:`.background`);
    returns a warning when its proportions differ from the paper's by more than
    1 % (it is stretched to the paper, so circles would print as ovals)."""
    if not path.exists():
        raise CertificateError(_("--background {path}: no such file").format(path=path))
    if path.suffix.lower() not in IMAGE_SUFFIXES + (".pdf",):
        raise CertificateError(
            _("--background {path}: give a .pdf, .png or .jpg file").format(path=path)
        )
    if layout is None:
        return None
    if path.suffix.lower() == ".pdf":
        width, height = read_design(path).box[2:]
    else:
        width, height = check_image(path)
    ratio, paper = width / height, layout.width / layout.height
    if abs(ratio / paper - 1) > 0.01:
        return _(
            "the background {file} is {width:g}×{height:g} (proportions {ratio:.3f}) but the "
            "paper is {paper_width:g}×{paper_height:g} mm ({paper:.3f}): it is stretched to "
            "the paper; redraw it at the paper's proportions"
        ).format(file=path, width=width, height=height, ratio=ratio,
                 paper_width=layout.width, paper_height=layout.height, paper=paper)
    return None


def merge_background(payload: bytes, background: Path, layout: Layout) -> bytes:
    """Put the first page of ``background`` under every page, scaled to the paper."""
    return merge_design(payload, read_design(background), (layout.width, layout.height))


def calibration_pdf(layout: Layout, font: FontChoice | None,
                    background: Path | None = None) -> bytes:
    """A millimetre grid over the whole paper, labelled every 10 mm, with the
    layout's blocks outlined, to measure where the blanks of pre-printed paper are.
    Over a ``background`` (the office's design, under the grid) it shows what
    prints over it: the blocks and border :func:`render_pdf` draws there."""
    if background is not None:
        layout = layout.under_background()
    pdf = _new_pdf(layout)
    pdf.add_page()
    image = background if background and background.suffix.lower() in IMAGE_SUFFIXES else None
    if image is not None:
        _draw_image(pdf, image, layout)
    if layout.border:
        draw_border(pdf, layout)
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
    # a 100 mm bar to check the printer does not scale the page, where no block is
    left, bar_y = scale_bar_place(layout)
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
    payload = output(pdf)
    if background is not None and image is None:
        payload = merge_background(payload, background, layout)
    return payload


#: The scale bar's box around its line: from 2 mm left of it to 2 mm right, 8 mm above to 6 below.
BAR_BOX = (-2.0, -8.0, 104.0, 14.0)


def scale_bar_place(layout: Layout) -> tuple[float, float]:
    """(left end, y) of the 100 mm bar such that its white box covers no block:
    the lowest free place, centred if it can be, else the least covered one."""
    dx, dy, box_w, box_h = BAR_BOX

    def overlap(left: float, y: float) -> float:
        x0, y0 = left + dx, y + dy
        total = 0.0
        for block in layout.blocks:
            w = min(x0 + box_w, block.x + block.width) - max(x0, block.x)
            h = min(y0 + box_h, block.y + block.height) - max(y0, block.y)
            if w > 0 and h > 0:
                total += w * h
        return total

    margin = 4.0
    lefts = [(layout.width - 100) / 2]
    step = 5.0
    x = margin - dx
    while x + dx + box_w <= layout.width - margin + 1e-9:
        lefts.append(x)
        x += step
    best = None
    y = layout.height - margin - (box_h + dy)
    while y + dy >= margin:
        for left in lefts:
            covered = overlap(left, y)
            if covered == 0:
                return left, y
            if best is None or covered < best[0]:
                best = (covered, left, y)
        y -= 1.0
    return (best[1], best[2]) if best else ((layout.width - 100) / 2, layout.height - 25)


def font_measure(font: FontChoice):
    """``measure(text, size) -> mm`` with ``font``, as the PDF sets text."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm")
    fonts = _Fonts(pdf, font, Layout(297, 210, "landscape", False))
    return fonts.measure(fonts.main)
