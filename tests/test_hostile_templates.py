"""Hostile certificate inputs (issue 24, scope 4 for the certificates): Word
templates, layouts and background PDFs are bounded and refused with a clear
message before any number is issued; macros and links to outside files never
reach the output; no damaged background ends in the unexpected-error message.

Every file here is built by the test, small: the bounds are lowered through
the modules' LIMITS where a real bomb would be large, or the zip directory
declares the size without the bytes."""

from __future__ import annotations

import io
import os
import random
import re
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from honours.certificates import CertificateError, background, docx_package
from honours.certificates.layout import MAX_BLOCKS, load_layout, parse_layout

from .conftest import honours_command
from .test_certificates import needs_font

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# -- Word templates -----------------------------------------------------------------


def template_parts(paragraphs: int = 0) -> dict[str, bytes]:
    """The parts of a small valid template: {姓名}：{荣誉}, and ``paragraphs``
    lines of filler."""
    import docx

    document = docx.Document()
    document.add_paragraph("{姓名}：{荣誉}")
    for _ in range(paragraphs):
        document.add_paragraph("文字" * 40)
    out = io.BytesIO()
    document.save(out)
    archive = zipfile.ZipFile(out)
    return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def add_relationship(parts, rels: str, rid: str, kind: str, target: str, external=False):
    empty = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
             'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '</Relationships>')
    text = parts.get(rels, empty.encode()).decode()
    mode = ' TargetMode="External"' if external else ""
    parts[rels] = text.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{kind}" '
                               f'Target="{target}"{mode}/></Relationships>').encode()


def run_template(honours, db: Path, template: Path, tmp_path: Path, *more: str):
    honours.db = db
    before = db.read_bytes()
    out = tmp_path / "证书.docx"
    result = honours("certificates", "--docx-template", str(template), "-o", str(out),
                     *more, ok=False)
    return result, out, before


def assert_refused(result, out: Path, db: Path, before: bytes, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "unexpected error" not in result.output
    for word in words:
        assert word in result.output, result.output
    assert not out.exists()
    assert db.read_bytes() == before  # no certificate number issued


def test_a_template_with_a_dtd_is_refused_before_any_number(honours, jinshan_db, tmp_path):
    parts = template_parts()
    document = parts["word/document.xml"].decode()
    document = document.replace(
        "?>", '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
    parts["word/document.xml"] = document.replace("{姓名}", "{姓名}&xxe;").encode()
    path = write_zip(tmp_path / "xxe.docx", parts)
    result, out, before = run_template(honours, jinshan_db, path, tmp_path)
    assert_refused(result, out, jinshan_db, before, "DTD", "word/document.xml")


def test_a_dtd_in_utf16_or_in_any_part_is_refused(tmp_path):
    parts = template_parts()
    parts["word/settings.xml"] = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY '
                                  'a "aaaa">]><x/>').encode("utf-16-le")
    path = write_zip(tmp_path / "t.docx", parts)
    with pytest.raises(CertificateError, match="DTD"):
        docx_package.read_package(path)


def test_macros_and_outside_links_never_reach_the_output(honours, jinshan_db, tmp_path):
    parts = template_parts()
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 a macro"
    add_relationship(parts, "word/_rels/document.xml.rels", "rId90",
                     "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                     "vbaProject.bin")
    add_relationship(parts, "word/_rels/document.xml.rels", "rId91", f"{_R}/hyperlink",
                     "http://example.com/phish", external=True)
    add_relationship(parts, "word/_rels/settings.xml.rels", "rId1",
                     f"{_R}/attachedTemplate", "file:///C:/evil/Normal.dotm", external=True)
    settings = parts["word/settings.xml"].decode()
    if f'xmlns:r="{_R}"' not in settings:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{_R}" ', 1)
    settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rId1"/>',
                      settings, count=1)
    parts["word/settings.xml"] = settings.encode()
    document = parts["word/document.xml"].decode()
    document = document.replace(
        "<w:body>", f'<w:body><w:p><w:hyperlink xmlns:r="{_R}" r:id="rId91"><w:r><w:t>'
                    "链接</w:t></w:r></w:hyperlink></w:p>", 1)
    parts["word/document.xml"] = document.encode()
    path = write_zip(tmp_path / "macro.docx", parts)
    result, out, before = run_template(honours, jinshan_db, path, tmp_path, "--only", "马罡")
    assert result.exit_code == 0, result.output
    assert "vbaProject.bin" in result.output and "Normal.dotm" in result.output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names)
        settings = archive.read("word/settings.xml")
    assert not any("vba" in name.lower() for name in names)
    assert b'TargetMode="External"' not in everything and b"evil" not in everything
    assert b"attachedTemplate" not in settings
    import docx

    assert "链接" in "".join(p.text for p in docx.Document(str(out)).paragraphs)


