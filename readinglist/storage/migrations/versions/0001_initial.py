"""The first schema: papers, authors, tags, notes, reading lists, imports, the index outbox.

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=1000), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("merges", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "index_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("index_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_index_queue_paper_id"), ["paper_id"], unique=False)

    op.create_table(
        "reading_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "paper",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("entry_type", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("title_norm", sa.String(), nullable=False),
        sa.Column("abstract", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("venue", sa.String(), nullable=False),
        sa.Column("volume", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("pages", sa.String(length=100), nullable=False),
        sa.Column("publisher", sa.String(), nullable=False),
        sa.Column("doi", sa.String(length=250), nullable=False),
        sa.Column("arxiv_id", sa.String(length=40), nullable=False),
        sa.Column("isbn", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("code_url", sa.String(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["import_run.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_added_at"), ["added_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_arxiv_id"), ["arxiv_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_doi"), ["doi"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_paper_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_title_norm"), ["title_norm"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_year"), ["year"], unique=False)

    op.create_table(
        "list_item",
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["list_id"], ["reading_list.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("list_id", "paper_id"),
    )
    with op.batch_alter_table("list_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_item_paper_id"), ["paper_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_paper_id"), ["paper_id"], unique=False)

    op.create_table(
        "paper_author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("given", sa.String(), nullable=False),
        sa.Column("particle", sa.String(length=60), nullable=False),
        sa.Column("suffix", sa.String(length=60), nullable=False),
        sa.Column("literal", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paper_author", schema=None) as batch_op:
        batch_op.create_index(
            "ix_paper_author_paper_position", ["paper_id", "position"], unique=False
        )

    op.create_table(
        "paper_tag",
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("paper_id", "tag_id"),
    )
    with op.batch_alter_table("paper_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_tag_tag_id"), ["tag_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("paper_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_tag_tag_id"))

    op.drop_table("paper_tag")
    with op.batch_alter_table("paper_author", schema=None) as batch_op:
        batch_op.drop_index("ix_paper_author_paper_position")

    op.drop_table("paper_author")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_paper_id"))

    op.drop_table("note")
    with op.batch_alter_table("list_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_item_paper_id"))

    op.drop_table("list_item")
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_year"))
        batch_op.drop_index(batch_op.f("ix_paper_title_norm"))
        batch_op.drop_index(batch_op.f("ix_paper_status"))
        batch_op.drop_index(batch_op.f("ix_paper_key"))
        batch_op.drop_index(batch_op.f("ix_paper_doi"))
        batch_op.drop_index(batch_op.f("ix_paper_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_paper_arxiv_id"))
        batch_op.drop_index(batch_op.f("ix_paper_added_at"))

    op.drop_table("paper")
    op.drop_table("tag")
    op.drop_table("reading_list")
    with op.batch_alter_table("index_queue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_queue_paper_id"))

    op.drop_table("index_queue")
    op.drop_table("import_run")
