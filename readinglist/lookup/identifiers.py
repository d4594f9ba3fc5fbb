"""What a user may type to name a paper: an arXiv id (any form) or a DOI (any form)."""

from __future__ import annotations

from dataclasses import dataclass

from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi
from readinglist.domain.values import InvalidValue

ARXIV_DOI_PREFIX = "10.48550/arxiv."


@dataclass(frozen=True)
class Identifier:
    kind: str  # "arxiv" or "doi"
    value: str

    def __str__(self) -> str:
        return f"arXiv:{self.value}" if self.kind == "arxiv" else f"doi:{self.value}"


def parse_identifier(text: str) -> Identifier:
    """'2401.00001', 'arXiv:2401.00001v2', 'https://arxiv.org/abs/…', '10.1145/…',
    'doi:10.…', 'https://doi.org/10.…'."""
    cleaned = text.strip()
    doi = normalize_doi(cleaned) if "10." in cleaned else ""
    if doi.startswith(ARXIV_DOI_PREFIX):
        return Identifier("doi", doi)
    arxiv = normalize_arxiv_id(cleaned)
    if arxiv and not doi:
        return Identifier("arxiv", arxiv)
    if doi:
        return Identifier("doi", doi)
    raise InvalidValue(
        f"{text!r} is neither an arXiv id (like 2401.00001) nor a DOI (like 10.1145/3292500)"
    )
