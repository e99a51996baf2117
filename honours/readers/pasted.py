"""Text as clerks paste it: the one reader of names for every command.

``add -``, the ``add`` prompt, ``sort``, ``check``, ``explain`` and ``import``
all read names through this module, so a line means the same everywhere
(docs/pasted-text.md has the rules with examples):

* cells are separated by tabs, by runs of two or more spaces (ASCII, U+3000 or
  no-break), and, in lists of people, by 、，,;；;
* a single space inside a two-character name is padding ("马 罡", "马　罡");
* a leading list number (1. 1、 （1） 一、 ①) or bullet is not part of a name;
* headings ("1. 市、区政协委员（37名，按姓氏笔画排序）", "优秀教师：", a title
  followed by a heading) are recognised and never taken as entries; a heading
  may declare the list's order and count, also on a line of its own
  （按姓氏笔画为序）;
* "■ 提案者：…" under a numbered title gives that work's proposer;
* in a row of names every cell is a name: a cell beside a name is that person's
  affiliation only when it ends as an organisation's name does (福州一中, 浙江大学:
  :mod:`honours.unitnames`); a name that looks unlike one (青格勒吉日格乐, 王　小　明,
  one character) is kept and recorded as a :class:`~honours.readers.doubts.Doubt`
  on its section; whatever is read and is not an entry (headings, notes, a header
  row, 序号 numbers, empty cells) is counted in :attr:`Document.skipped`.

The module is long because it is the one reader of every layout of names (the
rules above interact: a heading, a note and a row of names are told apart by
the same line tests), kept in one place so that no command reads a line another way.

Everything here is pure and runs in linear time on any line (no regular
expression with nested or adjacent unbounded quantifiers): no I/O, no
database.  A document is given as :class:`SourceLine` objects, each one a row of
cells with the place it came from, so a .txt line, a Word table row and an
Excel row are read by the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

from ..collation import display_form, is_han
from ..collation.names import _ANNOTATION
from ..unitnames import looks_like_unit
from .doubts import (
    LATIN,
    LETTER_SPACED,
    LONG,
    MIXED,
    SINGLE,
    SPACED_RUN,
    Doubt,
    doubt_of,
    plain_doubt_pattern,
)

#: Whitespace that pads or separates cells: ASCII space, ideographic space, no-break space.
PADDING = " \u3000\u00a0"
#: What separates entries in a list of people besides tabs and wide gaps.
NAME_SEPARATORS = "、，,;；"
#: Characters that mark a list item, stripped from the start of a line or cell.
BULLETS = "■□●○◆◇▪▫•·◎★☆-—*"

_CHINESE_NUMERALS = "一二三四五六七八九十百零〇"
#: A list number at the start of a line; bounded quantifiers only (linear).
_LIST_NUMBER = re.compile(
    rf"(?:[{_CHINESE_NUMERALS}]{{1,4}}[、．.]"
    rf"|[(（][{_CHINESE_NUMERALS}]{{1,4}}[)）]"
    r"|\d{1,4}[.．、](?!\d)"
    r"|[(（]\d{1,4}[)）]"
    r"|[①-⑳⑴-⒇⒈-⒛])"
)
#: A count in a heading: 37名, 共16家, 12 件.
_COUNT = re.compile(r"共?(\d{1,7}) ?([名家件个项人篇部位])")
#: The proposer of a work, on the line after its title.
_PROPOSER_LABELS = ("提案者", "提案人", "申报人", "申报单位", "作者")

#: Depth of a heading by its number style, in the order official documents nest
#: them: 一、 → （一） → 1. → （1） → ①; an unnumbered heading is a top level.
_DEPTH_CHINESE, _DEPTH_CHINESE_PAREN, _DEPTH_ARABIC = 1, 2, 3
_DEPTH_ARABIC_PAREN, _DEPTH_CIRCLED = 4, 5

#: An office on a line of its own heads the names below it (主席, 副主席, 秘书长 …).
_OFFICE = re.compile(
    r"(?:副|名誉|常务|执行|荣誉)?(?:主席|主任|秘书长|委员|常委|书记|会长|理事长|理事|院长|校长"
    r"|部长|成员|顾问|组长|队长|团长|社长|董事长|董事|监事长|监事|总经理|主编)"
)

#: Measure word → what a list holds.
KIND_BY_MEASURE = {
    "名": "person", "人": "person", "位": "person",
    "家": "unit", "个": "unit",
    "件": "work", "篇": "work", "项": "work", "部": "work",
}


# ------------------------------------------------------------------ declared order


def declared_rule(text: str) -> str | None:
    """The ordering rule a heading or note declares, or None.

    按姓氏笔画排序 / 以姓氏笔画为序 / 按姓氏笔划排列 → ``stroke``; 按姓名笔画排序 →
    ``stroke-fullname``; 按姓氏拼音(字母)排序 / 按音序 → ``pinyin``; 排名不分先后 →
    ``manual``.  Plain substring tests: linear, and tolerant of the many
    wordings offices use.
    """
    squeezed = "".join(text.split()).replace("笔划", "笔画")
    if "不分先后" in squeezed or "排名不分" in squeezed:
        return "manual"
    if not any(word in squeezed for word in ("序", "排列", "排名", "为准")) and not any(
        squeezed.startswith(lead) for lead in ("按", "以", "依")
    ):
        return None
    if "拼音" in squeezed or "音序" in squeezed or "字母" in squeezed:
        return "pinyin"
    if "笔画" in squeezed:
        return "stroke-fullname" if "姓名笔画" in squeezed else "stroke"
    return None


# ------------------------------------------------------------------ headings


@dataclass
class Heading:
    """A heading line: its number, title and what it declares."""

    title: str
    number: str = ""
    count: int | None = None
    measure: str | None = None
    rule: str | None = None
    strong: bool = False  # certainly a heading: numbered 一、, a count or order, a colon
    display: str = ""  # the heading line as read

    @property
    def depth(self) -> int:
        number = self.number
        if not number:
            return 0
        if number[0] in "(（":
            return _DEPTH_CHINESE_PAREN if number[1] in _CHINESE_NUMERALS else _DEPTH_ARABIC_PAREN
        if number[0] in _CHINESE_NUMERALS:
            return _DEPTH_CHINESE
        if number[0].isdigit():
            return _DEPTH_ARABIC
        return _DEPTH_CIRCLED

    @property
    def kind(self) -> str | None:
        return KIND_BY_MEASURE.get(self.measure or "")

    @property
    def is_first_number(self) -> bool:
        """一、 1. （1） ①: the first of a numbered series, which opens a group."""
        digits = "".join(ch for ch in self.number if ch.isdigit() or ch in _CHINESE_NUMERALS)
        return digits in ("1", "一") or self.number.startswith(("①", "⑴", "⒈"))


def strip_list_number(text: str) -> tuple[str, str]:
    """(number, rest): a leading list number or bullet and the text after it."""
    stripped = text.lstrip(PADDING + "\t")
    if stripped[:1] and stripped[0] in BULLETS and not stripped.startswith("——"):
        return stripped[0], stripped[1:].lstrip(PADDING)
    match = _LIST_NUMBER.match(stripped)
    if not match:
        return "", stripped
    return match.group(0).replace(" ", ""), stripped[match.end():].lstrip(PADDING)


def _declarations(inner: str) -> tuple[int | None, str | None, str | None] | None:
    """Count, measure word and rule of "37名，按姓氏笔画排序" or "共16名", or None
    when the text says anything else."""
    count = measure = rule = None
    for part in re.split(r"[,，;；、 \u3000]", inner):
        if not part:
            continue
        match = _COUNT.fullmatch(part)
        if match and count is None:
            count, measure = int(match.group(1)), match.group(2)
            continue
        declared = declared_rule(part)
        if declared is not None and rule is None:
            rule = declared
            continue
        return None  # a bracket that is part of the title: （新汇路-亭枫公路）
    if count is None and rule is None:
        return None
    return count, measure, rule


def _suffix(title: str) -> tuple[str, int | None, str | None, str | None] | None:
    """Split "TITLE（37名，按姓氏笔画排序）" (or "TITLE(278名)(按姓氏笔画为序)")
    into title, count, measure and rule, or None when the line does not end in
    such a bracket."""
    if not title.endswith((")", "）")):
        return None
    opening = max(title.rfind("("), title.rfind("（"))
    if opening <= 0:
        return None
    found = _declarations(title[opening + 1:-1])
    if found is None:
        return None
    count, measure, rule = found
    title = title[:opening].rstrip(PADDING)
    earlier = _suffix(title)  # a second bracket before it: (278名)(按姓氏笔画为序)
    if earlier is not None:
        title, count_before, measure_before, rule_before = earlier
        count, measure = (count, measure) if count is not None else (
            count_before, measure_before)
        rule = rule if rule is not None else rule_before
    return title, count, measure, rule


def parse_heading(text: str) -> Heading | None:
    """The heading on a line of one cell, or None if it cannot be one.

    Weak headings (an unnumbered title with nothing declared) are only taken
    as headings by :func:`read_document` when a heading follows them.
    """
    if _plain(text):  # a name, or an unnumbered title declaring nothing
        return Heading(title=text, display=text, strong=bool(_OFFICE.fullmatch(text)))
    text = original = text.strip(PADDING)
    marked = text.startswith("#")  # a Markdown heading
    if marked:
        text = text.lstrip("#").lstrip(PADDING)
    number, rest = strip_list_number(text)
    rest = rest.rstrip(PADDING)
    colon = rest.endswith(("：", ":"))
    if colon:
        rest = rest[:-1].rstrip(PADDING)
    if not rest or "\t" in rest or "|" in rest:
        return None
    heading = Heading(
        title=rest, number=number if number not in BULLETS else "", display=original
    )
    suffix = _suffix(rest)
    if suffix:
        heading.title, heading.count, heading.measure, heading.rule = suffix
        heading.strong = True
        if heading.title.endswith(("：", ":")):  # "委员：（按姓氏笔画为序）"
            heading.title = heading.title[:-1]
    heading.title = display_form(heading.title)
    # 一、 numbers headings; "一、张三" in a numbered list of people is a name.
    chinese_numbered = heading.number and heading.depth in (_DEPTH_CHINESE, _DEPTH_CHINESE_PAREN)
    if marked or colon or (chinese_numbered and len(heading.title) > 4) or _OFFICE.fullmatch(
        heading.title
    ):
        heading.strong = True
    if not heading.title:
        return None
    return heading


#: How a note about the order starts when it is not in brackets.
_NOTE_LEADS = ("按", "以", "依", "注", "说明", "排名", "名单", "上述", "下列", "均按")


@dataclass
class Note:
    """What a note on a line of its own declares: （共16名，按姓氏笔画排序）."""

    rule: str | None
    count: int | None = None
    measure: str | None = None


def parse_note(text: str) -> Note | None:
    """A note on a line of its own that declares an order (and maybe a count):
    （按姓氏笔画排序）, 以下名单按姓氏笔画为序, （排名不分先后）, (30人,按姓氏笔画排序).
    None for anything else; a title that ends in such a bracket is a heading."""
    if _plain(text) and not any(word in text for word in ("笔", "拼音", "音序", "先后")):
        return None  # the common case: a name
    core = text.strip(PADDING + "\t").rstrip("。.")
    if not core or len(core) > 40:
        return None
    if core[0] in "(（" and core[-1] in ")）":
        core = core[1:-1]
    elif not core.startswith(_NOTE_LEADS):
        return None
    if any(bracket in core for bracket in "()（）"):
        return None
    found = _declarations(core)
    if found is not None:  # an order, a count (（共16名）) or both
        return Note(rule=found[2], count=found[0], measure=found[1])
    rule = declared_rule(core)
    return Note(rule) if rule is not None else None


def is_declaration(text: str) -> str | None:
    """The rule a note on a line of its own declares, or None (:func:`parse_note`)."""
    note = parse_note(text)
    return note.rule if note else None


_DATE = re.compile(
    r"[(（]?[\d〇零一二三四五六七八九十]{2,4}年[\d〇零一二三四五六七八九十]{1,3}月"
    r"(?:[\d〇零一二三四五六七八九十]{1,3}日)?[)）]?"
)


def _is_aside(text: str) -> bool:
    """A line that is a date or a remark in brackets: never an entry."""
    core = text.strip(PADDING + "\t")
    if _DATE.fullmatch(core):
        return True
    return len(core) > 2 and core[0] in "(（" and core[-1] in ")）" and _open_brackets(
        core[1:-1]) == 0


def proposer_of(text: str) -> str | None:
    """The proposer on a "■ 提案者：…" line, or None."""
    if "：" not in text and ":" not in text:
        return None
    stripped = text.strip(PADDING + "\t")
    marked = stripped[:1] == "■"  # the roll layout's marker: any label after it
    if stripped[:1] in BULLETS:
        stripped = stripped[1:].lstrip(PADDING)
    for label in _PROPOSER_LABELS:
        if stripped.startswith(label):
            rest = stripped[len(label):].lstrip(PADDING)
            if rest[:1] in ("：", ":"):
                return rest[1:].strip(PADDING) or None
    if marked:  # "■ 申报团队：…", a category's own author label
        for colon in ("：", ":"):
            position = stripped.find(colon)
            if 0 < position <= 6:
                return stripped[position + 1:].strip(PADDING) or None
    return None


# ------------------------------------------------------------------ cells and entries


def split_cells(line: str, people: bool = True) -> list[tuple[str, bool]]:
    """Cells of one line, each with whether it follows a pure whitespace gap.

    Tabs, runs of two or more padding characters and (for ``people``) the
    punctuation of :data:`NAME_SEPARATORS` end a cell; a single padding
    character stays inside it; punctuation inside a closed bracket does not
    separate (毕惠仙(女，彝族)).  Linear: one pass to match brackets, one to split.
    """
    enclosed = _enclosed(line) if people and ("(" in line or "（" in line) else None
    cells: list[tuple[str, bool]] = []
    current: list[str] = []
    gap = 0  # padding characters seen since the last non-padding character
    after_space = False
    for position, char in enumerate(line):
        if char in PADDING:
            gap += 1
            continue
        if char in "\t|" or (
            people and char in NAME_SEPARATORS and not (enclosed and enclosed[position])
        ):
            cells.append(("".join(current), after_space))
            current, gap, after_space = [], 0, False
            continue
        if gap >= 2 and current:
            cells.append(("".join(current), after_space))
            current, after_space = [], True
        elif gap == 1 and current:
            current.append(" ")
        gap = 0
        current.append(char)
    cells.append(("".join(current), after_space))
    return [(cell, spaced) for cell, spaced in cells if cell.strip(PADDING)]


def _enclosed(line: str) -> list[bool]:
    """For each position, whether it lies inside a matched pair of brackets."""
    inside = [False] * len(line)
    openings: list[int] = []
    for position, char in enumerate(line):
        if char in "(（":
            openings.append(position)
        elif char in ")）" and openings:
            start = openings.pop()
            if not openings:  # mark the outermost pair once: linear overall
                for covered in range(start, position + 1):
                    inside[covered] = True
        elif char == "\t":
            openings.clear()  # a bracket never spans cells of a table
    return inside


@cache
def _han_pattern(outside: bool = False, across_lines: bool = False) -> re.Pattern[str]:
    """One Chinese character (``outside``: one that is not, ``across_lines``: nor a
    line end), built on first use from collation's Han blocks."""
    from ..collation.names import _han_class

    return re.compile(
        f"[{'^' if outside else ''}{chr(10) if across_lines else ''}{_han_class()}]"
    )


