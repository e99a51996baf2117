"""The office's own Word certificate (``--docx-template``): the .docx it
designed, with placeholders such as ``{姓名}`` and ``{荣誉}``, filled once per
winner; all copies in one document, each its own section (a new page with the
template's page setup, headers and background), as Word's mail merge does.

Word splits typed text into runs wherever formatting, spelling marks or an
edit session changed (``{姓`` ``名}``): placeholders are found in the
paragraph's joined text and replaced in the runs that hold them, the value
taking the formatting of the run where the placeholder starts.  Everything
else in the template (fonts, frames, text boxes, tables, pictures behind the
text) is copied as it is.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from . import CertificateError, docx_package
from .docx_package import Limits, read_package
from .inputs import megabytes
from .text import CHINESE_NAMES, PLACEHOLDERS, fields_for, spread_recipient
from .wordfit import Styles, keep_on_one_page, page_for

#: A placeholder: a name in braces, no spaces or braces inside.
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,24})\}")
#: Placeholders whose value is the same on every certificate (allowed in headers).
SHARED = {"year", "issuer", "title", "date"}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return "{{{}}}{}".format({"w": _W, "wp": _WP, "w14": _W14}[prefix], name)


def _english(name: str) -> str | None:
    english = CHINESE_NAMES.get(name, name)
    return english if english in PLACEHOLDERS else None


def _texts_of(paragraph) -> list:
    """The w:t elements of this paragraph, not of paragraphs nested in its text boxes."""
    return [
        t for t in paragraph.iter(_q("w:t"))
        if next(t.iterancestors(_q("w:p")), None) is paragraph
    ]


def paragraph_placeholders(paragraph) -> list[str]:
    return PLACEHOLDER.findall("".join(t.text or "" for t in _texts_of(paragraph)))


def replace_in_paragraph(paragraph, values: dict[str, str]) -> None:
    """Replace every known placeholder of the paragraph, across runs."""
    texts = _texts_of(paragraph)
    joined = "".join(t.text or "" for t in texts)
    matches = [m for m in PLACEHOLDER.finditer(joined) if _english(m.group(1))]
    if not matches:
        return
    owner = []  # for each character of ``joined``: (w:t index, offset in it)
    for index, t in enumerate(texts):
        owner += [(index, offset) for offset in range(len(t.text or ""))]
    for match in reversed(matches):
        value = values[_english(match.group(1))]
        first, first_at = owner[match.start()]
        last, last_at = owner[match.end() - 1]
        head = texts[first].text or ""
        if first == last:
            texts[first].text = head[:first_at] + value + head[last_at + 1:]
        else:
            texts[first].text = head[:first_at] + value
            for middle in texts[first + 1:last]:
                middle.text = ""
            texts[last].text = (texts[last].text or "")[last_at + 1:]
        for t in (texts[first], texts[last]):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def value_runs(paragraph) -> list:
    """(paragraph, run, placeholder) for each known placeholder of the paragraph:
    the run where it starts, which holds its value once filled."""
    texts = _texts_of(paragraph)
    owner = [t for t in texts for _ in range(len(t.text or ""))]
    joined = "".join(t.text or "" for t in texts)
    return [(paragraph, owner[m.start()].getparent(), m.group(0))
            for m in PLACEHOLDER.finditer(joined) if _english(m.group(1))]


@dataclass
class WordTemplate:
    """The checked template: python-docx's Document, the size of its body (the
    part copied once per winner), what was dropped from it (macros, links to
    outside files: said on the terminal) and the bounds it was read with."""

    document: object
    path: Path
    body_size: int
    dropped: list[str]
    limits: Limits


def load_word_template(path: Path, limits: Limits | None = None) -> WordTemplate:
    """The template, checked: a readable .docx within the bounds of
    :mod:`.docx_package`, whose placeholders are all known, and at least one of
    them in the body."""
    from docx import Document

    if not path.exists():
        raise CertificateError(_("--docx-template {path}: no such file").format(path=path))
    limits = limits or docx_package.LIMITS  # read now: tests lower it
    package = read_package(path, limits)
    try:
        document = Document(io.BytesIO(package.data))
    except Exception as error:  # python-docx raises several kinds for a damaged file
        raise CertificateError(
            _("--docx-template {path}: cannot read it ({error})").format(path=path, error=error)
        ) from None
    known = ", ".join([f"{{{c}}}" for c in CHINESE_NAMES] + [f"{{{p}}}" for p in PLACEHOLDERS])
    found = []
    for paragraph in document.element.body.iter(_q("w:p")):
        found += paragraph_placeholders(paragraph)
    for part in _header_parts(document):
        for paragraph in part._element.iter(_q("w:p")):
            for name in paragraph_placeholders(paragraph):
                if _english(name) and _english(name) not in SHARED:
                    raise CertificateError(
                        _("--docx-template {path}: {{{name}}} is in a header or footer, which "
                          "every page shares; put it in the page's body").format(
                            path=path, name=name)
                    )
    unknown = sorted({name for name in found if not _english(name)})
    if unknown:
        raise CertificateError(
            _("--docx-template {path}: unknown placeholder(s) {names}; placeholders are "
              "{known}").format(path=path, names=", ".join(f"{{{n}}}" for n in unknown),
                                known=known)
        )
    if not found:
        raise CertificateError(
            _("--docx-template {path}: no placeholder found; write e.g. {{姓名}} and {{荣誉}} "
              "where the name and the honour go").format(path=path)
        )
    return WordTemplate(document, path, package.body_size, package.dropped, limits)


def _header_parts(document):
    parts = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):
            if not part.is_linked_to_previous and part not in parts:
                parts.append(part)
    return parts


def _fresh_ids(body) -> None:
    """Drawings need unique ids in a document (Word reports damage otherwise);
    paragraph ids and bookmarks of the copies are dropped (Word makes new ones)."""
    for number, doc_pr in enumerate(body.iter(_q("wp:docPr")), start=1):
        doc_pr.set("id", str(number))
    for element in body.iter():
        for attribute in (_q("w14:paraId"), _q("w14:textId")):
            element.attrib.pop(attribute, None)


def _end_section(elements: list, section_properties) -> None:
    """Make the copy end its own section (the next copy starts a new page)."""
    from docx.oxml import OxmlElement

    last = elements[-1] if elements else None
    if last is None or last.tag != _q("w:p"):
        last = OxmlElement("w:p")
        elements.append(last)
    properties = last.find(_q("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        last.insert(0, properties)
    for old in properties.findall(_q("w:sectPr")):
        properties.remove(old)
    properties.append(copy.deepcopy(section_properties))


def fill_word_template(template: WordTemplate, rows, values: dict[str, str],
                       when: str) -> bytes:
    """One copy of the template's body per register row, in one document; a
    body too large for that many copies is refused before any is made."""
    filled = template.body_size * len(rows)
    if filled > template.limits.filled:
        raise CertificateError(
            _("--docx-template {path}: its body ({body}) copied for {count} winners makes "
              "{size}, more than the {limit} one run writes; print fewer at a time (a "
              "category, or --only)").format(
                path=template.path, body=megabytes(template.body_size), count=len(rows),
                size=megabytes(filled), limit=megabytes(template.limits.filled)))
    document = template.document
    body = document.element.body
    section_properties = body.find(_q("w:sectPr"))
    original = [child for child in body if child.tag != _q("w:sectPr")]
    for child in original:
        body.remove(child)
    shared = fields_for(rows[0], values, when)
    for part in _header_parts(document):
        for paragraph in part._element.iter(_q("w:p")):
            replace_in_paragraph(paragraph, shared)
    styles = Styles(document.styles.element)
    page = page_for(section_properties, original, styles)
    for number, row in enumerate(rows):
        fields = spread_recipient(fields_for(row, values, when), row)  # 马　罡, as in the PDF
        elements = [copy.deepcopy(child) for child in original]
        holders = [holder for element in elements for paragraph in element.iter(_q("w:p"))
                   for holder in value_runs(paragraph)]
        for element in elements:
            for paragraph in element.iter(_q("w:p")):  # the element itself included
                replace_in_paragraph(paragraph, fields)
        # a long value must not push the copy onto a second page, without the design
        keep_on_one_page(elements, holders, styles, page, row.recipient)
        if number < len(rows) - 1 and section_properties is not None:
            _end_section(elements, section_properties)
        if number > 0:  # bookmarks are unique names: only the first copy keeps them
            for element in elements:
                for mark in list(element.iter(_q("w:bookmarkStart"), _q("w:bookmarkEnd"))):
                    mark.getparent().remove(mark)
        for element in elements:
            if section_properties is not None:
                section_properties.addprevious(element)
            else:
                body.append(element)
    _fresh_ids(body)
    properties = document.core_properties
    properties.title = f"{values.get('title', '')}荣誉证书"
    if values.get("issuer"):
        properties.author = values["issuer"]
    properties.language = "zh-CN"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
