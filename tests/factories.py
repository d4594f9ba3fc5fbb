"""Building test papers without repeating every field."""

from __future__ import annotations

from readinglist.domain.drafts import PaperDraft
from readinglist.domain.values import AuthorName


def draft(title: str, **fields) -> PaperDraft:
    authors = [
        a if isinstance(a, AuthorName) else AuthorName(family=a) for a in fields.pop("authors", [])
    ]
    return PaperDraft(title=title, authors=authors, **fields)
