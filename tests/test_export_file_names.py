"""Files named after what a paper says (its citation key) or what a list is called stay inside
the folder they are written to, whatever an imported file put in the key, and are names that
Windows, macOS and Linux all accept."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.exporters.file_names import reserved_on_windows
from readinglist.exporters.obsidian import note_name
from readinglist.gui.exporting import FORMATS, suggested_file_name
from tests.factories import draft

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

HOSTILE = [
    "../../etc/passwd", "/abs/path", "..", ".", "", "~", "CON", "con", "nul.txt", "NUL.tar.gz",
    "COM1", "com¹", "LPT9", "lpt0.md", "CONIN$", "con .txt", "a:b", "C:\\Windows\\win.ini",
    "\\\\server\\share", "x\\y", "a/../../b", "a\x00b", "tab\there", "line\nbreak", "bell\x07",
    "trailing. ", "dots...", " spaced ", ".hidden", "x" * 300, "é" * 300, "🂡" * 100,
    "e\u0301" * 200, "half \ud800 of a pair", "[[link]]|#^", "*?\"<>|",
]  # fmt: skip


def assert_one_safe_name(name: str, folder) -> None:
    """One name inside ``folder``, that every file system takes: no separators or control
    characters, not a Windows device, no dot or space at the end (Windows drops them), no
    dot at the start (a hidden file), and room in 255 bytes for '.part' while it is written."""
    assert (folder / name).resolve().parent == folder.resolve()
    assert name not in (".", "..") and not name.startswith(".")
    assert not any(c in name for c in '/\\:*?"<>|') and all(ord(c) >= 32 for c in name)
    assert not reserved_on_windows(name)
    assert name == name.rstrip(". ")
    assert len((name + ".part").encode("utf-8")) <= 255


@pytest.mark.parametrize("key", HOSTILE)
def test_a_hostile_citation_key_names_a_note_inside_the_vault(key, tmp_path):
    name = note_name(key)
    assert name.endswith(".md")
    assert_one_safe_name(name, tmp_path)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_any_citation_key_names_one_note_inside_the_vault(key):
    assert_one_safe_name(note_name(key), Path("/vault"))


@given(st.text(), st.text())
@settings(max_examples=200, deadline=None)
def test_two_keys_never_share_a_note(first, second):
    if first != second:
        assert note_name(first) != note_name(second)


def test_a_safe_key_is_its_own_note_name():
    assert note_name("vaswani2017attention") == "vaswani2017attention.md"
    assert note_name("Gödel1931") == "Gödel1931.md"


def test_exporting_a_vault_writes_every_note_inside_it(library, tmp_path):
    keys = [*HOSTILE[:30], "Smith2020", "smith2020"]  # the last two: one file on macOS
    for number, key in enumerate(keys):
        library.add_paper(draft(f"Paper number {number}", key=key))
    vault = tmp_path / "vault"
    written = library.export("obsidian", folder=vault)
    notes = list(vault.iterdir())
    assert written == library.count() == len(keys) == len(notes)
    assert len({n.name.casefold() for n in notes}) == len(notes)
    assert all(n.parent == vault and n.is_file() for n in notes)
    home = library.folder.relative_to(tmp_path).parts[0]  # the library file's, or the cache
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([home, "vault"])


@pytest.mark.parametrize(
    "title", ["../../etc/passwd", "C:\\Users\\x", "Search: a/b", "CON", "..", "x\x00y"]
)
def test_the_save_dialog_offers_a_name_not_a_path(title, tmp_path):
    for fmt in FORMATS:
        if fmt.suffix:
            name = suggested_file_name(title, fmt)
            assert name.endswith("." + fmt.suffix)
            assert_one_safe_name(name, tmp_path)
