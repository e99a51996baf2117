"""The roll as a PDF, laid out as offices print it: A4 portrait, the margins of
official documents (GB/T 9704: 37 mm top, 35 bottom, 28 left, 26 right), a
Chinese font embedded (the certificates' font search, fallback fonts for rare
characters), the title centred, headings numbered by depth, name grids whose
column count is the section's or fewer so that no name is ever broken, works
as numbered titles with their author line, and the page number centred at the
foot as "— 1 —".

Lines break by the Chinese rules of :func:`honours.certificates.fit.wrap`
(no closing punctuation at a line start, no opening one at a line end).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..certificates.fit import PT, Line, is_widow, wrap
from ..i18n import _
from .text import grid_names, work_proposer_line
from .view import ExportOptions, RollView, Section, fitting_columns

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
TOP, BOTTOM, LEFT, RIGHT = 37.0, 35.0, 28.0, 26.0
USABLE = PAGE_WIDTH - LEFT - RIGHT
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
LINE = 28 * PT  # fixed 28 pt line spacing, as in the Word export
COLUMN_GAP = 2 * BODY_SIZE * PT * 0.5  # one character between grid columns
FOOTER_FROM_BOTTOM = 20.0


@dataclass
class _Cursor:
    y: float = TOP


class _Roll:
    def __init__(self, view: RollView, options: ExportOptions):
        from fpdf import FPDF

        from ..certificates.fonts import resolve_font
        from ..certificates.layout import Layout
        from ..certificates.pdf import _Fonts

        roll = self

        class Document(FPDF):
            def footer(self):  # fpdf2 calls it when each page is finished
                roll.page_number()

        self.pdf = Document(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(LEFT, TOP, RIGHT)
        self.pdf.set_creator("honours")
        self.pdf.set_producer("honours (fpdf2)")
        self.fonts = _Fonts(self.pdf, resolve_font(options.font, None),
                            Layout(PAGE_WIDTH, PAGE_HEIGHT, "portrait", False))
        self.family = self.fonts.main
        self.measure = self.fonts.measure(self.family)
        self.options = options
        self.view = view
        self.cursor = _Cursor()
        self.warnings: list[str] = []

    # -- pages and lines ----------------------------------------------------------

    def page_number(self) -> None:
        self.pdf.set_font(self.family, size=14)
        self.pdf.set_text_color(0, 0, 0)
        text = f"— {self.pdf.page_no()} —"
        width = self.measure(text, 14)
        self.pdf.text((PAGE_WIDTH - width) / 2, PAGE_HEIGHT - FOOTER_FROM_BOTTOM, text)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.cursor.y = TOP

    def room_for(self, height: float) -> None:
        if self.cursor.y + height > PAGE_HEIGHT - BOTTOM + 1e-6:
            self.new_page()

    def font(self, family: str, size: float) -> None:
        """``pdf.set_font(family, size=size)``, skipped when that font is the
        current one already (set_font would change nothing then, but it costs
        more than drawing the text: 200,000 calls for a roll of 100,000 names)."""
        pdf = self.pdf
        key = family.lower()
        if (pdf.font_family == key and pdf.font_size_pt == size and pdf.font_style == ""
                and pdf.current_font is not None and pdf.current_font.fontkey == key
                and not pdf.underline and not pdf.strikethrough):
            return
        pdf.set_font(family, size=size)

    def baseline(self, size: float) -> float:
        """Where text of the current font at ``size`` sits for its em box's top
        to be at the cursor."""
        descent = self.pdf.current_font.desc.descent / 1000
        return self.cursor.y + (LINE - size * PT) / 2 + size * PT * (1 + descent)

    def draw(self, x: float, text: str, size: float) -> None:
        """Text whose em box's top is at the cursor."""
        self.font(self.family, size)
        baseline = self.baseline(size)
        runs = self.fonts.runs(self.family, text)
        current = self.family
        for number, (family, piece) in enumerate(runs, start=1):
            if family != current:
                self.font(family, size)
                current = family
            self.pdf.text(x, baseline, piece)
            if number < len(runs):
                x += self.measure(piece, size)

    def draw_row(self, lefts: list[float], texts: list[str], size: float) -> None:
        """Texts side by side on the cursor's line, each from its left: what
        :meth:`draw` does for each, with the font and the baseline settled once
        for the row (a roll of 100,000 names draws 100,000 of them)."""
        self.font(self.family, size)
        drawn = self.fonts.drawn[self.family]
        if not all(map(drawn.__contains__, map(ord, "".join(texts)))):
            for left, text in zip(lefts, texts):  # a fallback font draws some
                self.draw(left, text, size)
            return
        baseline = self.baseline(size)
        put = self.pdf.text
        for left, text in zip(lefts, texts):
            if text:
                put(left, baseline, text)

    def paragraph(self, text: str, size: float = BODY_SIZE, align: str = "left",
                  indent: float = 0.0, hanging: float = 0.0, keep: int = 1) -> None:
        """Wrapped text; ``hanging``: continuation lines start this far in
        (a numbered title's text lines up under its first word); ``keep``:
        lines of what follows that must share the page with this paragraph."""
        width = USABLE - indent
        lines = self._lines(text, size, width, hanging)
        narrower = width
        while is_widow(lines) and narrower > width * 0.8:
            # a title ending in a line of one or two characters: break it a
            # character earlier, as a typesetter would (balance the paragraph)
            narrower -= size * PT
            balanced = self._lines(text, size, narrower, hanging)
            if len(balanced) > len(lines):
                break
            lines = balanced
        self.room_for(LINE * (len(lines) + keep - 1))
        for number, line in enumerate(lines):
            content = line.text
            left = LEFT + indent + (hanging if number else 0.0)
            if align == "center":
                left = LEFT + (USABLE - self.measure(content, size)) / 2
            self.room_for(LINE)
            self.draw(left, content, size)
            self.cursor.y += LINE

    def _lines(self, text: str, size: float, width: float, hanging: float) -> list:
        lines = wrap(text, size, width, 0.0, self.measure) or [Line(text, 0.0, 0.0)]
        return self._hang(text, size, width, hanging) if hanging and len(lines) > 1 else lines

    def _hang(self, text: str, size: float, width: float, hanging: float):
        first = wrap(text, size, width, 0.0, self.measure)
        head = first[0].text
        rest = wrap(text[len(head):].lstrip(), size, width - hanging, 0.0, self.measure)
        return [first[0]] + (rest or [])

    # -- the roll ---------------------------------------------------------------------

    def grid(self, section: Section) -> None:
        names = grid_names(section, self.options.padding, self.options.with_affiliation)
        # Each name measured once: for the column count, then for its lines.
        widths = {name: self.measure(name, BODY_SIZE) for name in names}
        columns = fitting_columns(names, section.columns, USABLE, widths.__getitem__,
                                  COLUMN_GAP)
        column_width = USABLE / columns
        lefts = [LEFT + index * column_width for index in range(columns)]
        for start in range(0, len(names), columns):
            row = names[start:start + columns]
            cells = [self.name_lines(name, column_width, widths[name]) for name in row]
            if all(len(cell) == 1 for cell in cells):  # the common case: a line of names
                self.room_for(LINE)
                self.draw_row(lefts, [cell[0] for cell in cells], BODY_SIZE)
                self.cursor.y += LINE
                continue
            height = LINE * max(len(cell) for cell in cells)
            self.room_for(height)
            top = self.cursor.y
            for index, cell in enumerate(cells):
                self.cursor.y = top
                for line in cell:
                    self.draw(LEFT + index * column_width, line, BODY_SIZE)
                    self.cursor.y += LINE
            self.cursor.y = top + height

    def name_lines(self, name: str, width: float, measured: float) -> list[str]:
        """A name (``measured`` wide) in a grid column: a name wider than the page
        (only with one column) wraps by the rules; one that fits is its one line,
        as wrap() makes it, without wrap() (the margin covers wrap's adding up of
        widths a token at a time)."""
        if measured < width - 1e-6:
            return [name.rstrip(" ")]
        return [line.text for line in wrap(name, BODY_SIZE, width, 0.0, self.measure) or []]

    def section(self, section: Section) -> None:
        self.cursor.y += LINE * 0.5 if self.cursor.y > TOP else 0
        self.paragraph(section.heading, align="center" if section.depth == 0 else "left",
                       keep=2)
        if section.description:
            self.paragraph(section.description, indent=0)
        if section.kind == "work":
            for entry in section.entries:
                number = f"{entry.position}. "
                self.paragraph(number + entry.name, hanging=self.measure(number, BODY_SIZE),
                               keep=2 if entry.proposer else 1)
                if entry.proposer:
                    self.paragraph(work_proposer_line(section, entry, self.options),
                                   indent=self.measure("　", BODY_SIZE))
        elif section.entries:
            self.grid(section)
        for child in section.children:
            self.section(child)

    def render(self) -> bytes:
        from ..certificates.pdf import cover

        def uses():  # every text the roll draws, with the name to cite
            family = self.family
            yield family, "— 0123456789 —", _("page numbers")
            if self.view.printed_title:
                yield family, self.view.printed_title, self.view.printed_title
            for section in self.view.walk():
                yield family, section.heading, section.heading
                yield family, section.description, section.heading
                for entry in section.entries:
                    yield family, entry.name, entry.name
                    if entry.proposer:
                        yield (family, work_proposer_line(section, entry, self.options),
                               entry.name)
                    if self.options.with_affiliation:
                        yield family, entry.affiliation, entry.name

        cover(self.fonts, uses(), self.options.allow_missing_glyphs, self.warnings)
        pdf = self.pdf
        pdf.set_title(self.view.printed_title or (
            self.view.sections[0].title if self.view.sections else "光荣榜"))
        if self.view.settings.get("issuer"):
            pdf.set_author(self.view.settings["issuer"])
        pdf.set_subject("；".join(section.title for section in self.view.sections[:3]))
        pdf.set_lang("zh-CN")
        self.new_page()
        if self.view.printed_title:
            self.paragraph(self.view.printed_title, size=TITLE_SIZE, align="center", keep=2)
            self.cursor.y += LINE * 0.5
        for section in self.view.sections:
            self.section(section)
        logging.getLogger("fpdf.output").setLevel(logging.ERROR)
        return bytes(pdf.output())


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    roll = _Roll(view, options)
    payload = roll.render()
    options.warnings.extend(roll.warnings)
    return payload
