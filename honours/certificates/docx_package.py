"""The office's Word template as a zip package, read with bounds and cleaned
before python-docx sees it (docs/certificates.md, "Bounds"):

- the file, the number of parts, each part's unpacked size and the total are
  bounded, from the zip's directory, before anything is unpacked (a part's
  unpacking stops at its declared size: a directory that lies fails the CRC);
- a picture's declared pixel size (PNG, JPEG, GIF, BMP headers) is bounded
  without decoding it;
- a DTD (``<!DOCTYPE``) in any part is refused: a Word document never has one,
  and its entities could read other files or blow up;
- macros (``vbaProject.bin`` and what goes with it) and every external
  relationship (an attached template, a linked picture, a hyperlink's target)
  are dropped, with a sentence for each: the certificates never carry them.

What is kept is handed on as a new in-memory package."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _, ngettext
from . import CertificateError
from .inputs import MB, megabytes, read_bounded, too_large


@dataclass(frozen=True)
class Limits:
    """The bounds of a Word template (lowered by tests)."""

    file: int = 64 * MB  # the .docx on disk
    parts: int = 1000  # entries of the zip
    part: int = 40 * MB  # one part unpacked (a picture)
    xml_part: int = 8 * MB  # one XML part unpacked (document.xml, styles.xml…)
    xml_total: int = 24 * MB  # all XML parts unpacked (python-docx holds them as trees)
    total: int = 100 * MB  # all parts unpacked
    pixels: int = 80_000_000  # a picture's width × height (A3 at 600 dpi: 70 million)
    #: the body (document.xml) × the copies filled in one run
    filled: int = 16 * MB


LIMITS = Limits()

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Relationship types of macros and what only macros use.
MACRO_RELATIONSHIPS = {
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
    "http://schemas.microsoft.com/office/2006/relationships/wordVbaData",
    "http://schemas.microsoft.com/office/2006/relationships/keyMapCustomizations",
    "http://schemas.microsoft.com/office/2006/relationships/attachedToolbars",
}
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: A DTD's opening, as UTF-8 and as UTF-16 (an XML part may be either).
_DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


@dataclass
class Package:
    """The cleaned package: its bytes for python-docx, the size of its body,
    and a sentence for each thing dropped."""

    data: bytes
    body_size: int
    dropped: list[str] = field(default_factory=list)


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


def read_package(path: Path, limits: Limits | None = None) -> Package:
    limits = limits or LIMITS
    what = "--docx-template"
    raw = read_bounded(path, limits.file, what)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise CertificateError(
            _("--docx-template {path}: not a .docx file (a .doc must be saved as .docx "
              "in Word or WPS first)").format(path=path)
        ) from None
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise CertificateError(
            _("--docx-template {path} has {count} parts, more than the {limit} honours "
              "reads; a certificate template has a few dozen").format(
                path=path, count=len(infos), limit=limits.parts))
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise CertificateError(
            _("--docx-template {path}: a part is stored twice in the zip; save the "
              "template again in Word or WPS").format(path=path))
    total = xml_total = 0
    for info in infos:
        xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
        limit = min(limits.xml_part if xml else limits.part, limits.part)
        if info.file_size > limit:
            raise CertificateError(too_large(
                what, f"{path}: {info.filename}", info.file_size, limit))
        total += info.file_size
        xml_total += info.file_size if xml else 0
    if xml_total > limits.xml_total:
        raise CertificateError(
            _("--docx-template {path}: its XML parts unpack to {size}, more than the "
              "{limit} honours reads; a certificate template's are well under 2 MB").format(
                path=path, size=megabytes(xml_total), limit=megabytes(limits.xml_total)))
    if total > limits.total:
        raise CertificateError(
            _("--docx-template {path} unpacks to {size}, more than the {limit} honours "
              "reads for it").format(path=path, size=megabytes(total),
                                     limit=megabytes(limits.total)))
    parts: dict[str, bytes] = {}
    for info in infos:
        try:
            parts[info.filename] = archive.read(info)
        except Exception as error:  # zipfile: bad CRC, encryption, unknown compression
            raise CertificateError(
                _("--docx-template {path}: cannot read it ({error})").format(
                    path=path, error=error)
            ) from None
    for name, data in parts.items():
        _check_part(path, name, data, limits)
    dropped = _clean(path, parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as cleaned:
        for name, data in parts.items():
            cleaned.writestr(name, data)
    return Package(out.getvalue(), len(parts.get("word/document.xml", b"")), dropped)


def _check_part(path: Path, name: str, data: bytes, limits: Limits) -> None:
    size = image_size(data)
    if size is not None and size[0] * size[1] > limits.pixels:
        raise CertificateError(
            _("--docx-template {path}: the picture {part} is {width}×{height} pixels, more "
              "than the {limit:,} honours accepts; save it smaller (300 dpi is plenty for "
              "print)").format(path=path, part=name, width=size[0], height=size[1],
                               limit=limits.pixels))
    if size is None and any(doctype in data for doctype in _DOCTYPES):
        raise CertificateError(
            _("--docx-template {path}: {part} declares a DTD (<!DOCTYPE …>), which no Word "
              "document has and whose entities could read other files; save the template "
              "again in Word or WPS").format(path=path, part=name))


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) a picture's header declares, or None if it is not a PNG,
    JPEG, GIF or BMP; read from the header only, never decoded."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"BM") and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data) or (0, 0)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _rels_source(rels_name: str) -> str | None:
    """The part a .rels file belongs to: word/_rels/document.xml.rels ->
    word/document.xml; the package's own _rels/.rels -> None."""
    folder, _slash, file = rels_name.rpartition("/")
    if not folder.endswith("_rels") or not file.endswith(".rels"):
        return None
    base = folder[: -len("_rels")]
    source = base + file[: -len(".rels")]
    return source or None


