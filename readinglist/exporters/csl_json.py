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
    if paper.authors:
        data["author"] = [_name(person) for person in paper.authors]
    if paper.year is not None:
        parts = [paper.year] + ([paper.month] if paper.month else [])
        data["issued"] = {"date-parts": [parts]}
    # a thesis or report is published by its school or institution, not contained in it
    venue_is_publisher = data["type"] in ("thesis", "report") and not paper.publisher
    own_note = paper.extra.get("note")
    if isinstance(own_note, str) and isinstance(paper.extra.get("_bibtex"), dict):
        from readinglist.domain.latex import latex_to_text

        own_note = latex_to_text(own_note)  # BibTeX's LaTeX, read as text
    note = "; ".join(
        x
        for x in (
            own_note if isinstance(own_note, str) else "",
            f"arXiv: {paper.arxiv_id}" if paper.arxiv_id else "",
        )
        if x
    )
    optional = {
        "container-title": "" if venue_is_publisher else paper.venue,
        "volume": paper.volume,
        "issue": paper.number,
        "page": paper.pages.replace("--", "-"),
        "publisher": paper.venue if venue_is_publisher else paper.publisher,
        "DOI": paper.doi,
        "URL": paper.url,
        "ISBN": paper.isbn,
        "abstract": paper.abstract,
        "keyword": ", ".join(paper.tags),
        "note": note,
    }
    data.update({k: v for k, v in optional.items() if v})
    data.update(_extras(paper))
    return data


# Fields a BibTeX or RIS import kept, under their CSL names (plain text only).
_FROM_EXTRA = {
    "address": "publisher-place",
    "location": "publisher-place",
    "place_published": "publisher-place",
    "edition": "edition",
    "series": "collection-title",
    "issn": "ISSN",
    "language": "language",
    "langid": "language",
    "pmid": "PMID",
    "pmcid": "PMCID",
}


def _extras(paper: PaperView) -> dict[str, Any]:
    from readinglist.domain.bibtex_names import parse_names
    from readinglist.domain.latex import latex_to_text

    from_bibtex = isinstance(paper.extra.get("_bibtex"), dict)
    found: dict[str, Any] = {}
    for name, target in _FROM_EXTRA.items():
        value = paper.extra.get(name)
        if isinstance(value, str) and value.strip() and target not in found:
            found[target] = latex_to_text(value) if from_bibtex else value.strip()
    for role in ("editor", "translator"):
        value = paper.extra.get(role)
        if isinstance(value, str) and value.strip() and from_bibtex:
            found[role] = [_name(person) for person in parse_names(value)]
    return found


def _name(person) -> dict[str, str]:
    if person.literal:
        return {"literal": person.literal}
    name = {"family": person.family, "given": person.given}
    if person.particle:
        name["non-dropping-particle"] = person.particle
    if person.suffix:
        name["suffix"] = person.suffix
    return {k: v for k, v in name.items() if v}


def write_csl_json(papers: Iterable[PaperView], stream: TextIO) -> int:
    items = [item(p) for p in papers]
    json.dump(items, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
    return len(items)
