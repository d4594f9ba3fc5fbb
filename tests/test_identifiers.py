"""Identifiers, titles, citation keys and names in their normal forms."""

import pytest

from readinglist.domain.citekeys import make_unique, suggest_key
from readinglist.domain.identifiers import (
    find_arxiv_ids,
    normalize_arxiv_id,
    normalize_doi,
    normalize_title,
)
from readinglist.domain.names import parse_name
from readinglist.domain.values import AuthorName


@pytest.mark.parametrize(
    "text",
    ["10.1145/3292500.3330701", "https://doi.org/10.1145/3292500.3330701",
     "doi:10.1145/3292500.3330701", "DOI: 10.1145/3292500.3330701.",
     "http://dx.doi.org/10.1145/3292500.3330701"],
)  # fmt: skip
def test_every_form_of_a_doi_normalises_to_one(text):
    assert normalize_doi(text) == "10.1145/3292500.3330701"


def test_non_dois_are_rejected():
    assert normalize_doi("not a doi") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("arXiv:1706.03762v5", "1706.03762"), ("https://arxiv.org/abs/2501.00001", "2501.00001"),
     ("hep-th/9901001v2", "hep-th/9901001"), ("1706.0376", ""), ("hello", "")],
)  # fmt: skip
def test_arxiv_ids_drop_their_version(text, expected):
    assert normalize_arxiv_id(text) == expected


def test_arxiv_ids_are_found_in_running_text():
    assert find_arxiv_ids("see arXiv:2101.00001 and https://arxiv.org/pdf/2102.00002v3") == [
        "2101.00001",
        "2102.00002",
    ]


def test_titles_normalise_case_accents_and_punctuation():
    assert normalize_title("Über {BERT}: Pre-training, Fast!") == "uber bert pre training fast"


def test_keys_are_readable_and_made_unique():
    key = suggest_key([AuthorName(family="Gödel")], 1931, "On the Undecidable Propositions")
    assert key == "godel1931undecidable"
    assert suggest_key([], None, "Learning to Decouple Complex Systems") == "learningdecouple"
    taken = {"smith2020", "smith2020a"}
    assert make_unique("smith2020", taken.__contains__) == "smith2020b"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Neumann, John von", AuthorName(family="Neumann", given="John von")),
        ("von Neumann, John", AuthorName(family="Neumann", given="John", particle="von")),
        ("John von Neumann", AuthorName(family="Neumann", given="John", particle="von")),
        ("Jean de la Fontaine", AuthorName(family="Fontaine", given="Jean", particle="de la")),
        ("Smith, Jr., John", AuthorName(family="Smith", given="John", suffix="Jr.")),
        ("{Barnes and Noble, Inc.}", AuthorName(literal="Barnes and Noble, Inc.")),
        ("Plato", AuthorName(family="Plato")),
    ],
)
def test_names_typed_by_a_user(text, name):
    assert parse_name(text) == name
