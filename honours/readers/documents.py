"""Documents a clerk receives, as lines for the reader of pasted text.

A draft roll arrives as a Word document, an Excel sheet, a CSV file or text
copied out of a PDF or a web page.  Each is turned into
:class:`~honours.readers.pasted.SourceLine` objects that remember where every
cell came from (line 12; table 1, row 3, cell 2; Sheet1!B4), so that
``honours check`` can point at the very cell to fix.  Old binary formats (.doc,
.xls, WPS's .wps/.et) are refused with how to save them in a readable form.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from .encoding import decode
from .pasted import Document, SourceLine, read_document, read_pasted
from .plan import UnreadableFile
from .tabular import cell_text, map_header
from .xlsx_reader import open_workbook, sheet_rows

#: The signature of the old binary Office formats (OLE2): .doc, .xls, .wps, .et.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Binary formats refused by name, with what to save them as.
OLD_FORMATS = {
    ".xls": ".xlsx", ".et": ".xlsx", ".ett": ".xlsx",
    ".doc": ".docx", ".wps": ".docx", ".wpt": ".docx", ".dps": ".docx", ".ppt": ".docx",
}


@dataclass
class DocumentPart:
    """A part read on its own: the whole of a text or Word file, or one sheet."""

    label: str  # "" for a single-part document, else the sheet's name
    lines: list[SourceLine]
    text: str | None = None  # a text file, read by the fast path when it can be
    damage: str | None = None  # what decoding left out of a damaged text file
    #: What was left out before the reader saw the lines (a sheet's header row).
    skipped: Counter = field(default_factory=Counter)

    def read(self, kind: str | None = None) -> Document:
        if self.text is not None:
            return read_pasted(self.text, kind, _("line {number}"))
        document = read_document(self.lines, kind)
        document.skipped.update(self.skipped)
        return document


def refuse_old_format(path: Path, data: bytes) -> None:
    """Raise :class:`UnreadableFile` for .xls/.doc/.et/.wps, by name or content."""
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS or data.startswith(OLE_SIGNATURE):
        target = OLD_FORMATS.get(suffix, ".xlsx / .docx")
        raise UnreadableFile(
            _(
                "{file} is in an old binary Office format ({suffix}) that cannot be read; "
                "open it in Excel, Word or WPS and save it as {target} "
                "(文件 → 另存为), then try again"
            ).format(file=path, suffix=suffix or "OLE2", target=target)
        )


def kind_of(path: Path, data: bytes) -> str:
    """docx, xlsx, csv or text, by extension and then by content."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".docm"):
        return "docx"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "text"
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    return "text"


def read_parts(
    path: Path, data: bytes, sheet: str | None = None, encoding: str | None = None
) -> list[DocumentPart]:
    """The document at ``path`` (its bytes ``data``) as parts of lines; the
    damage of a truncated text file is in the part's ``damage``."""
    refuse_old_format(path, data)
    kind = kind_of(path, data)
    if kind in ("docx", "xlsx"):
        from .limits import check_workbook

        check_workbook(data, str(path))  # zip bombs and entity declarations, before parsing
    if kind == "docx":
        return [DocumentPart("", _docx_lines(data, str(path)))]
    if kind == "xlsx":
        from .xlsx_reader import workbook_errors

        with workbook_errors(str(path)):
            return _xlsx_parts(data, str(path), sheet)
    text, _used, damage = decode(data, str(path), encoding)
    if kind == "csv":
        skipped: Counter = Counter()
        lines = _table_lines(list(enumerate(_csv_rows(text, str(path)), start=1)), skipped)
        return [DocumentPart("", lines, damage=damage, skipped=skipped)]
    return [DocumentPart("", [], text, damage)]


# ------------------------------------------------------------------ Word


