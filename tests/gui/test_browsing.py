"""Finding papers in the window: search as you type, sort by a column, filter by the sidebar."""

from __future__ import annotations

from PySide6.QtCore import Qt

from readinglist.gui.paper_model import COLUMNS
from readinglist.gui.places import Place
from tests.gui.conftest import settle


def titles(window) -> list[str]:
    model = window.model
    return [model.view(row).title for row in range(model.rowCount())]


def test_the_window_opens_on_the_whole_library(window, sample_library):
    assert window.model.rowCount() == sample_library.count() == 34
    assert window.count_label.text() == "34 papers"
    assert window.pages.currentWidget() is window.splitter


def test_typing_a_query_filters_the_table_and_counts_the_matches(qtbot, window):
    qtbot.keyClicks(window.search.edit, "attention")
    settle(qtbot, window)
    assert "Attention Is All You Need" in titles(window)
    assert window.model.rowCount() < 34
    assert window.search.count.text() == f"{window.model.rowCount()} matches"
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Escape)
    settle(qtbot, window)
    assert window.search.text() == ""
    assert window.model.rowCount() == 34


def test_a_query_mistake_is_shown_inline_and_the_table_stays(qtbot, window):
    qtbot.keyClicks(window.search.edit, 'title:"unclosed')
    settle(qtbot, window)
    assert window.search.problem.isVisible()
    assert "quote" in window.search.problem.text().lower()
    assert window.model.rowCount() == 34


def test_field_queries_and_the_sidebar_combine(qtbot, window):
    window.sidebar.select_place(Place("tags", "nlp", ("nlp",)))
    settle(qtbot, window)
    nlp = window.model.rowCount()
    assert 0 < nlp < 34
    window.search.set_text("year:2019..2030")
    settle(qtbot, window)
    recent_nlp = titles(window)
    assert 0 < len(recent_nlp) < nlp
    for row in range(window.model.rowCount()):
        view = window.model.view(row)
        assert "nlp" in view.tags and view.year >= 2019


