"""The paper table's model: a list of ids from the database, rows loaded a page at a time.

A 100,000-paper library is 100,000 integers here; only the pages the user scrolls past are
read (and a bounded number kept), and sorting is the database's job (``sort_requested``)."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from readinglist.domain.views import PaperView

log = logging.getLogger(__name__)
PAPER_MIME = "application/x-readinglist-papers"
PAGE = 200
MAX_PAGES = 64  # rows kept in memory: at most PAGE * MAX_PAGES
STATUS_TITLES = {
    "unread": "Unread",
    "to-read": "To read",
    "reading": "Reading",
    "read": "Read",
    "abandoned": "Abandoned",
}
AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT_ALIGNED = ("year", "added")
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
ROW_FLAGS_REORDERABLE = ROW_FLAGS | Qt.ItemFlag.ItemIsDropEnabled
DROP_ONLY = Qt.ItemFlag.ItemIsDropEnabled
NO_FLAGS = Qt.ItemFlag.NoItemFlags
STAR_COLOR = QColor("#e0a100")  # the stars' gold, as in the detail pane


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: str  # the database's sort key
    width: int
    shown: bool = True  # before the user chooses


COLUMNS = (
    Column("title", "Title", "title", 360),
    Column("authors", "Authors", "author", 170),
    Column("year", "Year", "year", 50),
    Column("venue", "Venue", "venue", 170, shown=False),
    Column("rating", "Rating", "rating", 82),
    Column("status", "Status", "status", 72),
    Column("tags", "Tags", "tags", 130),
    Column("added", "Added", "added", 90, shown=False),
)


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating) if rating else ""


def paper_ids_from(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(PAPER_MIME):
        return []
    try:
        return [int(i) for i in json.loads(bytes(mime.data(PAPER_MIME)).decode())]
    except (ValueError, TypeError):
        return []


class PaperTableModel(QAbstractTableModel):
    sort_requested = Signal(str, bool)  # sort key, descending
    load_failed = Signal(str)
    reorder_requested = Signal(list, int)  # dragged paper ids, row they were dropped on

    def __init__(self, loader: Callable[[Sequence[int]], list[PaperView]], parent=None) -> None:
        super().__init__(parent)
        self._load = loader
        self._ids: list[int] = []
        self._rows: dict[int, int] | None = None
        self._pages: OrderedDict[int, list[PaperView | None]] = OrderedDict()
        self.reorderable = False  # a reading list in its own order

    # --- what the table shows -----------------------------------------------------------------
    def set_ids(self, ids: Sequence[int], reorderable: bool = False) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = None
        self._pages.clear()
        self.reorderable = reorderable
        self.endResetModel()

    def ids(self) -> list[int]:
        return list(self._ids)

    def paper_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, paper_id: int) -> int | None:
        if self._rows is None:
            self._rows = {pid: row for row, pid in enumerate(self._ids)}
        return self._rows.get(paper_id)

    def view(self, row: int) -> PaperView | None:
        if not 0 <= row < len(self._ids):
            return None
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
        else:
            self._pages.move_to_end(number)
        return page[row - number * PAGE]

    def _read_page(self, number: int) -> list[PaperView | None]:
        ids = self._ids[number * PAGE : (number + 1) * PAGE]
        try:
            found = {v.id: v for v in self._load(ids)}
        except Exception as error:  # a painted row must never raise into Qt
            log.warning("cannot read rows %s–%s: %s", ids[:1], ids[-1:], error)
            self.load_failed.emit(f"Some papers could not be read: {error}")
            return [None] * len(ids)  # not kept: the next paint asks again
        page = [found.get(i) for i in ids]
        self._pages[number] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def refresh(self, paper_ids: Sequence[int]) -> None:
        """Forget what the rows of ``paper_ids`` showed and let the view ask again."""
        if len(paper_ids) > len(self._pages) * PAGE:  # many: cheaper to forget every page
            self.refresh_all()
            return
        rows = [r for r in (self.row_of(i) for i in paper_ids) if r is not None]
        for number in {r // PAGE for r in rows}:
            self._pages.pop(number, None)
        if rows:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    def refresh_all(self) -> None:
        self._pages.clear()
        if self._ids:
            last = self.index(len(self._ids) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # --- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].key in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return Qt.SortOrder.AscendingOrder
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.ForegroundRole:
            return STAR_COLOR if key == "rating" else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in RIGHT_ALIGNED:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        view = self.view(index.row())
        if view is None:
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title":
                return view.title
            if key == "authors":
                return "; ".join(a.display for a in view.authors)
            if key == "rating":
                return f"{view.rating} of 5 stars" if view.rating else "Not rated"
            return None
        return _cell(view, key)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        # Qt asks this for every cell of a selection (800,000 times for Ctrl+A on 100,000
        # papers): constants only, no flag arithmetic per call.
        if not index.isValid():
            return DROP_ONLY if self.reorderable else NO_FLAGS
        return ROW_FLAGS_REORDERABLE if self.reorderable else ROW_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.sort_requested.emit(COLUMNS[column].sort, descending)

    # --- drag and drop --------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [PAPER_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(PAPER_MIME, json.dumps([self._ids[r] for r in rows]).encode())
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return self.reorderable and data.hasFormat(PAPER_MIME)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._ids)
        ids = paper_ids_from(data)
        if ids:
            self.reorder_requested.emit(ids, row)
        return False  # the list is reordered by the service; the view must not move rows


def _cell(view: PaperView, key: str) -> str:
    if key == "title":
        return view.title
    if key == "authors":
        return authors_cell(view)
    if key == "year":
        return str(view.year) if view.year is not None else ""
    if key == "venue":
        return view.venue
    if key == "rating":
        return stars(view.rating)
    if key == "status":
        return STATUS_TITLES.get(view.status, view.status)
    if key == "tags":
        return ", ".join(view.tags)
    if key == "added":
        return view.added_at.astimezone().strftime("%Y-%m-%d") if view.added_at else ""
    return ""


def authors_cell(view: PaperView) -> str:
    """'Vaswani, Shazeer, … +6': the first two, and how many more."""
    names = [a.last for a in view.authors]
    if len(names) <= 3:
        return ", ".join(names)
    return f"{names[0]}, {names[1]}, … +{len(names) - 2}"


def reordered(order: Sequence[int], moved: Sequence[int], row: int) -> list[int]:
    """``order`` with the papers ``moved`` taken out and put back before what sat at ``row``."""
    moving = [i for i in dict.fromkeys(moved) if i in set(order)]
    chosen = set(moving)
    anchor = next((i for i in order[row:] if i not in chosen), None)
    rest = [i for i in order if i not in chosen]
    at = rest.index(anchor) if anchor is not None else len(rest)
    return rest[:at] + moving + rest[at:]
