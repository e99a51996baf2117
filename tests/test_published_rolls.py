"""``honours check`` and ``honours sort`` against real published rolls.

The rolls in tests/data/published/ are copied as published (grids padded with
spaces or U+3000, names separated by 、 or ，, one person a line, headings with
declared orders and counts); expected.toml says, roll by roll and list by list,
what a correct reading finds: how many names, which entries the publisher put
out of place (and why), and which lines hold each list.  A roll on which our
reader is known to go wrong carries ``reader_bug``/``count_bug``: its reading
tests are strict xfails, so they fail loudly the day the reader is fixed.

Three kinds of test:

* every roll is read and checked whole: the names read per list, the count its
  heading states, and exactly the misplaced entries (where two entries are
  merely swapped, either one is a correct answer: ``one_of``);
* entries moved at random in a list that is in order are reported, exactly,
  when the move can be told from its neighbours (the only longest ordered run
  leaves out just the moved entries);
* ``honours sort`` puts a shuffled list back into the published order.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

from honours.collation import sort_key
from honours.proofread import proofread
from honours.readers.pasted import read_pasted

from .conftest import run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PUBLISHED = Path(__file__).resolve().parent / "data" / "published"
EXPECTED = tomllib.loads((PUBLISHED / "expected.toml").read_text(encoding="utf-8"))
ROLLS = EXPECTED["roll"]

#: Padding a printed name may carry between its characters ("马 罡", "夏　静", "刘    英").
_PAD = "[ \u3000\u00a0]*"


# ------------------------------------------------------------------ helpers


def roll_text(file: str) -> str:
    """The roll as published: the file without its leading block of # lines."""
    lines = (PUBLISHED / file).read_text(encoding="utf-8").splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def squash(name: str) -> str:
    return "".join(name.split())


def checked_lists(text: str):
    return proofread([("", read_pasted(text))])


def find_list(checks, first: str):
    for check in checks:
        entries = check.section.entries
        if entries and squash(entries[0].name) == first:
            return check
    return None


def names_of(check) -> list[str]:
    return [squash(entry.name) for entry in check.section.entries]


def bug_marks(roll: dict, *kinds: str) -> list:
    reasons = [roll[kind] for kind in kinds if kind in roll]
    return [pytest.mark.xfail(reason=" / ".join(reasons), strict=True)] if reasons else []


def roll_params(*bug_kinds: str, only=lambda roll: True):
    return [
        pytest.param(roll, id=roll["file"][:3], marks=bug_marks(roll, *bug_kinds))
        for roll in ROLLS
        if only(roll)
    ]


def list_params(only):
    return [
        pytest.param(roll, expected, id=f"{roll['file'][:3]}-{expected['first']}")
        for roll in ROLLS
        for expected in roll["list"]
        if only(expected)
    ]


def ordered_run(keys: list) -> tuple[int, int]:
    """Length of the longest non-decreasing run of ``keys`` and how many
    distinct sets of positions achieve it (quadratic; lists here are short)."""
    length = [1] * len(keys)
    count = [1] * len(keys)
    for i in range(len(keys)):
        for j in range(i):
            if keys[j] <= keys[i]:
                if length[j] + 1 > length[i]:
                    length[i], count[i] = length[j] + 1, count[j]
                elif length[j] + 1 == length[i]:
                    count[i] += count[j]
    best = max(length, default=0)
    return best, sum(c for c, n in zip(count, length) if n == best)


def only_run(keys: list) -> set[int] | None:
    """The positions outside the longest non-decreasing run, if that run is unique."""
    best, ways = ordered_run(keys)
    if ways != 1:
        return None
    length = [1] * len(keys)
    parent = [-1] * len(keys)
    for i in range(len(keys)):
        for j in range(i):
            if keys[j] <= keys[i] and length[j] + 1 > length[i]:
                length[i], parent[i] = length[j] + 1, j
    end = max(range(len(keys)), key=lambda i: length[i]) if keys else -1
    kept = set()
    while end >= 0:
        kept.add(end)
        end = parent[end]
    return set(range(len(keys))) - kept


