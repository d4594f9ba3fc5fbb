"""Saved searches: a query kept under a name. Run inside a unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlmodel import Session

from readinglist.domain.changes import Changes
from readinglist.domain.models import SavedSearch
from readinglist.domain.values import (
    InvalidValue,
    NameTaken,
    SavedSearchNotFound,
    clean_label,
)
from readinglist.storage import change_feed

S = SavedSearch.__table__.c


@dataclass(frozen=True)
class SavedSearchView:
    id: int
    name: str
    query: str


def _clean(name: str) -> str:
    return clean_label(name, "a saved search")


def _find(session: Session, name: str) -> int:
    found = session.execute(select(S.id).where(S.name_key == name.strip().casefold())).scalar()
    if found is None:
        raise SavedSearchNotFound(f"no saved search named {name!r}")
    return found


def saved_searches(session: Session) -> list[SavedSearchView]:
    rows = session.execute(select(S.id, S.name, S.query).order_by(S.name_key))
    return [SavedSearchView(row.id, row.name, row.query) for row in rows]


def save_search(session: Session, name: str, query: str) -> Changes:
    """Keep ``query`` under ``name``; saving under a name in use replaces that query."""
    cleaned = _clean(name)
    if not query.strip():
        raise InvalidValue("there is no query to save")
    if len(query) > 2000:
        raise InvalidValue("a saved query is at most 2000 characters")
    existing = session.execute(select(S.id).where(S.name_key == cleaned.casefold())).scalar()
    if existing is not None:
        session.execute(
            update(SavedSearch).where(S.id == existing).values(query=query, version=S.version + 1)
        )
        change_feed.record(session, "search", [existing])
        return Changes(searches=True)
    saved = SavedSearch(name=cleaned, name_key=cleaned.casefold(), query=query)
    session.add(saved)
    session.flush()
    change_feed.record(session, "search", [saved.id])
    return Changes(searches=True, created=saved.id)


def rename_saved_search(session: Session, old: str, new: str) -> Changes:
    search_id = _find(session, old)
    cleaned = _clean(new)
    clash = session.execute(select(S.id).where(S.name_key == cleaned.casefold())).scalar()
    if clash is not None and clash != search_id:
        raise NameTaken(f"a saved search named {cleaned!r} already exists")
    session.execute(
        update(SavedSearch)
        .where(S.id == search_id)
        .values(name=cleaned, name_key=cleaned.casefold(), version=S.version + 1)
    )
    change_feed.record(session, "search", [search_id])
    return Changes(searches=True)


def delete_saved_search(session: Session, name: str) -> Changes:
    search_id = _find(session, name)
    session.execute(delete(SavedSearch).where(S.id == search_id))
    change_feed.record(session, "search", [search_id])
    return Changes(searches=True)
