"""Building test papers without repeating every field."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from readinglist.domain.drafts import PaperDraft
from readinglist.domain.values import AuthorName


def draft(title: str, **fields) -> PaperDraft:
    authors = [
        a if isinstance(a, AuthorName) else AuthorName(family=a) for a in fields.pop("authors", [])
    ]
    return PaperDraft(title=title, authors=authors, **fields)


def empty_an_index_page(folder: Path, index: str = "ix_paper_title_norm") -> None:
    """Damage a library as a bad disk does, deep in the file where opening does not look:
    the root page of one of its database indexes says it holds no entries."""
    database = folder / "library.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
        root = root.fetchone()[0]
    with open(database, "r+b") as file:
        file.seek((root - 1) * page_size + 3)
        file.write(b"\x00\x00")
