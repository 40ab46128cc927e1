"""Clustering: candidate verification, connected components, and the canonical member of each cluster."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter

import numpy as np

from ._parallel import map_ranges, resolve_workers, split
from .clean import (
    Article,
    block_hashes,
    clean,
    clean_with_block_hashes,
    distinct_block_hashes,
    remove_repeated_blocks,
    repeated_block_sites,
    site_of,
)
from .documents import MAX_BYTES, Document, File, find_files, read_files
from .errors import ConfigError
from .lsh import band_keys, candidate_pairs, optimal_params
from .minhash import check_settings, signatures_from_shingles
from .shingle import Shingles, shingle

__all__ = ["Settings", "Member", "Cluster", "Clustering", "cluster", "cluster_files"]

#: ``progress(stage, done, total)`` is called as stages advance.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Settings:
    """Clustering settings, validated on creation.

    ``threshold``: Jaccard similarity of word shingle sets from which two articles are copies.
    ``containment``: share of the smaller article's shingles found in the larger one from which they are copies
    too (a copy cut from the bottom, or one with a local intro added); ``None`` turns the rule off.
    ``min_shingles``: the smaller article needs at least this many shingles for the containment rule.
    ``candidate_threshold``: the Jaccard similarity the LSH bands are tuned for; lower than ``threshold`` so that
    cut copies (high containment, Jaccard near one half) still become candidates.
    ``site_chrome``: drop the paragraphs a site repeats across its documents in the batch (``clean.
    remove_repeated_blocks``) before fingerprinting; different stories of one site then stop looking alike.
    """

    threshold: float = 0.5
    containment: float | None = 0.8
    min_shingles: int = 20
    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    candidate_threshold: float | None = None
    site_chrome: bool = True

    def __post_init__(self) -> None:
        check_settings(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed)
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if self.containment is not None and not 0.0 < self.containment <= 1.0:
            raise ConfigError(f"containment must be in (0, 1] or None, got {self.containment!r}")
        if self.candidate_threshold is not None and not 0.0 < self.candidate_threshold < 1.0:
            raise ConfigError(f"candidate_threshold must be in (0, 1), got {self.candidate_threshold!r}")
        if self.min_shingles < 1:
            raise ConfigError(f"min_shingles must be positive, got {self.min_shingles!r}")

    @property
    def lsh_threshold(self) -> float:
        if self.candidate_threshold is not None:
            return self.candidate_threshold
        return min(0.99, max(0.05, 0.6 * min(self.threshold, self.containment or 1.0)))


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a cluster and how close it is to the cluster's canonical article."""

    doc: str
    canonical: bool
    similarity: float
    containment: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """Articles that are copies of one story; ``canonical`` is the id of the one to keep."""

    id: int
    canonical: str
    members: tuple[Member, ...]

    def __len__(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Clustering:
    """The result of ``cluster``: every input article (cleaned) once, in input order, with its cluster."""

    articles: tuple[Article, ...]
    labels: tuple[int | None, ...]
    clusters: tuple[Cluster, ...]
    settings: Settings
    timings: dict[str, float] = field(default_factory=dict)

    def cluster_of(self, doc: str) -> Cluster | None:
        """The cluster of the article with id ``doc`` (``None`` for an unusable input)."""
        for article, label in zip(self.articles, self.labels, strict=True):
            if article.id == doc:
                return None if label is None else self.clusters[label]
        raise KeyError(doc)


def cluster(
    docs: Iterable[Document | Article | str],
    *,
    threshold: float = 0.5,
    containment: float | None = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    seed: int = 1,
    settings: Settings | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Clustering:
    """Cluster articles that are copies of one another.

    ``docs`` may be loaded documents (cleaned here), cleaned articles, or plain strings (cleaned as text, ids
    ``"0"``, ``"1"``, …). Unusable inputs keep their place in ``articles`` with ``error`` set and label ``None``.
    ``workers``: processes for cleaning and signatures on large batches (``None``: every core); the result does
    not depend on it.
    """
    if settings is None:
        settings = Settings(threshold=threshold, containment=containment, num_perm=num_perm, ngram=ngram,
                            seed=seed)
    return _cluster(_Items(_checked(docs)), settings, progress, resolve_workers(workers))


def cluster_files(
    path: str | os.PathLike[str],
    *,
    threshold: float = 0.5,
    containment: float | None = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    seed: int = 1,
    settings: Settings | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    recursive: bool = True,
    max_bytes: int = MAX_BYTES,
) -> Clustering:
    """``cluster(load(path))`` in one pass: each worker reads, cleans and fingerprints its share of the files, so
    reading runs in parallel too and no document crosses between processes before it is cleaned. Same result
    as ``cluster(load(path, recursive=recursive, max_bytes=max_bytes))``; raises ``InputError`` when ``path`` does
    not exist."""
    files = find_files(path, recursive=recursive)
    if settings is None:
        settings = Settings(threshold=threshold, containment=containment, num_perm=num_perm, ngram=ngram,
                            seed=seed)
    return _cluster(_Files(files, max_bytes), settings, progress, resolve_workers(workers))


class _Items:
    """Inputs in memory; a plain string's id is its position."""

    def __init__(self, items: Sequence[Document | Article | str]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def inputs(self, start: int, stop: int) -> list[Document | Article]:
        return list(map(_as_input, self.items[start:stop], range(start, stop)))


class _Files:
    """Input files (``documents.find_files``), read where they are cleaned."""

    def __init__(self, files: Sequence[File], max_bytes: int) -> None:
        self.files, self.max_bytes = files, max_bytes

    def __len__(self) -> int:
        return len(self.files)

    def inputs(self, start: int, stop: int) -> list[Document]:
        return read_files(self.files[start:stop], max_bytes=self.max_bytes)


def _checked(docs: Iterable[Document | Article | str]) -> list[Document | Article | str]:
    items = list(docs)
    for item in items:
        if not isinstance(item, (Article, Document, str)):
            raise TypeError(f"cluster() takes Documents, Articles or strings, not {type(item).__name__}")
    return items


def _as_input(item: Document | Article | str, number: int) -> Document | Article:
    """A plain string becomes a document whose id is its position."""
    return Document(id=str(number), text=item) if isinstance(item, str) else item


def _verify_pairs(texts: Sequence[str], pairs: np.ndarray, first_copy: np.ndarray, settings: Settings,
                  workers: int) -> tuple[np.ndarray, _ShingleSets]:
    """``verify`` over the candidate pairs, in ranges spread over ``workers`` processes when there are many; the
    shingle sets come back with the overlaps and set sizes the processes measured, for the clusters."""
    if workers == 1 or len(pairs) < _PARALLEL_PAIRS:
        sets = _ShingleSets.of_texts(texts, np.unique(pairs), settings.ngram, first_copy)
        return verify(pairs, sets, settings), sets
    chunk = max(64, len(pairs) // (4 * workers) + 1)
    parts = map_ranges(_verify_range, (texts, pairs, first_copy, settings), split(len(pairs), chunk),
                       workers=workers)
    sets = _ShingleSets.of_texts(texts, np.empty(0, dtype=np.int64), settings.ngram, first_copy)
    for _keep, overlaps, sizes in parts:
        sets.remember(overlaps, sizes)
    return pairs[np.concatenate([part[0] for part in parts])], sets


#: From this many candidate pairs on, verification is spread over the workers.
_PARALLEL_PAIRS = 500


def _verify_range(state: tuple[Sequence[str], np.ndarray, np.ndarray, Settings], start: int,
                  stop: int) -> tuple[np.ndarray, dict[tuple[int, int], tuple[float, float]], dict[int, int]]:
    texts, pairs, first_copy, settings = state
    some = pairs[start:stop]
    sets = _ShingleSets.of_texts(texts, np.unique(some), settings.ngram, first_copy)
    return (_copies(some, sets, settings), *sets.measured())


def _cluster(source: _Items | _Files, settings: Settings, progress: Progress | None, workers: int) -> Clustering:
    fingerprints = _fingerprint(source, settings, progress, workers)
    timings = fingerprints.timings
    articles = fingerprints.articles
    if settings.site_chrome:
        began = time.perf_counter()
        articles = _remove_site_chrome(fingerprints, settings)
        timings["clean"] += time.perf_counter() - began

    usable = [index for index, article in enumerate(articles) if article.error is None]
    rows = np.asarray(usable, dtype=np.int64)
    texts = [articles[index].text for index in usable]
    sizes = fingerprints.sizes[rows]

    started = time.perf_counter()
    # Exact copies join their first occurrence directly; only first occurrences go through LSH and verification,
    # so a thousand copies of one article cost one LSH entry, not a bucket of a thousand.
    first_copy = exact_duplicates(texts, sizes, fingerprints.codes[rows])
    originals = np.flatnonzero(first_copy == np.arange(len(texts)))
    pairs = find_candidates(fingerprints.keys[rows[originals]], sizes[originals])
    pairs = originals[pairs] if len(pairs) else pairs
    timings["candidates"] = time.perf_counter() - started

    started = time.perf_counter()
    edges, sets = _verify_pairs(texts, pairs, first_copy, settings, workers)
    copies = np.flatnonzero(first_copy != np.arange(len(texts)))
    edges = np.concatenate([edges.reshape(-1, 2), np.stack([first_copy[copies], copies], axis=1)])
    timings["verification"] = time.perf_counter() - started

    started = time.perf_counter()
    components = connected_components(len(usable), edges)
    labels: list[int | None] = [None] * len(articles)
    clusters = _build_clusters(components, usable, articles, sets, labels)
    timings["clusters"] = time.perf_counter() - started
    if progress is not None:
        progress("cluster", len(articles), len(articles))
    return Clustering(articles=tuple(articles), labels=tuple(labels), clusters=clusters, settings=settings,
                      timings=timings)


@dataclass
class _Fingerprints:
    """Every input cleaned, with the shingle count, ``hash`` of the text and LSH band keys of each article and,
    for site-chrome removal, ``clean.distinct_block_hashes`` of the articles that have a site (values, counts)."""

    articles: list[Article]
    sizes: np.ndarray
    codes: np.ndarray
    blocks: tuple[np.ndarray, np.ndarray]
    keys: np.ndarray
    timings: dict[str, float]


#: Below this many inputs, everything stays in this process (forking costs more).
_PARALLEL_ITEMS = 1000
#: Inputs per task at least (a task also pays for sending its results back).
_MIN_CHUNK = 32
_STAGES = ("load", "clean", "shingle", "signatures")


def _fingerprint(source: _Items | _Files, settings: Settings, progress: Progress | None,
                 workers: int) -> _Fingerprints:
    """Clean and sign every input, in ranges spread over ``workers`` processes (the result does not depend on
    how many); the wall time is split among the stages in proportion to the time the workers spent in each."""
    started = time.perf_counter()
    total = len(source)
    parallel = workers if total >= _PARALLEL_ITEMS else 1
    # In one process, some 64 ranges (16 to 256 inputs each): progress moves every 0.5 s on 636 HTML pages.
    sequential = max(16, min(256, total // 64 + 1))
    chunk = sequential if parallel == 1 else max(_MIN_CHUNK, min(512, total // (8 * parallel) + 1))

    def done(stop: int) -> None:
        if progress is not None:
            progress("clean", stop, total)

    done(0)
    lsh_params(settings)  # cached before forking: choosing bands and rows takes 20 ms
    # Workers send plain tuples: unpickling many frozen dataclasses costs more than the tuples' text.
    # An empty batch is one empty range, so that every array below has its shape.
    parts = map_ranges(_fingerprint_range, (source, settings), split(total, chunk) or [(0, 0)], workers=parallel,
                       done=done, pack=_pack_articles, unpack=_unpack_articles)
    articles = [article for part in parts for article in part[0]]
    sizes, codes, values, counts, keys = (np.concatenate([part[index] for part in parts]) for index in range(1, 6))
    spent = [sum(part[6][stage] for part in parts) for stage in range(len(_STAGES))]
    wall = time.perf_counter() - started
    share = [value / sum(spent) if sum(spent) > 0 else 1 / len(spent) for value in spent]
    timings = {stage: wall * fraction for stage, fraction in zip(_STAGES, share, strict=True)}
    return _Fingerprints(articles, sizes, codes, (values, counts), keys, timings)


def _fingerprint_range(state: tuple[_Items | _Files, Settings], start: int, stop: int) -> tuple:
    source, settings = state
    began = time.perf_counter()
    inputs = source.inputs(start, stop)
    loaded = time.perf_counter()
    cleaned = [_clean_with_block_hashes(item) for item in inputs]
    articles = [article for article, _hashes in cleaned]
    texts = [article.text if article.error is None else "" for article in articles]
    values, counts = distinct_block_hashes([hashes if settings.site_chrome and site_of(article) is not None else ()
                                            for article, hashes in cleaned])
    codes = np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts))
    hashed = time.perf_counter()
    shingles = shingle(texts, ngram=settings.ngram)
    shingled = time.perf_counter()
    sigs = signatures_from_shingles(shingles, num_perm=settings.num_perm, ngram=settings.ngram, seed=settings.seed)
    keys = band_keys(sigs.matrix, *lsh_params(settings))
    signed = time.perf_counter()
    times = (loaded - began, hashed - loaded, shingled - hashed, signed - shingled)
    return articles, sigs.sizes, codes, values, counts, keys, times


def _clean_with_block_hashes(item: Document | Article) -> tuple[Article, list[int]]:
    if isinstance(item, Article):
        return item, block_hashes(item.text) if item.error is None else []
    return clean_with_block_hashes(item)


def _pack_articles(part: tuple) -> tuple:
    """What a worker sends: its articles as plain tuples (unpickling many frozen dataclasses costs more than the
    tuples' text), then the rest of its result."""
    return ([_article_values(article) for article in part[0]], *part[1:])


def _unpack_articles(part: tuple) -> tuple:
    return ([Article(*values) for values in part[0]], *part[1:])


def _remove_site_chrome(fingerprints: _Fingerprints, settings: Settings) -> list[Article]:
    """``clean.remove_repeated_blocks`` over the batch, run only on the sites whose paragraph hashes say it may
    drop something; the articles it changes are fingerprinted again (in place in ``fingerprints``)."""
    articles = fingerprints.articles
    sites = [site_of(article) for article in articles]
    flagged = repeated_block_sites(sites, *fingerprints.blocks)
    if not flagged:
        return articles
    members = [index for index, site in enumerate(sites) if site in flagged]
    cleaned = remove_repeated_blocks([articles[index] for index in members])
    changed = [index for index, article in zip(members, cleaned, strict=True) if article is not articles[index]]
    if not changed:
        return articles
    articles = list(articles)
    for index, article in zip(members, cleaned, strict=True):
        articles[index] = article
    texts = [articles[index].text for index in changed]
    sigs = signatures_from_shingles(shingle(texts, ngram=settings.ngram), num_perm=settings.num_perm,
                                    ngram=settings.ngram, seed=settings.seed)
    rows = np.asarray(changed, dtype=np.int64)
    fingerprints.sizes[rows] = sigs.sizes
    fingerprints.codes[rows] = np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts))
    fingerprints.keys[rows] = band_keys(sigs.matrix, *lsh_params(settings))
    return articles


def _as_articles(docs: Iterable[Document | Article | str], progress: Progress | None,
                 workers: int = 1) -> list[Article]:
    items = _checked(docs)
    parallel = workers if len(items) >= _PARALLEL_ITEMS else 1
    chunk = 256 if parallel == 1 else max(64, min(1024, len(items) // (8 * parallel) + 1))

    def done(stop: int) -> None:
        if progress is not None:
            progress("clean", stop, len(items))

    done(0)
    parts = map_ranges(_clean_range, _Items(items), split(len(items), chunk), workers=parallel, done=done,
                       pack=_pack_articles, unpack=_unpack_articles)
    return [article for part in parts for article in part[0]]


_article_values = attrgetter(*(item.name for item in fields(Article)))


def _clean_range(items: _Items, start: int, stop: int) -> tuple[list[Article]]:
    return ([item if isinstance(item, Article) else clean(item) for item in items.inputs(start, stop)],)


def lsh_params(settings: Settings) -> tuple[int, int]:
    """Bands and rows per band of the LSH step for these settings."""
    return optimal_params(round(settings.lsh_threshold, 4), settings.num_perm)


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


def find_candidates(keys: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Candidate pairs from LSH band collisions of documents with shingles (``keys``: their ``band_keys``;
    ``sizes``: their shingle counts), ``(m, 2)`` with ``i < j``."""
    index = np.flatnonzero(sizes > 0)
    pairs = candidate_pairs(keys[index])
    return index[pairs] if len(pairs) else pairs


class _ShingleSets:
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
                 first_copy: np.ndarray | None = None) -> _ShingleSets:
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
            found = self._cache[index] = _sorted_unique(values)
        return found

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

    def overlap(self, i: int, j: int) -> tuple[float, float]:
        """``overlap`` of the sets of documents ``i`` and ``j``, remembered."""
        if self._first_copy is not None:
            i, j = int(self._first_copy[i]), int(self._first_copy[j])
        key = (i, j) if i < j else (j, i)
        found = self._overlaps.get(key)
        if found is None:
            found = self._overlaps[key] = overlap(self[i], self[j])
        return found


def _sorted_unique(values: np.ndarray) -> np.ndarray:
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


def verify(pairs: np.ndarray, sets: _ShingleSets | Sequence[np.ndarray], settings: Settings) -> np.ndarray:
    """The candidate pairs that pass ``is_copy`` on their exact shingle sets (``_ShingleSets`` remember each
    pair's overlap, for the clusters' member similarities)."""
    return pairs[_copies(pairs, sets, settings)]


def _copies(pairs: np.ndarray, sets: _ShingleSets | Sequence[np.ndarray], settings: Settings) -> np.ndarray:
    """Which of the pairs pass ``is_copy`` (a boolean mask)."""
    keep = np.zeros(len(pairs), dtype=bool)
    measure = sets.overlap if isinstance(sets, _ShingleSets) else lambda i, j: overlap(sets[i], sets[j])
    for number, (i, j) in enumerate(pairs.tolist()):
        jaccard, contained = measure(i, j)
        keep[number] = is_copy(jaccard, contained, min(len(sets[i]), len(sets[j])), settings)
    return keep


def connected_components(n: int, edges: np.ndarray) -> np.ndarray:
    """Component label per node (the smallest node index in its component), by min-label propagation with
    pointer jumping, vectorised over the edge list."""
    labels = np.arange(n, dtype=np.int64)
    if len(edges) == 0:
        return labels
    left, right = edges[:, 0], edges[:, 1]
    while True:
        low = np.minimum(labels[left], labels[right])
        updated = labels.copy()
        np.minimum.at(updated, left, low)
        np.minimum.at(updated, right, low)
        updated = updated[updated]
        while True:
            jumped = updated[updated]
            if np.array_equal(jumped, updated):
                break
            updated = jumped
        if np.array_equal(updated, labels):
            return labels
        labels = updated


def _canonical_key(article: Article, size: int) -> tuple:
    return (article.date is None, article.date or "", -size, article.id)


def _build_clusters(components: np.ndarray, usable: Sequence[int], articles: Sequence[Article],
                    sets: _ShingleSets, labels: list[int | None]) -> tuple[Cluster, ...]:
    # Labels are the smallest member of each component, so sorting by label orders the clusters by their first
    # member, and a stable sort keeps each cluster's members ascending.
    order = np.argsort(components, kind="stable")
    starts = np.flatnonzero(np.diff(components[order], prepend=-1))
    sizes = np.diff(np.append(starts, len(order)))
    order_list = order.tolist()
    clusters = []
    for cluster_id, (start, size) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=True)):
        if size == 1:  # most articles: no shingle sets needed
            index = usable[order_list[start]]
            doc = articles[index].id
            labels[index] = cluster_id
            clusters.append(Cluster(cluster_id, doc, (Member(doc, True, 1.0, 1.0),)))
            continue
        members = order_list[start:start + size]
        canonical = min(members, key=lambda local: _canonical_key(articles[usable[local]], sets.size(local)))
        built = []
        for local in members:
            article = articles[usable[local]]
            labels[usable[local]] = cluster_id
            if local == canonical:
                built.append(Member(doc=article.id, canonical=True, similarity=1.0, containment=1.0))
            else:
                jaccard, contained = sets.overlap(local, canonical)
                built.append(Member(doc=article.id, canonical=False, similarity=round(jaccard, 4),
                                    containment=round(contained, 4)))
        clusters.append(Cluster(id=cluster_id, canonical=articles[usable[canonical]].id, members=tuple(built)))
    return tuple(clusters)
