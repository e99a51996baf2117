"""The office's design under the certificates (``--background``): a picture, or
the first page of a PDF, checked whole before any number is issued and put
under every page once (docs/certificates.md, "Bounds").

A PDF design is read within bounds: the file's size, its number of objects and
pages, a MediaBox of a real sheet's size, and the unpacked size of the page's
drawing (its content streams and the forms it draws, unpacked here with a
limit, so that a flate bomb stops at the bound); its pictures' declared pixel
sizes.  Then it is tried once, under a blank page: whatever the PDF library
raises on a damaged file becomes a clear error here, never later.

The design goes into the output once, as a form (a PDF XObject) that every
page draws scaled to the paper: 300 certificates over a 2 MB design cost one
copy of it, not 300."""

from __future__ import annotations

import io
import logging
import math
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from . import CertificateError
from .inputs import MB, read_bounded

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
PT = 25.4 / 72  # mm in a point
#: The design's name in each page's resources.
DESIGN = "/HonoursDesign"


@dataclass(frozen=True)
class Limits:
    """The bounds of a background (lowered by tests)."""

    file: int = 64 * MB
    objects: int = 200_000  # in the PDF's cross-reference table
    pages: int = 1000
    content: int = 16 * MB  # the first page's drawing, unpacked (forms included)
    forms: int = 2000  # forms and pictures the page uses, nested ones included
    pixels: int = 80_000_000  # a picture's width × height
    side_min: float = 72 / 25.4  # a MediaBox side in points: 1 mm …
    side_max: float = 14_400.0  # … to 5.08 m, the PDF specification's largest page


LIMITS = Limits()


def _quiet() -> None:
    """pypdf logs what it repairs in a damaged file ("incorrect startxref"):
    the clerk gets one sentence from us instead."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def _printable(text: str, length: int = 80) -> str:
    """``text`` as a message may quote it: printable characters, cut short."""
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= length else text[:length] + "…"


def _unreadable(path: Path, error) -> CertificateError:
    detail = (_("{key} is missing").format(key=error.args[0])
              if isinstance(error, KeyError) and error.args else str(error) or type(error).__name__)
    detail = _printable(detail)
    return CertificateError(
        _("cannot read the background {file}: it is damaged ({error}); open it in the "
          "design program and save it again").format(file=path, error=detail))


def check_image(path: Path, limits: Limits | None = None) -> tuple[float, float]:
    """A picture's (width, height) in pixels, refused above the bound."""
    limits = limits or LIMITS
    from PIL import Image

    data = read_bounded(path, limits.file, "--background")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
    except Exception as error:  # Pillow raises many kinds for a damaged picture
        raise _unreadable(path, error) from None
    if width * height > limits.pixels:
        raise CertificateError(
            _("--background {path} is {width}×{height} pixels, more than the {limit:,} "
              "honours accepts; save it smaller (300 dpi is plenty for print)").format(
                path=path, width=width, height=height, limit=limits.pixels))
    return width, height


@dataclass
class Design:
    """The first page of a checked PDF design and its box (points)."""

    page: object  # pypdf's PageObject
    box: tuple[float, float, float, float]  # left, bottom, width, height
    content: bytes  # the page's drawing, unpacked


def read_design(path: Path, limits: Limits | None = None) -> Design:
    """The first page of the PDF ``path``, checked and tried (see the module)."""
    limits = limits or LIMITS
    data = read_bounded(path, limits.file, "--background")
    _quiet()
    try:
        design = _design(path, data, limits)
        merge_design(_blank(design.box), design)  # tried once: any failure shows here
    except CertificateError:
        raise
    except Exception as error:  # pypdf raises many kinds for a damaged file
        raise _unreadable(path, error) from None
    return design


def _design(path: Path, data: bytes, limits: Limits) -> Design:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise CertificateError(
            _("--background {path} is protected by a password; save it without one").format(
                path=path))
    objects = sum(len(entries) for entries in reader.xref.values())
    if objects > limits.objects:
        raise CertificateError(
            _("--background {path} has {count:,} objects, more than the {limit:,} honours "
              "reads in a design").format(path=path, count=objects, limit=limits.objects))
    count = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    if not isinstance(count, int) or count > limits.pages:
        raise CertificateError(
            _("--background {path} has {count} pages, more than the {limit} honours reads "
              "(it uses the first)").format(path=path, count=count, limit=limits.pages))
    if len(reader.pages) < 1:
        raise CertificateError(_("--background {path} has no page").format(path=path))
    page = reader.pages[0]
    box = page.mediabox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    sides = (abs(width), abs(height))
    if not all(math.isfinite(v) for v in (left, bottom, width, height)) or not all(
            limits.side_min <= side <= limits.side_max for side in sides):
        raise CertificateError(
            _("--background {path}: its page is {width:g}×{height:g} mm (the MediaBox), not "
              "a sheet of paper; save it again at the paper's size").format(
                path=path, width=width * PT, height=height * PT))
    budget = _Budget(path, limits)
    content = b"".join(budget.unpack(stream) for stream in _streams(page.get("/Contents")))
    budget.walk(page.get("/Resources"))
    return Design(page, (min(left, left + width), min(bottom, bottom + height), *sides),
                  content)


