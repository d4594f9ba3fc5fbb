"""Alembic environment: migrations run on the connection the library hands over."""

from alembic import context
from sqlmodel import SQLModel

import readinglist.domain.models  # noqa: F401  (registers the tables)
from readinglist.storage.prerelease import align_with_released_schema

connection = context.config.attributes["connection"]
align_with_released_schema(connection)  # before Alembic reads the revision it trusts
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
