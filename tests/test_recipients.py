"""One certificate and one register row per recipient (issue 23, scope 4).

Joint proposers each get their own certificate and number; a category may give
one per work; a proposer's kind is stored (an option, a column, the roll JSON)
or inferred with a warning; the honour sentence says its parent's words once and
uses the verb that fits; Word templates spread two-character names as the PDF
does.  Every case goes through the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from .test_certificates import FONT, bare, pdf_pages_text

PUBLISHED = Path(__file__).parent / "data" / "published"
JOINT = "朱豪杰、顾磊帆、许华丽"
WORK = "关于加强社区养老服务的建议"


def register(honours, *args) -> list[dict]:
    """The register as it stands (written to standard output: nothing issued)."""
    result = honours("register", *args, "-f", "csv", "-o", "-")
    lines = [line for line in result.output[result.output.index("序号"):].splitlines()
             if line and not line.startswith(("note", "warning"))]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def issued_register(honours, tmp_path, *args) -> list[dict]:
    """The register written to a file (which issues the numbers it lacks)."""
    out = tmp_path / "register.csv"
    honours("register", *args, "-f", "csv", "-o", str(out), "--force")
    return list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))


def certificate_pages(honours, tmp_path, *args) -> list[str]:
    """Each certificate's text, from the .docx certificates (no font needed)."""
    import docx

    out = tmp_path / "certificates.docx"
    honours("certificates", *args, "-o", str(out), "--force")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    return [bare(page) for page in text.split("荣 誉 证 书")[1:]]


def ledger_of(honours) -> dict:
    path = honours.db.with_name(honours.db.stem + ".ledger.json")
    return json.loads(path.read_text("utf-8"))["numbers"]


@pytest.fixture
def proposals(honours):
    honours("settings", "set", "year", "2024")
    honours("settings", "set", "issuer", "政协上海市金山区委员会")
    honours("settings", "set", "date", "2024-12")
    honours("category", "add", "区政协2024年度优秀提案", "--kind", "work")
    honours("add", "区政协2024年度优秀提案", WORK, "--proposer", JOINT)
    honours("add", "区政协2024年度优秀提案", "关于保护民族文化的建议",
            "--proposer", "王𬌗，阿卜杜热合曼·艾则孜")
    honours("add", "区政协2024年度优秀提案", "关于乡村振兴的建议",
            "--proposer", "中国民主促进会上海市金山区委员会")
    return honours


# -- joint proposers ---------------------------------------------------------------------


def test_each_joint_proposer_has_a_register_row_and_a_number(proposals, tmp_path):
    rows = issued_register(proposals, tmp_path)
    assert [row["获奖者"] for row in rows] == [
        "朱豪杰", "顾磊帆", "许华丽", "王𬌗", "阿卜杜热合曼·艾则孜",
        "中国民主促进会上海市金山区委员会"]
    assert [row["序号"] for row in rows] == [str(n) for n in range(1, 7)]
    numbers = [row["证书编号"] for row in rows]
    assert len(set(numbers)) == 6 and all(numbers)
    ledger = ledger_of(proposals)
    assert {ledger[number]["recipient"] for number in numbers[:3]} == {"朱豪杰", "顾磊帆", "许华丽"}
    assert len({ledger[number]["winner"] for number in numbers[:3]}) == 1  # one work
    # the numbers are kept: the register shows them again, nothing new to issue
    assert [row["证书编号"] for row in register(proposals)] == numbers


def test_each_joint_proposer_is_addressed_on_their_own_certificate(proposals, tmp_path):
    pages = certificate_pages(proposals, tmp_path)
    assert len(pages) == 6
    assert pages[0].startswith(f"朱豪杰同志：你提交的《{WORK}》被评为区政协2024年度优秀提案。")
    assert pages[1].startswith("顾磊帆同志：你提交的") and pages[2].startswith("许华丽同志：")
    # a rare character outside the BMP and a dotted minority name are people
    assert pages[3].startswith("王𬌗同志：你提交的《关于保护民族文化的建议》")
    assert pages[4].startswith("阿卜杜热合曼·艾则孜同志：你提交的")
    assert pages[5].startswith("中国民主促进会上海市金山区委员会：你单位提交的")
    assert not any(JOINT in page for page in pages)
    rows = register(proposals)
    for page, row in zip(pages, rows):
        assert f"证书编号：{row['证书编号']}" in page


