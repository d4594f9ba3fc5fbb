"""An Obsidian vault: one note per paper, named by citation key, with YAML front matter.

Exporting again rewrites what readinglist wrote and keeps, untouched, everything the user wrote
below the marker line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from readinglist.domain.views import PaperView
from readinglist.exporters.common import links, tag_word

MARKER = "%% readinglist: write below this line; it is kept when you export again %%"
_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]]')


def note_name(key: str) -> str:
    return (_UNSAFE.sub("-", key).strip(". ") or "paper") + ".md"


def front_matter(paper: PaperView) -> dict:
    data = {
        "title": paper.title,
        "authors": [a.display for a in paper.authors],
        "year": paper.year,
        "venue": paper.venue or None,
        "doi": paper.doi or None,
        "arxiv": paper.arxiv_id or None,
        "url": paper.url or None,
        "tags": [tag_word(t) for t in paper.tags],
        "rating": paper.rating,
        "status": paper.status,
        "citekey": paper.key,
    }
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def render(paper: PaperView) -> str:
    head = yaml.safe_dump(front_matter(paper), allow_unicode=True, sort_keys=False, width=1000)
    parts = [f"---\n{head}---\n", f"# {paper.title or paper.key}\n"]
    facts = [", ".join(a.display for a in paper.authors)] if paper.authors else []
    facts += [str(x) for x in (paper.venue, paper.year) if x]
    facts += [f"[{label}]({url})" for label, url in links(paper)]
    if facts:
        parts.append(" · ".join(facts) + "\n")
    if paper.abstract:
        parts.append(f"## Abstract\n\n{paper.abstract}\n")
    if paper.notes:
        parts.append("## Notes\n\n" + "\n\n".join(n.body.strip() for n in paper.notes) + "\n")
    return "\n".join(parts) + "\n" + MARKER + "\n"


def write_vault(papers: Iterable[PaperView], folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for paper in papers:
        path = folder / note_name(paper.key)
        kept = ""
        if path.exists():
            old = path.read_text(encoding="utf-8")
            # without the marker (a file we did not write, or an edited marker) keep it all
            kept = old.split(MARKER, 1)[1].lstrip("\n") if MARKER in old else old
        text = render(paper) + ("\n" + kept if kept.strip() else "")
        path.write_text(text, encoding="utf-8")
        count += 1
    return count