def _streams(contents) -> list:
    """The content streams of a page's /Contents (one stream or an array)."""
    if contents is None:
        return []
    contents = contents.get_object()
    if isinstance(contents, list):
        return [item.get_object() for item in contents]
    return [contents]


class _Budget:
    """The unpacked bytes and objects of the design, counted against the bounds."""

    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        self.content = 0
        self.seen: set = set()

    def unpack(self, stream) -> bytes:
        """The stream's data, once each filter, undone here with the bound left,
        shows it within the bound."""
        from pypdf.filters import ASCII85Decode, ASCIIHexDecode

        if not hasattr(stream, "get_data"):
            raise CertificateError(
                _("--background {path}: its page's drawing is not a stream; save it again "
                  "as PDF").format(path=self.path))
        data = stream._data  # as stored in the file
        filters = stream.get("/Filter", [])
        filters = [filters] if not isinstance(filters, list) else list(filters)
        for name in filters:
            room = self.limits.content - self.content
            if name in ("/FlateDecode", "/Fl"):
                try:
                    data = zlib.decompressobj().decompress(data, room + 1)
                except zlib.error as error:
                    raise _unreadable(self.path, error) from None
            elif name in ("/ASCII85Decode", "/A85"):
                data = ASCII85Decode.decode(data)
            elif name in ("/ASCIIHexDecode", "/AHx"):
                data = ASCIIHexDecode.decode(data)
            else:
                raise CertificateError(
                    _("--background {path}: its page is packed with {filter}, which honours "
                      "does not unpack in a design; save it again as PDF from the design "
                      "program").format(path=self.path, filter=_printable(str(name), 30)))
            if len(data) > room:
                self._too_much()
        self.content += len(data)
        if self.content > self.limits.content:
            self._too_much()
        return stream.get_data() + b"\n"  # as pypdf unpacks it (predictors and all)

    def _too_much(self):
        from .inputs import megabytes

        raise CertificateError(
            _("--background {path}: its page's drawing unpacks to more than {limit}; save "
              "it again as PDF, simplified").format(
                path=self.path, limit=megabytes(self.limits.content)))

    def walk(self, resources, depth: int = 0) -> None:
        """The forms and pictures ``resources`` names, nested forms included."""
        resources = resources.get_object() if resources is not None else None
        if not hasattr(resources, "get") or depth > 16:
            return
        objects = resources.get("/XObject")
        objects = objects.get_object() if objects is not None else {}
        for reference in getattr(objects, "values", lambda: [])():
            item = reference.get_object()
            key = (reference.idnum, reference.generation) if hasattr(reference, "idnum") \
                else id(item)
            if key in self.seen:
                continue
            self.seen.add(key)
            if len(self.seen) > self.limits.forms:
                raise CertificateError(
                    _("--background {path}: its page uses more than {limit:,} forms and "
                      "pictures; save it again as PDF, simplified").format(
                        path=self.path, limit=self.limits.forms))
            subtype = item.get("/Subtype")
            if subtype == "/Image":
                width, height = item.get("/Width", 0), item.get("/Height", 0)
                if not (isinstance(width, int) and isinstance(height, int)) or (
                        width * height > self.limits.pixels):
                    raise CertificateError(
                        _("--background {path}: a picture in it is {width}×{height} pixels, "
                          "more than the {limit:,} honours accepts").format(
                            path=self.path, width=width, height=height,
                            limit=self.limits.pixels))
            elif subtype == "/Form":
                self.unpack(item)
                self.walk(item.get("/Resources"), depth + 1)


def _blank(box) -> bytes:
    """A PDF of one empty page of ``box``'s size, to try the design on."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=box[2], height=box[3])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def merge_design(payload: bytes, design: Design, paper: tuple[float, float] | None = None
                 ) -> bytes:
    """``payload`` (a PDF) with ``design`` under every page, scaled to ``paper``
    (width, height in mm; default: the design's own size)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(payload)))
    left, bottom, width, height = design.box
    form = DecodedStreamObject()
    form.set_data(design.content)
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in
                                         (left, bottom, left + width, bottom + height)),
    })
    resources = design.page.get("/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.get_object().clone(writer)
    form_reference = writer._add_object(form.flate_encode())
    target_w, target_h = (paper[0] / PT, paper[1] / PT) if paper else (width, height)
    scale_x, scale_y = target_w / width, target_h / height
    under = DecodedStreamObject()
    move_x, move_y = -left * scale_x, -bottom * scale_y
    under.set_data(
        f"q {scale_x:.6f} 0 0 {scale_y:.6f} {move_x:.4f} {move_y:.4f} cm {DESIGN} Do Q\n"
        .encode())
    under_reference = writer._add_object(under)
    for page in writer.pages:
        page_resources = page.get("/Resources")
        page_resources = (page_resources.get_object() if page_resources is not None
                          else DictionaryObject())
        page[NameObject("/Resources")] = page_resources
        objects = page_resources.get("/XObject")
        objects = objects.get_object() if objects is not None else DictionaryObject()
        objects[NameObject(DESIGN)] = form_reference
        page_resources[NameObject("/XObject")] = objects
        contents = page.get("/Contents")
        if contents is None:
            own = []
        elif isinstance(contents.get_object(), list):
            own = list(contents.get_object())
        else:
            own = [contents]
        page[NameObject("/Contents")] = ArrayObject([under_reference, *own])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
