"""The roll and the certificate register as Excel workbooks (.xlsx, openpyxl).

The roll workbook has two sheets: "名单", one row per winner for sorting and
filtering, and "光荣榜", the roll laid out as published (rolls.md) so a clerk
can print it or copy a grid into Word.  The register is one sheet, set up to
print on A4 landscape with room to sign.

openpyxl writes any string starting with ``=`` as a formula, which Excel, WPS
and LibreOffice would run; :meth:`_Rows.append` stores every text cell as text
instead (and marks it with Excel's quote prefix), so a name such as ``=1+1``
comes out exactly as typed and never runs.

openpyxl writes everything but the rows themselves: the workbook, the styles,
and each sheet's columns, panes, merged cells, filter and print setup.  The
rows (up to 900,000 cells for a roll of 100,000 winners) are written by
:class:`_FastRows` as the same XML text openpyxl writes for them, about 20 times
faster than openpyxl's own cells (25 µs a cell: 23 s for such a roll), and put
into openpyxl's sheet in place of its empty ``<sheetData>`` (:func:`_save`).
``_Rows`` is openpyxl's own way, kept as the reference: the tests write every
workbook both ways and compare every part of the two files byte for byte.

Over 500 lines because a workbook is one file: its two sheets share the
streamed row writer, the cell styles and the print setup that size columns and
rows to an A4 page, and splitting them would pass that state between modules.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from copy import copy
from io import BytesIO
from itertools import filterfalse, repeat
from operator import itemgetter

from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from .grid import ORDINARY, layout
from .tabular import WINNER_COLUMNS, winner_rows
from .text import grid_names, line_cells, work_proposer_line, wrap_cells
from .view import (
    ExportOptions,
    RegisterView,
    RollView,
    Section,
    register_columns,
    register_rows,
)

WINNERS_SHEET = "名单"
ROLL_SHEET = "光荣榜"
REGISTER_SHEET = "证书发放名册"

#: Column width limits in Excel's units (about one Latin character; a CJK character is two).
MIN_WIDTH = 6
MAX_WIDTH = 60
#: To fit the page, a text column is made no narrower than this (it wraps).
WRAP_MIN = 12
#: The printed width of a sheet at 100 % in column units (A4 less 1.5 cm margins:
#: 180 mm portrait, 267 mm landscape; a unit is 2.1 mm in Excel with 宋体 11 pt,
#: 2.5 mm in LibreOffice with the font it substitutes): sheets are made no wider,
#: so that "fit to width" prints them at full size.
PORTRAIT_UNITS = 72
LANDSCAPE_UNITS = 108
#: Room a cell needs beside its text (Excel's padding), in column units.
CELL_PAD = 2
#: The 光荣榜 sheet's column of work numbers (1. 2. … 13.).
NUMBER_WIDTH = 5
#: Row height of the register's rows, in points: room for a handwritten signature.
REGISTER_ROW_HEIGHT = 28
#: 1.5 cm page margins, in inches as openpyxl wants them.
MARGIN_INCHES = 1.5 / 2.54

#: The East Asian font of every cell: 宋体 is on every Chinese Windows and in WPS;
#: charset 134 (GB2312) tells Excel the font is Chinese, so a PC without it
#: substitutes a Chinese font (等线, 微软雅黑) rather than a Latin one.
FONT_NAME = "宋体"
FONT_SIZE = 11
_PLAIN = Font(name=FONT_NAME, size=FONT_SIZE, charset=134, family=3)
_BOLD = Font(name=FONT_NAME, size=FONT_SIZE, charset=134, family=3, bold=True)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _workbook() -> Workbook:
    """A streaming (write-only) workbook whose default font (empty cells, column
    width units) is Chinese.

    Write-only mode writes each row as it is appended, in constant time and
    memory; a normal workbook keeps every cell as an object and finds the last
    row by scanning them all, which made a 10,000-winner export take minutes.
    Everything a row needs (widths, heights, styles) is therefore worked out
    before the row is written."""
    from openpyxl.utils.indexed_list import IndexedList

    workbook = Workbook(write_only=True)
    workbook._fonts = IndexedList([_PLAIN])  # font 0: every unstyled cell's font
    return workbook


def _print_setup(sheet: WriteOnlyWorksheet, orientation: str, title_rows: str | None) -> None:
    """A4, one page wide (as many tall as needed), 1.5 cm margins, centred,
    ``title_rows`` (e.g. "1:2") repeated at the top of every printed page."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = margins.top = margins.bottom = MARGIN_INCHES
    margins.header = margins.footer = MARGIN_INCHES / 2
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.font = FONT_NAME


#: What XML cannot hold besides the control characters openpyxl refuses: lone
#: surrogates and U+FFFE, U+FFFF (lxml refuses them, aborting the export).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _cell(value: str | int) -> str | int:
    """A value safe to store: the control characters that openpyxl refuses (they
    cannot appear in XML) dropped, so one odd imported name cannot abort the
    whole export."""
    if isinstance(value, str) and not value.isprintable():  # every character refused is not
        value = _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


