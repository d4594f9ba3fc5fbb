"""Queries over papers and what hangs off them. Portable SQL only (SQLAlchemy Core)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import and_, func, select, update
from sqlmodel import Session

from readinglist.domain.filters import PaperFilter, Sort
from readinglist.domain.models import (
    IndexQueue,
    ListItem,
    Note,
    Paper,
    PaperAuthor,
    PaperTag,
    ReadingList,
    Tag,
    utcnow,
)
from readinglist.domain.values import (
    AuthorName,
    InvalidValue,
    ListNotFound,
    PaperNotFound,
    VersionMoved,
)
from readinglist.domain.views import NoteView, PaperView
from readinglist.storage import change_feed

CHUNK = 500  # ids per IN (...) clause; well under every database's parameter limit

# Tables for joins, and their columns for expressions.
PAPER, TAG, LIST, LIST_ITEM = (Paper.__table__, Tag.__table__, ReadingList.__table__,
                               ListItem.__table__)  # fmt: skip
PAPER_TAG = PaperTag.__table__
AUTHOR, NOTE = PaperAuthor.__table__, Note.__table__
P = PAPER.c
A = AUTHOR.c
T = TAG.c
PT = PAPER_TAG.c
N = NOTE.c
L = LIST.c
LI = LIST_ITEM.c


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    batch: list[int] = []
    for paper_id in ids:
        batch.append(paper_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def resolve_paper(session: Session, ref: str | int) -> int:
    """A paper's id from its id or its citation key ('key:2010' forces a key that looks like a
    number)."""
    text = str(ref).strip()
    if text.startswith("key:"):
        text = text[4:].strip()
    elif text.isascii() and text.isdigit() and len(text) <= 18:
        found = session.execute(select(P.id).where(P.id == int(text))).scalar()
        if found is not None:
            return found
    found = session.execute(select(P.id).where(P.key == text)).scalar()
    if found is None:
        raise PaperNotFound(f"no paper with id or citation key {text!r}")
    return found


def resolve_list(session: Session, name: str) -> int:
    found = session.execute(select(L.id).where(L.name_key == name.strip().casefold())).scalar()
    if found is None:
        raise ListNotFound(f"no reading list named {name!r}")
    return found


def mark_changed(session: Session, ids: Iterable[int]) -> None:
    """Bump the version of papers whose indexed content changed, and queue them for the index."""
    now = utcnow()
    for batch in chunks(sorted(set(ids))):
        session.execute(
            update(Paper)
            .where(P.id.in_(batch))
            .values(version=P.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        enqueue(session, batch)


def compare_and_set(
    session: Session, table, row_id: int, version: int, values: dict[str, object]
) -> None:
    """``UPDATE table SET … , version = version + 1 WHERE id = ? AND version = ?``: the write
    happens only if nobody committed a change to the row since ``version`` was read; else
    VersionMoved runs the unit of work again (see Database.attempt)."""
    done = session.execute(
        update(table)
        .where(table.c.id == row_id, table.c.version == version)
        .values(**values, version=table.c.version + 1)
    )
    if done.rowcount != 1:
        raise VersionMoved(f"{table.name} {row_id} moved past version {version}")


def enqueue(session: Session, ids: Sequence[int]) -> None:
    """Tell the search index (and, in a shared library, the other clients) that these papers
    changed: a file's index has its queue in the file; each client of a shared library
    follows the change feed instead."""
    if not ids:
        return
    change_feed.record(session, "paper", ids)
    if session.info.get("index_queue", True):
        session.execute(IndexQueue.__table__.insert(), [{"paper_id": i} for i in ids])


def column_values(session: Session, ids: Sequence[int], name: str) -> dict[int, object]:
    """One column of many papers ('rating', 'status'): what an undo needs, without loading
    whole papers."""
    if name not in ("rating", "status"):
        raise InvalidValue(f"no column {name!r} to read")
    column = P[name]
    found: dict[int, object] = {}
    for batch in chunks(ids):
        found.update(session.execute(select(P.id, column).where(P.id.in_(batch))).all())
    return found


def tag_keys(session: Session, ids: Sequence[int]) -> dict[int, set[str]]:
    """Each paper's tags, case-folded."""
    found: dict[int, set[str]] = {i: set() for i in ids}
    for batch in chunks(ids):
        for paper_id, key in session.execute(
            select(PT.paper_id, T.name_key)
            .join(TAG, T.id == PT.tag_id)
            .where(PT.paper_id.in_(batch))
        ):
            found[paper_id].add(key)
    return found


def load_views(session: Session, ids: Sequence[int]) -> list[PaperView]:
    """Full snapshots of the papers in ``ids``, in that order (missing ids are skipped)."""
    found: dict[int, PaperView] = {}
    for batch in chunks(ids):
        found.update(_load_batch(session, batch))
    return [found[i] for i in ids if i in found]


