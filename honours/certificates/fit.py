"""Text that fits its block: the largest size, from the block's font size down
to its minimum, at which the text (wrapped where the block allows) stays inside
the block's width and height.  Only when nothing fits at the minimum does the
text go smaller (down to :data:`~.layout.ABSOLUTE_MIN_SIZE`), with a warning."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..i18n import _
from . import CertificateError
from .layout import ABSOLUTE_MIN_SIZE, Block

PT = 25.4 / 72  # millimetres in a point
#: Characters that may not start a line (kinsoku): closing punctuation.
NO_START = set("，。、：；！？）」』》〉】〕…—～·%,.;:!?)]}’”")
#: Characters that may not end a line: opening brackets and quotes.
NO_END = set("（「『《〈【〔([{‘“")

Measure = Callable[[str, float], float]  # (text, size in pt) -> width in mm


@dataclass
class Line:
    text: str
    indent: float  # mm before the text (a paragraph's first-line indent)
    width: float  # mm, indent included


@dataclass
class Fitted:
    size: float  # pt
    lines: list[Line] = field(default_factory=list)
    below_minimum: bool = False

    @property
    def size_mm(self) -> float:
        return self.size * PT


def _tokens(paragraph: str) -> list[str]:
    """Break opportunities: between Chinese characters, and at spaces between words."""
    tokens: list[str] = []
    for ch in paragraph:
        if tokens and ch.isascii() and ch.isalnum() and tokens[-1][-1:].isascii() \
                and tokens[-1][-1:].isalnum():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def wrap(paragraph: str, size: float, width: float, first_indent: float,
         measure: Measure) -> list[Line] | None:
    """Greedy line breaking with kinsoku; None if a single token is too wide."""
    lines: list[Line] = []
    tokens = _tokens(paragraph)
    current: list[str] = []
    indent = first_indent

    def w(parts: list[str]) -> float:
        return measure("".join(parts), size)

    for token in tokens:
        if not current and token == " " and lines:
            continue  # a space does not start a continuation line
        if indent + w(current + [token]) <= width or not current:
            current.append(token)
            if indent + w(current) > width:
                return None
            continue
        carry: list[str] = []
        # keep closing punctuation with the character before it; opening ones with the next
        if token in NO_START and len(current) > 1:
            carry.insert(0, current.pop())
        while len(current) > 1 and current[-1] in NO_END:
            carry.insert(0, current.pop())
        text = "".join(current).rstrip(" ")
        lines.append(Line(text, indent, indent + measure(text, size)))
        indent = 0.0
        current = carry + [token]
        if w(current) > width:
            return None
    text = "".join(current).rstrip(" ")
    lines.append(Line(text, indent, indent + measure(text, size)))
    return lines


def layout_at(text: str, block: Block, size: float, measure: Measure) -> list[Line] | None:
    """The lines of ``text`` at ``size`` if they fit the block, else None."""
    size_mm = size * PT
    lines: list[Line] = []
    for paragraph in text.split("\n"):
        indent = block.indent * size_mm
        if block.wrap:
            wrapped = wrap(paragraph, size, block.width, indent, measure)
            if wrapped is None:
                return None
        else:
            wrapped = [Line(paragraph, indent, indent + measure(paragraph, size))]
        lines.extend(wrapped)
    if any(line.width > block.width + 1e-6 for line in lines):
        return None
    if text_height(len(lines), size_mm, block.line_height) > block.height + 1e-6:
        return None
    return lines


def text_height(count: int, size_mm: float, line_height: float) -> float:
    """From the top of the first line's em box to the bottom of the last one's."""
    return size_mm * (1 + (count - 1) * line_height) if count else 0.0


def fit(text: str, block: Block, measure: Measure) -> Fitted:
    size = block.font_size
    while size >= block.min_font_size - 1e-9:
        lines = layout_at(text, block, size, measure)
        if lines is not None:
            return Fitted(size, lines)
        size = round(size - 0.5, 2)
    size = min(block.min_font_size, size)
    while size >= ABSOLUTE_MIN_SIZE - 1e-9:
        lines = layout_at(text, block, size, measure)
        if lines is not None:
            return Fitted(size, lines, below_minimum=True)
        size = round(size - 0.5, 2)
    raise CertificateError(
        _(
            "the text of block {block!r} does not fit its {width:g}×{height:g} mm "
            "even at {size:g} pt: {text!r}; make the block larger in the layout"
        ).format(
            block=block.name, width=block.width, height=block.height, size=ABSOLUTE_MIN_SIZE,
            text=text,
        )
    )


def placed(fitted: Fitted, block: Block) -> list[tuple[Line, float, float]]:
    """Each line with the x of its text's left edge and the y of its em box's
    top, in mm from the paper's top-left corner."""
    size_mm = fitted.size_mm
    total = text_height(len(fitted.lines), size_mm, block.line_height)
    top = block.y
    if block.valign == "middle":
        top += (block.height - total) / 2
    elif block.valign == "bottom":
        top += block.height - total
    result = []
    for number, line in enumerate(fitted.lines):
        if block.align == "left":
            left = block.x
        elif block.align == "right":
            left = block.x + block.width - line.width
        else:
            left = block.x + (block.width - line.width) / 2
        result.append((line, left + line.indent, top + number * size_mm * block.line_height))
    return result