def _single_han(text: str) -> bool:
    return len(text) == 1 and is_han(text)


def _single_han_annotated(text: str) -> bool:
    """One Chinese character, maybe followed by an annotation: 畅(女), 丹（兼）."""
    if len(text) > 1 and text[1] in "(（" and text[-1] in ")）":
        return is_han(text[0])
    return _single_han(text)


def _has_han(text: str) -> bool:
    return _han_pattern().search(text) is not None


#: A character that may make a line more than one plain entry: padding and
#: separators, digits and brackets (numbers, counts), colons, markers.
_SPECIAL_CHARS = (
    r"\t\r\f\v\x1c-\x1e\x85\u2028\u2029 \u3000\u00a0、，,;；|:：#()（）\d①-⑳⑴-⒇⒈-⒛"
    + re.escape(BULLETS)
)
_SPECIAL = re.compile(rf"[\n{_SPECIAL_CHARS}]")
#: The same but across lines: a text of one plain name per line.
_SPECIAL_IN_LINES = re.compile(rf"[{_SPECIAL_CHARS}]|笔|拼音|音序|先后")
#: Its two halves, searched faster apart: characters, then the words of a note.
_SPECIAL_CLASS = re.compile(rf"[{_SPECIAL_CHARS}]")
_NOTE_WORDS = ("笔", "拼音", "音序", "先后")


