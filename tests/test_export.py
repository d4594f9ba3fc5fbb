"""Export: every format and every scope, and what LaTeX, Pandoc and Obsidian need of them."""

import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt

from readinglist import open_library
from readinglist.cli.main import cli
from readinglist.domain.values import AuthorName, InvalidValue
from readinglist.exporters.obsidian import MARKER
from readinglist.services.exporting import ExportOptions, ExportScope
from tests.factories import draft

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "csl-data.schema.json").read_text())


def export(library, fmt, scope=None, **options) -> str:
    stream = io.StringIO()
    library.export(fmt, stream, scope or ExportScope(), ExportOptions(**options))
    return stream.getvalue()


@pytest.fixture
def tricky(library):
    """Papers with everything that trips exporters up."""
    ids = [
        library.add_paper(
            draft(
                "BERT and GPT-3: 50% of $x_1$ & {braces} #1 in Gödel's iPhone",
                authors=[
                    AuthorName(family="Neumann", given="John", particle="von"),
                    AuthorName(family="Smith", given="John", suffix="Jr."),
                    AuthorName(literal="Barnes and Noble, Inc."),
                ],
                year=2021,
                month=3,
                venue="Journal of Ünusual Results",
                volume="4",
                number="2",
                pages="10--20",
                doi="10.1000/xyz",
                arxiv_id="2101.00001",
                abstract="An abstract with ~ and ^ and \\ in it.",
                tags=["nlp", "to skim"],
                extra={"eventtitle": "Workshop on Things"},
            )
        ).created,
        library.add_paper(draft("凯撒 and the GBK Test", authors=["凯撒"], year=2013)).created,
    ]
    library.add_note(ids[0], "# My take\n\nCompare with **MAML**.")
    library.rate(ids[0], 4)
    library.set_status(ids[1], "read")
    return ids


def test_bibtex_is_valid_escaped_and_ascii_by_default(library, tricky):
    text = export(library, "bibtex")
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and len(parsed.entries) == 2
    assert text.isascii() is False or "凯撒" in text  # CJK has no LaTeX form: kept as UTF-8
    assert 'G{\\"o}del' in text
    assert "50\\% of \\$x\\_1\\$ \\& \\textbraceleft{}braces\\textbraceright{} \\#1" in text
    assert "{BERT}" in text and "{GPT}-3" in text and "{iPhone}" in text
    assert "author = {von Neumann, John and Smith, Jr., John and {Barnes and Noble, Inc.}}" in text
    assert "archiveprefix = {arXiv}" in text and "eprint = {2101.00001}" in text
    assert "eventtitle = {Workshop on Things}" in text
    assert "keywords" not in text and "annote" not in text  # only when asked


def test_biblatex_is_utf8_with_dates_and_journaltitle(library, tricky):
    text = export(library, "biblatex")
    assert "Gödel" in text and "date = {2021-03}" in text
    assert "journaltitle = {Journal of Ünusual Results}" in text
    assert "eprinttype = {arxiv}" in text


def test_notes_tags_rating_and_status_only_when_asked(library, tricky):
    text = export(library, "bibtex", with_notes=True)
    assert "keywords = {nlp, to skim}" in text
    assert "Compare with **MAML**." in text and "rating = {4}" in text


def test_pybtex_reads_the_bibtex_without_errors(library, tricky):
    from pybtex import errors
    from pybtex.database import parse_string

    errors.set_strict_mode(True)
    assert len(parse_string(export(library, "bibtex"), "bibtex").entries) == 2


def test_markdown_is_a_readable_document(library, tricky):
    library.create_list("Thesis background")
    library.add_to_list("Thesis background", list(reversed(tricky)))
    scope = ExportScope(list_name="Thesis background")
    text = export(library, "markdown", scope, abstracts=True)
    tokens = MarkdownIt("commonmark").parse(text)
    assert next(t.content for t in tokens if t.type == "inline") == "Thesis background"
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 2
    assert text.index("凯撒") < text.index("Gödel")  # the list's own order
    assert "- [x] **" in text and "- [ ] **" in text
    assert "★★★★☆" in text and "#to-skim" in text and "Compare with **MAML**." in text
    assert "https://doi.org/10.1000/xyz" in text
    assert "\\$x\\_1\\$" in text and "\\#1" in text  # no math, no heading, no emphasis
    assert "#### My take" in text  # a note's heading sits below the document's


