"""Growth benchmark: every command on rolls of 1,000, 10,000 and 100,000 winners.

For each size a roll is built in a temporary folder (through the library, which is
what ``honours import`` runs): 100 categories under one award, realistic names
(``names.py``), one category of 1,000 winners (for ``certificates``), one of 100 (for
``list``) and the rest spread evenly over the other 98.  Each command then runs in a
fresh process (``python -m honours --db COPY ...``) on a fresh copy of that roll, and
the benchmark records its wall time, its CPU time (user + system, from ``wait4``: less
disturbed by the other processes of a shared machine) and its peak memory (``VmHWM``
read by the child as it exits; ``ru_maxrss`` is not used because Linux carries the
parent's high-water mark into a child across fork/exec).

Every roll is built first; then each figure runs at every size in turn, smallest
first, ``--repeat`` rounds of that (median; a size whose first run takes over 20 s runs
once), so that the two runs an exponent compares are seconds apart, not minutes: this
machine's speed drifts by up to half within minutes.  Timed: ``add`` one winner,
``list`` the 100-winner category, ``show`` the roll, ``export`` of the whole roll in
every format, ``register --issue`` (issuing every number), ``register`` and ``register
-o FILE.xlsx`` with every number issued, ``import`` of 1,000 more rows,
``certificates`` for the 1,000-winner category (PDF), ``doctor``.  Beside ``add`` and
``list``: SQLite (the standard library's ``sqlite3``) on the same rows, in a fresh
process too, adding a row and listing the category.

The growth exponent between two sizes is log(t2 / t1) / log(n2 / n1): 1 is linear,
2 quadratic.  CPU times are used for it.

    python benchmarks/bench_growth.py                       # 1k, 10k, 100k (about 30 min)
    python benchmarks/bench_growth.py --sizes 1000,10000    # quicker
    python benchmarks/bench_growth.py --only add,list,export-xlsx
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from names import generate  # noqa: E402

OUT = HERE / "out"
AWARD = "表彰"
CERTIFICATES_CATEGORY = f"{AWARD}/类别001"  # 1,000 winners at every size
LIST_CATEGORY = f"{AWARD}/类别002"  # 100 winners at every size
IMPORT_CATEGORY = f"{AWARD}/类别003"
CATEGORIES = 100
ONCE_AFTER = 20.0  # seconds: a command slower than this on its first run runs once
FORMATS = ("txt", "md", "csv", "xlsx", "docx", "html", "json", "pdf")

# Runs honours (or, with --script, a baseline script) in this process and writes
# its peak memory to the file named by the first argument as it exits.
CHILD = """
import atexit, runpy, sys
peak = sys.argv.pop(1)
def report():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                with open(peak, 'w') as out:
                    out.write(line.split()[1])
atexit.register(report)
if sys.argv[1] == '--script':
    script = sys.argv.pop(2)
    del sys.argv[1]
    exec(compile(script, 'baseline', 'exec'))
else:
    sys.argv[0] = 'honours'
    runpy.run_module('honours', run_name='__main__')
"""

SQLITE_ADD = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with db:
    db.execute("INSERT INTO winners(category, name, position, added) VALUES "
               "(?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM winners WHERE category = ?),"
               " datetime('now'))", (1, '张新人', 1))
"""

SQLITE_LIST = """
import sqlite3, sys
from honours.collation import sort_records
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, name, affiliation FROM winners WHERE category = ? "
                  "ORDER BY position", (2,)).fetchall()
for number, (id_, name, affiliation) in enumerate(
        sort_records(rows, 'stroke', 'person', name=lambda row: row[1]), 1):
    print(number, name, affiliation, id_)
"""


def category_sizes(n: int) -> list[int]:
    """Winners per category: 1,000, 100, then the rest spread over the others."""
    rest = max(0, n - 1100)
    others = CATEGORIES - 2
    return [1000, 100] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]


