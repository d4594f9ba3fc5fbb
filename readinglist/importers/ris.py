"""RIS files (EndNote, Scopus, PubMed, Zotero…) read with rispy, one record at a time.

We cut the file into records ourselves ('TY  -' to 'ER  -') so that junk between records is
skipped, a last record without 'ER' is kept, a broken record is reported with its line and does
not take the others down, and every record knows its line. Web of Science's tagged export looks
like RIS but is not; it is recognised and read with rispy's WoS parser (see wos.py).
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi
from readinglist.domain.values import AuthorName
from readinglist.importers.limits import MAX_FIELD_CHARS, field_too_long, long_tagged_value

FORMAT = "ris"
_START = re.compile(r"^TY  -")
_END = re.compile(r"^ER  -")
_TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "MGZN": "article",
    "NEWS": "article",
    "EJOUR": "article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "THES": "phdthesis",
    "RPRT": "techreport",
    "ELEC": "online",
    "WEB": "online",
    "PAT": "patent",
    "UNPB": "unpublished",
    "GEN": "misc",
}
_DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2}))?")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")


def ris_name(text: str) -> AuthorName:
    """'Shi,Yu', 'Beck, Thomas L.', 'von Eel, Egbert', 'Fanning E.' (family and initials); a
    name without a comma is an organisation's ('Sci-Art Publishers'), kept whole."""
    text = " ".join(text.split())
    if "," in text:
        family, _, rest = text.partition(",")
        given, _, suffix = rest.partition(",")
        words = family.split()
        lower = 0
        while lower < len(words) - 1 and words[lower][:1].islower():
            lower += 1
        return AuthorName(
            family=" ".join(words[lower:]),
            given=given.strip(),
            particle=" ".join(words[:lower]),
            suffix=suffix.strip(),
        )
    words = text.split()
    if len(words) >= 2 and all(_INITIALS.match(w) for w in words[1:]):
        return AuthorName(family=words[0], given=" ".join(words[1:]))
    if len(words) == 1:
        return AuthorName(family=text)
    return AuthorName(literal=text)


