"""Everything SQLite-specific lives here, so a PostgreSQL library needs only a sibling module."""

from __future__ import annotations

from pathlib import Path

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


def writer_engine(engine: Engine) -> Engine:
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def integrity_problems(connection) -> list[str]:
    """What ``PRAGMA integrity_check`` and ``foreign_key_check`` find; empty when healthy."""
    problems = [
        row[0]
        for row in connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        if row[0] != "ok"
    ]
    for table, rowid, parent, _fk in connection.exec_driver_sql(
        "PRAGMA foreign_key_check"
    ).fetchall():
        problems.append(f"{table} row {rowid} points to a missing {parent}")
    return problems


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
