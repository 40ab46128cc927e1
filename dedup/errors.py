"""Exceptions raised by dedup.

    DedupError
    ├── ConfigError (also ValueError)   a setting is out of range or inconsistent
    ├── InputError                      a path or file cannot be used at all
    ├── IncompatibleIndex               an index was built with other settings, or is not an index
    │   └── IndexCorrupt                the index file is damaged
    ├── IndexBusy (also TimeoutError)   other writers held the index's lock past the time-out
    └── IndexFull                       no room left to write (disk, quota or size limit)

Unusable *documents* inside a batch are not exceptions: they come back with their ``error`` field set, so that
every input appears in the output exactly once. A write that fails with ``IndexBusy`` or ``IndexFull`` stored
nothing of its batch.
"""

from __future__ import annotations


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError, ValueError):
    """A setting is out of range or inconsistent with another."""


class InputError(DedupError):
    """A path does not exist or cannot be read."""


class IncompatibleIndex(DedupError):
    """An index file was built with different parameters, or is not a dedup index."""


class IndexCorrupt(IncompatibleIndex):
    """An index file is damaged: SQLite found pages it cannot read. Rebuild the index (``Index.check`` lists the
    damage)."""


class IndexBusy(DedupError, TimeoutError):
    """Other processes kept the index locked for longer than the time-out and its retries."""


class IndexFull(DedupError):
    """The index could not grow: the disk, a quota or SQLite's page limit is full."""
