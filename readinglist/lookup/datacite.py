"""DataCite's REST API (/dois/{doi}): datasets, software, and arXiv's own DOIs (10.48550)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from readinglist.domain.drafts import PaperDraft
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi
from readinglist.domain.values import AuthorName
from readinglist.lookup.http import Http, LookupFailed
from readinglist.lookup.identifiers import ARXIV_DOI_PREFIX

TYPES = {
    "JournalArticle": "article",
    "ConferencePaper": "inproceedings",
    "Book": "book",
    "BookChapter": "incollection",
    "Preprint": "misc",
    "Dissertation": "phdthesis",
    "Report": "techreport",
    "Dataset": "dataset",
    "Software": "software",
}


def _creator(creator: dict[str, Any]) -> AuthorName:
    if creator.get("nameType") == "Organizational" or not creator.get("familyName"):
        name = creator.get("name", "")
        if "," in name and creator.get("nameType") == "Personal":
            family, _, given = name.partition(",")
            return AuthorName(family=family.strip(), given=given.strip())
        return AuthorName(literal=" ".join(str(name).split()))
    return AuthorName(
        family=creator["familyName"].strip(), given=str(creator.get("givenName", "")).strip()
    )


def parse_doi_record(attributes: dict[str, Any]) -> PaperDraft:
    titles = [t.get("title", "") for t in attributes.get("titles", []) if isinstance(t, dict)]
    abstracts = [
        d.get("description", "")
        for d in attributes.get("descriptions", [])
        if isinstance(d, dict) and d.get("descriptionType") == "Abstract"
    ]
    publisher = attributes.get("publisher", "")
    if isinstance(publisher, dict):
        publisher = publisher.get("name", "")
    doi = normalize_doi(str(attributes.get("doi", "")))
    year = attributes.get("publicationYear")
    kind = (attributes.get("types") or {}).get("resourceTypeGeneral", "")
    draft = PaperDraft(
        entry_type=TYPES.get(kind, "misc"),
        title=" ".join(titles[0].split()) if titles else "",
        authors=[_creator(c) for c in attributes.get("creators", []) if isinstance(c, dict)],
        year=int(year) if str(year).isdigit() else None,
        abstract=" ".join(abstracts[0].split()) if abstracts else "",
        publisher=" ".join(str(publisher).split()),
        doi=doi,
        url=str(attributes.get("url") or ""),
        tags=[
            s["subject"]
            for s in attributes.get("subjects", [])
            if isinstance(s, dict) and s.get("subject")
        ],
    )
    if doi.startswith(ARXIV_DOI_PREFIX):
        draft.arxiv_id = normalize_arxiv_id(doi[len(ARXIV_DOI_PREFIX) :])
    return draft


def fetch_datacite(http: Http, doi: str) -> PaperDraft | None:
    response = http.get(f"{http.endpoints.datacite}/{quote(doi, safe='/')}")
    if response.status_code == 404:
        return None
    try:
        attributes = response.json()["data"]["attributes"]
    except (ValueError, KeyError, TypeError):
        raise LookupFailed("DataCite sent an answer that is not a DOI record") from None
    return parse_doi_record(attributes)
