"""One certificate-pattern validator (issue 24, scope 3): ``settings set``, a roll
JSON's settings, a restored backup's settings and every issuing path refuse, with a
sentence and before anything is formatted, a pattern that could hang issuing (no
serial in the output: ``{{serial}}``), blow up (nested widths) or crash (attribute
or index access); an accepted pattern gives every serial its own bounded number."""

from __future__ import annotations

import json
import signal
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from honours import ledger as ledger_module
from honours.ledger import Ledger, plan_numbers
from honours.roll import (
    MAX_FIELD_WIDTH,
    MAX_NUMBER_LENGTH,
    MAX_SERIAL,
    MAX_YEAR,
    RollError,
    check_certificate_pattern,
    set_setting,
)
from honours.storage import Store

from .conftest import run_cli

# -- the validator as a property ----------------------------------------------------------

_NAMES = st.sampled_from(["serial", "year", "serial", "", "0", "prefix", "serial.real",
                          "year[0]", "serial[0]", " serial", "Serial"])
_SPECS = st.one_of(
    st.just(""),
    st.builds(
        lambda fill, align, zero, width, kind: fill + align + zero + width + kind,
        st.sampled_from(["", "", "0", "1", "x", "-", " ", "{", "}", "中", "\n"]),
        st.sampled_from(["", "<", ">", "=", "^"]),
        st.sampled_from(["", "0"]),
        st.sampled_from(["", "1", "4", "04", "12", "13", "0200000000", "{year}", "{}"]),
        st.sampled_from(["", "d", "s", "x", ",d", ".3"]),
    ),
    st.text(max_size=6),
)
_FIELDS = st.builds(
    lambda name, conversion, spec: "{" + name + conversion + (":" + spec if spec else "") + "}",
    _NAMES, st.sampled_from(["", "", "", "!r", "!s"]), _SPECS)
_LITERALS = st.one_of(st.text(max_size=5), st.sampled_from(["JS", "-", "{{", "}}", "荣字〔",
                                                               "〕号", "\t"]))
_PATTERNS = st.lists(st.one_of(_FIELDS, _LITERALS), max_size=6).map("".join)


def _numbers(pattern: str, serials) -> list[str]:
    return [pattern.format(serial=serial, year=str(MAX_YEAR)) for serial in serials]


@settings(max_examples=600, deadline=None)
@given(_PATTERNS)
@example("{{serial}}")
@example("{serial:>{year}{year}}")
@example("{year[0]}-{serial}")
@example("{serial.real}")
@example("{serial!r}")
@example("{serial:0200000000d}")
@example("{serial:1>4}")
@example("{serial:0<4}")
@example("{serial:<04}")
@example("JS{year}-{serial:04d}")
def test_an_accepted_pattern_numbers_every_serial_apart_in_bounded_length(pattern):
    try:
        check_certificate_pattern(pattern)
    except RollError as error:
        assert str(error) and "Traceback" not in str(error)
        return
    serials = [*(10**k for k in range(10)), *(10**k - 1 for k in range(1, 10)),
               *range(1, 130), MAX_SERIAL]
    numbers = _numbers(pattern, serials)
    assert all(len(number) <= MAX_NUMBER_LENGTH for number in numbers)
    assert len(set(numbers)) == len(set(serials)), pattern
    fields = [f for _t, f, _s, _c in string.Formatter().parse(pattern) if f is not None]
    assert "serial" in fields and set(fields) <= {"serial", "year"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=70))
def test_any_text_is_accepted_or_refused_with_a_roll_error(text):
    try:
        check_certificate_pattern(text)
    except RollError as error:
        assert str(error)
    else:
        assert len(set(_numbers(text, (1, 2, 10, MAX_SERIAL)))) == 4


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("{{serial}}", "{{ and }}"),
        ("A{{year}}-{serial}", "{{ and }}"),
        ("{serial:>{year}{year}}", "cannot hold another field"),
        ("{year[0]}-{serial}", "reads a part of a field"),
        ("{serial.real}", "reads a part of a field"),
        ("{serial!r}", "cannot be used inside a field"),
        ("{serial:0200000000d}", f"wider than {MAX_FIELD_WIDTH}"),
        ("{serial:1>4}", "two serials would give one number"),
        ("{serial:<04}", "two serials would give one number"),
        ("{prefix}-{serial}", "{prefix} is not a field"),
        ("{year}", "must contain {serial}"),
        ("JS{year}\n{serial}", "invisible character"),
        ("{serial:,d}", "is not a number format"),
        ("{year:04}-{serial}", "is not a number format"),
    ],
)
def test_each_refusal_says_why(pattern, said):
    with pytest.raises(RollError) as refused:
        check_certificate_pattern(pattern)
    assert said in str(refused.value)


@pytest.mark.parametrize(
    "pattern", ["{year}-{serial:04d}", "JS{year}-{serial:04d}", "QDU-{serial:04d}",
                "荣字〔{year}〕{serial}号", "{serial}", "{serial:>6}", "{serial:0>6}",
                "{serial:-<6}", "{year:>6}{serial:03}"])
def test_patterns_clerks_write_are_accepted(pattern):
    check_certificate_pattern(pattern)


def test_a_number_longer_than_the_bound_is_refused():
    pattern = "X" * 40 + "{serial:12d}" + "{year:>8}"
    with pytest.raises(RollError, match="at most"):
        check_certificate_pattern(pattern)


# -- every path uses it ----------------------------------------------------------------


