"""Hostile import files, generated here (never committed): refused with a clear
message, quickly and in bounded memory, the database unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO

BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>""".encode()


def workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名"])
    sheet.append(["张三"])
    book.save(path)
    return path


def replace_part(source: Path, target: Path, part: str, content: bytes) -> Path:
    """A copy of the workbook with one part's content replaced (packed with deflate)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(
        target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9
    ) as new:
        for member in old.infolist():
            data = content if member.filename == part else old.read(member.filename)
            new.writestr(member.filename, data)
    return target


def import_in_a_child(db: Path, file: Path, memory: int = 1536 * 2**20):
    """``honours import`` in a process whose address space is capped: a reader that
    loaded the whole bomb would fail with MemoryError instead of a clear refusal."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "HONOURS_LANG": "en", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "honours", "--db", str(db), "import", str(file),
         "--into", "名单"],
        capture_output=True, text=True, env=env, preexec_fn=cap, timeout=300,
    )


@pytest.fixture
def roll(honours, db):
    honours("category", "add", "名单")
    honours("add", "名单", "甲一")
    return honours


def test_xlsx_zip_bomb_is_refused_unpacked(roll, db, tmp_path):
    good = workbook(tmp_path / "good.xlsx")
    # 150 MB of one repeated row packs to a few hundred kilobytes.
    padding = b"<row/>" * (150 * 2**20 // 6)
    bomb = replace_part(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml",
                        b"<worksheet><sheetData>" + padding + b"</sheetData></worksheet>")
    assert bomb.stat().st_size < 2 * 2**20
    before = db.read_bytes()
    result = import_in_a_child(db, bomb)
    assert result.returncode == 2, result.stderr
    assert "zip bomb" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_xlsx_that_unpacks_too_large_is_refused(roll, db, tmp_path, monkeypatch):
    from honours.readers import limits

    monkeypatch.setattr(limits, "MAX_UNZIPPED", 10_000)  # a small bound, the same check
    good = workbook(tmp_path / "good.xlsx")
    before = db.read_bytes()
    result = roll("import", str(good), "--into", "名单", ok=False)
    assert result.exit_code == 2 and "unpacks to" in result.output
    assert db.read_bytes() == before


def test_xml_entity_expansion_is_refused(roll, db, tmp_path):
    good = workbook(tmp_path / "good.xlsx")
    laughs = replace_part(good, tmp_path / "laughs.xlsx", "xl/worksheets/sheet1.xml",
                          BILLION_LAUGHS)
    before = db.read_bytes()
    result = import_in_a_child(db, laughs)
    assert result.returncode == 2, result.stderr
    assert "declares a document type" in result.stderr
    assert db.read_bytes() == before


def test_ten_million_row_csv_is_refused_in_bounded_memory(roll, db, tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.write("姓名\n".encode())
        block = "张三\n".encode() * 1_000_000
        for _ in range(10):
            out.write(block)
    before = db.read_bytes()
    result = import_in_a_child(db, huge)
    assert result.returncode == 2, result.stderr
    assert "10,000,001 lines" in result.stderr and "split it" in result.stderr
    assert db.read_bytes() == before


def test_too_many_xlsx_rows_are_refused(roll, db, tmp_path, monkeypatch):
    from honours.readers import limits

    monkeypatch.setattr(limits, "MAX_LINES", 1)
    good = workbook(tmp_path / "good.xlsx")
    result = roll("import", str(good), "--into", "名单", ok=False)
    assert result.exit_code == 2 and "more than 1 rows" in result.output
