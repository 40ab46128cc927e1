"""MinHash signatures for a whole batch at once, as a ``(n_docs, num_perm)`` numpy matrix.

The default is one-permutation hashing with optimal densification (Shrivastava, ICML 2017): each shingle is
hashed once; the hash picks one of ``num_perm`` bins and the bin keeps its smallest value; an empty bin borrows
the value of another bin chosen by a fixed hash sequence, the same for every document, so that equal bins still
mean equal sets with probability equal to their Jaccard similarity. Cost: one hash per shingle instead of
``num_perm``.

``datasketch_signatures`` reproduces datasketch's ``MinHash`` bit for bit (its "legacy" and "affine32"
schemes) for users who must stay compatible with signatures already stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ._parallel import map_ranges
from .errors import ConfigError
from .shingle import Shingles, _pieces, mix64, shingle

__all__ = ["Signatures", "signatures", "signatures_from_shingles", "datasketch_signatures", "EMPTY"]

#: The value of a bin no shingle fell into (only left in signatures of documents without any shingle).
EMPTY = np.uint32(0xFFFFFFFF)
_U64 = np.uint64
_PIECE = 1 << 18


@dataclass(frozen=True, slots=True)
class Signatures:
    """MinHash signatures of a batch: ``matrix[i]`` is document ``i``'s signature; ``sizes[i]`` the number of
    shingles it had (repeats included)."""

    matrix: np.ndarray
    sizes: np.ndarray
    num_perm: int
    ngram: int
    seed: int

    def __len__(self) -> int:
        return len(self.matrix)

    def jaccard(self, i: int, j: int) -> float:
        """Estimated Jaccard similarity of documents ``i`` and ``j``."""
        return float(np.mean(self.matrix[i] == self.matrix[j]))


def check_settings(*, num_perm: int, ngram: int, seed: int) -> None:
    if not isinstance(num_perm, int) or not 8 <= num_perm <= 4096:
        raise ConfigError(f"num_perm must be an integer from 8 to 4096, got {num_perm!r}")
    if not isinstance(ngram, int) or not 1 <= ngram <= 32:
        raise ConfigError(f"ngram must be an integer from 1 to 32, got {ngram!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed!r}")


@lru_cache(maxsize=16)
def salts(seed: int) -> tuple[np.uint64, np.uint64]:
    """The two 64-bit salts a seed stands for: one for bin hashing, one for the densification sequence."""
    values = np.random.default_rng(seed).integers(0, 2**63, size=2, dtype=np.uint64)
    return values[0], values[1]


def signatures(texts: Sequence[str], *, num_perm: int = 128, ngram: int = 5, seed: int = 1,
               workers: int = 1) -> Signatures:
    """MinHash signatures of the word ``ngram``-shingles of each text.

    The texts are shingled and signed in pieces of a few megabytes, so the shingle hashes of the whole batch
    never exist at once; ``workers`` > 1 spreads the pieces over forked processes (large batches only). The
    result does not depend on either.
    """
    check_settings(num_perm=num_perm, ngram=ngram, seed=seed)
    parallel = workers if sum(map(len, texts)) >= _PARALLEL_CHARS else 1
    # An empty batch is one empty piece, so that the result has its shape.
    parts = map_ranges(_sign_range, (texts, num_perm, ngram, seed), _pieces(texts), workers=parallel)
    return Signatures(matrix=np.concatenate([part[0] for part in parts]),
                      sizes=np.concatenate([part[1] for part in parts]), num_perm=num_perm, ngram=ngram, seed=seed)


#: Below this many characters in all, signatures are computed in this process (forking costs more).
_PARALLEL_CHARS = 8 << 20


def _sign_range(state: tuple[Sequence[str], int, int, int], start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    texts, num_perm, ngram, seed = state
    sigs = signatures_from_shingles(shingle(texts[start:stop], ngram=ngram), num_perm=num_perm, ngram=ngram,
                                    seed=seed)
    return sigs.matrix, sigs.sizes


def signatures_from_shingles(shingles: Shingles, *, num_perm: int, ngram: int, seed: int) -> Signatures:
    """One-permutation MinHash with optimal densification over precomputed shingle hashes."""
    n_docs = len(shingles)
    bin_salt, fill_salt = salts(seed)
    matrix: np.ndarray = np.full(n_docs * num_perm, EMPTY, dtype=np.uint32)
    counts = shingles.counts()
    hashes = shingles.hashes
    # In pieces of about _PIECE shingles (whole documents), so the temporaries stay in cache.
    doc_starts = np.searchsorted(shingles.offsets, np.arange(0, len(hashes), _PIECE), side="right") - 1
    bounds = sorted(set(doc_starts.tolist()) | {n_docs})
    for first, last in zip(bounds[:-1], bounds[1:], strict=True):
        low, high = int(shingles.offsets[first]), int(shingles.offsets[last])
        if high == low:
            continue
        mixed = mix64(hashes[low:high] ^ bin_salt)
        slots = mixed >> _U64(32)
        if num_perm & (num_perm - 1) == 0:
            slots &= _U64(num_perm - 1)
        else:
            slots %= _U64(num_perm)
        slots += np.repeat(np.arange(first, last, dtype=_U64) * _U64(num_perm), counts[first:last])
        np.minimum.at(matrix, slots.view(np.int64), mixed.astype(np.uint32))
    matrix = matrix.reshape(n_docs, num_perm)
    _densify(matrix, counts > 0, num_perm, fill_salt)
    return Signatures(matrix=matrix, sizes=counts, num_perm=num_perm, ngram=ngram, seed=seed)


def fill_sequence(num_perm: int, attempt: int, fill_salt: np.uint64) -> np.ndarray:
    """The bin each bin borrows from at a given densification attempt (the same for every document)."""
    bins = np.arange(num_perm, dtype=_U64)
    fills: np.ndarray = mix64(bins * _U64(0x9E3779B97F4A7C15) + _U64(attempt) + fill_salt) % _U64(num_perm)
    return fills.astype(np.int64)


def _densify(matrix: np.ndarray, nonempty_docs: np.ndarray, num_perm: int, fill_salt: np.uint64) -> None:
    original = matrix.copy()
    empty = (original == EMPTY) & nonempty_docs[:, None]
    attempt = 1
    while empty.any():
        rows, cols = np.nonzero(empty)
        donor = original[rows, fill_sequence(num_perm, attempt, fill_salt)[cols]]
        found = donor != EMPTY
        matrix[rows[found], cols[found]] = donor[found]
        empty[rows[found], cols[found]] = False
        attempt += 1


# --- datasketch compatibility -----------------------------------------------------------------------------

_MERSENNE = _U64((1 << 61) - 1)
_MAX_HASH = _U64((1 << 32) - 1)


def datasketch_signatures(
    hash_values: Iterable[Sequence[int]], *, num_perm: int = 128, seed: int = 1, scheme: str = "affine32"
) -> np.ndarray:
    """Signatures identical to ``datasketch.MinHash(num_perm, seed, scheme=scheme).update_batch(values)``
    given each document's 32-bit input hashes (datasketch's ``sha1_hash32`` of each shingle's bytes).

    Returns a ``(n_docs, num_perm)`` matrix: uint64 for "legacy", uint32 for "affine32".
    """
    if scheme not in ("legacy", "affine32"):
        raise ConfigError(f"scheme must be 'legacy' or 'affine32', got {scheme!r}")
    generator = np.random.RandomState(seed)
    docs = [np.asarray(values, dtype=_U64) for values in hash_values]
    if scheme == "legacy":
        pairs = [(generator.randint(1, _MERSENNE, dtype=_U64), generator.randint(0, _MERSENNE, dtype=_U64))
                 for _ in range(num_perm)]
        a = np.array([p[0] for p in pairs], dtype=_U64)
        b = np.array([p[1] for p in pairs], dtype=_U64)
        out = np.full((len(docs), num_perm), _MAX_HASH, dtype=_U64)
        with np.errstate(over="ignore"):
            for row, values in enumerate(docs):
                if len(values):
                    # uint64 products wrap before the modulo: that is what datasketch computes
                    permuted = (values[:, None] * a + b) % _MERSENNE
                    out[row] = np.minimum(out[row], (permuted & _MAX_HASH).min(axis=0))
        return out
    a32 = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b32 = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    out32 = np.full((len(docs), num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for row, values in enumerate(docs):
            if len(values):
                mixed = _fmix32(values.astype(np.uint32))[:, None]
                out32[row] = np.minimum(out32[row], (mixed * a32 + b32).min(axis=0))
    return out32


def _fmix32(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint32(16))
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        h = h ^ (h >> np.uint32(16))
        return h
