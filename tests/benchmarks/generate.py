"""Deterministic synthetic listings: the sample page's titles and abstract sentences recombined,
so that every size has realistic words (and many shared ones, which is pessimistic for search)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path


def sample_texts(page: Path) -> tuple[list[str], list[str]]:
    lines = page.read_text(encoding="utf-8").splitlines()[2:]
    titles, abstracts = lines[0::2], lines[1::2]
    titles[0] = titles[0].removeprefix("Subscribe")
    return titles, abstracts


def _recombined(page: Path, count: int, seed: int) -> Iterator[tuple[random.Random, str, str]]:
    """(the generator, a title of shuffled real words, a 4–9-sentence abstract), ``count``
    times: the same sequence for the same seed."""
    titles, abstracts = sample_texts(page)
    sentences = [s.strip() for a in abstracts for s in a.split(". ") if len(s) > 20]
    rng = random.Random(seed)
    for _ in range(count):
        words = rng.choice(titles).split()
        rng.shuffle(words)
        yield rng, " ".join(words), ". ".join(rng.sample(sentences, rng.randint(4, 9))) + "."


def listing(page: Path, count: int, seed: int = 7) -> str:
    """``count`` papers as pasted text: a title line, then a 4–9-sentence abstract line."""
    papers = [
        f"{title} ({number})\n{abstract}"
        for number, (_rng, title, abstract) in enumerate(_recombined(page, count, seed))
    ]
    return "\n".join(papers) + "\n"


GIVEN = ("Ana", "Björn", "Chen", "Dmitri", "Élodie", "Farah", "Günther", "Hiroshi", "Inés",
         "José", "Kwame", "Léa", "Marta", "Nguyen", "Oğuz", "Priya", "Rafael", "Søren", "Tomás",
         "Yuki")  # fmt: skip
FAMILY = ("Müller", "García", "Wang", "Smith", "Kowalski", "Ivanova", "Dubois", "Rossi",
          "Andersson", "Tanaka", "O'Brien", "Nakamura", "Schölkopf", "Ødegaard", "Novák",
          "Hernández", "Li", "Brown", "Zhang", "Kim")  # fmt: skip
PARTICLES = ("van der", "de", "von", "di", "de la")
VENUES = ("Advances in Neural Information Processing Systems", "Proceedings of ACL",
          "Journal of Machine Learning Research", "Proceedings of CVPR", "Nature",
          "Transactions on Information Systems", "Proceedings of SIGIR", "ICLR", "arXiv preprint",
          "Communications of the ACM")  # fmt: skip
TAGS = ("nlp", "vision", "retrieval", "theory", "to-cite", "reproduce", "survey", "rl",
        "optimization", "graphs", "speech", "robotics")  # fmt: skip


def _author(rng: random.Random) -> str:
    family = rng.choice(FAMILY)
    if rng.random() < 0.08:
        family = f"{rng.choice(PARTICLES)} {family}"
    return f"{family}, {rng.choice(GIVEN)}"


def bibtex_library(page: Path, count: int, seed: int = 7) -> str:
    """``count`` BibTeX entries with the sample page's words, 1–7 authors (accents, particles),
    years, venues, 0–3 keywords in 60% and a DOI in 30%: the import path is measured too."""
    entries = []
    for number, (rng, text, summary) in enumerate(_recombined(page, count, seed)):
        title = text.replace("{", "").replace("}", "")
        abstract = summary.replace("%", "\\%")
        authors = " and ".join(_author(rng) for _ in range(rng.randint(1, 7)))
        fields = {
            "title": f"{{{title}}} ({number})",
            "author": authors,
            "year": str(rng.randint(1990, 2026)),
            "journal": rng.choice(VENUES),
            "abstract": abstract,
        }
        if rng.random() < 0.6:
            fields["keywords"] = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
        if rng.random() < 0.3:
            fields["doi"] = f"10.5555/bench.{seed}.{number}"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        entries.append(f"@article{{bench{number},\n{body}\n}}\n")
    return "\n".join(entries)
