"""Shared fixtures: a real library (SQLite file + Whoosh index) in a temporary folder."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from readinglist import open_library
from readinglist.domain.values import AuthorName
from tests.factories import draft
from tests.pg_cluster import ENVIRONMENT as POSTGRES_ENVIRONMENT

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "both_backends: the test's library fixture runs on a SQLite file and on PostgreSQL",
    )


def pytest_generate_tests(metafunc) -> None:
    """Tests of a module marked ``both_backends`` run once per backend; others on SQLite."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch) -> None:
    """What a test keeps of shared libraries stays in its own folder, never the user's."""
    monkeypatch.setenv("READINGLIST_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


def postgres_server() -> str:
    """The test cluster's address: skipped without one, an error in CI (which starts one)."""
    address = os.environ.get(POSTGRES_ENVIRONMENT)
    if not address:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENVIRONMENT} is not set in CI: the test cluster did not start")
        pytest.skip(
            f"{POSTGRES_ENVIRONMENT} is not set: no PostgreSQL server for the tests "
            "(packaging/dev.sh test starts one)"
        )
    return address


@pytest.fixture
def postgres_address() -> str:
    """A new, empty database on the test cluster, dropped afterwards."""
    import psycopg

    server = postgres_server()
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    yield f"{server.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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
def library(request, tmp_path, backend):
    if backend == "postgresql":
        from readinglist.services.library import Library

        address = request.getfixturevalue("postgres_address")
        with Library.open_shared(address, cache=tmp_path / "cache") as lib:
            yield lib
        return
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