#: Set by the tests: write every row through openpyxl's own cells (the reference).
REFERENCE_WRITER = False


def _rows(sheet: WriteOnlyWorksheet) -> _Rows:
    # _FastRows writes what openpyxl writes through lxml (always there: python-docx
    # needs it); without lxml openpyxl writes otherwise, so it writes every row itself.
    return _Rows(sheet) if REFERENCE_WRITER or not LXML else _FastRows(sheet)


class _Rows:
    """Appends rows to a write-only sheet, counting them (the sheet cannot say),
    through openpyxl's own cells: the reference that :class:`_FastRows` matches."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.count = 0
        self._styles: dict[tuple, StyleArray] = {}
        self.chunks: list[bytes] | None = None  # rows written here, not by openpyxl

    def append(
        self,
        values: Iterable[str | int | None],
        font: Font | None = None,
        alignment: Alignment | Sequence[Alignment] | None = None,
        border: Border | None = None,
        height: float | None = None,
    ) -> int:
        """Append a row; text that openpyxl takes for a formula is stored as text.
        ``alignment`` is one for every cell or one per cell.  Returns the row number."""
        cells = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(self.sheet, _cell(value) if value is not None else None)
            if cell.data_type == "f":
                cell.data_type = "s"
                cell.quotePrefix = True
            if font is not None or alignment is not None or border is not None:
                each = alignment if alignment is None or isinstance(alignment, Alignment) \
                    else alignment[index]
                cell._style = copy(self._style(font, each, border, cell.quotePrefix))
            cells.append(cell)
        self.count += 1
        if height is not None:
            # read when the row is written, then dropped: no object per row is kept
            self.sheet.row_dimensions[self.count].height = height
        self.sheet.append(cells)
        if height is not None:
            del self.sheet.row_dimensions[self.count]
        return self.count

    def append_rows(
        self,
        rows: Iterable[Iterable[str | int | None]],
        heights: Sequence[float | None] | None = None,
        font: Font | None = None,
        alignment: Alignment | Sequence[Alignment] | None = None,
        border: Border | None = None,
    ) -> None:
        """Append rows styled alike; ``heights``, when given, one for each row."""
        for values, height in zip(rows, heights if heights is not None else repeat(None)):
            self.append(values, font=font, alignment=alignment, border=border, height=height)

    def _style(self, font: Font | None, alignment: Alignment | None, border: Border | None,
               quote: bool) -> StyleArray:
        """The style of a cell with these attributes, made once: assigning a font or
        an alignment to a cell hashes it and looks it up in the workbook's list,
        which cost more than writing the cell."""
        key = (font, alignment, border, quote)
        style = self._styles.get(key)
        if style is None:
            model = WriteOnlyCell(self.sheet)
            if font is not None:
                model.font = font
            if alignment is not None:
                model.alignment = alignment
            if border is not None:
                model.border = border
            model.quotePrefix = quote
            style = self._styles[key] = model._style
        return style


class _FastRows(_Rows):
    """The rows as the XML text openpyxl writes for them (with lxml installed, as
    it is with python-docx): the same bytes, from plain string formatting.

    A cell is ``<c r="B7" s="2" t="n"><v>1</v></c>``: its place, its style's
    index in the workbook (registered through openpyxl in the order openpyxl
    would meet it, so the indexes are the same), its type and value; text goes
    inline (``<is><t>``), escaped as lxml escapes it, every character outside
    ASCII as a character reference.  Only the values the renderers give are
    known here: text, whole numbers and ``None``.

    Rows styled alike, of the same height, whose cells are of the same types and
    empty or not, have one shape: their XML is one format string with the row
    number and the values put in (:class:`_RowShape`), made from the first such
    row, so a register of 100,000 rows is written a row at a time, not a cell at
    a time.  A row with text that must be escaped, marked or cut is written cell
    by cell."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        super().__init__(sheet)
        self.chunks = []
        self._signatures: dict[tuple, dict[int, str]] = {}  # → column → ' s="N"' or ''
        self._kept: list[tuple] = []
        self._heights: dict[float, str] = {}  # row height → its attributes
        self._letters: list[str] = []
        self._shapes: dict[tuple, _RowShape] = {}

    def append(
        self,
        values: Iterable[str | int | None],
        font: Font | None = None,
        alignment: Alignment | Sequence[Alignment] | None = None,
        border: Border | None = None,
        height: float | None = None,
    ) -> int:
        self.append_rows([values], [height], font=font, alignment=alignment, border=border)
        return self.count

    def append_rows(
        self,
        rows: Iterable[Iterable[str | int | None]],
        heights: Sequence[float | None] | None = None,
        font: Font | None = None,
        alignment: Alignment | Sequence[Alignment] | None = None,
        border: Border | None = None,
    ) -> None:
        per_cell = alignment is not None and not isinstance(alignment, Alignment)
        # The style of each column for rows styled alike, looked up by the identity
        # of the style objects: hashing one costs more than writing its cell.
        if per_cell:
            signature = (id(font), id(border), *map(id, alignment))
        else:
            signature = (id(font), id(border), id(alignment))
        styles = self._signatures.get(signature)
        if styles is None:
            styles = self._signatures[signature] = {}
            # kept alive, so that no id in a signature is ever reused
            self._kept.append((font, border, tuple(alignment) if per_cell else alignment))
        shapes = self._shapes
        rows = [values if type(values) is list or type(values) is tuple else tuple(values)
                for values in rows]
        # Rows whose every column is of one type, each cell empty or each not, and
        # plain (a register, a list of winners) are all of one shape but for their
        # height: checked a column at a time, not a row at a time.
        uniform = _uniform_shape(rows)
        written: list[str] = []
        for values, height in zip(rows, heights if heights is not None else repeat(None)):
            self.count += 1
            if uniform is not None:
                key = (signature, height, *uniform)
            else:
                key = (signature, height, tuple(map(type, values)), tuple(map(bool, values)))
            shape = shapes.get(key)
            if shape is None:
                if _RowShape.fits(values):
                    shape = shapes[key] = self._shape(values, height, styles, font, alignment,
                                                      border)
                fits = shape is not None
            else:
                fits = uniform is not None or shape.holds(values)
            if fits:
                written.append(shape.write(self.count, *values))
            else:
                number = str(self.count)
                cells = [self._any_cell(f"{self._letter(index)}{number}", value, styles,
                                        index, font, alignment, border)
                         for index, value in enumerate(values)]
                written.append(
                    f'<row r="{number}"{self._attributes(height)}>{"".join(cells)}</row>')
            if len(written) == _ROWS_A_CHUNK:
                self.chunks.append("".join(written).encode("ascii", "xmlcharrefreplace"))
                written.clear()
        if written:
            self.chunks.append("".join(written).encode("ascii", "xmlcharrefreplace"))

    def _shape(self, values: Sequence[str | int | None], height: float | None,
               styles: dict[int, str], font: Font | None,
               alignment: Alignment | Sequence[Alignment] | None,
               border: Border | None) -> _RowShape:
        """The shape of a row that fits one, made before any other cell of the row
        is written, so that its styles are registered where openpyxl registers them."""
        cells = [self._cell(f"{self._letter(index)}{{0}}", value, index, styles, font,
                            alignment, border)
                 for index, value in enumerate(values)]
        return _RowShape(f'<row r="{{0}}"{self._attributes(height)}>{"".join(cells)}</row>',
                         values)

    def _letter(self, index: int) -> str:
        letters = self._letters
        while index >= len(letters):
            letters.append(get_column_letter(len(letters) + 1))
        return letters[index]

    def _attributes(self, height: float | None) -> str:
        """A row's attributes besides its number: its height, as openpyxl writes it."""
        if height is None:
            return ""
        attributes = self._heights.get(height)
        if attributes is None:
            dimension = RowDimension(self.sheet, index=self.count, ht=height)
            attributes = self._heights[height] = "".join(
                f' {name}="{value}"' for name, value in dimension if name != "r")
        return attributes

    def _cell(self, place: str, value: str | int | None, index: int, styles: dict[int, str],
              font: Font | None, alignment: Alignment | Sequence[Alignment] | None,
              border: Border | None) -> str:
        """A cell of a row shape: ``{N}`` where the row's N-th value goes (1-based)."""
        if type(value) is int:  # a number's cell, with the value's place in it
            cell = self._any_cell(place, 0, styles, index, font, alignment, border)
            return cell.replace("<v>0</v>", f"<v>{{{index + 1}}}</v>")
        if value:
            value = f"{{{index + 1}}}"
        return self._any_cell(place, value, styles, index, font, alignment, border)

    def _column_style(self, styles: dict[int, str], index: int, font: Font | None,
                      alignment: Alignment | Sequence[Alignment] | None, border: Border | None,
                      quote: bool = False) -> str:
        """``' s="N"'`` for a cell of this column in rows styled alike (``""`` for no
        style).  A style is registered with the workbook where openpyxl would: at
        the first cell that has it, so every style gets openpyxl's index."""
        each = alignment if alignment is None or isinstance(alignment, Alignment) \
            else alignment[index]
        array = self._style(font, each, border, quote)
        style = f' s="{self.sheet.parent._cell_styles.add(array)}"' if any(array) else ""
        if not quote:
            styles[index] = style
        return style

    def _any_cell(self, place: str, value: object, styles: dict[int, str], index: int,
                  font: Font | None, alignment: Alignment | Sequence[Alignment] | None,
                  border: Border | None) -> str:
        """Any cell as openpyxl writes it ("" for one it leaves out)."""
        quote = False
        text = ""
        if value is None:
            kind = None
        elif type(value) is str:
            text = _cell(value)[:32767]  # openpyxl cuts text at Excel's limit
            if len(text) > 1 and text[0] == "=":
                kind, quote = "inlineStr", True  # stored as text, shown as typed
            elif text in ERROR_CODES:
                kind = "e"
            else:
                kind = "inlineStr"
        elif type(value) is int or type(value) is float:
            kind = "n"
        else:
            raise TypeError(f"no cell for a {type(value).__name__}")
        style = None if quote else styles.get(index)
        if style is None:
            style = self._column_style(styles, index, font, alignment, border, quote)
        if kind is None:
            return f'<c r="{place}"{style} t="n"></c>' if style else ""
        if kind == "n":
            number = f"{value:.16g}" if value == value and value not in (_INF, -_INF) else ""
            return f'<c r="{place}"{style} t="n"><v>{number}</v></c>'
        if not text:
            return f'<c r="{place}"{style} t="inlineStr"></c>'
        if "&" in text or "<" in text or ">" in text or "\r" in text:
            text = (text.replace("&", "&amp;").replace("<", "&lt;")
                    .replace(">", "&gt;").replace("\r", "&#13;"))
        if kind == "e":
            return f'<c r="{place}"{style} t="e"><v>{text}</v></c>'
        space = ' xml:space="preserve"' if text[0] in _SPACES or text[-1] in _SPACES else ""
        return f'<c r="{place}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


