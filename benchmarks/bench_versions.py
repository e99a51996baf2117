"""Side by side: honours commands run from two or more versions of the code.

The machine's speed moves a single figure by up to half within minutes, so two
versions are compared in one script, on the same roll, their fresh processes
alternated round by round.  Each version is a source tree (this clone, or a git
worktree of another commit); a child runs ``python -m honours`` with that tree first
on ``PYTHONPATH`` (checked: the child must import honours from it), on its own copy of
the growth benchmark's roll (``bench_growth.build``), and its CPU time (user + system,
from ``wait4``) is recorded.  Printed: each version's median, minimum and maximum, and
its median as a ratio of the first version's.

    git worktree add /tmp/before a0ffa7d
    python benchmarks/bench_versions.py . /tmp/before --size 100000 --rounds 5 \\
        --command "export --format pdf -o {dir}/roll.pdf" --command "register --issue"

``{dir}`` in a command is the folder of that run's copy of the roll.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_growth import build  # noqa: E402


def environment(tree: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tree), *filter(None, [os.environ.get("PYTHONPATH")])]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules, as after an install
    return env


def imported_from(tree: Path) -> Path:
    found = subprocess.run(
        [sys.executable, "-c", "import honours; print(honours.__file__)"],
        env=environment(tree), cwd=tempfile.gettempdir(), capture_output=True, text=True,
        check=True,
    ).stdout.strip()
    return Path(found).resolve().parent.parent


def cpu_seconds(tree: Path, roll: Path, command: str) -> float:
    """One run of ``command`` on a fresh copy of ``roll``'s folder."""
    with tempfile.TemporaryDirectory() as work:
        shutil.copytree(roll.parent, work, dirs_exist_ok=True)
        arguments = [part.replace("{dir}", work) for part in shlex.split(command)]
        process = subprocess.Popen(
            [sys.executable, "-m", "honours", "--db", str(Path(work) / roll.name), *arguments],
            env=environment(tree), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{tree}: honours {command} failed:\n{error[-2000:]}")
        return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="+", type=Path, help="source trees, the first the base")
    parser.add_argument("--size", type=int, default=100_000, help="winners in the roll")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each version")
    parser.add_argument("--command", action="append", required=True,
                        help="honours arguments after --db; repeat for more")
    options = parser.parse_args(argv)
    trees = [tree.resolve() for tree in options.trees]
    for tree in trees:
        if imported_from(tree) != tree:
            raise SystemExit(f"{tree}: a child imports honours from {imported_from(tree)}")
    with tempfile.TemporaryDirectory() as folder:
        roll, _sqlite, count = build(Path(folder), options.size)
        print(f"roll of {count:,} winners; {options.rounds} rounds, versions alternated")
        print()
        print("| command | " + " | ".join(f"{tree.name} median (min–max) | ×"
                                          for tree in trees) + " |")
        print("|---|" + "---:|---:|" * len(trees))
        for command in options.command:
            # by position: a tree given twice measures the machine's own spread
            times: list[list[float]] = [[] for _tree in trees]
            for _round in range(options.rounds):
                for tree, runs in zip(trees, times):
                    runs.append(cpu_seconds(tree, roll, command))
            base = statistics.median(times[0])
            cells = [
                f"{statistics.median(t):.2f} ({min(t):.2f}–{max(t):.2f}) | "
                f"{statistics.median(t) / base:.2f}"
                for t in times
            ]
            print(f"| `{command}` | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
