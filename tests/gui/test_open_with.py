""" "Open with readinglist" on a .bib or .ris file: the desktop starts the GUI script with the
files (Linux, Windows), hands them to the window already open on the library, or sends them as
FileOpen events (macOS). Each way ends in the import preview, as a dropped file does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from readinglist import open_library
from readinglist.gui.file_open import FilesOpened
from readinglist.gui.single_instance import SingleInstance
from tests.gui.conftest import settle

BIB = "@article{o1, title={Opened From The File Manager}, author={Doe, Jane}, year={2020}}\n"
RIS = "TY  - JOUR\nTI  - Opened Beside It\nAU  - Roe, Rick\nPY  - 2021\nER  - \n"
GUI_SCRIPT = str(Path(sys.executable).with_name("readinglist-gui"))


def files(tmp_path: Path) -> list[Path]:
    bib, ris = tmp_path / "opened.bib", tmp_path / "opened.ris"
    bib.write_text(BIB, encoding="utf-8")
    ris.write_text(RIS, encoding="utf-8")
    return [bib, ris]


def user_environment(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env.pop("READINGLIST_LIBRARY", None)
    return env


# The window as the GUI script starts it, up to the point where a user would look at it.
STARTED_WITH_FILES = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from readinglist.gui import app

def look(self):
    window = next(w for w in self.topLevelWidgets() if w.objectName() == "main-window")
    window.wait_idle()
    dialog = window.preview_dialog
    print(dialog.isVisible(), sorted(dialog.model.index(r, 1).data()
                                     for r in range(dialog.model.rowCount())))
    dialog.accept()
    window.wait_idle()
    print(window.library.count())
    window.close()
    return 0

QApplication.exec = look
sys.exit(app.run(Path(sys.argv[1]), sys.argv[2:]))
"""


def test_files_given_at_start_open_in_the_import_preview(tmp_path):
    bib, ris = files(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", STARTED_WITH_FILES, str(tmp_path / "lib"), bib.name, ris.name],
        cwd=tmp_path,  # relative names, as a file manager may pass them
        env=user_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shown, count = done.stdout.strip().splitlines()[-2:]
    assert shown == "True ['Opened Beside It', 'Opened From The File Manager']"
    assert count == "2"


ASK_WITH_FILES = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from readinglist.gui.single_instance import SingleInstance

app = QCoreApplication([])
print(SingleInstance(Path(sys.argv[1])).listen(sys.argv[2:]))
"""


def test_a_file_opened_while_the_window_is_open_goes_to_that_window(qtbot, window, tmp_path):
    first = SingleInstance(window.library.folder)
    assert first.listen()
    first.activated.connect(window.bring_forward)
    first.files_requested.connect(window.preview_files)
    bib, ris = files(tmp_path)
    second = subprocess.Popen(  # the desktop starts readinglist-gui again, with the files
        [sys.executable, "-c", ASK_WITH_FILES, str(window.library.folder), bib.name, ris.name],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None, timeout=20_000)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20_000)
        out, err = second.communicate()
        assert out.strip() == "False", err  # it did not become a second window
        assert window.brought_forward == 1
        titles = {window.preview_dialog.model.index(r, 1).data() for r in range(2)}
        assert titles == {"Opened From The File Manager", "Opened Beside It"}
    finally:
        first.close()


def test_a_macos_file_open_event_opens_the_import_preview(qtbot, window, tmp_path):
    bib, _ = files(tmp_path)
    app = QApplication.instance()
    opened = FilesOpened(app, window.preview_files)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(bib)))
        qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None)
        assert window.preview_dialog.model.index(0, 1).data() == "Opened From The File Manager"
    finally:
        app.removeEventFilter(opened)
        opened.deleteLater()
    settle(qtbot, window)


def test_the_gui_script_self_test_imports_files_through_the_preview(tmp_path):
    bib, ris = files(tmp_path)
    done = subprocess.run(
        [GUI_SCRIPT, "--self-test", str(bib), str(ris)],
        env=user_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "self-test passed: 34 papers" in done.stdout
    assert "imported 1 papers from opened.bib, imported 1 papers from opened.ris" in done.stdout
    # A temporary library: the user's own was never created.
    assert not (tmp_path / "data").exists()


def test_the_self_test_fails_when_a_file_offers_nothing_to_import(tmp_path):
    empty = tmp_path / "empty.bib"
    empty.write_text("% nothing here\n", encoding="utf-8")
    done = subprocess.run(
        [GUI_SCRIPT, "--self-test", str(empty)],
        env=user_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "self-test failed" in done.stderr and "empty.bib" in done.stderr


def test_the_self_test_on_a_given_library_leaves_it_as_it_was(tmp_path):
    with open_library(tmp_path / "lib") as library:
        library.open_sample()
    done = subprocess.run(
        [GUI_SCRIPT, "--self-test", "--library", str(tmp_path / "lib")],
        env=user_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with open_library(tmp_path / "lib") as library:
        assert library.count() == 34
