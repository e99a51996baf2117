"""The shipped character data: order, coverage, and agreement with the 通用规范汉字表 order."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from honours.collation import ranking
from honours.collation.data.build_data import RECONCILIATION_COLUMNS
from honours.collation.ranking import StrokeEntry, pinyin_rank_key, stroke_rank_key

DATA = Path(ranking.__file__).resolve().parent / "data"
TGH_LEVELS = ((1, 3500), (3501, 6500), (6501, 8105))


def rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def strokes() -> list[StrokeEntry]:
    return [
        StrokeEntry(c, int(n) if n else None, seq, int(t) if t else None, src)
        for c, n, seq, t, src in rows("strokes.txt")
    ]


@cache
def by_char() -> dict[str, StrokeEntry]:
    return {e.char: e for e in strokes()}


def test_strokes_sorted_by_rank_key():
    keys = [stroke_rank_key(e) for e in strokes()]
    assert keys == sorted(keys)
    assert len(by_char()) == len(strokes()), "a character appears twice"


def test_every_line_well_formed():
    for e in strokes():
        assert e.count is not None and e.count > 0, e
        assert re.fullmatch("[1-5]*", e.sequence), e
        assert not e.sequence or len(e.sequence) == e.count, e
        assert e.source, e


def test_coverage_of_uro_block():
    chars = by_char()
    missing = [hex(cp) for cp in range(0x4E00, 0xA000) if chr(cp) not in chars]
    assert not missing
    without = [chr(cp) for cp in range(0x4E00, 0x9FA6) if not chars[chr(cp)].sequence]
    assert not without


def test_tgh_positions_each_once_with_sequence():
    positions = sorted(e.tgh for e in strokes() if e.tgh is not None)
    assert positions == list(range(1, 8106))
    assert all(e.sequence for e in strokes() if e.tgh is not None)


def test_rare_characters_have_a_place():
    for char in "䶮𬌗堃喆":
        assert char in by_char()


@pytest.mark.parametrize(("first", "last"), TGH_LEVELS)
def test_validated_against_tgh_order(first, last):
    level = sorted((e for e in strokes() if e.tgh and first <= e.tgh <= last), key=lambda e: e.tgh)
    for a, b in zip(level, level[1:], strict=False):
        assert (a.count, a.sequence) <= (b.count, b.sequence), (a, b)


def rank_of(*chars: str) -> list[int]:
    index = {e.char: i for i, e in enumerate(strokes())}
    return [index[c] for c in chars]


def test_spot_checks_from_collation_md():
    chars = by_char()
    assert (chars["丁"].count, chars["丁"].sequence) == (2, "12")
    assert (chars["马"].count, chars["马"].sequence) == (3, "551")
    # 6 strokes: 吕 (竖) < 朱 (撇) < 刘 (点) < 孙 (折)
    assert [chars[c].count for c in "吕朱刘孙"] == [6] * 4
    assert [chars[c].sequence[0] for c in "吕朱刘孙"] == list("2345")
    a, b, c, d = rank_of(*"吕朱刘孙")
    assert a < b < c < d
    # 7 strokes: 杨 < 吴 < 邱, 邹 < 汪, 沈 < 张 < 陆 < 陈
    assert [chars[c].count for c in "杨吴邱邹汪沈张陆陈"] == [7] * 9
    yang, wu, qiu, zou, wang, shen, zhang, lu, chen = rank_of(*"杨吴邱邹汪沈张陆陈")
    assert yang < wu < min(qiu, zou) <= max(qiu, zou) < min(wang, shen)
    assert max(wang, shen) < zhang < lu < chen
    # 张 < 陆 < 陈: same first stroke; 张/陆 differ at the 2nd stroke, 陆/陈 at the 4th
    zh, lu_, ch = (chars[c].sequence for c in "张陆陈")
    assert zh[0] == lu_[0] == ch[0] and zh[1] < lu_[1]
    assert lu_[:3] == ch[:3] and lu_[3] < ch[3]


@cache
def readings() -> list[tuple[str, str, int]]:
    return [(c, r, int(u)) for c, r, u in rows("readings.txt")]


def test_readings_sorted_by_pinyin_rank_key():
    index = {e.char: i for i, e in enumerate(strokes())}
    keys = [pinyin_rank_key(r, index.get(c, 10**7 + ord(c))) for c, r, _ in readings()]
    assert keys == sorted(keys)
    for _, reading, usual in readings():
        assert re.fullmatch("[a-zê]+[1-5]", reading)
        assert usual in (0, 1)


def test_one_usual_reading_per_char():
    usual: dict[str, int] = {}
    for char, _, flag in readings():
        usual[char] = usual.get(char, 0) + flag
    assert set(usual.values()) == {1}
    assert ("张", "zhang1", 1) in readings()
    assert ("了", "le5", 1) in readings()


def test_surnames():
    pairs = {(c, r) for c, r, _ in readings()}
    surnames = {}
    for surname, syllables, note in rows("surnames.txt"):
        assert surname not in surnames, surname
        parts = syllables.split()
        assert len(parts) == len(surname), surname
        assert note
        for char, reading in zip(surname, parts, strict=True):
            assert (char, reading) in pairs, (char, reading)
        surnames[surname] = parts
    assert surnames["单"] == ["shan4"]
    assert surnames["曾"] == ["zeng1"]
    assert surnames["尉迟"] == ["yu4", "chi2"]
    assert surnames["万俟"] == ["mo4", "qi2"]
    for compound in ("欧阳", "司马", "诸葛", "单于", "长孙", "澹台", "令狐"):
        assert compound in surnames


def test_reconciliation_lists_every_non_source_decision():
    columns, *body = rows("reconciliation.tsv")
    assert columns == RECONCILIATION_COLUMNS
    decided = {r[0] for r in body}
    for e in strokes():
        if e.source in ("override", "trad-derived", "tgh-inferred"):
            assert e.char in decided, e
