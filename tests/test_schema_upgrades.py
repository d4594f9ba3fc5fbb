"""A library made by an earlier version opens in this one with nothing lost.

``tests/fixtures/schemas/<revision>/`` holds a library made by the code that released that
schema revision (``make_fixture.py`` there says how), and ``expected.json`` saying what that
code showed its user. Each test copies a fixture, opens the copy with today's code, which
upgrades it, and looks for every paper, field, author, tag, note, rating, status, list, trashed
paper, import and saved search. A folder named ``<revision>@<commit>`` is a library of a commit
between two releases, whose schema differed from the released one of the same revision.
"""

from __future__ import annotations

import ast
import json
import shutil
import sqlite3
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from readinglist import open_library
from readinglist.domain.filters import PaperFilter, Sort
from readinglist.domain.models import SORT_INDEXES
from readinglist.services.library import Library
from readinglist.storage.database import DATABASE_FILE, HEAD_REVISION, MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures" / "schemas"
FOLDERS = sorted(path.parent for path in FIXTURES.glob("*/" + DATABASE_FILE))
PAPER_FIELDS = (
    "id", "key", "entry_type", "title", "abstract", "year", "month", "venue", "volume",
    "number", "pages", "publisher", "doi", "arxiv_id", "isbn", "url", "code_url", "extra",
    "rating", "status",
)  # fmt: skip


@dataclass
class Upgraded:
    """An old library after today's code opened it, and what its own code showed of it."""

    library: Library
    expected: dict[str, Any]
    folder: Path

    @property
    def papers(self) -> list[dict[str, Any]]:
        return self.expected["papers"]

    def keys(self, ids: list[int]) -> list[str]:
        return [self.library.get(paper_id).key for paper_id in ids]


def copy_of(fixture: Path, parent: Path) -> Path:
    """The fixture's database alone in a fresh library folder: the committed file is never
    opened, since opening upgrades it."""
    folder = parent / "library"
    folder.mkdir()
    shutil.copyfile(fixture / DATABASE_FILE, folder / DATABASE_FILE)
    return folder


def expectations(fixture: Path) -> dict[str, Any]:
    return json.loads((fixture / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=FOLDERS, ids=lambda folder: folder.name)
def upgraded(request, tmp_path_factory) -> Iterator[Upgraded]:
    """Opened once per fixture for the tests that only read; tests that change the library
    make their own copy."""
    folder = copy_of(request.param, tmp_path_factory.mktemp("upgrade"))
    assert not (folder / "index").exists()  # so opening must build the search index
    with open_library(folder) as library:
        yield Upgraded(library, expectations(request.param), folder)


def record(paper) -> dict[str, Any]:
    """A paper as expected.json writes it."""
    found = {name: getattr(paper, name) for name in PAPER_FIELDS}
    found["authors"] = [[a.family, a.given, a.particle, a.suffix, a.literal] for a in paper.authors]
    found["tags"] = sorted(paper.tags, key=str.casefold)
    found["lists"] = sorted(paper.lists)
    found["notes"] = [note.body for note in paper.notes]
    for moment in ("added_at", "updated_at", "deleted_at"):
        value = getattr(paper, moment)
        found[moment] = value.isoformat() if value else None
    return found


# --- the library as a whole ----------------------------------------------------------------------


def test_the_library_is_upgraded_to_the_newest_schema_and_is_healthy(upgraded):
    assert upgraded.library.database.schema_revision() == HEAD_REVISION
    with upgraded.library.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    report = upgraded.library.check()
    assert report.healthy, report.to_json()
    assert (upgraded.folder / "index").is_dir()


def test_the_upgraded_library_has_the_tables_and_indexes_of_a_new_one(upgraded):
    with upgraded.library.database.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect the expression indexes (lower(title)); they are named below.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        indexes = {
            name
            for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
            )
        }
    sort_indexes = {index.name for index in SORT_INDEXES}
    differences = [
        d for d in differences if not (d[0] == "add_index" and d[1].name in sort_indexes)
    ]
    assert differences == []
    assert sort_indexes <= indexes


