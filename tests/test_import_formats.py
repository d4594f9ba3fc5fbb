"""Each format, recognised by its content, with entries, fields and line numbers right."""

import json

import pytest

from readinglist.importers.registry import detect_format, parse_text

RIS = """Provider: an export
TY  - JOUR
AU  - Lovelace, Ada
AU  - Babbage, Charles
TI  - Sketch of the Analytical Engine
T2  - Scientific Memoirs
PY  - 1843/10/01
KW  - computing
KW  - engines
DO  - https://doi.org/10.5555/ENGINE.1843
UR  - https://example.org/sketch
SP  - 666
EP  - 731
ZZ  - an unknown tag
ER  -

junk between records
TY  - BOOK
TI  - A last record without ER
PY  - 2001
"""

CSL = json.dumps(
    [
        {
            "id": "lovelace1843sketch",
            "type": "article-journal",
            "title": "Sketch of the Analytical Engine",
            "author": [{"family": "Lovelace", "given": "Ada"}, {"literal": "The Royal Society"}],
            "issued": {"date-parts": [[1843, 10]]},
            "container-title": "Scientific Memoirs",
            "DOI": "10.5555/engine.1843",
            "keyword": "computing, engines",
        },
        {"id": "http://zotero.org/users/1/items/X", "type": "book", "title": ["Second"]},
    ],
    indent=2,
)

ARXIV = """[1] arXiv:2501.00001 [pdf, other]
Title: Scaling Laws for Reading Lists
Authors: Ada Lovelace, John von Neumann and Grace Hopper
Comments: 12 pages
Abstract: We study how reading lists grow. They grow
fast.

arXiv:2412.09999  [pdf]  cs.CL
A Search Result Title
Authors: Claude Shannon
Abstract: A mathematical theory. ▽ More
"""


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (RIS, "export.txt", "ris"),
        (CSL, "items.txt", "csl-json"),
        ("@article{k, title={T}}", "refs.txt", "bibtex"),
        ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI X\nER\nEF", "a.txt", "wos"),
        (ARXIV, "page.txt", "text"),
        ("[1] not json at all", "page.txt", "text"),
        ("A title\nAn abstract.", "page.bib", "bibtex"),
    ],
)
def test_format_is_recognised_by_content_first(text, name, expected):
    assert detect_format(text, name) == expected


def test_ris_records_fields_and_lines():
    result = parse_text(RIS, "export.ris")
    first, last = result.entries
    assert (first.line, last.line) == (2, 18)
    assert [a.family for a in first.authors] == ["Lovelace", "Babbage"]
    assert (first.title, first.venue, first.year, first.month) == (
        "Sketch of the Analytical Engine",
        "Scientific Memoirs",
        1843,
        10,
    )
    assert (first.pages, first.doi, first.url) == (
        "666--731",
        "10.5555/engine.1843",
        "https://example.org/sketch",
    )
    assert first.tags == ["computing", "engines"]
    assert first.extra["ZZ"] == ["an unknown tag"]
    assert (last.entry_type, last.title, last.year) == ("book", "A last record without ER", 2001)


def test_csl_json_items_and_lines():
    result = parse_text(CSL, "items.json")
    first, second = result.entries
    assert first.key == "lovelace1843sketch" and first.line == 2
    assert first.authors[1].literal == "The Royal Society"
    assert (first.year, first.month, first.venue, first.doi) == (
        1843,
        10,
        "Scientific Memoirs",
        "10.5555/engine.1843",
    )
    assert first.tags == ["computing", "engines"]
    assert (second.key, second.title, second.extra["csl_id"]) == (
        "",
        "Second",
        "http://zotero.org/users/1/items/X",
    )


def test_broken_csl_json_reports_where_and_keeps_what_came_before():
    text = CSL[: CSL.rindex("{")] + '{"title": oops}]'
    result = parse_text(text, "items.json")
    assert len(result.entries) == 1
    (problem,) = result.problems
    assert problem.line == text[: text.index("oops")].count("\n") + 1
    assert "not valid JSON" in problem.message


def test_arxiv_listing_blocks():
    result = parse_text(ARXIV, "page.txt")
    first, second = result.entries
    assert (first.arxiv_id, first.year, first.title) == (
        "2501.00001",
        2025,
        "Scaling Laws for Reading Lists",
    )
    assert [a.family for a in first.authors] == ["Lovelace", "Neumann", "Hopper"]
    assert first.abstract == "We study how reading lists grow. They grow fast."
    assert first.extra["comments"] == "12 pages"
    assert (second.title, second.abstract, second.line) == (
        "A Search Result Title",
        "A mathematical theory.",
        8,
    )


def test_a_broken_bibtex_entry_is_reported_with_its_line_and_the_rest_imported():
    good = "@article{good%d, title = {Good %d}, year = 2020}\n"
    text = good % (1, 1) + "@article{broken, title = {Unclosed, year = 2020\n" + good % (2, 2)
    text += "".join(good % (n, n) for n in range(3, 6))
    result = parse_text(text, "refs.bib")
    errors = [p for p in result.problems if p.severity == "error"]
    assert len(errors) == 1 and abs(errors[0].line - 2) <= 1
    assert [e.key for e in result.entries] == ["good1", "good2", "good3", "good4", "good5"]
