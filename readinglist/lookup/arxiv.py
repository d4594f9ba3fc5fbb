"""arXiv's API (an Atom feed), read with defusedxml: the answer comes from the network."""

from __future__ import annotations

import re

from defusedxml import ElementTree

from readinglist.domain.drafts import PaperDraft
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi
from readinglist.domain.names import parse_name
from readinglist.lookup.http import Http, LookupFailed, NotFound

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}


def _text(element, path: str) -> str:
    found = element.find(path, NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_feed(xml: bytes) -> list[PaperDraft]:
    try:
        root = ElementTree.fromstring(xml)
    except Exception as error:  # malformed or hostile XML
        raise LookupFailed(f"arXiv sent an answer that is not a valid feed ({error})") from None
    drafts = []
    for entry in root.findall("atom:entry", NS):
        entry_id = _text(entry, "atom:id")
        if "/api/errors" in entry_id:
            raise LookupFailed(f"arXiv: {_text(entry, 'atom:summary') or 'error'}")
        arxiv_id = normalize_arxiv_id(entry_id.rsplit("/abs/", 1)[-1])
        published = _text(entry, "atom:published")
        match = re.match(r"(\d{4})-(\d{2})", published)
        doi = normalize_doi(_text(entry, "arxiv:doi"))
        draft = PaperDraft(
            entry_type="article" if doi or _text(entry, "arxiv:journal_ref") else "misc",
            title=_text(entry, "atom:title"),
            abstract=_text(entry, "atom:summary"),
            authors=[parse_name(_text(a, "atom:name")) for a in entry.findall("atom:author", NS)],
            year=int(match.group(1)) if match else None,
            month=int(match.group(2)) if match else None,
            arxiv_id=arxiv_id,
            doi=doi,
            venue=_text(entry, "arxiv:journal_ref"),
            url=f"https://arxiv.org/abs/{arxiv_id}",
        )
        primary = entry.find("arxiv:primary_category", NS)
        if primary is not None and primary.get("term"):
            draft.extra["primaryclass"] = primary.get("term")
        comment = _text(entry, "arxiv:comment")
        if comment:
            draft.extra["comment"] = comment
        draft.extra["eprinttype"] = "arxiv"
        drafts.append(draft)
    return drafts


def fetch_arxiv(http: Http, arxiv_id: str) -> PaperDraft:
    # arXiv answers a malformed id with 400 and an Atom error entry that says why
    response = http.get(
        http.endpoints.arxiv, params={"id_list": arxiv_id, "max_results": "1"}, also_accept=(400,)
    )
    drafts = [d for d in parse_feed(response.content) if d.title]
    if not drafts:
        raise NotFound(f"arXiv has no paper {arxiv_id}")
    return drafts[0]
