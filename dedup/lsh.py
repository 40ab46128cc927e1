"""LSH banding: the choice of bands x rows, band keys, and candidate pairs found by sorting keys."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .errors import ConfigError
from .shingle import mix64

__all__ = ["optimal_params", "band_keys", "candidate_pairs"]

_U64 = np.uint64


@lru_cache(maxsize=256)
def optimal_params(threshold: float, num_perm: int, *, false_positive_weight: float = 0.5,
                   false_negative_weight: float = 0.5) -> tuple[int, int]:
    """Bands and rows per band minimising the weighted false-positive plus false-negative probability mass
    around ``threshold``, as datasketch's ``MinHashLSH`` chooses them (trapezoid rule instead of quad)."""
    if not 0.0 < threshold < 1.0:
        raise ConfigError(f"threshold must be between 0 and 1 (exclusive), got {threshold!r}")
    choices = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.int64)
    bands, rows = choices[:, :1].astype(float), choices[:, 1]
    low, high = np.linspace(0.0, threshold, 1001), np.linspace(threshold, 1.0, 1001)
    # (1 - s^r)^b as exp(b * log(1 - s^r)), with the logarithm computed once per r rather than per (b, r).
    powers = np.arange(1, num_perm + 1, dtype=float)[:, None]
    with np.errstate(divide="ignore"):
        log_miss_low, log_miss_high = np.log1p(-(low**powers)), np.log1p(-(high**powers))
    false_positive = np.trapezoid(1 - np.exp(bands * log_miss_low[rows - 1]), low, axis=1)
    false_negative = np.trapezoid(np.exp(bands * log_miss_high[rows - 1]), high, axis=1)
    error = false_positive * false_positive_weight + false_negative * false_negative_weight
    best = int(np.argmin(error))
    return int(choices[best, 0]), int(choices[best, 1])


def band_keys(matrix: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A 64-bit key per (document, band): ``(n_docs, bands)``. Keys of different bands never collide by design
    (the band number is mixed in)."""
    n_docs = matrix.shape[0]
    if bands * rows > matrix.shape[1]:
        raise ConfigError(f"{bands} bands x {rows} rows need {bands * rows} hash values; signatures have "
                          f"{matrix.shape[1]}")
    blocks = matrix[:, : bands * rows].reshape(n_docs, bands, rows).astype(_U64)
    keys = np.broadcast_to(np.arange(bands, dtype=_U64) * _U64(0xD6E8FEB86659FD93), (n_docs, bands)).copy()
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = mix64(keys ^ blocks[:, :, row])
    return keys


def candidate_pairs(keys: np.ndarray, *, max_bucket: int = 64) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents sharing a band key, sorted and unique, as an ``(m, 2)`` array.

    A bucket larger than ``max_bucket`` (thousands of identical copies, say) is not expanded into all its
    pairs: each member is paired with the bucket's first member and with its successor, which keeps every
    member connected to the bucket at linear cost.
    """
    flat = keys.ravel()
    docs = np.repeat(np.arange(keys.shape[0], dtype=np.int64), keys.shape[1])
    order = np.argsort(flat, kind="stable")
    sorted_keys, sorted_docs = flat[order], docs[order]
    boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.concatenate(([0], boundaries))
    sizes = np.diff(np.concatenate((starts, [len(flat)])))
    pieces = []
    small = (sizes > 1) & (sizes <= max_bucket)
    for size in np.unique(sizes[small]):
        group_starts = starts[small & (sizes == size)]
        first, second = np.triu_indices(int(size), k=1)
        members = sorted_docs[group_starts[:, None] + np.arange(size)]
        pieces.append(np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1))
    for start, size in zip(starts[sizes > max_bucket], sizes[sizes > max_bucket], strict=True):
        members = sorted_docs[start:start + size]
        pieces.append(np.stack([np.repeat(members[0], size - 1), members[1:]], axis=1))
        pieces.append(np.stack([members[1:-1], members[2:]], axis=1))
    if not pieces:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(pieces)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)
