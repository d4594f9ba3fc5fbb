"""Each measurement of readinglist runs in a fresh process: memory is that run's own, nothing
is cached from an earlier run, and a size's leftovers cannot slow the next size down.

A child is ``python -m MODULE ARGS``; it prints its result as one JSON line, last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


# Compiled modules are kept here, as an installed application keeps them (pip compiles at
# install). This machine sets PYTHONDONTWRITEBYTECODE, which made every child compile our
# modules and Whoosh's from source on every start: ~0.2 s a start no user pays.
BYTECODE = REPO / "tests" / "benchmarks" / "results" / "pycache"


def environment(**extra: str) -> dict[str, str]:
    """Our environment, offscreen Qt, the checkout first on the path (so that a worktree's
    readinglist is the one measured), and compiled modules kept between runs."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=path, PYTHONPYCACHEPREFIX=str(BYTECODE))
    return {**env, **extra}


def run_child(module: str, *args: str, timeout: float | None = None) -> dict[str, Any]:
    """Run ``python -m module args`` and return the JSON it printed last; its stderr is
    shown when it fails, so that a broken measurement says why."""
    command = [sys.executable, "-m", module, *args]
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment(), cwd=REPO, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-4000:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall_time(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting ``command`` to its exit, start-up included; it must succeed."""
    started = time.perf_counter()
    done = subprocess.run(list(command), capture_output=True, env=env or environment())
    took = time.perf_counter() - started
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{stderr}")
    return took


def emit(result: dict[str, Any]) -> None:
    """A child's answer: one JSON line on stdout, last."""
    print(json.dumps(result), flush=True)
