"""The window's side of never losing a note: File ▸ Backups, a damaged library at start, and one
window per library."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from readinglist.gui.app import open_or_restore
from readinglist.gui.single_instance import SingleInstance
from tests.gui.conftest import settle


def notes_of(library, ref) -> list[str]:
    return [note.body for note in library.get(ref).notes]


def test_backups_dialog_backs_up_now_and_restores_with_the_present_kept(qtbot, window):
    library = window.library
    paper = window.model.paper_id(0)
    library.add_note(paper, "written before the backup")
    dialog = window.show_backups()
    settle(qtbot, window)
    before = len(dialog.rows)

    dialog.backup_button.click()
    qtbot.waitUntil(lambda: len(dialog.rows) == before + 1, timeout=15_000)
    assert dialog.model.item(0, 1).text() == "Made by you"
    assert dialog.model.item(0, 2).text() == f"{library.count():,}"

    library.add_note(paper, "written after the backup")
    window.controller.rate([paper], 5)  # something to undo
    settle(qtbot, window)
    assert window.controller.undo_stack.count() == 1
    dialog.table.selectRow(0)
    dialog.restore_selected(confirm=False)
    qtbot.waitUntil(lambda: "Restored the backup" in window.statusBar().currentMessage())
    settle(qtbot, window)
    assert "written after the backup" not in notes_of(library, paper)
    assert "written before the backup" in notes_of(library, paper)
    assert window.controller.undo_stack.count() == 0  # its steps were about the present
    qtbot.waitUntil(lambda: dialog.rows and dialog.rows[0].reason == "before-restore")
    assert library.search("attention").total >= 1  # the index was rebuilt from the backup


def test_backup_policy_is_chosen_in_the_dialog(qtbot, window):
    dialog = window.show_backups()
    dialog.keep.setValue(3)
    dialog.every.setValue(6)
    policy = window.library.backups.policy()
    assert (policy.keep, policy.every_hours) == (3, 6)
    settle(qtbot, window)


def test_a_damaged_library_at_start_is_offered_its_newest_sound_backup(qtbot, library):
    from readinglist.gui.app import application

    application()
    library.open_sample()
    library.add_note(1, "the note to save")
    library.backup()
    folder = library.folder
    library.close()
    with open(folder / "library.sqlite3", "r+b") as file:
        file.write(b"scribbled over by a faulty disk" * 4)

    asked = []
    refused, _ = open_or_restore(folder, lambda damaged: asked.append(damaged) or False)
    assert refused is None and asked and str(folder / "library.sqlite3") in str(asked[0])
    assert not list(folder.glob("library.damaged-*"))  # nothing moved without a yes

    reopened, restored = open_or_restore(folder, lambda damaged: True)
    try:
        assert restored and "the note to save" in notes_of(reopened, 1)
        assert len(list(folder.glob("library.damaged-*.sqlite3"))) == 1  # kept aside
    finally:
        reopened.close()


ASK = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from readinglist.gui.single_instance import SingleInstance

app = QCoreApplication([])
print(SingleInstance(Path(sys.argv[1])).ask_running_window(10_000))
"""


def test_a_second_start_on_the_same_library_brings_the_first_window_forward(
    qtbot, window, tmp_path
):
    first = SingleInstance(window.library.folder)
    assert first.listen()
    first.activated.connect(window.bring_forward)
    second = subprocess.Popen(  # another start of readinglist, as a user makes it
        [sys.executable, "-c", ASK, str(window.library.folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: window.brought_forward == 1, timeout=20_000)
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)  # answered, it leaves
    out, err = second.communicate()
    assert out.strip() == "True", err
    other = SingleInstance(tmp_path / "another library")
    assert other.name != first.name and not other.ask_running_window(200)
    first.close()


def test_a_second_readinglist_process_leaves_the_library_to_the_open_window(tmp_path):
    program = Path(sys.executable).with_name("readinglist")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    command = [str(program), "--library", str(tmp_path / "lib")]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        database = tmp_path / "lib" / "library.sqlite3"
        while not database.exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert first.poll() is None, first.stderr.read()
        time.sleep(1)  # the window is up and listening
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "already open on this library" in second.stdout
        assert first.poll() is None  # the first window is still there
    finally:
        first.terminate()
        first.communicate(timeout=20)


def test_a_lost_search_index_is_rebuilt_in_the_background_while_the_window_works(
    qtbot, open_window, tmp_path
):
    from readinglist import open_library
    from readinglist.services.library import Library

    folder = tmp_path / "lib"
    with open_library(folder) as library:
        library.open_sample()
    shutil.rmtree(folder / "index")
    library = Library.open(folder, catch_up=False)  # as the window opens it: at once
    try:
        assert library.needs_rebuild()
        window = open_window(library)  # waits until the background jobs are done
        assert window.model.rowCount() == 34
        assert not library.needs_rebuild()
        window.search.set_text("attention")
        settle(qtbot, window)
        assert 0 < window.model.rowCount() < 34
        window.close()
    finally:
        library.close()


def test_keeping_fewer_backups_asks_before_deleting_any(qtbot, window):
    backups = window.library.backups
    for _ in range(3):
        backups.make("before-import")
    dialog = window.show_backups()
    settle(qtbot, window)
    automatic = len([b for b in backups.all() if b.automatic])  # the window made one too
    asked: list[int] = []
    dialog._confirm_pruning = lambda count: asked.append(count) or False
    dialog.keep.setValue(1)
    assert asked == [automatic - 1] and backups.policy().keep == 10
    assert dialog.keep.value() == 10 and len(backups.all()) == automatic
    dialog._confirm_pruning = lambda count: True
    dialog.keep.setValue(1)
    assert backups.policy().keep == 1  # the newest, and the last periodic one, always stay
    assert [b.reason for b in backups.all()] == ["before-import", "automatic"]
    settle(qtbot, window)


def test_damage_deep_in_the_file_is_said_once_the_window_is_open(qtbot, open_window, library):
    from tests.factories import empty_an_index_page

    library.open_sample()
    empty_an_index_page(library.folder)
    window = open_window(library)
    assert window.file_problems
    assert "damaged" in window.last_error  # in red in the status bar
