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


def peak_of(command: list[str], stdin_file: Path | None = None) -> tuple[int, str]:
    """(peak RSS in MB, messages) of ``command`` run from a fresh, small parent, so
    that the high-water mark is the command's own (ru_maxrss of the children)."""
    import json

    measure = (
        "import json, resource, subprocess, sys\n"
        "stdin = open(sys.argv[2], 'rb') if sys.argv[2] else subprocess.DEVNULL\n"
        "if sys.argv[3] == 'pipe':\n"
        "    cat = subprocess.Popen(['cat', sys.argv[2]], stdout=subprocess.PIPE)\n"
        "    stdin = cat.stdout\n"
        "result = subprocess.run(json.loads(sys.argv[1]), stdin=stdin, capture_output=True,\n"
        "                        text=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        "print(result.returncode, result.stdout + result.stderr)\n"
    )
    env = {**os.environ, "HONOURS_LANG": "en", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", measure, json.dumps(command), str(stdin_file or ""),
         "pipe" if stdin_file else ""],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600)
    peak, output = result.stdout.split("\n", 1)
    return int(peak), output


def ten_million_lines(path: Path) -> Path:
    with path.open("wb") as out:
        out.write("姓名\n".encode())
        block = "张三\n".encode() * 1_000_000
        for _ in range(10):
            out.write(block)
    return path


def test_ten_million_row_csv_is_refused_in_bounded_memory(roll, db, tmp_path):
    huge = ten_million_lines(tmp_path / "huge.csv")
    before = db.read_bytes()
    result = import_in_a_child(db, huge)
    assert result.returncode == 2, result.stderr
    assert "more than 1,000,000 lines" in result.stderr and "split it" in result.stderr
    assert "stopped at line 1,000,001" in result.stderr
    assert db.read_bytes() == before
    # Counted as it is read, never held: reading the 70 MB whole took 91 MB.
    peak, output = peak_of([sys.executable, "-m", "honours", "--db", str(db), "import",
                            str(huge), "--into", "名单"])
    assert output.startswith("2 ") and "more than 1,000,000 lines" in output, output
    assert peak < 80, peak


