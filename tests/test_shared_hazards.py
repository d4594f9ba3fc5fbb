"""The awkward turns a shared library takes, each of which once lost or stuck something: names
reused, notes made offline, a connection lost right after a commit, a copy made into a
database someone had open, an import meeting an edit."""

from __future__ import annotations

import json
import threading

import pytest

from readinglist.domain.values import LibraryUnreachable
from readinglist.services import importing, lists
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


def test_two_reorders_at_once_never_lose_one_silently(lab, monkeypatch):
    """Alice has read the list's order when Bob commits his: her write finds a newer
    version, runs again, and meets Bob's order as a conflict."""
    alice, bob, _proxy, papers = lab
    bob.create_list("L")
    bob.add_to_list("L", papers)
    alice.pull()
    seen = list(papers)
    alice_read, bob_done = threading.Event(), threading.Event()
    conflict_of = lists._order_conflict

    def alice_waits_after_reading(list_id, members, order, base):
        found = conflict_of(list_id, members, order, base)
        if threading.current_thread().name == "alice" and not alice_read.is_set():
            alice_read.set()
            bob_done.wait(10)
        return found

    monkeypatch.setattr(lists, "_order_conflict", alice_waits_after_reading)
    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("alice", alice.reorder_list("L", seen[::-1], base=seen)),
        name="alice",
    )
    thread.start()
    alice_read.wait(10)
    bobs = [seen[1], seen[0], *seen[2:]]
    assert bob.reorder_list("L", bobs, base=seen).conflicts == ()
    bob_done.set()
    thread.join(10)
    (conflict,) = result["alice"].conflicts
    assert (conflict.field, conflict.theirs, conflict.mine) == ("order", bobs, seen[::-1])
    bob.pull()
    assert bob.list_members("L") == bobs


def test_changes_made_after_reopening_online_follow_those_kept_offline(lab, tmp_path):
    alice, bob, proxy, papers = lab
    address = alice.server.connect_address
    proxy.unplug()
    alice.trash(papers[0])  # offline
    alice.close()
    proxy.plug()
    alice = Library.open_shared(address, cache=tmp_path / "alice", catch_up=False)  # a window
    alice.restore(papers[0])  # before the first pull: the kept trash must go first
    bob.pull()
    assert not bob.get(papers[0]).in_trash
    assert len(alice.journal) == 0
    alice.close()


def test_a_copy_follows_a_server_restored_from_a_dump(postgres_address, tmp_path):
    import os
    import subprocess

    from sqlalchemy.engine import make_url

    url = make_url(postgres_address)
    env = {**os.environ, "PGHOST": url.host, "PGPORT": str(url.port), "PGUSER": url.username}
    bob = Library.open_shared(postgres_address, cache=tmp_path / "bob")
    papers = [bob.add_paper(draft(f"Paper {i}", year=2000 + i)).created for i in range(3)]
    alice = Library.open_shared(postgres_address, cache=tmp_path / "alice")
    dump = tmp_path / "library.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), url.database], env=env, check=True)
    bob.edit(papers[0], title="Edited after the backup")
    alice.pull()  # Alice's copy is now ahead of what the dump holds
    bob.close()
    alice.close()
    subprocess.run(["dropdb", "--force", url.database], env=env, check=True)
    subprocess.run(["createdb", url.database], env=env, check=True)
    subprocess.run(["pg_restore", "-d", url.database, str(dump)], env=env, check=True)
    with Library.open_shared(postgres_address, cache=tmp_path / "bob") as bob:
        bob.edit(papers[1], title="Edited after the restore")  # takes a number Alice has seen
        bob.rate(papers[2], 5)
        with Library.open_shared(postgres_address, cache=tmp_path / "alice") as alice:
            assert library_state(alice) == library_state(bob)
            assert alice.get(papers[0]).title == "Paper 0"  # as the restored server has it


def test_an_address_spelled_for_sqlalchemy_still_hears_the_change_feed(postgres_address, tmp_path):
    address = postgres_address.replace("postgresql://", "postgresql+psycopg://")
    with (
        Library.open_shared(address, cache=tmp_path / "alice") as alice,
        Library.open_shared(postgres_address, cache=tmp_path / "bob") as bob,
    ):
        paper = bob.add_paper(draft("Attention Is All You Need")).created
        statuses: list[bool] = []
        heard = threading.Event()
        alice.listen(lambda changes: heard.set(), statuses.append)
        assert heard.wait(10) and statuses[:1] == [True]
        assert alice.get(paper).title == "Attention Is All You Need"


