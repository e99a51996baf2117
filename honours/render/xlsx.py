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
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from io import BytesIO
from itertools import zip_longest

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
from rich.cells import cell_len

from .tabular import WINNER_COLUMNS, winner_rows
from .text import grid_rows, work_proposer_line
from .view import (
    ExportOptions,
    RegisterRow,
    RegisterView,
    RollView,
    Section,
    register_cells,
    register_columns,
)

WINNERS_SHEET = "名单"
ROLL_SHEET = "光荣榜"
REGISTER_SHEET = "证书发放名册"

#: Column width limits in Excel's units (about one Latin character; a CJK character is two).
MIN_WIDTH = 6
MAX_WIDTH = 60
#: Columns of the 名单 sheet wider than this wrap their text instead.
WRAP_WIDTH = 36
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
    known here: text, whole numbers and ``None``."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        super().__init__(sheet)
        self.chunks = []
        self._signatures: dict[tuple, dict[int, str]] = {}  # → column → ' s="N"' or ''
        self._kept: list[tuple] = []
        self._heights: dict[float, str] = {}  # row height → its attributes
        self._letters: list[str] = []

    def append(
        self,
        values: Iterable[str | int | None],
        font: Font | None = None,
        alignment: Alignment | Sequence[Alignment] | None = None,
        border: Border | None = None,
        height: float | None = None,
    ) -> int:
        self.count += 1
        row = str(self.count)
        letters = self._letters
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
        cells = []
        for index, value in enumerate(values):
            if index >= len(letters):
                letters.append(get_column_letter(index + 1))
            # The common cells first: printable text that needs no escaping, no
            # xml:space and is no formula or error code; small whole numbers.
            if type(value) is str:
                if (value and value.isprintable() and value[0] not in _SPECIAL_START
                        and value[-1] != " " and len(value) <= 32767 and "&" not in value
                        and "<" not in value and ">" not in value):
                    style = styles.get(index)
                    if style is None:
                        style = self._column_style(styles, index, font, alignment, border)
                    cells.append(f'<c r="{letters[index]}{row}"{style} t="inlineStr">'
                                 f"<is><t>{value}</t></is></c>")
                    continue
                if not value:
                    style = styles.get(index)
                    if style is None:
                        style = self._column_style(styles, index, font, alignment, border)
                    cells.append(f'<c r="{letters[index]}{row}"{style} t="inlineStr"></c>')
                    continue
            elif type(value) is int and -_EXACT < value < _EXACT:
                style = styles.get(index)
                if style is None:
                    style = self._column_style(styles, index, font, alignment, border)
                cells.append(f'<c r="{letters[index]}{row}"{style} t="n"><v>{value}</v></c>')
                continue
            cell = self._any_cell(f"{letters[index]}{row}", value, styles, index, font,
                                  alignment, border)
            if cell:
                cells.append(cell)
        attributes = ""
        if height is not None:
            attributes = self._heights.get(height)
            if attributes is None:
                dimension = RowDimension(self.sheet, index=self.count, ht=height)
                attributes = self._heights[height] = "".join(
                    f' {name}="{value}"' for name, value in dimension if name != "r")
        self.chunks.append(f'<row r="{row}"{attributes}>{"".join(cells)}</row>'
                           .encode("ascii", "xmlcharrefreplace"))
        return self.count

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
        if text.isascii() and text.isprintable():
            return len(text)
        return 2 * len(text) if _ALL_WIDE.fullmatch(text) else cell_len(text)
    return max((cell_len(line) for line in lines), default=0)


def _widest(values: Iterable[object]) -> int:
    """The width of the widest of ``values``: at once for a column of printable
    ASCII (numbers, certificate numbers), else value by value."""
    texts = [value if type(value) is str else "" if value is None else str(value)
             for value in values]
    joined = "".join(texts)
    if joined.isascii() and joined.isprintable():
        return max(map(len, texts), default=0)
    wide = _ALL_WIDE.fullmatch
    # Chinese names (two cells a character) at once, the rest value by value.
    return max(max((2 * len(text) for text in texts if wide(text)), default=0),
               max((_width(text) for text in texts if not wide(text)), default=0))


#: Text of CJK unified ideographs only (most names): two cells a character.
_ALL_WIDE = re.compile("[\u4e00-\u9fff]+")


def _column_widths(rows: Iterable[Sequence[object]], extra: int = 2) -> dict[int, int]:
    """Each column's width (1-based) from the widest value given for it (each
    distinct value measured once: a column of 100,000 rows repeats most)."""
    widths = {index: _widest(set(column))
              for index, column in enumerate(zip_longest(*rows), start=1)}
    return {index: min(MAX_WIDTH, max(MIN_WIDTH, width + extra))
            for index, width in widths.items()}


def _set_widths(sheet: WriteOnlyWorksheet, widths: dict[int, float]) -> None:
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width


# -- the roll ----------------------------------------------------------------------------


def _winners_sheet(sheet: WriteOnlyWorksheet, view: RollView) -> _Rows:
    rows = winner_rows(view)
    # Extra width leaves room for the autofilter's drop-down button in the header cells.
    widths = _column_widths([WINNER_COLUMNS, *rows], extra=4)
    # Long paths and titles wrap in a column of readable width rather than
    # widening the sheet until "fit to width" prints it too small to read.
    wrapped = [index for index in range(1, len(WINNER_COLUMNS) + 1)
               if widths.get(index, 0) > WRAP_WIDTH]
    for index in wrapped:
        widths[index] = WRAP_WIDTH
    _set_widths(sheet, widths)
    # Keep the header in view while scrolling, and let the clerk filter by category.
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WINNER_COLUMNS))}{len(rows) + 1}"
    _print_setup(sheet, "landscape", "1:1")

    top = Alignment(vertical="top")
    alignments = [
        Alignment(vertical="top", wrap_text=True) if index in wrapped else top
        for index in range(1, len(WINNER_COLUMNS) + 1)
    ]
    out = _rows(sheet)
    out.append(WINNER_COLUMNS, font=_BOLD)
    for row in rows:
        height = None
        for index in wrapped:
            # one line more than estimated: substituted fonts run wider
            lines = _wrapped_lines(widths[index], row[index - 1])
            lines += 1 if lines > 1 else 0
            height = max(height or LINE_HEIGHT, lines * LINE_HEIGHT)
        out.append(row, alignment=alignments[: len(row)], height=height)
    return out


