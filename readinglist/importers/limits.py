"""How much one import may hold, so that a hostile or broken file ends in a message, not in an
exhausted memory or a frozen window.

The limits sit far above real bibliographies: the largest exports we know of (100,000 papers
with abstracts) are about 150 MB, and a long abstract is a few tens of kilobytes. A field is
measured before it is split into words, because splitting a 50 MB field costs ten times its
size; an entry with a field over the limit is refused with its line, and the others are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from readinglist.domain.drafts import TEXT_FIELDS, PaperDraft

MAX_FILE_BYTES = 200_000_000
MAX_FIELD_CHARS = 1_000_000


def file_too_large(source: str, size: int | None, unit: str = "bytes") -> str:
    """The message for a file over MAX_FILE_BYTES (``size`` None: a stream, read up to it)."""
    limit = f"the {MAX_FILE_BYTES / 1e6:,.0f} MB limit for one import"
    if size is None:
        said = f"more than {limit}; it was read no further"
    else:
        said = f"{size:,} {unit} ({size / 1e6:,.1f} MB), over {limit}"
    return f"{source}: {said}. Split it into smaller files"


def shortened(text: str, most: int = 40) -> str:
    """A name fit for a message, even when it is itself the thing that is too long."""
    return text if len(text) <= most else text[: most - 1] + "…"


def too_long(name: str, length: int) -> str:
    return (
        f"field {name!r} is {length:,} characters long, longer than the {MAX_FIELD_CHARS:,} "
        "characters a field may hold"
    )


def field_too_long(name: str, length: int, what: str = "this entry") -> str:
    return f"{too_long(name, length)}; {what} was not imported"


def _strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """(field name, string) for every string inside ``value``; lists and dicts are walked with
    a stack, so a deeply nested value cannot exhaust Python's recursion limit."""
    stack = [(name, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend((f"{where}.{key}" if where else str(key), v) for key, v in item.items())
            yield from ((where, key) for key in item if isinstance(key, str))
        elif isinstance(item, list | tuple):
            stack.extend((where, v) for v in item)


def longest_field(draft: PaperDraft) -> tuple[str, int] | None:
    """The first field of ``draft`` longer than MAX_FIELD_CHARS, and its length. Run on every
    entry of every import: the flat fields are measured directly, and only ``extra`` is
    walked."""
    for name in TEXT_FIELDS:
        length = len(getattr(draft, name))
        if length > MAX_FIELD_CHARS:
            return name, length
    flat = [("key", draft.key)] + [("tags", t) for t in draft.tags]
    flat += [("notes", note) for note in draft.notes]
    for name, text in flat:
        if len(text) > MAX_FIELD_CHARS:
            return name, len(text)
    for author in draft.authors:
        parts = (author.family, author.given, author.particle, author.suffix, author.literal)
        length = sum(map(len, parts)) + len(parts)  # at least as long as the name shown
        if length > MAX_FIELD_CHARS:
            return "author", len(author.display)
    if draft.extra:
        for where, text in _strings(draft.extra, ""):
            if len(text) > MAX_FIELD_CHARS:
                return where, len(text)
    return None


_TAG = re.compile(r"[A-Z][A-Z0-9] ")


@dataclass(frozen=True)
class LongValue:
    tag: str
    offset: int  # of its first line, from the first line given
    length: int


def long_tagged_value(lines: Sequence[str]) -> LongValue | None:
    """RIS and Web of Science records: the first value over MAX_FIELD_CHARS, counting a tag's
    line and the untagged lines that continue it. Read before the record is parsed, so that
    an oversized record never reaches the parser."""
    tag, start, length = "", 0, 0
    for number, line in enumerate(lines):
        if _TAG.match(line):
            if length > MAX_FIELD_CHARS:
                break
            tag, start, length = line[:2], number, 0
        length += len(line)
    return LongValue(tag, start, length) if length > MAX_FIELD_CHARS else None
