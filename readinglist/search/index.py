"""The search index as the rest of the program sees it: documents in, ranked ids out.

The service depends on this protocol only, so the engine behind it (Whoosh today) can change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from readinglist.search.query import Node

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class SearchDoc:
    """Everything about a paper that search can match, flattened to text and numbers."""

    id: int
    version: int
    key: str = ""
    title: str = ""
    authors: str = ""
    abstract: str = ""
    venue: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    lists: tuple[int, ...] = ()
    year: int | None = None
    rating: int = 0
    status: str = "unread"
    doi: str = ""
    arxiv_id: str = ""


@dataclass(frozen=True)
class SearchHits:
    ids: list[int] = field(default_factory=list)
    total: int = 0


class SearchIndex(Protocol):
    created: bool  # True when opening found no index and made an empty one

    def locked(self) -> AbstractContextManager[None]:
        """Exclusive, across processes, for read-the-database-then-write-the-index work."""

    def update(self, docs: Sequence[SearchDoc], removed: Iterable[int] = ()) -> None:
        """Add or replace ``docs`` and drop ``removed``, as one commit."""

    def rebuild(self, docs: Iterable[SearchDoc], total: int, progress: Progress | None) -> None:
        """Replace the whole index with ``docs``."""

    def search(self, query: Node, limit: int | None = 50, offset: int = 0) -> SearchHits: ...

    def versions(self) -> dict[int, int]:
        """Paper id -> the version the index holds, for drift detection."""

    def close(self) -> None: ...
