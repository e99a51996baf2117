"""How the name of an organisation ends: 中学, 大学, 医院, 委员会, 局, 村 …

The one list of these endings, for every part that must tell a unit's name from
a person's: the reader of pasted text (a school printed beside a name is that
person's affiliation, never a second name) and the certificates (a proposer
addressed as a unit).  Pure: no I/O, and it imports nothing from the project,
so any module can use it without a cycle.
"""

from __future__ import annotations

import re

#: Endings of two characters or more: a cell that ends so names an organisation
#: (福州第一中学, 浙江大学, 鼓楼区教育局, 城关镇中心小学 …).
UNIT_ENDINGS = (
    "中学", "小学", "大学", "学校", "学院", "分校", "校区", "幼儿园", "教学点", "职校",
    "医院", "卫生院", "诊所", "研究院", "研究所", "研究中心", "中心", "实验室",
    "公司", "集团", "银行", "工厂", "企业",
    "委员会", "协会", "学会", "商会", "联合会", "工会", "联社", "合作社", "基金会",
    "政府", "办公室", "办事处", "管理处", "管理局", "人民法院", "人民检察院",
    "街道", "社区", "居委会", "村委会", "乡政府", "党委", "党支部", "支部", "总支",
    "图书馆", "博物馆", "文化馆", "纪念馆", "电视台", "广播电台", "报社", "出版社",
    "派出所", "消防站", "大队", "中队", "支队", "总队", "车间", "班组",
)
#: One-character endings (局, 院, 村, 镇, 界别's 别 …): also the last character of
#: some given names (李镇, 王院), so a reader of pasted names trusts them only on a
#: cell of five characters or more; a proposer's name, never a grid of people,
#: trusts them from two (区政协, 民革界别).
UNIT_LAST_CHARACTERS = (
    "局院所厂村镇处部委会社站队团馆署厅办司行店场"
    "组室校别党盟协台街区县市省报刊科联"
)

#: A numbered school after a place: 福州一中, 杭州二中, 厦门十一中 (four characters or
#: more: 张一中 is a person's name).
_NUMBERED_SCHOOL = re.compile(r"[^一二三四五六七八九十百\d][一二三四五六七八九十百\d]{1,3}[中小]$")


def looks_like_unit(text: str, last_character_from: int = 5) -> bool:
    """Whether ``text`` reads as an organisation's name by how it ends; a
    one-character ending (:data:`UNIT_LAST_CHARACTERS`) counts on a text of
    ``last_character_from`` characters or more."""
    text = text.strip()
    if len(text) < 2:
        return False
    if text.endswith(UNIT_ENDINGS):
        return True
    if len(text) >= 4 and _NUMBERED_SCHOOL.search(text):
        return True
    return len(text) >= last_character_from and text[-1] in UNIT_LAST_CHARACTERS
