"""This computer's copy of a shared library: what the window shows, searches and keeps
showing when the server is out of reach.

The copy is a library file of its own (same schema, same code) in the user's cache folder,
fed from the server's change feed: each pull reads the changes after the last one it applied
and the rows they name, from one snapshot of the server, and applies both in one local
transaction, the changes' numbers included, so the copy knows its place in the feed and a
crash never leaves it half-applied. Pulls are serialized by the copy's write lock (across
processes too: the window and a command line share the copy), and each reads its place again
under that lock. The copy's own index queue then brings its search index along.

A change names a thing, not what happened to it: a paper that is no longer on the server was
deleted, one that is there is copied whole (its authors, tags, notes and list places with
it). Re-applying a change is harmless, which is what makes catching up after a missed
notification or a dropped connection safe.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from readinglist.domain.changes import Changes
from readinglist.domain.models import ChangeLog
from readinglist.services.durable import replace_text
from readinglist.storage import change_feed
from readinglist.storage.copying import (
    AUTHOR,
    IMPORT_RUN,
    LIST,
    LIST_ITEM,
    NOTE,
    PAPER,
    PAPER_TAG,
    SEARCH,
    TAG,
    copy_library,
    delete_where_in,
    rows_by_ids,
    upsert,
)
from readinglist.storage.database import Database
from readinglist.storage.papers import chunks, enqueue
from readinglist.storage.postgresql import redacted

log = logging.getLogger(__name__)
PULL_BATCH = 5000  # changes applied per local transaction
COPY_MARK = "copy"  # the change-log row that says where a full copy was taken
LOG = ChangeLog.__table__


@dataclass
class _Fetched:
    """The server's rows for one batch of changes, from one snapshot."""

    papers: dict[int, dict[str, Any]] = field(default_factory=dict)
    asked_papers: set[int] = field(default_factory=set)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    list_items: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    asked_lists: set[int] = field(default_factory=set)
    parents: dict[str, tuple[set[int], list[dict[str, Any]]]] = field(default_factory=dict)


@dataclass
class CopyDrift:
    """Ids whose row in this computer's copy is not the server's."""

    papers: list[int] = field(default_factory=list)
    lists: list[int] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    searches: list[int] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.papers or self.lists or self.tags or self.searches)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.clean, "papers": self.papers, "lists": self.lists,
                "tags": self.tags, "searches": self.searches}  # fmt: skip


