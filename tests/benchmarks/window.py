"""The window on a large library, each measurement in a fresh offscreen process: process start
to an interactive table, sorting by each column, jumping to the end, a search typed into the
bar, the longest stall of the window's thread, peak memory; and, on a copy, selecting,
rating and un-rating every paper at once.

Baseline from the same run: an empty Qt window (process start to its first paint: what Python
and Qt cost before any of our work). The child runs as
``python -m tests.benchmarks.window --child LIBRARY [--baseline | --big-selection]``.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.children import REPO, emit, environment, run_child
from tests.benchmarks.stats import peak_rss_mb


# --- the child: one fresh process per measurement -------------------------------------------
class StallMeter:
    """The longest gap between ticks of a 5 ms timer: how long the window's thread was busy."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(interval=5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def reset(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()


def settle(app, window) -> None:
    """Until the window is idle and the visible rows are painted."""
    window.wait_idle()
    window.table.viewport().repaint()
    app.processEvents()


def table_shown(app, window) -> None:
    """Until the table holds its rows and paints them (the sidebar's counts may still come)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer(interval=2)
    timer.timeout.connect(lambda: window.loaded_once and window._loading is None and loop.quit())
    timer.start()
    loop.exec()
    timer.stop()
    window.table.viewport().repaint()
    app.processEvents()


def _open_window(library: str):
    """The application and main window as ``readinglist`` makes them, on fresh settings."""
    from PySide6.QtCore import QSettings

    from readinglist.gui.app import application
    from readinglist.gui.main_window import MainWindow
    from readinglist.services.library import Library

    app = application()
    folder = tempfile.mkdtemp(prefix="rl-bench-settings-")
    atexit.register(shutil.rmtree, folder, True)  # the child's fresh settings go with it
    settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
    lib = Library.open(library, catch_up=False)
    window = MainWindow(lib, settings)
    window.resize(1400, 860)
    window.show()
    return app, window, lib


def empty_window() -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1400, 860)
    window.show()
    window.repaint()
    app.processEvents()
    return {"interactive_at": time.time()}


def measure_window(library: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt

    from readinglist.gui.app import application
    from readinglist.gui.main_window import MainWindow  # noqa: F401  (imported before the clock)
    from readinglist.gui.paper_model import COLUMNS

    application()  # as `readinglist` starts it; the in-process figure starts after it
    opened = time.perf_counter()
    app, window, lib = _open_window(library)
    meter = StallMeter()
    table_shown(app, window)
    interactive_at = time.time()
    in_process_open = time.perf_counter() - opened
    settle(app, window)
    rows = window.model.rowCount()
    open_stall = meter.longest
    sorts: dict[str, dict[str, float]] = {}
    header = window.table.horizontalHeader()
    for number, column in enumerate(COLUMNS):
        header.setSectionHidden(number, False)
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            meter.reset()
            start = time.perf_counter()
            window.table.sort_by(number, order)
            settle(app, window)
            took = time.perf_counter() - start
            name = f"{column.key} {'asc' if order == Qt.SortOrder.AscendingOrder else 'desc'}"
            sorts[name] = {"seconds": took, "stall": meter.longest}
    found: dict[str, Any] = {}
    for name, action in (
        ("jump_to_end", window.table.scrollToBottom),
        ("search_common_word", lambda: window.search.set_text("learning")),
    ):
        meter.reset()
        start = time.perf_counter()
        action()
        settle(app, window)
        found[name] = time.perf_counter() - start
        found[f"{name}_stall"] = meter.longest
    rss = peak_rss_mb()
    window.close()
    lib.close()
    return {
        "interactive_at": interactive_at,
        "in_process_open": in_process_open,
        "rows": rows,
        "open_stall": open_stall,
        "sorts": sorts,
        **found,
        "peak_rss_mb": rss["self"],
        "peak_rss_workers_mb": rss["largest_child"],
    }


def measure_big_selection(library: str) -> dict[str, Any]:
    """Ctrl+A over the whole library, rate them all, undo: it changes every paper (and queues
    all of them for the index), so the suite gives it a copy."""
    app, window, lib = _open_window(library)
    settle(app, window)
    meter = StallMeter()
    found: dict[str, Any] = {}
    for name, action in (
        ("select all", window.table.selectAll),
        ("rate all 4", lambda: window.rate_selection(4)),
        ("undo the rating", window.undo_action.trigger),
    ):
        meter.reset()
        start = time.perf_counter()
        action()
        settle(app, window)
        found[name] = {"seconds": time.perf_counter() - start, "stall": meter.longest}
    start = time.perf_counter()
    window.close()
    found["close while the index catches up"] = {
        "seconds": time.perf_counter() - start,
        "stall": 0.0,
    }
    lib.close()
    return found


# --- the parent ---------------------------------------------------------------------------------
def spawn(library: Path, baseline: bool = False) -> dict[str, Any]:
    """One fresh process: its figures, and process start to interactive as the parent saw it."""
    command = [sys.executable, "-m", "tests.benchmarks.window", "--child", str(library)]
    if baseline:
        command.append("--baseline")
    started = time.time()
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment(), cwd=REPO, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the window child failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_to_interactive"] = result["interactive_at"] - started
    return result


def big_selection(library: Path) -> dict[str, Any]:
    copy = Path(tempfile.mkdtemp(prefix="rl-bench-big-")) / "lib"
    shutil.copytree(library, copy)
    try:
        return run_child("tests.benchmarks.window", "--child", str(copy), "--big-selection")
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__
        + "\nAlone: python -m tests.benchmarks.window --library LIB [--repeat 3]"
    )
    parser.add_argument("--library", type=Path, help="measure the window on this library")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--big-selection", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.library:  # the figures of each run, for whoever works on the window
        runs = [spawn(args.library) for _ in range(args.repeat)]
        print(json.dumps({"runs": runs, "empty_window": spawn(args.library, baseline=True)}))
    elif not args.child:
        parser.error("--library or --child is needed")
    elif args.baseline:
        emit(empty_window())
    elif args.big_selection:
        emit(measure_big_selection(args.child))
    else:
        emit(measure_window(args.child))


if __name__ == "__main__":
    main()
