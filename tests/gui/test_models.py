"""Every item model of the window passes Qt's own model checks (qtmodeltester)."""

from __future__ import annotations

from readinglist.gui.import_preview import CandidateModel
from readinglist.gui.paper_model import PAGE, PaperTableModel, reordered
from readinglist.gui.places import Place
from tests.gui.conftest import settle


def test_the_paper_table_model(qtmodeltester, sample_library):
    model = PaperTableModel(sample_library.views)
    model.set_ids(sample_library.paper_ids())
    qtmodeltester.check(model, force_py=True)
    model.set_ids(sample_library.paper_ids()[:3], reorderable=True)
    qtmodeltester.check(model, force_py=True)


def test_the_sidebar_model(qtmodeltester, qtbot, window):
    window.sidebar.select_place(Place("tags", "nlp", ("nlp",)))
    settle(qtbot, window)
    qtmodeltester.check(window.sidebar.model_, force_py=True)


def test_the_import_preview_model(qtmodeltester, sample_library):
    preview = sample_library.preview_text(
        "@article{a, title={One}, year={2020}}\n@article{b, title={Two}}\n"
    )
    qtmodeltester.check(CandidateModel(preview), force_py=True)


def test_rows_are_read_a_page_at_a_time(sample_library):
    asked: list[int] = []

    def loader(ids):
        asked.append(len(ids))
        return sample_library.views(ids)

    ids = sample_library.paper_ids()
    model = PaperTableModel(loader)
    model.set_ids(ids * (PAGE // len(ids) + 2))  # more rows than one page
    assert asked == []  # nothing read until a row is shown
    model.data(model.index(0, 0))
    model.data(model.index(1, 1))
    assert asked == [PAGE]
    model.data(model.index(PAGE + 1, 0))
    assert asked == [PAGE, min(PAGE, model.rowCount() - PAGE)]


def test_reordered_puts_the_moved_papers_before_the_drop_row():
    assert reordered([1, 2, 3, 4, 5], [4], 1) == [1, 4, 2, 3, 5]
    assert reordered([1, 2, 3, 4, 5], [1, 2], 4) == [3, 4, 1, 2, 5]
    assert reordered([1, 2, 3], [1], 3) == [2, 3, 1]  # dropped below the last row


def test_the_qt_binding_keeps_none_alive_when_a_model_returns_no_data(sample_library):
    """PySide6 6.12.0 dropped one reference to None each time a model's data() returned None;
    on Python 3.11 that crashes the window after a few thousand repaints. This guards the pin
    in pyproject.toml against a binding with the same fault."""
    import sys

    from PySide6.QtCore import Qt

    model = PaperTableModel(sample_library.views)
    model.set_ids(sample_library.paper_ids())
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(2000):
        assert index.data(Qt.ItemDataRole.DecorationRole) is None
    assert sys.getrefcount(None) >= before - 50
