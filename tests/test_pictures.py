"""The README pictures are what the code prints today.

If a test here fails after a change to the output, regenerate the pictures
with ``python scripts/make_pictures.py`` and commit them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from .conftest import REPO, load_script, run_cli

HINT = "the README pictures are out of date: run `python scripts/make_pictures.py` and commit"


def _load_script():
    return load_script("make_pictures")


make_pictures = _load_script()


@pytest.fixture(scope="module")
def regenerated(_jinshan_built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pictures")
    make_pictures.make_svgs(out, db=_jinshan_built)
    return out


@pytest.mark.parametrize("name", ["show-en", "show-zh", "explain-en", "explain-zh"])
def test_svg_matches_the_committed_picture(regenerated, name):
    committed = REPO / "docs" / "images" / f"{name}.svg"
    assert committed.is_file(), f"docs/images/{name}.svg is missing: {HINT}"
    fresh = (regenerated / f"{name}.svg").read_text("utf-8")
    assert fresh == committed.read_text("utf-8"), f"docs/images/{name}.svg differs: {HINT}"


def test_pictures_show_what_the_command_prints(regenerated, _jinshan_built):
    """Every line of the command's output is in the picture, on its own line."""
    import html
    import re

    result = run_cli("--lang", "en", "--db", str(_jinshan_built), "explain", "张", "陆")
    assert result.returncode == 0, result.stderr
    svg = (regenerated / "explain-en.svg").read_text("utf-8")
    # The visible characters of each picture line, in order (spaces only move the pen).
    lines: dict[str, str] = {}
    for match in re.finditer(r'clip-path="url\(#[^"]*-line-(\d+)\)">([^<]*)</text>', svg):
        lines[match[1]] = lines.get(match[1], "") + html.unescape(match[2])
    picture = "\n".join(lines.values())
    for line in result.stdout.splitlines():
        visible = "".join(line.split())
        if visible and len(line) <= make_pictures.WIDTH:
            assert visible in picture, f"{line!r} is not in the picture"


def test_cjk_text_is_placed_on_the_cell_grid(regenerated):
    """Each Chinese character takes two cells, so table columns line up in any viewer."""
    import re

    svg = (regenerated / "explain-en.svg").read_text("utf-8")
    cell = 20 * make_pictures.ASPECT
    for match in re.finditer(r'x="([0-9.]+)"[^>]*textLength="([0-9.]+)"[^>]*>([^<]*)<', svg):
        x, length, text = float(match[1]), float(match[2]), match[3]
        if text and all("\u4e00" <= char <= "\u9fff" for char in text):
            assert length == pytest.approx(2 * cell * len(text)), text
            assert (x / cell) == pytest.approx(round(x / cell)), text


def _font_family() -> str | None:
    from honours.certificates import CertificateError
    from honours.certificates.fonts import find_font

    try:
        return find_font().family
    except CertificateError:
        return None


#: The font the committed certificate preview was rendered with.
PREVIEW_FONT = "AR PL UKai CN"


def test_certificate_preview_matches(_jinshan_built, tmp_path):
    family = _font_family()
    if family is None:
        pytest.skip("no font with Chinese characters installed")
    if family != PREVIEW_FONT:
        pytest.skip(f"the preview was made with {PREVIEW_FONT}; this machine would use {family}")
    from PIL import Image, ImageChops

    db = tmp_path / "jinshan.json"
    db.write_bytes(_jinshan_built.read_bytes())
    preview = tmp_path / "preview.png"
    for args in (
        ["settings", "set", "issuer", "政协上海市金山区委员会"],
        ["settings", "set", "date", "2024-12"],
        ["certificates", "-o", str(tmp_path / "c.pdf"), "--only", "马罡",
         "--preview", str(preview), "--force"],
    ):
        result = run_cli("--db", str(db), *args, env={"HONOURS_LANG": "en"})
        assert result.returncode == 0, result.stderr
    committed = Image.open(REPO / "docs" / "images" / "certificate-preview.png").convert("RGB")
    fresh = Image.open(io.BytesIO(preview.read_bytes())).convert("RGB")
    assert fresh.size == committed.size, HINT
    difference = ImageChops.difference(fresh, committed).convert("L")
    changed = sum(count for level, count in enumerate(difference.histogram()) if level > 48)
    # Anti-aliasing may differ by a few pixels between library versions; text may not.
    assert changed <= 0.001 * fresh.size[0] * fresh.size[1], (
        f"{changed} pixels of the certificate preview differ: {HINT}"
    )

