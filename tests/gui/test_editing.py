"""Changing papers in the window: every edit is stored at once and can be undone."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from readinglist.gui.widgets.stars import STAR_SIZE
from tests.gui.conftest import settle


def retype(qtbot, field, text: str) -> None:
    """Replace a field's text by typing, as a user would."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def open_paper(qtbot, window, key: str) -> int:
    paper_id = window.library.get(key).id
    window.select_papers([paper_id])
    settle(qtbot, window)
    assert window.detail.paper().id == paper_id
    return paper_id


def test_rating_with_a_click_persists_and_undoes(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "turing1950computing")
    before = sample_library.get(paper).rating
    wanted = 2 if before != 2 else 4
    stars = window.detail.stars
    x = STAR_SIZE * (wanted - 1) + STAR_SIZE // 2
    qtbot.mouseClick(stars, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    settle(qtbot, window)
    assert sample_library.get(paper).rating == wanted
    assert window.model.view(window.model.row_of(paper)).rating == wanted
    qtbot.mouseClick(stars, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))  # again: cleared
    settle(qtbot, window)
    assert sample_library.get(paper).rating == 0
    window.undo_action.trigger()
    settle(qtbot, window)
    assert sample_library.get(paper).rating == wanted
    window.undo_action.trigger()
    settle(qtbot, window)
    assert sample_library.get(paper).rating == before
    assert stars.rating() == before


def test_rating_the_selection_with_a_key(qtbot, window, sample_library):
    ids = [window.model.paper_id(r) for r in (0, 1, 2)]
    window.select_papers(ids)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_3)
    settle(qtbot, window)
    assert [v.rating for v in sample_library.views(ids)] == [3, 3, 3]
    qtbot.keyClick(window.table, Qt.Key.Key_0)
    settle(qtbot, window)
    assert [v.rating for v in sample_library.views(ids)] == [0, 0, 0]


