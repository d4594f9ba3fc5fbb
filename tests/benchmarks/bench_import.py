"""Import speed: the 7,166-entry Better BibTeX library from the shared corpora, end to end
(parsed, committed, searchable), beside two baselines measured in the same run: bibtexparser's
bare split of the same file, and SQLite FTS5 indexing the same titles and abstracts.

Each run is a fresh process (`readinglist import`, start-up included) on a fresh library, as a
user runs it; the in-process split (parse / committed / searchable) comes from a separate run.

    READINGLIST_SHARED=../shared .venv/bin/python -m tests.benchmarks.bench_import --repeat 5
Writes tests/benchmarks/results/import.json and prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import bibtexparser

from readinglist import open_library
from readinglist.importers.registry import parse_file
from tests.benchmarks.baselines import bibtex_split, fts5_index
from tests.benchmarks.children import wall_time
from tests.benchmarks.cli_times import program

CORPUS = "corpora/zotero-better-bibtex/Unabbreviate on import #1436-3.bib"


def cli_run(path: Path) -> float:
    folder = Path(tempfile.mkdtemp(prefix="rl-bench-cli-")) / "lib"
    return wall_time([*program(), "--library", str(folder), "import", str(path)])


def one_run(path: Path) -> dict[str, float]:
    committed: list[float] = []

    def progress(done: int, total: int) -> None:
        if done == total:
            committed.append(time.perf_counter() - start)

    with open_library(Path(tempfile.mkdtemp(prefix="rl-bench-"))) as library:
        start = time.perf_counter()
        report = library.import_file(path, progress=progress)
        searchable = time.perf_counter() - start
        assert library.search("", limit=1).total == len(report.added)
    start = time.perf_counter()
    parsed = parse_file(path)  # after the import, so that its caches did not help the import
    return {
        "entries": len(parsed.entries),
        "parse_s": time.perf_counter() - start,
        "committed_s": committed[-1],
        "searchable_s": searchable,
        "cli_s": cli_run(path),
    }


def baselines(path: Path) -> dict[str, float]:
    text = path.read_text(encoding="utf-8")
    rows = [
        (
            number,
            e.get("title").value if e.get("title") else "",
            e.get("abstract").value if e.get("abstract") else "",
        )
        for number, e in enumerate(bibtexparser.parse_string(text, parse_stack=[]).entries, 1)
    ]
    db = Path(tempfile.mkdtemp(prefix="rl-fts-")) / "fts.sqlite3"
    return {
        "bibtexparser_split_s": bibtex_split(path),
        "fts5_index_s": fts5_index(db, ("title", "abstract"), rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = Path(os.environ["READINGLIST_SHARED"]) / CORPUS
    runs = [one_run(path) for _ in range(args.repeat)]
    bases = [baselines(path) for _ in range(args.repeat)]
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    median.update({k: statistics.median(b[k] for b in bases) for k in bases[0]})
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "import.json").write_text(
        json.dumps({"runs": runs, "baselines": bases, "median": median}, indent=2)
    )
    n = median["entries"]
    print(f"{int(n)} entries, medians of {args.repeat} runs\n")
    print("| step | seconds | entries/s | ratio to baseline |")
    print("|---|---|---|---|")
    print(
        f"| bibtexparser split (baseline) | {median['bibtexparser_split_s']:.2f} "
        f"| {n / median['bibtexparser_split_s']:,.0f} | 1.0× |"
    )
    print(
        f"| parse (ours: macros, LaTeX, names) | {median['parse_s']:.2f} "
        f"| {n / median['parse_s']:,.0f} "
        f"| {median['parse_s'] / median['bibtexparser_split_s']:.1f}× the split |"
    )
    print(
        f"| import until committed | {median['committed_s']:.2f} "
        f"| {n / median['committed_s']:,.0f} | |"
    )
    print(
        f"| import until searchable | {median['searchable_s']:.2f} "
        f"| {n / median['searchable_s']:,.0f} "
        f"| {median['searchable_s'] / median['fts5_index_s']:.0f}× FTS5 indexing alone |"
    )
    print(
        f"| `readinglist import` in a fresh process (what a user waits) | {median['cli_s']:.2f} "
        f"| {n / median['cli_s']:,.0f} | target: under 10 s |"
    )


if __name__ == "__main__":
    main()
