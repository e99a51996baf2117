"""Start-up benchmark: whole ``honours`` commands in fresh processes.

Every command runs as ``sys.executable -m honours ...`` (the same interpreter as the
floor, ``sys.executable -c "import typer"``), ``--runs`` times each after one untimed
warm-up run (page cache, .pyc files); reports best and median wall time in ms and the
ratio of each to the typer import.  The database is a small one built in a temporary
folder with the CLI itself; ``HONOURS_DB`` points there too so no run touches the
user's data folder.

    python benchmarks/bench_startup.py              # 15 runs each
    python benchmarks/bench_startup.py --runs 30
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import names as name_generator  # noqa: E402

OUT = HERE / "out"
CATEGORY = "名单"


def run(command: list[str], env: dict[str, str], stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, input=stdin, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command")
    parser.add_argument("--json", default=str(OUT / "bench_startup.json"), help="JSON output")
    args = parser.parse_args(argv)

    python = sys.executable
    honours = [python, "-m", "honours"]
    with tempfile.TemporaryDirectory(prefix="honours-bench-") as folder:
        db = str(Path(folder) / "small.json")
        env = dict(os.environ, HONOURS_DB=db)
        entries = name_generator.generate(50, seed=7)
        listing = Path(folder) / "names.txt"
        listing.write_text("\n".join(entries) + "\n", encoding="utf-8")
        run(honours + ["--db", db, "category", "add", CATEGORY], env)
        run(honours + ["--db", db, "add", CATEGORY, *entries[:20]], env)

        commands = [
            ('python -c "import typer" (floor)', [python, "-c", "import typer"]),
            ('python -c "pass"', [python, "-c", "pass"]),
            ("honours --help", honours + ["--help"]),
            (f"honours --db SMALL list {CATEGORY} (20 winners)",
             honours + ["--db", db, "list", CATEGORY]),
            ("honours sort FILE (50 names)", honours + ["sort", str(listing)]),
            ("honours sort --by pinyin FILE (50 names)",
             honours + ["sort", "--by", "pinyin", str(listing)]),
        ]
        results = []
        for label, command in commands:
            print(f"{label} ...", file=sys.stderr, flush=True)
            run(command, env)  # warm-up, untimed
            times = [run(command, env) for _ in range(args.runs)]
            results.append({"command": label, "argv": command[1:], "times_s": times,
                            "best_ms": min(times) * 1000,
                            "median_ms": statistics.median(times) * 1000})

    floor = results[0]
    lines = [
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"{args.runs} runs per command after one warm-up; ratios to `import typer`.",
        "",
        "| command | best ms | median ms | × typer (best) | × typer (median) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in results:
        lines.append(
            f"| {row['command']} | {row['best_ms']:.0f} | {row['median_ms']:.0f} "
            f"| {row['best_ms'] / floor['best_ms']:.2f} "
            f"| {row['median_ms'] / floor['median_ms']:.2f} |"
        )
    print("\n".join(lines))
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"python": platform.python_version(), "runs": args.runs,
                               "results": results, "when": time.strftime("%Y-%m-%d %H:%M:%S")},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
