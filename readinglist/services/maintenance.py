"""Numbers about a library: what ``readinglist stats`` shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from readinglist.domain.models import ImportRun, Note, Paper, ReadingList, Tag
from readinglist.storage.database import Database
from readinglist.storage.papers import P


def stats(database: Database) -> dict[str, Any]:
    with database.read() as session:
        live = P.deleted_at.is_(None)

        def scalar(statement) -> int:
            return session.execute(statement).scalar_one()

        by_status = dict(
            session.execute(select(P.status, func.count()).where(live).group_by(P.status)).all()
        )
        return {
            "papers": scalar(select(func.count()).select_from(Paper).where(live)),
            "in_trash": scalar(
                select(func.count()).select_from(Paper).where(P.deleted_at.is_not(None))
            ),
            "by_status": by_status,
            "rated": scalar(select(func.count()).select_from(Paper).where(live, P.rating > 0)),
            "tags": scalar(select(func.count()).select_from(Tag)),
            "lists": scalar(select(func.count()).select_from(ReadingList)),
            "notes": scalar(select(func.count()).select_from(Note)),
            "imports": scalar(select(func.count()).select_from(ImportRun)),
        }
