"""Deterministic synthetic listings: the sample page's titles and abstract sentences recombined,
so that every size has realistic words (and many shared ones, which is pessimistic for search)."""

from __future__ import annotations

import random
from pathlib import Path


def sample_texts(page: Path) -> tuple[list[str], list[str]]:
    lines = page.read_text(encoding="utf-8").splitlines()[2:]
    titles, abstracts = lines[0::2], lines[1::2]
    titles[0] = titles[0].removeprefix("Subscribe")
    return titles, abstracts


def listing(page: Path, count: int, seed: int = 7) -> str:
    """``count`` papers as pasted text: a title line, then a 4–9-sentence abstract line."""
    titles, abstracts = sample_texts(page)
    sentences = [s.strip() for a in abstracts for s in a.split(". ") if len(s) > 20]
    rng = random.Random(seed)
    papers = []
    for number in range(count):
        words = rng.choice(titles).split()
        rng.shuffle(words)
        abstract = ". ".join(rng.sample(sentences, rng.randint(4, 9))) + "."
        papers.append(f"{' '.join(words)} ({number})\n{abstract}")
    return "\n".join(papers) + "\n"
