"""What import promises: keys made unique and reported, duplicates merged without overwriting
anything, dry runs that change nothing, and an undo for each import."""

import pytest

from readinglist.domain.filters import PaperFilter
from readinglist.domain.values import InvalidValue

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

SMITH = """@article{smith2020,
  title = {Graphs and Trees},
  author = {Smith, Jane},
  year = 2020,
}
"""


def bib(library, text, **options):
    return library.import_text(text, "refs.bib", format="bibtex", **options)


def test_key_clashes_with_the_library_are_made_unique_and_reported(library):
    bib(library, SMITH)
    other = SMITH.replace("Graphs and Trees", "Something Else Entirely")
    report = bib(library, other + other.replace("Something Else", "A Third"))
    keys = sorted(library.get(i).key for i in report.added)
    assert keys == ["smith2020a", "smith2020b"]
    messages = [p.message for p in report.warnings]
    assert "citation key 'smith2020' is taken; stored as 'smith2020a'" in messages


def test_stored_keys_never_change_on_a_later_import(library):
    first = bib(library, SMITH).added[0]
    bib(library, SMITH.replace("smith2020", "other").replace("Graphs", "Other"))
    assert library.get(first).key == "smith2020"


def test_duplicates_fill_empty_fields_and_never_overwrite(library):
    paper = bib(library, SMITH).added[0]
    library.edit(paper, title="Graphs and Trees (my edit)", venue="")
    library.edit(paper, title="Graphs and Trees")
    library.add_note(paper, "my note")
    richer = SMITH.replace(
        "year = 2020,",
        "year = 2020, journal = {J. Graphs}, volume = 3, doi = {10.1000/x}, "
        "keywords = {graphs}, author = {Someone, Else},",
    )
    richer = richer.replace("title = {Graphs and Trees},", "title = {Graphs and Trees!},")
    report = bib(library, richer)
    assert (report.added, len(report.duplicates)) == ([], 1)
    dup = report.duplicates[0]
    assert (dup.paper_id, dup.reason) == (paper, "title")
    assert set(dup.filled) == {"venue", "volume", "doi"}
    merged = library.get(paper)
    assert (merged.title, merged.venue, merged.volume) == ("Graphs and Trees", "J. Graphs", "3")
    assert merged.tags == ("graphs",)
    assert [n.body for n in merged.notes] == ["my note"]
    assert [a.family for a in merged.authors] == ["Smith"]  # authors are not replaced either
    assert library.search("doi:10.1000/x").total == 1


@pytest.mark.parametrize(
    "variant",
    [
        "@misc{x, doi = {https://doi.org/10.1000/ABC}}",
        "@misc{x, title = {Graphs, trees}, eprint = {2101.00001v3}, archiveprefix = {arXiv}}",
        "@misc{x, title = {Graphs and trees}, author = {Smith, J.}, year = 2020}",
        "@misc{x, title = {Graphs and Tres}, author = {Smith, Jane}, year = 2020}",
    ],
)
def test_duplicates_by_doi_arxiv_id_or_near_identical_title(library, variant):
    bib(
        library,
        SMITH.replace(
            "year = 2020,",
            "year = 2020, doi = {10.1000/abc}, eprint = {2101.00001}, archiveprefix = {arXiv},",
        ),
    )
    report = bib(library, variant)
    assert len(report.duplicates) == 1 and not report.added
    assert library.get("smith2020").extra["ids"] == "x"  # the merged key stays citable


def test_same_title_by_someone_else_or_another_year_is_another_paper(library):
    bib(library, SMITH)
    report = bib(library, SMITH.replace("Smith, Jane", "Doe, John").replace("smith", "doe"))
    assert len(report.added) == 1
    report = bib(library, SMITH.replace("2020", "2021").replace("smith", "later"))
    assert len(report.added) == 1


def test_a_dry_run_reports_everything_and_changes_nothing(library, sample_page):
    bib(library, SMITH)
    before = library.stats()
    report = library.import_file(sample_page, dry_run=True)
    assert (len(report.added), report.dry_run) == (119, True)
    again = bib(library, SMITH, dry_run=True)
    assert len(again.duplicates) == 1
    assert library.stats() == before
    assert library.search("", limit=None).total == 1
    assert library.imports()[0].source == "refs.bib"


def test_undo_import_moves_exactly_that_import_to_the_trash(library, sample_page):
    mine = bib(library, SMITH).added[0]
    page = library.import_file(sample_page)
    library.undo_import("last")
    assert library.count() == 1 and library.get(mine).in_trash is False
    assert library.count(PaperFilter(trashed=True)) == 119
    library.restore(page.added)
    library.undo_import(str(page.import_id))
    assert library.count() == 1
    history = library.imports()
    assert [h.still_in_library for h in history] == [0, 1]
    with pytest.raises(InvalidValue, match="there is no import 99"):
        library.undo_import(99)


def test_an_import_json_report_counts_every_entry(library):
    text = SMITH + SMITH + "@article{broken, title = {Unclosed\n" + SMITH.replace("2020", "1999")
    report = bib(library, text).to_json()
    # the same key twice in one file: two papers (the second becomes smith2020a), reported
    assert (report["added"], report["duplicates"], len(report["errors"])) == (3, 0, 1)
    assert report["encoding"] == "utf-8" and report["format"] == "bibtex"
