"""Citation keys: readable, stable, unique ('vaswani2017attention')."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from readinglist.domain.identifiers import strip_accents
from readinglist.domain.values import AuthorName

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "for",
        "to",
        "and",
        "or",
        "with",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "via",
        "towards",
        "toward",
        "into",
        "using",
        "we",
        "our",
        "its",
        "their",
        "how",
        "what",
        "why",
        "when",
    ]
)


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", strip_accents(text).lower())


def suggest_key(authors: Iterable[AuthorName], year: int | None, title: str) -> str:
    """The key a paper would get from its metadata alone, before making it unique."""
    first = next(iter(authors), None)
    parts: list[str] = []
    if first is not None:
        name = first.family or next(iter(first.literal.split()), "")
        parts.append(_ascii_word(name))
    if year:
        parts.append(str(year))
    words = [w for w in (_ascii_word(w) for w in title.split()) if w and w not in _STOPWORDS]
    wanted = 1 if any(parts) else 2
    parts.extend(words[:wanted])
    key = "".join(p for p in parts if p)[:60] or "paper"
    return "p" + key if key.isdigit() else key  # digits alone would read as a paper number


def _suffixes() -> Iterable[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for first in letters:
        for second in letters:
            yield first + second


def make_unique(key: str, taken: Callable[[str], bool]) -> str:
    """'smith2020', then 'smith2020a', 'smith2020b', …: deterministic for the same library."""
    if not taken(key):
        return key
    for suffix in _suffixes():
        candidate = key + suffix
        if not taken(candidate):
            return candidate
    counter = 1
    while taken(f"{key}-{counter}"):
        counter += 1
    return f"{key}-{counter}"