class Replica:
    def __init__(self, server: Database, local: Database) -> None:
        self.server = server
        self.local = local

    def is_empty(self) -> bool:
        with self.local.read() as session:
            return session.execute(select(func.count()).select_from(LOG)).scalar_one() == 0

    def fill(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Copy the whole library from one snapshot of the server; returns the rows copied.
        The caller rebuilds the search index from the copy afterwards."""
        with self.local.write() as local, self.server.read() as remote:
            if change_feed.latest(local) or local.execute(select(PAPER.c.id).limit(1)).first():
                raise RuntimeError("this computer's copy of the library is not empty")
            position = change_feed.latest(remote)
            copied = copy_library(remote.connection(), local.connection(), progress, cancelled)
            _mark(local, position, change_feed.moment(remote, position))
        return copied

    def pull(self) -> Changes:
        """Apply every change the server has committed since the last pull."""
        total = Changes()
        while True:
            changes, more = self._pull_once(PULL_BATCH)
            total |= changes
            if not more:
                return total

    def refresh(self, papers: Iterable[int]) -> Changes:
        """Read ``papers``, and every list, tag and saved search, again from the server:
        after changes kept offline were sent, what this computer showed was its guess."""
        with self.local.write() as local, self.server.read() as remote:
            wanted = [change_feed.Change(0, "paper", i) for i in sorted(set(papers))]
            for table, kind in ((LIST, "list"), (TAG, "tag"), (SEARCH, "search")):
                ids = set(local.execute(select(table.c.id)).scalars())
                ids |= set(remote.execute(select(table.c.id)).scalars())
                wanted.extend(change_feed.Change(0, kind, i) for i in sorted(ids))
            return _copy_again(local, remote, wanted)

    def drift(self) -> CopyDrift:
        """Where this computer's copy differs from the server (after taking every change
        committed so far): papers, lists, tags and saved searches by id and version, or by
        name for the tags, which have none worth comparing for the copy."""
        try:
            self.pull()
        except Exception as error:  # what the pull could not take is what drift finds
            log.warning("pulling before the comparison failed (%s)", error)
        with self.local.read() as local, self.server.read() as remote:
            return _compare(local, remote)

    def repair(self, drift: CopyDrift) -> Changes:
        """Copy again from the server what ``drift`` found different."""
        with self.local.write() as local, self.server.read() as remote:
            return _copy_again(local, remote, _named(drift))

    def _pull_once(self, limit: int) -> tuple[Changes, bool]:
        with self.local.write() as local:
            position = change_feed.latest(local)
            with self.server.read() as remote:
                # the change this copy took last comes first: the feed is still the one it
                # followed (a server restored from a dump hands those numbers out again)
                changes = change_feed.changes_since(remote, position - 1, limit + 1)
                if position and (
                    not changes
                    or changes[0].seq != position
                    or changes[0].changed_at != change_feed.moment(local, position)
                ):
                    return self._start_again(local, remote), False
                changes = [c for c in changes if c.seq > position]
                if not changes:
                    return Changes(), False
                fetched = _fetch(remote.connection(), local.connection(), changes)
            applied = _apply(local.connection(), fetched)
            enqueue(local, sorted(fetched.asked_papers))
            local.execute(
                insert(LOG),
                [
                    {
                        "seq": c.seq,
                        "kind": c.kind,
                        "entity_id": c.entity_id,
                        "changed_at": c.changed_at,
                    }
                    for c in changes
                ],
            )
        return applied, len(changes) >= limit

    def _start_again(self, local, remote) -> Changes:
        """The server's change feed is not the one this copy followed (the server was
        restored from a dump, or the database made again): every row is compared and what
        differs copied again, and the copy takes its place in the new feed."""
        log.warning("the shared library's change feed restarted; comparing every row again")
        applied = _copy_again(local, remote, _named(_compare(local, remote)))
        local.execute(delete(LOG))
        latest = change_feed.latest(remote)
        _mark(local, latest, change_feed.moment(remote, latest))
        return applied


def _named(drift: CopyDrift) -> list[change_feed.Change]:
    """The rows ``drift`` found different, as changes naming them."""
    return [
        change_feed.Change(0, kind, i)
        for kind, ids in (("paper", drift.papers), ("list", drift.lists),
                          ("tag", drift.tags), ("search", drift.searches))
        for i in ids
    ]  # fmt: skip


def _copy_again(local, remote, wanted: list[change_feed.Change]) -> Changes:
    """Copy the rows ``wanted`` names from the server's snapshot into the copy, as they are
    there now, and queue their papers for the index (no place in the feed is taken)."""
    fetched = _fetch(remote.connection(), local.connection(), wanted)
    applied = _apply(local.connection(), fetched)
    enqueue(local, sorted(fetched.asked_papers))
    return applied


def _compare(local, remote) -> CopyDrift:
    found = CopyDrift()
    for table, into in ((PAPER, found.papers), (LIST, found.lists),
                        (SEARCH, found.searches)):  # fmt: skip
        columns = (table.c.id, table.c.version)
        mine = dict(local.execute(select(*columns)).all())
        theirs = dict(remote.execute(select(*columns)).all())
        into.extend(sorted(i for i in mine.keys() | theirs.keys() if mine.get(i) != theirs.get(i)))
    columns = (TAG.c.id, TAG.c.name)
    mine = dict(local.execute(select(*columns)).all())
    theirs = dict(remote.execute(select(*columns)).all())
    found.tags.extend(
        sorted(i for i in mine.keys() | theirs.keys() if mine.get(i) != theirs.get(i))
    )
    return found


def _mark(local, seq: int, changed_at) -> None:
    """Where this copy stands in the feed: the change ``seq`` made at ``changed_at``."""
    row = {"seq": seq, "kind": COPY_MARK, "entity_id": 0}
    if changed_at is not None:
        row["changed_at"] = changed_at
    local.execute(insert(LOG), [row])


def _fetch(remote: Connection, local: Connection, changes: list[change_feed.Change]) -> _Fetched:
    wanted: dict[str, set[int]] = {kind: set() for kind in change_feed.KINDS}
    for change in changes:
        wanted[change.kind].add(change.entity_id)
    fetched = _Fetched()
    _fetch_papers(remote, fetched, wanted["paper"])
    fetched.asked_lists = wanted["list"]
    for row in rows_by_ids(remote, LIST_ITEM, "list_id", wanted["list"]):
        fetched.list_items[(row["list_id"], row["paper_id"])] = row
    # a list's member the copy lacks (added in a change after this batch): copied now
    members = {paper_id for _, paper_id in fetched.list_items}
    have = {row["id"] for row in rows_by_ids(local, PAPER, "id", members)} if members else set()
    _fetch_papers(remote, fetched, members - have - fetched.asked_papers)
    _fetch_name_holders(remote, local, fetched, wanted)
    return fetched


def _fetch_parents(
    remote: Connection, local: Connection, fetched: _Fetched, wanted: dict[str, set[int]]
) -> None:
    """The tags, lists and imports the fetched rows point to, where the copy lacks them (one
    it has is up to date: any change to it is a change of its own kind), and those changed.
    Called again whenever more papers were fetched, so none points to a missing parent."""
    lists = wanted["list"] | _missing(local, LIST, {list_id for list_id, _ in fetched.list_items})
    tags = wanted["tag"] | _missing(
        local, TAG, {row["tag_id"] for row in fetched.children[PAPER_TAG.name]}
    )
    imports = wanted["import"] | _missing(
        local, IMPORT_RUN,
        {p["import_id"] for p in fetched.papers.values() if p["import_id"] is not None},
    )  # fmt: skip
    for table, ids, asked in (
        (IMPORT_RUN, imports, wanted["import"]),
        (TAG, tags, wanted["tag"]),
        (LIST, lists, wanted["list"]),
        (SEARCH, wanted["search"], wanted["search"]),
    ):
        known_asked, rows = fetched.parents.setdefault(table.name, (set(), []))
        known_asked |= asked
        have = {row["id"] for row in rows}
        rows.extend(rows_by_ids(remote, table, "id", ids - have))


# Names that are unique in a library: a row arriving with one may find it held in the copy by
# another row, one that was renamed or deleted on the server in a change not pulled yet (a tag
# deleted and made again, two lists that swapped names). That row is read again too.
UNIQUE_NAMES = {TAG.name: "name_key", LIST.name: "name_key", SEARCH.name: "name_key"}


def _fetch_name_holders(
    remote: Connection, local: Connection, fetched: _Fetched, wanted: dict[str, set[int]]
) -> None:
    tables = {t.name: t for t in (TAG, LIST, SEARCH)}
    for _round in range(20):  # each round can only bring rows the copy holds: it ends
        _fetch_parents(remote, local, fetched, wanted)
        more = False
        for name, column in UNIQUE_NAMES.items():
            asked, rows = fetched.parents[name]
            holders = _holders(local, tables[name], column, rows)
            if holders - asked:
                more = True
                asked |= holders
                have = {row["id"] for row in rows}
                rows.extend(rows_by_ids(remote, tables[name], "id", holders - have))
        holders = _holders(local, PAPER, "key", list(fetched.papers.values()))
        if holders - fetched.asked_papers:
            more = True
            _fetch_papers(remote, fetched, holders - fetched.asked_papers)
        if not more:
            return


def _holders(local: Connection, table, column: str, rows: list[dict[str, Any]]) -> set[int]:
    """Ids of the copy's rows holding a unique name one of ``rows`` brings, other than its own."""
    names = {row[column]: row["id"] for row in rows}
    found: set[int] = set()
    for part in chunks(list(names)):
        for row_id, name in local.execute(
            select(table.c.id, table.c[column]).where(table.c[column].in_(part))
        ):
            if names[name] != row_id:
                found.add(row_id)
    return found


