"""The change feed of a shared library: what each unit of work changed, published with it.

Changes are gathered on the session while the work runs (``record``) and written to
``change_log`` just before the commit, under a lock that makes sequence numbers follow commit
order; one notification then tells the other clients the newest number. A notification is only
a nudge: clients read the log itself (``changes_since``), so one that was away misses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlmodel import Session

from readinglist.domain.models import ChangeLog, utcnow

C = ChangeLog.__table__.c
KINDS = ("paper", "list", "tag", "search", "import")
_PENDING = "change_feed"


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    entity_id: int
    changed_at: datetime | None = None


def record(session: Session, kind: str, ids: Iterable[int]) -> None:
    """Note that the things ``ids`` of ``kind`` changed in this unit of work."""
    pending: dict[tuple[str, int], None] = session.info.setdefault(_PENDING, {})
    for entity_id in ids:
        pending[(kind, int(entity_id))] = None


def publish(session: Session) -> Change | None:
    """Write what was recorded to the log, in commit order, and notify; the newest entry."""
    from readinglist.storage import postgresql

    pending = session.info.pop(_PENDING, None)
    if not pending:
        return None
    connection = session.connection()
    postgresql.order_change_log(connection)
    now = utcnow()
    rows = [
        {"kind": kind, "entity_id": entity_id, "changed_at": now} for kind, entity_id in pending
    ]
    connection.execute(insert(ChangeLog.__table__), rows)
    newest = connection.execute(select(func.max(C.seq))).scalar_one()
    kind, entity_id = rows[-1]["kind"], rows[-1]["entity_id"]
    postgresql.notify(connection, f"{newest} {kind} {entity_id}")
    return Change(newest, kind, entity_id)


def forget(session: Session) -> None:
    """A unit of work that rolled back published nothing."""
    session.info.pop(_PENDING, None)


def changes_since(session: Session, seq: int, limit: int | None = None) -> list[Change]:
    statement = select(C.seq, C.kind, C.entity_id, C.changed_at).where(C.seq > seq).order_by(C.seq)
    if limit is not None:
        statement = statement.limit(limit)
    return [
        Change(row.seq, row.kind, row.entity_id, _utc(row.changed_at))
        for row in session.execute(statement)
    ]


def latest(session: Session) -> int:
    """The newest sequence number (0 for an empty log)."""
    return session.execute(select(func.coalesce(func.max(C.seq), 0))).scalar_one()


def moment(session: Session, seq: int) -> datetime | None:
    """When change ``seq`` was made, as the log says (None: the log has no such change)."""
    return _utc(session.execute(select(C.changed_at).where(C.seq == seq)).scalar())


def _utc(moment: datetime | None) -> datetime | None:
    """One form for a moment from either backend (SQLite gives it without its zone), so two
    copies of one change compare equal."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_notification(payload: str) -> Change | None:
    """``"seq kind id"`` as ``publish`` sends it; None for anything else."""
    parts = payload.split()
    if len(parts) != 3 or parts[1] not in KINDS:
        return None
    try:
        return Change(int(parts[0]), parts[1], int(parts[2]))
    except ValueError:
        return None