@pytest.mark.skipif(FONT is None, reason="no CJK font installed")
def test_pdf_certificates_one_per_proposer(proposals, tmp_path):
    out = tmp_path / "c.pdf"
    result = proposals("certificates", "-o", str(out))
    assert "6 certificates" in result.output
    pages = [bare(page) for page in pdf_pages_text(out)]
    assert len(pages) == 6
    assert "朱豪杰同志" in pages[0] and "顾磊帆" not in pages[0]
    assert "阿卜杜热合曼·艾则孜同志" in pages[4]


def test_only_picks_one_joint_proposer(proposals, tmp_path):
    pages = certificate_pages(proposals, tmp_path, "--only", "顾磊帆")
    assert len(pages) == 1 and pages[0].startswith("顾磊帆同志：你提交的")


def test_per_work_gives_one_certificate_to_the_proposers_together(honours, tmp_path):
    honours("category", "add", "优秀提案", "--kind", "work", "--certificates", "per-work")
    assert "per-work" in honours("category", "show", "优秀提案").output
    honours("add", "优秀提案", WORK, "--proposer", JOINT)
    rows = issued_register(honours, tmp_path)
    assert [row["获奖者"] for row in rows] == [JOINT]
    pages = certificate_pages(honours, tmp_path)
    assert pages[0].startswith(f"{JOINT}同志：你们提交的《{WORK}》")
    # one of the proposers finds the certificate they share
    assert len(certificate_pages(honours, tmp_path, "--only", "顾磊帆")) == 1


def test_the_mode_is_inherited_and_refused_when_unknown(honours):
    honours("category", "add", "提案表彰", "--certificates", "每件作品一份")
    honours("category", "add", "优秀提案", "--parent", "提案表彰", "--kind", "work")
    shown = honours("category", "show", "优秀提案").output
    assert "per-work (inherited or default)" in shown
    refused = honours("category", "edit", "优秀提案", "--certificates", "half", ok=False)
    assert refused.exit_code != 0 and "per-proposer" in refused.output


# -- numbers stay with their proposers ---------------------------------------------------


def test_a_renamed_proposer_keeps_the_number_of_the_name_at_its_place(proposals, tmp_path):
    before = {row["获奖者"]: row["证书编号"] for row in issued_register(proposals, tmp_path)}
    result = proposals("edit", "区政协2024年度优秀提案", WORK,
                       "--proposer", "朱浩杰、许华丽、顾磊帆")
    after = {row["获奖者"]: row["证书编号"] for row in register(proposals)}
    assert after["朱浩杰"] == before["朱豪杰"]  # a corrected spelling keeps the number
    assert after["许华丽"] == before["许华丽"] and after["顾磊帆"] == before["顾磊帆"]
    assert "朱浩杰" in result.output and before["朱豪杰"] in result.output
    assert "taken from the name" not in result.output  # the kind follows the place too


def test_a_proposer_left_out_has_their_number_revoked_and_never_reissued(proposals, tmp_path):
    before = {row["获奖者"]: row["证书编号"] for row in issued_register(proposals, tmp_path)}
    result = proposals("edit", "区政协2024年度优秀提案", WORK, "--proposer", "朱豪杰、许华丽")
    assert "revoked" in result.output and before["顾磊帆"] in result.output
    revoked = proposals("register", "--revoked").output
    assert before["顾磊帆"] in revoked and "顾磊帆" in revoked
    proposals("edit", "区政协2024年度优秀提案", WORK, "--proposer", JOINT)
    again = {row["获奖者"]: row["证书编号"] for row in issued_register(proposals, tmp_path)}
    assert again["顾磊帆"] not in before.values()  # a new number, never the revoked one
    assert again["朱豪杰"] == before["朱豪杰"]