def _free_names(local: Connection, table, column: str, ids: set[int]) -> None:
    """Give rows about to be rewritten a placeholder name first, so two that trade names
    never hold the same one for a moment (SQLite checks uniqueness row by row)."""
    if ids:
        local.execute(
            update(table).where(table.c.id == bindparam("_id")).values({column: bindparam("_n")}),
            [{"_id": i, "_n": f"\u2400moving-{i}"} for i in sorted(ids)],
        )


def _missing(local: Connection, table, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return ids - {row["id"] for row in rows_by_ids(local, table, "id", ids)}


def _fetch_papers(remote: Connection, fetched: _Fetched, ids: set[int]) -> None:
    fetched.asked_papers |= ids
    for row in rows_by_ids(remote, PAPER, "id", ids):
        fetched.papers[row["id"]] = row
    for table in (AUTHOR, PAPER_TAG, NOTE):
        fetched.children.setdefault(table.name, []).extend(
            rows_by_ids(remote, table, "paper_id", ids)
        )
    for row in rows_by_ids(remote, LIST_ITEM, "paper_id", ids):
        fetched.list_items[(row["list_id"], row["paper_id"])] = row


def _apply(local: Connection, fetched: _Fetched) -> Changes:
    tables = {t.name: t for t in (IMPORT_RUN, TAG, LIST, SEARCH)}
    for name in (IMPORT_RUN.name, TAG.name, LIST.name, SEARCH.name):
        asked, rows = fetched.parents[name]
        delete_where_in(local, tables[name], "id", asked - {row["id"] for row in rows})
        if name in UNIQUE_NAMES:
            _free_names(local, tables[name], UNIQUE_NAMES[name], {row["id"] for row in rows})
        upsert(local, tables[name], rows)
    gone = fetched.asked_papers - set(fetched.papers)
    delete_where_in(local, PAPER, "id", gone)  # its authors, tags, notes, places go with it
    _free_names(local, PAPER, "key", set(fetched.papers))
    upsert(local, PAPER, list(fetched.papers.values()))
    for table in (AUTHOR, PAPER_TAG, NOTE, LIST_ITEM):
        delete_where_in(local, table, "paper_id", fetched.papers)
    delete_where_in(local, LIST_ITEM, "list_id", fetched.asked_lists)
    for table in (AUTHOR, NOTE):  # a row with the same id elsewhere in the copy is stale
        delete_where_in(local, table, "id", [row["id"] for row in fetched.children[table.name]])
    for table in (AUTHOR, PAPER_TAG, NOTE):
        if fetched.children[table.name]:
            local.execute(insert(table), fetched.children[table.name])
    if fetched.list_items:
        local.execute(insert(LIST_ITEM), list(fetched.list_items.values()))
    asked = {name: bool(fetched.parents[name][0]) for name in tables}
    return Changes(
        modified=frozenset(fetched.papers),
        removed=frozenset(gone),
        tags=asked[TAG.name] or bool(fetched.papers) or bool(gone),
        lists=asked[LIST.name],
        searches=asked[SEARCH.name],
        notes=frozenset(fetched.papers),
    )


class KnownCopies:
    """Which library each address reached, so that its copy opens when the server cannot
    be reached (the address is kept without its password)."""

    def __init__(self, folder: Path) -> None:
        self.folder_path = folder
        self.path = folder / "addresses.json"

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def folder(self, address: str) -> Path | None:
        library_id = self._read().get(redacted(address))
        return self.folder_path / library_id if library_id else None

    def remember(self, address: str, library_id: str) -> Path:
        folder = self.folder_path / library_id
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        known = self._read()
        if known.get(redacted(address)) != library_id:
            known[redacted(address)] = library_id
            replace_text(self.path, json.dumps(known, indent=1))
        return folder
