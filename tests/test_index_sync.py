"""SQLite is the truth and the index is derived: it catches up after a crash, is rebuilt when
lost or damaged, and drift is detected and repaired."""

import gc
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing

import pytest

from readinglist import open_library
from readinglist.search.whoosh_index import WhooshIndex

CRASH_AFTER_COMMIT = textwrap.dedent(
    """
    import os, sys
    from readinglist import open_library

    library = open_library(sys.argv[1])
    # The process dies right after the database commit, before the index hears of it.
    library.syncer.try_drain = lambda *progress: os._exit(9)
    library.{operation}
    """
)


def run_and_crash(folder, operation: str) -> None:
    script = CRASH_AFTER_COMMIT.format(operation=operation)
    done = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True)
    assert done.returncode == 9, done.stderr.decode()


def indexed_versions(folder) -> dict[int, int]:
    index = WhooshIndex(folder / "index")
    try:
        return index.versions()
    finally:
        index.close()


def test_change_committed_just_before_a_crash_reaches_the_index_on_next_open(library, three_papers):
    folder = library.folder
    paper_id = three_papers[0]
    library.close()
    run_and_crash(folder, f'add_note({paper_id}, "written just before the crash")')
    run_and_crash(folder, f'tag({paper_id}, add=["crashproof"])')
    with closing(sqlite3.connect(folder / "library.sqlite3")) as db:
        version = db.execute("SELECT version FROM paper WHERE id = ?", (paper_id,)).fetchone()[0]
        queued = db.execute("SELECT count(*) FROM index_queue").fetchone()[0]
    assert queued == 1  # the second run caught up with the first crash when it opened
    assert indexed_versions(folder)[paper_id] < version  # the index really is behind
    with open_library(folder) as reopened:
        assert [p.id for p in reopened.search("note:crash").papers] == [paper_id]
        assert reopened.search("tag:crashproof").total == 1
        assert reopened.check().healthy
        assert reopened.get(paper_id).notes[0].body == "written just before the crash"


def test_import_interrupted_before_indexing_is_searchable_after_reopening(library, sample_page):
    folder = library.folder
    library.close()
    run_and_crash(folder, f"import_file({str(sample_page)!r})")
    assert indexed_versions(folder) == {}
    with open_library(folder) as reopened:
        assert reopened.count() == 119
        assert reopened.search("", limit=None).total == 119
        assert reopened.check().healthy


def test_a_deleted_index_is_rebuilt_from_the_database(library, three_papers):
    folder = library.folder
    library.tag(three_papers[1], add=["nlp"])
    library.close()
    shutil.rmtree(folder / "index")
    with open_library(folder) as reopened:
        assert reopened.search("tag:nlp").total == 1
        assert reopened.search("").total == 3


# Whoosh leaves the damaged table-of-contents file open when it fails to read it.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_damaged_index_is_set_aside_and_rebuilt(library, three_papers):
    folder = library.folder
    library.close()
    for toc in (folder / "index").glob("*.toc"):
        toc.write_bytes(b"this is not an index")
    with open_library(folder) as reopened:
        assert reopened.search("attention").total == 1
    kept = list(folder.glob("index.damaged-*"))
    assert len(kept) == 1 and any(kept[0].iterdir())
    gc.collect()  # finalise Whoosh's leaked file while the filter above applies


def test_check_finds_drift_and_repair_fixes_it(library, three_papers):
    godel, attention, maml = three_papers
    # Another program changes the database behind the service's back.
    with closing(sqlite3.connect(library.folder / "library.sqlite3")) as db, db:
        db.execute("UPDATE paper SET title = 'Renamed', version = version + 1 WHERE id = ?",
                   (godel,))  # fmt: skip
        db.execute("UPDATE paper SET deleted_at = '2026-01-01 00:00:00' WHERE id = ?", (maml,))
    library.index.update([], removed=[attention])
    report = library.check()
    assert not report.healthy
    assert (report.drift.missing, report.drift.stale, report.drift.extra) == (
        [attention],
        [godel],
        [maml],
    )
    repaired = library.check(repair=True)
    assert repaired.repaired and repaired.healthy
    assert library.search("renamed").total == 1
    assert library.search("attention").total == 1
    assert library.search("meta").total == 0


def test_a_healthy_library_checks_clean(library, three_papers):
    report = library.check()
    assert report.healthy
    assert report.to_json()["database"] == {"ok": True, "problems": []}


def test_reindex_rebuilds_everything(library, three_papers):
    assert library.reindex() == 3
    assert library.search("transformer").total == 1
    assert library.check().healthy


DYING_WORKER = """
import os, sys
import readinglist.search.whoosh_workers as workers
from readinglist.search.index import SearchDoc
from readinglist.search.whoosh_index import WhooshIndex
from readinglist.search.whoosh_workers import IndexWorkerFailed

workers._die_with = lambda parent: os._exit(3)  # each helper dies as it starts
index = WhooshIndex(__import__("pathlib").Path(sys.argv[1]))
docs = [SearchDoc(id=n, version=1, title=f"paper {n}") for n in range(3000)]
try:
    index.update(docs)
except IndexWorkerFailed as error:
    print("failed:", error)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parallel indexing: Linux")
def test_an_indexing_helper_that_dies_is_an_error_never_a_hang(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", DYING_WORKER, str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "failed: an indexing helper process ended with exit code 3" in done.stdout, done.stderr


def test_a_failed_index_commit_releases_the_index_for_the_next_try(tmp_path, monkeypatch):
    import readinglist.search.whoosh_index as whoosh_index
    from readinglist.search.index import SearchDoc

    index = WhooshIndex(tmp_path / "index")
    real = whoosh_index._open_writer

    def full_disk(*args, **kwargs):
        writer = real(*args, **kwargs)

        def commit(*_args, **_kwargs):
            raise OSError(28, "No space left on device")

        writer.commit = commit
        return writer

    monkeypatch.setattr(whoosh_index, "_open_writer", full_disk)
    with pytest.raises(OSError):
        index.update([SearchDoc(id=1, version=1, title="lost to a full disk")])
    monkeypatch.undo()
    index.update([SearchDoc(id=1, version=1, title="written once there is room")])  # no lock
    assert index.versions() == {1: 1}
    index.close()
