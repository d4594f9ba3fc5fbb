"""The command line as a user meets it: wall time of ``readinglist --version`` and of
``readinglist search``, a fresh process each, interpreter start included; beside the bare
interpreter starting (``python -c pass``), the floor under any command written in Python."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.benchmarks.children import wall_time
from tests.benchmarks.queries import Query


def program() -> list[str]:
    """The installed ``readinglist`` script (children.environment puts this checkout first
    on the path, so it runs this checkout's code); ``python -m readinglist`` without it."""
    script = Path(sys.executable).with_name("readinglist")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readinglist"]


def cli_times(library: Path, queries: Sequence[Query], repeat: int) -> dict[str, Any]:
    """Seconds per run: ``--version`` and the bare interpreter ``max(3, 2 * repeat)`` times,
    ``search`` for each query ``repeat`` times."""
    runs = max(3, 2 * repeat)
    command = program()
    return {
        "python_s": [wall_time([sys.executable, "-c", "pass"]) for _ in range(runs)],
        "version_s": [wall_time([*command, "--version"]) for _ in range(runs)],
        "search_s": [
            wall_time([*command, "--library", str(library), "search", query.text])
            for _ in range(repeat)
            for query in queries
        ],
    }
