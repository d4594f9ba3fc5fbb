"""The window's icons are the glyphs of the icon font qtawesome ships, drawn without
importing qtawesome (0.3 s of start-up: it imports qtpy, which loads every Qt class)."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from readinglist.gui.theme import ICONS, icon
from tests.benchmarks.children import REPO, environment


def test_each_icon_is_drawn_as_qtawesome_draws_it(qtbot):
    import qtawesome

    palette = QGuiApplication.palette()
    color = palette.color(QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    for name, glyph in ICONS.items():
        theirs = qtawesome.icon(f"mdi6.{glyph}", color=color, color_disabled=disabled)
        for size in (16, 32):
            for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled):
                ours = icon(name).pixmap(size, size, mode).toImage()
                assert ours == theirs.pixmap(size, size, mode).toImage(), (name, size, mode)


def test_the_window_opens_without_importing_qtawesome(tmp_path):
    code = f"""
import sys
from PySide6.QtCore import QSettings
from readinglist.gui.app import application
from readinglist.gui.main_window import MainWindow
from readinglist.services.library import Library
app = application()
library = Library.open({str(tmp_path / "library")!r})
window = MainWindow(library, QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat))
window.show()
app.processEvents()
assert not window.import_action.icon().isNull()
print(sorted(m for m in sys.modules if m.split(".")[0] in ("qtawesome", "qtpy")))
window.close()
library.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
