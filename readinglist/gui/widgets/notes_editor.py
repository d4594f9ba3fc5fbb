"""A paper's notes: one tab each, Markdown on top and its rendering below as you type. Saving
is automatic, a moment after typing stops (and at once when leaving the paper).

The preview renders Markdown as rich text only: no scripts, nothing fetched from the network;
a link opens in the browser when clicked."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from readinglist.domain.views import NoteView
from readinglist.gui.theme import icon, mute, themed

SAVE_DELAY_MS = 600
TAB_TITLE_CHARS = 22


def note_title(body: str, number: int) -> str:
    """A tab's name: the note's first line without Markdown marks, else 'Note N'."""
    for line in body.splitlines():
        text = line.strip().lstrip("#*->` ").rstrip("*_` ").strip()
        if text:
            return text if len(text) <= TAB_TITLE_CHARS else text[: TAB_TITLE_CHARS - 1] + "…"
    return f"Note {number}"


class SafePreview(QTextBrowser):
    """Shows rendered Markdown; never loads a remote resource, opens links only on click."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._open)

    def loadResource(self, kind: int, name: QUrl):
        return None  # no images or style sheets from the network or the disk: a note is text

    def _open(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


class NoteEditor(QWidget):
    """One note: the Markdown source and its live rendering."""

    edited = Signal(int, str, str)  # note id, new body, body before this round of typing
    created = Signal(str)  # the first text of a new note, not yet stored

    def __init__(self, note: NoteView | None, parent=None) -> None:
        super().__init__(parent)
        self.note_id = note.id if note is not None else None
        self._saved = note.body if note is not None else ""
        self._creating = False
        self.source = QPlainTextEdit(self)
        self.source.setObjectName("note-source")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF())
        self.source.setFont(mono)
        self.source.setPlaceholderText("Write in Markdown: **bold**, - lists, [links](https://…)")
        self.source.setPlainText(self._saved)
        self.preview = SafePreview(self)
        self.preview.setObjectName("note-preview")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.source)
        splitter.addWidget(self.preview)
        splitter.setSizes([120, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self.source.textChanged.connect(self._typed)
        self._render()

    def body(self) -> str:
        return self.source.toPlainText()

    def _typed(self) -> None:
        self._render()
        self._timer.start()

    def _render(self) -> None:
        self.preview.setMarkdown(self.source.toPlainText())

    def save(self) -> None:
        """Hand the edit to whoever saves it, if there is one."""
        self._timer.stop()
        body = self.body()
        if body == self._saved or not body.strip():
            return  # an emptied note keeps its text until deleted with the Delete button
        if self.note_id is None:
            if self._creating:  # stored in a moment; then this text is saved as an edit
                self._timer.start()
                return
            self._creating = True
            self._saved = body
            self.created.emit(body)
            return
        before, self._saved = self._saved, body
        self.edited.emit(self.note_id, body, before)

    def pending(self) -> bool:
        return self._timer.isActive()

    def show_saved(self, body: str) -> None:
        """The stored body changed (an undo, another program): show it unless mid-typing."""
        if body == self._saved and body == self.body():
            return
        if self.pending():
            return
        self._saved = body
        cursor = self.source.textCursor().position()
        self.source.blockSignals(True)
        self.source.setPlainText(body)
        self.source.blockSignals(False)
        self._render()
        cursor_after = self.source.textCursor()
        cursor_after.setPosition(min(cursor, len(body)))
        self.source.setTextCursor(cursor_after)


class NotesEditor(QWidget):
    note_edited = Signal(int, str, str)
    note_created = Signal(str)
    note_deleted = Signal(int, str)  # note id, its body (to undo)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        title = QLabel("Notes", self)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        self.add_button = themed(QPushButton("Add note", self), "add")
        self.add_button.setObjectName("add-note")
        self.add_button.clicked.connect(self.add_draft)
        self.delete_button = themed(QPushButton("Delete", self), "remove")
        self.delete_button.setObjectName("delete-note")
        self.delete_button.setToolTip("Delete this note (Ctrl+Z brings it back)")
        self.delete_button.clicked.connect(self._delete_current)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.add_button)
        header.addWidget(self.delete_button)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.empty = QLabel("No notes yet. Add one to keep your thoughts with the paper.", self)
        self.empty.setWordWrap(True)
        mute(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.empty, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.tabs, 1)
        self._paper_id: int | None = None

    def editors(self) -> list[NoteEditor]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def current(self) -> NoteEditor | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, NoteEditor) else None

    def flush(self) -> None:
        for editor in self.editors():
            editor.save()

    def add_draft(self) -> NoteEditor:
        """A new, empty note; it is stored once it has some text."""
        editor = self._add_editor(None, self.tabs.count() + 1)
        self.tabs.setCurrentWidget(editor)
        self._show_tabs(True)
        editor.source.setFocus()
        return editor

    def _add_editor(self, note: NoteView | None, number: int) -> NoteEditor:
        editor = NoteEditor(note, self.tabs)
        editor.edited.connect(self.note_edited.emit)
        editor.created.connect(self.note_created.emit)
        self.tabs.addTab(editor, icon("note"), note_title(editor.body(), number))
        editor.source.textChanged.connect(lambda e=editor: self._retitle(e))
        return editor

    def _retitle(self, editor: NoteEditor) -> None:
        index = self.tabs.indexOf(editor)
        if index >= 0:
            self.tabs.setTabText(index, note_title(editor.body(), index + 1))
            self.tabs.setTabToolTip(index, self.tabs.tabText(index))

    def _show_tabs(self, any_notes: bool) -> None:
        # room to write only when there is a note: no blank space under "No notes yet"
        self.setMinimumHeight(300 if any_notes else 0)
        self.tabs.setVisible(any_notes)
        self.empty.setVisible(not any_notes)
        self.delete_button.setEnabled(any_notes)

    def show_notes(self, paper_id: int, notes: tuple[NoteView, ...]) -> None:
        same_paper = paper_id == self._paper_id
        editors = self.editors()
        stored = [e.note_id for e in editors if e.note_id is not None]
        drafts = [e for e in editors if e.note_id is None]
        ids = [n.id for n in notes]
        if same_paper and ids[: len(stored)] == stored and len(ids) <= len(editors):
            for draft, new_id in zip(drafts, ids[len(stored) :], strict=False):
                draft.note_id = new_id  # a draft just stored: keep typing in it
                draft._creating = False
            by_id = {n.id: n for n in notes}
            for editor in editors:
                if editor.note_id in by_id:
                    editor.show_saved(by_id[editor.note_id].body)
                    self._retitle(editor)
            return
        if not same_paper:
            self.flush()
        focused = self.tabs.currentIndex()
        self._paper_id = paper_id
        self.tabs.clear()
        for number, note in enumerate(notes, start=1):
            self._add_editor(note, number)
        if same_paper and 0 <= focused < len(notes):
            self.tabs.setCurrentIndex(focused)
        self._show_tabs(bool(notes))

    def _delete_current(self) -> None:
        editor = self.current()
        if editor is None:
            return
        if editor.note_id is None:  # never stored: nothing to keep
            self.tabs.removeTab(self.tabs.indexOf(editor))
            editor.deleteLater()
            self._show_tabs(self.tabs.count() > 0)
            return
        editor.save()
        self.note_deleted.emit(editor.note_id, editor.body())
