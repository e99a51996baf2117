"""Decoding text files as clerks' machines write them, and saying how sure it is.

UTF-8 (with or without a byte-order mark) and UTF-16 with a mark are certain.
A file that is UTF-8 but for its last bytes (a truncated copy) is read as UTF-8
and the damage is reported, never re-read in another encoding.  Anything else is
tried as GB18030 (GBK, what Excel on Chinese Windows writes) and accepted only
when the result reads as Chinese: most of its Chinese characters common ones
(GB2312's 6,763).  Otherwise the clerk is asked for ``--encoding``.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from ..i18n import _
from .plan import UnreadableFile

#: Below this share of common characters a GB18030 reading is taken for garbage.
PLAUSIBLE_SHARE = 0.9
#: A UTF-8 file whose first invalid byte is this close to its end is truncated.
TRUNCATION_BYTES = 3


class Decoded(NamedTuple):
    text: str
    encoding: str  # as shown to the clerk: "UTF-8", "GB18030 (99% common characters)" …
    damage: str | None = None  # what was wrong and left out, for the report


def decode(data: bytes, origin: str, encoding: str | None = None) -> Decoded:
    """The text of ``data``, or :class:`UnreadableFile` saying what to do.

    ``encoding`` (a Python codec name: gb18030, big5, utf-16 …) skips the guess.
    """
    if encoding:
        return Decoded(_strict(data, _codec(encoding, origin), origin), encoding.upper())
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[3:], "utf-8", origin), "UTF-8 with BOM")
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return Decoded(_strict(data[2:], name, origin), "UTF-16")
    if b"\x00" in data[:8192]:
        raise UnreadableFile(_("{origin} looks like a binary file, not text").format(origin=origin))
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - TRUNCATION_BYTES:
            return Decoded(
                data[:error.start].decode("utf-8"), "UTF-8",
                _(
                    "{origin} is UTF-8 but its last {count} byte(s) are not (the file looks "
                    "truncated); they were left out: check its last line"
                ).format(origin=origin, count=len(data) - error.start),
            )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise neither_utf8_nor_gb18030(origin) from None
    share = plausible_gb18030_share(text, origin)
    return Decoded(text, _("GB18030 ({share:.0%} common characters)").format(share=share))


def neither_utf8_nor_gb18030(origin: str) -> UnreadableFile:
    return UnreadableFile(
        _(
            "{origin} is neither UTF-8 nor GB18030 text; save it from Excel or WPS as "
            "'CSV UTF-8', or give its encoding with --encoding (e.g. --encoding big5)"
        ).format(origin=origin)
    )


def plausible_gb18030_share(text: str, origin: str) -> float:
    """The :func:`common_share` of ``text`` read as GB18030; raises UnreadableFile
    when it is too low for a Chinese text (another encoding read as GB18030)."""
    share = common_share(text)
    if share < PLAUSIBLE_SHARE:
        raise UnreadableFile(
            _(
                "{origin} is not UTF-8, and read as GB18030 only {share:.0%} of its Chinese "
                "characters are common ones: it may be in another encoding (Big5?). Give it "
                "with --encoding (e.g. --encoding big5), or save the file as UTF-8"
            ).format(origin=origin, share=share)
        )
    return share


def common_share(text: str) -> float:
    """The share of Chinese characters in ``text`` that are common ones (GB2312);
    1.0 for a text without any."""
    han = [char for char in text if "\u3400" <= char <= "\u9fff" or char > "\uffff"]
    if not han:
        return 1.0
    common = 0
    for char in han:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common / len(han)


def _codec(encoding: str, origin: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UnreadableFile(
            _("unknown encoding {encoding!r} for {origin}; for example gb18030, big5, utf-8, "
              "utf-16").format(encoding=encoding, origin=origin)
        ) from None


def _strict(data: bytes, encoding: str, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("{origin} is not valid {encoding} (byte {byte}); the file may be truncated").format(
                origin=origin, encoding=encoding.upper(), byte=error.start
            )
        ) from None