def test_a_macro_enabled_document_is_read_as_a_plain_one(tmp_path):
    from honours.certificates.word import load_word_template

    parts = template_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        docx_package.PLAIN_MAIN.encode(), docx_package.MACRO_MAIN.encode())
    path = write_zip(tmp_path / "t.docm.docx", parts)
    template = load_word_template(path)
    assert template.document.part.content_type == docx_package.PLAIN_MAIN


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip ``data`` whose directory declares ``name`` unpacks to ``size``
    bytes (the bytes themselves stay small)."""
    data = bytearray(data)
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == encoded:
            data[at + 24:at + 28] = struct.pack("<I", size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def test_a_part_that_unpacks_to_600_mb_is_refused_from_the_directory(honours, jinshan_db,
                                                                       tmp_path):
    path = write_zip(tmp_path / "big.docx", template_parts())
    path.write_bytes(declare_size(path.read_bytes(), "word/document.xml", 600 << 20))
    result, out, before = run_template(honours, jinshan_db, path, tmp_path)
    assert_refused(result, out, jinshan_db, before, "word/document.xml is 600 MB")


def test_part_count_sizes_and_total_are_bounded(tmp_path):
    parts = template_parts()
    parts["word/media/image1.png"] = b"\0" * 600_000
    path = write_zip(tmp_path / "t.docx", parts)
    bounds = docx_package.Limits
    cases = [(bounds(parts=len(parts) - 1), "parts, more than"),
             (bounds(part=500_000), "word/media/image1.png is"),
             (bounds(xml_part=1000), ".xml is"),
             (bounds(total=sum(map(len, parts.values())) - 1), "unpacks to"),
             (bounds(xml_total=500_000), "XML parts unpack to"),
             (bounds(file=path.stat().st_size - 1), "more than")]
    for limits, words in cases:
        with pytest.raises(CertificateError, match=words):
            docx_package.read_package(path, limits)
    docx_package.read_package(path)  # within the real bounds


def test_a_picture_is_judged_by_its_declared_pixels(honours, jinshan_db, tmp_path):
    parts = template_parts()
    png = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
           + struct.pack(">II", 100_000, 100_000) + b"\x08\x02\0\0\0" + b"\0" * 4)
    parts["word/media/image1.png"] = png
    path = write_zip(tmp_path / "pixels.docx", parts)
    result, out, before = run_template(honours, jinshan_db, path, tmp_path)
    assert_refused(result, out, jinshan_db, before, "100000×100000 pixels")
    jpeg = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 60_000, 50_000) + b"\x03" + b"\0" * 9)
    assert docx_package.image_size(jpeg) == (50_000, 60_000)
    assert docx_package.image_size(b"GIF89a" + struct.pack("<HH", 7, 9)) == (7, 9)


def test_the_body_times_the_winners_is_bounded_before_any_number(honours, jinshan_db,
                                                                 tmp_path, monkeypatch):
    path = write_zip(tmp_path / "body.docx", template_parts(paragraphs=100))
    body = len(template_parts(paragraphs=100)["word/document.xml"])
    # 96 winners × the body is more than this; a dozen copies are not
    monkeypatch.setattr(docx_package, "LIMITS", docx_package.Limits(filled=body * 12))
    result, out, before = run_template(honours, jinshan_db, path, tmp_path)
    assert_refused(result, out, jinshan_db, before, "copied for 96 winners", "--only")
    result = honours("certificates", "--docx-template", str(path), "-o", str(out),
                     "--only", "马罡")
    assert result.exit_code == 0 and out.exists()


def test_a_template_that_is_a_pipe_is_refused_at_once(jinshan_db, tmp_path):
    fifo = tmp_path / "template.docx"
    os.mkfifo(fifo)
    result = subprocess.run(
        [*honours_command(), "--db", str(jinshan_db), "certificates", "--docx-template",
         str(fifo), "-o", str(tmp_path / "o.docx")],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not a regular file" in result.stderr


# -- layouts ------------------------------------------------------------------------

BLOCK = '[[block]]\nname = "b{n}"\nx = 10\ny = 10\nwidth = 50\nheight = 20\nfont-size = 12\n'


def test_a_layout_of_too_many_blocks_is_refused():
    text = "".join(BLOCK.format(n=n) for n in range(MAX_BLOCKS + 1))
    with pytest.raises(CertificateError, match=f"{MAX_BLOCKS + 1} blocks"):
        parse_layout(text, "many.toml")
    parse_layout("".join(BLOCK.format(n=n) for n in range(MAX_BLOCKS)), "enough.toml")


@pytest.mark.parametrize("nesting", [
    "x = " + "[" * 10_000 + "]" * 10_000,
    "x = " + "{a = " * 3000 + "1" + "}" * 3000,
    "[paper]\nsize = " + "[" * 20 + "]" * 20,
], ids=["lists-10000", "tables-3000", "lists-20"])
def test_a_layout_nested_deep_is_a_clear_error(honours, jinshan_db, tmp_path, nesting):
    layout = tmp_path / "deep.toml"
    layout.write_text(nesting + "\n" + BLOCK.format(n=1), "utf-8")
    honours.db = jinshan_db
    before = jinshan_db.read_bytes()
    result = honours("certificates", "--layout", str(layout), "-o",
                     str(tmp_path / "c.pdf"), ok=False)
    assert result.exit_code == 2 and "nest more than" in result.output, result.output
    assert jinshan_db.read_bytes() == before


def test_layout_and_template_files_are_bounded_and_must_be_regular(tmp_path):
    from honours.certificates.text import load_template

    big = tmp_path / "big.toml"
    big.write_text("#" * (1024 * 1024 + 1) + "\n" + BLOCK.format(n=1), "utf-8")
    with pytest.raises(CertificateError, match="more than the 1 MB"):
        load_layout(big)
    with pytest.raises(CertificateError, match="more than the 1 MB"):
        load_template(big)
    with pytest.raises(CertificateError, match="not a regular file"):
        load_layout(tmp_path)
    for odd in ("block = [1, 2]", "paper = 3"):
        with pytest.raises(CertificateError, match="key = value"):
            parse_layout(odd, "odd.toml")


def test_a_layout_that_is_a_pipe_does_not_block(jinshan_db, tmp_path):
    fifo = tmp_path / "layout.toml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [*honours_command(), "--db", str(jinshan_db), "certificates", "--layout", str(fifo),
         "-o", str(tmp_path / "c.pdf")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not a regular file" in result.stderr


# -- background PDFs ----------------------------------------------------------------


def design_pdf(extra: bytes = b"") -> bytes:
    """A valid one-page A4-landscape design: a filled frame, text, a picture."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="mm", format=(297, 210))
    pdf.set_creation_date(__import__("datetime").datetime(2024, 1, 1))
    pdf.add_page()
    pdf.set_fill_color(250, 240, 200)
    pdf.rect(0, 0, 297, 210, style="F")
    pdf.set_line_width(3)
    pdf.rect(8, 8, 281, 194)
    pdf.set_font("helvetica", size=20)
    pdf.text(20, 200, "DESIGN-MARK")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(picture, format="PNG")
    pdf.image(picture, x=260, y=170, w=20)
    return bytes(pdf.output())


