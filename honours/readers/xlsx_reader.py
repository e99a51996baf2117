"""Excel workbooks (.xlsx) with openpyxl: the first sheet or a named one; title
rows above the header (often merged cells) are skipped."""

from __future__ import annotations

import io
import zipfile

from ..i18n import _
from .plan import ImportPlan, UnreadableFile
from .tabular import rows_to_plan


def read_xlsx(data: bytes, origin: str, sheet: str | None = None) -> ImportPlan:
    from openpyxl import load_workbook

    try:
        # data_only: a formula cell gives the value Excel saved, never the formula text.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(
            _(
                "{origin} is not a readable .xlsx workbook ({error}); "
                "an old .xls must be saved as .xlsx first"
            ).format(origin=origin, error=error.__class__.__name__)
        ) from None
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
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            check_rows(number, origin)
            rows.append((_("row {number}").format(number=number), list(cells)))
    finally:
        book.close()
    return rows_to_plan(
        rows, _("Excel workbook, sheet {sheet!r}").format(sheet=worksheet.title)
    )
