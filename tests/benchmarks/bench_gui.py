"""The window on a large library: process start to an interactive table, sorting by each
column, jumping to the end, the longest stall of the window's thread, and peak memory.

Baselines from the same run: an empty Qt window (process start to first paint: what Qt and
Python cost before any of our work) and SQLite alone running each column's sort query.

    .venv/bin/python -m tests.benchmarks.bench_gui --size 100000 --repeat 3
    .venv/bin/python -m tests.benchmarks.bench_gui --library /tmp/lib100k --repeat 3
Without --library a library of --size generated papers is built once (results/lib-SIZE) by
importing the generated BibTeX with the CLI. Writes results/gui.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results")
PAGE = Path(os.environ.get("READINGLIST_SHARED", "../shared")) / "samples/hf-papers-page.txt"
SORT_SQL = {
    "title": "lower(title)",
    "authors": "sort_author",
    "year": "year",
    "venue": "lower(venue)",
    "rating": "rating",
    "status": "status",
    "added": "added_at",
}


def build_library(size: int) -> Path:
    from tests.benchmarks.generate import bibtex_library

    folder = RESULTS / f"lib-{size}"
    if (folder / "library.sqlite3").exists():
        return folder
    RESULTS.mkdir(exist_ok=True)
    bib = RESULTS / f"generated-{size}.bib"
    bib.write_text(bibtex_library(PAGE, size), encoding="utf-8")
    program = str(Path(sys.executable).with_name("readinglist"))
    subprocess.run([program, "--library", str(folder), "import", str(bib)], check=True)
    return folder


# --- the child: one fresh process per measurement of the window -----------------------------
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


def settle(app, window, meter: StallMeter | None = None) -> None:
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


def child(library: str, baseline: bool) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMainWindow

    if baseline:
        app = QApplication([])
        window = QMainWindow()
        window.resize(1400, 860)
        window.show()
        window.repaint()
        app.processEvents()
        print(json.dumps({"interactive_at": time.time()}), flush=True)
        return
    from readinglist.gui.app import application
    from readinglist.gui.main_window import MainWindow
    from readinglist.gui.paper_model import COLUMNS
    from readinglist.services.library import Library

    app = application()  # as `readinglist` starts it
    settings = QSettings(str(RESULTS / "bench-settings.ini"), QSettings.Format.IniFormat)
    settings.clear()
    opened = time.perf_counter()
    lib = Library.open(library, catch_up=False)
    window = MainWindow(lib, settings)
    window.resize(1400, 860)
    window.show()
    meter = StallMeter()
    table_shown(app, window)
    interactive_at = time.time()
    in_process_open = time.perf_counter() - opened
    settle(app, window)
    rows = window.model.rowCount()
    open_stall = meter.longest
    sorts: dict[str, dict[str, float]] = {}
    header = window.table.horizontalHeader()
    from PySide6.QtCore import Qt

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
    meter.reset()
    start = time.perf_counter()
    window.table.scrollToBottom()
    settle(app, window)
    jump = time.perf_counter() - start
    jump_stall = meter.longest
    meter.reset()
    start = time.perf_counter()
    window.search.set_text("learning")
    settle(app, window)
    search = time.perf_counter() - start
    search_stall = meter.longest
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    lib.close()
    print(
        json.dumps(
            {
                "interactive_at": interactive_at,
                "in_process_open": in_process_open,
                "rows": rows,
                "open_stall": open_stall,
                "sorts": sorts,
                "jump_to_end": jump,
                "jump_stall": jump_stall,
                "search_common_word": search,
                "search_stall": search_stall,
                "peak_rss_mb": rss,
            }
        ),
        flush=True,
    )


def big_selection_child(library: str) -> None:
    """Ctrl+A over the whole library, rate them all, undo: on a copy, since it changes every
    paper (and queues all of them for the index)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from readinglist.gui.app import application
    from readinglist.gui.main_window import MainWindow
    from readinglist.services.library import Library

    app = application()
    assert isinstance(app, QApplication)
    settings = QSettings(str(RESULTS / "bench-settings.ini"), QSettings.Format.IniFormat)
    lib = Library.open(library, catch_up=False)
    window = MainWindow(lib, settings)
    window.resize(1400, 860)
    window.show()
    settle(app, window)
    meter = StallMeter()
    found: dict[str, dict[str, float]] = {}
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
    print(json.dumps(found), flush=True)


def spawn(library: Path, baseline: bool = False) -> dict:
    command = [sys.executable, "-m", "tests.benchmarks.bench_gui", "--child", str(library)]
    if baseline:
        command.append("--baseline")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_to_interactive"] = result["interactive_at"] - started
    return result


