"""BibTeX and BibLaTeX files, split into blocks by bibtexparser 2, every entry accounted for.

What bibtexparser leaves to us: macro and '#' evaluation (bibtex_values), LaTeX decoding
(latex), crossref inheritance, keyless entries, '%' comment lines, and the mapping of BibTeX
fields onto a paper. Whatever field we do not map is kept verbatim in ``extra``; a mapped field
whose LaTeX source says more than its text (protected capitals, accents) keeps that source in
``extra["_bibtex"]["latex"]`` so that export can give it back. What readinglist notes for
itself lives in that dict: no BibTeX field can hold a dict, so it never mixes with the fields.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)

from readinglist.domain.bibtex_names import parse_names, split_keywords
from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi
from readinglist.domain.latex import DECODED_LENGTH, latex_to_text, too_long_to_decode
from readinglist.importers.bibtex_crossref import inherit_crossrefs
from readinglist.importers.bibtex_values import Macros, evaluate, month_number
from readinglist.importers.limits import shortened

FORMAT = "bibtex"
# We report parse failures ourselves, with file and line; bibtexparser's log would repeat them.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_TEXT_FIELDS = {"title": "title", "abstract": "abstract", "publisher": "publisher"}
_RAW_FIELDS = {
    "volume": "volume",
    "number": "number",
    "issue": "number",
    "pages": "pages",
    "isbn": "isbn",
    "url": "url",
}
_VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "school", "institution", "organization")
_ARXIV_PREFIXES = {"arxiv"}
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/.*)?$")
_PERCENT_LINE = re.compile(r"^[ \t]*%")
_VALID_FIELD = re.compile(r"^[A-Za-z_.+\-@][A-Za-z0-9_.+\-:@]*$")


def _hide_comment_lines(text: str) -> str:
    """Blank '%' lines between entries (biber's rule: '%@book{x,' is commented out), keeping
    the line count so that reported line numbers stay right."""
    lines = text.split("\n")
    depth = 0
    for number, line in enumerate(lines):
        if depth == 0 and _PERCENT_LINE.match(line):
            lines[number] = ""
            continue
        depth = max(
            0, depth + line.count("{") - line.count("\\{") - line.count("}") + line.count("\\}")
        )
    return "\n".join(lines)


def _reason(block: ParsingFailedBlock) -> str:
    error = block.error
    return " ".join(
        (getattr(error, "abort_reason", None) or str(error) or type(error).__name__).split()
    )


def _give_keyless_entries_a_key(text: str, lines: list[int]) -> str:
    """'@book{title = …}' has no key: insert an empty one (a key is generated at import).

    bibtexparser keeps only the text up to its error, so the fix goes into the source."""
    rows = text.split("\n")
    for line in lines:
        rows[line] = re.sub(r"(@\s*\w+\s*[{(])", r"\1,", rows[line], count=1)
    return "\n".join(rows)


_KEYLESS = re.compile(r"^\s*@\s*\w+\s*[{(]\s*[^\s,={}()]+\s*=")


def _is_keyless(block: ParsingFailedBlock) -> bool:
    """'@book{title = …}': the first thing inside is a field, not a key. A key followed by a
    field without its comma ('@article{smith2020 title=…') is a different mistake."""
    return "Expected comma after entry key, but found =" in _reason(block) and bool(
        _KEYLESS.match(block.raw or "")
    )


def _failure(block: ParsingFailedBlock, source: str) -> Problem:
    line = block.start_line + 1 if block.start_line is not None else None
    first = block.raw.strip().splitlines()[0][:60] if block.raw and block.raw.strip() else ""
    if re.match(r"@\s*comment\b", first, re.IGNORECASE):
        # Not data: BibTeX itself ignores @comment, and the entries inside it are read.
        return Problem(
            source, line, f"an unclosed {first!r} block was skipped: {_reason(block)}", "warning"
        )
    return Problem(source, line, f"could not read {first!r}: {_reason(block)}")


def _not_kept(block: Preamble | ExplicitComment, source: str) -> Problem:
    """Said, not silently dropped: a library holds papers, not a file's preamble or comments."""
    line = block.start_line + 1 if block.start_line is not None else None
    kind = "@preamble" if isinstance(block, Preamble) else "@comment"
    first = " ".join(str(block.raw).split())[:60]
    return Problem(
        source, line, f"{kind} not kept (only entries are imported): {first!r}", "warning"
    )


def parse_bibtex(text: str, source: str = "<bibtex>") -> ParseResult:
    result = ParseResult(format=FORMAT)
    prepared = _hide_comment_lines(text.lstrip("\ufeff"))
    library = bibtexparser.parse_string(prepared, parse_stack=[])
    keyless = [
        b.start_line for b in library.failed_blocks if b.start_line is not None and _is_keyless(b)
    ]
    if keyless:
        prepared = _give_keyless_entries_a_key(prepared, keyless)
        library = bibtexparser.parse_string(prepared, parse_stack=[])
    macros = Macros()
    entries: list[Entry] = []
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, String
        ):  # a string defined again: BibTeX uses the later definition, and so do we
            block = block.ignore_error_block
            result.problems.append(_redefined(block, source))
        if isinstance(block, String):
            _define(block, macros, source, result.problems)
        elif isinstance(block, Entry):
            entries.append(block)
        elif isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
            # the same key twice (keep both), or a field twice (the first is kept, with a word)
            entries.append(block.ignore_error_block)
        elif isinstance(block, ParsingFailedBlock):
            result.problems.append(_failure(block, source))
        elif isinstance(block, Preamble | ExplicitComment) and str(block.raw or "").strip():
            result.problems.append(_not_kept(block, source))
    evaluated = [(e, _evaluated_fields(e, macros, source, result.problems)) for e in entries]
    kept = [(entry, fields) for entry, fields in evaluated if fields is not None]
    entries, raw_fields = [e for e, _ in kept], [f for _, f in kept]
    inherit_crossrefs(entries, raw_fields, source, result.problems)
    for entry, fields in zip(entries, raw_fields, strict=True):
        result.entries.append(_draft(entry, fields, source, result.problems))
    return result


def _redefined(block: String, source: str) -> Problem:
    line = block.start_line + 1 if block.start_line is not None else None
    message = f"@string {block.key.strip()!r} is defined again; from here on this one is used"
    return Problem(source, line, message, "warning")


def _define(block: String, macros: Macros, source: str, problems: list[Problem]) -> None:
    evaluated = evaluate(str(block.value), macros)
    macros.define(block.key, evaluated)
    line = block.start_line + 1 if block.start_line is not None else None
    name = block.key.strip()
    if evaluated.too_long:
        problems.append(
            Problem(
                source,
                line,
                f"@string {name!r} {evaluated.too_long}; the entries that use it are not imported",
                "warning",
            )
        )
    problems.extend(
        Problem(
            source,
            line,
            f"@string {name!r} uses the undefined string {word!r}; that part is left out",
            "warning",
        )
        for word in evaluated.undefined
    )


def _evaluated_fields(
    entry: Entry, macros: Macros, source: str, problems: list[Problem]
) -> dict[str, str] | None:
    """The entry's fields as text, or None when one is too long to import (said in
    ``problems``): the entry is then left out whole, never cut short."""
    fields: dict[str, str] = {}
    for item in entry.fields:
        line = (item.start_line or entry.start_line or 0) + 1
        name = item.key
        if "%" in name or "\n" in name:  # a '%' comment line before the field name
            kept = [
                ln for ln in name.splitlines() if ln.strip() and not ln.lstrip().startswith("%")
            ]
            name = kept[-1].strip() if kept else ""
            problems.append(
                Problem(
                    source,
                    line,
                    "a '%' comment inside an entry is not "
                    f"BibTeX; read the field after it as {name!r}",
                    "warning",
                )
            )
        name = name.strip().lower()
        if not _VALID_FIELD.match(name):
            problems.append(
                Problem(
                    source,
                    line,
                    f"{item.key.strip()!r} is not a valid field name; kept as it is",
                    "warning",
                )
            )
        evaluated = evaluate(str(item.value), macros)
        if evaluated.too_long:
            problems.append(
                Problem(
                    source,
                    line,
                    f"{shortened(entry.key.strip()) or 'entry'}: field {shortened(name)!r} "
                    f"{evaluated.too_long}; "
                    "this entry was not imported",
                )
            )
            return None
        for word in evaluated.undefined:
            problems.append(
                Problem(
                    source,
                    line,
                    f"undefined string {word!r} in field "
                    f"{name!r} of {entry.key.strip()!r}; left out",
                    "warning",
                )
            )
        if name in fields:
            copy = 2
            while f"{name}_{copy}" in fields:
                copy += 1
            problems.append(
                Problem(
                    source,
                    line,
                    f"field {name!r} appears again in {entry.key.strip()!r}; the first is "
                    f"used, this one kept as {name}_{copy!s}",
                    "warning",
                )
            )
            name = f"{name}_{copy}"
        if evaluated.text.strip() or not evaluated.undefined:
            fields[name] = evaluated.text
    return fields


def _text(fields: dict[str, str], name: str, latex: dict[str, str], warn) -> str:
    raw = fields.pop(name, "")
    if too_long_to_decode(raw):
        warn(
            f"field {name!r} is {len(raw):,} characters long; its LaTeX is kept as written "
            f"(only fields of up to {DECODED_LENGTH:,} characters are decoded)"
        )
    text = latex_to_text(raw)
    if raw and raw.strip() != text:
        latex[name] = raw
    return text


def _draft(
    entry: Entry, fields: dict[str, str], source: str, problems: list[Problem]
) -> PaperDraft:
    line = (entry.start_line or 0) + 1
    fields = dict(fields)
    latex: dict[str, str] = {}
    draft = PaperDraft(
        key=entry.key.strip(), entry_type=entry.entry_type.strip().lower(), line=line
    )

    def warn(message: str) -> None:
        problems.append(Problem(source, line, f"{draft.key or 'entry'}: {message}", "warning"))

    if not draft.key:
        warn("no citation key; one is generated from the authors, year and title")
    for name, target in _TEXT_FIELDS.items():
        setattr(draft, target, _text(fields, name, latex, warn))
    if "author" in fields:
        raw = fields.pop("author")
        draft.authors = parse_names(raw)
        latex["author"] = raw  # names are subtle ('V{\'a}zques{ de }Parga'): keep the source
    venue_field = None
    for name in _VENUE_FIELDS:
        if name in fields:
            draft.venue = _text(fields, name, latex, warn)
            venue_field = name  # so that export writes it back where it was
            break
    raw: dict[str, str] = {}
    for name, target in _RAW_FIELDS.items():
        if name in fields and target in ("volume", "number", "pages"):
            raw[target] = " ".join(fields[name].replace("{", "").replace("}", "").split())
        if name in fields and not getattr(draft, target):
            setattr(
                draft, target, " ".join(fields.pop(name).replace("{", "").replace("}", "").split())
            )
    _dates(draft, fields, warn)
    doi = fields.pop("doi", "")
    if doi:
        draft.doi = normalize_doi(doi)
        if not draft.doi:
            fields["doi"] = doi
            warn(f"doi {doi!r} is not a DOI; kept as a plain field")
    _arxiv(draft, fields)
    keywords = fields.pop("keywords", "")
    if keywords:
        raw["keywords"] = keywords
    draft.tags = split_keywords(keywords)
    _personal(draft, fields)
    # The other fields are LaTeX source, written back as they are.
    source: dict[str, object] = {"latex": latex} if latex else {}
    # what was kept as written, to tell an untouched field from one edited since
    raw.update({k: v for k, v in fields.items() if isinstance(v, str)})
    source["raw"] = raw
    if venue_field:
        source["venue_field"] = venue_field
    draft.extra = {**fields, "_bibtex": source}

    return draft


def _indent(row: str) -> str:
    return row[: len(row) - len(row.lstrip(" \t"))]


def _personal(draft: PaperDraft, fields: dict[str, str]) -> None:
    """A reader's own fields, as readinglist ('export --with-notes') and JabRef write them."""
    annote = fields.pop("annote", "")
    if annote.strip():  # decoded line by line: a Markdown note keeps its shape
        rows = [
            _indent(row) + (latex_to_text(row) if "\\" in row else row.strip())
            for row in annote.splitlines()
        ]
        draft.notes = ["\n".join(rows).strip()]
    status = fields.get("readstatus", "").strip().lower()
    if status in ("unread", "to-read", "reading", "read", "abandoned"):
        draft.status = fields.pop("readstatus").strip().lower()
    rating = fields.get("rating", "").strip()
    if rating.isdecimal() and len(rating) < 10 and 0 <= int(rating) <= 5:  # not '²', not 10**5000
        draft.rating = int(fields.pop("rating"))


def _dates(draft: PaperDraft, fields: dict[str, str], warn) -> None:
    year_text = fields.pop("year", "").strip().strip("{}").strip()  # year = {{2020}}
    month_text = fields.pop("month", "").strip().strip("{}").strip()
    date_text = fields.get("date", "").strip()
    if date_text:
        match = _DATE.match(date_text)
        if match:
            draft.year = int(match.group(1))
            month = int(match.group(2)) if match.group(2) else None
            draft.month = month if month and 1 <= month <= 12 else None
        else:
            warn(f"invalid date {date_text!r}; kept as text, not used for the year")
    if year_text:
        if re.fullmatch(r"-?\d{1,4}", year_text):
            draft.year = int(year_text)
        else:
            fields["year"] = year_text
            warn(f"year {year_text!r} is not a single year; kept as text")
    if month_text:
        number = month_number(month_text)
        if number is None:
            fields["month"] = month_text
            warn(f"month {month_text!r} is not a month; kept as text")
        else:
            draft.month = number


def _arxiv(draft: PaperDraft, fields: dict[str, str]) -> None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    candidates = []
    if "eprint" in fields and (prefix in _ARXIV_PREFIXES or not prefix):
        candidates.append("eprint")
    candidates += [name for name in ("arxivid", "arxiv") if name in fields]
    for name in candidates:
        arxiv_id = normalize_arxiv_id(fields[name])
        if arxiv_id:
            draft.arxiv_id = arxiv_id
            if name == "eprint":  # export writes these back, in the dialect asked for
                for used in ("eprint", "archiveprefix", "eprinttype"):
                    fields.pop(used, None)
            return
