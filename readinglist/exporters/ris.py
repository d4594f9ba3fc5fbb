"""RIS, written by rispy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

import rispy

from readinglist.domain.views import PaperView

TYPES = {
    "article": "JOUR",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "book": "BOOK",
    "incollection": "CHAP",
    "inbook": "CHAP",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "thesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "online": "ELEC",
    "unpublished": "UNPB",
    "patent": "PAT",
    "dataset": "DATA",
}


def record(paper: PaperView, with_notes: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type_of_reference": TYPES.get(paper.entry_type, "GEN"),
        "id": paper.key,
        "title": paper.title,
        "authors": [
            a.literal
            or ", ".join(p for p in (f"{a.particle} {a.family}".strip(), a.given, a.suffix) if p)
            for a in paper.authors
        ],
    }
    if paper.year is not None:
        data["year"] = str(paper.year)
        if paper.month:
            data["date"] = f"{paper.year}/{paper.month:02d}"
    pages = paper.pages.replace("–", "--")
    if re.fullmatch(r"[^\s-]+(?:-[^\s-]+)*--[^\s-]+(?:-[^\s-]+)*", pages):
        first, _, last = pages.partition("--")
    else:  # one page, an open range, or text: kept whole
        first, last = paper.pages, ""
    optional = {
        "secondary_title": paper.venue,
        "volume": paper.volume,
        "number": paper.number,
        "start_page": first,
        "end_page": last,
        "publisher": paper.publisher,
        "doi": paper.doi,
        "abstract": paper.abstract,
    }
    data.update({k: v for k, v in optional.items() if v})
    urls = [
        u
        for u in (paper.url, f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else "")
        if u
    ]
    if urls:
        data["urls"] = urls
    if paper.tags:
        data["keywords"] = list(paper.tags)
    if paper.isbn:
        data["issn"] = paper.isbn  # RIS has one tag, SN, for both
    if with_notes and paper.notes:
        data["notes"] = [n.body for n in paper.notes]
    _extras(paper, data)
    return _one_line(data)


def _one_line(value: Any) -> Any:
    """A line break inside a value would start a new tag ('AU  - X' in a note): none kept."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_one_line(v) for v in value]
    if isinstance(value, dict):
        return {k: _one_line(v) for k, v in value.items()}
    return value


_KNOWN = set(rispy.TAG_KEY_MAPPING.values()) - {"type_of_reference", "unknown_tag"}
_TAG = re.compile(r"^[A-Z][A-Z0-9]$")


def _extras(paper: PaperView, data: dict[str, Any]) -> None:
    """Fields a RIS import kept verbatim go back out under their own tags."""
    if not isinstance(paper.extra.get("_ris"), dict):
        return  # another format's fields ('date', 'note'…) would be misread under RIS tags
    unknown: dict[str, list[str]] = {}
    for name, value in paper.extra.items():
        if isinstance(value, dict):
            continue
        if name in _KNOWN and name not in data:
            data[name] = value
        elif _TAG.match(name) and isinstance(value, list):
            unknown[name] = [str(v) for v in value]
            # a repeated one-value tag kept whole: its list holds the first value too
            data.pop(rispy.TAG_KEY_MAPPING.get(name, ""), None)
    if unknown:
        data["unknown_tag"] = unknown
    if paper.extra.get("ris_type"):
        data["type_of_reference"] = paper.extra["ris_type"]
    if paper.extra.get("id"):  # the record's own ID comes back; the key follows from the data
        data["id"] = paper.extra["id"]


class _Writer(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers records ('1.') by default; RIS needs no such line


def write_ris(papers: Iterable[PaperView], stream: TextIO, with_notes: bool = False) -> int:
    records = [record(p, with_notes) for p in papers]
    stream.write(rispy.dumps(records, implementation=_Writer))
    return len(records)
