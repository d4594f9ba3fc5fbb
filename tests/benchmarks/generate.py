"""Realistic synthetic libraries of any size, the same for the same seed, written as BibTeX so
that a benchmark measures the import path too.

Each paper: a varied title (often naming a method the paper coins), a 4–9-sentence abstract,
1–7 authors with accents, particles and the odd suffix (some entries spelled with LaTeX accents,
as publishers' files are), a year skewed to recent ones, a journal or proceedings, keywords
(they become tags), a DOI and an arXiv id for some, and for some a note, a rating and a
reading status (readinglist's BibTeX importer reads ``annote``, ``rating`` and ``readstatus``).
Reading lists cannot be said in BibTeX: ``reading_lists`` names their members, for a caller to
add through the service after the import.

    python -m tests.benchmarks.generate 10000 -o /tmp/papers-10k.bib [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from readinglist.domain.values import AuthorName
from tests.benchmarks import vocabulary as v
from tests.benchmarks.sentences import Words, abstract, note, title

STATUSES = ("to-read", "reading", "read", "abandoned")
# LaTeX spellings of the accented letters in the names and titles we write.
_LATEX = {
    "á": "{\\'a}", "é": "{\\'e}", "í": "{\\'i}", "ó": "{\\'o}", "ú": "{\\'u}", "É": "{\\'E}",
    "à": "{\\`a}", "è": "{\\`e}", "ä": '{\\"a}', "ë": '{\\"e}', "ï": '{\\"i}', "ö": '{\\"o}',
    "ü": '{\\"u}', "Ö": '{\\"O}', "Ü": '{\\"U}', "ñ": "{\\~n}", "Ñ": "{\\~N}", "ç": "{\\c c}",
    "Ç": "{\\c C}", "ø": "{\\o}", "Ø": "{\\O}", "å": "{\\aa}", "Å": "{\\AA}", "ł": "{\\l}",
    "Ł": "{\\L}", "ß": "{\\ss}", "š": "{\\v s}", "ř": "{\\v r}", "ž": "{\\v z}", "Ż": "{\\.Z}",
    "ğ": "{\\u g}", "ő": "{\\H o}",
}  # fmt: skip


def bibtex_name(author: AuthorName, rng: random.Random) -> str:
    """'von Last, Jr, First' or 'First von Last': both forms are common in real files."""
    last = f"{author.particle} {author.family}".strip()
    if author.suffix:
        return f"{last}, {author.suffix}, {author.given}"
    if rng.random() < 0.3:
        return f"{author.given} {last}"
    return f"{last}, {author.given}"


@dataclass
class GeneratedPaper:
    number: int
    key: str
    entry_type: str
    title: str  # plain text; ``protected`` holds the words written in {braces}
    authors: list[AuthorName]
    year: int
    abstract: str
    venue_field: str = ""
    venue: str = ""
    month: int | None = None
    volume: str = ""
    pages: str = ""
    doi: str = ""
    arxiv: str = ""
    keywords: list[str] = field(default_factory=list)
    note: str = ""
    rating: int | None = None
    status: str = ""
    protected: tuple[str, ...] = ()
    latex: bool = False  # accents written as LaTeX in this entry


def papers(count: int, seed: int = 7) -> Iterator[GeneratedPaper]:
    """``count`` papers, each title and citation key distinct (so an import adds them all)."""
    rng = random.Random(seed)
    words = Words(rng, count)
    titles: set[str] = set()
    keys: set[str] = set()
    arxiv_numbers: dict[str, int] = {}
    for number in range(count):
        method = words.method(rng) if rng.random() < 0.65 else ""
        text = title(words, rng, method)
        while text.casefold() in titles:  # a follow-up paper: give it a subtitle of its own
            text = f"{text}: {words.adjective(rng).capitalize()} {words.noun(rng).title()}"
        titles.add(text.casefold())
        yield _paper(rng, words, number, text, method, keys, arxiv_numbers)


def _paper(
    rng: random.Random,
    words: Words,
    number: int,
    text: str,
    method: str,
    keys: set[str],
    arxiv_numbers: dict[str, int],
) -> GeneratedPaper:
    authors = [_author(rng, words) for _ in range(_author_count(rng))]
    year = max(1950, 2026 - int(rng.expovariate(1 / 7)))
    kind = "misc" if rng.random() < 0.15 else "article"  # misc: an arXiv preprint
    paper = GeneratedPaper(
        number=number,
        key=_unique_key(authors[0], year, text, keys),
        entry_type=kind,
        title=text,
        authors=authors,
        year=year,
        abstract=abstract(words, rng, method),
        protected=(method,) if method else (),
        latex=rng.random() < 0.3,
    )
    if kind != "misc":
        paper.venue_field, paper.venue = v.VENUES[rng.randrange(len(v.VENUES))]
        if paper.venue_field == "booktitle":
            paper.entry_type = "inproceedings"
        if paper.venue_field == "journal":
            paper.volume = str(rng.randint(1, 60))
        first = rng.randint(1, 900)
        paper.pages = f"{first}--{first + rng.randint(4, 30)}"
        if rng.random() < 0.75:
            paper.doi = f"10.{rng.randint(1000, 9999)}/gen.{year}.{number}"
    if year >= 2008 and (kind == "misc" or rng.random() < 0.25):
        month = rng.randint(1, 12)
        stem = f"{year % 100:02d}{month:02d}"
        arxiv_numbers[stem] = arxiv_numbers.get(stem, 0) + 1
        paper.arxiv = f"{stem}.{arxiv_numbers[stem]:05d}"
        paper.month = month
    if rng.random() < 0.7:
        paper.keywords = words.tags.sample(rng, rng.randint(1, 4))
    if rng.random() < 0.08:
        paper.note = note(words, rng, method)
    if rng.random() < 0.25:
        paper.rating = rng.randint(1, 5)
    if rng.random() < 0.3:
        paper.status = rng.choice(STATUSES)
    return paper


def _author_count(rng: random.Random) -> int:
    return rng.choices(range(1, 8), (14, 22, 22, 16, 11, 8, 7))[0]


def _author(rng: random.Random, words: Words) -> AuthorName:
    particle = rng.choice(v.PARTICLES) if rng.random() < 0.1 else ""
    suffix = rng.choice(v.SUFFIXES) if rng.random() < 0.01 else ""
    given = words.given.pick(rng)
    return AuthorName(family=words.family.pick(rng), given=given, particle=particle, suffix=suffix)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("ł", "l"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _unique_key(first: AuthorName, year: int, text: str, keys: set[str]) -> str:
    words = [w for w in (_ascii(t) for t in text.split()) if len(w) > 3]
    stem = f"{_ascii(first.family) or 'anon'}{year}{words[0] if words else 'paper'}"
    key, number = stem, 0
    while key in keys:
        number += 1
        key = f"{stem}{_suffix(number)}"
    keys.add(key)
    return key


def _suffix(number: int) -> str:
    """a, b, …, z, then aa, ab, …: as reference managers disambiguate keys."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def _latex(text: str) -> str:
    return "".join(_LATEX.get(char, char) for char in text)


