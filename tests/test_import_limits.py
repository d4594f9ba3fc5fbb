"""A hostile or broken file ends in a message, fast: a file over 200 MB is refused unread, a
field of 50 MB refuses its entry (the others are imported), and nesting, runaway @string
expansion and patterns that make regular expressions backtrack all finish in moments."""

import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli.main import cli
from readinglist.domain.values import FileTooLarge, LibraryError
from readinglist.importers.bibtex_values import MAX_EXPANSION
from readinglist.importers.limits import MAX_FIELD_CHARS, MAX_FILE_BYTES
from readinglist.importers.registry import parse_data, parse_file, parse_text

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

HUGE = "<HUGE>"  # where a test puts 50 MB: built when it runs, not when tests are collected
FINE = "@article{before, title={Read before}}\n"
ALSO_FINE = "@article{after, title={Read after}}\n"


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk and no time to make."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_file_over_200_mb_is_refused_before_it_is_read(tmp_path):
    huge = sparse_file(tmp_path / "everything.bib", MAX_FILE_BYTES + 1)
    tracemalloc.start()
    try:
        with pytest.raises(FileTooLarge) as refused:
            parse_file(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert str(huge) in message
    assert "200,000,001 bytes" in message and "200 MB limit" in message
    assert peak < 10_000_000  # reading it would have taken 200 MB


def test_the_command_line_names_the_file_that_is_too_large(tmp_path):
    huge = sparse_file(tmp_path / "everything.ris", MAX_FILE_BYTES + 1)
    result = CliRunner().invoke(cli, ["--library", str(tmp_path / "lib"), "import", str(huge)])
    assert result.exit_code == 1
    assert "everything.ris" in result.stderr and "200 MB limit" in result.stderr


def test_the_import_preview_reports_a_file_too_large_and_reads_the_others(library, tmp_path):
    huge = sparse_file(tmp_path / "huge.bib", MAX_FILE_BYTES + 1)
    small = tmp_path / "small.bib"
    small.write_text(FINE, encoding="utf-8")
    preview = library.preview_files([huge, small])
    assert [c.draft.key for c in preview.candidates] == ["before"]
    assert any("huge.bib" in p.source and "200 MB limit" in p.message for p in preview.problems)


def test_bytes_over_the_limit_are_refused(library):
    too_many = bytes(MAX_FILE_BYTES + 1)  # zeros: the pages are never touched
    with pytest.raises(FileTooLarge, match=r"dropped\.bib: 200,000,001 bytes"):
        parse_data(too_many, "dropped.bib")
    with pytest.raises(LibraryError, match="200 MB limit"):
        library.import_bytes(too_many, "<stdin>")
    assert library.stats()["papers"] == 0


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a file with no size")
def test_a_file_with_no_size_is_read_no_further_than_the_limit():
    with pytest.raises(FileTooLarge, match="it was read no further"):
        parse_file(Path("/dev/zero"))


def with_50_mb(template: str) -> str:
    return template.replace(HUGE, "word " * 10_000_000)


BIBTEX_WITH_A_50_MB_ABSTRACT = FINE + "@article{huge, abstract={" + HUGE + "}}\n" + ALSO_FINE
ABSTRACT = "We read it. " * 30  # long enough to be taken for an abstract
FIELD_OF_50_MB = {  # BibTeX: through a whole import, below
    "ris": (
        "TY  - JOUR\nTI  - Read before\nER  - \n"
        f"TY  - JOUR\nTI  - Huge\nAB  - {HUGE}\nER  - \n"
        "TY  - JOUR\nTI  - Read after\nER  - \n",
        "AB",
        6,
    ),
    "wos": (
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI Read before\nER\n"
        f"PT J\nTI Huge\nAB {HUGE}\nER\nPT J\nTI Read after\nER\nEF\n",
        "AB",
        8,
    ),
    "csl-json": (
        '[{"title": "Read before"},\n'
        f'{{"title": "Huge", "abstract": "{HUGE}"}},\n'
        '{"title": "Read after"}]',
        "abstract",
        2,
    ),
    "text": (f"Read before\n{ABSTRACT}\n\nHuge\n{HUGE}\n\nRead after\n{ABSTRACT}\n", "line", 5),
}


@pytest.mark.parametrize("format", FIELD_OF_50_MB)
def test_a_50_mb_field_refuses_its_entry_and_the_others_are_read(format):
    template, field, line = FIELD_OF_50_MB[format]
    result = parse_text(with_50_mb(template), "huge-field", format)
    assert [e.title for e in result.entries] == ["Read before", "Read after"]
    (error,) = result.errors
    assert (error.source, error.line) == ("huge-field", line)
    assert repr(field) in error.message or f"this {field}" in error.message
    assert "50,000,0" in error.message and f"{MAX_FIELD_CHARS:,}" in error.message


def test_a_library_imports_the_others_of_a_file_with_a_50_mb_field(library, tmp_path):
    path = tmp_path / "with-a-huge-abstract.bib"
    path.write_text(with_50_mb(BIBTEX_WITH_A_50_MB_ABSTRACT), encoding="utf-8")
    report = library.import_file(path)
    assert len(report.added) == 2
    (error,) = report.errors
    assert "huge" in error.message and "'abstract'" in error.message and error.line == 2


def test_a_field_just_under_the_limit_is_imported_whole():
    abstract = "a" * (MAX_FIELD_CHARS - 10)
    result = parse_text("@article{long, abstract={" + abstract + "}}\n", "long.bib")
    assert [len(e.abstract) for e in result.entries] == [len(abstract)]
    assert not result.errors


def test_deeply_nested_braces_are_read_or_reported():
    deep = "{" * 100_000 + "x" + "}" * 100_000
    result = parse_text(FINE + "@article{deep, title={" + deep + "}}\n" + ALSO_FINE, "deep.bib")
    assert [e.title for e in result.entries] == ["Read before", "x", "Read after"]
    unclosed = FINE + "@article{deep, title={" + "{" * 100_000 + "\n"
    result = parse_text(unclosed, "unclosed.bib")
    assert [e.key for e in result.entries] == ["before"]
    assert [p.line for p in result.errors] == [2]


def test_latex_nested_deeper_than_python_recursion_is_read_as_text():
    nested = "\\textbf{" * 5_000 + "x" + "}" * 5_000
    result = parse_text(FINE + "@article{deep, title={" + nested + "}}\n", "nested.bib")
    assert [e.key for e in result.entries] == ["before", "deep"]
    assert "x" in result.entries[1].title


def test_billion_laughs_refuses_the_entry_that_asks_for_them():
    doubling = "".join(f"@string{{a{i} = a{i - 1} # a{i - 1}}}\n" for i in range(1, 31))
    text = '@string{a0 = "lol"}\n' + doubling + "@article{laughs, title = a30}\n" + ALSO_FINE
    result = parse_text(text, "laughs.bib")
    assert [e.key for e in result.entries] == ["after"]
    (error,) = result.errors
    assert error.line == 32 and "'title'" in error.message and "'a30'" in error.message


def test_a_file_cannot_copy_a_large_string_without_end():
    """Each copy of a 786 KB @string is under the field limit; together they stop at the
    file's expansion budget, and the entries past it are refused, each with a message."""
    doubling = "".join(f"@string{{a{i} = a{i - 1} # a{i - 1}}}\n" for i in range(1, 19))
    copies = "".join(f'@misc{{copy{i}, title = a18 # "{i}"}}\n' for i in range(200))
    result = parse_text('@string{a0 = "lol"}\n' + doubling + copies, "copies.bib")
    expanded = sum(len(e.title) for e in result.entries)
    assert expanded <= MAX_EXPANSION
    assert len(result.entries) + len(result.errors) == 200
    assert all("expanded to 100,000,000 characters" in p.message for p in result.errors)


def test_a_long_crossref_chain_is_followed_without_recursion():
    chain = "".join(f"@inbook{{k{i}, crossref={{k{i + 1}}}}}\n" for i in range(5_000))
    result = parse_text(chain + "@book{k5000, title={End}, publisher={P}}\n", "chain.bib")
    assert len(result.entries) == 5_001
    assert result.entries[0].publisher == "P" and not result.errors


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '[{"title": "Read before"}, {"title": ' + "[" * 100_000 + "]" * 100_000 + "}]",
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        '[{"title": "Read before"}, {"note": ' + "[" * 40 + "]" * 40 + "}]",
        '[{"title": "Read before"}, {"title": ' + "1" * 5_000 + "}]",
    ],
    ids=["lists", "in-an-item", "objects", "40-deep", "5000-digits"],
)
def test_deep_or_unreadable_json_is_an_error_not_a_crash(text):
    result = parse_text(text, "deep.json", "csl-json")
    assert [e.title for e in result.entries] == (["Read before"] if "Read" in text else [])
    assert len(result.errors) == 1


