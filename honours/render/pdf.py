"""The roll as a PDF, laid out as GB/T 9704-2012 sets official documents: A4
portrait, the text block 156 × 225 mm (margins 37 mm top, 35 bottom, 28 left,
26 right) on 22 lines; the faces of :mod:`honours.certificates.font_roles` (the
title in 2号 小标宋, headings in 3号 黑体 then 楷体, the body in 3号 仿宋,
fallback fonts for rare characters); the title centred, headings numbered by
depth; name grids at the section's column count, a long name spanning as many
cells as it needs; works as numbered titles with their author line, kept on one
page, wrapped lines hanging under the first character of the text; the page
number "— 1 —" in 4号 宋体 with its dashes 7 mm below the text block, on the
outer side one character in (odd pages right, even pages left).

Lines break by the Chinese rules of :func:`honours.certificates.fit.wrap`
(no closing punctuation at a line start, no opening one at a line end).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..certificates.fit import PT, Line, is_widow, wrap
from ..certificates.font_roles import (
    BODY,
    PAGE_NUMBER,
    PAGE_NUMBER_BELOW,
    SPECS,
    TITLE,
    heading_role,
)
from ..i18n import _
from ..recipients import split_proposers
from .grid import fixed_columns
from .text import grid_names, work_proposer_line
from .view import ExportOptions, RollView, Section

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
TOP, BOTTOM, LEFT, RIGHT = 37.0, 35.0, 28.0, 26.0
USABLE = PAGE_WIDTH - LEFT - RIGHT
BODY_SIZE = SPECS[BODY].size  # 三号
TITLE_SIZE = SPECS[TITLE].size  # 二号
PAGE_NUMBER_SIZE = SPECS[PAGE_NUMBER].size  # 四号
LINES_A_PAGE = 22
LINE = (PAGE_HEIGHT - TOP - BOTTOM) / LINES_A_PAGE  # the standard's 22 lines: 28.99 pt
COLUMN_GAP = 2 * BODY_SIZE * PT * 0.5  # one character between grid columns
#: Where the dash's top is, above the baseline, in em, for a font whose dash
#: cannot be measured: about the middle of a Chinese character.
DASH_TOP = 0.42



class _RoleFamilies(dict):
    """role -> the family of its embedded face, embedded on first use."""

    def __init__(self, fonts, faces) -> None:
        super().__init__()
        self.fonts, self.faces = fonts, faces

    def __missing__(self, role: str) -> str:
        family = self[role] = self.fonts.embed(self.faces[role])
        return family


@dataclass
class _Cursor:
    y: float = TOP


class _Roll:
    def __init__(self, view: RollView, options: ExportOptions):
        from fpdf import FPDF

        from ..certificates.font_roles import resolve_roles
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
        self.faces = resolve_roles(options.fonts, *options.layout_fonts())
        self.fonts = _Fonts(self.pdf, self.faces[BODY],
                            Layout(PAGE_WIDTH, PAGE_HEIGHT, "portrait", False))
        self.family = self.fonts.main
        self.measure = self.fonts.measure(self.family)
        # each role's face embedded once (roles sharing a face share it), when the
        # roll first uses the role: a face costs ~0.45 s to load, and a roll
        # without 1. headings never needs the 楷体
        self.role = _RoleFamilies(self.fonts, self.faces)
        self._measures = {}
        self.options = options
        self.view = view
        self.cursor = _Cursor()
        self.warnings: list[str] = []

    # -- faces ----------------------------------------------------------------------------

    def runs(self, family: str, text: str) -> list[tuple[str, str]]:
        """(family, text) pieces of ``text`` in a role's face: what the face does
        not draw, the body's face does (or its fallbacks)."""
        if family == self.family:
            return self.fonts.runs(family, text)
        drawn = self.fonts.drawn[family]
        if all(map(drawn.__contains__, map(ord, text))):
            return [(family, text)]
        pieces: list[tuple[str, str]] = []
        draws = self.fonts.draws
        for has, group in itertools.groupby(text, lambda ch: ch.isspace() or draws(family, ch)):
            part = "".join(group)
            for each, piece in ([(family, part)] if has else self.fonts.runs(self.family, part)):
                if pieces and pieces[-1][0] == each:
                    pieces[-1] = (each, pieces[-1][1] + piece)
                else:
                    pieces.append((each, piece))
        return pieces

    def measure_in(self, family: str):
        """``measure(text, size)`` of text in ``family`` as :meth:`runs` draws it."""
        if family == self.family:
            return self.measure
        if family not in self._measures:
            widths = {}

            def width(text: str, size: float) -> float:
                total = 0.0
                for each, piece in self.runs(family, text):
                    if each not in widths:
                        widths[each] = self.fonts.measure(each)
                    total += widths[each](piece, size)
                return total

            self._measures[family] = width
        return self._measures[family]

    def dash_top(self, family: str) -> float:
        """The top of the face's 一字线 (U+2014) above the baseline, in em."""
        try:
            from fontTools.pens.boundsPen import BoundsPen

            font = self.pdf.fonts[family].ttfont
            glyphs = font.getGlyphSet()
            name = font.getBestCmap()[0x2014]
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            if pen.bounds is None:
                return DASH_TOP
            return pen.bounds[3] / font["head"].unitsPerEm
        except Exception:  # no dash, or a font fontTools cannot draw: about mid-character
            return DASH_TOP

    # -- pages and lines ----------------------------------------------------------

    def page_number(self) -> None:
        """— n — in 4号 宋体, its dashes 7 mm below the text block; odd pages at
        the right, even pages at the left, one character in (GB/T 9704 7.5)."""
        family, size = self.role[PAGE_NUMBER], PAGE_NUMBER_SIZE
        number = self.pdf.page_no()
        text = f"— {number} —"
        width = self.measure_in(family)(text, size)  # measuring may set another size
        one = size * PT
        left = LEFT + USABLE - one - width if number % 2 else LEFT + one
        if not hasattr(self, "_dash"):
            self._dash = self.dash_top(family)
        baseline = PAGE_HEIGHT - BOTTOM + PAGE_NUMBER_BELOW + self._dash * size * PT
        self.pdf.set_text_color(0, 0, 0)
        self.put(left, baseline, text, size, family)

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

    def draw(self, x: float, text: str, size: float, family: str | None = None) -> None:
        """Text whose em box's top is at the cursor (in the body's face, or ``family``)."""
        family = family or self.family
        self.font(family, size)
        self.put(x, self.baseline(size), text, size, family)

    def put(self, x: float, baseline: float, text: str, size: float, family: str) -> None:
        """Text from ``x`` on ``baseline``, each piece in the face that draws it."""
        runs = self.runs(family, text)
        for number, (each, piece) in enumerate(runs, start=1):
            self.font(each, size)
            self.pdf.text(x, baseline, piece)
            if number < len(runs):
                x += self.fonts.measure(each)(piece, size)

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

    def lines_of(self, text: str, size: float = BODY_SIZE, indent: float = 0.0,
                 hanging: float = 0.0, family: str | None = None,
                 words: tuple[str, ...] = ()) -> list[Line]:
        """The lines :meth:`paragraph` sets ``text`` in (``words`` kept whole)."""
        measure = self.measure_in(family or self.family)
        width = USABLE - indent
        lines = self._lines(text, size, width, hanging, measure, words)
        narrower = width
        while is_widow(lines) and narrower > width * 0.8:
            # a title ending in a line of one or two characters: break it a
            # character earlier, as a typesetter would (balance the paragraph)
            narrower -= size * PT
            balanced = self._lines(text, size, narrower, hanging, measure, words)
            if len(balanced) > len(lines):
                break
            lines = balanced
        return lines

    def paragraph(self, text: str, size: float = BODY_SIZE, align: str = "left",
                  indent: float = 0.0, hanging: float = 0.0, keep: int = 1,
                  family: str | None = None, words: tuple[str, ...] = ()) -> None:
        """Wrapped text; ``hanging``: continuation lines start this far in
        (a numbered title's text lines up under its first word); ``keep``:
        lines of what follows that must share the page with this paragraph."""
        family = family or self.family
        lines = self.lines_of(text, size, indent, hanging, family, words)
        self.room_for(LINE * (len(lines) + keep - 1))
        for number, line in enumerate(lines):
            content = line.text
            left = LEFT + indent + (hanging if number else 0.0)
            if align == "center":
                left = LEFT + (USABLE - self.measure_in(family)(content, size)) / 2
            self.room_for(LINE)
            self.draw(left, content, size, family)
            self.cursor.y += LINE

    def _lines(self, text: str, size: float, width: float, hanging: float,
               measure=None, words: tuple[str, ...] = ()) -> list:
        measure = measure or self.measure
        lines = wrap(text, size, width, 0.0, measure, words) or [Line(text, 0.0, 0.0)]
        if hanging and len(lines) > 1:
            head = lines[0].text
            rest = wrap(text[len(head):].lstrip(), size, width - hanging, 0.0, measure, words)
            return [lines[0]] + (rest or [])
        return lines

    # -- the roll ---------------------------------------------------------------------

    def grid(self, section: Section) -> None:
        """The section's names at its column count; a name wider than its cell
        spans as many as it needs, and the names after it continue beside it."""
        names = grid_names(section, self.options.padding, self.options.with_affiliation)
        # Each name measured once: for its span, then for its lines.
        widths = {name: self.measure(name, BODY_SIZE) for name in names}
        columns = max(1, section.columns)
        cell = USABLE / columns
        for row in fixed_columns(names, columns, USABLE, widths.__getitem__, COLUMN_GAP):
            lefts = [LEFT + place.column * cell for place in row]
            cells = [self.name_lines(place.name, place.span * cell, widths[place.name])
                     for place in row]
            if all(len(lines) == 1 for lines in cells):  # the common case: a line of names
                self.room_for(LINE)
                self.draw_row(lefts, [lines[0] for lines in cells], BODY_SIZE)
                self.cursor.y += LINE
                continue
            height = LINE * max(len(lines) for lines in cells)
            self.room_for(height)
            top = self.cursor.y
            one = BODY_SIZE * PT
            for left, lines in zip(lefts, cells):
                self.cursor.y = top
                for number, line in enumerate(lines):
                    # a wrapped name's further lines one character in: never read
                    # as the next name
                    self.draw(left + (one if number else 0.0), line, BODY_SIZE)
                    self.cursor.y += LINE
            self.cursor.y = top + height

    def name_lines(self, name: str, width: float, measured: float) -> list[str]:
        """A name (``measured`` wide) in its cells, ``width`` wide: a name wider
        than the whole row wraps by the rules, its further lines a character
        narrower (they start one in); one that fits is its one line, as wrap()
        makes it, without wrap() (the margin covers wrap's adding up of widths a
        token at a time)."""
        if measured < width - 1e-6:
            return [name.rstrip(" ")]
        return [line.text for line in self._lines(name, BODY_SIZE, width, BODY_SIZE * PT)]

    def section(self, section: Section) -> None:
        self.cursor.y += LINE * 0.5 if self.cursor.y > TOP else 0
        self.paragraph(section.heading, align="center" if section.depth == 0 else "left",
                       keep=2, family=self.role[heading_role(section.depth)])
        if section.description:
            self.paragraph(section.description, indent=0)
        if section.kind == "work":
            one = self.measure("　", BODY_SIZE)
            for entry in section.entries:
                number = f"{entry.position}. "
                title_hang = self.measure(number, BODY_SIZE)
                if not entry.proposer:
                    self.paragraph(number + entry.name, hanging=title_hang)
                    continue
                line = work_proposer_line(section, entry, self.options)
                label = line[:line.index("：") + 1]  # ■ 提案者：
                hang = self.measure(label, BODY_SIZE)
                names = tuple(split_proposers(line[len(label):]))  # each kept on one line
                proposer = self.lines_of(line, indent=one, hanging=hang, words=names)
                # the title and its whole proposer line on one page
                self.paragraph(number + entry.name, hanging=title_hang,
                               keep=1 + len(proposer))
                self.paragraph(line, indent=one, hanging=hang, words=names)
        elif section.entries:
            self.grid(section)
        for child in section.children:
            self.section(child)

    def render(self) -> bytes:
        from ..certificates.pdf import cover, output

        def uses():  # every text the roll draws, in its role's face, with the name to cite
            family = self.family
            yield self.role[PAGE_NUMBER], "— 0123456789 —", _("page numbers")
            if self.view.printed_title:
                yield self.role[TITLE], self.view.printed_title, self.view.printed_title
            for section in self.view.walk():
                yield (self.role[heading_role(section.depth)], section.heading,
                       section.heading)
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
            self.paragraph(self.view.printed_title, size=TITLE_SIZE, align="center", keep=2,
                           family=self.role[TITLE])
            self.cursor.y += LINE * 0.5
        for section in self.view.sections:
            self.section(section)
        return output(pdf)


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    roll = _Roll(view, options)
    payload = roll.render()
    options.warnings.extend(roll.warnings)
    return payload
