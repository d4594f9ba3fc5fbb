"""``readinglist check`` finds what other programs, crashes and bad disks leave behind, and
``--repair`` fixes it without losing anything a user wrote."""

import json
import sqlite3
from contextlib import closing

import pytest
from click.testing import CliRunner

from readinglist import open_library
from readinglist.cli.main import cli
from readinglist.services.health import RECOVERED_TAG, RECOVERED_TITLE
from tests.factories import empty_an_index_page


def raw(library) -> sqlite3.Connection:
    """The database as another program sees it: foreign keys off, as SQLite starts."""
    return closing(sqlite3.connect(library.folder / "library.sqlite3"))


@pytest.fixture
def listed(library, three_papers):
    attention = three_papers[1]
    library.tag(three_papers, add=["classic"])
    library.create_list("thesis")
    library.add_to_list("thesis", three_papers)
    library.add_note(attention, "the note that outlives its paper")
    return three_papers


def test_a_healthy_library_checks_clean_on_every_count(library, listed):
    report = library.check()
    assert report.healthy and not report.repaired
    assert report.to_json()["orphans"] == {} and report.duplicate_keys == []


def test_notes_whose_paper_vanished_are_kept_on_a_paper_of_their_own(library, listed):
    godel, attention, maml = listed
    with raw(library) as db, db:
        db.execute("DELETE FROM paper WHERE id = ?", (attention,))
    report = library.check()
    assert not report.healthy
    assert report.orphans_by_table() == {"note": 1, "paper_author": 2, "paper_tag": 1,
                                         "list_item": 1}  # fmt: skip

    repaired = library.check(repair=True)
    assert repaired.healthy, repaired.to_json()
    assert any("backed up" in line for line in repaired.repairs)
    assert library.backups.all()[0].reason == "before-repair"
    home = library.search(f"tag:{RECOVERED_TAG}").papers
    assert [p.title for p in home] == [RECOVERED_TITLE]
    assert [n.body for n in home[0].notes] == ["the note that outlives its paper"]
    assert library.search("outlives").total == 1  # the note is searchable where it is now
    assert library.list_members("thesis") == [godel, maml]


def test_citation_keys_equal_but_for_case_are_found_and_told_apart(library, listed):
    godel, _attention, maml = listed
    key = library.get(godel).key
    with raw(library) as db, db:  # another tool wrote a key BibTeX cannot tell apart
        db.execute("UPDATE paper SET key = ? WHERE id = ?", (key.upper(), maml))
    report = library.check()
    assert report.duplicate_keys == [[key, key.upper()]]

    repaired = library.check(repair=True)
    assert repaired.healthy
    assert library.get(godel).key == key  # the oldest keeps its key
    new_key = library.get(maml).key
    assert new_key.casefold() != key.casefold() and new_key.casefold().startswith(key.casefold())
    assert library.search(f"key:{new_key}").total == 1


def test_a_damaged_database_index_is_rebuilt_by_repair(library, listed):
    library.close()
    empty_an_index_page(library.folder)
    with open_library(library.folder) as reopened:
        report = reopened.check()
        assert report.integrity and "ix_paper_title_norm" in " ".join(report.integrity)
        assert report.good_backup is None or report.good_backup.problems() == []
        repaired = reopened.check(repair=True)
        assert repaired.healthy, repaired.to_json()
        assert "rebuilt the database's indexes" in repaired.repairs
        assert reopened.count() == 3


def test_check_from_the_command_line_reports_then_repairs(library, listed, tmp_path):
    godel, attention, maml = listed
    with raw(library) as db, db:
        db.execute("DELETE FROM paper WHERE id = ?", (godel,))
        db.execute("UPDATE paper SET key = 'SAME' WHERE id = ?", (attention,))
        db.execute("UPDATE paper SET key = 'same' WHERE id = ?", (maml,))
    folder = str(library.folder)
    library.close()
    runner = CliRunner()
    found = runner.invoke(cli, ["--library", folder, "check"])
    assert found.exit_code == 1
    assert (
        "rows pointing to nothing: 1 in list_item, 1 in paper_author, 1 in paper_tag"
        in found.output
    )
    assert "citation keys equal but for case: SAME = same" in found.output
    assert "readinglist check --repair" in found.output

    fixed = runner.invoke(cli, ["--library", folder, "check", "--repair", "--json"])
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(fixed.output)["healthy"] is True
    again = runner.invoke(cli, ["--library", folder, "check"])
    assert again.exit_code == 0 and "citation keys: ok" in again.output
