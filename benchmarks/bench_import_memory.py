"""Peak memory of ``honours import`` on large and hostile CSV and text files.

Every figure is one fresh process, ``/usr/bin/time -f '%M %e'`` (peak resident
set size in KB, wall seconds), start-up included:

* refusing a CSV of 10,000,001 lines (70 MB): from the file, and from a pipe;
* refusing a file of more than 200 MB (a regular file: refused by its size);
* ``--dry-run`` of 100,000 and of 1,000,000 generated names, as CSV (a 单位
  column) and as a plain list, into one category: what grows between the two
  is the records themselves (and the import's checks), not the reading.

``--source DIR`` runs another checkout's code (its ``honours`` package) with the
same interpreter, for a before/after comparison in one run:

    python benchmarks/bench_import_memory.py
    git worktree add /tmp/before main
    python benchmarks/bench_import_memory.py --source /tmp/before
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from names import generate  # noqa: E402


def distinct(names: list[str]) -> list[str]:
    """The names, a repeated one made distinct by more given-name characters
    (an import refuses duplicates)."""
    extra = "华明英玉文丽军平"
    seen: set[str] = set()
    result = []
    for index, name in enumerate(names):
        step = index
        while name in seen:
            name += extra[step % len(extra)]
            step //= len(extra)
        seen.add(name)
        result.append(name)
    return result


def make_files(folder: Path, large: int, small: int) -> dict[str, Path]:
    names = distinct(generate(large))
    files = {}
    for count, label in ((small, "small"), (large, "large")):
        csv = folder / f"rows-{label}.csv"
        csv.write_text("姓名,单位\n" + "".join(
            f"{name},第{index % 100}中学\n" for index, name in enumerate(names[:count])),
            encoding="utf-8")
        txt = folder / f"rows-{label}.txt"
        txt.write_text("\n".join(names[:count]) + "\n", encoding="utf-8")
        files[f"csv-{label}"], files[f"txt-{label}"] = csv, txt
    huge = folder / "huge.csv"
    with huge.open("wb") as out:
        out.write("姓名\n".encode())
        block = "张三\n".encode() * 1_000_000
        for _ in range(10):
            out.write(block)
    files["huge"] = huge
    big = folder / "big.csv"
    with big.open("wb") as out:
        out.write("姓名\n".encode())
        line = ("张三" * 100 + "\n").encode()
        out.write(line * (201 * 1024 * 1024 // len(line) + 1))
    files["big"] = big
    return files


def measure(
    command: list[str], env: dict, pipe: Path | None = None
) -> tuple[int, float, int, str]:
    """(peak RSS in MB, wall seconds, exit status, last line of its messages) of one
    process; ``pipe``: a
    file given to it through a pipe (``cat FILE |``), not as a file."""
    timed = ["/usr/bin/time", "-f", "%M %e", *command]
    if pipe is None:
        result = subprocess.run(timed, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, env=env, cwd=env["PYTHONPATH"])
    else:
        cat = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE)
        result = subprocess.run(timed, stdin=cat.stdout, capture_output=True, text=True,
                                env=env, cwd=env["PYTHONPATH"])
        cat.stdout.close()
        cat.wait()
    lines = result.stderr.strip().splitlines()
    peak, wall = lines[-1].split()
    said = next((line for line in reversed(lines[:-1]) if not line.startswith("Command ")), "")
    return int(peak) // 1024, float(wall), result.returncode, said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=HERE.parent,
                        help="the checkout whose honours package runs (default: this one)")
    parser.add_argument("--large", type=int, default=999_999,
                        help="rows of the large files (with the header: 1,000,000 lines)")
    parser.add_argument("--small", type=int, default=100_000)
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(args.source.resolve()), "HONOURS_LANG": "en"}
    with tempfile.TemporaryDirectory(prefix="honours-importmem-") as temp:
        folder = Path(temp)
        files = make_files(folder, args.large, args.small)
        db = folder / "roll.json"
        base = [sys.executable, "-m", "honours", "--db", str(db)]
        subprocess.run([*base, "category", "add", "名单"], env=env, check=True,
                       capture_output=True, cwd=env["PYTHONPATH"])  # -m runs the cwd's code
        cases = [
            ("refuse a CSV of 10,000,001 lines (70 MB), file", [str(files["huge"])], None),
            ("refuse a CSV of 10,000,001 lines (70 MB), pipe",
             ["/dev/stdin", "--format", "csv"], files["huge"]),
            ("refuse a CSV of 211 MB, file", [str(files["big"])], None),
            (f"--dry-run CSV, {args.small:,} rows", [str(files["csv-small"]), "--dry-run"], None),
            (f"--dry-run CSV, {args.large:,} rows", [str(files["csv-large"]), "--dry-run"], None),
            (f"--dry-run text, {args.small:,} names", [str(files["txt-small"]), "--dry-run"],
             None),
            (f"--dry-run text, {args.large:,} names", [str(files["txt-large"]), "--dry-run"],
             None),
        ]
        print(f"source: {args.source}; load average {os.getloadavg()[0]:.2f}\n")
        print("| import | exit | wall s | peak RSS MB | last message |")
        print("|---|---:|---:|---:|---|")
        for label, arguments, pipe in cases:
            command = [*base, "import", *arguments, "--into", "名单"]
            peak, wall, status, said = measure(command, env, pipe)
            said = said.replace(str(folder), "…")[:90]
            print(f"| {label} | {status} | {wall:.1f} | {peak} | {said} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
