"""Phrases matched from each segment's postings in one pass per word.

Whoosh checks a phrase one candidate paper at a time through a tree of span matchers that makes
a Python object per word position: '"central problem"' took 1.9 s at 100,000 papers, and a
first page with its count ran it twice. Here each word's postings are read block by block,
once; the papers holding every word are found as a set intersection, their positions compared
as sets, and the result kept with the query for the rest of the search (the count reuses it).
The papers found and their scores are Whoosh's own: the same span rule (each word at the
position after the one before), the sum of each word's score in the same order.
"""

from __future__ import annotations

from itertools import accumulate
from pickle import loads

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh import matching
from whoosh import query as wq
from whoosh.scoring import BM25FScorer, bm25
from whoosh.system import _INT_SIZE

from readinglist.search.whoosh_postings import ScoredList, block_weights, blocks, raw_postings


class PhraseQuery(wq.Phrase):
    """An exact phrase (``slop`` 1) of a field; other slops are left to Whoosh."""

    def __init__(
        self, fieldname: str, words: list[str], slop: int = 1, boost: float = 1.0, **options
    ) -> None:
        super().__init__(fieldname, words, slop=slop, boost=boost, **options)
        self._found: dict[object, tuple[list[int], list[float]] | None] = {}

    def matcher(self, searcher, context=None):
        if self.slop != 1:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        if reader not in self._found:
            self._found[reader] = _phrase_in_segment(searcher, self.fieldname, self.words)
        found = self._found[reader]
        if found is None:  # not a segment of Whoosh's W3 codec: its own way
            return super().matcher(searcher, context)
        docnums, scores = found
        if not docnums:
            return matching.NullMatcher()
        if self.boost != 1.0:
            scores = [score * self.boost for score in scores]
        return ScoredList(docnums, weights=scores)


class _Posting:
    """What a scorer reads of a matcher: the current document and its weight."""

    __slots__ = ("docnum", "weight_")

    def __init__(self) -> None:
        self.docnum = 0
        self.weight_ = 0.0

    def id(self) -> int:
        return self.docnum

    def weight(self) -> float:
        return self.weight_


def _phrase_in_segment(searcher, fieldname: str, words: list[str]):
    """(document numbers, scores) of one segment's documents holding ``words`` in a row; None
    when this segment cannot be read this way."""
    if fieldname not in searcher.schema:
        return [], []
    field = searcher.schema[fieldname]
    reader = searcher.reader()
    try:
        terms = [field.to_bytes(word) for word in words]
    except ValueError:
        return [], []
    if any((fieldname, term) not in reader for term in terms):
        return [], []
    postings: dict[bytes, list] = {}
    deleted: frozenset[int] = frozenset()
    for term in dict.fromkeys(terms):
        found = raw_postings(reader, fieldname, term)
        if found is None:
            return None
        leaf, deleted = found
        postings[term] = blocks(leaf)
    # The papers holding every word: a set intersection.
    holders = []
    for term in postings:
        papers: set[int] = set()
        for ids, _ in postings[term]:
            papers.update(ids)
        holders.append(papers)
    alive = set.intersection(*sorted(holders, key=len)) - deleted
    # Where the phrase may start in each: the first word's positions, narrowed word by word
    # to those followed by the next word (each word one position after the one before).
    starts: dict[int, set[int]] = {}
    weights: dict[bytes, dict[int, float]] = {term: {} for term in postings}
    for offset, term in enumerate(terms):
        weight = weights[term]
        narrowed: dict[int, set[int]] = {}
        for ids, data in postings[term]:
            wanted = [(i, d) for i, d in enumerate(ids) if d in alive]
            if not wanted:
                continue
            weights_here, values = block_weights(data, len(ids)), data[2]
            for i, docnum in wanted:
                value = values[i]
                if not value.endswith(b"."):
                    value += b"."
                at = accumulate(loads(value[_INT_SIZE:]))
                if offset == 0:
                    narrowed[docnum] = set(at)
                else:
                    found = starts[docnum].intersection([p - offset for p in at])
                    if not found:
                        continue
                    narrowed[docnum] = found
                weight[docnum] = weights_here[i]
        starts = narrowed
        alive = narrowed.keys()
        if not alive:
            return [], []
    docnums = sorted(alive)
    return docnums, _scores(searcher, fieldname, terms, docnums, weights)


def _scores(searcher, fieldname: str, terms: list[bytes], docnums: list[int], weights):
    """Each document's score as Whoosh gives a phrase: its words' scores added up in the
    binary tree Whoosh intersects them in (floating-point sums depend on the order)."""
    weighting = searcher.weighting
    per_word = []
    for term in terms:
        scorer = weighting.scorer(searcher, fieldname, term)
        weight = weights[term]
        if type(scorer) is BM25FScorer:  # BM25F inline: a third of the time of scorer.score
            idf, avgfl, b, k1, length = scorer.idf, scorer.avgfl, scorer.B, scorer.K1, scorer.dfl
            per_word.append([bm25(idf, weight[d], length(d), avgfl, b, k1) for d in docnums])
        else:
            posting = _Posting()
            scores = []
            for docnum in docnums:
                posting.docnum, posting.weight_ = docnum, weight[docnum]
                scores.append(scorer.score(posting))
            per_word.append(scores)

    def tree(low: int, high: int) -> list[float]:
        if high - low == 1:
            return per_word[low]
        half = low + (high - low) // 2
        return [a + b for a, b in zip(tree(low, half), tree(half, high), strict=True)]

    return tree(0, len(terms))
