"""CSV for Excel and WPS: UTF-8 with a byte-order mark (so Excel on Chinese
Windows does not read it as GBK), one row per winner, formula cells neutralised."""

from __future__ import annotations

import csv
import io

from .tabular import WINNER_COLUMNS, neutralise, winner_rows
from .view import ExportOptions, RegisterView, RollView, register_columns, register_rows


def _csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def render_roll(view: RollView, options: ExportOptions) -> bytes:
    return _csv_bytes(WINNER_COLUMNS, winner_rows(view))


def render_register(register: RegisterView) -> bytes:
    columns = register_columns(register)
    rows = register_rows(register, columns=columns)
    return _csv_bytes(columns, rows)
