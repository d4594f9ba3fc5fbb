"""The two homes of a library the tests run on: a SQLite file and a PostgreSQL server."""

from __future__ import annotations

from readinglist import open_library
from readinglist.domain.filters import PaperFilter


def open_again(library):
    """The same library opened anew, as the next run of the program would (on a server: with
    the same cache folder, so its index is found again)."""
    from readinglist.services.library import Library

    if library.shared:
        return Library.open_shared(library.address, cache=library.folder.parent.parent)
    return open_library(library.folder)


def library_state(library) -> dict:
    """Everything a user sees of a library, in a form two clients can be compared by."""
    papers = library.papers() + library.papers(PaperFilter(trashed=True))
    return {
        "papers": {
            p.id: (
                p.key,
                p.title,
                p.year,
                [a.family for a in p.authors],
                p.rating,
                p.status,
                sorted(p.tags),
                [n.body for n in p.notes],
                p.in_trash,
                p.version,
            )
            for p in papers
        },
        "lists": {s.name: library.list_members(s.name) for s in library.lists()},
        "tags": [(t.name, t.count) for t in library.tags()],
        "searches": [(s.name, s.query) for s in library.saved_searches()],
        "search": library.search_ids("attention"),
    }
