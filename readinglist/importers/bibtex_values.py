"""BibTeX value expressions: macros (@string), '#' concatenation and months.

bibtexparser 2 splits a file into blocks but leaves values as written: its string middleware
only replaces a value that is exactly one macro, without '#' concatenation or macros defined
from macros, so this module evaluates the expressions itself.

Macros defined from macros double at each step ('@string{a1 = a0 # a0}'), so thirty lines can
ask for gigabytes (the 'billion laughs' attack). No value may expand beyond MAX_FIELD_CHARS, and
one file's expansions together stop at MAX_EXPANSION: a value past either is refused, not built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readinglist.domain.bibtex_names import braced_end as _braced
from readinglist.importers.limits import MAX_FIELD_CHARS

# Far above what real files expand (a journal's name per entry: a few MB for 100,000 entries).
MAX_EXPANSION = 100_000_000

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
    too_long: str = ""  # why the value was refused: it expands beyond a limit


@dataclass
class Macros:
    """The @string definitions read so far, and what expanding them may still cost."""

    values: dict[str, str] = field(default_factory=dict)
    too_long: set[str] = field(default_factory=set)  # defined, but refused as too long
    budget: int = MAX_EXPANSION

    def define(self, name: str, value: Evaluated) -> None:
        key = name.strip().lower()
        if value.too_long:
            self.too_long.add(key)
            self.values.pop(key, None)
        else:
            self.too_long.discard(key)
            self.values[key] = value.text


_QUOTE_OR_BRACE = re.compile(r'[{}"](?<!\\[{}])')  # a quote, or a brace not escaped


def _quoted(value: str, start: int) -> int:
    """Index just past the '"' closing the one at ``start`` (quotes inside braces are text)."""
    depth = 0
    for match in _QUOTE_OR_BRACE.finditer(value, start + 1):
        char = match.group()
        if char == '"':
            if depth <= 0:
                return match.end()
        else:
            depth += 1 if char == "{" else -1
    return len(value)


_TOO_LONG = f"is longer than the {MAX_FIELD_CHARS:,} characters a field may hold"


def evaluate(raw: str, macros: Macros) -> Evaluated:
    """The text of a value expression such as ``jean # " " # {C{\\'e}sar}`` or ``jan``."""
    result = Evaluated("")
    parts: list[str] = []
    length = 0
    i, n = 0, len(raw)
    while i < n:
        char = raw[i]
        piece = None
        if char.isspace() or char == "#":
            i += 1
            continue
        if char == "{":
            end = _braced(raw, i)
            piece = raw[i + 1 : end - 1] if raw[end - 1 : end] == "}" else raw[i + 1 : end]
        elif char == '"':
            end = _quoted(raw, i)
            piece = raw[i + 1 : end - 1] if raw[end - 1 : end] == '"' else raw[i + 1 : end]
        else:
            end = i
            while end < n and not raw[end].isspace() and raw[end] not in '#{"':
                end += 1
            word = raw[i:end]
            name = word.lower()
            if word.isdigit():
                piece = word
            elif name in macros.too_long:
                result.too_long = f"uses the @string {word!r}, which {_TOO_LONG}"
                return result
            elif name in macros.values:
                piece = macros.values[name]
                if len(piece) > macros.budget:
                    result.too_long = (
                        f"uses the @string {word!r} after this file's @strings were expanded "
                        f"to {MAX_EXPANSION:,} characters in all"
                    )
                    return result
                macros.budget -= len(piece)
            elif name in MONTH_MACROS:
                piece = MONTH_MACROS[name]
            else:
                result.undefined.append(word)
        i = end
        if piece is not None:
            length += len(piece)
            if length > MAX_FIELD_CHARS:  # stop before joining: nothing that big is built
                result.too_long = f"{_TOO_LONG} ({length:,} or more)"
                return result
            parts.append(piece)
    result.text = "".join(parts)
    return result


def month_number(text: str) -> int | None:
    cleaned = text.strip().strip(".").lower()
    # isdecimal, not isdigit: '²' is a digit that int() refuses; and a number of ten digits
    # or more is no month (int() refuses numbers of over 4,300 digits)
    if cleaned.isdecimal():
        number = int(cleaned) if len(cleaned) < 10 else 0
        return number if 1 <= number <= 12 else None
    for number, name in enumerate(MONTHS, start=1):
        if len(cleaned) >= 3 and name.startswith(cleaned):
            return number
    return None
