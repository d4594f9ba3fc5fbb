"""Core figures: import, search and CLI start-up, beside SQLite FTS5 on the same texts.

Run on demand (not part of the test suite):
    READINGLIST_SHARED=../shared .venv/bin/python -m tests.benchmarks.bench_core --sizes 1000 10000
Writes tests/benchmarks/results/core.json and prints a Markdown table of medians and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from readinglist import open_library
from tests.benchmarks.generate import listing

QUERIES = [
    "learning", "meta learning", "reinforcement", "language models", "decoupling",
    "transformer attention", "benchmark evaluation", "graph", "robust policy", "diffusion",
    '"large language models"', '"meta learning"', "title:meta", "abstract:reward",
    "learn*", "meta*", "reinforcment~", "agnet~", "meta -reinforcement", "graph OR tree",
    "year:2000..2030 learning", "rating:>=0 model", "status:unread agent", "tag:none OR learning",
]  # fmt: skip
FTS_QUERIES = [
    "learning", "meta learning", "reinforcement", "language models", "decoupling",
    "transformer attention", "benchmark evaluation", "graph", "robust policy", "diffusion",
    '"large language models"', '"meta learning"', "title:meta", "abstract:reward",
    "learn*", "meta*", "reinforcment", "agnet", "meta NOT reinforcement", "graph OR tree",
    "learning", "model", "agent", "learning",
]  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_import(text_file: Path) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="rl-bench-"))
    committed: list[float] = []
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done == total:
            committed.append(time.perf_counter() - start)

    with open_library(folder) as library:
        report = library.import_file(text_file, progress=progress)
        searchable = time.perf_counter() - start
        count = len(report.added)
    return {"count": count, "committed_s": committed[-1], "searchable_s": searchable,
            "folder": str(folder)}  # fmt: skip


def bench_search(folder: str) -> list[float]:
    with open_library(folder) as library:
        library.search("warm up", limit=20)
        times = []
        for query in QUERIES:
            start = time.perf_counter()
            library.search(query, limit=20)
            times.append((time.perf_counter() - start) * 1000)
    return times


def bench_fts5(text: str) -> tuple[float, list[float]]:
    lines = text.splitlines()
    rows = list(zip(lines[0::2], lines[1::2], strict=True))
    path = Path(tempfile.mkdtemp(prefix="rl-fts-")) / "fts.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        start = time.perf_counter()
        db.execute(
            "CREATE VIRTUAL TABLE p USING fts5(title, abstract, tokenize='porter unicode61')"
        )
        with db:
            db.executemany("INSERT INTO p VALUES (?, ?)", rows)
        build = time.perf_counter() - start
        times = []
        for query in FTS_QUERIES:
            start = time.perf_counter()
            db.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT 20",
                       (query,)).fetchall()  # fmt: skip
            times.append((time.perf_counter() - start) * 1000)
    return build, times


def bench_cli(folder: str, repeat: int) -> dict[str, float]:
    script = Path(sys.executable).with_name("readinglist")
    figures = {}
    for name, args in (("version", ["--version"]),
                       ("search", ["--library", folder, "search", "meta learning"])):  # fmt: skip
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([str(script), *args], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        figures[name] = statistics.median(times)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    page = Path(os.environ["READINGLIST_SHARED"]) / "samples" / "hf-papers-page.txt"
    results: dict[str, object] = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "sizes": {},
    }
    rows = []
    for size in args.sizes:
        text = listing(page, size)
        source = Path(tempfile.mkdtemp(prefix="rl-src-")) / f"listing-{size}.txt"
        source.write_text(text, encoding="utf-8")
        imports = [bench_import(source) for _ in range(args.repeat)]
        search_ms = [t for _ in range(args.repeat) for t in bench_search(imports[-1]["folder"])]
        fts = [bench_fts5(text) for _ in range(args.repeat)]
        fts_build = statistics.median(b for b, _ in fts)
        fts_ms = [t for _, times in fts for t in times]
        cli = bench_cli(imports[-1]["folder"], args.repeat * 2)
        figures = {
            "import_committed_per_s": size / statistics.median(i["committed_s"] for i in imports),
            "import_searchable_per_s": size / statistics.median(i["searchable_s"] for i in imports),
            "fts5_build_per_s": size / fts_build,
            "search_p50_ms": statistics.median(search_ms),
            "search_p95_ms": percentile(search_ms, 0.95),
            "fts5_p50_ms": statistics.median(fts_ms),
            "fts5_p95_ms": percentile(fts_ms, 0.95),
            "cli_version_s": cli["version"],
            "cli_search_s": cli["search"],
        }
        results["sizes"][size] = figures
        rows.append((size, figures))
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "core.json").write_text(json.dumps(results, indent=2))
    print(f"machine: {results['machine']}; medians of {args.repeat} runs\n")
    print("| papers | import → committed /s | → searchable /s | FTS5 build /s | ratio |"
          " search p50 / p95 ms | FTS5 p50 / p95 ms | p50 ratio | CLI --version s |"
          " CLI search s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size, f in rows:
        print(
            f"| {size:,} | {f['import_committed_per_s']:,.0f} | {f['import_searchable_per_s']:,.0f}"
            f" | {f['fts5_build_per_s']:,.0f}"
            f" | {f['fts5_build_per_s'] / f['import_searchable_per_s']:.1f}×"
            f" | {f['search_p50_ms']:.1f} / {f['search_p95_ms']:.1f}"
            f" | {f['fts5_p50_ms']:.1f} / {f['fts5_p95_ms']:.1f}"
            f" | {f['search_p50_ms'] / f['fts5_p50_ms']:.1f}×"
            f" | {f['cli_version_s']:.2f} | {f['cli_search_s']:.2f} |"
        )


if __name__ == "__main__":
    main()