class _RowShape:
    """The XML of the rows of one shape as a format string, and the test that a
    row's values go into it as they are: whole numbers openpyxl writes as ``str``
    writes them, text that is printable, needs no escaping and no
    ``xml:space``, is no formula or error code, and fits in a cell."""

    __slots__ = ("template", "write", "_texts", "_numbers")

    def __init__(self, template: str, values: tuple) -> None:
        self.template = template
        #: ``write(row number, *values)`` is ``template.format(row number, *values)``
        self.write = _formatter(template, len(values))
        self._texts = _getter([i for i, value in enumerate(values)
                               if type(value) is str and value])
        self._numbers = _getter([i for i, value in enumerate(values) if type(value) is int])

    @staticmethod
    def fits(values: tuple) -> bool:
        """Whether a row of these values makes a shape."""
        return (all(type(value) in _SHAPED_TYPES for value in values)
                and _RowShape.plain([value for value in values if type(value) is str and value])
                and _exact([value for value in values if type(value) is int]))

    def holds(self, values: tuple) -> bool:
        return self.plain(self._texts(values)) and _exact(self._numbers(values))

    @staticmethod
    def plain(texts: Sequence[str]) -> bool:
        """Whether each of ``texts`` (none empty) goes into a cell as it is."""
        joined = "".join(texts)
        return (joined.isprintable() and "&" not in joined and "<" not in joined
                and ">" not in joined and max(map(len, texts), default=0) <= 32767
                and _SPECIAL_START.isdisjoint(map(_FIRST, texts))
                and " " not in map(_LAST, texts))


