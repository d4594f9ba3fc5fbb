"""The query language, parsed into a small tree that any search engine can compile.

Free words (all must match), "exact phrase", OR, NOT/-word, prefix*, fuzzy~ (fuzzy~2), groups in
parentheses, and fields: title: author: abstract: tag: note: venue: key: doi: arxiv:,
year:2021, year:2018..2021, year:>=2018, rating:>=4, status:read, list:"Thesis background".
We write this parser ourselves (rather than use Whoosh's) because the language is ours: the GUI,
the CLI and a future PostgreSQL backend share it, and every mistake must get a message that
names the column, never a traceback.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from readinglist.domain.values import MAX_RATING, InvalidValue, ReadingStatus

TEXT_FIELDS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "abstract": "abstract",
    "venue": "venue",
    "journal": "venue",
    "note": "notes",
    "notes": "notes",
}
EXACT_FIELDS = {"tag": "tags", "tags": "tags", "key": "key", "doi": "doi", "arxiv": "arxiv"}
RANGE_FIELDS = {"year": "year", "rating": "rating"}
OTHER_FIELDS = {"status": "status", "list": "lists"}
ALL_FIELDS = {**TEXT_FIELDS, **EXACT_FIELDS, **RANGE_FIELDS, **OTHER_FIELDS}
MAX_FUZZY = 2


class QuerySyntaxError(InvalidValue):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at column {position + 1})")
        self.position = position
        self.reason = message


# --- the tree -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    field: str | None  # None: any of the default fields
    text: str


@dataclass(frozen=True)
class Phrase:
    field: str | None
    text: str


@dataclass(frozen=True)
class Prefix:
    field: str | None
    text: str


@dataclass(frozen=True)
class Fuzzy:
    field: str | None
    text: str
    distance: int = 1


@dataclass(frozen=True)
class Exact:
    """A whole value of a keyword field: a tag, a status, a reading list, a DOI."""

    field: str
    value: str


@dataclass(frozen=True)
class Range:
    field: str
    low: int | None
    high: int | None  # both inclusive; None is open


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Word | Phrase | Prefix | Fuzzy | Exact | Range | And | Or | Not | MatchAll


# --- tokens ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # word, phrase, lparen, rparen, minus, and, or, not, field
    text: str
    position: int


_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")
_SPECIAL = set('()"')


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token("lparen" if ch == "(" else "rparen", ch, i))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError('missing closing quote "', i)
            tokens.append(_Token("phrase", query[i + 1 : end], i))
            i = end + 1
            # fuzzy/proximity suffixes on phrases are not supported: skip a stray ~ or *
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace():
            tokens.append(_Token("minus", ch, i))
            i += 1
        else:
            field = _FIELD_PREFIX.match(query, i)
            if field and field.group(1).lower() in ALL_FIELDS:
                tokens.append(_Token("field", field.group(1).lower(), i))
                i = field.end()
                if i >= n or query[i].isspace():
                    raise QuerySyntaxError(f"{field.group(1)}: needs a value", i)
                continue
            if field and field.group(1).lower() not in ("http", "https"):
                end = field.end()
                if end < n and not query[end].isspace():
                    raise QuerySyntaxError(_unknown_field(field.group(1)), i)
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            text = query[start:i]
            kind = {"AND": "and", "OR": "or", "NOT": "not"}.get(text, "word")
            tokens.append(_Token(kind, text, start))
    return tokens


def _unknown_field(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), ALL_FIELDS, n=1)
    hint = f"; did you mean {close[0]}:?" if close else ""
    known = ", ".join(sorted({k for k in ALL_FIELDS if not k.endswith("s") or k == "status"}))
    return f"unknown field {name}:{hint} (fields: {known})"


# --- parser ---------------------------------------------------------------------------------
class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokenize(query)
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.parse_or(None)
        token = self.peek()
        if token is not None:
            raise QuerySyntaxError('unexpected ")" with no "(" to close', token.position)
        return node

    def parse_or(self, field: str | None) -> Node:
        parts = [self.parse_and(field)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("rparen", "or"):
                raise QuerySyntaxError("OR needs a term after it", token.position)
            parts.append(self.parse_and(field))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self, field: str | None) -> Node:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                self.take()
                if not parts or self.peek() is None or self.peek().kind in ("or", "rparen"):
                    raise QuerySyntaxError("AND needs a term on both sides", token.position)
                continue
            parts.append(self.parse_unary(field))
        if not parts:
            token = self.peek()
            where = token.position if token else len(self.query)
            if token is not None and token.kind == "or":
                raise QuerySyntaxError("OR needs a term before it", where)
            raise QuerySyntaxError("empty group ()", where)
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self, field: str | None) -> Node:
        token = self.peek()
        if token is not None and token.kind in ("not", "minus"):
            self.take()
            following = self.peek()
            if following is None or following.kind in ("rparen", "or", "and"):
                raise QuerySyntaxError(f"{token.text} needs a term after it", token.position)
            return Not(self.parse_unary(field))
        return self.parse_primary(field)

    def parse_primary(self, field: str | None) -> Node:
        token = self.take()
        if token.kind == "lparen":
            node = self.parse_or(field)
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QuerySyntaxError('missing ")" to close this "("', token.position)
            self.take()
            return node
        if token.kind == "rparen":
            raise QuerySyntaxError('unexpected ")" with no "(" to close', token.position)
        if token.kind == "field":
            if field is not None:
                raise QuerySyntaxError("a field inside a field group", token.position)
            return self.parse_field_value(token)
        if token.kind == "phrase":
            return _phrase(field, token)
        return _word(field, token)

    def parse_field_value(self, field_token: _Token) -> Node:
        name = field_token.text
        value = self.peek()
        if value is None:
            raise QuerySyntaxError(f"{name}: needs a value", field_token.position)
        if value.kind == "minus":  # title:-survey, tag:-read
            self.take()
            return Not(self.parse_field_value(field_token))
        if name in TEXT_FIELDS:
            if value.kind in ("lparen", "not"):
                return self.parse_unary(TEXT_FIELDS[name])
            return self.parse_primary(TEXT_FIELDS[name])
        token = self.take()
        if token.kind not in ("word", "phrase"):
            raise QuerySyntaxError(f"{name}: needs a value", token.position)
        if name in RANGE_FIELDS:
            return _range(RANGE_FIELDS[name], token)
        if name == "status":
            try:
                return Exact("status", ReadingStatus.parse(token.text).value)
            except InvalidValue as error:
                raise QuerySyntaxError(str(error), token.position) from None
        target = {**EXACT_FIELDS, **OTHER_FIELDS}[name]
        if token.kind == "word" and token.text.endswith("*") and target == "tags":
            return Prefix("tags", token.text.rstrip("*"))
        return Exact(target, token.text.strip())


def _phrase(field: str | None, token: _Token) -> Node:
    if not token.text.strip():
        raise QuerySyntaxError("empty phrase", token.position)
    return Phrase(field, token.text)


def _word(field: str | None, token: _Token) -> Node:
    text = token.text
    if text.endswith("*"):
        stem = text.rstrip("*")
        if not stem:
            raise QuerySyntaxError("* needs letters before it", token.position)
        return Prefix(field, stem)
    fuzzy = re.fullmatch(r"(.+?)~(\d*)", text)
    if fuzzy:
        distance = int(fuzzy.group(2) or 1)
        if not 1 <= distance <= MAX_FUZZY:
            raise QuerySyntaxError(f"fuzzy distance is 1 or {MAX_FUZZY}", token.position)
        return Fuzzy(field, fuzzy.group(1), distance)
    return Word(field, text)


_RANGE = re.compile(r"(\d*)\.\.(\d*)")
_COMPARE = re.compile(r"(>=|<=|>|<|=)?(\d+)")


def _range(field: str, token: _Token) -> Range:
    text = token.text.strip()
    span = _RANGE.fullmatch(text)
    if span and (span.group(1) or span.group(2)):
        low = int(span.group(1)) if span.group(1) else None
        high = int(span.group(2)) if span.group(2) else None
        if low is not None and high is not None and low > high:
            raise QuerySyntaxError(f"{field}:{text} is an empty range", token.position)
        result = Range(field, low, high)
    else:
        compare = _COMPARE.fullmatch(text)
        if not compare:
            example = "year:2018..2021" if field == "year" else "rating:>=4"
            raise QuerySyntaxError(
                f"{field}: takes a number, a range or a comparison, e.g. {example}",
                token.position,
            )
        op, number = compare.group(1) or "=", int(compare.group(2))
        low, high = {
            "=": (number, number),
            ">=": (number, None),
            ">": (number + 1, None),
            "<=": (None, number),
            "<": (None, number - 1),
        }[op]
        result = Range(field, low, high)
    limits = (0, MAX_RATING + 1) if field == "rating" else (-9999, 9999)
    for bound in (result.low, result.high):
        if bound is not None and not limits[0] <= bound <= limits[1]:
            message = (
                f"ratings go from 0 to {MAX_RATING}"
                if field == "rating"
                else ("a year has at most four digits")
            )
            raise QuerySyntaxError(message, token.position)
    return result


def parse_query(query: str) -> Node:
    """Parse a query typed by a user; raises QuerySyntaxError with the column of the mistake."""
    return _Parser(query).parse()


def map_exact(node: Node, field: str, convert) -> Node:
    """The same tree with every ``Exact(field, v)`` value replaced by ``convert(v)``.

    The service uses it to turn list names into ids, which the index stores.
    """
    match node:
        case Exact(f, value) if f == field:
            return Exact(f, convert(value))
        case And(parts):
            return And(tuple(map_exact(p, field, convert) for p in parts))
        case Or(parts):
            return Or(tuple(map_exact(p, field, convert) for p in parts))
        case Not(part):
            return Not(map_exact(part, field, convert))
    return node
