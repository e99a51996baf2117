"""Attack tests for honours.storage, through its public API and with real processes.

Child processes run ``python -c`` with the venv's interpreter and the checkout on
PYTHONPATH, so they use exactly the code under test and die like a real command would.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from honours.paths import resolve_db_path
from honours.storage import (
    Backup,
    BackupNotFound,
    DamagedDatabase,
    DatabaseBusy,
    NotAHonoursDatabase,
    Store,
    StoreError,
    UnsupportedSchema,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
POSIX = os.name == "posix"
REFUSALS = (DamagedDatabase, NotAHonoursDatabase, UnsupportedSchema)


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    # A nested, not yet existing folder: the store must create it on the first write.
    return tmp_path / "clerk" / "2026" / "honours.json"


def make_db(path: Path, winners: int = 3, **store_options: Any) -> Store:
    store = Store(path, **store_options)
    with store.transaction() as db:
        db.table("winners").insert_multiple(
            {"name": f"获奖者{i}", "seq": i} for i in range(winners)
        )
        db.table("counters").insert({"name": "winners", "value": winners})
    return store


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def winners_of(store: Store) -> list[dict[str, Any]]:
    return [dict(doc) for doc in store.snapshot().table("winners").all()]


def assert_refused_and_untouched(
    store: Store, expected: type[StoreError], original: bytes
) -> list[StoreError]:
    """Both ways in (snapshot and transaction) refuse; the bytes on disk never change."""
    errors: list[StoreError] = []
    with pytest.raises(expected) as caught:
        store.snapshot()
    errors.append(caught.value)

    body_ran = False
    with pytest.raises(expected) as caught:
        with store.transaction(backup="attack") as db:
            body_ran = True
            db.table("winners").insert({"name": "must not be written"})
    errors.append(caught.value)

    assert not body_ran
    assert store.path.read_bytes() == original
    assert store.list_backups() == []
    assert temp_files(store.path.parent) == []
    for error in errors:
        assert str(store.path) in str(error)
        assert "untouched" in str(error)
    return errors


# --------------------------------------------------------------------------- which file


def test_resolve_db_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    env = {"HONOURS_DB": str(tmp_path / "from-env.json")}

    assert resolve_db_path(str(tmp_path / "opt.json"), env) == tmp_path / "opt.json"
    assert resolve_db_path(None, env) == tmp_path / "from-env.json"
    assert resolve_db_path("", env) == tmp_path / "from-env.json"
    default = Path(platformdirs.user_data_dir("honours")) / "honours.json"
    assert resolve_db_path(None, {}) == default
    assert resolve_db_path(None, {"HONOURS_DB": ""}) == default

    # ~ is expanded, for the option and for the variable.
    home = Path("~").expanduser()
    assert home == tmp_path / "home"
    assert resolve_db_path("~/a.json", env) == home / "a.json"
    assert resolve_db_path(None, {"HONOURS_DB": "~/b.json"}) == home / "b.json"

    # The real environment is the default mapping.
    monkeypatch.setenv("HONOURS_DB", str(tmp_path / "real-env.json"))
    assert resolve_db_path(None) == tmp_path / "real-env.json"
    monkeypatch.delenv("HONOURS_DB")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert resolve_db_path(None) == tmp_path / "xdg" / "honours" / "honours.json"


def test_importing_the_module_stays_light() -> None:
    probe = "import sys, honours.storage; print('platformdirs' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=child_env(), capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- basics


def test_missing_file_is_empty_and_created_on_first_write(db_path: Path) -> None:
    store = Store(db_path)
    assert not store.exists()
    assert store.snapshot().table("winners").all() == []

    with store.transaction(backup="nothing-to-back-up") as db:
        assert db.tables() == set()
        db.table("winners").all()
    assert not store.exists(), "a transaction that changed nothing must not create the file"

    with store.transaction(backup="first") as db:
        db.table("winners").insert({"name": "李四", "award": "先进工作者"})
    assert store.exists()
    assert store.list_backups() == [], "there was nothing to back up"

    raw = db_path.read_bytes()
    assert "李四".encode() in raw, "Chinese must be stored readable (ensure_ascii=False)"
    on_disk = json.loads(raw)
    meta = on_disk["_meta"]["1"]
    assert (meta["application"], meta["schema"]) == ("honours", 1)
    body = raw[raw.index(b"\n}", raw.index(b'"_meta"')) + 2:]
    assert meta["ids"] == {"winners": 1}, "the largest id of each table"
    digest = hashlib.sha256(body + b'\n{"winners":1}').hexdigest()
    assert meta["body"] == digest, "the digest of the body and the ids, for _changed"
    assert on_disk["winners"] == {"1": {"name": "李四", "award": "先进工作者"}}
    assert winners_of(store) == [{"name": "李四", "award": "先进工作者"}]


def test_meta_is_hidden_and_reserved(db_path: Path) -> None:
    store = make_db(db_path)
    original = db_path.read_bytes()
    with store.transaction() as db:
        assert db.tables() == {"winners", "counters"}
    assert "_meta" not in store.snapshot().tables()

    with pytest.raises(StoreError, match="reserved"):
        with store.transaction() as db:
            db.table("_meta").insert({"application": "evil", "schema": 99})
    assert db_path.read_bytes() == original

    # Dropping every table must not drop the schema record.
    with store.transaction() as db:
        db.drop_tables()
    on_disk = json.loads(db_path.read_bytes())
    assert list(on_disk) == ["_meta"]
    meta = on_disk["_meta"]["1"]
    assert (meta["application"], meta["schema"], set(meta)) == (
        "honours", 1, {"application", "schema", "ids", "body"})


def test_no_op_transaction_does_not_rewrite(db_path: Path) -> None:
    store = make_db(db_path)
    before = db_path.stat()
    with store.transaction(backup="no-op") as db:
        # TinyDB writes to its storage even when these change nothing.
        db.table("winners").update({"name": "获奖者0"}, doc_ids=[1])
        db.table("winners").remove(doc_ids=[])
    after = db_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert store.list_backups() == []


def test_snapshot_is_read_only_and_needs_no_lock(db_path: Path) -> None:
    store = make_db(db_path)
    with FileLock(str(store.lock_path)):
        snap = store.snapshot()
        assert len(snap.table("winners")) == 3
    with pytest.raises(StoreError, match="read-only"):
        snap.table("winners").insert({"name": "x"})


def test_database_is_unusable_after_the_transaction(db_path: Path) -> None:
    store = make_db(db_path)
    with store.transaction() as db:
        pass
    with pytest.raises(StoreError, match="ended"):
        db.table("winners").insert({"name": "too late"})
    assert len(winners_of(store)) == 3


def test_nested_transaction_is_refused(db_path: Path) -> None:
    store = make_db(db_path)
    with store.transaction() as db:
        db.table("winners").insert({"name": "outer"})
        with pytest.raises(StoreError, match="already open"):
            with store.transaction():
                pass
    assert [w["name"] for w in winners_of(store)][-1] == "outer"


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=5)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tables=st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda name: name != "_meta"),
        st.lists(DOCUMENTS, max_size=5),
        max_size=3,
    )
)
def test_any_json_documents_round_trip(tmp_path: Path, tables: dict[str, list[dict]]) -> None:
    path = tmp_path / f"rt-{os.urandom(8).hex()}.json"
    store = Store(path)
    with store.transaction() as db:
        for name, documents in tables.items():
            db.table(name).insert_multiple(documents)
    snap = store.snapshot()
    for name, documents in tables.items():
        assert [dict(doc) for doc in snap.table(name).all()] == documents


# --------------------------------------------------------------------------- refused files


def _valid_db_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "valid" / "honours.json"
    make_db(path, winners=30)
    return path.read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        "zero-bytes",
        "whitespace",
        "truncated",
        "truncated-mid-character",
        "random-bytes",
        "not-utf8",
        "nan-literal",
        "table-not-object",
    ],
)
def test_damaged_file_is_refused_and_left_untouched(
    tmp_path: Path, db_path: Path, damage: str
) -> None:
    valid = _valid_db_bytes(tmp_path)
    chinese_at = valid.index("获".encode()) + 1
    contents = {
        "zero-bytes": b"",
        "whitespace": b"  \n\t",
        "truncated": valid[: len(valid) // 2],
        "truncated-mid-character": valid[:chinese_at],
        "random-bytes": random.Random(7).randbytes(4096),
        "not-utf8": valid.replace("获".encode(), b"\xff\xfe", 1),
        "nan-literal": valid.replace(b'"value":30', b'"value":NaN'),
        "table-not-object": valid.replace(b'"winners": {', b'"winners": [{', 1)[:-3] + b"}]}",
    }[damage]
    assert contents != valid, "the damage must change the file"
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(contents)

    errors = assert_refused_and_untouched(Store(db_path), DamagedDatabase, contents)
    message = str(errors[0])
    assert "damaged" in message
    assert "honours backup list" in message
    assert "honours backup restore NAME" in message
    assert "No backups were found" in message


def test_damaged_message_names_the_newest_backup(db_path: Path) -> None:
    store = make_db(db_path)
    for reason in ("first", "second"):
        with store.transaction(backup=reason) as db:
            db.table("winners").insert({"name": reason})
    newest = store.list_backups()[0]
    assert newest.reason == "second"

    db_path.write_bytes(db_path.read_bytes()[:-20])
    with pytest.raises(DamagedDatabase) as caught:
        store.snapshot()
    assert newest.name in str(caught.value)
    assert caught.value.path == db_path


def test_every_truncation_of_a_database_is_refused(tmp_path: Path, db_path: Path) -> None:
    valid = _valid_db_bytes(tmp_path)
    db_path.parent.mkdir(parents=True)
    store = Store(db_path)
    # Dropping only the final newline still leaves the complete document.
    for length in range(len(valid) - 1):
        db_path.write_bytes(valid[:length])
        with pytest.raises(DamagedDatabase):
            store.snapshot()
    db_path.write_bytes(valid[:-1])
    assert len(store.snapshot().table("winners")) == 30


@pytest.mark.parametrize(
    "contents",
    [
        b"[]",
        b"42",
        b'"honours"',
        b"null",
        b"{}",
        b'{"_default": {"1": {"name": "a plain TinyDB file"}}}',
        b'{"_meta": {"1": {"application": "something-else", "schema": 1}}}',
        b'{"_meta": [{"application": "honours", "schema": 1}]}',
        b'{"settings": {"theme": "dark"}}',
    ],
)
def test_json_that_is_not_a_honours_database_is_refused(db_path: Path, contents: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(contents)
    errors = assert_refused_and_untouched(Store(db_path), NotAHonoursDatabase, contents)
    assert "not a honours database" in str(errors[0])
    assert "--db" in str(errors[0])


@pytest.mark.parametrize("schema", [2, 99, 0, -1, "1", 1.5, None, True])
def test_unknown_schema_is_refused(db_path: Path, schema: object) -> None:
    contents = json.dumps(
        {"_meta": {"1": {"application": "honours", "schema": schema}}, "winners": {}}
    ).encode()
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(contents)
    errors = assert_refused_and_untouched(Store(db_path), UnsupportedSchema, contents)
    assert isinstance(errors[0], UnsupportedSchema)
    assert errors[0].schema == schema
    if schema in (2, 99):
        assert "newer version of honours" in str(errors[0])


def _mutations_of_a_valid_db(draw: st.DrawFn) -> bytes:
    valid = json.dumps(
        {
            "_meta": {"1": {"application": "honours", "schema": 1}},
            "winners": {"1": {"name": "王五", "score": 1.5}, "2": {"tags": [1, None, True]}},
        },
        ensure_ascii=False,
    ).encode()
    start = draw(st.integers(0, len(valid)))
    end = draw(st.integers(start, len(valid)))
    filler = draw(st.binary(max_size=3))
    return valid[:start] + filler + valid[end:]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contents=st.binary(max_size=200)
    | JSON_VALUES.map(lambda value: json.dumps(value).encode())
    | st.composite(_mutations_of_a_valid_db)()
)
def test_any_bytes_either_load_or_are_refused_untouched(tmp_path: Path, contents: bytes) -> None:
    path = tmp_path / f"fuzz-{os.urandom(8).hex()}.json"
    path.write_bytes(contents)
    store = Store(path)
    try:
        store.snapshot()
    except REFUSALS as error:
        refused: type[StoreError] | None = type(error)
    else:
        refused = None

    if refused is None:
        with store.transaction() as db:
            db.table("winners").insert({"name": "added"})
        assert {"name": "added"} in winners_of(store)
    else:
        with pytest.raises(refused):
            with store.transaction() as db:
                db.table("winners").insert({"name": "must not be written"})
        assert path.read_bytes() == contents


# --------------------------------------------------------------------------- all or nothing


def _circular() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


@pytest.mark.parametrize(
    "bad_value",
    [
        pytest.param({"a", "b"}, id="set"),
        pytest.param(datetime(2026, 11, 28, 18, 45), id="datetime"),
        pytest.param(math.nan, id="nan"),
        pytest.param(-math.inf, id="infinity"),
        pytest.param(b"bytes", id="bytes"),
        pytest.param(object(), id="object"),
        pytest.param("\ud800 lone surrogate", id="surrogate"),
        pytest.param({(1, 2): "tuple key"}, id="tuple-key"),
        pytest.param(_circular(), id="circular"),
    ],
)
@pytest.mark.parametrize("file_exists", [True, False], ids=["existing", "missing"])
def test_unserialisable_value_writes_nothing(
    db_path: Path, bad_value: object, file_exists: bool
) -> None:
    store = make_db(db_path) if file_exists else Store(db_path)
    original = db_path.read_bytes() if file_exists else None

    with pytest.raises(StoreError, match="Nothing was saved"):
        with store.transaction(backup="bad-value") as db:
            db.table("winners").insert({"name": "good"})
            db.table("winners").insert({"name": "bad", "value": bad_value})

    if file_exists:
        assert db_path.read_bytes() == original
        assert temp_files(db_path.parent) == []
    else:
        assert not db_path.exists()
    assert store.list_backups() == []


@pytest.mark.parametrize("exception", [ValueError, KeyboardInterrupt])
def test_exception_in_transaction_writes_nothing(db_path: Path, exception: type) -> None:
    store = make_db(db_path)
    original = db_path.read_bytes()
    with pytest.raises(exception):
        with store.transaction(backup="doomed") as db:
            db.table("winners").truncate()
            db.table("counters").update({"value": 0})
            raise exception("boom")
    assert db_path.read_bytes() == original
    assert store.list_backups() == []

    # The lock was released: the next command proceeds at once.
    with Store(db_path, lock_timeout=0.5).transaction() as db:
        assert len(db.table("winners")) == 3


# --------------------------------------------------------------------------- the file itself


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_permissions_are_kept_and_new_files_follow_umask(db_path: Path) -> None:
    store = make_db(db_path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o666 & ~umask

    db_path.chmod(0o640)
    with store.transaction(backup="chmod") as db:
        db.table("winners").insert({"name": "x"})
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o640
    assert stat.S_IMODE(store.list_backups()[0].path.stat().st_mode) == 0o640


@pytest.mark.skipif(not POSIX, reason="symlinks")
def test_a_symlinked_database_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "synced" / "honours.json"
    make_db(real)
    link = tmp_path / "link.json"
    link.symlink_to(real)

    store = Store(link)
    with store.transaction(backup="via-link") as db:
        db.table("winners").insert({"name": "through the link"})
    assert link.is_symlink()
    assert {"name": "through the link"} in winners_of(Store(real))
    assert Store(real).list_backups() == store.list_backups() != []


# --------------------------------------------------------------------------- backups


def test_backups_are_taken_bounded_and_listed_newest_first(db_path: Path) -> None:
    store = make_db(db_path, keep_backups=3)
    states = [db_path.read_bytes()]
    for i in range(6):
        with store.transaction(backup=f"Delete category #{i}!") as db:
            db.table("winners").insert({"name": f"new {i}"})
        states.append(db_path.read_bytes())

    # Reasons without a backup, and no-op transactions, leave the set alone.
    with store.transaction(backup="") as db:
        db.table("winners").insert({"name": "unbacked"})
    with store.transaction(backup="no change") as db:
        db.table("winners").all()

    backups = store.list_backups()
    assert [b.reason for b in backups] == [f"delete-category-{i}" for i in (5, 4, 3)]
    # Each backup holds the content just before its transaction, byte for byte.
    assert [b.path.read_bytes() for b in backups] == [states[5], states[4], states[3]]
    assert [b.size for b in backups] == [len(states[i]) for i in (5, 4, 3)]
    created = [b.created for b in backups]
    assert created == sorted(created, reverse=True)
    for backup in backups:
        assert backup.path.parent == db_path.parent / "honours.backups"
        assert backup.name.startswith("honours-") and backup.name.endswith(".json")
        assert backup.name == backup.path.name
        assert backup.name.startswith(f"honours-{backup.created:%Y%m%d-%H%M%S-%f}-")
        assert isinstance(Store(backup.path).snapshot().table("winners").all(), list)

    # Unrelated files in the folder are neither listed nor pruned.
    stray = db_path.parent / "honours.backups" / "notes.txt"
    stray.write_text("keep me")
    with store.transaction(backup="one more") as db:
        db.table("winners").insert({"name": "last"})
    assert len(store.list_backups()) == 3
    assert stray.exists()


def test_keep_zero_backups_disables_them(db_path: Path) -> None:
    store = make_db(db_path, keep_backups=0)
    with store.transaction(backup="reason") as db:
        db.table("winners").truncate()
    assert store.list_backups() == []


def test_restore_takes_a_before_restore_backup(db_path: Path) -> None:
    store = make_db(db_path, keep_backups=3)
    for i in range(3):
        with store.transaction(backup=f"step-{i}") as db:
            db.table("winners").insert({"name": f"step {i}"})
    current = db_path.read_bytes()
    oldest = store.list_backups()[-1]  # the original 3 winners; first to be pruned
    oldest_bytes = oldest.path.read_bytes()

    outcome = store.restore(oldest.name)

    assert db_path.read_bytes() == oldest_bytes
    assert len(winners_of(store)) == 3
    assert isinstance(outcome, Backup)
    assert outcome.name == oldest.name
    assert outcome.path == oldest.path
    assert outcome.set_aside is None
    assert outcome.safety_backup is not None
    assert outcome.safety_backup.reason == "before-restore"
    assert outcome.safety_backup.path.read_bytes() == current
    names = [b.name for b in store.list_backups()]
    assert names[0] == outcome.safety_backup.name
    assert oldest.name in names, "the backup being restored must not be pruned"

    # Undo the restore with the safety copy; the name without .json works too.
    store.restore(outcome.safety_backup.name.removesuffix(".json"))
    assert db_path.read_bytes() == current


def test_restore_over_a_damaged_file_keeps_it_aside(db_path: Path) -> None:
    store = make_db(db_path)
    with store.transaction(backup="before-damage") as db:
        db.table("winners").insert({"name": "later"})
    damaged = db_path.read_bytes()[:-40]
    db_path.write_bytes(damaged)

    with pytest.raises(DamagedDatabase) as caught:
        store.snapshot()
    backup = store.list_backups()[0]
    assert backup.name in str(caught.value)

    outcome = store.restore(backup.name)
    assert outcome.safety_backup is None
    assert outcome.set_aside is not None
    assert outcome.set_aside.name.startswith("honours.json.damaged-")
    assert outcome.set_aside.read_bytes() == damaged
    assert db_path.read_bytes() == backup.path.read_bytes()
    assert len(winners_of(store)) == 3
    assert [b.name for b in store.list_backups()] == [backup.name]


@pytest.mark.parametrize(
    "foreign",
    [b'{"settings": {}}', b'{"_meta": {"1": {"application": "honours", "schema": 9}}}'],
    ids=["not-honours", "newer-schema"],
)
def test_restore_over_a_foreign_file_keeps_it_aside(db_path: Path, foreign: bytes) -> None:
    store = make_db(db_path)
    with store.transaction(backup="good") as db:
        db.table("winners").truncate()
    db_path.write_bytes(foreign)
    outcome = store.restore(store.list_backups()[0].name)
    assert outcome.safety_backup is None
    assert outcome.set_aside is not None
    assert outcome.set_aside.name.startswith("honours.json.set-aside-")
    assert outcome.set_aside.read_bytes() == foreign
    assert len(winners_of(store)) == 3


def test_restore_over_a_missing_file(db_path: Path) -> None:
    store = make_db(db_path)
    with store.transaction(backup="keep") as db:
        db.table("winners").truncate()
    db_path.unlink()
    outcome = store.restore(store.list_backups()[0].name)
    assert (outcome.safety_backup, outcome.set_aside) == (None, None)
    assert len(winners_of(store)) == 3


@pytest.mark.parametrize(
    ("contents", "expected"),
    [
        (b'{"_meta": {"1": {"appl', DamagedDatabase),
        (b"", DamagedDatabase),
        (b'{"other": {}}', NotAHonoursDatabase),
        (b'{"_meta": {"1": {"application": "honours", "schema": 7}}}', UnsupportedSchema),
    ],
)
def test_restore_refuses_a_bad_backup(
    db_path: Path, contents: bytes, expected: type[StoreError]
) -> None:
    store = make_db(db_path)
    with store.transaction(backup="good") as db:
        db.table("winners").insert({"name": "x"})
    bad = store.backup_dir / "honours-20991231-235959-999999-planted.json"
    bad.write_bytes(contents)
    assert store.list_backups()[0].name == bad.name
    current = db_path.read_bytes()
    before = sorted(p.name for p in store.backup_dir.iterdir())

    with pytest.raises(expected, match="cannot be restored"):
        store.restore(bad.name)
    assert db_path.read_bytes() == current
    assert sorted(p.name for p in store.backup_dir.iterdir()) == before


@pytest.mark.parametrize(
    "name", ["honours-20000101-000000-000000-nope.json", "../honours.json", "", "honours.json"]
)
def test_restore_of_an_unknown_backup(db_path: Path, name: str) -> None:
    store = make_db(db_path)
    with store.transaction(backup="one") as db:
        db.table("winners").truncate()
    current = db_path.read_bytes()
    with pytest.raises(BackupNotFound, match="honours backup list"):
        store.restore(name)
    assert db_path.read_bytes() == current


# --------------------------------------------------------------------------- locking

HOLD_LOCK = """
    import sys, time
    from filelock import FileLock
    lock = FileLock(sys.argv[1])
    lock.acquire()
    print("locked", flush=True)
    time.sleep(120)
