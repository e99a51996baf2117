"""Text files and pipes read as a stream: decoded a chunk at a time, lines
counted as they come, so that an import's memory does not grow with the size of
the file beyond the records it imports.

The encoding is decided as :func:`honours.readers.encoding.decode` decides it,
from a bounded prefix: a byte-order mark or ``--encoding`` is certain; without
one, ASCII is read as it comes (it reads the same in every candidate) and the
first 64 KiB from the first other byte decide between UTF-8 and GB18030 (with
how sure).  A file that is UTF-8 there but damaged further on stays UTF-8: each
damaged place is reported with its line and left out, never re-read in another
encoding; damage in its last bytes is a truncated copy, as before.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import os_reason
from ..i18n import _
from . import limits
from .encoding import (
    TRUNCATION_BYTES,
    _codec,
    neither_utf8_nor_gb18030,
    plausible_gb18030_share,
)
from .plan import UnreadableFile

#: How much is read (and decoded) at a time.
CHUNK = 1 << 20
#: Bytes after the first non-ASCII one that decide the encoding.
WINDOW = 1 << 16
#: Damaged places reported one by one; the rest are counted.
MAX_DAMAGE_REPORTS = 20

_NON_ASCII = re.compile(rb"[\x80-\xff]")


def too_large(origin: str, limit: int) -> UnreadableFile:
    return UnreadableFile(
        _("{origin} is more than {limit:,} bytes: too large for a roll; nothing more "
          "was read").format(origin=origin, limit=limit)
    )


def too_many_lines(origin: str, limit: int) -> UnreadableFile:
    return UnreadableFile(
        _(
            "{origin} has more than {limit:,} lines, more than an import reads; reading "
            "stopped at line {line:,}: split it into smaller files"
        ).format(origin=origin, limit=limit, line=limit + 1)
    )


def line_too_long(origin: str, line: int, limit: int) -> UnreadableFile:
    return UnreadableFile(
        _("{origin}, line {line:,}: a line may hold at most {limit:,} characters, and this "
          "one is longer; reading stopped there (is it the right file? a table saved "
          "with another line end?)").format(origin=origin, line=line, limit=limit)
    )


def regular_size(stream: BinaryIO) -> int | None:
    """The size of a regular file, None for a pipe, a device or anything else."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, AttributeError, io.UnsupportedOperation):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


