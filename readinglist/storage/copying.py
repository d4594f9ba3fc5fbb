"""Copying a library's rows between databases, ids and all: a file to a server (share), a
server to a file (clone), and a server's changes into this computer's copy of it (replica).

Portable SQLAlchemy Core only, so any pair of backends works the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update

from readinglist.domain.models import ImportRun, SavedSearch
from readinglist.storage.papers import (
    AUTHOR,
    LIST,
    LIST_ITEM,
    NOTE,
    PAPER,
    PAPER_TAG,
    TAG,
    chunks,
)

IMPORT_RUN: Table = ImportRun.__table__
SEARCH: Table = SavedSearch.__table__

# Parents before children, so every row's foreign keys point to rows already there.
LIBRARY_TABLES: tuple[Table, ...] = (
    IMPORT_RUN, TAG, LIST, SEARCH, PAPER, AUTHOR, PAPER_TAG, NOTE, LIST_ITEM,
)  # fmt: skip
# Tables whose ids a server hands out from a sequence, which must go on after copied ids.
SERIAL_IDS = {t.name: "id" for t in (IMPORT_RUN, TAG, LIST, SEARCH, PAPER, AUTHOR, NOTE)}
BATCH = 2000
Progress = Callable[[int, int], None]


def count_rows(connection: Connection) -> int:
    return sum(
        connection.execute(select(func.count()).select_from(t)).scalar_one() for t in LIBRARY_TABLES
    )


def copy_library(
    source: Connection,
    target: Connection,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Copy every row of every library table from ``source`` into ``target`` (which holds
    none), keeping ids; returns how many rows. Raises CopyCancelled when ``cancelled()``
    says so between batches (the caller rolls ``target`` back)."""
    total = count_rows(source) if progress is not None else 0
    done = 0
    for table in LIBRARY_TABLES:
        order = list(table.primary_key.columns)
        result = source.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
        for part in result.mappings().partitions(BATCH):
            if cancelled is not None and cancelled():
                raise CopyCancelled("the copy was cancelled; nothing was kept")
            target.execute(insert(table), [dict(row) for row in part])
            done += len(part)
            if progress is not None:
                progress(done, total)
    return done


class CopyCancelled(Exception):
    pass


def rows_by_ids(
    connection: Connection, table: Table, column: str, ids: Iterable[int]
) -> list[dict[str, Any]]:
    """Every row of ``table`` whose ``column`` is one of ``ids``."""
    found: list[dict[str, Any]] = []
    for part in chunks(sorted(set(ids))):
        statement = select(table).where(table.c[column].in_(part))
        found.extend(dict(row) for row in connection.execute(statement).mappings())
    return found


def upsert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Rows keyed by ``id``: updated in place where present, inserted where not. Never a
    delete and insert: deleting a tag or a list would take its links to other papers along."""
    if not rows:
        return
    present = {
        row_id
        for part in chunks([r["id"] for r in rows])
        for row_id in connection.execute(select(table.c.id).where(table.c.id.in_(part))).scalars()
    }
    fresh = [r for r in rows if r["id"] not in present]
    known = [r for r in rows if r["id"] in present]
    if known:
        names = [c for c in known[0] if c != "id"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in names})
        )
        connection.execute(statement, [{**r, "_id": r["id"]} for r in known])
    if fresh:
        connection.execute(insert(table), list(fresh))


def delete_where_in(connection: Connection, table: Table, column: str, ids: Iterable[int]) -> None:
    for part in chunks(sorted(set(ids))):
        connection.execute(delete(table).where(table.c[column].in_(part)))