def test_status_from_the_detail_pane(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    combo = window.detail.status
    combo.setCurrentIndex(combo.findData("reading"))
    combo.activated.emit(combo.currentIndex())
    settle(qtbot, window)
    assert sample_library.get(paper).status == "reading"


def test_adding_a_tag_with_completion(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "shannon1948mathematical")
    assert "deep-learning" not in sample_library.get(paper).tags
    field = window.detail.tags.field
    field.setFocus()
    qtbot.keyClicks(field, "deep-l")
    completer = window.detail.tags.completer
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    assert completer.currentCompletion() == "deep-learning"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "deep-learning" in sample_library.get(paper).tags
    chip = window.detail.tags.findChild(object, "tag-chip-deep-learning")
    assert chip is not None
    chip.remove_button.click()
    settle(qtbot, window)
    assert "deep-learning" not in sample_library.get(paper).tags


def test_editing_a_note_saves_by_itself_and_undo_brings_it_back(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "vaswani2017attention")
    note = sample_library.get(paper).notes[0]
    editor = window.detail.notes.editors()[0]
    editor.source.setFocus()
    editor.source.moveCursor(editor.source.textCursor().MoveOperation.End)
    qtbot.keyClick(editor.source, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.source, "Read again before the seminar.")
    assert "Read again" in editor.preview.toPlainText()  # the preview follows as you type
    qtbot.waitUntil(lambda: "seminar" in sample_library.get(paper).notes[0].body, timeout=3000)
    settle(qtbot, window)  # the saved edit's step reaches the undo stack after its commit
    assert window.controller.undo_stack.count() == 1  # all those keystrokes: one undo step
    window.undo_action.trigger()
    settle(qtbot, window)
    assert sample_library.get(paper).notes[0].body == note.body
    assert editor.body() == note.body
    window.redo_action.trigger()
    settle(qtbot, window)
    assert "seminar" in sample_library.get(paper).notes[0].body


def test_a_new_note_is_stored_once_it_has_text_and_can_be_deleted(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    assert sample_library.get(paper).notes == ()
    notes = window.detail.notes
    qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)
    editor = notes.current()
    qtbot.keyClicks(editor.source, "**Key idea**: relations, not pointers.")
    editor.save()
    settle(qtbot, window)
    stored = sample_library.get(paper).notes
    assert [n.body for n in stored] == ["**Key idea**: relations, not pointers."]
    assert notes.current() is editor and editor.note_id == stored[0].id
    qtbot.mouseClick(notes.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert sample_library.get(paper).notes == ()
    window.undo_action.trigger()
    settle(qtbot, window)
    assert [n.body for n in sample_library.get(paper).notes] == [stored[0].body]


def test_note_preview_never_loads_remote_content(qtbot, window):
    open_paper(qtbot, window, "codd1970relational")
    notes = window.detail.notes
    editor = notes.add_draft()
    editor.source.setPlainText(
        "![tracker](https://example.invalid/pixel.png) [a link](https://example.org)"
    )
    from PySide6.QtCore import QUrl

    assert editor.preview.loadResource(2, QUrl("https://example.invalid/pixel.png")) is None
    assert "a link" in editor.preview.toPlainText()


def test_editing_bibliographic_fields(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    window.detail.details_toggle.click()
    year = window.detail.field_edits["year"]
    retype(qtbot, year, "1971")
    qtbot.keyClick(year, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert sample_library.get(paper).year == 1971
    authors = window.detail.field_edits["authors"]
    retype(qtbot, authors, "Codd, Edgar F.; Date, Chris")
    qtbot.keyClick(authors, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert [a.family for a in sample_library.get(paper).authors] == ["Codd", "Date"]
    window.undo_action.trigger()
    settle(qtbot, window)
    assert [a.family for a in sample_library.get(paper).authors] == ["Codd"]


def test_a_refused_edit_says_why_and_keeps_the_stored_value(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    window.detail.details_toggle.click()
    title = window.detail.field_edits["title"]
    title.setFocus()
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    qtbot.keyClick(title, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "title cannot be empty" in window.last_error
    assert title.text() == sample_library.get(paper).title


def test_delete_moves_to_the_trash_and_undo_restores(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert sample_library.get(paper).in_trash
    assert window.model.row_of(paper) is None
    assert window.sidebar._index_of(_trash()).siblingAtColumn(1).data() == "1"
    window.undo_action.trigger()
    settle(qtbot, window)
    assert not sample_library.get(paper).in_trash
    assert window.model.row_of(paper) is not None


def test_restoring_from_the_trash_view(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    window.trash_selection()
    window.sidebar.select_place(_trash())
    settle(qtbot, window)
    assert window.model.ids() == [paper]
    window.select_papers([paper])
    window.restore_action.trigger()
    settle(qtbot, window)
    assert not sample_library.get(paper).in_trash
    assert window.model.ids() == []


def test_copy_as_bibtex_puts_the_selection_on_the_clipboard(qtbot, window):
    open_paper(qtbot, window, "vaswani2017attention")
    window.copy_bibtex_action.trigger()
    settle(qtbot, window)
    text = QApplication.clipboard().text()
    assert text.startswith("@inproceedings{vaswani2017attention,")
    assert "Attention Is All You Need" in text


def _trash():
    from readinglist.gui.places import Place

    return Place("trash")


def test_deleting_a_tag_from_the_sidebar_and_undoing_it(qtbot, window, sample_library):
    from readinglist.domain.filters import PaperFilter

    tagged = set(sample_library.paper_ids(PaperFilter(tags=("theory",))))
    assert tagged
    window.controller.delete_tag("theory")
    settle(qtbot, window)
    assert "theory" not in {t.name for t in sample_library.tags()}
    assert window.sidebar._index_of(_tag("theory")) is None
    window.undo_action.trigger()
    settle(qtbot, window)
    assert set(sample_library.paper_ids(PaperFilter(tags=("theory",)))) == tagged
    assert window.sidebar._index_of(_tag("theory")) is not None


def test_rating_a_large_selection_undoes_each_paper_to_its_own_rating(
    qtbot, window, sample_library
):
    window.table.selectAll()
    before = {v.id: v.rating for v in sample_library.papers()}
    assert len(set(before.values())) > 2
    window.rate_selection(1)
    settle(qtbot, window)
    assert {v.rating for v in sample_library.papers()} == {1}
    window.undo_action.trigger()
    settle(qtbot, window)
    assert {v.id: v.rating for v in sample_library.papers()} == before


def _tag(name):
    from readinglist.gui.places import Place

    return Place("tags", name, (name,))


def test_renaming_a_tag_onto_another_merges_and_undo_separates_them(qtbot, window, sample_library):
    from readinglist.domain.filters import PaperFilter

    theory = set(sample_library.paper_ids(PaperFilter(tags=("theory",))))
    classic = set(sample_library.paper_ids(PaperFilter(tags=("classic",))))
    assert theory - classic and classic - theory
    window.controller.rename_tag("theory", "classic")
    settle(qtbot, window)
    assert set(sample_library.paper_ids(PaperFilter(tags=("classic",)))) == theory | classic
    window.undo_action.trigger()
    settle(qtbot, window)
    assert set(sample_library.paper_ids(PaperFilter(tags=("theory",)))) == theory
    assert set(sample_library.paper_ids(PaperFilter(tags=("classic",)))) == classic


def test_undo_follows_a_note_through_delete_and_back(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "vaswani2017attention")
    first = sample_library.get(paper).notes[0]
    window.controller.edit_note(first.id, "Edited once.", first.body)
    settle(qtbot, window)
    window.controller.delete_note(paper, first.id, "Edited once.")
    settle(qtbot, window)
    window.undo_action.trigger()  # the note comes back, under a new id
    settle(qtbot, window)
    window.undo_action.trigger()  # and the edit is undone on that new note
    settle(qtbot, window)
    bodies = [n.body for n in sample_library.get(paper).notes]
    assert first.body in bodies and "Edited once." not in bodies
    assert window.controller.undo_stack.count() == 2  # nothing was dropped
    window.redo_action.trigger()
    settle(qtbot, window)
    assert "Edited once." in [n.body for n in sample_library.get(paper).notes]


def test_undoing_a_new_tag_leaves_no_empty_tag_behind(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    window.controller.tag([paper], add=["brand-new"])
    settle(qtbot, window)
    window.undo_action.trigger()
    settle(qtbot, window)
    assert "brand-new" not in {t.name for t in sample_library.tags()}


def test_select_all_then_a_key_rates_every_paper_and_undo_restores_each(
    qtbot, window, sample_library
):
    before = {v.id: v.rating for v in sample_library.papers()}
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(window.table.selected_ids()) == 34
    qtbot.keyClick(window.table, Qt.Key.Key_5)
    settle(qtbot, window)
    assert {v.rating for v in sample_library.papers()} == {5}
    assert len(window.table.selected_ids()) == 34  # the selection survives the reload
    window.undo_action.trigger()
    settle(qtbot, window)
    assert {v.id: v.rating for v in sample_library.papers()} == before


def test_editing_the_abstract_in_the_details(qtbot, window, sample_library):
    paper = open_paper(qtbot, window, "codd1970relational")
    window.detail.details_toggle.click()
    abstract = window.detail.field_edits["abstract"]
    retype(qtbot, abstract, "Relations, not pointers.")
    window.detail.field_edits["year"].setFocus()  # leaving the field saves it
    settle(qtbot, window)
    assert sample_library.get(paper).abstract == "Relations, not pointers."
