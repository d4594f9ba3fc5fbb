"""Moving a whole library between a file and a server: ``share`` copies a library file into a
new shared library, ``clone`` copies a shared library into a new library file.

Both copy every row with its id from one snapshot, in one transaction on the receiving side:
a copy that fails or is cancelled leaves nothing behind. The receiving library must be empty;
it keeps its own identity (it is a new library, not the old one under a second address).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from readinglist.domain.models import Paper
from readinglist.domain.values import LibraryError
from readinglist.storage import change_feed
from readinglist.storage.copying import (
    IMPORT_RUN,
    LIST,
    PAPER,
    SEARCH,
    SERIAL_IDS,
    TAG,
    CopyCancelled,
    copy_library,
    count_rows,
)
from readinglist.storage.database import Database
from readinglist.storage.postgresql import is_server_address, redacted, reset_sequences

Progress = Callable[[int, int], None]


def share(
    source: Database,
    address: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Copy the library ``source`` into the (empty) database at ``address``; how many rows."""
    if not is_server_address(address):
        raise LibraryError(f"{address!r} is not a postgresql:// address")
    server = Database.open_shared(address)
    try:
        with server.write() as target, source.read() as origin:
            if count_rows(target.connection()):
                raise LibraryError(
                    f"{redacted(address)} already holds a library; share into an empty database"
                )
            copied = _copy(origin, target, progress, cancelled)
            reset_sequences(target.connection(), SERIAL_IDS)
            _announce(target)
        return copied
    finally:
        server.close()


def clone(
    address: str,
    folder: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Copy the shared library at ``address`` into a new library file in ``folder``."""
    if folder.exists() and any(folder.iterdir()):
        raise LibraryError(f"{folder} is not empty; clone into a new folder")
    server = Database.open_shared(address)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        local = Database.open(folder)
        try:
            with local.write() as target, server.read() as origin:
                if target.execute(select(Paper.id).limit(1)).first() is not None:
                    raise LibraryError(f"{folder} already holds a library")
                return _copy(origin, target, progress, cancelled)
        finally:
            local.close()
    finally:
        server.close()


def _announce(target) -> None:
    """Every row copied in is a change in the feed: a client that opened the empty database
    before the copy takes it all with its next pull."""
    for kind, table in (("import", IMPORT_RUN), ("tag", TAG), ("list", LIST),
                        ("search", SEARCH), ("paper", PAPER)):  # fmt: skip
        change_feed.record(target, kind, target.execute(select(table.c.id)).scalars())


def _copy(origin, target, progress, cancelled) -> int:
    try:
        return copy_library(origin.connection(), target.connection(), progress, cancelled)
    except CopyCancelled as error:
        raise LibraryError(str(error)) from None
