"""Deterministic generator of realistic Chinese person names for the benchmarks.

Surnames are drawn by their real population share (``surname_frequency.tsv``, with its
source in its header).  Given names have one character (30%) or two (70%), drawn from
the given-name characters below:

* ``TOP_GIVEN``: the 115 characters that appear in a top-50 list of given-name
  characters for any birth cohort (1950s .. 2000s) of the same NCIIC database as the
  surnames (Bao 2021, R package ChineseNames, dataset ``top50char.year``), each weighted
  by the sum of its counts over the cohorts whose top-50 list it is in (a lower bound of
  its true count, good enough for a benchmark).
* ``TAIL_GIVEN``: about 280 further common given-name characters (from that package's
  per-gender top-50 lists and common use), uniform at ``TAIL_WEIGHT``, just below the
  smallest count that made any cohort's top-50 (619,624), so that the tail is present
  but never outweighs a listed character.

Usage: ``python benchmarks/names.py N [OUT] [--seed S]`` writes N names, one a line.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SURNAME_TABLE = HERE / "surname_frequency.tsv"

#: Share of one-character given names (the rest have two).
ONE_CHAR_SHARE = 0.30

# character + count, from ChineseNames::top50char.year (n.all.* columns summed).
TOP_GIVEN = """
英39486485 华35262450 玉34222872 秀30790699 文29457334 明28239877 兰24385516 金22146827
春21579483 国21575532 梅20138284 红19746236 海19556274 平19336819 丽19224615 云19218734
芳19128072 志18753852 建18492100 小18419426 荣17831425 珍17159000 林17145824 凤16723520
桂16547631 永15847822 军14684148 艳13422599 晓12218764 德12115025 伟11869661 美11675399
霞11369540 玲11186936 香11133786 成11010617 花9750681 新8915733 淑8869920 爱8536938 燕8136239
清7550948 生7425457 琴7056307 娟6987276 辉6986696 强6900861 杰6828981 福6332099 龙6257266
连6063451 忠6032009 学6002706 东5967040 芬5924635 兴5845124 光5391948 俊4911692 雪4780701
宇4732881 佳4662208 涛4327849 利4308718 飞4303655 敏4227129 静4185438 勇4144931 萍4048937
祥3852676 超3766887 芝3659562 素3598208 婷3575656 元3444428 贵3410776 庆3148866 莲3122633
鹏3038085 鑫2928995 翠2893023 正2864470 浩2729692 慧2556464 梦2532363 洪2151243 波2111097
菊2070252 峰1969361 亚1836479 娜1827669 亮1804089 雨1743215 子1476425 欣1472122 丹1459742
嘉1247778 怡1245378 豪1203648 思1160226 博925068 涵854177 泽845518 琪830500 阳822890 家794599
天732772 晨713577 瑞703136 乐667966 洋647920 雅647811 凯639264 旭638458 轩621589 一619624
"""

TAIL_GIVEN = (
    "全友才长昌义发安富山宝民世仁根树良振刚兵斌磊锋江胜立健帅智翔康航昊"
    "娥月妹仙彩琼惠风娣秋会群芹倩颖莹悦彤瑶馨琳钰茹妍紫诗晴心雯洁莉"
    "婉婧媛妮娇娴姗婕嫣璐璇瑾琦琬玥珊珂蕾蓉薇芸芷萱蕊茜菲蓓岚露霏雁"
    "卫兆其勤俭培树桐梓楠柏松森彬栋梁槐杨枫涌源润泉淼渊滨浪潮澄汉湘"
    "启明达远鸿毅铭锐钧铮钢锦镇键岩峻嵩崇巍峥坤均垚培堂基城宏弘宁"
    "守宪宽容崑廷彦征律徽德恒恩恺悦惠慈成戈才承振捷支政敬文斐方旺"
    "昕晖晗晟晶智曦朗朝朋望本权杰柯栩桦梧棠楷歌正武殿毓民永汀沛"
    "沐河泓泰洲浚淳添渝湛溪滔漫潇澜炎炜烨焕熙燊然煜照熹燃父牧"
    "犇玮珏琛瑜璋甫田由甲申男畅登皓盛睿知硕磐祺禄禹秀程稳穗立竞"
    "端笑策简米素纯纲绍维缘罡美羽翰耀聪育胤舒航良艺芃苗若英茂荣"
)
#: Weight of each tail character (see the module docstring).
TAIL_WEIGHT = 600_000


@lru_cache(maxsize=1)
def surnames() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Surnames and their population shares (percent) from ``surname_frequency.tsv``."""
    names, shares = [], []
    for line in SURNAME_TABLE.read_text("utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("surname\t"):
            continue
        name, share, _count = line.split("\t")
        names.append(name)
        shares.append(float(share))
    return tuple(names), tuple(shares)


@lru_cache(maxsize=1)
def given_characters() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Given-name characters and their weights (listed ones first, then the tail)."""
    weights = {char: int(count) for char, count in re.findall(r"(\S)(\d+)", TOP_GIVEN)}
    for char in TAIL_GIVEN:
        weights.setdefault(char, TAIL_WEIGHT)
    return tuple(weights), tuple(weights.values())


def generate(n: int, seed: int = 2024) -> list[str]:
    """``n`` person names, the same for the same ``n`` and ``seed``."""
    rng = random.Random(seed)
    family, shares = surnames()
    chars, weights = given_characters()
    family_cum = list(itertools.accumulate(shares))
    chars_cum = list(itertools.accumulate(weights))
    heads = rng.choices(family, cum_weights=family_cum, k=n)
    firsts = rng.choices(chars, cum_weights=chars_cum, k=n)
    seconds = rng.choices(chars, cum_weights=chars_cum, k=n)
    two = [rng.random() >= ONE_CHAR_SHARE for _ in range(n)]
    return [
        head + first + second if both else head + first
        for head, first, second, both in zip(heads, firsts, seconds, two)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N generated Chinese names, one a line.")
    parser.add_argument("n", type=int, help="how many names")
    parser.add_argument("out", nargs="?", help="output file (default: standard output)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    text = "\n".join(generate(args.n, args.seed)) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
