"""Inputs that once lost data or crashed (found in review), each kept from coming back."""

import json

import pytest

from readinglist.domain.filters import PaperFilter
from readinglist.domain.values import UnsupportedFormat
from readinglist.importers.encoding import decode_bytes
from readinglist.importers.registry import parse_text
from readinglist.lookup.http import Endpoints

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

ABSTRACT = "An abstract long enough to be one, with several words in it. " * 6


def listing(count: int, start: int = 0) -> str:
    return "\n".join(f"Edge paper {i} on a topic\n{ABSTRACT}" for i in range(start, start + count))


def bib(library, text, **options):
    return library.import_text(text, "refs.bib", format="bibtex", **options)


def test_a_dry_run_of_many_batches_reports_and_changes_nothing(library):
    report = library.import_text(listing(1200), dry_run=True)
    assert (len(report.added), report.errors) == (1200, [])
    assert library.count() == 0 and library.imports() == []


def test_importing_again_after_an_undo_brings_the_papers_back(library):
    library.import_text(listing(3))
    library.undo_import("last")
    again = library.import_text(listing(3))
    assert len(again.added) == 3 and library.count() == 3


def test_undo_of_a_merge_only_import_takes_back_what_it_filled(library):
    original = bib(library, "@article{a, title = {Graphs}, author = {Smith, Jane}, year = 2020}")
    paper = original.added[0]
    library.tag(paper, add=["mine"])
    merge = bib(
        library,
        "@article{b, title = {Graphs}, author = {Smith, Jane}, year = 2020, "
        "journal = {J. Graphs}, keywords = {graphs, mine}}",
    )
    assert merge.added == [] and merge.to_json()["merged"][0]["filled"] == ["venue"]
    assert library.get(paper).extra["ids"] == "b"
    library.undo_import("last")  # the newest import, though it added no paper
    restored = library.get(paper)
    assert (restored.venue, restored.tags, restored.in_trash) == ("", ("mine",), False)
    assert "ids" not in restored.extra


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Gains of 50% with $\\alpha$ tuning", "Gains of 50% with α tuning"),
        ("The \\TeX book", "The TeXbook"),
        ("Radix-2\\({}^{\\mbox{k}}\\) units", "Radix-2^k units"),
        ("\\texttt{grep} and \\LaTeX", "grep and LaTeX"),
        ("\\href{https://example.org}{A site}", "A site"),
    ],
)
def test_latex_in_titles_loses_no_text(value, text):
    (entry,) = parse_text(f"@article{{k, title = {{{value}}}}}", "x.bib").entries
    assert entry.title == text


def test_old_mac_line_endings(library):
    report = bib(
        library,
        "@article{a, title={One}}\r@article{b, title={Two,\r year=1}\r@article{c, title={Three}}\r",
    )
    assert sorted(library.get(i).key for i in report.added) == ["a", "c"]
    assert report.errors[0].line == 2


def test_a_missing_comma_after_the_key_is_an_error_not_a_renamed_entry():
    result = parse_text(
        "@article{smith2020\n title={T}, year=2020}\n@article{b, title={B}}", "x.bib"
    )
    assert [e.key for e in result.entries] == ["b"]
    assert result.errors[0].line == 1


def test_a_field_given_three_times_keeps_every_value():
    (entry,) = parse_text("@article{a, title={A}, title={B}, title={C}}", "x.bib").entries
    assert (entry.title, entry.extra["title_2"], entry.extra["title_3"]) == ("A", "B", "C")


def test_a_string_built_from_an_undefined_string_is_reported():
    result = parse_text("@string{a = b}\n@article{x, title = a}", "x.bib")
    assert "undefined string 'b'" in result.problems[0].message


def test_a_file_mixing_formats_says_what_it_did_not_read():
    text = "@article{a, title={A}}\n\nTY  - JOUR\nTI  - A RIS record\nER  - \n"
    result = parse_text(text, "mixed.txt")
    assert len(result.entries) == 1
    (problem,) = result.errors  # read as what it starts with; the rest is named, not lost
    assert "this bibtex file also holds ris from this line on" in problem.message
    assert problem.line == 3


