"""The benchmark suite (issue 7) must not rot: its smoke mode runs here, in a fresh process as
a user runs it, on 1,000 generated papers (one run of every figure, Papis left out), and every
figure of the issue must come out with a value. The numbers themselves are not judged here: a
test machine busy with other tests says nothing about speed."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.children import REPO, environment
from tests.benchmarks.generate import bibtex_entry, papers
from tests.benchmarks.queries import KINDS, query_mix

FIGURES = (
    "import committed", "import searchable", "lists", "import rss", "keystroke", "first query",
    "window", "window in process", "jump", "window search", "stall", "window rss",
    "export-bibtex", "export-markdown", "check", "reindex", "cli version", "cli search",
)  # fmt: skip
COLUMNS = ("title", "authors", "year", "venue", "rating", "status", "tags", "added")


def test_smoke_run_writes_every_figure(tmp_path):
    out = tmp_path / "results"
    command = [sys.executable, "-m", "tests.benchmarks.suite", "--smoke", "--out", str(out)]
    done = subprocess.run(
        command, cwd=REPO, env=environment(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads((out / "suite-smoke.json").read_text(encoding="utf-8"))
    size = results["sizes"]["1000"]
    figures = size["figures"]
    wanted = [*FIGURES, *(f"search {api} {kind}" for api in ("top", "all")
                          for kind in ("all", *KINDS))]  # fmt: skip
    wanted += [f"sort {column} {order}" for column in COLUMNS for order in ("asc", "desc")]
    missing = [name for name in wanted if name not in figures]
    assert not missing, missing
    for name in wanted:
        assert math.isfinite(figures[name]["median"]) and figures[name]["n"] >= 1, name
    assert figures["window"]["baseline_value"] > 0  # an empty Qt window, same run
    assert figures["search top all"]["n"] == len(query_mix())
    assert size["peers"]["fts5"]["query_ms"] > 0
    assert size["peers"]["papis"] == {"skipped": "smoke mode measures readinglist only"}
    for key in ("cpu", "cores", "memory", "python", "sqlite", "whoosh", "pyside6", "date"):
        assert results["machine"][key], key
    page = (out / "RESULTS-smoke.md").read_text(encoding="utf-8")
    assert "## 1,000 papers" in page and "Search by kind" in page


def test_the_generated_library_is_the_same_for_a_seed_and_differs_across_seeds():
    first = [bibtex_entry(p, _rng()) for p in papers(300, seed=3)]
    again = [bibtex_entry(p, _rng()) for p in papers(300, seed=3)]
    other = [bibtex_entry(p, _rng()) for p in papers(300, seed=4)]
    assert first == again
    assert first != other


def test_the_generated_library_is_varied_and_realistic():
    items = list(papers(2000, seed=7))
    assert len({p.key for p in items}) == len({p.title.casefold() for p in items}) == 2000
    assert {len(p.authors) for p in items} == set(range(1, 8))
    sentences = [p.abstract.count(". ") + 1 for p in items]
    assert min(sentences) == 4 and max(sentences) == 9
    names = " ".join(a.family + " " + a.given + " " + a.particle for p in items for a in p.authors)
    for sample in ("van der", "de la", "Ø", "ñ", "ü"):
        assert sample in names, sample
    assert any(p.latex for p in items) and any(p.note for p in items)
    assert any(p.doi for p in items) and any(p.arxiv for p in items)
    assert sum(bool(p.keywords) for p in items) > len(items) / 2  # keywords become tags
    assert len({p.year for p in items}) > 20


def _rng() -> random.Random:
    return random.Random(1)


def test_the_suite_needs_nothing_from_the_shared_folder(monkeypatch):
    """The generator builds its own vocabulary: no sample page, no READINGLIST_SHARED."""
    monkeypatch.delenv("READINGLIST_SHARED", raising=False)
    assert list(papers(5, seed=1))
    source = Path(REPO, "tests", "benchmarks")
    for module in ("generate.py", "vocabulary.py", "sentences.py", "suite.py"):
        assert "READINGLIST_SHARED" not in (source / module).read_text(encoding="utf-8")


def test_a_childs_peak_memory_is_its_own_not_its_parents():
    """Linux carries ru_maxrss across exec: a child of the suite (which holds every generated
    paper) reported the suite's peak as its own (1,120 MB for a ~300 MB window at 100,000)."""
    if not Path("/proc/self/status").exists():
        return  # the high-water mark is read from /proc; elsewhere ru_maxrss is all there is
    ballast = bytearray(300 * 1024 * 1024)
    for at in range(0, len(ballast), 4096):  # touch every page: resident, not just reserved
        ballast[at] = 1
    code = "from tests.benchmarks.stats import peak_rss_mb; print(peak_rss_mb()['self'])"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 200  # a bare Python, far below the 300 MB its parent holds
    del ballast
