"""Read models: immutable snapshots of a paper with everything attached, for the CLI and GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from readinglist.domain.values import AuthorName


@dataclass(frozen=True)
class NoteView:
    id: int
    body: str
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "body": self.body,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class PaperView:
    id: int
    key: str
    title: str
    entry_type: str = "article"
    authors: tuple[AuthorName, ...] = ()
    abstract: str = ""
    year: int | None = None
    month: int | None = None
    venue: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    arxiv_id: str = ""
    isbn: str = ""
    url: str = ""
    code_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    rating: int = 0
    status: str = "unread"
    tags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    list_ids: tuple[int, ...] = ()
    notes: tuple[NoteView, ...] = ()
    added_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    version: int = 1

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def links(self) -> list[tuple[str, str]]:
        """(label, address) of every way to reach the paper: DOI, arXiv, its page, its code."""
        found = []
        if self.doi:
            found.append(("DOI", f"https://doi.org/{self.doi}"))
        if self.arxiv_id:
            found.append(("arXiv", f"https://arxiv.org/abs/{self.arxiv_id}"))
        if self.url and not self.url.startswith(("https://doi.org/", "https://arxiv.org/abs/")):
            found.append(("Link", self.url))
        if self.code_url:
            found.append(("Code", self.code_url))
        return found

    def authors_short(self, most: int = 3) -> str:
        """'Vaswani, Shazeer, Parmar +5': what fits in a table cell."""
        names = [a.last for a in self.authors]
        if len(names) <= most:
            return ", ".join(names)
        return ", ".join(names[:most]) + f" +{len(names) - most}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "entry_type": self.entry_type,
            "title": self.title,
            "authors": [a.to_json() for a in self.authors],
            "year": self.year,
            "month": self.month,
            "venue": self.venue,
            "volume": self.volume,
            "number": self.number,
            "pages": self.pages,
            "publisher": self.publisher,
            "doi": self.doi,
            "arxiv_id": self.arxiv_id,
            "isbn": self.isbn,
            "url": self.url,
            "code_url": self.code_url,
            "abstract": self.abstract,
            "extra": self.extra,
            "tags": list(self.tags),
            "rating": self.rating,
            "status": self.status,
            "lists": list(self.lists),
            "notes": [n.to_json() for n in self.notes],
            "added_at": self.added_at.isoformat() if self.added_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "in_trash": self.in_trash,
        }


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    count: int
