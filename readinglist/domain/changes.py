"""What a service call changed, so that each screen refreshes only that (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Conflict:
    """Two people changed the same field from the same starting point. Neither value is
    chosen for them: the other's stands in the library, this one is kept here until its
    author picks (see ``Library.resolve``)."""

    kind: str  # "paper", "note" or "list"
    entity_id: int
    field: str  # a paper's field, "body" of a note, "name" or "order" of a list
    base: Any  # what the editor started from
    mine: Any  # what the editor wanted
    theirs: Any  # what someone else put there meanwhile, now in the library
    paper_id: int | None = None  # a note's paper

    def describe(self) -> str:
        what = {"paper": "paper", "note": "note", "list": "reading list"}[self.kind]
        return (
            f"{what} {self.entity_id}: {self.field} was changed by someone else meanwhile; "
            f"theirs: {_shown(self.theirs)}; yours: {_shown(self.mine)} (not saved)"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.entity_id,
            "field": self.field,
            "base": self.base,
            "mine": self.mine,
            "theirs": self.theirs,
            "paper_id": self.paper_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conflict:
        return cls(
            data["kind"], data["id"], data["field"], data["base"], data["mine"], data["theirs"],
            data.get("paper_id"),
        )  # fmt: skip


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"{value!r}"
    return text if len(text) <= 200 else text[:199] + "…"


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
    # Edits that met another person's edit of the same field: not applied, kept to choose.
    conflicts: tuple[Conflict, ...] = ()

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
            conflicts=self.conflicts + other.conflicts,
        )

    def __bool__(self) -> bool:
        return bool(
            self.papers or self.tags or self.lists or self.notes or self.searches or self.conflicts
        )