class TextStream:
    """The text of a binary stream (a file, a pipe, standard input), decoded as it
    is read.  ``head`` holds bytes already read from the stream.

    :meth:`prefix` gives the first characters (to tell a CSV table from a list
    or a roll); :meth:`lines` every line, once.  ``encoding`` (as shown to the
    clerk) is known after :meth:`prefix` or the first line; ``damage`` lists
    what decoding left out, each with its line.
    """

    def __init__(
        self, stream: BinaryIO, origin: str, encoding: str | None = None, head: bytes = b"",
        limit: int | None = None, max_lines: int | None = None, chunk: int = CHUNK,
        window: int = WINDOW,
    ) -> None:
        limit = limits.MAX_BYTES if limit is None else limit
        self.origin = origin
        self.given = encoding
        self.encoding = ""
        self.damage: list[str] = []
        self._damaged = 0  # damaged places found, reported or not
        self._stream = stream
        self._head = head
        self._read_bytes = len(head)
        self._limit = limit
        self._max_lines = limits.MAX_LINES if max_lines is None else max_lines
        self._error: UnreadableFile | None = None  # met by prefix(), raised again by lines()
        self._newlines = 0
        self._eof = False
        self._chunk, self._window = chunk, window
        self._texts = self._decoded()
        self._early: list[str] = []  # text decoded by prefix(), given out again by lines()
        size = regular_size(stream)
        if size is not None and size > limit:
            raise too_large(origin, limit)

    # -- bytes -------------------------------------------------------------------------
    def _read(self, size: int = 0) -> bytes:
        if self._head:
            data, self._head = self._head, b""
            return data
        if self._eof:
            return b""
        try:
            data = self._stream.read(size or self._chunk)
        except OSError as error:
            raise UnreadableFile(
                _("cannot read {file}: {error}").format(file=self.origin, error=os_reason(error))
            ) from None
        if not data:
            self._eof = True
            return b""
        self._read_bytes += len(data)
        if self._read_bytes > self._limit:
            raise too_large(self.origin, self._limit)
        return data

    def _fill(self, data: bytes, size: int) -> bytes:
        """``data`` and more, until it holds ``size`` bytes or the input ends."""
        parts = [data]
        have = len(data)
        while have < size:
            more = self._read(max(size - have, self._chunk))
            if not more:
                break
            parts.append(more)
            have += len(more)
        return b"".join(parts)

    # -- text --------------------------------------------------------------------------
    def _count(self, text: str) -> str:
        self._newlines += text.count("\n")
        if self._newlines > self._max_lines:
            raise too_many_lines(self.origin, self._max_lines)
        return text

    def _decoded(self) -> Iterator[str]:
        """The text, a piece at a time (lines may be cut between pieces)."""
        data = self._fill(self._read(), 8192)
        strict = None
        if self.given:
            strict, self.encoding = _codec(self.given, self.origin), self.given.upper()
        elif data.startswith(codecs.BOM_UTF8):
            data, strict, self.encoding = data[3:], "utf-8", "UTF-8 with BOM"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            strict = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
            data, self.encoding = data[2:], "UTF-16"
        elif b"\x00" in data[:8192]:
            raise UnreadableFile(
                _("{origin} looks like a binary file, not text").format(origin=self.origin))
        if strict is not None:
            yield from self._strict(strict, data)
            return
        # Undecided: ASCII reads the same in UTF-8 and GB18030, so it is given out
        # as it comes; the first bytes beyond it decide.
        while data:
            found = _NON_ASCII.search(data)
            if found is None:
                yield self._count(data.decode("ascii"))
                data = self._read()
                continue
            if found.start():
                yield self._count(data[:found.start()].decode("ascii"))
            data = self._fill(data[found.start():], self._window)
            break
        if not data:
            self.encoding = self.encoding or "UTF-8"
            return
        if self._is_utf8(data):
            self.encoding = "UTF-8"
            yield from self._utf8(data)
            return
        share = self._gb18030_share(data)
        self.encoding = _("GB18030 ({share:.0%} common characters)").format(share=share)
        yield from self._strict("gb18030", data, gb18030=True)

    def _is_utf8(self, window: bytes) -> bool:
        try:
            window.decode("utf-8")
        except UnicodeDecodeError as error:
            # Cut by the window (more follows) or the last bytes of a truncated copy.
            return error.start >= len(window) - TRUNCATION_BYTES and _valid_utf8(
                window[:error.start])
        return True

    def _gb18030_share(self, window: bytes) -> float:
        try:
            text = codecs.getincrementaldecoder("gb18030")().decode(window, final=self._eof)
        except UnicodeDecodeError:
            raise neither_utf8_nor_gb18030(self.origin) from None
        return plausible_gb18030_share(text, self.origin)

    def _strict(self, codec: str, data: bytes, gb18030: bool = False) -> Iterator[str]:
        """Text in an encoding that is certain (a mark, ``--encoding``) or chosen:
        any invalid byte refuses the file, as a whole-file decoding did."""
        decoder = codecs.getincrementaldecoder(codec)()
        offset = 0  # of data's first byte, after any byte-order mark
        following = self._read()
        while True:
            final = not following
            try:
                text = decoder.decode(data, final=final)
            except UnicodeDecodeError as error:
                if gb18030:
                    raise neither_utf8_nor_gb18030(self.origin) from None
                pending = max(0, len(error.object) - len(data))  # held from the last chunk
                raise UnreadableFile(
                    _("{origin} is not valid {encoding} (byte {byte}); the file may be "
                      "truncated").format(origin=self.origin, encoding=codec.upper(),
                                          byte=max(0, offset - pending + error.start))
                ) from None
            if text:
                yield self._count(text)
            if final:
                return
            offset += len(data)
            data, following = following, self._read()

    def _utf8(self, data: bytes) -> Iterator[str]:
        """UTF-8 text; a damaged place is reported with its line and left out, and
        damage in the last bytes is a truncated copy."""
        carry = b""  # an incomplete sequence at the end of a chunk
        following = self._read()
        while True:
            final = not following
            buffer = carry + data if carry else data
            carry = b""
            while buffer:
                try:
                    text = buffer.decode("utf-8")
                    buffer = b""
                except UnicodeDecodeError as error:
                    start, end = error.start, error.end
                    text = buffer[:start].decode("utf-8")
                    near_end = start >= len(buffer) - TRUNCATION_BYTES
                    if near_end and final:
                        self._truncated(len(buffer) - start)
                        buffer = b""
                    elif near_end and error.reason == "unexpected end of data":
                        carry, buffer = buffer[start:], b""  # completed by the next chunk
                    else:
                        self._damaged_at(self._newlines + text.count("\n") + 1, end - start)
                        buffer = buffer[end:]
                if text:
                    yield self._count(text)
            if final:
                return
            data, following = following, self._read()

    def _truncated(self, count: int) -> None:
        self.damage.append(
            _(
                "{origin} is UTF-8 but its last {count} byte(s) are not (the file looks "
                "truncated); they were left out: check its last line"
            ).format(origin=self.origin, count=count)
        )

    def _damaged_at(self, line: int, count: int) -> None:
        self._damaged += 1
        if self._damaged <= MAX_DAMAGE_REPORTS:
            self.damage.append(
                _(
                    "{origin}, line {line}: {count} byte(s) are not UTF-8 (a damaged copy?); "
                    "they were left out: check this line"
                ).format(origin=self.origin, line=line, count=count)
            )
        elif self._damaged == MAX_DAMAGE_REPORTS + 1:
            self.damage.append(
                _("{origin}: more damaged lines; only the first {count} are named").format(
                    origin=self.origin, count=MAX_DAMAGE_REPORTS)
            )

    # -- what readers use --------------------------------------------------------------
    def prefix(self, size: int = 65536) -> str:
        """At least the first ``size`` characters (fewer in a shorter text)."""
        have = sum(map(len, self._early))
        try:
            for text in self._texts:
                self._early.append(text)
                have += len(text)
                if have >= size:
                    break
        except UnreadableFile as error:
            self._error = error
            raise
        return "".join(self._early)

    def texts(self) -> Iterator[str]:
        """The whole text, a piece at a time, once."""
        early, self._early = self._early, []
        yield from early
        if self._error is not None:
            raise self._error
        yield from self._texts

    def lines(self, universal: bool = False, max_chars: int | None = None) -> Iterator[str]:
        """Every line, once.  ``universal``: ends kept and ``\\r`` alone ends a line
        too, as a CSV reader wants them (``open(newline="")``); otherwise lines are
        cut at ``\\n`` with its ``\\r`` before it removed, as
        :func:`~honours.readers.pasted.read_pasted` cuts a text.  A line longer than
        ``max_chars`` (default MAX_LINE_CHARS) is refused as soon as it is, before it
        is joined: a file of one 100 MB line is never held as one text."""
        limit = limits.MAX_LINE_CHARS if max_chars is None else max_chars
        pending: list[str] = []  # pieces of a line not ended yet
        waiting = 0  # their length
        number = 0  # lines given out
        for text in self.texts():
            if "\n" not in text and (not universal or "\r" not in text):
                pending.append(text)
                waiting += len(text)
                if waiting > limit:
                    raise line_too_long(self.origin, number + 1, limit)
                continue
            if pending:
                pending.append(text)
                text, pending, waiting = "".join(pending), [], 0
            if universal:
                parts = list(io.StringIO(text, newline=""))
                if parts and not parts[-1].endswith("\n"):  # "\r" may precede "\n"
                    pending.append(parts.pop())
                    waiting = len(pending[0])
            else:
                parts = text.split("\n")
                pending.append(parts.pop())
                waiting = len(pending[0])
                parts = [part[:-1] if part.endswith("\r") else part for part in parts]
            for part in parts:
                number += 1
                if len(part) > limit:
                    raise line_too_long(self.origin, number, limit)
                yield part
            if waiting > limit:
                raise line_too_long(self.origin, number + 1, limit)
        rest = "".join(pending)
        if universal:
            if rest:
                yield from io.StringIO(rest, newline="")
        else:
            yield rest