# --- papers --------------------------------------------------------------------------------------


def test_every_paper_keeps_every_field_its_authors_in_order_and_its_notes(upgraded):
    for expected in upgraded.papers:
        assert record(upgraded.library.get(expected["id"])) == expected


def test_notes_keep_their_exact_text_emoji_and_line_breaks(upgraded):
    notes = {p["key"]: p["notes"] for p in upgraded.papers if p["notes"]}
    assert len(notes) >= 5
    ledger = upgraded.library.get("odegaard2021ledgers").notes
    assert ledger[0].body == "Im Zweifelsfall: the ledger is just an EWC penalty? 🤔"
    assert ledger[1].body.endswith("```\n")
    assert [n.body for n in upgraded.library.get("khwarizmi2023bounds").notes] == [
        "ε-nets: the constant is 2π, not π."  # as edited, not as first written
    ]
    for key, bodies in notes.items():
        assert [n.body for n in upgraded.library.get(key).notes] == bodies


def test_ratings_statuses_and_tags_are_kept(upgraded):
    papers = upgraded.library.papers(PaperFilter(), Sort("key"))
    papers += upgraded.library.papers(PaperFilter(trashed=True), Sort("key"))
    found = {p.key: (p.rating, p.status, sorted(p.tags, key=str.casefold)) for p in papers}
    assert found == {p["key"]: (p["rating"], p["status"], p["tags"]) for p in upgraded.papers}
    assert {rating for rating, _, _ in found.values()} == {0, 1, 2, 3, 4, 5}
    assert {status for _, status, _ in found.values()} == {
        "unread", "to-read", "reading", "read", "abandoned"
    }  # fmt: skip
    shared = [p.key for p in upgraded.library.papers(PaperFilter(tags=("to-skim",)))]
    assert len(shared) >= 3
    assert sorted(shared) == sorted(
        p["key"] for p in upgraded.papers if "to-skim" in p["tags"] and not p["deleted_at"]
    )


def test_reading_lists_keep_their_own_order_with_their_trashed_members(upgraded):
    library = upgraded.library
    assert sorted(summary.name for summary in library.lists()) == sorted(upgraded.expected["lists"])
    for name, order in upgraded.expected["lists"].items():
        assert upgraded.keys(library.list_members(name)) == order
        trashed = {p["key"] for p in upgraded.papers if p["deleted_at"]}
        shown = [p.key for p in library.papers(PaperFilter(list_name=name))]
        assert shown == [key for key in order if key not in trashed]
    assert upgraded.expected["lists"]["Thesis background"][0] == "lefevre2015graphes"


def test_the_trash_holds_the_same_papers(upgraded):
    trashed = [p.key for p in upgraded.library.papers(PaperFilter(trashed=True))]
    assert trashed == [p["key"] for p in upgraded.papers if p["deleted_at"]]
    assert trashed == ["zhou2024tiny"]
    assert upgraded.library.search("tiny").papers == []


def test_the_import_history_is_kept(upgraded):
    history = list(reversed(upgraded.library.imports()))  # oldest first, as expected.json
    assert [
        (run.source, run.format, run.added, run.duplicates, run.failed, utc(run.started_at))
        for run in history
    ] == [
        (run["source"], run["format"], run["added"], run["duplicates"], run["failed"],
         utc(datetime.fromisoformat(run["started_at"])))
        for run in upgraded.expected["imports"]
    ]  # fmt: skip
    assert history[-1].source.startswith("from-a-colleague")


