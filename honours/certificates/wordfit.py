"""One page per certificate of the office's Word template (``--docx-template``):
the filled copy's text is estimated as Word lays it out — each paragraph's
lines at the width its place gives it (the page's text width, a table cell, a
frame, a text box), by display width (:func:`honours.render.text.line_cells`)
at each run's font size — and where a filled value would push the copy past
its page (or out of its cell, frame or text box), the runs that hold the values
shrink, all by one factor, down to a floor; a copy that still does not fit is
refused, naming the winner and the placeholder, before any number is issued.

The estimate reads what the template states: page size and margins, the
document grid's line pitch, each paragraph's spacing, indents and line rule,
each run's size (its own, its style's, the document's default), table grids and
cell margins, frame and text-box sizes.  A line of Chinese text at "single"
spacing is taken as 1.3 times its font size, as Word and LibreOffice set the
common CJK faces.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from ..i18n import _
from ..render.text import line_cells
from . import CertificateError

PT = 25.4 / 72  # mm in a point
TWIP = 25.4 / 1440  # mm in a twip
EMU = 1 / 36000  # mm in an English metric unit
#: A "single" line of CJK text, as a multiple of its font size.
SINGLE = 1.3
#: Word's size for text no style sizes.
DEFAULT_SIZE = 10.0
#: The filled values shrink to at most this share of their size, and never below FLOOR_PT.
FLOOR_SHARE = 0.6
FLOOR_PT = 9.0
#: Shrinking steps, as a share of the template's size.
STEP = 0.025

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _number(element, attribute: str, default: float | None = None) -> float | None:
    if element is None:
        return default
    value = element.get(_w(attribute))
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class Page:
    """The text area of a section, in mm, and the document grid's line pitch."""

    width: float
    height: float
    pitch: float = 0.0  # mm; 0: no grid the lines snap to

    @classmethod
    def of(cls, section_properties) -> Page:
        size = section_properties.find(_w("pgSz")) if section_properties is not None else None
        margin = section_properties.find(_w("pgMar")) if section_properties is not None else None
        width = _number(size, "w", 11906) * TWIP
        height = _number(size, "h", 16838) * TWIP
        left, right = (_number(margin, k, 1800) * TWIP for k in ("left", "right"))
        top, bottom = (abs(_number(margin, k, 1440)) * TWIP for k in ("top", "bottom"))
        grid = section_properties.find(_w("docGrid")) if section_properties is not None else None
        pitch = 0.0
        if grid is not None and grid.get(_w("type")) in ("lines", "linesAndChars", "snapToChars"):
            pitch = _number(grid, "linePitch", 0) * TWIP
        return cls(width - left - right, height - top - bottom, pitch)


def page_for(section_properties, template_elements, styles: Styles) -> Page:
    """The section's text area, at least as tall as the unfilled template is
    estimated to be: where the estimate errs on the long side for the office's
    own design, only what the values add counts."""
    page = Page.of(section_properties)
    height = Estimate(styles, page).blocks_height(template_elements, page.width)
    return dataclasses.replace(page, height=max(page.height, height))


class Styles:
    """Font sizes and paragraph properties by style, as Word inherits them."""

    def __init__(self, styles_element):
        self.by_id = {}
        self.defaults_run = self.defaults_paragraph = None
        if styles_element is None:
            return
        for style in styles_element.iter(_w("style")):
            self.by_id[style.get(_w("styleId"))] = style
        defaults = styles_element.find(_w("docDefaults"))
        if defaults is not None:
            self.defaults_run = defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
            self.defaults_paragraph = defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}")
        self.default_paragraph_style = next(
            (s.get(_w("styleId")) for s in styles_element.iter(_w("style"))
             if s.get(_w("type")) == "paragraph" and s.get(_w("default")) in ("1", "true")),
            None)

    def _chain(self, style_id):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(_w("basedOn"))
            style_id = based.get(_w("val")) if based is not None else None

    def paragraph_style(self, paragraph) -> str | None:
        ppr = paragraph.find(_w("pPr"))
        style = ppr.find(_w("pStyle")) if ppr is not None else None
        return style.get(_w("val")) if style is not None else self.default_paragraph_style

    def run_size(self, run, paragraph) -> float:
        """A run's font size in points."""
        rpr = run.find(_w("rPr"))
        places = [rpr]
        if rpr is not None and rpr.find(_w("rStyle")) is not None:
            style_id = rpr.find(_w("rStyle")).get(_w("val"))
            places += [s.find(_w("rPr")) for s in self._chain(style_id)]
        places += [s.find(_w("rPr")) for s in self._chain(self.paragraph_style(paragraph))]
        places.append(self.defaults_run)
        for place in places:
            size = _number(place.find(_w("sz")) if place is not None else None, "val")
            if size:
                return size / 2
        return DEFAULT_SIZE

    def paragraph_property(self, paragraph, tag: str):
        """The paragraph's own ``tag`` (spacing, ind …) merged over its styles' and the default."""
        merged: dict[str, str] = {}
        ppr = paragraph.find(_w("pPr"))
        places = [ppr] + [s.find(_w("pPr")) for s in self._chain(self.paragraph_style(paragraph))]
        places.append(self.defaults_paragraph)
        for place in reversed(places):
            found = place.find(_w(tag)) if place is not None else None
            if found is not None:
                merged.update(found.attrib)
        return merged


