"""Importing text copied from a web page that lists papers."""

import pytest

from readinglist.domain.filters import Sort
from readinglist.importers.pasted import parse_pasted

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server


def page_pairs(sample_page):
    """(title, abstract) pairs as the page shows them, read straight from the file."""
    lines = sample_page.read_text(encoding="utf-8").splitlines()[2:]
    lines[0] = lines[0].removeprefix("Subscribe")
    return list(zip(lines[0::2], lines[1::2], strict=True))


def test_sample_page_gives_exactly_its_119_papers(library, sample_page):
    report = library.import_file(sample_page)
    assert (len(report.added), len(report.duplicates), report.problems) == (119, 0, [])
    papers = library.papers(sort=Sort("added"))
    assert papers[0].title == "Learning to Decouple Complex Systems"
    assert [(p.title, p.abstract) for p in papers] == page_pairs(sample_page)


def test_code_links_in_abstracts_become_the_code_url(library, sample_page):
    library.import_file(sample_page)
    by_title = {p.title: p for p in library.papers()}
    meta_dt = next(t for t in by_title if t.startswith("Meta-DT"))
    assert by_title[meta_dt].code_url == "https://github.com/NJU-RL/Meta-DT"  # no final '.'
    with_code = [p for p in by_title.values() if p.code_url]
    assert len(with_code) >= 25
    announced = next(p for p in with_code if "4open.science" in p.code_url)
    assert "code" in announced.abstract.lower()  # "Code is available at …" counts as code
    project_pages = {p.url for p in by_title.values() if p.url}
    assert "https://ltlhuuu.github.io/PSEC/" in project_pages  # a project website is not code


def test_reimporting_the_same_page_adds_nothing(library, sample_page):
    library.import_file(sample_page)
    library.tag(1, add=["mine"])
    again = library.import_file(sample_page)
    assert (len(again.added), len(again.duplicates)) == (0, 119)
    assert {d.reason for d in again.duplicates} == {"title"}
    assert library.count() == 119
    assert library.get(1).tags == ("mine",)


def test_same_title_with_other_case_and_punctuation_is_a_duplicate(library):
    library.import_text("Attention Is All You Need\n" + "We propose a new network. " * 20)
    report = library.import_text("attention is all you need!\n" + "Another copy. " * 30)
    assert len(report.duplicates) == 1 and not report.added


def test_plain_paragraphs_with_wrapped_abstracts(library):
    text = (
        "A Theory of Everything\n"
        "We explain everything. The abstract is wrapped\n"
        "over several short lines, as text often is.\n"
        "\n"
        "Another Paper: With a Subtitle\n"
        "Short abstract on one line, with arXiv:2501.00001v2 and doi:10.1000/XYZ.123.\n"
    )
    report = library.import_text(text)
    assert len(report.added) == 2
    first, second = library.papers(sort=Sort("added"))
    assert first.abstract == (
        "We explain everything. The abstract is wrapped over several short lines, as text often is."
    )
    assert second.title == "Another Paper: With a Subtitle"
    assert (second.arxiv_id, second.doi) == ("2501.00001", "10.1000/xyz.123")


def test_lines_that_are_not_papers_are_reported_not_dropped_silently():
    long = "This is a long abstract sentence. " * 12
    text = f"Get trending papers in your email inbox!\nStray heading\nReal Title\n{long}\n{long}"
    result = parse_pasted(text, "page.txt")
    assert [e.title for e in result.entries] == ["Real Title"]
    assert result.entries[0].line == 3
    assert [(p.line, p.severity) for p in result.problems] == [(2, "warning")]
    assert "Stray heading" in result.problems[0].message


def test_an_abstract_without_a_title_is_reported():
    long = "An abstract with no title above it. " * 12
    result = parse_pasted(f"{long}\nA Title\n{long}", "page.txt")
    assert len(result.entries) == 1
    assert result.problems[0].line == 1


def test_import_json_report_has_added_duplicates_and_errors(library, sample_page):
    report = library.import_file(sample_page)
    data = report.to_json()
    assert (data["added"], data["duplicates"], data["errors"]) == (119, 0, [])
    assert data["format"] == "text" and data["encoding"] == "utf-8"


def many_papers(count: int) -> str:
    abstract = "An abstract long enough to be one, with several words in it. " * 6
    return "\n".join(f"Paper number {i} on a topic\n{abstract}" for i in range(count))


def test_a_cancelled_import_keeps_whole_batches_and_says_so(library, tmp_path):
    source = tmp_path / "listing.txt"
    source.write_text(many_papers(1200), encoding="utf-8")
    seen = []
    report = library.import_file(
        source,
        progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: bool(seen),
    )
    assert report.cancelled
    assert seen == [(500, 1200)]
    assert len(report.added) == library.count() == 500
    assert library.search("", limit=None).total == 500
    resumed = library.import_file(source)
    assert (len(resumed.added), len(resumed.duplicates)) == (700, 500)


def test_a_large_import_is_indexed_completely(library, tmp_path):
    source = tmp_path / "listing.txt"
    source.write_text(many_papers(1500), encoding="utf-8")  # above the parallel threshold
    report = library.import_file(source)
    assert len(report.added) == 1500
    assert library.search("paper number", limit=None).total == 1500
    assert library.search('"number 1499"').total == 1
    assert library.check().healthy