def test_removing_a_joint_work_revokes_every_number(proposals, tmp_path):
    numbers = [row["证书编号"] for row in issued_register(proposals, tmp_path)][:3]
    result = proposals("remove", "区政协2024年度优秀提案", WORK)
    for number in numbers:
        assert number in result.output
    ledger = ledger_of(proposals)
    assert all(ledger[number]["revoked"] for number in numbers)


def test_switching_to_per_work_keeps_the_first_number_and_revokes_the_others(
        proposals, tmp_path):
    numbers = [row["证书编号"] for row in issued_register(proposals, tmp_path)]
    proposals("category", "edit", "区政协2024年度优秀提案", "--certificates", "per-work")
    rows = register(proposals)
    assert rows[0]["获奖者"] == JOINT and rows[0]["证书编号"] == numbers[0]
    ledger = ledger_of(proposals)
    assert ledger[numbers[1]]["revoked"] and ledger[numbers[2]]["revoked"]
    proposals("category", "edit", "区政协2024年度优秀提案", "--certificates", "per-proposer")
    back = issued_register(proposals, tmp_path)
    assert back[0]["证书编号"] == numbers[0]
    assert not {back[1]["证书编号"], back[2]["证书编号"]} & set(numbers)


def test_a_work_numbered_before_it_had_one_certificate_per_proposer(honours, tmp_path):
    """An old database: the work's one number goes to its first proposer."""
    honours("category", "add", "优秀提案", "--kind", "work")
    honours("add", "优秀提案", WORK, "--proposer", JOINT)
    data = json.loads(honours.db.read_text("utf-8"))
    (record,) = data["winners"].values()
    record["certificate"] = "2020-0001"
    del record["proposer_kind"]
    honours.db.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    rows = issued_register(honours, tmp_path)
    assert [(r["获奖者"], r["证书编号"] == "2020-0001") for r in rows] == [
        ("朱豪杰", True), ("顾磊帆", False), ("许华丽", False)]
    assert len({r["证书编号"] for r in rows}) == 3
    result = honours("certificates", "-o", str(tmp_path / "c.docx"))
    assert "not stored and is taken from the names" in result.output


def test_the_json_format_carries_joint_numbers_kinds_and_settings(proposals, tmp_path):
    proposals("category", "edit", "区政协2024年度优秀提案", "--verb", "荣获")
    proposals("edit", "区政协2024年度优秀提案", "关于乡村振兴的建议", "--proposer-kind", "unit")
    numbers = [row["证书编号"] for row in issued_register(proposals, tmp_path)]
    exported = tmp_path / "exported.json"
    proposals("export", "-o", str(exported))
    document = json.loads(exported.read_text("utf-8"))
    category = document["categories"][0]
    assert category["verb"] == "荣获"
    first = category["winners"][0]
    assert first["certificates"] == dict(zip(JOINT.split("、"), numbers[:3]))
    assert first["proposer_kind"] == "person"
    proposals.db = tmp_path / "again.json"
    proposals("import", str(exported))
    assert [row["证书编号"] for row in register(proposals)] == numbers
    assert "荣获 " in proposals("category", "show", "区政协2024年度优秀提案").output


def test_new_year_keeps_the_mode_and_verb(honours, tmp_path):
    honours("settings", "set", "year", "2024")
    honours("category", "add", "优秀提案", "--kind", "work", "--certificates", "per-work",
            "--verb", "荣获")
    result = honours("new-year", "--yes")
    target = re.search(r"(\S+\.json)", result.output).group(1)
    honours.db = Path(target) if Path(target).is_absolute() else honours.db.parent / target
    shown = honours("category", "show", "优秀提案").output
    assert "per-work" in shown and "荣获" in shown


# -- proposer kinds ----------------------------------------------------------------------


