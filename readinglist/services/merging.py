"""Three-way merge of one editor's change against what others committed meanwhile.

An editor says what each field was when they started (``base``) and what it should be now
(``mine``). Where the library still holds ``base``, nobody else touched the field: ``mine``
goes in. Where it holds ``mine`` already, there is nothing to do. Anything else is a conflict:
the library keeps the other person's value, and ``mine`` is handed back to its author, never
dropped. Fields the editor did not touch are never written, so two people editing different
fields of one paper both keep their change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readinglist.domain.changes import Conflict
from readinglist.domain.drafts import NUMBER_FIELDS
from readinglist.domain.values import AuthorName

MISSING = object()


def comparable(name: str, value: Any) -> Any:
    """A field's value in one form, whichever way a caller spelled it."""
    if name == "authors":
        return tuple(_author_tuple(a) for a in value or ())
    if name in NUMBER_FIELDS or name == "rating":
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    if isinstance(value, dict | list | tuple):
        return value
    if name == "body":  # a note's text is compared exactly: its spacing is its writer's
        return "" if value is None else str(value)
    return "" if value is None else str(value).strip()


def _author_tuple(author: Any) -> tuple[str, ...]:
    if isinstance(author, AuthorName):
        return (author.family, author.given, author.particle, author.suffix, author.literal)
    if isinstance(author, Mapping):
        return tuple(author.get(k, "") for k in ("family", "given", "particle", "suffix",
                                                  "literal"))  # fmt: skip
    return ("", "", "", "", str(author))


def plain(name: str, value: Any) -> Any:
    """A value as a conflict keeps it (JSON: it may wait on disk for its author)."""
    if name == "authors":
        return [a.to_json() if isinstance(a, AuthorName) else a for a in value or ()]
    if isinstance(value, tuple):
        return list(value)
    return value


def merge_fields(
    kind: str,
    entity_id: int,
    patch: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    paper_id: int | None = None,
) -> tuple[dict[str, Any], list[Conflict]]:
    """What of ``patch`` to write, and the conflicts. A field missing from ``base`` is
    written as given (the caller did not say what it started from)."""
    if base is None:
        return dict(patch), []
    apply: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name, mine in patch.items():
        if name == "extra" and "extra" in base:  # each key of extra is a field of its own
            # a key the editor did not see was empty then, not unknown
            seen = {key: (base["extra"] or {}).get(key, "") for key in mine}
            extra, clashes = merge_fields(kind, entity_id, mine, seen, current["extra"], paper_id)
            if extra:
                apply["extra"] = extra
            conflicts.extend(
                Conflict(c.kind, c.entity_id, f"extra.{c.field}", c.base, c.mine, c.theirs,
                         c.paper_id)
                for c in clashes
            )  # fmt: skip
            continue
        before = base.get(name, MISSING)
        theirs = current.get(name)
        if before is MISSING or comparable(name, theirs) == comparable(name, before):
            apply[name] = mine
        elif comparable(name, theirs) != comparable(name, mine):
            conflicts.append(
                Conflict(kind, entity_id, name, plain(name, before), plain(name, mine),
                         plain(name, theirs), paper_id)
            )  # fmt: skip
    return apply, conflicts
