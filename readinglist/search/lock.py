"""A lock file shared by every process that writes the search index.

Draining the queue (read the database, write the index, clear the queue) and rebuilding must not
interleave between processes: otherwise one can write an older version of a paper over a newer
one and clear the queue entry that would have repaired it. The lock lives beside the index
folder, because a rebuild swaps that folder.
"""

from __future__ import annotations

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


@contextmanager
def index_lock(path: Path, timeout: float = 60.0) -> Iterator[None]:
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise IndexBusy(
                        f"the search index is being updated by another program ({path})"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            else:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def lock_path(index_folder: Path) -> Path:
    return index_folder.with_name(index_folder.name + ".lock")


__all__ = ["IndexBusy", "index_lock", "lock_path"]
