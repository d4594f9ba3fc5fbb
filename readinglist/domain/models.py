"""The library's tables. SQLite is the truth; everything else (the search index) derives from these.

Types are chosen to mean the same on SQLite and PostgreSQL: no SQLite-only column types, and
no lengths on text (SQLite ignores them, PostgreSQL would refuse a 300-character DOI that
SQLite keeps). Missing text is the empty string (never NULL) so that callers need no None
checks; missing numbers are NULL.

Everything several people may edit at once (a paper, a note, a tag, a list, a saved search)
has a ``version``: an update names the version it started from and changes nothing if
another has moved it since (compare-and-set).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, func
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class ImportRun(SQLModel, table=True):
    """One import of one source, so that an import can be listed and undone as a unit."""

    __tablename__ = "import_run"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: int | None = Field(default=None, primary_key=True)
    source: str = ""
    format: str = ""
    started_at: datetime = Field(default_factory=utcnow)
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    # What merging duplicates changed in existing papers, so that undo takes back exactly that.
    merges: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class Paper(SQLModel, table=True):
    __tablename__ = "paper"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    entry_type: str = Field(default="article")
    title: str = ""
    title_norm: str = Field(default="", index=True)
    abstract: str = ""
    year: int | None = Field(default=None, index=True)
    month: int | None = None
    venue: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = Field(default="", index=True)
    arxiv_id: str = Field(default="", index=True)
    isbn: str = ""
    url: str = ""
    code_url: str = ""
    # Every source field we have no column for, verbatim, so that export gives it back.
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    rating: int = 0
    status: str = Field(default="unread", index=True)
    # The first author as the table sorts it (accents and case folded): kept here so that
    # sorting 100,000 papers by author is an index walk, not a subquery per paper.
    sort_author: str = ""
    added_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = Field(default=None, index=True)
    # Bumped by every change to the paper or to what hangs off it (authors, tags, notes,
    # lists): the compare-and-set of concurrent edits, and, stored in the index too, how
    # drift between the two is found.
    version: int = 1
    import_id: int | None = Field(default=None, foreign_key="import_run.id", ondelete="SET NULL")


def _live_order_index(name: str, *columns) -> Index:
    """(deleted_at, column, id): the papers outside the trash in a column's order, read from
    the index alone, so sorting the table never reads the wide paper rows."""
    table = Paper.__table__
    return Index(name, table.c.deleted_at, *columns, table.c.id)


_PAPER_COLUMNS = Paper.__table__.c
SORT_INDEXES = (
    _live_order_index("ix_paper_live_added", _PAPER_COLUMNS.added_at),
    _live_order_index("ix_paper_live_title", func.lower(_PAPER_COLUMNS.title)),
    _live_order_index("ix_paper_live_author", _PAPER_COLUMNS.sort_author),
    _live_order_index("ix_paper_live_year", _PAPER_COLUMNS.year),
    _live_order_index("ix_paper_live_venue", func.lower(_PAPER_COLUMNS.venue)),
    _live_order_index("ix_paper_live_rating", _PAPER_COLUMNS.rating),
    _live_order_index("ix_paper_live_status", _PAPER_COLUMNS.status),
)


class PaperAuthor(SQLModel, table=True):
    __tablename__ = "paper_author"
    __table_args__ = (Index("ix_paper_author_paper_position", "paper_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    position: int = 0
    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""


class Tag(SQLModel, table=True):
    __tablename__ = "tag"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: int | None = Field(default=None, primary_key=True)
    name: str
    # casefolded name: tags are unique without regard to case
    name_key: str = Field(unique=True)
    version: int = 1


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", index=True, ondelete="CASCADE")
    body: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class ReadingList(SQLModel, table=True):
    __tablename__ = "reading_list"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # Bumped by a rename and by any change to its members or their order.
    version: int = 1


class ListItem(SQLModel, table=True):
    __tablename__ = "list_item"
    list_id: int = Field(foreign_key="reading_list.id", primary_key=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE", index=True)
    position: int = 0
    added_at: datetime = Field(default_factory=utcnow)


class SavedSearch(SQLModel, table=True):
    """A query kept under a name: a smart list that always shows what matches it now."""

    __tablename__ = "saved_search"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)
    query: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class IndexQueue(SQLModel, table=True):
    """Papers whose search-index entry is behind the database (an outbox).

    Written in the same transaction as the change, removed once the index has the change, so a
    crash between the database commit and the index update loses nothing. No foreign key: the
    paper may have been deleted, which the index must learn too.
    """

    __tablename__ = "index_queue"

    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(index=True)


class ChangeLog(SQLModel, table=True):
    """The change feed of a shared library: one row per thing changed, written in the same
    transaction as the change. Numbers are handed out in commit order (see postgresql.py), so a
    client that remembers the last number it has seen catches up with ``seq > last`` after a
    dropped connection or a missed notification, and loses nothing."""

    __tablename__ = "change_log"

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    kind: str  # paper, list, tag, search, import
    entity_id: int
    changed_at: datetime = Field(default_factory=utcnow)


class LibraryIdentity(SQLModel, table=True):
    """Which library this is, whatever address it is reached by: each client keeps its search
    index of a shared library under this id."""

    __tablename__ = "library_identity"

    library_id: str = Field(primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
