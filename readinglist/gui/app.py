"""Starting the window: the normal way, as a self-test for packaging, or to take a screenshot."""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.domain.values import DamagedLibrary, LibraryError

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

SELF_TEST_SECONDS = 60
# The desktop file, the AppStream metainfo and the icon are named after it; Wayland matches the
# window to its desktop file (and so to its icon and name in the dock) by this name.
APP_ID = "io.github.readinglist.ReadingList"


def _platform_for_scripts() -> None:
    """Self-tests and screenshots need no screen: render offscreen unless told otherwise."""
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _quiet_qt_messages() -> None:
    """Drop Qt's notes that say nothing to a user (the offscreen platform's missing
    window-manager features); everything else still reaches stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    noise = ("propagateSizeHints",)

    def handler(_kind, _context, message: str) -> None:
        if not any(n in message for n in noise):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _fresh_worker_processes() -> None:
    """The search index's writer starts helper processes. Forking a process that runs Qt's
    and our worker threads can copy a lock that some thread holds, and hang the copy; a
    window process starts them fresh instead ('spawn', as on Windows and macOS)."""
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=True) is None:
        multiprocessing.set_start_method("spawn")


def application(dark: bool | None = None):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from readinglist.gui.theme import apply_scheme

    app = QApplication.instance()
    if app is None:
        _fresh_worker_processes()
        _quiet_qt_messages()
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
        app.setApplicationName("readinglist")
        app.setOrganizationName("readinglist")
        app.setApplicationDisplayName("readinglist")
        app.setDesktopFileName(APP_ID)
        app.setWindowIcon(application_icon())
    apply_scheme(app, dark)
    return app


def application_icon() -> QIcon:
    """The window's icon where no desktop file names one (Windows, a bundle, a source run)."""
    from PySide6.QtGui import QIcon

    from readinglist.services.resources import resource

    return QIcon(str(resource("icons", "readinglist.svg")))


def _scratch_settings():
    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="readinglist-settings-")
    return QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)


