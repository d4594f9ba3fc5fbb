"""Marks the words a query matched in the detail pane's text."""

from __future__ import annotations

import html
import re

from readinglist.search.query import And, Fuzzy, Node, Not, Or, Phrase, Prefix, Word

TEXT_FIELDS = (None, "title", "abstract", "author", "venue", "note")


def query_terms(node: Node | None) -> list[str]:
    """The words and phrases a query looks for in the text (not the ones it excludes)."""
    found: list[str] = []

    def walk(part: Node) -> None:
        if isinstance(part, And | Or):
            for child in part.parts:
                walk(child)
        elif isinstance(part, Not):
            return
        elif isinstance(part, Word | Phrase | Prefix | Fuzzy) and part.field in TEXT_FIELDS:
            found.append(part.text)

    if node is not None:
        walk(node)
    return [t for t in dict.fromkeys(found) if t.strip()]


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    parts = []
    for term in terms:
        words = term.split()
        if len(words) > 1:
            parts.append(r"\s+".join(re.escape(w) for w in words))
            continue
        # search stems words ('transformers' finds 'transformer'): match on the word's stem-ish
        # start and let it run to the end of the word
        stem = term if len(term) <= 4 else term[: len(term) - (1 if len(term) < 7 else 2)]
        parts.append(re.escape(stem) + r"\w*")
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(parts) + r")", re.IGNORECASE)


def highlighted(text: str, terms: list[str], background: str) -> str:
    """``text`` as HTML with every match of ``terms`` on a coloured background."""
    pattern = _pattern(terms)
    if pattern is None:
        return html.escape(text)
    out = []
    last = 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<span style="background-color:{background}">')
        out.append(html.escape(match.group(0)) + "</span>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)
