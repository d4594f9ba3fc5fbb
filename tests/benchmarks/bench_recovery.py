"""Recovery figures: how long a library takes to be whole again after losing its search index,
and what a backup and a restore cost, beside SQLite copying the same file.

Run on demand (not part of the test suite):
    .venv/bin/python -m tests.benchmarks.bench_recovery --papers 10000 --repeat 3
Writes tests/benchmarks/results/recovery.json and prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sqlite3
import statistics
import tempfile
from contextlib import closing
from pathlib import Path

from readinglist import open_library
from readinglist.services.backups import restore
from tests.benchmarks.generate import papers, write_bibtex
from tests.benchmarks.stats import timed

RESULTS = Path(__file__).with_name("results") / "recovery.json"


def measure(folder: Path) -> dict[str, float]:
    database = folder / "library.sqlite3"

    def reopen_without_index() -> None:
        shutil.rmtree(folder / "index")
        with open_library(folder) as library:  # finds no index, rebuilds it, then is usable
            assert library.search("learning").total > 0

    def plain_copy() -> None:
        target = folder / "plain-copy.sqlite3"
        target.unlink(missing_ok=True)
        with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(target)) as t:
            source.backup(t)

    with open_library(folder) as library:
        backup_s = timed(library.backup)
        name = library.backups.all()[0].name
    return {
        "index rebuilt on open (s)": timed(reopen_without_index),
        "backup (s)": backup_s,
        "sqlite3 backup of the same file, baseline (s)": timed(plain_copy),
        "restore, present backed up first (s)": timed(lambda: restore(folder, name)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rl-recovery-"))
    source = work / "papers.bib"
    write_bibtex(source, list(papers(args.papers)))
    folder = work / "library"
    with open_library(folder) as library:
        report = library.import_file(source)
        assert len(report.added) == args.papers, report.to_json()
    runs = [measure(folder) for _ in range(args.repeat)]
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    size = (folder / "library.sqlite3").stat().st_size
    result = {
        "papers": args.papers,
        "database MB": round(size / 1e6, 1),
        "repeat": args.repeat,
        "machine": platform.platform(),
        "medians": medians,
        "runs": runs,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print(f"| {args.papers:,} papers, {size / 1e6:.1f} MB | median of {args.repeat} |")
    print("|---|---|")
    for key, value in medians.items():
        print(f"| {key} | {value:.2f} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