def test_the_kind_given_decides_the_wording(honours, tmp_path):
    honours("category", "add", "优秀提案", "--kind", "work")
    honours("add", "优秀提案", "甲提案", "--proposer", "民盟", "--proposer-kind", "单位")
    honours("add", "优秀提案", "乙提案", "--proposer", "青格勒吉日格乐、马罡",
            "--proposer-kind", "person")
    honours("add", "优秀提案", "丙提案", "--proposer", "张三、金山区妇联",
            "--proposer-kind", "person,unit")
    pages = certificate_pages(honours, tmp_path)
    assert pages[0].startswith("民盟：你单位提交的《甲提案》")
    assert pages[1].startswith("青格勒吉日格乐同志：你提交的")
    assert pages[2].startswith("马罡同志：")  # (bare: the page's spaces taken out)
    assert pages[3].startswith("张三同志：") and pages[4].startswith("金山区妇联：你单位")
    refused = honours("add", "优秀提案", "丁提案", "--proposer", "甲、乙、丙",
                      "--proposer-kind", "person,unit", ok=False)
    assert refused.exit_code != 0 and "nothing was added" in refused.output


def test_an_inferred_kind_is_warned_of_and_can_be_corrected(honours, tmp_path):
    honours("category", "add", "优秀提案", "--kind", "work")
    added = honours("add", "优秀提案", "甲提案", "--proposer", "华为技术")
    assert "taken from the name" in added.output and "华为技术（person）" in added.output
    honours("edit", "优秀提案", "甲提案", "--proposer-kind", "unit")
    assert certificate_pages(honours, tmp_path)[0].startswith("华为技术：你单位提交的")
    stored = json.loads(honours.db.read_text("utf-8"))["winners"]
    assert [record["proposer_kind"] for record in stored.values()] == ["unit"]


def test_a_proposer_kind_column_is_imported(honours, tmp_path):
    honours("category", "add", "优秀提案", "--kind", "work")
    table = tmp_path / "提案.csv"
    table.write_text(
        "题目,提案者,提案者类型\n"
        "甲提案,王𬌗,个人\n"
        "乙提案,民进金山区委,单位\n"
        "丙提案,李四、民革界别,个人、单位\n", "utf-8")
    result = honours("import", str(table), "--into", "优秀提案")
    assert "taken from the name" not in result.output
    pages = certificate_pages(honours, tmp_path)
    assert pages[0].startswith("王𬌗同志：你提交的")
    assert pages[1].startswith("民进金山区委：你单位提交的")
    assert pages[2].startswith("李四同志：") and pages[3].startswith("民革界别：你单位")


# -- the honour sentence -----------------------------------------------------------------


def test_a_parent_is_not_repeated_and_an_award_is_received(honours, tmp_path):
    honours("category", "add", "全国关心下一代工作")
    honours("category", "add", "全国关心下一代工作突出贡献奖", "--parent", "全国关心下一代工作")
    honours("add", "全国关心下一代工作突出贡献奖", "王峰")
    page = certificate_pages(honours, tmp_path)[0]
    assert "全国关心下一代工作全国关心下一代工作" not in page
    assert "荣获全国关心下一代工作突出贡献奖。" in page and "被评为" not in page


def test_the_published_jiangxi_roll(honours, tmp_path):
    """tests/data/published/003: a parent 全国关心下一代工作 above the roll's lists."""
    text = (PUBLISHED / "003-jiangxi-guanxin-2015.txt").read_text("utf-8")
    roll = tmp_path / "003.txt"
    roll.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith("#")), "utf-8")
    honours("category", "add", "全国关心下一代工作")
    honours("import", str(roll), "-f", "roll", "--into", "全国关心下一代工作")
    rows = register(honours)
    honours_of = {row["获奖者"]: row["荣誉"] for row in rows}
    assert honours_of["王峰"] == "全国关心下一代工作突出贡献奖"
    assert honours_of["南昌市关心下一代工作委员会"] == "全国关心下一代工作先进集体"
    assert honours_of["兰玉华"] == "全国关心下一代工作先进工作者"
    pages = certificate_pages(honours, tmp_path)
    assert pages[0].startswith("南昌市关心下一代工作委员会：")
    assert "被评为全国关心下一代工作先进集体。" in pages[0]
    assert pages[-1].startswith("王峰同志：") and "荣获全国关心下一代工作突出贡献奖。" in pages[-1]


