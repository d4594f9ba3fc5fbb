"""A place in the library the sidebar can show: a status, a reading list, tags, a saved search.
Each knows the filter (and query) that lists its papers."""

from __future__ import annotations

from dataclasses import dataclass

from readinglist.domain.filters import PaperFilter
from readinglist.services.overview import recent_since


@dataclass(frozen=True)
class Place:
    kind: str  # all, status, recent, unfiled, trash, list, tags, search
    value: str = ""  # the status, the list's name, the saved search's name
    tags: tuple[str, ...] = ()
    query: str = ""  # a saved search's query

    def paper_filter(self) -> PaperFilter:
        if self.kind == "status":
            return PaperFilter(status=self.value)
        if self.kind == "recent":
            return PaperFilter(added_since=recent_since())
        if self.kind == "unfiled":
            return PaperFilter(unfiled=True)
        if self.kind == "trash":
            return PaperFilter(trashed=True)
        if self.kind == "list":
            return PaperFilter(list_name=self.value)
        if self.kind == "tags":
            return PaperFilter(tags=self.tags)
        return PaperFilter()

    def with_query(self, typed: str) -> str:
        """The query to run: a saved search's own, narrowed by what the user typed."""
        typed = typed.strip()
        if self.kind != "search":
            return typed
        return f"({self.query}) ({typed})" if typed else self.query

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    def title(self) -> str:
        if self.kind == "tags":
            return " + ".join(f"#{t}" for t in self.tags)
        return self.value or PLACE_TITLES.get(self.kind, self.kind)


ALL = Place("all")
PLACE_TITLES = {
    "all": "All papers",
    "recent": "Recently added",
    "unfiled": "Unfiled",
    "trash": "Trash",
}
