"""Whatever file a user is handed, every importer answers: the papers it could read, and each
thing it could not read as a problem with a message and a line inside the file. Bytes that are
no text at all are refused with a typed error and a message. Never a traceback."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readinglist import open_library
from readinglist.domain.drafts import PaperDraft, ParseResult
from readinglist.domain.values import LibraryError
from readinglist.importers.registry import FORMATS, parse_data, parse_text, parser
from tests.hostile_inputs import ANY_BYTES, ANY_TEXT, DOCUMENTS

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOURCE = "handed-to-me.txt"


def check_answer(result: ParseResult, text: str | None) -> None:
    """Entries are drafts; every problem names the file, says something, and (for text we
    can count) points at a line the file has."""
    assert isinstance(result, ParseResult)
    last_line = len(text.splitlines()) + 1 if text is not None else None
    for problem in result.problems:
        assert problem.source == SOURCE
        assert problem.message.strip()
        assert problem.severity in ("error", "warning")
        if problem.line is not None and last_line is not None:
            assert 1 <= problem.line <= last_line, problem
    for entry in result.entries:
        assert isinstance(entry, PaperDraft)
        assert all(isinstance(getattr(entry, f), str) for f in ("title", "abstract", "key"))
        assert entry.year is None or isinstance(entry.year, int)
        assert isinstance(entry.extra, dict)


def answers(text: str, format: str | None) -> None:
    try:
        result = parse_text(text, SOURCE, format)
    except LibraryError as error:  # binary data: refused, with the file named
        assert SOURCE in str(error)
        return
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    check_answer(result, normalised)


CROSSREF_CHAIN = "".join(f"@misc{{k{i}, crossref={{k{i + 1}}}}}\n" for i in range(1_000))
DEEP_JSON = '[{"title": "Deep", "note": ' + "[" * 990 + "]" * 990 + "}]"


# Each example below once crashed its importer (found by these tests, or while writing them).
@FUZZ
@given(st.one_of(DOCUMENTS["bibtex"], ANY_TEXT))
@example("@string{s1 = {}}\n@string{s1 = {}}")  # a string defined twice: AttributeError
@example("@article{k, month = {²}}")  # '²'.isdigit(), but int('²') is a ValueError
@example("@article{k, rating = {²}}")
@example("@article{k, rating = {" + "1" * 5_000 + "}}")  # int() refuses 4,300+ digits
@example(CROSSREF_CHAIN + "@misc{k1000, title={End}}")  # RecursionError
def test_bibtex_answers_any_text(text):
    answers(text, "bibtex")


@FUZZ
@given(st.one_of(DOCUMENTS["ris"], ANY_TEXT))
def test_ris_answers_any_text(text):
    answers(text, "ris")


@FUZZ
@given(st.one_of(DOCUMENTS["wos"], ANY_TEXT))
@example("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nPY ²\nER\nEF\n")
def test_web_of_science_answers_any_text(text):
    answers(text, "wos")


@FUZZ
@given(st.one_of(DOCUMENTS["csl-json"], ANY_TEXT))
@example('[{"itemType": []}]')  # TypeError: unhashable type: 'list'
@example('[{"title": ' + "1" * 5_000 + "}]")  # ValueError: over 4,300 digits
@example('{"title": ' + "1" * 5_000 + "}")
@example('[{"issued": {"date-parts": [[1e999]]}}]')  # OverflowError: int(inf)
@example('{"a": ' * 2_000 + "1" + "}" * 2_000)  # RecursionError in json
@example('[{"title": ' + "[" * 2_000 + "]" * 2_000 + "}]")
def test_csl_json_answers_any_text(text):
    answers(text, "csl-json")


@FUZZ
@given(st.one_of(DOCUMENTS["text"], ANY_TEXT))
def test_pasted_text_answers_any_text(text):
    answers(text, "text")


@FUZZ
@given(ANY_TEXT)
def test_format_detection_answers_any_text(text):
    answers(text, None)


@FUZZ
@given(ANY_BYTES, st.sampled_from([None, *FORMATS]))
def test_any_bytes_are_read_or_refused_with_a_message(data, format):
    try:
        result = parse_data(data, SOURCE, format)
    except LibraryError as error:
        assert SOURCE in str(error)
        return
    check_answer(result, None)


def test_every_format_is_fuzzed():
    assert set(DOCUMENTS) == set(FORMATS)
    assert all(parser(name) is not None for name in FORMATS)


@pytest.fixture(scope="module")
def fuzzed_library(tmp_path_factory):
    """One library for every example. Its index is brought up to date once, at the end:
    Hypothesis seeds Python's random numbers alike for each example, and Whoosh names its
    segment files with them, so indexing inside each example would reuse a segment's name."""
    with open_library(tmp_path_factory.mktemp("hostile") / "library") as library:
        library.index_after_write = False
        yield library
        assert library.update_index()
        assert library.check().healthy


@given(st.one_of(ANY_BYTES, *(d.map(str.encode) for d in DOCUMENTS.values())))
@example(DEEP_JSON.encode())  # read, then a RecursionError when stored
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_library_imports_any_bytes_and_accounts_for_every_entry(fuzzed_library, data):
    try:
        parsed = parse_data(data, SOURCE)
    except LibraryError:
        with pytest.raises(LibraryError):
            fuzzed_library.import_bytes(data, SOURCE)
        return
    report = fuzzed_library.import_bytes(data, SOURCE)
    assert len(report.added) + len(report.duplicates) == len(parsed.entries)
    assert all(problem.message.strip() for problem in report.problems)