def _plain(text: str) -> bool:
    """A line that can only be one name or title as it stands (the common case,
    read without the general machinery): no special character, some Han, NFC."""
    return (
        _SPECIAL.search(text) is None and _has_han(text)
        and unicodedata.is_normalized("NFC", text)
    )


def _is_filler(text: str) -> bool:
    """Numbers, punctuation and marks only: a 序号 column or a dash, not an entry."""
    return not any(unicodedata.category(char)[0] in "LS" for char in text) or text.isdigit()


def split_entries(line: str, people: bool = True) -> list[str]:
    """The entries on one line of names, in display form.

    "马 罡\\t刘 振" and "马 罡  刘 振" are two names; "马 罡 刘 振" pairs
    single Chinese characters into two-character names; "马  罡" (two ASCII
    spaces: the padding of a monospaced grid) is one name; "张三 李四" is two
    names; "John Smith" stays one.  With ``people`` false (units, titles of
    works), only tabs and wide gaps separate, and 、，belong to the name.
    """
    return [name for name, _spacing in _split(line, people)]


def _split(
    line: str, people: bool = True, skipped: Counter | None = None
) -> list[tuple[str, str]]:
    """:func:`split_entries` with, for each name, how it was read from single
    characters ("" when it was not: :data:`LETTER_SPACED`, :data:`SPACED_RUN`);
    filler cells (序号 numbers, dashes) are counted in ``skipped``."""
    if _plain(line):
        return [(line, "")]
    _number, line = strip_list_number(line)
    entries: list[tuple[str, str]] = []
    pending_single = ""  # a one-character cell that may pair with the next
    for cell, spaced in split_cells(line, people):
        if not people:
            text = display_form(cell)
            if pending_single and spaced and _single_han_annotated(text):
                entries[-1] = (pending_single + text, "")  # "李    军" in a list of units
                pending_single = ""
            elif not _is_filler(text):
                entries.append((text, ""))
                pending_single = text if _single_han(text) else ""
            elif skipped is not None:
                skipped["filler"] += 1
            continue
        _number, cell = strip_list_number(cell)
        if not cell and skipped is not None:
            skipped["filler"] += 1  # a dash or a bullet alone in its cell
        for token, first, spacing in _tokens(cell):
            if pending_single and first and spaced and _single_han_annotated(token):
                # "马  罡": a padded name split by a gap
                entries[-1] = (pending_single + token, "")
                pending_single = ""
                continue
            pending_single = ""
            if _is_filler(token):
                if skipped is not None:
                    skipped["filler"] += 1
                continue
            entries.append((token, spacing))
        last = entries[-1][0] if entries else ""
        pending_single = last if _single_han(last) and not entries[-1][1] else ""
    return entries


