"""The sample library: about thirty landmark papers with tags, ratings, notes and two reading
lists, so that a new user sees a living library at once instead of an empty table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from readinglist.domain.drafts import PaperDraft
from readinglist.domain.names import parse_name
from readinglist.services.resources import resource

SOURCE = "the sample library"


def sample_path() -> Path:
    return resource("sample", "library.json")


def load_sample(path: Path | None = None) -> tuple[list[PaperDraft], dict[str, list[str]]]:
    """(the papers as drafts, each reading list's citation keys in order)."""
    data: dict[str, Any] = json.loads((path or sample_path()).read_text(encoding="utf-8"))
    drafts = []
    for number, paper in enumerate(data["papers"], start=1):
        drafts.append(
            PaperDraft(
                key=paper["key"],
                entry_type=paper.get("entry_type", "article"),
                title=paper["title"],
                authors=[parse_name(name) for name in paper.get("authors", [])],
                year=paper.get("year"),
                venue=paper.get("venue", ""),
                volume=paper.get("volume", ""),
                pages=paper.get("pages", ""),
                publisher=paper.get("publisher", ""),
                doi=paper.get("doi", ""),
                arxiv_id=paper.get("arxiv_id", ""),
                url=paper.get("url", ""),
                code_url=paper.get("code_url", ""),
                abstract=paper.get("summary", ""),
                tags=list(paper.get("tags", [])),
                rating=paper.get("rating", 0),
                status=paper.get("status", "unread"),
                notes=list(paper.get("notes", [])),
                line=number,
            )
        )
    lists = {entry["name"]: list(entry["papers"]) for entry in data.get("lists", [])}
    return drafts, lists