def build(folder: Path, n: int) -> tuple[Path, Path, int]:
    """The honours roll and the same rows in SQLite; returns both paths and the count."""
    from honours import roll
    from honours.importer import apply_plan
    from honours.readers import read_file
    from honours.storage import Store

    sizes = category_sizes(n)
    names = generate(sum(sizes), seed=n)
    source = folder / "roll.csv"
    rows = []
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "单位", "类别"])
        start = 0
        for index, size in enumerate(sizes, start=1):
            for offset, name in enumerate(names[start : start + size]):
                affiliation = f"第{(start + offset) % 50 + 1}中学"
                writer.writerow([name, affiliation, f"{AWARD}/类别{index:03d}"])
                rows.append((index, name, affiliation, offset))
            start += size
    database = folder / "roll.json"
    store = Store(database)
    with store.transaction() as db:
        roll.add_category(db, AWARD, kind="person", sort="manual")
        for index in range(1, CATEGORIES + 1):
            roll.add_category(db, f"类别{index:03d}", parent=AWARD, kind="person",
                              sort="stroke")
    _, plan = read_file(source)
    with store.transaction() as db:
        report = apply_plan(db, plan, allow_duplicate=True)
    assert report.added_total == len(rows), report.problems[:3]

    import sqlite3

    baseline = folder / "roll.sqlite"
    with sqlite3.connect(baseline) as sql:
        sql.execute("CREATE TABLE winners(id INTEGER PRIMARY KEY, category INTEGER, name TEXT, "
                    "affiliation TEXT, position INTEGER, added TEXT)")
        sql.execute("CREATE INDEX winners_category ON winners(category, position)")
        sql.executemany("INSERT INTO winners(category, name, affiliation, position, added) "
                        "VALUES (?, ?, ?, ?, datetime('now'))", rows)
    sql.close()
    more = folder / "more.csv"
    with more.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "单位"])
        writer.writerows([name, "新增单位"] for name in generate(1000, seed=n + 1))
    return database, baseline, len(rows)


class Runner:
    def __init__(self, folder: Path, database: Path) -> None:
        self.folder = folder
        self.database = database
        self.env = dict(os.environ, HONOURS_DB=str(database), HONOURS_LANG="en")
        # As on a user's machine, where Python keeps compiled modules (this machine sets
        # PYTHONDONTWRITEBYTECODE, which costs every process ~0.1 s of compiling).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env.pop("COLUMNS", None)

    def fresh_copy(self, name: str) -> Path:
        """A copy of the roll with nothing beside it (no ledger, journal or backups)."""
        target = self.folder / name
        target.mkdir(exist_ok=True)
        for leftover in target.iterdir():
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        shutil.copyfile(self.database, target / "roll.json")
        return target / "roll.json"

    def once(self, command: list[str]) -> tuple[float, float, float]:
        """(wall s, CPU s, peak MB) of one process."""
        peak_file = self.folder / "peak"
        start = time.perf_counter()
        peak_file.unlink(missing_ok=True)
        with (self.folder / "stderr").open("w+b") as errors:
            process = subprocess.Popen(command[:3] + [str(peak_file)] + command[3:],
                                       stdout=subprocess.DEVNULL, stderr=errors, env=self.env)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            errors.seek(0)
            error = errors.read().decode(errors="replace")
        code = os.waitstatus_to_exitcode(status)
        # doctor exits 1 when it finds a problem (in a temporary folder: no backups yet)
        if code != 0 and not (code == 1 and "doctor" in command):
            raise RuntimeError(f"{' '.join(command[3:])} exited {code}: {error.strip()[-500:]}")
        peak = int(peak_file.read_text() or 0) / 1024 if peak_file.exists() else float("nan")
        return wall, usage.ru_utime + usage.ru_stime, peak

    def honours(self, database: Path, *arguments: str) -> list[str]:
        return [sys.executable, "-c", CHILD, "--db", str(database), *arguments]

    def honours_figure(self, prepare, command):
        """A figure's one run: ``prepare()`` gives the database, ``command(database)``
        the process to run on it."""
        return lambda: self.once(command(prepare()))

    def plain_figure(self, script: str, *arguments: str):
        """A Python script (the SQLite baseline) in a fresh process."""
        return lambda: self.once([sys.executable, "-c", CHILD, "--script", script, *arguments])