@pytest.fixture
def issued(honours):
    honours("category", "add", "名单")
    honours("add", "名单", "马罡", "刘振")
    honours("register", "--issue")
    return honours


def test_settings_set_refuses_a_pattern_without_the_serial_in_its_output(honours):
    honours("category", "add", "名单")
    refused = honours("settings", "set", "certificate-pattern", "{{serial}}", ok=False)
    assert refused.exit_code == 2 and "{{ and }}" in refused.output
    assert "unexpected" not in refused.output.lower()


def test_index_access_is_a_sentence_not_an_unexpected_error(honours):
    refused = honours("settings", "set", "certificate-pattern", "{year[0]}-{serial}", ok=False)
    assert refused.exit_code == 2 and "reads a part of a field" in refused.output
    assert "unexpected" not in refused.output.lower()


def test_the_preview_is_never_formatted_from_a_refused_pattern(issued, db):
    before = db.read_bytes()
    refused = issued("settings", "set", "编号格式", "{serial:0200000000d}", "--yes", ok=False)
    assert refused.exit_code == 2 and "wider than" in refused.output
    assert len(refused.output) < 1000 and "the next is" not in refused.output
    assert db.read_bytes() == before


def _store_pattern(tdb, pattern: str) -> None:
    """A pattern stored behind the validator's back (a hand edit, an older honours)."""
    table = tdb.table("settings")
    if table.get(doc_id=1) is None:
        table.insert({"certificate-pattern": pattern})
    else:
        table.update({"certificate-pattern": pattern}, doc_ids=[1])


def test_a_hand_stored_pattern_is_refused_when_issuing_not_looped(issued, db):
    """Stored behind the validator's back, ``{{serial}}`` once looped register,
    --issue and certificates for ever; now each refuses it at once (a subprocess
    with a timeout: the old code hangs)."""
    with Store(db).transaction() as tdb:
        _store_pattern(tdb, "{{serial}}")
    issued("add", "名单", "王芳")
    before = db.read_bytes()
    for command in (["register"], ["register", "--issue"]):
        result = run_cli("--db", str(db), *command, timeout=60)
        assert result.returncode == 2, result.stderr
        assert "{{ and }}" in result.stderr and "unexpected" not in result.stderr.lower()
    assert db.read_bytes() == before


def test_new_year_refuses_a_hand_stored_pattern_before_its_preview(issued, db):
    """new-year formats the pattern for its preview and seeds the next roll's serial
    from it: a pattern stored behind the validator's back is refused there too."""
    with Store(db).transaction() as tdb:
        _store_pattern(tdb, "{serial:>{year}{year}}")
    before = sorted(p.name for p in db.parent.iterdir())
    result = run_cli("--db", str(db), "new-year", "--yes", timeout=60)
    assert result.returncode == 2, result.stderr
    assert "unexpected" not in result.stderr.lower() and "pattern" in result.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == before


def test_a_roll_json_with_a_nested_width_is_refused(honours, tmp_path, db):
    document = {
        "format": "honours-roll", "version": 1, "title": "x",
        "settings": {"certificate-pattern": "{serial:>{year}{year}}"},
        "categories": [{"title": "名单", "winners": [{"name": "马罡"}]}],
    }
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    refused = honours("import", str(path), ok=False)
    assert refused.exit_code == 2 and "cannot hold another field" in refused.output
    assert not db.exists() or "{year}{year}" not in db.read_text(encoding="utf-8")


def test_a_backup_with_a_refused_pattern_is_not_restored(issued, db):
    with Store(db).transaction(backup="edit") as tdb:
        _store_pattern(tdb, "{serial:>{year}{year}}")
    issued("settings", "set", "certificate-pattern", "QDU-{serial:04d}", "--yes")
    backup = next(line.split()[0] for line in issued("backup", "list").output.splitlines()
                  if line.startswith("honours-") and "settings" in line)
    before = db.read_bytes()
    refused = issued("backup", "restore", backup, "--yes", ok=False)
    assert refused.exit_code == 2 and "cannot hold another field" in refused.output
    assert backup in refused.output and db.read_bytes() == before


def test_the_skipping_loop_is_bounded_even_for_a_constant_pattern(issued, db, monkeypatch):
    """Belt and braces: were a constant pattern ever let through, planning stops
    with a sentence instead of looping for ever."""
    store = Store(db)
    with store.transaction() as tdb:
        _store_pattern(tdb, "C{{serial}}")
        tdb.table("winners").update({"certificate": "C{serial}"}, doc_ids=[1])
    issued("add", "名单", "王芳")
    monkeypatch.setattr(ledger_module, "check_certificate_pattern", lambda pattern: None)
    tdb = store.snapshot()

    def hung(*_args):
        raise AssertionError("plan_numbers looped")  # the old code: for ever

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        with pytest.raises(RollError, match="gives no number that is not taken"):
            plan_numbers(tdb, Ledger.load(store))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_serial_past_the_bound_is_refused_before_any_number(issued, db):
    store = Store(db)
    ledger = Ledger.load(store)
    ledger.highest = MAX_SERIAL
    issued("add", "名单", "王芳")
    with pytest.raises(RollError, match="would pass the highest"):
        plan_numbers(store.snapshot(), ledger)


def test_set_setting_and_import_share_the_validator(tmp_path):
    store = Store(tmp_path / "r.json")
    with store.transaction(create=True) as tdb, pytest.raises(RollError, match="{{ and }}"):
        set_setting(tdb, "编号格式", "{{serial}}")
