"""The roll in the terminal with rich: the text layout, with grids aligned by
display width (rich measures East Asian wide characters), and every line that
is longer than the terminal wrapped by Chinese rules, never cut."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from .grid import GridLayout, layout
from .text import ALL_WIDE, grid_names, grid_rows, line_cells, proposer_line, wrap_cells
from .view import RollView, Section

#: Spaces between the columns of a name grid.
GAP = 3
#: Spaces before a work's proposer line.
PROPOSER_INDENT = 3
#: A hanging indent is dropped when it would leave a line narrower than this.
NARROWEST = 8


class _Hanging:
    """A line of text that wraps at the terminal's width by Chinese rules
    (:func:`~.text.wrap_cells`), never cut: the first line starts with ``lead``
    (a heading's or work's number, a proposer's label), the wrapped lines hang
    under the first character after it."""

    def __init__(self, text: str, lead: str = "", indent: int = 0, style: str | None = None,
                 justify: str | None = None, wrap: bool = True) -> None:
        self.text, self.lead, self.indent = text, lead, indent
        self.style, self.justify, self.wrap = style, justify, wrap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.wrap:
            yield Text(" " * self.indent + self.lead + self.text, style=self.style or "",
                       justify=self.justify)
            return
        width = options.max_width
        hang = self.indent + cell_len(self.lead)
        if width - hang < NARROWEST:
            hang = min(self.indent, max(0, width - NARROWEST))
        lines = wrap_cells(self.text, width - hang)
        first = " " * self.indent + self.lead + lines[0]
        if cell_len(first) > width:  # the lead itself does not fit beside the text
            lines = wrap_cells(self.lead + self.text, width - hang)
            first = " " * hang + lines[0]
        for number, line in enumerate(lines):
            yield Text(first if number == 0 else " " * hang + line, style=self.style or "",
                       justify=self.justify)


class _Grid:
    """A name grid as wide as the terminal allows, laid out when rich knows the
    width (:func:`~.grid.layout`): the section's columns (fewer only when its
    ordinary names do not fit), a long name spanning cells of its row, and one
    wider than the terminal wrapped by Chinese rules, its lines under its first
    character.  A name is never cut.

    A grid whose every name fits one cell is laid out line by line, each column
    as wide as its widest name (display width: rich's ``cell_len``, CJK counting
    two), as a rich ``Table`` (:meth:`table`, which the tests compare with)
    would lay it out: a ``Table`` renders every cell through its whole layout
    machinery, which took a minute for a 100,000-name roll."""

    def __init__(self, section: Section, padding: str, wrap: bool = True) -> None:
        self.section, self.padding, self.wrap = section, padding, wrap

    def layout(self, max_width: int) -> GridLayout:
        return layout(grid_names(self.section, self.padding), self.section.columns, max_width,
                      cell_len, GAP)

    def table(self, max_width: int) -> Table:
        """The grid as a rich ``Table`` (when no name spans cells)."""
        rows = grid_rows(self.section, self.padding, columns=self.layout(max_width).columns)
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, GAP, 0, 0))
        for _ in range(len(rows[0]) if rows else 1):
            table.add_column(no_wrap=True, overflow="fold")
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = self.layout(options.max_width)
        if grid.spans or any(cell_len(name) > grid.cell for row in grid.rows
                             for name, _ in row):
            yield from self._spanned(grid, options.max_width if self.wrap else None)
            return
        rows = grid_rows(self.section, self.padding, columns=grid.columns)
        widths = [0] * grid.columns
        for row in rows:
            for index, cell in enumerate(row):
                widths[index] = max(widths[index], cell_len(cell))
        gap = " " * GAP
        for row in rows:
            line = gap.join(set_cell_size(cell, width) for cell, width in zip(row, widths))
            yield Segment(line)
            yield Segment.line()

    @staticmethod
    def _spanned(grid: GridLayout, max_width: int | None) -> RenderResult:
        """Cells of one width, a long name over as many as it needs; a name wider
        than the row wrapped at ``max_width`` (``None``: not wrapped), each line
        starting where the name starts."""
        gap = " " * GAP
        for row in grid.rows:
            if max_width is not None and len(row) == 1 and cell_len(row[0][0]) > max_width:
                lines = wrap_cells(row[0][0], max_width)
            else:  # a name wider than its cells has the row to itself (rows are whole)
                lines = [gap.join(set_cell_size(name, max(int(grid.width(span, GAP)),
                                                          cell_len(name)))
                                  for name, span in row).rstrip()]
            for line in lines:
                yield Segment(line)
                yield Segment.line()


def _section(section: Section, padding: str, wrap: bool) -> list:
    # a wrapped heading hangs under its title, a wrapped title under its text
    parts: list = [_Hanging(section.heading[len(section.number):], section.number,
                            style="bold", wrap=wrap), Text("")]
    if section.description:
        parts += [_Hanging(section.description, style="dim", wrap=wrap), Text("")]
    if section.kind == "work":
        for entry in section.entries:
            parts.append(_Hanging(entry.name, f"{entry.position}. ", wrap=wrap))
            if entry.proposer:
                line = proposer_line(entry.proposer, padding, section.author_label)
                lead = proposer_line("", padding, section.author_label)  # ■ 提案者：
                parts.append(_Hanging(line[len(lead):], lead, PROPOSER_INDENT, wrap=wrap))
        if section.entries:
            parts.append(Text(""))
    elif section.entries:
        parts += [_Grid(section, padding, wrap), Text("")]
    for child in section.children:
        parts += _section(child, padding, wrap)
    return parts


def render_terminal(view: RollView, padding: str = " ", wrap: bool = True) -> Group:
    """The roll for a terminal.  ``wrap``: lines wider than the terminal are
    wrapped (on a terminal); without it (output to a file or a pipe) every line
    is printed whole, as ``honours check`` reads the text back: a heading
    wrapped onto two lines would read as two."""
    parts: list = []
    if view.printed_title:
        parts += [_Hanging(view.printed_title, style="bold", justify="center", wrap=wrap),
                  Text("")]
    for section in view.sections:
        parts += _section(section, padding, wrap)
    return Group(*parts)


def _aligned(text: str, size: int, width: int, justify: str) -> str:
    """A cell of ``size`` cells padded to its column of ``width`` with rich's one
    space either side, aligned as rich aligns a cell that fits."""
    excess = width - size
    if justify == "right":
        return " " * (excess + 1) + text + " "
    if justify == "center":
        return " " * (excess // 2 + 1) + text + " " * (excess - excess // 2 + 1)
    return " " + text + " " * (excess + 1)


#: :func:`_aligned` as a format, for text one cell a character (str.format pads by length).
_ALIGN_FORMATS = {"right": " {:>%d} ", "center": " {:^%d} "}


def _padded_column(texts: Sequence[str], sizes: dict[str, int], width: int, justify: str,
                   narrow: bool) -> tuple[Iterable[str | None], bool]:
    """Each text of a column padded as :func:`_aligned` pads it (``None`` for a
    text that does not fit: rich wraps it), and whether all fit.  ``narrow``:
    every text is one cell a character, padded by a format, not one at a time.

    Rich strips the spaces that end a text it centres or puts right: such a
    text is left to rich too."""
    strips = justify in ("center", "right")
    fits = max(sizes.values(), default=0) <= width and min(sizes.values(), default=0) >= 0
    if narrow and fits and not (strips and " \0" in "\0".join(sizes) + "\0"):
        return map((_ALIGN_FORMATS.get(justify, " {:<%d} ") % width).format, texts), True
    pad = {text: _aligned(text, size, width, justify)
           for text, size in sizes.items()
           if 0 <= size <= width and not (strips and text[-1:].isspace())}
    return map(pad.get, texts), len(pad) == len(sizes)


class LongTable:
    """A rich ``Table`` of many rows (the certificate register), printed as rich
    would print it, in a fraction of the time.

    Rich lays out and renders every cell through its whole machinery, about a
    millisecond a row: minutes for 100,000.  Here rich lays out the table from
    the header and the few rows that set its column widths (the widest text and
    the longest word of each column), and prints its head and foot; a row whose
    every cell fits its column is written as one line, a row that must wrap is
    rendered by rich with the same widths.  ``make_table`` returns the table
    with its columns and no rows; ``columns`` are the cells column by column
    (each as long as the others), a cell plain text (``str``, no markup) or a
    styled ``Text`` (few: each is an object kept until the table is printed)."""

    def __init__(self, make_table, columns: Sequence[Sequence[str | Text]]) -> None:
        self.make_table = make_table
        self.columns = columns
        self.length = len(columns[0]) if columns else 0

    def _row(self, number: int) -> list[str | Text]:
        return [column[number] for column in self.columns]

    def _add(self, table: Table, row: Iterable[str | Text]) -> None:
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))

    def _full(self) -> Table:
        table = self.make_table()
        for row in zip(*self.columns):
            self._add(table, row)
        return table

    def _measure(self) -> bool:
        """Each column's plain texts (``self._texts``: a styled cell's text) and the
        width of each distinct text once (``self._sizes``: -1 for text that is not
        one printable line); whether every text of a column is one cell a
        character (``self._narrow``) and is one word (``self._one_word``: no
        space, one line); the rows with a styled cell (``self._styled``), and
        those with a cell of several styles, left to rich (``self._by_rich``).
        False when the columns are not the header's, or not all as long."""
        if (len(self.columns) != len(self.make_table().columns)
                or any(len(column) != self.length for column in self.columns)):
            return False
        self._texts: list[Sequence[str]] = []
        self._sizes: list[dict[str, int]] = []
        self._narrow: list[bool] = []
        self._one_word: list[bool] = []
        self._styled: set[int] = set()
        self._by_rich: set[int] = set()  # rows with a Text of several styles
        for column in self.columns:
            if set(map(type, column)) != {str}:
                self._styled.update(n for n, cell in enumerate(column) if type(cell) is not str)
                self._by_rich.update(n for n, cell in enumerate(column)
                                     if type(cell) is not str and cell.spans)
                column = [cell if type(cell) is str else cell.plain for cell in column]
            self._texts.append(column)
            distinct = dict.fromkeys(column)  # in order of first appearance
            joined = "".join(distinct)
            narrow = joined.isascii() and joined.isprintable()
            if narrow:  # numbers: one cell a character
                sizes = dict(zip(distinct, map(len, distinct)))
            elif ALL_WIDE.fullmatch(joined):  # names: two cells a character
                sizes = dict(zip(distinct, map((2).__mul__, map(len, distinct))))
            else:
                sizes = {text: line_cells(text) if text.isprintable() else -1 for text in distinct}
            self._sizes.append(sizes)
            self._narrow.append(narrow)
            self._one_word.append(" " not in joined and -1 not in sizes.values())
        return True

    def _widths(self, console: Console, options: ConsoleOptions) -> list[int] | None:
        """The content width of each column, as rich would lay out the whole table."""
        probe = self.make_table()
        if (probe.padding != (0, 1, 0, 1) or not probe.pad_edge or probe.width is not None
                or probe.box is None or not probe.show_edge or probe.show_lines
                or probe.leading or probe.show_footer or probe.row_styles
                or console.get_style(probe.style or "")
                or any(column.justify == "full" for column in probe.columns)):
            return None  # the line writer below knows one shape of table only
        if not self._measure():
            return None
        # Rich sizes a column by its widest line and its longest word: the rows
        # that hold them are enough to lay the table out as with every row.
        numbers = set()
        for texts, sizes, one_word in zip(self._texts, self._sizes, self._one_word):
            if one_word:  # its widest text is its longest word
                if sizes:
                    numbers.add(texts.index(max(sizes, key=sizes.__getitem__)))
                continue
            widths: dict[str, int] = {}  # text → its widest line
            words: dict[str, int] = {}  # text → its longest word
            for text, size in sizes.items():
                if size < 0:
                    lines = text.splitlines()
                    widths[text] = max(map(line_cells, lines), default=0)
                    words[text] = max(map(line_cells, text.split()), default=widths[text])
                elif " " in text:
                    words[text] = max(map(line_cells, text.split()), default=size)
            for measured in ({**sizes, **widths}, {**sizes, **widths, **words}):
                if measured:
                    numbers.add(texts.index(max(measured, key=measured.__getitem__)))
        for number in sorted(numbers):
            self._add(probe, self._row(number))
        widths = probe._calculate_column_widths(  # what Table.__rich_console__ calls
            console, options.update_width(options.max_width - probe._extra_width)
        )
        return [width - 2 for width in widths]

    def _fixed(self, widths: list[int], header: bool) -> Table:
        table = self.make_table()
        for column, width in zip(table.columns, widths):
            column.width = width
        if not header:
            table.show_header = False
            table.title = None
        return table

    def _rich_row(self, console: Console, options: ConsoleOptions, widths: list[int],
                  row: list[str | Text]) -> list[list[Segment]]:
        table = self._fixed(widths, header=False)
        self._add(table, row)
        lines = list(Segment.split_lines(console.render(table, options)))
        return lines[1:-1]  # without the top and bottom borders

    @staticmethod
    def _styled_pieces(console: Console, row: list[str | Text], cells: tuple[str, ...],
                       column_styles: list, justified: list[str], edge_style,
                       box: tuple[str, str, str]) -> list[tuple[str, object]]:
        """A row as (text, style) pieces, styled as rich styles its cells: the
        column's style on the whole cell, a Text's own style on its text and on
        the spaces that align it (but for the default justification)."""
        left, bar, right = box
        pieces = [(left, edge_style)]
        for index, (cell, text, column_style, justify) in enumerate(
                zip(row, cells, column_styles, justified)):
            if index:
                pieces.append((bar, edge_style))
            style = column_style
            if isinstance(cell, Text) and cell.style:
                own = console.get_style(cell.style)
                style = own if style is None else style + own
            if style is None:
                pieces.append((text, None))
            elif justify == "default":
                own_text = cell.plain if isinstance(cell, Text) else cell
                pieces += [(text[0], column_style), (own_text, style),
                           (text[1 + len(own_text):], column_style)]
            else:
                pieces += [(text[0], column_style), (text[1:-1], style),
                           (text[-1], column_style)]
        pieces.append((right, edge_style))
        return pieces

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self._widths(console, options) if self.length > 1 else None
        if widths is None or min(widths) < 1:
            yield self._full()
            return
        table = self._fixed(widths, header=True)
        self._add(table, self._row(0))
        head = list(Segment.split_lines(console.render(table, options)))
        first = self._rich_row(console, options, widths, self._row(0))
        foot = head[-1]
        head = head[: len(head) - 1 - len(first)]
        assert table.box is not None
        bar = table.box.mid_vertical
        edge_style = console.get_style(table.border_style) if table.border_style else None
        for line in head:
            yield from line
            yield Segment.line()
        left, right = table.box.mid_left, table.box.mid_right
        # Each text padded to its column as set_cell_size() pads text that fits;
        # a row with a text that does not (wider than its column, or not one
        # plain line) is left to rich, which wraps it.
        padded = []
        all_fit = True
        justified = [column.justify for column in table.columns]
        for texts, sizes, width, justify, narrow in zip(
                self._texts, self._sizes, widths, justified, self._narrow):
            cells, fit = _padded_column(texts, sizes, width, justify, narrow)
            padded.append(cells)
            all_fit = all_fit and fit
        rows = zip(*padded)
        styled = self._styled
        # rich styles a whole cell, its padding too, with its column's style
        column_styles = [console.get_style(column.style) if column.style else None
                         for column in table.columns]
        plain_columns = not any(column_styles)
        if all_fit and not styled and edge_style is None and plain_columns:  # plain lines
            lines = map(bar.join, rows)
            ending = right + "\n"
            while chunk := list(islice(lines, 1000)):  # one segment for many lines
                yield Segment(left + (ending + left).join(chunk) + ending)
            yield from foot
            yield Segment.line()
            return
        # Unstyled text not yet yielded, rows and parts of rows alike: rich handles
        # every segment in Python, so one segment for many lines.
        plain: list[str] = []
        for number, cells in enumerate(rows):
            wrapped = (not all_fit and None in cells) or number in self._by_rich
            if edge_style is None and plain_columns and number not in styled and not wrapped:
                plain.append(left + bar.join(cells) + right + "\n")
            elif wrapped:
                if plain:
                    yield Segment("".join(plain))
                    plain = []
                for line in self._rich_row(console, options, widths, self._row(number)):
                    yield from line
                    yield Segment.line()
                continue
            else:
                pieces = self._styled_pieces(console, self._row(number), cells, column_styles,
                                             justified, edge_style, (left, bar, right))
                for text, style in pieces:
                    if not style:
                        plain.append(text)
                        continue
                    if plain:
                        yield Segment("".join(plain))
                        plain = []
                    yield Segment(text, style)
                plain.append("\n")
            if len(plain) >= 1000:
                yield Segment("".join(plain))
                plain = []
        if plain:
            yield Segment("".join(plain))
        yield from foot
        yield Segment.line()
