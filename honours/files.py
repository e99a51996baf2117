"""The tool's own files: opened without following a link, only when they are
regular files, and read within a bound.

The database's companions (its lock and lock holder, journal, ledger,
overrides, backups and temporary files) are honours' own: a symbolic link,
a named pipe (FIFO), a device or a socket in their place was planted or made
by mistake, and is refused with a sentence, never followed, waited on or
read without end.  Opening never blocks: a FIFO is opened with
``O_NONBLOCK`` and told by ``fstat`` on the opened descriptor (not by a
``stat`` before the open, which another process could race), and
``O_NOFOLLOW`` makes the system itself refuse a link.  Every read stops at a
limit (below): ``/dev/zero`` or a file grown without end is refused, never
read into memory.

Also the base of the storage errors, so that a refusal here is a
:class:`StoreError` wherever the storage layer's errors are caught.  Nothing
here imports the rest of honours but the error base and the translations.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import HonoursError
from .i18n import _

#: The database, a backup of it, and a roll read by ``find --in``: 64 MiB
#: (a roll of 100,000 winners is under 10 MB).
DATABASE_BYTES = 64 << 20
#: The values (numbers, texts, records, tables) the database may hold, counted
#: before it is parsed (a comma or an opening bracket each): 2,500,000.  A roll of
#: 100,000 winners with ten fields each holds about 1,100,000; 64 MiB of ``"a",``
#: would be 16 million texts, over a gigabyte once parsed, and 2,000,000 empty
#: records took 590 MB before they were refused.
DATABASE_VALUES = 2_500_000
#: The certificate ledger: 128 MiB (100,000 numbers take about 30 MB).
LEDGER_BYTES = 128 << 20
#: The change journal: 64 MiB (a change's line is a few hundred bytes).
JOURNAL_BYTES = 64 << 20
#: The lock holder's line (a process id, a command line and a time): 64 KiB.
HOLDER_BYTES = 64 << 10
#: A character override file: 4 MiB.
OVERRIDES_BYTES = 4 << 20
#: The record of a series of certificate numbers shared by the years' rolls: 4 MiB.
SERIES_BYTES = 4 << 20

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
#: What opening a link with O_NOFOLLOW reports: Linux ELOOP, FreeBSD EMLINK, NetBSD EFTYPE.
_LINK_ERRNOS = {errno.ELOOP, getattr(errno, "EMLINK", -1), getattr(errno, "EFTYPE", -1)}


class StoreError(HonoursError):
    """Base of all storage errors; ``str(error)`` is the message to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


#: The kinds of file a :class:`NotARegularFile` names.
LINK, FIFO, DEVICE, SOCKET, FOLDER, OTHER = "link", "fifo", "device", "socket", "folder", "other"


class NotARegularFile(StoreError):
    """A file honours reads or writes is a link, a FIFO, a device, a socket or a folder."""

    def __init__(self, path: Path, what: str, kind: str) -> None:
        self.path = Path(path)
        self.what = what  # "the certificate ledger", in the interface language
        self.kind = kind  # LINK, FIFO, DEVICE …
        super().__init__(_refusal_sentence(self.path, what, kind))


class FileTooLarge(StoreError):
    """A file honours reads is larger than the limit for its kind."""

    def __init__(self, path: Path, what: str, limit: int) -> None:
        self.path = Path(path)
        self.what = what
        self.limit = limit
        super().__init__(
            _("{what} {path} is larger than {size} MB, the most honours reads for it; it "
              "was not read, and nothing was changed. Is it the right file?").format(
                what=_capital(what), path=self.path, size=_megabytes(limit))
        )


def _capital(what: str) -> str:
    return what[:1].upper() + what[1:]


def _megabytes(limit: int) -> str:
    return f"{limit / (1 << 20):g}"


