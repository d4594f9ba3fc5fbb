"""A reading list as a Markdown document people want to read: on GitHub and in Obsidian."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from readinglist.domain.views import PaperView
from readinglist.exporters.common import STATUS_TITLES, md, md_url, stars, tag_word


@dataclass(frozen=True)
class MarkdownOptions:
    title: str = "Reading list"
    abstracts: bool = False
    group_by: str | None = None  # None, "status" or "tag"


def _item(paper: PaperView, options: MarkdownOptions) -> list[str]:
    box = "x" if paper.status == "read" else " "
    found = paper.links()
    name = md(paper.title) or f"`{paper.key}`"
    title = f"[{name}]({md_url(found[0][1])})" if found else name
    lines = [f"- [{box}] **{title}**"]
    facts = [md(paper.authors_short(6))] if paper.authors else []
    facts += [md(str(x)) for x in (paper.venue, paper.year) if x]
    if paper.rating:
        facts.append(stars(paper.rating))
    if facts:
        lines.append("  " + " · ".join(facts))
    extra = [f"[{label}]({md_url(url)})" for label, url in found[1:]]
    extra.append(f"`{paper.key}`")
    if paper.status not in ("unread", "read"):
        extra.append(STATUS_TITLES.get(paper.status, paper.status).lower())
    if paper.tags:
        extra.append(" ".join(f"#{tag_word(t)}" for t in paper.tags))
    lines.append("  " + " · ".join(extra))
    if options.abstracts and paper.abstract:
        lines += ["", f"  > {md(paper.abstract)}"]
    for note in paper.notes:
        lines.append("")
        lines += [f"  {_demoted(row)}".rstrip() for row in note.body.strip().splitlines()]
    lines.append("")
    return lines


def _demoted(row: str) -> str:
    """A heading in a note sits below the document's own headings."""
    match = re.match(r"^(#{1,6})(\s)", row)
    return "#" * min(6, len(match.group(1)) + 3) + row[len(match.group(1)) :] if match else row


def _groups(papers: list[PaperView], group_by: str | None) -> list[tuple[str, list[PaperView]]]:
    if group_by == "status":
        order = ["to-read", "reading", "unread", "read", "abandoned"]
        return [(STATUS_TITLES[s], [p for p in papers if p.status == s]) for s in order]
    if group_by == "tag":
        tags = sorted({t for p in papers for t in p.tags}, key=str.casefold)
        groups = [(md(t), [p for p in papers if t in p.tags]) for t in tags]
        return [*groups, ("Untagged", [p for p in papers if not p.tags])]
    return [("", papers)]


def write_markdown(papers: Iterable[PaperView], stream: TextIO, options: MarkdownOptions) -> int:
    papers = list(papers)
    read = sum(p.status == "read" for p in papers)
    stream.write(f"# {md(options.title)}\n\n")
    count = f"{len(papers)} paper" + ("" if len(papers) == 1 else "s")
    stream.write(f"*{count}, {read} read · exported {date.today():%Y-%m-%d}*\n\n")
    for heading, group in _groups(papers, options.group_by):
        if not group:
            continue
        if heading:
            stream.write(f"## {heading}\n\n")
        for paper in group:
            stream.write("\n".join(_item(paper, options)) + "\n")
    return len(papers)
