"""Several people editing one shared library at once: nothing anyone typed is lost.

Each test opens two clients (two ``Library`` objects, each with its own cache folder, as two
computers would) on one database of the test cluster.
"""

from __future__ import annotations

import threading

import pytest

from readinglist.domain.values import AuthorName
from readinglist.services import editing
from readinglist.services.library import Library
from tests.factories import draft


@pytest.fixture
def desks(postgres_address, tmp_path):
    """Alice's and Bob's clients of one shared library holding one paper."""
    alice = Library.open_shared(postgres_address, cache=tmp_path / "alice")
    bob = Library.open_shared(postgres_address, cache=tmp_path / "bob")
    paper = alice.add_paper(
        draft("Attention Is All You Need", authors=["Vaswani"], year=2017, venue="NIPS")
    ).created
    yield alice, bob, paper
    alice.close()
    bob.close()


def seen(library: Library, paper: int, *names: str) -> dict:
    """What an editor's window shows of the paper when they start typing (it has taken in
    every change committed so far, as the change feed's notification makes it do)."""
    view = fresh(library, paper)
    return {name: getattr(view, name) for name in names}


def fresh(library: Library, paper: int):
    library.pull()
    return library.get(paper)


def test_two_people_editing_different_fields_of_one_paper_both_keep_their_change(desks):
    alice, bob, paper = desks
    alice_saw = seen(alice, paper, "title")
    bob_saw = seen(bob, paper, "venue")
    bob_changes = bob.edit(paper, base=bob_saw, venue="NeurIPS")
    alice_changes = alice.edit(paper, base=alice_saw, title="Attention is all you need")
    assert alice_changes.conflicts == bob_changes.conflicts == ()
    for client in (alice, bob):
        view = fresh(client, paper)
        assert (view.title, view.venue) == ("Attention is all you need", "NeurIPS")


def test_two_people_editing_one_field_get_a_conflict_and_keep_both_values(desks):
    alice, bob, paper = desks
    alice_saw = seen(alice, paper, "title", "year")
    bob_saw = seen(bob, paper, "title")
    bob.edit(paper, base=bob_saw, title="Attention Is All You Need (Bob)")
    changes = alice.edit(paper, base=alice_saw, title="Attention (Alice)", year=2018)

    (conflict,) = changes.conflicts
    assert (conflict.kind, conflict.entity_id, conflict.field) == ("paper", paper, "title")
    assert conflict.base == "Attention Is All You Need"
    assert conflict.mine == "Attention (Alice)"
    assert conflict.theirs == "Attention Is All You Need (Bob)"
    assert "Attention (Alice)" in conflict.describe() and "(Bob)" in conflict.describe()
    view = alice.get(paper)  # Bob's title stands, Alice's other field went in
    assert (view.title, view.year) == ("Attention Is All You Need (Bob)", 2018)


def test_setting_a_field_to_the_value_someone_else_just_gave_it_is_no_conflict(desks):
    alice, bob, paper = desks
    alice_saw, bob_saw = seen(alice, paper, "year"), seen(bob, paper, "year")
    bob.edit(paper, base=bob_saw, year=2018)
    assert alice.edit(paper, base=alice_saw, year="2018").conflicts == ()


def test_authors_and_extra_fields_merge_field_by_field(desks):
    alice, bob, paper = desks
    before = seen(alice, paper, "authors")
    bob.edit(paper, base={"extra": {}}, extra={"note": "from Bob"})
    changes = alice.edit(
        paper,
        base={**before, "extra": {}},
        authors=[AuthorName("Vaswani", "Ashish"), AuthorName("Shazeer", "Noam")],
        extra={"note": "from Alice", "eprint": "1706.03762"},
    )
    (conflict,) = changes.conflicts
    assert (conflict.field, conflict.theirs, conflict.mine) == (
        "extra.note",
        "from Bob",
        "from Alice",
    )
    view = fresh(bob, paper)
    assert [a.family for a in view.authors] == ["Vaswani", "Shazeer"]
    assert view.extra == {"note": "from Bob", "eprint": "1706.03762"}


