"""suite.json as Markdown (tests/benchmarks/RESULTS.md): the machine, then per size the
figures with their targets and baselines, search by kind, the peers, and what was missed."""

from __future__ import annotations

from typing import Any

from tests.benchmarks.queries import KINDS

HOW = """\
Each figure is the median (and the 95th percentile) of its repeated runs; a search figure pools
every query of every run. A *ratio* beside a baseline is our time divided by the baseline's,
both measured in the same run on the same data (3.0× = three times as long). Beside the peers
it is said as who is faster, by how much. Targets are issue 7's, stated for 100,000 papers
(search also at 10,000); ✅ met, ❌ missed."""

NOTES = """\
## How it is measured

- **Library**: `tests/benchmarks/generate.py`, deterministic for the seed; titles from ten shapes
  with coined method names, 4–9-sentence abstracts (some with LaTeX math or `\\%`), 1–7 authors
  with accents, particles and suffixes (30 % of entries spelled with LaTeX accents), a journal or
  proceedings, years skewed to recent ones, DOIs (≈ 64 %), arXiv ids (≈ 25 %), 0–4 keywords
  (tags), and for some a note (`annote`), a rating and a reading status, which readinglist's
  BibTeX importer reads. Reading lists cannot be said in BibTeX: twelve lists holding ≈ 3 % of
  the papers are added through the service after the import, timed on their own.
- **Import**: a fresh process imports the `.bib` into a new library (`Library.import_file`);
  *committed* is when its last batch is committed, *searchable* when it returns and the index
  queue is empty (checked: a match-all search finds every paper).
- **Search**: 224 queries in nine kinds (`tests/benchmarks/queries.py`), the same at every size.
  *First page* is `Library.search(q, limit=20)` (papers loaded, total counted), or for a
  sidebar filter `Library.browse` and the first 20 papers loaded; *every match* is
  `Library.browse` (all ids ranked, what the window's table gets). FTS5 runs each query
  translated (20 rowids by rank + a count; all rowids by rank) on the same texts with porter
  stemming; it has no fuzzy matching, so it gets the word spelled right (a lower bound).
  *Keystroke*: each prefix of six queries typed letter by letter, `Library.browse` until its
  ids, or its error for an unfinished query.
- **Window**: fresh offscreen processes (`tests/benchmarks/window.py`): process start until the
  table holds and paints its rows; each column sorted both ways until repainted; the longest
  gap of a 5 ms timer as the stall; peak RSS of the window's process (Whoosh's worker
  processes not included).
- **CLI**: wall time of fresh processes of the installed `readinglist` script.
- **Compiled modules**: every child keeps its compiled modules between runs
  (`PYTHONPYCACHEPREFIX` in `tests/benchmarks/results/`), as an installed application does;
  this machine sets `PYTHONDONTWRITEBYTECODE`, which would recompile our modules and Whoosh's
  on every start (~0.2 s). Figures measured before 2026-11-26 15:30 UTC paid that.
- **Papis**: installed from PyPI into its own virtual environment by the suite; imports the
  same `.bib` with `papis bibtex read FILE import --all --batch` (SQLite backend) and searches
  with its SQLite backend (FTS5 over its columns) and its default backend (a pickled cache
  matched in Python), both told to search abstracts too; per query through its API in one
  process, and `papis list --all QUERY` as a fresh process. Only queries each backend can
  express are compared (words, AND, phrases and prefixes for SQLite; words, AND and
  `title:`/`author:`/`abstract:` for the default one), against our figures for the same queries.
"""


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "papers/s":
        return f"{value:,.0f}/s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:.2f} s" if value < 100 else f"{value:,.0f} s"


def _ratio(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}×" if value < 100 else f"{value:,.0f}×"


def _runs(count: int) -> str:
    return "one run" if count == 1 else f"{count} runs"


def _mark(met: bool | None) -> str:
    return {True: " ✅", False: " ❌", None: ""}[met]


def figure_table(figures: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        "| figure | target | median | p95 | baseline (same run) | ours ÷ baseline |",
        "|---|---|---|---|---|---|",
    ]
    for name, f in figures.items():
        if name.startswith("search ") and not name.endswith(" all"):
            continue  # by kind: in their own table
        baseline = (
            f"{f['baseline']}: {_number(f['baseline_value'], f['unit'])}" if f["baseline"] else ""
        )
        rows.append(
            f"| {f['label']} (n={f['n']}) | {f['target']}{_mark(f['met'])} "
            f"| {_number(f['median'], f['unit'])} | {_number(f['p95'], f['unit'])} "
            f"| {baseline} | {_ratio(f['ratio'])} |"
        )
    return rows


