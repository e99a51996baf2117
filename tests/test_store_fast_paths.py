"""The store's fast paths (issue 14: add and list stay quick at 100,000 winners) give
the same results as the careful ones they stand in for.

- the file is read by orjson, or by ``json`` when only it reads exactly;
- a file as honours saved it (its body's SHA-256 in ``_meta``) skips the roll checks
  meant for hand edits, and a change is told from none by comparing bytes;
- TinyDB tables are changed in place, not copied twice per change;
- a backup is a hard link to the file being replaced, or a copy where links fail;
- the roll checks decide the usual case (every winner sound) a field at a time.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from honours import integrity
from honours.storage import Store, StoreError

from .conftest import long_tables_in_full, run_cli, terminal_output


def _store(tmp_path: Path, **options) -> Store:
    return Store(tmp_path / "roll.json", validate=integrity.check, **options)


def _roll(store: Store, winners: int = 5) -> None:
    with store.transaction() as db:
        db.table("categories").insert({"title": "名单", "parent": None, "position": 0,
                                       "kind": "person", "sort": "stroke"})
        db.table("winners").insert_multiple(
            {"category": 1, "name": f"张{i}", "position": i} for i in range(winners))


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("number", [10**18, 2**64 - 1, 2**64, -(2**63) - 1, 10**30, -(10**25)])
def test_numbers_past_64_bits_are_kept_exactly(tmp_path, number):
    """orjson reads a number past 64 bits as a float: such a file is read by json."""
    store = Store(tmp_path / "roll.json")
    with store.transaction() as db:
        db.table("things").insert({"big": number, "name": "甲"})
    assert store.snapshot().table("things").all()[0]["big"] == number
    assert type(store.snapshot().table("things").all()[0]["big"]) is int
    # and a hand-written file with it too
    path = tmp_path / "hand.json"
    path.write_text(json.dumps({"_meta": {"1": {"application": "honours", "schema": 1}},
                                "things": {"1": {"big": number}}}))
    assert Store(path).snapshot().table("things").all()[0]["big"] == number


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_infinity_are_refused_before_the_file_is_touched(tmp_path, value):
    """orjson writes NaN as null without a word: the encoder looks for it."""
    store = Store(tmp_path / "roll.json")
    _roll(store)
    before = store.file.read_bytes()
    for record in ({"value": value}, {"nested": {"list": [1, value]}}, {"x": None, "v": value}):
        with pytest.raises(StoreError, match="Nothing was saved"):
            with store.transaction() as db:
                db.table("things").insert(record)
    assert store.file.read_bytes() == before


def test_lone_surrogates_and_odd_keys_are_handled_as_json_would(tmp_path):
    store = Store(tmp_path / "roll.json")
    _roll(store)
    before = store.file.read_bytes()
    with pytest.raises(StoreError, match="Nothing was saved"):
        with store.transaction() as db:
            db.table("things").insert({"name": "\ud800"})
    assert store.file.read_bytes() == before
    with store.transaction() as db:
        db.table("things").insert({"map": {1: "一"}})  # json writes the key as "1"
    assert store.snapshot().table("things").all()[0]["map"] == {"1": "一"}


# --------------------------------------------------------------------------- saved as is


def test_a_hand_edit_keeps_its_digest_but_is_checked(tmp_path):
    """Editing a saved file leaves the _meta digest stale: the roll checks run."""
    store = _store(tmp_path)
    _roll(store)
    raw = store.file.read_bytes()
    assert b'"body":' in raw
    edited = raw.replace(b'"category":1', b'"category":9', 1)
    assert edited != raw
    store.file.write_bytes(edited)
    with pytest.raises(StoreError, match="do not make a roll"):
        store.snapshot()
    assert store.file.read_bytes() == edited


def test_a_file_as_saved_is_read_without_the_roll_checks(tmp_path, monkeypatch):
    store = _store(tmp_path)
    _roll(store)
    calls = []
    store.validate = lambda tables: calls.append(1) or []
    store.snapshot()
    assert calls == []
    edited = store.file.read_text("utf-8").replace('"name":"张1"', '"name":"张一"')
    store.file.write_text(edited, "utf-8")
    store.snapshot()
    assert calls == [1]


@pytest.mark.parametrize("layout", ["as-saved", "hand-formatted"])
def test_a_change_that_changes_nothing_writes_nothing(tmp_path, layout):
    """TinyDB writes for no-op updates; the file must not be rewritten (no backup)."""
    store = _store(tmp_path)
    _roll(store)
    if layout == "hand-formatted":
        data = json.loads(store.file.read_bytes())
        del data["_meta"]["1"]["body"]
        store.file.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    before = store.file.read_bytes()
    inode = store.file.stat().st_ino
    with store.transaction(backup="no-op") as db:
        db.table("winners").update({"name": "张1"}, doc_ids=[2])
        db.table("categories").update({"title": "名单"})
    assert store.file.read_bytes() == before
    assert store.file.stat().st_ino == inode
    assert store.list_backups() == []
    with store.transaction(backup="change") as db:
        db.table("winners").update({"name": "张一"}, doc_ids=[2])
    assert store.file.read_bytes() != before
    assert [b.reason for b in store.list_backups()] == ["change"]
    assert store.list_backups()[0].path.read_bytes() == before


# --------------------------------------------------------------------------- backups


def test_a_backup_is_a_link_to_the_replaced_file(tmp_path):
    store = _store(tmp_path)
    _roll(store)
    before = store.file.read_bytes()
    old_inode = store.file.stat().st_ino
    with store.transaction(backup="add") as db:
        db.table("winners").insert({"category": 1, "name": "李四", "position": 9})
    backup = store.list_backups()[0]
    if os.name == "posix":
        assert backup.path.stat().st_ino == old_inode
        assert store.file.stat().st_ino != old_inode
    assert backup.path.read_bytes() == before
    assert b"\xe6\x9d\x8e\xe5\x9b\x9b" in store.file.read_bytes()  # 李四


def test_where_links_fail_the_backup_is_a_copy(tmp_path, monkeypatch):
    store = _store(tmp_path)
    _roll(store)
    before = store.file.read_bytes()
    old_inode = store.file.stat().st_ino

    def no_links(*arguments):
        raise OSError("not on this file system")

    monkeypatch.setattr(os, "link", no_links)
    with store.transaction(backup="add") as db:
        db.table("winners").insert({"category": 1, "name": "李四", "position": 9})
    backup = store.list_backups()[0]
    assert backup.path.stat().st_ino != old_inode
    assert backup.path.read_bytes() == before


# --------------------------------------------------------------------------- in place


def test_a_table_change_that_fails_half_way_is_never_saved(tmp_path):
    """Tables change in place: after an operation failed half-way, what is left of
    it must not be saved, even when the caller carries on."""
    store = _store(tmp_path)
    _roll(store)
    before = store.file.read_bytes()
    with pytest.raises(StoreError, match="half-way"):
        with store.transaction() as db:
            with pytest.raises(ValueError):
                db.table("winners").insert_multiple(
                    [{"category": 1, "name": "甲", "position": 7}, "not a record"])
            db.table("winners").insert({"category": 1, "name": "乙", "position": 8})
    assert store.file.read_bytes() == before


def test_in_place_tables_behave_like_tinydb(tmp_path):
    from tinydb import Query, TinyDB
    from tinydb.storages import MemoryStorage

    store = Store(tmp_path / "roll.json")
    reference = TinyDB(storage=MemoryStorage)

    def apply(db):
        table = db.table("t")
        ids = table.insert_multiple({"n": i, "k": i % 3} for i in range(10))
        table.update({"k": 9}, Query().n > 6)
        table.remove(doc_ids=[ids[1], ids[4]])
        table.upsert({"n": 100, "k": 1}, Query().n == 100)
        table.update(lambda doc: doc.update(m=doc["n"] * 2), doc_ids=[ids[0]])
        table.insert({"n": 200})
        other = db.table("u")
        other.insert({"x": 1})
        other.truncate()
        other.insert({"x": 2})
        return [(doc.doc_id, dict(doc)) for doc in table.all()], other.all()

    with store.transaction() as db:
        ours = apply(db)
    theirs = apply(reference)
    assert ours == theirs
    snapshot = store.snapshot()
    assert [(doc.doc_id, dict(doc)) for doc in snapshot.table("t").all()] == ours[0]
    assert snapshot.table("u").all() == [{"x": 2}]
    assert snapshot.table("u").all()[0].doc_id == theirs[1][0].doc_id


# --------------------------------------------------------------------------- roll checks

_FIELD_VALUES = {
    "name": st.sampled_from(["张三", "", " ", "\u3000", 7, None, ["张"]]),
    "category": st.sampled_from([1, 2, 99, True, "1", None, 1.0]),
    "position": st.sampled_from([0, 3, "1", None, 2.5, False]),
    "affiliation": st.sampled_from(["一中", "", 5, None]),
    "note": st.sampled_from(["", "备注", [], {}]),
    "proposer": st.sampled_from(["", "王五", 0]),
    "certificate": st.sampled_from(["", "2026-0001", 1]),
}


@st.composite
def _winner(draw):
    record = {}
    for field, values in _FIELD_VALUES.items():
        if draw(st.booleans()) or field in ("name", "category"):
            if draw(st.integers(0, 9)) == 0 or field not in ("name", "category"):
                record[field] = draw(values)
            else:
                record[field] = {"name": "李四", "category": 1}[field]
    return record


@settings(max_examples=300, deadline=None)
@given(st.lists(_winner(), max_size=12))
@example([{"name": "张三", "category": 1}, {"name": "张三", "category": True}])
@example([{"name": "张三", "category": 1, "position": 0},
          {"name": "李四", "category": 1, "position": False}])
def test_the_roll_checks_find_what_the_record_by_record_check_finds(winners):
    table = {str(number): record for number, record in enumerate(winners, start=1)}
    expected = [problem for record, document in table.items()
                for problem in integrity._winner(record, document, {1, 2})]
    assert integrity._winners(table, {1, 2}) == expected


@pytest.mark.parametrize(
    "ids, bad",
    [(["1", "2", "10"], []), (["1", "01"], ["01"]), (["0"], ["0"]), (["١"], ["١"]),
     (["3", "03", "4"], ["03"])],
)
def test_record_ids_are_checked_as_before(ids, bad):
    problems = integrity._ids("winners", {record: {} for record in ids})
    assert sorted({p.record for p in problems}) == sorted(bad)


# --------------------------------------------------------------------------- list


@pytest.mark.parametrize("width", [30, 50, 80, 200])
def test_list_prints_as_the_rich_table_would(tmp_path, width, monkeypatch):
    """``list`` writes its table line by line (LongTable): the same characters as
    rich's own table, right-aligned numbers, folded long names and all."""
    from honours.cli import winners as command

    db = tmp_path / "roll.json"
    env = {"HONOURS_DB": str(db), "HONOURS_LANG": "zh"}
    assert run_cli("category", "add", "名单", env=env).returncode == 0
    names = ["张三", "欧阳娜娜", "司马相如", "王" + "二" * 10]
    for number, name in enumerate(names):
        arguments = ["add", "名单", name, "--affiliation", "第一中学" * (number + 1)]
        assert run_cli(*arguments, env=env).returncode == 0, arguments
    from honours import roll

    snapshot = Store(db).snapshot()
    category = roll.resolve_category(snapshot, "名单")
    found = roll.winners_of(snapshot, category) * 30  # place numbers of 1 to 3 digits
    assert len(found) == 120

    def printed() -> str:
        return terminal_output(monkeypatch, command, width,
                               lambda: command._print_table(snapshot, category, found))

    fast = printed()
    assert "#2 " in fast and "120" in fast
    long_tables_in_full(monkeypatch)
    assert fast == printed()


