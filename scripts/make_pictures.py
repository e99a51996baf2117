"""Regenerate the pictures in the READMEs from what the commands really print.

    python scripts/make_pictures.py            # writes docs/images/*.svg and the preview PNG
    python scripts/make_pictures.py --out DIR  # the SVGs only, into DIR

The example roll (examples/jinshan-2024.sh) is built into a temporary database
with the ``honours`` of the running interpreter's environment.  Each command
runs in a subprocess as a terminal 100 columns wide would run it (colours
forced, ``--lang en`` or ``--lang zh``); its output, escape codes and all, is
replayed into a recording rich console and exported as SVG.  The pictures are
therefore exactly what the commands print, preceded by a prompt line naming
the command.  ``tests/test_pictures.py`` fails when the committed pictures no
longer match.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
WIDTH = 100
LANGUAGES = ("en", "zh")

#: picture name -> the commands it shows (arguments after ``honours``).
PICTURES: dict[str, list[list[str]]] = {
    "show": [["show"]],
    "explain": [["explain", "张", "陆"], ["explain", "--by", "pinyin", "曾国藩", "张三"]],
}
TITLES = {"show": "honours show", "explain": "honours explain"}


def honours_command() -> list[str]:
    """The ``honours`` script beside this interpreter, else ``python -m honours``."""
    script = shutil.which("honours", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "honours"]


def _environment(home: Path) -> dict[str, str]:
    """A fixed terminal: no user settings, overrides or language from this machine."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("HONOURS_", "LC_")) and key not in (
            "LANG", "LANGUAGE", "NO_COLOR", "COLUMNS", "LINES", "TERM", "COLORTERM",
        )
    }
    env.update({
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "LANG": "C.UTF-8",
        "COLUMNS": str(WIDTH),
        "LINES": "50",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "FORCE_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
    })
    return env


def build_example(db: Path, env: dict[str, str]) -> None:
    """The example roll, entered through the command line by examples/jinshan-2024.sh."""
    wrapper = db.parent / "honours-wrapper.sh"
    wrapper.write_text(
        "#!/bin/sh\nexec " + " ".join(f"'{part}'" for part in honours_command()) + ' "$@"\n'
    )
    wrapper.chmod(0o755)
    subprocess.run(
        ["bash", str(REPO / "examples" / "jinshan-2024.sh"), str(db)],
        check=True, capture_output=True, env={**env, "HONOURS": str(wrapper)},
    )


