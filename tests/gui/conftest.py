"""The real window over a real library, offscreen: what a user clicks, a test clicks."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings

from readinglist.gui.main_window import MainWindow

WAIT_MS = 15_000


def settle(qtbot, window: MainWindow) -> None:
    """Wait until every load, count, import and index update has finished."""

    def idle() -> bool:
        running = bool(window.controller.jobs)  # until each job's results are handled
        return not running and not window.is_loading() and window.controller.index_idle()

    try:
        qtbot.waitUntil(idle, timeout=WAIT_MS)
    except Exception as error:
        state = {
            "jobs": [(j.title, j.is_running()) for j in window.controller.jobs],
            "loading": window._loading is not None,
            "counting": window._counts_job is not None,
            "typing": window.search.pending(),
            "index": window.controller.index_idle(),
            "error": getattr(window, "last_error", ""),
        }
        raise AssertionError(f"the window did not settle: {state}") from error


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(qtbot, settings):
    """Opens windows on libraries and closes them (jobs finished) before the library closes."""
    windows: list[MainWindow] = []

    def opener(library) -> MainWindow:
        window = MainWindow(library, settings)
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        settle(qtbot, window)
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.close()


@pytest.fixture
def sample_library(library):
    library.open_sample()
    return library


@pytest.fixture
def window(open_window, sample_library) -> MainWindow:
    return open_window(sample_library)
