"""LongTable (the register and `list` on screen) against the rich Table it stands
for: the same characters and styles, whatever the texts, styles and widths."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from honours.render.terminal import LongTable

#: Texts that take each of the writer's paths: numbers and Latin (one cell a
#: character), names (two), mixed text, spaces and words, line breaks and tabs,
#: the table's own bar, characters outside the BMP, and text too wide to fit.
TEXTS = st.one_of(
    st.sampled_from(["", "1", "12345", "2026-0001", "张三", "欧阳娜娜", "司马相如", "王 二",
                     "第一中学 高二（3）班", "a│b", "回车\n换行", "制表\t符", "𠀀𪚥",
                     "\u3000全角", "x" * 30, "张" * 25, "优秀 共产党员 称号"]),
    st.text(st.sampled_from("ab 1张王·\n│"), max_size=12),
)


@st.composite
def tables(draw):
    columns = draw(st.integers(1, 4))
    length = draw(st.integers(2, 12))
    justify = draw(st.lists(st.sampled_from(["left", "right", "center", "default"]),
                            min_size=columns, max_size=columns))
    no_wrap = draw(st.lists(st.booleans(), min_size=columns, max_size=columns))
    column_styles = draw(st.lists(st.sampled_from([None, None, "dim", "on blue"]),
                                  min_size=columns, max_size=columns))
    cells = []
    for _index in range(columns):
        kind = draw(st.sampled_from(["numbers", "names", "any"]))
        if kind == "numbers":
            column = [str(n) for n in range(1, length + 1)]
        elif kind == "names":
            column = draw(st.lists(st.sampled_from(["张三", "欧阳娜娜", "李", "司马相如"]),
                                   min_size=length, max_size=length))
        else:
            column = draw(st.lists(TEXTS, min_size=length, max_size=length))
        styled = draw(st.sets(st.integers(0, length - 1), max_size=2))
        spanned = draw(st.sets(st.integers(0, length - 1), max_size=1))
        cells.append([
            Text.assemble(text, ("*", "bold")) if number in spanned  # two styles
            else Text(text, style="bold red") if number in styled else text
            for number, text in enumerate(column)])
    title = draw(st.sampled_from([None, "名册"]))
    border = draw(st.sampled_from([None, None, "blue"]))

    def make_table() -> Table:
        table = Table(title=title, border_style=border)
        for index in range(columns):
            table.add_column(f"列{index}", justify=justify[index], no_wrap=no_wrap[index],
                             overflow="fold", style=column_styles[index])
        return table

    return make_table, cells


def printed(renderable, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False, soft_wrap=True,
                      color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def styled_characters(renderable, width: int) -> list[tuple[str, Style]]:
    """Each character rendered, with its style (how rich splits a run of one
    style into segments, and so its escape codes, is not what a reader sees)."""
    console = Console(file=io.StringIO(), width=width, force_terminal=True,
                      color_system="truecolor")
    return [(character, segment.style or Style.null())
            for segment in console.render(renderable) for character in segment.text]


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(12, 120))
def test_long_table_prints_as_the_rich_table(table, width):
    make_table, columns = table
    long = LongTable(make_table, columns)
    assert printed(long, width) == printed(long._full(), width)
    assert styled_characters(long, width) == styled_characters(long._full(), width)


def test_long_table_refuses_columns_of_unequal_length():
    """Columns of different lengths are not a table the writer knows: rich's
    own table prints them (and rich pads the short column)."""

    def make_table() -> Table:
        table = Table()
        table.add_column("a")
        table.add_column("b")
        return table

    long = LongTable(make_table, [["1", "2", "3"], ["x", "y"]])
    assert not long._measure()
    assert printed(long, 40) == printed(long._full(), 40)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(st.sampled_from("张王欧阳丽娜a1 ·\u3000𠀀"))))
def test_line_cells_is_rich_cell_len(text):
    """The width of a line, shared by the terminal and the xlsx column widths,
    is rich's: its shortcuts (ASCII, Chinese characters only) change nothing."""
    from rich.cells import cell_len

    from honours.render.text import line_cells

    line = text.replace("\n", "").replace("\r", "")
    assert line_cells(line) == cell_len(line)
