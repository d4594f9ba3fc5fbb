"""BibTeX names ('von Neumann, John and {Barnes and Noble, Inc.}') split by bibtexparser 2,
with BibLaTeX's extended 'family=…, given=…' form; shared by import and export."""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from readinglist.domain.latex import latex_to_text
from readinglist.domain.values import AuthorName

# A brace not escaped with a backslash: the brace first, so that the engine can skip ahead
# to the next one; the backslash is looked for behind it.
_BRACE = re.compile(r"[{}](?<!\\[{}])")


def braced_end(value: str, start: int) -> int:
    """Index just past the '}' closing the '{' at ``start``. The braces are found by a regular
    expression rather than a loop over every character: values can be megabytes long."""
    depth = 0
    for match in _BRACE.finditer(value, start):
        if match.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return len(value)


_EXTENDED = re.compile(r"^\s*[a-z]+\s*=\s*[^,]*(,\s*[a-z]+\s*=[^,]*)*$", re.IGNORECASE)


def _extended_name(text: str) -> AuthorName:
    """biblatex's 'family=Smith, given=John, prefix=von' form."""
    parts: dict[str, str] = {}
    for piece in split_outside_braces(text, ","):
        key, _, value = piece.partition("=")
        parts[key.strip().lower()] = latex_to_text(value.strip().strip('"'))
    return AuthorName(
        family=parts.get("family", ""),
        given=parts.get("given", ""),
        particle=parts.get("prefix", ""),
        suffix=parts.get("suffix", ""),
    )


def split_outside_braces(text: str, separator: str) -> list[str]:
    pieces, depth, current = [], 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char == separator and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def parse_names(value: str) -> list[AuthorName]:
    """'von Neumann, John and {Barnes and Noble, Inc.}' -> names in order, via bibtexparser."""
    people = (p.strip() for p in split_multiple_persons_names(" ".join(value.split())))
    return [_person(person) for person in people if person]


@lru_cache(maxsize=65536)
def _person(person: str) -> AuthorName:
    """One person's name; cached, as co-authors recur across a bibliography (a third of a
    BibTeX import went to names)."""
    if _EXTENDED.match(person):
        return _extended_name(person)
    if person.startswith("{") and person.endswith("}") and braced_end(person, 0) == len(person):
        return AuthorName(literal=latex_to_text(person[1:-1]))
    try:
        parts = parse_single_name_into_parts(person, strict=False)
    except Exception:  # an odd name is kept whole rather than lost
        return AuthorName(literal=latex_to_text(person))
    return AuthorName(
        family=latex_to_text(" ".join(parts.last)),
        given=latex_to_text(" ".join(parts.first)),
        particle=latex_to_text(" ".join(parts.von)),
        suffix=latex_to_text(" ".join(parts.jr)),
    )


def split_keywords(value: str) -> list[str]:
    """A BibTeX 'keywords' field as tags: comma or semicolon separated, LaTeX read as text."""
    return [latex_to_text(k) for k in re.split(r"[,;]", value) if k.strip()]