def _load_batch(session: Session, batch: list[int]) -> dict[int, PaperView]:
    authors: dict[int, list[AuthorName]] = defaultdict(list)
    for row in session.execute(
        select(A.paper_id, A.family, A.given, A.particle, A.suffix, A.literal)
        .where(A.paper_id.in_(batch))
        .order_by(A.paper_id, A.position)
    ):
        authors[row.paper_id].append(
            AuthorName(row.family, row.given, row.particle, row.suffix, row.literal)
        )
    tags: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(
        select(PT.paper_id, T.name)
        .join(TAG, T.id == PT.tag_id)
        .where(PT.paper_id.in_(batch))
        .order_by(T.name_key)
    ):
        tags[row.paper_id].append(row.name)
    lists: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in session.execute(
        select(LI.paper_id, L.id, L.name)
        .join(LIST, L.id == LI.list_id)
        .where(LI.paper_id.in_(batch))
        .order_by(L.name_key)
    ):
        lists[row.paper_id].append((row.id, row.name))
    notes: dict[int, list[NoteView]] = defaultdict(list)
    for row in session.execute(
        select(N.id, N.paper_id, N.body, N.created_at, N.updated_at)
        .where(N.paper_id.in_(batch))
        .order_by(N.paper_id, N.created_at, N.id)
    ):
        notes[row.paper_id].append(NoteView(row.id, row.body, row.created_at, row.updated_at))
    views: dict[int, PaperView] = {}
    for row in session.execute(select(Paper.__table__).where(P.id.in_(batch))).mappings():
        pid = row["id"]
        values = {k: row[k] for k in _VIEW_COLUMNS}
        views[pid] = PaperView(
            **values,
            authors=tuple(authors[pid]),
            tags=tuple(tags[pid]),
            lists=tuple(name for _, name in lists[pid]),
            list_ids=tuple(list_id for list_id, _ in lists[pid]),
            notes=tuple(notes[pid]),
        )
    return views


_VIEW_COLUMNS = (
    "id", "key", "title", "entry_type", "abstract", "year", "month", "venue", "volume", "number",
    "pages", "publisher", "doi", "arxiv_id", "isbn", "url", "code_url", "extra", "rating",
    "status", "added_at", "updated_at", "deleted_at", "version",
)  # fmt: skip


def _filtered(statement, paper_filter: PaperFilter, session: Session):
    if paper_filter.trashed:
        statement = statement.where(P.deleted_at.is_not(None))
    else:
        statement = statement.where(P.deleted_at.is_(None))
    if paper_filter.status:
        statement = statement.where(P.status == paper_filter.status)
    if paper_filter.min_rating is not None:
        statement = statement.where(P.rating >= paper_filter.min_rating)
    for tag in paper_filter.tags:
        tagged = (
            select(PT.paper_id)
            .join(TAG, T.id == PT.tag_id)
            .where(T.name_key == tag.strip().casefold())
        )
        statement = statement.where(P.id.in_(tagged))
    if paper_filter.unfiled:
        statement = statement.where(P.id.not_in(select(LI.paper_id)))
    if paper_filter.added_since is not None:
        statement = statement.where(P.added_at >= paper_filter.added_since)
    if paper_filter.list_name is not None:
        list_id = resolve_list(session, paper_filter.list_name)
        statement = statement.join(LIST_ITEM, and_(LI.paper_id == P.id, LI.list_id == list_id))
    return statement


def _first_tag():
    return (
        select(func.min(T.name_key))
        .join(PAPER_TAG, PT.tag_id == T.id)
        .where(PT.paper_id == P.id)
        .scalar_subquery()
    )


def _order_columns(sort: Sort | None, in_list: bool):
    if sort is None:
        return [LI.position, P.id] if in_list else [P.added_at, P.id]
    columns = {
        "added": P.added_at,
        "updated": P.updated_at,
        "title": func.lower(P.title),
        "year": P.year,
        "rating": P.rating,
        "status": P.status,
        "key": P.key,
        "venue": func.lower(P.venue),
        "author": P.sort_author,
        "tags": _first_tag(),
    }
    if sort.key == "position":
        if not in_list:
            raise InvalidValue("sorting by position needs a reading list")
        column = LI.position
    elif sort.key in columns:
        column = columns[sort.key]
    else:
        raise InvalidValue(f"cannot sort by {sort.key!r}; use one of: {', '.join(columns)}")
    if sort.descending:
        return [column.desc(), P.id.desc()]
    return [column.asc(), P.id.asc()]


def query_ids(
    session: Session,
    paper_filter: PaperFilter,
    sort: Sort | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[int]:
    statement = _filtered(select(P.id), paper_filter, session)
    statement = statement.order_by(*_order_columns(sort, paper_filter.list_name is not None))
    if offset:
        statement = statement.offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.execute(statement).scalars())


def count(session: Session, paper_filter: PaperFilter) -> int:
    statement = _filtered(select(func.count()).select_from(Paper.__table__), paper_filter, session)
    return session.execute(statement).scalar_one()
