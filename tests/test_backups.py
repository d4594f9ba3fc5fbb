"""Backups a user can count on: made before anything drastic, bounded in number, restorable even
when the library itself is damaged, and never a way to lose what is there now."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist import open_library
from readinglist.cli.main import cli
from readinglist.domain.values import DamagedLibrary, LibraryBusy, LibraryError
from readinglist.services.backups import Backups, restore
from readinglist.storage.database import HEAD_REVISION, Database
from tests.factories import draft, empty_an_index_page


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


WRITER = """
import sys
from readinglist import open_library

with open_library(sys.argv[1]) as library:
    for step in range(int(sys.argv[2])):
        library.add_note(1, f"written meanwhile {step}")
        print(step, flush=True)
"""
FIXTURES = Path(__file__).parent / "fixtures" / "schemas"


def test_a_restore_never_loses_what_another_program_commits_meanwhile(noted):
    made = noted.backup()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(noted.folder), "400"], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline()  # writing has begun
    report = restore(noted.folder, made.name)
    out, _ = writer.communicate(timeout=120)
    committed = {f"written meanwhile {line}" for line in ["0", *out.split()]}
    with closing(sqlite3.connect(report.safety_copy.path)) as copy:
        before = {body for (body,) in copy.execute("SELECT body FROM note")}
    after = set(notes_of(noted, 1))
    assert committed <= before | after  # each in the copy of the present, or restored onto


def test_a_busy_library_is_called_busy_never_damaged(library, monkeypatch):
    import readinglist.storage.sqlite

    monkeypatch.setattr(readinglist.storage.sqlite, "BUSY_TIMEOUT_MS", 100)
    library.add_paper(draft("Held by another program"))
    folder = library.folder
    library.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", EXCLUSIVE, str(folder / "library.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    try:
        with pytest.raises(LibraryBusy, match="busy"):
            open_library(folder)
    finally:
        holder.communicate(timeout=30)
    with open_library(folder) as reopened:
        assert reopened.count() == 1 and not list(folder.glob("library.damaged-*"))


EXCLUSIVE = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
print("holding", flush=True)
time.sleep(2)
db.execute("COMMIT")
"""


def test_restoring_a_backup_of_an_older_schema_upgrades_it_in_the_open_library(noted, tmp_path):
    old = tmp_path / "old-backup.sqlite3"
    shutil.copy(FIXTURES / "0002_saved_searches" / "library.sqlite3", old)
    restore(noted.folder, old)
    assert noted.database.schema_revision() == HEAD_REVISION
    noted.add_paper(draft("Added right after the restore"))  # the open library can write
    noted.reindex()
    assert noted.check().healthy
    assert noted.search("restore").total == 1


def test_rows_pointing_to_nothing_before_an_upgrade_do_not_block_it(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(FIXTURES / "0002_saved_searches" / "library.sqlite3", folder / "library.sqlite3")
    with closing(sqlite3.connect(folder / "library.sqlite3")) as db, db:
        db.execute(
            "INSERT INTO note (paper_id, body, created_at, updated_at) "
            "VALUES (9999, 'a note whose paper was lost', '2020-01-01', '2020-01-01')"
        )
    with open_library(folder) as library:
        assert library.database.schema_revision() == HEAD_REVISION
        assert library.check().orphans_by_table() == {"note": 1}
        assert library.check(repair=True).healthy


def test_no_schema_upgrade_without_its_backup(tmp_path, monkeypatch):
    import readinglist.services.backups

    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(FIXTURES / "0002_saved_searches" / "library.sqlite3", folder / "library.sqlite3")

    def disk_full(source, target, pages_per_step=4096):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(readinglist.services.backups, "copy_database", disk_full)
    with pytest.raises(LibraryError, match="before upgrading its schema"):
        open_library(folder)
    with closing(sqlite3.connect(folder / "library.sqlite3")) as db:
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert revision == "0002_saved_searches"  # untouched


def test_a_run_of_bulk_operations_never_pushes_out_the_last_periodic_backup(noted):
    noted.backups.set_policy(keep=2)
    assert noted.backup_if_due().reason == "automatic"
    for number in range(4):
        noted.add_paper(draft(f"Yet another paper {number}"))
        noted.empty_trash()
    assert [b.reason for b in noted.backups.all()] == [
        "before-empty-trash",
        "before-empty-trash",
        "automatic",
    ]


def test_a_periodic_backup_finds_damage_deep_in_the_file_and_keeps_no_bad_copy(noted):
    sound = noted.backup()
    empty_an_index_page(noted.folder)
    noted.rate(2, 3)  # something changed since the last backup
    with pytest.raises(DamagedLibrary, match="damaged") as caught:
        noted.backup_if_due()
    assert caught.value.backup.path == sound.path
    assert [b.path for b in noted.backups.all()] == [sound.path]
    assert noted.quick_check()  # and the window's check at start finds it too
