"""Text copied from arXiv listing or search pages: a block per paper that starts with its
'arXiv:2501.00001' line, then 'Title:', 'Authors:', 'Abstract:' (or, on search pages, the
title on its own line)."""

from __future__ import annotations

import re

from readinglist.domain.drafts import PaperDraft, ParseResult
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi
from readinglist.domain.names import parse_name

FORMAT = "text"
_ID_LINE = re.compile(
    r"^\s*(?:\[\d+\]\s*)?arXiv:(\d{4}\.\d{4,5}|[a-z\-.]+/\d{7})(v\d+)?\b", re.IGNORECASE
)
_KEY_LINE = re.compile(
    r"^\s*(Title|Authors?|Abstract|Comments|Subjects|Journal-ref|DOI|"
    r"Submitted|Report-no|MSC-class|ACM-class)\s*:?\s+(.*)$",
    re.IGNORECASE,
)
# Each '(?<!\s)' below makes a match start where a run of spaces starts and not again at each
# space inside it (which finds the same matches): without it, a line of many spaces costs
# quadratic time.
_NOISE = re.compile(r"(?:(?<!\s)\s+)?(▽ More|△ Less)\s*")
_AUTHOR_SEPARATOR = re.compile(r",\s*|(?<!\s)\s+and\s+")


_LABEL = re.compile(r"^\s*(Title|Authors?)\s*:", re.IGNORECASE)


def looks_like_arxiv_listing(text: str) -> bool:
    """An 'arXiv:…' line followed closely by 'Title:' or 'Authors:': a line of running text
    that merely starts with an arXiv id is not a listing."""
    lines = [line for line in text.splitlines() if line.strip()]
    return any(
        _ID_LINE.match(line) and any(_LABEL.match(after) for after in lines[i + 1 : i + 4])
        for i, line in enumerate(lines)
    )


def _authors(text: str) -> list:
    names = _AUTHOR_SEPARATOR.split(text.strip().rstrip("."))
    return [parse_name(n) for n in names if n.strip()]


def _paper(arxiv_id: str, lines: list[tuple[int, str]], start: int) -> PaperDraft:
    draft = PaperDraft(arxiv_id=normalize_arxiv_id(arxiv_id), entry_type="article", line=start)
    fields: dict[str, list[str]] = {}
    current: str | None = None
    loose: list[str] = []
    for _, line in lines:
        line = _NOISE.sub(" ", line).strip()
        if not line:
            continue
        match = _KEY_LINE.match(line)
        if match and match.group(1).lower() != "submitted":
            current = (
                match.group(1).lower().rstrip("s")
                if match.group(1).lower() == "authors"
                else match.group(1).lower()
            )
            fields.setdefault(current, []).append(match.group(2))
        elif match:
            current = None
            fields.setdefault("submitted", []).append(match.group(2))
        elif current is not None:
            fields[current].append(line)
        else:
            loose.append(line)
    joined = {k: " ".join(v) for k, v in fields.items()}
    draft.title = joined.pop("title", "") or (loose.pop(0) if loose else "")
    draft.authors = _authors(joined.pop("author", ""))
    draft.abstract = joined.pop("abstract", "") or " ".join(loose)
    draft.doi = normalize_doi(joined.pop("doi", ""))
    draft.venue = joined.pop("journal-ref", "")
    if draft.arxiv_id and draft.arxiv_id[:2].isdigit():
        draft.year = 2000 + int(draft.arxiv_id[:2]) if int(draft.arxiv_id[:2]) < 90 else None
    draft.url = f"https://arxiv.org/abs/{draft.arxiv_id}" if draft.arxiv_id else ""
    draft.extra = {k: v for k, v in joined.items() if v}
    return draft


# Not text: '[pdf, other]' links and category codes ('cs.LG'). A category is matched only
# where a run of letters and dashes starts, not at each word boundary inside it (which made a
# long 'a-a-a-…' quadratic); the letters before the boundary that '\b' would have started at
# are kept (group 1), so the verdict is the same.
_CATEGORY = (
    r"(?<![a-z\-])(?<!\w)-*[a-z][a-z\-]*\.[A-Z]{2}\b"
    r"|(?<![a-z\-])(?<=\w)([a-z]*)-[a-z\-]*\.[A-Z]{2}\b"
)
_NOT_TEXT = re.compile(r"\[[^\]]*\]|" + _CATEGORY)


def _holds_text(tail: str) -> bool:
    """Whether what follows an 'arXiv:…' id on its line is text (a title), not just links and
    categories. Brackets are matched only up to the last ']': past it, each '[' would scan to
    the end of the line for a ']' that is not there (quadratic time)."""
    end = tail.rfind("]") + 1
    rest = _NOT_TEXT.sub(r"\1", tail[:end]) + re.sub(_CATEGORY, r"\1", tail[end:])
    return bool(re.search(r"\w", rest))


def parse_arxiv_listing(text: str, source: str = "<pasted>") -> ParseResult:
    result = ParseResult(format=FORMAT)
    numbered = list(enumerate(text.splitlines(), start=1))
    starts = [(i, m) for i, (_, line) in enumerate(numbered) if (m := _ID_LINE.match(line))]
    for position, (index, match) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(numbered)
        rest = numbered[index + 1 : end]
        tail = numbered[index][1][match.end() :]
        if _holds_text(tail):
            rest = [(numbered[index][0], tail), *rest]
        result.entries.append(_paper(match.group(1), rest, numbered[index][0]))
    return result
