"""Process parallelism over ranges of a batch, for the per-document stages (cleaning, signatures).

Work is split into ranges of the input; each range is one task; results come back in input order, so the
output never depends on the number of workers or on the range size. This process works on ranges too, beside
forked workers that inherit the input from it (nothing is pickled on the way in) and send only their results
back. Where fork is not available, or the caller is itself a daemonic worker, everything runs in this process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar, cast

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.sharedctypes import Synchronized

__all__ = ["available_workers", "map_ranges", "resolve_workers", "split", "tune_allocator"]

S = TypeVar("S")  # the state ranges are taken from
T = TypeVar("T")  # a range's result
P = TypeVar("P")  # a range's result as a forked process sends it
#: ``func(state, start, stop)`` computes the result for ``state[start:stop]``.
RangeFunction = Callable[[S, int, int], T]


def available_workers() -> int:
    """Cores to use: those this process may run on. ``DEDUP_WORKERS`` overrides.

    The load average is not subtracted (it was, until the speed benchmark showed the rule losing: the load of a
    run just finished kept the next one in one process). This process takes ranges too, so an extra worker costs
    little when the cores are busy, and the scheduler shares a busy machine per process. Measured on 2 cores shared
    with other jobs (load average 3.5-4, the realistic speed corpus of 20,000 articles, one run each): one process
    15.1 s, two 8.9 s, three 10.4 s; so neither fewer nor more processes than cores (BENCHMARKS.md has the quiet
    figures).
    """
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


def map_ranges(func: RangeFunction[S, T], state: S, ranges: Sequence[tuple[int, int]], *, workers: int,
               done: Callable[[int], None] | None = None, pack: Callable[[T], P] | None = None,
               unpack: Callable[[P], T] | None = None) -> list[T]:
    """``[func(state, start, stop) for start, stop in ranges]``, spread over ``workers`` processes: this one and
    ``workers - 1`` forked ones.

    Each process takes the next range not yet taken until none is left, so a slow range does not hold the
    others up. This process keeps its own results (half of them on two cores) and receives the others' pickled,
    on a thread. ``func`` runs in the forked processes with ``state`` as it was when they were forked.
    ``done(stop)`` is called in this process, in input order, as the ranges before ``stop`` are all finished.
    An exception raised by ``func`` in any process is raised here. ``pack`` turns a forked process's result
    into what it sends (something cheaper to pickle), ``unpack`` turns it back here.
    """
    if workers <= 1 or len(ranges) <= 1 or not _can_fork():
        results = []
        for start, stop in ranges:
            results.append(func(state, start, stop))
            if done is not None:
                done(stop)
        return results
    return _Pool(func, state, ranges, done, unpack).run(workers, pack)


class _Pool(Generic[S, T, P]):
    """One ``map_ranges`` call over forked processes: results in input order, progress, failures."""

    def __init__(self, func: RangeFunction[S, T], state: S, ranges: Sequence[tuple[int, int]],
                 done: Callable[[int], None] | None, unpack: Callable[[P], T] | None) -> None:
        self.func, self.state, self.ranges, self.done, self.unpack = func, state, ranges, done, unpack
        self.results: list[T | None] = [None] * len(ranges)
        self.finished = [False] * len(ranges)
        self.failures: list[BaseException] = []
        self.reported = 0

    def run(self, workers: int, pack: Callable[[T], P] | None) -> list[T]:
        context = multiprocessing.get_context("fork")
        taken = context.Value("q", 0)
        children, threads = [], []
        for _ in range(min(workers, len(self.ranges)) - 1):
            reader, writer = context.Pipe(duplex=False)
            # Forked, the process gets its arguments (the state too) as they are in memory: nothing is pickled.
            child = context.Process(target=_work, args=(self.func, self.state, self.ranges, taken, writer, pack),
                                    daemon=True)
            child.start()
            writer.close()
            children.append(child)
            threads.append(threading.Thread(target=self._receive, args=(reader,), daemon=True))
        for thread in threads:
            thread.start()
        try:
            while not self.failures and (number := _take(taken, len(self.ranges))) is not None:
                self.results[number] = self.func(self.state, *self.ranges[number])
                self.finished[number] = True
                self._report()
        finally:
            if self.failures or sys.exc_info()[0] is not None:
                with taken.get_lock():
                    taken.value = len(self.ranges)  # the others stop after their current range
            for thread in threads:
                thread.join()
            for child in children:
                child.join()
        return self._collected()

    def _receive(self, reader: Connection) -> None:
        with reader:
            while True:
                try:
                    number, value, failed = reader.recv()
                except (EOFError, OSError):
                    return
                if failed:
                    self.failures.append(value)
                else:
                    self.results[number] = value if self.unpack is None else self.unpack(value)
                    self.finished[number] = True

    def _report(self) -> None:
        while self.done is not None and self.reported < len(self.ranges) and self.finished[self.reported]:
            self.done(self.ranges[self.reported][1])
            self.reported += 1

    def _collected(self) -> list[T]:
        if self.failures:
            raise self.failures[0]
        if not all(self.finished):
            raise RuntimeError("a worker process ended before returning its results")
        self._report()
        return cast("list[T]", self.results)  # every range finished: no slot is left None


def _take(taken: Synchronized[int], total: int) -> int | None:
    """The number of the next range nobody has taken, or ``None``."""
    with taken.get_lock():
        number: int = taken.value
        if number >= total:
            return None
        taken.value = number + 1
        return number


def _work(func: RangeFunction[S, T], state: S, ranges: Sequence[tuple[int, int]], taken: Synchronized[int],
          writer: Connection, pack: Callable[[T], P] | None) -> None:
    """A forked process's loop: take ranges, send ``(number, result, False)``, or ``(number, exception, True)``."""
    with writer:
        while (number := _take(taken, len(ranges))) is not None:
            try:
                result = func(state, *ranges[number])
                writer.send((number, result if pack is None else pack(result), False))
            except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
                writer.send((number, exc, True))
                return


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