def _uniform_shape(rows: list[Sequence[object]]) -> tuple[tuple, tuple] | None:
    """The types of the cells of every row and whether each is empty, when they are
    the same in every row and every row fits a shape; else ``None``."""
    if len(rows) < _UNIFORM_ROWS or len(set(map(len, rows))) != 1:
        return None
    for index in range(len(rows[0])):
        column = list(map(itemgetter(index), rows))
        kinds = set(map(type, column))
        if len(kinds) != 1 or not kinds <= _SHAPED_TYPES:
            return None
        if kinds == {int}:
            if not _exact(column):
                return None
        elif kinds == {str}:
            texts = list(filter(None, column))
            if texts and (len(texts) != len(column) or not _RowShape.plain(texts)):
                return None
    first = rows[0]
    return tuple(map(type, first)), tuple(map(bool, first))


#: Rows enough to be worth checking a column at a time.
_UNIFORM_ROWS = 64


def _formatter(template: str, count: int):
    """``template.format`` for a row number and ``count`` values, as a function
    made once from an f-string: an f-string is compiled, where ``str.format``
    reads its template again for every row (twice the time).  The function is
    made from the template's own text, held as constants, and the names of its
    arguments: no value ever becomes code."""
    parts = re.split(r"\{(\d+)\}", template)  # text, argument number, text, …
    constants: dict[str, str] = {}
    pieces = []
    for index, part in enumerate(parts):
        if index % 2:
            pieces.append(f"{{a{part}}}")
        elif part:
            constants[f"t{index}"] = part
            pieces.append(f"{{t{index}}}")
    arguments = ", ".join(f"a{number}" for number in range(count + 1))
    return eval(f'lambda {arguments}: f"{"".join(pieces)}"', constants)  # noqa: S307


