"""Reading lists: named, hand-ordered collections of papers. Run inside a unit of work."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, delete, func, select, update
from sqlmodel import Session

from readinglist.domain.changes import Changes, Conflict
from readinglist.domain.models import ListItem, ReadingList, utcnow
from readinglist.domain.values import InvalidValue, NameTaken, clean_label
from readinglist.domain.views import ListSummary
from readinglist.storage import change_feed
from readinglist.storage.papers import LI, LIST, L, P, compare_and_set, mark_changed, resolve_list


def _clean_name(name: str) -> str:
    return clean_label(name, "a reading list")


def _check_free(session: Session, name: str, except_id: int | None = None) -> None:
    clash = session.execute(select(L.id).where(L.name_key == name.casefold())).scalar()
    if clash is not None and clash != except_id:
        raise NameTaken(f"a reading list named {name!r} already exists")


def create_list(session: Session, name: str) -> Changes:
    cleaned = _clean_name(name)
    _check_free(session, cleaned)
    reading_list = ReadingList(name=cleaned, name_key=cleaned.casefold())
    session.add(reading_list)
    session.flush()
    change_feed.record(session, "list", [reading_list.id])
    return Changes(lists=True, created=reading_list.id)


def rename_list(session: Session, old: str, new: str) -> Changes:
    list_id, version = _list_at(session, old)
    cleaned = _clean_name(new)
    _check_free(session, cleaned, except_id=list_id)
    session.execute(
        update(ReadingList).where(L.id == list_id).values(name=cleaned, name_key=cleaned.casefold())
    )
    _touch_list(session, list_id, version)
    # the index holds list ids, not names: nothing to re-index
    return Changes(lists=True)


def delete_list(session: Session, name: str) -> Changes:
    list_id = resolve_list(session, name)
    members = _members(session, list_id)
    session.execute(delete(ReadingList).where(L.id == list_id))
    change_feed.record(session, "list", [list_id])
    mark_changed(session, members)
    return Changes(lists=True, modified=frozenset(members))


def _members(session: Session, list_id: int) -> list[int]:
    return list(
        session.execute(
            select(LI.paper_id).where(LI.list_id == list_id).order_by(LI.position)
        ).scalars()
    )


def _renumber(session: Session, list_id: int, ordered: Sequence[int]) -> None:
    """One executemany for the whole list: a 5,000-paper list renumbers in milliseconds."""
    if not ordered:
        return
    session.connection().execute(
        update(ListItem.__table__)
        .where(LI.list_id == bindparam("list"), LI.paper_id == bindparam("paper"))
        .values(position=bindparam("at")),
        [{"list": list_id, "paper": p, "at": at} for at, p in enumerate(ordered)],
    )


def members(session: Session, name: str) -> list[int]:
    """Every paper of a list in its order, those in the trash included (an undo needs them)."""
    return _members(session, resolve_list(session, name))


def add_to_list(
    session: Session, name: str, ids: Sequence[int], position: int | None = None
) -> Changes:
    """Append (or insert at ``position``, 0-based) the papers not already in the list."""
    list_id, version = _list_at(session, name)
    members = _members(session, list_id)
    present = set(members)
    new = [i for i in dict.fromkeys(ids) if i not in present]
    if not new:
        return Changes()
    at = len(members) if position is None else max(0, min(position, len(members)))
    session.execute(
        ListItem.__table__.insert(),
        [
            {"list_id": list_id, "paper_id": pid, "position": -1, "added_at": utcnow()}
            for pid in new
        ],
    )
    _renumber(session, list_id, [*members[:at], *new, *members[at:]])
    _touch_list(session, list_id, version)
    mark_changed(session, new)
    return Changes(lists=True, modified=frozenset(new))


def remove_from_list(session: Session, name: str, ids: Sequence[int]) -> Changes:
    list_id, version = _list_at(session, name)
    members = _members(session, list_id)
    gone = [i for i in members if i in set(ids)]
    if not gone:
        return Changes()
    session.execute(delete(ListItem).where(LI.list_id == list_id, LI.paper_id.in_(gone)))
    _renumber(session, list_id, [i for i in members if i not in set(gone)])
    _touch_list(session, list_id, version)
    mark_changed(session, gone)
    return Changes(lists=True, modified=frozenset(gone))


def move_in_list(session: Session, name: str, paper_id: int, position: int) -> Changes:
    """Move one paper to ``position`` (0-based; past the end means last)."""
    list_id, version = _list_at(session, name)
    members = _members(session, list_id)
    if paper_id not in members:
        raise InvalidValue(f"paper {paper_id} is not in the reading list {name!r}")
    members.remove(paper_id)
    members.insert(max(0, min(position, len(members))), paper_id)
    _renumber(session, list_id, members)
    _touch_list(session, list_id, version)
    return Changes(lists=True)


def reorder_list(
    session: Session, name: str, order: Sequence[int], base: Sequence[int] | None = None
) -> Changes:
    """Put the list's papers in ``order``; members it leaves out keep their turn after it.
    With ``base`` (the order the user saw), a list someone else reordered meanwhile keeps
    their order, and this one comes back as a conflict; papers added or removed meanwhile
    are no conflict (membership merges as a set)."""
    list_id, version = _list_at(session, name)
    members = _members(session, list_id)
    if base is not None:
        conflict = _order_conflict(list_id, members, order, base)
        if conflict is not None:
            return Changes(conflicts=(conflict,))
    present = set(members)
    wanted = [i for i in dict.fromkeys(order) if i in present]
    chosen = set(wanted)
    members = wanted + [i for i in members if i not in chosen]
    _renumber(session, list_id, members)
    _touch_list(session, list_id, version)
    return Changes(lists=True)


def _order_conflict(
    list_id: int, members: list[int], order: Sequence[int], base: Sequence[int]
) -> Conflict | None:
    """Three-way on the order of the papers both the user and the list still have."""
    present = set(members)
    saw = [i for i in base if i in present]
    seen = set(saw)
    now = [i for i in members if i in seen]
    if now == saw:
        return None  # nobody else moved what the user was moving
    mine = [i for i in dict.fromkeys(order) if i in seen]
    if mine == now:
        return None  # they put it in this very order
    return Conflict("list", list_id, "order", list(base), list(order), members)


def _list_at(session: Session, name: str) -> tuple[int, int]:
    """A list's id and the version its name, members and order are about to be read at."""
    list_id = resolve_list(session, name)
    return list_id, session.execute(select(L.version).where(L.id == list_id)).scalar_one()


def _touch_list(session: Session, list_id: int, seen: int) -> None:
    """A list's name, members or order changed: a new version, and word to other clients.
    A compare-and-set on ``seen``, the version its members and order were read at: another
    client's change committed since runs this unit of work again (VersionMoved)."""
    compare_and_set(session, LIST, list_id, seen, {"updated_at": utcnow()})
    change_feed.record(session, "list", [list_id])


def list_summaries(session: Session) -> list[ListSummary]:
    live = select(P.id).where(P.deleted_at.is_(None))
    statement = (
        select(L.id, L.name, func.count(LI.paper_id))
        .select_from(ReadingList.__table__)
        .outerjoin(ListItem.__table__, (LI.list_id == L.id) & LI.paper_id.in_(live))
        .group_by(L.id, L.name, L.name_key)
        .order_by(L.name_key)
    )
    return [ListSummary(row[0], row[1], row[2]) for row in session.execute(statement)]


def list_names_by_id(session: Session) -> dict[str, int]:
    return {row.name_key: row.id for row in session.execute(select(L.id, L.name_key))}
