"""An Obsidian vault: one note per paper, named by citation key, with YAML front matter.

Exporting again rewrites what readinglist wrote and keeps, untouched, everything the user wrote
below the marker line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from readinglist.domain.views import PaperView
from readinglist.exporters.common import tag_word
from readinglist.exporters.file_names import safe_stem

MARKER = "%% readinglist: write below this line; it is kept when you export again %%"


def note_name(key: str) -> str:
    """The key as a file name; when the key cannot be used as it is (a '/', a name Windows
    reserves, great length) a short hash of it keeps two papers from sharing a file."""
    return safe_stem(key) + ".md"


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
        # Obsidian's tags are single words; the tags as written, in case that lost something
        "keywords": list(paper.tags) if any(tag_word(t) != t for t in paper.tags) else None,
        "rating": paper.rating,
        "status": paper.status,
        "citekey": paper.key,
    }
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def render(paper: PaperView) -> str:
    import yaml  # only when writing notes: it costs 90 ms to import

    head = yaml.safe_dump(front_matter(paper), allow_unicode=True, sort_keys=False, width=1000)
    parts = [f"---\n{head}---\n", f"# {paper.title or paper.key}\n"]
    facts = [", ".join(a.display for a in paper.authors)] if paper.authors else []
    facts += [str(x) for x in (paper.venue, paper.year) if x]
    facts += [f"[{label}]({url})" for label, url in paper.links()]
    if facts:
        parts.append(" · ".join(facts) + "\n")
    if paper.abstract:
        parts.append(f"## Abstract\n\n{paper.abstract}\n")
    if paper.notes:
        parts.append("## Notes\n\n" + "\n\n".join(n.body.strip() for n in paper.notes) + "\n")
    return "\n".join(parts) + "\n" + MARKER + "\n"


@dataclass
class VaultReport:
    written: int = 0
    skipped: list[str] = field(default_factory=list)  # notes left alone, and why


def write_vault(papers: Iterable[PaperView], folder: Path) -> VaultReport:
    folder.mkdir(parents=True, exist_ok=True)
    report = VaultReport()
    taken: set[str] = set()  # as a case-insensitive file system compares names
    for paper in papers:
        name = note_name(paper.key)
        while name.casefold() in taken:  # 'Smith2020' after 'smith2020': each keeps its note
            name = f"{name.removesuffix('.md')}-{paper.id}.md"
        taken.add(name.casefold())
        path = folder / name
        kept = ""
        if path.exists():
            old = path.read_text(encoding="utf-8")
            if MARKER not in old:  # a file we did not write, or whose marker was edited
                report.skipped.append(
                    f"{path.name}: its marker line is gone, so it was left as it is "
                    "(put the line back to let readinglist update the note)"
                )
                continue
            kept = old.split(MARKER, 1)[1].lstrip("\n")
        text = render(paper) + ("\n" + kept if kept.strip() else "")
        temporary = path.with_name(path.name + ".part")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # never a half-written note
        report.written += 1
    return report
