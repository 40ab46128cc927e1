"""Verification: the rule that says two articles are copies, on their exact shingle sets."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .settings import Settings
from .shingle import Shingles, shingle

__all__ = ["ShingleSets", "copies", "exact_duplicates", "is_copy", "overlap", "verify"]


def exact_duplicates(texts: Sequence[str], sizes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """For each text, the index of the first text equal to it (itself when it is the first); texts without any
    shingle are never merged this way. ``codes``: ``hash`` of each text."""
    n = len(texts)
    first_copy = np.arange(n, dtype=np.int64)
    if n < 2:
        return first_copy
    order = np.argsort(codes, kind="stable")  # equal codes keep ascending indexes
    sorted_codes = codes[order]
    run_start = np.ones(n, dtype=bool)
    np.not_equal(sorted_codes[1:], sorted_codes[:-1], out=run_start[1:])
    leader = order[np.maximum.accumulate(np.where(run_start, np.arange(n), 0))]
    first_copy[order] = leader
    for index in np.flatnonzero(first_copy != np.arange(n)).tolist():  # equal hashes: check the texts
        if sizes[index] == 0 or texts[index] != texts[first_copy[index]]:
            first_copy[index] = index
    return first_copy


class ShingleSets:
    """Sorted unique shingle hashes per document, computed on first use. ``rows`` maps a document to its row in
    ``shingles`` when those hold only some documents."""

    def __init__(self, shingles: Shingles, rows: dict[int, int] | None = None, *,
                 texts: Sequence[str] | None = None, ngram: int = 5, first_copy: np.ndarray | None = None) -> None:
        self._shingles = shingles
        self._rows = rows
        self._texts, self._ngram, self._first_copy = texts, ngram, first_copy
        self._cache: dict[int, np.ndarray] = {}
        self._overlaps: dict[tuple[int, int], tuple[float, float]] = {}
        self._sizes: dict[int, int] = {}

    @classmethod
    def of_texts(cls, texts: Sequence[str], needed: np.ndarray, ngram: int,
                 first_copy: np.ndarray | None = None) -> ShingleSets:
        """Shingle sets for the documents ``needed`` (those in candidate pairs), computed together; any other
        document's set is computed when asked for. An exact copy shares its first occurrence's set."""
        needed_list = needed.tolist()
        shingles = shingle([texts[index] for index in needed_list], ngram=ngram)
        return cls(shingles, {doc: row for row, doc in enumerate(needed_list)}, texts=texts, ngram=ngram,
                   first_copy=first_copy)

    def __getitem__(self, index: int) -> np.ndarray:
        if self._first_copy is not None:
            index = int(self._first_copy[index])
        found = self._cache.get(index)
        if found is None:
            row = index if self._rows is None else self._rows.get(index)
            if row is None:
                assert self._texts is not None
                values = shingle([self._texts[index]], ngram=self._ngram).hashes
            else:
                values = self._shingles.of(row)
            found = self._cache[index] = sorted_unique(values)
        return found

    def prefetch(self, indexes: Sequence[int]) -> None:
        """Compute the sets of these documents that are not known yet, together (one ``shingle`` call over all
        of them costs far less than one per document)."""
        if self._texts is None or self._rows is None:  # without rows every document's set is at hand
            return
        canonical = [int(self._first_copy[i]) if self._first_copy is not None else int(i) for i in indexes]
        missing = sorted({i for i in canonical if i not in self._cache and i not in self._rows})
        if missing:
            shingles = shingle([self._texts[i] for i in missing], ngram=self._ngram)
            for row, index in enumerate(missing):
                self._cache[index] = sorted_unique(shingles.of(row))

    def size(self, index: int) -> int:
        """The number of distinct shingles of a document."""
        if self._first_copy is not None:
            index = int(self._first_copy[index])
        found = self._sizes.get(index)
        return len(self[index]) if found is None else found

    def measured(self) -> tuple[dict[tuple[int, int], tuple[float, float]], dict[int, int]]:
        """The overlaps and set sizes computed so far, for ``remember`` in another process."""
        return self._overlaps, {index: len(values) for index, values in self._cache.items()}

    def remember(self, overlaps: dict[tuple[int, int], tuple[float, float]], sizes: dict[int, int]) -> None:
        """Take overlaps and set sizes measured elsewhere (by another process, on the same texts)."""
        self._overlaps.update(overlaps)
        self._sizes.update(sizes)

    def measured_pair(self, i: int, j: int) -> bool:
        """Whether the overlap of documents ``i`` and ``j`` is known (measured, or the same document)."""
        if self._first_copy is not None:
            i, j = int(self._first_copy[i]), int(self._first_copy[j])
        return i == j or ((i, j) if i < j else (j, i)) in self._overlaps

    def overlap(self, i: int, j: int) -> tuple[float, float]:
        """``overlap`` of the sets of documents ``i`` and ``j``, remembered."""
        if self._first_copy is not None:
            i, j = int(self._first_copy[i]), int(self._first_copy[j])
        key = (i, j) if i < j else (j, i)
        found = self._overlaps.get(key)
        if found is None:
            found = self._overlaps[key] = overlap(self[i], self[j])
        return found


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` without its overhead (it matters when called once per document)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Exact Jaccard similarity and containment (share of the smaller set in the larger) of two sorted sets."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    if len(a) > len(b):
        a, b = b, a
    slots = np.searchsorted(b, a)  # each element of the smaller set looked up in the larger one
    slots[slots == len(b)] = 0
    common = int(np.count_nonzero(b[slots] == a))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def is_copy(jaccard: float, contained: float, smaller: int, settings: Settings) -> bool:
    """The verification rule: similar enough, or the smaller article is (almost) inside the larger one."""
    if jaccard >= settings.threshold:
        return True
    return settings.containment is not None and smaller >= settings.min_shingles and contained >= settings.containment


def verify(pairs: np.ndarray, sets: ShingleSets | Sequence[np.ndarray], settings: Settings) -> np.ndarray:
    """The candidate pairs that pass ``is_copy`` on their exact shingle sets (``ShingleSets`` remember each
    pair's overlap, for the clusters' member similarities)."""
    return pairs[copies(pairs, sets, settings)]


def copies(pairs: np.ndarray, sets: ShingleSets | Sequence[np.ndarray], settings: Settings) -> np.ndarray:
    """Which of the pairs pass ``is_copy`` (a boolean mask)."""
    keep = np.zeros(len(pairs), dtype=bool)
    measure = sets.overlap if isinstance(sets, ShingleSets) else lambda i, j: overlap(sets[i], sets[j])
    for number, (i, j) in enumerate(pairs.tolist()):
        jaccard, contained = measure(i, j)
        keep[number] = is_copy(jaccard, contained, min(len(sets[i]), len(sets[j])), settings)
    return keep
