"""Exceptions raised by dedup.

    DedupError
    ├── ConfigError (also ValueError)   a setting is out of range or inconsistent
    ├── InputError                      a path or file cannot be used at all
    └── IncompatibleIndex               an index was built with other settings, or is not an index

Unusable *documents* inside a batch are not exceptions: they come back with their ``error`` field set, so that
every input appears in the output exactly once.
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
