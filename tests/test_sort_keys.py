"""Sort keys as stored (4 Latin-1 characters a symbol) and the whole-list paths:
they must order exactly as the symbols themselves, and as one name at a time."""

from __future__ import annotations

import random
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from honours.collation import RULES, default_tables, sort_entries, sort_key, sort_records
from honours.collation import keys as keys_module
from honours.collation.keys import KINDS, keys_of
from honours.collation.names import is_han
from honours.collation.order import check_order
from honours.collation.tables import key_symbols, wide_key

ORDERED_RULES = [rule for rule in RULES if rule != "manual"]

# Han with full data, with a count only, with none (Extension H), a compatibility
# ideograph, letters (ß folds to two), digits, spaces, a middle dot, symbols.
POOL = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "一乙二十丁厂七卜人入八九几儿了力乃刀又三于干亏士工土才寸下大丈与万上"
    "䶮𠀀\U000323af\uf9ab嶺" "aAbZéßΩж" "0123" " ·・-（）"
)
names = st.text(alphabet=POOL, min_size=0, max_size=5)
han_names = st.text(alphabet=POOL[:POOL.index("a")], min_size=1, max_size=4)  # Han only
symbol_text = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=6
)


@settings(max_examples=300, deadline=None)
@given(symbol_text, symbol_text)
def test_stored_keys_compare_as_their_symbols(a, b):
    """Fixed width, most significant byte first: the order of the code points."""
    assert (wide_key(a) < wide_key(b)) == (list(map(ord, a)) < list(map(ord, b)))
    assert (wide_key(a) == wide_key(b)) == (a == b)
    assert key_symbols(wide_key(a)) == a
    assert wide_key(a).isascii() or max(wide_key(a)) <= "\xff"


@settings(max_examples=150, deadline=None)
@given(st.lists(names, max_size=25), st.sampled_from(ORDERED_RULES), st.sampled_from(KINDS))
def test_sorting_by_the_key_is_sorting_by_the_tuple_of_symbols(entries, rule, kind):
    key = sort_key(rule, kind)
    by_symbols = sorted(entries, key=lambda entry: tuple(map(ord, key_symbols(key(entry)))))
    assert sort_entries(entries, rule, kind) == by_symbols


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(names, han_names), max_size=40),
    st.sampled_from(ORDERED_RULES),
    st.sampled_from(KINDS),
)
def test_a_whole_list_is_keyed_as_one_name_at_a_time(entries, rule, kind):
    key = sort_key(rule, kind)
    expected = [key(entry) for entry in entries]
    assert keys_of(entries, rule, kind) == expected
    # The whole-list translation, which long lists take, on short ones too.
    with mock.patch.object(keys_module, "WHOLE_LIST_THRESHOLD", 0):
        assert keys_of(entries, rule, kind) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(han_names, min_size=2, max_size=40))
@example(["䶮\U000323af", "䶮䶮䶮"])  # Extension H: Han, though not a letter to Python 3.11
def test_the_two_character_blank_in_a_whole_list_of_han(entries):
    """Only Han: the fast branch of the blank.  A two-character name comes before
    every longer name of its surname, as the explicit rule says."""
    with mock.patch.object(keys_module, "WHOLE_LIST_THRESHOLD", 0):
        keys = keys_of(entries, "stroke")
    assert keys == [sort_key("stroke")(entry) for entry in entries]
    for entry, key in zip(entries, keys):
        for other, other_key in zip(entries, keys):
            if len(entry) == 2 and len(other) > 2 and entry[0] == other[0]:
                assert key < other_key


def test_a_long_list_sorts_and_checks_as_with_the_key_of_each_name():
    rng = random.Random(14)
    entries = [
        "".join(rng.choice(POOL) for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4))))
        for _ in range(keys_module.WHOLE_LIST_THRESHOLD + 5_000)
    ]
    entries += [rng.choice(POOL[:40]) + rng.choice(POOL[40:80]) for _ in range(5_000)]
    for rule in ("stroke", "stroke-fullname"):
        key = sort_key(rule)
        expected = sorted(entries, key=key)
        assert sort_entries(entries, rule) == expected
        assert check_order(expected, rule) == []
        assert check_order(entries, rule) != []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=POOL + "丶乛乜", max_size=30))
def test_unplaced_finds_what_a_look_at_every_character_finds(text):
    """Short texts are looked at character by character; long ones are searched
    first (here every text, to test the search)."""
    from honours.collation import tables as tables_module

    tables = default_tables()
    expected = tables._unplaced_among(set(text))
    assert tables.unplaced(text) == expected
    with mock.patch.object(tables_module, "_SEARCHED_TEXT", -1):
        assert tables.unplaced(text) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(han_names, st.just("")), max_size=40))
def test_keys_of_han_names_shortest_first_are_the_keys_of_each(entries):
    """The strided blank of the two-character block gives each name its own key
    (a character newer than Python's Unicode data is not a letter to it: the
    general path keys it)."""
    by_length = sorted(entries, key=len)
    letters = "".join(entries)
    expected = list(map(sort_key("stroke"), by_length))
    assert keys_module.stroke_keys_by_length(by_length, default_tables()) == (
        expected if not letters or letters.isalpha() else None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(names, han_names), min_size=1, max_size=40))
def test_names_not_all_han_are_left_to_the_general_path(entries):
    by_length = sorted(entries, key=len)
    keys = keys_module.stroke_keys_by_length(by_length, default_tables())
    letters = "".join(entries)
    if letters and not (letters.isalpha() and all(map(is_han, letters))):
        assert keys is None
    else:
        assert keys == list(map(sort_key("stroke"), by_length))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(names, han_names), max_size=40), st.sampled_from(ORDERED_RULES))
def test_a_long_list_sorts_stably_as_by_the_key_of_each(entries, rule):
    """Shortest first is only a way to key: the order is the key's, and names of
    equal keys (王伟 twice, 嶺 and its compatibility form) keep their order."""
    records = [(entry, index) for index, entry in enumerate(entries + entries[:5])]
    key = sort_key(rule)
    expected = sorted(records, key=lambda record: key(record[0]))  # stable
    with mock.patch.object(keys_module, "WHOLE_LIST_THRESHOLD", 0):
        assert sort_records(records, rule, name=lambda record: record[0]) == expected
        assert sort_entries([entry for entry, _ in records], rule) == [
            entry for entry, _ in expected]
