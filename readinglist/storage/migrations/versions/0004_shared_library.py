"""A library several people share: versions on everything they may edit at once, the change
feed, the library's own id, and no length limits on text (PostgreSQL enforces them, SQLite
never did, so a library copied to a server must not start refusing what it held).

Revision ID: 0004_shared_library
Revises: 0003_sort_keys
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004_shared_library"
down_revision = "0003_sort_keys"
branch_labels = None
depends_on = None

VERSIONED = ("tag", "note", "reading_list", "saved_search")


def upgrade() -> None:
    for table in VERSIONED:  # SQLite adds a column with a constant default in place
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "change_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    identity = op.create_table(
        "library_identity",
        sa.Column("library_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("library_id"),
    )
    op.bulk_insert(
        identity,
        [{"library_id": str(uuid.uuid4()), "created_at": datetime.now(UTC)}],
    )
    if op.get_bind().dialect.name == "postgresql":
        _drop_text_lengths()


def _drop_text_lengths() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        for column in inspector.get_columns(table):
            if isinstance(column["type"], sa.String) and column["type"].length:
                op.alter_column(table, column["name"], type_=sa.String())


def downgrade() -> None:
    op.drop_table("library_identity")
    op.drop_table("change_log")
    for table in VERSIONED:  # SQLite 3.35 and newer drop a column in place
        op.drop_column(table, "version")
