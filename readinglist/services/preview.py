"""What an import would bring, before it runs: each candidate paper with the paper it
duplicates (in the library or earlier in the same source), so a user can pick what to take."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from readinglist.domain.citekeys import suggest_key
from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.services.duplicates import KnownPapers
from readinglist.services.importing import row_of
from readinglist.storage.papers import P


@dataclass(frozen=True)
class Candidate:
    draft: PaperDraft
    duplicate_of: int | None = None  # a paper already in the library
    duplicate_title: str = ""
    reason: str = ""  # "doi", "arxiv id" or "title"
    repeats: int | None = None  # index of an earlier candidate of the same source it repeats

    @property
    def is_new(self) -> bool:
        return self.duplicate_of is None and self.repeats is None


@dataclass
class ImportPreview:
    source: str
    format: str = ""
    encoding: str = "utf-8"
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def new_count(self) -> int:
        return sum(1 for c in self.candidates if c.is_new)


def preview_import(session: Session, parsed: ParseResult, source: str) -> ImportPreview:
    """Match every parsed entry against the library the same way the import will."""
    preview = ImportPreview(source, parsed.format, parsed.encoding, problems=list(parsed.problems))
    known = KnownPapers(session)
    placeholders: dict[int, int] = {}  # placeholder id -> candidate index
    existing: dict[int, Candidate] = {}
    for index, draft in enumerate(parsed.entries):
        row = row_of(draft, source, [])
        first = draft.authors[0] if draft.authors else None
        match, _note = known.match(row, first, keyed=bool(draft.key.strip()))
        if match is None:
            placeholder = known.placeholder()
            key = draft.key.strip() or suggest_key(draft.authors, row["year"], row["title"])
            known.remember(placeholder, key, row, first)
            placeholders[placeholder] = index
            candidate = Candidate(draft)
        elif match.paper_id < 0:
            candidate = Candidate(draft, reason=match.reason, repeats=placeholders[match.paper_id])
        else:
            candidate = Candidate(draft, duplicate_of=match.paper_id, reason=match.reason)
            existing[index] = candidate
        preview.candidates.append(candidate)
    titles = dict(
        session.execute(
            select(P.id, P.title).where(P.id.in_({c.duplicate_of for c in existing.values()}))
        ).all()
    )
    for index, candidate in existing.items():
        title = titles.get(candidate.duplicate_of, "")
        preview.candidates[index] = Candidate(
            candidate.draft, candidate.duplicate_of, title, candidate.reason
        )
    return preview
