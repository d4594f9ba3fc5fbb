"""The import preview: what a file, a drop or the clipboard would bring, before anything is
stored. Duplicates are flagged and unticked, every error is listed with its line, and the
user picks what to take."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from readinglist.services.preview import Candidate, ImportPreview

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("", "Title", "Authors", "Year", "In your library?")


def _state(candidate: Candidate, previews: list[Candidate]) -> str:
    if candidate.duplicate_of is not None:
        how = {"doi": "same DOI", "arxiv id": "same arXiv id"}.get(candidate.reason, "same title")
        return f"Already there ({how}): {candidate.duplicate_title}"
    if candidate.repeats is not None:
        return f"Repeats entry {candidate.repeats + 1} of this source"
    return "New"


class CandidateModel(QAbstractTableModel):
    picked_changed = Signal(int)

    def __init__(self, preview: ImportPreview, parent=None) -> None:
        super().__init__(parent)
        self.preview = preview
        self._picked = [c.is_new for c in preview.candidates]

    def picked(self) -> list[int]:
        return [i for i, on in enumerate(self._picked) if on]

    def set_all(self, on: bool) -> None:
        self._picked = [on] * len(self._picked)
        if self._picked:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._picked) - 1, 0))
        self.picked_changed.emit(len(self.picked()))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.preview.candidates)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        candidate = self.preview.candidates[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            on = self._picked[index.row()]
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and column == 4 and not candidate.is_new:
            font = QFont()
            font.setItalic(True)
            return font
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        draft = candidate.draft
        if column == 1:
            return draft.title or "(no title)"
        if column == 2:
            names = [a.last for a in draft.authors]
            return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        if column == 3:
            return str(draft.year) if draft.year else ""
        if column == 4:
            return _state(candidate, self.preview.candidates)
        return None

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if hasattr(value, "value") else value
            self._picked[index.row()] = state == Qt.CheckState.Checked.value
            self.dataChanged.emit(index, index)
            self.picked_changed.emit(len(self.picked()))
            return True
        return False

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("import-preview")
        self.setWindowTitle(f"Import from {preview.source}")
        self.preview = preview
        self.model = CandidateModel(preview, self)
        found = len(preview.candidates)
        already = sum(1 for c in preview.candidates if c.duplicate_of is not None)
        repeats = sum(1 for c in preview.candidates if c.repeats is not None)
        errors = len(preview.errors)
        parts = [f"{found:,} {'paper' if found == 1 else 'papers'} found"]
        if already:
            parts.append(f"{already:,} already in your library")
        if repeats:
            parts.append(f"{repeats:,} repeated in the source")
        if errors:
            parts.append(f"{errors:,} {'entry' if errors == 1 else 'entries'} could not be read")
        self.summary = QLabel(" · ".join(parts), self)
        self.summary.setObjectName("preview-summary")
        bold = QFont(self.summary.font())
        bold.setBold(True)
        self.summary.setFont(bold)
        detail = QLabel(
            f"Format: {preview.format or 'unknown'} · encoding {preview.encoding}. "
            "Papers already in your library are unticked; ticking one fills in its empty "
            "fields and adds its tags, nothing is overwritten.",
            self,
        )
        detail.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("preview-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(2, 180)
        header.resizeSection(3, 56)
        header.resizeSection(4, 240)
        self.problems = QListWidget(self)
        self.problems.setObjectName("preview-problems")
        for problem in preview.problems:
            where = f"line {problem.line}" if problem.line else preview.source
            kind = "Error" if problem.severity == "error" else "Warning"
            self.problems.addItem(f"{kind}, {where}: {problem.message}")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        box = QWidget(splitter)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel("Problems in the source (nothing is lost: fix and re-import)"))
        box_layout.addWidget(self.problems)
        splitter.addWidget(box)
        box.setVisible(bool(preview.problems))
        splitter.setSizes([400, 120])
        pick_all = QPushButton("Select all", self)
        pick_all.clicked.connect(lambda: self.model.set_all(True))
        pick_none = QPushButton("Select none", self)
        pick_none.clicked.connect(lambda: self.model.set_all(False))
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("preview-import")
        self.import_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(pick_all)
        row.addWidget(pick_none)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(detail)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.model.picked_changed.connect(self._update_button)
        self._update_button(len(self.model.picked()))
        self.resize(880, 560)

    def _update_button(self, count: int) -> None:
        self.import_button.setText(f"Import {count:,}")
        self.import_button.setEnabled(count > 0)

    def chosen(self) -> list[int]:
        return self.model.picked()
