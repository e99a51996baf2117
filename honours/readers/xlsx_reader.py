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
    except (SyntaxError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile,
            zlib.error):  # SyntaxError: xml.etree's ParseError
        # The parser's own words (English, about XML) would not help the clerk.
        raise UnreadableFile(
            _(
                "{origin} is a damaged workbook (its contents cannot be read); open it in "
                "Excel or WPS, save it again as .xlsx, and retry"
            ).format(origin=origin)
        ) from None


#: The widest row read: a roll's sheet has a handful of columns; a sheet that
#: claims Excel's 16,384 must not make every row 16,384 cells long.
MAX_COLUMNS = 256


def sheet_rows(worksheet):
    """The sheet's rows as values, ignoring the dimensions the file declares
    (read-only openpyxl pads every row to them) and cut at MAX_COLUMNS."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    yield from worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)


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

        rows = []
        for number, cells in enumerate(sheet_rows(worksheet), start=1):
            check_rows(number, origin)
            rows.append((_("row {number}").format(number=number), list(cells)))
    finally:
        book.close()
    plan = rows_to_plan(
        rows, _("Excel workbook, sheet {sheet!r}").format(sheet=worksheet.title)
    )
    plan.problems += unsaved_formulas(data, worksheet.title, rows)
    return plan


def unsaved_formulas(data: bytes, sheet: str, rows: list) -> list[str]:
    """A problem for each formula cell whose value was never saved (a workbook
    written by a program, not by Excel): read with ``data_only`` it is empty, and
    its name would vanish unreported."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    problems = []
    try:
        formulas = sheet_rows(book[sheet])
        for number, ((_origin, values), cells) in enumerate(zip(rows, formulas), start=1):
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