def no_display() -> str:
    """Why no window can open here (empty when one can): Qt would abort with a cryptic note."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return ""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return ""
    return (
        "no graphical display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        "Start readinglist from your desktop, or use its commands: readinglist --help"
    )


def run(library_path: Path | str | None, files: Sequence[str] = ()) -> int:
    """The desktop application, on the given (or the default) library; ``files`` (what the
    desktop's "Open with" passes) are shown in the import preview, as a dropped file is."""
    reason = no_display()
    if reason:
        print(f"readinglist: {reason}", file=sys.stderr)
        return 1
    from PySide6.QtCore import QSettings

    from readinglist.gui.file_open import FilesOpened
    from readinglist.gui.main_window import MainWindow
    from readinglist.gui.single_instance import SingleInstance
    from readinglist.services.location import default_library_folder

    app = application()
    if isinstance(library_path, str):  # a shared library: one window per address
        from readinglist.storage.postgresql import redacted

        folder = Path("/shared-library") / redacted(library_path)
    else:
        folder = Path(library_path).expanduser() if library_path else default_library_folder()
    instance = SingleInstance(folder)
    if not instance.listen(files):
        print("readinglist: already open on this library; brought its window forward")
        return 0
    library, restored = open_or_restore(library_path, _ask_to_restore)
    if library is None:
        return 1
    window = MainWindow(library, QSettings())
    instance.activated.connect(window.bring_forward)
    instance.files_requested.connect(window.preview_files)
    opened = FilesOpened(app, window.preview_files)  # macOS: "Open with" sends events
    window.show()
    if restored:
        window.controller.rebuild_index()
    if files:
        window.preview_files([str(Path(f).expanduser().absolute()) for f in files])
    try:
        return app.exec()
    finally:
        app.removeEventFilter(opened)
        instance.close()
        library.close()


def open_or_restore(library_path: Path | str | None, ask: Callable[[DamagedLibrary], bool]):
    """The library, opened for the window; a damaged one is offered its newest sound backup
    (``ask`` says whether to restore it; the damaged file is kept aside). Returns the library,
    or None, and whether a backup was restored (its search index must then be rebuilt)."""
    from PySide6.QtWidgets import QMessageBox

    from readinglist.services.backups import restore
    from readinglist.services.library import Library

    try:
        return Library.open(library_path, catch_up=False), False
    except DamagedLibrary as damaged:
        if damaged.backup is None or not ask(damaged):
            if damaged.backup is None:
                QMessageBox.critical(None, "readinglist", str(damaged))
            return None, False
        try:
            restore(damaged.path.parent, damaged.backup.name)
            return Library.open(library_path, catch_up=False), True
        except (LibraryError, OSError, sqlite3.Error) as error:
            QMessageBox.critical(None, "readinglist", f"The backup could not be restored: {error}")
            return None, False
    except LibraryError as error:
        QMessageBox.critical(None, "readinglist", str(error))
        return None, False


def _ask_to_restore(damaged: DamagedLibrary) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "The library is damaged", str(damaged))
    box.setInformativeText(
        "Restore that backup? The damaged file is kept aside under another name, never "
        "deleted; what was changed after the backup is in it."
    )
    when = f"{damaged.backup.local_time:%Y-%m-%d %H:%M}"
    restore_button = box.addButton(
        f"Restore the backup of {when}", QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is restore_button


def self_test(library_path: Path | None, files: Sequence[Path] = ()) -> int:
    """Open the window on the library, load it, search, import ``files`` through the import
    preview, close: exit 0 when all of it worked. Packaging runs it on a wheel and a bundle,
    so it also checks that the files they must carry are there. Without a library it works on
    a temporary one holding the sample library (and never touches the user's own)."""
    if library_path is not None:
        return _self_test(library_path, files, sample=False)
    with tempfile.TemporaryDirectory(prefix="readinglist-self-test-") as folder:
        return _self_test(Path(folder) / "library", files, sample=True)


def _self_test(library_path: Path, files: Sequence[Path], sample: bool) -> int:
    _platform_for_scripts()
    from readinglist.gui.main_window import MainWindow
    from readinglist.gui.theme import icon_font_missing
    from readinglist.services.library import Library

    started = time.monotonic()
    app = application()
    try:
        library = Library.open(library_path, catch_up=False)
        if sample:
            library.open_sample()
    except (LibraryError, OSError) as error:
        print(f"self-test failed: {error}", file=sys.stderr)
        return 1
    window = None
    imported = []
    try:
        if app.windowIcon().pixmap(64, 64).isNull():  # no file, or no SVG plugin to read it
            raise AssertionError("the application icon is missing or unreadable")
        missing = icon_font_missing()
        if missing:
            raise AssertionError(missing)
        window = MainWindow(library, _scratch_settings())
        window.show()
        _wait(window, started)
        expected = library.count()
        if window.model.rowCount() != expected:
            raise AssertionError(f"the table shows {window.model.rowCount()} of {expected}")
        word = _a_word(window)
        window.search.set_text(word)
        _wait(window, started)
        if expected and window.model.rowCount() == 0:
            raise AssertionError(f"searching for {word!r} found nothing")
        window.search.set_text("")
        _wait(window, started)
        for path in files:
            added = _import_through_preview(window, library, Path(path), started)
            imported.append(f", imported {added:,} papers from {Path(path).name}")
        if files:
            imported.append(_rebuild_index(window, library, started))
    except Exception as error:
        print(f"self-test failed: {error}", file=sys.stderr)
        return 1
    finally:
        if window is not None:
            window.close()  # stops and waits for its worker threads
            app.processEvents()
        library.close()
    seconds = time.monotonic() - started
    done = "".join(imported)
    print(f"self-test passed: {expected:,} papers, searched for {word!r}{done}, {seconds:.1f} s")
    return 0


def _import_through_preview(window, library, path: Path, started: float) -> int:
    """What "Open with readinglist" does with a file: its preview, then import all of it, and
    the search finds it once the index has caught up (a large import is analysed in helper
    processes, which a frozen bundle must be able to start)."""
    before = library.count()
    window.preview_dialog = None
    window.preview_files([str(path)])
    _wait(window, started)
    dialog = window.preview_dialog
    if dialog is None:
        error = getattr(window, "last_error", "")
        raise AssertionError(f"no import preview opened for {path}: {error}")
    chosen = dialog.chosen()
    if not chosen:
        raise AssertionError(f"the preview of {path} offers no paper to import")
    title = dialog.model.preview.candidates[chosen[0]].draft.title
    dialog.accept()
    _wait(window, started, index_too=True)
    added = library.count() - before
    if added <= 0:
        raise AssertionError(f"importing {path} added no paper")
    word = _longest_word(title)
    _search_finds(window, word, started, f"searching for {word!r} found nothing of {path}")
    return added


def _search_finds(window, word: str, started: float, failure: str) -> None:
    """Type ``word`` into the search field, expect rows, and clear it again."""
    window.search.set_text(word)
    _wait(window, started)
    if window.model.rowCount() == 0:
        raise AssertionError(failure)
    window.search.set_text("")
    _wait(window, started)


def _rebuild_index(window, library, started: float) -> str:
    """Tools ▸ Rebuild the search index: from a thousand papers on, it analyses them in helper
    processes, each a new start of this program (in a bundle: of the frozen executable)."""
    rebuilt: list[int] = []
    window.controller.rebuild_index(on_done=rebuilt.append)
    _wait(window, started, index_too=True)
    if rebuilt != [library.count()]:
        error = getattr(window, "last_error", "")
        raise AssertionError(f"rebuilding the search index failed: {error or rebuilt}")
    word = _a_word(window)
    _search_finds(window, word, started, f"after rebuilding, {word!r} found nothing")
    return f", rebuilt the search index of {rebuilt[0]:,} papers"


def _a_word(window) -> str:
    """A word of the first paper's title, so the search must find at least that paper."""
    view = window.model.view(0) if window.model.rowCount() else None
    return _longest_word(view.title) if view is not None else "paper"


def _longest_word(title: str) -> str:
    words = [w.strip(".,:;!?()[]{}\"'") for w in title.split()]
    words = [w for w in words if len(w) > 3 and w.isalpha()]
    return max(words, key=len) if words else "paper"


def _wait(window, started: float, index_too: bool = False) -> None:
    if time.monotonic() - started > SELF_TEST_SECONDS:
        raise TimeoutError("the window did not finish loading in time")
    window.wait_idle(index_too)


def screenshot(
    library_path: Path | None,
    out: Path,
    dark: bool = False,
    select: str | None = None,
    query: str | None = None,
    preview: Path | None = None,
    size: tuple[int, int] = (1400, 860),
) -> int:
    """Render the main window (or an import preview over it) to a PNG and exit."""
    _platform_for_scripts()
    from readinglist.gui.main_window import MainWindow
    from readinglist.services.library import Library

    app = application(dark=True if dark else None)
    try:
        library = Library.open(library_path, catch_up=False)
    except LibraryError as error:
        print(f"screenshot failed: {error}", file=sys.stderr)
        return 1
    try:
        window = MainWindow(library, _scratch_settings())
        window.resize(*size)
        window.show()
        window.wait_idle()
        if query:
            window.search.set_text(query)
            window.wait_idle()
        if select:
            window.select_papers([library.get(select).id])
        elif window.model.rowCount():
            window.select_papers([window.model.paper_id(0)])
        app.processEvents()
        target = window
        if preview is not None:
            job = window.preview_files([str(preview)])
            job.wait()
            window.wait_idle()
            target = window.preview_dialog
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not target.grab().save(str(out)):
            raise OSError(f"cannot write {out}")
        window.close()
    except LibraryError as error:
        print(f"screenshot failed: {error}", file=sys.stderr)
        return 1
    finally:
        library.close()
    print(f"saved {out}")
    return 0
