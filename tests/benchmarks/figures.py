"""From one size's raw measurements to its figures: the median and p95 of each, the issue's
target beside it (and whether it is met), and the ratio to a baseline measured in the same
run. A ratio is always our time divided by the baseline's: 3.0 means three times as long.

Targets are the issue's, stated for 100,000 papers; search has its own at 10,000. A figure is
judged at every size that has a target, since a target missed on a smaller library is surely
missed on a larger one.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any

from tests.benchmarks.queries import KINDS, SLOW_KINDS, query_mix
from tests.benchmarks.stats import percentile


@dataclass
class Figure:
    label: str
    unit: str  # papers/s, ms, s or MB
    median: float
    p95: float  # for a rate, the rate of the slowest 5 % of runs
    n: int
    target: str = ""
    met: bool | None = None
    baseline: str = ""
    baseline_value: float | None = None
    ratio: float | None = None  # our time ÷ the baseline's
    limit: float | None = None  # the target as a number, in ``unit``
    judged: str = "median"  # the statistic the target bounds


def _p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def duration(
    label: str,
    values: list[float],
    unit: str,
    limit: float | None = None,
    target: str = "",
    baseline: str = "",
    base: list[float] | None = None,
    judge: str = "median",
) -> Figure:
    """A time (or a size) where less is better; ``judge`` says which statistic the target
    bounds (the issue bounds search by its p95)."""
    figure = Figure(label, unit, statistics.median(values), _p95(values), len(values), target)
    if limit is not None:
        figure.limit, figure.judged = limit, judge
        figure.met = (figure.p95 if judge == "p95" else figure.median) <= limit
    if base:
        figure.baseline = baseline
        figure.baseline_value = statistics.median(base)
        figure.ratio = figure.median / figure.baseline_value if figure.baseline_value else None
    return figure


def rate(
    label: str,
    size: int,
    seconds: list[float],
    minimum: float | None,
    target: str,
    baseline: str = "",
    base: list[float] | None = None,
) -> Figure:
    """Papers per second from the seconds each run took."""
    median_s = statistics.median(seconds)
    figure = Figure(label, "papers/s", size / median_s, size / _p95(seconds), len(seconds), target)
    if minimum is not None:
        figure.limit = minimum
        figure.met = figure.median >= minimum
    if base:
        figure.baseline = baseline
        figure.baseline_value = size / statistics.median(base)
        figure.ratio = median_s / statistics.median(base)
    return figure


def _search_limit(size: int, kind: str) -> tuple[float | None, str]:
    if size >= 100_000:
        limit = 250.0 if kind in SLOW_KINDS else 100.0
        return limit, f"p95 ≤ {limit:.0f} ms"
    if size >= 10_000:
        return 30.0, "p95 ≤ 30 ms"
    return None, ""


def search_figures(raw: dict[str, Any], size: int, seed: int) -> dict[str, Figure]:
    """The mix, overall and by kind, first page and every match, beside FTS5; typing."""
    kinds = [q.kind for q in query_mix(seed)]
    runs, fts = raw["queries"], raw["fts5_queries"]
    found: dict[str, Figure] = {}
    for api, label in (("top", "first page of 20 + count"), ("all", "every match, ranked")):
        ours_key = "top_ms" if api == "top" else "all_ms"
        for kind in (None, *KINDS):

            def pick(samples: list[list[float]], kind=kind) -> list[float]:
                chosen = zip(kinds * len(samples), (t for s in samples for t in s), strict=True)
                return [t for k, t in chosen if kind in (None, k)]

            limit, target = _search_limit(size, kind or "word")
            if kind is None and size >= 100_000:  # the kinds have different limits there
                limit, target = None, "by kind, below"
            if api == "all":  # the limits are for a page of results
                limit, target = None, ""
            found[f"search {api} {kind or 'all'}"] = duration(
                f"search, {label}: {kind or f'all {len(kinds)} queries'}",
                pick([r[ours_key] for r in runs]),
                "ms",
                limit=limit,
                target=target,
                baseline="FTS5, same query",
                base=pick([r[api] for r in fts]),
                judge="p95",
            )
    keys = [t for r in runs for t in r["keystroke_ms"]]
    found["keystroke"] = duration(
        "keystroke to results (each prefix of 6 typed queries)", keys, "ms"
    )
    found["first query"] = duration(
        "first query after opening the library", [r["first_query_ms"] for r in runs], "ms"
    )
    return found


def _at(size: int, text: str) -> str:
    return text if size >= 100_000 else f"{text} (at 100k)"


def _longest_stall(run: dict[str, Any]) -> float:
    stalls = [run["open_stall"], run["jump_to_end_stall"], run["search_common_word_stall"]]
    return max(stalls + [s["stall"] for s in run["sorts"].values()])


DUMP = "SQLite reads every row, writes it as text"
FTS5_BUILD = "SQLite FTS5 indexing the texts"
IMPORTS = (  # figure, label, seconds' key, target, baseline's label, its key in the raw data
    ("import committed", "import .bib → committed (in the table)", "committed_s", 5000,
     "bibtexparser's bare split", "bibtex_split_s"),
    ("import searchable", "import .bib → all searchable", "searchable_s", 1500, FTS5_BUILD,
     "fts5_build_s"),
)  # fmt: skip
WHOLE_LIBRARY = (  # task, label, baseline's key in the raw data, its label
    ("export-bibtex", "export whole library → BibTeX", "sqlite_dump_s", DUMP),
    ("export-markdown", "export whole library → Markdown", "sqlite_dump_s", DUMP),
    ("check", "check (integrity, orphans, keys, index drift)", "sqlite_integrity_s",
     "PRAGMA integrity_check alone"),
    ("reindex", "full re-index", "fts5_build_s", FTS5_BUILD),
)  # fmt: skip


def size_figures(raw: dict[str, Any], size: int, seed: int) -> dict[str, dict[str, Any]]:
    """Every figure of one size, in the order of the table."""
    imports, win, work, cli = raw["import"], raw["window"], raw["maintenance"], raw["cli"]
    f: dict[str, Figure] = {}
    for name, label, key, minimum, base_label, base_key in IMPORTS:
        f[name] = rate(
            label,
            size,
            [r[key] for r in imports],
            minimum=minimum,
            target=_at(size, f"≥ {minimum:,} papers/s"),
            baseline=base_label,
            base=raw[base_key],
        )
    lists = [r["lists_s"] for r in imports if "lists_s" in r]
    f["lists"] = duration("set-up: 12 reading lists added through the service", lists, "s")
    rss = [r["rss_mb"]["self"] for r in imports]
    f["import rss"] = duration("import, peak RSS of the process", rss, "MB")
    f.update(search_figures(raw, size, seed))
    f["window"] = duration(
        "window: process start → interactive table",
        [r["process_to_interactive"] for r in win],
        "s",
        limit=1.5,
        target=_at(size, "≤ 1.5 s"),
        baseline="an empty Qt window",
        base=[r["process_to_interactive"] for r in raw["empty_window"]],
    )
    opened = [r["in_process_open"] for r in win]
    f["window in process"] = duration("window: library open → table shown, in process", opened, "s")
    for name in win[0]["sorts"]:
        column = name.split()[0]
        floor = [sorts[column] * 1000 for sorts in raw["sqlite_sorts"] if column in sorts]
        f[f"sort {name}"] = duration(
            f"sort by {name}",
            [r["sorts"][name]["seconds"] * 1000 for r in win],
            "ms",
            limit=300,
            target=_at(size, "≤ 300 ms"),
            baseline="SQLite alone, same order" if floor else "",
            base=floor or None,
        )
    jump = [r["jump_to_end"] * 1000 for r in win]
    f["jump"] = duration("jump to the end of the table", jump, "ms")
    typed = [r["search_common_word"] * 1000 for r in win]
    f["window search"] = duration("search 'learning' in the window, typed → table", typed, "ms")
    stalls = [_longest_stall(r) * 1000 for r in win]
    f["stall"] = duration("longest stall of the window's thread (all of the above)", stalls, "ms")
    memory = [r["peak_rss_mb"] for r in win]
    f["window rss"] = duration(
        "window: peak RSS", memory, "MB", limit=500, target=_at(size, "≤ 500 MB")
    )
    for task, label, base_key, base_label in WHOLE_LIBRARY:
        values = [r[task] for r in work if task in r]
        f[task] = duration(label, values, "s", baseline=base_label, base=raw[base_key])
    python = cli["python_s"]
    f["cli version"] = duration(
        "`readinglist --version`, fresh process",
        cli["version_s"],
        "s",
        limit=0.3,
        target="≤ 0.3 s",
        baseline="`python -c pass`",
        base=python,
    )
    f["cli search"] = duration(
        "`readinglist search`, fresh process",
        cli["search_s"],
        "s",
        limit=0.8,
        target=_at(size, "≤ 0.8 s"),
        baseline="`python -c pass`",
        base=python,
    )
    return {name: asdict(figure) for name, figure in f.items()}