@pytest.mark.parametrize("seed", range(4))
def test_a_copy_taking_changes_a_few_at_a_time_ends_equal_to_the_server(lab, monkeypatch, seed):
    """Random work by Bob (papers, keys traded, tags made, renamed, merged and deleted, lists
    renamed, reordered and deleted, notes, trash), and Alice taking it one to three changes
    per pull: every batch boundary falls somewhere, and her copy must end as the server."""
    import random

    from readinglist.domain.values import LibraryError
    from readinglist.services import replica

    alice, bob, _proxy, papers = lab
    randomness = random.Random(seed)
    monkeypatch.setattr(replica, "PULL_BATCH", randomness.choice([1, 2, 3]))
    names = ["a", "b", "c"]
    for step in range(80):
        paper = randomness.choice(papers)
        work = randomness.randrange(12)
        try:
            if work == 0:
                papers.append(bob.add_paper(draft(f"New paper {step}")).created)
            elif work == 1:
                one, two = randomness.sample(papers, 2)
                first, second = bob.get(one).key, bob.get(two).key
                bob.edit(one, key=f"swap{step}")
                bob.edit(two, key=first)
                bob.edit(one, key=second)
            elif work == 2:
                bob.tag(paper, add=[randomness.choice(names)])
            elif work == 3:
                bob.delete_tag(randomness.choice(names))
            elif work == 4:
                bob.rename_tag(randomness.choice(names), randomness.choice(names).upper())
            elif work == 5:
                bob.merge_tags([randomness.choice(names)], randomness.choice(names))
            elif work == 6:
                bob.create_list(randomness.choice(names))
                bob.add_to_list(randomness.choice(names), [paper])
            elif work == 7:
                bob.rename_list(randomness.choice(names), randomness.choice(names) + "x")
            elif work == 8:
                name = randomness.choice([s.name for s in bob.lists()] or ["none"])
                order = bob.list_members(name)
                bob.reorder_list(name, randomness.sample(order, len(order)))
            elif work == 9:
                bob.delete_list(randomness.choice([s.name for s in bob.lists()] or ["none"]))
            elif work == 10:
                bob.add_note(paper, f"note {step}")
            else:
                bob.trash(paper) if randomness.random() < 0.7 else bob.restore(paper)
        except LibraryError:
            pass  # a name already taken or gone: what a person gets told, not a failure
        if randomness.random() < 0.3:
            alice.pull()
    alice.pull()
    assert library_state(alice) == library_state(bob)
    assert alice.check().healthy


def test_two_renames_of_one_tag_at_once_never_overwrite_each_other(lab, monkeypatch):
    """Alice has read the tag when Bob's rename commits: hers runs again and finds no tag of
    the old name, and says so, instead of writing her name over his."""
    from readinglist.domain.values import TagNotFound
    from readinglist.services import editing

    alice, bob, _proxy, papers = lab
    bob.tag(papers[0], add=["ml"])
    alice.pull()
    alice_read, bob_done = threading.Event(), threading.Event()
    clean = editing.clean_tag

    def alice_waits_after_reading(name):
        alice_now = threading.current_thread().name == "alice" and name == "learning"
        if alice_now and not alice_read.is_set():
            alice_read.set()
            bob_done.wait(10)
        return clean(name)

    monkeypatch.setattr(editing, "clean_tag", alice_waits_after_reading)
    failure = []

    def alice_renames():
        try:
            alice.rename_tag("ml", "learning")
        except TagNotFound as error:
            failure.append(error)

    thread = threading.Thread(target=alice_renames, name="alice")
    thread.start()
    alice_read.wait(10)
    bob.rename_tag("ml", "machine learning")
    bob_done.set()
    thread.join(10)
    assert failure and "ml" in str(failure[0])
    bob.pull()
    assert [t.name for t in bob.tags()] == ["machine learning"]


def test_a_note_whose_commit_reply_was_lost_is_not_added_twice(lab, monkeypatch):
    """The server committed the note, but the line dropped before it said so: the note is
    kept as if offline, and sending it later finds it there already."""
    alice, bob, _proxy, papers = lab
    attempt = alice.server.attempt
    calls = []

    def committed_then_cut(operation):
        result = attempt(operation)
        calls.append(1)
        if len(calls) == 1:
            raise LibraryUnreachable("the line dropped inside the commit")
        return result

    monkeypatch.setattr(alice.server, "attempt", committed_then_cut)
    alice.add_note(papers[1], "written once")
    assert len(alice.journal) == 1 and not alice.online
    alice.pull()
    assert alice.last_sent.sent == 1 and len(alice.journal) == 0
    bob.pull()
    assert [n.body for n in bob.get(papers[1]).notes] == ["written once"]
    assert library_state(alice) == library_state(bob)
