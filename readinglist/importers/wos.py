"""Web of Science's tagged export ('FN Clarivate…', 'PT J', two-letter tags), read with rispy's
WoS parser. It looks like RIS but is a format of its own."""

from __future__ import annotations

import re
from typing import Any

import rispy

from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.domain.identifiers import normalize_doi
from readinglist.importers.limits import MAX_FIELD_CHARS, field_too_long, long_tagged_value
from readinglist.importers.ris import ris_name

FORMAT = "wos"
_START = re.compile(r"^PT ", re.MULTILINE)


def looks_like_wos(text: str) -> bool:
    head = text.lstrip("\ufeff")[:4000]
    return bool(re.match(r"(FN |VR |PT )", head)) and bool(_START.search(head))


def _pop(record: dict[str, Any], name: str) -> str:
    value = record.pop(name, "")
    if isinstance(value, list):
        value = "; ".join(value)
    return " ".join(str(value).split())


def _draft(record: dict[str, Any], line: int | None) -> PaperDraft:
    record = dict(record)
    names = record.pop("author_full_name", None) or record.get("authors", [])
    record.pop("authors", None)
    draft = PaperDraft(
        line=line, entry_type="article" if record.get("publication_type") == "J" else "misc"
    )
    draft.authors = [ris_name(n) for n in names if n.strip()]
    draft.title = _pop(record, "document_title")
    venue = _pop(record, "publication_name")
    draft.venue = venue.title() if venue.isupper() else venue
    draft.abstract = _pop(record, "abstract")
    year = _pop(record, "publication_year")
    draft.year = int(year) if year.isdecimal() and len(year) < 10 else None  # not '²', not 10**5000
    draft.volume = _pop(record, "volume")
    draft.number = _pop(record, "issue")
    first, last = _pop(record, "beginning_page"), _pop(record, "ending_page")
    draft.pages = f"{first}--{last}" if first and last else first
    draft.publisher = _pop(record, "publisher")
    draft.doi = normalize_doi(_pop(record, "doi"))
    draft.tags = [k.strip() for k in _pop(record, "author_keywords").split(";") if k.strip()]
    draft.extra = {k: v for k, v in record.items() if v not in (None, "", [])}
    return draft


def _without_long_records(text: str, source: str, problems: list[Problem]) -> str:
    """The text with each record holding a value over the field limit blanked out (and said),
    its lines kept so that the others keep their numbers."""
    rows = text.splitlines()
    starts = [n for n, row in enumerate(rows) if row.startswith("PT ")]
    for start, end in zip(starts, [*starts[1:], len(rows)], strict=True):
        long = long_tagged_value(rows[start:end])
        if long is not None:
            message = field_too_long(long.tag, long.length, "this record")
            problems.append(Problem(source, start + long.offset + 1, message))
            rows[start:end] = [""] * (end - start)
    return "\n".join(rows) if problems else text


def parse_wos(text: str, source: str = "<wos>") -> ParseResult:
    result = ParseResult(format=FORMAT)
    if len(text) > MAX_FIELD_CHARS:  # only then can one value be too long
        text = _without_long_records(text, source, result.problems)
    lines = [n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("PT ")]
    try:
        parsed = rispy.loads(text.lstrip("\ufeff"), implementation=rispy.WokParser)
    except Exception as error:
        result.problems.append(Problem(source, None, f"could not read this file: {error}"))
        return result
    for index, record in enumerate(parsed):
        result.entries.append(_draft(record, lines[index] if index < len(lines) else None))
    if len(parsed) != len(lines):
        result.problems.append(
            Problem(
                source,
                None,
                f"{len(lines)} records start with 'PT' but {len(parsed)} were read",
                "error",
            )
        )
    return result