def test_ten_million_lines_through_a_pipe_stop_at_the_line_limit(roll, db, tmp_path):
    """A pipe is copied to a temporary file as it is read, its lines counted on
    the way: reading stops at line 1,000,001 and no record is made."""
    huge = ten_million_lines(tmp_path / "huge.csv")
    before = db.read_bytes()
    peak, output = peak_of([sys.executable, "-m", "honours", "--db", str(db), "import",
                            "/dev/stdin", "--format", "csv", "--into", "名单"], huge)
    assert output.startswith("2 ") and "stopped at line 1,000,001" in output, output
    assert peak < 80, peak  # reading the 70 MB whole took 91 MB
    assert db.read_bytes() == before


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(roll, db, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as out:  # sparse: 201 MB that takes no room
        out.write("姓名\n张三\n".encode())
        out.truncate(201 * 1024 * 1024)
    peak, output = peak_of([sys.executable, "-m", "honours", "--db", str(db), "import",
                            str(big), "--into", "名单"])
    assert output.startswith("2 ") and "too large" in output, output
    assert peak < 80, peak


@pytest.mark.parametrize("fmt", ["csv", "txt"])
def test_reading_an_import_grows_with_its_records_only(tmp_path, fmt):
    """The reader's peak grows by the records it makes, not by the file held
    whole (bytes, text, every row's cells) beside them: measured in a child for
    20,000 and 200,000 rows."""
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from honours.readers import read_file\n"
        "used, plan = read_file(Path(sys.argv[1]))\n"
        "print(len(plan.rows), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    peaks = {}
    for count in (20_000, 200_000):
        path = tmp_path / f"rows{count}.{fmt}"
        names = [f"张{chr(0x4E00 + i // 150)}{chr(0x4E00 + i % 150)}" for i in range(count)]
        header = "姓名,单位\n" if fmt == "csv" else ""
        body = "".join(f"{name},第{i % 100}中学\n" if fmt == "csv" else f"{name}\n"
                       for i, name in enumerate(names))
        path.write_text(header + body, encoding="utf-8")
        result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                                text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        rows, peak_kb = map(int, result.stdout.split())
        assert rows == count, result.stderr
        peaks[count] = peak_kb * 1024
    per_row = (peaks[200_000] - peaks[20_000]) / 180_000
    # Measured: CSV about 400 bytes a row, its record (RowSpec, its name, origin
    # "row N" and affiliation); text about 75 (a line is the name its record
    # holds). Reading the text whole beside its records cost about 240.
    assert per_row < (600 if fmt == "csv" else 200), per_row


# -- streamed decoding: the same text, whatever the chunks ---------------------------------


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["张", "三", "李", "四", "王", "五", "a", "B", "1", ",", " ", "\n", "\r\n", "\r", "\t",
           "姓名", "丽", "华"]


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "given-gb18030"]),
    cut=st.integers(min_value=0, max_value=3),
    chunk=st.integers(min_value=1, max_value=12),
    window=st.integers(min_value=1, max_value=400),
)
def test_streamed_decoding_reads_as_the_whole_file_did(text, encoding, cut, chunk, window):
    """TextStream, fed a few bytes at a time, gives the lines, encoding and damage
    that decoding the whole file gives, when the whole file is within the
    deciding window (beyond it, the window decides: see the next test)."""
    import io as _io

    from honours.readers.encoding import decode
    from honours.readers.plan import UnreadableFile
    from honours.readers.stream import TextStream

    given_encoding = "gb18030" if encoding == "given-gb18030" else None
    data = text.encode("gb18030" if given_encoding else encoding)
    if encoding == "utf-8" and cut:
        data = data[:-cut] if len(data) > cut else data  # a truncated copy
    try:
        expected = decode(data, "f", given_encoding)
    except UnreadableFile as error:
        expected = error
    for universal in (False, True):
        stream = TextStream(_io.BytesIO(data), "f", given_encoding, chunk=chunk, window=window)
        try:
            lines = list(stream.lines(universal=universal))
        except UnreadableFile as error:
            assert isinstance(expected, UnreadableFile), (error, expected)
            assert str(error) == str(expected) or len(data) > window
            continue
        if isinstance(expected, UnreadableFile):
            assert len(data) > window, (lines, expected)  # decided on the window alone
            continue
        whole = expected.text
        if universal:
            assert lines == list(_io.StringIO(whole, newline=""))
        else:
            assert lines == whole.replace("\r\n", "\n").split("\n")
        if len(data) <= window or not encoding.startswith("gb"):
            assert stream.encoding == expected.encoding
            assert stream.damage == ([expected.damage] if expected.damage else [])


def test_utf8_damaged_in_the_middle_is_reported_with_its_line(tmp_path, honours):
    """Damage past the bytes that decided the encoding: the file stays UTF-8, the
    damaged bytes are named with their line and left out, and the import is
    refused unless --skip-invalid; never a GB18030 re-reading."""
    lines = [f"张{chr(0x4E00 + i)}" for i in range(30_000)]
    data = bytearray("\n".join(lines).encode() + b"\n")
    middle = data.index("\n".join(lines[20_000:20_002]).encode())  # line 20,001 starts here
    data[middle + 1] = 0xFF  # inside 张's three bytes
    path = tmp_path / "names.txt"
    path.write_bytes(bytes(data))
    honours("category", "add", "名单")
    refused = honours("import", str(path), "--into", "名单", ok=False)
    assert refused.exit_code == 2
    assert "line 20,001" in refused.output or "line 20001" in refused.output, refused.output
    assert "not UTF-8" in refused.output
    assert honours("list", "名单", "--format", "json").output.strip() == "[]"


def test_too_many_xlsx_rows_are_refused(roll, db, tmp_path, monkeypatch):
    from honours.readers import limits

    monkeypatch.setattr(limits, "MAX_LINES", 1)
    good = workbook(tmp_path / "good.xlsx")
    result = roll("import", str(good), "--into", "名单", ok=False)
    assert result.exit_code == 2 and "more than 1 rows" in result.output
