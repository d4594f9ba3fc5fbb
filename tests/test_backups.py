"""Backups a user can count on: made before anything drastic, bounded in number, restorable even
when the library itself is damaged, and never a way to lose what is there now."""

import os
import shutil
import sqlite3
import stat
import time
from contextlib import closing

import pytest
from click.testing import CliRunner

from readinglist import open_library
from readinglist.cli.main import cli
from readinglist.domain.values import DamagedLibrary, LibraryError
from readinglist.services.backups import Backups, restore
from readinglist.storage.database import HEAD_REVISION, Database
from tests.factories import draft


def notes_of(library, ref) -> list[str]:
    return [note.body for note in library.get(ref).notes]


def reasons(library) -> list[str]:
    return [backup.reason for backup in library.backups.all()]


def damage_header(path) -> None:
    with open(path, "r+b") as file:
        file.write(b"not a database at all, sorry " * 4)


@pytest.fixture
def noted(library):
    """A library with two papers and a note the user cares about."""
    library.add_paper(draft("Attention Is All You Need", year=2017))
    library.add_paper(draft("Deep Residual Learning", year=2016))
    library.add_note(1, "years of thinking, in **Markdown**")
    return library


def test_a_backup_is_a_whole_private_library_that_opens_and_keeps_the_notes(noted, tmp_path):
    made = noted.backup()
    assert made.reason == "manual" and not made.automatic
    if os.name == "posix":
        assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(noted.backups.folder.stat().st_mode) == 0o700
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    shutil.copy(made.path, elsewhere / "library.sqlite3")  # one file: no -wal needed
    with open_library(elsewhere) as copy:
        assert notes_of(copy, 1) == ["years of thinking, in **Markdown**"]
        assert copy.search("residual").total == 1  # its index is rebuilt from it
    assert made.papers() == 2 and made.problems() == []


def test_bulk_operations_are_backed_up_first_with_what_was_there_before(noted, tmp_path):
    noted.tag([1, 2], add=["ml"])
    noted.tag(2, add=["vision"])
    noted.merge_tags(["vision"], into="ml")
    before_merge = noted.backups.all()[0]
    assert before_merge.reason == "before-tag-merge"
    with closing(sqlite3.connect(before_merge.path)) as copy:
        assert {name for (name,) in copy.execute("SELECT name FROM tag")} == {"ml", "vision"}

    bib = tmp_path / "more.bib"
    bib.write_text("@article{a, title={Something New}}\n")
    noted.import_file(bib)
    noted.create_list("thesis")
    noted.add_to_list("thesis", [1, 2])
    noted.delete_list("thesis")
    noted.trash(2)
    noted.empty_trash()
    noted.rename_tag("ml", "machine learning")
    noted.delete_tag("machine learning")
    assert reasons(noted)[:6] == [
        "before-tag-delete",
        "before-tag-rename",
        "before-empty-trash",
        "before-list-delete",
        "before-import",
        "before-tag-merge",
    ]


def test_moving_many_papers_to_the_trash_is_backed_up_but_one_paper_is_not(library):
    for number in range(60):
        library.add_paper(draft(f"Paper number {number}"))
    library.trash(1)
    assert reasons(library) == []
    library.trash(list(range(2, 60)))
    assert reasons(library) == ["before-mass-delete"]


def test_an_unchanged_library_is_not_backed_up_twice(noted, tmp_path):
    bib = tmp_path / "same.bib"
    bib.write_text("@article{a, title={Something New}}\n")
    noted.import_file(bib)
    noted.import_file(bib)  # duplicates only: nothing changed since the backup before it...
    assert reasons(noted).count("before-import") == 2  # ...but the first import did


def test_automatic_backups_are_pruned_to_the_policy_but_manual_ones_stay(noted):
    noted.backup()
    noted.backups.set_policy(keep=2)
    for number in range(4):
        noted.add_paper(draft(f"Another paper {number}"))
        noted.empty_trash()  # a bulk operation: one automatic backup each time
    kept = noted.backups.all()
    assert [b.reason for b in kept if b.automatic] == ["before-empty-trash"] * 2
    assert [b.reason for b in kept if not b.automatic] == ["manual"]
    assert noted.backups.policy().keep == 2


