"""The fixed query mix: 224 queries in nine kinds, the same at every size for a seed, each
also written for SQLite FTS5 and, where Papis's search can say it, for Papis.

Built from the generator's vocabulary (not from a particular library), so the mix does not
change with the size; some words are common, some rare, a few found nowhere, as people type
them. Kinds: single words, two-word AND, phrases, field queries, ``year:`` ranges,
``rating:>=``, prefixes, fuzzy words, and queries narrowed by a tag or a reading list (the
sidebar's filters, through ``Library.browse``, or the same in the query language).

FTS5 has no fuzzy matching: its form of a fuzzy query is the word spelled right, a lower bound
on what the engine would do. Papis's SQLite backend hands the query to FTS5 over its own
columns (no ranges, lists, venues, notes or fuzzy words): those queries have no Papis form and
are left out of the comparison with Papis.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.benchmarks import vocabulary as v
from tests.benchmarks.sentences import Words

KINDS = ("word", "and", "phrase", "field", "year", "rating", "prefix", "fuzzy", "filtered")
# The targets: these kinds must answer within the slower of its two limits.
SLOW_KINDS = ("prefix", "fuzzy")


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # in readinglist's query language
    tag: str | None = None  # a sidebar filter: papers with this tag
    list_name: str | None = None  # a sidebar filter: papers in this reading list
    fts: str = ""  # FTS5 MATCH expression over our baseline table (see fts5.py)
    fts_where: str = ""  # and an SQL condition on its unindexed year and rating
    papis: str | None = None  # Papis's SQLite backend (FTS5 over its columns), if it can


def _single(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if " " not in w and "-" not in w]


def _typo(word: str, rng: random.Random, distance: int) -> str:
    """``word`` one edit off (a letter dropped or replaced), or two (two letters swapped)."""
    letters = list(word)
    i = rng.randrange(1, len(letters) - 2)
    if distance == 2:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    elif rng.random() < 0.5:
        del letters[i]
    else:
        letters[i] = rng.choice([c for c in "aeiourstnl" if c != letters[i]])
    return "".join(letters)


def _q(word: str) -> str:
    return f'"{word}"'


def query_mix(seed: int = 7) -> list[Query]:
    """The 224 queries, in a fixed order."""
    rng = random.Random(seed * 1009)
    methods = [m.lower() for m in Words(random.Random(seed), 40).methods.words[:24]]
    plain = _single(v.ADJECTIVES) + _single(v.NOUNS)
    plain += [w for t in v.TASKS + v.DOMAINS for w in t.split() if len(w) > 4 and "-" not in w]
    plain = list(dict.fromkeys(plain))
    long = [w for w in plain if len(w) >= 7]
    families = [f for f in v.FAMILY if "'" not in f]
    tags = [t for t in v.TAGS if "-" not in t]
    mix: list[Query] = []

    def add(kind: str, text: str, fts: str, papis: str | None = "", **extra) -> None:
        mix.append(Query(kind, text, fts=fts, papis=fts if papis == "" else papis, **extra))

    for word in rng.sample(plain, 22) + methods[:8] + ["quokka", "zeppelin"]:
        add("word", word, _q(word))
    for _ in range(28):
        a, b = rng.sample(plain, 2)
        add("and", f"{a} {b}", f"{_q(a)} {_q(b)}")
    phrases = [" ".join(t.split()[:2]) for t in v.TASKS if " " in t]
    phrases += [n for n in v.NOUNS if " " in n]
    phrases += ["central problem", "publicly available", "promising direction", "learned jointly"]
    for phrase in rng.sample(phrases, 24):
        add("phrase", f'"{phrase}"', _q(phrase))
    _fields(add, rng, plain, families, tags)
    for _ in range(16):
        word, low = rng.choice(plain), rng.randint(2005, 2022)
        high = low + rng.randint(0, 4)
        shapes = [
            (f"year:{low}..{high} {word}", f"year BETWEEN {low} AND {high}"),
            (f"year:>={low} {word}", f"year >= {low}"),
            (f"year:..{low} {word}", f"year <= {low}"),
            (f"year:{low} {word}", f"year = {low}"),
        ]
        text, where = rng.choice(shapes)
        add("year", text, _q(word), None, fts_where=where)
    for _ in range(16):
        word, stars = rng.choice(plain), rng.randint(2, 5)
        text = f"rating:>={stars} {word}" if rng.random() < 0.7 else f"rating:{stars} {word}"
        where = f"rating >= {stars}" if ">=" in text else f"rating = {stars}"
        add("rating", text, _q(word), None, fts_where=where)
    for word in rng.sample(long, 18) + methods[8:14]:
        stem = word[: rng.randint(3, 5)]
        add("prefix", f"{stem}*", f"{_q(stem)}*")
    for word in rng.sample(long, 24):
        distance = 2 if rng.random() < 0.3 else 1
        suffix = "~2" if distance == 2 else "~"
        add("fuzzy", f"{_typo(word, rng, distance)}{suffix}", _q(word), None)
    _filtered(add, rng, plain, tags)
    return mix


def _fields(add, rng: random.Random, plain: list[str], families: list[str], tags: list[str]):
    venues = ["learning", "neural", "robotics", "linguistics", "conference", "proceedings"]
    notes = ["compare", "useful", "section", "reading", "table", "numbers"]
    for word in rng.sample(plain, 8):
        add("field", f"title:{word}", f"title : {_q(word)}")
    for family in rng.sample(families, 8):
        add("field", f"author:{family}", f"authors : {_q(family)}", f"author : {_q(family)}")
    for word in rng.sample(plain, 6):
        add("field", f"abstract:{word}", f"abstract : {_q(word)}")
    for word in rng.sample(venues, 4):
        add("field", f"venue:{word}", f"venue : {_q(word)}", None)
    for word in rng.sample(notes, 3):
        add("field", f"note:{word}", f"notes : {_q(word)}", None)
    for tag in rng.sample(tags, 3):
        add("field", f"tag:{tag}", f"tags : {_q(tag)}", f"tags : {_q(tag)}")


def _filtered(add, rng: random.Random, plain: list[str], tags: list[str]) -> None:
    lists = list(v.LIST_NAMES[:6])
    for _ in range(10):
        word, tag = rng.choice(plain), rng.choice(tags[:20])
        add("filtered", word, f"{_q(word)} tags : {_q(tag)}", None, tag=tag)
    for _ in range(8):
        word, name = rng.choice(plain), rng.choice(lists)
        add("filtered", word, f"{_q(word)} lists : {_q(list_token(name))}", None, list_name=name)
    for _ in range(5):
        word, tag = rng.choice(plain), rng.choice(tags[:20])
        add("filtered", f"tag:{tag} {word}", f"{_q(word)} tags : {_q(tag)}", None)
    for _ in range(5):
        word, name = rng.choice(plain), rng.choice(lists)
        text = f'list:"{name}" {word}'
        add("filtered", text, f"{_q(word)} lists : {_q(list_token(name))}", None)


def list_token(name: str) -> str:
    """How the FTS5 baseline stores a reading list's name: one token per list."""
    return "list" + "".join(c for c in name.lower() if c.isalnum())


def typed(seed: int = 7) -> list[str]:
    """Queries typed letter by letter for the keystroke figure: each prefix is a search."""
    methods = Words(random.Random(seed), 40).methods.words
    return [
        "semantic segmentation",
        "author:müller",
        methods[0].lower(),
        "robust transformers year:2020..",
        '"language models"',
        "graph neural networks -survey",
    ]
