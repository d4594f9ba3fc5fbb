"""Work that must not block the window (imports, exports, searching, feeding the index) runs
on a worker thread; its progress and result come back to the window as queued signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from readinglist.domain.values import LibraryError

log = logging.getLogger(__name__)


class Job(QObject):
    """One piece of background work. ``work`` receives the job, to report progress and to ask
    whether the user cancelled; what it returns arrives in ``succeeded``."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(
        self,
        title: str,
        work: Callable[[Job], Any],
        parent: QObject | None = None,
        cancellable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.cancellable = cancellable
        self._work = work
        self._cancel = threading.Event()
        self._thread = _JobThread(self)
        self.result: Any = None
        self.error = ""

    def start(self) -> Job:
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> None:
        """Called from the worker thread; the signal is queued to the window's thread."""
        self.progressed.emit(done, total)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self._thread.wait(milliseconds)

    def _run(self) -> None:
        try:
            self.result = self._work(self)
        except LibraryError as error:
            self.error = str(error)
        except Exception as error:  # the window must survive any failure of a job
            log.exception("%s failed", self.title)
            self.error = f"{self.title} failed: {error}"
        if self.error:
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
        self.finished.emit()


class _JobThread(QThread):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        self._job._run()
