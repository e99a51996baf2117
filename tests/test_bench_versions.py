"""The side-by-side benchmark runs each version from its own tree (a version that
would import honours from elsewhere is refused) and prints one row a command."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import REPO


def bench_versions():
    spec = importlib.util.spec_from_file_location(
        "bench_versions", REPO / "benchmarks" / "bench_versions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_versions_side_by_side(capsys):
    module = bench_versions()
    assert module.main([str(REPO), str(REPO), "--size", "1100", "--rounds", "1",
                        "--command", "list 表彰/类别002"]) == 0
    printed = capsys.readouterr().out
    row = next(line for line in printed.splitlines() if line.startswith("| `list"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == "1.00" and len(cells) == 5  # the base's own ratio


def test_a_tree_without_honours_is_refused(tmp_path):
    module = bench_versions()
    with pytest.raises(SystemExit, match="imports honours from"):
        module.main([str(tmp_path), "--size", "1100", "--rounds", "1",
                     "--command", "list 表彰/类别002"])
