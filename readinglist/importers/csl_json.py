"""CSL-JSON: what Zotero, Pandoc and Crossref speak. A list of items (or one item, or a
Crossref API answer); every item keeps its line for the report."""

from __future__ import annotations

import json
import re
from typing import Any

from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.domain.identifiers import find_arxiv_ids, normalize_arxiv_id, normalize_doi
from readinglist.domain.names import parse_name
from readinglist.domain.values import AuthorName
from readinglist.importers.limits import MAX_FIELD_CHARS, shortened, too_long

FORMAT = "csl-json"
_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "inproceedings",
    "book": "book",
    "chapter": "incollection",
    "thesis": "phdthesis",
    "report": "techreport",
    "webpage": "online",
    "post-weblog": "online",
    "manuscript": "unpublished",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "entry-encyclopedia": "inreference",
    "entry-dictionary": "inreference",
}
_KEY = re.compile(r"^[A-Za-z0-9_:.\-+]{1,80}$")


def _unreadable(error: ValueError | RecursionError) -> str:
    """What Python's JSON reader refuses beyond bad syntax: nesting deeper than its recursion
    limit, and (the only other ValueError it raises) numbers of more digits than int() reads."""
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    return "not readable: it holds a number of more than 4,300 digits"


def _items_with_lines(text: str, source: str, result: ParseResult) -> list[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] != "[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            result.problems.append(Problem(source, error.lineno, f"not valid JSON: {error.msg}"))
            return []
        except (ValueError, RecursionError) as error:
            result.problems.append(Problem(source, None, f"this JSON is {_unreadable(error)}"))
            return []
        if isinstance(value, dict) and isinstance(value.get("message"), dict):
            value = value["message"]  # a Crossref API answer
        if isinstance(value, dict) and isinstance(value.get("items"), list):
            return [(1, item) for item in value["items"]]
        return [(1, value)]
    items: list[tuple[int, Any]] = []
    index = start + 1
    line, counted = 1, 0  # lines counted up to ``counted``: each newline is counted once
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text):
            result.problems.append(Problem(source, None, "the JSON list is not closed with ']'"))
            return items
        if text[index] == "]":
            return items
        line += text.count("\n", counted, index)
        counted = index
        try:
            item, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            result.problems.append(
                Problem(
                    source,
                    error.lineno,
                    f"not valid JSON ({error.msg}); this item and the {text.count('{', index)} "
                    "or fewer after it could not be read",
                )
            )
            return items
        except (ValueError, RecursionError) as error:
            result.problems.append(
                Problem(
                    source,
                    line,
                    f"this item is {_unreadable(error)}; it and the items after it were not read",
                )
            )
            return items
        items.append((line, item))


MAX_DEPTH = 32  # CSL nests four deep (issued > date-parts > [[2020, 5]]); Zotero's, five


def _refusal(item: dict[str, Any]) -> str:
    """Why ``item`` cannot be imported: a field nested deeper than any CSL data (which would
    exhaust Python's recursion when stored), or one over the length limit; '' if neither."""
    stack: list[tuple[str, Any, int]] = [(str(key), value, 1) for key, value in item.items()]
    stack += [(key, key, 1) for key in item if isinstance(key, str)]
    while stack:
        name, value, depth = stack.pop()
        shown = shortened(name)
        if depth > MAX_DEPTH:
            return f"field {shown!r} is nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return too_long(shown, len(value))
        if isinstance(value, dict):
            stack.extend((name, inner, depth + 1) for inner in value.values())
            stack.extend((name, key, depth + 1) for key in value)
        elif isinstance(value, list):
            stack.extend((name, inner, depth + 1) for inner in value)
    return ""


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split()) if value is not None else ""


def csl_name(person: dict[str, Any]) -> AuthorName:
    if person.get("literal"):
        return AuthorName(literal=_text(person["literal"]))
    particle = " ".join(
        _text(person.get(k))
        for k in ("dropping-particle", "non-dropping-particle")
        if person.get(k)
    )
    return AuthorName(
        family=_text(person.get("family")),
        given=_text(person.get("given")),
        particle=particle,
        suffix=_text(person.get("suffix")),
    )


def csl_date(value: Any) -> tuple[int | None, int | None]:
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0]
        try:
            year = int(first[0])
            month = int(first[1]) if len(first) > 1 else None
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(1e999)
            return None, None
        return year, month if month and 1 <= month <= 12 else None
    match = re.match(
        r"\s*(\d{4})(?:-(\d{2}))?", str(value.get("raw") or value.get("literal") or "")
    )
    if match:
        month = int(match.group(2)) if match.group(2) else None
        return int(match.group(1)), month if month and 1 <= month <= 12 else None
    return None, None


_MARKUP = re.compile(r"</?(i|b|sup|sub|span)\b[^>]*>", re.IGNORECASE)
# (?<!\s): a match starts where a run of spaces starts, not again at each space inside it,
# which made a value of many spaces cost quadratic time.
_AND = re.compile(r"(?<!\s)\s+and\s+|;")


