"""The roll and the certificate register as Excel workbooks (.xlsx, openpyxl).

The roll workbook has two sheets: "名单", one row per winner for sorting and
filtering, and "光荣榜", the roll laid out as published (rolls.md) so a clerk
can print it or copy a grid into Word.  The register is one sheet, set up to
print on A4 landscape with room to sign.

openpyxl writes any string starting with ``=`` as a formula, which Excel, WPS
and LibreOffice would run; :func:`_append` stores every text cell as text
instead (and marks it with Excel's quote prefix), so a name such as ``=1+1``
comes out exactly as typed and never runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
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
    """A workbook whose default font (empty cells, column width units) is Chinese."""
    from openpyxl.utils.indexed_list import IndexedList

    workbook = Workbook()
    workbook._fonts = IndexedList([_PLAIN])  # font 0: every unstyled cell's font
    return workbook


def _print_setup(sheet: Worksheet, orientation: str, title_rows: str | None) -> None:
    """A4, one page wide (as many tall as needed), 1.5 cm margins, centred,
    ``title_rows`` (e.g. "1:2") repeated at the top of every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
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


def _append(sheet: Worksheet, values: Iterable[str | int]) -> int:
    """Append a row; text that openpyxl took for a formula is stored as text.
    Returns the row number."""
    sheet.append([_cell(value) for value in values])
    row = sheet.max_row
    for cell in sheet[row]:
        if cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True
    return row


def _width(value: object) -> int:
    """Display width of a cell's longest line: CJK characters count double."""
    text = "" if value is None else str(value)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _fit_columns(sheet: Worksheet, rows: Iterable[Sequence[object]], extra: int = 2) -> None:
    """Set each column's width from the widest value given for it."""
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), _width(value))
    for index, width in widths.items():
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, width + extra))


# -- the roll ----------------------------------------------------------------------------


def _winners_sheet(sheet: Worksheet, view: RollView) -> None:
    rows = winner_rows(view)
    _append(sheet, WINNER_COLUMNS)
    for row in rows:
        _append(sheet, row)
    for cell in sheet[1]:
        cell.font = _BOLD
    # Keep the header in view while scrolling, and let the clerk filter by category.
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WINNER_COLUMNS))}{len(rows) + 1}"
    # Extra width leaves room for the autofilter's drop-down button in the header cells.
    _fit_columns(sheet, [WINNER_COLUMNS, *rows], extra=4)
    # Long paths and titles wrap in a column of readable width rather than
    # widening the sheet until "fit to width" prints it too small to read.
    wrapped = Alignment(vertical="top", wrap_text=True)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top")
    for index in range(1, len(WINNER_COLUMNS) + 1):
        letter = get_column_letter(index)
        if (sheet.column_dimensions[letter].width or 0) > WRAP_WIDTH:
            sheet.column_dimensions[letter].width = WRAP_WIDTH
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrapped
            for number, row in enumerate(rows, start=2):
                # one line more than estimated: substituted fonts run wider
                lines = _wrapped_lines(sheet, index, row[index - 1])
                lines += 1 if lines > 1 else 0
                current = sheet.row_dimensions[number].height or LINE_HEIGHT
                sheet.row_dimensions[number].height = max(current, lines * LINE_HEIGHT)
    _print_setup(sheet, "landscape", "1:1")


def _grid_width(view: RollView) -> int:
    return max((max(1, s.columns) for s in view.walk() if s.entries and s.kind != "work"),
               default=1)


def _section_rows(sheet: Worksheet, section: Section, options: ExportOptions,
                  grids: list[list[str]]) -> None:
    """The section as text.py lays it out, a cell per grid name and a blank row
    between blocks.  Headings and work titles sit in column A and run over the
    empty cells to their right, so they do not widen the grid's first column."""
    _append(sheet, [section.heading])
    sheet.cell(sheet.max_row, 1).font = _BOLD
    sheet.append([])
    if section.description:
        _append(sheet, [section.description])
        sheet.append([])
    if section.kind == "work":
        for entry in section.entries:
            _append(sheet, [f"{entry.position}. {entry.name}"])
            if entry.proposer:
                _append(sheet, [work_proposer_line(section, entry, options)])
            sheet.append([])
    elif section.entries:
        for row in grid_rows(section, options.padding, options.with_affiliation):
            _append(sheet, row)
            grids.append(row)
        sheet.append([])
    for child in section.children:
        _section_rows(sheet, child, options, grids)


