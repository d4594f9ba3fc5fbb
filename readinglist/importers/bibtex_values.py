"""BibTeX value expressions: macros (@string), '#' concatenation and months.

bibtexparser 2 splits a file into blocks but leaves values as written: its string middleware
only replaces a value that is exactly one macro, without '#' concatenation or macros defined
from macros, so this module evaluates the expressions itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from readinglist.domain.bibtex_names import braced_end as _braced

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