def kind_table(figures: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        "| kind | first page p50 / p95 | target | FTS5 p50 | ours ÷ FTS5 | every match p50 / p95 "
        "| FTS5 p50 | ours ÷ FTS5 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in ("all", *KINDS):
        top, every = figures[f"search top {kind}"], figures[f"search all {kind}"]
        rows.append(
            f"| {kind} | {top['median']:.1f} / {top['p95']:.1f} ms | {top['target']}"
            f"{_mark(top['met'])} | {top['baseline_value']:.2f} ms | {_ratio(top['ratio'])} "
            f"| {every['median']:.1f} / {every['p95']:.1f} ms | {every['baseline_value']:.2f} ms "
            f"| {_ratio(every['ratio'])} |"
        )
    return rows


BACKEND_NAMES = {"sqlite": "SQLite backend", "papis": "default backend"}


def _faster(ratio: float | None, peer: str) -> str:
    """A peer's time ÷ ours, said as who is faster and by how much."""
    if not ratio:
        return ""
    return f"ours {_ratio(ratio)} faster" if ratio >= 1 else f"{peer} {_ratio(1 / ratio)} faster"


def peer_table(peers: dict[str, Any]) -> list[str]:
    ours, fts = peers["ours"], peers["fts5"]
    rows = [
        "| | import until searchable | per query (median of each query's median) | CLI search "
        "| import | per query | CLI |",
        "|---|---|---|---|---|---|---|",
        f"| readinglist | {ours['import_per_s']:,.0f}/s | {ours['query_ms']:.1f} ms "
        f"| {ours['cli_s']:.2f} s | | | |",
        f"| SQLite FTS5 (same texts, all {len(KINDS)} kinds) | {fts['import_per_s']:,.0f}/s "
        f"| {fts['query_ms']:.2f} ms | | {_faster(fts['import_ratio'], 'FTS5')} "
        f"| {_faster(fts['query_ratio'], 'FTS5')} | |",
    ]
    papis = peers["papis"]
    if "skipped" in papis:
        rows.append(f"| Papis | not measured: {papis['skipped']} | | | | | |")
        return rows
    for backend, b in papis["backends"].items():
        name = BACKEND_NAMES[backend]
        imported = f"{papis['import_per_s']:,.0f}/s" if backend == "sqlite" else "(same library)"
        import_ratio = _faster(papis["import_ratio"], "Papis") if backend == "sqlite" else ""
        rows.append(
            f"| Papis {papis['version']}, {name}: {b['queries']} queries (ours on the same: "
            f"{b['ours_same_queries_ms']:.1f} ms) | {imported} | {b['query_ms']:.1f} ms "
            f"(first open {b['first_open_ms']:,.0f} ms) | {b['cli_s']:.2f} s | {import_ratio} "
            f"| {_faster(b['query_ratio'], 'Papis')} | {_faster(b['cli_ratio'], 'Papis')} |"
        )
    return rows


def papis_target(size: str, peers: dict[str, Any]) -> list[str]:
    """Issue 7: at 1,000 papers, at least 100 times faster than Papis per query."""
    backends = peers["papis"].get("backends")
    if int(size) != 1000 or not backends:
        return []
    said = [
        f"{BACKEND_NAMES[name]}: {_faster(ratio, 'Papis')}{_mark(ratio >= 100)}"
        for name, ratio in ((name, b["query_ratio"]) for name, b in backends.items())
    ]
    return [f"- {int(size):,} papers: per query against Papis (target: ours ≥ 100× faster): "
            + "; ".join(said)]  # fmt: skip


def big_selection_table(big: dict[str, Any] | None) -> list[str]:
    if not big:
        return []
    rows = ["| on a copy, every paper selected | seconds | longest stall |", "|---|---|---|"]
    rows += [
        f"| {name} | {v['seconds']:.2f} s | {v['stall'] * 1000:.0f} ms |" for name, v in big.items()
    ]
    return rows


def _short_by(f: dict[str, Any]) -> str:
    """How far a missed target is: the factor between the figure and its bound."""
    value = f[f["judged"]]
    if not f["limit"] or not value:
        return ""
    factor = f["limit"] / value if f["unit"] == "papers/s" else value / f["limit"]
    return f" — {factor:.1f}× off"


def missed(sizes: dict[str, Any]) -> list[str]:
    lines = []
    for size, data in sorted(sizes.items(), key=lambda item: int(item[0])):
        for f in data["figures"].values():
            if f["met"] is False:
                lines.append(
                    f"- {int(size):,} papers: {f['label']}: median "
                    f"{_number(f['median'], f['unit'])}, p95 "
                    f"{_number(f['p95'], f['unit'])}; target {f['target']}"
                    f"{_short_by(f)}"
                )
        lines += [line for line in papis_target(size, data["peers"]) if "❌" in line]
    return lines or ["- none"]


def markdown(results: dict[str, Any], command: str) -> str:
    m = results["machine"]
    out = [
        "# Benchmark results (issue 7)",
        "",
        "Written by `python -m tests.benchmarks.suite` (the command of each size is given with "
        f"it). Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; "
        f"{m['os']}; Python {m['python']}, SQLite {m['sqlite']}, Whoosh {m['whoosh']}, "
        f"SQLAlchemy {m['sqlalchemy']}, PySide6 {m['pyside6']}; readinglist {m['readinglist']} "
        f"at {m['commit']}. A shared machine: other work may run beside the suite (the load "
        "average at the start of each size is given with it).",
        "",
        HOW,
    ]
    for size, data in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        s = data["settings"]
        papis_lines = papis_target(size, data["peers"])
        papis_lines += [""] if papis_lines else []
        out += [
            "",
            f"## {int(size):,} papers",
            "",
            f"Measured {data['measured_at']} ({data['wall_s'] / 60:.0f} min in all; load average "
            f"{data['machine']['load_at_start']} at the start); "
            f"{_runs(s['repeat'])} of each figure, {_runs(s['slow_repeat'])} of the import and "
            f"the re-index; seed {s['seed']}; the .bib is {data['bib_mb']:.1f} MB; "
            f"`{data.get('command', command)}`.",
            "",
            *figure_table(data["figures"]),
            "",
            "### Search by kind",
            "",
            *kind_table(data["figures"]),
            "",
            "### Beside SQLite FTS5 and Papis",
            "",
            *peer_table(data["peers"]),
            "",
            *papis_lines,
            *big_selection_table(data["raw"].get("big_selection")),
        ]
    out += ["", "## Targets missed", "", *missed(results["sizes"]), "", NOTES]
    return "\n".join(out).rstrip() + "\n"
