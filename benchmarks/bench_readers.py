"""Linear time on hostile lines: every text reader fed one line of 100 KB and one
of 1 MB of spaces, tabs, 、, digits, brackets and the like, timed in one process.

A reader that backtracks shows a ratio far above 10 between the two sizes; a
linear one stays near 10 (issue 16: a 40,000-space line once took 60 s).

    python benchmarks/bench_readers.py            # 100 KB and 1 MB
    python benchmarks/bench_readers.py --small 10000 --large 100000
"""

from __future__ import annotations

import argparse
import time

FILLERS = {
    "spaces": " ", "tabs": "\t", "ideographic spaces": "\u3000", "、": "、",
    "digits": "1", "brackets": "（", "colons": "：", "name and space": "张 ",
}


def readers():
    from honours.readers.csv_reader import read_csv
    from honours.readers.pasted import read_pasted
    from honours.readers.roll_text import parse_roll
    from honours.readers.text_reader import read_text

    return {
        "pasted text (add, sort, check)": lambda text: read_pasted(text),
        "roll layout (import)": lambda text: parse_roll(text, "bench"),
        "plain list (import)": lambda text: read_text(text.encode(), "bench"),
        "CSV (import)": lambda text: read_csv(("姓名\n" + text).encode(), "bench"),
    }


def line(filler: str, size: int) -> str:
    unit = FILLERS[filler]
    return "优秀（3名）" + unit * (size // len(unit.encode())) + "李四\n张三\n"


def timed(function, text: str) -> float:
    """Seconds to read ``text``, or to refuse it (a CSV line past its bound)."""
    from honours.readers.plan import UnreadableFile

    start = time.perf_counter()
    try:
        function(text)
    except UnreadableFile:
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100_000, help="bytes of the short line")
    parser.add_argument("--large", type=int, default=1_000_000, help="bytes of the long line")
    args = parser.parse_args()
    print(f"| reader | line of | {args.small:,} B | {args.large:,} B | ratio |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for name, read in readers().items():
        for filler in FILLERS:
            small = timed(read, line(filler, args.small))
            large = timed(read, line(filler, args.large))
            ratio = large / small if small else float("inf")
            worst = max(worst, ratio)
            print(f"| {name} | {filler} | {small:.3f} s | {large:.3f} s | {ratio:.1f} |")
    expected = args.large / args.small
    print(f"\nsize ratio {expected:.0f}; worst time ratio {worst:.1f} "
          f"({worst / expected:.2f} × linear)")


if __name__ == "__main__":
    main()