def _without_markup(text: str) -> str:
    """Rich-text tags taken out. Only text before the last '>' can hold a tag; past it,
    each '<b' would scan to the end of the text for a '>' that is not there."""
    end = text.rfind(">") + 1
    return _MARKUP.sub("", text[:end]) + text[end:]


# Zotero's own JSON (not CSL): itemType, creators, date, publicationTitle, citationKey.
_ZOTERO_TYPES = {
    "journalArticle": "article-journal",
    "conferencePaper": "paper-conference",
    "book": "book",
    "bookSection": "chapter",
    "thesis": "thesis",
    "report": "report",
    "webpage": "webpage",
    "preprint": "article",
}


def _from_zotero(item: dict[str, Any]) -> dict[str, Any]:
    """The few names that differ, so that a Zotero export is read rather than half-lost."""
    item = dict(item)
    if "itemType" in item:
        item.setdefault("type", _ZOTERO_TYPES.get(str(item.pop("itemType")), "article"))
    creators = item.pop("creators", None)
    if isinstance(creators, list):
        item.setdefault(
            "author",
            [
                {"literal": c["name"]}
                if c.get("name")
                else {"family": c.get("lastName", ""), "given": c.get("firstName", "")}
                for c in creators
                if isinstance(c, dict) and c.get("creatorType", "author") == "author"
            ],
        )
    if "date" in item and "issued" not in item:
        item["issued"] = {"raw": str(item.pop("date"))}
    for zotero, csl in (
        ("publicationTitle", "container-title"),
        ("citationKey", "citation-key"),
        ("abstractNote", "abstract"),
        ("pages", "page"),
        ("url", "URL"),
    ):
        if zotero in item and csl not in item:
            item[csl] = item.pop(zotero)
    return item


def _authors(value: Any, problems: list[str]) -> list[AuthorName]:
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, str):
        value = [part for part in _AND.split(value) if part.strip()]
    if not isinstance(value, list):
        problems.append("'author' is not a list of names; kept as it is")
        return []
    names = []
    for person in value:
        if isinstance(person, dict):
            names.append(csl_name(person))
        elif isinstance(person, str) and person.strip():
            names.append(parse_name(person))
    return names


def _draft(item: dict[str, Any], line: int, source: str, problems: list[Problem]) -> PaperDraft:
    item = _from_zotero(item) if "itemType" in item or "creators" in item else dict(item)
    kind = _text(item.pop("type", ""))
    draft = PaperDraft(line=line, entry_type=_TYPES.get(kind, "misc"))
    if kind and kind not in _TYPES:
        item["csl_type"] = kind
    ident = _text(item.pop("id", ""))
    if _KEY.match(ident) and not ident.isdigit():
        draft.key = ident
    elif ident:
        item["csl_id"] = ident
    draft.key = _text(item.pop("citation-key", "")) or draft.key
    notes: list[str] = []
    raw_authors = item.pop("author", [])
    draft.authors = _authors(raw_authors, notes)
    if notes:
        item["author"] = raw_authors
    problems.extend(Problem(source, line, note, "warning") for note in notes)
    draft.title = " ".join(_without_markup(_text(item.pop("title", ""))).split())
    draft.abstract = _text(item.pop("abstract", ""))
    draft.venue = _text(item.pop("container-title", "")) or _text(item.pop("event-title", ""))
    draft.year, draft.month = csl_date(item.pop("issued", None))
    draft.volume = _text(item.pop("volume", ""))
    draft.number = _text(item.pop("issue", "")) or _text(item.pop("number", ""))
    draft.pages = _text(item.pop("page", "")).replace("–", "--")
    draft.publisher = _text(item.pop("publisher", ""))
    doi = _text(item.pop("DOI", ""))
    draft.doi = normalize_doi(doi)
    if doi and not draft.doi:
        item["DOI"] = doi
    draft.url = _text(item.pop("URL", ""))
    draft.isbn = _text(item.pop("ISBN", ""))
    for name in ("arxiv", "eprint"):
        if name in item:
            draft.arxiv_id = normalize_arxiv_id(_text(item[name]))
            if draft.arxiv_id:
                item.pop(name)
                break
    if not draft.arxiv_id:
        found = find_arxiv_ids(_text(item.get("note", "")))
        draft.arxiv_id = found[0] if found else ""
    keywords = item.pop("keyword", "")
    if isinstance(keywords, list):
        keywords = ",".join(str(k) for k in keywords)
    draft.tags = [k.strip() for k in re.split(r"[,;]", str(keywords)) if k.strip()]
    draft.extra = {k: v for k, v in item.items() if v not in (None, "", [], {})}
    return draft


def parse_csl_json(text: str, source: str = "<csl-json>") -> ParseResult:
    result = ParseResult(format=FORMAT)
    for line, item in _items_with_lines(text.lstrip("\ufeff"), source, result):
        if not isinstance(item, dict):
            result.problems.append(Problem(source, line, "an item that is not a JSON object"))
            continue
        refusal = _refusal(item)
        if refusal:
            result.problems.append(Problem(source, line, f"{refusal}; this item was not imported"))
            continue
        result.entries.append(_draft(item, line, source, result.problems))
    return result