def with_content(content: bytes, mediabox: str = "0 0 841.89 595.28") -> bytes:
    """A hand-made one-page PDF whose page draws ``content`` (a FlateDecode stream)."""
    packed = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [{mediabox}] /Contents 4 0 R "
        "/Resources << >> >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, start))
    return out.getvalue()


def run_background(honours, db: Path, design: Path, tmp_path: Path):
    honours.db = db
    before = db.read_bytes()
    out = tmp_path / "证书.pdf"
    result = honours("certificates", "--background", str(design), "-o", str(out),
                     "--only", "马罡", ok=False)
    return result, out, before


@needs_font
def test_a_flate_bomb_background_is_refused_before_any_number(honours, jinshan_db, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(background, "LIMITS", background.Limits(content=1 << 20))
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(with_content(b"0 0 m\n" + b" " * (3 << 20)))  # 3 MB in 3 KB
    result, out, before = run_background(honours, jinshan_db, bomb, tmp_path)
    assert_refused(result, out, jinshan_db, before, "unpacks to more than 1 MB")


@needs_font
@pytest.mark.parametrize("mediabox", ["0 0 0 0", "0 0 1e30 1e30", "0 0 -0.5 100"])
def test_a_background_of_no_sheets_size_is_refused(honours, jinshan_db, tmp_path, mediabox):
    design = tmp_path / "design.pdf"
    design.write_bytes(with_content(b"0 0 m 10 10 l S", mediabox))
    result, out, before = run_background(honours, jinshan_db, design, tmp_path)
    assert_refused(result, out, jinshan_db, before, "MediaBox")


def test_a_background_of_too_many_pages_or_objects_is_refused(tmp_path, monkeypatch):
    design = tmp_path / "design.pdf"
    design.write_bytes(design_pdf())
    for limits, words in ((background.Limits(pages=0), "pages, more than"),
                          (background.Limits(objects=3), "objects, more than"),
                          (background.Limits(pixels=63), "8×8 pixels"),
                          (background.Limits(file=100), "more than")):
        with pytest.raises(CertificateError, match=words):
            background.read_design(design, limits)
    background.read_design(design)


@needs_font
def test_the_design_is_stored_once_whatever_the_pages(honours, jinshan_db, tmp_path):
    from pypdf import PdfReader

    design = tmp_path / "design.pdf"
    design.write_bytes(design_pdf())
    honours.db = jinshan_db
    out = tmp_path / "证书.pdf"
    honours("certificates", "--background", str(design), "-o", str(out),
            "--only", "马罡,丁丽珍")
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    forms = {page["/Resources"]["/XObject"].raw_get(background.DESIGN).idnum
             for page in reader.pages}
    assert len(forms) == 1  # one design object, drawn by every page
    for page in reader.pages:
        assert "DESIGN-MARK" in page.extract_text()


def mutations(valid: bytes, count: int = 64):
    """``count`` damaged copies of ``valid``, the same on every run."""
    kinds = ["truncate", "flip", "no-xref", "startxref", "zero-span", "duplicate",
             "huge-number", "no-endstream"]
    for seed in range(count):
        rng = random.Random(seed)
        kind = kinds[seed % len(kinds)]
        data = bytearray(valid)
        if kind == "truncate":
            data = data[: rng.randrange(20, len(data))]
        elif kind == "flip":
            for _ in range(rng.randrange(1, 40)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif kind == "no-xref":
            start, end = data.rfind(b"xref"), data.rfind(b"trailer")
            data = data[:start] + data[end:]
        elif kind == "startxref":
            at = data.rfind(b"startxref") + 10
            data = data[:at] + str(rng.randrange(0, 10**7)).encode() + b"\n%%EOF\n"
        elif kind == "zero-span":
            at = rng.randrange(len(data))
            data[at:at + 256] = b"\0" * len(data[at:at + 256])
        elif kind == "duplicate":
            at, size = rng.randrange(len(data)), rng.randrange(1, 2000)
            data = data[:at] + data[at:at + size] * rng.randrange(2, 5) + data[at:]
        elif kind == "huge-number":
            numbers = list(re.finditer(rb"\d+", bytes(data)))
            for match in rng.sample(numbers, min(5, len(numbers))):
                data[match.start():match.end()] = str(rng.choice(
                    [0, -1, 10**12, 2**31, 99999]))[: match.end() - match.start()].encode()
        elif kind == "no-endstream":
            data = bytes(data).replace(b"endstream", b"", rng.randrange(1, 4))
        yield f"{seed}-{kind}", bytes(data)


def test_damaged_backgrounds_work_or_give_a_clear_error(tmp_path):
    from fpdf import FPDF

    from honours.certificates.layout import load_layout
    from honours.certificates.pdf import check_background, merge_background

    layout = load_layout()
    blank = FPDF(unit="mm", format=(297, 210))
    blank.add_page()
    page = bytes(blank.output())
    outcomes = {}
    for name, data in mutations(design_pdf()):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        try:
            check_background(path, layout)
            merged = merge_background(page, path, layout)
            assert merged.startswith(b"%PDF")
            outcomes[name] = "works"
        except CertificateError as error:
            assert "background" in str(error)
            outcomes[name] = "refused"
    assert len(outcomes) >= 60
    assert set(outcomes.values()) == {"works", "refused"}, outcomes


@needs_font
def test_a_damaged_background_through_the_command(jinshan_db, tmp_path):
    """A few of the damaged designs through the real command: a clear refusal
    (exit 2, no number) or certificates, never the unexpected-error message."""
    before = jinshan_db.read_bytes()
    chosen = ("0-truncate", "4-zero-span", "7-no-endstream", "57-flip", "2-no-xref")
    for name, data in [(n, d) for n, d in mutations(design_pdf()) if n in chosen]:
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        out = tmp_path / f"{name}-out.pdf"
        result = subprocess.run(
            [*honours_command(), "--db", str(jinshan_db), "certificates", "--background",
             str(path), "-o", str(out), "--only", "马罡"],
            capture_output=True, text=True, timeout=60, env={**os.environ,
                                                            "PYTHONWARNINGS": "ignore"})
        assert result.returncode in (0, 2), (name, result.stderr)
        assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
        if result.returncode == 2:
            assert not out.exists()
            assert jinshan_db.read_bytes() == before
        else:
            before = jinshan_db.read_bytes()  # 马罡's number, issued once


def test_a_picture_background_is_judged_by_its_pixels(tmp_path, monkeypatch):
    from PIL import Image

    from honours.certificates.pdf import check_background

    picture = tmp_path / "design.png"
    Image.new("RGB", (297, 210)).save(picture)
    monkeypatch.setattr(background, "LIMITS", background.Limits(pixels=1000))
    with pytest.raises(CertificateError, match="297×210 pixels"):
        check_background(picture, load_layout())



@needs_font
def test_a_preview_that_draws_too_long_is_refused_before_any_number(honours, jinshan_db,
                                                                    tmp_path, monkeypatch):
    from honours.certificates import preview

    monkeypatch.setattr(preview, "PREVIEW_SECONDS", 0.001)  # the child cannot even start
    honours.db = jinshan_db
    before = jinshan_db.read_bytes()
    out, picture = tmp_path / "证书.pdf", tmp_path / "first.png"
    result = honours("certificates", "-o", str(out), "--preview", str(picture),
                     "--only", "马罡", ok=False)
    assert_refused(result, out, jinshan_db, before, "the preview took more than")
    assert not picture.exists()