def _docx_lines(data: bytes, origin: str) -> list[SourceLine]:
    """Paragraphs and table rows in reading order."""
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a broken package
        raise UnreadableFile(
            _("{origin} is not a readable .docx document (damaged, or another kind of "
              "file); an old .doc must be saved as .docx first").format(origin=origin)
        ) from None
    lines: list[SourceLine] = []
    paragraph_number = table_number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_number += 1
            lines += _docx_table(block, table_number)
            continue
        paragraph_number += 1
        where = _("paragraph {number}").format(number=paragraph_number)
        # A line break inside a paragraph (Shift+Enter) starts a new line of names.
        for text in block.text.split("\n"):
            lines.append(SourceLine([(text, where)], paragraph_number))
    return lines


def _docx_table(table, number: int) -> list[SourceLine]:
    lines = []
    # Merged cells repeat in every row and column they span; the set holds the
    # XML elements themselves, so that their identity stays stable.
    seen: set = set()
    for row_number, row in enumerate(table.rows, start=1):
        cells = []
        for cell_number, cell in enumerate(row.cells, start=1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            where = _("table {table}, row {row}, cell {cell}").format(
                table=number, row=row_number, cell=cell_number
            )
            # Paragraphs inside one cell are separate entries, like lines.
            cells.append(("\t".join(p.text for p in cell.paragraphs), where))
        lines.append(SourceLine(cells, row_number))
    return lines


# ------------------------------------------------------------------ Excel and CSV


def _xlsx_parts(data: bytes, origin: str, sheet: str | None) -> list[DocumentPart]:
    from openpyxl.utils import get_column_letter

    book = open_workbook(data, origin)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UnreadableFile(
                _("{origin} has no sheet {sheet!r}; its sheets are {sheets}").format(
                    origin=origin, sheet=sheet, sheets=", ".join(book.sheetnames)
                )
            )
        parts = []
        for worksheet in book.worksheets:
            if sheet is not None and worksheet.title != sheet:
                continue
            rows: list[tuple[int, list]] = []
            for number, values in sheet_rows(worksheet, origin):
                if number > (rows[-1][0] if rows else 0) + 1:
                    rows.append((number - 1, []))  # rows without a value: one blank line
                rows.append((number, [
                    (cell_text(value), f"{worksheet.title}!{get_column_letter(column)}{number}")
                    for column, value in enumerate(values, start=1)
                ]))
            skipped: Counter = Counter()
            lines = _table_lines(rows, skipped)
            if any(line.filled for line in lines):
                parts.append(DocumentPart(worksheet.title, lines, skipped=skipped))
    finally:
        book.close()
    if len(parts) == 1:
        parts[0].label = ""
    return parts


def _csv_rows(text: str, origin: str) -> list[list[tuple[str, str]]]:
    from .csv_reader import _delimiter, records

    try:
        reader = records(io.StringIO(text, newline=""), _delimiter(text), origin)
        return [
            [(cell, _("row {row}, column {column}").format(row=number, column=column))
             for column, cell in enumerate(cells, start=1)]
            for number, cells in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise UnreadableFile(
            _("{origin} is not a well-formed CSV file: {error}").format(origin=origin, error=error)
        ) from None


def _table_lines(
    rows: list[tuple[int, list[tuple[str, str]]]], skipped: Counter | None = None
) -> list[SourceLine]:
    """Rows of a sheet: every cell of a grid, or, under a header row that names
    a 姓名 (or 名称, 题目 …) column, that column alone (a work's 题目 before its
    proposer's name); a 类别 column makes each category a list of its own.  The
    header row is counted in ``skipped``."""
    lines: list[SourceLine] = []
    mapping: dict[str, int] | None = None
    category = None
    for number, cells in rows:
        if mapping is None:
            mapping = map_header([text for text, _where in cells])
            if mapping is None:
                lines.append(SourceLine(cells, number))
            elif skipped is not None:
                skipped["header"] += 1
            continue  # the header row itself is not read as entries
        values = {field: cells[index] for field, index in mapping.items() if index < len(cells)}
        if "category" in values and values["category"][0].strip() not in ("", category):
            category = values["category"][0].strip()
            lines.append(SourceLine([values["category"]], number, is_heading=True))
        title = values.get("title")
        chosen = title if title and title[0].strip() else values.get("name")
        if chosen is not None:
            lines.append(SourceLine([chosen], number))
    return lines

