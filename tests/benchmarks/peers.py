"""Our figures beside the peers' on the same papers and queries of the same run: SQLite FTS5
(a lower bound for an embedded engine) and Papis (the issue's peer). Each ratio here is the
peer's time divided by ours: 40 means we take a fortieth of the peer's time, 0.5 twice as long.
"""

from __future__ import annotations

import statistics
from typing import Any


def _per_query(runs: list[list[float]]) -> list[float]:
    """Each query's median over the runs (the runs hold the queries in the same order)."""
    return [statistics.median(times) for times in zip(*runs, strict=True)]


def _ratio(peer: float, ours: float) -> float | None:
    return peer / ours if ours else None


def peer_figures(raw: dict[str, Any], size: int) -> dict[str, Any]:
    """Import speed, per-query time (median of each query's median) and CLI time, for us,
    FTS5 and each Papis backend, with the ratios."""
    ours_top = _per_query([r["top_ms"] for r in raw["queries"]])
    fts_top = _per_query([r["top"] for r in raw["fts5_queries"]])
    searchable = statistics.median(r["searchable_s"] for r in raw["import"])
    fts_build = statistics.median(raw["fts5_build_s"])
    ours_query = statistics.median(ours_top)
    ours_cli = statistics.median(raw["cli"]["search_s"])
    result: dict[str, Any] = {
        "ours": {"import_per_s": size / searchable, "query_ms": ours_query, "cli_s": ours_cli},
        "fts5": {
            "import_per_s": size / fts_build,
            "query_ms": statistics.median(fts_top),
            "import_ratio": _ratio(fts_build, searchable),
            "query_ratio": _ratio(statistics.median(fts_top), ours_query),
        },
    }
    papis = raw.get("papis") or {"skipped": "not measured"}
    if "skipped" in papis:
        result["papis"] = {"skipped": papis["skipped"]}
        return result
    result["papis"] = {
        "version": papis.get("version", ""),
        "import_per_s": size / papis["import_s"],
        "import_ratio": _ratio(papis["import_s"], searchable),
        "backends": {},
    }
    cli_ours = raw["cli"]["search_s"]
    for backend, data in papis["backends"].items():
        count = len(data["indices"])
        theirs = _per_query([data["ms"][i : i + count] for i in range(0, len(data["ms"]), count)])
        mine = statistics.median(ours_top[i] for i in data["indices"])
        cli_mine = statistics.median(cli_ours)
        result["papis"]["backends"][backend] = {
            "queries": count,
            "query_ms": statistics.median(theirs),
            "ours_same_queries_ms": mine,
            "query_ratio": _ratio(statistics.median(theirs), mine),
            "first_open_ms": data["first_open_ms"],
            "open_ms": statistics.median(data["open_ms"]),
            "cli_s": statistics.median(data["cli_s"]),
            "cli_ratio": _ratio(statistics.median(data["cli_s"]), cli_mine),
        }
    return result
