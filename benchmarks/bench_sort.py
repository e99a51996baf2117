"""Sorting benchmark: honours.collation against plain sorted() and two PyPI libraries.

One process, one run, one generated list (``names.generate(n, seed)``):

* plain ``sorted()`` of the same strings: the floor every ratio is taken against;
* each rule of ``honours.collation.sort_entries``: ``stroke``, ``stroke-fullname``,
  ``pinyin`` and ``stroke`` with ``kind="unit"`` (warm: tables already loaded);
* the time to load our character tables, and each rule cold (first sort in a fresh
  process, tables loaded lazily inside it) with that process's peak RSS;
* PyPI ``cn-sort`` in both modes (``Mode.BIHUA`` strokes, ``Mode.PINYIN``);
* PyPI ``chinese-stroke-sorting`` (a bubble sort, quadratic) on the first ``--small-n``
  names, with sorted() and our stroke rule timed on the same names;
* a correctness column: how many of 37 names of a published 姓氏笔画 list each method
  misplaces (entries outside a longest run kept in published order).

Each timing is the best of ``--repeat`` runs, except that a method whose first run takes
longer than 30 s is run once.  Prints Markdown tables; writes JSON to ``benchmarks/out/``.

    python benchmarks/bench_sort.py                # 1,000,000 names
    python benchmarks/bench_sort.py --n 100000     # quicker
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import names as name_generator  # noqa: E402

from honours.collation.order import longest_ordered_run  # noqa: E402

OUT = HERE / "out"
LONG_RUN = 30.0  # seconds: slower methods are run once

#: Names of a published list, in its published 姓氏笔画 order.
PUBLISHED = (
    "丁丽珍 马罡 吕东远 朱春燕 刘振 刘倪 刘新宇 孙海美 杨巍 杨旦红 吴依红 邱晏 邹佩佩 "
    "汪旭兵 沈沂 沈燕 沈永华 沈桂红 沈蓓雷 张玉萍 陆学峰 金健 金丽丽 郑娟 胡吉根 冒长青 "
    "俞欢英 顾美萍 徐春兰 龚敬宇 葛翌雷 董伟 蒋峰 韩美珍 蔡东升 樊文军 潘淑红"
).split()

STROKE_TARGET = 2.5
PINYIN_TARGET = 4.0
MEMORY_TARGET_MB = 1024


# -- helpers ----------------------------------------------------------------------------
def timed(fn: Callable[[], object], repeat: int) -> tuple[float, int, object]:
    """Best wall time of up to ``repeat`` runs (one run if it takes > LONG_RUN)."""
    best, runs, first = float("inf"), 0, None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        if runs == 0:
            first = result
        del result
        runs += 1
        best = min(best, elapsed)
        if elapsed > LONG_RUN:
            break
    return best, runs, first


def misplaced(result: list[str]) -> list[str]:
    """Entries of ``result`` outside one longest run in published order (strict LIS)."""
    position = {name: index for index, name in enumerate(PUBLISHED)}
    kept = longest_ordered_run([position[name] for name in result], strict=True)
    return [name for index, name in enumerate(result) if index not in kept]


def published_input() -> list[str]:
    """The published names in a fixed shuffled order, so no sort starts from the answer."""
    shuffled = list(PUBLISHED)
    random.Random(37).shuffle(shuffled)
    return shuffled


def names_file(n: int, seed: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"names-{n}-{seed}.txt"
    if not path.exists():
        path.write_text("\n".join(name_generator.generate(n, seed)) + "\n", encoding="utf-8")
    return path


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB.

    VmHWM from /proc where there is one: ``getrusage(RUSAGE_SELF).ru_maxrss`` carries the
    parent's high-water mark across fork and exec on Linux, so a child started by a big
    parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# -- fresh-process measurement of one rule: cold time and peak memory -------------------
def child(rule: str, kind: str, path: str) -> None:
    """Run in a fresh interpreter: read names, then one sort; print JSON."""
    entries = Path(path).read_text("utf-8").split("\n")[:-1]
    gc.collect()
    before = peak_rss_mb()
    start = time.perf_counter()
    if rule == "plain":
        result = sorted(entries)
    else:
        from honours.collation import sort_entries

        result = sort_entries(entries, rule, kind=kind)
    elapsed = time.perf_counter() - start
    print(json.dumps({
        "rule": rule, "kind": kind, "n": len(result), "cold_s": elapsed,
        "rss_before_mb": before, "rss_peak_mb": peak_rss_mb(),
    }))


def run_child(rule: str, kind: str, path: Path) -> dict:
    command = [sys.executable, __file__, "--child", rule, "--kind", kind, "--names-file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- third-party libraries ----------------------------------------------------------------
def load_cn_sort():
    """Import cn_sort with its log files kept in benchmarks/out and its stdout logging off.

    cn_sort configures logging at import time with FileHandlers ``all.log`` and
    ``error.log`` relative to the working directory, and a stdout StreamHandler.
    """
    OUT.mkdir(exist_ok=True)
    logs = OUT / "cn_sort-logs"
    logs.mkdir(exist_ok=True)
    cwd = os.getcwd()
    os.chdir(logs)
    try:
        import cn_sort
        from cn_sort import process_cn_word
    finally:
        os.chdir(cwd)
    for name in ("", "all", "error"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if type(handler) is logging.StreamHandler:
                logger.removeHandler(handler)
    return cn_sort, process_cn_word


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("honours", "cn-sort", "chinese-stroke-sorting", "pypinyin", "numpy"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


# -- the benchmark ------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="names to sort")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--small-n", type=int, default=2000,
                        help="names for chinese-stroke-sorting (quadratic)")
    parser.add_argument("--no-external", action="store_true", help="skip the PyPI libraries")
    parser.add_argument("--no-fresh", action="store_true",
                        help="skip the fresh-process cold/memory runs")
    parser.add_argument("--json", default=str(OUT / "bench_sort.json"), help="JSON output path")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="person", help=argparse.SUPPRESS)
    parser.add_argument("--names-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.kind, args.names_file)
        return 0

    n, repeat = args.n, args.repeat
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    log(f"generating {n:,} names (seed {args.seed}) ...")
    path = names_file(n, args.seed)
    entries = path.read_text("utf-8").split("\n")[:-1]
    assert len(entries) == n
    rows: list[dict] = []
    sample = published_input()

    def add(method, size, seconds, runs, floor, check=None, note=""):
        row = {"method": method, "n": size, "seconds": seconds, "runs": runs,
               "ratio": seconds / floor if floor else None, "note": note}
        if check is not None:
            row["misplaced"] = len(check)
            row["misplaced_names"] = check
        rows.append(row)
        log(f"  {method:<44} n={size:>9,} {seconds:9.3f} s  x{row['ratio'] or 0:6.2f}")
        return row

    # 1. the floor
    log("plain sorted() ...")
    floor, runs, _ = timed(lambda: sorted(entries), repeat)
    add("sorted() (code point order, floor)", n, floor, runs, floor,
        misplaced(sorted(sample)))

    # 2. our tables and rules
    from honours.collation import CharTables, sort_entries

    def load(rule: str) -> float:
        """Seconds to read one rule's data into a fresh CharTables and fill its whole
        translation table (what a large sort does first; small sorts look up lazily)."""
        fresh = CharTables()
        start = time.perf_counter()
        if hasattr(fresh, "prime"):
            fresh.prime(rule)
        else:  # before the compact indexes: the tables were built whole on first use
            fresh.pinyin_keys if rule == "pinyin" else fresh.stroke_keys  # noqa: B018
        if rule == "pinyin":
            fresh.surname_keys, fresh.compound_surnames  # noqa: B018
        return time.perf_counter() - start

    load_stroke = min(load("stroke") for _ in range(repeat))
    load_pinyin = min(load("pinyin") for _ in range(repeat))

    ours = [
        ("honours stroke (姓氏笔画)", "stroke", "person"),
        ("honours stroke-fullname (姓名笔画)", "stroke-fullname", "person"),
        ("honours pinyin (姓氏拼音)", "pinyin", "person"),
        ("honours stroke, kind=unit", "stroke", "unit"),
    ]
    warm: dict[str, float] = {}
    for label, rule, kind in ours:
        log(f"{label} ...")
        sort_entries(sample, rule, kind=kind)  # load this rule's tables before timing
        seconds, runs, result = timed(lambda r=rule, k=kind: sort_entries(entries, r, kind=k),
                                      repeat)
        assert len(result) == n
        del result
        check = None if rule == "pinyin" else misplaced(sort_entries(sample, rule, kind=kind))
        add(label, n, seconds, runs, floor, check)
        warm[f"{rule}/{kind}"] = seconds

    # 3. fresh processes: cold first sort (includes table loading) and peak RSS
    fresh_rows = []
    if not args.no_fresh:
        for label, rule, kind in [("sorted()", "plain", "person")] + ours:
            log(f"fresh process: {label} ...")
            runs = [run_child(rule, kind, path) for _ in range(repeat)]
            measured = min(runs, key=lambda run: run["cold_s"])
            measured["cold_runs_s"] = [run["cold_s"] for run in runs]
            measured["rss_peak_mb"] = max(run["rss_peak_mb"] for run in runs)
            measured["label"] = label
            fresh_rows.append(measured)

    # 4. third-party libraries
    small = entries[: args.small_n]
    if not args.no_external:
        cn_sort, process_cn_word = load_cn_sort()
        for label, mode in (("cn-sort Mode.BIHUA (笔画)", cn_sort.Mode.BIHUA),
                            ("cn-sort Mode.PINYIN (拼音)", cn_sort.Mode.PINYIN)):
            log(f"{label} ...")
            process_cn_word._word_dict_cache.clear()
            start = time.perf_counter()
            process_cn_word.get_word_dict(mode)
            load = time.perf_counter() - start

            def run(mode=mode):
                process_cn_word._pinyin_cache.clear()  # per-word memo: no reuse across runs
                return cn_sort.sort_text_list(entries, mode=mode)

            seconds, runs, result = timed(run, repeat)
            assert len(result) == n
            del result
            process_cn_word._pinyin_cache.clear()
            pinyin = mode == cn_sort.Mode.PINYIN
            check = None if pinyin else misplaced(cn_sort.sort_text_list(sample, mode=mode))
            add(label, n, seconds, runs, floor, check, note=f"data load {load:.2f} s")
        process_cn_word._pinyin_cache.clear()

    log(f"n={len(small):,}: sorted(), honours stroke, chinese-stroke-sorting ...")
    small_floor, runs, _ = timed(lambda: sorted(small), repeat)
    add("sorted() (code point order, floor)", len(small), small_floor, runs, small_floor)
    seconds, runs, _ = timed(lambda: sort_entries(small, "stroke"), repeat)
    add("honours stroke (姓氏笔画)", len(small), seconds, runs, small_floor)
    if not args.no_external:
        import chinese_stroke_sorting

        seconds, runs, result = timed(lambda: chinese_stroke_sorting.sort_by_stroke(small),
                                      repeat)
        assert sorted(result) == sorted(small)
        check = misplaced(chinese_stroke_sorting.sort_by_stroke(sample))
        add("chinese-stroke-sorting sort_by_stroke", len(small), seconds, runs, small_floor,
            check)

    # 5. report
    report = render(n, rows, fresh_rows, load_stroke, load_pinyin, warm, floor)
    print(report)
    result = {
        "argv": sys.argv[1:], "n": n, "seed": args.seed, "repeat": repeat,
        "python": platform.python_version(), "machine": machine(), "versions": versions(),
        "source": source_state(),
        "rows": rows, "fresh": fresh_rows,
        "tables_load_s": {"stroke": load_stroke, "pinyin": load_pinyin},
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"wrote {out}")
    return 0


def source_state() -> str:
    """The commit benchmarked, ``+dirty`` if honours/ differs from it, and a hash of the
    ordering core's files as they were read (other engineers commit while this runs)."""
    import hashlib

    root = HERE.parent
    digest = hashlib.sha256()
    for path in sorted((root / "honours" / "collation").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv"):
            digest.update(path.read_bytes())
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "honours"],
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        commit, dirty = "unknown", ""
    return f"commit {commit or 'unknown'}{'+dirty' if dirty else ''}, " \
        f"honours/collation sha256 {digest.hexdigest()[:12]}"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model or platform.processor()}"


