"""Every file of the shared peer corpora imports without a crash, with the counts and field
values its own project expects (see shared/corpora/MANIFEST.md). Where we choose differently
from the peer, the test says so and why."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from readinglist import open_library
from readinglist.domain.values import AuthorName
from readinglist.services.importing import ImportReport
from tests.conftest import shared_path


@dataclass
class Imported:
    report: ImportReport
    by_key: dict

    def __getitem__(self, key):
        return self.by_key[key]

    @property
    def messages(self) -> list[tuple[int | None, str]]:
        return [(p.line, p.message) for p in self.report.problems]


@pytest.fixture
def load(tmp_path):
    def import_corpus(relative: str) -> Imported:
        path = shared_path(f"corpora/{relative}")
        with open_library(tmp_path / "lib") as library:
            report = library.import_file(path)
            papers = library.papers()
        return Imported(report, {p.key: p for p in papers})

    return import_corpus


def counts(imported: Imported) -> tuple[int, int, int]:
    r = imported.report
    return len(r.added), len(r.duplicates), len(r.errors)


def person(family, given="", particle="", suffix=""):
    return AuthorName(family=family, given=given, particle=particle, suffix=suffix)


# --- bibtexparser ---------------------------------------------------------------------------
def test_missing_comma_before_the_closing_brace(load):
    got = load("bibtexparser/article_missing_coma.bib")
    assert counts(got) == (4, 0, 0)
    assert got["Aimar2013"].month == 1
    assert got["Baltazar2013"].venue == "Nice Journal"


def test_byte_order_mark_before_the_first_entry(load):
    got = load("bibtexparser/article_start_with_bom.bib")
    assert got.report.encoding == "utf-8-sig"
    assert got["Cesar2013"].authors == (person("César", "Jean"),)


def test_string_macros_concatenation_and_month_macros(load):
    got = load("bibtexparser/article_with_strings.bib")
    paper = got["Cesar2013"]
    assert (paper.authors, paper.venue, paper.month) == (
        (person("César", "Jean"),),
        "Nice Journal",
        1,
    )


def test_comments_spaces_preamble_and_a_string_named_title(load):
    got = load("bibtexparser/comments_spaces_and_declarations.bib")
    assert counts(got) == (1, 0, 0)
    assert got["Cesar2013"].title == "A great title"


def test_biblatex_examples(load):
    got = load("bibtexparser/biber-examples.bib")
    # 118 entries (one key appears twice: both kept). baez/article and baez/online are the
    # same arXiv paper: merged, and the second key is kept as an alias for \cite.
    assert counts(got) == (117, 1, 0)
    assert got["baez/article"].extra["ids"] == "baez/online"
    assert sum("is taken; stored as" in m for _, m in got.messages) == 1


def test_circular_crossref_keeps_both_and_says_why(load):
    got = load("bibtexparser/crossref_cascading_cycle.bib")
    assert counts(got) == (2, 0, 0)
    assert "circular crossref dependency: circ1 -> circ2 -> circ1" in str(got.messages)
    assert got["circ1"].title == got["circ2"].title == ""  # nothing inherited


def test_macros_defined_from_macros(load):
    paper = load("bibtexparser/features2.bib")["mykey"]
    assert (paper.title, paper.venue, paper.pages) == (
        "Cool Stuff",
        "My International Conference",
        "1--10",
    )
    assert paper.extra["note"] == "Email: John.Doe@example.com"
    assert paper.authors == (person("Doe", "John"),)


def test_traps_protected_words_and_a_tilde(load):
    paper = load("bibtexparser/traps.bib")["Laide2013"]
    assert paper.title == "An amazing title"
    assert paper.extra["_bibtex"]["latex"]["title"] == "{An} amazing {title}"  # for export
    assert paper.volume == "n.s.~2"
    assert len(paper.authors) == 1  # "Jean Laid{\'e},\nBen Loaeb" is one name to BibTeX


def test_nonstandard_entry_types_are_kept(load):
    got = load("bibtexparser/wrong.bib")
    assert counts(got) == (2, 0, 0)  # bibtexparser 1 dropped '@wrong'; we never drop
    assert got["foo"].entry_type == "wrong"


def test_gbk_is_recognised_not_read_as_mojibake(load):
    got = load("bibtexparser/gbk_test.bib")
    assert got.report.encoding == "gb18030"
    paper = got["凯撒2013"]
    assert (paper.authors[0].family, paper.venue) == ("凯撒", "测试期刊")
    assert any("GB18030" in message for _, message in got.messages)


# --- rispy ----------------------------------------------------------------------------------
def test_ris_with_a_byte_order_mark(load):
    got = load("rispy/example_bom.ris")
    assert counts(got) == (1, 0, 0)
    (paper,) = got.by_key.values()
    assert (paper.entry_type, paper.doi) == ("article", "10.1186/s40981-020-0316-0")


def test_ris_empty_tag_is_not_folded_into_the_next(load):
    (paper,) = load("rispy/example_empty_tag.ris").by_key.values()
    assert (paper.number, paper.pages) == ("9", "")
    assert paper.doi == "10.1177/2325967120950040"


def test_ris_junk_between_records_is_skipped(load):
    got = load("rispy/example_extraneous_data.ris")
    assert counts(got) == (2, 0, 0)
    assert {p.title for p in got.by_key.values()} == {
        "Title of reference",
        "The title of the reference",
    }


def test_ris_unknown_tags_are_kept(load):
    (paper,) = load("rispy/example_multi_unknown_tags.ris").by_key.values()
    assert paper.extra["JP"] == ["CRISPR"] and paper.extra["DC"] == ["Direct Current"]
    assert paper.title == "A Mathematical Theory of Communication"


def test_ris_continuation_lines(load):
    got = load("rispy/example_multiline.ris")
    assert counts(got) == (3, 0, 0)
    for paper in got.by_key.values():
        assert paper.abstract == "first line, ER then second line and at the end the last line"
        assert paper.extra["notes"] == ["first line", "* second line", "* last line"]


def test_ris_cyrillic_with_a_byte_order_mark(load):
    got = load("rispy/example_utf_chars.ris")
    assert got.report.encoding == "utf-8-sig"
    (paper,) = got.by_key.values()
    assert paper.title.startswith("Состояние рецепторного аппарата")
    assert paper.entry_type == "article"  # 'Journal Article' is not a RIS code, but clear enough


def test_web_of_science_is_recognised_as_such(load):
    got = load("rispy/example_wos.ris")
    assert got.report.format == "wos"
    assert sorted(p.title for p in got.by_key.values()) == [
        "Interactions stabilizing the structure of the core light-harvesting complex (LHl) of "
        "photosynthetic bacteria and its subunit (B820)",
        "Proximal and distal influences on ligand binding kinetics in microperoxidase and heme "
        "model compounds",
    ]


# --- biber ----------------------------------------------------------------------------------
def test_emacs_coding_hint_latin9_with_a_non_ascii_key(load):
    got = load("biber/encoding1.bib")
    assert got.report.encoding == "iso8859-15"
    assert got["testŠ"].title == "Šome title"


def test_latin1_file(load):
    got = load("biber/encoding3.bib")
    assert got.report.encoding == "iso8859-1"
    assert got["test1"].title == "Söme title"


def test_names_with_particles_suffixes_and_corporate_authors(load):
    got = load("biber/names.bib")
    assert counts(got) == (38, 0, 0)  # '%@BOOK{L27,' is commented out, as biber reads it
    assert "L27" not in got.by_key
    assert got["L5"].authors == (person("Eel", "Egbert", "von"),)
    assert got["L10"].authors == (person("Jolly", "James", suffix="III"),)
    assert got["L11"].authors == (person("Kluster", "Kevin", "van", "Jr."),)
    assert got["L12"].authors == (person("Vallée Poussin", "Charles Louis Xavier Joseph", "de la"),)
    assert got["L20"].authors == (person("Ford", "John Henry"),)
    assert got["L1id"].authors == (person("Adler", "Alfred"),)
    assert got["L26"].authors == (AuthorName(literal="Sci-Art Publishers"),)


def test_malformed_dates_keep_the_entry_and_say_what_was_wrong(load):
    got = load("biber/dateformats.bib")
    assert counts(got) == (34, 0, 0)
    assert got["L1"].extra["year"] == "1995--1996"  # kept as text, with a warning
    assert (4, "L1: year '1995--1996' is not a single year; kept as text") in got.messages
    assert any(line == 34 and "invalid date '1995-1-04'" in m for line, m in got.messages)


# --- JabRef ---------------------------------------------------------------------------------
def test_windows_1252_declared_in_a_header(load):
    got = load("jabref/encoding-windows-1252-without-header.bib")
    assert got.report.encoding == "cp1252"
    (paper,) = got.by_key.values()
    assert paper.abstract == "25° C"


def test_a_header_that_lies_about_utf8_still_imports(load):
    got = load("jabref/encoding-windows-1252-but-utf-8-declared--decoding-fails.bib")
    (paper,) = got.by_key.values()
    assert paper.authors[0].given == "Test\ufffdI."
    assert any("replaced" in m for _, m in got.messages)


def test_jabref_library_of_212_entries(load):
    assert counts(load("jabref/jabref-authors.bib")) == (212, 0, 0)


def test_a_file_without_a_ty_line_is_not_read_as_ris(load):
    got = load("jabref/RisImporterCorrupted.ris")
    assert len(got.report.added) == 0
    assert [m for _, m in got.messages] == ["no RIS record ('TY  - …' line) found"]


def test_ris_with_an_empty_er_line(load):
    (paper,) = load("jabref/RisImporterTestWithEmptyER.ris").by_key.values()
    assert paper.authors == (person("Shi", "Yu"), person("Beck", "Thomas L."))
    assert (paper.year, paper.month, paper.doi) == (2013, 7, "10.1063/1.4814070")
    # JabRef takes the abbreviation (JO); we show the full name and keep the abbreviation.
    assert paper.venue == "The Journal of Chemical Physics"
    assert paper.extra["journal_name"] == "J. Chem. Phys."


def test_scopus_ris(load):
    (paper,) = load("jabref/RisImporterTestScopus.ris").by_key.values()
    assert paper.tags[:3] == ("Composite", "Inclusions", "Statistical distribution")
    assert paper.extra["notes"] == ["Cited By :44", "Export Date: 1 April 2016"]
    assert paper.extra["name_of_database"] == "Scopus"


# --- pybtex ---------------------------------------------------------------------------------
def test_entries_inside_a_comment_block_are_read(load):
    got = load("pybtex/entry_in_comment.bib")
    assert counts(got) == (3, 0, 0)
    assert got["Me2010"].title == "An article"
    assert {"Me2009", "Me2011"} <= set(got.by_key)


def test_percent_comment_inside_an_entry(load):
    got = load("pybtex/inline_comment.bib")
    assert counts(got) == (4, 0, 0)
    assert "Me2013" in got.by_key
    # pybtex reports lines 10 and 12 and drops what follows; we keep the field and warn.
    assert [line for line, _ in got.messages] == [11, 13]
    assert got["Me2011"].title == "Another article"


def test_keyless_entries_get_generated_keys(load):
    got = load("pybtex/keyless_entries.bib")
    assert counts(got) == (4, 0, 0)
    assert sum("no citation key" in m for _, m in got.messages) == 4


def test_undefined_macro_is_reported_and_left_out(load):
    got = load("pybtex/macros_undefined.bib")
    assert got["unknown"].authors == ()
    assert (6, "undefined string 'nobody' in field 'author' of 'unknown'; left out") in got.messages
    assert got["gsl"].authors == (person("Gough", "Brian"), AuthorName(literal="et al."))


def test_odd_field_names_are_kept_and_reported(load):
    got = load("pybtex/field_names.bib")
    assert counts(got) == (8, 0, 0)
    assert [line for line, _ in got.messages] == [5, 11, 14]
    assert got["2011"].extra["_author"] == "Me"


# --- Better BibTeX --------------------------------------------------------------------------
BBT = "zotero-better-bibtex"


def test_parenthesis_delimiters_and_string_concatenation(load):
    paper = load(
        f"{BBT}/Issues with round instead of curly braces do not import correctly #871.bib"
    )["McDermott:72"]
    assert paper.entry_type == "techreport"
    assert paper.authors == (person("McDermott", "Drew V."), person("Sussman", "Gerald J."))
    assert (paper.year, paper.month) == (1972, 5)


def test_macro_names_with_dashes_and_colons(load):
    paper = load(f"{BBT}/Import fails to perform @String substitutions #154.bib")["Bert:2001:SQL"]
    assert (paper.publisher, paper.extra["address"]) == ("Freds Publishing", "London, UK")


def test_preamble_with_a_def_and_an_indented_entry(load):
    paper = load(f"{BBT}/BibTeX import; preamble with def create problems #732.bib")["MR1870153"]
    assert paper.entry_type == "incollection"
    assert paper.authors == (person("Franců", "Jan"), person("Krejčí", "Pavel"))


def test_percent_sign_inside_a_value_is_text(load):
    got = load(
        f"{BBT}/Problem when importing BibTeX entries with percent sign #95 or preamble #96.bib"
    )
    (paper,) = got.by_key.values()
    # Better BibTeX drops text after '%'; BibTeX keeps it, and so do we.
    assert "about 50% in a narrow wavelength range" in paper.abstract
    assert "300Â°C" in paper.abstract  # the source's own mojibake is passed through


def test_space_after_the_citation_key(load):
    got = load(f"{BBT}/space after citekey creates confusion #716.bib")
    assert set(got.by_key) == {"HoSp-87", "HoSp-90"}


def test_mendeley_export_with_empty_and_repeated_keys(load):
    got = load(f"{BBT}/web_page and other mendeley idiocy.bib")
    added, duplicates, errors = counts(got)
    assert (added + duplicates, errors) == (512, 0)  # every entry accounted for
    assert sum("no citation key" in m for _, m in got.messages) == 37
    assert {"Matias2016", "Matias2016a", "Matias2016b"} <= set(got.by_key)
    assert sum("is taken; stored as" in m for _, m in got.messages) >= 2
    assert got["Matias2016"].entry_type == "article"


def test_a_large_real_library_imports_completely(load):
    got = load(f"{BBT}/Unabbreviate on import #1436-3.bib")
    assert counts(got) == (7166, 0, 0)
