"""Reading a person's name typed by a user ('von Neumann, John', 'Smith, Jr., John')."""

from __future__ import annotations

from collections.abc import Sequence

from readinglist.domain.identifiers import strip_accents
from readinglist.domain.values import AuthorName


def _split_particle(words: list[str]) -> tuple[str, str]:
    """('von der', 'Heide') from ['von', 'der', 'Heide']: leading lower-case words."""
    count = 0
    while count < len(words) - 1 and words[count][:1].islower():
        count += 1
    return " ".join(words[:count]), " ".join(words[count:])


def parse_name(text: str) -> AuthorName:
    """BibTeX's three name forms, plus '{Barnes and Noble, Inc.}' for a corporate name."""
    text = " ".join(text.split())
    if text.startswith("{") and text.endswith("}"):
        return AuthorName(literal=text[1:-1].strip())
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        words = parts[0].split()
        if len(words) == 1:
            return AuthorName(family=words[0])
        # 'John von Neumann': given names up to the first lower-case word (or the last word)
        first_lower = next((i for i, w in enumerate(words[1:-1], 1) if w[:1].islower()), None)
        split_at = first_lower if first_lower is not None else len(words) - 1
        particle, family = _split_particle(words[split_at:])
        return AuthorName(family=family, given=" ".join(words[:split_at]), particle=particle)
    particle, family = _split_particle(parts[0].split())
    if len(parts) == 2:
        return AuthorName(family=family, given=parts[1], particle=particle)
    return AuthorName(family=family, given=", ".join(parts[2:]), particle=particle, suffix=parts[1])


def author_sort_key(authors: Sequence[AuthorName]) -> str:
    """How the table sorts a paper by author: the first author's family name (or corporate
    name), accents and case folded, so 'Ødegaard' sorts with 'Odegaard'."""
    if not authors:
        return ""
    first = authors[0]
    name = first.literal or first.family or first.given
    return strip_accents(name).casefold()[:250]
