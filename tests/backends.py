"""The two homes of a library the tests run on: a SQLite file and a PostgreSQL server."""

from __future__ import annotations

from readinglist import open_library


def open_again(library):
    """The same library opened anew, as the next run of the program would (on a server: with
    the same cache folder, so its index is found again)."""
    from readinglist.services.library import Library

    if library.shared:
        return Library.open_shared(library.address, cache=library.folder.parent.parent)
    return open_library(library.folder)
