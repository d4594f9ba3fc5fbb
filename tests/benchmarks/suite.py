"""The benchmark suite of issue 7, in one command: at each size, a generated library is
imported, searched, opened in the window, sorted, exported, checked and re-indexed, and the
command line timed, beside SQLite FTS5 and Papis on the same papers in the same run.

    python -m tests.benchmarks.suite --sizes 10000 100000 --repeat 3
    python -m tests.benchmarks.suite --smoke          # 1,000 papers, one run, no Papis: fast

Writes tests/benchmarks/results/suite.json (every sample; git-ignored) and the Markdown table
tests/benchmarks/RESULTS.md (committed). ``--merge`` keeps the sizes of an earlier suite.json
that this run does not measure, so a long size can run on its own. Papis is installed on first
use into results/papis-venv (its own virtual environment; ``--no-papis`` to leave it out).
"""

from __future__ import annotations

import argparse
import datetime
import json
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks import baselines, papis_peer, window
from tests.benchmarks.children import run_child
from tests.benchmarks.cli_times import cli_times
from tests.benchmarks.figures import size_figures
from tests.benchmarks.generate import papers, reading_lists, write_bibtex
from tests.benchmarks.machine import describe
from tests.benchmarks.peers import peer_figures
from tests.benchmarks.queries import Query, query_mix
from tests.benchmarks.report import markdown

HERE = Path(__file__).parent
RESULTS = HERE / "results"


@dataclass(frozen=True)
class Options:
    seed: int = 7
    repeat: int = 3
    slow_repeat: int | None = None  # runs of the import and the re-index (default below)
    papis: bool = True
    papis_sizes: tuple[int, ...] = (1000, 10000)
    papis_venv: Path = RESULTS / "papis-venv"
    cli_queries: int = 6
    smoke: bool = False


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _service(*args: str) -> dict[str, Any]:
    return run_child("tests.benchmarks.service_child", *args)


def _imports(size: int, bib: Path, lists: Path, work: Path, runs: int) -> list[dict[str, Any]]:
    """``runs`` imports into fresh libraries; the last one is kept (as ``work/library``), and
    its reading lists are added."""
    found = []
    for run in range(runs):
        last = run == runs - 1
        folder = work / "library" if last else work / f"library-{run}"
        log(f"{size:,}: import, run {run + 1} of {runs}")
        extra = ["--lists", str(lists)] if last else []
        found.append(_service("import", str(bib), str(folder), str(size), *extra))
        if not last:
            shutil.rmtree(folder)
    return found


def measure_size(size: int, options: Options, work: Path) -> dict[str, Any]:
    """Every raw measurement of one size, in the order that leaves the library untouched for
    the next: import, searches, window, command line, then whole-library work."""
    started = time.perf_counter()
    machine = describe()
    repeat = range(options.repeat)
    # The import and the re-index take minutes each at 100,000 papers: once, unless asked.
    slow = min(options.slow_repeat or (1 if size >= 100_000 else options.repeat), options.repeat)
    items = list(papers(size, options.seed))
    lists = reading_lists(items, options.seed)
    bib, lists_file = work / f"library-{size}.bib", work / "lists.json"
    write_bibtex(bib, items, options.seed)
    lists_file.write_text(json.dumps(lists), encoding="utf-8")
    raw: dict[str, Any] = {"import": _imports(size, bib, lists_file, work, slow)}
    library, database = work / "library", work / "library" / "library.sqlite3"
    log(f"{size:,}: baselines (bibtexparser, FTS5)")
    raw["bibtex_split_s"] = [baselines.bibtex_split(bib) for _ in repeat]
    fts = work / "fts5.sqlite3"
    raw["fts5_build_s"] = [baselines.fts5_build(fts, items, lists) for _ in repeat]
    mix = query_mix(options.seed)
    raw["fts5_queries"] = [baselines.fts5_queries(fts, mix) for _ in repeat]
    log(f"{size:,}: the query mix and typing")
    seed = str(options.seed)
    raw["queries"] = [_service("queries", str(library), "--seed", seed) for _ in repeat]
    log(f"{size:,}: the window")
    raw["window"] = [window.spawn(library) for _ in repeat]
    raw["empty_window"] = [window.spawn(library, baseline=True) for _ in repeat]
    raw["sqlite_sorts"] = [baselines.sqlite_sorts(database) for _ in repeat]
    if not options.smoke:  # not one of the figures: the smoke run leaves it out
        raw["big_selection"] = window.big_selection(library)
    log(f"{size:,}: the command line")
    cli_mix = [q for q in mix if q.kind in ("word", "and")][: options.cli_queries]
    raw["cli"] = cli_times(library, cli_mix, options.repeat)
    raw["sqlite_dump_s"] = [baselines.sqlite_dump(database, work / "dump.txt") for _ in repeat]
    raw["sqlite_integrity_s"] = [baselines.sqlite_integrity(database) for _ in repeat]
    raw["maintenance"] = []
    for run in repeat:
        tasks = ["export-bibtex", "export-markdown", "check"] + (["reindex"] if run < slow else [])
        log(f"{size:,}: {', '.join(tasks)}, run {run + 1}")
        raw["maintenance"].append(_service("maintenance", str(library), str(work), *tasks))
    raw["papis"] = measure_papis(size, options, work, bib, mix, cli_mix)
    return {
        "measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine,
        "settings": {"seed": options.seed, "repeat": options.repeat, "slow_repeat": slow},
        "bib_mb": bib.stat().st_size / 1e6,
        "wall_s": time.perf_counter() - started,
        "raw": raw,
    }


