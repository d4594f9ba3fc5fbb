"""File ▸ Backups: the library's backups, newest first; make one now, restore one, choose how
many are kept. Restoring backs up the present first, so it can itself be undone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
)

from readinglist.domain.changes import Changes
from readinglist.services.backups import Backup, restore

if TYPE_CHECKING:
    from readinglist.gui.main_window import MainWindow

REASONS = {
    "manual": "Made by you",
    "automatic": "Periodic",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
    "before-undo-import": "Before undoing an import",
    "before-tag-merge": "Before merging tags",
    "before-tag-rename": "Before renaming a tag",
    "before-tag-delete": "Before deleting a tag",
    "before-list-delete": "Before deleting a list",
    "before-empty-trash": "Before emptying the Trash",
    "before-mass-delete": "Before trashing many papers",
    "before-repair": "Before a repair",
}
COLUMNS = ("When", "Why", "Papers", "Size")


def describe(reason: str) -> str:
    if reason.startswith("before-upgrade"):
        return "Before a schema upgrade"
    return REASONS.get(reason, reason.replace("-", " ").capitalize())


class BackupsDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.backups = window.library.backups
        self.rows: list[Backup] = []
        self.setWindowTitle("Backups")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Copies of the library's database in <code>{self.backups.folder}</code>, made "
            "before every import, tag merge or emptied Trash, and periodically when the "
            "library changed. Those you make yourself are kept until you delete them."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)

        policy = self.backups.policy()
        keep_row = QHBoxLayout()
        self.keep = QSpinBox(self, minimum=1, maximum=1000, value=policy.keep)
        self.every = QDoubleSpinBox(self, minimum=0.5, maximum=24 * 30, value=policy.every_hours)
        self.every.setDecimals(1)
        self.every.setSuffix(" h")
        for box in (self.keep, self.every):  # applied when done typing, not per keystroke
            box.setKeyboardTracking(False)
        for widget in (QLabel("Keep", self), self.keep):
            keep_row.addWidget(widget)
        keep_row.addWidget(QLabel("automatic backups; make one every", self))
        keep_row.addWidget(self.every)
        keep_row.addWidget(QLabel("when the library changed", self))
        keep_row.addStretch(1)
        self.keep.valueChanged.connect(self._policy_changed)
        self.every.valueChanged.connect(self._policy_changed)
        layout.addLayout(keep_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.backup_button = QPushButton("Back up now", self)
        self.restore_button = QPushButton("Restore…", self)
        self.folder_button = QPushButton("Show folder", self)
        for button in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self._show_folder)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.status = QLabel(self)
        layout.addWidget(self.status)
        self.refresh()

    # --- the list ---------------------------------------------------------------------------
    def refresh(self):
        """Read the backups and their paper counts off the window's thread."""

        def work(_job):
            return [(backup, backup.papers()) for backup in self.backups.all()]

        return self.window_.controller.run_job("Reading backups", work, self._fill, False)

    def _fill(self, rows: list[tuple[Backup, int | None]]) -> None:
        self.rows = [backup for backup, _ in rows]
        self.model.removeRows(0, self.model.rowCount())
        for backup, papers in rows:
            cells = [
                f"{backup.local_time:%Y-%m-%d  %H:%M}",
                describe(backup.reason),
                "unreadable" if papers is None else f"{papers:,}",
                f"{backup.size / 1e6:,.1f} MB",
            ]
            self.model.appendRow([QStandardItem(text) for text in cells])
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if rows:
            self.table.selectRow(0)
        self.restore_button.setEnabled(bool(rows))
        if not rows:
            self.status.setText("No backups yet.")

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    # --- actions ----------------------------------------------------------------------------
    def back_up_now(self) -> None:
        made = []

        def work() -> Changes:  # on the writer thread: no widget is touched here
            made.append(self.window_.library.backup())
            return Changes()

        def done(_changes: Changes) -> None:
            self.status.setText(f"Backed up to {made[0].name}")
            self.refresh()

        self.status.setText("Backing up…")
        self.window_.controller.call(work, done)

    def restore_selected(self, confirm: bool = True) -> None:
        backup = self.selected()
        if backup is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Restore a backup",
                f"Put the library back as it was on {backup.local_time:%Y-%m-%d at %H:%M}?\n\n"
                "What it holds now is backed up first, so you can come back to it. The undo "
                "history is cleared and the search index rebuilt.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.window_.restore_backup(backup.name, on_done=self.refresh)

    def _policy_changed(self) -> None:
        keep = self.keep.value()
        automatic = [b for b in self.backups.all() if b.automatic]
        if len(automatic) > keep and not self._confirm_pruning(len(automatic) - keep):
            self.keep.blockSignals(True)
            self.keep.setValue(self.backups.policy().keep)
            self.keep.blockSignals(False)
            return
        self.backups.set_policy(keep, self.every.value())
        self.refresh()

    def _confirm_pruning(self, count: int) -> bool:
        answer = QMessageBox.question(
            self,
            "Keep fewer backups",
            f"Keeping fewer deletes the {count} oldest automatic backups now. Go on?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_folder(self) -> None:
        self.backups.folder.mkdir(mode=0o700, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.backups.folder)))


def restore_work(window: MainWindow, name: str):
    """The service call a restore is: put the backup in place (the present backed up first)."""

    def work() -> Changes:
        window.last_restore = restore(window.library.folder, name)
        return Changes()

    return work