def _tokens(cell: str) -> Iterator[tuple[str, bool, str]]:
    """Names inside one cell split at single spaces, with whether the token is
    the cell's first and how it was read from single characters.

    Latin words stay together.  A run of single Chinese characters is read by
    its length: two make one name (马 罡, 蔡 畅(女)); three make one
    letter-spaced name (王 小 明, :data:`LETTER_SPACED`); four or any even
    number make names of two (马 罡 刘 振); an odd run of five or more makes
    names of two and, at its end, one of three, every one of them in doubt
    (:data:`SPACED_RUN`: the split cannot be told from the text)."""
    parts = cell.split()
    index = 0
    first = True
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if _single_han(part) and _single_han_annotated(following):
            end = index + 1
            while end < len(parts) and _single_han(parts[end]):
                end += 1
            if end < len(parts) and _single_han_annotated(parts[end]):
                end += 1  # the run's last character may carry an annotation: 蔡 畅(女)
            for token, spacing in _spaced_run(parts[index:end]):
                yield display_form(token), first, spacing
                first = False
            index = end
            continue
        if not _has_han(part) and following and not _has_han(following):
            words = [part]
            index += 1
            while index < len(parts) and not _has_han(parts[index]):
                words.append(parts[index])
                index += 1
            yield " ".join(words), first, ""
        else:
            yield display_form(part), first, ""
            index += 1
        first = False


def _spaced_run(run: list[str]) -> list[tuple[str, str]]:
    """A run of two or more single characters as names (:func:`_tokens`)."""
    if len(run) == 2:
        return [("".join(run), "")]
    if len(run) == 3:
        return [("".join(run), LETTER_SPACED)]
    if len(run) % 2 == 0:
        return [(run[i] + run[i + 1], "") for i in range(0, len(run), 2)]
    pairs = [(run[i] + run[i + 1], SPACED_RUN) for i in range(0, len(run) - 3, 2)]
    return pairs + [("".join(run[-3:]), SPACED_RUN)]


# ------------------------------------------------------------------ documents


@dataclass
class SourceLine:
    """One line of a document: its cells and where each came from.

    A text line is one cell ("line 12"); a Word or Excel row has a cell per
    column ("table 1, row 3, cell 2", "Sheet1!B4").
    """

    cells: list[tuple[str, str]]  # (text, where)
    number: int = 0  # line or row number
    proposer: str = ""  # from a "■ 提案者：…" line below it
    is_heading: bool = False  # known to be a heading (a table's 类别 column)

    @property
    def text(self) -> str:
        return "\t".join(text for text, _where in self.cells if text.strip(PADDING))

    @cached_property
    def filled(self) -> list[tuple[str, str]]:
        """The cells that hold something (computed once: lines are read whole)."""
        return [(text, where) for text, where in self.cells if text.strip(PADDING + "\t")]


class Entry:
    """A name (or unit, or title of a work) read from a document.

    ``where`` is the line or cell it came from; a long plain list gives the
    line number and a label instead, formatted only when a message needs it.
    """

    __slots__ = ("name", "_where", "place", "proposer", "affiliation", "_line", "_label",
                 "spacing")

    def __init__(
        self, name: str, where: str = "", place: int = 0, proposer: str = "",
        affiliation: str = "", line: int = 0, label: str = "", spacing: str = "",
    ) -> None:
        self.name = name
        self.spacing = spacing  # read from single characters: LETTER_SPACED, SPACED_RUN
        self._where = where
        self.place = place  # its place among several names in that line or cell; 0 = alone
        self.proposer = proposer
        self.affiliation = affiliation  # a school or unit printed beside a person's name
        self._line, self._label = line, label

    @property
    def where(self) -> str:
        return self._where or self._label.format(number=self._line)

    def __repr__(self) -> str:
        return f"Entry({self.name!r}, {self.where!r})"


class PlainEntries(Sequence):
    """The entries of a run of plain lines, one name a line, kept as the names
    themselves: an :class:`Entry` is made only when one is looked at (a
    misplaced name, an import row), so a list of a million names costs its
    strings, not a million objects.  ``head`` holds entries read before the run
    by the general reader (a list that continues in plain lines)."""

    __slots__ = ("head", "names", "_lines", "_first", "_label", "_numbers")

    def __init__(
        self, lines: list[str], first: int, label: str, head: Sequence[Entry] = ()
    ) -> None:
        self.head = list(head)
        try:
            blank = lines.index("")
        except ValueError:
            blank = len(lines)
        # Blank lines hold no entry; the one a text's last line end leaves is cut
        # off without a look at every line.
        self.names = lines[:blank] if blank >= len(lines) - 1 else list(filter(None, lines))
        # Line numbers are counted from the lines only when a blank line comes
        # before a name (a text's last line end leaves one at the end).
        self._lines = lines if blank < len(self.names) else None
        self._first = first  # the line number of lines[0]
        self._label = label
        self._numbers: list[int] | None = None

    def all_names(self) -> list[str]:
        if not self.head:
            return self.names
        return [entry.name for entry in self.head] + self.names

    def _number(self, index: int) -> int:
        """The line number of the run's ``index``-th name."""
        if self._lines is None:
            return self._first + index
        if self._numbers is None:
            self._numbers = [
                number for number, line in enumerate(self._lines, start=self._first) if line
            ]
        return self._numbers[index]

    def _entry(self, index: int) -> Entry:
        return Entry(self.names[index], "", 0, "", "", self._number(index), self._label)

    def __len__(self) -> int:
        return len(self.head) + len(self.names)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < len(self.head):
            return self.head[index]
        return self._entry(index - len(self.head))

    def __iter__(self) -> Iterator[Entry]:
        yield from self.head
        for index in range(len(self.names)):
            yield self._entry(index)

    def __repr__(self) -> str:
        return f"PlainEntries({len(self)} entries)"