def interleaved(figures: dict[int, object], repeat: int) -> dict[int, dict]:
    """Time one figure at every size: ``repeat`` rounds, each running every size
    once, smallest first, so that the runs a growth exponent compares are seconds
    apart, not minutes (this machine's speed drifts by up to half within minutes).
    ``figures``: size → a function making one run.  A size whose first run takes
    over ``ONCE_AFTER`` seconds runs once; one that fails is reported as failed."""
    runs: dict[int, list] = {size: [] for size in figures}
    failed: dict[int, str] = {}
    for attempt in range(repeat):
        for size, run in figures.items():
            if size in failed or (attempt and runs[size][0][0] > ONCE_AFTER):
                continue
            try:
                runs[size].append(run())
            except RuntimeError as error:
                failed[size] = str(error)
    return {size: {"error": failed[size]} if size in failed else summary(runs[size])
            for size in figures}


def summary(runs: list[tuple[float, float, float]]) -> dict:
    return {
        "wall": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
        "peak_mb": max(r[2] for r in runs),
        "runs": len(runs),
    }


def commands(runner: Runner, folder: Path) -> dict:
    """name → (prepare, command): what to run for each figure."""
    base = runner.database
    output = folder / "output"
    output.mkdir(exist_ok=True)

    def fresh(name):
        return lambda: runner.fresh_copy(name)

    def untouched():
        return base

    def issued():
        database = runner.fresh_copy("issued")
        runner.once(runner.honours(database, "register", "--issue"))
        return database

    table = {
        "add": (fresh("add"), lambda db: runner.honours(db, "add", LIST_CATEGORY, "张新人")),
        "list": (untouched, lambda db: runner.honours(db, "list", LIST_CATEGORY)),
        "show": (untouched, lambda db: runner.honours(db, "show")),
    }
    for fmt in FORMATS:
        table[f"export-{fmt}"] = (untouched, lambda db, fmt=fmt: runner.honours(
            db, "export", "-f", fmt, "-o", str(output / f"roll.{fmt}"), "--force"))
    table["register-issue"] = (fresh("register"),
                               lambda db: runner.honours(db, "register", "--issue"))
    table["register-issued"] = (issued, lambda db: runner.honours(db, "register"))
    table["register-xlsx"] = (issued, lambda db: runner.honours(
        db, "register", "-o", str(output / "register.xlsx"), "--force"))
    table["import"] = (fresh("import"), lambda db: runner.honours(
        db, "import", str(folder / "more.csv"), "--into", IMPORT_CATEGORY,
        "--allow-duplicate"))
    table["certificates"] = (fresh("certificates"), lambda db: runner.honours(
        db, "certificates", CERTIFICATES_CATEGORY, "-o", str(output / "certificates.pdf"),
        "--force"))
    table["doctor"] = (untouched, lambda db: runner.honours(db, "doctor"))
    return table


def exponent(small: float, large: float, n_small: int, n_large: int) -> float:
    if small <= 0 or large <= 0:
        return float("nan")
    return math.log(large / small) / math.log(n_large / n_small)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="roll sizes, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--only", default="", help="comma-separated figures to time")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite baseline")
    parser.add_argument("--json", default=str(OUT / "bench_growth.json"), help="JSON output")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    only = {name for name in args.only.split(",") if name}

    results: dict[str, dict[int, dict]] = {}
    counts: dict[int, int] = {}
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    # Compiled modules in place before the first timed process, as after an install.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "honours")],
                   check=True, stdout=subprocess.DEVNULL)
    load_before = os.getloadavg()
    with contextlib.ExitStack() as folders:
        runners: dict[int, Runner] = {}
        tables: dict[int, dict] = {}
        baselines: dict[int, Path] = {}
        for size in sizes:  # every roll first: then each figure runs at every size in turn
            folder = Path(folders.enter_context(
                tempfile.TemporaryDirectory(prefix="honours-growth-")))
            begin = time.perf_counter()
            database, baselines[size], count = build(folder, size)
            counts[size] = count
            print(f"# {count:,} winners: built in {time.perf_counter() - begin:.1f} s "
                  f"({database.stat().st_size / 1e6:.1f} MB), load {os.getloadavg()[0]:.2f}",
                  file=sys.stderr, flush=True)
            runners[size] = Runner(folder, database)
            tables[size] = commands(runners[size], folder)
        for name in tables[sizes[0]]:
            if only and name not in only:
                continue
            results[name] = interleaved(
                {size: runners[size].honours_figure(*tables[size][name]) for size in sizes},
                args.repeat)
            for size, figure in results[name].items():
                print(f"  {name} at {counts[size]:,}: {describe(figure)}", file=sys.stderr,
                      flush=True)
        if not args.no_sqlite and (not only or only & {"add", "list"}):
            for name, script in (("sqlite-add", SQLITE_ADD), ("sqlite-list", SQLITE_LIST)):
                copies = {}
                for size in sizes:
                    copies[size] = runners[size].folder / "add.sqlite"
                    shutil.copyfile(baselines[size], copies[size])
                results[name] = interleaved(
                    {size: runners[size].plain_figure(script, str(copies[size]))
                     for size in sizes}, args.repeat)
                for size, figure in results[name].items():
                    print(f"  {name} at {counts[size]:,}: {describe(figure)}",
                          file=sys.stderr, flush=True)

    report = markdown(results, sizes, counts)
    machine = (f"Python {platform.python_version()}, {os.cpu_count()} CPUs; started {started}; "
               f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print(machine + "\n\n" + report)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(
        {"machine": machine, "counts": counts, "results": results}, indent=1,
        ensure_ascii=False), encoding="utf-8")
    return 0


