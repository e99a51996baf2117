"""Hand edits of every kind against ``doctor`` and ``doctor --repair`` (issue 24):
for each edit of a small roll (categories in a tree, people, units, a work with
joint proposers, issued numbers, settings) ``doctor`` must not crash and must
report it; ``doctor --repair`` must mend it, after which ``doctor`` sees no
problem and ``add`` and ``register --issue`` work, or name exactly what it
could not mend and the command that does.  An edit that breaks nothing
(an extra field, a table honours does not use) must pass ``doctor`` and leave
every command working."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import Honours

BIG = 10**30 + 7  # 31 digits: past what orjson (64 bits) writes


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # no message folded over two lines of the table


@pytest.fixture(scope="module")
def _built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("roll")
    honours = Honours(folder / "roll.json")
    honours("category", "add", "先进个人", "--quota", "10", "--exclusive")
    honours("category", "add", "教师", "--parent", "先进个人", "--sort", "姓名笔画")
    honours("category", "add", "先进单位", "--kind", "单位")
    honours("category", "add", "优秀提案", "--kind", "作品")
    honours("add", "先进个人", "张三", "李四", "-a", "一中")
    honours("add", "教师", "王芳")
    honours("add", "先进单位", "青岛市第一中学")
    honours("add", "优秀提案", "关于加强社区养老服务的建议", "--proposer", "王芳、刘振",
            "--proposer-kind", "person")
    honours("settings", "set", "certificate-pattern", "QD{year}-{serial:04d}")
    honours("settings", "set", "issuer", "青岛市总工会")
    honours("settings", "set", "year", "2026")
    honours("register", "--issue")
    return folder


@pytest.fixture
def roll(_built, tmp_path) -> Honours:
    for path in _built.iterdir():
        if path.is_file():
            shutil.copyfile(path, tmp_path / path.name)
    return Honours(tmp_path / "roll.json")


def C(d, n):  # noqa: N802  (a category record)
    return d["categories"][str(n)]


def W(d, n):  # noqa: N802  (a winner record)
    return d["winners"][str(n)]


def _rename(table: str, old: str, new: str):
    def edit(d):
        d[table] = {(new if k == old else k): v for k, v in d[table].items()}
    return edit


def _rekey_category(old: str, new: str):
    """A category's id changed by hand, with its winners and subcategories."""
    rename = _rename("categories", old, new)

    def edit(d):
        rename(d)
        for table, field in (("winners", "category"), ("categories", "parent")):
            for document in d[table].values():
                if document.get(field) == int(old):
                    document[field] = int(new)
    return edit


def _set(getter, **fields):
    def edit(d):
        getter(d).update(fields)
    return edit


def _drop(getter, field):
    def edit(d):
        getter(d).pop(field)
    return edit


def cat(n, **fields):
    return _set(lambda d: C(d, n), **fields)


def win(n, **fields):
    return _set(lambda d: W(d, n), **fields)


def setting(**fields):
    return _set(lambda d: d["settings"]["1"], **fields)


def counter(**fields):
    return _set(lambda d: d["counters"]["1"], **fields)


