"""The history of imports, and undoing one: the papers it added go to the trash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from readinglist.domain.changes import Changes
from readinglist.domain.models import ImportRun
from readinglist.domain.values import InvalidValue
from readinglist.services.editing import move_to_trash
from readinglist.storage.papers import P

R = ImportRun.__table__.c


@dataclass(frozen=True)
class ImportSummary:
    id: int
    source: str
    format: str
    started_at: datetime
    added: int
    duplicates: int
    failed: int
    still_in_library: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "started_at": self.started_at.isoformat(),
            "added": self.added,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "still_in_library": self.still_in_library,
        }


def import_history(session: Session) -> list[ImportSummary]:
    live = (
        select(P.import_id, func.count().label("n"))
        .where(P.deleted_at.is_(None), P.import_id.is_not(None))
        .group_by(P.import_id)
        .subquery()
    )
    rows = session.execute(
        select(ImportRun.__table__, func.coalesce(live.c.n, 0).label("live"))
        .outerjoin(live, live.c.import_id == R.id)
        .order_by(R.id.desc())
    ).mappings()
    return [
        ImportSummary(
            r["id"],
            r["source"],
            r["format"],
            r["started_at"],
            r["added"],
            r["duplicates"],
            r["failed"],
            r["live"],
        )
        for r in rows
    ]


def undo_import(session: Session, which: int | str) -> Changes:
    text = str(which).strip().lower()
    if text == "last":  # the newest import that still has papers in the library
        import_id = session.execute(
            select(func.max(P.import_id)).where(
                P.deleted_at.is_(None), P.import_id.in_(select(R.id).where(R.format != "manual"))
            )
        ).scalar()
        if import_id is None:
            raise InvalidValue("there is no import with papers left to undo")
    elif text.isdigit():
        import_id = session.execute(select(R.id).where(R.id == int(text))).scalar()
        if import_id is None:
            raise InvalidValue(f"there is no import {text}; see 'readinglist imports'")
    else:
        raise InvalidValue(f"undo-import takes an import number or LAST, not {which!r}")
    ids = list(
        session.execute(
            select(P.id).where(P.import_id == import_id, P.deleted_at.is_(None))
        ).scalars()
    )
    if not ids:
        return Changes()
    return move_to_trash(session, ids)
