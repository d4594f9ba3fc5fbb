"""Papis, the peer the issue names, measured in the same run on the same papers: installed from
PyPI into a virtual environment of its own (never into ours, and never a dependency of
readinglist), in a library of its own under a private HOME, so nothing of a user's Papis is
read or written.

It imports the generated BibTeX with its SQLite backend (its fastest: the default backend
rewrites its whole cache as documents come in) and searches with both that backend and the
default one. Both are told to search abstracts too, as ours does: the comparison is on the
same texts. Searches are timed through Papis's API in one process (papis_driver.py) and through
its command line, a fresh process per query, as a user runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.benchmarks.children import wall_time
from tests.benchmarks.queries import Query

DRIVER = Path(__file__).with_name("papis_driver.py")
BACKENDS = ("sqlite", "papis")
MATCH_FORMAT = "{doc[tags]}{doc.subfolder}{doc[title]}{doc[author]}{doc[year]}{doc[abstract]}"


class PapisUnavailable(Exception):
    """Papis could not be installed or run here; the message says why, for the results."""


def install(venv: Path) -> str:
    """Papis in ``venv`` (made on first use with ``python -m venv`` and pip); its version."""
    papis = venv / "bin" / "papis"
    if not papis.exists():
        shutil.rmtree(venv, ignore_errors=True)  # a half-made one from an interrupted run
        steps = (
            [sys.executable, "-m", "venv", str(venv)],
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "papis",
            ],
        )
        for step in steps:
            try:
                done = subprocess.run(step, capture_output=True, text=True, timeout=900)
            except (OSError, subprocess.TimeoutExpired) as error:
                raise PapisUnavailable(f"{' '.join(step)}: {error}") from None
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise PapisUnavailable(f"{' '.join(step)} failed: {' / '.join(tail)}")
    done = subprocess.run([str(papis), "--version"], capture_output=True, text=True)
    if done.returncode != 0:
        raise PapisUnavailable(f"papis --version failed: {done.stderr.strip()[-300:]}")
    return done.stdout.strip().split()[-1]


def _environment(home: Path, backend: str) -> dict[str, str]:
    """A private HOME with a Papis configuration naming one library and one backend."""
    base = home / backend
    config = base / "config" / "papis" / "config"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        "[settings]\n"
        "default-library = bench\n"
        f"database-backend = {backend}\n"
        f"cache-dir = {base / 'cache'}\n"
        "sqlite-schema-fields-extend = ['abstract', 'booktitle']\n"
        f"match-format = {MATCH_FORMAT}\n"
        "[bench]\n"
        f"dir = {home / 'library'}\n",
        encoding="utf-8",
    )
    (home / "library").mkdir(exist_ok=True)
    # compiled modules kept, as for readinglist (children.BYTECODE)
    dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        HOME=str(base),
        XDG_CONFIG_HOME=str(base / "config"),
        XDG_CACHE_HOME=str(base / "cache"),
        XDG_DATA_HOME=str(base / "data"),
    )
    return env


def _plain(query: Query) -> str | None:
    """The default backend's language: words (each must match) and ``field:word``."""
    if query.kind in ("word", "and"):
        return query.text
    if query.kind == "field" and query.text.split(":")[0] in ("title", "author", "abstract"):
        return query.text
    return None


def _driver(venv: Path, env: dict[str, str], queries: list[str], work: Path) -> dict[str, Any]:
    path = work / "papis-queries.json"
    path.write_text(json.dumps(queries), encoding="utf-8")
    command = [str(venv / "bin" / "python"), str(DRIVER), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise PapisUnavailable(f"Papis's search API failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(
    venv: Path,
    work: Path,
    bib: Path,
    count: int,
    mix: Sequence[Query],
    cli_mix: Sequence[Query],
    repeat: int,
) -> dict[str, Any]:
    """Import ``bib`` once, then search with each backend: ``repeat`` fresh processes over
    the mix (through the API), and ``repeat`` CLI runs of each query of ``cli_mix``."""
    papis = str(venv / "bin" / "papis")
    envs = {backend: _environment(work, backend) for backend in BACKENDS}
    importing = [papis, "bibtex", "read", str(bib), "import", "--all", "--batch"]
    try:
        import_s = wall_time(importing, envs["sqlite"])
    except RuntimeError as error:
        raise PapisUnavailable(f"papis bibtex import failed: {str(error)[-500:]}") from None
    result: dict[str, Any] = {"import_s": import_s, "backends": {}}
    for backend in BACKENDS:
        form = (lambda q: q.papis) if backend == "sqlite" else _plain
        chosen = [(i, form(q)) for i, q in enumerate(mix) if form(q) is not None]
        runs = [_driver(venv, envs[backend], [t for _, t in chosen], work) for _ in range(repeat)]
        if runs[0]["documents"] != count:
            raise PapisUnavailable(f"Papis holds {runs[0]['documents']} of {count} papers")
        cli = [(i, form(q)) for i, q in enumerate(cli_mix) if form(q) is not None]
        cli_s = [
            wall_time([papis, "list", "--all", text], envs[backend])
            for _ in range(repeat)
            for _, text in cli
        ]
        result["backends"][backend] = {
            "indices": [i for i, _ in chosen],
            "first_open_ms": runs[0]["open_ms"],  # the default backend builds its cache here
            "open_ms": [r["open_ms"] for r in runs[1:]] or [runs[0]["open_ms"]],
            "ms": [t for r in runs for t in r["ms"]],
            "hits": runs[0]["hits"],
            "cli_indices": [i for i, _ in cli],
            "cli_s": cli_s,
        }
    return result