#: Edits that break the roll: doctor reports each, --repair mends each.
MENDED = {
    # ids
    "winner-id-31-digits": _rename("winners", "5", str(BIG)),
    "winner-id-20-digits": _rename("winners", "3", "99999999999999999999"),
    "winner-id-past-64-bits": _rename("winners", "2", str(2**64 + 1)),
    "category-id-31-digits": _rekey_category("3", str(BIG)),
    "category-id-with-subcategory-31-digits": _rekey_category("1", str(BIG)),
    "winner-id-leading-zero": _rename("winners", "2", "02"),
    "winner-id-zero": _rename("winners", "1", "0"),
    "winner-id-non-ascii-digit": _rename("winners", "4", "４"),
    "category-id-leading-zero": _rename("categories", "2", "002"),
    "category-id-renamed-winners-not": _rename("categories", "3", "30"),
    "settings-id-31-digits": _rename("settings", "1", str(BIG)),
    # categories
    "category-title-missing": _drop(lambda d: C(d, 3), "title"),
    "category-title-none": cat(3, title=None),
    "category-title-number": cat(3, title=12),
    "category-title-empty": cat(3, title=""),
    "category-title-blank": cat(3, title="   "),
    "category-title-list": cat(3, title=["先进单位"]),
    "category-parent-nowhere": cat(2, parent=999),
    "category-parent-text": cat(2, parent="1"),
    "category-parent-negative": cat(2, parent=-1),
    "category-parent-float": cat(2, parent=1.0),
    "category-parent-bool": cat(2, parent=True),
    "category-parent-huge": cat(2, parent=BIG),
    "category-parent-itself": cat(1, parent=1),
    "category-parent-cycle": lambda d: (C(d, 1).update(parent=2), C(d, 2).update(parent=1)),
    "category-kind-unknown": cat(1, kind="robot"),
    "category-kind-none": cat(1, kind=None),
    "category-kind-number": cat(3, kind=1),
    "category-sort-unknown": cat(1, sort="alphabet"),
    "category-sort-none": cat(1, sort=None),
    "category-measure-number": cat(1, measure=5),
    "category-measure-none": cat(1, measure=None),
    "category-columns-text": cat(1, columns="5"),
    "category-columns-zero": cat(1, columns=0),
    "category-columns-huge": cat(1, columns=BIG),
    "category-columns-none": cat(1, columns=None),
    "category-position-text": cat(3, position="a"),
    "category-position-none": cat(3, position=None),
    "category-position-float": cat(3, position=1.5),
    "category-description-list": cat(1, description=["x"]),
    "category-honour-number": cat(1, honour=3),
    "category-author-label-none": cat(4, author_label=None),
    "category-verb-number": cat(4, verb=1),
    "category-certificate-mode-unknown": cat(4, certificate_mode="bogus"),
    "category-certificate-mode-number": cat(4, certificate_mode=1),
    # winners
    "winner-category-missing": _drop(lambda d: W(d, 2), "category"),
    "winner-category-none": win(2, category=None),
    "winner-category-nowhere": win(2, category=999),
    "winner-category-text": win(2, category="1"),
    "winner-category-bool": win(2, category=True),
    "winner-category-float": win(2, category=1.0),
    "winner-category-huge": win(2, category=BIG),
    "winner-name-missing": _drop(lambda d: W(d, 1), "name"),
    "winner-name-number": win(1, name=7),
    "winner-name-empty": win(1, name=""),
    "winner-name-blank": win(1, name=" \t"),
    "winner-name-list": win(1, name=["张三"]),
    "winner-position-text": win(1, position="a"),
    "winner-position-none": win(1, position=None),
    "winner-position-float": win(1, position=0.5),
    "winner-affiliation-number": win(1, affiliation=1),
    "winner-note-list": win(1, note=["x"]),
    "winner-proposer-none": win(5, proposer=None),
    "winner-proposer-kind-number": win(5, proposer_kind=1),
    "winner-certificate-number": win(1, certificate=2),
    "winner-certificates-text": win(5, certificates="QD2026-0005"),
    "winner-certificates-list": win(5, certificates=["QD2026-0005"]),
    "winner-certificates-number-value": win(5, certificates={"王芳": 5, "刘振": "QD2026-0006"}),
    # settings
    "setting-year-number": setting(year=2026),
    "setting-title-none": setting(title=None),
    "setting-issuer-list": setting(issuer=["青岛市总工会"]),
    # counters (the database's copy of the highest serial)
    "counter-value-text": counter(value="6"),
    "counter-value-negative": counter(value=-5),
    "counter-value-none": counter(value=None),
    "counter-value-float": counter(value=6.5),
    "counter-value-missing": _drop(lambda d: d["counters"]["1"], "value"),
    "counter-name-missing": _drop(lambda d: d["counters"]["1"], "name"),
}

#: Edits that break nothing honours reads: doctor passes them, commands work.
HARMLESS = {
    "extra-field-on-winner": win(1, colour="red"),
    "extra-field-on-category": cat(1, colour="red"),
    "extra-setting": setting(colour="red"),
    "extra-table": lambda d: d.update(notes={"1": {"text": "x"}}),
    "winners-table-gone": lambda d: d.pop("winners"),
    "settings-table-gone": lambda d: d.pop("settings"),
    "counters-table-gone": lambda d: d.pop("counters"),
    "category-parent-key-gone": _drop(lambda d: C(d, 3), "parent"),
    "category-kind-key-gone": _drop(lambda d: C(d, 1), "kind"),
    "winner-position-key-gone": _drop(lambda d: W(d, 1), "position"),
    "category-ids-with-gaps": _rekey_category("3", "30"),
    # a second 张三 in 先进个人, added by hand without a number (renaming 李四 by hand
    # instead would put 李四's number on 张三: the ledger check names that)
    "winner-name-twice-in-category": lambda d: d["winners"].update(
        {"99": {k: v for k, v in W(d, 1).items() if k not in ("certificate", "certificates")}}),
    "winner-id-large-but-sane": _rename("winners", "5", "123456789012"),
    "winner-id-largest-kept": _rename("winners", "5", str(2**53 - 1)),
    "category-position-huge": cat(3, position=BIG),
    "winner-position-huge": win(1, position=BIG),
    "winner-added-number": win(1, added=20261208),
    "category-quota-huge": cat(1, quota=BIG),
    "category-quota-zero": cat(1, quota=0),
}

