"""A paper's tags as removable chips, and a field that adds one, completing from the tags the
library already has (so 'deep-learning' is not typed three ways)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readinglist.gui.widgets.flow_layout import FlowLayout


class TagChip(QFrame):
    """A tag: its name (click: show the papers with it) and a small ✕ that removes it."""

    clicked = Signal(str)
    removed = Signal(str)

    def __init__(self, name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tag-chip-{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 1, 1)
        layout.setSpacing(2)
        label = QToolButton(self)
        label.setObjectName("tag-name")
        label.setText(name)
        label.setAutoRaise(True)
        label.setToolTip(f"Show the papers tagged {name}")
        label.clicked.connect(lambda: self.clicked.emit(name))
        remove = QToolButton(self)
        remove.setObjectName("tag-remove")
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip(f"Remove the tag {name} from this paper")
        remove.clicked.connect(lambda: self.removed.emit(name))
        layout.addWidget(label)
        layout.addWidget(remove)
        self.remove_button = remove


class TagEditor(QWidget):
    tag_added = Signal(str)
    tag_removed = Signal(str)
    tag_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._chips = QWidget(self)
        self._flow = FlowLayout(self._chips, spacing=4)
        self.field = QLineEdit(self)
        self.field.setObjectName("add-tag")
        self.field.setPlaceholderText("Add a tag…")
        self.field.setClearButtonEnabled(True)
        self._names = QStringListModel(self)
        self.completer = QCompleter(self._names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.field.setCompleter(self.completer)
        self.field.returnPressed.connect(self._add)
        self.completer.activated.connect(lambda _text: self._add())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._chips)
        layout.addWidget(self.field)
        self._tags: tuple[str, ...] = ()

    def set_known_tags(self, names: list[str]) -> None:
        self._names.setStringList(names)

    def tags(self) -> tuple[str, ...]:
        return self._tags

    def set_tags(self, tags: tuple[str, ...]) -> None:
        if tags == self._tags and self._flow.count() == len(tags):
            return
        self._tags = tuple(tags)
        while self._flow.count():
            item = self._flow.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()  # at once: deleteLater waits for the event loop
                item.widget().deleteLater()
        for name in tags:
            chip = TagChip(name, self._chips)
            chip.removed.connect(self.tag_removed.emit)
            chip.clicked.connect(self.tag_clicked.emit)
            self._flow.addWidget(chip)
        self._chips.setVisible(bool(tags))
        self._chips.updateGeometry()

    def _add(self) -> None:
        name = self.field.text().strip()
        self.field.clear()
        if name and name.casefold() not in {t.casefold() for t in self._tags}:
            self.tag_added.emit(name)