def utc(moment: datetime) -> datetime:
    """SQLite keeps no time zone; every moment the library stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_saved_searches_are_kept(upgraded):
    saved = {s.name: s.query for s in upgraded.library.saved_searches()}
    assert saved == (upgraded.expected["saved_searches"] or {})
    if upgraded.expected["saved_searches"] is not None:  # the schema had them
        assert saved["Worth rereading ⭐"] == "rating:>=4 status:read"
        worth = upgraded.library.search_ids(saved["Worth rereading ⭐"])
        assert upgraded.keys(worth) == ["waals2019cartography"]


# --- finding and sorting -------------------------------------------------------------------------


def test_search_finds_papers_by_title_author_tag_and_note_words(upgraded):
    searches = upgraded.expected["searches"]
    assert {"cartography", "author:ødegaard", "tag:théorie", "note:zweifelsfall"} <= set(searches)
    for query, keys in searches.items():
        found = sorted(p.key for p in upgraded.library.search(query, limit=None).papers)
        assert found == keys, query


def test_sorting_by_author_uses_first_author_keys_filled_by_the_upgrade(upgraded):
    with upgraded.library.database.engine.connect() as connection:
        keys = dict(connection.exec_driver_sql("SELECT key, sort_author FROM paper").fetchall())
    with_authors = [p["key"] for p in upgraded.papers if p["authors"]]
    assert all(keys[key] for key in with_authors)
    assert keys["odegaard2021ledgers"] == "odegaard"
    assert keys["waals2019cartography"] == "waals"  # the particle "van der" does not count
    by_author = upgraded.library.papers(sort=Sort("author"))
    assert [p.key for p in by_author] == upgraded.expected["author_order"]
    backwards = upgraded.library.papers(sort=Sort("author", descending=True))
    assert [p.key for p in backwards] == upgraded.expected["author_order"][::-1]


# --- changing an upgraded library ----------------------------------------------------------------


@pytest.mark.parametrize("fixture", FOLDERS, ids=lambda folder: folder.name)
def test_an_import_made_before_the_upgrade_can_still_be_undone_exactly(fixture, tmp_path):
    expected = expectations(fixture)
    with open_library(copy_of(fixture, tmp_path)) as library:
        last = library.imports()[0]
        assert last.source.startswith("from-a-colleague")
        library.undo_import(last.id)
        assert library.get(expected["imported_key"]).in_trash
        for merge in expected["imports"][-1]["merges"] or []:
            paper = library.get(merge["paper"])
            assert all(getattr(paper, name) in ("", None) for name in merge["fields"])
            assert merge["alias"] not in paper.extra.get("ids", "")
        again = library.import_text(
            "@article{fresh2025, title = {Written after the upgrade}, year = {2025}}",
            source="after.bib",
        )
        newest = max(p["id"] for p in expected["papers"])
        assert again.added == [newest + 1]
        assert library.check().healthy


# --- the fixtures themselves ---------------------------------------------------------------------


def migration_revisions() -> set[str]:
    """The revision of each migration file, read from its source (no Alembic needed)."""
    revisions = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["revision"]:
                revisions.add(ast.literal_eval(node.value))
    return revisions


def test_every_migration_has_a_fixture_library_made_by_its_release():
    """A new migration needs its own fixture, made with make_fixture.py by the code that
    adds it; this fails until it is committed."""
    revisions = migration_revisions()
    assert HEAD_REVISION in revisions and "0001_initial" in revisions
    released = {folder.name for folder in FOLDERS if "@" not in folder.name}
    assert sorted(revisions - released) == [], "add a fixture with make_fixture.py"
    assert sorted({folder.name.split("@")[0] for folder in FOLDERS} - revisions) == []


@pytest.mark.parametrize("fixture", FOLDERS, ids=lambda folder: folder.name)
def test_each_fixture_is_still_the_small_single_file_library_of_its_revision(fixture):
    assert sorted(p.name for p in fixture.iterdir()) == sorted([DATABASE_FILE, "expected.json"])
    assert (fixture / DATABASE_FILE).stat().st_size < 300_000
    address = f"file:{fixture / DATABASE_FILE}?mode=ro&immutable=1"
    with sqlite3.connect(address, uri=True) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    connection.close()
    expected = expectations(fixture)
    assert revision == expected["revision"] == expected["made_by"]["revision"]
    assert fixture.name.split("@")[0] == revision
    assert len(expected["papers"]) >= 10
