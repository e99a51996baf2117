"""The words of registers and certificates that are not typed by the clerk:
the default honour made from the category titles, the label of a work's
author, and the phrases that depend on who receives the certificate.

Pure functions on strings; docs/certificates.md shows them on the example roll.
"""

from __future__ import annotations

import re

#: A year the honour already carries: 2024年度, 2023—2024学年, 2024年.
YEAR = re.compile(r"(19|20)\d{2}")
#: The scope at the front of an award's title, up to its year: 区政协2024年度, 2024学年度.
SCOPE = re.compile(r"^.*?(19|20)\d{2}(?:[—–-](19|20)?\d{2})?(学年度|学年|年度|年)")

#: Label of a work's author -> the verb of the certificate: 你提交的《…》, 你撰写的《…》.
AUTHOR_VERBS = {
    "提案者": "提交",
    "提案人": "提交",
    "作者": "撰写",
    "撰稿人": "撰写",
    "申报单位": "申报",
    "申报人": "申报",
    "完成人": "完成",
    "完成单位": "完成",
    "设计者": "设计",
    "反映人": "反映",
}
DEFAULT_VERB = "提交"
#: Words that end an award's title but not an honour: 某某中学表彰 + 优秀教师 -> 某某中学优秀教师.
AWARD_ENDINGS = ("表彰名单", "表彰决定", "光荣榜", "表彰", "名单", "评选")
#: Words that end a list's own title and name no honour: …入围候选人名单 -> …入围候选人.
LIST_WORDS = ("表彰名单", "名单")
#: A level below the award that only introduces the lists (表彰名单如下): it names no honour.
LIST_ONLY = re.compile(
    r"^(?:受表彰|表彰|获奖|评选|拟表彰)?(?:名单|决定|人员|对象)?(?:如下|公示|公布)?[:：]?$"
)

#: The verbs that confer an honour, as offices write them: 荣获…奖, 被授予…称号, 被评为….
AWARD_VERB, TITLE_VERB, DEFAULT_HONOUR_VERB = "荣获", "被授予", "被评为"
#: Endings of an honour that is an award (荣获…奖) and of one that is a title (被授予…称号).
AWARD_WORDS = ("奖", "奖章", "奖状", "奖杯", "奖牌")
TITLE_WORD = "称号"


def carries_year(honour: str) -> bool:
    return bool(YEAR.search(honour))


def default_honour(titles: list[str]) -> str:
    """The honour in words from the path of titles (award first), as published
    rolls word it: one phrase, no spaces.

    Below the award only the first level names an honour; deeper levels group
    its winners (市、区政协委员 under 信息工作成绩突出个人) and add nothing.  The
    list's title is qualified by the award: where the award's title already
    contains it, the award's words are used (…单位和个人 + 信息工作成绩突出单位 ->
    …信息工作成绩突出单位); else the award's scope up to its year goes in front
    (2024学年度表彰 + 优秀教师 -> 2024学年度优秀教师); else the award's title
    without words such as 表彰 or 名单 (某某中学表彰 + 优秀教师 -> 某某中学优秀教师).
    """
    titles = [title.strip() for title in titles if title.strip()]
    if not titles:
        return ""
    award = titles[0]
    # a level that only introduces the lists (表彰名单如下) names nothing
    titles = [award] + [title for title in titles[1:] if not _list_only(title)]
    if len(titles) == 1:  # the list's own title: what it names, not "名单"
        return _without_list_word(award, LIST_WORDS)
    item = titles[1]
    if item in award:
        return award[: award.index(item) + len(item)]
    if award in item:  # 全国关心下一代工作 + 全国关心下一代工作突出贡献奖: said once
        return item
    for length in range(min(len(award), len(item)) - 1, 1, -1):
        if award.endswith(item[:length]):  # 2015年全国关心下一代工作 + 全国关心下一代工作先进集体
            return award + item[length:]
    for length in range(len(item) - 1, 1, -1):  # the longest shared beginning
        stem, rest = item[:length], item[length:]
        at = award.find(stem)
        if at >= 0 and rest in award[at + length:]:
            return award[: at + length] + rest
    if carries_year(item):
        return item
    scope = SCOPE.match(award)
    if scope:
        return scope.group(0) + item
    return _without_list_word(award) + item


def _without_list_word(title: str, endings: tuple[str, ...] = AWARD_ENDINGS) -> str:
    """某某中学表彰 -> 某某中学, 入围候选人名单 -> 入围候选人: the words that name a
    list or a ceremony, not an honour (a title that is only such a word is kept)."""
    for ending in endings:
        if title.endswith(ending) and len(title) > len(ending):
            return title[: -len(ending)]
    return title


def _list_only(title: str) -> bool:
    return bool(LIST_ONLY.match(title.replace(" ", "")))


def honour_verb(honour: str, verb: str = "") -> str:
    """The verb that confers ``honour``: ``verb`` when the category sets one, else
    荣获 for an award (…奖, …奖章, …奖状), 被授予 for a title (…称号), else 被评为."""
    if verb:
        return verb
    if honour.endswith(AWARD_WORDS):
        return AWARD_VERB
    if honour.endswith(TITLE_WORD):
        return TITLE_VERB
    return DEFAULT_HONOUR_VERB


def conferral(honour: str, verb: str = "") -> str:
    """The honour with its verb, as the certificate says it: 荣获全国五一劳动奖章,
    被授予全国优秀教师称号, 被评为优秀教师.  被授予 names a 称号: one is added to an
    honour that does not end with it (被授予 + 优秀教师 -> 被授予优秀教师称号)."""
    chosen = honour_verb(honour, verb)
    if chosen == TITLE_VERB and not honour.endswith(TITLE_WORD):
        return f"{chosen}{honour}{TITLE_WORD}"
    return f"{chosen}{honour}"


def default_author_label(titles: list[str]) -> str:
    """提案者 for proposals (the published wording, rolls.md), 作者 otherwise."""
    return "提案者" if any("提案" in title for title in titles) else "作者"


def author_verb(label: str) -> str:
    """提交 for 提案者, 撰写 for 作者, 申报 for 申报单位 …; 提交 for other labels."""
    return AUTHOR_VERBS.get(label.strip(), DEFAULT_VERB)


def merit_clause(year: str, honour: str) -> str:
    """在2024年度工作中成绩突出， — left out when the honour names a year itself,
    so that a year is never said twice."""
    if not year or carries_year(honour):
        return ""
    return f"在{year}年度工作中成绩突出，"