def count_lines(stream: BinaryIO, origin: str, head: bytes = b"") -> None:
    """Refuse a regular file of more than MAX_LINES lines before anything is
    decoded: its line ends are counted in the bytes (``head`` those already read;
    exact in every encoding but UTF-16 and UTF-32), and reading stops at the
    first line over the limit; the stream is then put back where it was."""
    max_lines = limits.MAX_LINES
    position = stream.tell()
    newlines = head.count(b"\n")
    if newlines > max_lines:
        raise too_many_lines(origin, max_lines)
    while chunk := stream.read(CHUNK):
        newlines += chunk.count(b"\n")
        if newlines > max_lines:
            raise too_many_lines(origin, max_lines)
    stream.seek(position)


def spool(stream: BinaryIO, origin: str, head: bytes, count: bool = True) -> BinaryIO:
    """A temporary file holding ``head`` and the rest of ``stream`` (a pipe, a
    device), copied a chunk at a time: at most MAX_BYTES, and (``count``) at
    most MAX_LINES line ends, refused as soon as either is passed; positioned at
    its start.  It is deleted when closed."""
    import tempfile

    limit, max_lines = limits.MAX_BYTES, limits.MAX_LINES
    copy = tempfile.TemporaryFile(prefix="honours-import-")
    try:
        size = newlines = 0
        chunk = head
        while chunk:
            size += len(chunk)
            if size > limit:
                raise too_large(origin, limit)
            if count:
                newlines += chunk.count(b"\n")
                if newlines > max_lines:
                    raise too_many_lines(origin, max_lines)
            copy.write(chunk)
            try:
                chunk = stream.read(CHUNK)
            except OSError as error:
                raise UnreadableFile(_("cannot read {file}: {error}").format(
                    file=origin, error=os_reason(error))) from None
        copy.seek(0)
    except BaseException:
        copy.close()
        raise
    return copy


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
