"""Everything SQLite-specific lives here, so a PostgreSQL library needs only a sibling module."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000


def create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600), before SQLite does with
    the default permissions; its -wal and -shm files take the same mode from it."""
    import os

    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def create_sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=2,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling defers it
        # in ways that break SAVEPOINT and write locking).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A writer takes the write lock up front: two writers never deadlock upgrading
        # read locks, they queue on the busy timeout instead.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def set_foreign_keys(connection, on: bool) -> None:
    """Turn foreign-key enforcement on or off for one connection, which must not be inside a
    transaction (SQLite silently ignores the pragma there)."""
    raw = connection.connection.driver_connection
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def writer_engine(engine: Engine) -> Engine:
    return engine.execution_options(sqlite_begin="IMMEDIATE")


# What SQLite says when the file itself is broken, as opposed to a busy or missing file.
_DAMAGE = ("file is not a database", "malformed", "disk image", "corrupt")


def is_damage(error: BaseException) -> bool:
    """True when an error from SQLite means the database file is damaged."""
    return any(marker in str(error).lower() for marker in _DAMAGE)


def is_busy(error: BaseException) -> bool:
    """True when SQLite gave up waiting for another connection's lock."""
    text = str(error).lower()
    return "database is locked" in text or "database is busy" in text


def copy_database(source: Path, target: Path, pages_per_step: int = 4096) -> None:
    """Copy a live database with SQLite's online backup API: a consistent snapshot even while
    other connections write, committed changes in the WAL included. ``target`` is created
    readable by its owner only and must not exist yet."""
    import os
    import sqlite3

    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as origin,
            closing(sqlite3.connect(target)) as copy,
        ):
            origin.backup(copy, pages=pages_per_step)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _read_only(path: Path):
    import sqlite3

    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def restore_database(
    backup: Path, target: Path, when_locked: Callable[[], None] | None = None
) -> None:
    """Overwrite the database ``target`` with the content of ``backup``, through SQLite, so that
    other programs holding ``target`` open see the restored content, never a torn file.
    ``when_locked`` is called once the write lock on ``target`` is held (after the first
    step), before anything of it is committed: the moment to copy what it holds."""
    import sqlite3

    called = False

    def progress(status: int, _remaining: int, _total: int) -> None:
        nonlocal called
        if when_locked is None or called:
            return
        called = True
        if status == sqlite3.SQLITE_DONE:  # committed already: too late to copy the present
            raise RuntimeError("the backup was restored in one step; nothing was copied first")
        when_locked()

    with (
        _read_only(backup) as origin,
        closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)) as live,
    ):
        # Small steps, so the first ends before the last commits (a library's schema alone
        # is dozens of pages); the lock taken by the first is held until the last.
        origin.backup(live, pages=8, progress=progress)


def file_problems(path: Path, quick: bool = False) -> list[str]:
    """What ``PRAGMA integrity_check`` (or the faster ``quick_check``) finds in a database
    file, opened read-only; a file that is not a database at all is one problem. A file
    that is merely busy is not damaged: that raises."""
    import sqlite3

    try:
        with _read_only(path) as connection:
            pragma = "quick_check" if quick else "integrity_check"
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        return [str(error)]
    return [row[0] for row in rows if row[0] != "ok"]


def read_scalar(path: Path, sql: str) -> Any:
    """One value from a database file opened read-only; None when it cannot be read."""
    import sqlite3

    try:
        with _read_only(path) as connection:
            return connection.execute(sql).fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def integrity_problems(connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds; empty when the file is sound."""
    rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
    return [row[0] for row in rows if row[0] != "ok"]


@dataclass(frozen=True)
class Orphan:
    """A row whose ``column`` points to a ``parent`` row that is not there."""

    table: str
    row_id: int
    parent: str


def orphan_rows(connection) -> list[Orphan]:
    """Rows pointing to missing parents (``PRAGMA foreign_key_check``): only a program that
    wrote with foreign keys off, or a damaged file, leaves them."""
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return [Orphan(table, rowid, parent) for table, rowid, parent, _fk in rows]


def delete_orphans(connection, orphans: list[Orphan]) -> None:
    for orphan in orphans:
        connection.exec_driver_sql(
            f'DELETE FROM "{orphan.table}" WHERE rowid = ?', (orphan.row_id,)
        )


def rebuild_indexes(connection) -> None:
    """Rebuild every index from its table: what fixes the usual damage integrity_check finds
    (entries missing from an index, or left over in it)."""
    connection.exec_driver_sql("REINDEX")


class ChangeCounter:
    """Tells when any connection, in this process or another, committed to the database file:
    SQLite's ``PRAGMA data_version`` on a connection of its own (the number only moves for
    commits made through other connections). Cheap enough to ask every second."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self._connection = sqlite3.connect(path, check_same_thread=False)
        self._last = self._read()

    def _read(self) -> int:
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        """True once after each commit made since the last call."""
        current = self._read()
        moved, self._last = current != self._last, current
        return moved

    def close(self) -> None:
        self._connection.close()
