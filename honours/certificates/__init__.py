"""Certificates (荣誉证书): one page per winner, text placed in millimetres.

:mod:`.text` fills the template for each register row, :mod:`.layout` reads the
layout file, :mod:`.fonts` finds a CJK font, :mod:`.fit` shrinks and wraps text
into its block, and :mod:`.pdf`, :mod:`.docx` and :mod:`.preview` write files.
The files a user hands in are read bounded: :mod:`.inputs` (regular files only,
up to a size), :mod:`.docx_package` (the Word template's zip) and
:mod:`.background` (the design).
Nothing here touches the database: the command line hands in register rows.
"""

from __future__ import annotations

from ..errors import HonoursError


class CertificateError(HonoursError):
    """A certificate cannot be made; the message says why and what to do."""
