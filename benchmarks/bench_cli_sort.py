"""`honours sort` and `honours check` on a large list, against plain ``sorted()``.

Everything runs in fresh processes on the same file of N names (one a line,
``names.py``), in one run, interleaved, ``--repeat`` times (median):

* floor: ``python -c`` that reads the file, ``sorted()`` the lines (code point
  order) and writes them out: what any program that sorts a file pays;
* ``honours sort FILE`` (stroke order, 姓氏笔画), output to a file;
* ``honours check FILE`` on the sorted output with a heading declaring the order
  (it reads, validates and checks every name).

Wall and CPU seconds (user + system of the child, from ``wait4``) and the ratios to
the floor.

    python benchmarks/bench_cli_sort.py              # 1,000,000 names
    python benchmarks/bench_cli_sort.py --n 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from names import generate  # noqa: E402

FLOOR = """
import sys
with open(sys.argv[1], encoding='utf-8') as source:
    lines = source.read().splitlines()
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    out.write('\\n'.join(sorted(lines)) + '\\n')
"""


def run(command: list[str], stdout_path: Path | None = None) -> tuple[float, float]:
    start = time.perf_counter()
    with open(stdout_path or os.devnull, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # check exits 1 when a list is out of order
        raise SystemExit(f"{' '.join(command[:4])} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="honours-clisort-") as temp:
        folder = Path(temp)
        source = folder / "names.txt"
        source.write_text("\n".join(generate(args.n)) + "\n", encoding="utf-8")
        sorted_out = folder / "sorted.txt"
        # check reads a list under a heading that declares its order
        draft = folder / "draft.txt"
        run([python, "-m", "honours", "sort", str(source)], sorted_out)
        draft.write_text(f"名单（{args.n}名，按姓氏笔画排序）\n" + sorted_out.read_text("utf-8"),
                         encoding="utf-8")
        methods = {
            "sorted() (read, sort, write)": (
                [python, "-c", FLOOR, str(source), str(folder / "floor.txt")], None),
            "honours sort FILE": ([python, "-m", "honours", "sort", str(source)],
                                  folder / "out.txt"),
            "honours check FILE": ([python, "-m", "honours", "check", str(draft)], None),
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in methods}
        for _ in range(args.repeat):
            for name, (command, out) in methods.items():
                runs[name].append(run(command, out))
    load = os.getloadavg()[0]
    floor_wall = statistics.median(r[0] for r in runs["sorted() (read, sort, write)"])
    floor_cpu = statistics.median(r[1] for r in runs["sorted() (read, sort, write)"])
    print(f"{args.n:,} names, {args.repeat} runs each (median), load average {load:.2f}\n")
    print("| method | wall s | CPU s | × sorted() wall | × sorted() CPU |")
    print("|---|---:|---:|---:|---:|")
    for name, figures in runs.items():
        wall = statistics.median(r[0] for r in figures)
        cpu = statistics.median(r[1] for r in figures)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / floor_wall:.2f} | "
              f"{cpu / floor_cpu:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
