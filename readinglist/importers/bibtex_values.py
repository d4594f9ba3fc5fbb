"""BibTeX value expressions: macros (@string), '#' concatenation, months, and names.

bibtexparser 2 splits a file into blocks but leaves values as written: its string middleware
only replaces a value that is exactly one macro, without '#' concatenation or macros defined
from macros, so this module evaluates the expressions itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from readinglist.domain.latex import latex_to_text
from readinglist.domain.values import AuthorName

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# BibTeX's standard styles define the three-letter month macros.
MONTH_MACROS = {name[:3]: name.capitalize() for name in MONTHS}


@dataclass
class Evaluated:
    text: str
    undefined: list[str] = field(default_factory=list)


def _braced(value: str, start: int) -> int:
    """Index just past the '}' closing the '{' at ``start``."""
    depth = 0
    for i in range(start, len(value)):
        char = value[i]
        if char == "{" and (i == 0 or value[i - 1] != "\\"):
            depth += 1
        elif char == "}" and value[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(value)


def _quoted(value: str, start: int) -> int:
    """Index just past the '"' closing the one at ``start`` (quotes inside braces are text)."""
    depth = 0
    for i in range(start + 1, len(value)):
        char = value[i]
        if char == "{" and value[i - 1] != "\\":
            depth += 1
        elif char == "}" and value[i - 1] != "\\":
            depth -= 1
        elif char == '"' and depth <= 0:
            return i + 1
    return len(value)


def evaluate(raw: str, macros: dict[str, str]) -> Evaluated:
    """The text of a value expression such as ``jean # " " # {C{\\'e}sar}`` or ``jan``."""
    result = Evaluated("")
    parts: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        char = raw[i]
        if char.isspace() or char == "#":
            i += 1
        elif char == "{":
            end = _braced(raw, i)
            parts.append(raw[i + 1 : end - 1] if raw[end - 1 : end] == "}" else raw[i + 1 : end])
            i = end
        elif char == '"':
            end = _quoted(raw, i)
            parts.append(raw[i + 1 : end - 1] if raw[end - 1 : end] == '"' else raw[i + 1 : end])
            i = end
        else:
            end = i
            while end < n and not raw[end].isspace() and raw[end] not in '#{"':
                end += 1
            word = raw[i:end]
            if word.isdigit():
                parts.append(word)
            elif word.lower() in macros:
                parts.append(macros[word.lower()])
            elif word.lower() in MONTH_MACROS:
                parts.append(MONTH_MACROS[word.lower()])
            else:
                result.undefined.append(word)
            i = end
    result.text = "".join(parts)
    return result


def month_number(text: str) -> int | None:
    cleaned = text.strip().strip(".").lower()
    if cleaned.isdigit():
        number = int(cleaned)
        return number if 1 <= number <= 12 else None
    for number, name in enumerate(MONTHS, start=1):
        if len(cleaned) >= 3 and name.startswith(cleaned):
            return number
    return None


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
    names: list[AuthorName] = []
    for person in split_multiple_persons_names(" ".join(value.split())):
        person = person.strip()
        if not person:
            continue
        if _EXTENDED.match(person):
            names.append(_extended_name(person))
            continue
        if person.startswith("{") and person.endswith("}") and _braced(person, 0) == len(person):
            names.append(AuthorName(literal=latex_to_text(person[1:-1])))
            continue
        try:
            parts = parse_single_name_into_parts(person, strict=False)
        except Exception:  # an odd name is kept whole rather than lost
            names.append(AuthorName(literal=latex_to_text(person)))
            continue
        names.append(
            AuthorName(
                family=latex_to_text(" ".join(parts.last)),
                given=latex_to_text(" ".join(parts.first)),
                particle=latex_to_text(" ".join(parts.von)),
                suffix=latex_to_text(" ".join(parts.jr)),
            )
        )
    return names
