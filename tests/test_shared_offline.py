"""A shared library whose server is out of reach stays readable from this computer's copy;
changes made meanwhile are kept on disk and sent through the same compare-and-set when it is
back, a conflict among them surfaced like any other."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from readinglist.cli.main import cli
from readinglist.services.library import Library
from tests.backends import library_state
from tests.factories import draft
from tests.net_proxy import Proxy


@pytest.fixture
def lab(postgres_address, tmp_path):
    """Bob on the server directly; Alice through a line the test can cut."""
    bob = Library.open_shared(postgres_address, cache=tmp_path / "bob")
    one = bob.add_paper(draft("Attention Is All You Need", year=2017)).created
    two = bob.add_paper(draft("Deep Residual Learning", year=2016)).created
    server, database = postgres_address.rsplit("/", 1)
    host, port = server.rsplit("@", 1)[1].split(":")
    proxy = Proxy((host, int(port)))
    address = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    yield bob, address, proxy, one, two
    proxy.unplug()
    bob.close()


def test_changes_made_offline_are_kept_and_sent_when_the_server_is_back(lab, tmp_path):
    bob, address, proxy, one, two = lab
    alice = Library.open_shared(address, cache=tmp_path / "alice")
    proxy.unplug()

    alice.edit(one, title="Attention (edited offline)")
    alice.edit(two, title="ResNet (Alice, offline)")
    alice.tag(one, add=["offline"])
    note = alice.add_note(one, "Written on the train.").created
    assert not alice.online and len(alice.journal) == 4
    assert alice.get(one).title == "Attention (edited offline)"  # shown at once
    assert alice.search_ids("tag:offline") == [one]
    assert [n.id for n in alice.get(one).notes] == [note]

    bob.edit(two, base={"title": "Deep Residual Learning"}, title="ResNet (Bob)")
    bob.edit(one, base={"venue": ""}, venue="NeurIPS")

    alice.close()  # the window closes, and opens again while still offline
    alice = Library.open_shared(address, cache=tmp_path / "alice")
    assert not alice.online and len(alice.journal) == 4
    assert alice.get(one).title == "Attention (edited offline)"

    proxy.plug()
    alice.pull()
    assert alice.online and len(alice.journal) == 0
    assert alice.last_sent.sent == 4 and alice.last_sent.refused == []
    (conflict,) = alice.last_sent.conflicts
    assert (conflict.entity_id, conflict.field) == (two, "title")
    assert (conflict.theirs, conflict.mine) == ("ResNet (Bob)", "ResNet (Alice, offline)")
    assert [c.conflict for c in alice.conflicts()] == [conflict]
    bob.pull()
    assert library_state(alice) == library_state(bob)
    view = bob.get(one)
    assert (view.title, view.venue, view.tags) == (
        "Attention (edited offline)",
        "NeurIPS",
        ("offline",),
    )
    assert [n.body for n in view.notes] == ["Written on the train."]
    alice.close()


def test_a_change_refused_when_sent_is_kept_with_its_reason(lab, tmp_path):
    bob, address, proxy, one, _two = lab
    alice = Library.open_shared(address, cache=tmp_path / "alice")
    proxy.unplug()
    alice.create_list("Train reading")
    alice.add_to_list("Train reading", [one])
    bob.create_list("train reading")  # the same name, taken first on the server
    proxy.plug()
    alice.pull()
    assert alice.last_sent.sent == 1 and len(alice.last_sent.refused) == 1
    assert "already exists" in alice.last_sent.refused[0]
    assert "Train reading" in alice.journal.refused_path.read_text(encoding="utf-8")
    alice.close()


def test_the_command_line_keeps_a_change_offline_and_sync_reports_a_conflict(lab, tmp_path):
    bob, address, proxy, one, _two = lab
    runner = CliRunner()
    done = runner.invoke(cli, ["--library", address, "ls"])  # makes this computer's copy
    assert done.exit_code == 0, done.output
    proxy.unplug()
    done = runner.invoke(cli, ["--library", address, "edit", str(one), "--title", "Mine"])
    assert done.exit_code == 0, done.output
    assert "1 change(s) kept on this computer" in done.output
    bob.edit(one, base={"title": "Attention Is All You Need"}, title="Theirs")
    proxy.plug()
    done = runner.invoke(cli, ["--library", address, "sync"])
    assert done.exit_code == 3
    assert "'Theirs'" in done.output and "'Mine'" in done.output
    listed = runner.invoke(cli, ["--library", address, "conflicts", "--json"])
    (waiting,) = json.loads(listed.output)
    done = runner.invoke(cli, ["--library", address, "resolve", str(waiting["id"]),
                               "--keep", "mine"])  # fmt: skip
    assert done.exit_code == 0, done.output
    bob.pull()
    assert bob.get(one).title == "Mine"
