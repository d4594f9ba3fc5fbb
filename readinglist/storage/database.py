"""Opening a library's database: engine, schema migrations, units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from readinglist.storage.sqlite import (
    ChangeCounter,
    create_private_file,
    create_sqlite_engine,
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
    def open(cls, folder: Path) -> Database:
        from sqlalchemy.exc import DatabaseError

        from readinglist.domain.values import LibraryError

        path = folder / DATABASE_FILE
        create_private_file(path)
        database = cls(create_sqlite_engine(path), path)
        try:
            database.migrate()
        except DatabaseError as error:
            database.close()
            raise LibraryError(
                f"{path} cannot be opened as a readinglist library "
                f"({error.orig}); it may be damaged. It has not been changed."
            ) from None
        return database

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self) -> None:
        if self.schema_revision() == HEAD_REVISION:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: everything inside commits together or not at all."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def trial(self) -> Iterator[Session]:
        """Like ``write``, but everything is rolled back at the end: for dry runs."""
        with Session(self._writer, expire_on_commit=False) as session:
            session.begin()
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