#: Values the commands read but ignore or refuse (no quota in force, a setting
#: `settings set` refuses): doctor reports each with the command that sets it
#: right, --repair names that command, and after it doctor is content.
ADVISED = {
    "category-title-with-slash": (cat(3, title="先进/单位"),
                                  ["category", "edit", "3", "--title", "先进单位"]),
    "category-title-sibling-twice": (cat(4, title="先进单位"),
                                     ["category", "edit", "4", "--title", "优秀提案"]),
    "category-quota-text": (cat(1, quota="10"), ["category", "edit", "1", "--quota", "10"]),
    "category-quota-negative": (cat(1, quota=-3), ["category", "edit", "1", "--quota", "0"]),
    "category-quota-float": (cat(1, quota=2.5), ["category", "edit", "1", "--quota", "9"]),
    "category-exclusive-text": (cat(1, exclusive="yes"),
                                ["category", "edit", "1", "--exclusive"]),
    "category-exclusive-number": (cat(1, exclusive=1),
                                  ["category", "edit", "1", "--no-exclusive"]),
    "winner-proposer-kind-unknown": (win(5, proposer_kind="robot"),
                                     ["edit", "4", "#5", "--proposer-kind", "person"]),
    "setting-year-not-four-digits": (setting(year="二〇二六"),
                                     ["settings", "set", "year", "2026", "--yes"]),
    "setting-year-five-digits": (setting(year="20266"),
                                 ["settings", "set", "year", "2026", "--yes"]),
    "setting-title-too-long": (setting(title="光" * 1000),
                               ["settings", "set", "title", "光荣榜", "--yes"]),
    "setting-date-not-a-date": (setting(date="昨天"),
                                ["settings", "set", "date", "2026-12", "--yes"]),
    "setting-pattern-huge-width": (setting(**{"certificate-pattern": "{serial:0200000000d}"}),
                                   ["settings", "set", "certificate-pattern",
                                    "QD{year}-{serial:04d}", "--yes"]),
    "setting-pattern-no-serial": (setting(**{"certificate-pattern": "QD{year}"}),
                                  ["settings", "set", "certificate-pattern",
                                   "QD{year}-{serial:04d}", "--yes"]),
    # not text: the repair makes it text, then names the command
    "setting-pattern-number": (setting(**{"certificate-pattern": 5}),
                               ["settings", "set", "certificate-pattern",
                                "QD{year}-{serial:04d}", "--yes"]),
    "setting-pattern-unknown-field": (setting(**{"certificate-pattern": "{foo}-{serial}"}),
                                      ["settings", "set", "certificate-pattern",
                                       "QD{year}-{serial:04d}", "--yes"]),
}

#: Edits the storage layer refuses before any roll check (the file is not a
#: table of records): doctor names them, and --repair says which record of which
#: table to correct by hand or which backup to restore.
NAMED = {
    "winner-record-text": lambda d: d["winners"].update({"2": "李四"}),
    "winner-record-list": lambda d: d["winners"].update({"2": ["李四"]}),
    "winner-record-null": lambda d: d["winners"].update({"2": None}),
    "category-record-number": lambda d: d["categories"].update({"3": 3}),
    "winners-table-list": lambda d: d.update(winners=list(d["winners"].values())),
    "settings-table-text": lambda d: d.update(settings="光荣榜"),
    "winner-id-negative": _rename("winners", "2", "-2"),
    "winner-id-word": _rename("winners", "2", "two"),
    "winner-id-float": _rename("winners", "2", "2.0"),
}


def _edit(roll: Honours, change) -> bytes:
    data = json.loads(roll.db.read_text("utf-8"))
    change(data)
    roll.db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return roll.db.read_bytes()


def _crashed(result) -> bool:
    return "unexpected error" in result.output or (
        result.exception is not None and not isinstance(result.exception, SystemExit))


def _names(roll: Honours) -> list[str]:
    """The winners' names that are text, as the file holds them."""
    data = json.loads(roll.db.read_text("utf-8"))
    return sorted(w["name"] for w in data.get("winners", {}).values()
                  if isinstance(w.get("name"), str) and w["name"].strip())