def measure_papis(
    size: int, options: Options, work: Path, bib: Path, mix: list[Query], cli_mix: list[Query]
) -> dict[str, Any]:
    """Papis's figures, or why there are none (recorded in the results, never silent)."""
    if options.smoke:
        return {"skipped": "smoke mode measures readinglist only"}
    if not options.papis:
        return {"skipped": "--no-papis"}
    if size not in options.papis_sizes:
        sizes = " and ".join(f"{s:,}" for s in options.papis_sizes)
        return {"skipped": f"the issue compares with Papis at {sizes} papers"}
    log(f"{size:,}: Papis (installing it on first use)")
    try:
        version = papis_peer.install(options.papis_venv)
        home = work / "papis"
        home.mkdir()
        found = papis_peer.measure(
            options.papis_venv, home, bib, size, mix, cli_mix, options.repeat
        )
    except papis_peer.PapisUnavailable as error:
        log(f"{size:,}: Papis not measured: {error}")
        return {"skipped": str(error)}
    return {"version": version, **found}


def run(
    sizes: list[int], options: Options, out: Path, page: Path, merge: bool, command: str
) -> None:
    """Measure every size, then write the JSON and the Markdown (after each size, so that a
    long run that is stopped keeps what it had)."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / ("suite-smoke.json" if options.smoke else "suite.json")
    results: dict[str, Any] = {"machine": describe(), "command": command, "sizes": {}}
    if merge and target.exists():
        results["sizes"] = json.loads(target.read_text(encoding="utf-8"))["sizes"]
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"rl-suite-{size}-"))
        try:
            data = measure_size(size, options, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        data["command"] = command
        results["sizes"][str(size)] = data
        write(results, target, page, command)
        log(f"{size:,}: done in {data['wall_s'] / 60:.1f} min; wrote {target} and {page}")


def write(results: dict[str, Any], target: Path, page: Path, command: str) -> None:
    """The figures of every size (computed again from the raw samples), as JSON and Markdown."""
    for size, data in results["sizes"].items():
        data["figures"] = size_figures(data["raw"], int(size), data["settings"]["seed"])
        data["peers"] = peer_figures(data["raw"], int(size))
    target.write_text(json.dumps(results, indent=1), encoding="utf-8")
    page.write_text(markdown(results, command), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--slow-repeat",
        type=int,
        help="runs of the import and the re-index "
        "(default: --repeat, but 1 from 100,000 papers up)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="1,000 papers, one run, no Papis")
    parser.add_argument("--no-papis", action="store_true")
    parser.add_argument("--papis-venv", type=Path, default=RESULTS / "papis-venv")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON")
    parser.add_argument(
        "--markdown",
        type=Path,
        help="default: tests/benchmarks/RESULTS.md (with --smoke: OUT/RESULTS-smoke.md)",
    )
    parser.add_argument(
        "--merge", action="store_true", help="keep the other sizes of an earlier suite.json"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write the Markdown again from OUT/suite.json",
    )
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.repeat = [1000], 1
    options = Options(
        seed=args.seed,
        repeat=args.repeat,
        slow_repeat=args.slow_repeat,
        papis=not args.no_papis,
        papis_venv=args.papis_venv,
        cli_queries=2 if args.smoke else 6,
        smoke=args.smoke,
    )
    page = args.markdown or (args.out / "RESULTS-smoke.md" if args.smoke else HERE / "RESULTS.md")
    command = "python -m tests.benchmarks.suite " + shlex.join(sys.argv[1:])
    if args.report_only:
        target = args.out / "suite.json"
        results = json.loads(target.read_text(encoding="utf-8"))
        write(results, target, page, results.get("command", command))
        return
    run(args.sizes, options, args.out, page, args.merge, command)


if __name__ == "__main__":
    main()