def _entry_doubts(entries: Iterable[Entry]) -> list[Doubt]:
    """The doubts about a list of people's entries (the general reader's)."""
    doubts = []
    for entry in entries:
        found = (entry.spacing, len(entry.name)) if entry.spacing else doubt_of(entry.name)
        if found is not None:
            doubts.append(Doubt(entry.name, entry.where, entry.place, *found))
    return doubts


@dataclass
class Section:
    """A heading and the entries under it (before any further heading)."""

    heading: Heading | None
    where: str = ""
    parent: Section | None = None
    rule: str | None = None  # declared (heading or a note), else None
    rule_where: str = ""
    count: int | None = None  # declared (heading or a note): the count to check
    measure: str | None = None
    rows: list[SourceLine] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    kind: str = "person"
    columns: int = 0  # the widest row's number of entries
    joiner: str = "\t"  # what separated entries on a row: a tab (a grid), 、 or ，
    doubts: list[Doubt] = field(default_factory=list)  # names kept but unlike names

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    @property
    def names(self) -> list[str]:
        """The entries' names (without making an :class:`Entry` for a plain run)."""
        if isinstance(self.entries, PlainEntries):
            return self.entries.all_names()
        return [entry.name for entry in self.entries]

    @property
    def path(self) -> tuple[str, ...]:
        own = (self.title,) if self.heading else ()
        return (self.parent.path if self.parent else ()) + own

    @property
    def depth(self) -> int:
        return self.heading.depth if self.heading else -1

    def descendants_count(self) -> int:
        return len(self.entries) + sum(child.descendants_count() for child in self.children)


@dataclass
class Document:
    """A document read into sections; ``sections`` in reading order (flat),
    the tree through ``parent``/``children``."""

    sections: list[Section]
    title: str = ""  # a document title line (光荣榜), if one was found
    default_rule: str | None = None  # a note before any heading
    current: Section | None = None  # the section the last line was read into
    #: What was read and is not an entry, by kind: heading, title, note, aside (a
    #: date or remark), proposer (a line giving the work above its proposer), header
    #: (a table's header row), filler (序号 numbers, dashes), empty (a table's empty
    #: cells), description (the rest of a sentence about one person).
    skipped: Counter = field(default_factory=Counter)

    @property
    def doubts(self) -> list[Doubt]:
        """The names kept but unlike names, in reading order."""
        return [doubt for section in self.sections for doubt in section.doubts]

    @property
    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries]

    def entries_iter(self) -> Iterator[Entry]:
        """The entries one at a time (a plain run's are made as they are given)."""
        for section in self.sections:
            yield from section.entries

    @property
    def headings(self) -> list[Section]:
        return [section for section in self.sections if section.heading]


def lines_of_text(text: str, label: str = "line {number}") -> list[SourceLine]:
    """A text's lines as :class:`SourceLine` objects ("line 12")."""
    return [
        SourceLine([(line, label.format(number=number))], number)
        for number, line in enumerate(text.splitlines(), start=1)
    ]


def read_document(lines: Iterable[SourceLine], kind: str | None = None) -> Document:
    """Read a document's lines into sections of entries.

    ``kind`` (person, unit, work) fixes how every list is split; None
    decides per section, from the heading's measure word, else from what the
    entries look like (names of people are 2–4 characters).
    """
    lines = list(lines)
    plain = _plain_list(lines, kind)
    if plain is not None:
        return plain
    content = _join_broken_headings([line for line in lines if line.filled])
    sections: list[Section] = []
    stack: list[Section] = []
    document = Document(sections=[])
    current = Section(heading=None)
    sections.append(current)

    def open_section(heading: Heading, where: str) -> Section:
        while stack and stack[-1].depth >= heading.depth:
            stack.pop()
        section = Section(heading=heading, where=where, parent=stack[-1] if stack else None)
        section.rule = heading.rule
        section.rule_where = where if heading.rule else ""
        section.count, section.measure = heading.count, heading.measure
        if section.parent:
            section.parent.children.append(section)
        stack.append(section)
        sections.append(section)
        return section

    headings = [_heading_of(line) for line in content]
    for index, line in enumerate(content):
        filled = line.filled
        where = filled[0][1]
        heading, inline = headings[index]
        if line.is_heading and heading is not None:
            heading.strong = True
        if len(filled) == 1 and not line.is_heading:
            note = parse_note(filled[0][0])
            if note is not None:
                if current.heading is None:  # before any heading: every list below
                    document.default_rule = document.default_rule or note.rule
                    if current.rows and all(_is_title_line(row) for row in current.rows):
                        # 候选人初步人选名单 / （共16名，按姓氏笔画排序）: the lines
                        # above the note are the document's title, not names.
                        document.title = document.title or "".join(
                            row.filled[0][0].strip(PADDING) for row in current.rows)
                        document.skipped["title"] += len(current.rows)
                        current.rows = []
                    if note.count is not None and current.count is None:
                        current.count, current.measure = note.count, note.measure
                else:
                    if current.rule is None:
                        current.rule, current.rule_where = note.rule, where
                    if note.count is not None and current.count is None:
                        current.count, current.measure = note.count, note.measure
                document.skipped["note"] += 1
                continue
            if _is_aside(filled[0][0]):
                document.skipped["aside"] += 1
                continue  # （二零一九年六月二十七日）: a date or remark, not a name
            who = proposer_of(filled[0][0])
            if who is not None:
                if current.rows and not current.rows[-1].proposer:
                    current.rows[-1].proposer = who
                    document.skipped["proposer"] += 1
                else:
                    current.rows.append(line)  # no title above it: keep it visible
                continue
        if heading is not None and (
            heading.strong or _weak_heading_here(content, headings, index, current)
        ):
            if not line.is_heading and _is_document_title(
                heading, headings, index, sections, document
            ):
                document.title = heading.title  # 光荣榜 above an unnumbered award
                document.skipped["title"] += 1
                continue
            current = open_section(heading, where)
            document.skipped["heading"] += 1
            if inline:
                current.rows.append(SourceLine([(inline, where)], line.number))
            continue
        current.rows.append(line)
    document.sections = [s for s in sections if s.heading or s.rows]
    document.current = current
    for section in document.sections:
        _read_rows(section, kind, document.skipped)
        if section.rule is None and document.default_rule and section.entries:
            section.rule = document.default_rule
    return document


