"""The fixes to Whoosh's pruning (search/whoosh_fixes.py), each on the smallest case that
showed its flaw: matchers over lists of documents with chosen scores, in stretches (blocks)
of 128, as a first page of results meets them."""

from __future__ import annotations

import random
import signal

from whoosh.matching import ListMatcher
from whoosh.matching.binary import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    UnionMatcher,
)

import readinglist.search.whoosh_fixes  # noqa: F401  (the fixes apply on import)
from readinglist.search.whoosh_postings import ScoredList


def _rest(matcher) -> dict[int, float]:
    """Every document the matcher still yields, with its score."""
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


def test_and_maybe_scores_its_optional_part_where_the_required_part_lands():
    required = ListMatcher([1, 5, 9], all_weights=1.0)
    optional = ListMatcher([4, 5], all_weights=2.0)
    matcher = AndMaybeMatcher(required, optional)
    matcher.skip_to(4)  # required has no 4: it lands on 5, which the optional part holds
    assert (matcher.id(), matcher.score()) == (5, 3.0)


def test_an_and_keeps_a_stretch_that_a_later_stretch_of_the_other_side_lifts():
    """Paper 200 scores 1 + 9: its stretch of the first word (best 1) was skipped because the
    second word's current stretch (best 2) could not lift it past 3.5."""
    first = ScoredList([*range(128), 200], [1.0] * 129)
    second = ScoredList(
        list(range(256)), [2.0] * 128 + [9.0 if d == 200 else 0.5 for d in range(128, 256)]
    )
    matcher = IntersectionMatcher(first, second)
    matcher.skip_to_quality(3.5)
    assert _rest(matcher).get(200) == 10.0


def test_and_maybe_keeps_a_stretch_that_its_optional_part_lifts_later():
    """Past the page's first two papers (10 and 11), paper 256 scores 5 + 7: Whoosh skipped
    to its stretch but left the optional part behind, and scored it 5."""
    required = ScoredList(list(range(300)), [10.0, 11.0] + [1.0] * 254 + [5.0] * 44)
    optional = ScoredList([150, 256], [0.5, 7.0])
    matcher = AndMaybeMatcher(required, optional)
    matcher.skip_to(128)  # where the page's search has got to
    matcher.skip_to_quality(11.0)
    assert _rest(matcher).get(256) == 12.0


def test_an_or_of_two_words_stops_when_rounding_leaves_nothing_to_skip():
    """aq + bq <= m held while bq > m - aq: Whoosh's loop asked the second word to skip to
    m - aq forever ('title:drequount OR abstract:drequount' never returned)."""
    aq, bq, m = 11.662340619296225, 11.308848379075442, 22.971188998371666
    assert aq + bq <= m and bq > m - aq
    matcher = UnionMatcher(ScoredList([1], [aq]), ScoredList([2], [bq]))

    def stop(*_):
        raise TimeoutError("skip_to_quality loops forever")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(5)
    try:
        matcher.skip_to_quality(m)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert matcher.is_active()  # nothing could be skipped: both papers are still there


def test_and_not_that_skips_past_its_last_paper_has_ended():
    wanted = ScoredList([1, 2, 3], [1.0, 1.0, 1.0])
    matcher = AndNotMatcher(wanted, ListMatcher([2], all_weights=1.0))
    matcher.skip_to_quality(5.0)  # nothing can reach 5: every stretch is skipped
    assert not matcher.is_active()


_SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ro", "si", "tu", "va", "zo"]


def _word(i: int, j: int) -> str:
    return f"x{_SYLLABLES[i % 10]}{_SYLLABLES[i // 10 % 10]}{_SYLLABLES[j]}q"


