"""What a service call changed, so that each screen refreshes only that (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    added: frozenset[int] = frozenset()
    modified: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()  # moved to the trash or deleted for good
    tags: bool = False  # the set of tags or their counts changed
    lists: bool = False  # reading lists or their contents changed
    searches: bool = False  # saved searches changed
    notes: frozenset[int] = field(default=frozenset())  # papers whose notes changed
    created: int | None = None  # the id of the one thing a call created (a paper, a note)

    @property
    def papers(self) -> frozenset[int]:
        return self.added | self.modified | self.removed

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            added=self.added | other.added,
            modified=self.modified | other.modified,
            removed=self.removed | other.removed,
            tags=self.tags or other.tags,
            lists=self.lists or other.lists,
            searches=self.searches or other.searches,
            notes=self.notes | other.notes,
            created=self.created if self.created is not None else other.created,
        )

    def __bool__(self) -> bool:
        return bool(self.papers or self.tags or self.lists or self.notes or self.searches)
