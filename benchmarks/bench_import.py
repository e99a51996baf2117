"""Import speed: `honours import` of a large CSV against TinyDB's one-insert-at-a-time path.

Side by side in one run:

* honours: read a CSV of N rows (header 姓名, 单位), validate every row, add them
  in one transaction, save once (the library path the CLI uses, and the CLI itself
  in a subprocess for the end-to-end figure);
* TinyDB one insert at a time: ``TinyDB(path).table("winners").insert(row)`` per row,
  which rewrites the whole JSON file on every insert (quadratic), on a smaller n;
* TinyDB ``insert_multiple`` with no validation (the floor of any TinyDB import).

Usage: ``python benchmarks/bench_import.py [--n 100000] [--small-n 2000]``
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from names import generate  # noqa: E402

from honours import roll  # noqa: E402
from honours.importer import apply_plan  # noqa: E402
from honours.readers import read_file  # noqa: E402
from honours.storage import Store  # noqa: E402


def write_csv(path: Path, n: int) -> list[str]:
    names = list(dict.fromkeys(generate(n * 2)))[:n]  # distinct: duplicates would be refused
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "单位"])
        writer.writerows([name, f"第{i % 50 + 1}单位"] for i, name in enumerate(names))
    return names


def new_store(folder: Path, name: str) -> Store:
    store = Store(folder / name)
    with store.transaction() as db:
        roll.add_category(db, "名单", kind="person", sort="manual")
    return store


def honours_import(folder: Path, source: Path) -> float:
    store = new_store(folder, f"lib-{time.monotonic_ns()}.json")
    start = time.perf_counter()
    _, plan = read_file(source)
    with store.transaction(backup="import") as db:
        report = apply_plan(db, plan, into="名单")
    elapsed = time.perf_counter() - start
    assert report.added_total == len(plan.rows), report.problems[:3]
    return elapsed


def honours_cli(folder: Path, source: Path) -> float:
    db = folder / f"cli-{time.monotonic_ns()}.json"
    new_store(folder, db.name)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "honours", "--db", str(db), "import", str(source), "--into", "名单"],
        check=True, capture_output=True,
    )
    return time.perf_counter() - start


def tinydb_one_at_a_time(folder: Path, names: list[str]) -> float:
    from tinydb import TinyDB

    start = time.perf_counter()
    with TinyDB(folder / f"tinydb-{time.monotonic_ns()}.json") as db:
        table = db.table("winners")
        for index, name in enumerate(names):
            table.insert({"category": 1, "name": name, "position": index})
    return time.perf_counter() - start


def tinydb_insert_multiple(folder: Path, names: list[str]) -> float:
    from tinydb import TinyDB

    start = time.perf_counter()
    with TinyDB(folder / f"multi-{time.monotonic_ns()}.json") as db:
        db.table("winners").insert_multiple(
            {"category": 1, "name": name, "position": index} for index, name in enumerate(names)
        )
    return time.perf_counter() - start


def best(function, *args, repeat: int) -> float:
    return min(function(*args) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small-n", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        big, small = folder / "big.csv", folder / "small.csv"
        big_names = write_csv(big, args.n)
        small_names = write_csv(small, args.small_n)
        rows = [
            ("honours import (library)", args.n, best(honours_import, folder, big,
                                                      repeat=args.repeat)),
            ("honours import (CLI, whole process)", args.n, best(honours_cli, folder, big,
                                                                 repeat=args.repeat)),
            ("TinyDB insert_multiple, no validation", args.n,
             best(tinydb_insert_multiple, folder, big_names, repeat=args.repeat)),
            ("honours import (library)", args.small_n,
             best(honours_import, folder, small, repeat=args.repeat)),
            ("TinyDB one insert at a time", args.small_n,
             best(tinydb_one_at_a_time, folder, small_names, repeat=1)),
        ]
    print("| method | rows | seconds | rows/s |\n|---|---:|---:|---:|")
    for name, n, seconds in rows:
        print(f"| {name} | {n:,} | {seconds:.3f} | {n / seconds:,.0f} |")
    small_ours = rows[3][2]
    print(f"\nAt {args.small_n:,} rows TinyDB one-at-a-time takes {rows[4][2] / small_ours:.0f}x "
          "as long as honours import.")


if __name__ == "__main__":
    main()
