"""What recording a change costs: a backup before it and a journal line after it.

Adds one winner to a roll of N winners, in process, three ways:

* ``transaction``: the bare store transaction (load, insert, save): the floor;
* ``transaction + backup``: the same with the backup taken first (what the
  destructive commands paid before the journal);
* ``recorded change``: what every command now does (backup, save, journal line).

Best of ``--runs`` for each, the three taking turns; the ratio is to the floor.

    python benchmarks/bench_changes.py              # N = 20,000 and 100,000
    python benchmarks/bench_changes.py --n 5000 --runs 5
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from honours import roll  # noqa: E402
from honours.journal import recorded_change  # noqa: E402
from honours.storage import Store  # noqa: E402


def build(path: Path, size: int) -> Store:
    store = Store(path)
    with store.transaction() as db:
        category = roll.add_category(db, "名单")
        documents = [{"category": category.id, "name": f"测试{i:06d}"} for i in range(size)]
        roll.insert_winners(db, category, documents)
    return store


def add_one(db, name: str) -> None:
    category = roll.resolve_category(db, "名单")
    roll.insert_winners(db, category, [{"category": category.id, "name": name}])


def best_of(functions: dict, runs: int) -> dict[str, float]:
    """Best time of each function, the functions taking turns so that a busy moment
    of the machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for run in range(runs):
        for name, function in functions.items():
            started = time.perf_counter()
            function(run)
            times[name].append(time.perf_counter() - started)
    return {name: min(values) for name, values in times.items()}


def measure(size: int, runs: int) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        store = build(Path(folder) / "roll.json", size)

        def bare(run: int) -> None:
            with store.transaction() as db:
                add_one(db, f"裸{run}")

        def backed_up(run: int) -> None:
            with store.transaction(backup="bench") as db:
                add_one(db, f"备{run}")

        def recorded(run: int) -> None:
            with recorded_change(store, "add", ["add", "名单", f"记{run}"]) as change:
                add_one(change.db, f"记{run}")
                change.describe(f"added 记{run} to 名单")

        timed = best_of({"transaction": bare, "transaction + backup": backed_up,
                         "recorded change (backup + journal)": recorded}, runs)
        return list(timed.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[20_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    print("| winners | method | best of runs (ms) | ratio to the floor |")
    print("|---:|---|---:|---:|")
    for size in arguments.n:
        results = measure(size, arguments.runs)
        floor = results[0][1]
        for method, seconds in results:
            print(f"| {size:,} | {method} | {seconds * 1000:.1f} | {seconds / floor:.2f}x |")


if __name__ == "__main__":
    main()
