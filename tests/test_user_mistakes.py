"""Odd input from a user or a script gets a clear answer, never a traceback or a wrong paper."""

import json

import pytest
from click.testing import CliRunner

from readinglist import open_library
from readinglist.cli.main import cli
from readinglist.domain.values import InvalidValue, LibraryError, PaperNotFound, TagNotFound
from readinglist.search.query import QuerySyntaxError
from tests.factories import draft

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

ABSTRACT = "An abstract sentence that goes on for a while. " * 8


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, code: int = 0):
        result = runner.invoke(cli, ["--library", str(tmp_path / "lib"), *args], input=input)
        assert isinstance(result.exception, SystemExit | None), result.exception
        assert result.exit_code == code, result.output + result.stderr
        return result

    return invoke


@pytest.mark.parametrize("ref", ["99999999999999999999999", "²", "٣", "-1", ""])
def test_odd_paper_references_are_simply_not_found(library, three_papers, ref):
    with pytest.raises(PaperNotFound):
        library.get(ref)


@pytest.mark.parametrize("query", ["year:99999999999", "year:3000000000..", "rating:<99"])
def test_out_of_range_numbers_in_queries_are_syntax_errors(library, three_papers, query):
    with pytest.raises(QuerySyntaxError):
        library.search(query)


def test_a_minus_after_a_field_excludes(library, three_papers):
    assert library.search("title:-attention").total == 2
    library.tag(three_papers[0], add="logic")
    assert library.search("tag:-logic").total == 2


def test_prefix_search_finds_words_whose_stem_is_shorter(library, three_papers):
    assert library.search("learning*").total == 1
    assert library.search("decoupling*").total == 1
    assert library.search("propos*").total == 3  # propositions, propose


def test_a_single_string_is_one_tag_not_its_letters(library, three_papers):
    library.tag(three_papers[0], add="rl")
    assert library.get(three_papers[0]).tags == ("rl",)


def test_tags_fold_the_same_in_the_database_and_in_search(library, three_papers):
    library.tag(three_papers[0], add=["Straße"])
    library.tag(three_papers[1], add=["STRASSE"])
    assert [t.name for t in library.tags()] == ["Straße"]
    assert library.search("tag:strasse").total == 2
    library.tag(three_papers[2], add=["İstanbul"])
    assert library.search("tag:istanbul").total == 1


def test_tags_with_inner_spaces_can_be_renamed_and_deleted(library, three_papers):
    library.tag(three_papers[0], add=["to  skim now"])
    library.rename_tag("to  skim now", "later")
    assert library.get(three_papers[0]).tags == ("later",)
    library.delete_tag(" later ")
    assert library.tags() == []


def test_merging_an_unknown_tag_creates_nothing(library, three_papers):
    with pytest.raises(TagNotFound):
        library.merge_tags(["nosuch"], into="new")
    assert library.tags() == []


def test_keys_that_look_like_numbers(library, three_papers):
    created = library.add_paper(draft("1")).created
    assert library.get(created).key == "p1"
    with pytest.raises(InvalidValue, match="digits only"):
        library.edit(three_papers[0], key="40")
    with pytest.raises(InvalidValue, match="cannot hold spaces"):
        library.edit(three_papers[0], key="a b")
    report = library.import_text("@article{2010, title = {Numbered}}", format="bibtex")
    assert library.get(report.added[0]).key == "2010"
    assert library.get("key:2010").title == "Numbered"


def test_empty_titles_and_notes_are_refused(library, three_papers):
    with pytest.raises(InvalidValue, match="title cannot be empty"):
        library.edit(three_papers[0], title="  ")
    with pytest.raises(InvalidValue):
        library.add_note(three_papers[0], None)


def test_ids_are_never_handed_out_twice(library, three_papers):
    first = library.add_note(three_papers[0], "one").created
    library.delete_note(first)
    assert library.add_note(three_papers[0], "two").created != first
    library.trash(three_papers[2])
    library.empty_trash()
    assert library.add_paper(draft("Fresh")).created not in three_papers


def test_a_library_folder_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(LibraryError, match="cannot use"):
        open_library(tmp_path / "afile" / "sub")


def test_a_damaged_database_is_a_clear_error_and_is_left_alone(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="may be damaged"):
        open_library(folder)
    assert (folder / "library.sqlite3").read_bytes().startswith(b"this is not")


def test_cli_rejects_set_for_fields_with_their_own_command(run):
    run("import", "-", input="A Paper\n" + ABSTRACT)
    result = run("edit", "1", "--set", "rating=3", code=2)
    assert "use 'readinglist rate'" in result.stderr
    assert run("show", "1", "--json").stdout.count('"rating": 0') == 1


def test_cli_note_options_that_contradict_each_other(run):
    run("import", "-", input="A Paper\n" + ABSTRACT)
    run("note", "1", "text")
    assert "not both" in run("note", "1", "--edit", "1", "--delete", "1", code=2).stderr
    assert "new text" in run("note", "1", "--edit", "1", code=2).stderr


def test_cli_huge_limits_are_usage_errors(run):
    run("ls", "--limit", "99999999999999999999", code=2)


def test_standard_input_is_decoded_like_a_file(run):
    data = "\ufeffTitle One\n".encode() + ABSTRACT.encode()
    run("import", "-", input=data)
    assert json.loads(run("show", "1", "--json").stdout)["title"] == "Title One"


def test_one_missing_file_does_not_hide_the_others_report(run, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A Paper\n" + ABSTRACT)
    result = run("import", str(good), str(tmp_path / "missing.txt"), "--json", code=1)
    report = json.loads(result.stdout)
    assert report["added"] == 1
    assert [e["source"] for e in report["errors"]] == [str(tmp_path / "missing.txt")]


def test_ls_desc_in_a_list_reverses_the_list_order(run):
    run("import", "-", input="".join(f"Paper {i}\n{ABSTRACT}\n" for i in range(3)))
    run("list", "create", "L")
    run("list", "add", "L", "3", "1", "2")
    ids = [p["id"] for p in json.loads(run("ls", "--list", "L", "--desc", "--json").stdout)]
    assert ids == [2, 1, 3]