def _exact(numbers: Sequence[int]) -> bool:
    """Whether whole numbers are all ones openpyxl writes as ``str`` writes them."""
    return not numbers or (-_EXACT < min(numbers) and max(numbers) < _EXACT)


def _getter(indices: list[int]):
    """A function from a row's values to a tuple of those at ``indices``."""
    if len(indices) > 1:
        return itemgetter(*indices)
    if indices:
        only = indices[0]
        return lambda values: (values[only],)
    return lambda values: ()


_SHAPED_TYPES = frozenset((str, int, type(None)))
#: Rows made into bytes together: one encoding call for many rows, in bounded memory.
_ROWS_A_CHUNK = 1000
#: Bytes of rows handed to the zip stream at once.
_WRITTEN_AT_ONCE = 4 << 20
_FIRST, _LAST = itemgetter(0), itemgetter(-1)


_INF = float("inf")
#: Whole numbers openpyxl writes as str() writes them ("%.16g" otherwise).
_EXACT = 10**15
#: First characters that make text a formula, an error code or need xml:space.
_SPECIAL_START = frozenset("=# ")
#: What str.strip() strips: openpyxl marks text starting or ending with one as
#: xml:space="preserve".
#: (Every character whose str.isspace() is true; a test checks the list.)
_SPACES = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
                    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _width(value: object) -> int:
    """Display width of a cell's longest line: CJK characters count double."""
    text = "" if value is None else str(value)
    lines = text.splitlines()
    if len(lines) == 1:  # the common case, without a generator
        return line_cells(text)
    return max(map(line_cells, lines), default=0)


def _widest(values: set) -> int:
    """The width of the widest of ``values`` (distinct): whole numbers by the
    smallest and the largest, printable ASCII (certificate numbers) by length, at
    once; other text longest first, until no text left can be wider (a
    character is at most two cells)."""
    widest = 0
    numbers = {value for value in values if type(value) is int}
    if numbers:
        widest = max(len(str(min(numbers))), len(str(max(numbers))))
        values = values - numbers
    texts = [value if type(value) is str else "" if value is None else str(value)
             for value in values]
    plain = list(filter(str.isascii, texts))
    if plain:
        widest = max(widest, max(map(len, plain)) if "".join(plain).isprintable()
                     else max(map(_width, plain)))
    for text in sorted(filterfalse(str.isascii, texts), key=len, reverse=True):
        if 2 * len(text) <= widest:
            break
        widest = max(widest, _width(text))
    return widest


def _column_widths(rows: Sequence[Sequence[object]], extra: int = 2) -> dict[int, int]:
    """Each column's width (1-based) from the widest value given for it (each
    distinct value measured once: a column of 100,000 rows repeats most)."""
    widths = {index + 1: _widest(set(_column(rows, index)))
              for index in range(max(map(len, rows), default=0))}
    return {index: min(MAX_WIDTH, max(MIN_WIDTH, width + extra))
            for index, width in widths.items()}


def _bounded(widths: dict[int, float], rows: Sequence[Sequence[object]],
             wrappable: Iterable[int], page: float) -> list[int]:
    """Bound ``widths`` (in place) so that the sheet fits ``page`` units, its
    printed width at 100 %; the columns made narrower than their text, whose
    text must wrap.  Only ``wrappable`` columns are narrowed: each keeps at
    least :data:`WRAP_MIN` (or its own width, if less), and the room left is
    shared in proportion to how much text each column holds in all ``rows``
    (a long category path repeated on every row gets more than a column of
    short names), none getting more than its text needs."""
    wrappable = [index for index in wrappable if index in widths]
    room = page - sum(width for index, width in widths.items() if index not in wrappable)
    if sum(widths[index] for index in wrappable) <= room:
        return []
    given = {index: min(widths[index], WRAP_MIN) for index in wrappable}
    weights = {index: 1 + sum(_width(value) * count for value, count in
                              Counter(_column(rows, index - 1)).items())
               for index in wrappable}
    hungry = [index for index in wrappable if given[index] < widths[index]]
    left = room - sum(given.values())
    while hungry and left > 0.5:
        total = sum(weights[index] for index in hungry)
        shares = {index: left * weights[index] / total for index in hungry}
        full = [index for index in hungry if given[index] + shares[index] >= widths[index]]
        if not full:
            for index in hungry:
                given[index] += shares[index]
            break
        for index in full:
            left -= widths[index] - given[index]
            given[index] = widths[index]
            hungry.remove(index)
    narrowed = [index for index in wrappable if given[index] < widths[index]]
    for index in narrowed:
        widths[index] = int(given[index])
    return narrowed


def _column(rows: Sequence[Sequence[object]], index: int) -> Iterable[object]:
    """The values of a column (0-based), ``None`` in rows too short to reach it."""
    if min(map(len, rows)) > index:
        return map(itemgetter(index), rows)
    return (row[index] if index < len(row) else None for row in rows)


