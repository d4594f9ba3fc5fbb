"""A paper's tags as removable chips, and a field that adds one, completing from the tags the
library already has (so 'deep-learning' is not typed three ways)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QToolButton, QVBoxLayout, QWidget

from readinglist.gui.widgets.flow_layout import FlowLayout


class TagEditor(QWidget):
    tag_added = Signal(str)
    tag_removed = Signal(str)

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
                item.widget().deleteLater()
        for name in tags:
            chip = QToolButton(self._chips)
            chip.setText(f"{name}  ✕")
            chip.setObjectName(f"tag-chip-{name}")
            chip.setToolTip(f"Remove the tag {name}")
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _checked=False, n=name: self.tag_removed.emit(n))
            self._flow.addWidget(chip)
        self._chips.setVisible(bool(tags))
        self._chips.updateGeometry()

    def _add(self) -> None:
        name = self.field.text().strip()
        self.field.clear()
        if name and name.casefold() not in {t.casefold() for t in self._tags}:
            self.tag_added.emit(name)
