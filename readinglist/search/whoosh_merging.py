"""Which segments of the search index a commit merges.

Whoosh's default policy merges "small" segments by a Fibonacci rule that, once an index has
about 21 segments, calls every segment small: at 100,000 papers the eleventh small edit after
an import rewrote the whole index (100,000 papers, 230 s of both cores here) while holding the
index's write lock. Here a commit merges only segments of similar, small size, ten of them at
a time (so a paper is rewritten a few times in its life, never the whole index for one edit),
and a segment of up to 20,000 documents once most of them are deleted (only its live ones are
rewritten). Large segments, as an import writes them, are left alone: a full rebuild makes
one index of few segments again.
"""

from __future__ import annotations

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh.reading import SegmentReader

SMALL_TIERS = (10, 100, 1000)  # segments under 10, 100 and 1,000 documents merge by tier
TIER_SIZE = 10  # segments of one tier merged together once there are this many
MOSTLY_DELETED = 0.5  # a segment with more than this share deleted is rewritten...
REWRITE_AT_MOST = 20_000  # ...if no larger than this (10,000 live papers, seconds of work)


def merge_policy(writer, segments: list) -> list:
    """Whoosh's merge-policy interface: add the segments to merge to ``writer`` and return
    the segments kept as they are."""
    chosen = [s for s in segments if _mostly_deleted(s)]
    floor = 0
    for ceiling in SMALL_TIERS:
        tier = [s for s in segments if floor <= s.doc_count_all() < ceiling and s not in chosen]
        if len(tier) >= TIER_SIZE:
            chosen.extend(tier)
        floor = ceiling
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return [s for s in segments if s not in chosen]


def _mostly_deleted(segment) -> bool:
    total = segment.doc_count_all()
    return 0 < total <= REWRITE_AT_MOST and segment.deleted_count() > MOSTLY_DELETED * total