def _grid_width(view: RollView) -> int:
    return max((max(1, s.columns) for s in view.walk() if s.entries and s.kind != "work"),
               default=1)


#: One row of the 光荣榜 sheet: its values and whether it is a heading (bold).
_RollRow = tuple[list[str], bool]


def _section_rows(section: Section, options: ExportOptions, rows: list[_RollRow],
                  grids: list[list[str]]) -> None:
    """The section as text.py lays it out, a cell per grid name and a blank row
    between blocks.  Headings and work titles sit in column A and run over the
    empty cells to their right, so they do not widen the grid's first column."""
    rows.append(([section.heading], True))
    rows.append(([], False))
    if section.description:
        rows.append(([section.description], False))
        rows.append(([], False))
    if section.kind == "work":
        for entry in section.entries:
            rows.append(([f"{entry.position}. {entry.name}"], False))
            if entry.proposer:
                rows.append(([work_proposer_line(section, entry, options)], False))
            rows.append(([], False))
    elif section.entries:
        for row in grid_rows(section, options.padding, options.with_affiliation):
            rows.append((row, False))
            grids.append(row)
        rows.append(([], False))
    for child in section.children:
        _section_rows(child, options, rows, grids)


def _roll_sheet(sheet: WriteOnlyWorksheet, view: RollView, options: ExportOptions) -> _Rows:
    width = _grid_width(view)
    rows: list[_RollRow] = []
    grids: list[list[str]] = []
    for section in view.sections:
        _section_rows(section, options, rows, grids)
    # Widths come from the grids only (they are what must line up), and every
    # grid column gets the same width so that a five-column grid of people below
    # a three-column grid of units still looks like one even table.
    widest = max((_width(name) for row in grids for name in row), default=0)
    _set_widths(sheet, {index: min(MAX_WIDTH, max(MIN_WIDTH, widest + 4))
                        for index in range(1, width + 1)})
    _print_setup(sheet, "portrait", None)
    out = _rows(sheet)
    if view.printed_title:
        if width > 1:
            sheet.merged_cells.add(CellRange(min_row=1, min_col=1, max_row=1, max_col=width))
        out.append([view.printed_title],
                   font=Font(name=FONT_NAME, charset=134, bold=True, size=16),
                   alignment=Alignment(horizontal="center"))
        out.append([])
    for values, heading in rows:
        out.append(values, font=_BOLD if heading else None)
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
                for start in range(0, len(chunks), 4096):  # a few MB at a time
                    stream.write(b"".join(chunks[start : start + 4096]))
                stream.write(b"</sheetData>" + tail)
    return result.getvalue()


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    workbook = _workbook()
    winners = _winners_sheet(workbook.create_sheet(WINNERS_SHEET), view)
    roll = _roll_sheet(workbook.create_sheet(ROLL_SHEET), view, options)
    return _save(workbook, winners, roll)


# -- the certificate register ------------------------------------------------------------


def honour_text(row: RegisterRow) -> str:
    """The honour as the register shows it; for a work also its title, since
    one proposer may be honoured for several works."""
    return f"{row.honour}\n《{row.work}》" if row.work else row.honour


#: Height of one line of 11 pt text, in points.
LINE_HEIGHT = 15


def _wrapped_lines(width: float | None, value: object) -> int:
    """About how many lines ``value`` takes once wrapped in a column ``width`` wide."""
    usable = max(1, int(width or MAX_WIDTH) - 2)
    text = "" if value is None else str(value)
    if 2 * len(text) <= usable and text.isprintable():
        return 1  # one line (no line break is printable), and it fits: no character is wider
    return sum(max(1, -(-cell_len(line) // usable)) for line in text.splitlines() or [""])


#: Widths of 签收 and 日期: wide enough for a handwritten name and date.
SIGN_WIDTH = 18
DATE_WIDTH = 14


def render_register(register: RegisterView) -> bytes:
    workbook = _workbook()
    sheet = workbook.create_sheet(REGISTER_SHEET)
    columns = register_columns(register)
    last = get_column_letter(len(columns))
    rows = [register_cells(register, row, honour_text(row), columns)
            for row in register.rows]
    text_columns = [
        columns.index(name) + 1 for name in ("获奖者", "单位", "荣誉") if name in columns
    ]
    widths = _column_widths([columns, *rows], extra=4)
    widths[columns.index("签收") + 1] = SIGN_WIDTH
    widths[columns.index("日期") + 1] = DATE_WIDTH
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
    measured: dict[tuple[int, object], int] = {}  # (column, text) → lines: texts repeat
    for values in rows:
        # A long honour (or a work's title on its second line) wraps: make the row
        # tall enough for the wrapped lines rather than clipping them.
        lines = 1
        for column in text_columns:
            value = values[column - 1]
            count = measured.get((column, value))
            if count is None:
                count = measured[column, value] = _wrapped_lines(widths[column], value)
            lines = max(lines, count)
        out.append(values, alignment=alignments, border=_BOX,
                   height=max(REGISTER_ROW_HEIGHT, lines * LINE_HEIGHT + 6))
    return _save(workbook, out)
