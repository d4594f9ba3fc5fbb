"""Two fixes to Whoosh 2.7.4 (frozen, pinned), applied once when the search index is imported.
Both made a first page miss papers that rank on it: the page was not the first 20 of the full
ranking for 24 of the 221 queries of the benchmark mix at 100,000 papers, 6 of 216 at 10,000.

AND MAYBE. An OR of a word's fields becomes, once the first page's lowest score is high enough,
an "AND MAYBE": papers of the fields that can still lift a paper into the page, plus the
others' score where they hold the same paper. Whoosh's AND MAYBE moved that optional part to
the paper asked for rather than to the paper the required part landed on, so a paper after a
gap lost the optional part's score ('agents question' lost its second-best paper at 100,000).
Whoosh's own next() does it right; skip_to() is made to do the same.

The best an OR can score. Whoosh ORs many parts (a word in nine fields) with an array matcher
that adds up its parts' scores, but said the best it could score was its best part's: an AND
with a year range then gave up once the page's lowest score passed that, and 'year:>=2007
memories' lost its best paper. It is the sum of what its parts can still score, or the best of
the scores already added up for the papers at hand.
"""

from __future__ import annotations

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh.matching import binary, combo, mcore


def _and_maybe_skip_to(self, id):
    if not self.a.is_active():
        raise mcore.ReadTooFar
    moved_a = self.a.skip_to(id)
    moved_b = False
    if self.a.is_active() and self.b.is_active():
        moved_b = self.b.skip_to(self.a.id())  # where a is now, not where it was asked to go
    return moved_a or moved_b


binary.AndMaybeMatcher.skip_to = _and_maybe_skip_to


def _array_union_max_quality(self):
    still = sum(m.max_quality() for m in self._submatchers if m.is_active()) * self._boost
    at_hand = max(self._a) if self._offset < self._limit else 0
    return max(still, at_hand)


combo.ArrayUnionMatcher.max_quality = _array_union_max_quality
