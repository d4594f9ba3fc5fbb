"""The query language: what a user types, and the message they get when it is wrong."""

import pytest

from readinglist.search.query import (
    And,
    Exact,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    Prefix,
    QuerySyntaxError,
    Range,
    Word,
    parse_query,
)


def test_free_words_must_all_match():
    assert parse_query("meta learning") == And((Word(None, "meta"), Word(None, "learning")))


def test_empty_query_matches_everything():
    assert parse_query("   ") == MatchAll()


def test_phrases_or_not_and_minus():
    assert parse_query('"exact phrase" OR foo -bar NOT baz') == Or(
        (
            Phrase(None, "exact phrase"),
            And((Word(None, "foo"), Not(Word(None, "bar")), Not(Word(None, "baz")))),
        )
    )


def test_prefix_and_fuzzy():
    assert parse_query("trans* transfomer~ grdient~2") == And(
        (Prefix(None, "trans"), Fuzzy(None, "transfomer", 1), Fuzzy(None, "grdient", 2))
    )


def test_fields_and_groups():
    query = 'title:(graph OR tree) author:Gödel tag:rl note:maml venue:"Neural Information"'
    assert parse_query(query) == And(
        (
            Or((Word("title", "graph"), Word("title", "tree"))),
            Word("authors", "Gödel"),
            Exact("tags", "rl"),
            Word("notes", "maml"),
            Phrase("venue", "Neural Information"),
        )
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year:2021", Range("year", 2021, 2021)),
        ("year:2018..2021", Range("year", 2018, 2021)),
        ("year:2018..", Range("year", 2018, None)),
        ("year:<2000", Range("year", None, 1999)),
        ("rating:>=4", Range("rating", 4, None)),
        ("rating:>3", Range("rating", 4, None)),
        ("status:read", Exact("status", "read")),
        ("status:to-read", Exact("status", "to-read")),
        ('list:"Thesis background"', Exact("lists", "Thesis background")),
    ],
)
def test_structured_fields(text, expected):
    assert parse_query(text) == expected


def test_a_colon_followed_by_a_space_is_just_punctuation():
    assert parse_query("BERT: pre-training") == And(
        (Word(None, "BERT:"), Word(None, "pre-training"))
    )


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("(graph tree", 'missing ")"', 1),
        ("graph)", 'unexpected ")"', 6),
        ('"open phrase', "missing closing quote", 1),
        ("titel:graph", "did you mean title:?", 1),
        ("rating:9", "ratings go from 0 to 5", 8),
        ("status:done", "unknown reading status", 8),
        ("year:soon", "year: takes a number", 6),
        ("year:2021..2018", "empty range", 6),
        ("OR graph", "OR needs a term before it", 1),
        ("graph OR", "OR needs a term after it", 7),
        ("graph NOT", "NOT needs a term after it", 7),
        ("title:", "title: needs a value", 7),
        ("x~7", "fuzzy distance", 1),
        ("()", "empty group", 2),
    ],
)
def test_mistakes_get_a_message_with_the_column(text, message, column):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    assert f"column {column})" in str(caught.value)
