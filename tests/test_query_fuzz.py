"""Whatever a user types into the search bar gives results or a QuerySyntaxError, never a crash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist import open_library
from readinglist.domain.values import LibraryError
from readinglist.search.query import QuerySyntaxError, parse_query
from tests.factories import draft

PIECES = st.sampled_from(
    ["meta", "learning", "Gödel", '"', "(", ")", "-", "*", "~", "~2", ":", "..", ">=", "<",
     "OR", "AND", "NOT", "title:", "author:", "year:", "rating:", "status:", "tag:", "list:",
     "2021", "99999999999", "read", "x", " ", "  ", "é", "ß", "İ", "\t", "‐", "1..2", "v2"]
)  # fmt: skip
QUERIES = st.one_of(st.text(max_size=40), st.lists(PIECES, max_size=12).map("".join))


@given(QUERIES)
@settings(max_examples=400, deadline=None)
def test_the_parser_answers_every_string(query):
    try:
        parse_query(query)
    except QuerySyntaxError as error:
        assert error.position >= 0 and str(error)


@pytest.fixture(scope="module")
def small_library(tmp_path_factory):
    with open_library(tmp_path_factory.mktemp("fuzz") / "lib") as library:
        library.add_paper(draft("Meta-learning for Gödel machines", year=2021, abstract="Read."))
        library.create_list("read")
        yield library


@given(QUERIES)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_searching_answers_every_string(small_library, query):
    try:
        result = small_library.search(query, limit=5)
    except LibraryError:  # syntax errors and unknown lists, each with a message
        return
    assert result.total >= len(result.papers)