def assert_misplaced(check, expected: dict) -> None:
    """The entries reported out of place are one minimal correction, and the
    one expected.toml describes."""
    names = names_of(check)
    reported = [squash(problem.entry.name) for problem in check.misplaced]
    key = sort_key(check.rule, check.section.kind)
    keys = [key(entry.name) for entry in check.section.entries]
    best, _ways = ordered_run(keys)
    assert len(reported) == len(names) - best, f"not a minimal correction: {reported}"
    places = {problem.index - 1 for problem in check.misplaced}
    kept = [k for i, k in enumerate(keys) if i not in places]
    assert kept == sorted(kept), f"the entries left in place are not in order: {reported}"

    must = set(expected.get("misplaced", []))
    groups = expected.get("one_of", [])
    count = expected.get("misplaced_count", len(must) + sum(len(g[0]) for g in groups))
    assert len(reported) == count, reported
    found = set(reported)
    assert must <= found, f"missed: {sorted(must - found)}"
    allowed = set(must)
    for group in groups:
        chosen = [alt for alt in group if set(alt) <= found]
        assert len(chosen) == 1, f"exactly one of {group} expected among {reported}"
        allowed |= set(chosen[0])
    if not expected.get("any_minimal"):
        assert found == allowed, f"unexpected: {sorted(found - allowed)}"


# ------------------------------------------------------------------ whole rolls


@pytest.mark.parametrize("roll", roll_params("reader_bug"))
def test_every_list_is_read_with_its_declared_rule(roll):
    checks = checked_lists(roll_text(roll["file"]))
    for expected in roll["list"]:
        check = find_list(checks, expected["first"])
        assert check is not None, f"no list starts with {expected['first']}"
        assert len(check.section.entries) == expected["names"], names_of(check)
        assert (check.rule if check.checked else None) == expected.get("rule")
    checked = {squash(c.section.entries[0].name) for c in checks if c.checked}
    assert checked == {e["first"] for e in roll["list"] if e.get("rule")}


@pytest.mark.parametrize(
    "roll",
    roll_params(
        "reader_bug", "count_bug",
        only=lambda roll: any("published" in e for e in roll["list"]),
    ),
)
def test_counts_in_headings_are_read_and_met(roll):
    checks = checked_lists(roll_text(roll["file"]))
    for expected in roll["list"]:
        if "published" not in expected:
            continue
        check = find_list(checks, expected["first"])
        assert check is not None, f"no list starts with {expected['first']}"
        assert check.expected == expected["published"]
        if expected.get("truncated"):
            assert check.found == expected["names"]  # our copy of the page is cut short
        else:
            assert check.found == expected["published"]
            assert not check.count_differs


@pytest.mark.parametrize(
    "roll", roll_params("reader_bug", only=lambda roll: any(e.get("rule") for e in roll["list"]))
)
def test_exactly_the_misplaced_entries_are_reported(roll):
    checks = checked_lists(roll_text(roll["file"]))
    for expected in roll["list"]:
        if not expected.get("rule"):
            continue
        check = find_list(checks, expected["first"])
        assert check is not None, f"no list starts with {expected['first']}"
        assert_misplaced(check, expected)


def test_every_roll_is_described():
    files = sorted(path.name for path in PUBLISHED.glob("*.txt"))
    assert files == sorted(roll["file"] for roll in ROLLS)
    assert len(files) >= 6


# ------------------------------------------------------------------ one list in its layout


