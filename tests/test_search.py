"""Searching a real Whoosh index through the library service."""

import pytest

from readinglist.domain.values import ListNotFound
from readinglist.search.index import SearchDoc
from readinglist.search.query import QuerySyntaxError, parse_query
from readinglist.search.whoosh_index import WhooshIndex
from tests.factories import draft


def titles(result):
    return [p.title for p in result.papers]


def test_accents_do_not_matter_either_way(library, three_papers):
    assert titles(library.search("godel")) == ["On Formally Undecidable Propositions"]
    assert titles(library.search("author:GÖDEL")) == ["On Formally Undecidable Propositions"]
    assert library.search("fur").total == 1  # venue "für"


def test_stemming_matches_other_forms_of_a_word(library, three_papers):
    assert titles(library.search("decoupled")) == ["On Formally Undecidable Propositions"]
    assert library.search("proposing").total == 2


def test_all_free_words_must_match(library, three_papers):
    assert titles(library.search("propose attention")) == ["Attention Is All You Need"]
    assert library.search("attention incompleteness").total == 0


def test_hyphenated_words_match_as_a_phrase(library, three_papers):
    assert library.search("meta-learning").total == 1
    assert library.search('"learning meta"').total == 0


def test_or_not_prefix_and_fuzzy(library, three_papers):
    assert library.search("transformer OR incompleteness").total == 2
    assert titles(library.search("propose -attention")) == [
        "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks"
    ]
    assert library.search("NOT propose").total == 1
    assert titles(library.search("transf*")) == ["Attention Is All You Need"]
    assert titles(library.search("atention~")) == ["Attention Is All You Need"]


def test_fields_year_ranges_rating_status(library, three_papers):
    _, attention, maml = three_papers
    library.rate(attention, 5)
    library.rate(maml, 3)
    library.set_status(maml, "read")
    assert library.search("year:2017").total == 2
    assert titles(library.search("year:1900..1950")) == ["On Formally Undecidable Propositions"]
    assert titles(library.search("rating:>=4")) == ["Attention Is All You Need"]
    assert library.search("rating:>=3").total == 2
    assert [p.id for p in library.search("status:read").papers] == [maml]
    assert library.search("title:attention").total == 1
    assert library.search("abstract:transformer").total == 1
    assert library.search("venue:icml").total == 1


def test_tags_notes_and_lists_are_searchable(library, three_papers):
    godel, attention, maml = three_papers
    library.tag([godel, maml], add=["Logic & Proofs", "to-skim"])
    library.add_note(attention, "Compare with **MAML**; positional encodings look odd.")
    library.create_list("Thesis background")
    library.add_to_list("Thesis background", [godel, attention])
    assert library.search("tag:to-skim").total == 2
    assert library.search('tag:"logic & proofs"').total == 2
    assert library.search("skim").total == 2  # free words reach tags too
    assert [p.id for p in library.search("note:positional").papers] == [attention]
    assert [p.id for p in library.search("encodings").papers] == [attention]
    found = library.search('list:"thesis background" year:2017')
    assert [p.id for p in found.papers] == [attention]


def test_identifiers_are_found_as_typed(library, three_papers):
    assert titles(library.search("1706.03762")) == ["Attention Is All You Need"]
    assert library.search("doi:10.5555/3305381.3305498").total == 1


def test_title_matches_rank_above_abstract_matches(library, three_papers):
    library.add_paper(
        draft("A survey of sequence models", abstract="Attention attention everywhere.")
    )
    assert titles(library.search("attention"))[0] == "Attention Is All You Need"


def test_trashed_papers_leave_search_and_come_back(library, three_papers):
    godel = three_papers[0]
    library.trash(godel)
    assert library.search("godel").total == 0
    library.restore(godel)
    assert library.search("godel").total == 1


def test_edits_reach_the_index(library, three_papers):
    library.edit(three_papers[1], title="Attention Really Is Enough")
    assert library.search("enough").total == 1
    assert library.search("need").total == 0


def test_query_mistakes_and_unknown_lists_are_errors_with_a_message(library, three_papers):
    with pytest.raises(QuerySyntaxError, match="missing closing quote"):
        library.search('"attention')
    with pytest.raises(ListNotFound, match="no reading list named 'Nope'"):
        library.search('list:"Nope"')


def test_limit_and_offset_page_through_ranked_results(library, three_papers):
    everything = library.search("", limit=None)
    assert everything.total == 3
    first = library.search("", limit=2)
    rest = library.search("", limit=2, offset=2)
    assert len(first.papers) == 2 and len(rest.papers) == 1
    assert {p.id for p in first.papers + rest.papers} == set(three_papers)


def test_the_total_counts_every_match_not_only_those_that_could_rank(tmp_path):
    """A first page skips what cannot reach it; its total still counts every match, across
    segments, with replaced and deleted documents among them. (Whoosh's own count of a page
    could miss most of them: 'year:>=2007 memories' said 1,525 of 20,706 at 100,000 papers.)"""
    index = WhooshIndex(tmp_path / "index")
    words = ["deep learning", "learning", "shallow learning of graphs", "graphs"]
    index.update(
        [
            SearchDoc(
                id=i,
                version=1,
                title=words[i % 4] + " word" * (i % 5),
                abstract="a long abstract " * (i % 3) + words[(i + 1) % 4],
                year=2000 + i % 20,
                rating=i % 6,
            )
            for i in range(300)
        ]
    )
    index.update([SearchDoc(id=i, version=2, title="other", year=2001) for i in range(0, 300, 3)])
    index.update([], removed=range(1, 300, 7))
    counts = {}
    for query in [
        "learning",
        "learning graphs",
        "learning OR other",
        "year:2005..2010 learning",
        "rating:>=2 learning",
        "-learning",
        "learning -deep",
        "learn* OR graph*",
        '"deep learning"',
        "title:learning abstract:graphs",
    ]:
        everything = index.search(parse_query(query), limit=None)
        for limit in (3, 1000):  # a page shorter than its limit holds every match
            assert index.search(parse_query(query), limit=limit).total == len(everything.ids)
        counts[query] = len(everything.ids)
    index.close()
    # 300 papers, 43 deleted; of the 100 replaced by "other", 86 are left; the rest all learn
    assert (counts["learning"], counts["-learning"], counts["learning OR other"]) == (171, 86, 257)
