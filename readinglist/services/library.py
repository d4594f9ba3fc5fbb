"""The library service: the one way in for the CLI, the GUI and scripts.

Every change is one unit of work that commits the database and then brings the search index up
to date; every change returns ``Changes``. Nothing here prints or imports Qt.

A command-line search imports this module in a fresh process each time: what only importing,
previewing or checking needs (rapidfuzz among it) is imported by those methods, not here.
"""

from __future__ import annotations

import functools
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import delete
from sqlmodel import Session

from readinglist.domain.changes import Changes, Conflict
from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.domain.filters import PaperFilter, Sort
from readinglist.domain.models import Note
from readinglist.domain.values import (
    AuthorName,
    DamagedLibrary,
    LibraryError,
    LibraryUnreachable,
    ListNotFound,
    NoteNotFound,
    PaperNotFound,
    ReadingStatus,
)
from readinglist.domain.views import ListSummary, PaperView, TagCount
from readinglist.importers.registry import parse_data, parse_file, parse_text
from readinglist.lookup.identifiers import parse_identifier
from readinglist.search.query import And as QueryAnd
from readinglist.search.query import Exact, Node, map_exact, parse_query
from readinglist.search.whoosh_index import WhooshIndex
from readinglist.services import editing, lists, maintenance, saved_searches
from readinglist.services.backups import Backup, Backups
from readinglist.services.conflicts import ConflictStore, OpenConflict
from readinglist.services.imports import ImportSummary, import_history, undo_import
from readinglist.services.indexing import IndexSyncer
from readinglist.services.journal import Journal
from readinglist.services.location import default_library_folder
from readinglist.services.overview import LibraryCounts, library_counts
from readinglist.services.saved_searches import SavedSearchView
from readinglist.storage.database import Database
from readinglist.storage.papers import (
    column_values,
    count,
    enqueue,
    load_views,
    query_ids,
    resolve_paper,
    tag_keys,
)
from readinglist.storage.postgresql import is_server_address

log = logging.getLogger(__name__)
INDEX_FOLDER = "index"
Ref = int | str
Progress = Callable[[int, int], None]
# Moving this many papers to the Trash at once is a bulk operation: backed up first.
MASS_DELETE = 50
# A journal entry with nothing left to send (a note made and deleted offline) whose papers
# are still read back from the server.
TOUCHED_ONLY = "touched-only"

if TYPE_CHECKING:
    from readinglist.lookup.http import Endpoints
    from readinglist.services.exporting import ExportOptions, ExportScope
    from readinglist.services.health import CheckReport
    from readinglist.services.importing import ImportReport
    from readinglist.services.preview import ImportPreview
    from readinglist.storage.notifications import ChangeListener


@dataclass(frozen=True)
class SearchResult:
    papers: list[PaperView]
    total: int


class ExportCancelled(LibraryError):
    pass