#: How a list's title ends, also when it is short enough to be a name (代表名单).
_TITLE_ENDINGS = ("名单", "名录", "光荣榜", "红榜", "人选", "表彰")


def _is_title_line(line: SourceLine) -> bool:
    """One cell of text that cannot be a person's name (a title above a list)."""
    filled = line.filled
    if len(filled) != 1 or len(split_cells(filled[0][0])) != 1:
        return False
    text = filled[0][0].strip(PADDING)
    return not _looks_like_person(text) or text.endswith(_TITLE_ENDINGS)


def _open_brackets(text: str) -> int:
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def _join_broken_headings(content: list[SourceLine]) -> list[SourceLine]:
    """A heading broken inside its bracket, as text copied out of a PDF often is
    ("1. 市、区政协委员（37名，按姓氏" / "笔画排序）"), made one line again."""
    joined: list[SourceLine] = []
    index = 0
    while index < len(content):
        line = content[index]
        following = content[index + 1] if index + 1 < len(content) else None
        if (
            following is not None and len(line.filled) == 1 and len(following.filled) == 1
            and _open_brackets(line.filled[0][0]) > 0
            and _open_brackets(line.filled[0][0] + following.filled[0][0]) == 0
            and len(line.filled[0][0]) + len(following.filled[0][0]) <= 200
        ):
            text = line.filled[0][0].rstrip(PADDING) + following.filled[0][0].strip(PADDING)
            joined.append(SourceLine([(text, line.filled[0][1])], line.number))
            index += 2
            continue
        joined.append(line)
        index += 1
    return joined


def _plain_list(lines: list[SourceLine], kind: str | None) -> Document | None:
    """One plain name per line and nothing else (no heading, note, number or
    separator anywhere): the list read in one pass, as a long list should be."""
    if not all(len(line.cells) == 1 for line in lines):
        return None
    texts = [line.cells[0][0] for line in lines]
    joined = "\n".join(texts).strip("\n")
    if not joined or _SPECIAL_IN_LINES.search(joined) or not unicodedata.is_normalized(
        "NFC", joined
    ):
        return None
    han = _han_pattern()
    if not all(han.search(text) for text in texts if text):
        return None
    document = _plain_document(
        [Entry(line.cells[0][0], line.cells[0][1]) for line in lines if line.cells[0][0]], kind
    )
    section = document.sections[0]
    if section.kind == "person":
        section.doubts = _entry_doubts(section.entries)
    return document


def _plain_document(entries: list[Entry], kind: str | None) -> Document:
    section = Section(heading=None, columns=1, entries=entries)
    if kind is None:  # judged on a sample: a long list is all of one kind
        sample = (entries.all_names() if isinstance(entries, PlainEntries) else [
            entry.name for entry in entries])[:1000]
        personal = sum(_looks_like_person(name) for name in sample)
        kind = "person" if personal * 2 >= len(sample) else "unit"
    section.kind = kind
    return Document(sections=[section])


def _is_document_title(
    heading: Heading, headings: list[tuple[Heading | None, str]], index: int,
    sections: list[Section], document: Document,
) -> bool:
    """The first heading, unnumbered and declaring nothing, above an unnumbered
    heading: the roll's title (光荣榜), not a category."""
    if document.title or len(sections) > 1 or sections[0].rows or index + 1 >= len(headings):
        return False
    following = headings[index + 1][0]
    return (
        not heading.number and heading.count is None and heading.rule is None
        and not headings[index][1] and following is not None and following.strong
        and not following.number
    )


def _heading_of(line: SourceLine) -> tuple[Heading | None, str]:
    """The heading a line holds, and any entries after its colon on the same
    line ("优秀教师（3名）：张三、李四")."""
    filled = line.filled
    if len(filled) != 1:
        return None, ""
    text = filled[0][0]
    if proposer_of(text) is not None:
        return None, ""
    for colon in ("：", ":"):
        position = text.find(colon)
        if 0 < position < len(text.rstrip(PADDING)) - 1:
            left, rest = text[: position + 1], text[position + 1:]
            bare = left[: max(left.rfind("（"), left.rfind("("))] if left[:-1].endswith(
                ("）", ")")) else left  # the count and order in brackets may hold a comma
            rest = rest.rstrip(PADDING).removesuffix("。")
            if any(mark in bare for mark in "，,。；;") or "。" in rest:
                continue  # a sentence, not "优秀教师：张三、李四"
            if parse_note(rest) is not None:
                break  # "成员：（按姓氏拼音排序）": a heading and its note, read whole below
            head = parse_heading(left)
            separated = any(sep in rest for sep in NAME_SEPARATORS + "\t") or any(
                gap in rest.strip(PADDING) for gap in ("  ", "\u3000"))
            # 主    任：龚贵华, 党委副书记、纪委书记：夏显波 — an office and its holders
            names = split_entries(rest)
            office = head is not None and len(head.title) <= 20 and bool(names) and all(
                _looks_like_person(name) for name in names)
            if head is not None and len(head.title) <= 60 and rest.strip(PADDING) and (
                head.count is not None or head.rule is not None or separated or office
            ):
                return head, rest
    return parse_heading(text), ""


def _weak_heading_here(
    content: list[SourceLine], headings: list[tuple[Heading | None, str]], index: int,
    current: Section,
) -> bool:
    """An unnumbered title with nothing declared is a heading when the next
    line opens a group: a heading numbered first (一、 1. （1） ①) or one with a
    count.  Before "二、" it is the last entry of a list; a short name in a list
    of people stays an entry."""
    if index + 1 >= len(content):
        return False
    heading = headings[index][0]
    following = headings[index + 1][0]
    if heading is None or following is None or not following.strong:
        return False
    if heading.number:  # "1. 上海市金山区教育局" in a numbered list of units
        return False
    if (current.rows or current.heading) and _looks_like_person(heading.title):
        return False  # a name at the end of (or alone in) a list
    if len(split_entries(content[index].filled[0][0])) > 1:
        return False  # a line of names: 王永志 王振义 李振声
    if current.rows and len(heading.title) <= 4:
        return False  # a short name at the end of a list
    if not following.number and current.rows and not _looks_like_person(heading.title):
        last = _entries_by_row(current.rows[-1:], people=True)[-1]
        if last and _looks_like_person(last[0].name):
            return True  # a committee's name after a list of people, above its offices
    if following.number:
        after = content[index + 2].filled[0][0] if index + 2 < len(content) else ""
        if proposer_of(after) is not None:
            return False  # "1. title" then "■ 提案者：": a work
        return following.is_first_number
    return following.count is not None or following.rule is not None


