"""CSL-JSON, for Pandoc's --citeproc and for Zotero."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from readinglist.domain.views import PaperView

TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "unpublished": "manuscript",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "inreference": "entry-encyclopedia",
    "proceedings": "book",
    "manual": "report",
}


VALID_TYPES = frozenset(TYPES.values()) | {
    "article",
    "article-magazine",
    "article-newspaper",
    "bill",
    "broadcast",
    "classic",
    "collection",
    "document",
    "entry",
    "entry-dictionary",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "review",
    "review-book",
    "song",
    "speech",
    "standard",
    "treaty",
}


def item(paper: PaperView) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": paper.key,
        "citation-key": paper.key,
        "type": paper.extra.get("csl_type")
        if paper.extra.get("csl_type") in VALID_TYPES
        else TYPES.get(paper.entry_type, "article"),
        "title": paper.title,
    }
    authors = []
    for person in paper.authors:
        if person.literal:
            authors.append({"literal": person.literal})
            continue
        name = {"family": person.family, "given": person.given}
        if person.particle:
            name["non-dropping-particle"] = person.particle
        if person.suffix:
            name["suffix"] = person.suffix
        authors.append({k: v for k, v in name.items() if v})
    if authors:
        data["author"] = authors
    if paper.year is not None:
        parts = [paper.year] + ([paper.month] if paper.month else [])
        data["issued"] = {"date-parts": [parts]}
    optional = {
        "container-title": paper.venue,
        "volume": paper.volume,
        "issue": paper.number,
        "page": paper.pages.replace("--", "-"),
        "publisher": paper.publisher,
        "DOI": paper.doi,
        "URL": paper.url,
        "ISBN": paper.isbn,
        "abstract": paper.abstract,
        "keyword": ", ".join(paper.tags),
        "note": f"arXiv: {paper.arxiv_id}" if paper.arxiv_id else "",
    }
    data.update({k: v for k, v in optional.items() if v})
    return data


def write_csl_json(papers: Iterable[PaperView], stream: TextIO) -> int:
    items = [item(p) for p in papers]
    json.dump(items, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
    return len(items)
