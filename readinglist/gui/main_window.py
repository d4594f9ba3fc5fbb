"""The main window: sidebar, paper table and detail pane, with the search bar on top and the
state of background work at the bottom. It wires the parts together; what each part does lives
in its own module, and every change goes through the controller."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QEventLoop, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtGui import QKeySequence as Keys
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readinglist.domain.changes import Changes
from readinglist.domain.filters import Sort
from readinglist.domain.values import LibraryError
from readinglist.gui.backups_dialog import BackupsDialog, restore_work
from readinglist.gui.controller import LibraryController
from readinglist.gui.detail_pane import DetailPane
from readinglist.gui.exporting import (
    FORMATS,
    ExportFormat,
    bibtex_text,
    export_to,
    suggested_file_name,
)
from readinglist.gui.highlight import query_terms
from readinglist.gui.import_preview import ImportPreviewDialog
from readinglist.gui.jobs import Job
from readinglist.gui.paper_model import COLUMNS, STATUS_TITLES, PaperTableModel, reordered
from readinglist.gui.paper_table import PaperTable
from readinglist.gui.places import ALL, Place
from readinglist.gui.search_bar import SearchBar
from readinglist.gui.shared import (
    ConflictsDialog,
    FeedBridge,
    OpenSharedDialog,
    SharedLibraryBar,
)
from readinglist.gui.sidebar import Sidebar
from readinglist.gui.theme import icon, restyle, themed
from readinglist.gui.welcome import WelcomePage
from readinglist.search.query import parse_query
from readinglist.services.exporting import ExportScope
from readinglist.services.library import Library
from readinglist.services.overview import LibraryCounts
from readinglist.services.preview import ImportPreview

WATCH_MS = 1000
# How often to ask whether a periodic backup is due (it is made at most every N hours).
BACKUP_CHECK_MS = 15 * 60 * 1000
IMPORT_FILTER = "Bibliographies (*.bib *.bibtex *.ris *.txt *.json *.csl.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("main-window")
        self.library = library
        self.settings = settings
        self.controller = LibraryController(library, self)
        self.place: Place = ALL
        self.query = ""
        self.sort: Sort | None = self._default_sort(ALL)
        self._generation = 0
        self._loading: Job | None = None
        self._pending_selection: list[int] | None = None
        self._counts: LibraryCounts | None = None
        self._counts_job: Job | None = None
        self._counts_again = False
        self.loaded_once = False
        self.conflicts_dialog: ConflictsDialog | None = None  # Library > Edits waiting…
        self.setWindowTitle(f"readinglist — {library.address}")
        self.setAcceptDrops(True)
        self._build_parts()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._restore_layout()
        self._watch_other_programs()
        self.reload()
        self.refresh_counts()
        self._catch_up_index()
        self.brought_forward = 0  # times another start asked this window forward
        self._check_file()
        self.periodic_backup()
        self._backup_timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.periodic_backup)
        self._backup_timer.start()

    # --- building ---------------------------------------------------------------------------
    def _build_parts(self) -> None:
        self.model = PaperTableModel(self.library.views, self)
        self.table = PaperTable(self.model, self)
        self.sidebar = Sidebar(self)
        self.detail = DetailPane(self.controller, self)
        self.search = SearchBar(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self._table_with_bars())
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([250, 750, 400])
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setCollapsible(2, True)  # a narrow screen can give the table the room
        self.welcome = WelcomePage(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.welcome)
        self.setCentralWidget(self.pages)

    def _table_with_bars(self) -> QWidget:
        """The table, with a bar over it in the Trash: what can be done there, in plain view."""
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.trash_bar = QWidget(box)
        self.trash_bar.setObjectName("trash-bar")
        bar = QHBoxLayout(self.trash_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        note = QLabel("Papers in the Trash are kept until you empty it.", self.trash_bar)
        restore = themed(QPushButton("Restore selected", self.trash_bar), "restore")
        restore.setObjectName("trash-restore")
        restore.clicked.connect(self.restore_selection)
        empty = themed(QPushButton("Empty Trash…", self.trash_bar), "trash")
        empty.clicked.connect(self.empty_trash)
        bar.addWidget(note, 1)
        bar.addWidget(restore)
        bar.addWidget(empty)
        self.trash_bar.hide()
        self.shared_bar = SharedLibraryBar(box)
        layout.addWidget(self.shared_bar)
        layout.addWidget(self.trash_bar)
        layout.addWidget(self.table, 1)
        return box

    def _action(
        self, text: str, slot, shortcut=None, icon_name: str | None = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            themed(action, icon_name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        stack = self.controller.undo_stack
        self.undo_action = stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(Keys.StandardKey.Undo)
        themed(self.undo_action, "undo")
        self.redo_action = stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([Keys(Keys.StandardKey.Redo), Keys("Ctrl+Shift+Z")])
        themed(self.redo_action, "redo")
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        a = self._action
        self.import_action = a(
            "&Import…",
            self.import_files,
            Keys.StandardKey.Open,
            "import",
            "Import BibTeX, RIS, CSL-JSON or text files",
        )
        self.paste_action = a(
            "&Paste papers",
            self.paste_papers,
            Keys("Ctrl+Shift+V"),
            "paste",
            "Import entries, a copied page or ids from the clipboard",
        )
        self.sample_action = a("Open the &sample library", self.open_sample, None, "sample")
        self.copy_bibtex_action = a(
            "&Copy as BibTeX",
            self.copy_bibtex,
            Keys("Ctrl+Shift+C"),
            "copy",
            "Copy the selected papers as BibTeX",
        )
        self.trash_action = a(
            "Move to &Trash",
            self.trash_selection,
            Keys.StandardKey.Delete,
            "trash",
            "Move the selected papers to the Trash",
        )
        self.restore_action = a("&Restore from Trash", self.restore_selection, None, "restore")
        self.find_action = a("&Find", self.focus_search, Keys.StandardKey.Find, "search")
        self.new_list_action = a(
            "&New reading list…",
            self.new_list,
            Keys("Ctrl+Shift+N"),
            "new-list",
            "Create a reading list",
        )
        self.save_search_action = a(
            "&Save this search…", self.save_current_search, None, "saved-search"
        )
        self.reindex_action = a("&Rebuild the search index", self.rebuild_index, None, "reindex")
        self.check_action = a("&Check the library", self.check_library, None, "check")
        self.backups_action = a("&Backups…", self.show_backups, None, "backups")
        self.empty_trash_action = a("&Empty the Trash…", self.empty_trash, None, "trash")
        self.quit_action = a("&Quit", self.close, Keys.StandardKey.Quit)
        self.export_actions: dict[tuple[str, str], QAction] = {}
        for scope in ("selection", "list", "view"):
            for fmt in FORMATS:
                action = QAction(fmt.title + "…", self)
                action.triggered.connect(lambda _c=False, s=scope, f=fmt: self.export_dialog(s, f))
                self.export_actions[(scope, fmt.name)] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.import_action)
        file.addAction(self.sample_action)
        export = file.addMenu("&Export")
        themed(export.menuAction(), "export")
        for scope, title in (
            ("selection", "Selected papers"),
            ("list", "This reading list"),
            ("view", "Papers shown (this search or view)"),
        ):
            sub = export.addMenu(title)
            for fmt in FORMATS:
                sub.addAction(self.export_actions[(scope, fmt.name)])
        self.export_menu = export
        file.addSeparator()
        file.addAction(self._action("Open &shared library…", self.open_shared_library))
        file.addAction(self.backups_action)
        file.addSeparator()
        file.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(self.paste_action)
        edit.addAction(self.copy_bibtex_action)
        edit.addSeparator()
        edit.addAction(self.trash_action)
        edit.addAction(self.restore_action)
        edit.addSeparator()
        edit.addAction(self.find_action)
        library = bar.addMenu("&Library")
        library.addAction(self.new_list_action)
        library.addAction(self.save_search_action)
        library.addSeparator()
        library.addAction(self.empty_trash_action)
        library.addAction(self.reindex_action)
        library.addAction(self.check_action)
        library.addAction(self._action("Edits waiting for a &choice…", self.show_conflicts))
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("Search &syntax", self.show_query_help))
        help_menu.addAction(self._action("&About readinglist", self.show_about))
        tools = QToolBar("Main", self)
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tools.addAction(self.import_action)
        tools.addAction(self.paste_action)
        export_button = QToolButton(tools)
        export_button.setText("Export")
        themed(export_button, "export")
        export_button.setMenu(export)
        export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tools.addWidget(export_button)
        tools.addSeparator()
        tools.addAction(self.new_list_action)
        tools.addAction(self.undo_action)
        tools.addAction(self.redo_action)
        for action in (self.undo_action, self.redo_action):  # their text names the step
            button = tools.widgetForAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.undo_action.changed.connect(self._undo_tooltips)
        self.redo_action.changed.connect(self._undo_tooltips)
        self._undo_tooltips()
        tools.addSeparator()
        tools.addWidget(self.search)
        self.addToolBar(tools)
        self.toolbar = tools

    def _undo_tooltips(self) -> None:
        for action, key in ((self.undo_action, "Ctrl+Z"), (self.redo_action, "Ctrl+Shift+Z")):
            tip = f"{action.text()} ({key})"
            if action.toolTip() != tip:
                action.setToolTip(tip)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.count_label = QLabel(self)
        self.selection_label = QLabel(self)
        self.index_label = QLabel("Search index up to date", self)
        self.index_label.setObjectName("index-state")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QToolButton(self)
        themed(self.cancel_button, "cancel")
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self._cancel_jobs)
        self.job_label = QLabel(self)
        for widget in (self.job_label, self.progress, self.cancel_button):
            widget.hide()
        status.addWidget(self.count_label)
        status.addWidget(self.selection_label)
        status.addPermanentWidget(self.job_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.index_label)
        status.messageChanged.connect(self._status_message_changed)
        self.index_label.hide()  # shown only while the index is behind

    def _connect(self) -> None:
        self.search.query_changed.connect(self._query_changed)
        self.search.save_requested.connect(self.save_current_search)
        self.search.help_requested.connect(self.show_query_help)
        self.sidebar.place_changed.connect(self._place_changed)
        self.sidebar.context_requested.connect(self._sidebar_menu)
        self.sidebar.model_.papers_dropped.connect(self._dropped_on_place)
        self.model.sort_requested.connect(self._sort_requested)
        self.model.load_failed.connect(self.show_error)
        self.model.reorder_requested.connect(self._reorder_requested)
        self.table.default_order_requested.connect(self.default_order)
        self.table.selected_all.connect(self._selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.table.rate_requested.connect(self.rate_selection)
        self.table.context_requested.connect(self._table_menu)
        self.controller.changed.connect(self._changed)
        self.detail.tag_clicked.connect(
            lambda name: self.sidebar.select_place(Place("tags", name, (name,)))
        )
        self.controller.error.connect(self.show_error)
        self.controller.index_state.connect(self._index_state)
        self.controller.index_updated.connect(self._index_updated)
        self.controller.job_started.connect(self._job_started)
        self.controller.job_finished.connect(self._job_finished)
        self.welcome.import_requested.connect(self.import_files)
        self.welcome.paste_requested.connect(self.paste_papers)
        self.welcome.sample_requested.connect(self.open_sample)

    def _catch_up_index(self) -> None:
        """A missing index is rebuilt, queued changes fed, in the background: the window is
        usable at once (searches use what the index has meanwhile)."""
        if self.library.needs_rebuild():
            self.controller.rebuild_index()
        elif self.library.syncer.pending():
            self.controller.schedule_index()

    # --- changes made by other programs (the CLI, a script) ---------------------------------
    def _watch_other_programs(self) -> None:
        """Every second, ask SQLite whether anyone committed; what this window did itself is
        already shown, anything else (a CLI import, a script) is loaded without a restart.
        A shared library's server says itself when anyone commits (see _follow_others)."""
        if self.library.shared:
            self._follow_others()
            return
        self._counter = self.library.database.change_counter()
        self.controller.changed.connect(self._own_change)
        self.controller.job_finished.connect(self._own_change)
        self._watch_timer = QTimer(self, interval=WATCH_MS)
        self._watch_timer.timeout.connect(self._check_other_programs)
        self._watch_timer.start()

    def _follow_others(self) -> None:
        self.backups_action.setEnabled(False)  # its server keeps a shared library's backups
        self._watch_timer = QTimer(self)  # never started: nothing to poll
        self.feed = FeedBridge(self)
        self.feed.changes.connect(self._others_changed)
        self.feed.online.connect(self._server_reachable)
        self.shared_bar.set_online(self.library.online)  # opened from this computer's copy?
        if self.library.needs_fill():
            self._fill_copy()
        else:
            self.feed.follow(self.library)

    def _fill_copy(self) -> None:
        """The first time this computer opens a shared library: copy it, in the background."""

        def work(job: Job) -> int:
            return self.library.fill(job.report, job.cancelled)

        def filled(_rows: int) -> None:
            self.reload()
            self.refresh_counts()
            self.feed.follow(self.library)

        self.controller.run_job("Copying the shared library", work, filled)

    def _others_changed(self, changes: Changes) -> None:
        """Another person's commit, already in this computer's copy: shown at once."""
        self._changed(changes)
        self.controller.schedule_index()
        self.detail.show_conflicts()

    def _server_reachable(self, online: bool) -> None:
        self.shared_bar.set_online(online)

    def show_conflicts(self) -> ConflictsDialog:
        """Every edit that met someone else's, in a window of its own (not modal)."""
        dialog = ConflictsDialog(self, self)
        dialog.show()
        self.conflicts_dialog = dialog
        return dialog

    def open_shared_library(self) -> None:
        OpenSharedDialog(self.settings, self).exec()

    def _own_change(self, *_args) -> None:
        """This window's own commits are already shown: take them off the counter."""
        if self._watch_timer.isActive():  # not once the window has closed
            self._counter.changed()

    def _check_other_programs(self) -> None:
        if self.controller.jobs or self.is_loading():
            return  # not now: the counter keeps the news for the next tick
        if not self._counter.changed():
            return
        self.reload()  # same rows: their cells are read again; new rows: a fresh table
        self.refresh_counts()
        current = self.detail.paper()
        if current is not None:
            self.detail.refresh(Changes(modified=frozenset([current.id])))
        self.controller.schedule_index()  # whatever the other program left queued

    # --- layout memory ----------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        else:  # first run: shares of the window, so a small screen still shows the table
            width = self.width()
            sidebar, detail = max(180, int(width * 0.18)), max(300, int(width * 0.28))
            self.splitter.setSizes([sidebar, max(300, width - sidebar - detail), detail])
        state = self.settings.value("table/header")
        if isinstance(state, QByteArray):
            self.table.horizontalHeader().restoreState(state)
        self._show_sort()

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("table/header", self.table.horizontalHeader().saveState())
        self.settings.sync()

    def changeEvent(self, event) -> None:
        """The system switched between light and dark: redraw icons and colours in the new
        palette (Qt repaints the rest itself)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ThemeChange):
            restyle(self)
            self.sidebar.restyle()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.detail.notes.flush()
        self.save_layout()
        # Finish the edit being saved; stop the rest. Whatever the index has not taken yet
        # stays queued in the database and is caught up in the background next time.
        self._backup_timer.stop()
        self.controller.shut_down()
        self._watch_timer.stop()
        if self.library.shared:
            self.library.stop_listening()  # before the bridge its thread talks to goes
        else:
            self._counter.close()
        super().closeEvent(event)

    # --- what the table shows ---------------------------------------------------------------
    def reload(self, select: list[int] | None = None) -> None:
        """Ask for the ids of the current place, query and sort on a worker thread; the newest
        request wins (typing fast starts many, only the last one is shown)."""
        self._generation += 1
        generation = self._generation
        place, query, sort = self.place, self.place.with_query(self.query), self.sort
        if select is not None:
            self._pending_selection = select

        def work(_job: Job) -> list[int]:
            return self.library.browse(place.paper_filter(), query, sort)

        self._loading = self.controller.run_job(
            "Loading",
            work,
            lambda ids: self._loaded(generation, ids),
            cancellable=False,
            on_failure=lambda message: self._load_failed(generation, message),
        )

    def _loaded(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return
        self._loading = None
        self.search.show_problem("")
        selection_wanted = self._pending_selection
        self._pending_selection = None
        keep = selection_wanted or self.table.selected_ids()
        current = self.table.current_id()
        reorderable = self.place.is_list and self.sort is None and not self.query.strip()
        unchanged = ids == self.model.ids() and reorderable == self.model.reorderable
        if unchanged and selection_wanted is None:
            # the same papers in the same order (an edit that moved nothing): keep the rows,
            # the selection and the scroll position; only what they show is read again
            self.model.refresh_all()
        else:
            self.model.set_ids(ids, reorderable)
            self._select_ids(keep, current)
        self.search.show_count(len(ids) if self.query.strip() else None)
        self.table.set_empty_text(self._empty_text())
        self.count_label.setText(f"{len(ids):,} {'paper' if len(ids) == 1 else 'papers'}")
        self.loaded_once = True

    def _empty_text(self) -> str:
        if self.query.strip():
            return f"No papers match “{self.query.strip()}”. Press Esc to clear the search."
        if self.place.kind == "trash":
            return "The Trash is empty."
        if self.place.is_list:
            return "This reading list is empty.\nDrag papers onto its name in the sidebar."
        if self.place.kind == "search":
            return "Nothing matches this saved search yet."
        return "No papers here."

    def _load_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._loading = None
            self.search.show_problem(message)

    def is_loading(self) -> bool:
        busy = self._loading is not None or self._counts_job is not None
        return busy or self.search.pending()

    def _select_ids(self, ids: list[int], current: int | None = None) -> None:
        selection = self.table.selectionModel()
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        selection.blockSignals(True)
        self.table.select_rows(rows)
        focus_row = self.model.row_of(current) if current is not None else None
        if focus_row is None and rows:
            focus_row = min(rows)
        if focus_row is not None:
            selection.setCurrentIndex(
                self.model.index(focus_row, 0), selection.SelectionFlag.NoUpdate
            )
            self.table.scrollTo(self.model.index(focus_row, 0))
        selection.blockSignals(False)
        self._selection_changed()

    def select_papers(self, ids: list[int]) -> None:
        self._select_ids(ids)

    def _query_changed(self, text: str) -> None:
        self.query = text
        try:
            node = parse_query(self.place.with_query(text)) if text.strip() else None
        except LibraryError as error:
            self.search.show_problem(str(error))
            return
        self.detail.set_terms(query_terms(node))
        # a new search shows the best matches first; no search, the place's own order
        self.sort = None if text.strip() else self._default_sort(self.place)
        self._show_sort()
        self.reload()

    @staticmethod
    def _default_sort(place: Place) -> Sort | None:
        """A reading list in its own order (None); everything else newest first."""
        return None if place.is_list else Sort("added", descending=True)

    def _show_sort(self) -> None:
        """The header shows the order in effect (none: a list's own order, or relevance)."""
        section = next(
            (n for n, c in enumerate(COLUMNS) if self.sort and c.sort == self.sort.key), None
        )
        if section is None:
            self.table.clear_sort()
        else:
            order = (
                Qt.SortOrder.DescendingOrder
                if self.sort.descending
                else Qt.SortOrder.AscendingOrder
            )
            self.table.show_sort(section, order)

    def _place_changed(self, place: Place) -> None:
        self.place = place
        self.table.default_order_text = (
            "The reading list's own order" if place.is_list else "Newest first"
        )
        self.sort = None if self.query.strip() else self._default_sort(place)
        self._show_sort()
        self.reload()
        in_trash = place.kind == "trash"
        self.restore_action.setEnabled(in_trash)
        self.trash_action.setEnabled(not in_trash)
        self.trash_bar.setVisible(in_trash)
        self._update_export_actions()

    def default_order(self) -> None:
        """Back to the place's own order: a list's (draggable again), or newest first; in a
        search, the best matches first."""
        self.sort = None if self.query.strip() else self._default_sort(self.place)
        self._show_sort()
        self.reload()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self.sort = Sort(key, descending)
        self.reload()

    def _update_export_actions(self) -> None:
        has_selection = bool(self.table.selectionModel().hasSelection())
        for (scope, _name), action in self.export_actions.items():
            if scope == "selection":
                action.setEnabled(has_selection)
            elif scope == "list":
                action.setEnabled(self.place.is_list)
            else:
                action.setEnabled(self.model.rowCount() > 0)
        self.copy_bibtex_action.setEnabled(has_selection)

    def _selection_changed(self, *_args) -> None:
        self._update_export_actions()
        ids = self.table.selected_ids()
        if len(ids) > 1:
            self.selection_label.setText(f"{len(ids):,} selected")
        else:
            self.selection_label.setText("")
        current = self.table.current_id()
        if len(ids) <= 1 and current is not None and (not ids or ids == [current]):
            self.detail.show_papers([current])
        else:
            self.detail.show_papers(ids)

    # --- reacting to changes ----------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if not changes:
            # a call that changed no paper, tag, list or search (a periodic backup, an edit
            # that found nothing to do): nothing shown is stale. Reloading would read every
            # id again, and at start-up would restart the first load of the table.
            return
        if changes.conflicts:
            self.detail.show_conflicts()
            fields = ", ".join(dict.fromkeys(
                "a list's order" if c.kind == "list" else c.field.removeprefix("extra.")
                for c in changes.conflicts
            ))  # fmt: skip
            self.statusBar().showMessage(
                f"Not saved: someone else changed {fields} meanwhile. Both values wait in "
                "Library ▸ Edits waiting for a choice (and beside the paper).",
                15_000,
            )
            if self.conflicts_dialog is not None:
                self.conflicts_dialog.refresh()
        self.model.refresh(list(changes.papers))
        self.detail.refresh(changes)
        self.reload()
        self.refresh_counts()

    def _index_state(self, text: str) -> None:
        self.index_label.setText(text)
        self.index_label.setVisible(text != "Search index up to date")

    def _index_updated(self) -> None:
        if self.query.strip() or self.place.kind == "search":
            self.reload()

    def refresh_counts(self) -> None:
        if self._counts_job is not None:
            self._counts_again = True
            return

        def work(_job: Job):
            searches = self.library.saved_searches()
            matches: dict[str, int | None] = {}
            for saved in searches:
                try:
                    matches[saved.name] = self.library.count_matches(saved.query)
                except LibraryError:  # e.g. it names a reading list since deleted
                    matches[saved.name] = None
            return self.library.counts(), searches, matches

        self._counts_job = self.controller.run_job(
            "Counting", work, self._counted, cancellable=False, on_finished=self._counting_done
        )

    def _counted(self, result) -> None:
        counts, searches, matches = result
        self._counts = counts
        self.sidebar.update_counts(counts, searches, matches)
        self.detail.set_known_tags([t.name for t in counts.tags])
        empty = counts.all == 0 and counts.trash == 0
        self.pages.setCurrentWidget(self.welcome if empty else self.splitter)
        self.search.setEnabled(not empty)

    def _counting_done(self) -> None:
        self._counts_job = None
        if self._counts_again:
            self._counts_again = False
            self.refresh_counts()

    # --- background jobs in the status bar --------------------------------------------------
    def _job_started(self, job: Job) -> None:
        if not job.shown:
            return
        self.job_label.setText(job.title)
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(job.cancellable)
        for widget in (self.job_label, self.progress, self.cancel_button):
            widget.show()
        job.progressed.connect(self._job_progress)

    def _job_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} / {total:,}")

    def _job_finished(self, _job: Job) -> None:
        self.cancel_button.setEnabled(any(j.cancellable for j in self.controller.jobs))
        if not any(j.shown for j in self.controller.jobs):
            for widget in (self.job_label, self.progress, self.cancel_button):
                widget.hide()

    def _cancel_jobs(self) -> None:
        for job in self.controller.jobs:
            if job.cancellable:
                job.cancel()

    # --- importing --------------------------------------------------------------------------
    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import papers", str(Path.home()), IMPORT_FILTER
        )
        if paths:
            self.preview_files(paths)

    def preview_files(self, paths: list[str]) -> Job:
        return self._preview("Reading files", lambda _job: self.library.preview_files(paths))

    def paste_papers(self) -> Job | None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_error("The clipboard holds no text to import.")
            return None
        return self.preview_text(text)

    def preview_text(self, text: str) -> Job:
        if self.library.is_identifier_list(text):
            ids = [line.strip() for line in text.splitlines() if line.strip()]
            return self._preview(
                "Looking up identifiers", lambda _job: self.library.preview_identifiers(ids)
            )
        return self._preview(
            "Reading the clipboard", lambda _job: self.library.preview_text(text, "the clipboard")
        )

    def _preview(self, title: str, work) -> Job:
        def shown(preview: ImportPreview) -> None:
            if not job.cancelled:
                self.show_preview(preview)

        job = self.controller.run_job(title, work, shown)
        return job

    def show_preview(self, preview: ImportPreview) -> ImportPreviewDialog:
        dialog = ImportPreviewDialog(preview, self)
        dialog.accepted.connect(lambda: self.import_chosen(preview, dialog.chosen()))
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def import_chosen(self, preview: ImportPreview, chosen: list[int]) -> Job:
        def work(job: Job):
            return self.library.import_preview(
                preview, chosen, progress=job.report, cancelled=lambda: job.cancelled
            )

        return self.controller.run_job(f"Importing {len(chosen):,} papers", work, self._imported)

    def open_sample(self) -> Job:
        def work(_job: Job):
            before = {s.name for s in self.library.lists()}
            report = self.library.open_sample()
            report.new_lists = [s.name for s in self.library.lists() if s.name not in before]
            return report

        return self.controller.run_job("Opening the sample library", work, self._imported)

    def _imported(self, report) -> None:
        self.controller.imported(report, getattr(report, "new_lists", ()))
        parts = [f"Imported {len(report.added):,} new"]
        if report.duplicates:
            parts.append(f"{len(report.duplicates):,} already there (merged)")
        if report.errors:
            parts.append(f"{len(report.errors):,} not readable")
        if report.cancelled:
            parts.append("cancelled: the rest was not imported")
        self.statusBar().showMessage(" · ".join(parts), 10_000)
        if report.added:
            if self.place != ALL:
                self.sidebar.select_place(ALL)
            self.search.set_text("")
            self.reload(select=list(report.added))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.preview_files(paths)

    # --- exporting --------------------------------------------------------------------------
    def export_scope(self, scope: str) -> tuple[ExportScope, str] | None:
        if scope == "selection":
            ids = self.table.selected_ids()
            return (ExportScope(ids=tuple(ids)), "Selected papers") if ids else None
        if scope == "list":
            if not self.place.is_list:
                return None
            return ExportScope(list_name=self.place.value), self.place.value
        title = f"Search: {self.query}" if self.query.strip() else self.place.title()
        return ExportScope(ids=tuple(self.model.ids())), title

    def export_dialog(self, scope: str, fmt: ExportFormat) -> None:
        found = self.export_scope(scope)
        if found is None:
            what = "Select some papers" if scope == "selection" else "Open a reading list"
            self.show_error(f"{what} first.")
            return
        if fmt.suffix:
            path, _ = QFileDialog.getSaveFileName(
                self,
                f"Export as {fmt.title}",
                str(Path.home() / suggested_file_name(found[1], fmt)),
                f"{fmt.title} (*.{fmt.suffix})",
            )
        else:
            path = QFileDialog.getExistingDirectory(self, "Export to a folder", str(Path.home()))
        if path:
            self.export(scope, fmt, Path(path))

    def export(self, scope: str, fmt: ExportFormat, target: Path) -> Job | None:
        found = self.export_scope(scope)
        if found is None:
            return None
        export_scope, title = found

        def work(job: Job) -> int:
            return export_to(self.library, fmt, target, export_scope, title, lambda: job.cancelled)

        def done(count: int) -> None:
            self.statusBar().showMessage(f"Exported {count:,} papers to {target}", 10_000)

        return self.controller.run_job(f"Exporting as {fmt.title}", work, done)

    def copy_bibtex(self) -> Job | None:
        ids = self.table.selected_ids()
        if not ids:
            return None
        word = "paper" if len(ids) == 1 else "papers"

        def done(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self.statusBar().showMessage(f"Copied {len(ids):,} {word} as BibTeX", 5000)

        return self.controller.run_job(
            f"Copying {len(ids):,} {word}", lambda _job: bibtex_text(self.library, ids), done
        )

    # --- editing the selection --------------------------------------------------------------
    def rate_selection(self, rating: int) -> None:
        ids = self.table.selected_ids()
        if ids:
            self.controller.rate(ids, rating)

    def set_status_of_selection(self, status: str) -> None:
        ids = self.table.selected_ids()
        if ids:
            self.controller.set_status(ids, status)

    def trash_selection(self) -> None:
        if self.place.kind == "trash":
            return
        ids = self.table.selected_ids()
        if ids:
            self.controller.trash(ids)
            word = "paper" if len(ids) == 1 else "papers"
            self.statusBar().showMessage(
                f"Moved {len(ids):,} {word} to the Trash (Ctrl+Z to undo)", 8000
            )

    def restore_selection(self) -> None:
        ids = self.table.selected_ids()
        if ids:
            self.controller.restore(ids)

    def empty_trash(self) -> None:
        count = self._counts.trash if self._counts else 0
        if not count:
            return
        answer = QMessageBox.question(
            self,
            "Empty the Trash",
            f"Delete the {count:,} papers in the Trash for good? This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.empty_trash()

    def new_list(self, ids: list[int] | None = None) -> None:
        name, ok = QInputDialog.getText(self, "New reading list", "Name:")
        if not ok or not name.strip():
            return
        then = (lambda _changes: self.controller.add_to_list(name, ids)) if ids else None
        self.controller.create_list(name, on_done=then)

    def add_tag_to(self, ids: list[int]) -> None:
        names = [t.name for t in self._counts.tags] if self._counts else []
        name, ok = QInputDialog.getItem(
            self, "Add a tag", f"Tag for {len(ids):,} selected:", names, editable=True
        )
        if ok and name.strip():
            self.controller.tag(ids, add=[name.strip()])

    def save_current_search(self) -> None:
        query = self.place.with_query(self.query)
        if not query.strip():
            self.show_error("Type a search first; then save it to find it again in one click.")
            return
        name, ok = QInputDialog.getText(self, "Save search", "Name:", text=self.query.strip())
        if ok and name.strip():
            self.controller.save_search(name, query)

    def _dropped_on_place(self, place: Place, ids: list[int]) -> None:
        if place.kind == "list":
            self.controller.add_to_list(place.value, ids)
        elif place.kind == "tags" and place.tags:
            self.controller.tag(ids, add=list(place.tags))

    def _reorder_requested(self, ids: list[int], row: int) -> None:
        if self.model.reorderable:
            shown = self.model.ids()
            self.controller.reorder_list(self.place.value, reordered(shown, ids, row), shown)

    # --- maintenance ------------------------------------------------------------------------
    def rebuild_index(self) -> Job:
        def done(count: int) -> None:
            self.statusBar().showMessage(f"Search index rebuilt: {count:,} papers", 8000)

        return self.controller.rebuild_index(done)

    def bring_forward(self) -> None:
        """Another start of readinglist on this library: show this window instead."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()
        self.brought_forward += 1

    def show_backups(self) -> BackupsDialog:
        self.backups_dialog = BackupsDialog(self)
        self.backups_dialog.show()
        return self.backups_dialog

    def restore_backup(self, name: str, on_done: Callable[[], None] | None = None) -> None:
        """Put a backup in place, on the serial writer (no edit can slip in between); then the
        undo history no longer applies, and the index is rebuilt from the restored papers."""

        def restored(_changes: Changes) -> None:
            self.controller.undo_stack.clear()
            report = self.last_restore
            kept = report.safety_copy.name if report.safety_copy else "(nothing readable)"
            self.statusBar().showMessage(
                f"Restored the backup of {report.restored.local_time:%Y-%m-%d %H:%M}; "
                f"the library as it was is kept as {kept}",
                15000,
            )
            self.reload()
            self.refresh_counts()
            self.controller.rebuild_index()
            if on_done is not None:
                on_done()

        self.controller.call(restore_work(self, name), restored)

    def _check_file(self) -> Job:
        """Damage that opening cannot see (a bad page deep in the file) is looked for in the
        background once the window is open, and said at once."""

        def found(problems: list[str]) -> None:
            self.file_problems = problems
            if problems:
                self.show_error(
                    f"The library file is damaged ({problems[0]}). Library ▸ Check can "
                    "repair it; File ▸ Backups can restore a backup."
                )

        return self.controller.run_job(
            "Checking the library file", lambda _job: self.library.quick_check(), found, False
        )

    def periodic_backup(self) -> None:
        """The automatic backup, when one is due: on the writer thread, between edits."""

        def work() -> Changes:
            self.library.backup_if_due()
            return Changes()

        self.controller.call(work)

    def check_library(self, repair: bool = False) -> Job:
        def work(_job: Job):
            self.library.update_index()
            return self.library.check(repair=repair)

        def done(report) -> None:
            self.last_check = report
            if report.healthy or report.repaired:
                text = (
                    "Repaired:\n" + "\n".join(report.repairs)
                    if report.repaired
                    else "Everything is in order."
                )
                if not report.healthy:
                    text += "\n\nStill wrong:\n" + check_summary(report)
                QMessageBox.information(self, "Library check", text)
                return
            answer = QMessageBox.question(
                self, "Library check", check_summary(report) + "\n\nRepair it now?"
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.check_library(repair=True)

        return self.controller.run_job("Checking the library", work, done, False)

    # --- menus ------------------------------------------------------------------------------
    def _table_menu(self, position) -> None:
        ids = self.table.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        one = self.library.get(ids[0]) if len(ids) == 1 else None
        if one is not None:
            for label, url in one.links():
                menu.addAction(icon("link"), f"Open {label}", lambda u=url: _open_url(u))
            if one.links():
                menu.addSeparator()
        rate = menu.addMenu("Rate")
        for stars in range(6):
            rate.addAction(
                "☆ none" if not stars else "★" * stars, lambda s=stars: self.controller.rate(ids, s)
            )
        status = menu.addMenu("Status")
        for value, title in STATUS_TITLES.items():
            status.addAction(title, lambda v=value: self.controller.set_status(ids, v))
        menu.addAction(icon("tag-add"), "Add tag…", lambda: self.add_tag_to(ids))
        present = sorted(
            {t for v in self.library.views(ids[:500]) for t in v.tags}, key=str.casefold
        )
        if present:
            remove = menu.addMenu(icon("tag"), "Remove tag")
            for name in present:
                remove.addAction(name, lambda n=name: self.controller.tag(ids, remove=[n]))
        add_to = menu.addMenu(icon("list"), "Add to reading list")
        for summary in self._counts.lists if self._counts else ():
            add_to.addAction(
                summary.name, lambda n=summary.name: self.controller.add_to_list(n, ids)
            )
        add_to.addSeparator()
        add_to.addAction(icon("new-list"), "New list…", lambda: self.new_list(ids))
        if self.place.is_list:
            menu.addAction(f"Remove from {self.place.value}", lambda: self._remove_from_list(ids))
        menu.addSeparator()
        menu.addAction(self.copy_bibtex_action)
        export = menu.addMenu(icon("export"), "Export selected")
        for fmt in FORMATS:
            export.addAction(self.export_actions[("selection", fmt.name)])
        menu.addSeparator()
        if self.place.kind == "trash":
            menu.addAction(self.restore_action)
        else:
            menu.addAction(self.trash_action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _remove_from_list(self, ids: list[int]) -> None:
        if self.place.is_list:
            self.controller.remove_from_list(self.place.value, ids)

    def _sidebar_menu(self, place: Place, position) -> None:
        menu = QMenu(self)
        if place.kind == "list":
            menu.addAction(icon("edit"), "Rename list…", lambda: self._rename_list(place.value))
            menu.addAction(
                icon("trash"), "Delete list", lambda: self.controller.delete_list(place.value)
            )
            export = menu.addMenu(icon("export"), "Export list")
            for fmt in FORMATS:
                export.addAction(self.export_actions[("list", fmt.name)])
        elif place.kind == "tags" and len(place.tags) == 1:
            menu.addAction(icon("edit"), "Rename tag…", lambda: self._rename_tag(place.tags[0]))
            menu.addAction(
                icon("trash"), "Delete tag", lambda: self.controller.delete_tag(place.tags[0])
            )
        elif place.kind == "search":
            menu.addAction(
                icon("trash"), "Delete saved search", lambda: self._delete_saved_search(place)
            )
        elif place.kind == "trash":
            menu.addAction(self.empty_trash_action)
        else:
            return
        menu.exec(position)

    def _delete_saved_search(self, place: Place) -> None:
        self.controller.delete_saved_search(place.value, place.query)

    def _rename_list(self, old: str) -> None:
        new, ok = QInputDialog.getText(self, "Rename reading list", "Name:", text=old)
        if ok and new.strip() and new != old:
            self.controller.rename_list(old, new)

    def _rename_tag(self, old: str) -> None:
        new, ok = QInputDialog.getText(self, "Rename tag", "Name:", text=old)
        if ok and new.strip() and new != old:
            self.controller.rename_tag(old, new)

    # --- small things -----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.edit.setFocus()
        self.search.edit.selectAll()

    def show_error(self, message: str) -> None:
        """Errors from edits and jobs: in the status bar, in red, without a modal dialog."""
        bar = self.statusBar()
        bar.setStyleSheet("QStatusBar { color: #d9534f; }")
        bar.showMessage(f"⚠ {message}", 10_000)
        self.last_error = message

    def _status_message_changed(self, text: str) -> None:
        if not text.startswith("⚠"):
            self.statusBar().setStyleSheet("")

    def show_query_help(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("Search syntax")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(QUERY_HELP)
        box.setIcon(QMessageBox.Icon.Information)
        box.setModal(False)
        box.show()
        self.query_help = box

    def show_about(self) -> None:
        from readinglist._version import __version__

        QMessageBox.about(
            self,
            "About readinglist",
            f"readinglist {__version__}\n\nA calm, fast reading-list manager for researchers."
            f"\n\nLibrary: {self.library.folder}\n\nIcons: Material Design Icons "
            "(Apache License 2.0), through qtawesome.",
        )

    def wait_idle(self, index_too: bool = False) -> None:
        """For scripts (self-test, screenshots): let every queued load, count and edit finish
        (and the search index's catching up, if asked)."""
        loop = QEventLoop()
        timer = QTimer(interval=5)

        def busy() -> bool:
            if index_too:
                return self.is_loading() or bool(self.controller.jobs)
            background = (self.controller._index_job, self.controller._rebuild_job)
            return self.is_loading() or any(j not in background for j in self.controller.jobs)

        def check() -> None:
            if not busy():
                loop.quit()

        timer.timeout.connect(check)
        timer.start()
        check()
        if busy():
            loop.exec()  # a real event loop: the jobs' threads get the interpreter, no spinning
        timer.stop()
        QGuiApplication.processEvents()


def check_summary(report) -> str:
    lines = [f"Database: {problem}" for problem in report.integrity[:10]]
    if report.integrity and report.good_backup is not None:
        lines.append(f"The newest sound backup is {report.good_backup.name} (File ▸ Backups).")
    for table, count in sorted(report.orphans_by_table().items()):
        lines.append(f"{count:,} rows of {table} point to nothing")
    for keys in report.duplicate_keys[:10]:
        lines.append(f"Citation keys equal but for case: {' = '.join(keys)}")
    drift = report.drift
    for label, ids in (
        ("missing from", drift.missing),
        ("out of date in", drift.stale),
        ("left over in", drift.extra),
    ):
        if ids:
            lines.append(f"{len(ids):,} papers {label} the search index")
    if drift.queued:
        lines.append(f"{drift.queued:,} changes waiting for the search index")
    return "\n".join(lines)


def _open_url(url: str) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl(url))


QUERY_HELP = """<p>Type words to find the papers that have all of them (stemmed, accents
and case ignored).</p>
<table cellspacing="6">
<tr><td><code>"exact phrase"</code></td><td>these words in this order</td></tr>
<tr><td><code>a OR b</code></td><td>either word</td></tr>
<tr><td><code>-word</code>, <code>NOT word</code></td><td>leave these out</td></tr>
<tr><td><code>transf*</code></td><td>words starting with transf</td></tr>
<tr><td><code>attention~1</code></td><td>one typo allowed</td></tr>
<tr><td><code>( … )</code></td><td>group</td></tr>
<tr><td><code>title:</code> <code>author:</code> <code>abstract:</code> <code>venue:</code>
<code>note:</code> <code>tag:</code> <code>key:</code> <code>doi:</code> <code>arxiv:</code></td>
<td>search one field</td></tr>
<tr><td><code>year:2017</code>, <code>year:2015..2020</code></td><td>years</td></tr>
<tr><td><code>rating:&gt;=4</code></td><td>ratings</td></tr>
<tr><td><code>status:reading</code></td><td>reading status</td></tr>
<tr><td><code>list:"to cite"</code></td><td>papers in a reading list</td></tr>
</table>"""