def _crafted_bibtex(papers: int, pairs: int, seed: int) -> str:
    """Papers whose scores for a word change from one stretch of papers to the next (the
    generated benchmark abstracts are too even to show the flaws): nonsense two-word phrases,
    repeated at a rate that differs by stretch."""
    rng = random.Random(seed)
    texts: list[list[str]] = [[] for _ in range(papers)]
    for i in range(pairs):
        for part in range(2):
            phrase = f"{_word(i, 2 * part)} {_word(i, 2 * part + 1)}"
            share, stretch = rng.choice([0.3, 0.5, 0.9, 1.0]), rng.choice([64, 128, 200])
            strength = [rng.choice([1, 1, 2, 4, 8]) for _ in range(papers // stretch + 1)]
            for n in range(papers):
                if rng.random() < share:
                    times = max(1, int(strength[n // stretch] * rng.uniform(0.5, 1.5)))
                    texts[n].extend([phrase] * times)
    entries = []
    for n, text in enumerate(texts):
        text.extend(["filler"] * rng.randint(0, 30))
        rng.shuffle(text)
        entries.append(
            f"@article{{k{n},\n title={{Paper {n}}},\n author={{Doe, Jane}},\n"
            f" year={{{2000 + n % 20}}},\n journal={{J}},\n abstract={{{' '.join(text)}}}\n}}\n"
        )
    return "".join(entries)


def test_pages_of_crafted_scores_are_the_top_of_the_full_ranking(tmp_path):
    from readinglist import open_library

    path = tmp_path / "crafted.bib"
    path.write_text(_crafted_bibtex(600, 10, seed=1), encoding="utf-8")
    queries = []
    for i in range(10):
        first, second = f'"{_word(i, 0)} {_word(i, 1)}"', f'"{_word(i, 2)} {_word(i, 3)}"'
        queries += [
            f"abstract:{first} abstract:{second}",
            f"abstract:{first} OR abstract:{second}",
            f"abstract:{first} abstract:{_word(i, 2)}",
            f"abstract:{first} OR abstract:{_word(i, 2)}",
            f"{first} {second}",
            f"{first} OR {second}",
        ]
    wrong = []
    with open_library(tmp_path / "library") as library:
        library.import_file(path)
        for text in queries:
            ranked = library.search_ids(text)
            for limit in (1, 3, 10):
                page = library.index.search(library.parse_query(text), limit=limit)
                if page.ids != ranked[:limit]:
                    wrong.append((text, limit))
    assert wrong == []


def test_a_first_page_never_shows_a_removed_paper(tmp_path):
    """Paper 228 leaves the index; it was the first of its stretch of 128 postings, and the
    wrapper that hides removed documents skipped to that stretch without looking."""
    from readinglist.search.index import SearchDoc
    from readinglist.search.query import parse_query
    from readinglist.search.whoosh_index import WhooshIndex

    index = WhooshIndex(tmp_path / "index")
    index.update([SearchDoc(id=i, version=1, title="alpha beta gamma") for i in range(1, 5)])
    index.update([SearchDoc(id=5, version=1, title="alpha")])
    padded = "alpha" + " filler" * 8
    index.update(
        [SearchDoc(id=i, version=1, title=padded if i < 228 else "alpha") for i in range(100, 400)]
    )
    index.update([], removed=[228])
    everything = index.search(parse_query("title:alpha"), limit=None)
    assert 228 not in everything.ids
    for limit in (2, 4):
        page = index.search(parse_query("title:alpha"), limit=limit)
        assert page.ids == everything.ids[:limit]
    index.close()


def test_a_not_inside_a_group_ranks_and_pages(tmp_path):
    from readinglist.search.index import SearchDoc
    from readinglist.search.query import parse_query
    from readinglist.search.whoosh_index import WhooshIndex

    index = WhooshIndex(tmp_path / "index")
    index.update(
        [
            SearchDoc(id=1, version=1, title="alpha", rating=5, year=2000),
            SearchDoc(id=2, version=1, title="alpha", rating=1, year=2020),
            SearchDoc(id=3, version=1, title="alpha", rating=1, year=2021),
        ]
    )
    for text in ("alpha (rating:>=4 -year:>=2018)", "year:>=1999 (rating:>=4 -year:>=2018)"):
        assert index.search(parse_query(text), limit=None).ids == [1]
        assert index.search(parse_query(text), limit=1).ids == [1]
    index.close()
