"""Export from the window: which formats, and the work itself (run on a worker thread)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readinglist.exporters.file_names import clean_name
from readinglist.services.exporting import ExportOptions, ExportScope
from readinglist.services.library import Library


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the core's format name
    title: str
    suffix: str  # "" for a folder


FORMATS = (
    ExportFormat("bibtex", "BibTeX", "bib"),
    ExportFormat("biblatex", "BibLaTeX", "bib"),
    ExportFormat("markdown", "Markdown", "md"),
    ExportFormat("csl-json", "CSL-JSON", "json"),
    ExportFormat("ris", "RIS", "ris"),
    ExportFormat("obsidian", "Obsidian notes (a folder)", ""),
)


def suggested_file_name(title: str, fmt: ExportFormat) -> str:
    """What the save dialog offers for exporting a list or a search: its title as one safe
    file name, whatever the list is called ('../notes', 'C:\\x', 'CON')."""
    return f"{clean_name(title.replace(':', ''), fallback='papers')}.{fmt.suffix}"


def export_to(
    library: Library,
    fmt: ExportFormat,
    target: Path,
    scope: ExportScope,
    title: str = "",
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the file whole or not at all: a temporary file beside it, renamed into place
    (a cancelled export leaves no file behind)."""
    options = ExportOptions(title=title or None, abstracts=fmt.name == "markdown")
    if not fmt.suffix:
        return library.export(
            fmt.name, scope=scope, options=options, folder=target, cancelled=cancelled
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            written = library.export(fmt.name, stream, scope, options, cancelled=cancelled)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def bibtex_text(library: Library, ids: list[int]) -> str:
    stream = io.StringIO()
    library.export("bibtex", stream, ExportScope(ids=tuple(ids)))
    return stream.getvalue()
