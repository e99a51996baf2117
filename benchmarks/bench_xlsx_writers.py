"""Writing the roll's 名单 sheet (8 columns a winner) with each xlsx writer, side by side.

The same rows (realistic names from ``names.py``, spread over 100 categories as in
``bench_growth.py``; 3 of the 8 columns empty, as on a roll without titles, notes or
numbers), the same styles (top-aligned cells, a bold header), written to an in-memory
file by:

* ``openpyxl cells``: openpyxl's write-only mode, every cell an openpyxl
  ``WriteOnlyCell`` (what honours did before: ``honours.render.xlsx._Rows``); with lxml
  installed (python-docx brings it), openpyxl writes through lxml's incremental writer;
* ``honours rows``: what honours does now (``_FastRows``): openpyxl writes the workbook,
  the styles and each sheet's setup, the rows are written as the same XML text openpyxl
  writes for them and put into its sheet (the tests hold every part of the file to
  openpyxl's, byte for byte);
* ``XlsxWriter``, default and ``constant_memory`` (if installed: ``pip install
  xlsxwriter``; not a dependency of honours), with one format per column; empty text
  written as a blank cell with its format, as openpyxl keeps it.

Each writer runs ``--repeat`` times, in turns (so that a moment of load on a shared
machine falls on all of them), and the best CPU time (``time.process_time``) of each
is reported, with its ratio to the fastest.

    python benchmarks/bench_xlsx_writers.py                 # 100,000 winners
    python benchmarks/bench_xlsx_writers.py --n 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from names import generate  # noqa: E402

from honours.render import xlsx  # noqa: E402
from honours.render.tabular import WINNER_COLUMNS  # noqa: E402


def rows_of(n: int) -> list[list[str | int]]:
    names = generate(n, seed=n)
    return [[f"表彰/类别{index % 100 + 1:03d}", index // 100 + 1, name, "个人", "",
             f"第{index % 50 + 1}中学", "", ""] for index, name in enumerate(names)]


def openpyxl_sheet(rows, fast: bool) -> bytes:
    from openpyxl.styles import Alignment

    workbook = xlsx._workbook()
    sheet = workbook.create_sheet(xlsx.WINNERS_SHEET)
    out = xlsx._FastRows(sheet) if fast else xlsx._Rows(sheet)
    top = [Alignment(vertical="top")] * len(WINNER_COLUMNS)
    out.append(WINNER_COLUMNS, font=xlsx._BOLD)
    for row in rows:
        out.append(row, alignment=top)
    return xlsx._save(workbook, out)


def xlsxwriter_sheet(rows, constant_memory: bool) -> bytes:
    import xlsxwriter

    buffer = BytesIO()
    options = {"constant_memory": constant_memory, "in_memory": not constant_memory}
    if constant_memory:
        options["tmpdir"] = os.environ.get("TMPDIR", "/tmp")
    workbook = xlsxwriter.Workbook(buffer, options)
    sheet = workbook.add_worksheet(xlsx.WINNERS_SHEET)
    bold = workbook.add_format({"bold": True, "font_name": xlsx.FONT_NAME})
    top = workbook.add_format({"valign": "top", "font_name": xlsx.FONT_NAME})
    sheet.write_row(0, 0, WINNER_COLUMNS, bold)
    write_string, write_number, write_blank = sheet.write_string, sheet.write_number, \
        sheet.write_blank
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if type(value) is int:
                write_number(number, column, value, top)
            elif value:
                write_string(number, column, value, top)
            else:
                write_blank(number, column, None, top)
    workbook.close()
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="winners (rows)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each writer")
    args = parser.parse_args(argv)

    rows = rows_of(args.n)
    writers = {
        "openpyxl cells (before)": lambda: openpyxl_sheet(rows, fast=False),
        "honours rows (now)": lambda: openpyxl_sheet(rows, fast=True),
    }
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        print("# XlsxWriter is not installed: pip install xlsxwriter to compare it",
              file=sys.stderr)
    else:
        writers["XlsxWriter"] = lambda: xlsxwriter_sheet(rows, constant_memory=False)
        writers["XlsxWriter constant_memory"] = lambda: xlsxwriter_sheet(
            rows, constant_memory=True)
    best: dict[str, float] = {}
    sizes: dict[str, int] = {}
    load = os.getloadavg()[0]
    for _attempt in range(args.repeat):
        for name, write in writers.items():
            start = time.process_time()
            sizes[name] = len(write())
            spent = time.process_time() - start
            best[name] = min(best.get(name, spent), spent)
            print(f"  {name}: {spent:.2f} s CPU", file=sys.stderr, flush=True)
    fastest = min(best.values())
    cells = (args.n + 1) * len(WINNER_COLUMNS)
    print(f"{args.n:,} winners, {cells:,} cells; best of {args.repeat}; load average "
          f"{load:.2f} before, {os.getloadavg()[0]:.2f} after\n")
    print("| writer | CPU s | µs a cell | × fastest | file bytes |")
    print("|---|---:|---:|---:|---:|")
    for name, spent in best.items():
        print(f"| {name} | {spent:.2f} | {spent / cells * 1e6:.1f} | {spent / fastest:.1f} "
              f"| {sizes[name]:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