# --------------------------------------------------------------------------- saved text


_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.sampled_from(["winners", "categories", "new"]),
                  st.integers(0, 3)),
        st.tuples(st.just("update"), st.sampled_from(["winners", "categories"]),
                  st.integers(1, 8)),
        st.tuples(st.just("remove"), st.sampled_from(["winners", "new"]), st.integers(1, 8)),
        st.tuples(st.just("truncate"), st.sampled_from(["winners", "new"]), st.just(0)),
        st.tuples(st.just("drop"), st.sampled_from(["new", "settings"]), st.just(0)),
        st.tuples(st.just("same"), st.just("winners"), st.integers(1, 8)),
    ),
    max_size=6,
)


@settings(max_examples=120, deadline=None)
@given(_OPERATIONS, st.integers(0, 6))
def test_a_save_reusing_the_saved_text_writes_what_a_full_encoding_writes(
        tmp_path_factory, operations, winners):
    """Records no change touched keep their saved text: the file must be byte for
    byte what encoding every record again gives, whatever the changes were."""
    from tinydb import Query

    from honours import storage

    store = Store(tmp_path_factory.mktemp("saved") / "roll.json")
    _roll(store, winners)
    with store.transaction() as db:
        db.table("settings").insert({"year": "2026"})
    for operation, name, number in operations:
        with store.transaction() as db:
            table = db.table(name)
            if operation == "insert":
                table.insert_multiple({"name": f"新{i}", "category": 1} for i in range(number))
            elif operation == "update":
                table.update({"note": "改"}, doc_ids=[d.doc_id for d in table.all()][:number])
            elif operation == "remove":
                table.remove(doc_ids=[d.doc_id for d in table.all()][:number])
            elif operation == "truncate":
                table.truncate()
            elif operation == "drop":
                db.drop_table(name)
            else:
                table.update({"name": "张1"}, Query().name == "张1")
            # every record encoded again, from the tables as TinyDB holds them
            expected = storage._serialise(copy.deepcopy(db.storage.read()))
        assert store.file.read_bytes() == expected, (operation, name, number)


