"""Papers from text copied off a listing web page: a title line, then its abstract.

Handles a page such as a Hugging Face Papers listing (each title on one line, its abstract on
the next, page chrome around them) and plain text where each paper is a paragraph: a title line
followed by abstract lines, papers separated by blank lines. arXiv ids, DOIs and code links
found in an abstract are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from readinglist.domain.drafts import PaperDraft, ParseResult, Problem
from readinglist.domain.identifiers import find_arxiv_ids, find_dois
from readinglist.importers.arxiv_listing import looks_like_arxiv_listing, parse_arxiv_listing
from readinglist.importers.limits import MAX_FIELD_CHARS

FORMAT = "text"

# Page furniture that is not a paper, recognised and dropped without a word.
_CHROME = (
    re.compile(r"^get trending papers in your email inbox", re.IGNORECASE),
    re.compile(r"^(subscribe|sign up|log in|login|daily papers|trending papers)$", re.IGNORECASE),
)
# A button label glued to the first title when a page is copied ("SubscribeLearning to …").
_GLUED_PREFIX = re.compile(r"^Subscribe(?=[A-Z0-9\"'“])")
_URL = re.compile(r"https?://[^\s<>\"]+")
_CODE_HOSTS = re.compile(
    r"^https?://(www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|huggingface\.co)/",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z(]")
TITLE_MAX = 300


@dataclass
class _Line:
    number: int  # 1-based, in the original text
    text: str


def _is_abstract_like(text: str) -> bool:
    return len(text) > TITLE_MAX or (len(text) > 150 and bool(_SENTENCE_END.search(text)))


def _clean_url(url: str) -> str:
    """Drop sentence punctuation after a URL, and a closing bracket the URL did not open.

    The brackets are counted once and the end moved back, rather than the URL counted again
    for each bracket dropped: 'http://x)))))…' would otherwise cost quadratic time."""
    opened = {")": url.count("("), "]": url.count("[")}
    closed = {")": url.count(")"), "]": url.count("]")}
    end = len(url)
    while True:
        before = end
        while end and url[end - 1] in ".,;:'\"":
            end -= 1
        for close in (")", "]"):
            if end and url[end - 1] == close and opened[close] < closed[close]:
                end -= 1
                closed[close] -= 1
        if end == before:
            return url[:end]


_CODE_WORDS = re.compile(
    r"\b(code|codes|implementation|repository|repo|source|github|project page)\b", re.IGNORECASE
)


def _links(abstract: str) -> tuple[str, str]:
    """(code URL, other URL) named in an abstract: a code host, or a link the text introduces
    as code ('Code is available at https://…'), is the code URL."""
    code = other = ""
    for match in _URL.finditer(abstract):
        url = _clean_url(match.group(0))
        before = abstract[max(0, match.start() - 80) : match.start()]
        if _CODE_HOSTS.match(url) or _CODE_WORDS.search(before):
            code = code or url
        else:
            other = other or url
    return code, other


def _paper(title: _Line, abstract_lines: list[_Line]) -> PaperDraft:
    abstract = " ".join(line.text for line in abstract_lines)
    code_url, url = _links(abstract)
    dois = find_dois(abstract)
    arxiv = find_arxiv_ids(title.text + " " + abstract)
    return PaperDraft(
        title=" ".join(title.text.split()),
        abstract=abstract,
        code_url=code_url,
        url=url,
        doi=dois[0] if dois else "",
        arxiv_id=arxiv[0] if arxiv else "",
        entry_type="article",
        line=title.number,
    )


def _content_lines(text: str) -> list[_Line | None]:
    """Lines stripped of chrome; ``None`` marks a blank line (a paragraph break)."""
    lines: list[_Line | None] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = " ".join(raw.replace("\u00a0", " ").split())
        if not stripped:
            lines.append(None)
            continue
        stripped = _GLUED_PREFIX.sub("", stripped)
        if any(p.search(stripped) for p in _CHROME):
            continue
        lines.append(_Line(number, stripped))
    return lines


def _paragraphs(lines: list[_Line | None]) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = [[]]
    for line in lines:
        if line is None:
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    return [p for p in paragraphs if p]


def _without_long_lines(text: str, source: str, problems: list[Problem]) -> str:
    """The text with each line over the field limit left out (and said): such a line would
    be a paper's abstract, and is far longer than any abstract."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_FIELD_CHARS:
            problems.append(
                Problem(
                    source,
                    number,
                    f"this line is {len(line):,} characters long, longer than the "
                    f"{MAX_FIELD_CHARS:,} characters a field may hold; it was not read",
                )
            )
            lines[number - 1] = ""
    return "\n".join(lines) if problems else text


def parse_pasted(text: str, source: str = "<pasted>") -> ParseResult:
    problems: list[Problem] = []
    if len(text) > MAX_FIELD_CHARS:  # only then can one line be too long
        text = _without_long_lines(text, source, problems)
    result = _parse(text, source)
    result.problems[:0] = problems
    return result


def _parse(text: str, source: str) -> ParseResult:
    if looks_like_arxiv_listing(text):
        return parse_arxiv_listing(text, source)
    result = ParseResult(format=FORMAT)
    paragraphs = _paragraphs(_content_lines(text))
    # Wrapped text: paragraphs of short lines, each a title followed by its abstract.
    wrapped = len(paragraphs) > 1 and all(
        len(p) >= 2 and not _is_abstract_like(p[0].text) for p in paragraphs
    )
    for paragraph in paragraphs:
        if wrapped:
            result.entries.append(_paper(paragraph[0], paragraph[1:]))
        else:
            _pair_lines(paragraph, source, result)
    return result


def _pair_lines(lines: list[_Line], source: str, result: ParseResult) -> None:
    """One paper per short line followed by long line(s)."""
    title: _Line | None = None
    abstract: list[_Line] = []

    def finish() -> None:
        nonlocal title, abstract
        if title is not None and abstract:
            result.entries.append(_paper(title, abstract))
        elif title is not None:
            result.problems.append(
                Problem(
                    source,
                    title.number,
                    f"skipped {_quote(title.text)}: no abstract follows it, so it may not be "
                    "a paper title",
                    severity="warning",
                )
            )
        title, abstract = None, []

    for line in lines:
        if _is_abstract_like(line.text):
            if title is None and not abstract:
                result.problems.append(
                    Problem(
                        source,
                        line.number,
                        f"skipped {_quote(line.text)}: a paragraph with no title line above it",
                        severity="warning",
                    )
                )
                continue
            abstract.append(line)
        else:
            finish()
            title = line
    finish()


def _quote(text: str, most: int = 60) -> str:
    return repr(text if len(text) <= most else text[: most - 1] + "…")
