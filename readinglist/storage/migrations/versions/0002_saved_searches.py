"""Saved searches: a query kept under a name, shown as a smart list.

Revision ID: 0002_saved_searches
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_saved_searches"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("query", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("saved_search")