@dataclass
class Overflow:
    """A place whose estimated text is taller than the room it has."""

    where: str  # "page", "table cell", "frame", "text box"
    excess: float  # mm
    paragraphs: list = field(default_factory=list)


def _runs_text(paragraph):
    """(run, [text segments split at line breaks]) of the paragraph itself, not its text boxes."""
    for run in paragraph.iter(_w("r")):
        if next(run.iterancestors(_w("p")), None) is not paragraph:
            continue
        pieces = [""]
        for child in run:
            if child.tag == _w("t"):
                pieces[-1] += child.text or ""
            elif child.tag == _w("tab"):
                pieces[-1] += "    "
            elif child.tag in (_w("br"), _w("cr")):
                pieces.append("")
        yield run, pieces


class Estimate:
    """Heights in mm of a copy's paragraphs and tables, and the places that overflow."""

    def __init__(self, styles: Styles, page: Page):
        self.styles = styles
        self.page = page
        self.overflows: list[Overflow] = []

    def lines(self, paragraph, width: float) -> tuple[int, float]:
        """How many lines the paragraph takes at ``width`` mm, and its largest font size."""
        ind = self.styles.paragraph_property(paragraph, "ind")
        left = float(ind.get(_w("left"), ind.get(_w("start"), 0)) or 0) * TWIP
        right = float(ind.get(_w("right"), ind.get(_w("end"), 0)) or 0) * TWIP
        first = float(ind.get(_w("firstLine"), 0) or 0) * TWIP
        first -= float(ind.get(_w("hanging"), 0) or 0) * TWIP
        available = max(width - left - right, 5.0)
        count, used, largest, started = 1, first, 0.0, False
        for run, pieces in _runs_text(paragraph):
            size = self.styles.run_size(run, paragraph)
            for number, piece in enumerate(pieces):
                if number:  # a line break
                    count, used = count + 1, 0.0
                for ch in piece:
                    one = line_cells(ch) / 2 * size * PT
                    if started and used + one > available + 1e-6:
                        count, used = count + 1, 0.0
                    used += one
                    started = True
                if piece.strip():
                    largest = max(largest, size)
        if not largest:
            mark = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
            size = _number(mark.find(_w("sz")) if mark is not None else None, "val")
            largest = size / 2 if size else self.styles.run_size(paragraph, paragraph)
        return count, largest

    def paragraph_height(self, paragraph, width: float) -> float:
        count, size = self.lines(paragraph, width)
        spacing = self.styles.paragraph_property(paragraph, "spacing")
        rule = spacing.get(_w("lineRule"), "auto")
        line = float(spacing.get(_w("line"), 240) or 240)
        natural = size * SINGLE * PT
        if rule == "exact":
            height = line / 20 * PT
        elif rule == "atLeast":
            height = max(line / 20 * PT, natural)
        else:
            height = natural * line / 240
            if self.page.pitch and rule == "auto":
                height = math.ceil(height / self.page.pitch - 1e-6) * self.page.pitch
        before = float(spacing.get(_w("before"), 0) or 0) * TWIP
        after = float(spacing.get(_w("after"), 0) or 0) * TWIP
        return before + count * height + after

    def _framed(self, paragraph):
        ppr = paragraph.find(_w("pPr"))
        return ppr.find(_w("framePr")) if ppr is not None else None

    def blocks_height(self, elements, width: float) -> float:
        """The height the elements take in the flow at ``width`` mm; frames and
        text boxes are checked against their own sizes on the way."""
        total = 0.0
        frame_group: list = []
        frame_of = None
        for element in elements:
            if element.tag == _w("sdt"):
                content = element.find(_w("sdtContent"))
                total += self.blocks_height(list(content) if content is not None else [], width)
                continue
            if element.tag == _w("tbl"):
                total += self.table_height(element)
                continue
            if element.tag != _w("p"):
                continue
            self._text_boxes(element)
            frame = self._framed(element)
            if frame is not None:
                if frame_of is not None and dict(frame.attrib) == dict(frame_of.attrib):
                    frame_group.append(element)
                else:
                    self._check_frame(frame_of, frame_group)
                    frame_of, frame_group = frame, [element]
                continue
            self._check_frame(frame_of, frame_group)
            frame_of, frame_group = None, []
            total += self.paragraph_height(element, width)
        self._check_frame(frame_of, frame_group)
        return total

    def _check_frame(self, frame, paragraphs) -> None:
        if frame is None or not paragraphs:
            return
        width = _number(frame, "w", 0) * TWIP or self.page.width
        height = sum(self.paragraph_height(p, width) for p in paragraphs)
        room = _number(frame, "h", 0) * TWIP
        if frame.get(_w("hRule")) != "exact" or not room:
            room = self.page.height  # a frame grows, up to the page
        if height > room + 0.5:
            self.overflows.append(Overflow("frame", height - room, paragraphs))

    def _text_boxes(self, paragraph) -> None:
        for box in paragraph.iter(f"{{{_WPS}}}txbx"):
            if any(a.tag == f"{{{_MC}}}Fallback" for a in box.iterancestors()):
                continue
            shape = next(box.iterancestors(f"{{{_WPS}}}wsp"), None)
            holder = next((a for a in box.iterancestors()
                           if a.tag in (f"{{{_WP}}}anchor", f"{{{_WP}}}inline")), None)
            extent = holder.find(f"{{{_WP}}}extent") if holder is not None else None
            if extent is None:
                continue
            insets = shape.find(f"{{{_WPS}}}bodyPr") if shape is not None else None

            def inset(key: str, default: int, insets=insets) -> float:
                value = insets.get(key) if insets is not None else None
                return float(value if value is not None else default) * EMU

            width = float(extent.get("cx", 0)) * EMU - inset("lIns", 91440) - inset("rIns", 91440)
            room = float(extent.get("cy", 0)) * EMU - inset("tIns", 45720) - inset("bIns", 45720)
            content = box.find(_w("txbxContent"))
            if content is None:
                continue
            inner = Estimate(self.styles, Page(width, room, 0.0))
            height = inner.blocks_height(list(content), width)
            self.overflows += inner.overflows
            grows = insets is not None and insets.find(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}spAutoFit") is not None
            if height > room + 0.5 and not grows:
                self.overflows.append(Overflow("text box", height - room,
                                               list(content.iter(_w("p")))))

    def table_height(self, table) -> float:
        grid = [(_number(col, "w", 0) or 0) * TWIP for col in table.iter(_w("gridCol"))
                if next(col.iterancestors(_w("tbl"))) is table]
        margins = table.find(f"{_w('tblPr')}/{_w('tblCellMar')}")

        def margin(side: str, default: float) -> float:
            found = margins.find(_w(side)) if margins is not None else None
            return (_number(found, "w", default) or 0) * TWIP

        left = margin("left", 108) if margins is None or margins.find(_w("left")) is not None \
            else margin("start", 108)
        right = margin("right", 108) if margins is None or margins.find(_w("right")) is not None \
            else margin("end", 108)
        total = 0.0
        for row in table.findall(_w("tr")):
            column, tallest, cells = 0, 0.0, []
            for cell in row.findall(_w("tc")):
                span_element = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
                span = int(_number(span_element, "val", 1) or 1)
                width = sum(grid[column:column + span]) if grid else 0.0
                declared = cell.find(f"{_w('tcPr')}/{_w('tcW')}")
                if not width and declared is not None and declared.get(_w("type")) == "dxa":
                    width = (_number(declared, "w", 0) or 0) * TWIP
                column += span
                inner = max((width or self.page.width) - left - right, 5.0)
                height = self.blocks_height(list(cell), inner)
                cells.append(cell)
                tallest = max(tallest, height)
            rule_element = row.find(f"{_w('trPr')}/{_w('trHeight')}")
            declared = (_number(rule_element, "val", 0) or 0) * TWIP
            if rule_element is not None and rule_element.get(_w("hRule")) == "exact":
                if tallest > declared + 0.5:
                    self.overflows.append(Overflow(
                        "table cell", tallest - declared,
                        [p for c in cells for p in c.iter(_w("p"))]))
                total += declared
            else:
                total += max(tallest, declared)
        return total

    def check(self, elements) -> list[Overflow]:
        self.overflows = []
        height = self.blocks_height(elements, self.page.width)
        if height > self.page.height + 0.5:
            self.overflows.append(Overflow("page", height - self.page.height, [
                p for e in elements for p in e.iter(_w("p"))]))
        return self.overflows