def test_markdown_grouped_by_status(library, tricky):
    text = export(library, "markdown", group_by="status")
    assert text.index("## Unread") < text.index("## Read")


def test_csl_json_validates_against_the_schema(library, tricky):
    items = json.loads(export(library, "csl-json"))
    jsonschema.validate(items, SCHEMA)
    first = next(i for i in items if i["title"].startswith("BERT"))
    assert first["author"][0] == {
        "family": "Neumann",
        "given": "John",
        "non-dropping-particle": "von",
    }
    assert first["issued"] == {"date-parts": [[2021, 3]]} and first["page"] == "10-20"


def test_ris_round_trips_through_rispy(library, tricky, tmp_path):
    path = tmp_path / "out.ris"
    path.write_text(export(library, "ris"), encoding="utf-8")
    report = library.import_file(path)
    assert len(report.duplicates) == 2  # the same papers, recognised


def test_obsidian_vault_keeps_what_the_user_wrote(library, tricky, tmp_path):
    vault = tmp_path / "vault"
    library.export("obsidian", folder=vault)
    note = vault / f"{library.get(tricky[0]).key}.md"
    text = note.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["rating"] == 4 and front["tags"] == ["nlp", "to-skim"]
    assert front["citekey"] == library.get(tricky[0]).key
    note.write_text(text + "\nMy own thoughts, [[links]] and all.\n", encoding="utf-8")
    library.rate(tricky[0], 2)
    library.export("obsidian", folder=vault)
    again = note.read_text(encoding="utf-8")
    assert "rating: 2" in again and again.count(MARKER) == 1
    assert again.endswith("My own thoughts, [[links]] and all.\n")


def test_scopes_search_tag_ids_and_conflicts(library, tricky):
    assert export(library, "csl-json", ExportScope(query="gödel")).count('"id"') == 1
    assert export(library, "csl-json", ExportScope(tag="nlp")).count('"id"') == 1
    assert export(library, "csl-json", ExportScope(ids=(tricky[1],))).count('"id"') == 1
    assert export(library, "csl-json").count('"id"') == 2
    with pytest.raises(InvalidValue, match="not several"):
        export(library, "bibtex", ExportScope(tag="nlp", query="x"))


def test_export_command_writes_a_file_or_standard_output(tmp_path, sample_page):
    runner = CliRunner()
    base = ["--library", str(tmp_path / "lib")]
    runner.invoke(cli, [*base, "import", str(sample_page)])
    out = tmp_path / "out.bib"
    result = runner.invoke(cli, [*base, "export", "--format", "bibtex", "-o", str(out)])
    assert result.exit_code == 0 and "wrote 119 papers" in result.stderr
    assert len(bibtexparser.parse_string(out.read_text()).entries) == 119
    assert not list(tmp_path.glob("*.part"))
    shown = runner.invoke(cli, [*base, "export", "--format", "markdown", "--query", "decouple"])
    assert shown.stdout.startswith("# Search: decouple")
    two = runner.invoke(
        cli, [*base, "export", "--format", "csl-json", "--ids", "1,learningdecouple,2"]
    )
    assert [item["id"] for item in json.loads(two.stdout)] == ["learningdecouple", "fastslow"]
    refused = runner.invoke(cli, [*base, "export", "--format", "obsidian"])
    assert refused.exit_code == 2 and "-o DIR" in refused.stderr


def test_the_real_bibtex_accepts_hostile_plain_text(library, tricky, tmp_path):
    from tests.test_round_trip import run_bibtex

    library.add_paper(draft("Thesis of {Unbalanced", abstract="A } here, 50% & more"))
    imported = library.import_text("@article{edited, title = {T}, note = {fine}}", "x.bib")
    library.edit(imported.added[0], extra={"note": "50% & {unbalanced"}, pages="5--9")
    text = export(library, "bibtex", with_notes=True)
    assert "pages = {5--9}" in text and "50\\% \\& \\textbraceleft{}unbalanced" in text
    done = run_bibtex(text, tmp_path)
    assert done.returncode <= 1 and "error message" not in done.stdout, done.stdout