@pytest.mark.parametrize(("file", "first", "honour"), [
    ("009-ningxia-young-pioneers-2020", "王芝兰",
     "中国少年先锋队第八次全国代表大会代表候选人初步人选"),
    ("012-fujian-zuimei-teachers-2017", "王玮", "福建省首届“最美教师”入围候选人"),
])
def test_published_single_list_rolls(honours, tmp_path, file, first, honour):
    text = (PUBLISHED / f"{file}.txt").read_text("utf-8")
    title = re.search(r"^# title: (.+)$", text, re.M).group(1)
    roll = tmp_path / "roll.txt"
    roll.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith("#")), "utf-8")
    honours("category", "add", title)
    honours("import", str(roll), "--into", title)
    page = certificate_pages(honours, tmp_path)[0]
    assert page.startswith(f"{first}同志：") and "名单" not in page
    assert f"被评为{honour}。" in page


def test_the_verb_follows_the_honour_or_the_category(honours, tmp_path):
    honours("category", "add", "全国五一劳动奖章")
    honours("category", "add", "全国优秀教师称号")
    honours("category", "add", "优秀共产党员", "--verb", "被授予")
    for category in ("全国五一劳动奖章", "全国优秀教师称号", "优秀共产党员"):
        honours("add", category, "张三丰")
    pages = certificate_pages(honours, tmp_path)
    assert "荣获全国五一劳动奖章。" in pages[0]
    assert "被授予全国优秀教师称号。" in pages[1]
    assert "被授予优秀共产党员称号。" in pages[2]
    assert "被授予" in honours("category", "show", "优秀共产党员").output
    assert "荣获 (inherited or chosen by the honour)" in honours(
        "category", "show", "全国五一劳动奖章").output
    honours("category", "edit", "优秀共产党员", "--verb", "")
    assert "被评为优秀共产党员。" in certificate_pages(honours, tmp_path)[2]
    refused = honours("category", "edit", "优秀共产党员", "--verb", "荣 获", ok=False)
    assert refused.exit_code != 0


# -- Word templates ----------------------------------------------------------------------


def test_word_template_spreads_two_character_names(honours, tmp_path):
    import docx

    template = docx.Document()
    template.add_paragraph("{姓名}同志：")
    template.add_paragraph("{正文}")
    path = tmp_path / "template.docx"
    template.save(str(path))
    honours("category", "add", "优秀提案", "--kind", "work")
    honours("add", "优秀提案", "甲提案", "--proposer", "马罡、民盟",
            "--proposer-kind", "person,unit")
    out = tmp_path / "filled.docx"
    honours("certificates", "--docx-template", str(path), "-o", str(out))
    texts = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert texts[0] == "马　罡同志：" and texts[1].startswith("你提交的《甲提案》")
    assert texts[2] == "民盟同志：" or texts[2].startswith("民盟")
    assert texts[3].startswith("你单位提交的《甲提案》")


def test_an_exported_csv_imports_again_with_its_kind_column(proposals, tmp_path):
    """The roll's CSV has a 类型 column holding the list's kind (作品): not a proposer kind."""
    numbers = [row["证书编号"] for row in issued_register(proposals, tmp_path)]
    exported = tmp_path / "exported.csv"
    proposals("export", "-o", str(exported))
    assert "、".join(numbers[:3]) in exported.read_text("utf-8-sig")
    proposals.db = tmp_path / "again.json"
    proposals("category", "add", "区政协2024年度优秀提案", "--kind", "work")
    result = proposals("import", str(exported))
    assert "nothing was imported" not in result.output
    rows = register(proposals)
    assert [(row["获奖者"], row["证书编号"]) for row in rows][:3] == list(
        zip(JOINT.split("、"), numbers[:3]))
