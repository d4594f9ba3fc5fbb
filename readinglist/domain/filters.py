"""How a caller asks for a slice of the library: which papers, in which order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SORT_KEYS = (
    "added", "updated", "title", "year", "rating", "status", "key", "venue", "author", "tags",
)  # fmt: skip


@dataclass(frozen=True)
class PaperFilter:
    tags: tuple[str, ...] = ()  # all of them
    list_name: str | None = None
    status: str | None = None
    trashed: bool = False  # True: only the trash; False: only papers not in the trash
    min_rating: int | None = None
    unfiled: bool = False  # only papers in no reading list
    added_since: datetime | None = None


@dataclass(frozen=True)
class Sort:
    key: str = "added"
    descending: bool = False
