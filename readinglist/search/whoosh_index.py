"""The Whoosh implementation of SearchIndex.

Whoosh is frozen (2.7.4, 2016) and pinned. It is confined to the whoosh_* modules of this
package; whoosh_fixes.py holds the fixes we make to its matchers.
Its storage is opened without mmap: with mmap Whoosh copies every file into memory on each
open, which costs far more than the slightly slower queries (see shared MEASUREMENTS.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from pickle import loads

import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh import fields
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield, byte_to_length
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.query import And, Or, Query, Term
from whoosh.scoring import BM25F, BM25FScorer

from readinglist.search.index import Progress, SearchDoc, SearchHits
from readinglist.search.lock import IndexBusy, index_lock, lock_path
from readinglist.search.query import Node
from readinglist.search.whoosh_compile import Vocabulary, compile_query, fold
from readinglist.search.whoosh_merging import merge_policy
from readinglist.search.whoosh_postings import segment_cache

INDEX_NAME = "papers_v1"  # a new schema gets a new name, and the old index is rebuilt
WRITE_LOCK_TIMEOUT_S = 15.0
PARALLEL_BUILD_MIN_DOCS = 1000


def _open_writer(index, parallel: bool, **options):
    """A writer; for many documents, one that analyses them in two processes (whose
    workers die with this one, see whoosh_workers.py)."""
    # Imported here: multiprocessing and Whoosh's writers are no part of a search.
    from readinglist.search.whoosh_workers import MortalMpWriter, workers_can_die_with_parent

    procs = min(2, os.cpu_count() or 1)
    if not parallel or procs < 2 or not workers_can_die_with_parent():
        return index.writer(limitmb=256, **options)
    return MortalMpWriter(index, procs=procs, multisegment=True, limitmb=256, **options)


def _analyzer(stem: bool):
    # A big table, needed to build a schema only: an index opened for a search unpickles its own.
    from whoosh.support.charset import accent_map

    chain = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    return chain | StemFilter() if stem else chain


def build_schema() -> fields.Schema:
    stemmed = _analyzer(stem=True)
    plain = _analyzer(stem=False)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        version=fields.STORED(),
        key=fields.ID(),
        doi=fields.ID(),
        arxiv=fields.ID(),
        title=fields.TEXT(analyzer=stemmed, field_boost=3.0),
        authors=fields.TEXT(analyzer=plain, field_boost=1.5),
        abstract=fields.TEXT(analyzer=stemmed),
        venue=fields.TEXT(analyzer=stemmed),
        notes=fields.TEXT(analyzer=stemmed),
        tagtext=fields.TEXT(analyzer=stemmed, field_boost=2.0),
        tags=fields.KEYWORD(commas=True, scorable=True, field_boost=2.0),
        lists=fields.KEYWORD(),
        status=fields.ID(),
        year=fields.NUMERIC(int, bits=32),
        rating=fields.NUMERIC(int, bits=32),
    )


def _fields(doc: SearchDoc) -> dict[str, object]:
    values: dict[str, object] = {
        "id": str(doc.id),
        "version": doc.version,
        "key": doc.key.lower(),
        "doi": doc.doi.lower(),
        "arxiv": doc.arxiv_id.lower(),
        "title": doc.title,
        "authors": doc.authors,
        "abstract": doc.abstract,
        "venue": doc.venue,
        "notes": doc.notes,
        "tagtext": " ".join(doc.tags),
        "tags": ",".join(fold(t) for t in doc.tags),
        "lists": " ".join(str(i) for i in doc.lists),
        "status": doc.status,
        "rating": doc.rating,
    }
    if doc.year is not None:
        values["year"] = doc.year
    return {k: v for k, v in values.items() if v != ""}


def _delete_ids(writer, ids: Sequence[int]) -> None:
    """Delete the documents of ``ids`` (those that are there) with one searcher. Whoosh's
    update_document opens a searcher per document to delete its old version, which made
    updates 3-4x slower than adding (671 against 2,499 papers/s at 10,000)."""
    if not ids:
        return
    terms = [Term("id", str(paper_id)) for paper_id in dict.fromkeys(ids)]
    with writer.searcher() as searcher:
        for start in range(0, len(terms), 1024):
            for docnum in searcher.docs_for_query(Or(terms[start : start + 1024])):
                writer.delete_document(docnum)


def _count(query: Query, searcher) -> int:
    """How many documents ``query`` matches, when only a page of them was ranked. Whoosh's
    count of a page is slow or wrong: a page that skipped blocks runs the query again, one
    document at a time (168 ms for a word at 100,000 papers); a page that scored every match
    counts only those its pruning kept ('year:>=2007 memories': 1,525 of 20,706). Here an OR or
    an AND of parts is a union or an intersection of their sets (73 ms for that word)."""
    return sum(len(_matches(query, leaf)) for leaf, _ in searcher.leaf_searchers())


def _matches(query: Query, searcher) -> set[int]:
    """The documents of one segment that ``query`` matches."""
    if type(query) is Or:
        return set().union(*(_matches(q, searcher) for q in query.subqueries))
    if type(query) is And and query.subqueries:
        return set.intersection(*(_matches(q, searcher) for q in query.subqueries))
    return set(query.docs(searcher))


def _commit_or_release(writer) -> None:
    """Commit; when that fails, cancel, so that Whoosh's write lock is released and the next
    update can try again (the changes stay queued in the database meanwhile)."""
    try:
        writer.commit(mergetype=merge_policy)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise


# --- reading a segment's per-document data in one go ----------------------------------------
# Whoosh reads a document's field length (for every hit, for every field a query touches) and
# its stored fields (for every hit's paper id) with a seek and a read each, from files opened
# without mmap. Ranking every match of a common word at 100,000 papers made ~10 reads per hit:
# 1.9 s from typing to table. Each segment's lengths and paper ids are read here once, in one
# read each, and kept with the segment's reader (a segment never changes once written).
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]  # as Whoosh decodes a byte


def _field_lengths(reader, fieldname: str) -> list[int | None] | None:
    """Every document's length in ``fieldname``, indexed by document number (None where
    Whoosh has none), or None if this reader cannot say (the caller keeps Whoosh's way)."""
    cache = segment_cache(reader)
    key = ("lengths", fieldname)
    if key not in cache:
        try:
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                cache[key] = None
            else:
                data = column._dbfile.get(column._basepos, column._count)
                lengths = [_LENGTHS[b] for b in data]
                lengths.extend([None] * (reader.doc_count_all() - len(lengths)))
                cache[key] = lengths
        except AttributeError:  # not a segment of the W3 codec: Whoosh's own reads
            cache[key] = None
    return cache[key]


def _stored(reader) -> Iterator[tuple[int, dict]]:
    """(document number, stored fields) of every document of one segment, deleted ones too,
    from one read of the segment's stored column."""
    try:
        column = reader._perdoc._cached_reader("_stored", STORED_COLUMN)
        packed = column._child
        offsets, lengths = packed._offsets, packed._lengths
        end = offsets[-1] + lengths[-1] if len(offsets) else 0
        data = packed._dbfile.get(packed._basepos, end)
        unpack = packed._decompress
    except AttributeError:  # not the W3 codec's columns: one document at a time
        for docnum in range(reader.doc_count_all()):
            yield docnum, reader.stored_fields(docnum)
        return
    for docnum, (at, size) in enumerate(zip(offsets, lengths, strict=True)):
        yield docnum, loads(unpack(data[at : at + size])) if size else {}


def _paper_ids(reader) -> array:
    """The paper id of each document of one segment, by document number (0: none)."""
    cache = segment_cache(reader)
    if "ids" not in cache:
        cache["ids"] = array("q", (int(f["id"]) if "id" in f else 0 for _, f in _stored(reader)))
    return cache["ids"]


class _BM25F(BM25F):
    """Whoosh's BM25F, scoring from each segment's field lengths held in memory: the same
    scores, without a file read per hit and field."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, BM25FScorer):
            lengths = _field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


class WhooshIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._storage = FileStorage(str(folder), supports_mmap=False)
        self.created = not self._storage.index_exists(INDEX_NAME)
        if self.created:
            self._index = self._storage.create_index(build_schema(), indexname=INDEX_NAME)
        else:
            self._index = self._storage.open_index(INDEX_NAME)
        self._searcher = None
        self._vocabulary: Vocabulary | None = None  # the searcher's words, for fuzzy queries
        # The GUI searches on one thread while another feeds the index: the shared searcher
        # is swapped or closed only under this lock.
        self._guard = threading.RLock()

    def locked(self):
        """Hold the cross-process index lock (see search/lock.py) for a read-then-write."""
        return index_lock(lock_path(self.folder))

    # --- writing ----------------------------------------------------------------------------
    def _writer(self, parallel: bool):
        try:
            return _open_writer(self._index, parallel, timeout=WRITE_LOCK_TIMEOUT_S)
        except LockError as error:
            raise IndexBusy(
                f"the search index in {self.folder} is locked by another program"
            ) from error

    def update(self, docs: Sequence[SearchDoc], removed: Iterable[int] = ()) -> None:
        # Analysis (tokenising, stemming) dominates; two processes index ~2.7x faster than one
        # here, which pays for their start-up from about a thousand documents.
        parallel = len(docs) >= PARALLEL_BUILD_MIN_DOCS
        writer = self._writer(parallel)
        try:
            _delete_ids(writer, [*removed, *(doc.id for doc in docs)])
            for doc in docs:
                writer.add_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        _commit_or_release(writer)
        with self._guard:
            self._drop_searcher()

    def rebuild(
        self, docs: Iterable[SearchDoc], total: int, progress: Progress | None = None
    ) -> None:
        """Write a fresh index beside the old one and swap it in, so search keeps working
        on the old one until the new one is complete."""
        fresh = self.folder.with_name(self.folder.name + ".rebuild")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        index = FileStorage(str(fresh)).create_index(build_schema(), indexname=INDEX_NAME)
        writer = _open_writer(index, total >= PARALLEL_BUILD_MIN_DOCS)
        done = 0
        try:
            for doc in docs:
                writer.add_document(**_fields(doc))
                done += 1
                if progress is not None and done % 500 == 0:
                    progress(done, total)
        except BaseException:
            writer.cancel()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        _commit_or_release(writer)
        with self._guard:
            self._drop_searcher()
            old = self.folder.with_name(self.folder.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            self.folder.rename(old)
            fresh.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)
            self._storage = FileStorage(str(self.folder), supports_mmap=False)
            self._index = self._storage.open_index(INDEX_NAME)
            self.created = False  # whole again: nothing left to rebuild
        if progress is not None:
            progress(done, total)

    # --- reading ----------------------------------------------------------------------------
    def _current_searcher(self):
        if self._searcher is None:
            self._searcher = self._index.searcher(weighting=_BM25F())
        else:
            fresh = self._searcher.refresh()
            if fresh is not self._searcher:
                self._vocabulary = None
            self._searcher = fresh
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(self._searcher.reader())
        return self._searcher

    def _drop_searcher(self) -> None:
        self._vocabulary = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def search(self, query: Node, limit: int | None = 50, offset: int = 0) -> SearchHits:
        with self._guard:
            searcher = self._current_searcher()
            compiled = compile_query(query, searcher, self._vocabulary)
            wanted = None if limit is None else offset + limit
            results = searcher.search(compiled, limit=wanted)
            ranked = [docnum for _score, docnum in results.top_n[offset:wanted]]
            if wanted is None or results.scored_length() < wanted:
                # the page never filled, so Whoosh skipped nothing: every match is on it
                total = results.scored_length()
            else:
                total = _count(compiled, searcher)
            return SearchHits(ids=self._ids(searcher, ranked), total=total)

    @staticmethod
    def _ids(searcher, docnums: Sequence[int]) -> list[int]:
        """The paper ids of documents (numbered across segments), from the segments' cached
        ids rather than each hit's stored fields."""
        readers = searcher.reader().leaf_readers()  # (segment reader, first docnum), in order
        if len(readers) == 1:
            table = _paper_ids(readers[0][0])
            return [table[d] for d in docnums]
        starts = [start for _, start in readers]
        tables = [_paper_ids(reader) for reader, _ in readers]
        found = []
        for docnum in docnums:
            segment = bisect_right(starts, docnum) - 1
            found.append(tables[segment][docnum - starts[segment]])
        return found

    def versions(self) -> dict[int, int]:
        with self._guard:
            searcher = self._current_searcher()
            versions: dict[int, int] = {}
            for reader, _start in searcher.reader().leaf_readers():
                for docnum, stored in _stored(reader):
                    if "id" in stored and not reader.is_deleted(docnum):
                        versions[int(stored["id"])] = stored["version"]
            return versions

    def doc_count(self) -> int:
        with self._guard:
            return self._current_searcher().doc_count()

    def close(self) -> None:
        with self._guard:
            self._drop_searcher()
