"""Several readinglist processes on one library at once: nothing crashes, nothing is lost, and
the search index ends up agreeing with the database."""

import json
import subprocess
import sys
import textwrap

from readinglist import open_library
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
