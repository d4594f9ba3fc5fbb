"""BibTeX and BibLaTeX that bibtex and biber accept as they are.

A field imported from BibTeX goes back out as its LaTeX source when the text has not been
edited since (protected capitals, accents and macros survive a round trip); anything else is
plain text, escaped, with words like 'BERT' or 'iPhone' protected from a style's lower-casing.
bibtexparser 2 writes the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from readinglist.domain.bibtex_names import parse_names, split_keywords
from readinglist.domain.latex import (
    accents_to_unicode,
    escape_latex,
    latex_to_text,
    text_to_ascii_latex,
)
from readinglist.domain.values import AuthorName
from readinglist.domain.views import PaperView

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# BibLaTeX types that plain BibTeX styles do not know, and what they read instead.
BIBTEX_TYPES = {
    "online": "misc",
    "report": "techreport",
    "thesis": "phdthesis",
    "dataset": "misc",
    "software": "misc",
    "patent": "misc",
    "inreference": "incollection",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "bookinbook": "inbook",
    "suppbook": "inbook",
    "suppcollection": "incollection",
    "periodical": "misc",
    "suppperiodical": "article",
    "proceedings": "proceedings",
    "mvproceedings": "proceedings",
    "unpublished": "unpublished",
    "set": "misc",
    "xdata": "misc",
    "artwork": "misc",
    "audio": "misc",
    "image": "misc",
    "movie": "misc",
    "music": "misc",
    "video": "misc",
}
STANDARD_TYPES = {
    "article",
    "book",
    "booklet",
    "conference",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
}
BIBLATEX_TYPES = STANDARD_TYPES | set(BIBTEX_TYPES) - {"conference"}
# 'BERT', 'LLMs', 'GPT3', 'iPhone': words a style must not lower-case. 'The' is left alone.
_PROTECT = re.compile(r"(?<![\w{\\])(\w*[A-Z]\w*[A-Z0-9]\w*|[a-z]+[A-Z]\w*)(?![\w}])")
_FIELD_NAME = re.compile(r"^[a-z_.+\-@][a-z0-9_.+\-:@]*$")


@dataclass(frozen=True)
class BibtexOptions:
    biblatex: bool = False
    ascii: bool | None = None  # None: LaTeX escapes for BibTeX, UTF-8 for BibLaTeX
    with_notes: bool = False

    @property
    def use_ascii(self) -> bool:
        return (not self.biblatex) if self.ascii is None else self.ascii


def _date_parts(date: str) -> tuple[int | None, int | None]:
    match = re.match(r"^(-?\d{4})(?:-(\d{2}))?", date.strip())
    if not match:
        return None, None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def _source(paper: PaperView) -> dict:
    """What the BibTeX importer noted about this paper's source (empty for other formats)."""
    source = paper.extra.get("_bibtex")
    return source if isinstance(source, dict) else {}


