"""Round trip, as a test: import a file, export it, import the export into a fresh library, and
get the same papers back. And every corpus file's export is BibTeX that bibtexparser 2 and
pybtex read without a single error."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from pybtex import errors as pybtex_errors
from pybtex.database import parse_string as pybtex_parse

from readinglist import open_library
from readinglist.domain.latex import latex_to_text
from readinglist.services.exporting import ExportOptions
from tests.conftest import shared_path

CORPUS_FILES = (
    sorted(
        str(p.relative_to(Path(os.environ["READINGLIST_SHARED"]) / "corpora"))
        for p in (Path(os.environ["READINGLIST_SHARED"]) / "corpora").rglob("*")
        if p.is_file() and "expected" not in p.parts and p.suffix in (".bib", ".ris")
    )
    if os.environ.get("READINGLIST_SHARED")
    else ["(shared corpora not available)"]
)
COMPARED = (
    "title",
    "authors",
    "year",
    "venue",
    "doi",
    "arxiv_id",
    "abstract",
    "tags",
    "volume",
    "number",
    "pages",
    "publisher",
    "entry_type",
)

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server


BIBTEX_FIELD = re.compile(r"^[a-z_.+\-@][a-z0-9_.+\-:@]*$")


def fields(paper, extras: bool = True) -> dict:
    """What must survive: the bibliographic fields and, within one format, the entry type and
    the unknown fields (except those BibTeX cannot carry: '0author' is no BibTeX field name).
    Across formats a name is compared as it reads: RIS has no mark for a corporate author."""
    values = {name: getattr(paper, name) for name in COMPARED}
    if not extras:
        # RIS writes 'Family, Given' and has no mark for a corporate name, whose own commas
        # it cannot keep apart: compare each name's words
        values["authors"] = [sorted(a.display.replace(",", " ").split()) for a in paper.authors]
        del values["entry_type"]
    if extras:
        values["extra"] = {
            k: v
            for k, v in paper.extra.items()
            if not isinstance(v, dict)
            and k not in ("year", "month", "date", "ids")
            and (paper.extra.get("_bibtex") is None or BIBTEX_FIELD.match(k))
        }
        if "_bibtex" in paper.extra:  # LaTeX source: 'Montr{\'e}al' and 'Montréal' agree
            values["extra"] = {k: latex_to_text(v) for k, v in values["extra"].items()}
    return values


def exported(library, fmt: str, **options) -> str:
    stream = io.StringIO()
    library.export(fmt, stream, options=ExportOptions(**options))
    return stream.getvalue()


@pytest.fixture
def corpus_library(request, tmp_path):
    relative = request.param
    if relative.startswith("("):
        pytest.skip("READINGLIST_SHARED is not set: the shared corpora are not on this machine")
    library = open_library(tmp_path / "a")
    library.import_file(shared_path(f"corpora/{relative}"))
    if library.count() == 0:
        library.close()
        pytest.skip(f"{relative} holds no papers (a file that must not be read as RIS)")
    yield library
    library.close()


@pytest.mark.parametrize("corpus_library", CORPUS_FILES, indirect=True)
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_exported_bibtex_parses_without_errors(corpus_library, fmt):
    text = exported(corpus_library, fmt)
    parsed = bibtexparser.parse_string(text)
    assert parsed.failed_blocks == []
    assert len(parsed.entries) == corpus_library.count()
    pybtex_errors.set_strict_mode(True)
    assert len(pybtex_parse(text, "bibtex").entries) == corpus_library.count()


@pytest.mark.parametrize("corpus_library", CORPUS_FILES, indirect=True)
@pytest.mark.parametrize(
    ("fmt", "ascii_"), [("bibtex", False), ("bibtex", True), ("biblatex", False), ("ris", None)]
)
def test_import_export_import_gives_the_same_papers(corpus_library, fmt, ascii_, tmp_path):
    source_format = corpus_library.imports()[0].format
    same_format = source_format == ("ris" if fmt == "ris" else "bibtex")
    path = tmp_path / f"export.{fmt}"
    path.write_text(exported(corpus_library, fmt, ascii=ascii_, with_notes=True), "utf-8")
    with open_library(tmp_path / "b") as fresh:
        report = fresh.import_file(path)
        assert report.errors == []
        before = {_identity(p, fmt): fields(p, same_format) for p in corpus_library.papers()}
        after = {_identity(p, fmt): fields(p, same_format) for p in fresh.papers()}
    if not same_format:  # RIS import may find a DOI or arXiv id in a link: more, not less
        for key, values in after.items():
            for name in ("doi", "arxiv_id"):
                if key in before and not before[key][name]:
                    values[name] = ""
    if ascii_:  # LaTeX has no escape for a few look-alikes ('‐' U+2010 is written '-')
        before, after = _ascii_view(before), _ascii_view(after)
    assert after.keys() == before.keys()
    for key, values in before.items():
        assert after[key] == values, key


_LOOKALIKES = str.maketrans({"‐": "-", "‑": "-", "\u00a0": " "})


def _ascii_view(papers: dict) -> dict:
    return {
        str(key).translate(_LOOKALIKES): {
            k: v.translate(_LOOKALIKES) if isinstance(v, str) else v for k, v in values.items()
        }
        for key, values in papers.items()
    }


def _identity(paper, fmt: str):
    """BibTeX carries the citation key; RIS carries its own record ID, so match by content."""
    if fmt != "ris":
        return paper.key
    names = tuple(tuple(sorted(a.display.replace(",", " ").split())) for a in paper.authors)
    return (
        paper.title,
        paper.year,
        paper.abstract[:80],
        names,
        paper.venue,
        paper.volume,
        paper.number,
        paper.pages,
    )


def test_the_sample_page_round_trips_through_every_format(library, sample_page, tmp_path):
    library.import_file(sample_page)
    library.tag([1, 2], add=["meta learning"])
    before = {p.title: (p.abstract, p.tags) for p in library.papers()}
    for fmt, name in (
        ("bibtex", "x.bib"),
        ("biblatex", "x.bib"),
        ("csl-json", "x.json"),
        ("ris", "x.ris"),
    ):
        path = tmp_path / f"{fmt}-{name}"
        path.write_text(exported(library, fmt, with_notes=True), encoding="utf-8")
        with open_library(tmp_path / fmt) as fresh:
            report = fresh.import_file(path)
            assert (len(report.added), report.errors) == (119, []), fmt
            after = {p.title: (p.abstract, p.tags) for p in fresh.papers()}
        assert after == before, fmt


def run_bibtex(text: str, folder: Path) -> subprocess.CompletedProcess:
    """The real bibtex, with the plain style, over every entry of ``text``."""
    (folder / "refs.bib").write_text(text, encoding="utf-8")
    (folder / "doc.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{plain}\n")
    return subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True)


@pytest.mark.parametrize("corpus_library", CORPUS_FILES, indirect=True)
def test_the_real_bibtex_reads_every_export_without_errors(corpus_library, tmp_path):
    done = run_bibtex(exported(corpus_library, "bibtex"), tmp_path)
    # exit 1 is warnings only (a style's missing field); 2 and above are errors
    assert done.returncode <= 1, done.stdout[-2000:]
    assert "error message" not in done.stdout
