"""Input that other departments send and outputs that must not break anything:
names that print as nothing, CSV round trips, formulas without values, special
output files, and unexpected errors (issue 16, the parts done so far)."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import run_cli


@pytest.mark.parametrize(
    "name",
    ["\u3164", "\u2800\u2800", "\ufe0f", "\u0301", "\u115f\u1160", "\uffa0"],
    ids=["hangul-filler", "braille-blank", "variation-selector", "combining-mark",
         "choseong-filler", "halfwidth-filler"],
)
def test_names_that_print_as_nothing_are_refused(honours, name):
    honours("category", "add", "名单")
    result = honours("add", "名单", name, ok=False)
    assert result.exit_code == 2 and "prints as nothing" in result.output
    assert honours("list", "名单", "--format", "json").output.strip() == "[]"


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"])
def test_noncharacters_are_refused(honours, char):
    honours("category", "add", "名单")
    result = honours("add", "名单", f"张{char}三", ok=False)
    assert result.exit_code == 2 and "noncharacter" in result.output


def test_csv_export_then_import_gives_the_same_names(honours, tmp_path):
    honours("category", "add", "名单")
    names = ["-李四", "+王五", "=赵六", "@钱七", "张三"]
    honours("add", "名单", "--note", "=1+1", "--", *names)
    exported = tmp_path / "roll.csv"
    honours("export", "-o", str(exported))
    assert "'-李四" in exported.read_text("utf-8-sig")  # guarded for Excel
    fresh = tmp_path / "fresh.json"
    run_cli("--db", str(fresh), "category", "add", "名单")
    result = run_cli("--db", str(fresh), "import", str(exported))
    assert result.returncode == 0, result.stderr
    rows = json.loads(run_cli("--db", str(fresh), "list", "名单", "--format", "json").stdout)
    assert sorted(r["name"] for r in rows) == sorted(names)
    assert {r["note"] for r in rows} == {"=1+1"}


def test_formulas_saved_without_values_are_reported_by_cell(honours, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名"])
    sheet.append(["张三"])
    sheet.append(['=CONCATENATE("李","四")'])  # openpyxl saves no cached value
    sheet.append(["王五"])
    path = tmp_path / "报送.xlsx"
    book.save(path)
    honours("category", "add", "名单")
    result = honours("import", str(path), "--into", "名单", ok=False)
    assert result.exit_code == 2
    assert "A3: a formula" in result.output and "never saved" in result.output
    assert honours("list", "名单", "--format", "json").output.strip() == "[]"


def test_outputs_never_replace_devices_or_pipes(jinshan_db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/full", "/dev/null", str(fifo)):
        result = run_cli("--db", str(jinshan_db), "export", "-f", "txt", "-o", target, "--force")
        assert result.returncode == 2 and "not a regular file" in result.stderr
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")
    assert not os.path.isfile(fifo)


def test_a_full_disk_on_standard_output_is_a_message(jinshan_db):
    import subprocess

    from .conftest import honours_command

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*honours_command(), "--db", str(jinshan_db), "export", "-f", "txt", "-o", "-"],
            stdout=full, stderr=subprocess.PIPE, text=True,
        )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "the disk is full" in result.stderr


def test_an_unexpected_error_is_one_line_and_a_report_file(honours, monkeypatch):
    honours("category", "add", "名单")
    from honours import roll

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(roll, "roll_view", broken)
    result = honours("show", ok=False)
    assert result.exit_code == 1
    assert "unexpected error" in result.output and "RuntimeError" in result.output
    assert "Traceback" not in result.output
    report = result.output.split("the details are in ", 1)[1].split(":")[0].strip()
    text = open(report, encoding="utf-8").read()
    assert "something nobody expected" in text and "Traceback" in text