def kept_offline(method: Callable[..., Changes]) -> Callable[..., Changes]:
    """A change a user can make to a shared library while its server is out of reach: it is
    journalled on disk first (with what the user saw before it), then shown in this
    computer's copy; ``pull`` sends it through the same compare-and-set once the server is
    back, and a conflict then waits for the user's choice like any other."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self: Library, *args: Any, **kwargs: Any) -> Changes:
        if self.server is None:
            return method(self, *args, **kwargs)
        # One change at a time, whichever thread asks (the window's writer, the listener
        # sending what was kept): the copy-or-server choice below is this call's alone.
        with self._changing:
            if self._replaying:
                return method(self, *args, **kwargs)
            if self.online and len(self.journal):
                self.pull()  # what was kept goes first: changes reach the server in order
            if self.online and not len(self.journal):
                try:
                    return method(self, *args, **kwargs)
                except LibraryUnreachable:  # raised before the server took it
                    self.online = False
            return self._keep_offline(name, method, args, kwargs)

    return wrapper


@dataclass
class SentReport:
    """What sending the changes kept offline did."""

    sent: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # kept in journal-refused.jsonl


class Library:
    def __init__(
        self, folder: Path, database: Database, index: WhooshIndex, server: Database | None = None
    ) -> None:
        """``database`` is the library file everything is read from; for a shared library,
        that is this computer's copy of it (see replica.py), and changes go to ``server``."""
        from readinglist.services.replica import Replica

        self.folder = folder
        self.database = database
        self.server = server
        self.replica = Replica(server, database) if server is not None else None
        self.index = index
        self.syncer = IndexSyncer(database, index)
        self._listeners: list[ChangeListener] = []
        # False when a caller (the GUI) feeds the index itself, off its main thread: one Whoosh
        # commit and a fresh searcher cost ~200 ms on a large library, too long to wait for
        # after each click. The queue keeps every change until then.
        self.index_after_write = True
        self.conflict_store = ConflictStore(folder)
        self.journal = Journal(folder)
        self.online = True  # a shared library's server answered last time it was asked
        self.last_sent = SentReport()
        self._local = False  # this change goes to this computer's copy (offline)
        self._replaying = False
        self._changing = threading.RLock()
        # A shared library is backed up on its server; `clone` makes a local copy of it.
        self.backups = None if server is not None else Backups(folder)

    @property
    def shared(self) -> bool:
        return self.server is not None

    @property
    def address(self) -> str:
        """Where the library is, fit to show: its folder, or its server (no password)."""
        return self.server.address if self.server is not None else str(self.folder)

    @property
    def _store(self) -> Database:
        """Where changes are written: the library file, or the shared library's server (or,
        offline, this computer's copy of it, the change journalled meanwhile)."""
        return self.server if self.server is not None and not self._local else self.database

    def _keep_offline(
        self, name: str, method: Callable[..., Changes], args: tuple, kwargs: dict[str, Any]
    ) -> Changes:
        """Journal the change, then make it in this computer's copy. A note made offline has
        an id of the copy's, which the server will give to another note: a later change to
        it is folded into the journalled note instead of naming that id."""
        if name in ("edit_note", "delete_note"):
            made = self.journal.made_note(args[0])
            if made is not None:
                if name == "edit_note":
                    self.journal.update(made, args=[made.args[0], args[1]])
                else:  # nothing to send; its paper is still read back from the server
                    self.journal.update(made, method=TOUCHED_ONLY, args=[], kwargs={})
                return self._locally(method, args, kwargs)
        kwargs = self._seen_before(name, args, kwargs)
        entry = self.journal.append(name, args, kwargs, self._touched(name, args))
        changes = self._locally(method, args, kwargs)
        if name == "add_note" and changes.created is not None:
            self.journal.update(entry, made=changes.created)
        return changes

    def _locally(self, method: Callable[..., Changes], args: tuple, kwargs: dict) -> Changes:
        self._local = True
        try:
            return method(self, *args, **kwargs)
        finally:
            self._local = False

    def _seen_before(self, name: str, args: tuple, kwargs: dict[str, Any]) -> dict[str, Any]:
        """A change kept offline names what this computer showed before it, so that sending
        it later cannot overwrite what someone else did meanwhile."""
        kwargs = dict(kwargs)
        if name == "edit":
            view = self.get(args[0])
            base = dict(kwargs.get("base") or {})
            for field_name in (k for k in kwargs if k != "base"):
                if field_name == "extra":
                    base.setdefault("extra", {k: view.extra.get(k, "") for k in kwargs["extra"]})
                elif field_name == "authors":
                    base.setdefault("authors", list(view.authors))
                else:
                    base.setdefault(field_name, getattr(view, field_name))
            kwargs["base"] = base
        elif name == "edit_note" and kwargs.get("base") is None and len(args) < 3:
            kwargs["base"] = self._note_body(args[0])
        elif name == "reorder_list" and kwargs.get("base") is None and len(args) < 3:
            kwargs["base"] = self.list_members(args[0])
        elif name in ("rate", "set_status") and kwargs.get("base") is None and len(args) < 3:
            with self.database.read() as session:
                ids = self._ids(session, args[0])
            kwargs["base"] = self.values(ids, "rating" if name == "rate" else "status")
        return kwargs

    def _touched(self, name: str, args: tuple) -> list[int]:
        """The papers a change kept offline touches in this computer's copy: what is read
        again from the server once the change has been sent."""
        try:
            with self.database.read() as session:
                if name in ("edit_note", "delete_note"):
                    return [editing.note_paper(session, args[0])]
                if name in ("add_to_list", "remove_from_list"):
                    return self._ids(session, args[1])
                if name in ("create_list", "rename_list", "move_in_list", "reorder_list",
                            "save_search"):  # fmt: skip
                    return []
                return self._ids(session, args[0])
        except LibraryError:
            return []

    def _note_body(self, note_id: int) -> str:
        with self.database.read() as session:
            return editing.note_body(session, note_id)

    # --- opening and closing -----------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, catch_up: bool = True) -> Library:
        """Open (or create) a library. ``catch_up=False`` leaves a missing index or queued
        changes for the caller to handle in the background (``needs_rebuild``,
        ``update_index``): the window opens at once instead of waiting for them. A
        ``postgresql://`` address opens a shared library on that server."""
        if path is None:
            from readinglist.services.location import configured_address

            path = configured_address()
        if is_server_address(path):
            return cls.open_shared(str(path), catch_up=catch_up)
        folder = Path(path).expanduser() if path is not None else default_library_folder()
        try:
            if not folder.exists():
                # a library is private: readable by its owner only (POSIX; Windows ignores it)
                folder.parent.mkdir(parents=True, exist_ok=True)
                folder.mkdir(mode=0o700)
        except OSError as error:
            raise LibraryError(
                f"cannot use {folder} as a library folder: {error.strerror or error}"
            ) from None
        backups = Backups(folder)
        try:
            database = Database.open(
                folder, before_migration=lambda old: _backup_before_upgrade(backups, old)
            )
        except DamagedLibrary as damaged:
            good = backups.newest_good()
            hint = (
                f" The newest backup that passes an integrity check is {good.name} "
                f"({good.local_time:%Y-%m-%d %H:%M}, {good.papers()} papers); restoring it keeps "
                "the damaged file aside."
                if good
                else " No backup of it passes an integrity check."
            )
            raise DamagedLibrary(str(damaged) + hint, damaged.path, good) from None
        library = cls(folder, database, _open_index(folder / INDEX_FOLDER))
        if catch_up:
            try:
                library.backup_if_due()
            except DamagedLibrary as damaged:  # said, but the papers stay readable
                log.warning("%s", damaged)
            library._catch_up()
        return library

    @classmethod
    def open_shared(cls, address: str, catch_up: bool = True, cache: Path | None = None) -> Library:
        """Open a shared library on a PostgreSQL server (its schema created or upgraded when
        this user may). This computer keeps a copy of it, with its search index, in ``cache``
        (default: the user's cache folder) under the library's own id, whatever address
        reaches it. ``catch_up=False`` leaves filling a first copy to the caller (``fill``)."""
        from readinglist.services.location import cache_folder
        from readinglist.services.replica import KnownCopies

        copies = KnownCopies((cache or cache_folder()) / "shared")
        try:
            server = Database.open_shared(address)
        except LibraryUnreachable as unreachable:
            folder = copies.folder(address)
            if folder is None:  # never opened here: there is nothing to show
                raise unreachable from None
            log.warning("%s; showing this computer's copy", unreachable)
            library = cls(
                folder, Database.open(folder), _open_index(folder / INDEX_FOLDER),
                Database.for_server(address),
            )  # fmt: skip
            library.online = False
            return library
        try:
            folder = copies.remember(address, server.library_id())
            database = Database.open(folder)
        except BaseException:
            server.close()
            raise
        library = cls(folder, database, _open_index(folder / INDEX_FOLDER), server)
        if catch_up:
            library.fill()
            try:
                library.pull()
            except LibraryError:
                raise
            except Exception as error:  # the copy stays readable; check --repair mends it
                log.warning(
                    "this computer's copy of %s could not take the latest changes (%s); "
                    "'readinglist check --repair' copies them again",
                    library.address,
                    error,
                )
        return library

    def listen(
        self,
        on_changes: Callable[[Changes], None] | None = None,
        on_status: Callable[[bool], None] | None = None,
    ) -> ChangeListener:
        """Follow other people's changes to a shared library as they commit them: each is
        pulled into this computer's copy and handed to ``on_changes`` (on the listener's
        thread). Stop it with ``stop()``; closing the library stops it too."""
        from readinglist.storage.notifications import ChangeListener

        if self.server is None or self.server.connect_address is None:
            raise LibraryError("only a shared library has other people's changes to follow")

        def pulled(_seq: int | None) -> None:
            changes = self.pull()
            if changes and on_changes is not None:
                on_changes(changes)

        listener = ChangeListener(self.server.connect_address, pulled, on_status)
        self._listeners.append(listener)
        return listener.start()

    def needs_fill(self) -> bool:
        """A shared library this computer has no copy of yet."""
        return self.replica is not None and self.replica.is_empty()

    def fill(
        self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int:
        """Make this computer's first copy of a shared library (and its search index); how
        many rows it copied (0 when there is a copy already)."""
        if not self.needs_fill():
            return 0
        copied = self.replica.fill(progress, cancelled)
        self.syncer.rebuild()
        return copied

    def pull(self) -> Changes:
        """Bring this computer's copy of a shared library up to date with its server, then
        the search index; what changed (nothing for a library file)."""
        if self.replica is None:
            return Changes()
        try:
            changes = Changes()
            if len(self.journal):
                with self._changing:
                    changes = self._send_kept()
            changes |= self.replica.pull()
        except LibraryUnreachable:
            self.online = False
            return Changes()
        self.online = True
        if changes and self.index_after_write:
            self.syncer.try_drain()
        return changes

    def _send_kept(self) -> Changes:
        """Send the changes kept while offline, in the order they were made; then read what
        they touched back from the server (this computer's copy showed guesses)."""
        report = SentReport()
        total = Changes()
        entries = self.journal.entries()
        touched: set[int] = {paper for entry in entries for paper in entry.touched}
        self._replaying = True
        try:
            for entry in entries:
                if entry.method == TOUCHED_ONLY:
                    self.journal.remove(entry)
                    continue
                if entry.made is not None:  # an id of the copy's: the server's comes back
                    with self.database.write() as session:  # (if it is still this note)
                        session.execute(
                            delete(Note).where(Note.id == entry.made, Note.body == entry.args[1])
                        )
                        enqueue(session, entry.touched)
                if entry.method == "add_note" and self._already_sent(entry):
                    self.journal.remove(entry)
                    report.sent += 1
                    continue
                try:
                    changes = getattr(self, entry.method)(*entry.args, **entry.kwargs)
                except LibraryUnreachable:
                    raise
                except LibraryError as error:
                    self.journal.refuse(entry, str(error))
                    report.refused.append(f"{entry.method}: {error}")
                else:
                    self.journal.remove(entry)
                    report.sent += 1
                    report.conflicts.extend(changes.conflicts)
                    total |= changes
        finally:
            self._replaying = False
            self.last_sent = report
        return total | self.replica.refresh(touched)

    def _already_sent(self, entry) -> bool:
        """A note kept because the line dropped inside its commit may be on the server
        already: the same text on the same paper, made in the minute before it was kept.
        (Every other kept change is harmless to send twice: it names what it expects.)"""
        from datetime import datetime, timedelta

        from sqlalchemy import select

        kept_at = datetime.fromisoformat(entry.at)
        try:
            with self.server.read() as session:
                paper = resolve_paper(session, entry.args[0])
                found = session.execute(
                    select(Note.id).where(
                        Note.paper_id == paper,
                        Note.body == entry.args[1],
                        Note.created_at >= kept_at - timedelta(minutes=1),
                        Note.created_at <= kept_at,
                    )
                ).first()
        except (PaperNotFound, IndexError):
            return False
        return found is not None

    def needs_rebuild(self) -> bool:
        """The index was missing or damaged (and set aside) while the library has papers."""
        return self.index.created and bool(self.syncer.live_ids())

    def _catch_up(self) -> None:
        """Make the index whole again after a crash, a deleted index or a fresh start."""
        if self.index.created and self.syncer.live_ids():
            log.info("search index missing; rebuilding it from the database")
            self.syncer.rebuild()
        self.syncer.try_drain()

    # --- backups -----------------------------------------------------------------------------
    def backup(self, reason: str = "manual") -> Backup:
        """Copy the database now; a manual backup is never pruned."""
        if self.backups is None:
            raise LibraryError(
                f"{self.address} is backed up on its server (pg_dump); 'readinglist clone' "
                "makes a local copy of it"
            )
        return self.backups.make(reason)

    def backup_if_due(self) -> Backup | None:
        """The periodic automatic backup, when one is due (see BackupPolicy); its copy is
        checked, and a damaged library raises DamagedLibrary."""
        if self.backups is None or not self._has_papers():
            return None
        return _try_backup(lambda _: self.backups.make_if_due(), "automatic")

    def _backup_before(self, reason: str) -> None:
        """Before a bulk operation: a copy to go back to, if there is anything to lose."""
        if self.backups is not None and self._has_papers():
            _try_backup(self.backups.make_if_changed, f"before-{reason}")

    def _has_papers(self) -> bool:
        from sqlalchemy import select

        from readinglist.domain.models import Paper

        with self.database.read() as session:
            return session.execute(select(Paper.id).limit(1)).first() is not None

    def stop_listening(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self._listeners.clear()

    def close(self) -> None:
        self.stop_listening()
        self.index.close()
        self.database.close()
        if self.server is not None:
            self.server.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- the write path ----------------------------------------------------------------------
    def _write(self, operation: Callable[[Session], Changes]) -> Changes:
        changes = self._store.attempt(operation)
        if changes.conflicts:
            self.conflict_store.add(changes.conflicts)
        try:
            self._after_write()
        except LibraryUnreachable:  # the server has the change; the copy takes it later
            self.online = False
        return changes

    # --- conflicts ---------------------------------------------------------------------------
    def conflicts(self, paper: int | None = None) -> list[OpenConflict]:
        """Edits that met someone else's edit of the same field and wait for their author's
        choice (of one paper, its notes included, when ``paper`` is given)."""
        found = self.conflict_store.all()
        return found if paper is None else [c for c in found if c.paper_id == paper]

    def resolve(self, conflict_id: int, keep: str) -> Changes:
        """Settle a conflict: ``keep="theirs"`` leaves the library as it is; ``"mine"`` puts
        this user's value in, over the one they have now seen (if that changed again
        meanwhile, a new conflict takes this one's place)."""
        if keep not in ("mine", "theirs"):
            raise LibraryError(f"keep 'mine' or 'theirs', not {keep!r}")
        found = next((c for c in self.conflict_store.all() if c.id == conflict_id), None)
        if found is None:
            raise LibraryError(f"there is no open conflict {conflict_id}")
        changes = Changes()
        if keep == "mine":
            try:
                changes = self._reapply(found.conflict)
            except (PaperNotFound, NoteNotFound, ListNotFound) as gone:
                self.conflict_store.remove(conflict_id)
                raise LibraryError(
                    f"{gone}: it was deleted meanwhile, so your value has nowhere to go; "
                    f"it was {found.conflict.mine!r}"
                ) from None
        self.conflict_store.remove(conflict_id)
        return changes

    def _reapply(self, conflict: Conflict) -> Changes:
        if conflict.kind == "list":
            name = next((s.name for s in self.lists() if s.id == conflict.entity_id), None)
            if name is None:
                raise ListNotFound("the reading list of that conflict is gone")
            return self.reorder_list(name, conflict.mine, base=conflict.theirs)
        if conflict.kind == "note":
            return self.edit_note(conflict.entity_id, conflict.mine, base=conflict.theirs)
        name, mine, theirs = conflict.field, conflict.mine, conflict.theirs
        if name.startswith("extra."):
            key = name.removeprefix("extra.")
            return self.edit(conflict.entity_id, base={"extra": {key: theirs}}, extra={key: mine})
        if name == "authors":
            mine = [AuthorName(**a) for a in mine]
            theirs = [AuthorName(**a) for a in theirs]
        return self.edit(conflict.entity_id, base={name: theirs}, **{name: mine})

    def _after_write(self, progress: Progress | None = None) -> None:
        if self.replica is not None and not self._local and not self._replaying:
            self.replica.pull()  # read your own writes at once
        if self.index_after_write:
            self.syncer.try_drain(progress)

    def update_index(
        self,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        batch: int | None = None,
    ) -> bool:
        """Bring the search index up to date with every change so far; False if it could not
        (the changes stay queued for the next try, as do those left when cancelled, which is
        asked between batches of ``batch`` papers)."""
        if batch is None:
            return self.syncer.try_drain(progress, cancelled)
        return self.syncer.try_drain(progress, cancelled, batch)

    def list_members(self, name: str) -> list[int]:
        """A reading list's papers in order, those in the trash included."""
        with self.database.read() as session:
            return lists.members(session, name)

    def _ids(self, session: Session, refs: Ref | Iterable[Ref]) -> list[int]:
        if isinstance(refs, int | str):
            refs = [refs]
        return list(dict.fromkeys(resolve_paper(session, r) for r in refs))

    # --- reading -----------------------------------------------------------------------------
    def get(self, ref: Ref) -> PaperView:
        with self.database.read() as session:
            return load_views(session, [resolve_paper(session, ref)])[0]

    def views(self, ids: Sequence[int]) -> list[PaperView]:
        """Snapshots of the papers ``ids``, in that order (ids no longer there are skipped)."""
        with self.database.read() as session:
            return load_views(session, ids)

    def values(self, ids: Sequence[int], name: str) -> dict[int, Any]:
        """The ``rating`` or ``status`` of many papers at once."""
        with self.database.read() as session:
            return column_values(session, ids, name)

    def tag_sets(self, ids: Sequence[int]) -> dict[int, set[str]]:
        """Each paper's tags, case-folded."""
        with self.database.read() as session:
            return tag_keys(session, ids)

    def papers(
        self,
        filter: PaperFilter | None = None,
        sort: Sort | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[PaperView]:
        """Papers matching ``filter`` (default: all outside the trash) in ``sort`` order;
        inside a reading list the default order is the list's own."""
        with self.database.read() as session:
            ids = query_ids(session, filter or PaperFilter(), sort, offset, limit)
            return load_views(session, ids)

    def paper_ids(self, filter: PaperFilter | None = None, sort: Sort | None = None) -> list[int]:
        with self.database.read() as session:
            return query_ids(session, filter or PaperFilter(), sort)

    def count(self, filter: PaperFilter | None = None) -> int:
        with self.database.read() as session:
            return count(session, filter or PaperFilter())

    def counts(self) -> LibraryCounts:
        """How many papers each status, tag, list, the trash and the recent ones hold."""
        with self.database.read() as session:
            return library_counts(session)

    def browse(
        self, filter: PaperFilter | None = None, query: str = "", sort: Sort | None = None
    ) -> list[int]:
        """The ids a view of the library shows: ``filter`` (a sidebar entry) narrowed by
        ``query``, in ``sort`` order; with no sort a query keeps its ranking and a plain view
        its own order (a reading list's, or by date added)."""
        paper_filter = filter or PaperFilter()
        if not query.strip():
            return self.paper_ids(paper_filter, sort)
        hits = self.search_ids(query)
        if sort is None:
            if paper_filter == PaperFilter():
                return hits
            allowed = set(self.paper_ids(paper_filter))
            return [i for i in hits if i in allowed]
        matched = set(hits)
        return [i for i in self.paper_ids(paper_filter, sort) if i in matched]

    def parse_query(self, query: str) -> Node:
        """Parse and resolve a query; raises a LibraryError that says what is wrong."""
        node = parse_query(query)
        names: dict[str, int] = {}

        def list_id(name: str) -> str:  # the lists are read only if the query names one
            if not names:
                with self.database.read() as session:
                    names.update(lists.list_names_by_id(session))
            key = name.strip().casefold()
            if key not in names:
                raise ListNotFound(f"no reading list named {name!r}")
            return str(names[key])

        return map_exact(node, "lists", list_id)

    def search_ids(self, query: str) -> list[int]:
        """Every paper matching ``query``, best first: for a table that loads rows lazily."""
        return self.index.search(self.parse_query(query), limit=None).ids

    def count_matches(self, query: str) -> int:
        """How many papers ``query`` finds (a saved search's count in the sidebar)."""
        return self.index.search(self.parse_query(query), limit=1).total

    def search(
        self, query: str, limit: int | None = 50, offset: int = 0, status: str | None = None
    ) -> SearchResult:
        """Ranked papers matching ``query`` in the query language (see search/query.py)."""
        node = self.parse_query(query)
        if status:
            node = QueryAnd((node, Exact("status", ReadingStatus.parse(status).value)))
        hits = self.index.search(node, limit=limit, offset=offset)
        with self.database.read() as session:
            return SearchResult(load_views(session, hits.ids), hits.total)

    def tags(self) -> list[TagCount]:
        with self.database.read() as session:
            return [TagCount(name, n) for name, n in editing.tag_counts(session)]

    def lists(self) -> list[ListSummary]:
        with self.database.read() as session:
            return lists.list_summaries(session)

    def stats(self) -> dict[str, Any]:
        result = maintenance.stats(self.database)
        result["index_pending"] = self.syncer.pending()
        return result

    # --- papers ------------------------------------------------------------------------------
    def add_paper(self, draft: PaperDraft) -> Changes:
        from readinglist.services.importing import ImportReport, import_drafts

        report = ImportReport(source="<added by hand>", format="manual")
        import_drafts(self._store, [draft], report)
        self._after_write()
        if report.added:
            return Changes(added=frozenset(report.added), created=report.added[0])
        duplicate = report.duplicates[0]
        return Changes(modified=frozenset([duplicate.paper_id]), created=duplicate.paper_id)

    @kept_offline
    def edit(self, ref: Ref, base: dict[str, Any] | None = None, **fields: Any) -> Changes:
        """Change fields of one paper. ``base`` holds what the editor saw in each field
        before changing it: a field someone else changed meanwhile is then left as they made
        it, and this edit comes back in ``Changes.conflicts`` (nothing is overwritten
        silently). Without ``base`` the fields are set as given."""
        return self._write(lambda s: editing.set_fields(s, self._ids(s, ref)[0], fields, base))

    @kept_offline
    def trash(self, refs: Ref | Iterable[Ref]) -> Changes:
        refs = [refs] if isinstance(refs, int | str) else list(refs)
        if len(refs) >= MASS_DELETE:
            self._backup_before("mass-delete")
        return self._write(lambda s: editing.move_to_trash(s, self._ids(s, refs)))

    @kept_offline
    def restore(self, refs: Ref | Iterable[Ref]) -> Changes:
        return self._write(lambda s: editing.move_to_trash(s, self._ids(s, refs), restore=True))

    def empty_trash(self) -> Changes:
        self._backup_before("empty-trash")
        return self._write(editing.purge_trash)

    @kept_offline
    def rate(
        self, refs: Ref | Iterable[Ref], rating: int, base: dict[int, int] | None = None
    ) -> Changes:
        """Rate papers; ``base`` (paper id -> the rating the user saw) keeps a rating someone
        else gave meanwhile from being overwritten (see ``edit``)."""
        return self._write(lambda s: editing.set_rating(s, self._ids(s, refs), rating, base))

    @kept_offline
    def set_status(
        self,
        refs: Ref | Iterable[Ref],
        status: str | ReadingStatus,
        base: dict[int, str] | None = None,
    ) -> Changes:
        return self._write(lambda s: editing.set_status(s, self._ids(s, refs), status, base))

    # --- tags --------------------------------------------------------------------------------
    @kept_offline
    def tag(
        self, refs: Ref | Iterable[Ref], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> Changes:
        add = [add] if isinstance(add, str) else list(add)  # one tag, not its letters
        remove = [remove] if isinstance(remove, str) else list(remove)
        return self._write(lambda s: editing.change_tags(s, self._ids(s, refs), add, remove))

    def rename_tag(self, old: str, new: str) -> Changes:
        self._backup_before("tag-rename")
        return self._write(lambda s: editing.rename_tag(s, old, new))

    def merge_tags(self, sources: Sequence[str], into: str) -> Changes:
        sources = [sources] if isinstance(sources, str) else list(sources)
        self._backup_before("tag-merge")
        return self._write(lambda s: editing.merge_tags(s, sources, into))

    def delete_tag(self, name: str) -> Changes:
        self._backup_before("tag-delete")
        return self._write(lambda s: editing.delete_tag(s, name))

    # --- notes -------------------------------------------------------------------------------
    @kept_offline
    def add_note(self, ref: Ref, body: str) -> Changes:
        return self._write(lambda s: editing.add_note(s, self._ids(s, ref)[0], body))

    @kept_offline
    def edit_note(self, note_id: int, body: str, base: str | None = None) -> Changes:
        """Replace a note's text; ``base``, the text the writer started from, keeps a note
        someone else changed meanwhile from being overwritten (see ``edit``)."""
        return self._write(lambda s: editing.edit_note(s, note_id, body, base))

    @kept_offline
    def delete_note(self, note_id: int) -> Changes:
        return self._write(lambda s: editing.delete_note(s, note_id))

    # --- reading lists -----------------------------------------------------------------------
    @kept_offline
    def create_list(self, name: str) -> Changes:
        return self._write(lambda s: lists.create_list(s, name))

    @kept_offline
    def rename_list(self, old: str, new: str) -> Changes:
        return self._write(lambda s: lists.rename_list(s, old, new))

    def delete_list(self, name: str) -> Changes:
        self._backup_before("list-delete")
        return self._write(lambda s: lists.delete_list(s, name))

    @kept_offline
    def add_to_list(
        self, name: str, refs: Ref | Iterable[Ref], position: int | None = None
    ) -> Changes:
        return self._write(lambda s: lists.add_to_list(s, name, self._ids(s, refs), position))

    @kept_offline
    def remove_from_list(self, name: str, refs: Ref | Iterable[Ref]) -> Changes:
        return self._write(lambda s: lists.remove_from_list(s, name, self._ids(s, refs)))

    @kept_offline
    def move_in_list(self, name: str, ref: Ref, position: int) -> Changes:
        return self._write(lambda s: lists.move_in_list(s, name, self._ids(s, ref)[0], position))

    @kept_offline
    def reorder_list(
        self, name: str, order: Sequence[Ref], base: Sequence[int] | None = None
    ) -> Changes:
        """Give a reading list a new order in one step (a drag of several papers). ``base``,
        the order the user saw, keeps an order someone else gave it meanwhile from being
        overwritten (see ``edit``)."""
        return self._write(lambda s: lists.reorder_list(s, name, self._ids(s, order), base))

    # --- saved searches ------------------------------------------------------------------------
    def saved_searches(self) -> list[SavedSearchView]:
        with self.database.read() as session:
            return saved_searches.saved_searches(session)

    @kept_offline
    def save_search(self, name: str, query: str) -> Changes:
        """Keep a query under a name (checked first, so a broken query is never saved)."""
        self.parse_query(query)
        return self._write(lambda s: saved_searches.save_search(s, name, query))

    def rename_saved_search(self, old: str, new: str) -> Changes:
        return self._write(lambda s: saved_searches.rename_saved_search(s, old, new))

    def delete_saved_search(self, name: str) -> Changes:
        return self._write(lambda s: saved_searches.delete_saved_search(s, name))

    # --- import ------------------------------------------------------------------------------
    def preview_file(
        self, path: str | Path, format: str | None = None, encoding: str | None = None
    ) -> ImportPreview:
        """What importing ``path`` would bring, with duplicates flagged; changes nothing."""
        return self._preview(parse_file(Path(path), format, encoding), str(path))

    def preview_files(self, paths: Sequence[str | Path]) -> ImportPreview:
        """One preview of several files: duplicates across them are found too. A file that
        cannot be read at all is an error of the preview; the others are still previewed."""
        combined = ParseResult()
        formats: list[str] = []
        for path in paths:
            try:
                parsed = parse_file(Path(path))
            except LibraryError as error:
                combined.problems.append(Problem(str(path), None, str(error)))
                continue
            combined.entries.extend(parsed.entries)
            combined.problems.extend(parsed.problems)
            combined.encoding = parsed.encoding
            if parsed.format not in formats:
                formats.append(parsed.format)
        combined.format = ", ".join(formats)
        source = str(paths[0]) if len(paths) == 1 else ", ".join(Path(p).name for p in paths)
        return self._preview(combined, source)

    @staticmethod
    def is_identifier_list(text: str) -> bool:
        """True when every line of ``text`` is an arXiv id or a DOI (what a paste of ids is)."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines or len(lines) > 500:
            return False
        try:
            for line in lines:
                parse_identifier(line)
        except LibraryError:
            return False
        return True

    def preview_identifiers(
        self, identifiers: Sequence[str], endpoints: Endpoints | None = None
    ) -> ImportPreview:
        """Fetch each paper an identifier names (arXiv, Crossref, DataCite) for a preview; one
        that cannot be found is an error of the preview."""
        from readinglist.lookup.http import Http
        from readinglist.lookup.resolver import look_up

        parsed = ParseResult(format="identifier")
        with Http(endpoints) as http:
            for number, text in enumerate(identifiers, start=1):
                try:
                    draft = look_up(http, parse_identifier(text))
                except LibraryError as error:
                    parsed.problems.append(Problem("identifiers", number, f"{text}: {error}"))
                    continue
                draft.line = number
                parsed.entries.append(draft)
        return self._preview(parsed, "identifiers")

    def preview_text(
        self, text: str, source: str = "<pasted>", format: str | None = None
    ) -> ImportPreview:
        return self._preview(parse_text(text, source, format), source)

    def preview_bytes(
        self, data: bytes, source: str = "<pasted>", format: str | None = None
    ) -> ImportPreview:
        return self._preview(parse_data(data, source, format), source)

    def _preview(self, parsed, source: str) -> ImportPreview:
        from readinglist.services.preview import preview_import

        with self.database.read() as session:
            return preview_import(session, parsed, source)

    def import_preview(
        self,
        preview: ImportPreview,
        chosen: Iterable[int] | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import the candidates of ``preview`` at the indexes ``chosen`` (default: all); the
        source's problems are part of the report, so nothing it said is lost."""
        from readinglist.services.importing import ImportReport, import_drafts

        picked = range(len(preview.candidates)) if chosen is None else sorted(set(chosen))
        drafts = [preview.candidates[i].draft for i in picked]
        report = ImportReport(preview.source, preview.format, preview.encoding)
        report.problems.extend(preview.problems)
        self._backup_before("import")
        import_drafts(self._store, drafts, report, progress, cancelled)
        self._after_write()
        return report

    def open_sample(self) -> ImportReport:
        """Bring in the bundled sample library, its reading lists included."""
        from readinglist.services.importing import ImportReport, import_drafts
        from readinglist.services.sample import SOURCE, load_sample

        drafts, sample_lists = load_sample()
        report = ImportReport(source=SOURCE, format="sample")
        import_drafts(self._store, drafts, report)
        self._after_write()
        # each entry's paper: a new one, in order, or the one it duplicated
        merged = {d.line: d.paper_id for d in report.duplicates}
        added = iter(report.added)
        ids = {d.key: merged[d.line] if d.line in merged else next(added) for d in drafts}
        existing = {summary.name.casefold() for summary in self.lists()}
        for name, members in sample_lists.items():
            if name.casefold() not in existing:
                self._write(lambda s, n=name: lists.create_list(s, n))
            wanted = [ids[k] for k in members if k in ids]
            self._write(lambda s, n=name, w=wanted: lists.add_to_list(s, n, w, None))
        return report

    def import_file(
        self,
        path: str | Path,
        format: str | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        dry_run: bool = False,
        encoding: str | None = None,
        index_progress: Progress | None = None,
    ) -> ImportReport:
        """Import every entry of a file; the report accounts for each one. ``progress`` follows
        the papers into the database, ``index_progress`` into the search index. ``dry_run``
        does everything but keep the result."""
        parsed = parse_file(Path(path), format, encoding)
        return self._import(parsed, str(path), progress, cancelled, dry_run, index_progress)

    def import_bytes(
        self,
        data: bytes,
        source: str = "<pasted>",
        format: str | None = None,
        dry_run: bool = False,
        encoding: str | None = None,
    ) -> ImportReport:
        """Import raw bytes (standard input, a drop, the clipboard), decoded like a file."""
        parsed = parse_data(data, source, format, encoding)
        return self._import(parsed, source, None, None, dry_run)

    def import_text(
        self,
        text: str,
        source: str = "<pasted>",
        format: str | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        return self._import(parse_text(text, source, format), source, None, None, dry_run)

    def _import(
        self, parsed, source, progress, cancelled, dry_run, index_progress=None
    ) -> ImportReport:
        from readinglist.services.importing import ImportReport, import_drafts

        report = ImportReport(source=source, format=parsed.format, encoding=parsed.encoding)
        report.problems.extend(parsed.problems)
        if not dry_run:
            self._backup_before("import")
        import_drafts(self._store, parsed.entries, report, progress, cancelled, dry_run)
        if not dry_run:
            self._after_write(index_progress)
        return report

    def add_identifiers(
        self,
        identifiers: Sequence[str],
        endpoints: Endpoints | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        """Fetch each paper named by an arXiv id or a DOI (any form) and import it. A paper that
        cannot be found or fetched is an error in the report; the others are imported."""
        from readinglist.lookup.http import Http  # httpx costs 100 ms to import: only here
        from readinglist.lookup.resolver import look_up
        from readinglist.services.importing import ImportReport, import_drafts

        report = ImportReport(source="identifiers", format="identifier")
        drafts = []
        with Http(endpoints) as http:
            for text in identifiers:
                try:
                    drafts.append(look_up(http, parse_identifier(text)))
                except LibraryError as error:
                    report.problems.append(Problem(text, None, str(error)))
        if not dry_run:
            self._backup_before("import")
        import_drafts(self._store, drafts, report, dry_run=dry_run)
        if not dry_run:
            self._after_write()
        return report

    def imports(self) -> list[ImportSummary]:
        """Every import so far, newest first."""
        with self.database.read() as session:
            return import_history(session)

    def undo_import(self, which: int | str = "last") -> Changes:
        """Move to the trash exactly the papers that import added (still there to restore)."""
        self._backup_before("undo-import")
        return self._write(lambda s: undo_import(s, which))

    # --- export ----------------------------------------------------------------------------
    def export_ids(self, scope: ExportScope | None = None) -> list[int]:
        """The papers a scope names, in its order: a list's own, a search's ranking."""
        from readinglist.services.exporting import ExportScope, scope_filter

        scope = scope or ExportScope()
        paper_filter = scope_filter(scope)
        if scope.query:
            node = self.parse_query(scope.query)
            return self.index.search(node, limit=None).ids
        if scope.ids is not None:
            with self.database.read() as session:
                return self._ids(session, scope.ids) if scope.ids else []
        if paper_filter is None:
            return self.paper_ids(sort=Sort("key"))
        return self.paper_ids(paper_filter)

    def export(
        self,
        format: str,
        stream: TextIO | None = None,
        scope: ExportScope | None = None,
        options: ExportOptions | None = None,
        folder: Path | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Write the papers of ``scope`` as ``format`` to ``stream`` (or, for Obsidian, to
        ``folder``); returns how many were written. ``cancelled`` is asked between batches of
        papers; a cancelled export raises ExportCancelled."""
        from readinglist.services.exporting import ExportOptions, ExportScope
        from readinglist.services.exporting import write as write_export

        scope = scope or ExportScope()
        ids = self.export_ids(scope)

        def load(batch):
            if cancelled is not None and cancelled():
                raise ExportCancelled("export cancelled; nothing was written")
            with self.database.read() as session:
                return load_views(session, batch)

        return write_export(format, ids, load, scope, options or ExportOptions(), stream, folder)

    # --- maintenance -------------------------------------------------------------------------
    def quick_check(self) -> list[str]:
        """SQLite's quick integrity check of the database file (seconds on a large library;
        the window runs it in the background once it is open)."""
        from readinglist.storage.sqlite import file_problems

        return file_problems(self.database.path, quick=True)

    def check(self, repair: bool = False) -> CheckReport:
        """Integrity, orphan rows, duplicate citation keys, index drift; ``repair`` fixes
        what can be fixed, after backing up."""
        from readinglist.services import health

        if self.replica is None:
            return health.check(self.database, self.syncer, self.backups, repair)
        self.pull()  # what was kept offline goes first
        # A shared library: this computer's copy against the server first, then the copy's
        # own file and its index, as for a library file.
        copy = self.replica.drift()
        repairs = []
        if repair and not copy.clean:
            self.replica.repair(copy)
            found = len(copy.papers) + len(copy.lists) + len(copy.tags) + len(copy.searches)
            repairs.append(f"copied {found} rows again from the server")
            copy = self.replica.drift()
        report = health.check(self.database, self.syncer, None, repair)
        report.copy = copy
        report.repairs = repairs + report.repairs
        return report

    def reindex(self, progress: Progress | None = None) -> int:
        return self.syncer.rebuild(progress)


def _backup_before_upgrade(backups: Backups, revision: str) -> None:
    """No schema upgrade without a backup of the schema before it."""
    try:
        backups.make_unless_made(f"before-upgrade-{revision}")
    except (OSError, sqlite3.Error) as error:
        raise LibraryError(
            f"cannot back up {backups.database} before upgrading its schema ({error}); "
            "nothing was changed"
        ) from None


def _try_backup(make: Callable[[str], Backup | None], reason: str) -> Backup | None:
    """A backup that never stops the work it protects: a full disk or a busy file is logged,
    and the operation goes on."""
    try:
        return make(reason)
    except (OSError, sqlite3.Error) as error:
        log.warning("could not back up the library (%s)", error)
        return None


def _open_index(folder: Path) -> WhooshIndex:
    """Open the index; a damaged one is set aside (never deleted) and rebuilt."""
    try:
        return WhooshIndex(folder)
    except Exception as error:
        aside = folder.with_name(f"{folder.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        log.warning("search index unreadable (%s); moved to %s and rebuilding", error, aside)
        shutil.move(str(folder), str(aside))
        return WhooshIndex(folder)
