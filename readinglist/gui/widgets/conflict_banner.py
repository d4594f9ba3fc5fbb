"""A strip above a paper's details for each edit of this user's that met someone else's edit
of the same field: both values, and a button for each. It never blocks the window; the
edit waits (on disk) until one is pressed."""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from readinglist.domain.changes import Conflict
from readinglist.services.conflicts import OpenConflict

WHAT = {"paper": "", "note": "a note", "list": "a reading list"}


def _shown(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):  # authors
        value = "; ".join(
            a.get("literal") or ", ".join(p for p in (a.get("family"), a.get("given")) if p)
            for a in value
        )
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 300 else text[:299] + "…"
    return html.escape(text) if text else "<i>empty</i>"


class ConflictBanner(QFrame):
    resolve = Signal(int, str)  # conflict id, "mine" or "theirs"

    def __init__(
        self,
        parent: QWidget | None = None,
        shown: Callable[[Conflict, object], str] | None = None,
    ) -> None:
        """``shown`` turns a value into words (a list's order into its papers' titles)."""
        super().__init__(parent)
        self._shown = shown or (lambda _conflict, value: _shown(value))
        self.setObjectName("conflict-banner")
        self.setStyleSheet(
            "#conflict-banner { border: 1px solid #d99a00; border-radius: 6px;"
            " background: rgba(244, 180, 0, 0.14); }"
        )
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(8)
        self.hide()

    def show_conflicts(self, conflicts: list[OpenConflict]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for waiting in conflicts:
            self._layout.addWidget(self._row(waiting))
        self._layout.addStretch(1)  # rows keep their height; room left goes below them
        self.setVisible(bool(conflicts))

    def _row(self, waiting: OpenConflict) -> QWidget:
        conflict = waiting.conflict
        row = QWidget(self)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        field = conflict.field.removeprefix("extra.")
        where = f"the {html.escape(field)}" if conflict.kind == "paper" else WHAT[conflict.kind]
        if conflict.kind == "list":
            where = "the order of a reading list"
        text = QLabel(
            f"<b>Someone else changed {where} while you were editing it.</b><br>"
            f"In the library now: {self._shown(conflict, conflict.theirs)}<br>"
            f"Yours, not saved: {self._shown(conflict, conflict.mine)}",
            row,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        theirs = QPushButton("Keep theirs", row)
        theirs.setObjectName(f"keep-theirs-{waiting.id}")
        mine = QPushButton("Use mine", row)
        mine.setObjectName(f"use-mine-{waiting.id}")
        theirs.clicked.connect(lambda: self.resolve.emit(waiting.id, "theirs"))
        mine.clicked.connect(lambda: self.resolve.emit(waiting.id, "mine"))
        buttons.addWidget(theirs)
        buttons.addWidget(mine)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return row
