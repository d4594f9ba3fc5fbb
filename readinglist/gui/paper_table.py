"""The paper table's view: keys 0–5 rate the selection, papers drag out (onto a reading list
or a tag) and, inside a list in its own order, drag to a new place; the header chooses,
orders and sorts the columns."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QTableView

from readinglist.gui.paper_model import COLUMNS, PaperTableModel
from readinglist.gui.theme import mute


class PaperTable(QTableView):
    rate_requested = Signal(int)
    context_requested = Signal(QPoint)
    default_order_requested = Signal()
    selected_all = Signal()

    def __init__(self, model: PaperTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("papers")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self.context_requested.emit)
        vertical = self.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for number, column in enumerate(COLUMNS):
            header.resizeSection(number, column.width)
            header.setSectionHidden(number, not column.shown)
        # The title takes whatever width the other columns leave, at any window size.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(self._sort_changed)
        # What an empty table means ("no papers match …"), over its blank viewport.
        self.empty_note = QLabel(self.viewport())
        self.empty_note.setObjectName("empty-note")
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        mute(self.empty_note)
        self.empty_note.hide()
        model.modelReset.connect(self._update_empty_note)
        self._empty_text = ""
        self.default_order_text = "Newest first"

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self._update_empty_note()

    def _update_empty_note(self) -> None:
        empty = self.model().rowCount() == 0 and bool(self._empty_text)
        self.empty_note.setText(self._empty_text)
        self.empty_note.setVisible(empty)
        if empty:
            self.empty_note.setGeometry(self.viewport().rect().adjusted(24, 24, -24, -24))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_empty_note()

    def paper_model(self) -> PaperTableModel:
        model = self.model()
        assert isinstance(model, PaperTableModel)
        return model

    # --- sorting (by the database) ----------------------------------------------------------
    # The header flips its own indicator on a click; a change of indicator asks the model to
    # sort, and the model asks the database.
    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if 0 <= section < len(COLUMNS):
            self.paper_model().sort(section, order)

    def sort_by(self, section: int, order: Qt.SortOrder) -> None:
        self.horizontalHeader().setSortIndicator(section, order)

    def show_sort(self, section: int, order: Qt.SortOrder) -> None:
        """Show an order already in effect, without asking for it again."""
        header = self.horizontalHeader()
        blocked = header.blockSignals(True)
        header.setSortIndicator(section, order)
        header.blockSignals(blocked)

    def clear_sort(self) -> None:
        header = self.horizontalHeader()
        blocked = header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(blocked)

    # --- columns ----------------------------------------------------------------------------
    def _header_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.default_order_text, self.default_order_requested.emit)
        menu.addSection("Columns")
        header = self.horizontalHeader()
        for number, column in enumerate(COLUMNS):
            action = QAction(column.title, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(number))
            action.setEnabled(number != 0)  # the title always stays
            action.toggled.connect(lambda on, n=number: header.setSectionHidden(n, not on))
            menu.addAction(action)
        menu.exec(header.mapToGlobal(position))

    # --- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and len(text) == 1 and text in "012345":
            self.rate_requested.emit(int(text))
            return
        super().keyPressEvent(event)

    def selected_ids(self) -> list[int]:
        """The selected papers in table order, read from the selection's row ranges (Ctrl+A
        on 100,000 rows is one range, not 100,000 indexes)."""
        ids = self.paper_model().ids()
        rows: set[int] = set()
        spans = sorted((r.top(), r.bottom()) for r in self.selectionModel().selection())
        picked: list[int] = []
        for top, bottom in spans:
            for row in range(max(top, 0), min(bottom, len(ids) - 1) + 1):
                if row not in rows:
                    rows.add(row)
                    picked.append(ids[row])
        return picked

    def selectAll(self) -> None:
        """Ctrl+A as one range, with the selection model quiet while it is set: announced
        cell by cell, Qt asks the model about each of the 800,000 cells of 100,000 papers
        (2 s); quiet, it takes milliseconds. The window is told once, afterwards."""
        model = self.paper_model()
        if model.rowCount() == 0:
            return
        selection_model = self.selectionModel()
        current = selection_model.currentIndex()
        blocked = selection_model.blockSignals(True)
        selection_model.select(
            QItemSelection(
                model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1)
            ),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
        if not current.isValid():
            selection_model.setCurrentIndex(
                model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        selection_model.blockSignals(blocked)
        self.viewport().update()
        self.selected_all.emit()

    def select_rows(self, rows: list[int]) -> None:
        """Select ``rows`` as a few contiguous ranges, in one call."""
        model = self.paper_model()
        selection = QItemSelection()
        last_column = model.columnCount() - 1
        start = previous = None
        for row in sorted(set(rows)):
            if start is None:
                start = previous = row
            elif row == previous + 1:
                previous = row
            else:
                selection.select(model.index(start, 0), model.index(previous, last_column))
                start = previous = row
        if start is not None:
            selection.select(model.index(start, 0), model.index(previous, last_column))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.selectionModel().select(selection, flags)

    def current_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or index.row() >= self.paper_model().rowCount():
            return None
        return self.paper_model().paper_id(index.row())
