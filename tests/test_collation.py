"""The ordering core against real published lists, collation.md's worked examples,
and general properties (hypothesis)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from honours.collation import (
    CharTables,
    check_order,
    default_tables,
    display_form,
    parse_overrides,
    sort_entries,
    sort_key,
)
from honours.collation.explain import character_facts, explain_pair
from honours.collation.tables import OverrideError, Overrides

from .data.seed_jinshan_2024 import MEMBERS_2024, OTHERS_2024, names

SEED_LISTS = [names(MEMBERS_2024), names(OTHERS_2024)]


def squash(entries):
    return ["".join(e.split()) for e in entries]


# -- the seed's two published lists ------------------------------------------------------


@pytest.mark.parametrize("published", SEED_LISTS, ids=["members-37", "others-15"])
@pytest.mark.parametrize("spelling", ["padded", "unpadded", "ideographic-space"])
@pytest.mark.parametrize("seed", range(5))
def test_seed_lists_come_out_as_published(published, spelling, seed):
    entries = list(published)
    if spelling == "unpadded":
        entries = squash(entries)
    elif spelling == "ideographic-space":
        entries = [e.replace(" ", "\u3000") for e in entries]
    shuffled = entries[:]
    random.Random(seed).shuffle(shuffled)
    assert squash(sort_entries(shuffled, "stroke")) == squash(published)


@pytest.mark.parametrize("published", SEED_LISTS, ids=["members-37", "others-15"])
def test_seed_lists_pass_the_check_and_reversed_ones_do_not(published):
    assert check_order(published, "stroke") == []
    assert check_order(list(reversed(published)), "stroke") != []


def test_one_name_out_of_place_is_the_only_one_reported():
    published = names(MEMBERS_2024)
    proof = published[:]
    moved = proof.pop(30)  # 葛翌雷
    proof.insert(3, moved)
    problems = check_order(proof, "stroke")
    assert [p.entry for p in problems] == [moved]
    assert problems[0].line == 4
    assert problems[0].belongs_at == 31
    assert squash([problems[0].after]) == ["龚敬宇"]


# -- collation.md section 1 --------------------------------------------------------------


def in_order(entries, rule="stroke", kind="person"):
    return sort_entries(list(reversed(entries)), rule, kind) == entries


def test_six_stroke_first_strokes():
    assert in_order(["吕", "朱", "刘", "孙"])


def test_seven_stroke_examples():
    assert in_order(["杨", "吴", "邱", "汪", "张", "陆", "陈"])
    assert in_order(["杨", "吴", "邹", "沈", "张"])


def test_zhang_lu_chen_decided_on_second_and_fourth_strokes():
    explained = explain_pair("陆", "张")
    assert explained.first == "张" and "stroke 2" in explained.reason
    explained = explain_pair("陈", "陆")
    assert explained.first == "陆" and "stroke 4" in explained.reason


def test_surname_convention_puts_single_given_names_first():
    assert in_order(["田富", "田大利"], "stroke")
    assert in_order(["杨巍", "杨旦红"], "stroke")
    assert in_order(["王五", "王一二"], "stroke")


def test_fullname_convention_compares_the_second_character():
    assert in_order(["田大利", "田富"], "stroke-fullname")
    assert in_order(["杨旦红", "杨巍"], "stroke-fullname")
    assert in_order(["王一二", "王五"], "stroke-fullname")


def test_the_two_conventions_differ_on_the_same_input():
    entries = ["杨旦红", "田大利", "杨 巍", "田 富"]
    assert squash(sort_entries(entries, "stroke")) == ["田富", "田大利", "杨巍", "杨旦红"]
    assert squash(sort_entries(entries, "stroke-fullname")) == ["田大利", "田富", "杨旦红", "杨巍"]


def test_compound_surnames_order_by_their_first_character():
    assert in_order(["欧阳少东", "洪少东"])


def test_padding_annotations_and_dots_are_ignored_for_ordering_and_kept_for_display():
    key = sort_key("stroke")
    assert key("马 罡") == key("马\u3000罡") == key("马罡") == key("马罡（回族）")
    assert key("王伟(女)") == key("王伟")
    assert key("买买提·艾力") == key("买买提艾力") == key("买买提・艾力")
    assert sort_entries(["王伟(女)", "丁一"]) == ["丁一", "王伟(女)"]
    assert display_form("马　罡") == "马罡"
    assert display_form(" 买买提·艾力 ") == "买买提·艾力"
    assert display_form("John   Smith") == "John Smith"


def test_compatibility_ideographs_sort_with_their_canonical_form():
    key = sort_key("stroke")
    compat = "\uf9ab"  # CJK COMPATIBILITY IDEOGRAPH-F9AB, NFC 嶺
    assert key("王" + compat + "明") == key("王嶺明")


def test_same_count_and_sequence_falls_back_to_the_tgh_order():
    tables = default_tables()
    entries = [c for c in "己已巳" if tables.stroke_entries[c].sequence]
    ranked = sorted(entries, key=lambda c: tables.stroke_entries[c].tgh or 10**6)
    assert sort_entries(entries[::-1], "stroke") == ranked


# -- collation.md section 2: pinyin ---------------------------------------------------------


def test_u_before_umlaut_then_tone():
    assert in_order(["卢", "路", "吕", "律", "栾"], "pinyin", "unit")


def test_tones_and_homophones():
    assert in_order(["张", "章"], "pinyin", "unit")
    assert in_order(["妈", "麻", "马", "骂"], "pinyin", "unit")


SURNAME_CASES = {
    "单": "shàn", "曾": "zēng", "解": "xiè", "仇": "qiú", "区": "ōu", "查": "zhā",
    "朴": "piáo", "盖": "gě", "缪": "miào", "覃": "qín", "种": "chóng", "华": "huà",
    "任": "rén", "纪": "jǐ", "燕": "yān", "翟": "zhái", "宁": "nìng", "繁": "pó",
}


@pytest.mark.parametrize(("surname", "reading"), SURNAME_CASES.items())
def test_surname_readings(surname, reading):
    facts = character_facts(surname + "明", default_tables())
    assert facts[0].reading == reading and facts[0].surname_reading


@pytest.mark.parametrize(
    ("surname", "readings"),
    {"尉迟": "yù chí", "万俟": "mò qí", "单于": "chán yú", "长孙": "zhǎng sūn",
     "澹台": "tán tái", "令狐": "líng hú"}.items(),
)
def test_compound_surname_readings(surname, readings):
    facts = character_facts(surname + "明", default_tables())
    assert " ".join(f.reading for f in facts[:2]) == readings


def test_surname_readings_place_names_where_a_clerk_expects():
    entries = ["单雄信", "沈明", "曾国藩", "张三", "解缙", "谢明", "区伟", "欧阳锋"]
    entries += ["万俟卨", "莫言"]
    result = sort_entries(entries, "pinyin")
    assert result.index("万俟卨") < result.index("莫言")  # mò qí before mò yán
    assert result.index("区伟") < result.index("欧阳锋")  # ōu: 区 has fewer strokes
    assert result.index("单雄信") < result.index("沈明")  # shàn < shěn
    assert result.index("谢明") < result.index("解缙")  # xiè, homophones by strokes
    assert result.index("曾国藩") < result.index("张三")  # zēng < zhāng


def test_surname_readings_apply_only_to_the_surname_position():
    # 曾 as a surname is zēng, in a given name céng: so 王曾 (céng) precedes
    # 王怎 (zěn), which it would not if the surname reading leaked.
    assert character_facts("王曾", default_tables())[1].reading == "céng"
    assert sort_entries(["王怎", "王曾"], "pinyin") == ["王曾", "王怎"]


# -- section 3: units and titles -------------------------------------------------------


def test_units_numbers_by_value():
    assert in_order(["第2组", "第10组", "第100组"], "stroke", "unit")
    assert in_order(["第2组", "第10组"], "pinyin", "unit")


def test_units_symbols_digits_latin_han():
    assert in_order(["（一）", "3号楼", "ABC公司", "abd公司", "中国银行"], "stroke", "unit")


def test_units_have_no_two_character_blank():
    # 进 (7 strokes) < 革 (9): without the blank 民进界别 comes first; a
    # person list would put the two-character 民革 first.
    assert in_order(["民进界别", "民革"], "stroke", "unit")
    assert in_order(["民革", "民进界别"], "stroke", "person")


# -- section 5: characters the data does not know ----------------------------------------


def test_unknown_characters_get_a_deterministic_place_and_are_reported():
    unknown = "\U000323af"  # a code point in CJK Extension H with no data
    entries = ["丁一", "王" + unknown, "王五"]
    result = sort_entries(entries, "stroke-fullname")
    assert result == sort_entries(list(reversed(entries)), "stroke-fullname")
    assert result[-1] == "王" + unknown
    assert unknown in default_tables().unplaced("".join(entries))


def test_overrides_take_effect():
    overrides = parse_overrides("䶮 22 1234512345123451234512\n罡 gang4\n")
    tables = CharTables(overrides)
    assert tables.stroke_entries["䶮"].count == 22
    assert tables.stroke_entries["䶮"].source == "override"
    assert tables.usual_readings["罡"] == "gang4"
    assert "䶮" not in tables.unplaced("䶮")
    # With 22 strokes 䶮 now sorts after 蠢 (21 strokes) and before unknown characters.
    assert sort_entries(["刘䶮", "刘蠢"], "stroke-fullname", tables=tables) == ["刘蠢", "刘䶮"]


def test_overrides_accept_stroke_names_and_marked_pinyin():
    overrides = parse_overrides("# comment\n丁 2 横竖\n罡 gāng\n")
    assert overrides.strokes["丁"] == (2, "12")
    assert overrides.readings["罡"] == "gang1"


@pytest.mark.parametrize(
    "line", ["丁 3 12", "丁 2 16", "丁丁 2 12", "丁", "丁 2 12 extra"]
)
def test_bad_override_lines_name_the_line(line):
    with pytest.raises(OverrideError, match="line 2"):
        parse_overrides("丁 2 12\n" + line)


def test_empty_overrides_are_falsy():
    assert not Overrides()


# -- properties -------------------------------------------------------------------------

COMMON = "丁马吕朱刘孙杨吴邱邹汪沈张陆陈金郑胡冒俞顾徐龚葛董蒋韩蔡樊潘王李赵钱周吴郑冯褚卫蒋"
GIVEN = "丽珍罡东远春燕振倪新宇海美巍旦红依晏佩汪旭兵沂永华桂蓓雷玉萍学峰健娟吉根长青欢英兰敬翌伟"
name_strategy = st.builds(
    lambda s, g, pad: s + (" " if pad and len(g) == 1 else "") + g,
    st.sampled_from(COMMON),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
    st.booleans(),
)
entry_strategy = st.one_of(
    name_strategy,
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn")
        ),
        min_size=1,
        max_size=8,
    ),
)
RULES = ["stroke", "stroke-fullname", "pinyin"]


@settings(max_examples=150, deadline=None)
@given(st.lists(entry_strategy, max_size=30), st.sampled_from(RULES), st.sampled_from(
    ["person", "unit"]))
def test_sorting_is_a_permutation_and_idempotent(entries, rule, kind):
    once = sort_entries(entries, rule, kind)
    assert sorted(once) == sorted(entries)
    assert sort_entries(once, rule, kind) == once
    assert check_order(once, rule, kind) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(name_strategy, min_size=1, max_size=30), st.sampled_from(RULES), st.randoms())
def test_order_does_not_depend_on_input_order(entries, rule, rnd):
    key = sort_key(rule)
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    assert [key(e) for e in sort_entries(entries, rule)] == [
        key(e) for e in sort_entries(shuffled, rule)
    ]


@settings(max_examples=200, deadline=None)
@given(entry_strategy, entry_strategy, entry_strategy, st.sampled_from(RULES))
def test_order_is_total_and_transitive(a, b, c, rule):
    key = sort_key(rule, "unit")
    ka, kb, kc = key(a), key(b), key(c)
    assert (ka < kb) + (ka == kb) + (ka > kb) == 1
    if ka <= kb and kb <= kc:
        assert ka <= kc


@settings(max_examples=100, deadline=None)
@given(st.lists(name_strategy, min_size=2, max_size=20), st.data())
def test_check_reports_exactly_a_moved_entry(entries, data):
    ordered = sort_entries(list(dict.fromkeys(squash(entries))), "stroke")
    if len(ordered) < 2:
        return
    key = sort_key("stroke")
    if len({key(e) for e in ordered}) < len(ordered):
        return
    source = data.draw(st.integers(0, len(ordered) - 1))
    moved = ordered[:]
    entry = moved.pop(source)
    target = data.draw(st.integers(0, len(moved)))
    moved.insert(target, entry)
    problems = check_order(moved, "stroke")
    if moved == ordered:
        assert problems == []
    else:
        assert len(problems) == 1


# -- units in pinyin order are read in context -----------------------------------------


def test_units_in_pinyin_order_read_characters_in_context():
    # 重庆 is chóng qìng (alone 重 is zhòng); 银行 is yín háng (alone 行 is xíng).
    assert sort_entries(["中山市", "重庆市"], "pinyin", "unit") == ["重庆市", "中山市"]
    assert sort_entries(["银河公司", "银行"], "pinyin", "unit") == ["银行", "银河公司"]
    assert sort_entries(["第10组", "第2组"], "pinyin", "unit") == ["第2组", "第10组"]
    facts = character_facts("中国银行", default_tables(), as_name=False)
    assert facts[3].reading == "háng"


def test_reading_overrides_apply_to_units_too():
    tables = CharTables(parse_overrides("银 an1\n"))
    assert sort_entries(["银行", "报社"], "pinyin", "unit", tables=tables) == ["银行", "报社"]


def test_common_surnames_in_the_order_official_lists_print_them():
    # 100 common surnames as 姓氏笔画 lists of national and provincial bodies print them.
    printed = (
        "丁 于 马 王 韦 牛 毛 方 尹 邓 石 卢 叶 田 史 白 冯 司 邢 吕 朱 乔 任 刘 江 汤 许 孙 纪 严 "
        "苏 杜 李 杨 吴 邱 何 余 谷 邹 汪 沈 宋 张 陆 陈 邵 武 范 林 罗 金 周 郑 孟 赵 胡 柯 钟 段 "
        "侯 姚 贺 秦 袁 耿 聂 贾 夏 顾 钱 徐 殷 高 郭 唐 黄 曹 龚 盛 常 崔 康 章 梁 彭 葛 董 蒋 韩 "
        "程 傅 曾 谢 蔡 谭 熊 黎 潘 薛 戴 魏"
    ).split()
    shuffled = printed[:]
    random.Random(7).shuffle(shuffled)
    assert sort_entries(shuffled, "stroke") == printed
