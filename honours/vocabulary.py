"""The values a clerk types and reads: kinds, ordering rules, settings keys, formats,
backup reasons, measure words and dates, each with its one stored code.

The database, the JSON format and scripts use the English codes (``person``,
``stroke``, ``certificate-pattern`` …).  A clerk may type either the code or
the Chinese word (``--sort 笔画``, ``--kind 单位``, ``settings set 落款 …``),
and under ``--lang zh`` every value is shown in Chinese.  This module is the
one mapping between the two (docs/glossary.md lists the words); nothing here
prints or parses arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

from .errors import HonoursError
from .i18n import N_, _, current_language


class UnknownValue(HonoursError, ValueError):
    """A value that is none of a vocabulary's codes or words; the message lists them."""


@dataclass(frozen=True)
class Word:
    code: str  # stored and accepted: person, stroke, certificate-pattern …
    chinese: str  # shown under --lang zh, and accepted
    aliases: tuple[str, ...] = ()  # other words accepted: 笔画, 手动 …


@dataclass(frozen=True)
class Vocabulary:
    """One set of values: what is stored, what is shown, what is accepted."""

    what: str  # the message id naming the set ("kind", "ordering rule" …), translated on use
    words: tuple[Word, ...]
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for word in self.words:
            for spelling in (word.code, word.chinese, *word.aliases):
                key = _fold(spelling)
                known = self._index.setdefault(key, word.code)
                if known != word.code:  # a spelling must name one value
                    raise AssertionError(f"{spelling!r} is both {known} and {word.code}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(word.code for word in self.words)

    def code(self, value: str, allowed: tuple[str, ...] | None = None) -> str:
        """The stored code of ``value`` (a code or a Chinese word), else UnknownValue."""
        found = self._index.get(_fold(value))
        if found is None or (allowed is not None and found not in allowed):
            raise self.refusal(value, allowed)
        return found

    def refusal(self, value: str, allowed: tuple[str, ...] | None = None) -> UnknownValue:
        """The error for a value that is not one of ours, listing the choices."""
        return UnknownValue(
            _("unknown {what} {value!r}; choose one of {choices}").format(
                what=_(self.what), value=value, choices=self.choices(allowed))
        )

    def label(self, code: str) -> str:
        """The value as shown: the Chinese word under --lang zh, else the code.
        A code outside the vocabulary (an older file's) is shown as stored."""
        if current_language() != "zh":
            return code
        for word in self.words:
            if word.code == code:
                return word.chinese
        return code

    def choices(self, allowed: tuple[str, ...] | None = None) -> str:
        """The accepted values for a message: 个人（person）、单位（unit） / person, unit."""
        words = [w for w in self.words if allowed is None or w.code in allowed]
        if current_language() == "zh":
            return "、".join(
                w.code if w.chinese == w.code else f"{w.chinese}（{w.code}）" for w in words
            )
        return ", ".join(w.code for w in words)

    def completions(
        self, incomplete: str, allowed: tuple[str, ...] | None = None
    ) -> list[tuple[str, str]]:
        """(value, help) pairs that start with what was typed: the Chinese word when
        the typing is Chinese (or nothing was typed under --lang zh), else the code."""
        chinese = current_language() == "zh" if not incomplete else not incomplete.isascii()
        found = []
        for word in self.words:
            if allowed is not None and word.code not in allowed:
                continue
            spellings = (word.chinese, *word.aliases) if chinese else (word.code,)
            for spelling in spellings:
                if spelling.lower().startswith(incomplete.lower()):
                    other = word.code if chinese else word.chinese
                    found.append((spelling, other))
                    break
        return found


def _fold(value: str) -> str:
    return value.strip().lower().replace("_", "-")


KINDS = Vocabulary(N_("kind"), (
    Word("person", "个人", ("人员", "人")),
    Word("unit", "单位", ("集体",)),
    Word("work", "作品", ("提案",)),
))

RULES = Vocabulary(N_("ordering rule"), (
    Word("stroke", "姓氏笔画", ("笔画", "按姓氏笔画排序", "笔画排序")),
    Word("stroke-fullname", "姓名笔画", ("按姓名笔画排序",)),
    Word("pinyin", "拼音", ("姓氏拼音", "按姓氏拼音排序", "拼音排序")),
    Word("manual", "手工", ("手动", "手工排序", "不排序")),
))

SETTINGS = Vocabulary(N_("setting"), (
    Word("title", "标题"),
    Word("issuer", "落款", ("发证单位",)),
    Word("year", "年度", ("年份",)),
    Word("certificate-pattern", "编号格式", ("证书编号格式",)),
    Word("date", "日期", ("发证日期",)),
))

FORMATS = Vocabulary(N_("format"), (
    Word("table", "表格"),
    Word("text", "文本", ("纯文本",)),
    Word("txt", "txt", ("文本文件",)),
    Word("md", "md", ("markdown",)),
    Word("csv", "csv"),
    Word("xlsx", "xlsx", ("excel",)),
    Word("docx", "docx", ("word",)),
    Word("pdf", "pdf"),
    Word("json", "json"),
    Word("html", "html", ("网页",)),
    Word("roll", "光荣榜文本", ("光荣榜",)),
    Word("auto", "自动", ("自动识别",)),
))

PADDINGS = Vocabulary(N_("padding"), (
    Word("space", "空格", ("半角空格",)),
    Word("ideographic", "全角空格", ("全角",)),
))

#: How many certificates a work gets: one for each of its proposers, or one for the work.
CERTIFICATE_MODES = Vocabulary(N_("certificate mode"), (
    Word("per-proposer", "每位提案者一份", ("每位提案者", "每人一份", "每人")),
    Word("per-work", "每件作品一份", ("每件作品", "每件一份", "每件")),
))

REGISTER_ORDERS = Vocabulary(N_("order"), (
    Word("roll", "榜单顺序", ("光荣榜顺序",)),
    Word("number", "编号顺序", ("编号",)),
))

#: Why a backup was taken: the reason in its file name, as a clerk reads it.
BACKUP_REASONS = Vocabulary(N_("backup reason"), (
    Word("add", "添加获奖者"),
    Word("edit", "修改获奖者"),
    Word("remove", "删除获奖者"),
    Word("move", "移动获奖者"),
    Word("import", "导入"),
    Word("category-add", "添加类别"),
    Word("category-edit", "修改类别"),
    Word("category-move", "移动类别"),
    Word("category-remove", "删除类别"),
    Word("settings", "修改设置"),
    Word("issue-numbers", "发放证书编号"),
    Word("before-restore", "恢复备份之前"),
    Word("before-undo", "撤销之前"),
    Word("undo", "撤销"),
    Word("restore", "恢复备份"),
))


def format_code(value: str, allowed: tuple[str, ...]) -> str:
    """A ``--format`` value as its code among ``allowed``: 表格 → table, 文本 → text or txt."""
    if _fold(value) in ("文本", "纯文本") and "txt" in allowed and "text" not in allowed:
        return "txt"
    return FORMATS.code(value, allowed)


# -- measure words ---------------------------------------------------------------------

#: The measure word of a count by kind: 名 for people, 家 for units, 件 for works.
MEASURES_BY_KIND = {"person": "名", "unit": "家", "work": "件"}


def listed(names: list[str], limit: int = 10) -> str:
    """Names joined with 、, the first ``limit`` of them and the count."""
    shown = "、".join(names[:limit])
    if len(names) > limit:
        shown += _(" … ({count} in all)").format(count=len(names))
    return shown


def counted(count: int, measure: str) -> str:
    """``3 名`` under --lang zh with the list's measure word; English counts by noun."""
    if current_language() == "zh":
        return f"{count} {measure or '个'}"
    return str(count)


# -- dates -----------------------------------------------------------------------------

_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?")


def canonical_date(value: str) -> str:
    """A date as a clerk writes it, as stored: 2024-12, 2024年12月, 2024.12 → 2024-12;
    2024-12-5, 2024年12月5日, 2024.12.5, 2024/12/05 → 2024-12-05.

    Raises UnknownValue with a translated sentence (never Python's own
    "month must be in 1..12")."""
    spelled = "".join(value.split())
    for separator in ("年", "月", ".", "/", "．", "／"):
        spelled = spelled.replace(separator, "-")
    spelled = spelled.removesuffix("日").removesuffix("号").rstrip("-")
    match = _DATE.fullmatch(spelled)
    if not match:
        raise UnknownValue(
            _("the date must be a year and a month, optionally a day: 2024-12, "
              "2024年12月, 2024年12月5日 or 2024.12.5, not {value!r}").format(value=value)
        )
    year, month = int(match["year"]), int(match["month"])
    day = int(match["day"]) if match["day"] else None
    if not 1 <= month <= 12:
        raise UnknownValue(
            _("there is no month {month} in {value!r}: months are 1 to 12").format(
                month=month, value=value)
        )
    try:
        Date(year, month, day or 1)
    except ValueError:
        raise UnknownValue(
            _("{year}-{month:02d} has no day {day} ({value!r})").format(
                year=year, month=month, day=day, value=value)
        ) from None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
