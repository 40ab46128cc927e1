"""Process parallelism over ranges of a batch, for the per-document stages (cleaning, signatures).

Work is split into ranges of the input; each range is one task; results come back in input order, so the
output never depends on the number of workers or on the range size. Workers are forked: they inherit the
input from the parent (nothing is pickled on the way in) and only their results are pickled back. Where fork
is not available, or the caller is itself a daemonic worker, everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["available_workers", "resolve_workers", "map_ranges"]

T = TypeVar("T")
#: ``func(state, start, stop)`` computes the result for ``state[start:stop]``.
RangeFunction = Callable[[Any, int, int], T]

_STATE: Any = None


def available_workers() -> int:
    """CPU cores this process may run on (``DEDUP_WORKERS`` overrides)."""
    override = os.environ.get("DEDUP_WORKERS", "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


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
