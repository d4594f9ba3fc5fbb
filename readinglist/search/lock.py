"""A lock file shared by every process that writes the search index (and by those that
rewrite the other files a library keeps beside it: the journal of changes kept offline, the
conflicts waiting for a choice).

Draining the queue (read the database, write the index, clear the queue) and rebuilding must not
interleave between processes: otherwise one can write an older version of a paper over a newer
one and clear the queue entry that would have repaired it. The lock lives beside the index
folder, because a rebuild swaps that folder.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from readinglist.domain.values import LibraryError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class IndexBusy(LibraryError):
    pass


# POSIX record locks (lockf) belong to a process: they are not shared with the threads of
# the same process, hence a thread lock per file in front of them, and not inherited by the
# processes it forks (unlike flock), so a crashed program's helpers cannot keep the index
# locked after it is gone.
_threads: dict[str, threading.Lock] = {}
_threads_guard = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    with _threads_guard:
        return _threads.setdefault(str(path.resolve()), threading.Lock())


def index_lock(path: Path, timeout: float = 60.0):
    return file_lock(path, "the search index", timeout)


@contextmanager
def file_lock(path: Path, what: str, timeout: float = 60.0) -> Iterator[None]:
    """Hold the lock file ``path`` against every other thread and process; ``what`` names
    what it guards in the message of a wait that ran out."""
    deadline = time.monotonic() + timeout
    in_process = _thread_lock(path)
    if not in_process.acquire(timeout=timeout):
        raise IndexBusy(f"{what} is being updated by this program ({path})")
    try:
        with open(path, "a+b") as handle:
            while True:
                try:
                    if fcntl is not None:
                        fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    else:
                        handle.seek(0)
                        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise IndexBusy(
                            f"{what} is being updated by another program ({path})"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.lockf(handle.fileno(), fcntl.LOCK_UN)
                else:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    finally:
        in_process.release()


def lock_path(index_folder: Path) -> Path:
    return index_folder.with_name(index_folder.name + ".lock")


__all__ = ["IndexBusy", "file_lock", "index_lock", "lock_path"]