def _roll_sheet(sheet: Worksheet, view: RollView, options: ExportOptions) -> None:
    width = _grid_width(view)
    if view.printed_title:
        _append(sheet, [view.printed_title])
        title = sheet.cell(1, 1)
        title.font = Font(name=FONT_NAME, charset=134, bold=True, size=16)
        title.alignment = Alignment(horizontal="center")
        if width > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.append([])
    grids: list[list[str]] = []
    for section in view.sections:
        _section_rows(sheet, section, options, grids)
    # Widths come from the grids only (they are what must line up), and every
    # grid column gets the same width so that a five-column grid of people below
    # a three-column grid of units still looks like one even table.
    widest = max((_width(name) for row in grids for name in row), default=0)
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, widest + 4)
        )
    _print_setup(sheet, "portrait", None)


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    workbook = _workbook()
    winners = workbook.active
    assert winners is not None  # a new workbook always has one sheet
    winners.title = WINNERS_SHEET
    _winners_sheet(winners, view)
    _roll_sheet(workbook.create_sheet(ROLL_SHEET), view, options)
    return _save(workbook)


# -- the certificate register ------------------------------------------------------------


def honour_text(row: RegisterRow) -> str:
    """The honour as the register shows it; for a work also its title, since
    one proposer may be honoured for several works."""
    return f"{row.honour}\n《{row.work}》" if row.work else row.honour


#: Height of one line of 11 pt text, in points.
LINE_HEIGHT = 15


def _wrapped_lines(sheet: Worksheet, column: int, value: object) -> int:
    """About how many lines ``value`` takes once wrapped in its column."""
    width = sheet.column_dimensions[get_column_letter(column)].width or MAX_WIDTH
    usable = max(1, int(width) - 2)
    text = "" if value is None else str(value)
    return sum(max(1, -(-cell_len(line) // usable)) for line in text.splitlines() or [""])


#: Widths of 签收 and 日期: wide enough for a handwritten name and date.
SIGN_WIDTH = 18
DATE_WIDTH = 14


def render_register(register: RegisterView) -> bytes:
    workbook = _workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = REGISTER_SHEET
    columns = register_columns(register)
    last = get_column_letter(len(columns))

    _append(sheet, [register.title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT_NAME, charset=134, bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32

    _append(sheet, columns)
    rows = [register_cells(register, row, honour_text(row)) for row in register.rows]
    text_columns = [
        columns.index(name) + 1 for name in ("获奖者", "单位", "荣誉") if name in columns
    ]
    sign, day = (get_column_letter(columns.index(name) + 1) for name in ("签收", "日期"))
    for values in rows:
        _append(sheet, values)

    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_row=sheet.max_row), start=2):
        for cell in cells:
            cell.border = _BOX
            # Sequence and certificate numbers centred; names and honours read left.
            cell.alignment = left if cell.column in text_columns and number > 2 else centred
            if number == 2:
                cell.font = _BOLD
        sheet.row_dimensions[number].height = REGISTER_ROW_HEIGHT

    _fit_columns(sheet, [columns, *rows], extra=4)
    sheet.column_dimensions[sign].width = SIGN_WIDTH
    sheet.column_dimensions[day].width = DATE_WIDTH
    # A long honour (or a work's title on its second line) wraps: make the row
    # tall enough for the wrapped lines rather than clipping them.
    for number, values in enumerate(rows, start=3):
        lines = max(_wrapped_lines(sheet, column, values[column - 1]) for column in text_columns)
        sheet.row_dimensions[number].height = max(REGISTER_ROW_HEIGHT, lines * LINE_HEIGHT + 6)

    # Printing: A4 landscape, one page wide, header repeated on every page.
    _print_setup(sheet, "landscape", "1:2")
    sheet.freeze_panes = "A3"
    return _save(workbook)
