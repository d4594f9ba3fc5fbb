"""Shared fixtures: a real library (SQLite file + Whoosh index) in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readinglist import open_library
from readinglist.domain.values import AuthorName
from tests.factories import draft


def shared_path(relative: str) -> Path:
    """A file from the shared corpora: skipped without READINGLIST_SHARED, an error when the
    variable is set but the file is missing (CI must never skip silently)."""
    root = os.environ.get("READINGLIST_SHARED")
    if not root:
        pytest.skip("READINGLIST_SHARED is not set: the shared samples are not on this machine")
    path = Path(root) / relative
    if not path.is_file():
        pytest.fail(f"READINGLIST_SHARED is set but {path} is missing")
    return path


@pytest.fixture
def sample_page() -> Path:
    return shared_path("samples/hf-papers-page.txt")


@pytest.fixture
def library(tmp_path):
    with open_library(tmp_path / "library") as lib:
        yield lib


@pytest.fixture
def three_papers(library):
    """A small library: three papers with different fields, returned as their ids."""
    ids = []
    for paper in (
        draft(
            "On Formally Undecidable Propositions",
            authors=[AuthorName(family="Gödel", given="Kurt")],
            year=1931,
            venue="Monatshefte für Mathematik",
            abstract="Incompleteness of arithmetic and decoupling of proof from truth.",
        ),
        draft(
            "Attention Is All You Need",
            authors=["Vaswani", "Shazeer"],
            year=2017,
            venue="NeurIPS",
            abstract="We propose the Transformer, based solely on attention mechanisms.",
            arxiv_id="1706.03762",
        ),
        draft(
            "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks",
            authors=["Finn", "Abbeel", "Levine"],
            year=2017,
            venue="ICML",
            abstract="We propose an algorithm for meta-learning that is model-agnostic.",
            doi="10.5555/3305381.3305498",
        ),
    ):
        ids.append(library.add_paper(paper).created)
    return ids