# --------------------------------------------------------------------------- tables left as text

# Spellings that share characters, carry padding, annotations and separator dots,
# a compatibility ideograph (U+F9F4 is 林 after NFC) and a quote to escape.
_NAMES = ["张伟", "张 伟", "张伟（女）", "伟张", "阿依古丽·买买提", "阿依古丽买买提",
          "林", "\uf9f4", "王\uf9f4", "李\"娜", "李娜", "王林", "John Smith", "JohnSmith"]


def _copies(tmp_path: Path, stored) -> tuple[Store, Store]:
    """The same roll in two files: one whose winners stay text until read whole
    (every table is large enough), one read whole on load."""
    stores = []
    for name in ("lazy", "eager"):
        store = Store(tmp_path / name / "roll.json")
        with store.transaction() as db:
            db.table("categories").insert_multiple(
                {"title": title, "parent": None, "position": i, "kind": "person",
                 "sort": "manual"} for i, title in enumerate(["甲", "乙", "丙"]))
            # a record with a note has its category last, as a hand edit might
            db.table("winners").insert_multiple(
                {"name": name, "position": i, **extra, "category": category} if "note" in extra
                else {"category": category, "name": name, "position": i, **extra}
                for i, (name, category, extra) in enumerate(stored))
        stores.append(store)
    return stores[0], stores[1]


