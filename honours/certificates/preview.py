"""The first page of a PDF as a PNG picture, with pypdfium2 (PDFium, shipped in
its wheel), else poppler's ``pdftoppm`` when it is installed.

The page is drawn in a child process bounded in time and memory: a background
design of many long strokes takes PDFium minutes to draw (40,000 lines: 12 s),
and a drawing cannot be interrupted in this process; past the bound the preview
is refused, before any number is issued (docs/certificates.md, "Bounds")."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..i18n import _
from . import CertificateError

#: The time and memory the drawing of a preview may take.
PREVIEW_SECONDS = 15.0
PREVIEW_MEMORY = 1024 * 1024 * 1024

_RENDER = (
    "import io, sys\n"
    "import pypdfium2\n"
    "document = pypdfium2.PdfDocument(sys.stdin.buffer.read())\n"
    "image = document[0].render(scale=float(sys.argv[1]) / 72).to_pil()\n"
    "out = io.BytesIO()\n"
    "image.save(out, format='PNG', optimize=True)\n"
    "sys.stdout.buffer.write(out.getvalue())\n"
)


def _bounded_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (PREVIEW_MEMORY, PREVIEW_MEMORY))
    except (ImportError, ValueError, OSError):
        pass


def _run(command: list[str], pdf: bytes | None) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            command, input=pdf, capture_output=True, timeout=PREVIEW_SECONDS,
            preexec_fn=_bounded_memory if sys.platform != "win32" else None)
    except subprocess.TimeoutExpired:
        raise CertificateError(
            _("the preview took more than {seconds:g} s to draw (a heavy background?); "
              "leave out --preview, or simplify the design").format(
                seconds=PREVIEW_SECONDS)) from None
    except OSError as error:
        raise CertificateError(
            _("could not draw the preview: {error}").format(error=error)) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CertificateError(
            _("could not draw the preview: {error}").format(
                error=lines[-1] if lines else done.returncode))
    return done


def first_page_png(pdf: bytes, dpi: int = 100) -> bytes:
    try:
        import pypdfium2  # noqa: F401 - only whether it is installed
    except ImportError:
        return _with_pdftoppm(pdf, dpi)
    return _run([sys.executable, "-c", _RENDER, str(dpi)], pdf).stdout


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
        _run([tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
              str(source), str(Path(folder) / "page")], None)
        return (Path(folder) / "page.png").read_bytes()
