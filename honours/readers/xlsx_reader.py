"""Excel workbooks (.xlsx) with openpyxl: the first sheet or a named one; title
rows above the header (often merged cells) are skipped."""

from __future__ import annotations

import io
import zipfile

from .plan import ImportPlan, UnreadableFile
from .tabular import rows_to_plan


def read_xlsx(data: bytes, origin: str, sheet: str | None = None) -> ImportPlan:
    from openpyxl import load_workbook

    try:
        # data_only: a formula cell gives the value Excel saved, never the formula text.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(
            f"{origin} is not a readable .xlsx workbook ({error.__class__.__name__}); "
            "an old .xls must be saved as .xlsx first"
        ) from None
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise UnreadableFile(
                f"{origin} has no sheet {sheet!r}; its sheets are {', '.join(book.sheetnames)}"
            )
        rows = [
            (f"row {number}", list(cells))
            for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    return rows_to_plan(rows, f"Excel workbook, sheet {worksheet.title!r}")