def bibtex_entry(paper: GeneratedPaper, rng: random.Random) -> str:
    """One entry as a reference manager or a publisher writes it."""
    spell = _latex if paper.latex else str
    shown = paper.title
    for word in paper.protected:
        shown = shown.replace(word, f"{{{word}}}")
    fields: list[tuple[str, str]] = [
        ("title", spell(shown)),
        ("author", " and ".join(spell(bibtex_name(a, rng)) for a in paper.authors)),
        ("year", str(paper.year)),
    ]
    if paper.venue:
        fields.append((paper.venue_field, paper.venue))
    if paper.volume:
        fields.append(("volume", paper.volume))
    if paper.pages:
        fields.append(("pages", paper.pages))
    if paper.month:
        fields.append(("month", str(paper.month)))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archiveprefix", "arXiv")]
    fields.append(("abstract", paper.abstract))
    if paper.keywords:
        fields.append(("keywords", ", ".join(paper.keywords)))
    if paper.note:
        fields.append(("annote", paper.note))
    if paper.rating is not None:
        fields.append(("rating", str(paper.rating)))
    if paper.status:
        fields.append(("readstatus", paper.status))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{paper.entry_type}{{{paper.key},\n{body}\n}}\n"


def write_bibtex(path: Path, items: Sequence[GeneratedPaper], seed: int = 7) -> None:
    """Write ``items`` to ``path`` (UTF-8, with the LaTeX accents some entries carry)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as stream:
        for paper in items:
            stream.write(bibtex_entry(paper, rng))
            stream.write("\n")


def reading_lists(items: Sequence[GeneratedPaper], seed: int = 7) -> dict[str, list[str]]:
    """Reading lists over the papers (their keys, in list order): a few large, most small,
    as people keep them. About 4% of the papers are in at least one."""
    rng = random.Random(seed + 1)
    lists = {}
    for rank, name in enumerate(v.LIST_NAMES):
        size = max(3, int(len(items) * 0.012 / (rank + 1)))
        chosen = rng.sample(range(len(items)), min(size, len(items)))
        lists[name] = [items[i].key for i in chosen]
    return lists


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_bibtex(args.output, list(papers(args.count, args.seed)), args.seed)


if __name__ == "__main__":
    main()