"""


def test_lock_timeout_gives_database_busy(db_path: Path) -> None:
    store = make_db(db_path, lock_timeout=0.3, keep_backups=5)
    with store.transaction(backup="for-restore") as db:
        db.table("winners").insert({"name": "x"})
    original = db_path.read_bytes()

    with FileLock(str(store.lock_path)):
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught:
            with store.transaction() as db:
                db.table("winners").truncate()
        waited = time.monotonic() - started
        with pytest.raises(DatabaseBusy):
            store.restore(store.list_backups()[0].name)
        assert len(store.snapshot().table("winners")) == 4  # readers are not blocked

    assert 0.25 <= waited < 5
    assert str(db_path) in str(caught.value)
    assert "in use by another honours command" in str(caught.value)
    assert db_path.read_bytes() == original


def test_lock_held_by_another_process_and_released_when_it_dies(db_path: Path) -> None:
    store = make_db(db_path, lock_timeout=0.3)
    holder = start_child(HOLD_LOCK, str(store.lock_path))
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusy):
            with store.transaction() as db:
                db.table("winners").insert({"name": "blocked"})
    finally:
        holder.kill()
        holder.communicate()
    # A killed holder leaves no stale lock behind.
    with Store(db_path, lock_timeout=5).transaction() as db:
        db.table("winners").insert({"name": "after the holder died"})
    assert winners_of(store)[-1] == {"name": "after the holder died"}


# --------------------------------------------------------------------------- real processes

APPEND_WORKER = """
    import sys, time
    from pathlib import Path
    from honours.storage import Store

    path, go = Path(sys.argv[1]), Path(sys.argv[2])
    worker, count = int(sys.argv[3]), int(sys.argv[4])
    store = Store(path, lock_timeout=60)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    for seq in range(count):
        with store.transaction() as db:
            name = f"工人{worker}-{seq}"
            db.table("winners").insert({"worker": worker, "seq": seq, "name": name})
            counters = db.table("counters")
            counter = counters.get(doc_id=1)
            if counter is None:
                counters.insert({"name": "winners", "value": 1})
            else:
                counters.update({"value": counter["value"] + 1}, doc_ids=[1])
