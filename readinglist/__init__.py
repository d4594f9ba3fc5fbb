"""readinglist: a reading-list manager for researchers.

The package root stays light: ``open_library`` imports the service lazily so that
``readinglist --version`` does not pay for SQLAlchemy and Whoosh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readinglist._version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from readinglist.services.library import Library


def open_library(path: str | Path | None = None) -> Library:
    """Open (creating on first use) the library in folder ``path``.

    ``None`` means the default location (``READINGLIST_LIBRARY`` or the user data dir).
    """
    from readinglist.services.library import Library

    return Library.open(path)


__all__ = ["__version__", "open_library"]