def test_a_paste_with_a_line_starting_with_an_arxiv_id_is_not_a_listing():
    text = f"A Title\n{ABSTRACT}\narXiv:2005.14165 is cited above.\nAnother Title\n{ABSTRACT}"
    result = parse_text(text, "paste.txt")
    assert [e.title for e in result.entries] == ["A Title", "Another Title"]


def test_binary_junk_is_refused_and_text_without_papers_is_an_error():
    with pytest.raises(UnsupportedFormat, match="not a text file"):
        parse_text("PK\x03\x04\x00\x00junk\x00\x01\x02", "junk.bin")
    result = parse_text("just a few words\nand another line\n", "notes.txt")
    assert result.errors and "no papers found" in result.errors[0].message


def test_duplicates_are_listed_in_the_report(library):
    bib(library, "@article{a, title = {Graphs}, doi = {10.1000/x}}")
    report = bib(library, "@article{b, title = {Graphs}, doi = {10.1000/X}, volume = 2}")
    (merged,) = report.to_json()["merged"]
    assert (merged["line"], merged["reason"], merged["filled"]) == (1, "doi", ["volume"])


def test_csl_json_in_other_shapes_keeps_its_authors():
    items = [
        {"id": "a", "type": "book", "title": "<i>Italic</i> Title", "author": {"family": "X"}},
        {"id": "b", "type": "book", "title": "T", "author": "Smith, John and Doe, Jane"},
        {
            "itemType": "journalArticle",
            "title": "Z",
            "citationKey": "lovelace1843",
            "creators": [{"firstName": "Ada", "lastName": "Lovelace", "creatorType": "author"}],
            "date": "1843-10-01",
            "publicationTitle": "Memoirs",
        },
    ]
    a, b, z = parse_text(json.dumps(items), "items.json").entries
    assert (a.title, a.authors[0].family) == ("Italic Title", "X")
    assert [n.family for n in b.authors] == ["Smith", "Doe"]
    assert (z.key, z.authors[0].family, z.year, z.venue) == (
        "lovelace1843",
        "Lovelace",
        1843,
        "Memoirs",
    )


def test_ris_repeated_tags_and_date_forms():
    text = (
        "TY  - JOUR\nTI  - First title\nTI  - Second title\nAD  - One\nAD  - Two\n"
        "DA  - 05/17/2019\nER  - \nTY  - JOUR\nTI  - B\nPY  - 2017 May\nER  - \n"
        "TY  - JOUR\nTI  - C\nY1  - Spring 2018\nER  - \n"
    )
    first, second, third = parse_text(text, "x.ris").entries
    assert first.title == "First title" and first.extra["TI"] == ["First title", "Second title"]
    assert first.extra["AD"] == ["One", "Two"] and (first.year, first.month) == (2019, 5)
    assert (second.year, second.month, third.year) == (2017, 5, 2018)


def test_a_declared_legacy_encoding_that_is_really_utf8():
    decoded = decode_bytes("% Encoding: ISO-8859-1\n@article{k, title={Gödel}}".encode())
    assert "Gödel" in decoded.text and "valid UTF-8" in decoded.warnings[0]


def test_dois_are_escaped_in_look_up_urls(library, httpserver):
    httpserver.expect_request("/works/10.1000/a#b").respond_with_data("", status=404)
    httpserver.expect_request("/dois/10.1000/a#b").respond_with_data("", status=404)
    endpoints = Endpoints(
        crossref=httpserver.url_for("/works"), datacite=httpserver.url_for("/dois")
    )
    report = library.add_identifiers(["10.1000/a#b"], endpoints)
    assert "neither Crossref nor DataCite knows the DOI 10.1000/a#b" in report.errors[0].message
    assert library.count(PaperFilter()) == 0
