"""How the suite turns repeated timings into figures: medians and 95th percentiles, never
means (one stall of a noisy shared machine would move a mean), and a run's own peak memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable
from typing import Any


def percentile(values: Iterable[float], fraction: float) -> float:
    """The nearest-rank percentile: a value that was measured, not an interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(action: Callable[[], Any]) -> float:
    """Seconds ``action`` took on the wall clock (what a user waits)."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (Whoosh's
    index workers are processes of their own), in MB.

    This process's own figure is the kernel's high-water mark of its address space (VmHWM),
    not ``getrusage``'s ``ru_maxrss``: Linux carries ``ru_maxrss`` across ``exec``, so a child
    started by a large parent (the suite holds 100,000 generated papers) reports the parent's
    peak, not its own."""
    own = _high_water_mb()
    if own is None:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": own, "largest_child": children}


def _high_water_mb() -> float | None:
    """VmHWM from /proc/self/status, in MB; None where there is no /proc (macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