_STORED = st.lists(st.tuples(st.sampled_from(_NAMES), st.integers(1, 3),
                             st.sampled_from([{}, {"affiliation": "一中"}, {"note": "张伟"},
                                              {"certificate": "2026-0001"}])),
                   max_size=14)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=_STORED, probes=st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3),
       added=st.lists(st.sampled_from(_NAMES), max_size=3), category=st.integers(1, 4))
def test_a_table_left_as_text_answers_as_the_parsed_table(
        tmp_path_factory, monkeypatch, stored, probes, added, category):
    """Reading one category or one name from the saved lines, and appending to them,
    gives what the parsed table gives, and the same file afterwards."""
    from honours import people, roll, storage
    from honours.eligibility import RollIndex

    lazy, eager = _copies(tmp_path_factory.mktemp("unread"), stored)

    def answers(store: Store, threshold: int):
        monkeypatch.setattr(storage, "LAZY_TABLE_BYTES", threshold)
        db = store.snapshot()
        unread = db.table("winners").unread() is not None
        keys = {people.name_key(name) for name in probes}
        found = roll._in_category(db.table("winners"), category)
        named = people.occurrences(db, keys=keys)
        with store.transaction() as db:
            target = roll.categories_by_id(db)[min(category, 3)]
            existing, position = roll.roster(db, target)
            documents, problems = roll.prepare_winners(
                db, target, [roll.NewWinner(name) for name in added], False, existing)
            verdict = RollIndex(db, [d["name"] for d in documents]).vet(target, documents)
            for document in verdict.kept:
                document["added"] = "2026-11-30T00:00:00"  # the same in both files
            db.table("winners").insert_multiple(
                {**d, "position": position + i} for i, d in enumerate(verdict.kept))
        return unread, (
            [(d.doc_id, dict(d)) for d in found], named, existing, position, documents,
            problems, verdict.warnings, store.file.read_bytes())

    was_unread, lazily = answers(lazy, 0)
    assert was_unread or not stored
    assert (False, lazily) == answers(eager, 1 << 40)


