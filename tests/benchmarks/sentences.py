"""Titles, abstracts and notes assembled from the vocabulary: sentence shapes that research
abstracts share (context, contribution, method, results, analysis, release), filled with words
drawn by frequency, so no two papers read alike and common words are common."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.benchmarks import vocabulary as v

_SMALL = {"a", "an", "the", "of", "for", "in", "on", "with", "via", "to", "and", "from", "under"}


class Words:
    """The seed's vocabulary: every list in its own order of frequency, and as many coined
    method names as a library of ``count`` papers would have (many papers name their own)."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.adjectives = v.Zipf(v.shuffled(v.ADJECTIVES, rng))
        self.nouns = v.Zipf(v.shuffled(v.NOUNS, rng))
        self.tasks = v.Zipf(v.shuffled(v.TASKS, rng))
        self.domains = v.Zipf(v.shuffled(v.DOMAINS, rng))
        self.properties = v.Zipf(v.shuffled(v.PROPERTIES, rng))
        self.tags = v.Zipf(v.shuffled(v.TAGS, rng), exponent=0.9)
        self.given = v.Zipf(v.shuffled(v.GIVEN, rng), exponent=0.5)
        self.family = v.Zipf(v.shuffled(v.FAMILY, rng), exponent=0.5)
        self.methods = v.Zipf(v.coined_names(rng, max(40, count // 2)), exponent=0.8)

    def adjective(self, rng: random.Random) -> str:
        return self.adjectives.pick(rng)

    def noun(self, rng: random.Random) -> str:
        return self.nouns.pick(rng)

    def task(self, rng: random.Random) -> str:
        return self.tasks.pick(rng)

    def domain(self, rng: random.Random) -> str:
        return self.domains.pick(rng)

    def method(self, rng: random.Random) -> str:
        return self.methods.pick(rng)


def singular(noun: str) -> str:
    """'language models' -> 'language model', 'mixtures of experts' -> 'mixture of experts'."""
    head, of, rest = noun.partition(" of ")
    if head.endswith("ies"):
        head = head[:-3] + "y"
    elif head.endswith(("ches", "shes", "xes", "sses")):
        head = head[:-2]
    elif head.endswith("s") and not head.endswith("ss"):
        head = head[:-1]
    return head + of + rest


def a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def title_case(text: str) -> str:
    """Headline style: every word capitalized (each part of a hyphenated one) but the small
    ones inside the title, and words already capitalized (acronyms, names) left alone."""

    def cased(index: int, word: str) -> str:
        if (index and word in _SMALL) or word[:1].isupper():
            return word
        return "-".join(part.capitalize() for part in word.split("-"))

    return " ".join(cased(i, w) for i, w in enumerate(text.split(" ")))


def title(w: Words, rng: random.Random, method: str) -> str:
    """A title in one of the shapes papers use; ``method`` (when given) is named in it."""
    a, n, t = w.adjective(rng), w.noun(rng), w.task(rng)
    shapes: list[Callable[[], str]] = [
        lambda: f"{a} {n} for {t}",
        lambda: f"towards {a} {t} in {w.domain(rng)}",
        lambda: f"on the {rng.choice(v.PROPERTIES)} of {a} {n}",
        lambda: f"learning {a} {n} with {w.noun(rng)}",
        lambda: f"{t} via {a} {n}",
        lambda: f"when do {a} {n} help {t}?",
        lambda: f"a survey of {a} {n} for {w.domain(rng)}",
        lambda: f"revisiting {n} in {a} {t}",
        lambda: f"scaling {a} {n} to {rng.choice(('millions', 'billions'))} of {w.noun(rng)}",
        lambda: f"{a} and {w.adjective(rng)} {n} for {t} under {rng.choice(v.CONDITIONS)}",
    ]
    text = title_case(rng.choice(shapes)())
    if method:
        text = f"{method}: {text}" if rng.random() < 0.7 else f"{text} with {method}"
    return text


def abstract(w: Words, rng: random.Random, method: str) -> str:
    """4–9 sentences: a context, a contribution, then findings in a plausible order."""
    name = method or f"our {w.adjective(rng)} {singular(w.noun(rng))}"
    body = [
        lambda: (
            f"We further analyse the {w.properties.pick(rng)} of {w.adjective(rng)} "
            f"{w.noun(rng)} and show that it degrades gracefully under "
            f"{rng.choice(v.CONDITIONS)}."
        ),
        lambda: (
            f"Unlike prior work on {w.noun(rng)}, the approach does not require "
            f"{rng.choice(v.RESOURCES)}."
        ),
        lambda: (
            f"Experiments on {rng.randint(2, 14)} benchmarks in {w.domain(rng)} show that "
            f"{name} improves {rng.choice(v.METRICS)} by {_gain(rng)} over "
            f"{w.adjective(rng)} baselines."
        ),
        lambda: (
            f"A key insight is that {w.noun(rng)} and {w.noun(rng)} can be learned jointly "
            f"through {w.adjective(rng)} {w.noun(rng)}."
        ),
        lambda: (
            f"In contrast to {w.adjective(rng)} {w.noun(rng)}, {name} scales to "
            f"{rng.choice(('thousands', 'millions', 'billions'))} of {w.noun(rng)}."
        ),
        lambda: (
            f"Ablations confirm that each component contributes to the final "
            f"{rng.choice(v.METRICS)}."
        ),
        lambda: (
            f"These results suggest that {w.adjective(rng)} {w.noun(rng)} are a promising "
            f"direction for {w.task(rng)} in {w.domain(rng)}."
        ),
        lambda: _theory(w, rng),
        lambda: (
            f"We also release a dataset of {rng.randint(2, 900)} thousand annotated examples "
            f"for {w.task(rng)}."
        ),
        lambda: (
            f"Our method is {rng.randint(2, 40)} times faster than {w.adjective(rng)} "
            f"{w.noun(rng)} at inference."
        ),
        lambda: f"Code and pretrained {w.noun(rng)} are publicly available.",
    ]
    task = w.task(rng)
    sentences = [
        f"{task.capitalize()} is a central problem in {w.domain(rng)}, yet "
        f"{w.adjective(rng)} approaches remain {rng.choice(_LIMITS)}.",
        f"We {rng.choice(_VERBS)} {name}, {a(w.adjective(rng))} {singular(w.noun(rng))} "
        f"that combines {w.adjective(rng)} {w.noun(rng)} with {w.noun(rng)} for {task}.",
    ]
    sentences += [shape() for shape in rng.sample(body, rng.randint(2, 7))]
    return " ".join(sentences)


_LIMITS = (
    "brittle",
    "costly to train",
    "hard to interpret",
    "data hungry",
    "poorly calibrated",
    "slow at inference",
    "limited to small inputs",
)
_VERBS = ("propose", "introduce", "present", "develop", "study")


def _gain(rng: random.Random) -> str:
    points = f"{rng.uniform(0.3, 12):.1f}"
    return f"{points}\\%" if rng.random() < 0.2 else f"{points} points"


def _theory(w: Words, rng: random.Random) -> str:
    """Some abstracts carry inline LaTeX math, as arXiv abstracts do."""
    if rng.random() < 0.4:
        bound = rng.choice(("$O(n \\log n)$", "$O(\\sqrt{T})$", "$\\tilde{O}(d/\\epsilon^2)$"))
        return f"We prove a bound of {bound} on the {w.properties.pick(rng)} of the estimator."
    return (
        f"We prove that the {w.properties.pick(rng)} of {w.noun(rng)} follows from a simple "
        f"{w.adjective(rng)} argument."
    )


def note(w: Words, rng: random.Random, method: str) -> str:
    """A reader's Markdown note of one to four lines."""
    lines = [
        f"Compare with **{method or w.method(rng)}**; the {w.properties.pick(rng)} argument "
        f"in section {rng.randint(2, 7)} looks {rng.choice(('off', 'neat', 'too strong'))}.",
        f"- useful for {w.task(rng)}",
        f"- check the {rng.choice(v.METRICS)} numbers against table {rng.randint(1, 6)}",
        f"- ask about {w.adjective(rng)} {w.noun(rng)} at the reading group",
    ]
    return "\n".join(lines[: rng.randint(1, 4)])
