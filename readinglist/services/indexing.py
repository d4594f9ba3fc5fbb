"""Keeps the derived search index in step with the database.

Every write queues the papers it touched (``index_queue``) in its own transaction; this module
drains the queue into the index afterwards. A crash between the two leaves the queue behind and
the next open drains it, so the index always catches up and nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlmodel import Session

from readinglist.domain.models import IndexQueue, Paper
from readinglist.domain.views import PaperView
from readinglist.search.index import Progress, SearchDoc, SearchIndex
from readinglist.storage.database import Database
from readinglist.storage.papers import P, chunks, load_views

log = logging.getLogger(__name__)
QUEUE_BATCH = 20_000  # papers per index commit while draining the queue
Q = IndexQueue.__table__.c


def search_doc(view: PaperView) -> SearchDoc:
    return SearchDoc(
        id=view.id,
        version=view.version,
        key=view.key,
        title=view.title,
        authors=" ; ".join(a.display for a in view.authors),
        abstract=view.abstract,
        venue=view.venue,
        notes="\n\n".join(n.body for n in view.notes),
        tags=view.tags,
        lists=view.list_ids,
        year=view.year,
        rating=view.rating,
        status=view.status,
        doi=view.doi,
        arxiv_id=view.arxiv_id,
    )


def _docs_for(session: Session, ids: list[int]) -> tuple[list[SearchDoc], list[int]]:
    """Documents for the live papers among ``ids``; the rest must leave the index."""
    views = load_views(session, ids)
    docs = [search_doc(v) for v in views if not v.in_trash]
    live = {d.id for d in docs}
    return docs, [i for i in ids if i not in live]


@dataclass
class DriftReport:
    missing: list[int] = field(default_factory=list)  # live in the database, absent in the index
    stale: list[int] = field(default_factory=list)  # in both, but the index has an old version
    extra: list[int] = field(default_factory=list)  # in the index, not live in the database
    queued: int = 0  # changes waiting in the queue

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.queued)


class IndexSyncer:
    def __init__(self, database: Database, index: SearchIndex) -> None:
        self.database = database
        self.index = index

    def pending(self) -> int:
        with self.database.read() as session:
            return session.execute(select(func.count()).select_from(IndexQueue)).scalar_one()

    def drain(
        self,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        batch: int = QUEUE_BATCH,
    ) -> int:
        """Bring the index up to date with the queue; returns how many papers it updated.

        Errors are logged with their cause and the queue is kept, so the next call retries.
        """
        total = self.pending() if progress is not None else 0  # only a watcher needs it
        done = 0
        if progress is not None and total:
            progress(0, total)
        while True:
            if cancelled is not None and cancelled():
                return done  # what is left stays queued for the next drain
            # Read, index and clear under the index lock, so that two processes never write
            # an older version of a paper over a newer one.
            with self.index.locked():
                with self.database.read() as session:
                    rows = session.execute(
                        select(Q.id, Q.paper_id).order_by(Q.id).limit(batch)
                    ).all()
                    if not rows:
                        return done
                    ids = list(dict.fromkeys(row.paper_id for row in rows))
                    docs, removed = _docs_for(session, ids)
                self.index.update(docs, removed)
                last = rows[-1].id
                with self.database.write() as session:
                    session.execute(delete(IndexQueue).where(Q.id <= last))
            done += len(ids)
            if progress is not None:
                progress(min(done, total), total)

    def try_drain(
        self,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        batch: int = QUEUE_BATCH,
    ) -> bool:
        try:
            self.drain(progress, cancelled, batch)
        except Exception as error:  # the database change stands; the index catches up later
            log.warning("search index not updated yet (%s); it will catch up next time", error)
            return False
        return True

    def live_ids(self) -> list[int]:
        with self.database.read() as session:
            return list(
                session.execute(select(P.id).where(P.deleted_at.is_(None)).order_by(P.id)).scalars()
            )

    def rebuild(self, progress: Progress | None = None) -> int:
        """Recreate the whole index from the database."""
        with self.index.locked():
            with self.database.read() as session:
                last = session.execute(select(func.max(Q.id))).scalar()
            ids = self.live_ids()
            self.index.rebuild(self._stream_docs(ids), len(ids), progress)
            if last is not None:
                with self.database.write() as session:
                    session.execute(delete(IndexQueue).where(Q.id <= last))
        return len(ids)

    def _stream_docs(self, ids: list[int]) -> Iterator[SearchDoc]:
        for batch in chunks(ids, 1000):
            with self.database.read() as session:
                docs, _ = _docs_for(session, batch)
            yield from docs

    def drift(self) -> DriftReport:
        with self.database.read() as session:
            expected = dict(
                session.execute(select(Paper.id, Paper.version).where(P.deleted_at.is_(None))).all()
            )
            queued = session.execute(select(func.count()).select_from(IndexQueue)).scalar_one()
        indexed = self.index.versions()
        return DriftReport(
            missing=sorted(set(expected) - set(indexed)),
            stale=sorted(i for i, v in expected.items() if i in indexed and indexed[i] != v),
            extra=sorted(set(indexed) - set(expected)),
            queued=queued,
        )

    def repair(self, report: DriftReport) -> None:
        self.drain()
        ids = [*report.missing, *report.stale, *report.extra]
        for batch in chunks(ids, QUEUE_BATCH):
            with self.index.locked():
                with self.database.read() as session:
                    docs, removed = _docs_for(session, batch)
                self.index.update(docs, removed)