class _Writer:
    def __init__(self, options: BibtexOptions) -> None:
        self.options = options

    def encode(self, text: str) -> str:
        return text_to_ascii_latex(text) if self.options.use_ascii else text

    def plain(self, text: str, protect: bool = False) -> str:
        """Plain text as a BibTeX value: escaped, capitals protected, ASCII if asked."""
        escaped = escape_latex(" ".join(text.split()))
        if protect:
            escaped = _PROTECT.sub(lambda m: "{" + m.group(1) + "}", escaped)
        return self.encode(escaped)

    def field(
        self, paper: PaperView, name: str, text: str, protect: bool = False, source_name=None
    ) -> str:
        source = _source(paper).get("latex", {}).get(source_name or name)
        if source is None or latex_to_text(source) != text:
            return self.plain(text, protect)
        return self.source(source)  # unchanged since import: its own LaTeX

    def verbatim(self, paper: PaperView, name: str, value: str) -> str:
        """A field BibTeX import kept as written goes back as written, unless edited since;
        an edited or foreign value is plain text, escaped (page ranges keep their '--')."""
        if _source(paper).get("raw", {}).get(name) == value:
            return self.source(value)
        return self.encode(escape_latex(" ".join(value.split()), ligatures=name != "pages"))

    def source(self, latex: str) -> str:
        """A field's LaTeX source, with accents as UTF-8 letters unless ASCII is wanted."""
        return self.encode(latex) if self.options.use_ascii else accents_to_unicode(latex)

    def authors(self, paper: PaperView) -> str:
        source = _source(paper).get("latex", {}).get("author")
        if source is None or tuple(parse_names(source)) != paper.authors:
            return " and ".join(self.name(a) for a in paper.authors)
        written = self.source(source)  # unchanged since import: the file's own spelling
        if tuple(parse_names(written)) != paper.authors:
            return source  # a letter's case decides a name's parts: '{\\aa}.' must stay
        return written

    def name(self, person: AuthorName) -> str:
        if person.literal:
            return "{" + self.plain(person.literal) + "}"
        family = self.plain(person.family)
        if " and " in family.lower() or "," in family:
            family = "{" + family + "}"
        last = f"{self.plain(person.particle)} {family}".strip()
        parts = [last]
        if person.suffix:
            parts.append(self.plain(person.suffix))
        if person.given:
            parts.append(self.plain(person.given))
        elif person.suffix:
            parts.append("")
        return ", ".join(parts) if len(parts) > 1 else last

    def entry_type(self, paper: PaperView) -> str:
        kind = paper.entry_type.lower()
        if _source(paper) or "_bibtex" in paper.extra:
            return kind  # the file's own type, even one a style does not know
        if self.options.biblatex:
            return kind if kind in BIBLATEX_TYPES else "misc"
        kind = BIBTEX_TYPES.get(kind, kind)
        return kind if kind in STANDARD_TYPES else "misc"

    def venue_field(self, paper: PaperView, kind: str) -> str:
        chosen = _source(paper).get("venue_field")
        if chosen in ("journal", "journaltitle"):  # the same field, named by the dialect
            return "journaltitle" if self.options.biblatex else "journal"
        if chosen:
            return chosen
        if kind == "article":
            return "journaltitle" if self.options.biblatex else "journal"
        if kind in ("inproceedings", "incollection", "inbook", "conference"):
            return "booktitle"
        if kind in ("phdthesis", "mastersthesis", "thesis"):
            return "institution" if self.options.biblatex else "school"
        if kind in ("techreport", "report"):
            return "institution"
        return "howpublished" if not self.options.biblatex else "organization"

    def entry(self, paper: PaperView) -> Entry:
        kind = self.entry_type(paper)
        fields: list[tuple[str, str]] = []

        def add(name: str, value: str) -> None:
            if value:
                fields.append((name, value))

        add("title", self.field(paper, "title", paper.title, protect=True))
        add("author", self.authors(paper))
        date = paper.extra.get("date")
        date_agrees = isinstance(date, str) and _date_parts(date) == (paper.year, paper.month)
        if self.options.biblatex and paper.year is not None and not date_agrees:
            add("date", f"{paper.year:04d}" + (f"-{paper.month:02d}" if paper.month else ""))
        elif paper.year is not None and not (self.options.biblatex and date_agrees):
            add("year", str(paper.year))
            if paper.month:
                add("month", MONTHS[paper.month - 1])
        if paper.venue:
            name = self.venue_field(paper, kind)
            source_name = _source(paper).get("venue_field")
            add(name, self.field(paper, name, paper.venue, True, source_name))
        for name in ("volume", "number", "pages"):
            add(name, self.verbatim(paper, name, getattr(paper, name)))
        add("publisher", self.field(paper, "publisher", paper.publisher))
        add("isbn", paper.isbn)
        add("doi", paper.doi)
        if paper.arxiv_id:
            add("eprint", paper.arxiv_id)
            if self.options.biblatex:
                add("eprinttype", "arxiv")
            else:
                add("archiveprefix", "arXiv")
        add("url", paper.url)
        add("abstract", self.field(paper, "abstract", paper.abstract))
        taken = {name for name, _ in fields} | {"eprinttype", "archiveprefix", "eprint"}
        if not date_agrees:
            taken.add("date")  # edited since: the date written above (or year) replaces it
        for name, value in paper.extra.items():
            name = name.lower()
            if isinstance(value, dict) or name in taken or not _FIELD_NAME.match(name):
                continue  # a dict is readinglist's own note, never a field
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            if not isinstance(value, str | int | float) or value == "":
                continue
            add(name, self.verbatim(paper, name, str(value)))
            taken.add(name)
        keywords = _source(paper).get("raw", {}).get("keywords")
        if not self.options.with_notes:
            if keywords and tuple(sorted(split_keywords(keywords), key=str.casefold)) == paper.tags:
                add("keywords", self.source(keywords))  # the file's own keywords, unchanged
        else:
            add("keywords", self.plain(", ".join(paper.tags)))
            notes = "\n\n".join(n.body.rstrip() for n in paper.notes)
            # line by line: a Markdown note keeps its shape
            add("annote", "\n".join(self.encode(escape_latex(row)) for row in notes.splitlines()))
            if paper.rating:
                add("rating", str(paper.rating))
            if paper.status != "unread":
                add("readstatus", paper.status)
        return Entry(kind, paper.key, [Field(name, "{" + value + "}") for name, value in fields])


def write_bibtex(papers: Iterable[PaperView], stream: TextIO, options: BibtexOptions) -> int:
    writer = _Writer(options)
    count = 0
    for paper in papers:
        library = Library([writer.entry(paper)])
        stream.write(bibtexparser.write_string(library, unparse_stack=[]))
        count += 1
    return count
