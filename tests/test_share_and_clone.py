"""A library file shared to a server and cloned back is the same library, ids and all."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from readinglist import open_library
from readinglist.cli.main import cli
from readinglist.domain.values import LibraryError
from readinglist.services.library import Library
from readinglist.services.sharing import clone, share
from tests.backends import library_state
from tests.factories import draft


@pytest.fixture
def lab_library(tmp_path, three_papers, library):
    """A library file with something of everything a user makes."""
    godel, attention, maml = three_papers
    library.tag([attention, maml], add=["deep learning"])
    library.rate(attention, 5)
    library.set_status(maml, "reading")
    library.add_note(attention, "Multi-head attention: *eight* heads.\n\nSee §3.2 🙂")
    library.create_list("Reading group")
    library.add_to_list("Reading group", [maml, godel, attention])
    library.save_search("classics", "year:<1950")
    library.trash(godel)
    library.import_text("@article{extra2020, title={An Extra Paper}, year={2020}}")
    return library


def test_a_library_shared_and_cloned_back_is_the_same_library(
    lab_library, postgres_address, tmp_path
):
    before = library_state(lab_library)
    copied = share(lab_library.database, postgres_address)
    assert copied > 10
    with Library.open_shared(postgres_address, cache=tmp_path / "cache") as shared:
        assert library_state(shared) == before
        assert shared.imports()[0].source == lab_library.imports()[0].source
        new = shared.add_paper(draft("A Paper Added On The Server")).created
        assert new > max(before["papers"])  # the server's ids go on after the copied ones
        shared.add_note(new, "first note on the server")
        after = library_state(shared)
    clone(postgres_address, tmp_path / "clone")
    with open_library(tmp_path / "clone") as cloned:
        assert library_state(cloned) == after
        assert cloned.check().healthy


def test_sharing_into_a_database_that_holds_a_library_is_refused(lab_library, postgres_address):
    share(lab_library.database, postgres_address)
    with pytest.raises(LibraryError, match="already holds a library"):
        share(lab_library.database, postgres_address)


def test_cloning_into_a_folder_in_use_is_refused(lab_library, postgres_address, tmp_path):
    share(lab_library.database, postgres_address)
    with pytest.raises(LibraryError, match="not empty"):
        clone(postgres_address, lab_library.folder)


def test_share_and_clone_from_the_command_line(lab_library, postgres_address, tmp_path):
    runner = CliRunner()
    lab_library.close()
    done = runner.invoke(
        cli, ["--library", str(lab_library.folder), "share", "--to", postgres_address]
    )
    assert done.exit_code == 0, done.output
    assert "shared 3 papers" in done.output
    listed = runner.invoke(cli, ["--library", postgres_address, "ls", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "Attention Is All You Need" in listed.output
    found = runner.invoke(cli, ["--library", postgres_address, "search", "attention"])
    assert "Attention Is All You Need" in found.output
    done = runner.invoke(cli, ["clone", postgres_address, "--to", str(tmp_path / "copy")])
    assert done.exit_code == 0, done.output
    assert "cloned 3 papers" in done.output
    shown = runner.invoke(cli, ["--library", str(tmp_path / "copy"), "search", "attention"])
    assert "Attention Is All You Need" in shown.output
