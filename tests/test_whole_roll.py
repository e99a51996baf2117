"""A whole roll, built through the command line as a clerk builds one, printed to
every format: every name read whole, printed whole and drawn (issue 23).

The roll is made of real published names: 287 delegates of the 2022 list
(tests/data/published/017-…: every eighth name, and all the long and dotted
minority names), pasted as the five-column grid the list is published in; the
units and the award of the 2015 Jiangxi commendation (003-…) under a parent
category; works with joint and rare-name proposers.  Each output is read back
(the PDF's text layer through PDFium, the DOCX and xlsx through their
libraries) and must hold every name; each PDF page carries its page number;
each proposer of a work gets a certificate of their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .test_glyphs import NOTO, UKAI
from .test_published_rolls import roll_text

PARENT = "全国关心下一代工作"
UNITS = "全国关心下一代工作先进集体"
PEOPLE = "全国关心下一代工作先进工作者"
AWARD = "全国关心下一代工作突出贡献奖"
WORKS = "优秀调研成果"
#: Names of the award: a two-character name and two rare characters (䶮 U+4DAE,
#: which AR PL UKai maps but does not draw; 𬌗 U+2C317, outside the BMP).
AWARDED = ["王峰", "刘䶮", "王𬌗"]
#: Works and their proposers: three people jointly, a dotted name, a rare
#: character, a unit with a long name.
PROPOSALS = [
    ("关于建立农村留守儿童关爱服务体系的调研报告", "朱豪杰、顾磊帆、许华丽"),
    ("关于南疆乡村学校课后服务的调研", "阿卜杜热合曼·艾则孜"),
    ("关于青少年网络素养教育的调研", "王𬌗"),
    ("关于“五老”志愿服务长效机制的调研", "江西省关心下一代工作委员会办公室"),
]
LONG_UNIT = "中国共产党国网江西省电力有限公司上饶供电分公司关心下一代工作委员会"

needs_fonts = pytest.mark.skipif(
    not UKAI.is_file() or NOTO is None,
    reason="AR PL UKai and Noto CJK are needed (apt-get install fonts-arphic-ukai "
    "fonts-noto-cjk, as .ci/run does)")


def squash(text: str) -> str:
    return "".join(text.split())


def bare(name: str) -> str:
    """A name without its annotation: 青格勒吉日格乐（女，蒙古族） -> 青格勒吉日格乐."""
    return squash(re.sub(r"（[^）]*）", "", name))


def delegates() -> list[str]:
    """Every eighth delegate of 2022, and every name of five characters or more."""
    text = roll_text("017-cpc-20th-congress-delegates-2022.txt")
    names = [squash(cell) for line in text.splitlines()[1:]
             for cell in line.split("\u3000\u3000") if cell.strip()]
    assert len(names) == 2296
    chosen = [name for index, name in enumerate(names)
              if index % 8 == 0 or len(bare(name)) >= 5]
    return list(dict.fromkeys(chosen))


def units() -> list[str]:
    text = roll_text("003-jiangxi-guanxin-2015.txt")
    lines = text.splitlines()
    start = lines.index("一、全国关心下一代工作先进集体") + 1
    end = lines.index("二、全国关心下一代工作先进工作者")
    return lines[start:end] + [LONG_UNIT]


def grid(names: list[str], columns: int = 5) -> str:
    """Names as the list is published: five a row, cells apart by two U+3000,
    two-character names padded with one."""
    def padded(name: str) -> str:
        plain = bare(name)
        return name[0] + "\u3000" + name[1:] if len(plain) == 2 else name
    rows = [names[start:start + columns] for start in range(0, len(names), columns)]
    return "\n".join("\u3000\u3000".join(map(padded, row)) for row in rows) + "\n"


@pytest.fixture(scope="module")
def roll(tmp_path_factory):
    """The roll, built through the CLI; its database path and its names."""
    from .conftest import Honours

    folder = tmp_path_factory.mktemp("whole")
    honours = Honours(folder / "roll.json")
    honours("settings", "set", "year", "2015")
    honours("settings", "set", "date", "2015-08")
    honours("settings", "set", "issuer", "全国关心下一代工作委员会")
    honours("settings", "set", "certificate-pattern", "GGW{year}-{serial:04d}")
    honours("category", "add", PARENT, "--kind", "person", "--sort", "manual")
    honours("category", "add", UNITS, "--parent", PARENT, "--kind", "unit",
            "--sort", "manual", "--columns", "3")
    honours("category", "add", PEOPLE, "--parent", PARENT, "--sort", "stroke")
    honours("category", "add", AWARD, "--parent", PARENT, "--sort", "manual")
    honours("category", "add", WORKS, "--kind", "work", "--sort", "manual")
    people = delegates()
    added = honours("add", PEOPLE, "-", input=grid(people))
    assert f"added {len(people)}" in added.output, added.output
    honours("add", f"{PARENT}/{UNITS}", "-", input="\n".join(units()) + "\n")
    honours("add", f"{PARENT}/{AWARD}", *AWARDED)
    for title, proposers in PROPOSALS:
        honours("add", WORKS, title, "--proposer", proposers)
    return honours, folder, people


def listed(honours, category: str) -> list[str]:
    result = honours("list", category, "--format", "json")
    return [entry["name"] for entry in json.loads(result.stdout)]


def every_name(people: list[str]) -> list[str]:
    proposers = [name for _title, names in PROPOSALS for name in re.split("、", names)]
    return [*map(bare, people), *units(), *AWARDED, *proposers,
            *(title for title, _names in PROPOSALS)]


def test_every_pasted_name_is_stored_whole(roll):
    honours, _folder, people = roll
    stored = listed(honours, PEOPLE)
    assert sorted(map(squash, stored)) == sorted(people)
    assert "青格勒吉日格乐（女，蒙古族）" in stored and "金克勒那日（达斡尔族）" in stored
    assert sorted(listed(honours, UNITS)) == sorted(units())


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    pages = [document[index].get_textpage().get_text_range() for index in range(len(document))]
    document.close()
    return pages


@needs_fonts
def test_the_roll_pdf_holds_every_name_and_every_page_number(roll, monkeypatch):
    honours, folder, people = roll
    out = folder / "roll.pdf"
    honours("export", "-o", str(out), "--force")
    pages = pdf_pages(out)
    text = squash("".join(pages))
    missing = [name for name in every_name(people) if squash(name) not in text]
    assert not missing
    for number, page in enumerate(pages, start=1):
        assert f"— {number} —" in page or f"—{number}—" in squash(page), (number, page[-80:])


@needs_fonts
def test_the_docx_and_xlsx_hold_every_name(roll):
    import docx
    import openpyxl

    honours, folder, people = roll
    honours("export", "-o", str(folder / "roll.docx"), "--force")
    document = docx.Document(str(folder / "roll.docx"))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    docx_text = squash("".join(texts))
    assert [name for name in every_name(people) if squash(name) not in docx_text] == []
    honours("export", "-o", str(folder / "roll.xlsx"), "--force")
    book = openpyxl.load_workbook(str(folder / "roll.xlsx"))
    cells = "".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                    for cell in row if cell.value is not None)
    assert [name for name in every_name(people) if squash(name) not in squash(cells)] == []


@needs_fonts
def test_each_proposer_gets_a_certificate_and_a_number(roll):
    honours, folder, people = roll
    out = folder / "certificates.pdf"
    honours("certificates", "-o", str(out), "--force")
    pages = [squash(page).removeprefix("荣誉证书") for page in pdf_pages(out)]
    expected = len(people) + len(units()) + len(AWARDED) + 6  # 3 joint + 3 single proposers
    assert len(pages) == expected
    for proposer in ("朱豪杰", "顾磊帆", "许华丽", "阿卜杜热合曼·艾则孜", "王𬌗"):
        assert any(page.startswith(proposer + "同志：你撰写的《") for page in pages), proposer
    unit = "江西省关心下一代工作委员会办公室：你单位撰写的《"
    assert any(page.startswith(unit) for page in pages)
    numbers = [re.search(r"GGW2015-\d{4}", page).group(0) for page in pages]
    assert len(set(numbers)) == len(numbers)
    award = next(page for page in pages if page.startswith("王峰同志"))
    assert "全国关心下一代工作全国关心下一代工作" not in award
    assert "荣获全国关心下一代工作突出贡献奖" in award
