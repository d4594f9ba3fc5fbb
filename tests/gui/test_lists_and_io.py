"""Reading lists, importing and exporting from the window."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from readinglist.domain.filters import PaperFilter
from readinglist.gui.exporting import FORMATS
from readinglist.gui.places import Place
from tests.gui.conftest import settle

BIBTEX_WITH_A_BROKEN_ENTRY = """\
@article{good1,
  title = {Sparse Mixture of Experts at Scale},
  author = {Rossi, Anna and Kim, Min},
  year = {2024},
  journal = {Journal of Imaginary Results}
}

@article{broken,
  title = {This entry never closes its braces,
  author = {Nobody, A.},
  year = {2023

@article{good2,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  year = {2017},
  eprint = {1706.03762},
  archiveprefix = {arXiv}
}

@article{good3,
  title = {Quiet Gradients for Loud Data},
  author = {Okafor, Chidi},
  year = {2025}
}
"""


def drop(widget, mime: QMimeData, position: QPoint) -> None:
    """A real drag's last three events, delivered to the widget that would receive them."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    point = QPointF(position)
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        _drag_event(QDragEnterEvent, position, actions, mime, buttons, modifiers),
        _drag_event(QDragMoveEvent, position, actions, mime, buttons, modifiers),
        QDropEvent(point, actions, mime, buttons, modifiers, QEvent.Type.Drop),
    ):
        QApplication.sendEvent(widget, event)


def _drag_event(kind, position: QPoint, *rest):
    """Qt 6.12 takes a QPointF (its QPoint form is deprecated), earlier Qt only a QPoint."""
    try:
        return kind(QPointF(position), *rest)
    except TypeError:
        return kind(position, *rest)


def answer_next_input_dialog(text: str) -> None:
    """Fill in and accept the input dialog the next action opens, as a user would."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog), dialog
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(50, fill)


def test_creating_a_list_and_dropping_papers_on_it(qtbot, window, sample_library):
    answer_next_input_dialog("Seminar, week 3")
    window.new_list_action.trigger()
    settle(qtbot, window)
    assert "Seminar, week 3" in [s.name for s in sample_library.lists()]
    ids = [window.model.paper_id(r) for r in (0, 2, 4)]
    mime = window.model.mimeData([window.model.index(window.model.row_of(i), 0) for i in ids])
    sidebar = window.sidebar
    target = sidebar._index_of(Place("list", "Seminar, week 3"))
    drop(sidebar.viewport(), mime, sidebar.visualRect(target).center())
    settle(qtbot, window)
    assert sample_library.paper_ids(PaperFilter(list_name="Seminar, week 3")) == ids
    assert sidebar._index_of(Place("list", "Seminar, week 3")).siblingAtColumn(1).data() == "3"
    window.undo_action.trigger()
    settle(qtbot, window)
    assert sample_library.paper_ids(PaperFilter(list_name="Seminar, week 3")) == []


def test_dropping_papers_on_a_tag_tags_them(qtbot, window, sample_library):
    paper = sample_library.get("codd1970relational").id
    mime = window.model.mimeData([window.model.index(window.model.row_of(paper), 0)])
    sidebar = window.sidebar
    target = sidebar._index_of(Place("tags", "theory", ("theory",)))
    drop(sidebar.viewport(), mime, sidebar.visualRect(target).center())
    settle(qtbot, window)
    assert "theory" in sample_library.get(paper).tags


def test_reordering_a_list_by_dragging_a_row(qtbot, window, sample_library):
    name = "Distributed systems classics"
    window.sidebar.select_place(Place("list", name))
    settle(qtbot, window)
    before = window.model.ids()
    assert before == sample_library.paper_ids(PaperFilter(list_name=name))
    assert window.model.reorderable
    last = window.model.index(len(before) - 1, 0)
    mime = window.model.mimeData([last])
    table = window.table
    drop(table.viewport(), mime, table.visualRect(window.model.index(0, 0)).center() - QPoint(0, 5))
    settle(qtbot, window)
    after = sample_library.paper_ids(PaperFilter(list_name=name))
    assert after == [before[-1], *before[:-1]]
    assert window.model.ids() == after
    window.undo_action.trigger()
    settle(qtbot, window)
    assert sample_library.paper_ids(PaperFilter(list_name=name)) == before


def test_pasting_entries_shows_a_preview_with_the_broken_one_and_imports_the_rest(
    qtbot, window, sample_library
):
    QApplication.clipboard().setText(BIBTEX_WITH_A_BROKEN_ENTRY)
    window.paste_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None)
    dialog = window.preview_dialog
    assert dialog.isVisible()
    model = dialog.model
    titles = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert "Sparse Mixture of Experts at Scale" in titles
    assert "Quiet Gradients for Loud Data" in titles
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert any("line 8" in p for p in problems), problems
    attention = titles.index("Attention Is All You Need")
    assert model.index(attention, 4).data().startswith("Already there (same arXiv id)")
    assert model.index(attention, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    untick = titles.index("Quiet Gradients for Loud Data")
    model.setData(model.index(untick, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert dialog.import_button.text() == "Import 1"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert sample_library.count() == 35
    new = sample_library.search_ids('title:"sparse mixture"')
    assert len(new) == 1
    assert window.table.selected_ids() == new  # the new paper is selected
    assert window.detail.paper().title == "Sparse Mixture of Experts at Scale"
    window.undo_action.trigger()  # an import is one undo step
    settle(qtbot, window)
    assert sample_library.count() == 34


def test_importing_several_files_at_once(qtbot, window, sample_library, tmp_path):
    first = tmp_path / "a.bib"
    first.write_text("@article{x1, title={Alpha Paper}, author={Doe, Jane}, year={2020}}\n")
    second = tmp_path / "b.ris"
    second.write_text("TY  - JOUR\nTI  - Beta Paper\nAU  - Roe, Rick\nPY  - 2021\nER  - \n")
    window.preview_files([str(first), str(second)])
    qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None)
    dialog = window.preview_dialog
    assert dialog.model.rowCount() == 2
    dialog.accept()
    settle(qtbot, window)
    assert {v.title for v in sample_library.papers()} >= {"Alpha Paper", "Beta Paper"}


def test_exporting_a_list_writes_its_papers_in_its_order(qtbot, window, sample_library, tmp_path):
    name = "Deep learning foundations"
    window.sidebar.select_place(Place("list", name))
    settle(qtbot, window)
    fmt = next(f for f in FORMATS if f.name == "csl-json")
    target = tmp_path / "out" / "list.json"
    window.export("list", fmt, target)
    settle(qtbot, window)
    items = json.loads(target.read_text(encoding="utf-8"))
    expected = [v.title for v in sample_library.papers(PaperFilter(list_name=name))]
    assert [item["title"] for item in items] == expected
    markdown = next(f for f in FORMATS if f.name == "markdown")
    window.export("list", markdown, tmp_path / "list.md")
    settle(qtbot, window)
    assert (tmp_path / "list.md").read_text(encoding="utf-8").startswith(f"# {name}")


def test_saving_a_search_adds_a_smart_list(qtbot, window, sample_library):
    window.search.set_text("tag:vision")
    settle(qtbot, window)
    answer_next_input_dialog("Vision papers")
    window.save_search_action.trigger()
    settle(qtbot, window)
    place = Place("search", "Vision papers", query="tag:vision")
    index = window.sidebar._index_of(place)
    assert index.siblingAtColumn(1).data() == str(len(sample_library.search_ids("tag:vision")))
    window.search.set_text("")
    window.sidebar.select_place(place)
    settle(qtbot, window)
    assert set(window.model.ids()) == set(sample_library.search_ids("tag:vision"))


def test_a_new_library_welcomes_and_opens_the_sample(qtbot, open_window, library):
    window = open_window(library)
    assert window.pages.currentWidget() is window.welcome
    window.welcome.findChild(object, "welcome-sample").click()
    settle(qtbot, window)
    assert window.pages.currentWidget() is window.splitter
    assert window.model.rowCount() == 34
    assert {s.name for s in library.lists()} == {
        "Deep learning foundations",
        "Distributed systems classics",
    }


def test_dropping_files_on_the_window_opens_their_preview(qtbot, window, tmp_path):
    from PySide6.QtCore import QUrl

    path = tmp_path / "dropped.bib"
    path.write_text("@article{d1, title={Dropped Paper}, author={Doe, Jane}, year={2019}}\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop(window, mime, QPoint(700, 400))
    qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None)
    assert window.preview_dialog.model.index(0, 1).data() == "Dropped Paper"


def test_a_long_import_can_be_cancelled_and_keeps_what_was_done(qtbot, window, sample_library):
    from readinglist.gui.places import ALL

    text = "\n".join(
        f"@article{{c{n}, title={{Cancelled Batch Paper Number {n}}}, year={{2001}}}}"
        for n in range(6000)
    )
    preview = sample_library.preview_text(text)
    job = window.import_chosen(preview, list(range(len(preview.candidates))))
    assert window.cancel_button.isVisible()
    with qtbot.waitSignal(job.progressed, timeout=10_000):
        pass  # the first batch is in
    window.cancel_button.click()
    settle(qtbot, window)
    assert job.result.cancelled
    imported = len(job.result.added)
    assert 0 < imported < 6000 and imported % 500 == 0  # whole batches: nothing half-done
    assert sample_library.count() == 34 + imported
    assert "cancelled" in window.statusBar().currentMessage()
    assert not window.cancel_button.isVisible()
    assert window.place == ALL


def test_pasting_identifiers_looks_them_up_for_the_preview(qtbot, window, httpserver,
                                                          monkeypatch):  # fmt: skip
    """Only the network is stood in for: a local server answers as arXiv and Crossref do."""
    from tests.test_lookup import ATOM

    monkeypatch.setenv("READINGLIST_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("READINGLIST_CROSSREF_API", httpserver.url_for("/works"))
    httpserver.expect_request("/api/query").respond_with_data(
        ATOM, content_type="application/atom+xml"
    )
    httpserver.expect_request("/works/10.5555/missing").respond_with_data("", status=404)
    QApplication.clipboard().setText("arXiv:1706.03762\n10.5555/missing\n")
    window.paste_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None, timeout=20_000)
    dialog = window.preview_dialog
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 4).data().startswith("Already there")  # the sample has it
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert len(problems) == 1 and "10.5555/missing" in problems[0]


def test_pasting_the_sample_page_with_a_broken_entry_previews_the_rest(
    qtbot, window, sample_library, sample_page
):
    """The shared sample page (a copied Hugging Face Papers listing) with one title whose
    abstract went missing: the preview lists the 119 papers and names the broken line."""
    lines = sample_page.read_text(encoding="utf-8").splitlines()
    broken_at = 40  # between two papers: a title line with no abstract after it
    lines.insert(broken_at, "A Title Whose Abstract Was Lost When Copying")
    QApplication.clipboard().setText("\n".join(lines) + "\n")
    window.paste_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None)
    dialog = window.preview_dialog
    assert dialog.model.rowCount() == 119
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert any(f"line {broken_at + 1}" in p and "Lost When Copying" in p for p in problems)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert sample_library.count() == 34 + 119
    assert len(window.table.selected_ids()) == 119


def test_undoing_an_import_takes_back_merged_tags_too(qtbot, window, sample_library):
    QApplication.clipboard().setText(
        "@article{again, title={Attention Is All You Need}, eprint={1706.03762},"
        " archiveprefix={arXiv}, keywords={merged-tag}}\n"
        "@article{fresh, title={A Fresh Paper}, year={2024}}\n"
    )
    window.paste_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "preview_dialog", None) is not None)
    dialog = window.preview_dialog
    dialog.model.set_all(True)  # the duplicate too: its tag is merged in
    dialog.accept()
    settle(qtbot, window)
    paper = sample_library.get("vaswani2017attention")
    assert "merged-tag" in paper.tags and sample_library.count() == 35
    window.undo_action.trigger()
    settle(qtbot, window)
    assert "merged-tag" not in sample_library.get("vaswani2017attention").tags
    assert sample_library.count() == 34
    assert not window.controller.undo_stack.canRedo()  # exact once: not redone


def test_deleting_a_list_with_a_paper_in_the_trash_and_undoing_it(qtbot, window, sample_library):
    name = "Distributed systems classics"
    members = sample_library.list_members(name)
    window.controller.trash([members[2]])
    settle(qtbot, window)
    window.controller.delete_list(name)
    settle(qtbot, window)
    window.undo_action.trigger()
    settle(qtbot, window)
    window.controller.restore([members[2]])
    settle(qtbot, window)
    assert sample_library.list_members(name) == members
