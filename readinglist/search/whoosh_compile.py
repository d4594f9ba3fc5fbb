"""Turn a parsed query (search/query.py) into Whoosh query objects.

User words go through the same analyzer as the indexed field (case, accents, stemming), so
'Godel' finds 'Gödel' and 'decoupled' finds 'decoupling'. A word the analyzer splits
('meta-learning') becomes a phrase of its parts.
"""

from __future__ import annotations

import readinglist.search.whoosh_fixes  # (fixes Whoosh's matchers on import)
import readinglist.search.whoosh_quiet  # noqa: F401  (must precede the whoosh imports)

# isort: split
from whoosh import matching
from whoosh import query as wq

from readinglist.domain.identifiers import strip_accents
from readinglist.search.query import (
    And,
    Exact,
    Fuzzy,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Range,
    Word,
)
from readinglist.search.whoosh_phrase import PhraseQuery
from readinglist.search.whoosh_range import RangeQuery

DEFAULT_FIELDS = ("title", "authors", "abstract", "venue", "tagtext", "notes")
# Identifier fields a free word may hit exactly (a key, a DOI or an arXiv id typed as is).
ID_FIELDS = ("key", "doi", "arxiv")


def fold(text: str) -> str:
    """Case- and accent-folded form of a keyword value (tags): 'Straße' and 'STRASSE' agree."""
    return strip_accents(" ".join(text.split()).casefold())


def compile_query(node: Node, searcher, vocabulary: Vocabulary | None = None) -> wq.Query:
    vocabulary = vocabulary if vocabulary is not None else Vocabulary(searcher.reader())
    return _Compiler(searcher.schema, vocabulary).compile(node)


class Vocabulary:
    """The indexed words of a field that start with a letter, read once per searcher: a fuzzy
    word is matched against them with rapidfuzz. Whoosh's own FuzzyTerm builds a Levenshtein
    automaton in Python for every field of every segment, which took 1-3 s a fuzzy word at
    100,000 papers."""

    def __init__(self, reader) -> None:
        self._reader = reader
        self._words: dict[tuple[str, str], list[str]] = {}

    def starting_with(self, field: str, prefix: str) -> list[str]:
        key = (field, prefix)
        if key not in self._words:
            words = self._reader.expand_prefix(field, prefix)
            self._words[key] = [w.decode("utf-8") for w in words]
        return self._words[key]