"""


def _consistent_counter(store: Store) -> tuple[int, int]:
    snap = store.snapshot()
    counters = snap.table("counters").all()
    value = counters[0]["value"] if counters else 0
    return value, len(snap.table("winners"))


@pytest.mark.slow
def test_concurrent_processes_lose_nothing(tmp_path: Path, db_path: Path) -> None:
    workers, per_worker = 4, 50
    go = tmp_path / "go"
    children = [
        start_child(APPEND_WORKER, str(db_path), str(go), str(w), str(per_worker))
        for w in range(workers)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        go.touch()

        # Meanwhile read without the lock: every snapshot must be a complete committed state.
        store = Store(db_path)
        reads = 0
        while any(child.poll() is None for child in children):
            if store.exists():
                value, count = _consistent_counter(store)
                assert value == count
                reads += 1
            time.sleep(0.002)
        for child in children:
            _, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.communicate()

    assert reads > 0
    winners = winners_of(store)
    assert len(winners) == workers * per_worker
    assert {(w["worker"], w["seq"]) for w in winners} == {
        (w, s) for w in range(workers) for s in range(per_worker)
    }
    assert _consistent_counter(store) == (workers * per_worker, workers * per_worker)
    json.loads(db_path.read_bytes())
    assert temp_files(db_path.parent) == []


BIG_TRANSACTION_WRITER = """
    import os
    import sys
    from pathlib import Path
    from honours.storage import Store

    if sys.argv[3:] == ["copy"]:  # a file system without hard links: backups are copies
        def no_links(*arguments):
            raise OSError("no hard links here")
        os.link = no_links

    store = Store(Path(sys.argv[1]), keep_backups=3, lock_timeout=60)
    base = int(sys.argv[2])
    counters = store.snapshot().table("counters").all()
    generation = counters[0]["generation"] if counters else 0
    while True:
        generation += 1
        size = base + generation  # every state has its own size
        with store.transaction(backup="regenerate") as db:
            winners = db.table("winners")
            winners.truncate()
            winners.insert_multiple(
                {"generation": generation, "seq": i, "name": f"获奖者{i}", "award": "优秀"}
                for i in range(size)
            )
            counters = db.table("counters")
            counters.truncate()
            counters.insert({"generation": generation, "count": size})
        print(generation, flush=True)