N = 200_000
# Each input makes some regular expression (or loop) of the importers scan the same text
# again and again if it can: the quadratic versions took minutes on these, the fixed ones
# take well under a second. The bound leaves room for a slow machine.
BACKTRACKING = {
    "blank lines before '@' (registry)": (None, "x" + "\n" * N + "y"),
    "' \\n' lines (registry, in RIS)": ("ris", " \n" * N + "y"),
    "'a-a-' after an arXiv id": ("text", "arXiv:2501.00001 " + "a-" * (N // 2) + "\nTitle: x\n"),
    "'[[[' after an arXiv id": ("text", "arXiv:2501.00001 " + "[" * N + "\nTitle: x\n"),
    "spaces in an arXiv title": ("text", "arXiv:2501.00001\nTitle: x" + " " * N + "y\n"),
    "spaces between arXiv authors": ("text", "arXiv:2501.00001\nAuthors: A" + " " * N + "B\n"),
    "spaces in a CSL author": ("csl-json", '[{"title": "x", "author": "A' + " " * N + 'B"}]'),
    "'<b ' in a CSL title": ("csl-json", '[{"title": "' + "<b " * (N // 2) + '"}]'),
    "a URL ending in ')))'": ("text", "A title\nAn abstract http://x" + ")" * N + " end\n"),
    "'a' * n + '!'": (None, "a" * N + "!"),
    "dashes": (None, "-" * N),
    "spaces": (None, " " * N + "x"),
    "'@' * n": ("bibtex", "@" * N),
    "'%' lines": ("bibtex", "%\n" * (N // 2) + FINE),
    "extended names 'a=,a=b'": ("bibtex", "@article{k, author={a=" + ",a=b" * (N // 4) + ",}}"),
    "RIS initials": ("ris", "TY  - JOUR\nAU  - Smith " + "A. " * (N // 3) + "\nER  - \n"),
    "DOI-like runs": ("text", "A title\nAn abstract " + "10.1234/" * (N // 8) + "\n"),
    "arXiv-like runs": ("text", "A title\nAn abstract arxiv:" + "a." * (N // 2) + "\n"),
    "a megabyte of accents": ("bibtex", "@article{k, title={" + "\\'" * 499_000 + "}}"),
}


@pytest.mark.parametrize("case", BACKTRACKING)
def test_patterns_that_make_regular_expressions_backtrack_finish_fast(case):
    format, text = BACKTRACKING[case]
    started = time.perf_counter()
    result = parse_text(text, "backtrack.txt", format)
    assert time.perf_counter() - started < 10, f"{case} took a quadratic path"
    assert result.entries or result.problems