def _clean(path: Path, parts: dict[str, bytes]) -> list[str]:
    """Drop macro and external relationships (and the references to them);
    returns a sentence for what was dropped."""
    from lxml import etree

    macros: list[str] = []
    external: list[str] = []
    for name in [n for n in parts if n.endswith(".rels")]:
        try:
            root = etree.fromstring(parts[name], _parser())
        except etree.XMLSyntaxError:
            continue  # python-docx says what is wrong with it
        gone = set()
        for relationship in list(root.iter(f"{{{_PR}}}Relationship")):
            kind = relationship.get("Type", "")
            if kind in MACRO_RELATIONSHIPS:
                macros.append(relationship.get("Target", ""))
            elif relationship.get("TargetMode") == "External":
                external.append("{} → {}".format(kind.rsplit("/", 1)[-1],
                                                 relationship.get("Target", "")))
            else:
                continue
            gone.add(relationship.get("Id"))
            root.remove(relationship)
        if not gone:
            continue
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
        source = _rels_source(name)
        if source in parts:
            parts[source] = _without_references(parts[source], gone)
    if "[Content_Types].xml" in parts and MACRO_MAIN.encode() in parts["[Content_Types].xml"]:
        # a macro-enabled document (.docm) without its macros is a plain one
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            MACRO_MAIN.encode(), PLAIN_MAIN.encode())
    dropped = []
    if macros:
        dropped.append(ngettext(
            "--docx-template {path}: its macro part ({parts}) is left out of the certificates",
            "--docx-template {path}: its macro parts ({parts}) are left out of the certificates",
            len(macros)).format(path=path, parts=", ".join(macros)))
    if external:
        dropped.append(ngettext(
            "--docx-template {path}: its link to an outside file ({links}) is left out of "
            "the certificates",
            "--docx-template {path}: its {count} links to outside files ({links}) are left "
            "out of the certificates", len(external)).format(
                path=path, count=len(external), links="; ".join(external[:5])
                + ("…" if len(external) > 5 else "")))
    return dropped


def _without_references(data: bytes, ids: set[str]) -> bytes:
    """The part without its references to the relationship ids ``ids``: an
    attached template's element goes, any other element only loses the
    attribute (a hyperlink keeps its text, a linked picture its frame)."""
    from lxml import etree

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return data
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        hits = [key for key, value in element.attrib.items()
                if key.startswith(f"{{{_R}}}") and value in ids]
        if not hits:
            continue
        if element.tag == f"{{{_W}}}attachedTemplate" and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for key in hits:
            del element.attrib[key]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
