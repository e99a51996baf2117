"""Renderers and exporters: a :class:`~honours.render.view.RollView` in, text or file bytes out.

Each format lives in its own module, imported only when used, so that
``honours --help`` never pays for openpyxl or python-docx.
"""

from __future__ import annotations

from importlib import import_module

from .view import ExportOptions, RegisterView, RollView

#: Export formats of a roll and the module that writes each.
ROLL_FORMATS = {
    "txt": "text",
    "md": "markdown",
    "csv": "csv_file",
    "xlsx": "xlsx",
    "docx": "docx",
    "json": "json_file",
    "html": "html",
    "pdf": "pdf",
}
#: File formats of the certificate register (the table format is printed by the CLI).
REGISTER_FORMATS = {"csv": "csv_file", "xlsx": "xlsx", "docx": "docx"}


def export_roll(view: RollView, fmt: str, options: ExportOptions | None = None) -> bytes:
    module = import_module(f".{ROLL_FORMATS[fmt]}", __name__)
    return module.render_roll(view, options or ExportOptions())


def export_register(register: RegisterView, fmt: str) -> bytes:
    module = import_module(f".{REGISTER_FORMATS[fmt]}", __name__)
    return module.render_register(register)