def test_clicking_a_header_sorts_by_that_column_in_the_database(qtbot, window):
    header = window.table.horizontalHeader()
    year = next(i for i, c in enumerate(COLUMNS) if c.key == "year")

    def click_year() -> None:
        x = header.sectionViewportPosition(year) + header.sectionSize(year) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_point(x, 5))
        settle(qtbot, window)

    def years() -> list[int]:
        return [window.model.view(r).year for r in range(window.model.rowCount())]

    assert years() != sorted(years())  # newest-added first: not in year order to begin with
    click_year()
    assert years() == sorted(years()) and years()[0] == 1948
    click_year()
    assert years() == sorted(years(), reverse=True)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_selecting_several_tags_shows_papers_with_all_of_them(qtbot, window, sample_library):
    sidebar = window.sidebar
    first = sidebar._index_of(Place("tags", "deep-learning", ("deep-learning",)))
    second = sidebar._index_of(Place("tags", "nlp", ("nlp",)))
    selection = sidebar.selectionModel()
    selection.select(first, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows)
    selection.select(second, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    settle(qtbot, window)
    expected = set(sample_library.paper_ids(window.place.paper_filter()))
    assert window.place.tags == ("deep-learning", "nlp")
    assert set(window.model.ids()) == expected
    assert all({"deep-learning", "nlp"} <= set(window.model.view(r).tags)
               for r in range(window.model.rowCount()))  # fmt: skip


def test_sidebar_counts_match_the_library(window, sample_library):
    counts = sample_library.counts()
    sidebar = window.sidebar
    for place, expected in (
        (Place("all"), counts.all),
        (Place("status", "read"), counts.by_status["read"]),
        (Place("list", "Deep learning foundations"), 10),
    ):
        index = sidebar._index_of(place)
        assert index.siblingAtColumn(1).data() == f"{expected:,}"


def test_the_detail_pane_highlights_what_the_search_matched(qtbot, window):
    window.search.set_text("attention")
    settle(qtbot, window)
    row = titles(window).index("Attention Is All You Need")
    window.select_papers([window.model.paper_id(row)])
    assert "background-color" in window.detail.title.text()
    assert ">Attention</span>" in window.detail.title.text()


def _point(x: int, y: int):
    from PySide6.QtCore import QPoint

    return QPoint(x, y)


def test_ctrl_f_focuses_the_search(qtbot, window):
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.edit.hasFocus()


def test_columns_and_layout_are_remembered(qtbot, sample_library, settings):
    from readinglist.gui.main_window import MainWindow

    first = MainWindow(sample_library, settings)
    qtbot.addWidget(first)
    first.show()
    settle(qtbot, first)
    header = first.table.horizontalHeader()
    year = next(i for i, c in enumerate(COLUMNS) if c.key == "year")
    venue = next(i for i, c in enumerate(COLUMNS) if c.key == "venue")
    header.setSectionHidden(year, True)
    header.setSectionHidden(venue, False)
    header.moveSection(header.visualIndex(venue), 1)
    first.close()
    second = MainWindow(sample_library, settings)
    qtbot.addWidget(second)
    second.show()
    settle(qtbot, second)
    header = second.table.horizontalHeader()
    assert header.isSectionHidden(year)
    assert not header.isSectionHidden(venue)
    assert header.visualIndex(venue) == 1
    second.close()


def test_an_import_by_the_command_line_shows_up_in_the_open_window(qtbot, window, tmp_path):
    """Another program (here the real CLI, in its own process) adds papers to the library
    while the window is open: they appear within seconds, without a restart."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    bib = tmp_path / "more.bib"
    bib.write_text("@article{cli1, title={Written From The Command Line}, year={2024}}\n")
    program = str(Path(sys.executable).with_name("readinglist"))
    subprocess.run(
        [program, "--library", str(window.library.folder), "import", str(bib)],
        check=True, capture_output=True, env={**os.environ},
    )  # fmt: skip
    qtbot.waitUntil(lambda: window.model.rowCount() == 35, timeout=10_000)
    qtbot.waitUntil(lambda: window.sidebar._index_of(Place("all")).siblingAtColumn(1).data()
                    == "35", timeout=10_000)  # fmt: skip
    settle(qtbot, window)
    assert "Written From The Command Line" in titles(window)


def test_the_welcome_text_is_never_cut(qtbot, open_window, library):
    window = open_window(library)
    window.resize(900, 600)
    qtbot.wait(50)
    from PySide6.QtWidgets import QLabel

    for label in window.welcome.findChildren(QLabel):
        if label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()


def test_switching_to_dark_redraws_icons_and_sidebar_greys(qtbot, window):
    from PySide6.QtWidgets import QApplication

    from readinglist.gui.theme import apply_scheme, is_dark

    def lightness_of_icon() -> int:
        image = window.import_action.icon().pixmap(32, 32).toImage()
        colours = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
        drawn = [c for c in colours if c.alpha() > 200]
        return sum(c.lightness() for c in drawn) // max(len(drawn), 1)

    header = window.sidebar._sections["Library"]
    before_icon, before_grey = lightness_of_icon(), header.foreground().color().lightness()
    app = QApplication.instance()
    original = app.palette()
    try:
        apply_scheme(app, True)
        qtbot.waitUntil(lambda: is_dark(window.palette()))
        qtbot.waitUntil(lambda: lightness_of_icon() > before_icon + 100)
        assert header.foreground().color().lightness() > before_grey
    finally:
        app.setPalette(original)
        qtbot.waitUntil(lambda: abs(lightness_of_icon() - before_icon) < 30)


def test_a_call_that_changes_nothing_does_not_reload_the_table(qtbot, window, monkeypatch):
    """The periodic backup runs on the writer and changes nothing shown: at start-up its
    reload restarted the table's first load (every id read again) and the sidebar counts."""
    reloads, counts = [], []
    monkeypatch.setattr(window, "reload", lambda *a, **k: reloads.append(a))
    monkeypatch.setattr(window, "refresh_counts", lambda: counts.append(1))
    window.periodic_backup()
    settle(qtbot, window)
    window.controller.rate([window.model.paper_id(0)], 3)  # a real change still reloads
    settle(qtbot, window)
    assert len(reloads) == 1 and len(counts) == 1