def secs(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds >= 0.1 else f"{seconds:.2g}"


def render(n, rows, fresh_rows, load_stroke, load_pinyin, warm, floor) -> str:
    lines = [
        f"Python {platform.python_version()}, {machine()}; {source_state()}; "
        f"packages: {', '.join(f'{k} {v}' for k, v in versions().items())}",
        "",
        "| method | n | seconds | runs | × sorted() | misplaced of 37 (published 姓氏笔画 list) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if "misplaced" not in row:
            check = "n/a (pinyin rule)" if "PINYIN" in row["method"] or "pinyin" in row[
                "method"] else ""
        else:
            check = str(row["misplaced"])
            if row["misplaced"]:
                shown = " ".join(row["misplaced_names"][:6])
                more = " …" if row["misplaced"] > 6 else ""
                check += f" ({shown}{more})"
        note = f" [{row['note']}]" if row["note"] else ""
        lines.append(
            f"| {row['method']}{note} | {row['n']:,} | {secs(row['seconds'])} | {row['runs']} "
            f"| {row['ratio']:.2f} | {check} |"
        )
    lines += [
        "",
        f"Table loading (fresh CharTables, read the index and fill the whole table, files in "
        f"page cache, best of runs): stroke {secs(load_stroke)} s; pinyin {secs(load_pinyin)} s "
        "(with surname readings).",
    ]
    if fresh_rows:
        processes = len(fresh_rows[0]["cold_runs_s"])
        lines += [
            "",
            f"Fresh process per rule, {n:,} names, {processes} processes each: cold = best first "
            "sort, including lazy table loading; peak RSS = the largest VmHWM of those "
            "processes (includes the interpreter and the names).",
            "",
            "| rule | cold s | warm s (above) | peak RSS before sort MB | peak RSS MB "
            "| growth MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in fresh_rows:
            key = f"{row['rule']}/{row['kind']}"
            warm_s = floor if row["rule"] == "plain" else warm.get(key)
            lines.append(
                f"| {row['label']} | {secs(row['cold_s'])} | {secs(warm_s)} "
                f"| {row['rss_before_mb']:.0f} | {row['rss_peak_mb']:.0f} "
                f"| {row['rss_peak_mb'] - row['rss_before_mb']:.0f} |"
            )
    stroke = warm["stroke/person"] / floor
    pinyin = warm["pinyin/person"] / floor
    lines += ["", "Targets:"]
    lines.append(f"- stroke ≤ {STROKE_TARGET}× sorted(): {stroke:.2f}× "
                 f"{'met' if stroke <= STROKE_TARGET else 'MISSED'}")
    lines.append(f"- pinyin ≤ {PINYIN_TARGET}× sorted(): {pinyin:.2f}× "
                 f"{'met' if pinyin <= PINYIN_TARGET else 'MISSED'}")
    for row in fresh_rows:
        if row["rule"] in ("stroke", "pinyin") and row["kind"] == "person":
            peak = row["rss_peak_mb"]
            lines.append(f"- {row['rule']} peak RSS < {MEMORY_TARGET_MB} MB: {peak:.0f} MB "
                         f"{'met' if peak < MEMORY_TARGET_MB else 'MISSED'}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
