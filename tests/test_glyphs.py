"""Every character drawn, or the command refuses (issue 23): a character counts
as covered only if the face draws it (an outline), not because the character map
lists it. AR PL UKai maps 䶮 (U+4DAE) to an empty glyph: 刘䶮 printed as "刘".

The rule is tested on fonts built here with fontTools (a glyph mapped but empty,
composites, CFF), so that it does not hang on a distribution's font; the
commands are tested on the installed AR PL UKai and Noto CJK where present
(skipped with the reason otherwise)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from honours.certificates.fonts import FontChoice, faces_drawing, undrawn

RARE = "䶮"  # U+4DAE: mapped by AR PL UKai to a glyph without an outline
NAME = "刘" + RARE
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
NOTO = next((path for path in (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-serif-cjk/NotoSerifCJK-Regular.ttc"),
) if path.is_file()), None)

needs_ukai = pytest.mark.skipif(
    not UKAI.is_file(), reason="AR PL UKai is not installed (apt-get install fonts-arphic-ukai)")
needs_noto = pytest.mark.skipif(
    NOTO is None, reason="Noto CJK is not installed (apt-get install fonts-noto-cjk)")


# -- fonts built for the tests ---------------------------------------------------------

#: What the built fonts map to a square: the CJK unified ideographs, CJK and
#: full-width punctuation and printable ASCII (enough for a roll and a certificate).
BOXED = [*range(0x4E00, 0xA000), *range(0x3001, 0x3040), *range(0xFF01, 0xFF5F),
         *range(0x21, 0x7F), 0xB7, 0x2014, 0x3007]


def _square(pen, size: int = 1000) -> None:
    pen.moveTo((100, -80))
    pen.lineTo((100, size - 200))
    pen.lineTo((size - 100, size - 200))
    pen.lineTo((size - 100, -80))
    pen.closePath()


def built_font(path: Path, family: str = "Test Kai SC", cff: bool = False,
               draws_rare: bool = False) -> Path:
    """A font mapping :data:`BOXED` to a square, 䶮 to an empty glyph (as AR PL
    UKai does; to the square with ``draws_rare``), U+4DAF to a composite of
    that empty glyph, U+4DB0 to a composite of the square, and the spaces to
    blank glyphs."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    order = [".notdef", "box", "empty", "space", "ideographic"]
    cmap = {code: "box" for code in BOXED}
    cmap.update({0x4DAE: "box" if draws_rare else "empty", 0x20: "space",
                 0x3000: "ideographic"})
    widths = {".notdef": 1000, "box": 1000, "empty": 1000, "space": 250, "ideographic": 1000}
    builder = FontBuilder(1000, isTTF=not cff)
    if cff:
        builder.setupGlyphOrder(order)
        builder.setupCharacterMap(cmap)
        strings = {}
        for name in order:
            pen = T2CharStringPen(widths[name], None)
            if name in (".notdef", "box"):
                _square(pen)
            strings[name] = pen.getCharString()
        builder.setupCFF(family.replace(" ", ""), {"FullName": family}, strings, {})
    else:
        order += ["composite_empty", "composite_box"]
        cmap.update({0x4DAF: "composite_empty", 0x4DB0: "composite_box"})
        widths.update(composite_empty=1000, composite_box=1000)
        builder.setupGlyphOrder(order)
        builder.setupCharacterMap(cmap)
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyphs)  # the glyphs so far: what a component may name
            if name in (".notdef", "box"):
                _square(pen)
            elif name.startswith("composite_"):
                pen.addComponent(name.split("_")[1], (1, 0, 0, 1, 0, 0))
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (widths[name], 100) for name in order})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880,
                     usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture
def built(tmp_path) -> Path:
    """A folder holding only the built TrueType font."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    built_font(folder / "testkai.ttf")
    return folder


def test_a_mapped_glyph_without_an_outline_is_not_drawn(tmp_path):
    choice = FontChoice(built_font(tmp_path / "t.ttf"))
    assert undrawn(choice, NAME) == {RARE}
    # a composite is followed to its components
    assert undrawn(choice, "\u4daf\u4db0") == {"\u4daf"}
    # spaces and other characters that are blank by nature are never missing
    assert undrawn(choice, "刘 \u3000\u200d\ufe0f") == set()
    # not mapped at all: not drawn either
    assert undrawn(choice, "\U00020bb7") == {"\U00020bb7"}


def test_an_empty_cff_charstring_is_not_drawn(tmp_path):
    choice = FontChoice(built_font(tmp_path / "t.otf", "Test Song SC", cff=True))
    assert undrawn(choice, NAME + "张三") == {RARE}


def test_the_chain_takes_the_first_face_that_draws_each_character(tmp_path, monkeypatch):
    empty = tmp_path / "none"
    empty.mkdir()
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(empty))  # nothing installed to fall back on
    first = FontChoice(built_font(tmp_path / "a.ttf"))
    second = FontChoice(built_font(tmp_path / "b.otf", "Test Song SC", cff=True))
    assert faces_drawing(NAME, [first]) == {"刘": first}  # 䶮: no face draws it
    assert faces_drawing(NAME + "\u4db0", [first, second]) == {
        "刘": first, "\u4db0": first}
    # the installed faces come after the given ones, judged the same way
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(tmp_path))
    found = faces_drawing("\u4daf", [second])
    assert RARE not in found and "\u4daf" not in found


# -- the commands ----------------------------------------------------------------------


def rare_roll(honours) -> None:
    honours("category", "add", "先进个人")
    honours("add", "先进个人", NAME, "张三", "阿卜杜热合曼·艾则孜")
    honours("settings", "set", "issuer", "某某委员会")
    honours("settings", "set", "date", "2024-12")


def issued(honours) -> list[str]:
    winners = json.loads(honours.db.read_text("utf-8"))["winners"].values()
    return [w["certificate"] for w in winners if w.get("certificate")]


def assert_refused(honours, tmp_path) -> None:
    """export -o x.pdf and certificates refuse, naming 刘䶮 and 䶮, and no number is issued."""
    ledger = honours.db.with_name(honours.db.stem + ".ledger.json")
    before = ledger.read_bytes() if ledger.exists() else None
    for command in (("export", "-o", str(tmp_path / "roll.pdf")),
                    ("certificates", "-o", str(tmp_path / "c.pdf"))):
        result = honours(*command, ok=False)
        assert result.exit_code != 0, result.output
        assert NAME in result.output and f"{RARE} (U+4DAE)" in result.output, result.output
        assert "--allow-missing-glyphs" in result.output
        assert not Path(command[-1]).exists()
    assert issued(honours) == []
    assert (ledger.read_bytes() if ledger.exists() else None) == before


def test_a_character_no_face_draws_refuses_before_any_number(honours, built, tmp_path,
                                                               monkeypatch):
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(built))
    rare_roll(honours)
    assert_refused(honours, tmp_path)
    # printed anyway on request, with a warning that says it is blank
    out = tmp_path / "anyway.pdf"
    result = honours("certificates", "-o", str(out), "--only", NAME, "--allow-missing-glyphs")
    assert out.exists() and "printed blank" in result.output and RARE in result.output


def test_doctor_names_a_character_no_face_draws(honours, built, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(built))
    rare_roll(honours)
    honours("category", "add", "优秀提案", "--kind", "作品")
    honours("add", "优秀提案", "关于加强社区养老服务的建议", "--proposer", "王" + RARE)
    result = honours("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if "No installed font draws" in line]
    assert len(problems) == 1, result.output  # one line for the character, wherever it is
    assert f"{RARE} (U+4DAE)" in problems[0]
    assert f"{NAME} in 先进个人" in problems[0] and "the proposer of" in problems[0]
    # a font given to doctor is the one judged
    other = built.parent / "other"
    other.mkdir()
    font = built_font(other / "song.otf", "Test Song SC", cff=True)
    result = honours("--lang", "en", "doctor", "--font", str(font), ok=False)
    assert "Test Song SC" in result.output and "No installed font draws" in result.output


def test_the_documents_own_faces_come_first_in_the_chain(honours, tmp_path, monkeypatch):
    """The recipient block's font does not draw 䶮: the certificate's main font,
    which does, draws it (no installed font is there to fall back on)."""
    from pypdf import PdfReader

    from honours.certificates.layout import default_layout_text

    nothing = tmp_path / "none"
    nothing.mkdir()
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(nothing))
    kai = built_font(tmp_path / "kai.ttf")
    song = built_font(tmp_path / "song.ttf", "Test Song SC", draws_rare=True)
    layout = tmp_path / "layout.toml"
    layout.write_text(default_layout_text().replace(
        'name = "recipient"', f'name = "recipient"\nfont = "{kai}"', 1), "utf-8")
    rare_roll(honours)
    out = tmp_path / "c.pdf"
    result = honours("certificates", "-o", str(out), "--only", NAME, "--layout", str(layout),
                     "--font", str(song))
    said = [line for line in result.output.splitlines() if "drawn with" in line]
    assert len(said) == 1 and "not drawn by Test Kai SC" in said[0], result.output
    assert "drawn with Test Song SC" in said[0] and NAME in said[0]
    fonts = {str(font.get_object()["/BaseFont"])
             for font in PdfReader(str(out)).pages[0]["/Resources"]["/Font"].values()}
    assert len(fonts) == 2 and all("Test" in name for name in fonts)


def _ukai_folder(tmp_path: Path, *others: Path) -> Path:
    folder = tmp_path / "installed"
    folder.mkdir()
    for font in (UKAI, *others):
        (folder / font.name).symlink_to(font)
    return folder


@needs_ukai
def test_ukai_alone_refuses_rare_character(honours, tmp_path, monkeypatch):
    monkeypatch.setenv("HONOURS_FONT_DIRS", str(_ukai_folder(tmp_path)))
    rare_roll(honours)
    assert_refused(honours, tmp_path)
    result = honours("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 1 and f"No installed font draws {RARE}" in result.output


def _ink_at(pdf: Path, character: str, page: int = 0) -> tuple[float, float]:
    """(darkest pixel, share of dark pixels) inside the box the text layer gives
    ``character`` on ``page`` (PDFium's character box), rendered at 150 dpi."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    sheet = document[page]
    text = sheet.get_textpage()
    where = text.get_text_range().index(character)
    left, bottom, right, top = text.get_charbox(where)
    height = sheet.get_height()
    scale = 150 / 72  # pixels a point
    image = sheet.render(scale=scale).to_pil().convert("L")
    document.close()
    crop = image.crop((int(left * scale), int((height - top) * scale),
                       int(right * scale) + 1, int((height - bottom) * scale) + 1))
    shades = crop.histogram()  # how many pixels of each grey, 0 black to 255 white
    darkest = next(shade for shade, count in enumerate(shades) if count)
    return darkest, sum(shades[:128]) / sum(shades)


@needs_ukai
@needs_noto
def test_a_fallback_face_draws_what_ukai_leaves_blank(honours, tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setenv("HONOURS_FONT_DIRS", str(_ukai_folder(tmp_path, NOTO)))
    monkeypatch.setenv("COLUMNS", "400")
    rare_roll(honours)
    roll = tmp_path / "roll.pdf"
    # every role in AR PL UKai (the roll's own choice of faces would take Noto for
    # the body, which draws 䶮 itself): 䶮 falls back to Noto
    result = honours("export", "-o", str(roll), "--font", str(UKAI))
    said = [line for line in result.output.splitlines() if "drawn with" in line]
    assert said and RARE in said[0] and NAME in said[0] and "Noto" in said[0], result.output
    assert RARE in PdfReader(str(roll)).pages[0].extract_text()
    darkest, share = _ink_at(roll, RARE)
    assert darkest < 100 and share > 0.05  # ink where the text layer puts 䶮

    certificates = tmp_path / "c.pdf"
    result = honours("certificates", "-o", str(certificates))
    assert "drawn with" in result.output and "Noto" in result.output
    first = PdfReader(str(certificates)).pages[0].extract_text()
    assert RARE in first
    darkest, share = _ink_at(certificates, RARE)
    assert darkest < 100 and share > 0.05
    assert len(issued(honours)) == 3

    result = honours("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 0, result.output
    warning = [line for line in result.output.splitlines() if "does not draw" in line]
    assert warning and RARE in warning[0] and "Noto" in result.output
