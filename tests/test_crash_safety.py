"""A readinglist killed at any moment (SIGKILL: no cleanup, no atexit) loses nothing that was
committed, leaves no half-written paper, and its search index catches up on the next start.

The kill points are random but seeded, and land inside the work, not between steps: the child
reports each committed step on stdout and the parent kills it a random few milliseconds after
a randomly chosen report, while the next step is being written.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from readinglist import open_library
from readinglist.importers.registry import parse_file
from tests.factories import draft

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="kills processes and reads /proc: Linux only"
)

ENTRIES = 5000
SEED = int(os.environ.get("READINGLIST_CRASH_SEED", "20261126"))
# The child: one kind of work, reporting each committed step as a line on stdout.
CHILD = textwrap.dedent(
    """
    import itertools, sys
    from readinglist import open_library

    def say(*words):
        print(*words, flush=True)

    work, folder = sys.argv[1], sys.argv[2]
    with open_library(folder) as library:
        say("open")
        if work == "import":
            library.import_file(
                sys.argv[3],
                progress=lambda done, total: say("db", done),
                index_progress=lambda done, total: say("index", done),
            )
        elif work == "edit":
            for step in itertools.count():
                paper = 1 + step % 50
                library.add_note(paper, f"crash note {step}")
                library.rate(paper, step % 6)
                say("note", step)
        elif work == "rename":
            for step in itertools.count():
                old, new = ("topic-a", "topic-b") if step % 2 == 0 else ("topic-b", "topic-a")
                library.rename_tag(old, new)
                say("renamed", new)
        elif work == "reindex":
            while True:
                library.reindex(lambda done, total: say("index", done))
                say("rebuilt")
        say("done")
    """
)

WORDS = [
    "adaptive",
    "sparse",
    "neural",
    "graph",
    "kernel",
    "bayesian",
    "robust",
    "quantum",
    "causal",
    "latent",
    "federated",
    "contrastive",
    "diffusion",
    "spectral",
    "stochastic",
]
NAMES = ("Gödel", "van der Berg", "Núñez", "O'Brien", "Zhang", "Müller-Lüdenscheidt", "Smith")


def write_bibtex(path: Path, count: int) -> None:
    """``count`` distinct entries: 1–4 authors, 0–3 keywords, an abstract and a DOI each."""
    rng = random.Random(count)
    entries = []
    for number in range(count):
        authors = " and ".join(
            f"{rng.choice(NAMES)}, {chr(65 + rng.randrange(26))}." for _ in range(1 + number % 4)
        )
        title = " ".join(rng.choice(WORDS) for _ in range(5))
        keywords = ", ".join(rng.sample(WORDS, number % 4))
        abstract = " ".join(rng.choice(WORDS) for _ in range(60))
        entries.append(
            f"@article{{crash{number},\n  title = {{{title.capitalize()} number {number}}},\n"
            f"  author = {{{authors}}},\n  year = {1990 + number % 35},\n"
            f"  doi = {{10.5555/crash.{number}}},\n  keywords = {{{keywords}}},\n"
            f"  abstract = {{{abstract}}}\n}}\n"
        )
    path.write_text("".join(entries), encoding="utf-8")


class Child:
    def __init__(self, work: str, folder: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, work, str(folder), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def read_until(self, wanted: int) -> bool:
        """Read reports until the ``wanted``-th; False when the child finished first."""
        while len(self.lines) < wanted:
            line = self.process.stdout.readline()
            if not line:
                return False
            self.lines.append(line.strip())
            if line.strip() == "done":
                return False
        return True

    def kill(self, rng: random.Random, within: float = 0.05) -> None:
        """SIGKILL after a random pause of up to ``within`` seconds: inside the next step.
        Any helper process it started (Whoosh's indexing workers) must die with it."""
        time.sleep(rng.uniform(0, within))
        helpers = children_of(self.process.pid)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.process.stderr.close()
        deadline = time.monotonic() + 10
        while (alive := [pid for pid in helpers if running(pid)]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive == [], "helper processes outlived the killed program"

    def finish(self) -> None:
        out, err = self.process.communicate(timeout=600)
        assert self.process.returncode == 0, err
        self.lines += out.split()


def interrupt(work: str, folder: Path, rng: random.Random, reports: range) -> Child:
    """Start ``work`` and kill it just after a random one of its ``reports``."""
    child = Child(work, folder)
    child.read_until(rng.choice(reports))
    child.kill(rng)
    return child


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def database_problems(folder: Path) -> list:
    with closing(sqlite3.connect(folder / "library.sqlite3")) as db:
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        return integrity + db.execute("PRAGMA foreign_key_check").fetchall()


def assert_whole(folder: Path, expected: dict[str, tuple[int, int]]) -> int:
    """Every imported paper has all its authors and keywords, the index agrees with the
    database after opening, and no paper is there twice; returns how many papers there are."""
    assert database_problems(folder) == []
    with open_library(folder) as library:  # opening catches the index up
        report = library.check()
        assert report.healthy, report.to_json()
        papers = [p for p in library.papers() if p.key.startswith("crash")]
        for paper in papers:
            authors, tags = expected[paper.doi]
            keywords = [t for t in paper.tags if not t.startswith("topic-")]  # see rename test
            assert (len(paper.authors), len(keywords)) == (authors, tags), paper.key
        doubles = [d for d, n in Counter(p.doi for p in papers).items() if n > 1]
        assert doubles == []
        if papers:
            probe = random.Random(len(papers)).choice(papers)
            assert probe.id in library.search_ids(f'doi:"{probe.doi}"')
        return len(papers)


@pytest.fixture(scope="module")
def crash_file(tmp_path_factory) -> tuple[Path, dict[str, tuple[int, int]]]:
    path = tmp_path_factory.mktemp("crash") / "five-thousand.bib"
    write_bibtex(path, ENTRIES)
    parsed = parse_file(path)
    assert len(parsed.entries) == ENTRIES and not parsed.errors
    expected = {f"10.5555/crash.{n}": (1 + n % 4, n % 4) for n in range(ENTRIES)}
    return path, expected


@pytest.fixture(scope="module")
def crashed_library(tmp_path_factory, crash_file):
    """A library a 5,000-entry import was killed into four times, then finished."""
    path, expected = crash_file
    folder = tmp_path_factory.mktemp("crash") / "library"
    with open_library(folder) as library:
        for title in ("Written before the crash", "Also before", "And this one"):
            paper = library.add_paper(draft(title, authors=["Gödel"], year=1931)).created
            library.add_note(paper, f"my notes on **{title}** — ünïcödé ✓")
    rng = random.Random(SEED)
    kills = []
    # Reports: 1 "open", 2–11 one per 500 papers written (a second or two each), 12 "index 0",
    # then the indexing of the batch (many seconds). Each run starts over, passing the papers
    # already in as duplicates: rising targets interrupt new work every time.
    for target in sorted(rng.sample(range(2, 13), 4)):
        child = Child("import", folder, str(path))
        if not child.read_until(target):
            child.finish()
            continue
        child.kill(rng, within=0.8)
        papers = assert_whole(folder, expected)
        kills.append(f"after '{child.lines[-1]}': {papers} papers whole")
    finish = Child("import", folder, str(path))
    finish.finish()
    return folder, expected, kills


def test_an_import_killed_at_random_points_keeps_whole_papers_and_finishes_on_rerun(
    crashed_library,
):
    folder, expected, kills = crashed_library
    assert kills, "the import was never interrupted"
    assert assert_whole(folder, expected) == ENTRIES
    with open_library(folder) as library:
        notes = [n.body for p in library.papers() if not p.key.startswith("crash") for n in p.notes]
    assert len(notes) == 3 and all(body.endswith("ünïcödé ✓") for body in notes)
    print(json.dumps({"kill points": kills}))


def test_notes_committed_before_a_kill_are_all_there(crashed_library):
    folder, expected, _ = crashed_library
    rng = random.Random(SEED + 1)
    for _attempt in range(3):
        child = interrupt("edit", folder, rng, reports=range(2, 41))
        committed = [int(line.split()[1]) for line in child.lines if line.startswith("note ")]
        assert database_problems(folder) == []
        with open_library(folder) as library:
            bodies = {n.body for p in library.papers() for n in p.notes}
            assert {f"crash note {step}" for step in committed} <= bodies
            assert library.check().healthy
    assert_whole(folder, expected)


def test_a_tag_rename_killed_midway_is_all_or_nothing(crashed_library):
    folder, _, _ = crashed_library
    with open_library(folder) as library:
        tagged = library.paper_ids()[:2000]
        library.tag(tagged, add=["topic-a"])
    rng = random.Random(SEED + 2)
    for _attempt in range(3):
        interrupt("rename", folder, rng, reports=range(1, 5))
        assert database_problems(folder) == []
        with open_library(folder) as library:
            names = {tag.name: tag.count for tag in library.tags() if tag.name.startswith("topic")}
            assert list(names.values()) == [2000], names  # one name, on every paper
            (name,) = names
            assert library.search(f"tag:{name}").total == 2000
            assert library.check().healthy


def test_a_reindex_killed_midway_is_caught_up_on_the_next_start(crashed_library):
    folder, expected, _ = crashed_library
    rng = random.Random(SEED + 3)
    for _attempt in range(3):
        interrupt("reindex", folder, rng, reports=range(2, 15))
        assert_whole(folder, expected)
