"""Opening a library's database: engine, schema migrations, units of work.

A library lives in a SQLite file (the default, one person's) or in a PostgreSQL database (a
shared one). Both run the same migrations and the same SQL; what differs is in ``sqlite.py``
and ``postgresql.py``, chosen here.
"""

from __future__ import annotations

import random
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
HEAD_REVISION = "0004_shared_library"


class Database:
    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        # A shared library (on a server) publishes a change feed; a file's index keeps its own
        # queue in the file.
        self.shared = engine.dialect.name == "postgresql"
        self.connect_address: str | None = None
        self.retries = 0  # units of work run again after another client's commit got in the way
        if self.shared:
            from readinglist.storage.postgresql import reader_engine

            self._writer = engine
            self._reader = reader_engine(engine)
        else:
            self._writer = writer_engine(engine)
            self._reader = engine

    @property
    def address(self) -> str:
        """Where the library is, fit to show (a server address without its password)."""
        if self.shared:
            from readinglist.storage.postgresql import redacted

            return redacted(self.engine.url)
        return str(self.path)

    @classmethod
    def for_server(cls, address: str) -> Database:
        """A shared library's server, not yet asked anything (it may be out of reach)."""
        from readinglist.storage.postgresql import create_postgres_engine

        database = cls(create_postgres_engine(address))
        database.connect_address = address  # kept in memory only: it may hold a password
        return database

    @classmethod
    def open_shared(cls, address: str) -> Database:
        """Open a shared library on a PostgreSQL server, creating or upgrading its schema
        (which needs the rights to do so; a reader gets ReadOnlyLibrary instead)."""
        from readinglist.domain.values import ReadOnlyLibrary
        from readinglist.storage.postgresql import redacted

        database = cls.for_server(address)
        try:
            with database.translated_errors():
                if database.schema_revision() != HEAD_REVISION:
                    database.migrate()
        except ReadOnlyLibrary:
            database.close()
            raise ReadOnlyLibrary(
                f"the shared library {redacted(address)} needs a schema upgrade that only "
                "its owner (or an editor with rights to change tables) can make; nothing "
                "was changed"
            ) from None
        except BaseException:
            database.close()
            raise
        return database

    @contextmanager
    def translated_errors(self) -> Iterator[None]:
        """A server's refusal or absence as the LibraryError that says so to a user."""
        if not self.shared:
            yield
            return
        from sqlalchemy.exc import DBAPIError

        from readinglist.domain.values import LibraryError, LibraryUnreachable, ReadOnlyLibrary
        from readinglist.storage.postgresql import (
            is_login_refused,
            is_read_only_refusal,
            is_unreachable,
        )

        try:
            yield
        except DBAPIError as error:
            if is_read_only_refusal(error):
                raise ReadOnlyLibrary(
                    f"read-only library: {self.address} lets you read it, not change it "
                    "(ask its owner for an editor's role); nothing was changed"
                ) from None
            if is_login_refused(error):
                raise LibraryError(
                    f"the server of {self.address} refused the login "
                    f"({_first_line(error)}); readinglist takes passwords from ~/.pgpass, "
                    "PGPASSWORD or a PostgreSQL service file"
                ) from None
            if is_unreachable(error):
                raise LibraryUnreachable(
                    f"cannot reach the shared library {self.address} ({_first_line(error)})"
                ) from None
            raise

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
        if self.shared:
            self._run_shared_migrations(config, command, direction, revision)
            return
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

    def _run_shared_migrations(self, config, command, direction: str, revision: str) -> None:
        """On a server: one transaction (PostgreSQL alters tables in place, foreign keys on),
        after any other client's upgrade of the same library has finished."""
        from readinglist.storage.postgresql import migration_lock

        with self._writer.connect() as connection, connection.begin():
            migration_lock(connection)
            config.attributes["connection"] = connection
            getattr(command, direction)(config, revision)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: everything inside commits together or not at all.

        The write lock is taken before the work starts, and while another program holds it
        the work waits its turn (SQLite's busy timeout, then retries, up to ``patience``
        seconds): a user never sees "database is locked" because a CLI import was running."""
        from readinglist.storage import change_feed

        with self.translated_errors(), Session(self._writer, expire_on_commit=False) as session:
            session.info["index_queue"] = not self.shared
            self._take_write_lock(session)
            try:
                yield session
                if self.shared:
                    change_feed.publish(session)
            except BaseException:
                session.rollback()
                change_feed.forget(session)
                raise
            session.commit()

    def attempt(self, operation: Callable[[Session], Any], attempts: int = 8) -> Any:
        """Run ``operation`` in a unit of work, again from the start when another client's
        commit got in its way: a compare-and-set that found a newer version (VersionMoved), or
        a clash the server undid (a deadlock, a name taken meanwhile). Each run reads afresh,
        so it merges against what the other client committed."""
        from sqlalchemy.exc import DBAPIError

        from readinglist.domain.values import VersionMoved
        from readinglist.storage.postgresql import is_retryable

        for attempt in range(attempts):
            try:
                with self.write() as session:
                    return operation(session)
            except (DBAPIError, VersionMoved) as error:
                clash = isinstance(error, VersionMoved) or (self.shared and is_retryable(error))
                if not clash or attempt == attempts - 1:
                    raise
                self.retries += 1
                time.sleep(random.uniform(0, 0.005 * 2**attempt))  # apart, not in step
        raise AssertionError("unreachable")

    # How long a write waits for another program's write lock before giving up.
    patience = 300.0

    def _take_write_lock(self, session: Session) -> None:
        if self.shared:  # rows are locked as they are changed; compare-and-set does the rest
            session.begin()
            return

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
        with self.translated_errors(), Session(self._writer, expire_on_commit=False) as session:
            session.info["index_queue"] = not self.shared
            self._take_write_lock(session)
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with (
            self.translated_errors(),
            Session(self._reader, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def library_id(self) -> str:
        from sqlalchemy import select

        from readinglist.domain.models import LibraryIdentity

        with self.read() as session:
            return session.execute(select(LibraryIdentity.library_id)).scalar_one()

    def change_counter(self) -> ChangeCounter:
        """A watcher of commits from anywhere (see ChangeCounter)."""
        if self.path is None:
            raise RuntimeError("a shared library's changes come by its change feed")
        return ChangeCounter(self.path)

    def close(self) -> None:
        self.engine.dispose()


def _first_line(error) -> str:
    """What the server or libpq said, without the SQL and the hints that follow."""
    text = str(getattr(error, "orig", error)).strip()
    return text.splitlines()[0] if text else type(error).__name__
