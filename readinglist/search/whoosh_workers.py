"""Whoosh's parallel writer, with workers that die with the process that started them.

Whoosh's sub-writers wait on their job queue forever. If the program that started them is
killed (a crash, SIGKILL, the power button of a frozen window), they would live on, orphaned,
holding copies of its open files, the index lock among them: the search index could not be
written again until someone found and killed them. Linux can tie a child's life to its
parent's (PR_SET_PDEATHSIG); where that is not available, indexing stays in one process.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from queue import Full

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh.multiproc import MpWriter, SubWriterTask

_PR_SET_PDEATHSIG = 1


def workers_can_die_with_parent() -> bool:
    return sys.platform.startswith("linux")


def _die_with(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        os._exit(1)  # cannot promise to die with the parent: do not start at all
    if os.getppid() != parent:  # the parent died before the promise was made
        os._exit(1)


class _MortalTask(SubWriterTask):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._parent = os.getpid()

    def run(self) -> None:
        _die_with(self._parent)
        super().run()


class IndexWorkerFailed(RuntimeError):
    """A helper process of the index writer died: its part of the batch is not indexed."""


class _WatchedQueue:
    """The job queue as the writer hands out jobs: instead of waiting forever on a full queue
    that a dead worker no longer empties, it notices the death and raises."""

    def __init__(self, queue, tasks: list) -> None:
        self.queue = queue
        self._tasks = tasks

    def put(self, item) -> None:
        while True:
            try:
                self.queue.put(item, timeout=1.0)
                return
            except Full:
                _check_alive(self._tasks)


def _check_alive(tasks: list) -> None:
    dead = [task for task in tasks if task.exitcode not in (None, 0)]
    if dead:
        raise IndexWorkerFailed(
            f"an indexing helper process ended with exit code {dead[0].exitcode}"
        )


class MortalMpWriter(MpWriter):
    """Whoosh's MpWriter whose sub-writers are killed along with this process, and whose own
    process notices when one of them dies instead of waiting for it forever."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.jobqueue = _WatchedQueue(self.jobqueue, self.tasks)

    def _new_task(self):
        task = _MortalTask(
            self.storage,
            self.indexname,
            self.jobqueue.queue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def commit(self, *args, **kwargs) -> None:
        super().commit(*args, **kwargs)
        # Whoosh commits without the results of a worker that died; the caller's queue of
        # changes is kept on this error, so those papers are indexed again next time.
        _check_alive(self.tasks)
