"""Reading a segment's postings in bulk, and a list of found documents that a first page can
skip through by score.

Whoosh walks postings one document at a time through Python matcher objects. Queries that must
see every document of a word (a phrase's candidates, a year range) read its blocks here
directly, once: a private part of Whoosh 2.7.4's W3 codec (the version is pinned), with the
caller falling back to Whoosh's own way for anything else.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh import matching
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar
from whoosh.matching.wrappers import FilterMatcher


class _BisectingList(matching.ListMatcher):
    """Whoosh's list of documents, finding a document by bisection rather than one step at a
    time (an AND moves it to each document of its other side)."""

    def skip_to(self, id: int) -> None:
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)


class ScoredList(_BisectingList):
    """Found documents with their scores, in blocks that know their best score: a first page
    skips the blocks that cannot reach it, as Whoosh does with a word's postings. (Whoosh's
    list matcher has one block, and takes the max of all its scores at every match.)"""

    BLOCK = 128

    def __init__(self, ids: list[int], weights: list[float], position: int = 0) -> None:
        super().__init__(ids, weights=weights, position=position)
        size = self.BLOCK
        self._block_max = [max(weights[at : at + size]) for at in range(0, len(weights), size)]
        self._best_after = list(accumulate(reversed(self._block_max), max))[::-1]

    def copy(self) -> ScoredList:
        return ScoredList(self._ids, self._weights, self._i)

    def replace(self, minquality=0):
        if not self.is_active() or (minquality and self.max_quality() < minquality):
            return matching.NullMatcher()
        return self

    def next(self) -> bool:
        self._i += 1
        return self._i % self.BLOCK == 0

    def supports_block_quality(self) -> bool:
        return True

    def max_quality(self) -> float:
        return self._best_after[self._i // self.BLOCK] if self.is_active() else 0.0

    def block_quality(self) -> float:
        return self._block_max[self._i // self.BLOCK] if self.is_active() else 0.0

    def block_max_weight(self) -> float:
        return self.block_quality()

    def skip_to_quality(self, minquality: float) -> int:
        skipped = 0
        while self.is_active() and self.block_quality() <= minquality:
            self._i = (self._i // self.BLOCK + 1) * self.BLOCK
            skipped += 1
        return skipped

    def score(self) -> float:
        return self._weights[self._i]


def raw_postings(
    reader, fieldname: str, word: bytes
) -> tuple[W3LeafMatcher, frozenset[int]] | None:
    """The raw postings of ``word`` and the segment's deleted documents (which Whoosh filters
    out with a wrapper), or None when they are not W3 postings."""
    postings = reader.postings(fieldname, word)
    deleted: frozenset[int] = frozenset()
    if isinstance(postings, FilterMatcher):
        deleted = frozenset(postings._ids)
        postings = postings.child
    if type(postings) is not W3LeafMatcher:
        return None
    return postings, deleted


def blocks(leaf: W3LeafMatcher) -> list[tuple[tuple[int, ...], tuple]]:
    """(document numbers, raw data) of each block of a word's postings, each read once."""
    blocks = []
    while leaf.is_active():
        leaf._read_ids()
        blocks.append((leaf._ids, leaf._data))
        leaf._next_block()
    return blocks


def block_weights(data: tuple, size: int):
    """A block's weights, as Whoosh's reader expands them (one for all, or none: 1.0)."""
    weights = data[1]
    if weights is None:
        return (1.0,) * size
    if isinstance(weights, float):
        return (weights,) * size
    return weights


def segment_cache(reader) -> dict:
    """What we keep of a segment's reader, with it: a segment never changes once written (but
    for its deletions, which readers of it keep apart)."""
    return reader.__dict__.setdefault("_readinglist_cache", {})


class ConstantList(_BisectingList):
    """Documents that all score the same (a range). Like Whoosh's own list it offers no block
    quality: a constant gives a first page nothing to skip by."""

    def __init__(self, ids: list[int], weight: float, position: int = 0) -> None:
        super().__init__(ids, all_weights=weight, position=position)

    def copy(self) -> ConstantList:
        return ConstantList(self._ids, self._all_weights, self._i)
