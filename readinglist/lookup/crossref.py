"""Crossref's REST API (/works/{doi}): a message close to CSL-JSON."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from readinglist.domain.drafts import PaperDraft
from readinglist.domain.identifiers import normalize_doi
from readinglist.importers.csl_json import csl_date, csl_name
from readinglist.lookup.http import Http, LookupFailed

TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "report": "techreport",
    "dissertation": "phdthesis",
    "posted-content": "misc",
    "dataset": "dataset",
}
_TAGS = re.compile(r"<[^>]+>")


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value or "").split())


def parse_work(message: dict[str, Any]) -> PaperDraft:
    year, month = (None, None)
    for name in ("issued", "published", "published-print", "published-online", "created"):
        year, month = csl_date(message.get(name))
        if year:
            break
    abstract = _TAGS.sub(" ", message.get("abstract", "") or "")  # JATS markup
    draft = PaperDraft(
        entry_type=TYPES.get(message.get("type", ""), "misc"),
        title=_first(message.get("title")),
        authors=[csl_name(p) for p in message.get("author", []) if isinstance(p, dict)],
        year=year,
        month=month,
        venue=_first(message.get("container-title")),
        volume=_first(message.get("volume")),
        number=_first(message.get("issue")),
        pages=_first(message.get("page")).replace("-", "--"),
        publisher=_first(message.get("publisher")),
        doi=normalize_doi(_first(message.get("DOI"))),
        url=_first(message.get("URL")),
        isbn=_first(message.get("ISBN")),
        abstract=" ".join(abstract.split()),
        tags=[s for s in message.get("subject", []) if isinstance(s, str)],
    )
    if message.get("type") and message["type"] not in TYPES:
        draft.extra["crossref_type"] = message["type"]
    return draft


def fetch_crossref(http: Http, doi: str) -> PaperDraft | None:
    """The work, or None when Crossref does not know the DOI (it may be DataCite's)."""
    response = http.get(f"{http.endpoints.crossref}/{quote(doi, safe='/')}")
    if response.status_code == 404:
        return None
    try:
        message = response.json()["message"]
    except (ValueError, KeyError, TypeError):
        raise LookupFailed("Crossref sent an answer that is not a work record") from None
    return parse_work(message)
