"""The window on a shared library: other people's changes appear without a restart, a
conflict is shown beside the paper with a button for each value, a server out of reach is
said, and a shared library is opened from the File menu without its password leaking."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from readinglist.gui.shared import RECENT_KEY, OpenSharedDialog
from readinglist.services.library import Library
from tests.factories import draft
from tests.gui.conftest import settle


@pytest.fixture
def shared(postgres_address, tmp_path):
    """Alice's client (the window's) and Bob's, on one shared library with two papers."""
    bob = Library.open_shared(postgres_address, cache=tmp_path / "bob")
    first = bob.add_paper(draft("Attention Is All You Need", authors=["Vaswani"], year=2017))
    bob.add_paper(draft("Deep Residual Learning", authors=["He"], year=2016))
    alice = Library.open_shared(postgres_address, cache=tmp_path / "alice")
    yield alice, bob, first.created
    alice.close()
    bob.close()


def show_paper(qtbot, window, paper: int) -> None:
    row = window.model.row_of(paper)
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: window.detail.paper() is not None, timeout=5000)


def test_a_paper_bob_edits_appears_changed_in_alices_window(qtbot, open_window, shared):
    alice, bob, paper = shared
    window = open_window(alice)
    assert "postgresql://" in window.windowTitle()
    show_paper(qtbot, window, paper)
    time.sleep(0.3)  # the listener connects on its own thread
    started = time.monotonic()
    bob.edit(paper, title="Attention Is Still All You Need")
    qtbot.waitUntil(
        lambda: window.detail.title.text().startswith("Attention Is Still"), timeout=5000
    )
    assert time.monotonic() - started < 3
    new = bob.add_paper(draft("Layer Normalization", authors=["Ba"], year=2016)).created
    qtbot.waitUntil(lambda: window.model.row_of(new) is not None, timeout=5000)
    settle(qtbot, window)


def test_a_conflict_shows_both_values_and_one_click_keeps_mine(qtbot, open_window, shared):
    alice, bob, paper = shared
    window = open_window(alice)
    show_paper(qtbot, window, paper)
    window.detail.details_toggle.setChecked(True)
    field = window.detail.field_edits["venue"]
    field.setFocus()
    field.setText("NeurIPS 2017")  # Alice types; before she leaves the field, Bob saves
    field.setModified(True)
    bob.pull()
    bob.edit(paper, base={"venue": ""}, venue="NIPS")
    qtbot.wait(500)  # Bob's change reaches the window; Alice's typing stays
    assert field.text() == "NeurIPS 2017"
    window.detail._field_edited("venue")
    banner = window.detail.conflicts
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    text = " ".join(label.text() for label in banner.findChildren(QLabel))
    assert "NIPS" in text and "NeurIPS 2017" in text
    (waiting,) = alice.conflicts(paper)
    banner.findChild(QPushButton, f"use-mine-{waiting.id}").click()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
    bob.pull()
    assert bob.get(paper).venue == "NeurIPS 2017"
    assert alice.conflicts() == []
    settle(qtbot, window)


def test_a_server_out_of_reach_is_said_over_the_table(qtbot, open_window, shared):
    alice, _bob, _paper = shared
    window = open_window(alice)
    window.feed.online.emit(False)
    assert window.shared_bar.isVisible() and "offline" in window.shared_bar.label.text()
    window.feed.online.emit(True)
    assert not window.shared_bar.isVisible()


def test_opening_a_shared_library_keeps_the_password_out_of_sight(qtbot, settings, monkeypatch):
    launched = []
    monkeypatch.setattr(
        "readinglist.gui.shared.launch_window", lambda *args: launched.append(args) or True
    )
    dialog = OpenSharedDialog(settings)
    qtbot.addWidget(dialog)
    dialog.address.setText("postgresql://alice@labserver/papers")
    dialog.password.setText("s3cret horse")
    dialog._open()
    assert launched == [("postgresql://alice@labserver/papers", "s3cret horse")]
    assert settings.value(RECENT_KEY) == ["postgresql://alice@labserver/papers"]
    settings.sync()
    assert b"s3cret" not in Path(settings.fileName()).read_bytes()


def test_offline_the_window_keeps_an_edit_and_sends_it_when_the_server_is_back(
    qtbot, open_window, postgres_address, tmp_path
):
    from tests.net_proxy import Proxy

    bob = Library.open_shared(postgres_address, cache=tmp_path / "bob")
    paper = bob.add_paper(draft("Attention Is All You Need", year=2017)).created
    server, database = postgres_address.rsplit("/", 1)
    host, port = server.rsplit("@", 1)[1].split(":")
    proxy = Proxy((host, int(port)))
    alice = Library.open_shared(
        f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}", cache=tmp_path / "alice"
    )
    try:
        window = open_window(alice)
        show_paper(qtbot, window, paper)
        qtbot.wait(300)
        proxy.unplug()
        qtbot.waitUntil(window.shared_bar.isVisible, timeout=10_000)
        window.controller.edit(paper, title="Attention, edited on the train")
        qtbot.waitUntil(
            lambda: window.detail.title.text().startswith("Attention, edited"), timeout=5000
        )
        assert len(alice.journal) == 1
        proxy.plug()
        qtbot.waitUntil(lambda: not window.shared_bar.isVisible(), timeout=15_000)
        qtbot.waitUntil(lambda: len(alice.journal) == 0, timeout=10_000)
        bob.pull()
        assert bob.get(paper).title == "Attention, edited on the train"
        settle(qtbot, window)
        window.close()
    finally:
        proxy.unplug()
        alice.close()
        bob.close()


def test_a_list_reordered_by_two_people_waits_in_the_conflicts_window(qtbot, open_window, shared):
    alice, bob, paper = shared
    other = bob.search_ids("residual")[0]
    third = bob.add_paper(draft("Layer Normalization", year=2016)).created
    bob.create_list("Week 1")
    bob.add_to_list("Week 1", [paper, other, third])
    window = open_window(alice)
    alice.pull()
    shown = alice.list_members("Week 1")
    bob.reorder_list("Week 1", [other, paper, third], base=shown)
    window.controller.reorder_list("Week 1", [third, paper, other], shown)  # Alice's drag
    settle(qtbot, window)
    assert alice.list_members("Week 1") == [other, paper, third]  # Bob's order stands
    dialog = window.show_conflicts()
    qtbot.addWidget(dialog)
    assert dialog.banner.isVisible() and not dialog.empty.isVisible()
    labels = " ".join(label.text() for label in dialog.banner.findChildren(QLabel))
    assert "Layer Normalization → Attention Is All You Need → Deep Residual Learning" in labels
    (waiting,) = alice.conflicts()
    dialog.banner.findChild(QPushButton, f"use-mine-{waiting.id}").click()
    qtbot.waitUntil(dialog.empty.isVisible, timeout=5000)
    bob.pull()
    assert bob.list_members("Week 1") == [third, paper, other]
    settle(qtbot, window)
