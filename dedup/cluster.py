"""The batch engine: clusters a whole batch at once, over this process and forked ones.

It runs ``pipeline``'s stages: fingerprints computed in ranges of inputs spread over the processes (each reads,
cleans, shingles and signs its own range), then site chrome, candidates, verification (spread over the processes
when there are many pairs) and clusters. It keeps the timings and reports progress.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from . import pipeline
from ._parallel import map_ranges, resolve_workers, split
from .clean import Article
from .components import Cluster, Member
from .documents import MAX_BYTES, Document, File, find_files, read_files
from .pipeline import Progress
from .settings import DEFAULT, Default, Settings, lsh_params, settings_from
from .shingle import shingle
from .verify import Relation, ShingleSets, copies

__all__ = ["Cluster", "Clustering", "Member", "Settings", "cluster", "cluster_files"]

S = TypeVar("S")  # the state ranges are taken from
T = TypeVar("T")  # a range's result


@dataclass(frozen=True, slots=True)
class Clustering:
    """The result of ``cluster``: every input article (cleaned) once, in input order, with its cluster."""

    articles: tuple[Article, ...]
    labels: tuple[int | None, ...]
    clusters: tuple[Cluster, ...]
    settings: Settings
    timings: dict[str, float] = field(default_factory=dict)
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions: dict[str, int] = {}
        for position, article in enumerate(self.articles):
            positions.setdefault(article.id, position)
        object.__setattr__(self, "_positions", positions)

    def cluster_of(self, doc: str) -> Cluster | None:
        """The cluster of the article with id ``doc`` (``None`` for an unusable input); ``KeyError`` if no
        article has that id."""
        label = self.labels[self._positions[doc]]
        return None if label is None else self.clusters[label]

    def article(self, doc: str) -> Article:
        """The (cleaned) article with id ``doc``; ``KeyError`` if there is none."""
        return self.articles[self._positions[doc]]

    def records(self) -> list[dict[str, Any]]:
        """One flat record per input article, in input order: the fields of ``--format jsonl``."""
        from .report import records

        return list(records(self))

    def to_pandas(self) -> Any:
        """``records()`` as a pandas DataFrame (pandas must be installed)."""
        import pandas

        return pandas.DataFrame.from_records(self.records())


def cluster(
    docs: Iterable[Document | Article | str],
    *,
    threshold: float | Default = DEFAULT,
    containment: float | None | Default = DEFAULT,
    num_perm: int | Default = DEFAULT,
    ngram: int | Default = DEFAULT,
    seed: int | Default = DEFAULT,
    settings: Settings | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Clustering:
    """Cluster articles that are copies of one another.

    ``docs``: loaded documents (cleaned here), cleaned articles, or plain strings (cleaned as text; their ids are
    their positions, ``"0"``, ``"1"``, …). Unusable inputs keep their place in ``articles`` with ``error`` set
    and label ``None``.

    Two articles are copies when the Jaccard similarity of their word shingle sets reaches ``threshold``
    (default 0.5), or when at least ``containment`` (default 0.8; ``None`` turns the rule off) of the smaller
    one's shingles are in the larger one (a copy cut from the bottom, or given a local intro). ``num_perm``
    (128) MinHash permutations, ``ngram`` (5) words per shingle and ``seed`` (1) make the fingerprints. Give
    either these options or ``settings`` (a ``Settings`` with every option, e.g. ``site_chrome``), not both.
    ``progress(stage, done, total)`` is called as the stages advance. ``workers``: processes for cleaning and
    fingerprinting on large batches (``None``: every free core); the result does not depend on it.
    """
    settings = settings_from(settings, threshold=threshold, containment=containment, num_perm=num_perm,
                             ngram=ngram, seed=seed)
    return _cluster(pipeline.Inputs(pipeline.checked_inputs(docs)), settings, progress, resolve_workers(workers))


def cluster_files(
    path: str | os.PathLike[str],
    *,
    threshold: float | Default = DEFAULT,
    containment: float | None | Default = DEFAULT,
    num_perm: int | Default = DEFAULT,
    ngram: int | Default = DEFAULT,
    seed: int | Default = DEFAULT,
    settings: Settings | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    recursive: bool = True,
    max_bytes: int = MAX_BYTES,
) -> Clustering:
    """``cluster(load(path))`` in one pass: each worker reads, cleans and fingerprints its share of the files, so
    reading runs in parallel too and no document crosses between processes before it is cleaned. Same options
    and result as ``cluster(load(path, recursive=recursive, max_bytes=max_bytes))``; raises ``InputError`` when
    ``path`` does not exist."""
    files = find_files(path, recursive=recursive)
    settings = settings_from(settings, threshold=threshold, containment=containment, num_perm=num_perm,
                             ngram=ngram, seed=seed)
    return _cluster(_Files(files, max_bytes), settings, progress, resolve_workers(workers))


class _Files:
    """Input files (``documents.find_files``), read where they are cleaned."""

    def __init__(self, files: Sequence[File], max_bytes: int) -> None:
        self.files, self.max_bytes = files, max_bytes

    def __len__(self) -> int:
        return len(self.files)

    def inputs(self, start: int, stop: int) -> list[Document | Article]:
        return list(read_files(self.files[start:stop], max_bytes=self.max_bytes))


def _cluster(source: pipeline.Inputs | _Files, settings: Settings, progress: Progress | None,
             workers: int) -> Clustering:
    cleaned, timings = _clean(source, settings, progress, workers)
    if settings.site_chrome:
        began = time.perf_counter()
        pipeline.remove_site_chrome(cleaned, settings)
        timings["site chrome"] = time.perf_counter() - began
    fingerprints, more = _fingerprint(cleaned.articles, settings, progress, workers)
    timings.update(more)

    started = time.perf_counter()
    found = pipeline.candidates(fingerprints, settings)
    timings["candidates"] = time.perf_counter() - started

    started = time.perf_counter()
    verified, sets = _verify(found, settings, workers)
    timings["verification"] = time.perf_counter() - started

    started = time.perf_counter()
    articles = fingerprints.articles
    labels, clusters = pipeline.clusters(articles, found, verified, sets, settings)
    timings["clusters"] = time.perf_counter() - started
    if progress is not None:
        progress("cluster", len(articles), len(articles))
    return Clustering(articles=tuple(articles), labels=tuple(labels), clusters=clusters, settings=settings,
                      timings=timings)


#: Below this many inputs, everything stays in this process (forking costs more).
_PARALLEL_ITEMS = 1000
#: Inputs per task at least (a task also pays for sending its results back).
_MIN_CHUNK = 32


def _chunk(total: int, workers: int) -> int:
    """Inputs per task: in one process, some 64 ranges (16 to 256 inputs each; progress moves every 0.5 s on 636
    HTML pages); over processes, some 8 per process."""
    return max(16, min(256, total // 64 + 1)) if workers == 1 else max(_MIN_CHUNK, min(512, total // (8 * workers) + 1))


def _over_inputs(func: Callable[[S, int, int], T], state: S, total: int, stage: str, progress: Progress | None,
                 workers: int, pack: Callable[[T], Any] | None = None,
                 unpack: Callable[[Any], T] | None = None) -> list[T]:
    """``func`` over ranges of the ``total`` inputs of ``state``, spread over ``workers`` processes from
    ``_PARALLEL_ITEMS`` inputs on (the result does not depend on how many), ``progress`` told how ``stage``
    advances. An empty batch is one empty range, so that every array has its shape."""
    parallel = workers if total >= _PARALLEL_ITEMS else 1

    def done(stop: int) -> None:
        if progress is not None:
            progress(stage, stop, total)

    done(0)
    return map_ranges(func, state, split(total, _chunk(total, parallel)) or [(0, 0)], workers=parallel, done=done,
                      pack=pack, unpack=unpack)


def _clean(source: pipeline.Inputs | _Files, settings: Settings, progress: Progress | None,
           workers: int) -> tuple[pipeline.Cleaned, dict[str, float]]:
    """Stage 1 over every input (``_over_inputs``)."""
    started = time.perf_counter()
    parts = _over_inputs(_clean_range, (source, settings), len(source), "clean", progress, workers, _pack, _unpack)
    timings = _shares(("load", "clean"), [times for _part, times in parts], time.perf_counter() - started)
    return pipeline.Cleaned.concatenate([part for part, _times in parts]), timings


def _fingerprint(articles: list[Article], settings: Settings, progress: Progress | None,
                 workers: int) -> tuple[pipeline.Fingerprints, dict[str, float]]:
    """Stage 3 over every article (``_over_inputs``: forked, the workers read the articles as they are here; only
    the arrays come back)."""
    lsh_params(settings)  # cached before forking: choosing bands and rows takes 20 ms
    started = time.perf_counter()
    parts = _over_inputs(_fingerprint_range, (articles, settings), len(articles), "fingerprint", progress, workers)
    timings = _shares(("shingle", "signatures"), [times for *_arrays, times in parts], time.perf_counter() - started)
    sizes, codes, keys = (np.concatenate([part[number] for part in parts]) for number in range(3))
    return pipeline.Fingerprints(articles, sizes, codes, keys), timings


def _shares(stages: Sequence[str], spent: Sequence[tuple[float, ...]], wall: float) -> dict[str, float]:
    """The ``wall`` time of parallel work split among ``stages`` in proportion to the time the processes spent in
    each (``spent``: per range)."""
    totals = [sum(times[number] for times in spent) for number in range(len(stages))]
    whole = sum(totals)
    fractions = [value / whole if whole > 0 else 1 / len(stages) for value in totals]
    return {stage: wall * fraction for stage, fraction in zip(stages, fractions, strict=True)}


def _clean_range(state: tuple[pipeline.Inputs | _Files, Settings], start: int,
                 stop: int) -> tuple[pipeline.Cleaned, tuple[float, float]]:
    source, settings = state
    began = time.perf_counter()
    inputs = source.inputs(start, stop)
    loaded = time.perf_counter()
    cleaned = pipeline.clean_inputs(inputs, settings)
    return cleaned, (loaded - began, time.perf_counter() - loaded)


def _fingerprint_range(state: tuple[list[Article], Settings], start: int,
                       stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[float, float]]:
    articles, settings = state
    began = time.perf_counter()
    texts = pipeline.texts_of(articles[start:stop])
    shingles = shingle(texts, ngram=settings.ngram)
    shingled = time.perf_counter()
    sizes, _matrix, keys = pipeline.sign(shingles, settings)
    return sizes, pipeline.text_codes(texts), keys, (shingled - began, time.perf_counter() - shingled)


def _pack(part: tuple[pipeline.Cleaned, tuple[float, float]]) -> tuple[Any, ...]:
    """What a worker sends: its articles as plain tuples (unpickling many frozen dataclasses costs more than the
    tuples' text), then the arrays."""
    found, times = part
    return [pipeline.article_values(article) for article in found.articles], found.blocks, times


def _unpack(values: tuple[Any, ...]) -> tuple[pipeline.Cleaned, tuple[float, float]]:
    articles, blocks, times = values
    return pipeline.Cleaned([Article(*fields) for fields in articles], blocks), times


#: From this many pairs to align on, the alignments are spread over the workers.
_PARALLEL_PAIRS = 100
#: From this many candidate pairs, their shared shingles are counted over the workers.
_PARALLEL_SHARED = 20_000


def _verify(found: pipeline.Candidates, settings: Settings, workers: int) -> tuple[np.ndarray, ShingleSets]:
    """Stage 6 over the candidate pairs: their shared shingles counted, and the borderline pairs aligned, over
    ``workers`` processes when there are many (the forked processes read the shingle sets as they are here); the
    shingle sets come back with every pair measured, for the clusters."""
    texts, pairs, first_copy = found.texts, found.pairs, found.first_copy
    sets = ShingleSets.for_pairs(texts, pairs, settings, first_copy)  # the boilerplate needs every pair's texts
    keys = sets.keys(pairs)
    if workers > 1 and len(keys) >= _PARALLEL_SHARED:
        ranges = split(len(keys), len(keys) // (4 * workers) + 1)
        shared = np.concatenate(map_ranges(_shared_range, (keys, sets), ranges, workers=workers))
    else:
        shared = sets.shared(keys)
    aligned = keys[sets.measure(keys, shared, settings)]
    if workers > 1 and len(aligned) >= _PARALLEL_PAIRS:
        chunk = len(aligned) // (4 * workers) + 1
        for relations in map_ranges(_align_range, (aligned, sets, settings), split(len(aligned), chunk),
                                    workers=workers):
            sets.remember(relations)
    return pairs[copies(pairs, sets, settings)], sets


def _shared_range(state: tuple[np.ndarray, ShingleSets], start: int, stop: int) -> np.ndarray:
    keys, sets = state
    return sets.shared(keys[start:stop])


def _align_range(state: tuple[np.ndarray, ShingleSets, Settings], start: int,
                 stop: int) -> dict[tuple[int, int], Relation]:
    aligned, sets, settings = state
    return sets.relations(aligned[start:stop], settings)
