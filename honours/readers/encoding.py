"""Decoding text files as clerks' machines write them."""

from __future__ import annotations

import codecs

from ..i18n import _
from .plan import UnreadableFile

#: Tried in order; Excel on Chinese Windows saves CSV as GBK, a subset of GB18030.
ENCODINGS = ("utf-8", "gb18030")


def decode(data: bytes, origin: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise :class:`UnreadableFile`.

    UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark
    (Excel's "Unicode text"), else GB18030; a file with NUL bytes and no UTF-16
    mark is binary.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", origin), "UTF-8 with BOM"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[2:], name, origin), name.upper().replace("-LE", "").replace(
                "-BE", ""
            )
    if b"\x00" in data[:8192]:
        raise UnreadableFile(_("{origin} looks like a binary file, not text").format(origin=origin))
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding.upper()
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _(
            "{origin} is neither UTF-8 nor GB18030 text; save it from Excel or WPS as "
            "'CSV UTF-8' and try again"
        ).format(origin=origin)
    )


def _strict(data: bytes, encoding: str, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("{origin} is not valid {encoding} (byte {byte}); the file may be truncated").format(
                origin=origin, encoding=encoding.upper(), byte=error.start
            )
        ) from None
