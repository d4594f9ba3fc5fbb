"""The awkward turns a shared library takes, each of which once lost or stuck something: names
reused, notes made offline, a connection lost right after a commit, a copy made into a
database someone had open, an import meeting an edit."""

from __future__ import annotations

import json
import threading

import pytest

from readinglist.domain.values import LibraryUnreachable
from readinglist.services import importing
from readinglist.services.journal import Journal
from readinglist.services.library import Library
from readinglist.services.sharing import share
from tests.backends import library_state
from tests.factories import draft
from tests.net_proxy import Proxy


@pytest.fixture
def lab(postgres_address, tmp_path):
    """Bob on the server; Alice through a line the test can cut; four papers."""
    bob = Library.open_shared(postgres_address, cache=tmp_path / "bob")
    papers = [bob.add_paper(draft(f"Paper {i}", year=2000 + i)).created for i in range(4)]
    server, database = postgres_address.rsplit("/", 1)
    host, port = server.rsplit("@", 1)[1].split(":")
    proxy = Proxy((host, int(port)))
    alice = Library.open_shared(
        f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}", cache=tmp_path / "alice"
    )
    yield alice, bob, proxy, papers
    proxy.unplug()
    alice.close()
    bob.close()


def test_a_tag_deleted_and_made_again_reaches_the_other_copy(lab):
    alice, bob, _proxy, papers = lab
    bob.tag(papers[0], add=["ml"])
    alice.pull()
    bob.delete_tag("ml")
    bob.tag(papers[1], add=["ml"])  # the same name, a new tag
    alice.pull()
    assert alice.search_ids("tag:ml") == [papers[1]]
    assert library_state(alice) == library_state(bob)


def test_lists_and_keys_that_trade_names_reach_the_other_copy(lab):
    alice, bob, _proxy, papers = lab
    bob.create_list("A")
    bob.create_list("B")
    bob.add_to_list("A", [papers[0]])
    alice.pull()
    bob.rename_list("A", "tmp")
    bob.rename_list("B", "A")
    bob.rename_list("tmp", "B")
    first, second = (bob.get(p).key for p in papers[:2])
    bob.edit(papers[0], key="swapping")
    bob.edit(papers[1], key=first)
    bob.edit(papers[0], key=second)
    alice.pull()
    assert alice.list_members("B") == [papers[0]]
    assert (alice.get(papers[0]).key, alice.get(papers[1]).key) == (second, first)
    assert library_state(alice) == library_state(bob)


def test_notes_made_offline_arrive_once_each_and_keep_their_last_text(lab):
    alice, bob, proxy, papers = lab
    proxy.unplug()
    first = alice.add_note(papers[1], "draft on the train").created
    alice.edit_note(first, "final text")
    alice.add_note(papers[2], "on paper 2")
    gone = alice.add_note(papers[3], "never mind").created
    alice.delete_note(gone)
    bob.add_note(papers[0], "Bob's, online")  # takes ids the offline notes hold in Alice's copy
    kept = [e.method for e in alice.journal.entries()]  # edit and delete folded into notes
    assert kept == ["add_note", "add_note", "touched-only"]
    proxy.plug()
    alice.pull()
    assert alice.last_sent.sent == 2 and alice.last_sent.conflicts == []
    bob.pull()
    notes = {p: [n.body for n in bob.get(p).notes] for p in papers}
    assert notes == {
        papers[0]: ["Bob's, online"],
        papers[1]: ["final text"],
        papers[2]: ["on paper 2"],
        papers[3]: [],
    }
    assert library_state(alice) == library_state(bob)


def test_a_change_the_server_took_is_not_sent_again_when_reading_it_back_fails(lab, monkeypatch):
    alice, bob, _proxy, papers = lab
    pull = alice.replica.pull
    calls = []

    def cut_once():
        calls.append(1)
        if len(calls) == 1:
            raise LibraryUnreachable("the line dropped right after the commit")
        return pull()

    monkeypatch.setattr(alice.replica, "pull", cut_once)
    alice.add_note(papers[1], "one note")
    assert len(alice.journal) == 0 and not alice.online
    alice.pull()
    bob.pull()
    assert [n.body for n in bob.get(papers[1]).notes] == ["one note"]
    assert [n.body for n in alice.get(papers[1]).notes] == ["one note"]


def test_a_rating_from_an_out_of_date_view_is_a_conflict(lab):
    alice, bob, _proxy, papers = lab
    bob.rate(papers[0], 5)
    changes = alice.rate(papers[0], 2, base={papers[0]: 0})  # what Alice's window showed
    (conflict,) = changes.conflicts
    assert (conflict.field, conflict.theirs, conflict.mine) == ("rating", 5, 2)
    alice.pull()
    assert alice.get(papers[0]).rating == 5


def test_a_password_in_the_address_is_never_shown_or_written(lab, postgres_address, tmp_path):
    address = f"{postgres_address}?password=s3cret-pw&application_name=lab"
    with Library.open_shared(address, cache=tmp_path / "carol") as carol:
        assert "s3cret" not in carol.address
    for path in (tmp_path / "carol").rglob("*"):
        if path.is_file():
            assert b"s3cret" not in path.read_bytes(), path


def test_a_library_shared_into_a_database_someone_opened_reaches_them(
    postgres_address, tmp_path, library
):
    library.add_paper(draft("Attention Is All You Need", year=2017))
    library.create_list("Week 1")
    with Library.open_shared(postgres_address, cache=tmp_path / "early") as early:
        assert early.count() == 0  # opened while the database was still empty
        share(library.database, postgres_address)
        early.pull()
        assert early.count() == 1 and [s.name for s in early.lists()] == ["Week 1"]
        assert early.search_ids("attention") != []


def test_an_import_merging_a_duplicate_leaves_a_field_someone_just_filled(lab, monkeypatch):
    alice, bob, _proxy, papers = lab
    fill = importing._fill

    def fill_while_bob_edits(target, row):
        filled = fill(target, row)
        if not monkeypatch_done:
            monkeypatch_done.append(1)
            bob.edit(papers[0], base={"venue": ""}, venue="NeurIPS")  # commits meanwhile
        return filled

    monkeypatch_done: list[int] = []
    monkeypatch.setattr(importing, "_fill", fill_while_bob_edits)
    alice.add_paper(draft("Paper 0", year=2000, venue="ICML", publisher="PMLR"))
    bob.pull()
    assert (bob.get(papers[0]).venue, bob.get(papers[0]).publisher) == ("NeurIPS", "PMLR")


def test_two_programs_journalling_at_once_keep_every_change(tmp_path):
    journals = [Journal(tmp_path), Journal(tmp_path)]  # the window and a command line

    def keep(journal: Journal, who: int) -> None:
        for number in range(100):
            journal.append("tag", (number,), {"add": [f"{who}-{number}"]}, [number])

    threads = [threading.Thread(target=keep, args=(j, i)) for i, j in enumerate(journals)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = journals[0].entries()
    assert len(entries) == 200 and len({e.id for e in entries}) == 200
    journals[1].remove(entries[0])
    assert len(journals[0].entries()) == 199
    lines = (tmp_path / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["method"] == "tag" for line in lines)
