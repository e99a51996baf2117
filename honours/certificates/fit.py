"""Text that fits its block: the largest size, from the block's font size down
to its minimum, at which the text (wrapped where the block allows) stays inside
the block's width and height.  Only when nothing fits at the minimum does the
text go smaller (down to :data:`~.layout.ABSOLUTE_MIN_SIZE`), with a warning."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..i18n import _
from . import CertificateError
from .layout import ABSOLUTE_MIN_SIZE, Block

PT = 25.4 / 72  # millimetres in a point
#: Characters that may not start a line (kinsoku): closing punctuation.
NO_START = set("，。、：；！？）」』》〉】〕…—～·%,.;:!?)]}’”")
#: Characters that may not end a line: opening brackets and quotes, and the
#: middle dot of a minority name (阿依古丽·买买提 is never split at the dot).
NO_END = set("（「『《〈【〔([{‘“·")
#: Punctuation written as two characters that never part: —— and ……
NO_SPLIT = set("—…")
#: A paragraph's last line with this many characters or fewer is a widow (优秀提 / 案。).
WIDOW = 2
#: How far a block may shrink below its size to pull a widow back (10 %).
WIDOW_SHRINK = 0.9

Measure = Callable[[str, float], float]  # (text, size in pt) -> width in mm


@dataclass
class Line:
    text: str
    indent: float  # mm before the text (a paragraph's first-line indent)
    width: float  # mm, indent included
    paragraph: int = 0  # which paragraph of the block's text the line belongs to


@dataclass
class Fitted:
    size: float  # pt
    lines: list[Line] = field(default_factory=list)
    below_minimum: bool = False

    @property
    def size_mm(self) -> float:
        return self.size * PT


def _tokens(paragraph: str, words: Iterable[str] = ()) -> list[str]:
    """Break opportunities: between Chinese characters, and at spaces between
    words; each of ``words`` found in the paragraph (the names in a proposer
    line) is one token, never broken."""
    starts: dict[str, list[str]] = {}
    for word in sorted({word for word in words if len(word) > 1}, key=len, reverse=True):
        starts.setdefault(word[0], []).append(word)
    tokens: list[str] = []
    index = 0
    while index < len(paragraph):
        ch = paragraph[index]
        whole = next((word for word in starts.get(ch, ()) if paragraph.startswith(word, index)),
                     None)
        if whole is not None:
            tokens.append(whole)
            index += len(whole)
            continue
        if tokens and ch.isascii() and ch.isalnum() and tokens[-1][-1:].isascii() \
                and tokens[-1][-1:].isalnum():
            tokens[-1] += ch
        elif tokens and ch in NO_SPLIT and tokens[-1][-1:] == ch:
            tokens[-1] += ch
        else:
            tokens.append(ch)
        index += 1
    return tokens


def _may_break(before: str, after: str) -> bool:
    return not (after[0] in NO_START or after[0] in NO_SPLIT or before[-1] in NO_END)


def wrap(paragraph: str, size: float, width: float, first_indent: float,
         measure: Measure, words: Iterable[str] = ()) -> list[Line] | None:
    """Greedy line breaking with kinsoku; None if a single token is too wide.
    Widths add up token by token (CJK text is set without kerning).  ``words``
    are kept whole on one line (a name in a list of proposers) as long as each
    fits a line; one that does not is broken like any text."""
    if words:
        kept = _wrap(_tokens(paragraph, words), size, width, first_indent, measure)
        if kept is not None:
            return kept
    return _wrap(_tokens(paragraph), size, width, first_indent, measure)


def _wrap(tokens: list[str], size: float, width: float, first_indent: float,
          measure: Measure) -> list[Line] | None:
    lines: list[Line] = []
    known: dict[str, float] = {}
    for token in tokens:
        if token not in known:
            known[token] = measure(token, size)
    current: list[str] = []
    used = 0.0  # width of ``current``
    indent = first_indent
    for token in tokens:
        if not current and token == " " and lines:
            continue  # a space does not start a continuation line
        if indent + used + known[token] <= width or not current:
            current.append(token)
            used += known[token]
            if indent + used > width:
                return None
            continue
        # Break at the last place where the next line starts with no closing
        # punctuation (。” go with the character before them) and this line ends
        # with no opening one (《 goes with what follows); · is both.  Where no
        # place qualifies (punctuation only), break where the line is full.
        following = current + [token]
        keep = next(
            (k for k in range(len(current), 0, -1) if _may_break(following[k - 1], following[k])),
            len(current),
        )
        carry = current[keep:]
        current = current[:keep]
        text = "".join(current).rstrip(" ")
        lines.append(Line(text, indent, indent + measure(text, size)))
        indent = 0.0
        current = carry + [token]
        used = sum(known[part] for part in current)
        if used > width:
            return None
    text = "".join(current).rstrip(" ")
    lines.append(Line(text, indent, indent + measure(text, size)))
    return lines


def is_widow(lines: list[Line]) -> bool:
    """A paragraph of several lines whose last line holds one or two characters."""
    return len(lines) > 1 and len("".join(lines[-1].text.split())) <= WIDOW


def _balanced(paragraph: str, size: float, block: Block, indent: float,
              measure: Measure, lines: list[Line]) -> list[Line]:
    """The paragraph wrapped narrower, one character at a time, until its last
    line is no widow, on as many lines as before; else as it was."""
    step = size * PT
    width = block.width - step
    while width > step * 4:
        narrower = wrap(paragraph, size, width, indent, measure)
        if narrower is None or len(narrower) > len(lines):
            break
        if not is_widow(narrower):
            return narrower
        width -= step
    return lines


def layout_at(text: str, block: Block, size: float, measure: Measure,
              balance: bool = False) -> list[Line] | None:
    """The lines of ``text`` at ``size`` if they fit the block, else None;
    ``balance`` rewraps paragraphs that end in a widow a little narrower."""
    size_mm = size * PT
    lines: list[Line] = []
    for number, paragraph in enumerate(text.split("\n")):
        indent = block.indent * size_mm
        if block.wrap:
            wrapped = wrap(paragraph, size, block.width, indent, measure)
            if wrapped is None:
                return None
            if balance and is_widow(wrapped):
                wrapped = _balanced(paragraph, size, block, indent, measure, wrapped)
        else:
            wrapped = [Line(paragraph, indent, indent + measure(paragraph, size))]
        for line in wrapped:
            line.paragraph = number
        lines.extend(wrapped)
    if any(line.width > block.width + 1e-6 for line in lines):
        return None
    if text_height(len(lines), size_mm, block.line_height) > block.height + 1e-6:
        return None
    return lines


def has_widow(text: str, lines: list[Line]) -> bool:
    """Whether any paragraph set as ``lines`` ends in a widow."""
    paragraphs: dict[int, list[Line]] = {}
    for line in lines:
        paragraphs.setdefault(line.paragraph, []).append(line)
    return any(is_widow(group) for group in paragraphs.values())


def text_height(count: int, size_mm: float, line_height: float) -> float:
    """From the top of the first line's em box to the bottom of the last one's."""
    return size_mm * (1 + (count - 1) * line_height) if count else 0.0


def _without_widow(text: str, block: Block, size: float, lines: list[Line],
                   measure: Measure) -> Fitted:
    """Lines at ``size`` end in a widow: shrink by up to 10 % if that pulls it
    back, else balance the paragraph, else keep them (nothing better fits)."""
    smaller = round(size - 0.25, 2)
    while smaller >= max(size * WIDOW_SHRINK, ABSOLUTE_MIN_SIZE) - 1e-9:
        found = layout_at(text, block, smaller, measure)
        if found is not None and not has_widow(text, found):
            return Fitted(smaller, found, below_minimum=smaller < block.min_font_size)
        smaller = round(smaller - 0.25, 2)
    found = layout_at(text, block, size, measure, balance=True)
    if found is not None and not has_widow(text, found):
        return Fitted(size, found, below_minimum=size < block.min_font_size)
    return Fitted(size, lines, below_minimum=size < block.min_font_size)


def fit(text: str, block: Block, measure: Measure, largest: float | None = None) -> Fitted:
    """The largest size (at most ``largest``, default the block's) at which
    ``text`` fits, without a widow where shrinking slightly or balancing avoids one."""
    size = min(block.font_size, largest) if largest else block.font_size
    while size >= ABSOLUTE_MIN_SIZE - 1e-9:
        lines = layout_at(text, block, size, measure)
        if lines is not None:
            if has_widow(text, lines):
                return _without_widow(text, block, size, lines, measure)
            return Fitted(size, lines, below_minimum=size < block.min_font_size - 1e-9)
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


def fit_page(texts: dict[str, str], layout, measure_for) -> dict[str, Fitted]:
    """Each block's text fitted; blocks of one group (issuer and date) at the
    size of the one that had to shrink most, so that they stay one signature."""
    fitted: dict[str, Fitted] = {}
    for block in layout.blocks:
        text = texts.get(block.name, "")
        if text.strip():
            fitted[block.name] = fit(text, block, measure_for(block))
    groups: dict[str, list] = {}
    for block in layout.blocks:
        if block.group and block.name in fitted:
            groups.setdefault(block.group, []).append(block)
    for members in groups.values():
        smallest = min(fitted[b.name].size for b in members)
        for block in members:
            if fitted[block.name].size > smallest:
                fitted[block.name] = fit(texts[block.name], block, measure_for(block), smallest)
    return fitted


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