def test_an_edited_date_is_not_contradicted_by_the_imported_one(library):
    report = library.import_text("@article{d1, title = {T}, date = {2020-05-03}}", "x.bib")
    library.edit(report.added[0], year=2021, month=None)
    assert "date = {2021}" in export(library, "biblatex")
    assert "2020-05-03" not in export(library, "biblatex")
    assert "year = {2021}" in export(library, "bibtex")


def test_obsidian_names_never_collide_and_a_removed_marker_is_respected(library, tmp_path):
    for number, key in enumerate(("a/b", "a:b", "con", "Foo")):
        library.add_paper(draft(f"Paper number {number}", key=key))
    vault = tmp_path / "vault"
    assert library.export("obsidian", folder=vault) == 4
    names = sorted(p.name for p in vault.iterdir())
    assert len(names) == 4 and "Foo.md" in names and "con.md" not in names
    mine = vault / "Foo.md"
    mine.write_text("my own note, marker deleted\n", encoding="utf-8")
    assert library.export("obsidian", folder=vault) == 3
    assert mine.read_text(encoding="utf-8") == "my own note, marker deleted\n"


def test_ris_keeps_particles_organisations_isbn_and_one_line_values(library, tmp_path):
    library.add_paper(
        draft(
            "A Book",
            entry_type="book",
            isbn="978-3-16-148410-0",
            authors=[
                AuthorName(family="Eel", given="Egbert", particle="von"),
                AuthorName(literal="Sci-Art Publishers"),
            ],
        )
    )
    library.add_note(1, "line one\nAU  - Injected Author\nTY  - JOUR")
    path = tmp_path / "out.ris"
    path.write_text(export(library, "ris", with_notes=True), encoding="utf-8")
    with open_library(tmp_path / "fresh") as fresh:
        report = fresh.import_file(path)
        (paper,) = fresh.papers()
    assert len(report.added) == 1
    assert paper.authors == (
        AuthorName(family="Eel", given="Egbert", particle="von"),
        AuthorName(literal="Sci-Art Publishers"),
    )
    assert paper.isbn == "978-3-16-148410-0"


def test_markdown_link_targets_and_tag_headings(library):
    library.add_paper(draft("Odd link", url="https://x.org/a)b c", tags=["c++", "C#"]))
    text = export(library, "markdown", group_by="tag")
    assert "(https://x.org/a%29b%20c)" in text
    assert "## c++" in text and "## C\\#" in text


def test_an_empty_selection_exports_nothing(library, tricky):
    assert export(library, "bibtex", ExportScope(ids=())) == ""


def test_csl_json_carries_editors_places_series_and_the_users_note(library):
    library.import_text(
        "@phdthesis{t, title = {A Thesis}, author = {Doe, Jane}, school = {MIT}, year = 2001,"
        " editor = {von Eel, Egbert}, address = {Cambridge, MA}, series = {Theses},"
        " note = {Read in 2024}}",
        "x.bib",
        format="bibtex",
    )
    (item,) = json.loads(export(library, "csl-json"))
    jsonschema.validate([item], SCHEMA)
    assert (item["type"], item["publisher"], item["publisher-place"]) == (
        "thesis",
        "MIT",
        "Cambridge, MA",
    )
    assert item["editor"] == [{"family": "Eel", "given": "Egbert", "non-dropping-particle": "von"}]
    assert (item["collection-title"], item["note"]) == ("Theses", "Read in 2024")
    assert "container-title" not in item


def test_keys_stay_the_same_after_edits(library, tricky):
    key = library.get(tricky[0]).key
    library.edit(
        tricky[0], title="Another title entirely", year=1999, authors=[AuthorName(family="Someone")]
    )
    assert f"@article{{{key}," in export(library, "bibtex")