def run(args: list[str], language: str, db: Path, env: dict[str, str]) -> str:
    """What ``honours --lang LANGUAGE --db DB ARGS`` prints (stdout and stderr, in order)."""
    result = subprocess.run(
        [*honours_command(), "--lang", language, "--db", str(db), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"honours {' '.join(args)} exited {result.returncode}:\n"
            + result.stdout.decode("utf-8", "replace")
        )
    return result.stdout.decode("utf-8")


def svg(name: str, language: str, db: Path, env: dict[str, str]) -> str:
    """One picture: a prompt line, then the command's output, for each command."""
    from rich.console import Console
    from rich.text import Text

    recorder = Console(
        record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
        file=io.StringIO(), legacy_windows=False, highlight=False,
    )
    for number, args in enumerate(PICTURES[name]):
        if number:
            recorder.print()
        recorder.print(Text("$ honours " + " ".join(args), style="bold green"))
        output = run(args, language, db, env)
        for line in output.rstrip("\n").split("\n"):
            for piece in _fold(Text.from_ansi(line)):
                recorder.print(piece, soft_wrap=True)
    return _cell_exact(recorder.export_svg(
        title=TITLES[name], unique_id=f"honours-{name}-{language}", font_aspect_ratio=ASPECT,
    ))


#: rich's default: a cell is 0.61 of the 20 px font size wide.
ASPECT = 0.61
_TEXT = re.compile(
    r'<text class="(?P<cls>[^"]+)" x="(?P<x>[0-9.]+)" y="(?P<y>[0-9.]+)" '
    r'textLength="[0-9.]+" clip-path="(?P<clip>[^"]+)">(?P<body>[^<]*)</text>'
)


def _cell_exact(svg_text: str) -> str:
    """Put every run of visible characters of one width in its own ``<text>``, at
    its cell on the grid, two cells per Chinese character.

    rich sets ``textLength`` to the number of characters, not of cells, so a
    browser squeezes Chinese text to half its width and the columns of a table
    no longer line up.  Splitting runs by width and setting ``textLength`` to
    their cell width keeps every character on the terminal's grid in any viewer.
    """
    from rich.cells import cell_len

    cell = 20 * ASPECT

    def number(value: float) -> str:
        return f"{value:.1f}".rstrip("0").rstrip(".")

    def split(match: re.Match) -> str:
        # Runs of visible characters of one width; spaces only move the pen.
        runs: list[tuple[int, str]] = []  # (cell offset, run)
        offset, previous = 0, None
        for char in html.unescape(match["body"]):
            kind = None if char.isspace() else cell_len(char) > 1
            if kind is not None:
                if kind == previous:
                    runs[-1] = (runs[-1][0], runs[-1][1] + char)
                else:
                    runs.append((offset, char))
            previous = kind
            offset += cell_len(char)
        x = float(match["x"])
        return "".join(
            f'<text class="{match["cls"]}" x="{number(x + start * cell)}" y="{match["y"]}" '
            f'textLength="{number(cell_len(run) * cell)}" clip-path="{match["clip"]}">'
            f"{html.escape(run, quote=False)}</text>"
            for start, run in runs
        )

    return _TEXT.sub(split, svg_text)


def _fold(text):
    """Split a line where a terminal WIDTH columns wide would wrap it (wide characters
    take two columns and never straddle the edge)."""
    from rich.cells import cell_len

    offsets, used = [], 0
    for index, char in enumerate(text.plain):
        width = cell_len(char)
        if used + width > WIDTH:
            offsets.append(index)
            used = 0
        used += width
    return list(text.divide(offsets)) if offsets else [text]


def make_svgs(out: Path, db: Path | None = None) -> list[Path]:
    """Write ``NAME-LANGUAGE.svg`` for every picture into ``out``; returns the files.

    ``db`` is an already built example roll; without it one is built.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="honours-pictures-") as work:
        work_dir = Path(work)
        env = _environment(work_dir / "home")
        if db is None:
            db = work_dir / "jinshan.json"
            build_example(db, env)
        else:
            copy = work_dir / "jinshan.json"
            shutil.copyfile(db, copy)
            db = copy
        for name in PICTURES:
            for language in LANGUAGES:
                target = out / f"{name}-{language}.svg"
                target.write_text(svg(name, language, db, env), "utf-8", newline="\n")
                written.append(target)
    return written


def make_certificate_preview() -> None:
    """docs/images/certificate-preview.png, by scripts/make_certificate_preview.sh."""
    env = {**os.environ, "HONOURS": honours_command()[0]}
    if len(honours_command()) > 1:
        raise SystemExit("the certificate preview needs the installed `honours` script")
    target = IMAGES / "certificate-preview.png"
    before = target.read_bytes() if target.exists() else None
    subprocess.run(
        ["bash", str(REPO / "scripts" / "make_certificate_preview.sh")], check=True, env=env
    )
    if before is not None and same_pixels(before, target.read_bytes()):
        target.write_bytes(before)  # the same picture: keep the committed bytes


def same_pixels(first: bytes, second: bytes) -> bool:
    from PIL import Image, ImageChops

    a, b = (Image.open(io.BytesIO(data)).convert("RGB") for data in (first, second))
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the SVGs here (no certificate preview)")
    parser.add_argument(
        "--no-certificate", action="store_true", help="skip the certificate preview PNG"
    )
    options = parser.parse_args(argv)
    for path in make_svgs(options.out or IMAGES):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    if options.out is None and not options.no_certificate:
        make_certificate_preview()
        print((IMAGES / "certificate-preview.png").relative_to(REPO))


if __name__ == "__main__":
    main()