"""


def _check_generation(store: Store, base: int) -> int:
    """The file holds one complete state; return its generation."""
    snap = store.snapshot()
    counters = snap.table("counters").all()
    assert len(counters) == 1
    generation, count = counters[0]["generation"], counters[0]["count"]
    winners = snap.table("winners").all()
    assert count == len(winners) == base + generation
    assert all(w["generation"] == generation for w in winners)
    assert [w["seq"] for w in winners] == list(range(count))
    return generation


def _folder_state(directory: Path, ignore: str) -> dict[str, tuple[int, int, int]]:
    state: dict[str, tuple[int, int, int]] = {}
    if not directory.is_dir():  # the backup folder appears with the first backup
        return state
    for entry in os.scandir(directory):
        if entry.name != ignore:
            with suppress(FileNotFoundError):  # renamed or removed while we looked
                info = entry.stat()
                state[entry.name] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return state


def _wait_for_write_activity(
    directory: Path, writer: subprocess.Popen[str], ignore: str = ""
) -> None:
    """Spin until a file in ``directory`` appears or changes: a write has just begun there.

    Removals are not activity: a save first sweeps away temp files of killed saves.
    """
    baseline = _folder_state(directory, ignore)
    deadline = time.monotonic() + 30
    while True:
        current = _folder_state(directory, ignore)
        if any(baseline.get(name) != signature for name, signature in current.items()):
            return
        assert writer.poll() is None and time.monotonic() < deadline


def _wait_for_temp_file(directory: Path, writer: subprocess.Popen[str]) -> None:
    """Spin until a save's temporary file exists in ``directory``."""
    deadline = time.monotonic() + 30
    while not temp_files(directory):
        assert writer.poll() is None and time.monotonic() < deadline


