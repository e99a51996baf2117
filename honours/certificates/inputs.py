"""The files a user hands to the certificate commands (the layout, the text
template, the Word template, the background): read only when they are regular
files and only up to a size, so that a pipe, a device or a huge file is refused
at once, before any work and before any number is issued (docs/certificates.md,
"Bounds")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import os_reason
from ..files import FileTooLarge, NotARegularFile, read_regular_file
from ..i18n import _
from . import CertificateError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MB = 1024 * 1024
#: How deep a layout's or text template's TOML may nest: they need three
#: levels ([[block]] > its table > [x, y]).
MAX_DEPTH = 8


def megabytes(size: int) -> str:
    """A size as a clerk reads it: "1.5 MB", "600 MB", "340 KB"."""
    value = size / MB
    if value < 1:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{value:,.0f} MB" if value >= 100 else f"{value:.3g} MB"


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, refused when it holds more than
    ``limit`` bytes; ``what`` names the file in messages ("--docx-template").
    Read as every file honours reads (:func:`honours.files.read_regular_file`): a
    pipe or a device is refused at once, never waited on; a link the user made to
    their own layout or template is followed."""
    try:
        return read_regular_file(path, limit, what, follow=True)
    except FileTooLarge:
        try:
            size = os.stat(path).st_size
        except OSError:
            size = limit + 1
        raise CertificateError(too_large(what, path, max(size, limit + 1), limit)) from None
    except NotARegularFile as refused:
        raise CertificateError(str(refused)) from None
    except OSError as error:
        raise CertificateError(
            _("{what} {path}: cannot read it: {reason}").format(
                what=what, path=path, reason=os_reason(error))
        ) from None


def too_large(what: str, path, size: int, limit: int) -> str:
    return _("{what} {path} is {size}, more than the {limit} honours reads for it").format(
        what=what, path=path, size=megabytes(size), limit=megabytes(limit))


def read_toml(text: str, source: str, kind: str, max_depth: int = MAX_DEPTH) -> dict:
    """The TOML ``text`` of a layout or text template (``kind`` names it in
    messages), refused when it does not parse or nests deeper than ``max_depth``
    (tomllib recurses: 10,000 nested brackets exhaust Python's stack)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CertificateError(
            _("{source} is not a valid TOML {kind}: {error}").format(
                source=source, kind=kind, error=error)
        ) from None
    except RecursionError:
        data = None
    if data is None or _depth(data, max_depth) > max_depth:
        raise CertificateError(
            _("{source}: its tables and lists nest more than {depth} deep; a {kind} needs "
              "three levels at most").format(source=source, depth=max_depth, kind=kind))
    return data


def _depth(value, limit: int) -> int:
    """How many tables and lists nest in ``value``, counted up to ``limit + 1``."""
    if not isinstance(value, (dict, list)):
        return 0
    if limit <= 0:
        return 1
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)
