"""Keeps the derived search index in step with the database.

Every write queues the papers it touched in its own transaction; this module drains the queue
into the index afterwards. A crash between the two leaves the queue behind and the next open
drains it, so the index always catches up and nothing is lost.

A library in a file has one index, and its queue is a table of the file (``index_queue``). A
shared library has one index per client, so no table can say what each has seen: each client
follows the change feed and keeps its own place in it, in a file beside its index, written only
after the index has committed what came before it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlmodel import Session

from readinglist.domain.models import IndexQueue, Paper
from readinglist.domain.views import PaperView
from readinglist.search.index import Progress, SearchDoc, SearchIndex
from readinglist.storage import change_feed
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


class Queue(Protocol):
    """Where the papers the index has not seen yet are waiting."""

    def pending(self, session: Session) -> int: ...

    def batch(self, session: Session, size: int) -> tuple[list[int], int | None]:
        """The next papers to index and the place after them (None: nothing is waiting)."""
        ...

    def latest(self, session: Session) -> int | None:
        """The place after everything queued so far."""
        ...

    def done(self, database: Database, place: int) -> None:
        """The index holds everything up to ``place``."""
        ...


class TableQueue:
    """The queue a library file keeps for its own index."""

    def pending(self, session: Session) -> int:
        return session.execute(select(func.count()).select_from(IndexQueue)).scalar_one()

    def batch(self, session: Session, size: int) -> tuple[list[int], int | None]:
        rows = session.execute(select(Q.id, Q.paper_id).order_by(Q.id).limit(size)).all()
        if not rows:
            return [], None
        return list(dict.fromkeys(row.paper_id for row in rows)), rows[-1].id

    def latest(self, session: Session) -> int | None:
        return session.execute(select(func.max(Q.id))).scalar()

    def done(self, database: Database, place: int) -> None:
        with database.write() as session:
            session.execute(delete(IndexQueue).where(Q.id <= place))


class FeedQueue:
    """One client's place in a shared library's change feed, kept in ``position_file``."""

    def __init__(self, position_file: Path) -> None:
        self.position_file = position_file

    def position(self) -> int:
        try:
            return int(self.position_file.read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            return 0

    def pending(self, session: Session) -> int:
        return change_feed.papers_changed_since(session, self.position())

    def batch(self, session: Session, size: int) -> tuple[list[int], int | None]:
        changes = change_feed.changes_since(session, self.position(), size)
        if not changes:
            return [], None
        ids = [c.entity_id for c in changes if c.kind == "paper"]
        return list(dict.fromkeys(ids)), changes[-1].seq

    def latest(self, session: Session) -> int | None:
        return change_feed.latest(session)

    def done(self, database: Database, place: int) -> None:
        partial = self.position_file.with_name(self.position_file.name + ".partial")
        partial.write_text(str(place), encoding="ascii")
        os.replace(partial, self.position_file)


class IndexSyncer:
    def __init__(self, database: Database, index: SearchIndex, queue: Queue | None = None) -> None:
        self.database = database
        self.index = index
        self.queue = queue or TableQueue()

    def pending(self) -> int:
        with self.database.read() as session:
            return self.queue.pending(session)

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
                    ids, place = self.queue.batch(session, batch)
                    if place is None:
                        return done
                    docs, removed = _docs_for(session, ids)
                if ids:
                    self.index.update(docs, removed)
                self.queue.done(self.database, place)
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
                last = self.queue.latest(session)
            ids = self.live_ids()
            self.index.rebuild(self._stream_docs(ids), len(ids), progress)
            if last is not None:
                self.queue.done(self.database, last)
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
            queued = self.queue.pending(session)
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
