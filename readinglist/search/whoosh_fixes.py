"""Fixes to Whoosh 2.7.4 (frozen, pinned), applied once when the search index is imported.

A first page is found by pruning: once the page holds 20 papers, stretches of papers that
cannot beat its lowest score are skipped (block quality), and matchers that can no longer lift
a paper into it are simplified (replace). Whoosh's pruning had flaws that made first pages miss
papers that rank on them: the page was not the top 20 of the full ranking for 24 of the 221
queries of the benchmark mix at 100,000 papers, and a review found more on crafted libraries,
plus a crash and an endless loop.

- AND MAYBE (the optional part of an OR that alone cannot reach the page) moved its optional
  part to the paper asked for rather than to the paper the required part landed on, so that
  paper lost the optional part's score ('agents question' lost its second-best paper).
- An OR of many parts (a word in nine fields) adds up its parts' scores but said the best it
  could score was its best part's: an AND with a year range then gave up too early
  ('year:>=2007 memories' lost its best paper). It is the sum of what its parts can still
  score, or the best of the scores already added up for the papers at hand.
- AND, OR and AND MAYBE skipped one side's stretch of papers when that stretch plus the other
  side's *current* stretch could not reach the page; a later stretch of the other side could.
  A stretch is skipped here only when even the other side's best anywhere cannot lift it.
  Their loops also stop when nothing moved: rounding made 'a + b <= m' hold while 'b > m - a',
  and an OR of two words spun forever ('title:drequount OR abstract:drequount').
- AND NOT let its first wanted paper through unchecked when an excluded-only paper came
  before it ('deep -learning' listed papers holding 'learning'), and asked its wanted part
  for the next paper after skipping or moving to a paper, even
  when that had run off the end (an error with our phrase lists, a stale answer with Whoosh's
  postings; a NOT inside a group: 'networks (rating:>=4 -year:>=2018)' failed outright).
- The wrapper that hides a segment's deleted documents skipped stretches without looking
  where it landed: a first page could show a paper just moved to the trash, or an edited
  paper twice (its old document and its new one).
"""

from __future__ import annotations

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh.matching import binary, combo, mcore, wrappers


def _and_maybe_skip_to(self, id):
    if not self.a.is_active():
        raise mcore.ReadTooFar
    moved_a = self.a.skip_to(id)
    moved_b = False
    if self.a.is_active() and self.b.is_active():
        moved_b = self.b.skip_to(self.a.id())  # where a is now, not where it was asked to go
    return moved_a or moved_b


def _array_union_max_quality(self):
    still = sum(m.max_quality() for m in self._submatchers if m.is_active()) * self._boost
    at_hand = max(self._a) if self._offset < self._limit else 0
    return max(still, at_hand)


def _stretch_skipper(a, b, minquality: float) -> int:
    """Skip a stretch of ``a`` or of ``b`` that even the other side's best cannot lift past
    ``minquality``; the number of stretches skipped (0: none can be, stop asking)."""
    moved = 0
    if a.block_quality() + b.max_quality() <= minquality:
        moved = a.skip_to_quality(minquality - b.max_quality())
    if not moved and a.is_active() and b.block_quality() + a.max_quality() <= minquality:
        moved = b.skip_to_quality(minquality - a.max_quality())
    return moved


def _skip_stretches(matcher, minquality: float, keep_together: bool) -> int:
    """Skip stretches of either side of an AND or an OR while one can be; an AND keeps its
    sides on the same document."""
    a, b = matcher.a, matcher.b
    skipped = 0
    while a.is_active() and b.is_active():
        moved = _stretch_skipper(a, b, minquality)
        if not moved:
            break
        skipped += moved
        if keep_together and a.is_active() and b.is_active() and a.id() != b.id():
            matcher._find_next()
    return skipped


def _and_skip_to_quality(self, minquality):
    return _skip_stretches(self, minquality, keep_together=True)


def _or_skip_to_quality(self, minquality):
    self._id = None
    a, b = self.a, self.b
    if not (a.is_active() or b.is_active()):
        raise mcore.ReadTooFar
    if not a.is_active():
        return b.skip_to_quality(minquality)
    if not b.is_active():
        return a.skip_to_quality(minquality)
    skipped = _skip_stretches(self, minquality, keep_together=False)
    self._id = None
    return skipped


def _and_maybe_skip_to_quality(self, minquality):
    a, b = self.a, self.b
    if not a.is_active():
        raise mcore.ReadTooFar
    skipped = 0
    while a.is_active():
        best_of_b = b.max_quality() if b.is_active() else 0
        if a.block_quality() + best_of_b > minquality:
            break
        moved = a.skip_to_quality(minquality - best_of_b)
        if not moved:
            break
        skipped += moved
    if a.is_active() and b.is_active():
        b.skip_to(a.id())
    return skipped


def _and_not_skip_to_quality(self, minquality):
    skipped = self.a.skip_to_quality(minquality)
    if self.a.is_active():
        self._find_next()
    return skipped


def _and_not_skip_to(self, id):
    if not self.a.is_active():
        raise mcore.ReadTooFar
    if id < self.a.id():
        return
    self.a.skip_to(id)
    if self.a.is_active() and self.b.is_active():
        self.b.skip_to(id)
        self._find_next()


def _filter_skip_to_quality(self, minquality):
    skipped = self.child.skip_to_quality(minquality / self.boost)
    self._find_next()  # the stretch it landed in may start with a hidden (deleted) document
    return skipped


def _and_not_find_first(self):
    # Whoosh checked the first wanted document only when the excluded part stood on it too;
    # an excluded-only document before it let it through ('deep -learning' listed 'learning').
    if self.a.is_active() and self.b.is_active():
        self._find_next()


binary.AndMaybeMatcher.skip_to = _and_maybe_skip_to
binary.AndMaybeMatcher.skip_to_quality = _and_maybe_skip_to_quality
binary.AndNotMatcher._find_first = _and_not_find_first
binary.AndNotMatcher.skip_to = _and_not_skip_to
binary.AndNotMatcher.skip_to_quality = _and_not_skip_to_quality
binary.IntersectionMatcher.skip_to_quality = _and_skip_to_quality
binary.UnionMatcher.skip_to_quality = _or_skip_to_quality
combo.ArrayUnionMatcher.max_quality = _array_union_max_quality
wrappers.FilterMatcher.skip_to_quality = _filter_skip_to_quality
