"""Health of a library: database integrity and drift between the database and the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from readinglist.domain.models import ImportRun, Note, Paper, ReadingList, Tag
from readinglist.services.indexing import DriftReport, IndexSyncer
from readinglist.storage.database import Database
from readinglist.storage.papers import P
from readinglist.storage.sqlite import integrity_problems


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    drift: DriftReport = field(default_factory=DriftReport)
    repaired: bool = False

    @property
    def healthy(self) -> bool:
        return not self.integrity and self.drift.clean

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "database": {"ok": not self.integrity, "problems": self.integrity},
            "index": {
                "ok": self.drift.clean,
                "missing": self.drift.missing,
                "stale": self.drift.stale,
                "extra": self.drift.extra,
                "queued": self.drift.queued,
            },
            "repaired": self.repaired,
        }


def check(database: Database, syncer: IndexSyncer, repair: bool = False) -> CheckReport:
    with database.engine.connect() as connection:
        problems = integrity_problems(connection)
    drift = syncer.drift()
    report = CheckReport(integrity=problems, drift=drift)
    if repair and not drift.clean:
        syncer.repair(drift)
        report = CheckReport(integrity=problems, drift=syncer.drift(), repaired=True)
    return report


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