def _most_lines(rows: Sequence[Sequence[object]], columns: Iterable[int],
                widths: dict[int, float]) -> list[int]:
    """For each row, the most lines a value of ``columns`` (1-based) takes wrapped
    in its column (at least 1); each distinct value measured once."""
    most = [1] * len(rows)
    for column in columns:
        values = list(_column(rows, column - 1))
        distinct = set(values)
        if set(map(type, distinct)) == {str} and _on_one_line("".join(distinct), max(
                map(len, distinct)), widths[column]):
            continue  # every value on one line (a column of names)
        lines = {value: _wrapped_lines(widths[column], value) for value in distinct}
        most = list(map(max, most, map(lines.__getitem__, values)))
    return most


def _height(lines: int, extra: float = 0) -> float | None:
    """A row's height for ``lines`` lines of 11 pt text (``None``: the default
    height of one line, which Excel sets itself)."""
    return lines * LINE_HEIGHT + extra if lines > 1 else None


def _set_widths(sheet: WriteOnlyWorksheet, widths: dict[int, float]) -> None:
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width


# -- the roll ----------------------------------------------------------------------------

#: Columns of the 名单 sheet whose text may wrap (category path, name, title,
#: affiliation, note); the others (序号, 类型, 证书编号) are kept on one line.
WINNER_TEXT_COLUMNS = (1, 3, 5, 6, 7)
#: 序号: its own narrow column, centred, so the number never runs into the name.
SEQUENCE_COLUMN = 2


def _winners_sheet(sheet: WriteOnlyWorksheet, view: RollView) -> _Rows:
    rows = winner_rows(view)
    # Extra width leaves room for the autofilter's drop-down button in the header cells.
    widths = _column_widths([WINNER_COLUMNS, *rows], extra=4)
    # Long paths and titles wrap in columns of readable width rather than
    # widening the sheet until "fit to width" prints it too small to read.
    wrapped = _bounded(widths, rows, WINNER_TEXT_COLUMNS, LANDSCAPE_UNITS)
    _set_widths(sheet, widths)
    # Keep the header in view while scrolling, and let the clerk filter by category.
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WINNER_COLUMNS))}{len(rows) + 1}"
    _print_setup(sheet, "landscape", "1:1")

    top = Alignment(vertical="top")
    centred = Alignment(horizontal="center", vertical="top")
    alignments = [
        Alignment(vertical="top", wrap_text=True) if index in wrapped
        else centred if index == SEQUENCE_COLUMN else top
        for index in range(1, len(WINNER_COLUMNS) + 1)
    ]
    out = _rows(sheet)
    out.append(WINNER_COLUMNS, font=_BOLD, alignment=Alignment(horizontal="center"),
               border=_BOX)
    heights: list[float | None] = [None] * len(rows)
    if wrapped:
        heights = [_height(lines, ROW_PADDING) for lines in _most_lines(rows, wrapped, widths)]
    out.append_rows(rows, heights, alignment=alignments, border=_BOX)
    return out


#: One row of the 光荣榜 sheet: its values, font, alignment, height, and the
#: cells merged in it as (first column, last column).
_RollRow = tuple[list, Font | None, Alignment | None, float | None, list[tuple[int, int]]]

_TOP = Alignment(vertical="top")
_WRAPPED = Alignment(vertical="top", wrap_text=True)
_NUMBER = Alignment(horizontal="right", vertical="top")


