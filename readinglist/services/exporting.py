"""Export: which papers (the library, a reading list in its order, a search, a tag, or chosen
ids), in which format, to a stream or (Obsidian) a folder. Papers are loaded in batches, so a
100,000-paper export never holds the whole library at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from readinglist.domain.filters import PaperFilter
from readinglist.domain.values import InvalidValue
from readinglist.domain.views import PaperView
from readinglist.exporters.bibtex import BibtexOptions, write_bibtex
from readinglist.exporters.csl_json import write_csl_json
from readinglist.exporters.markdown import MarkdownOptions, write_markdown
from readinglist.exporters.obsidian import write_vault
from readinglist.exporters.ris import write_ris

log = logging.getLogger(__name__)
FORMATS = ("bibtex", "biblatex", "markdown", "obsidian", "csl-json", "ris")
BATCH = 500


@dataclass(frozen=True)
class ExportScope:
    """At most one of these; none means the whole library (outside the trash)."""

    list_name: str | None = None
    query: str | None = None
    tag: str | None = None
    ids: tuple[int | str, ...] | None = None  # a selection; an empty one exports nothing

    def title(self) -> str:
        if self.list_name:
            return self.list_name
        if self.query:
            return f"Search: {self.query}"
        if self.tag:
            return f"Tag: {self.tag}"
        return "Reading list"


@dataclass(frozen=True)
class ExportOptions:
    ascii: bool | None = None  # BibTeX: LaTeX escapes instead of UTF-8
    with_notes: bool = False  # BibTeX, RIS: tags, notes, rating and status too
    abstracts: bool = False  # Markdown
    group_by: str | None = None  # Markdown: "status" or "tag"
    title: str | None = None  # Markdown


def _batches(
    ids: Sequence[int], load: Callable[[Sequence[int]], list[PaperView]]
) -> Iterator[PaperView]:
    for start in range(0, len(ids), BATCH):
        yield from load(ids[start : start + BATCH])


def write(
    fmt: str,
    ids: Sequence[int],
    load: Callable[[Sequence[int]], list[PaperView]],
    scope: ExportScope,
    options: ExportOptions,
    stream: TextIO | None = None,
    folder: Path | None = None,
) -> int:
    papers = _batches(ids, load)
    if fmt == "obsidian":
        if folder is None:
            raise InvalidValue("the obsidian format writes a folder: give one with -o DIR")
        vault = write_vault(papers, folder)
        for message in vault.skipped:
            log.warning(message)
        return vault.written
    if stream is None:
        raise InvalidValue(f"the {fmt} format writes a file")
    if fmt in ("bibtex", "biblatex"):
        bib = BibtexOptions(
            biblatex=fmt == "biblatex", ascii=options.ascii, with_notes=options.with_notes
        )
        return write_bibtex(papers, stream, bib)
    if fmt == "markdown":
        if options.group_by not in (None, "status", "tag"):
            raise InvalidValue("group by 'status' or 'tag'")
        markdown = MarkdownOptions(
            options.title or scope.title(), options.abstracts, options.group_by
        )
        return write_markdown(papers, stream, markdown)
    if fmt == "csl-json":
        return write_csl_json(papers, stream)
    if fmt == "ris":
        return write_ris(papers, stream, options.with_notes)
    raise InvalidValue(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")


def scope_filter(scope: ExportScope) -> PaperFilter | None:
    chosen = [x for x in (scope.list_name, scope.query, scope.tag, scope.ids) if x is not None]
    if len(chosen) > 1:
        raise InvalidValue("export one of: a list, a query, a tag or ids, not several")
    if scope.list_name:
        return PaperFilter(list_name=scope.list_name)
    if scope.tag:
        return PaperFilter(tags=(scope.tag,))
    return None
