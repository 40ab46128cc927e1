"""LSH banding: the choice of bands x rows, band keys, and candidate pairs found by sorting keys."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .errors import ConfigError
from .shingle import mix64

__all__ = ["band_keys", "candidate_pairs", "find_candidates", "optimal_params"]

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
    keys: np.ndarray = np.broadcast_to(np.arange(bands, dtype=_U64) * _U64(0xD6E8FEB86659FD93), (n_docs, bands)).copy()
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = mix64(keys ^ blocks[:, :, row])
    return keys


def candidate_pairs(keys: np.ndarray, *, max_bucket: int = 64) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents sharing a band key, sorted and unique, as an ``(m, 2)`` array.

    One sort of all ``n_docs * bands`` keys; only runs of equal keys are looked at after that. A bucket larger
    than ``max_bucket`` (thousands of identical copies, say) is not expanded into all its pairs: its members,
    in ascending order, are each paired with the first member and with their successor, which keeps every
    member connected to the bucket at linear cost.
    """
    n_docs, n_bands = keys.shape
    flat = keys.ravel()
    if len(flat) < 2:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(flat)  # ties in any order: members are sorted below
    sorted_keys = flat[order]
    # Runs of equal keys from the positions equal to their predecessor (few: most keys are unique, and arrays of
    # every run's start and size would take 16 bytes per key).
    repeats = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
    del sorted_keys
    if not len(repeats):
        return np.empty((0, 2), dtype=np.int64)
    run_start = np.ones(len(repeats), dtype=bool)
    run_start[1:] = repeats[1:] != repeats[:-1] + 1
    first = repeats[run_start]
    sizes = np.diff(np.append(np.flatnonzero(run_start), len(repeats))) + 1
    pieces = []
    small = sizes <= max_bucket
    for size in np.unique(sizes[small]).tolist():
        run_starts = first[small & (sizes == size)]
        members = order[run_starts[:, None] + np.arange(size)] // n_bands
        left, right = np.triu_indices(size, k=1)
        pieces.append(np.stack([members[:, left].ravel(), members[:, right].ravel()], axis=1))
    for start, size in zip(first[~small].tolist(), sizes[~small].tolist(), strict=True):
        members = np.sort(order[start:start + size] // n_bands)
        pieces.append(np.stack([np.repeat(members[0], size - 1), members[1:]], axis=1))
        pieces.append(np.stack([members[1:-1], members[2:]], axis=1))
    pairs = np.concatenate(pieces).astype(np.int64, copy=False)
    pairs.sort(axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    codes = np.unique(pairs[:, 0] * np.int64(n_docs) + pairs[:, 1])
    return np.stack([codes // n_docs, codes % n_docs], axis=1)

def find_candidates(keys: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Candidate pairs from LSH band collisions of documents with shingles (``keys``: their ``band_keys``;
    ``sizes``: their shingle counts), ``(m, 2)`` with ``i < j``."""
    index = np.flatnonzero(sizes > 0)
    pairs = candidate_pairs(keys[index])
    return index[pairs] if len(pairs) else pairs


