"""Bounded readers (issue 24, scope 4): an xlsx is read by the cells it holds, not
the range it declares; a CSV line is bounded in length and cells before it is
split; a roll JSON in size and values before it is parsed, and a key written twice
is refused with the key and its place.  Each refusal: a clear message, exit 2,
nothing imported.  The hostile files are small (a bound lowered) or streamed."""

from __future__ import annotations

import csv
import json
import zipfile

import pytest
from openpyxl import Workbook

from honours.readers import limits, read_file
from honours.readers.plan import UnreadableFile

from .conftest import run_cli

_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
               b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = b"</sheetData></worksheet>"


@pytest.fixture
def roll(honours):
    honours("category", "add", "名单")
    return honours


def _refused(roll, db, path, *said):
    before = db.read_bytes()
    result = roll("import", str(path), "--into", "名单", ok=False)
    assert result.exit_code == 2, result.output
    assert "unexpected" not in result.output.lower() and "Traceback" not in result.output
    for words in said:
        assert words in result.output, result.output
    assert db.read_bytes() == before
    return result


def _workbook(path, cells: dict[str, object]) -> None:
    book = Workbook()
    for cell, value in cells.items():
        book.active[cell] = value
    book.save(path)


def _with_sheet(path, template, sheet_xml: bytes) -> None:
    """``template``'s workbook with its first sheet's XML replaced."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(info.filename, data)


# -- xlsx -----------------------------------------------------------------------------


def test_one_cell_at_the_last_address_is_one_row_not_a_million(roll, db, tmp_path):
    """A 5 KB workbook with a value at XFD1048576 took 2.25 GB: openpyxl padded a
    million rows to 256 cells.  Now the cell is named and nothing is imported."""
    path = tmp_path / "far.xlsx"
    _workbook(path, {"A1": "姓名", "A2": "张三", "XFD1048576": "x"})
    _refused(roll, db, path, "XFD1048576", "beyond column IV")


def test_a_far_empty_row_costs_nothing_and_the_names_are_read(roll, tmp_path):
    path = tmp_path / "gap.xlsx"
    _workbook(path, {"A1": "姓名", "A2": "张三", "A1048576": None, "A900000": "李四"})
    fmt, plan = read_file(path)
    assert fmt == "xlsx" and [row.name for row in plan.rows] == ["张三", "李四"]
    assert plan.rows[1].origin == "row 900000"
    assert plan.skipped["blank"] == 900000 - 3


def test_a_value_past_the_read_columns_is_refused_not_dropped(roll, db, tmp_path,
                                                               monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 3)
    path = tmp_path / "wide.xlsx"
    _workbook(path, {"A1": "姓名", "B1": "单位", "A2": "张三", "D2": "备注在外"})
    _refused(roll, db, path, "D2", "beyond column C")


def test_a_shared_string_out_of_range_is_a_damaged_workbook(roll, db, tmp_path):
    template = tmp_path / "template.xlsx"
    _workbook(template, {"A1": "姓名"})
    path = tmp_path / "sst.xlsx"
    _with_sheet(path, template, _SHEET_HEAD
                + b'<row r="1"><c r="A1" t="s"><v>999</v></c></row>' + _SHEET_TAIL)
    _refused(roll, db, path, "damaged workbook")


def test_the_cells_a_workbook_holds_are_counted_before_parsing(roll, db, tmp_path,
                                                               monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 50)
    template = tmp_path / "template.xlsx"
    _workbook(template, {"A1": "姓名"})
    path = tmp_path / "many.xlsx"
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i)
                    for i in range(1, 61))
    _with_sheet(path, template, _SHEET_HEAD + rows + _SHEET_TAIL)
    _refused(roll, db, path, "more than 50 cells")


def test_a_row_wider_than_excel_is_refused_before_parsing(roll, db, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROW_CELLS", 10)
    template = tmp_path / "template.xlsx"
    _workbook(template, {"A1": "姓名"})
    path = tmp_path / "row.xlsx"
    _with_sheet(path, template, _SHEET_HEAD + b'<row r="1">' + b"<c><v>1</v></c>" * 11
                + b"</row>" + _SHEET_TAIL)
    _refused(roll, db, path, "holds 11 cells")


def test_rows_are_counted_before_parsing(roll, db, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINES", 5)
    template = tmp_path / "template.xlsx"
    _workbook(template, {"A1": "姓名"})
    path = tmp_path / "rows.xlsx"
    rows = b"".join(b'<row r="%d"/>' % i for i in range(1, 8))
    _with_sheet(path, template, _SHEET_HEAD + rows + _SHEET_TAIL)
    _refused(roll, db, path, "more than 5 rows")


def test_the_cell_count_is_exact_across_chunks(tmp_path):
    """A tag cut by the end of a 64 KiB chunk is counted once."""
    path = tmp_path / "count.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET_HEAD + b'<row r="1">'
                         + b'<c r="A1"><v>1</v></c>' * 20000 + b"</row>" + _SHEET_TAIL)
    with zipfile.ZipFile(path) as archive:
        scan = limits._scan(archive, archive.getinfo("xl/worksheets/sheet1.xml"))
    assert (scan.cells, scan.widest, scan.rows) == (20000, 20000, 1)


# -- CSV ------------------------------------------------------------------------------


def test_a_csv_line_of_millions_of_cells_is_refused_before_it_is_split(roll, db, tmp_path):
    """A 100 MB line of 20 million cells took 2.3 GB and was imported; it is written
    here streaming (8 MB), past the 64 KiB a CSV line may be."""
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("姓名,单位\n张三,一中\n")
        for _ in range(8):
            out.write("," * (1 << 20))
        out.write("\n李四,二中\n")
    _refused(roll, db, path, "line 3", "at most 65,536 characters")


def test_a_header_of_commas_is_refused_at_once(roll, db, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("," * 200_000 + "\n张三\n", encoding="utf-8")
    _refused(roll, db, path, "line 1", "at most")


def test_a_csv_row_of_too_many_cells_is_refused_with_its_row(roll, db, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 4)
    path = tmp_path / "cells.csv"
    path.write_text("姓名,单位\n张三,一中\n李四,二中,,,,\n", encoding="utf-8")
    _refused(roll, db, path, "row 3", "6 cells", "more than the 4 columns")


def test_a_quote_never_closed_is_a_sentence(roll, db, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CSV_LINE_CHARS", 100)
    path = tmp_path / "quote.csv"
    path.write_text('姓名,备注\n张三,"没有结束\n' + "一行字\n" * 40, encoding="utf-8")
    before = csv.field_size_limit()
    _refused(roll, db, path, "row 2", "quote that is never closed")
    assert csv.field_size_limit() == before  # the process's limit is put back


def test_a_text_line_is_bounded_too(honours, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1000)
    path = tmp_path / "names.txt"
    path.write_text("张三\n" + "、".join(["李四"] * 600) + "\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="line 2"):
        read_file(path, "txt")


def test_a_wide_csv_line_in_a_subprocess_stays_small(tmp_path):
    """The bound holds through the command line as well (the 30 MB header of commas
    once took 832 MB and 162 s); a line of 4 MB here."""
    path = tmp_path / "header.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("," * (4 << 20) + "\n张三\n")
    result = run_cli("--db", str(tmp_path / "r.json"), "import", str(path), "--dry-run",
                     timeout=120)
    assert result.returncode == 2 and "at most 65,536" in result.stderr


# -- JSON -----------------------------------------------------------------------------


def _roll_json(path, text: str) -> None:
    path.write_text('{"format": "honours-roll", "version": 1, ' + text + "}",
                    encoding="utf-8")


def test_a_key_written_twice_is_refused_with_the_key_and_place(roll, db, tmp_path):
    path = tmp_path / "twice.json"
    _roll_json(path, '"categories": [{"title": "名单", "winners": [{"name": "张三"}, '
                     '{"name": "张三", "name": "李四"}]}]')
    _refused(roll, db, path, "'name' is written twice", "categories[0].winners[1]")


def test_a_repeated_top_key_is_named_even_when_it_replaced_the_other(roll, db, tmp_path):
    path = tmp_path / "twice.json"
    _roll_json(path, '"categories": [{"title": "名单", "winners": [{"name": "张三", '
                     '"name": "李四"}]}], "categories": []')
    _refused(roll, db, path, "'categories' is written twice", "top object")


def test_a_json_past_its_size_is_refused_before_parsing(roll, db, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "big.json"
    winners = [{"name": f"张{i}"} for i in range(100)]
    _roll_json(path, '"categories": ' + json.dumps([{"title": "名单", "winners": winners}]))
    _refused(roll, db, path, "more than the 1,000 a roll JSON may be")


def test_a_json_of_many_small_values_is_refused_before_parsing(roll, db, tmp_path,
                                                                monkeypatch):
    """A 15 MB file of empty lists took 424 MB: counted from its delimiters first."""
    monkeypatch.setattr(limits, "MAX_JSON_VALUES", 1000)
    path = tmp_path / "lists.json"
    _roll_json(path, '"categories": [], "x": [' + ",".join(["[]"] * 2000) + "]")
    _refused(roll, db, path, "more than the 1,000 a roll JSON may hold")


def test_a_json_nested_ten_thousand_deep_is_refused(roll, db, tmp_path):
    path = tmp_path / "deep.json"
    _roll_json(path, '"categories": ' + "[" * 10_000 + "]" * 10_000)
    _refused(roll, db, path, "nested too deeply")


def test_a_roll_json_of_our_own_reads_as_before(roll, tmp_path):
    roll("add", "名单", "张三", "李四")
    exported = tmp_path / "exported.json"
    roll("export", "-f", "json", "-o", str(exported))
    fmt, plan = read_file(exported)
    assert fmt == "json" and sorted(row.name for row in plan.rows) == ["张三", "李四"]