def _set_size(run, size: float) -> None:
    from docx.oxml import OxmlElement

    rpr = run.find(_w("rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run.insert(0, rpr)
    half_points = str(max(1, int(size * 2)))
    for tag in ("sz", "szCs"):
        element = rpr.find(_w(tag))
        if element is None:
            element = OxmlElement(f"w:{tag}")
            rpr.append(element)
        element.set(_w("val"), half_points)


def _scale_exact_spacing(paragraph, factor: float, original: dict) -> None:
    """An exact line height shrinks with the text it holds (32 pt lines for 20 pt
    text stay 1.6 lines at 12 pt)."""
    spacing = paragraph.find(f"{_w('pPr')}/{_w('spacing')}")
    if spacing is None or spacing.get(_w("lineRule")) not in ("exact", "atLeast"):
        return
    line = original.setdefault(id(spacing), float(spacing.get(_w("line"), 240)))
    spacing.set(_w("line"), str(max(1, round(line * factor))))


def keep_on_one_page(elements, holders, styles: Styles, page: Page, who: str) -> None:
    """Shrink the values the copy was filled with until its estimate fits its
    page and every cell, frame and text box; else refuse.  ``holders``: (paragraph,
    run, placeholder as written) for each value filled in."""
    estimate = Estimate(styles, page)
    overflows = estimate.check(elements)
    if not overflows:
        return
    runs = list({id(run): (paragraph, run, name) for paragraph, run, name in holders}.values())
    sizes = {id(run): styles.run_size(run, paragraph) for paragraph, run, _name in runs}
    spacing: dict = {}
    factor = 1.0
    while overflows:
        crowded = {id(p) for overflow in overflows for p in overflow.paragraphs}
        shrinking = [(p, r, n) for p, r, n in runs if id(p) in crowded]
        wrapped = [(p, r, n) for p, r, n in shrinking if estimate.lines(p, page.width)[0] > 1]
        shrinking = wrapped or shrinking  # the values that wrap first: a short name keeps its size
        floor = max((max(FLOOR_PT, sizes[id(r)] * FLOOR_SHARE) / sizes[id(r)]
                     for _p, r, _n in shrinking), default=1.0)
        if not shrinking or factor - STEP < floor - 1e-9:
            names = list(dict.fromkeys(n for p, _r, n in runs if id(p) in crowded))
            raise CertificateError(
                _("the certificate for {who} does not fit on one page of the Word template: "
                  "{fields} is too long for its {place} even at {share:.0%} of its size; "
                  "shorten it (e.g. `honours category edit CATEGORY --honour …`) or give it "
                  "more room in the template").format(
                    who=who, fields="、".join(names) or _("the text"),
                    place=_place(overflows[0].where), share=floor)
            )
        factor -= STEP
        for _paragraph, run, _name in shrinking:
            _set_size(run, sizes[id(run)] * factor)
        for paragraph in {id(p): p for p, _r, _n in shrinking}.values():
            _scale_exact_spacing(paragraph, factor, spacing)
        overflows = estimate.check(elements)


def _place(where: str) -> str:
    return {"page": _("page"), "table cell": _("table cell"), "frame": _("frame"),
            "text box": _("text box")}[where]
