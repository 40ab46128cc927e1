"""Process parallelism over ranges of a batch, for the per-document stages (cleaning, signatures).

Work is split into ranges of the input; each range is one task; results come back in input order, so the
output never depends on the number of workers or on the range size. Workers are forked: they inherit the
input from the parent (nothing is pickled on the way in) and only their results are pickled back. Where fork
is not available, or the caller is itself a daemonic worker, everything runs in this process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["available_workers", "resolve_workers", "map_ranges", "tune_allocator"]

T = TypeVar("T")
#: ``func(state, start, stop)`` computes the result for ``state[start:stop]``.
RangeFunction = Callable[[Any, int, int], T]

_STATE: Any = None


def available_workers() -> int:
    """Cores to use: those this process may run on, less those other processes keep busy (the one-minute load
    average beyond our own process), at least one. ``DEDUP_WORKERS`` overrides.

    Forked workers only pay when they get a core of their own: on an oversubscribed machine they add the cost of
    sending results back and gain nothing (measured: 20,000 articles on 2 cores at load 7-10, one process was
    faster than two).
    """
    override = os.environ.get("DEDUP_WORKERS", "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    if hasattr(os, "sched_getaffinity"):
        cores = max(1, len(os.sched_getaffinity(0)))
    else:
        cores = max(1, os.cpu_count() or 1)
    try:
        busy = int(os.getloadavg()[0])  # includes this process when it is running
    except (OSError, AttributeError):
        busy = 0
    return max(1, min(cores, cores - busy + 1))


def resolve_workers(workers: int | None) -> int:
    """``None`` means every available core; otherwise at least one."""
    if workers is None:
        return available_workers()
    if not isinstance(workers, int) or workers < 1:
        from .errors import ConfigError

        raise ConfigError(f"workers must be a positive integer or None, got {workers!r}")
    return workers


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def _task(arguments: tuple[RangeFunction, int, int]) -> Any:
    func, start, stop = arguments
    return func(_STATE, start, stop)


def map_ranges(func: RangeFunction, state: Any, ranges: Sequence[tuple[int, int]], *, workers: int,
               done: Callable[[int], None] | None = None) -> list[Any]:
    """``[func(state, start, stop) for start, stop in ranges]``, spread over ``workers`` forked processes.

    ``func`` must be a module-level function (it is sent to the workers by name). ``done(stop)`` is called in
    this process as results arrive, in order.
    """
    global _STATE
    results: list[Any] = []
    if workers <= 1 or len(ranges) <= 1 or not _can_fork():
        for start, stop in ranges:
            results.append(func(state, start, stop))
            if done is not None:
                done(stop)
        return results
    _STATE = state
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(ranges))) as pool:
            for (_start, stop), result in zip(ranges, pool.imap(_task, [(func, a, b) for a, b in ranges]),
                                              strict=True):
                results.append(result)
                if done is not None:
                    done(stop)
    finally:
        _STATE = None
    return results


def split(total: int, size: int) -> list[tuple[int, int]]:
    """``[(0, size), (size, 2 * size), ...]`` covering ``range(total)``."""
    return [(start, min(start + size, total)) for start in range(0, total, max(size, 1))]


def tune_allocator() -> None:
    """Keep freed blocks of up to 64 MiB in the heap (glibc only; for the command line, not the library).

    By default glibc serves every block over 128 KiB-32 MiB with mmap and gives it back on free, so each of the
    numpy temporaries of a few megabytes that the per-piece loops allocate is paid again in page faults: on 20,000
    articles, 93,000 minor faults and a third of the CPU time of shingling and signatures (9,000 faults with
    this setting). Forked workers inherit it.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    trim_threshold, mmap_threshold = -1, -3  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in <malloc.h>
    mallopt(mmap_threshold, 64 << 20)
    mallopt(trim_threshold, 256 << 20)
