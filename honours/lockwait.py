"""Taking the database lock without a silent wait.

While a command holds the lock, the lock's companion file ``NAME.lock.holder``
says who: the process id, the command line and since when.  A command that
finds the lock taken asks its ``waiting`` callback to show that it waits, for
how long and for whom (the command line shows a spinner), until the lock is
free or the timeout is reached.  Nothing here prints.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import files
from .files import StoreError, process_alive, read_regular_file, write_regular_file
from .i18n import _


@dataclass(frozen=True)
class Holder:
    """The process holding the lock, as it wrote itself down."""

    pid: int
    command: str
    since: str  # ISO time


#: waiting(holder) -> a context manager yielding tick(seconds_waited, holder).
Waiting = Callable[[Holder | None], AbstractContextManager[Callable[[float, Holder | None], None]]]

POLL_SECONDS = 0.2


def holder_path(lock_path: Path) -> Path:
    return lock_path.with_name(lock_path.name + ".holder")


def read_holder(lock_path: Path) -> Holder | None:
    """Who holds the lock, if it said so and that process still runs."""
    try:
        raw = read_regular_file(holder_path(lock_path), files.HOLDER_BYTES,
                                _("the lock holder file"))
        data = json.loads(raw.decode("utf-8"))
        holder = Holder(pid=int(data["pid"]), command=str(data["command"]),
                        since=str(data.get("since", "")))
    except (OSError, StoreError, ValueError, KeyError, TypeError):
        return None  # none, or not readable as a holder (a planted file): said when writing
    return holder if process_alive(holder.pid) else None


def this_command() -> str:
    """The command line of this process, as typed: ``honours import 报送.csv``."""
    name = Path(sys.argv[0]).name if sys.argv else "honours"
    if name in ("__main__.py", "-m", "-c", "-", ""):
        name = "honours"
    return " ".join([name, *sys.argv[1:]])


def write_holder(lock_path: Path) -> None:
    """Write down who holds the lock (best effort: a lock is still a lock without it,
    but a link, a FIFO or a device in the holder's place is refused, never written
    through or waited on: :class:`honours.files.NotARegularFile`)."""
    record = {"pid": os.getpid(), "command": this_command(),
              "since": datetime.now().isoformat(timespec="seconds")}
    payload = json.dumps(record, ensure_ascii=False).encode("utf-8")
    try:
        write_regular_file(holder_path(lock_path), payload, _("the lock holder file"))
    except OSError:
        pass


def clear_holder(lock_path: Path) -> None:
    try:
        holder_path(lock_path).unlink()
    except OSError:
        pass


def acquire(lock, lock_path: Path, timeout: float, waiting: Waiting | None) -> None:
    """Take ``lock`` (a filelock), showing the wait through ``waiting``; raises
    filelock.Timeout after ``timeout`` seconds.  The holder is written down on success
    (a holder file that is not a regular file is refused, and the lock let go)."""
    from filelock import Timeout

    try:
        lock.acquire(timeout=0)
    except Timeout:
        if waiting is None:
            lock.acquire(timeout=timeout)
        else:
            start = time.monotonic()
            with waiting(read_holder(lock_path)) as tick:
                while True:
                    waited = time.monotonic() - start
                    try:
                        lock.acquire(timeout=max(0.0, min(POLL_SECONDS, timeout - waited)))
                        break
                    except Timeout:
                        waited = time.monotonic() - start
                        if waited >= timeout:
                            raise
                        tick(waited, read_holder(lock_path))
    try:
        write_holder(lock_path)
    except BaseException:
        lock.release()  # refused: the command does not run, and holds nothing
        raise