def describe(figure: dict) -> str:
    if "error" in figure:
        return f"FAILED {figure['error']}"
    return (f"{figure['wall']:.2f} s wall, {figure['cpu']:.2f} s CPU, "
            f"{figure['peak_mb']:.0f} MB peak ({figure['runs']} runs)")


def markdown(results: dict, sizes: list[int], counts: dict[int, int]) -> str:
    header = ["command"] + [f"{counts[s]:,} CPU s (wall)" for s in sizes]
    header += [f"exponent {counts[a]:,}→{counts[b]:,}" for a, b in zip(sizes, sizes[1:])]
    header += [f"peak MB at {counts[sizes[-1]]:,}", "targets (issue 14)"]
    lines = ["| " + " | ".join(header) + " |",
             "|---|" + "---:|" * (len(header) - 1)]
    for name, by_size in results.items():
        cells = [name]
        for size in sizes:
            figure = by_size.get(size)
            if figure is None:
                cells.append("")
            elif "error" in figure:
                cells.append("failed")
            else:
                cells.append(f"{figure['cpu']:.2f} ({figure['wall']:.2f})")
        for a, b in zip(sizes, sizes[1:]):
            fa, fb = by_size.get(a, {}), by_size.get(b, {})
            if "cpu" in fa and "cpu" in fb:
                cells.append(f"{exponent(fa['cpu'], fb['cpu'], counts[a], counts[b]):.2f}")
            else:
                cells.append("")
        last = by_size.get(sizes[-1], {})
        cells.append(f"{last['peak_mb']:.0f}" if "peak_mb" in last else "")
        cells.append(verdict(name, by_size, sizes, counts))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(name: str, by_size: dict, sizes: list[int], counts: dict[int, int]) -> str:
    """The issue's targets at the largest size: under 5 s CPU (all but certificates and
    docx export), exponent at most 1.1 over the last decade, add and list under 0.5 s
    and within 3x of the smallest roll, peak memory under 500 MB."""
    if name.startswith("sqlite") or counts[sizes[-1]] < 100_000:
        return ""
    last, first = by_size.get(sizes[-1], {}), by_size.get(sizes[0], {})
    if "cpu" not in last:
        return "not measured"
    misses = []
    if name not in ("certificates", "export-docx") and last["cpu"] >= 5:
        misses.append("≥ 5 s")
    if len(sizes) > 1 and name not in ("certificates", "export-docx"):
        before = by_size.get(sizes[-2], {})
        if "cpu" in before and exponent(before["cpu"], last["cpu"], counts[sizes[-2]],
                                        counts[sizes[-1]]) > 1.1:
            misses.append("exponent > 1.1")
    if name in ("add", "list"):
        if last["cpu"] >= 0.5:
            misses.append("≥ 0.5 s")
        if "cpu" in first and len(sizes) > 1 and last["cpu"] > 3 * first["cpu"]:
            misses.append("> 3× the smallest")
    if last["peak_mb"] >= 500:
        misses.append("≥ 500 MB")
    return "met" if not misses else "NOT met: " + ", ".join(misses)


if __name__ == "__main__":
    sys.exit(main())