class _Compiler:
    def __init__(self, schema, vocabulary: Vocabulary) -> None:
        self.schema = schema
        self.vocabulary = vocabulary

    def fields(self, field: str | None) -> tuple[str, ...]:
        return DEFAULT_FIELDS if field is None else (field,)

    def compile(self, node: Node) -> wq.Query:
        match node:
            case MatchAll():
                return wq.Every()
            case And(parts):
                return self._and([self.compile(p) for p in parts])
            case Or(parts):
                compiled = [q for q in (self.compile(p) for p in parts) if q is not wq.NullQuery]
                return wq.Or(compiled) if compiled else wq.NullQuery
            case Not(part):  # Whoosh's own Not can stop on a deleted document
                return _AndNot(wq.Every(), self.compile(part))
            case Word(field, text):
                return self._any_field(field, lambda f: self._words(f, text), text)
            case Phrase(field, text):
                return self._any_field(field, lambda f: self._words(f, text), None)
            case Prefix(field, text):
                if field == "tags":
                    return wq.Prefix("tags", fold(text))
                return self._any_field(field, lambda f: self._prefix(f, text), None)
            case Fuzzy(field, text, distance):
                return self._any_field(field, lambda f: self._fuzzy(f, text, distance), None)
            case Exact(field, value):
                return self._exact(field, value)
            case Range(field, low, high):
                return RangeQuery(field, low, high)
        raise TypeError(f"cannot compile {node!r}")

    def _and(self, compiled: list[wq.Query]) -> wq.Query:
        compiled = [q for q in compiled if q is not wq.NullQuery]
        positive = [q for q in compiled if not _is_not(q)]
        negative = [q.b for q in compiled if _is_not(q)]
        if not positive and not negative:
            return wq.Every()
        base = wq.And(positive) if len(positive) > 1 else (positive[0] if positive else wq.Every())
        if negative:
            return _AndNot(base, wq.Or(negative) if len(negative) > 1 else negative[0])
        return base

    def _any_field(self, field: str | None, build, raw_word: str | None) -> wq.Query:
        queries = [q for q in (build(f) for f in self.fields(field)) if q is not wq.NullQuery]
        if field is None and raw_word is not None:
            folded = raw_word.strip().lower()
            queries.extend(wq.Term(f, folded) for f in ID_FIELDS)
        if not queries:
            return wq.NullQuery
        return queries[0] if len(queries) == 1 else wq.Or(queries)

    def _words(self, field: str, text: str) -> wq.Query:
        tokens = [t.text for t in self.schema[field].analyzer(text)]
        if not tokens:
            return wq.NullQuery
        if len(tokens) == 1:
            return wq.Term(field, tokens[0])
        return PhraseQuery(field, tokens)

    def _prefix(self, field: str, text: str) -> wq.Query:
        """'learning*' must find 'learning' although the index holds the stem 'learn'."""
        prefixes = {fold(text)}
        tokens = [t.text for t in self.schema[field].analyzer(text)]
        if len(tokens) == 1:
            prefixes.add(tokens[0])
        prefixes.discard("")
        return _Prefixes(field, tuple(sorted(prefixes))) if prefixes else wq.NullQuery

    def _fuzzy(self, field: str, text: str, distance: int) -> wq.Query:
        from rapidfuzz import process  # only here: 70 ms off every CLI start
        from rapidfuzz.distance import Levenshtein

        tokens = [t.text for t in self.schema[field].analyzer(text)]
        if not tokens:
            return wq.NullQuery
        parts = []
        for token in tokens:
            # The first letter must match: fewer words to compare, and what people expect.
            words = self.vocabulary.starting_with(field, token[:1])
            near = [
                word
                for word, _, _ in process.extract(
                    token, words, scorer=Levenshtein.distance, score_cutoff=distance, limit=None
                )
            ]
            if not near:  # a word no paper holds: matches nothing (NullQuery would mean
                near = [token]  # "no condition" and drop out of an AND)
            parts.append(wq.Or([wq.Term(field, word) for word in near]))
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def _exact(self, field: str, value: str) -> wq.Query:
        if field == "tags":
            return wq.Term("tags", fold(value))
        if field in ("key", "doi", "arxiv"):
            return wq.Term(field, value.strip().lower())
        return wq.Term(field, value)


class _Prefixes(wq.Prefix):
    """Papers with a word starting with any of ``prefixes`` in the field, all scored alike
    (as Whoosh scores a prefix). Whoosh ORs a matcher per word in a tree of Python matchers:
    'trans*' (10 words, ~40,000 postings at 100,000 papers) took 1-2 s. Here the papers of
    all the words are gathered in one set, per segment, and walked as one list."""

    def __init__(self, fieldname: str, prefixes: tuple[str, ...], boost: float = 1.0) -> None:
        super().__init__(fieldname, prefixes[0], boost=boost)
        self.prefixes = prefixes

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.prefixes == other.prefixes

    def __hash__(self) -> int:
        return hash((self.fieldname, self.prefixes, self.boost))

    def __repr__(self) -> str:
        return f"_Prefixes({self.fieldname!r}, {self.prefixes!r})"

    def _btexts(self, ixreader):
        seen = set()
        for prefix in self.prefixes:
            for word in ixreader.expand_prefix(self.fieldname, prefix):
                if word not in seen:
                    seen.add(word)
                    yield word

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        papers: set[int] = set()
        for word in self._btexts(reader):
            papers.update(reader.postings(self.fieldname, word).all_ids())
        if not papers:
            return matching.NullMatcher()
        return matching.ListMatcher(sorted(papers), all_weights=self.boost)


def _is_not(query: wq.Query) -> bool:
    """A compiled NOT: every paper except those of ``query.b``."""
    return isinstance(query, _AndNot) and isinstance(query.a, wq.Every)


class _AndNot(wq.AndNot):
    """AND NOT whose excluded part is matched unscored: its scores are never used."""

    def matcher(self, searcher, context=None):
        wanted = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return matching.AndNotMatcher(wanted, excluded)