def test_two_editors_racing_on_one_paper_both_keep_their_fields(desks, monkeypatch):
    """Both read the paper before either writes, so the second compare-and-set finds a newer
    version, runs again, and merges against the first one's commit."""
    alice, bob, paper = desks
    both_read = threading.Barrier(2, timeout=10)
    reads = []
    read_values = editing._editable_values

    def read_then_wait(session, paper_id):
        values = read_values(session, paper_id)
        reads.append(values["version"])
        if len(reads) <= 2:  # only the first read of each editor meets the other
            both_read.wait()
        return values

    monkeypatch.setattr(editing, "_editable_values", read_then_wait)
    base = seen(alice, paper, "title", "venue")
    done: dict[str, object] = {}
    threads = [
        threading.Thread(
            target=lambda: done.setdefault("a", alice.edit(paper, base=base, title="New title"))
        ),
        threading.Thread(
            target=lambda: done.setdefault("b", bob.edit(paper, base=base, venue="NeurIPS"))
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(reads) == 3 and reads[0] == reads[1] < reads[2]  # one ran again, later
    assert done["a"].conflicts == done["b"].conflicts == ()
    view = fresh(alice, paper)
    assert (view.title, view.venue) == ("New title", "NeurIPS")
    assert view.version == reads[0] + 2


def test_a_conflict_waits_on_disk_until_its_author_chooses_theirs_or_mine(desks, tmp_path):
    alice, bob, paper = desks
    alice_saw = seen(alice, paper, "title", "venue")
    bob.edit(paper, base=seen(bob, paper, "title", "venue"), title="Bob's", venue="Bob's venue")
    alice.edit(paper, base=alice_saw, title="Alice's", venue="Alice's venue")
    alice.close()  # the window closes before Alice chooses
    with Library.open_shared(alice.address, cache=tmp_path / "alice") as again:
        waiting = again.conflicts(paper)
        assert [(c.conflict.field, c.conflict.mine) for c in waiting] == [
            ("title", "Alice's"),
            ("venue", "Alice's venue"),
        ]
        title, venue = waiting
        again.resolve(title.id, keep="mine")
        again.resolve(venue.id, keep="theirs")
        assert again.conflicts() == []
        assert (fresh(bob, paper).title, fresh(bob, paper).venue) == ("Alice's", "Bob's venue")


def test_two_people_editing_one_note_keep_both_texts(desks):
    alice, bob, paper = desks
    note = alice.add_note(paper, "Section 3 matters.").created
    bob.pull()
    bob.edit_note(note, "Section 3 matters; so does 5.", base="Section 3 matters.")
    changes = alice.edit_note(note, "Section 3 matters most.", base="Section 3 matters.")
    (conflict,) = changes.conflicts
    assert (conflict.kind, conflict.paper_id) == ("note", paper)
    assert (conflict.theirs, conflict.mine) == ("Section 3 matters; so does 5.",
                                                "Section 3 matters most.")  # fmt: skip
    (waiting,) = alice.conflicts(paper)
    alice.resolve(waiting.id, keep="mine")
    assert [n.body for n in fresh(bob, paper).notes] == ["Section 3 matters most."]


def test_two_people_reordering_one_list_get_a_conflict_and_new_members_merge(desks):
    alice, bob, paper = desks
    second = alice.add_paper(draft("Deep Residual Learning", year=2016)).created
    third = alice.add_paper(draft("Layer Normalization", year=2016)).created
    alice.create_list("Week 1")
    alice.add_to_list("Week 1", [paper, second, third])
    bob.pull()
    saw = alice.list_members("Week 1")
    bob.add_to_list("Week 1", [bob.add_paper(draft("Batch Normalization")).created])
    assert alice.reorder_list("Week 1", [third, paper, second], base=saw).conflicts == ()
    saw = bob.list_members("Week 1")  # Bob has not seen Alice's order
    changes = bob.reorder_list("Week 1", [second, third, paper], base=saw)
    (conflict,) = changes.conflicts
    assert (conflict.kind, conflict.field) == ("list", "order")
    assert conflict.theirs[:3] == [third, paper, second]
    (waiting,) = bob.conflicts()
    bob.resolve(waiting.id, keep="mine")
    assert fresh(alice, paper) and alice.list_members("Week 1")[:3] == [second, third, paper]
