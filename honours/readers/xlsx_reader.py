"""Excel workbooks (.xlsx) with openpyxl: the first sheet or a named one; title
rows above the header (often merged cells) are skipped."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from ..i18n import _
from .plan import ImportPlan, UnreadableFile
from .tabular import rows_to_plan


@contextmanager
def workbook_errors(origin: str) -> Iterator[None]:
    """A workbook damaged inside (truncated XML, a bad zip member, a cell openpyxl
    cannot convert) is named as such, not left to surface as a crash: openpyxl
    reads rows lazily, so the errors come while rows are read."""
    try:
        yield
    except UnreadableFile:
        raise
    except (SyntaxError, ValueError, KeyError, IndexError, TypeError, EOFError,
            zipfile.BadZipFile, zlib.error):  # SyntaxError: xml.etree's ParseError
        # IndexError: a cell naming a shared string the workbook does not have.
        # The parser's own words (English, about XML) would not help the clerk.
        raise UnreadableFile(
            _(
                "{origin} is a damaged workbook (its contents cannot be read); open it in "
                "Excel or WPS, save it again as .xlsx, and retry"
            ).format(origin=origin)
        ) from None


def sheet_rows(worksheet, origin: str) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of each row that holds a value, as the sheet's XML holds
    them: the dimensions the file declares are ignored (read-only openpyxl pads
    every row to them), a row the file lacks is never made (a sheet with one cell at
    XFD1048576 is one row, not a million of 16,384 cells), trailing empty cells are
    dropped.  A value beyond column MAX_COLUMNS is refused with its cell: a roll's
    sheet has a handful of columns, and nothing is dropped unsaid.  The cells a row
    may hold are bounded before parsing (:func:`~honours.readers.limits.check_workbook`)."""
    from openpyxl.utils import get_column_letter

    from . import limits

    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    width = limits.MAX_COLUMNS
    # Without max_col, a missing row is one shared empty tuple and a row is as long
    # as its own last cell.
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if not values:
            continue
        if len(values) > width:
            beyond = next((i for i, v in enumerate(values[width:], start=width + 1)
                           if v is not None), None)
            if beyond is not None:
                raise UnreadableFile(
                    _("{origin}: the cell {cell} is beyond column {last} ({limit}), further "
                      "than a roll's sheet reaches; delete what is there (or move it left), "
                      "save, and import again").format(
                        origin=origin, cell=f"{get_column_letter(beyond)}{number}",
                        last=get_column_letter(width), limit=width))
            values = values[:width]
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        if end:
            yield number, values[:end]


def open_workbook(data: bytes, origin: str):
    """The workbook, read-only; ``data_only``: a formula cell gives the value Excel
    saved, never the formula text."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zip, XML and openpyxl errors alike
        raise UnreadableFile(
            _(
                "{origin} is not a readable .xlsx workbook (damaged, or another kind of "
                "file); an old .xls must be saved as .xlsx first"
            ).format(origin=origin)
        ) from None


def read_xlsx(data: bytes, origin: str, sheet: str | None = None) -> ImportPlan:
    book = open_workbook(data, origin)
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise UnreadableFile(
                _("{origin} has no sheet {sheet!r}; its sheets are {sheets}").format(
                    origin=origin, sheet=sheet, sheets=", ".join(book.sheetnames)
                )
            )
        from .limits import check_rows

        rows, numbers, last = [], [], 0
        label = _("row {number}")
        for number, cells in sheet_rows(worksheet, origin):
            check_rows(len(rows) + 1, origin)
            rows.append((label.format(number=number), list(cells)))
            numbers.append(number)
            last = number
    finally:
        book.close()
    plan = rows_to_plan(
        rows, _("Excel workbook, sheet {sheet!r}").format(sheet=worksheet.title)
    )
    plan.skipped["blank"] += last - len(rows)  # the rows without a value, never made
    plan.problems += unsaved_formulas(data, worksheet.title, dict(zip(numbers, rows)), origin)
    return plan


def unsaved_formulas(data: bytes, sheet: str, rows: dict, origin: str) -> list[str]:
    """A problem for each formula cell whose value was never saved (a workbook
    written by a program, not by Excel): read with ``data_only`` it is empty, and
    its name would vanish unreported.  ``rows``: row number → (label, values) as
    read with ``data_only``."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    problems = []
    try:
        for number, cells in sheet_rows(book[sheet], origin):
            _label, values = rows.get(number, ("", []))
            values = [*values, *[None] * (len(cells) - len(values))]
            for column, (value, formula) in enumerate(zip(values, cells), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    problems.append(
                        _(
                            "{cell}: a formula ({formula}) whose value was never saved; open "
                            "the file in Excel or WPS, save it, and import it again"
                        ).format(cell=f"{get_column_letter(column)}{number}", formula=formula[:40])
                    )
    finally:
        book.close()
    return problems
