"""Recognising a paper the library already has: same DOI, same arXiv id, or a near-identical
title with the same year and first author.

A shared identifier alone is not trusted when the titles disagree: book chapters share their
book's DOI, and exported libraries carry copied arXiv ids. Such a pair is kept apart and the
report says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlmodel import Session

from readinglist.domain.identifiers import normalize_title
from readinglist.domain.values import AuthorName
from readinglist.storage.papers import A, P

SAME_TITLE = 95  # rapidfuzz ratio of normalised titles: a typo or a dropped word apart
CONFLICTING_TITLE = 60  # below this, two papers sharing an identifier are different papers


def author_key(name: AuthorName | None) -> str:
    if name is None:
        return ""
    return _folded_name(name.family or name.literal)


@lru_cache(maxsize=65_536)
def _folded_name(name: str) -> str:
    """Names repeat across a library (every paper of an author): folded once each."""
    return normalize_title(name).replace(" ", "")


@dataclass(frozen=True)
class Match:
    paper_id: int
    reason: str  # "doi", "arxiv id" or "title"


@dataclass
class _Known:
    title_norm: str
    year: int | None
    first_author: str


class KnownPapers:
    """What the library holds, in memory, so that an import of thousands needs no query per
    entry. Papers of the batch being imported have negative placeholder ids until inserted."""

    def __init__(self, session: Session) -> None:
        self.by_doi: dict[str, int] = {}
        self.by_arxiv: dict[str, int] = {}
        self.by_title: dict[str, list[int]] = {}
        self.by_author_year: dict[tuple[str, int | None], list[int]] = {}
        # the titles of each block, in the same order: compared in one rapidfuzz call
        self.titles_by_author_year: dict[tuple[str, int | None], list[str]] = {}
        self.papers: dict[int, _Known] = {}
        # casefolded: BibTeX cannot tell 'Chen_2017' from 'chen_2017', so neither do we
        self.keys: set[str] = set()
        self.resolved: dict[int, int] = {}
        # Entries of this import that came with their own citation key: two of them are two
        # papers unless an identifier says otherwise (merging would break a \cite).
        self.keyed_here: set[int] = set()
        self._placeholders = 0
        self._seen_up_to = 0
        self.refresh(session)

    def refresh(self, session: Session) -> None:
        """Learn the papers added since the last look (by another import running at the same
        time); called inside each batch's write transaction, so nothing slips in between."""
        first_authors: dict[int, AuthorName] = {}
        for row in session.execute(
            select(A.paper_id, A.family, A.literal).where(
                A.position == 0, A.paper_id > self._seen_up_to
            )
        ):
            first_authors[row.paper_id] = AuthorName(family=row.family, literal=row.literal)
        ours = set(self.resolved.values())
        for row in session.execute(
            select(P.id, P.key, P.doi, P.arxiv_id, P.title_norm, P.year, P.deleted_at).where(
                P.id > self._seen_up_to
            )
        ):
            self._seen_up_to = max(self._seen_up_to, row.id)
            if row.deleted_at is not None:  # in the trash: its key is taken, nothing more
                self.keys.add(row.key.casefold())
            elif row.id not in ours:
                self.remember(row.id, row.key, row._mapping, first_authors.get(row.id))

    def key_taken(self, key: str) -> bool:
        return key.casefold() in self.keys

    def placeholder(self) -> int:
        self._placeholders += 1
        return -self._placeholders

    def remember(self, paper_id: int, key: str, row: Any, first: AuthorName | None) -> None:
        self.keys.add(key.casefold())
        self.papers[paper_id] = _Known(row["title_norm"], row["year"], author_key(first))
        if row["doi"]:
            self.by_doi.setdefault(row["doi"], paper_id)
        if row["arxiv_id"]:
            self.by_arxiv.setdefault(row["arxiv_id"], paper_id)
        if row["title_norm"]:
            self.by_title.setdefault(row["title_norm"], []).append(paper_id)
            block = (author_key(first), row["year"])
            self.by_author_year.setdefault(block, []).append(paper_id)
            self.titles_by_author_year.setdefault(block, []).append(row["title_norm"])

    def _titles_agree(self, paper_id: int, title_norm: str) -> bool:
        known = self.papers[paper_id].title_norm
        if not known or not title_norm:
            return True
        return fuzz.ratio(known, title_norm) >= CONFLICTING_TITLE

    def match(
        self, row: dict[str, Any], first: AuthorName | None, keyed: bool = False
    ) -> tuple[Match | None, str]:
        """(the paper this row duplicates, or None; a note when an identifier was shared but
        the titles said otherwise)."""
        note = ""
        for field, index, reason in (("doi", self.by_doi, "doi"),
                                     ("arxiv_id", self.by_arxiv, "arxiv id")):  # fmt: skip
            paper_id = index.get(row[field]) if row[field] else None
            if paper_id is None:
                continue
            if self._titles_agree(paper_id, row["title_norm"]):
                return Match(self.resolved.get(paper_id, paper_id), reason), ""
            note = f"shares its {reason} {row[field]} with another paper whose title differs"
        found = self._title_match(row, first, keyed)
        if found is not None:
            return Match(self.resolved.get(found, found), "title"), ""
        return None, note

    def _title_match(
        self, row: dict[str, Any], first: AuthorName | None, keyed: bool
    ) -> int | None:
        title = row["title_norm"]
        if not title:
            return None
        author = author_key(first)
        for paper_id in self.by_title.get(title, ()):
            known = self.papers[paper_id]
            # the same title in different years is a different paper (a new edition, a reply),
            # and so is the same title by someone else
            if known.year is not None and row["year"] is not None and known.year != row["year"]:
                continue
            if known.first_author and author and known.first_author != author:
                continue
            if keyed and paper_id in self.keyed_here:
                continue
            return paper_id
        if not author or row["year"] is None:
            return None
        block = (author, row["year"])
        ids = self.by_author_year.get(block, ())
        # A prolific author's year can hold hundreds of papers: the titles are scored in one
        # call (C code), and only those close enough are looked at, in the block's order.
        close = process.extract(
            title,
            self.titles_by_author_year.get(block, ()),
            scorer=fuzz.ratio,
            score_cutoff=SAME_TITLE,
            limit=None,
        )
        for _known, _score, position in sorted(close, key=lambda found: found[2]):
            paper_id = ids[position]
            if keyed and paper_id in self.keyed_here:
                continue
            if _numerals(self.papers[paper_id].title_norm) == _numerals(title):
                return paper_id
        return None


_NUMERAL = re.compile(r"^(\d+|[ivxlc]+)$")


def _numerals(title: str) -> list[str]:
    """'… surfaces ii' and '… surfaces i' are parts of a series, not a typo apart."""
    return [word for word in title.split() if _NUMERAL.match(word)]