def _read_rows(section: Section, kind: str | None, skipped: Counter | None = None) -> None:
    """Split the section's rows into entries by the kind of list it is; what is
    skipped on the way is counted in ``skipped``."""
    heading_kind = section.heading.kind if section.heading else None
    has_proposers = any(row.proposer for row in section.rows)
    chosen = kind or heading_kind or ("work" if has_proposers else None)
    counted: Counter = Counter()
    rows = _entries_by_row(section.rows, chosen in (None, "person"), counted)
    if chosen is None:
        names = [entry.name for row in rows for entry in row]
        personal = sum(_looks_like_person(name) for name in names)
        chosen = "person" if names and personal * 2 >= len(names) else (
            "unit" if names else "person"
        )
        if chosen != "person":
            counted = Counter()
            rows = _entries_by_row(section.rows, False, counted)
    if skipped is not None:
        skipped.update(counted)
    section.kind = chosen
    section.entries = [entry for row in rows for entry in row]
    if chosen == "person":
        section.doubts = _entry_doubts(section.entries)
    section.columns = max(map(len, rows), default=0)
    section.joiner = _joiner(section.rows, chosen == "person")


def _joiner(rows: list[SourceLine], people: bool) -> str:
    """How the widest rows separate their entries: 、 or ， in running text,
    else a tab (a grid, however it was padded)."""
    for row in rows:
        if len(row.cells) > 1:
            return "\t"
        text = row.cells[0][0]
        if "\t" in text:
            return "\t"
        if people:
            for mark in ("、", "，", ","):
                if mark in text:
                    return mark
    return "\t"


def _judged_kind(names: list[str]) -> str:
    """What a list of plain names holds, judged by all of them as
    :func:`_read_rows` judges a list: people when at least half have 2–4
    Chinese characters.  A list of Chinese characters only is counted by the
    names' lengths (no loop in Python over its names)."""
    if not names:
        return "person"
    joined = "".join(names)
    if _han_pattern(outside=True).search(joined) is None:
        lengths = Counter(map(len, names))
        personal = lengths[2] + lengths[3] + lengths[4]
    else:
        personal = sum(map(_looks_like_person, names))
    return "person" if personal * 2 >= len(names) else "unit"


def _looks_like_person(name: str) -> bool:
    """2–4 Chinese characters (annotations aside: 马继龙(回族)), or a · name."""
    if "(" in name or "（" in name:
        name = _ANNOTATION.sub("", name)
    return 2 <= len(_han_pattern().findall(name)) <= 4 or "·" in name


def _entries_by_row(
    rows: list[SourceLine], people: bool, skipped: Counter | None = None
) -> list[list[Entry]]:
    """Each row's entries; a proposer line goes to the last entry above it.

    In lists of people, a table's header row (序号 姓名 单位) is skipped and only
    its name column read; a unit or school printed beside a name (张三  福州一中)
    becomes that person's affiliation; a line that is a sentence (王芝兰，女，
    回族，…书记。) gives one name, the rest describing it.  What is not read as
    an entry is counted in ``skipped`` (:attr:`Document.skipped`).
    """
    result: list[list[Entry]] = []
    last: Entry | None = None
    column: int | None = None  # the name column under a header row
    skipped = Counter() if skipped is None else skipped
    for row in rows:
        entries: list[Entry] = []
        cells = row.cells
        if people:
            cells, column, header = _name_column(row, column)
            if header:
                skipped["header"] += 1
                result.append([])
                continue
        if len(cells) > 1:  # a table's row: its empty cells (a gap in the grid)
            skipped["empty"] += sum(1 for text, _where in cells if not text.strip(PADDING))
        for text, where in cells:
            names = _split(text, people, skipped)
            if people and len(names) > 1 and text.rstrip(PADDING).endswith("。"):
                skipped["description"] += len(names) - 1
                names = names[:1]  # a sentence about one person
            many = len(names) > 1
            for place, (name, spacing) in enumerate(names, start=1):
                entries.append(Entry(name, where, place if many else 0, spacing=spacing))
        if people:
            entries = _with_affiliations(entries)
        last = entries[-1] if entries else last
        if row.proposer and last is not None:
            last.proposer = row.proposer
        result.append(entries)
    return result


def _name_column(
    row: SourceLine, column: int | None
) -> tuple[list[tuple[str, str]], int | None, bool]:
    """(cells to read, name column, whether the row is a header): under a
    header row that names a 姓名 column, only that column holds names."""
    from .tabular import map_header

    if len(row.cells) == 1:
        text, where = row.cells[0]
        if "\t" not in text and "  " not in text and "\u3000" not in text:
            return row.cells, column, False
        raw = [(cell, where) for cell, _spaced in split_cells(text, people=False)]
    else:
        raw = row.cells
    if column is None:
        mapping = map_header([text for text, _where in raw])
        if mapping is not None and "name" in mapping:
            return [], mapping["name"], True
        return row.cells, None, False
    if column < len(raw):
        return [raw[column]], column, False
    return row.cells, column, False


def _with_affiliations(entries: list[Entry]) -> list[Entry]:
    """An entry right after a name that ends as an organisation's name does
    (福州一中, 浙江大学, 鼓楼区教育局: :func:`~honours.unitnames.looks_like_unit`)
    is that person's school or unit.  Any other entry is a name, however long
    (青格勒吉日格乐): in a row of names every cell is a name."""
    kept: list[Entry] = []
    for entry in entries:
        previous = kept[-1] if kept else None
        if (
            previous is not None and not previous.affiliation and not previous.spacing
            and _has_han(previous.name) and not looks_like_unit(previous.name)
            and looks_like_unit(entry.name)
        ):
            previous.affiliation = entry.name
            continue
        kept.append(entry)
    return kept


def read_pasted(
    text: str, kind: str | None = None, label: str = "line {number}"
) -> Document:
    """Pasted text (standard input, a prompt, a .txt file) read into sections;
    ``label`` names a line in messages ("line 12")."""
    if "\r" in text:  # Windows line ends: the same lines, and the fast paths apply
        text = text.replace("\r\n", "\n")
    return read_pasted_lines(text.split("\n"), kind, label, text)


