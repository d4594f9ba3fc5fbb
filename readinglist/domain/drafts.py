"""What an importer or an editor hands to the library: a paper not yet stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readinglist.domain.values import AuthorName

# The bibliographic fields a paper has a column for; used by edits and imports alike.
TEXT_FIELDS = (
    "entry_type", "title", "abstract", "venue", "volume", "number", "pages", "publisher",
    "doi", "arxiv_id", "isbn", "url", "code_url",
)  # fmt: skip
NUMBER_FIELDS = ("year", "month")


@dataclass
class PaperDraft:
    title: str = ""
    authors: list[AuthorName] = field(default_factory=list)
    entry_type: str = "article"
    abstract: str = ""
    year: int | None = None
    month: int | None = None
    venue: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    arxiv_id: str = ""
    isbn: str = ""
    url: str = ""
    code_url: str = ""
    key: str = ""
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    rating: int = 0
    status: str = "unread"
    # Where it came from, for the import report: 1-based line of the entry's start.
    line: int | None = None


@dataclass(frozen=True)
class Problem:
    """One thing an import could not take, said so a user can find it in the file."""

    source: str
    line: int | None
    message: str
    severity: str = "error"  # "error": an entry was not imported; "warning": imported anyway

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "message": self.message}


@dataclass
class ParseResult:
    entries: list[PaperDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    format: str = ""
    encoding: str = "utf-8"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
