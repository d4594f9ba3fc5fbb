"""The window's one way to change the library: each edit is a service call wrapped in an
undoable command, followed by a ``changed`` signal so every view refreshes what it shows.

Every call runs on a worker thread, one after another in the order asked (a serial writer):
rating 100,000 selected papers, or undoing it, never freezes the window. What an undo needs
(the ratings, tags, list order before) is read by the same call, on the same thread. The
search index is fed here too, a moment after the last edit, so a click never waits for it."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from readinglist.domain.changes import Changes
from readinglist.domain.filters import PaperFilter
from readinglist.domain.views import PaperView
from readinglist.gui.jobs import Job
from readinglist.services.library import Library

log = logging.getLogger(__name__)
INDEX_DELAY_MS = 300
INDEX_BATCH = 2_000
NOTE_MERGE = 1  # QUndoCommand.id() of note edits, which merge while the user types
Operation = Callable[[], Changes]


class ServiceCommand(QUndoCommand):
    """Redo and undo are service calls; the first redo already happened when pushed."""

    def __init__(
        self,
        controller: LibraryController,
        text: str,
        redo: Operation,
        undo: Operation,
        merge_key: Any = None,
        once: bool = False,
    ) -> None:
        super().__init__(text)
        self._controller = controller
        self._redo = redo
        self._undo = undo
        self._skip_first = True
        self.merge_key = merge_key
        self._once = once  # undone for good (an import): it leaves the stack when undone

    def redo(self) -> None:
        if self._skip_first:
            self._skip_first = False
            return
        self._controller.call(self._redo, on_failure=self._controller.history_broken)

    def undo(self) -> None:
        if self._once:
            self.setObsolete(True)
        self._controller.call(self._undo, on_failure=self._controller.history_broken)

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
        self._closing = False
        self.jobs: list[Job] = []
        self._writes: deque[tuple[Operation, Callable | None, Callable | None]] = deque()
        self._writer: Job | None = None
        self._note_alias: dict[int, int] = {}  # a note deleted and brought back has a new id
        self._note_texts: dict[int, str] = {}  # what this window last wrote in each note
        self._index_job: Job | None = None
        self._rebuild_job: Job | None = None
        self._index_again = False
        self._index_timer = QTimer(self, singleShot=True, interval=INDEX_DELAY_MS)
        self._index_timer.timeout.connect(self._feed_index)

    # --- running service calls, one after another, off the window's thread -------------------
    def call(
        self,
        operation: Operation,
        on_done: Callable[[Changes], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self._writes.append((operation, on_done, on_failure))
        self._next_write()

    def _next_write(self) -> None:
        if self._writer is not None or not self._writes:
            return
        operation, on_done, on_failure = self._writes.popleft()

        def done(changes: Changes) -> None:
            self._writer = None
            self.changed.emit(changes)
            self.schedule_index()
            if on_done is not None:
                on_done(changes)

        def failed(message: str) -> None:
            self._writer = None
            self.error.emit(message)
            if on_failure is not None:
                on_failure(message)

        self._writer = self.run_job(
            "Saving",
            lambda _job: operation(),
            done,
            cancellable=False,
            on_failure=failed,
            on_finished=self._next_write,
        )

    def perform(
        self,
        text: str,
        redo: Operation,
        undo: Operation | None,
        merge_key: Any = None,
        on_done: Callable[[Changes], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``redo``; once it has worked, and if it can be undone, put it on the stack."""

        def pushed(changes: Changes) -> None:
            if undo is not None:
                self.undo_stack.push(ServiceCommand(self, text, redo, undo, merge_key))
            if on_done is not None:
                on_done(changes)

        self.call(redo, pushed, on_failure)

    def history_broken(self, _message: str) -> None:
        """An undo or redo failed (the library changed under it): the steps before it can no
        longer be trusted to undo exactly, so they are dropped rather than half-applied."""
        self.undo_stack.clear()
        self.error.emit("Undo history cleared: a step could not be undone or redone.")

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
        shown: bool | None = None,
    ) -> Job:
        """Start ``work`` on a worker thread. Every handler is connected before the thread
        starts, so a job that finishes at once still reaches them all. ``shown`` jobs put
        their progress in the status bar (by default, those that can be cancelled)."""
        job = Job(title, work, self, cancellable)
        job.shown = cancellable if shown is None else shown
        if self._closing:
            return job  # the window is gone: nothing new starts (see shut_down)
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

    def cancel_jobs(self) -> None:
        for job in self.jobs:
            if job.cancellable or job is self._index_job:
                job.cancel()

    def shut_down(self) -> None:
        """The window is closing. Stop what can stop, wait for the rest, then save the edits
        still queued here and now (there is no later); start nothing new after this."""
        self._closing = True
        self._index_timer.stop()
        self.cancel_jobs()
        self.wait_for_jobs()
        while self._writes:
            operation, _on_done, _on_failure = self._writes.popleft()
            try:
                operation()
            except Exception as error:  # the library refuses the edit: say why, in the log
                log.warning("an edit could not be saved while closing: %s", error)

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

        def progress(done: int, total: int) -> None:
            if total >= 1000:
                self.index_state.emit(f"Updating the search index… {done:,} of {total:,}")

        def work(job: Job) -> bool:
            # small batches: closing the window waits for one batch at most (a few seconds)
            return self.library.update_index(progress, lambda: job.cancelled, INDEX_BATCH)

        self._index_job = self.run_job(
            "Updating the search index", work, self._index_fed, cancellable=False
        )

    def rebuild_index(self, on_done: Callable[[int], None] | None = None) -> Job:
        """Rebuild the whole index in the background; search works on the old one meanwhile."""

        def work(job: Job) -> int:
            return self.library.reindex(job.report)

        def done(count: int) -> None:
            self.index_state.emit("Search index up to date")
            if on_done is not None:
                on_done(count)

        def finished() -> None:
            self._rebuild_job = None

        self.index_state.emit("Rebuilding the search index…")
        self._rebuild_job = self.run_job(
            "Rebuilding the search index", work, done, False, on_finished=finished, shown=True
        )
        return self._rebuild_job

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
        idle = self._index_job is None and self._rebuild_job is None
        return idle and not self._index_timer.isActive()

    # --- papers -----------------------------------------------------------------------------
    # Each operation reads what its undo needs on its first run, on the writer's thread.
    def rate(self, ids: Iterable[int], rating: int, **hooks: Any) -> None:
        ids = list(ids)
        self._set_each(
            f"Rate {_count(ids)} {rating}★", ids, "rating", rating, self.library.rate, hooks
        )

    def set_status(self, ids: Iterable[int], status: str, **hooks: Any) -> None:
        ids = list(ids)
        self._set_each(
            f"Mark {_count(ids)} {status}", ids, "status", status, self.library.set_status, hooks
        )

    def _set_each(
        self,
        text: str,
        ids: list[int],
        column: str,
        value: Any,
        setter: Callable[..., Changes],
        hooks: dict,
    ) -> None:
        """Give many papers one value; undo gives each its own value back. Each names what
        it expects to replace (the values the window had at the click; on undo, the value
        just given), so a value someone else set meanwhile comes back as a conflict."""
        # read at the click, on the window's thread: what the user was looking at, not what
        # the copy holds when the write's turn comes (another person's change may be in by then)
        state = {"before": self.library.values(ids, column)}

        def redo() -> Changes:
            return setter(ids, value, base=state["before"])

        undo = lambda: _restore_each(state["before"], value, setter)  # noqa: E731
        self.perform(text, redo, undo, **hooks)

    def edit(self, paper_id: int, base: dict[str, Any] | None = None, **fields: Any) -> None:
        """Change fields of a paper. ``base`` is what the window showed in them when the
        user began: a field someone else changed since comes back as a conflict instead of
        being overwritten. Undo and redo each start from what the other left."""
        hooks = {k: fields.pop(k) for k in ("on_done", "on_failure") if k in fields}
        state: dict[str, Any] = {}

        def redo() -> Changes:
            if "before" not in state:
                view = self.library.get(paper_id)
                before = {name: getattr(view, name) for name in fields}
                if "authors" in before:
                    before["authors"] = list(view.authors)
                state["before"] = {**before, **(base or {})}
            return self.library.edit(paper_id, base=state["before"], **fields)

        undo = lambda: self.library.edit(paper_id, base=fields, **state["before"])  # noqa: E731
        self.perform(f"Edit {', '.join(fields)}", redo, undo, **hooks)

    def resolve(self, conflict_id: int, keep: str, **hooks: Any) -> None:
        """Settle a conflict: keep the other person's value, or put this user's in."""
        self.call(lambda: self.library.resolve(conflict_id, keep), **hooks)

    def trash(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        self.perform(
            f"Move {_count(ids)} to the Trash",
            lambda: self.library.trash(ids),
            lambda: self.library.restore(ids),
        )

    def restore(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        self.perform(
            f"Restore {_count(ids)}",
            lambda: self.library.restore(ids),
            lambda: self.library.trash(ids),
        )

    def empty_trash(self) -> None:
        self.perform("Empty the Trash", self.library.empty_trash, None)

    # --- tags -------------------------------------------------------------------------------
    def _tagged(self, name: str) -> list[int]:
        """Every paper with the tag, those in the trash too."""
        live = self.library.paper_ids(PaperFilter(tags=(name,)))
        return live + self.library.paper_ids(PaperFilter(tags=(name,), trashed=True))

    def _tag_names(self) -> set[str]:
        return {t.name.casefold() for t in self.library.tags()}

    def tag(self, ids: Iterable[int], add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        ids, add, remove = list(ids), list(add), list(remove)
        state: dict[str, Any] = {}

        def redo() -> Changes:
            if not state:
                keys = self.library.tag_sets(ids)
                known = self._tag_names()
                state["gained"] = {
                    t: [i for i in ids if t.casefold() not in keys.get(i, set())] for t in add
                }
                state["lost"] = {
                    t: [i for i in ids if t.casefold() in keys.get(i, set())] for t in remove
                }
                state["new"] = [t for t in add if t.casefold() not in known]
            return self.library.tag(ids, add, remove)

        def undo() -> Changes:
            changes = Changes(tags=True)
            for name, members in state["gained"].items():
                if members:
                    changes |= self.library.tag(members, remove=[name])
            for name, members in state["lost"].items():
                if members:
                    changes |= self.library.tag(members, add=[name])
            for name in state["new"]:  # a tag this step made leaves with it
                if not self._tagged(name) and name.casefold() in self._tag_names():
                    changes |= self.library.delete_tag(name)
            return changes

        words = [f"+{t}" for t in add] + [f"−{t}" for t in remove]
        self.perform(f"Tag {' '.join(words)}", redo, undo)

    def delete_tag(self, name: str) -> None:
        state: dict[str, list[int]] = {}

        def redo() -> Changes:
            state.setdefault("members", self._tagged(name))
            return self.library.delete_tag(name)

        def undo() -> Changes:
            members = state["members"]
            return self.library.tag(members, add=[name]) if members else Changes(tags=True)

        self.perform(f"Delete tag {name}", redo, undo)

    def rename_tag(self, old: str, new: str) -> None:
        """Renaming onto a tag that exists merges the two; undo takes the merge apart."""
        state: dict[str, Any] = {}

        def redo() -> Changes:
            if not state:
                merging = new.casefold() != old.casefold() and new.casefold() in self._tag_names()
                state["merging"] = merging
                state["old"] = self._tagged(old)
                state["new"] = set(self._tagged(new)) if merging else set()
            return self.library.rename_tag(old, new)

        def undo() -> Changes:
            if not state["merging"]:
                return self.library.rename_tag(new, old)
            changes = self.library.tag(state["old"], add=[old])
            only_old = [i for i in state["old"] if i not in state["new"]]
            if only_old:
                changes |= self.library.tag(only_old, remove=[new])
            return changes

        self.perform(f"Rename tag {old}", redo, undo)

    # --- notes ------------------------------------------------------------------------------
    def note_id(self, note_id: int) -> int:
        """The id a note has now: deleting and undoing brings a note back under a new id."""
        while note_id in self._note_alias:
            note_id = self._note_alias[note_id]
        return note_id

    def add_note(self, paper_id: int, body: str, **hooks: Any) -> None:
        state: dict[str, int | None] = {"id": None}

        def redo() -> Changes:
            changes = self.library.add_note(paper_id, body)
            if state["id"] is not None:
                self._note_alias[state["id"]] = changes.created
            state["id"] = changes.created
            self._note_texts[changes.created] = body
            return changes

        def undo() -> Changes:
            return self.library.delete_note(self.note_id(state["id"]))

        self.perform("Add a note", redo, undo, **hooks)

    def edit_note(self, note_id: int, body: str, before: str) -> None:
        """Successive edits of one note merge into one undo step, back to ``before``. Each
        write names the text it expects to replace: the first time, what the editor showed
        (``before``); on undo and redo, what this window itself last wrote there. A note
        someone else changed meanwhile is then a conflict, not overwritten."""
        first = {"run": True}

        def write(text: str, fresh: dict | None) -> Callable[[], Changes]:
            def run() -> Changes:
                current = self.note_id(note_id)
                if fresh is not None and fresh["run"]:
                    fresh["run"] = False
                    base = before
                else:
                    base = self._note_texts.get(current, before)
                changes = self.library.edit_note(current, text, base=base)
                if not changes.conflicts:
                    self._note_texts[current] = text
                return changes

            return run

        self.perform(
            "Edit a note", write(body, first), write(before, None), merge_key=("note", note_id)
        )

    def delete_note(self, paper_id: int, note_id: int, body: str) -> None:
        def redo() -> Changes:
            return self.library.delete_note(self.note_id(note_id))

        def undo() -> Changes:
            gone = self.note_id(note_id)
            changes = self.library.add_note(paper_id, body)
            self._note_alias[gone] = changes.created
            self._note_texts[changes.created] = body
            return changes

        self.perform("Delete a note", redo, undo)

    # --- reading lists ----------------------------------------------------------------------
    def create_list(self, name: str, **hooks: Any) -> None:
        self.perform(
            f"Create list {name}",
            lambda: self.library.create_list(name),
            lambda: self.library.delete_list(name),
            **hooks,
        )

    def rename_list(self, old: str, new: str) -> None:
        self.perform(
            f"Rename list {old}",
            lambda: self.library.rename_list(old, new),
            lambda: self.library.rename_list(new, old),
        )

    def delete_list(self, name: str) -> None:
        state: dict[str, list[int]] = {}

        def redo() -> Changes:
            state.setdefault("members", self.library.list_members(name))
            return self.library.delete_list(name)

        def undo() -> Changes:
            return self.library.create_list(name) | self.library.add_to_list(name, state["members"])

        self.perform(f"Delete list {name}", redo, undo)

    def add_to_list(self, name: str, ids: Iterable[int]) -> None:
        ids, state = list(dict.fromkeys(ids)), {}

        def redo() -> Changes:
            if "new" not in state:
                present = set(self.library.list_members(name))
                state["new"] = [i for i in ids if i not in present]
            return self.library.add_to_list(name, state["new"]) if state["new"] else Changes()

        def undo() -> Changes:
            new = state["new"]
            return self.library.remove_from_list(name, new) if new else Changes()

        self.perform(f"Add {_count(ids)} to {name}", redo, undo)

    def remove_from_list(self, name: str, ids: Iterable[int]) -> None:
        wanted, state = set(ids), {}

        def redo() -> Changes:
            state.setdefault("before", self.library.list_members(name))
            gone = [p for p in state["before"] if p in wanted]
            return self.library.remove_from_list(name, gone)

        def undo() -> Changes:
            before = state["before"]
            gone = [p for p in before if p in wanted]
            return self.library.add_to_list(name, gone) | self.library.reorder_list(name, before)

        self.perform(f"Remove {_count(wanted)} from {name}", redo, undo)

    def reorder_list(self, name: str, order: Sequence[int], base: Sequence[int]) -> None:
        """Put a list in ``order``; ``base`` is the order the window showed when the drag
        began, so an order someone else gave it meanwhile comes back as a conflict."""
        order, base = list(order), list(base)
        undo = lambda: self.library.reorder_list(name, base, base=order)  # noqa: E731
        self.perform(
            f"Reorder {name}", lambda: self.library.reorder_list(name, order, base=base), undo
        )

    # --- saved searches ---------------------------------------------------------------------
    def save_search(self, name: str, query: str) -> None:
        state: dict[str, str | None] = {}

        def redo() -> Changes:
            if "old" not in state:
                previous = {s.name.casefold(): s.query for s in self.library.saved_searches()}
                state["old"] = previous.get(name.strip().casefold())
            return self.library.save_search(name, query)

        def undo() -> Changes:
            if state["old"] is None:
                return self.library.delete_saved_search(name)
            return self.library.save_search(name, state["old"])

        self.perform(f"Save search {name}", redo, undo)

    def delete_saved_search(self, name: str, query: str) -> None:
        self.perform(
            f"Delete saved search {name}",
            lambda: self.library.delete_saved_search(name),
            lambda: self.library.save_search(name, query),
        )

    # --- imports ----------------------------------------------------------------------------
    def imported(self, report: Any, new_lists: Sequence[str] = ()) -> None:
        """An import finished on a worker thread: one undo step, which takes back exactly what
        it did (new papers to the trash, merged fields and tags out, new lists gone) and,
        being exact only once, cannot be redone."""
        added = list(report.added)
        self.changed.emit(Changes(added=frozenset(added), tags=True, lists=True))
        self.schedule_index()
        if report.import_id is None or not (added or report.merges or new_lists):
            return

        def undo() -> Changes:
            changes = self.library.undo_import(report.import_id)
            for name in new_lists:
                if name.casefold() in {s.name.casefold() for s in self.library.lists()}:
                    changes |= self.library.delete_list(name)
            return changes

        def redo() -> Changes:  # never run: the step leaves the stack when undone
            return Changes()

        self.undo_stack.push(ServiceCommand(self, f"Import {_count(added)}", redo, undo, once=True))


def _count(items: Sized) -> str:
    n = len(items)
    return "1 paper" if n == 1 else f"{n:,} papers"


def _restore_each(before: dict[int, Any], given: Any, setter: Callable[..., Changes]) -> Changes:
    by_value: dict[Any, list[int]] = {}
    for paper_id, value in before.items():
        by_value.setdefault(value, []).append(paper_id)
    changes = Changes()
    for value, ids in by_value.items():
        changes |= setter(ids, value, base=dict.fromkeys(ids, given))
    return changes
