"""Small pieces every exporter needs: star ratings, tag words, Markdown escaping."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~])")
_NUMBERED = re.compile(r"^(\d+)([.)])")
STATUS_TITLES = {
    "to-read": "To read",
    "reading": "Reading",
    "read": "Read",
    "unread": "Unread",
    "abandoned": "Abandoned",
}


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def md(text: str) -> str:
    """Text shown as is in Markdown: no accidental emphasis, links, headings, math ($),
    strike-through (~~) or numbered list ('1. ' at the start)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _NUMBERED.sub(r"\1\\\2", escaped)


def md_url(url: str) -> str:
    """A link target Markdown will not cut short at a space or a parenthesis."""
    return re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", url)


def tag_word(tag: str) -> str:
    """'to skim' -> 'to-skim': a tag as one word, as Obsidian wants it."""
    return re.sub(r"[^\w/-]+", "-", tag.strip()).strip("-") or "tag"
