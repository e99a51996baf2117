"""Input that other departments send and outputs that must not break anything:
names that print as nothing, CSV round trips, formulas without values, special
output files, and unexpected errors (issue 16, the parts done so far)."""

from __future__ import annotations

import json
import os

import pytest

from .conftest import honours_command, run_cli


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


# -- honest decoding ----------------------------------------------------------------------


def test_truncated_utf8_is_read_as_utf8_with_the_damage_reported(tmp_path, honours):
    names = "张三\n李四\n王五\n".encode()
    path = tmp_path / "names.txt"
    path.write_bytes(names[:-3])  # the copy lost the last bytes of 五 and the newline
    result = run_cli("sort", str(path))
    assert result.returncode == 0 and "truncated" in result.stderr
    assert "张三" in result.stdout and "李四" in result.stdout  # not mojibake
    honours("category", "add", "名单")
    refused = honours("import", str(path), "--into", "名单", ok=False)
    assert refused.exit_code == 2 and "truncated" in refused.output
    assert honours("list", "名单", "--format", "json").output.strip() == "[]"


def test_an_implausible_gb18030_reading_asks_for_the_encoding(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes("張三豐\n陳國華\n黃志強\n".encode("big5"))
    result = run_cli("sort", str(path))
    assert result.returncode == 2 and "--encoding" in result.stderr
    given = run_cli("sort", "--encoding", "big5", str(path))
    assert given.returncode == 0 and "張三豐" in given.stdout
    unknown = run_cli("sort", "--encoding", "klingon", str(path))
    assert unknown.returncode == 2 and "unknown encoding" in unknown.stderr


def test_gbk_is_read_and_says_how_sure(tmp_path, honours):
    path = tmp_path / "gbk.csv"
    path.write_bytes("姓名\n张三\n李四\n".encode("gbk"))
    honours("category", "add", "名单")
    result = honours("import", str(path), "--into", "名单")
    assert "GB18030 (100% common characters)" in result.output


# -- bounded values from files ------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", ["{serial:0200000000d}", "{serial:>200000000}", "JS" + "{serial}" * 20])
def test_certificate_patterns_are_bounded(honours, pattern):
    result = honours("settings", "set", "certificate-pattern", pattern, ok=False)
    assert result.exit_code == 2 and "certificate pattern" in result.output


def test_a_poisoned_roll_json_is_refused_and_nothing_applied(honours, tmp_path):
    document = {
        "format": "honours-roll", "version": 1, "title": "x",
        "settings": {"certificate-pattern": "{serial:0200000000d}"},
        "certificate_serial": 10**12, "categories": [],
    }
    path = tmp_path / "poisoned.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = honours("import", str(path), ok=False)
    assert result.exit_code == 2
    assert "certificate_serial" in result.output and "wider than" in result.output
    long_number = tmp_path / "long.json"
    long_number.write_text('{"format": "honours-roll", "version": 1, "certificate_serial": '
                           + "9" * 5000 + "}", encoding="utf-8")
    result = honours("import", str(long_number), ok=False)
    assert result.exit_code == 2 and "too long" in result.output


def test_deeply_nested_files_and_trees_are_refused(honours, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = honours("import", str(deep), "--format", "json", ok=False)
    assert result.exit_code == 2 and "nested too deeply" in result.output
    honours("category", "add", "c0")
    path = "c0"
    for level in range(1, 16):
        honours("category", "add", f"c{level}", "--parent", path)
        path += f"/c{level}"
    result = honours("category", "add", "c16", "--parent", path, ok=False)
    assert result.exit_code == 2 and "levels deep" in result.output


def test_a_parent_cycle_in_a_hand_edited_file_never_loops(honours, db):
    honours("category", "add", "甲")
    honours("category", "add", "乙", "--parent", "甲")
    data = json.loads(db.read_text("utf-8"))
    categories = next(t for name, t in data.items() if name == "categories")
    for document in categories.values():
        document["parent"] = 2 if document["title"] == "甲" else 1
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from honours import roll
    from honours.storage import Store

    snapshot = Store(db).snapshot()
    category = roll.all_categories(snapshot)[0]
    with pytest.raises(roll.RollError, match="cycle"):
        roll.lineage(snapshot, category)


# -- linear-time reading -----------------------------------------------------------------


@pytest.mark.parametrize("filler", ["spaces", "tabs", "、", "digits"])
def test_every_reader_reads_a_megabyte_line(filler):
    """A backtracking pattern would hang here (the old roll reader took 15 s on a
    line of 20,000 spaces); the times are measured in benchmarks/bench_readers.py."""
    import importlib.util

    from .conftest import REPO

    spec = importlib.util.spec_from_file_location(
        "bench_readers", REPO / "benchmarks" / "bench_readers.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from honours.readers.plan import UnreadableFile

    text = bench.line(filler, 1_000_000)
    for read in bench.readers().values():
        try:
            read(text)  # returns, whatever it makes of the line
        except UnreadableFile as refused:  # the CSV line bound (64 KiB): refused at once
            assert "at most" in str(refused)


def test_outputs_never_overwrite_the_database_or_its_backups(jinshan_db, tmp_path):
    run_cli("--db", str(jinshan_db), "remove", "市、区政协委员", "丁丽珍")
    backup = next((jinshan_db.parent / "jinshan.backups").iterdir())
    for target in (jinshan_db, backup):
        before = target.read_bytes()
        result = run_cli("--db", str(jinshan_db), "export", "-f", "json", "-o", str(target),
                         "--force")
        assert result.returncode == 2 and "database in use" in result.stderr
        assert target.read_bytes() == before
    result = run_cli("--db", str(jinshan_db), "register", "-f", "csv", "-o", str(jinshan_db),
                     "--force")
    assert result.returncode == 2 and "database in use" in result.stderr


@pytest.mark.parametrize(
    "option, content, message",
    [
        ("--layout", '[[block]]\nname="recipient"\ntext="{recipient}"\nx=10\ny=10\n'
                     'width=100\nheight=30\nfont-size=1e300\n', "finite number of at most 300"),
        ("--layout", "[paper]\nsize=[nan, 200]\n", "finite number"),
        ("--layout", "[paper]\nsize=[inf, 200]\n", "finite number"),
        ("--template", 'recipient = "{recipient:>200000000}"\n', "wider than 100"),
        ("--template", 'recipient = "' + "长" * 3000 + '"\n', "at most 2000"),
    ],
)
def test_certificate_layouts_and_templates_are_bounded(jinshan_db, tmp_path, option, content,
                                                        message):
    path = tmp_path / "file.toml"
    path.write_text(content, encoding="utf-8")
    before = jinshan_db.read_bytes()
    result = run_cli("--db", str(jinshan_db), "certificates", "-o", str(tmp_path / "c.pdf"),
                     option, str(path))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert jinshan_db.read_bytes() == before and not (tmp_path / "c.pdf").exists()


def test_a_damaged_workbook_is_named_and_an_empty_one_is_not_in_order(honours, tmp_path):
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名"])
    book.active.append(["张三"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # truncated XML
            target.writestr(name, data)
    honours("category", "add", "名单")
    result = honours("import", str(damaged), "--into", "名单", ok=False)
    assert result.exit_code == 2 and "damaged workbook" in result.output
    checked = run_cli("check", str(damaged))
    assert checked.returncode == 2 and "damaged workbook" in checked.stderr
    empty = run_cli("check", input="")
    assert empty.returncode == 2 and "nothing to check" in empty.stderr


def test_devices_and_endless_pipes_are_cut_at_the_input_cap(honours, tmp_path, monkeypatch):
    honours("category", "add", "名单")
    result = honours("import", "/dev/zero", "--into", "名单", "--format", "txt", ok=False)
    assert result.exit_code == 2 and "binary file" in result.output  # its first bytes say so
    from honours.readers import limits

    monkeypatch.setattr(limits, "MAX_BYTES", 1 << 20)
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    import subprocess

    writer = subprocess.Popen(  # an endless line: only the byte cap stops it
        ["sh", "-c", f"while :; do printf '张三张三张三张三'; done > '{fifo}'"],
        stderr=subprocess.DEVNULL)
    try:
        result = honours("import", str(fifo), "--into", "名单", "--format", "txt", ok=False)
    finally:
        writer.kill()
        writer.wait()
    assert result.exit_code == 2 and "too large" in result.output, result.output
    lines = subprocess.run(  # endless lines: the line cap stops them, the rest unread
        ["sh", "-c", "yes 张三 | \"$@\" import /dev/stdin --format csv --into 名单", "sh",
         *honours_command(), "--db", str(honours.db)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "HONOURS_LANG": "en"})
    assert lines.returncode == 2 and "stopped at line 1,000,001" in lines.stderr, lines.stderr


def test_a_sheet_claiming_excels_16384_columns_is_read_in_little_memory(tmp_path):
    import re
    import subprocess
    import sys
    import zipfile

    from openpyxl import Workbook

    from .conftest import honours_command

    book = Workbook()
    book.active.append(["姓名"])
    for number in range(10_000):
        book.active.append([f"张{number}"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    claimed = tmp_path / "claimed.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(claimed, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD10001"/>',
                              data)
            target.writestr(name, data)
    # A fresh parent, so that the peak is this command's alone, not the session's.
    measure = (
        "import json, resource, subprocess, sys\n"
        "result = subprocess.run(json.loads(sys.argv[1]), capture_output=True, text=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(result.stdout + result.stderr)\n"
    )
    command = [*honours_command(), "check", "--by", "stroke", str(claimed)]
    result = subprocess.run([sys.executable, "-c", measure, json.dumps(command)],
                            capture_output=True, text=True)
    peak_kb, output = result.stdout.split("\n", 1)
    assert "10000 entries read" in output, output
    assert int(peak_kb) < 500 * 1024  # padded to 16,384 columns it would take over 1 GB