def big_selection(library: Path) -> dict:
    import shutil
    import tempfile

    copy = Path(tempfile.mkdtemp(prefix="rl-bench-big-")) / "lib"
    shutil.copytree(library, copy)
    command = [sys.executable, "-m", "tests.benchmarks.bench_gui", "--child", str(copy),
               "--big-selection"]  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    shutil.rmtree(copy.parent, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def sqlite_sorts(library: Path) -> dict[str, float]:
    """The floor: SQLite alone running each column's sort, ids fetched into Python."""
    found = {}
    with sqlite3.connect(library / "library.sqlite3") as connection:
        for key, expression in SORT_SQL.items():
            times = []
            for descending in (False, True):
                direction = "DESC" if descending else "ASC"
                start = time.perf_counter()
                connection.execute(
                    f"SELECT id FROM paper WHERE deleted_at IS NULL "
                    f"ORDER BY {expression} {direction}, id {direction}"
                ).fetchall()
                times.append(time.perf_counter() - start)
            found[key] = statistics.median(times)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--library", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--big-selection", action="store_true")
    args = parser.parse_args()
    if args.child and args.big_selection:
        big_selection_child(args.child)
        return
    if args.child:
        child(args.child, args.baseline)
        return
    library = args.library or build_library(args.size)
    runs = [spawn(library) for _ in range(args.repeat)]
    baselines = [spawn(library, baseline=True) for _ in range(args.repeat)]
    floor = sqlite_sorts(library)
    big = big_selection(library)

    def median(values) -> float:
        return statistics.median(values)

    sort_names = list(runs[0]["sorts"])
    summary = {
        "machine": f"{os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}",
        "library": str(library),
        "papers": runs[0]["rows"],
        "repeat": args.repeat,
        "process_to_interactive": median(r["process_to_interactive"] for r in runs),
        "empty_qt_window": median(b["process_to_interactive"] for b in baselines),
        "in_process_open": median(r["in_process_open"] for r in runs),
        "open_stall": median(r["open_stall"] for r in runs),
        "sorts": {
            name: {
                "seconds": median(r["sorts"][name]["seconds"] for r in runs),
                "stall": median(r["sorts"][name]["stall"] for r in runs),
            }
            for name in sort_names
        },
        "sqlite_sorts": floor,
        "jump_to_end": median(r["jump_to_end"] for r in runs),
        "search_common_word": median(r["search_common_word"] for r in runs),
        "search_stall": median(r["search_stall"] for r in runs),
        "big_selection": big,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gui.json").write_text(json.dumps(summary, indent=2))
    ms = 1000
    print(f"{summary['papers']:,} papers, {summary['machine']}; medians of {args.repeat} runs\n")
    print("| figure | ours | baseline | ratio |\n|---|---|---|---|")
    ours, base = summary["process_to_interactive"], summary["empty_qt_window"]
    print(f"| process start → interactive table | {ours:.2f} s | empty Qt window {base:.2f} s "
          f"| {ours / base:.1f}× |")  # fmt: skip
    print(f"| window open, in process | {summary['in_process_open']:.2f} s | | |")
    for name, figure in summary["sorts"].items():
        key = name.split()[0]
        floor_s = floor.get(key)
        ratio = f"{figure['seconds'] / floor_s:.1f}×" if floor_s else ""
        floor_text = f"SQLite {floor_s * ms:.0f} ms" if floor_s else ""
        print(
            f"| sort by {name} | {figure['seconds'] * ms:.0f} ms "
            f"(longest stall {figure['stall'] * ms:.0f} ms) | {floor_text} | {ratio} |"
        )
    print(f"| jump to the end | {summary['jump_to_end'] * ms:.0f} ms | | |")
    print(f"| search 'learning' (typing to table) | {summary['search_common_word'] * ms:.0f} ms "
          f"(longest stall {summary['search_stall'] * ms:.0f} ms) | | |")  # fmt: skip
    for name, figure in summary["big_selection"].items():
        print(f"| {name} ({summary['papers']:,} selected) | {figure['seconds'] * ms:.0f} ms "
              f"(longest stall {figure['stall'] * ms:.0f} ms) | | |")  # fmt: skip
    print(f"| longest stall while opening | {summary['open_stall'] * ms:.0f} ms | | |")
    print(f"| peak RSS | {summary['peak_rss_mb']:.0f} MB | | |")


if __name__ == "__main__":
    main()
