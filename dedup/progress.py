"""The command line's progress display: one bar for the running stage, on stderr when it is a terminal.

The engines report progress through a plain callback, ``progress(stage, done, total)``; ``ProgressDisplay`` is
such a callback. It draws the stage's bar with the count, rate, elapsed time and time left (tqdm), redraws it
twice a second even when no report comes (a slow stage shows its clock running), and erases it on ``close``.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["ProgressDisplay", "is_terminal"]

_FORMAT = "{desc:<8} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]"


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


class ProgressDisplay:
    """A ``progress(stage, done, total)`` callback drawing on ``stream`` (stderr by default); silent unless the
    stream is a terminal (or ``enabled`` says otherwise). Use it as a context manager, or call ``close``."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None, refresh: float = 0.5) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self._refresh = refresh
        self._bar: tqdm | None = None
        self._stage: str | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        with self._lock:
            bar = self._bar
            if bar is None or stage != self._stage or total != bar.total:
                bar = self._start(stage, done, total)
            bar.update(max(0, done - bar.n))

    def _start(self, stage: str, done: int, total: int) -> tqdm:
        from tqdm import tqdm

        if self._bar is not None:
            self._bar.close()
        else:
            tqdm.set_lock(threading.RLock())  # not tqdm's default multiprocessing lock: workers are forked
        self._stage = stage
        self._bar = tqdm(total=total, initial=done, desc=stage, file=self.stream, leave=False, dynamic_ncols=True,
                         unit=" docs", bar_format=_FORMAT, mininterval=0.1)
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="dedup-progress", daemon=True)
            self._ticker.start()
        return self._bar

    def _tick(self) -> None:
        while not self._stopped.wait(self._refresh):
            with self._lock:
                if self._bar is not None:
                    self._bar.refresh()

    @contextlib.contextmanager
    def hidden(self) -> Iterator[None]:
        """Erase the bar while the block writes to the terminal, then draw it again."""
        with self._lock:
            if self._bar is None:
                yield
                return
            with self._bar.external_write_mode(file=self.stream):
                yield

    def close(self) -> None:
        """Stop redrawing and erase the bar: nothing is left on the terminal."""
        self._stopped.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
