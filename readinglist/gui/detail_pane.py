"""The detail pane: everything about the current paper, and every edit of it. Edits save by
themselves and go through the controller, so each one is undoable."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readinglist.domain.changes import Changes
from readinglist.domain.names import parse_name
from readinglist.domain.views import PaperView
from readinglist.gui.controller import LibraryController
from readinglist.gui.highlight import highlighted
from readinglist.gui.paper_model import STATUS_TITLES
from readinglist.gui.theme import highlight_background, mute
from readinglist.gui.widgets.conflict_banner import ConflictBanner
from readinglist.gui.widgets.notes_editor import NotesEditor
from readinglist.gui.widgets.stars import StarRating
from readinglist.gui.widgets.tag_editor import TagEditor

FIELDS = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("abstract", "Abstract"),
    ("year", "Year"),
    ("month", "Month"),
    ("venue", "Venue"),
    ("volume", "Volume"),
    ("number", "Number"),
    ("pages", "Pages"),
    ("publisher", "Publisher"),
    ("doi", "DOI"),
    ("arxiv_id", "arXiv"),
    ("url", "URL"),
    ("code_url", "Code"),
    ("key", "Citation key"),
    ("entry_type", "Type"),
)


class LongTextEdit(QPlainTextEdit):
    """A several-line field that behaves like a QLineEdit to the form: it reports an edit
    when it loses focus, and knows whether it was modified."""

    editingFinished = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 12)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def isModified(self) -> bool:
        return self.document().isModified()

    def setModified(self, modified: bool) -> None:
        self.document().setModified(modified)

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)

    def setPlaceholderText(self, text: str) -> None:
        super().setPlaceholderText(text)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


def _section(title: str, parent: QWidget) -> QLabel:
    label = QLabel(title, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _field_value(view: PaperView, name: str) -> object:
    return list(view.authors) if name == "authors" else getattr(view, name)


def _field_text(view: PaperView, name: str) -> str:
    if name == "authors":
        return "; ".join(a.display for a in view.authors)
    value = getattr(view, name)
    return "" if value is None else str(value)


class DetailPane(QScrollArea):
    def __init__(self, controller: LibraryController, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("detail")
        self.controller = controller
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._view: PaperView | None = None
        # each field's value as shown when the user began to edit it: the base of the edit,
        # so a change someone else makes meanwhile is reported, never overwritten
        self._field_base: dict[str, object] = {}
        self._ids: list[int] = []
        self._terms: list[str] = []
        self.stack = QStackedWidget(self)
        self.placeholder = QLabel("Select a paper to see its details", self.stack)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        mute(self.placeholder)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._build_paper())
        self.setWidget(self.stack)
        self.setMinimumWidth(320)

    # --- building ---------------------------------------------------------------------------
    def _build_paper(self) -> QWidget:
        page = QWidget(self.stack)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        self.title = QLabel(page)
        self.title.setObjectName("detail-title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.authors = self._text_label(page, "detail-authors")
        self.venue = self._text_label(page, "detail-venue")
        mute(self.venue)
        self.links = QLabel(page)
        self.links.setObjectName("detail-links")
        self.links.setTextFormat(Qt.TextFormat.RichText)
        self.links.setOpenExternalLinks(False)
        self.links.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.links.setWordWrap(True)
        self.stars = StarRating(page)
        self.stars.setObjectName("detail-rating")
        self.stars.rated.connect(self._rate)
        self.status = QComboBox(page)
        self.status.setObjectName("detail-status")
        for value, title in STATUS_TITLES.items():
            self.status.addItem(title, value)
        self.status.activated.connect(self._set_status)
        row = QHBoxLayout()
        row.addWidget(self.stars)
        row.addStretch(1)
        row.addWidget(QLabel("Status", page))
        row.addWidget(self.status)
        self.tags = TagEditor(page)
        self.tags.tag_added.connect(lambda name: self._tag(add=[name]))
        self.tags.tag_removed.connect(lambda name: self._tag(remove=[name]))
        self.tag_clicked = self.tags.tag_clicked
        self.abstract = self._text_label(page, "detail-abstract")
        self.notes = NotesEditor(page)
        self.notes.note_edited.connect(self._note_edited)
        self.notes.note_created.connect(self._add_note)
        self.notes.note_deleted.connect(self._delete_note)
        self.details_toggle = QToolButton(page)
        self.details_toggle.setObjectName("details-toggle")
        self.details_toggle.setText("Bibliographic details")
        self.details_toggle.setCheckable(True)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.details_toggle.setAutoRaise(True)
        self.details_toggle.toggled.connect(self._toggle_details)
        self.details = QWidget(page)
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.field_edits: dict[str, QLineEdit] = {}
        for name, label in FIELDS:
            edit = LongTextEdit(self.details) if name == "abstract" else QLineEdit(self.details)
            edit.setObjectName(f"field-{name}")
            if name == "authors":
                edit.setPlaceholderText("Family, Given; Family, Given; …")
            edit.editingFinished.connect(lambda n=name: self._field_edited(n))
            self.field_edits[name] = edit
            form.addRow(label, edit)
        self.details.hide()
        self.conflicts = ConflictBanner(page)
        self.conflicts.resolve.connect(self._resolve)
        layout.addWidget(self.conflicts)
        layout.addWidget(self.title)
        layout.addWidget(self.authors)
        layout.addWidget(self.venue)
        layout.addWidget(self.links)
        layout.addLayout(row)
        layout.addWidget(_section("Tags", page))
        layout.addWidget(self.tags)
        layout.addWidget(_section("Abstract", page))
        layout.addWidget(self.abstract)
        layout.addWidget(self.notes)
        layout.addWidget(self.details_toggle)
        layout.addWidget(self.details)
        layout.addStretch(1)
        return page

    def _text_label(self, parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return label

    # --- showing ----------------------------------------------------------------------------
    def paper(self) -> PaperView | None:
        return self._view

    def show_papers(self, ids: list[int]) -> None:
        """The selection changed: show the current paper, or say how many are selected."""
        if self._view is not None and (len(ids) != 1 or ids[0] != self._view.id):
            self.notes.flush()
        self._ids = list(ids)
        if len(ids) != 1:
            self._view = None
            self.placeholder.setText(
                "Select a paper to see its details"
                if not ids
                else f"{len(ids):,} papers selected\n\nType 0–5 to rate them all. Right-click "
                "to tag them, set their status, add them to a reading list or export them; "
                "or drag them onto a list or a tag in the sidebar."
            )
            self.stack.setCurrentIndex(0)
            return
        views = self.controller.views(ids)
        self._show(views[0] if views else None)

    def set_terms(self, terms: list[str]) -> None:
        if terms != self._terms:
            self._terms = terms
            if self._view is not None:
                self._show(self._view)

    def set_known_tags(self, names: list[str]) -> None:
        self.tags.set_known_tags(names)

    def refresh(self, changes: Changes) -> None:
        """Show the stored state again if the change touched the current paper."""
        if self._view is not None and (self._view.id in changes.papers | changes.notes):
            views = self.controller.views([self._view.id])
            self._show(views[0] if views else None)

    def _show(self, view: PaperView | None) -> None:
        self._view = view
        if view is None:
            self.placeholder.setText("This paper is no longer in the library")
            self.stack.setCurrentIndex(0)
            return
        mark = highlight_background()
        self.title.setText(highlighted(view.title, self._terms, mark))
        authors = "; ".join(a.display for a in view.authors)
        self.authors.setText(highlighted(authors, self._terms, mark))
        self.authors.setVisible(bool(authors))
        where = " · ".join(p for p in (view.venue, str(view.year or "")) if p)
        if view.in_trash:
            where = (where + " · " if where else "") + "in the Trash"
        self.venue.setText(html.escape(where))
        self.venue.setVisible(bool(where))
        links = [f'<a href="{html.escape(url)}">{label}</a>' for label, url in view.links()]
        self.links.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(links))
        self.links.setVisible(bool(links))
        self.stars.set_rating(view.rating)
        index = self.status.findData(view.status)
        self.status.setCurrentIndex(max(index, 0))
        self.tags.set_tags(view.tags)
        abstract = view.abstract or "No abstract."
        self.abstract.setText(highlighted(abstract, self._terms, mark))
        self.notes.show_notes(view.id, view.notes)
        for name, edit in self.field_edits.items():
            if not edit.hasFocus() or not edit.isModified():
                edit.setText(_field_text(view, name))
                edit.setCursorPosition(0)  # the start of a long value, not its end
                edit.setModified(False)
                self._field_base[name] = _field_value(view, name)
        self.show_conflicts()
        self.stack.setCurrentIndex(1)

    def show_conflicts(self) -> None:
        """The current paper's edits that wait for a choice (see ConflictBanner)."""
        waiting = self.controller.library.conflicts(self._view.id) if self._view else []
        self.conflicts.show_conflicts(waiting)

    def _resolve(self, conflict_id: int, keep: str) -> None:
        self.controller.resolve(conflict_id, keep, on_done=lambda _c: self.show_conflicts())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    # --- editing ----------------------------------------------------------------------------
    def _rate(self, rating: int) -> None:
        if self._view is not None:
            self.controller.rate([self._view.id], rating)

    def _set_status(self, _index: int) -> None:
        if self._view is not None:
            status = self.status.currentData()
            if status != self._view.status:
                self.controller.set_status([self._view.id], status)

    def _tag(self, add=(), remove=()) -> None:
        if self._view is not None:
            self.controller.tag([self._view.id], add, remove)

    def _note_edited(self, note_id: int, body: str, before: str) -> None:
        self.controller.edit_note(note_id, body, before)

    def _add_note(self, body: str) -> None:
        if self._view is not None:
            self.controller.add_note(self._view.id, body)

    def _delete_note(self, note_id: int, body: str) -> None:
        if self._view is not None:
            self.controller.delete_note(self._view.id, note_id, body)

    def _field_edited(self, name: str) -> None:
        edit = self.field_edits[name]
        if self._view is None or not edit.isModified():
            return
        edit.setModified(False)
        text = edit.text().strip()
        if text == _field_text(self._view, name):
            return
        value: object = text
        if name == "authors":
            value = [parse_name(part) for part in text.split(";") if part.strip()]
        view = self._view

        def refused(_message: str) -> None:  # show what is stored again
            if self._view is not None and self._view.id == view.id:
                edit.setText(_field_text(self._view, name))
                edit.setCursorPosition(0)

        base = {name: self._field_base.get(name, _field_value(view, name))}
        self.controller.edit(view.id, base=base, **{name: value}, on_failure=refused)