def test_a_save_without_a_backup_sweeps_a_killed_backups_temporary_file(db_path: Path) -> None:
    """A command killed while writing a backup leaves a temporary file among the
    backups; the next save sweeps it even when it takes no backup itself (the
    kill test found one left when its last kill landed in a backup's write)."""
    store = Store(db_path)
    with store.transaction(backup="first") as db:
        db.table("winners").insert({"name": "甲"})
    store.backup_dir.mkdir(exist_ok=True)
    left = store.backup_dir / ".honours-20261130-115516-517321-regenerate.json.9341-528f9224.tmp"
    left.write_bytes(b'{"half": ')
    with store.transaction() as db:  # no backup reason: no backup is written
        db.table("winners").insert({"name": "乙"})
    assert temp_files(store.backup_dir) == []
    assert [w["name"] for w in winners_of(store)] == ["甲", "乙"]


@pytest.mark.slow
@pytest.mark.skipif(not POSIX, reason="SIGKILL")
@pytest.mark.parametrize("backups", ["links", "copy"])
def test_sigkill_mid_transaction_leaves_old_or_new_state(db_path: Path, backups: str) -> None:
    """Kill a writer of 20k-document transactions at random moments, and at moments aimed
    at the instant a backup or a save begins; the file must always load and hold one
    complete state, never older than what the writer reported as committed.

    A backup is a hard link to the file being replaced (``links``: nothing to
    interrupt), or, where links are not possible, a copy (``copy``: kills must
    land inside backup writes too)."""
    base = 20_000
    rng = random.Random(20261128)
    store = Store(db_path)
    last_committed = 0
    saves_hit = backups_hit = rounds = 0
    # At least 9 kills; go on (up to 30) until kills have landed inside both kinds of write.
    while rounds < 9 or not (saves_hit and (backups_hit or backups == "links")):
        assert rounds < 30, f"the attack never hit a write: {saves_hit=}, {backups_hit=}"
        rounds += 1
        writer = start_child(BIG_TRANSACTION_WRITER, str(db_path), str(base), backups)
        try:
            assert writer.stdout is not None
            first = writer.stdout.readline()  # at least one commit in this round
            assert first, "the writer failed to start"
            if rounds % 3 == 0:
                time.sleep(rng.uniform(0.0, 0.6))
            elif rounds % 3 == 1:
                _wait_for_write_activity(store.backup_dir, writer)
                time.sleep(rng.uniform(0.0, 0.002))
            else:
                # A save's temporary file lives only while the save runs: kill the
                # moment one exists.
                _wait_for_temp_file(db_path.parent, writer)
        finally:
            writer.kill()  # SIGKILL: no cleanup, no finally blocks
            out, err = writer.communicate()
        assert writer.returncode == -signal.SIGKILL, err
        reported = [int(line) for line in [first, *out.split()] if line.strip()]
        saves_hit += bool(temp_files(db_path.parent))
        backups_hit += bool(temp_files(store.backup_dir))

        generation = _check_generation(store, base)
        # Everything reported as committed is on disk; at most one more commit beyond that.
        assert reported[-1] <= generation <= reported[-1] + 1
        assert generation > last_committed
        last_committed = generation

        for backup in store.list_backups():
            _check_generation(Store(backup.path), base)

    # Kills inside a write left temp files behind; the next save, under the lock, sweeps them.
    with Store(db_path, lock_timeout=5).transaction() as db:
        db.table("counters").update({"note": "checked"})
    assert temp_files(db_path.parent) == []
    assert temp_files(store.backup_dir) == []
    assert _check_generation(store, base) == last_committed


def test_store_options_are_validated(db_path: Path) -> None:
    with pytest.raises(ValueError):
        Store(db_path, keep_backups=-1)
    store = Store(db_path, lock_timeout=1.5, keep_backups=4)
    assert (store.path, store.lock_timeout, store.keep_backups) == (db_path, 1.5, 4)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_a_lock_file_that_cannot_be_created_is_reported_at_once() -> None:
    # /proc exists but refuses new files: filelock alone would retry until its
    # timeout and then call the database busy.
    store = Store(Path("/proc/honours-test.json"), lock_timeout=5)
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        with store.transaction():
            pass
    assert not isinstance(caught.value, DatabaseBusy)
    # The folder's mode bits (0555) refuse it first; without them the lock would.
    assert "Cannot lock" in str(caught.value) or "cannot be changed" in str(caught.value)
    assert time.monotonic() - started < 2
