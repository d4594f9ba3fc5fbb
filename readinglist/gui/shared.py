"""The window's side of a shared library: following other people's changes, saying when the
server is out of reach, and opening a shared library from the File menu."""

from __future__ import annotations

import sys
from datetime import datetime

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QSettings, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from readinglist.services.library import Library
from readinglist.storage.postgresql import is_server_address, password_of, redacted

RECENT_KEY = "shared/recent"  # addresses without passwords, newest first


class FeedBridge(QObject):
    """Carries what the change feed's listener thread learns to the window's thread (a
    signal emitted on another thread is delivered on the receiver's)."""

    changes = Signal(object)  # Changes
    online = Signal(bool)

    def follow(self, library: Library) -> None:
        library.listen(self.changes.emit, self.online.emit)


class SharedLibraryBar(QWidget):
    """A line over the table while the server cannot be reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shared-bar")
        self.setStyleSheet("#shared-bar { background: rgba(217, 154, 0, 0.16); }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.hide()

    def set_online(self, online: bool) -> None:
        if online:
            self.hide()
            return
        self.label.setText(
            f"<b>Working offline</b> since {datetime.now():%H:%M}: the shared library's server "
            "cannot be reached. You see this computer's copy of it; your changes are kept "
            "and sent when the server is back."
        )
        self.show()


class OpenSharedDialog(QDialog):
    """Where a shared library is, and a password if ~/.pgpass holds none. The password goes
    to the new window through its environment, never onto a command line or into settings."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Open shared library")
        self.address = QLineEdit(self)
        self.address.setObjectName("shared-address")
        self.address.setPlaceholderText("postgresql://you@labserver/papers")
        self.address.setMinimumWidth(420)
        recent = recent_addresses(settings)
        if recent:
            self.address.setText(recent[0])
        self.password = QLineEdit(self)
        self.password.setObjectName("shared-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only if ~/.pgpass or PGPASSWORD has none")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("Address", self.address)
        form.addRow("Password", self.password)
        hint = QLabel(
            "A PostgreSQL database that holds a shared library, or an empty one to start "
            "it in (readinglist share copies a library into one).",
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._open)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _open(self) -> None:
        address = self.address.text().strip()
        if not is_server_address(address):
            self.problem.setText("The address starts with postgresql://")
            self.problem.show()
            return
        remember_address(self.settings, address)
        launch_window(address, self.password.text())
        self.accept()


def recent_addresses(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    return [value] if isinstance(value, str) else list(value or [])


def remember_address(settings: QSettings, address: str) -> None:
    shown = redacted(address)
    recent = [shown] + [a for a in recent_addresses(settings) if a != shown]
    settings.setValue(RECENT_KEY, recent[:8])


def launch_window(address: str, password: str = "") -> bool:
    """A window of its own for the shared library (one library per window, as for files).
    A password typed into the address moves to the new window's environment too: a command
    line is readable by everyone on the computer (``ps``)."""
    password = password or password_of(address) or ""
    address = redacted(address)
    process = QProcess()
    environment = QProcessEnvironment.systemEnvironment()
    if password:
        environment.insert("PGPASSWORD", password)
    process.setProcessEnvironment(environment)
    process.setProgram(sys.executable)
    process.setArguments(["-m", "readinglist", "--library", address])
    started, _pid = process.startDetached()
    return started


class ConflictsDialog(QDialog):
    """Every edit of this user's that waits for a choice, whatever it was an edit of (a
    list's order has no paper to show it beside). Not modal: the window stays usable."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        from readinglist.gui.widgets.conflict_banner import ConflictBanner

        super().__init__(parent)
        self.window_ = window
        self.setWindowTitle("Edits waiting for your choice")
        self.setMinimumWidth(520)
        self.banner = ConflictBanner(self, shown=self._shown)
        self.banner.resolve.connect(self._resolve)
        self.empty = QLabel("Nothing waits: every edit went in.", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        waiting = self.window_.library.conflicts()
        self.banner.show_conflicts(waiting)
        self.empty.setVisible(not waiting)

    def _shown(self, conflict, value) -> str:
        import html

        from readinglist.gui.widgets.conflict_banner import _shown

        if conflict.kind != "list" or not isinstance(value, list):
            return _shown(value)
        views = {v.id: v.title for v in self.window_.library.views(value[:5])}
        titles = [html.escape(views.get(i, f"paper {i}")) for i in value[:5]]
        more = f" … and {len(value) - 5} more" if len(value) > 5 else ""
        return " → ".join(titles) + more

    def _resolve(self, conflict_id: int, keep: str) -> None:
        self.window_.controller.resolve(conflict_id, keep, on_done=lambda _c: self.refresh())
