"""Which service knows a paper: arXiv for arXiv ids; Crossref, then DataCite, for DOIs (arXiv's
own DOIs, 10.48550/…, live at DataCite)."""

from __future__ import annotations

from readinglist.domain.drafts import PaperDraft
from readinglist.lookup.arxiv import fetch_arxiv
from readinglist.lookup.crossref import fetch_crossref
from readinglist.lookup.datacite import fetch_datacite
from readinglist.lookup.http import Http, NotFound
from readinglist.lookup.identifiers import ARXIV_DOI_PREFIX, Identifier


def look_up(http: Http, identifier: Identifier) -> PaperDraft:
    if identifier.kind == "arxiv":
        return fetch_arxiv(http, identifier.value)
    doi = identifier.value
    if doi.startswith(ARXIV_DOI_PREFIX):
        draft = fetch_datacite(http, doi)
    else:
        draft = fetch_crossref(http, doi) or fetch_datacite(http, doi)
    if draft is None:
        raise NotFound(f"neither Crossref nor DataCite knows the DOI {doi}")
    return draft
