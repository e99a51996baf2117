"""Certificate benchmark: 1,000 certificates as one PDF, in one process.

Builds 1,000 register rows (generated names, ``benchmarks/names.py``; one in
ten a unit, one in ten a work with a long title, so that wrapping, widow
control and grouped blocks all run), fills the default template and writes the
PDF with the default layout and the best installed font, as
``honours certificates -o FILE.pdf`` does after issuing the numbers.  Reports
the best and median of ``--runs`` runs for: filling the texts, fitting and
drawing (render_pdf), and the same certificates as DOCX, with the ratio of
each to the PDF; and the PDF's size.

    python benchmarks/bench_certificates.py             # 1,000 certificates, 3 runs
    python benchmarks/bench_certificates.py --count 200 --runs 5
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import names as name_generator  # noqa: E402

OUT = HERE / "out"
HONOUR = "区政协2024年度反映社情民意信息工作成绩突出个人"
WORK = "关于推动化工新材料产业升级，助力金山转型发展，打造“美丽海湾”的建议"


def rows(count: int):
    from honours.render.view import RegisterRow

    people = name_generator.generate(count, seed=12)
    made = []
    for number, name in enumerate(people, start=1):
        kind = "unit" if number % 10 == 3 else "work" if number % 10 == 7 else "person"
        recipient = f"{name[:1]}镇地区联络组" if kind == "unit" else name
        made.append(RegisterRow(
            sequence=number, certificate=f"JSZX2024-{number:04d}", recipient=recipient,
            honour="区政协2024年度优秀提案" if kind == "work" else HONOUR, category="",
            kind=kind, work=WORK if kind == "work" else "",
            author_label="提案者" if kind == "work" else "",
        ))
    return made


def timed(function, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", default=str(OUT / "bench_certificates.json"))
    args = parser.parse_args(argv)

    from honours.certificates.docx import render_docx
    from honours.certificates.fonts import find_font
    from honours.certificates.layout import load_layout
    from honours.certificates.pdf import font_measure, render_pdf
    from honours.certificates.text import fill, load_template

    font = find_font()
    layout = load_layout()
    template = load_template()
    register = rows(args.count)
    values = {"year": "2024", "issuer": "政协上海市金山区委员会", "title": "光荣榜"}

    fill_times, pages = timed(
        lambda: [fill(template, layout, row, values, "二〇二四年十二月") for row in register],
        args.runs)
    pdf_times, (payload, _warnings) = timed(lambda: render_pdf(pages, layout, font), args.runs)
    docx_times, docx_payload = timed(
        lambda: render_docx(pages, layout, font_measure(font)), args.runs)

    def summary(times):
        return {"best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3)}

    result = {
        "count": args.count,
        "font": str(font),
        "python": platform.python_version(),
        "fill": summary(fill_times),
        "pdf": summary(pdf_times),
        "docx": summary(docx_times),
        "pdf_bytes": len(payload),
        "docx_bytes": len(docx_payload),
        "docx_to_pdf_ratio": round(min(docx_times) / min(pdf_times), 2),
    }
    print(f"{args.count} certificates, font {font}")
    print(f"  fill texts   best {min(fill_times):.3f} s"
          f"  median {statistics.median(fill_times):.3f} s")
    print(f"  PDF          best {min(pdf_times):.3f} s  median {statistics.median(pdf_times):.3f} s"
          f"  ({len(payload):,} bytes, {min(pdf_times) / args.count * 1000:.2f} ms each)")
    print(f"  DOCX         best {min(docx_times):.3f} s"
          f"  median {statistics.median(docx_times):.3f} s"
          f"  ({len(docx_payload):,} bytes, ×{result['docx_to_pdf_ratio']} the PDF)")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