class _RollLayout:
    """The 光荣榜 sheet's columns: an optional narrow column for the numbers of
    works (so a wrapped title hangs under its first character, not under the
    number), then the grid's columns, all of one width, spread over the printed
    width of an A4 portrait page at 100 %."""

    def __init__(self, view: RollView, options: ExportOptions) -> None:
        sections = list(view.walk())
        self.options = options
        self.grids = [s for s in sections if s.entries and s.kind != "work"]
        works = [s for s in sections if s.entries and s.kind == "work"]
        self.lead = 1 if works else 0
        if works:
            longest = max(entry.position for s in works for entry in s.entries)
            self.number_width = max(NUMBER_WIDTH, len(f"{longest}.") + CELL_PAD)
        else:
            self.number_width = 0
        self.columns = max((max(1, s.columns) for s in self.grids), default=1)
        self.cell = min(MAX_WIDTH, (PORTRAIT_UNITS - self.number_width) / self.columns)
        self.last = self.lead + self.columns  # the last column, 1-based
        self.widths = {index: self.cell for index in range(self.lead + 1, self.last + 1)}
        if self.lead:
            self.widths[1] = self.number_width

    def span_width(self, first: int, last: int) -> float:
        return sum(self.widths[index] for index in range(first, last + 1))

    def text_row(self, text: str, first: int, font: Font | None = None,
                 size: float = FONT_SIZE, alignment: Alignment = _WRAPPED) -> _RollRow:
        """A line of text (heading, title, proposer) over the columns from
        ``first`` to the last, wrapping there; as tall as its lines."""
        scale = size / FONT_SIZE  # larger text: fewer characters a line, taller lines
        lines = _wrapped_lines(self.span_width(first, self.last) / scale, text)
        height = (lines * LINE_HEIGHT * scale + ROW_PADDING
                  if lines > 1 or size != FONT_SIZE else None)
        values = [None] * (first - 1) + [text]
        merged = [(first, self.last)] if self.last > first else []
        return values, font, alignment, height, merged

    def grid_rows(self, section: Section) -> list[_RollRow]:
        """The section's names in its columns (:func:`~.grid.layout`), each cell
        as many sheet columns as the section's ordinary names need (merged: a
        three-column grid of units on a sheet of five-column grids of people),
        a long name over as many cells as it needs, one wider than the row
        wrapped in it."""
        names = grid_names(section, self.options.padding, self.options.with_affiliation)
        wanted = min(self.columns, max(1, section.columns))
        each = max(1, min(self.columns, -int(-_ordinary_units(names) // self.cell)))
        wanted = max(1, min(wanted, self.columns // each))
        grid = layout(names, wanted, wanted * each * self.cell, _units, 0.0,
                      cell=each * self.cell)
        rows: list[_RollRow] = []
        for placed in grid.rows:
            values: list = [None] * self.lead
            merged = []
            lines = 1
            for name, span in placed:
                column = len(values) + 1
                values += [name] + [None] * (span * each - 1)
                if span * each > 1:
                    merged.append((column, column + span * each - 1))
                if span == grid.columns:
                    lines = max(lines, _wrapped_lines(grid.width(span, 0.0), name))
            rows.append((values, None, _WRAPPED if merged or lines > 1 else None,
                         _height(lines, ROW_PADDING), merged))
        return rows


def _units(text: str) -> float:
    """The width a grid name needs in a cell, in column units."""
    return _width(text) * CHARACTER_UNITS / 2 + CELL_PAD


def _ordinary_units(names: Sequence[str]) -> float:
    """The width that the section's ordinary names (all but its longest tenth) need."""
    ranked = sorted(map(_units, names))
    return ranked[int(ORDINARY * (len(ranked) - 1))] if ranked else 0.0


def _section_rows(section: Section, sheet: _RollLayout, rows: list[_RollRow]) -> None:
    """The section as text.py lays it out, a cell per grid name and a blank row
    between blocks.  Headings, descriptions, work titles and proposer lines are
    merged over the grid's columns and wrap there; a work's number has its own
    column, so its title and proposer wrap under their first character."""
    blank: _RollRow = ([], None, None, None, [])
    rows.append(sheet.text_row(section.heading, 1, _BOLD))
    rows.append(blank)
    if section.description:
        rows.append(sheet.text_row(section.description, 1))
        rows.append(blank)
    if section.kind == "work":
        first = 1 + sheet.lead
        for entry in section.entries:
            values, font, alignment, height, merged = sheet.text_row(entry.name, first)
            values[0] = f"{entry.position}."
            rows.append((values, font, [_NUMBER, *[_WRAPPED] * (len(values) - 1)],
                         height, merged))
            if entry.proposer:
                rows.append(sheet.text_row(work_proposer_line(section, entry, sheet.options),
                                           first))
            rows.append(blank)
    elif section.entries:
        rows += sheet.grid_rows(section)
        rows.append(blank)
    for child in section.children:
        _section_rows(child, sheet, rows)


def _roll_sheet(sheet: WriteOnlyWorksheet, view: RollView, options: ExportOptions) -> _Rows:
    columns = _RollLayout(view, options)
    rows: list[_RollRow] = []
    if view.printed_title:
        rows.append(columns.text_row(
            view.printed_title, 1, Font(name=FONT_NAME, charset=134, bold=True, size=16),
            16, Alignment(horizontal="center", vertical="center", wrap_text=True)))
        rows.append(([], None, None, None, []))
    for section in view.sections:
        _section_rows(section, columns, rows)
    _set_widths(sheet, columns.widths)
    _print_setup(sheet, "portrait", None)
    for number, (_, _, _, _, merged) in enumerate(rows, start=1):
        for first, last in merged:
            sheet.merged_cells.add(CellRange(min_row=number, min_col=first, max_row=number,
                                             max_col=last))
    out = _rows(sheet)
    for values, font, alignment, height, _ in rows:
        out.append(values, font=font, alignment=alignment, height=height)
    return out


#: zlib's level for the file: 3 packs a roll of 100,000 winners (49 MB of XML) in a
#: third of the time of the default 6, into a file about 12% larger.
_PACKING = 3
#: What openpyxl writes for a sheet no row was appended to.
_EMPTY_ROWS = b"<sheetData></sheetData>"


def _save(workbook: Workbook, *sheets: _Rows) -> bytes:
    """The workbook as openpyxl writes it, with the rows :class:`_FastRows` wrote
    put into their sheets (openpyxl wrote each as ``<sheetData></sheetData>``).
    Every other part of the file is copied as it is."""
    buffer = BytesIO()
    workbook.save(buffer)
    rows = {out.sheet.path.lstrip("/"): out.chunks for out in sheets if out.chunks is not None}
    if not rows:
        return buffer.getvalue()
    result = BytesIO()
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                            compresslevel=_PACKING) as target:
        for info in source.infolist():
            data = source.read(info)
            chunks = rows.get(info.filename)
            if chunks is None:
                target.writestr(info, data)
                continue
            head, empty, tail = data.partition(_EMPTY_ROWS)
            if not empty or _EMPTY_ROWS in tail:
                raise RuntimeError(f"openpyxl wrote {info.filename} unexpectedly")
            with target.open(info.filename, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                batch: list[bytes] = []  # a few MB at a time: chunks are a row or many
                size = 0
                for chunk in chunks:
                    batch.append(chunk)
                    size += len(chunk)
                    if size >= _WRITTEN_AT_ONCE:
                        stream.write(b"".join(batch))
                        batch, size = [], 0
                stream.write(b"".join(batch) + b"</sheetData>" + tail)
    return result.getvalue()


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    workbook = _workbook()
    winners = _winners_sheet(workbook.create_sheet(WINNERS_SHEET), view)
    roll = _roll_sheet(workbook.create_sheet(ROLL_SHEET), view, options)
    return _save(workbook, winners, roll)


# -- the certificate register ------------------------------------------------------------


#: Height of one line of 11 pt text, in points, and the room above and below
#: the lines of a row.
LINE_HEIGHT = 15
ROW_PADDING = 3
#: What a CJK character takes of a column, in column units: 1.83 in Excel and WPS
#: with 宋体 11 pt (a unit is 8 pixels, the character 14.7), 1.6 in LibreOffice;
#: a little more is assumed, since Excel does not fit rows on open and a row
#: must be tall enough for its lines.
CHARACTER_UNITS = 1.9


def _usable(width: float | None) -> int:
    """The display cells of text a column ``width`` units wide holds on a line."""
    return max(2, int(((width or MAX_WIDTH) - CELL_PAD / 2) * 2 / CHARACTER_UNITS))


def _wrapped_lines(width: float | None, value: object) -> int:
    """How many lines ``value`` takes once wrapped in a column ``width`` wide, by
    the Chinese line-breaking rules (:func:`~.text.wrap_cells`)."""
    text = "" if value is None else str(value)
    if _on_one_line(text, len(text), width):
        return 1
    usable = _usable(width)
    return sum(len(wrap_cells(line, usable)) for line in text.splitlines() or [""])


def _on_one_line(text: str, longest: int, width: float | None) -> bool:
    """Whether text (or texts joined), none longer than ``longest``, fits on one
    line of a column ``width`` wide: no line break is printable, and no
    character is wider than two cells."""
    return 2 * longest <= _usable(width) and text.isprintable()


#: Widths of 签收 and 日期: wide enough for a handwritten name and date.
SIGN_WIDTH = 18
DATE_WIDTH = 14


def render_register(register: RegisterView) -> bytes:
    workbook = _workbook()
    sheet = workbook.create_sheet(REGISTER_SHEET)
    columns = register_columns(register)
    last = get_column_letter(len(columns))
    rows = register_rows(register, with_works=True, columns=columns)
    text_columns = [
        columns.index(name) + 1 for name in ("获奖者", "单位", "荣誉") if name in columns
    ]
    widths = _column_widths([columns, *rows], extra=4)
    widths[columns.index("签收") + 1] = SIGN_WIDTH
    widths[columns.index("日期") + 1] = DATE_WIDTH
    _bounded(widths, rows, text_columns, LANDSCAPE_UNITS)  # every text column wraps already
    _set_widths(sheet, widths)
    # Printing: A4 landscape, one page wide, header repeated on every page.
    _print_setup(sheet, "landscape", "1:2")
    sheet.freeze_panes = "A3"
    sheet.merged_cells.add(f"A1:{last}1")

    out = _rows(sheet)
    out.append([register.title], font=Font(name=FONT_NAME, charset=134, bold=True, size=16),
               alignment=Alignment(horizontal="center", vertical="center"), height=32)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    out.append(columns, font=_BOLD, alignment=centred, border=_BOX, height=REGISTER_ROW_HEIGHT)
    # Sequence and certificate numbers centred; names and honours read left.
    alignments = [left if index in text_columns else centred
                  for index in range(1, len(columns) + 1)]
    # A long honour (or a work's title on its second line) wraps: make the row
    # tall enough for the wrapped lines rather than clipping them.
    heights = [max(REGISTER_ROW_HEIGHT, lines * LINE_HEIGHT + 6)
               for lines in _most_lines(rows, text_columns, widths)]
    out.append_rows(rows, heights, alignment=alignments, border=_BOX)
    return _save(workbook, out)
