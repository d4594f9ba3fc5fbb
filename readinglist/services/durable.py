"""Writing the small files a user's work waits in (changes kept offline, conflicts, settings
of a library) so that a crash or a full disk leaves the old file or the new one, whole."""

from __future__ import annotations

import os
from pathlib import Path


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` beside ``path``, sync it to disk, then put it in place at once."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)


def append_line(path: Path, line: str) -> None:
    """Add one line to ``path``, on disk before this returns."""
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