def _refusal_sentence(path: Path, what: str, kind: str) -> str:
    what = _capital(what)
    if kind == LINK:
        return _("{what} {path} is a symbolic link; honours never follows a link for its "
                 "own files. Nothing was changed. Remove the link (or put the file itself "
                 "there) and run the command again.").format(what=what, path=path)
    described = {
        FIFO: _("a named pipe (FIFO)"),
        DEVICE: _("a device"),
        SOCKET: _("a socket"),
        FOLDER: _("a folder"),
    }.get(kind, _("not a regular file"))
    return _("{what} {path} is {kind}, not a regular file; honours refused it rather than "
             "wait on it or read it without end. Nothing was changed. Check the path: "
             "honours reads and writes only regular files.").format(
                 what=what, path=path, kind=described)


def kind_of(mode: int) -> str | None:
    """What a file's mode says it is, ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISFIFO(mode):
        return FIFO
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return DEVICE
    if stat.S_ISSOCK(mode):
        return SOCKET
    if stat.S_ISDIR(mode):
        return FOLDER
    return OTHER


def check_regular(path: Path, what: str, follow: bool = False) -> bool:
    """Refuse ``path`` unless it is a regular file or absent (``follow``: a link
    is judged by what it points to); whether it exists.  For a path about to be
    replaced by a rename (which never writes through a link): the refusal comes
    before any work.  Opening goes through :func:`open_regular`, which checks
    the file it opened."""
    try:
        info = os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        return False
    kind = kind_of(info.st_mode)
    if kind is not None:
        raise NotARegularFile(Path(path), what, kind)
    return True


def open_regular(path: Path, what: str, flags: int = os.O_RDONLY, mode: int = 0o644,
                 follow: bool = False) -> int:
    """A descriptor of ``path`` opened with ``flags``, if it is a regular file.

    Never follows a link (``follow``: a link the user made, to a regular file),
    never blocks (a FIFO is opened without waiting for its other end, then
    refused).  Raises :class:`NotARegularFile`, or the OSError of the open
    (FileNotFoundError when it does not exist and ``flags`` do not create it)."""
    path = Path(path)
    if not (_NOFOLLOW and _NONBLOCK):  # Windows: no such flags; judge the path first
        check_regular(path, what, follow)
    extra = (0 if follow else _NOFOLLOW) | _NONBLOCK | _CLOEXEC | _BINARY
    try:
        fd = os.open(path, flags | extra, mode)
    except OSError as error:
        # A link refused by O_NOFOLLOW, or a FIFO nobody reads opened for writing
        # (ENXIO): say what the path is rather than the system's word.
        if error.errno in _LINK_ERRNOS or error.errno == errno.ENXIO:
            check_regular(path, what, follow)
        raise
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            raise NotARegularFile(path, what, kind)
        if _NONBLOCK:
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular_file(path: Path, limit: int, what: str, follow: bool = False) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (see
    :func:`open_regular`); :class:`FileTooLarge` beyond, before reading it.
    FileNotFoundError and the other OSErrors of reading are the caller's."""
    fd = open_regular(path, what, follow=follow)
    try:
        if os.fstat(fd).st_size > limit:
            raise FileTooLarge(Path(path), what, limit)
        parts, total = [], 0
        while True:  # to the end, but never past the limit (a file still growing)
            part = os.read(fd, min(1 << 20, limit + 1 - total))
            if not part:
                break
            parts.append(part)
            total += len(part)
            if total > limit:
                raise FileTooLarge(Path(path), what, limit)
        return b"".join(parts)
    finally:
        os.close(fd)


def open_input(path: Path):
    """A binary file object of a file the user gives to read (an import, a list
    to check), opened without waiting: a named pipe nothing writes to reads as
    empty at once instead of blocking (a pipe with a writer, as ``<(command)``
    gives, reads as usual); a folder is refused.  The reader bounds what it reads."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if _NONBLOCK:
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def write_regular_file(path: Path, payload: bytes, what: str) -> None:
    """Write ``payload`` over ``path`` in place (created if absent), if it is a
    regular file: for the small files that need no atomic replace (the lock
    holder).  A crash may leave it cut short; its reader copes."""
    fd = open_regular(path, what, os.O_WRONLY | os.O_CREAT)
    try:
        os.ftruncate(fd, 0)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def process_alive(pid: int) -> bool:
    """Whether a process of that id exists (under any user): the writer of a
    temporary file, or the lock holder a holder file names."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
