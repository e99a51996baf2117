"""Repository-wide checks: lint, and the derived index files in step with the data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from honours.collation.ranking import pinyin_index, stroke_index, stroke_rank_key
from honours.collation.tables import CharTables, _data_rows, _entry, read_index

REPO = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' brings it)")
    result = subprocess.run([ruff, "check", str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stroke_index_matches_the_full_data():
    entries = sorted((_entry(row) for row in _data_rows("strokes.txt")), key=stroke_rank_key)
    shipped = CharTables().stroke_index
    assert shipped == stroke_index(entries)


def test_pinyin_index_matches_the_full_data():
    tables = CharTables()
    pairs = {
        (char, reading)
        for surname, readings in tables.surname_readings.items()
        for char, reading in zip(surname, readings)
    }
    rows = [(r[0], r[1], r[2] == "1") for r in _data_rows("readings.txt")]
    assert tables.pinyin_index == pinyin_index(rows, pairs)


def test_index_files_round_trip():
    text = (REPO / "honours/collation/data/stroke_index.txt").read_text("utf-8")
    assert read_index(text).startswith("一")
