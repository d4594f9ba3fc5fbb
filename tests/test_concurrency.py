"""Several readinglist processes on one library at once: nothing crashes, nothing is lost, and
the search index ends up agreeing with the database."""

import json
import subprocess
import sys
import textwrap
import time

import pytest

import readinglist.storage.sqlite
from readinglist import open_library
from readinglist.domain.values import LibraryBusy
from tests.factories import draft

WRITER = textwrap.dedent(
    """
    import sys
    from readinglist import open_library

    worker, count = int(sys.argv[2]), int(sys.argv[3])
    with open_library(sys.argv[1]) as library:
        for step in range(count):
            paper = 1 + (worker * count + step) % 20
            library.rate(paper, 1 + (worker + step) % 5)
            library.tag(paper, add=[f"w{worker}"])
            library.add_note(paper, f"note from worker {worker}, step {step}")
    """
)
IMPORTER = textwrap.dedent(
    """
    import json, sys
    from readinglist import open_library

    with open_library(sys.argv[1]) as library:
        report = library.import_file(sys.argv[2])
    print(json.dumps(report.to_json()))
    """
)
REINDEXER = textwrap.dedent(
    """
    import sys
    from readinglist import open_library

    with open_library(sys.argv[1]) as library:
        for _ in range(3):
            library.reindex()
    """
)


def start(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def twenty_papers(library) -> None:
    for number in range(20):
        library.add_paper(draft(f"Shared paper {number}", abstract="Words to find."))


def test_parallel_writers_lose_nothing_and_leave_the_index_in_step(library):
    twenty_papers(library)
    folder = library.folder
    library.close()
    workers = [start(WRITER, folder, worker, 8) for worker in range(4)]
    for process in workers:
        finish(process)
    with open_library(folder) as reopened:
        assert reopened.stats()["notes"] == 32
        assert reopened.check().healthy
        for rating in range(1, 6):
            in_db = {p.id for p in reopened.papers() if p.rating == rating}
            found = {p.id for p in reopened.search(f"rating:{rating}", limit=None).papers}
            assert found == in_db
        assert reopened.search("tag:w3", limit=None).total == 8


def test_the_same_file_imported_twice_at_once_gives_each_paper_once(library, tmp_path):
    abstract = "An abstract long enough to be one, with several words in it. " * 6
    source = tmp_path / "listing.txt"
    source.write_text(
        "\n".join(f"Concurrent paper {i} on a topic\n{abstract}" for i in range(1200)),
        encoding="utf-8",
    )
    folder = library.folder
    library.close()
    importers = [start(IMPORTER, folder, source) for _ in range(2)]
    reports = [json.loads(finish(p)) for p in importers]
    assert sum(r["added"] for r in reports) == 1200
    assert all(r["added"] + r["duplicates"] == 1200 and not r["errors"] for r in reports)
    with open_library(folder) as reopened:
        keys = [p.key for p in reopened.papers()]
        assert len(keys) == len(set(keys)) == 1200
        assert reopened.check().healthy


def test_rebuilding_the_index_while_others_write(library):
    twenty_papers(library)
    folder = library.folder
    library.close()
    processes = [
        start(REINDEXER, folder),
        start(WRITER, folder, 0, 10),
        start(WRITER, folder, 1, 10),
    ]
    for process in processes:
        finish(process)
    with open_library(folder) as reopened:
        assert reopened.check().healthy
        assert reopened.search("tag:w0 OR tag:w1", limit=None).total == 20


HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time

    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN IMMEDIATE")  # the write lock, as a long import batch holds it
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    db.execute("COMMIT")
    """
)


def hold_write_lock(library, seconds: float) -> subprocess.Popen:
    holder = start(HOLDER, library.folder / "library.sqlite3", seconds)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_write_waits_out_another_programs_long_write_instead_of_failing(tmp_path, monkeypatch):
    # SQLite's own wait made short, so that the service's retries are what is tested
    monkeypatch.setattr(readinglist.storage.sqlite, "BUSY_TIMEOUT_MS", 100)
    with open_library(tmp_path / "lib") as library:
        library.add_paper(draft("Waiting for the lock"))
        holder = hold_write_lock(library, 2.0)
        started = time.monotonic()
        library.add_note(1, "saved once the other program was done")
        waited = time.monotonic() - started
        finish(holder)
        assert waited > 1.0  # it did wait, through many busy timeouts
        assert [n.body for n in library.get(1).notes] == ["saved once the other program was done"]


def test_a_write_that_cannot_get_its_turn_says_so_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(readinglist.storage.sqlite, "BUSY_TIMEOUT_MS", 100)
    with open_library(tmp_path / "lib") as library:
        library.add_paper(draft("Waiting for the lock"))
        library.database.patience = 0.5
        holder = hold_write_lock(library, 3.0)
        with pytest.raises(LibraryBusy, match="another program is writing"):
            library.rate(1, 4)
        finish(holder)
        assert library.get(1).rating == 0
        library.rate(1, 4)  # and once the other program is done, it works
        assert library.get(1).rating == 4
