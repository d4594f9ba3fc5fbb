"""Opening a library's database: engine, schema migrations, units of work."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from readinglist.storage.sqlite import (
    ChangeCounter,
    create_private_file,
    create_sqlite_engine,
    is_busy,
    is_damage,
    orphan_rows,
    set_foreign_keys,
    writer_engine,
)

DATABASE_FILE = "library.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration; opening skips Alembic entirely (it is slow to import) when the
# database already has it.
HEAD_REVISION = "0003_sort_keys"


class Database:
    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._writer = writer_engine(engine)

    @classmethod
    def open(cls, folder: Path, before_migration: Callable[[str], None] | None = None) -> Database:
        """Open the library's database, upgrading its schema when it is older than this code
        (``before_migration`` is called with the old revision first: the time to back up).
        A file that SQLite cannot read raises DamagedLibrary and is left as it is."""
        from sqlalchemy.exc import DatabaseError

        from readinglist.domain.values import DamagedLibrary, LibraryBusy

        path = folder / DATABASE_FILE
        create_private_file(path)
        database = cls(create_sqlite_engine(path), path)
        try:
            revision = database.schema_revision()
            if revision != HEAD_REVISION:
                if revision is not None and before_migration is not None:
                    before_migration(revision)
                database.migrate()
        except DatabaseError as error:
            database.close()
            if is_busy(error.orig):
                raise LibraryBusy(
                    f"{path} is busy (another program is writing to it); try again"
                ) from None
            if not is_damage(error.orig):
                raise
            raise DamagedLibrary(
                f"{path} cannot be opened as a readinglist library ({error.orig}); it may be "
                "damaged. It has not been changed.",
                path,
            ) from None
        except BaseException:
            database.close()
            raise
        return database

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self) -> None:
        if self.schema_revision() == HEAD_REVISION:
            return
        self._run_migrations("upgrade", "head")

    def downgrade(self, revision: str) -> None:
        """Take the schema back to ``revision``: for an older readinglist, and for tests of
        upgrades."""
        self._run_migrations("downgrade", revision)

    def _run_migrations(self, direction: str, revision: str) -> None:
        """Run Alembic in one transaction with foreign keys off. SQLite alters a table by
        copying it and dropping the old one; with foreign keys on, that drop would cascade and
        delete every note, author and tag of every paper. What the migration leaves pointing
        to nothing is checked before it commits."""
        from alembic import command
        from alembic.config import Config

        from readinglist.domain.values import LibraryError

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._writer.connect() as connection:
            set_foreign_keys(connection, False)  # outside any transaction, or SQLite ignores it
            try:
                with self._patiently(connection.begin):
                    config.attributes["connection"] = connection
                    before = len(orphan_rows(connection))  # older ones are check --repair's
                    getattr(command, direction)(config, revision)
                    orphans = orphan_rows(connection)
                    if len(orphans) > before:
                        raise LibraryError(
                            f"the schema {direction} to {revision} would leave "
                            f"{len(orphans) - before} rows pointing to nothing; nothing was "
                            "changed"
                        )
            finally:
                set_foreign_keys(connection, True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: everything inside commits together or not at all.

        The write lock is taken before the work starts, and while another program holds it
        the work waits its turn (SQLite's busy timeout, then retries, up to ``patience``
        seconds): a user never sees "database is locked" because a CLI import was running."""
        with Session(self._writer, expire_on_commit=False) as session:
            self._take_write_lock(session)
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()

    # How long a write waits for another program's write lock before giving up.
    patience = 300.0

    def _take_write_lock(self, session: Session) -> None:
        def begin():
            session.begin()
            session.connection()  # BEGIN IMMEDIATE: waits up to the busy timeout
            return session

        def gave_up() -> None:
            session.rollback()

        self._patiently(begin, gave_up)

    def _patiently(self, begin: Callable[[], Any], undo: Callable[[], None] | None = None) -> Any:
        """``begin()`` a write transaction, waiting for another program's write lock past
        SQLite's busy timeout, up to ``patience`` seconds; then a LibraryBusy that says so."""
        from sqlalchemy.exc import OperationalError

        from readinglist.domain.values import LibraryBusy

        deadline = time.monotonic() + self.patience
        delay = 0.05
        while True:
            try:
                return begin()
            except OperationalError as error:
                if not is_busy(error.orig):
                    raise
                if undo is not None:
                    undo()
                if time.monotonic() + delay > deadline:
                    raise LibraryBusy(
                        f"the library {self.path} has been busy for {self.patience:.0f} s "
                        "(another program is writing to it); nothing was changed, try again"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    @contextmanager
    def trial(self) -> Iterator[Session]:
        """Like ``write``, but everything is rolled back at the end: for dry runs."""
        with Session(self._writer, expire_on_commit=False) as session:
            self._take_write_lock(session)
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def change_counter(self) -> ChangeCounter:
        """A watcher of commits from anywhere (see ChangeCounter)."""
        if self.path is None:
            raise RuntimeError("this database has no file to watch")
        return ChangeCounter(self.path)

    def close(self) -> None:
        self.engine.dispose()
