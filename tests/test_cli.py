"""The command line as a user runs it: the issue's tour, JSON output, and clear errors."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist import __version__, open_library
from readinglist.cli.main import cli
from tests.factories import draft

PAPER_KEYS = {"id", "key", "title", "authors", "year", "venue", "doi", "arxiv_id", "url",
              "abstract", "tags", "rating", "status", "lists", "notes"}  # fmt: skip


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "lib"

    def invoke(*args: str, input: str | None = None, ok: bool = True):
        result = runner.invoke(cli, ["--library", str(folder), *args], input=input)
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr or "")
        return result

    return invoke


def test_the_tour_from_the_issue(run, sample_page):
    imported = json.loads(run("import", str(sample_page), "--json").stdout)
    assert (imported["added"], imported["duplicates"], imported["errors"]) == (119, 0, [])
    found = json.loads(run("search", "meta learning", "--json").stdout)
    assert found and all(set(p) >= PAPER_KEYS for p in found)
    run("tag", "12", "--add", "to-skim", "--add", "rl")
    run("rate", "12", "4")
    run("status", "12", "reading")
    run("note", "12", "Compare with **MAML**; the proof in section 3 looks off.")
    run("list", "create", "Thesis background")
    run("list", "add", "Thesis background", "12", "40", "7")
    listed = run("ls", "--list", "Thesis background", "--json")
    assert [p["id"] for p in json.loads(listed.stdout)] == [12, 40, 7]
    shown = json.loads(run("show", "12", "--json").stdout)
    assert shown["tags"] == ["rl", "to-skim"]
    assert (shown["rating"], shown["status"]) == (4, "reading")
    assert shown["notes"][0]["body"] == "Compare with **MAML**; the proof in section 3 looks off."
    assert shown["lists"] == ["Thesis background"]
    assert shown["authors"] == []
    by_tag = json.loads(run("search", "tag:rl rating:>=4 status:reading", "--json").stdout)
    assert [p["id"] for p in by_tag] == [12]
    in_list = json.loads(run("search", 'list:"Thesis background"', "--json").stdout)
    assert {p["id"] for p in in_list} == {12, 40, 7}
    assert "search index: ok" in run("check").stdout


def test_human_output_of_show_ls_and_search(run, sample_page):
    run("import", str(sample_page))
    run("rate", "1", "5")
    shown = run("show", "1").stdout
    assert "Learning to Decouple Complex Systems" in shown and "★★★★★" in shown
    assert len(run("ls").stdout.splitlines()) == 119
    assert len(run("ls", "--limit", "5").stdout.splitlines()) == 5
    searched = run("search", "decouple")
    assert "Learning to Decouple Complex Systems" in searched.stdout
    assert "matching papers" in searched.stdout + searched.stderr


def test_papers_are_addressed_by_citation_key_too(run, sample_page):
    run("import", str(sample_page))
    run("rate", "learningdecouple", "3")
    assert json.loads(run("show", "1", "--json").stdout)["rating"] == 3


def test_notes_from_standard_input_edit_and_delete(run, sample_page):
    run("import", str(sample_page))
    run("note", "3", "-", input="# Heading\n\nA *multi-line* note.\n")
    notes = json.loads(run("note", "3", "--json").stdout)
    assert notes[0]["body"] == "# Heading\n\nA *multi-line* note.\n"
    run("note", "3", "--edit", str(notes[0]["id"]), "Shorter.")
    assert json.loads(run("note", "3", "--json").stdout)[0]["body"] == "Shorter."
    run("note", "3", "--delete", str(notes[0]["id"]))
    assert json.loads(run("note", "3", "--json").stdout) == []


def test_edit_trash_restore_and_lists(run, sample_page):
    run("import", str(sample_page))
    run("edit", "2", "--author", "Ada Lovelace", "--author", "von Neumann, John",
        "--year", "2021", "--set", "publisher=ACM", "--set", "eventtitle=Workshop")  # fmt: skip
    paper = json.loads(run("show", "2", "--json").stdout)
    assert paper["authors"] == [
        {"family": "Lovelace", "given": "Ada"},
        {"family": "Neumann", "given": "John", "particle": "von"},
    ]
    assert (paper["year"], paper["publisher"], paper["extra"]) == (
        2021,
        "ACM",
        {"eventtitle": "Workshop"},
    )
    run("rm", "2", "3")
    assert len(json.loads(run("ls", "--json").stdout)) == 117
    assert len(json.loads(run("ls", "--trash", "--json").stdout)) == 2
    run("restore", "2")
    run("list", "create", "Later")
    run("list", "add", "Later", "5", "6", "7")
    run("list", "move", "Later", "7", "1")
    assert [p["id"] for p in json.loads(run("list", "ls", "Later", "--json").stdout)] == [7, 5, 6]
    run("list", "rename", "Later", "Soon")
    assert json.loads(run("list", "ls", "--json").stdout) == [{"id": 1, "name": "Soon", "count": 3}]
    run("tag", "5", "6", "--add", "a")
    run("tags", "rename", "a", "b")
    assert json.loads(run("tags", "--json").stdout) == [{"name": "b", "count": 2}]
    stats = json.loads(run("stats", "--json").stdout)
    assert (stats["papers"], stats["in_trash"], stats["lists"]) == (118, 1, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "999"], "no paper with id or citation key '999'"),
        (["rate", "1", "7"], "a rating is a whole number from 0 to 5"),
        (["status", "1", "done"], "unknown reading status 'done'"),
        (["import", "/nonexistent/papers.bib"], "no such file"),
        (["search", '"unclosed'], "missing closing quote"),
        (["search", "titel:x"], "did you mean title:?"),
        (["ls", "--list", "Nope"], "no reading list named 'Nope'"),
        (["list", "add", "Nope", "1"], "no reading list named 'Nope'"),
        (["edit", "1", "--year", "soon"], "year must be a whole number"),
    ],
)
def test_user_mistakes_get_one_clear_line_and_a_non_zero_status(run, args, message):
    run("import", "-", input="A Paper\n" + "An abstract sentence that goes on. " * 12)
    result = run(*args, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash


def test_no_subcommand_opens_the_window_instead_of_printing_help(tmp_path):
    """`readinglist` alone is the desktop application: it keeps running (its event loop)
    where a command would have printed and exited."""
    program = Path(sys.executable).with_name("readinglist")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    process = subprocess.Popen(
        [str(program), "--library", str(tmp_path / "lib")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    database = tmp_path / "lib" / "library.sqlite3"
    try:
        deadline = time.monotonic() + 60  # a loaded machine may take a while to start Qt
        while not database.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert database.exists()
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=2)  # the window is open and waiting for its user
    finally:
        process.terminate()
        out, _err = process.communicate(timeout=20)
    assert "Usage:" not in out


def test_help_names_the_window_command(run):
    result = run("--help")
    assert "gui" in result.stdout and "desktop window" in result.stdout


def test_version_and_module_entry_point_in_a_real_process():
    for command in (
        ["readinglist", "--version"],
        [sys.executable, "-m", "readinglist", "--version"],
    ):
        if command[0] == "readinglist":
            command[0] = str(__import__("pathlib").Path(sys.executable).with_name("readinglist"))
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        assert done.stdout.strip() == f"readinglist, version {__version__}"


def test_a_real_process_imports_and_searches(tmp_path, sample_page):
    env_library = str(tmp_path / "lib")
    base = [sys.executable, "-m", "readinglist", "--library", env_library]
    subprocess.run([*base, "import", str(sample_page)], check=True, capture_output=True)
    done = subprocess.run([*base, "search", "--json", "Godel OR decoupled"],
                          check=True, capture_output=True, text=True)  # fmt: skip
    titles = [p["title"] for p in json.loads(done.stdout)]
    assert "Learning to Decouple Complex Systems" in titles


# Nothing a search needs, each costing a fresh ``readinglist search`` time to import: Qt, the
# importers' parsers, the duplicate finder, the network client, the schema migrations, the
# parallel index writer.
NOT_FOR_A_SEARCH = {
    "PySide6",
    "shiboken6",
    "bibtexparser",
    "rispy",
    "pylatexenc",
    "rapidfuzz",
    "httpx",
    "alembic",
    "multiprocessing",
}
OURS_NOT_FOR_A_SEARCH = (
    "readinglist.gui",
    "readinglist.importers.bibtex",
    "readinglist.services.importing",
    "readinglist.services.health",
)


def test_a_search_in_a_fresh_process_imports_only_what_it_needs(tmp_path):
    with open_library(tmp_path / "lib") as library:
        library.add_paper(draft("Learning to Decouple Complex Systems", year=2023, tags=["rl"]))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "readinglist",
         "--library", str(tmp_path / "lib"), "search", "--json", "decoupled tag:rl"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert [p["title"] for p in json.loads(done.stdout)] == ["Learning to Decouple Complex Systems"]
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "readinglist.services.library" in imported  # what follows could not pass vacuously
    assert {name.split(".")[0] for name in imported} & NOT_FOR_A_SEARCH == set()
    assert [name for name in imported if name.startswith(OURS_NOT_FOR_A_SEARCH)] == []


def test_without_a_display_the_window_explains_instead_of_crashing(tmp_path):
    program = Path(sys.executable).with_name("readinglist")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    done = subprocess.run(
        [str(program), "--library", str(tmp_path / "lib")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "no graphical display" in done.stderr and "readinglist --help" in done.stderr