def test_a_periodic_backup_is_made_only_when_due_and_when_something_changed(noted):
    backups = noted.backups
    backups.set_policy(every_hours=1)
    assert noted.backup_if_due().reason == "automatic"
    assert noted.backup_if_due() is None  # made a moment ago
    newest = backups.all()[0].path
    hours_ago = time.time() - 2 * 3600
    for path in (newest, backups.database, backups.wal):
        if path.exists():
            os.utime(path, (hours_ago - 60, hours_ago - 60))
    os.utime(newest, (hours_ago, hours_ago))
    assert noted.backup_if_due() is None  # due, but nothing changed since
    noted.rate(1, 5)
    assert noted.backup_if_due().reason == "automatic"


def test_restore_brings_back_the_backup_and_keeps_the_present_as_a_backup(noted):
    made = noted.backup()
    noted.edit_note(1, "rewritten after the backup")
    noted.add_paper(draft("Written after the backup"))
    folder = noted.folder
    noted.close()

    report = restore(folder, made.name)
    assert report.restored.path == made.path and report.set_aside is None
    with open_library(folder) as library:
        library.reindex()
        assert notes_of(library, 1) == ["years of thinking, in **Markdown**"]
        assert library.search("written").total == 0
    safety = report.safety_copy
    assert safety.reason == "before-restore" and not safety.automatic
    with closing(sqlite3.connect(safety.path)) as copy:
        assert copy.execute("SELECT body FROM note").fetchone()[0] == "rewritten after the backup"


def test_a_damaged_library_names_its_file_and_offers_the_newest_sound_backup(noted):
    older = noted.backup()
    noted.add_note(2, "a second note")
    newer = noted.backup()
    damage_header(newer.path)  # the newest backup is no good either
    folder = noted.folder
    noted.close()
    damage_header(folder / "library.sqlite3")

    with pytest.raises(DamagedLibrary) as caught:
        open_library(folder)
    assert str(folder / "library.sqlite3") in str(caught.value)
    assert caught.value.backup.path == older.path
    assert older.name in str(caught.value)

    report = restore(folder, caught.value.backup.name)
    assert report.safety_copy is None and report.set_aside.exists()  # kept, never deleted
    assert report.set_aside.read_bytes().startswith(b"not a database")
    with open_library(folder) as library:
        assert notes_of(library, 1) == ["years of thinking, in **Markdown**"]


def test_a_backup_that_fails_its_integrity_check_is_never_restored(noted):
    made = noted.backup()
    damage_header(made.path)
    with pytest.raises(LibraryError, match="integrity check"):
        restore(noted.folder, made.name)
    assert noted.get(1).notes  # nothing happened to the library


def test_an_upgrade_of_the_schema_is_backed_up_first(tmp_path):
    folder = tmp_path / "old"
    with open_library(folder) as library:
        library.add_paper(draft("Made by an older readinglist"))
        library.add_note(1, "kept across the upgrade")
    database = Database.open(folder)
    database.downgrade("0002_saved_searches")  # as an older readinglist left it
    database.close()

    with open_library(folder) as library:
        assert library.database.schema_revision() == HEAD_REVISION
        assert notes_of(library, 1) == ["kept across the upgrade"]
        upgrade = [b for b in library.backups.all() if b.reason.startswith("before-upgrade")]
    assert [b.reason for b in upgrade] == ["before-upgrade-0002-saved-searches"]
    with closing(sqlite3.connect(upgrade[0].path)) as copy:
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert revision == "0002_saved_searches"


def test_backups_from_the_command_line(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "lib"

    def run(*args, ok=True):
        result = runner.invoke(cli, ["--library", str(folder), *args])
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    bib = tmp_path / "one.bib"
    bib.write_text("@article{vaswani2017, title={Attention Is All You Need}, year=2017}\n")
    run("import", str(bib))
    run("note", "1", "the note that must survive")
    assert "backed up to" in run("backup")
    assert "no backups" not in run("backups", "--keep", "3", "--every", "12")
    listing = run("backups", "--verify")
    assert "keeping 3 automatic backups, one every 12 h" in listing
    assert " manual " in listing and "1 papers  ok" in listing

    run("rm", "1")
    run("empty-trash", "--yes")  # backed up first, the paper still in the trash
    name = Backups(folder).all()[0].name
    assert "before-empty-trash" in name
    damage_header(folder / "library.sqlite3")
    refused = run("ls", ok=False)
    assert "damaged" in refused and f"readinglist restore {name}" in refused
    restored = run("restore", name)
    assert "the damaged database was kept as" in restored
    run("restore", "1")  # a paper id: back from the trash
    assert "the note that must survive" in run("show", "1")
    assert "papers: 1" in run("stats")

    assert "the library as it was is backed up" in run("restore", "--backup", "2")
    assert "papers: 1" in run("stats")
    run("restore", "--backup", "99", ok=False)