def test_an_insert_into_a_table_left_as_text_takes_the_next_id(tmp_path, monkeypatch):
    """The largest id comes from _meta (covered by the digest); an edited one makes
    the file one to check, not a source of a reused id."""
    from honours import storage

    monkeypatch.setattr(storage, "LAZY_TABLE_BYTES", 0)
    store = Store(tmp_path / "roll.json")
    with store.transaction() as db:
        db.table("winners").insert_multiple({"name": f"张{i}", "category": 1} for i in range(5))
        db.table("winners").remove(doc_ids=[2, 5])
    assert b'"ids":{"winners":4}' in store.file.read_bytes()
    with store.transaction() as db:
        assert db.table("winners").unread() is not None
        assert db.table("winners").insert({"name": "李", "category": 1}) == 5
        assert db.table("winners").unread() is not None  # appending read nothing
    raw = store.file.read_bytes()
    assert b'"ids":{"winners":5}' in raw
    store.file.write_bytes(raw.replace(b'"ids":{"winners":5}', b'"ids":{"winners":1}'))
    with store.transaction() as db:
        assert db.table("winners").unread() is None  # not as saved: read whole
        assert db.table("winners").insert({"name": "王", "category": 1}) == 6
    assert [d.doc_id for d in store.snapshot().table("winners").all()] == [1, 3, 4, 5, 6]


def test_a_file_without_ids_in_its_meta_is_still_read_as_saved(tmp_path, monkeypatch):
    """Files saved before _meta held the largest ids keep their fast path."""
    import hashlib
    import re

    from honours import storage

    monkeypatch.setattr(storage, "LAZY_TABLE_BYTES", 0)
    store = Store(tmp_path / "roll.json")
    _roll(store, 3)
    raw = store.file.read_bytes()
    body = raw[raw.index(b"\n}", 10) + 2:]
    old = re.sub(rb'"ids":\{[^}]*\},"body":"[0-9a-f]+"',
                 b'"body":"' + hashlib.sha256(body).hexdigest().encode() + b'"', raw)
    assert old != raw
    store.file.write_bytes(old)
    with store.transaction() as db:
        assert db.table("winners").unread() is not None
        assert db.table("winners").insert({"name": "李", "category": 1}) == 4
    assert [d["name"] for d in store.snapshot().table("winners").all()] == [
        "张0", "张1", "张2", "李"]
