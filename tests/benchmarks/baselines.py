"""What the same work costs without readinglist, measured in the same run so that our figures
can be read as ratios on a noisy machine: SQLite FTS5 indexing and searching the same texts
(a lower bound for an embedded engine), bibtexparser's bare split of the same file, and SQLite
alone sorting, reading and checking our own database file."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import bibtexparser

from tests.benchmarks.generate import GeneratedPaper
from tests.benchmarks.queries import Query, list_token

# The columns our table sorts by, as SQL over readinglist's paper table.
SORT_SQL = {
    "title": "lower(title)",
    "authors": "sort_author",
    "year": "year",
    "venue": "lower(venue)",
    "rating": "rating",
    "status": "status",
    "added": "added_at",
}


def _authors(paper: GeneratedPaper) -> str:
    return " ; ".join(
        " ".join(filter(None, (a.given, a.particle, a.family))) for a in paper.authors
    )


def fts5_index(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> float:
    """Seconds to create an FTS5 table of ``columns`` (porter stemming, as ours stems) and
    insert ``rows`` (rowid first) in one transaction."""
    path.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as db:
        started = time.perf_counter()
        db.execute(
            f"CREATE VIRTUAL TABLE p USING fts5({', '.join(columns)}, tokenize='porter unicode61')"
        )
        names = ", ".join(c.split()[0] for c in columns)
        marks = ", ".join("?" * (len(columns) + 1))
        with db:
            db.executemany(f"INSERT INTO p(rowid, {names}) VALUES ({marks})", rows)
        return time.perf_counter() - started


def fts5_build(path: Path, papers: Sequence[GeneratedPaper], lists: dict[str, list[str]]) -> float:
    """Seconds to index every paper's texts; year and rating ride along unindexed for the
    range queries, reading lists as one token each."""
    member_of: dict[str, list[str]] = {}
    for name, keys in lists.items():
        for key in keys:
            member_of.setdefault(key, []).append(list_token(name))
    rows = [
        (
            p.number + 1,
            p.title,
            _authors(p),
            p.abstract,
            p.venue,
            p.note,
            " ".join(p.keywords),
            " ".join(member_of.get(p.key, ())),
            p.year,
            p.rating,
        )
        for p in papers
    ]
    columns = (
        "title",
        "authors",
        "abstract",
        "venue",
        "notes",
        "tags",
        "lists",
        "year UNINDEXED",
        "rating UNINDEXED",
    )
    return fts5_index(path, columns, rows)


def fts5_queries(path: Path, mix: Sequence[Query]) -> dict[str, list[float]]:
    """Per query, in ms: the first 20 by rank with the count of matches (what a results page
    needs), and every match by rank (what a table of results needs)."""
    top, every = [], []
    with closing(sqlite3.connect(path)) as db:
        db.execute("SELECT rowid FROM p WHERE p MATCH 'warm' LIMIT 1").fetchall()
        for query in mix:
            where = f"p MATCH ?{f' AND {query.fts_where}' if query.fts_where else ''}"
            started = time.perf_counter()
            db.execute(
                f"SELECT rowid FROM p WHERE {where} ORDER BY rank LIMIT 20", (query.fts,)
            ).fetchall()
            db.execute(f"SELECT count(*) FROM p WHERE {where}", (query.fts,)).fetchone()
            top.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            db.execute(f"SELECT rowid FROM p WHERE {where} ORDER BY rank", (query.fts,)).fetchall()
            every.append((time.perf_counter() - started) * 1000)
    return {"top": top, "all": every}


def bibtex_split(path: Path) -> float:
    """Seconds for bibtexparser to split the file into entries, with no decoding at all: the
    floor under any BibTeX import in Python."""
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    bibtexparser.parse_string(text, parse_stack=[])
    return time.perf_counter() - started


def sqlite_sorts(database: Path) -> dict[str, float]:
    """Seconds for SQLite alone to order every live paper's id by each column, both ways
    (the median of the two), ids fetched into Python: the floor under a header click."""
    found = {}
    with closing(sqlite3.connect(database)) as connection:
        for key, expression in SORT_SQL.items():
            times = []
            for direction in ("ASC", "DESC"):
                started = time.perf_counter()
                connection.execute(
                    f"SELECT id FROM paper WHERE deleted_at IS NULL "
                    f"ORDER BY {expression} {direction}, id {direction}"
                ).fetchall()
                times.append(time.perf_counter() - started)
            found[key] = sorted(times)[len(times) // 2]
    return found


def sqlite_dump(database: Path, target: Path) -> float:
    """Seconds for SQLite to read every paper row and write it as a line of text: the floor
    under an export."""
    started = time.perf_counter()
    with closing(sqlite3.connect(database)) as connection, target.open("w") as out:
        for row in connection.execute("SELECT * FROM paper WHERE deleted_at IS NULL"):
            out.write("\t".join(map(str, row)) + "\n")
    return time.perf_counter() - started


def sqlite_integrity(database: Path) -> float:
    """Seconds for SQLite's own integrity check of the file: the floor under ``check``."""
    started = time.perf_counter()
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA integrity_check").fetchall()
    return time.perf_counter() - started
