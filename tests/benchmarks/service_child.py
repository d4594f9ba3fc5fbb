"""The service-level measurements, each run by the suite in a fresh process (see children.py):
importing a file, the query mix and typing, and whole-library work (export, check, re-index).

    python -m tests.benchmarks.service_child import BIB LIBRARY COUNT [--lists LISTS.json]
    python -m tests.benchmarks.service_child queries LIBRARY [--seed 7]
    python -m tests.benchmarks.service_child maintenance LIBRARY OUT TASK...
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path
from typing import Any

from readinglist import open_library
from readinglist.domain.filters import PaperFilter
from readinglist.domain.values import LibraryError
from readinglist.services.library import Library
from tests.benchmarks.children import emit
from tests.benchmarks.queries import Query, query_mix, typed
from tests.benchmarks.stats import peak_rss_mb, timed

TASKS = ("export-bibtex", "export-markdown", "check", "reindex")


def import_file(bib: Path, folder: Path, count: int, lists: Path | None) -> dict[str, Any]:
    """A fresh library imports the file: seconds until the last batch is committed (the papers
    are in the table) and until every paper is searchable. Reading lists, which BibTeX cannot
    carry, are then added through the service, timed on their own."""
    committed: list[float] = []
    opened = time.perf_counter()
    with open_library(folder) as library:
        open_s = time.perf_counter() - opened
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done == total:
                committed.append(time.perf_counter() - started)

        report = library.import_file(bib, progress=progress)
        library.update_index()  # whatever an import leaves queued still counts
        searchable = time.perf_counter() - started
        if len(report.added) != count or report.errors:
            raise SystemExit(f"imported {len(report.added)} of {count}: {report.to_json()}")
        found = library.count_matches("")
        if found != count:
            raise SystemExit(f"{found} of {count} papers are searchable after the import")
        result: dict[str, Any] = {
            "open_s": open_s,
            "committed_s": committed[-1],
            "searchable_s": searchable,
            "warnings": len(report.warnings),
            "rss_mb": peak_rss_mb(),
        }
        if lists is not None:
            result["lists_s"] = timed(lambda: _add_lists(library, json.loads(lists.read_text())))
    return result


def _add_lists(library: Library, lists: dict[str, list[str]]) -> None:
    for name, keys in lists.items():
        library.create_list(name)
        library.add_to_list(name, keys)
    library.update_index()


def _scope(query: Query) -> PaperFilter | None:
    if query.tag:
        return PaperFilter(tags=(query.tag,))
    if query.list_name:
        return PaperFilter(list_name=query.list_name)
    return None


def _first_page(library: Library, query: Query) -> None:
    """What the CLI and a page of results need: the best 20 with everything shown of them,
    and how many match."""
    scope = _scope(query)
    if scope is None:
        library.search(query.text, limit=20)
    else:
        library.views(library.browse(scope, query.text)[:20])


def run_queries(folder: Path, seed: int) -> dict[str, Any]:
    """The mix, twice per query (a first page; every match ranked, as the window's table gets
    them), then the typed queries one keystroke at a time. Times in ms."""
    mix = query_mix(seed)
    with open_library(folder) as library:
        first = timed(lambda: library.search("warm", limit=20)) * 1000
        top, every, hits = [], [], []
        for query in mix:
            top.append(timed(lambda q=query: _first_page(library, q)) * 1000)
            started = time.perf_counter()
            ids = library.browse(_scope(query), query.text)
            every.append((time.perf_counter() - started) * 1000)
            hits.append(len(ids))
        keystrokes = []
        for text in typed(seed):
            for end in range(1, len(text) + 1):
                keystrokes.append(_keystroke(library, text[:end]))
    return {
        "first_query_ms": first,
        "top_ms": top,
        "all_ms": every,
        "hits": hits,
        "keystroke_ms": keystrokes,
        "rss_mb": peak_rss_mb(),
    }


def _keystroke(library: Library, prefix: str) -> float:
    """ms from a prefix to its results (ids and count) or to the message saying what is wrong
    with it (an unclosed quote, a field with no value yet)."""
    started = time.perf_counter()
    with contextlib.suppress(LibraryError):
        library.browse(None, prefix)
    return (time.perf_counter() - started) * 1000


def maintenance(folder: Path, out: Path, tasks: list[str]) -> dict[str, Any]:
    """Whole-library work, in seconds: export to BibTeX and Markdown, check, re-index."""
    result: dict[str, Any] = {}
    with open_library(folder) as library:
        for task in tasks:
            if task.startswith("export-"):
                kind = task.removeprefix("export-")
                target = out / f"library.{'bib' if kind == 'bibtex' else 'md'}"

                def export(kind=kind, target=target) -> None:
                    with target.open("w", encoding="utf-8") as stream:
                        library.export(kind, stream)

                result[task] = timed(export)
                result[f"{task}_bytes"] = target.stat().st_size
            elif task == "check":
                started = time.perf_counter()
                report = library.check()
                result["check"] = time.perf_counter() - started
                result["check_healthy"] = report.healthy
            elif task == "reindex":
                result["reindex"] = timed(library.reindex)
    result["rss_mb"] = peak_rss_mb()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import")
    imp.add_argument("bib", type=Path)
    imp.add_argument("library", type=Path)
    imp.add_argument("count", type=int)
    imp.add_argument("--lists", type=Path)
    queries = commands.add_parser("queries")
    queries.add_argument("library", type=Path)
    queries.add_argument("--seed", type=int, default=7)
    work = commands.add_parser("maintenance")
    work.add_argument("library", type=Path)
    work.add_argument("out", type=Path)
    work.add_argument("tasks", nargs="+", choices=TASKS)
    args = parser.parse_args()
    if args.command == "import":
        emit(import_file(args.bib, args.library, args.count, args.lists))
    elif args.command == "queries":
        emit(run_queries(args.library, args.seed))
    else:
        emit(maintenance(args.library, args.out, args.tasks))


if __name__ == "__main__":
    main()
