"""Normal forms of identifiers, so that the same paper is recognised however it was written."""

from __future__ import annotations

import re
import unicodedata

_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_DOI_WHOLE = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(v\d+)?(?![\d])")
_ARXIV_OLD = re.compile(r"\b([a-z][a-z.\-]+/\d{7})(v\d+)?\b", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv:\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE
)
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv[:\s]\s*|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}|[a-z][a-z.\-]+/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:)]}>'\""


def normalize_doi(text: str) -> str:
    """'https://doi.org/10.1000/ABC' -> '10.1000/abc'; '' when it is not a DOI.

    DOIs are case-insensitive, so the lower-case form is the one we compare and store.
    """
    value = _DOI_PREFIX.sub("", text.strip()).strip()
    if _DOI_WHOLE.fullmatch(value):  # a field holding a DOI: keep all of it ('<', '>' in SICI)
        return value.rstrip(".,;").lower()
    match = _DOI_IN_TEXT.search(value)
    if not match:
        return ""
    return match.group(1).rstrip(_TRAILING_PUNCT).lower()


def normalize_arxiv_id(text: str) -> str:
    """'arXiv:1706.03762v5' -> '1706.03762' (versions are one paper); '' when not an id."""
    value = _ARXIV_PREFIX.sub("", text.strip()).rstrip(_TRAILING_PUNCT).removesuffix(".pdf")
    match = _ARXIV_NEW.fullmatch(value)
    if match:
        return match.group(1) if _plausible_new_id(match.group(1)) else ""
    match = _ARXIV_OLD.fullmatch(value)
    return match.group(1).lower() if match else ""


def _plausible_new_id(arxiv_id: str) -> bool:
    """Since January 2015 the number after the dot has five digits; before, four."""
    yymm, number = arxiv_id.split(".")
    month = int(yymm[2:])
    return 1 <= month <= 12 and len(number) == (5 if yymm >= "1501" else 4)


def find_dois(text: str) -> list[str]:
    return _unique(m.group(1).rstrip(_TRAILING_PUNCT).lower() for m in _DOI_IN_TEXT.finditer(text))


def find_arxiv_ids(text: str) -> list[str]:
    """arXiv ids named as such in running text ('arXiv:2501.00001', arxiv.org links)."""
    found = (normalize_arxiv_id(m.group(1)) for m in _ARXIV_IN_TEXT.finditer(text))
    return _unique(arxiv_id for arxiv_id in found if arxiv_id)


def strip_accents(text: str) -> str:
    if text.isascii():  # most titles and names: nothing to decompose or fold
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLD_EXTRA)


# Letters that NFKD does not split into base + accent.
_FOLD_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
    }
)


_WORD = re.compile(r"[^\W_]+")


def normalize_title(title: str) -> str:
    """Casefolded, accent-free words only: how duplicates are recognised across sources."""
    folded = strip_accents(title).casefold()
    return " ".join(_WORD.findall(folded))


def _unique(values) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)
