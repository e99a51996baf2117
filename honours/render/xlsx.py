"""The roll and the certificate register as Excel workbooks (.xlsx, openpyxl).

The roll workbook has two sheets: "名单", one row per winner for sorting and
filtering, and "光荣榜", the roll laid out as published (rolls.md) so a clerk
can print it or copy a grid into Word.  The register is one sheet, set up to
print on A4 landscape with room to sign.

openpyxl writes any string starting with ``=`` as a formula, which Excel, WPS
and LibreOffice would run; :meth:`_Rows.append` stores every text cell as text
instead (and marks it with Excel's quote prefix), so a name such as ``=1+1``
comes out exactly as typed and never runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
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


def _cell(value: str | int) -> str | int:
    """A value safe to store: the control characters that openpyxl refuses (they
    cannot appear in XML) dropped, so one odd imported name cannot abort the
    whole export."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class _Rows:
    """Appends rows to a write-only sheet, counting them (the sheet cannot say)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.count = 0
        self._styles: dict[tuple, StyleArray] = {}

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


def _width(value: object) -> int:
    """Display width of a cell's longest line: CJK characters count double."""
    text = "" if value is None else str(value)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _column_widths(rows: Iterable[Sequence[object]], extra: int = 2) -> dict[int, int]:
    """Each column's width (1-based) from the widest value given for it."""
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), _width(value))
    return {index: min(MAX_WIDTH, max(MIN_WIDTH, width + extra))
            for index, width in widths.items()}


def _set_widths(sheet: WriteOnlyWorksheet, widths: dict[int, float]) -> None:
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width


# -- the roll ----------------------------------------------------------------------------


def _winners_sheet(sheet: WriteOnlyWorksheet, view: RollView) -> None:
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
    out = _Rows(sheet)
    out.append(WINNER_COLUMNS, font=_BOLD)
    for row in rows:
        height = None
        for index in wrapped:
            # one line more than estimated: substituted fonts run wider
            lines = _wrapped_lines(widths[index], row[index - 1])
            lines += 1 if lines > 1 else 0
            height = max(height or LINE_HEIGHT, lines * LINE_HEIGHT)
        out.append(row, alignment=alignments[: len(row)], height=height)


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


def _roll_sheet(sheet: WriteOnlyWorksheet, view: RollView, options: ExportOptions) -> None:
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
    out = _Rows(sheet)
    if view.printed_title:
        if width > 1:
            sheet.merged_cells.add(CellRange(min_row=1, min_col=1, max_row=1, max_col=width))
        out.append([view.printed_title],
                   font=Font(name=FONT_NAME, charset=134, bold=True, size=16),
                   alignment=Alignment(horizontal="center"))
        out.append([])
    for values, heading in rows:
        out.append(values, font=_BOLD if heading else None)


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    workbook = _workbook()
    _winners_sheet(workbook.create_sheet(WINNERS_SHEET), view)
    _roll_sheet(workbook.create_sheet(ROLL_SHEET), view, options)
    return _save(workbook)


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

    out = _Rows(sheet)
    out.append([register.title], font=Font(name=FONT_NAME, charset=134, bold=True, size=16),
               alignment=Alignment(horizontal="center", vertical="center"), height=32)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    out.append(columns, font=_BOLD, alignment=centred, border=_BOX, height=REGISTER_ROW_HEIGHT)
    # Sequence and certificate numbers centred; names and honours read left.
    alignments = [left if index in text_columns else centred
                  for index in range(1, len(columns) + 1)]
    for values in rows:
        # A long honour (or a work's title on its second line) wraps: make the row
        # tall enough for the wrapped lines rather than clipping them.
        lines = max(_wrapped_lines(widths[column], values[column - 1])
                    for column in text_columns)
        out.append(values, alignment=alignments, border=_BOX,
                   height=max(REGISTER_ROW_HEIGHT, lines * LINE_HEIGHT + 6))
    return _save(workbook)