class Layout:
    """One list as printed: its heading lines and the shape of its rows, so that
    other orders of its names can be printed the same way."""

    def __init__(self, roll: dict, expected: dict):
        first, last = expected["lines"]
        self.lines = roll_text(roll["file"]).splitlines()[first - 1:last]
        self.text = "\n".join(self.lines) + "\n"
        (check,) = [c for c in checked_lists(self.text) if c.checked]
        self.check = check
        self.names = names_of(check)
        rows: dict[int, list[str]] = {}
        for entry in check.section.entries:
            rows.setdefault(int(entry.where.split()[-1]), []).append(squash(entry.name))
        numbers = sorted(rows)
        self.heading = self.lines[: numbers[0] - 1]
        self.columns = max(len(names) for names in rows.values())
        self.prefix, self.separator, self.pad = "", "", ""
        for number in numbers:
            line, spans, cursor = self.lines[number - 1], [], 0
            for name in rows[number]:
                match = re.compile(_PAD.join(map(re.escape, name))).search(line, cursor)
                assert match, f"{name} not found in {line!r}"
                spans.append(match.span())
                cursor = match.end()
                if len(name) == 2 and match.end() - match.start() > 2 and not self.pad:
                    self.pad = line[match.start() + 1:match.end() - 1]
            if number == numbers[0]:
                self.prefix = line[: spans[0][0]]
            if len(spans) > 1 and not self.separator:
                self.separator = line[spans[0][1]:spans[1][0]]

    def render(self, names: list[str]) -> str:
        cells = [n[0] + self.pad + n[1] if len(n) == 2 and self.pad else n for n in names]
        rows = [
            self.prefix + self.separator.join(cells[i:i + self.columns])
            for i in range(0, len(cells), self.columns)
        ]
        return "\n".join(self.heading + rows) + "\n"


def has_lines(expected: dict) -> bool:
    return "lines" in expected


def in_order(expected: dict) -> bool:
    return has_lines(expected) and not (
        expected.get("misplaced") or expected.get("one_of") or expected.get("misplaced_count")
    )


@pytest.mark.parametrize(("roll", "expected"), list_params(has_lines))
def test_moved_entries_are_reported_exactly(roll, expected):
    layout = Layout(roll, expected)
    check = layout.check
    assert len(layout.names) == expected["names"]
    # The published order less the publisher's own slips is a list in order.
    slips = {problem.index - 1 for problem in check.misplaced}
    base = [name for i, name in enumerate(layout.names) if i not in slips]
    again = [c for c in checked_lists(layout.render(base)) if c.checked]
    assert [names_of(c) for c in again] == [base]
    assert not again[0].misplaced

    key = sort_key(check.rule, check.section.kind)
    keys = {name: key(name) for name in base}
    rng = random.Random(f"{roll['file']}:{expected['first']}")
    tried = 0
    for _trial in range(40):
        k = rng.randint(1, max(1, min(4, len(base) // 4)))
        moved = rng.sample(range(len(base)), k)
        order = [i for i in range(len(base)) if i not in moved]
        for index in moved:
            order.insert(rng.randint(0, len(order)), index)
        outside = only_run([keys[base[i]] for i in order])
        if outside is None or {order[p] for p in outside} != set(moved):
            continue  # a move next to an equal neighbour, or one that can be read two ways
        names = [base[i] for i in order]
        (result,) = [c for c in checked_lists(layout.render(names)) if c.checked]
        assert names_of(result) == names
        reported = {squash(problem.entry.name) for problem in result.misplaced}
        assert reported == {base[i] for i in moved}, names
        tried += 1
    assert tried, "no move could be told from its neighbours"


@pytest.mark.parametrize(("roll", "expected"), list_params(in_order))
def test_sort_puts_a_shuffled_list_back_in_published_order(roll, expected, tmp_path):
    layout = Layout(roll, expected)
    assert not layout.check.misplaced
    shuffled = list(layout.names)
    random.Random(expected["first"]).shuffle(shuffled)
    if shuffled == layout.names:
        shuffled.reverse()
    path = tmp_path / "draft.txt"
    path.write_text(layout.render(shuffled), encoding="utf-8")
    result = run_cli("sort", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    (listing,) = [item for item in json.loads(result.stdout)["lists"] if item["entries"]]
    assert listing["rule"] == expected["rule"]
    assert [squash(name) for name in listing["entries"]] == layout.names
