"""The two sorted lists and the roll structure of a real published roll.

Source: 金山区政协 2024 annual report, its 光荣榜 (CPPCC Jinshan District
Committee, Shanghai).  Only the roll's data (headings, names) is carried here.
"""

#: 1. 市、区政协委员（37名，按姓氏笔画排序）, as published (two-character names padded).
MEMBERS_2024 = """
丁丽珍	马 罡	吕东远	朱春燕	刘 振
刘 倪	刘新宇	孙海美	杨 巍	杨旦红
吴依红	邱 晏	邹佩佩	汪旭兵	沈 沂
沈 燕	沈永华	沈桂红	沈蓓雷	张玉萍
陆学峰	金 健	金丽丽	郑 娟	胡吉根
冒长青	俞欢英	顾美萍	徐春兰	龚敬宇
葛翌雷	董 伟	蒋 峰	韩美珍	蔡东升
樊文军	潘淑红
"""

#: 2. 其他反映人（15名，按姓氏笔画排序）
OTHERS_2024 = """
付 铨	朱志兰	刘 峰	杨纪伟	宋 宁
宋颖童	张 枫	陆 益	陈 佑	陈建宇
姚仰南	高 仙	高 瑛	郭晓峰	曹丹蕾
"""


def names(grid: str) -> list[str]:
    """The grid's cells in reading order, as printed (with padding)."""
    return [cell for line in grid.strip().splitlines() for cell in line.split("\t") if cell]
