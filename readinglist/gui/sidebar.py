"""The sidebar: the library's places with live counts; papers dropped on a reading list join
it, papers dropped on a tag get it. Several tags selected together filter by all of them."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from readinglist.gui.paper_model import PAPER_MIME, paper_ids_from
from readinglist.gui.places import ALL, PLACE_TITLES, Place
from readinglist.gui.theme import icon, muted_color
from readinglist.services.overview import LibraryCounts
from readinglist.services.saved_searches import SavedSearchView

PLACE_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_ROLE = Qt.ItemDataRole.UserRole + 2
EMPTY_HINTS = {
    "Reading lists": "New reading list: Ctrl+Shift+N",
    "Tags": "Tag papers in the detail pane",
    "Saved searches": "Save one from the search field",
}
STATUS_PLACES = (
    ("to-read", "To read", "to-read"),
    ("reading", "Reading", "reading"),
    ("read", "Read", "read"),
)


class SidebarModel(QStandardItemModel):
    papers_dropped = Signal(object, list)  # Place, paper ids

    def mimeTypes(self) -> list[str]:
        return [PAPER_MIME]

    def canDropMimeData(self, data: QMimeData, action, row, column, parent) -> bool:
        place = self._target(row, parent)
        return data.hasFormat(PAPER_MIME) and place is not None

    def dropMimeData(self, data: QMimeData, action, row, column, parent) -> bool:
        place = self._target(row, parent)
        ids = paper_ids_from(data)
        if place is None or not ids:
            return False
        self.papers_dropped.emit(place, ids)
        return False  # nothing moves in the sidebar itself

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def _target(self, row: int, parent: QModelIndex) -> Place | None:
        if row >= 0 or not parent.isValid():
            return None  # between items: not a drop on a list or tag
        place = parent.siblingAtColumn(0).data(PLACE_ROLE)
        if isinstance(place, Place) and place.kind in ("list", "tags"):
            return place
        return None


class Sidebar(QTreeView):
    place_changed = Signal(object)  # Place
    context_requested = Signal(object, QPoint)  # Place, global position

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.model_ = SidebarModel(self)
        self.setModel(self.model_)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.setUniformRowHeights(True)
        self.setStyleSheet("QTreeView#sidebar::item { padding: 3px 2px; }")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self._sections: dict[str, QStandardItem] = {}
        self._place = ALL
        self._build()
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self.select_place(ALL)

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.model_.clear()
        self.model_.setColumnCount(2)
        for name in ("Library", "Reading lists", "Tags", "Saved searches"):
            header = QStandardItem(name.upper())
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont(self.font())
            font.setBold(True)
            font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
            header.setFont(font)
            header.setForeground(muted_color())
            spacer = QStandardItem("")
            spacer.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.model_.appendRow([header, spacer])
            self._sections[name] = header
        library = self._sections["Library"]
        self._add(library, Place("all"), "all", PLACE_TITLES["all"])
        for status, title, icon_name in STATUS_PLACES:
            self._add(library, Place("status", status), icon_name, title)
        self._add(library, Place("recent"), "recent", PLACE_TITLES["recent"])
        self._add(library, Place("unfiled"), "unfiled", PLACE_TITLES["unfiled"])
        self._add(library, Place("trash"), "trash", PLACE_TITLES["trash"])
        self.expandAll()
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def _add(self, section: QStandardItem, place: Place, icon_name: str, title: str) -> None:
        item = QStandardItem(icon(icon_name), title)
        item.setData(place, PLACE_ROLE)
        item.setData(icon_name, ICON_ROLE)
        item.setToolTip(title)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if place.kind in ("list", "tags"):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        count = QStandardItem("")
        count.setFlags(flags)
        count.setData(place, PLACE_ROLE)
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count.setForeground(muted_color())
        section.appendRow([item, count])

    def restyle(self) -> None:
        """New icons and greys after a light/dark switch."""
        muted = muted_color()
        for section in self._sections.values():
            section.setForeground(muted)
            for row in range(section.rowCount()):
                item, count = section.child(row, 0), section.child(row, 1)
                name = item.data(ICON_ROLE)
                if name:
                    item.setIcon(icon(name))
                else:
                    item.setForeground(muted)  # a hint line
                count.setForeground(muted)

    def _hint(self, section: QStandardItem, text: str) -> None:
        """A line under an empty section saying how to fill it."""
        hint = QStandardItem(text)
        hint.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(self.font())
        font.setItalic(True)
        hint.setFont(font)
        hint.setForeground(muted_color())
        hint.setToolTip(text)
        blank = QStandardItem("")
        blank.setFlags(Qt.ItemFlag.NoItemFlags)
        section.appendRow([hint, blank])

    def update_counts(
        self,
        counts: LibraryCounts,
        searches: list[SavedSearchView],
        matches: dict[str, int | None] | None = None,
    ) -> None:
        """New numbers and the current lists, tags and saved searches; the selection stays."""
        selected = self.selected_places()
        blocker = self.selectionModel().blockSignals(True)
        try:
            for name, places in (
                ("Reading lists", [(Place("list", s.name), "list", s.name) for s in counts.lists]),
                ("Tags", [(Place("tags", t.name, (t.name,)), "tag", t.name) for t in counts.tags]),
                (
                    "Saved searches",
                    [
                        (Place("search", s.name, query=s.query), "saved-search", s.name)
                        for s in searches
                    ],
                ),
            ):
                section = self._sections[name]
                section.removeRows(0, section.rowCount())
                for place, icon_name, title in places:
                    self._add(section, place, icon_name, title)
                if not places:
                    self._hint(section, EMPTY_HINTS[name])
            numbers = {
                Place("all"): counts.all,
                Place("recent"): counts.recent,
                Place("unfiled"): counts.unfiled,
                Place("trash"): counts.trash,
            }
            for status, _, _ in STATUS_PLACES:
                numbers[Place("status", status)] = counts.by_status.get(status, 0)
            for summary in counts.lists:
                numbers[Place("list", summary.name)] = summary.count
            for tag in counts.tags:
                numbers[Place("tags", tag.name, (tag.name,))] = tag.count
            for saved in searches:
                found = (matches or {}).get(saved.name)
                if found is not None:
                    numbers[Place("search", saved.name, query=saved.query)] = found
            for section in self._sections.values():
                for row in range(section.rowCount()):
                    place = section.child(row, 0).data(PLACE_ROLE)
                    number = numbers.get(place)
                    section.child(row, 1).setText("" if number is None else f"{number:,}")
            self.expandAll()
        finally:
            self.selectionModel().blockSignals(blocker)
        still = [p for p in selected if self._index_of(p) is not None]
        if still:
            self._select(still)
        else:
            self.select_place(ALL)
            self._selection_changed()

    # --- selection --------------------------------------------------------------------------
    def place(self) -> Place:
        return self._place

    def selected_places(self) -> list[Place]:
        places = []
        for index in self.selectionModel().selectedRows(0):
            place = index.data(PLACE_ROLE)
            if isinstance(place, Place):
                places.append(place)
        return places

    def select_place(self, place: Place) -> bool:
        return self._select([place])

    def _select(self, places: list[Place]) -> bool:
        indexes = [i for i in (self._index_of(p) for p in places) if i is not None]
        if not indexes:
            return False
        selection = self.selectionModel()
        blocker = selection.blockSignals(True)
        selection.clearSelection()
        for index in indexes:
            selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        selection.setCurrentIndex(indexes[0], selection.SelectionFlag.NoUpdate)
        selection.blockSignals(blocker)
        self._selection_changed()
        return True

    def _index_of(self, place: Place) -> QModelIndex | None:
        for section in self._sections.values():
            for row in range(section.rowCount()):
                item = section.child(row, 0)
                if item.data(PLACE_ROLE) == place:
                    return item.index()
        return None

    def _selection_changed(self, *_args) -> None:
        places = self.selected_places()
        if not places:
            return
        tags = [p for p in places if p.kind == "tags"]
        if len(places) > 1 and len(tags) == len(places):
            place = Place("tags", tags=tuple(t for p in tags for t in p.tags))
        else:
            current = self.currentIndex().siblingAtColumn(0).data(PLACE_ROLE)
            place = current if isinstance(current, Place) and current in places else places[0]
        if place != self._place:
            self._place = place
            self.place_changed.emit(place)

    def _context_menu(self, position: QPoint) -> None:
        place = self.indexAt(position).siblingAtColumn(0).data(PLACE_ROLE)
        if isinstance(place, Place):
            self.context_requested.emit(place, self.viewport().mapToGlobal(position))
