"""How papers look in a terminal. JSON output is the views' own ``to_json``."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

from readinglist.domain.views import PaperView
from readinglist.exporters.common import stars


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def paper_line(paper: PaperView, width: int | None = None) -> str:
    year = str(paper.year) if paper.year else "    "
    line = f"{paper.id:>6}  {year}  {stars(paper.rating)}  {paper.status:<9}  {paper.title}"
    if width and len(line) > width:
        line = line[: width - 1] + "…"
    return line


def paper_table(papers: list[PaperView], truncate: bool) -> str:
    width = shutil.get_terminal_size((100, 24)).columns if truncate else None
    return "\n".join(paper_line(p, width) for p in papers)


def paper_details(paper: PaperView) -> str:
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    rows: list[tuple[str, str]] = [
        ("Title", paper.title),
        ("Authors", "; ".join(a.display for a in paper.authors) or "—"),
    ]
    where = ", ".join(str(x) for x in (paper.venue, paper.year) if x)
    if where:
        rows.append(("Published", where))
    for name in ("volume", "number", "pages", "publisher", "isbn"):
        value = getattr(paper, name)
        if value:
            rows.append((name.capitalize(), value))
    rows.extend(paper.links())
    rows.append(("Rating", stars(paper.rating)))
    rows.append(("Status", paper.status))
    rows.append(("Tags", ", ".join(paper.tags) or "—"))
    if paper.lists:
        rows.append(("Lists", ", ".join(paper.lists)))
    if paper.in_trash:
        rows.append(("Trash", f"moved to the trash on {paper.deleted_at:%Y-%m-%d %H:%M}"))
    for name, value in sorted(paper.extra.items()):
        if not isinstance(value, dict):  # readinglist's own notes, for export, not for reading
            rows.append((name, str(value)))
    lines = [f"[{paper.id}] {paper.key}  ({paper.entry_type})"]
    label_width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        wrapped = textwrap.wrap(value, width - label_width, break_on_hyphens=False) or [""]
        lines.append(f"{label + ':':<{label_width}}{wrapped[0]}")
        lines.extend(" " * label_width + more for more in wrapped[1:])
    if paper.abstract:
        lines.append("")
        lines.append("Abstract:")
        lines.extend(
            textwrap.wrap(
                paper.abstract,
                width,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        )
    if paper.notes:
        lines.append("")
        lines.append("Notes:")
        for note in paper.notes:
            lines.append(f"  note {note.id}, {note.updated_at:%Y-%m-%d %H:%M}")
            lines.extend("    " + line for line in note.body.splitlines())
    return "\n".join(lines)
