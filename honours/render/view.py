"""A roll as the renderers see it: sections with computed headings, counts and
entries in display order.  Pure data; :func:`honours.roll.roll_view` builds it
from the database, and every renderer and exporter reads only this.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..collation import RULE_LABELS, is_han

#: The padding between surname and given name of a two-character name in grids.
PADDINGS = {"space": " ", "ideographic": "\u3000"}

_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (heading numbers)."""
    if value < 0:
        raise ValueError("no Chinese numeral for a negative number")
    if value < 10:
        return _DIGITS[value]
    if value < 20:
        return "十" + (_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        tens, ones = divmod(value, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(value, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    else:
        tail = chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest)
    return chinese_number(hundreds) + "百" + tail


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def heading_number(depth: int, index: int) -> str:
    """The number before a heading by depth inside an award (rolls.md):
    none for an award, 一、 then 1. then （1） then ①."""
    if depth == 0:
        return ""
    if depth == 1:
        return chinese_number(index) + "、"
    if depth == 2:
        return f"{index}. "
    if depth == 3:
        return f"（{index}）"
    return _CIRCLED[index - 1] if index <= len(_CIRCLED) else f"{index})"


def heading_suffix(count: int | None, measure: str, rule: str | None) -> str:
    """（37名，按姓氏笔画排序）, （16家）, or nothing."""
    parts = []
    if count is not None:
        parts.append(f"{count}{measure}")
    if rule and RULE_LABELS.get(rule):
        parts.append(RULE_LABELS[rule])
    return f"（{'，'.join(parts)}）" if parts else ""


def pad_name(name: str, padding: str = " ") -> str:
    """马罡 -> 马 罡: a two-character Chinese name padded so columns line up."""
    if len(name) == 2 and is_han(name[0]) and is_han(name[1]):
        return name[0] + padding + name[1]
    return name


@dataclass
class Entry:
    """One winner as printed: a person's or unit's name, or a work's title.
    (``roll_view`` makes entries with the fields in this order.)"""

    id: int
    name: str
    position: int  # 1-based place in the list as printed
    manual_position: int = 0  # place in the clerk's own order (kept by the JSON format)
    proposer: str = ""
    affiliation: str = ""
    note: str = ""
    certificate: str = ""
    proposer_kind: str = ""  # a work's: person or unit, or one per proposer (person,unit)
    certificates: dict[str, str] | None = None  # joint proposers' numbers (recipients.py)


@dataclass
class Section:
    """A category in the roll, with what its heading shows."""

    id: int
    title: str
    path: str
    kind: str
    sort: str
    measure: str
    columns: int
    description: str
    depth: int
    number: str
    count: int | None
    honour: str  # the honour in words, inherited or derived from the path
    own_honour: str = ""  # the honour set on this category itself, if any
    author_label: str = "提案者"  # what a work's proposer is called, inherited or derived
    own_author_label: str = ""  # the label set on this category itself, if any
    quota: int | None = None  # at most this many winners here and below (eligibility.py)
    exclusive: bool = False  # one exclusive list per award for a winner
    certificate_mode: str = "per-proposer"  # a work's certificates: per-proposer or per-work
    own_certificate_mode: str = ""  # the mode set on this category itself, if any
    verb: str = ""  # the verb set for the honour (荣获 …), inherited; "": chosen by the honour
    own_verb: str = ""  # the verb set on this category itself, if any
    entries: list[Entry] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def rule_label(self) -> str:
        """按姓氏笔画排序 … for a list that is sorted; nothing for manual lists and groups."""
        return "" if self.children else RULE_LABELS.get(self.sort, "")

    @property
    def heading(self) -> str:
        """一、信息工作成绩突出单位（16家） — number, title, count and rule."""
        rule = None if self.children else self.sort
        return self.number + self.title + heading_suffix(self.count, self.measure, rule)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class RollView:
    """The roll (光荣榜) or a part of it, ready to render."""

    title: str
    sections: list[Section]
    settings: dict[str, str] = field(default_factory=dict)
    subtree: bool = False  # one category and what is below it: printed without the title
    certificate_serial: int = 0  # the last certificate serial issued (kept by the JSON format)

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    @property
    def printed_title(self) -> str:
        """The title printed above the roll: none when only a part is rendered."""
        return "" if self.subtree else self.title

    def entry_count(self) -> int:
        return sum(len(section.entries) for section in self.walk())


@dataclass
class ExportOptions:
    """Choices that change how a roll is written, not what it says."""

    padding: str = " "  # between the characters of a two-character name in grids
    with_affiliation: bool = False  # 张三（数学组） in grids and proposer lines
    #: pdf, docx: ``--font`` values, FILE (every role) or ROLE=FILE (font_roles.py)
    fonts: list[str] = field(default_factory=list)
    #: pdf, docx: the layout file whose [fonts] (and [paper] font) name faces, if any
    layout: Any = None
    allow_missing_glyphs: bool = False  # pdf: print a character no font has as a blank
    warnings: list[str] = field(default_factory=list)  # filled by the pdf writer

    def layout_fonts(self) -> tuple[dict, Any, str]:
        """The layout's faces as :func:`~honours.certificates.font_roles.resolve_roles`
        takes them: ([fonts] by role, [paper] font, the layout's name)."""
        if self.layout is None:
            return {}, None, ""
        return self.layout.fonts, self.layout.font, self.layout.source


@dataclass
class RegisterRow:
    """One certificate in the register (证书发放名册).  (``register_view`` makes
    rows with the fields in this order.)"""

    sequence: int  # 序号, 1-based
    certificate: str  # 证书编号
    recipient: str  # the person or unit (for a work: its proposer)
    honour: str  # the honour in words, as on the certificate
    category: str  # the category path
    kind: str
    work: str = ""  # the work's title, for works
    pending: bool = False  # the number is not issued yet: what `register --issue` would give
    affiliation: str = ""  # 单位/职务 of the winner
    author_label: str = ""  # for works: 提案者, 作者 … (what the recipient is called)
    recipient_kind: str = ""  # person or unit ("": the kind of the list)
    together: int = 1  # how many proposers share this one certificate (per-work)
    verb: str = ""  # the verb set for the honour ("": chosen by the honour)
    kind_inferred: bool = False  # the recipient's kind was not stored: taken from the name


@dataclass
class RegisterView:
    """The certificate register of a roll or part of it."""

    title: str  # e.g. 光荣榜 证书发放名册
    rows: list[RegisterRow]

#: Column headings of the register, in order; 签收 and 日期 are left blank to fill by hand.
REGISTER_COLUMNS = ("序号", "证书编号", "获奖者", "荣誉", "签收", "日期")
#: The same with a 单位 column after the recipient, when any winner has an affiliation.
REGISTER_COLUMNS_WITH_UNIT = ("序号", "证书编号", "获奖者", "单位", "荣誉", "签收", "日期")


def register_columns(register: RegisterView) -> tuple[str, ...]:
    """The register's headings: with 单位 when any winner has an affiliation."""
    if any(row.affiliation for row in register.rows):
        return REGISTER_COLUMNS_WITH_UNIT
    return REGISTER_COLUMNS


def honour_with_work(row: RegisterRow) -> str:
    """The honour as a printed register shows it: for a work with its title on a
    second line, since one proposer may be honoured for several works."""
    return f"{row.honour}\n《{row.work}》" if row.work else row.honour


def register_table(register: RegisterView, with_works: bool = False,
                   columns: tuple[str, ...] | None = None) -> list[list[str | int]]:
    """The register's cells column by column, under :func:`register_columns`
    (``columns``: its result, when the caller has it): 序号 (ints), 证书编号,
    获奖者, 单位 (when that column is there), 荣誉 (``with_works``: as
    :func:`honour_with_work` shows it), and 签收 and 日期 blank.  A column at a
    time: a register of 100,000 rows made row by row cost a third of a second more."""
    rows = register.rows
    table: list[list[str | int]] = [
        [row.sequence for row in rows],
        [row.certificate for row in rows],
        [row.recipient for row in rows],
    ]
    if len(columns or register_columns(register)) == len(REGISTER_COLUMNS_WITH_UNIT):
        table.append([row.affiliation for row in rows])
    table.append([honour_with_work(row) if with_works else row.honour for row in rows])
    return table + [[""] * len(rows), [""] * len(rows)]


def register_rows(register: RegisterView, with_works: bool = False,
                  columns: tuple[str, ...] | None = None) -> list[tuple[str | int, ...]]:
    """:func:`register_table` row by row."""
    return list(zip(*register_table(register, with_works, columns)))
