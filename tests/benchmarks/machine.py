"""What the figures were measured on, written beside them: the same code is several times
faster or slower on another machine, and a shared box's load changes from run to run."""

from __future__ import annotations

import datetime
import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "readinglist"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' + uncommitted changes in readinglist/' if dirty else ''}"


def describe() -> dict[str, str]:
    """CPU, cores, memory, load, and the versions of everything the figures depend on."""
    memory_kb = _first("/proc/meminfo", "MemTotal").split()
    memory = f"{int(memory_kb[0]) / 1024 / 1024:.1f} GiB" if memory_kb else "unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "memory": memory,
        "load_at_start": load,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": _version("Whoosh"),
        "sqlalchemy": _version("SQLAlchemy"),
        "pyside6": _version("PySide6-Essentials"),
        "readinglist": _version("readinglist"),
        "commit": _commit(),
    }
