"""Other people's changes to a shared library reach every open client, and none is missed.

Two clients (two ``Library`` objects with their own cache folders, as two computers) on one
database of the test cluster; the second one follows the change feed.
"""

from __future__ import annotations

import queue
import time

import psycopg
import pytest

from readinglist.services.library import Library
from readinglist.storage.notifications import APPLICATION_NAME
from tests.backends import library_state
from tests.factories import draft


@pytest.fixture
def alice(postgres_address, tmp_path):
    with Library.open_shared(postgres_address, cache=tmp_path / "alice") as library:
        yield library


@pytest.fixture
def bob(postgres_address, tmp_path, alice):
    with Library.open_shared(postgres_address, cache=tmp_path / "bob") as library:
        yield library


def test_every_kind_of_change_reaches_the_other_copy(alice, bob):
    first = alice.add_paper(draft("Attention Is All You Need", authors=["Vaswani"], year=2017))
    second = alice.add_paper(draft("Deep Residual Learning", authors=["He"], year=2016))
    third = alice.add_paper(draft("Layer Normalization", authors=["Ba"], year=2016))
    a, b, c = first.created, second.created, third.created
    alice.tag([a, b], add=["transformers", "to-cite"])
    alice.rate(a, 5)
    alice.set_status(b, "reading")
    note = alice.add_note(a, "Read section 3 **twice**.").created
    alice.edit_note(note, "Read section 3 twice; the masking is the trick.")
    alice.create_list("Week 1")
    alice.add_to_list("Week 1", [c, a, b])
    alice.move_in_list("Week 1", b, 0)
    alice.save_search("recent", "year:>=2016")
    alice.rename_tag("to-cite", "cite")
    alice.trash(c)
    assert bob.pull()  # it brought something
    assert library_state(bob) == library_state(alice)
    assert bob.list_members("Week 1") == [b, c, a]

    alice.empty_trash()
    alice.delete_list("Week 1")
    alice.delete_tag("cite")
    alice.delete_note(note)
    changes = bob.pull()
    assert c in changes.removed and changes.lists and changes.tags
    assert library_state(bob) == library_state(alice)
    assert bob.search_ids("residual") == [b]


def test_a_change_reaches_a_listening_client_within_seconds(alice, bob):
    paper = alice.add_paper(draft("Attention Is All You Need", year=2017)).created
    bob.pull()
    heard: queue.Queue = queue.Queue()
    bob.listen(heard.put)
    _wait_until_listening()
    started = time.monotonic()
    alice.edit(paper, title="Attention is all you need")
    changes = heard.get(timeout=10)
    assert time.monotonic() - started < 5
    assert changes.modified == {paper}
    assert bob.get(paper).title == "Attention is all you need"
    assert bob.search_ids("attention") == [paper]


def test_a_client_whose_connection_was_killed_catches_up(alice, bob, postgres_address):
    paper = alice.add_paper(draft("Attention Is All You Need", year=2017)).created
    statuses: list[bool] = []
    heard: queue.Queue = queue.Queue()
    listener = bob.listen(heard.put, statuses.append)
    listener.retry_s = 1.0
    _wait_until_listening()
    with psycopg.connect(postgres_address, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",  # this test's only
            (APPLICATION_NAME,),
        ).fetchall()
    assert killed == [(True,)]
    alice.rate(paper, 4)  # committed while Bob's listener is away: its notification is lost
    deadline = time.monotonic() + 15
    while bob.get(paper).rating != 4:
        assert time.monotonic() < deadline, f"Bob never caught up; statuses {statuses}"
        time.sleep(0.05)
    assert statuses[:3] == [True, False, True]


def test_a_client_that_was_closed_catches_up_when_it_opens(postgres_address, tmp_path, alice):
    paper = alice.add_paper(draft("Attention Is All You Need", year=2017)).created
    with Library.open_shared(postgres_address, cache=tmp_path / "carol") as carol:
        assert carol.get(paper).title == "Attention Is All You Need"
    alice.edit(paper, title="Attention")
    alice.tag(paper, add=["classic"])
    with Library.open_shared(postgres_address, cache=tmp_path / "carol") as carol:
        assert (carol.get(paper).title, carol.get(paper).tags) == ("Attention", ("classic",))
        assert carol.search_ids("tag:classic") == [paper]


def _wait_until_listening() -> None:
    time.sleep(0.3)  # the listener's connection is made on its own thread


def test_check_compares_this_computers_copy_with_the_server_and_repairs_it(alice, bob):
    import sqlite3
    from contextlib import closing

    from click.testing import CliRunner

    from readinglist.cli.main import cli

    paper = alice.add_paper(draft("Attention Is All You Need", year=2017)).created
    alice.tag(paper, add=["classic"])
    alice.create_list("Week 1")
    alice.add_to_list("Week 1", [paper])
    bob.pull()
    with closing(sqlite3.connect(bob.database.path)) as copy, copy:  # a copy gone wrong
        copy.execute("UPDATE paper SET title = 'Garbled', version = 99 WHERE id = ?", (paper,))
        copy.execute("DELETE FROM reading_list")
        copy.execute("UPDATE tag SET name = 'classik'")
    report = bob.check()
    assert not report.healthy
    assert (report.copy.papers, len(report.copy.lists), len(report.copy.tags)) == ([paper], 1, 1)
    repaired = bob.check(repair=True)
    assert repaired.healthy, repaired.to_json()
    assert library_state(bob) == library_state(alice)
    assert bob.search_ids("attention") == [paper]
    shown = CliRunner().invoke(cli, ["--library", bob.address, "check"])
    assert "this computer's copy: same as the server" in shown.output