def records(text: str) -> list[tuple[int, str]]:
    """(1-based line of 'TY', the record's text ending with an ER line)."""
    found: list[tuple[int, str]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if _START.match(line):
            if current is not None:  # a record without ER: it ends where the next begins
                found.append((start, "\n".join([*current, "ER  - "])))
            current, start = [line], number
        elif current is not None:
            current.append(line)
            if _END.match(line):
                found.append((start, "\n".join(current)))
                current = None
    if current is not None:
        found.append((start, "\n".join([*current, "ER  - "])))
    return found


def _first(record: dict[str, Any], *names: str) -> str:
    for name in names:
        value = record.pop(name, None)
        if isinstance(value, list):
            value = value[0] if value else None
        if value and str(value).strip():
            return str(value).strip()
    return ""


_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ANY_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2[01]\d\d)(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _date(text: str) -> tuple[int | None, int | None]:
    """'2013/07/22', '1948/07//', '05/17/2019', '2017 May', 'Spring 2018' -> (year, month)."""
    year = month = None
    if re.fullmatch(r"\s*-?\d{1,4}\s*", text) and int(text) != 0:  # '-379', '6': as written
        return int(text), None
    if (match := _DATE.match(text)) and int(match.group(1)) > 0:
        year, month = int(match.group(1)), int(match.group(2)) if match.group(2) else None
    elif match := _US_DATE.match(text):
        year, month = int(match.group(3)), int(match.group(1))
    elif match := _ANY_YEAR.search(text):
        year = int(match.group(1))
    if year is not None and month is None:
        lowered = text.lower()
        month = next((i for i, m in enumerate(_MONTHS, 1) if re.search(rf"\b{m}", lowered)), None)
    return year, month if month and 1 <= month <= 12 else None


_TYPE_WORDS = (
    ("journal", "article"),
    ("article", "article"),
    ("chapter", "incollection"),
    ("section", "incollection"),
    ("conference", "inproceedings"),
    ("proceedings", "inproceedings"),
    ("book", "book"),
    ("thesis", "phdthesis"),
    ("report", "techreport"),
    ("web", "online"),
    ("patent", "patent"),
)


def _entry_type(kind: str) -> str:
    """A RIS code ('JOUR'), or the spelled-out names some programs write ('Journal Article')."""
    if kind.upper() in _TYPES:
        return _TYPES[kind.upper()]
    lowered = kind.lower()
    return next((entry for word, entry in _TYPE_WORDS if word in lowered), "misc")


def _draft(record: dict[str, Any], line: int) -> PaperDraft:
    record = dict(record)
    kind = str(record.pop("type_of_reference", "GEN")).strip()
    draft = PaperDraft(line=line, entry_type=_entry_type(kind))
    names = [*record.pop("authors", []), *record.pop("first_authors", [])]
    draft.authors = [ris_name(n) for n in names if n.strip()]
    draft.title = " ".join(
        _first(record, "title", "primary_title", "translated_title", "short_title").split()
    )
    draft.abstract = " ".join(_first(record, "abstract", "notes_abstract").split())
    draft.venue = _first(
        record,
        "secondary_title",
        "alternate_title3",
        "journal_name",
        "alternate_title1",
        "alternate_title2",
    )
    for name in ("year", "publication_year", "date"):
        year, month = _date(str(record.get(name) or ""))
        if year is not None:
            draft.year = draft.year or year
            draft.month = draft.month or month
            if name == "year" and record[name].strip() == str(year):
                record.pop(name)
    draft.volume = _first(record, "volume")
    draft.number = _first(record, "number")
    start, end = _first(record, "start_page"), _first(record, "end_page")
    draft.pages = f"{start}--{end}" if start and end else start or end
    draft.publisher = _first(record, "publisher")
    serial = str(record.get("issn") or "")
    if re.fullmatch(r"(97[89][- ]?)?\d[\d -]{7,15}[\dXx]", serial.strip()) and len(
        re.sub(r"\D", "", serial)
    ) in (9, 10, 12, 13):
        draft.isbn = record.pop("issn").strip()  # SN holds an ISBN for books
    doi = _first(record, "doi")
    draft.doi = normalize_doi(doi)
    if doi and not draft.doi:
        record["doi"] = doi
    urls = []
    for url in record.pop("urls", []) or []:
        arxiv = normalize_arxiv_id(url) if "arxiv.org/" in url else ""
        if arxiv and not draft.arxiv_id:
            draft.arxiv_id = arxiv  # an arXiv link names the preprint
        elif "doi.org/" in url and not draft.doi and normalize_doi(url):
            draft.doi = normalize_doi(url)
        else:
            urls.append(url)
    draft.url = urls[0] if urls else ""
    if urls[1:]:
        record["urls"] = urls[1:]
    draft.tags = [k.strip() for k in record.pop("keywords", []) or [] if k.strip()]
    ident = str(record.get("id", "")).strip()
    if re.fullmatch(r"[^\W\d_][\w:.\-+/]{0,99}", ident):  # a citation key, as we export it
        draft.key = record.pop("id")
    unknown = record.pop("unknown_tag", None) or {}
    extra: dict[str, Any] = {k: v for k, v in record.items() if v not in (None, "", [])}
    extra.update({tag: values for tag, values in unknown.items()})
    if kind.upper() not in _TYPES:
        extra["ris_type"] = kind
    extra["_ris"] = {}  # the other fields are RIS's own, written back under their tags
    draft.extra = extra
    return draft


_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$", re.MULTILINE)


def _keep_repeats(text: str, draft: PaperDraft, source: str, line: int, problems) -> None:
    """rispy keeps the first of a repeated one-value tag (a second TI, several AD lines);
    the others are kept too, under the tag's own name."""
    values: dict[str, list[str]] = {}
    for tag, value in _TAG_LINE.findall(text):
        values.setdefault(tag, []).append(value.strip())
    for tag, found in values.items():
        if len(found) > 1 and tag not in rispy.LIST_TYPE_TAGS and tag not in ("TY", "ER"):
            draft.extra[tag] = found
            problems.append(
                Problem(
                    source,
                    line,
                    f"tag {tag} appears {len(found)} times; the "
                    f"first is used and all are kept as {tag}",
                    "warning",
                )
            )


def parse_ris(text: str, source: str = "<ris>") -> ParseResult:
    result = ParseResult(format=FORMAT)
    found = records(text.lstrip("\ufeff"))
    if not found:
        result.problems.append(Problem(source, None, "no RIS record ('TY  - …' line) found"))
    for line, record_text in found:
        if len(record_text) > MAX_FIELD_CHARS:  # only then can one value be too long
            long = long_tagged_value(record_text.split("\n"))
            if long is not None:
                message = field_too_long(long.tag, long.length, "this record")
                result.problems.append(Problem(source, line + long.offset, message))
                continue
        try:
            parsed = rispy.loads(record_text, skip_unknown_tags=False)
        except Exception as error:  # rispy raises plain exceptions on malformed records
            result.problems.append(Problem(source, line, f"could not read this record: {error}"))
            continue
        for record in parsed:
            draft = _draft(record, line)
            _keep_repeats(record_text, draft, source, line, result.problems)
            result.entries.append(draft)
    return result