def _works(roll: Honours) -> None:
    """The commands a clerk runs next: show, add, and issuing numbers."""
    for command in (["show"], ["add", "先进个人", "新人甲"], ["category", "add", "新类别"],
                    ["register", "--issue"]):
        result = roll(*command, ok=False)
        assert result.exit_code == 0 and not _crashed(result), (command, result.output)


@pytest.mark.parametrize("edit", list(MENDED))
def test_doctor_reports_and_repair_mends(roll, edit):
    edited = _edit(roll, MENDED[edit])
    names = _names(roll)
    found = roll("doctor", ok=False)
    assert not _crashed(found), found.output
    assert found.exit_code == 1 and "PROBLEM" in found.output, found.output
    assert roll.db.read_bytes() == edited  # doctor changes nothing
    repaired = roll("doctor", "--repair", ok=False)
    assert not _crashed(repaired), repaired.output
    assert "repaired" in repaired.output, repaired.output
    kept = _names(roll)
    assert all(kept.count(name) >= names.count(name) for name in names)  # no winner lost
    after = roll("doctor", ok=False)
    assert after.exit_code == 0, after.output
    _works(roll)


@pytest.mark.parametrize("edit", list(HARMLESS))
def test_an_edit_that_breaks_nothing_passes(roll, edit):
    _edit(roll, HARMLESS[edit])
    found = roll("doctor", ok=False)
    assert not _crashed(found), found.output
    assert found.exit_code == 0, found.output
    _works(roll)


@pytest.mark.parametrize("edit", list(ADVISED))
def test_what_a_command_sets_right_is_named_with_the_command(roll, edit):
    change, fix = ADVISED[edit]
    edited = _edit(roll, change)
    found = roll("doctor", ok=False)
    assert not _crashed(found), found.output
    assert found.exit_code == 1 and "PROBLEM" in found.output, found.output
    repaired = roll("doctor", "--repair", ok=False)
    assert not _crashed(repaired), repaired.output
    said = [line for line in repaired.output.splitlines() if line.startswith("not mended")]
    assert len(said) == 1 and f"honours {' '.join(fix[:3])}" in said[0], repaired.output
    if "repaired" not in repaired.output:
        assert roll.db.read_bytes() == edited  # nothing to mend: no change, no backup
    roll(*fix)
    after = roll("doctor", ok=False)
    assert after.exit_code == 0, after.output
    _works(roll)


@pytest.mark.parametrize("edit", list(NAMED))
def test_what_repair_cannot_mend_is_named(roll, edit):
    edited = _edit(roll, NAMED[edit])
    found = roll("doctor", ok=False)
    assert not _crashed(found), found.output
    assert found.exit_code == 1 and "PROBLEM" in found.output, found.output
    repaired = roll("doctor", "--repair", ok=False)
    assert not _crashed(repaired), repaired.output
    assert repaired.exit_code != 0
    assert "backup restore" in repaired.output, repaired.output
    assert roll.db.read_bytes() == edited


def test_a_renumbered_winner_keeps_its_numbers_in_the_ledger(roll):
    """Numbers issued while a winner had a hand-edited id past MAX_ID (which the
    old code accepted up to 64 bits): the repair gives the winner the next free
    id, and the ledger's records of the numbers it holds follow it; a number the
    ledger has for that id but no winner holds stays as it was."""
    huge = 2**60
    _edit(roll, _rename("winners", "5", str(huge)))
    ledger_file = roll.db.with_name("roll.ledger.json")
    ledger = json.loads(ledger_file.read_text("utf-8"))
    for number in ("QD2026-0005", "QD2026-0006"):
        ledger["numbers"][number]["winner"] = huge
    gap = dict(ledger["numbers"]["QD2026-0006"], number="QD2026-0007", serial=7)
    ledger["numbers"]["QD2026-0007"] = gap
    ledger["highest"] = 7
    ledger_file.write_text(json.dumps(ledger, ensure_ascii=False), "utf-8")
    found = roll("doctor", ok=False)
    assert "larger than 9007199254740991" in found.output, found.output
    repaired = roll("doctor", "--repair", ok=False)
    assert f"record '{huge}' renumbered 5" in repaired.output, repaired.output
    tables = json.loads(roll.db.read_text("utf-8"))
    assert tables["winners"]["5"]["certificates"] == {"王芳": "QD2026-0005",
                                                      "刘振": "QD2026-0006"}
    numbers = json.loads(ledger_file.read_text("utf-8"))["numbers"]
    assert numbers["QD2026-0005"]["winner"] == numbers["QD2026-0006"]["winner"] == 5
    assert numbers["QD2026-0007"]["winner"] == huge
    _works(roll)
    assert json.loads(ledger_file.read_text("utf-8"))["highest"] == 8  # never lowered
