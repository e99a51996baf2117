"""The first page of a PDF as a PNG picture, with pypdfium2 (PDFium, shipped in
its wheel), else poppler's ``pdftoppm`` when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..i18n import _
from . import CertificateError


def first_page_png(pdf: bytes, dpi: int = 100) -> bytes:
    try:
        import pypdfium2
    except ImportError:
        return _with_pdftoppm(pdf, dpi)
    import io

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _with_pdftoppm(pdf: bytes, dpi: int) -> bytes:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise CertificateError(
            _(
                "a preview needs pypdfium2 (`pip install pypdfium2`) or poppler's pdftoppm "
                "(`apt-get install poppler-utils`)"
            )
        )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
             str(source), str(Path(folder) / "page")],
            check=True, capture_output=True,
        )
        return (Path(folder) / "page.png").read_bytes()