def read_pasted_lines(
    lines: list[str], kind: str | None = None, label: str = "line {number}",
    text: str | None = None,
) -> Document:
    """:func:`read_pasted` of a text given as its lines, cut at ``"\\n"`` (the
    ``"\\r"`` of a ``"\\r\\n"`` removed), as a file read line by line gives
    them; ``text``, when at hand, is the same lines joined."""
    plain = _plain_text(lines, label, kind, text)
    if plain is not None:
        return plain
    start = _plain_tail(lines, text)
    if not any(lines[start:]):
        return read_document(lines_of_text("\n".join(lines) if text is None else text, label),
                             kind)
    # Headings and notes, then a long run of plain names: the head is read line by
    # line, the run is appended to the list it continues without the per-line
    # machinery (a plain line is never a heading, a note or more than one name).
    document = read_document(lines_of_text("\n".join(lines[:start]), label), kind)
    target = document.current or Section(heading=None)
    if target not in document.sections:
        document.sections.append(target)
    tail = PlainEntries(lines[start:], start + 1, label, target.entries)
    heading_kind = target.heading.kind if target.heading else None
    has_proposers = any(row.proposer for row in target.rows)
    chosen = kind or heading_kind or ("work" if has_proposers else None)
    if chosen is None:  # judged by the whole list's names, as _read_rows judges them
        chosen = _judged_kind(tail.all_names())
        if target.entries and chosen != target.kind:
            # The names below change what the list holds, and so how its first
            # lines split: read the whole text the general way.
            whole = "\n".join(lines) if text is None else text
            return read_document(lines_of_text(whole, label), kind)
    target.kind = chosen
    target.entries = tail
    target.columns = max(target.columns, 1)
    if chosen == "person":
        # The run's own text: cut from the whole text when at hand (the head is short).
        run = None if text is None else text[sum(map(len, lines[:start])) + start:]
        target.doubts += _plain_doubts(lines[start:] if run is None else [], run, start + 1,
                                       label)
    if target.rule is None and document.default_rule:
        target.rule = document.default_rule
    return document


#: Lines searched at once by the fast paths when the text is given as lines.
_BLOCK = 1 << 16


def _blocks(lines: list[str], text: str | None, reverse: bool = False):
    """(index of the first line, the lines joined) for blocks of lines: the text
    itself when at hand, else _BLOCK lines at a time (bounded memory)."""
    if text is not None:
        yield 0, text
        return
    starts = range(0, len(lines), _BLOCK)
    for first in reversed(starts) if reverse else starts:
        yield first, "\n".join(lines[first:first + _BLOCK])


def _plain_tail(lines: list[str], text: str | None = None) -> int:
    """Where the run of plain lines that ends the text begins (len(lines) when
    the text does not end in one): lines with a Chinese character and no
    separator, number, bracket, colon, note word or office title.  Each test is
    a search over the text (a block of lines at a time, from the end), not a
    loop over its lines."""
    for first, block in _blocks(lines, text, reverse=True):
        last = -1  # where the last line that is not plain starts, in the block
        for pattern in (_SPECIAL_IN_LINES, _no_han_line(), _OFFICE_LINE):
            for match in pattern.finditer(block):
                last = max(last, match.start())
        start = first  # the first plain line of the block's plain end
        rest = block
        if last >= 0:
            start = first + block.count("\n", 0, last) + 1
            end = block.find("\n", last)
            rest = block[end + 1:] if end >= 0 else ""
        if not unicodedata.is_normalized("NFC", rest):  # rare: find the line
            for index in range(first + block.count("\n"), start - 1, -1):
                if not unicodedata.is_normalized("NFC", lines[index]):
                    return index + 1
        if last >= 0:
            return start
    return 0


_OFFICE_LINE = re.compile(rf"(?m)^(?:{_OFFICE.pattern})$")


@cache
def _no_han_line() -> re.Pattern[str]:
    from ..collation.names import _han_class

    return re.compile(rf"(?m)^[^\n{_han_class()}]+$")


def _plain_text(
    lines: list[str], label: str, kind: str | None, text: str | None = None
) -> Document | None:
    """A text of one plain name per line, read without building line objects:
    a list of a million names costs little more than splitting it."""
    all_han = True
    for _first, block in _blocks(lines, text):
        # Lines of Han characters only (most long lists) hold no special character
        # and no line without Han: one search rules out two.
        only_han = _han_pattern(outside=True, across_lines=True).search(block) is None
        all_han = all_han and only_han
        if (
            any(word in block for word in _NOTE_WORDS)
            or not unicodedata.is_normalized("NFC", block)
            or not only_han and (_SPECIAL_CLASS.search(block) or _no_han_line().search(block))
        ):
            return None
    entries = PlainEntries(lines, 1, label)
    if not entries:
        return None
    document = _plain_document(entries, kind)
    if document.sections[0].kind == "person":
        document.sections[0].doubts = _plain_doubts(lines, text, 1, label, all_han)
    return document


def _plain_doubts(
    lines: list[str], text: str | None, first: int, label: str, only_han: bool = False
) -> list[Doubt]:
    """The doubts about a run of plain lines (one name a line) that begins at
    line ``first``: a few searches over the text, no loop over its names
    (``only_han``: the text is known to hold Chinese characters and line ends
    only, so that no line mixes scripts)."""
    doubts: list[Doubt] = []
    for start, block in _blocks(lines, text):
        block = "\n" + block  # every line after a line end (the pattern's first character)
        found = [  # (where the line begins in the block, the line, why)
            (match.start(1), match.group(1), SINGLE if match.end(1) - match.start(1) == 1
             else LONG)
            for match in plain_doubt_pattern().finditer(block)
        ]
        position = 0
        while not only_han and (letter := LATIN.search(block, position)) is not None:
            begin = block.rfind("\n", 0, letter.start()) + 1  # the line that mixes scripts
            end = block.find("\n", letter.start())
            end = len(block) if end < 0 else end
            found.append((begin, block[begin:end], MIXED))
            position = end
        found.sort(key=lambda item: item[0])
        counted, position = -1, 0  # the line end put before the first line
        for begin, name, reason in found:  # line numbers counted once, in order
            counted += block.count("\n", position, begin)
            position = begin
            number = first + start + counted
            doubts.append(Doubt(name, label.format(number=number), 0, reason, len(name)))
    return doubts
