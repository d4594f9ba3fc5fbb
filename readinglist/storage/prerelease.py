"""Libraries made by commits between two releases, whose schema is not the one their revision
number promises.

Two migrations were rewritten after libraries had been made with them:

- ``0001_initial`` gained ``import_run.merges`` (what an import merged, so that undo takes it
  back) in 72d8c5b. A library made before that says 0001 but lacks the column, and every
  import, undo of an import or look at the import history then fails.
- ``0002_saved_searches`` briefly also added the first-author sort key and the sort indexes
  (1aca1b9 to 97ab1a3) before they moved to ``0003_sort_keys``. Such a library says 0002, so
  0003 would add the same column again and the library could not be opened at all.

Alembic trusts the revision number, so the migrations' environment (``migrations/env.py``)
first brings such a library to the released form of the revision it names, in the same
transaction as the upgrade. Nothing is ever removed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection


def align_with_released_schema(connection: Connection) -> None:
    """Make the schema match the released migrations up to the library's revision."""
    inspector = sa.inspect(connection)
    if not inspector.has_table("alembic_version"):
        return  # a new library: the migrations make everything
    revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    if revision == "0001_initial" and not _has_column(inspector, "import_run", "merges"):
        # Imports made then merged nothing that undo could take back: an empty list each.
        Operations(MigrationContext.configure(connection)).add_column(
            "import_run", sa.Column("merges", sa.JSON(), nullable=False, server_default="[]")
        )
    if revision == "0002_saved_searches" and _has_column(inspector, "paper", "sort_author"):
        # The sort keys and indexes of 0003 are there already, filled by the code of the time.
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0003_sort_keys'"))


def _has_column(inspector: sa.Inspector, table: str, column: str) -> bool:
    return any(c["name"] == column for c in inspector.get_columns(table))
