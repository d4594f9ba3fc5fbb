"""The window's one way to change the library: each edit is a service call wrapped in an
undoable command, followed by a ``changed`` signal so every view refreshes what it shows.

The search index is fed here too, off the window's thread and a moment after the last edit,
so that a click never waits for a Whoosh commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Sized
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from readinglist.domain.changes import Changes
from readinglist.domain.filters import PaperFilter
from readinglist.domain.values import LibraryError
from readinglist.domain.views import PaperView
from readinglist.gui.jobs import Job
from readinglist.services.library import Library

INDEX_DELAY_MS = 300
NOTE_MERGE = 1  # QUndoCommand.id() of note edits, which merge while the user types


class ServiceCommand(QUndoCommand):
    """Redo and undo are service calls; the first redo already happened when pushed."""

    def __init__(
        self,
        controller: LibraryController,
        text: str,
        redo: Callable[[], Changes],
        undo: Callable[[], Changes],
        merge_key: Any = None,
    ) -> None:
        super().__init__(text)
        self._controller = controller
        self._redo = redo
        self._undo = undo
        self._skip_first = True
        self.merge_key = merge_key

    def redo(self) -> None:
        if self._skip_first:
            self._skip_first = False
            return
        self._controller._call(self._redo)

    def undo(self) -> None:
        self._controller._call(self._undo)

    def id(self) -> int:
        return NOTE_MERGE if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ServiceCommand) or other.merge_key != self.merge_key:
            return False
        self._redo = other._redo  # keep our undo: back to before the first keystroke
        return True


class LibraryController(QObject):
    changed = Signal(object)  # Changes
    error = Signal(str)
    index_state = Signal(str)
    index_updated = Signal()
    job_started = Signal(object)
    job_finished = Signal(object)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        library.index_after_write = False
        self.undo_stack = QUndoStack(self)
        self.jobs: list[Job] = []
        self._index_job: Job | None = None
        self._index_again = False
        self._index_timer = QTimer(self, singleShot=True, interval=INDEX_DELAY_MS)
        self._index_timer.timeout.connect(self._feed_index)

    # --- running service calls ------------------------------------------------------------
    def _call(self, operation: Callable[[], Changes]) -> Changes | None:
        try:
            changes = operation()
        except LibraryError as error:
            self.error.emit(str(error))
            return None
        self.changed.emit(changes)
        self.schedule_index()
        return changes

    def perform(
        self,
        text: str,
        redo: Callable[[], Changes],
        undo: Callable[[], Changes] | None,
        merge_key: Any = None,
    ) -> Changes | None:
        """Run ``redo`` now; if it worked and can be undone, put it on the undo stack."""
        changes = self._call(redo)
        if changes is not None and undo is not None:
            self.undo_stack.push(ServiceCommand(self, text, redo, undo, merge_key))
        return changes

    def views(self, ids: Sequence[int]) -> list[PaperView]:
        return self.library.views(ids)

    # --- background work --------------------------------------------------------------------
    def run_job(
        self,
        title: str,
        work: Callable[[Job], Any],
        on_success: Callable[[Any], None] | None = None,
        cancellable: bool = True,
        on_failure: Callable[[str], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> Job:
        """Start ``work`` on a worker thread. Every handler is connected before the thread
        starts, so a job that finishes at once still reaches them all."""
        job = Job(title, work, self, cancellable)
        self.jobs.append(job)
        if on_success is not None:
            job.succeeded.connect(on_success)
        job.failed.connect(on_failure or self.error.emit)
        if on_finished is not None:
            job.finished.connect(on_finished)
        job.finished.connect(lambda: self._job_done(job))
        self.job_started.emit(job)
        return job.start()

    def _job_done(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        self.job_finished.emit(job)

    def wait_for_jobs(self, milliseconds: int = 60_000) -> None:
        for job in list(self.jobs):
            job.wait(milliseconds)

    # --- the search index -------------------------------------------------------------------
    def schedule_index(self) -> None:
        self._index_timer.start()

    def _feed_index(self) -> None:
        if self._index_job is not None:
            self._index_again = True
            return
        self.index_state.emit("Updating the search index…")

        def work(job: Job) -> bool:
            return self.library.update_index(job.report)

        self._index_job = self.run_job(
            "Updating the search index", work, self._index_fed, cancellable=False
        )

    def _index_fed(self, ok: bool) -> None:
        self._index_job = None
        if self._index_again:
            self._index_again = False
            self._feed_index()
            return
        if ok:
            self.index_state.emit("Search index up to date")
        else:
            self.index_state.emit("Search index behind; will retry")
            QTimer.singleShot(5000, self.schedule_index)
        self.index_updated.emit()

    def index_idle(self) -> bool:
        return self._index_job is None and not self._index_timer.isActive()

    # --- papers -----------------------------------------------------------------------------
    def rate(self, ids: Iterable[int], rating: int) -> Changes | None:
        ids = list(ids)
        before = self.library.values(ids, "rating")
        return self.perform(
            f"Rate {_count(ids)} {rating}★",
            lambda: self.library.rate(ids, rating),
            lambda: _restore_each(before, self.library.rate),
        )

    def set_status(self, ids: Iterable[int], status: str) -> Changes | None:
        ids = list(ids)
        before = self.library.values(ids, "status")
        return self.perform(
            f"Mark {_count(ids)} {status}",
            lambda: self.library.set_status(ids, status),
            lambda: _restore_each(before, self.library.set_status),
        )

    def edit(self, paper_id: int, **fields: Any) -> Changes | None:
        view = self.library.get(paper_id)
        before = {name: getattr(view, name) for name in fields}
        if "authors" in before:
            before["authors"] = list(view.authors)
        return self.perform(
            f"Edit {', '.join(fields)}",
            lambda: self.library.edit(paper_id, **fields),
            lambda: self.library.edit(paper_id, **before),
        )

    def trash(self, ids: Iterable[int]) -> Changes | None:
        ids = list(ids)
        return self.perform(
            f"Move {_count(ids)} to the Trash",
            lambda: self.library.trash(ids),
            lambda: self.library.restore(ids),
        )

    def restore(self, ids: Iterable[int]) -> Changes | None:
        ids = list(ids)
        return self.perform(
            f"Restore {_count(ids)}",
            lambda: self.library.restore(ids),
            lambda: self.library.trash(ids),
        )

    def empty_trash(self) -> Changes | None:
        return self.perform("Empty the Trash", self.library.empty_trash, None)

    # --- tags -------------------------------------------------------------------------------
    def tag(
        self, ids: Iterable[int], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> Changes | None:
        ids = list(ids)
        keys = self.library.tag_sets(ids)
        gained = {t: [i for i in ids if t.casefold() not in keys.get(i, set())] for t in add}
        lost = {t: [i for i in ids if t.casefold() in keys.get(i, set())] for t in remove}

        def undo() -> Changes:
            changes = Changes()
            for name, members in gained.items():
                if members:
                    changes |= self.library.tag(members, remove=[name])
            for name, members in lost.items():
                if members:
                    changes |= self.library.tag(members, add=[name])
            return changes

        words = [f"+{t}" for t in add] + [f"−{t}" for t in remove]
        return self.perform(
            f"Tag {' '.join(words)}", lambda: self.library.tag(ids, add, remove), undo
        )

    def delete_tag(self, name: str) -> Changes | None:
        tagged = self.library.paper_ids(PaperFilter(tags=(name,)))
        trashed = self.library.paper_ids(PaperFilter(tags=(name,), trashed=True))
        members = tagged + trashed

        def undo() -> Changes:
            return self.library.tag(members, add=[name]) if members else Changes(tags=True)

        return self.perform(f"Delete tag {name}", lambda: self.library.delete_tag(name), undo)

    def rename_tag(self, old: str, new: str) -> Changes | None:
        return self.perform(
            f"Rename tag {old}",
            lambda: self.library.rename_tag(old, new),
            lambda: self.library.rename_tag(new, old),
        )

    # --- notes ------------------------------------------------------------------------------
    def add_note(self, paper_id: int, body: str) -> Changes | None:
        state: dict[str, int | None] = {"id": None}

        def redo() -> Changes:
            changes = self.library.add_note(paper_id, body)
            state["id"] = changes.created
            return changes

        def undo() -> Changes:
            return self.library.delete_note(state["id"])

        return self.perform("Add a note", redo, undo)

    def edit_note(self, note_id: int, body: str, before: str) -> Changes | None:
        """Successive edits of one note merge into one undo step, back to ``before``."""
        return self.perform(
            "Edit a note",
            lambda: self.library.edit_note(note_id, body),
            lambda: self.library.edit_note(note_id, before),
            merge_key=("note", note_id),
        )

    def delete_note(self, paper_id: int, note_id: int, body: str) -> Changes | None:
        state = {"id": note_id}

        def redo() -> Changes:
            return self.library.delete_note(state["id"])

        def undo() -> Changes:
            changes = self.library.add_note(paper_id, body)
            state["id"] = changes.created
            return changes

        return self.perform("Delete a note", redo, undo)

    # --- reading lists ----------------------------------------------------------------------
    def create_list(self, name: str) -> Changes | None:
        return self.perform(
            f"Create list {name}",
            lambda: self.library.create_list(name),
            lambda: self.library.delete_list(name),
        )

    def rename_list(self, old: str, new: str) -> Changes | None:
        return self.perform(
            f"Rename list {old}",
            lambda: self.library.rename_list(old, new),
            lambda: self.library.rename_list(new, old),
        )

    def delete_list(self, name: str) -> Changes | None:
        members = self.library.paper_ids(PaperFilter(list_name=name))

        def undo() -> Changes:
            return self.library.create_list(name) | self.library.add_to_list(name, members)

        return self.perform(f"Delete list {name}", lambda: self.library.delete_list(name), undo)

    def add_to_list(self, name: str, ids: Iterable[int]) -> Changes | None:
        present = set(self.library.paper_ids(PaperFilter(list_name=name)))
        new = [i for i in dict.fromkeys(ids) if i not in present]
        if not new:
            return Changes()
        return self.perform(
            f"Add {_count(new)} to {name}",
            lambda: self.library.add_to_list(name, new),
            lambda: self.library.remove_from_list(name, new),
        )

    def remove_from_list(self, name: str, ids: Iterable[int]) -> Changes | None:
        order = self.library.paper_ids(PaperFilter(list_name=name))
        wanted = set(ids)
        places = [(i, paper) for i, paper in enumerate(order) if paper in wanted]

        def undo() -> Changes:
            changes = Changes()
            for position, paper in places:  # ascending: each lands where it was
                changes |= self.library.add_to_list(name, [paper], position)
            return changes

        return self.perform(
            f"Remove {_count(places)} from {name}",
            lambda: self.library.remove_from_list(name, [p for _, p in places]),
            undo,
        )

    def move_in_list(self, name: str, paper_id: int, position: int) -> Changes | None:
        order = self.library.paper_ids(PaperFilter(list_name=name))
        if paper_id not in order:
            return None
        before = order.index(paper_id)
        return self.perform(
            f"Move in {name}",
            lambda: self.library.move_in_list(name, paper_id, position),
            lambda: self.library.move_in_list(name, paper_id, before),
        )

    def reorder_list(self, name: str, order: Sequence[int]) -> Changes | None:
        before = self.library.paper_ids(PaperFilter(list_name=name))
        return self.perform(
            f"Reorder {name}",
            lambda: self.library.reorder_list(name, order),
            lambda: self.library.reorder_list(name, before),
        )

    # --- saved searches ---------------------------------------------------------------------
    def save_search(self, name: str, query: str) -> Changes | None:
        previous = {s.name.casefold(): s.query for s in self.library.saved_searches()}
        old = previous.get(name.strip().casefold())

        def undo() -> Changes:
            if old is None:
                return self.library.delete_saved_search(name)
            return self.library.save_search(name, old)

        return self.perform(
            f"Save search {name}", lambda: self.library.save_search(name, query), undo
        )

    def delete_saved_search(self, name: str, query: str) -> Changes | None:
        return self.perform(
            f"Delete saved search {name}",
            lambda: self.library.delete_saved_search(name),
            lambda: self.library.save_search(name, query),
        )

    # --- imports ----------------------------------------------------------------------------
    def imported(self, added: Sequence[int]) -> None:
        """An import finished on a worker thread: make it one undo step (to the trash)."""
        added = list(added)
        changes = Changes(added=frozenset(added), tags=True, lists=True)
        self.changed.emit(changes)
        self.schedule_index()
        if added:
            self.undo_stack.push(
                ServiceCommand(
                    self,
                    f"Import {_count(added)}",
                    lambda: self.library.restore(added),
                    lambda: self.library.trash(added),
                )
            )


def _count(items: Sized) -> str:
    n = len(items)
    return "1 paper" if n == 1 else f"{n:,} papers"


def _restore_each(before: dict[int, Any], setter: Callable[[list[int], Any], Changes]) -> Changes:
    by_value: dict[Any, list[int]] = {}
    for paper_id, value in before.items():
        by_value.setdefault(value, []).append(paper_id)
    changes = Changes()
    for value, ids in by_value.items():
        changes |= setter(ids, value)
    return changes
