"""The search field: search as you type, debounced so typing never waits; a query's mistake is
shown inline beside it, never as a dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from readinglist.gui.theme import icon, themed

DEBOUNCE_MS = 180
PLACEHOLDER = "Search titles, authors, abstracts, tags, notes…   e.g.  author:vaswani year:2017"


class QueryEdit(QLineEdit):
    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    query_changed = Signal(str)  # after the user paused typing
    save_requested = Signal()
    help_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.edit = QueryEdit(self)
        self.edit.setObjectName("search")
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setClearButtonEnabled(True)
        themed(
            self.edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition),
            "search",
        )
        self.edit.setMinimumWidth(220)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.escape_pressed.connect(self.clear)
        self.save_action = self.edit.addAction(
            icon("save-search"), QLineEdit.ActionPosition.TrailingPosition
        )
        themed(self.save_action, "save-search")
        self.save_action.setToolTip("Save this search in the sidebar")
        self.save_action.triggered.connect(self.save_requested.emit)
        self.save_action.setVisible(False)
        help_action = self.edit.addAction(icon("help"), QLineEdit.ActionPosition.TrailingPosition)
        themed(help_action, "help")
        help_action.setToolTip("How to search: phrases, fields, years, ratings…")
        help_action.triggered.connect(self.help_requested.emit)
        self.edit.textChanged.connect(lambda text: self.save_action.setVisible(bool(text.strip())))
        self.count = QLabel(self)
        self.count.setObjectName("match-count")
        self.problem = QLabel(self)
        self.problem.setObjectName("query-error")
        self.problem.setStyleSheet("color: #d9534f;")
        self.problem.setWordWrap(False)
        self.problem.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.count)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.edit.textChanged.connect(lambda _text: self._timer.start())

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str, immediately: bool = True) -> None:
        self.edit.setText(text)
        if immediately:
            self._timer.stop()
            self._emit()

    def pending(self) -> bool:
        """True while typing has paused for less than the debounce delay."""
        return self._timer.isActive()

    def clear(self) -> None:
        self.set_text("")

    def _emit(self) -> None:
        self.query_changed.emit(self.edit.text())

    def show_count(self, found: int | None) -> None:
        """How many papers the query found (nothing when there is no query)."""
        if found is None:
            self.count.setText("")
        else:
            self.count.setText(f"{found:,} {'match' if found == 1 else 'matches'}")

    def show_problem(self, message: str) -> None:
        """An inline note of what is wrong with the query (empty: nothing)."""
        self.problem.setText(message)
        self.problem.setToolTip(message)
        self.problem.setVisible(bool(message))
