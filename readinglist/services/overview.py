"""How many papers each part of the library holds: what a sidebar shows beside each entry.

A handful of grouped queries, so that the counts of a 100,000-paper library take tens of
milliseconds and can be refreshed after every change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from readinglist.domain.models import utcnow
from readinglist.domain.views import ListSummary, TagCount
from readinglist.services import editing, lists
from readinglist.storage.papers import LI, P

RECENT_DAYS = 30


def recent_since(now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=RECENT_DAYS)


@dataclass(frozen=True)
class LibraryCounts:
    all: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    recent: int = 0
    unfiled: int = 0
    trash: int = 0
    tags: tuple[TagCount, ...] = ()
    lists: tuple[ListSummary, ...] = ()


def library_counts(session: Session) -> LibraryCounts:
    live = P.deleted_at.is_(None)
    by_status = dict(
        session.execute(select(P.status, func.count()).where(live).group_by(P.status)).all()
    )
    trash = session.execute(select(func.count()).where(P.deleted_at.is_not(None))).scalar_one()
    recent = session.execute(
        select(func.count()).where(live, P.added_at >= recent_since())
    ).scalar_one()
    filed = session.execute(
        select(func.count(func.distinct(LI.paper_id))).where(
            LI.paper_id.in_(select(P.id).where(live))
        )
    ).scalar_one()
    total = sum(by_status.values())
    return LibraryCounts(
        all=total,
        by_status=by_status,
        recent=recent,
        unfiled=total - filed,
        trash=trash,
        tags=tuple(TagCount(name, n) for name, n in editing.tag_counts(session)),
        lists=tuple(lists.list_summaries(session)),
    )
