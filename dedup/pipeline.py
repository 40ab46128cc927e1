"""The pipeline every engine runs, one stage after another:

    clean          html or plain text → Article (body, title, date, wire, dateline); paragraph hashes
    fingerprint    shingles → MinHash signatures → LSH band keys; a hash of each text
    site chrome    paragraphs a site repeats across its documents dropped; those articles fingerprinted again
    exact copies   equal texts join their first occurrence
    candidates     LSH band collisions among the first occurrences
    verification   the copy rule (``verify``) on each candidate pair: exact shingle sets without the batch's
                   boilerplate, the alignment for borderline pairs
    clusters       connected components of the verified pairs; the canonical member (the origin) of each

The stages themselves live in their modules (``clean``, ``shingle``, ``minhash``, ``lsh``, ``verify``,
``components``); this module strings them together over arrays. The engines only orchestrate it: the batch
engine (``cluster``) over processes, the index (``index``) over arriving batches and SQLite, Spark (``spark``)
over partitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

import numpy as np

from ._parallel import map_ranges, split
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
from .components import Cluster, build_clusters, connected_components
from .documents import Document
from .lsh import band_keys, find_candidates
from .minhash import signatures_from_shingles
from .settings import Settings, lsh_params
from .shingle import Shingles, shingle
from .verify import ShingleSets, exact_duplicates, min_exact_shingles, substantial

#: ``progress(stage, done, total)`` is called as stages advance.
Progress = Callable[[str, int, int], None]

__all__ = ["Candidates", "Fingerprints", "Inputs", "article_values", "as_input", "candidates", "checked_inputs",
           "clean_all", "clean_inputs", "clusters", "fingerprint",
           "remove_site_chrome", "sign", "text_codes", "texts_of"]


@dataclass
class Fingerprints:
    """Articles and what the later stages need of each: distinct shingle count, ``hash`` of the text, LSH band
    keys, and (for site chrome) ``clean.distinct_block_hashes`` of the articles that have a site."""

    articles: list[Article]
    sizes: np.ndarray
    codes: np.ndarray
    blocks: tuple[np.ndarray, np.ndarray]
    keys: np.ndarray

    @classmethod
    def concatenate(cls, parts: Sequence[Fingerprints]) -> Fingerprints:
        return cls([article for part in parts for article in part.articles],
                   np.concatenate([part.sizes for part in parts]), np.concatenate([part.codes for part in parts]),
                   (np.concatenate([part.blocks[0] for part in parts]),
                    np.concatenate([part.blocks[1] for part in parts])),
                   np.concatenate([part.keys for part in parts]))


def clean_inputs(inputs: Sequence[Document | Article], settings: Settings) -> tuple[list[Article], np.ndarray,
                                                                                       np.ndarray]:
    """Stage 1: each input cleaned (an ``Article`` passes as it is), with the distinct paragraph hashes of the
    articles that have a site when site chrome is on: (articles, hash values, count per article)."""
    cleaned = [_clean_with_block_hashes(item) for item in inputs]
    articles = [article for article, _hashes in cleaned]
    values, counts = distinct_block_hashes([hashes if settings.site_chrome and site_of(article) is not None else ()
                                            for article, hashes in cleaned])
    return articles, values, counts


def _clean_with_block_hashes(item: Document | Article) -> tuple[Article, list[int]]:
    if isinstance(item, Article):
        return item, block_hashes(item.text) if item.error is None else []
    return clean_with_block_hashes(item)


def texts_of(articles: Sequence[Article]) -> list[str]:
    """The text each article is fingerprinted by (empty for an unusable one)."""
    return [article.text if article.error is None else "" for article in articles]


def text_codes(texts: Sequence[str]) -> np.ndarray:
    """``hash`` of each text: equal texts, equal codes (within one interpreter and the processes it forks)."""
    return np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts))


def sign(shingles: Shingles, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage 2: (distinct shingle counts, MinHash signature matrix, LSH band keys) of shingled texts."""
    sigs = signatures_from_shingles(shingles, num_perm=settings.num_perm, ngram=settings.ngram, seed=settings.seed)
    return sigs.sizes, sigs.matrix, band_keys(sigs.matrix, *lsh_params(settings))


def fingerprint(inputs: Sequence[Document | Article], settings: Settings) -> Fingerprints:
    """Stages 1 and 2 for a range of inputs."""
    articles, values, counts = clean_inputs(inputs, settings)
    texts = texts_of(articles)
    sizes, _matrix, keys = sign(shingle(texts, ngram=settings.ngram), settings)
    return Fingerprints(articles, sizes, text_codes(texts), (values, counts), keys)


def remove_site_chrome(fingerprints: Fingerprints, settings: Settings, workers: int = 1) -> None:
    """Stage 3: ``clean.remove_repeated_blocks`` over the batch, run only on the sites whose paragraph hashes say
    it may drop something; the articles it changes are fingerprinted again (all in place). A site's chrome
    depends on that site's articles alone, so the sites are spread over ``workers`` processes, a few at a time
    (which also bounds the memory the paragraphs take: one site's, not the batch's)."""
    articles = fingerprints.articles
    sites = [site_of(article) for article in articles]
    flagged = repeated_block_sites(sites, *fingerprints.blocks)
    if not flagged:
        return
    members: dict[str, list[int]] = {}
    for index, site in enumerate(sites):
        if site in flagged:
            members.setdefault(site, []).append(index)
    groups = list(members.values())
    parallel = workers if sum(map(len, groups)) >= _PARALLEL_CLEAN else 1
    # In rounds of some thousand articles, each round's articles replaced before the next: holding every new text
    # beside every old one until the end took 240 MB more on 100,000 articles.
    for first, last in _rounds([len(group) for group in groups], _CHROME_ROUND):
        parts = map_ranges(_without_site_chrome, (articles, groups[first:last], settings),
                           split(last - first, 1), workers=parallel, pack=_pack_changed, unpack=_unpack_changed)
        for changed, cleaned, sizes, codes, keys in parts:
            for index, article in zip(changed.tolist(), cleaned, strict=True):
                articles[index] = article
            fingerprints.sizes[changed], fingerprints.codes[changed], fingerprints.keys[changed] = sizes, codes, keys


#: Articles of the sites in one round of ``remove_site_chrome`` (at least one whole site).
_CHROME_ROUND = 8192


def _rounds(sizes: Sequence[int], most: int) -> list[tuple[int, int]]:
    """Consecutive runs ``(first, last)`` of the items whose ``sizes`` add up to about ``most`` (one item at
    least)."""
    rounds, first, total = [], 0, 0
    for number, size in enumerate(sizes):
        if total and total + size > most:
            rounds.append((first, number))
            first, total = number, 0
        total += size
    return [*rounds, (first, len(sizes))] if sizes else rounds


_Changed = tuple[np.ndarray, list[Article], np.ndarray, np.ndarray, np.ndarray]


def _without_site_chrome(state: tuple[Sequence[Article], list[list[int]], Settings], start: int,
                         stop: int) -> _Changed:
    """The articles of the sites ``groups[start:stop]`` that lose their site's chrome: (their indexes, the
    articles without it, and their distinct shingle counts, text codes and band keys)."""
    articles, groups, settings = state
    members = [index for group in groups[start:stop] for index in group]
    cleaned = remove_repeated_blocks([articles[index] for index in members])
    changed = [(index, article) for index, article in zip(members, cleaned, strict=True)
               if article is not articles[index]]
    rows = np.asarray([index for index, _article in changed], dtype=np.int64)
    texts = [article.text for _index, article in changed]
    sizes, _matrix, keys = sign(shingle(texts, ngram=settings.ngram), settings)
    return rows, [article for _index, article in changed], sizes, text_codes(texts), keys


def _pack_changed(part: _Changed) -> tuple[Any, ...]:
    rows, cleaned, *arrays = part
    return rows, [article_values(article) for article in cleaned], *arrays


def _unpack_changed(values: tuple[Any, ...]) -> _Changed:
    rows, cleaned, sizes, codes, keys = values
    return rows, [Article(*fields) for fields in cleaned], sizes, codes, keys


@dataclass(frozen=True)
class Candidates:
    """The usable articles (``rows`` into the batch, ``texts``), each one's first exact copy, and the candidate
    pairs among first occurrences (``(m, 2)``, indexes into ``rows``) that verification decides."""

    rows: np.ndarray
    texts: list[str]
    first_copy: np.ndarray
    pairs: np.ndarray


def candidates(fingerprints: Fingerprints, settings: Settings | None = None) -> Candidates:
    """Stages 4 and 5. Exact copies join their first occurrence directly; only first occurrences go through LSH,
    so a thousand copies of one article cost one LSH entry, not a bucket of a thousand."""
    articles = fingerprints.articles
    rows = np.asarray([index for index, article in enumerate(articles) if article.error is None], dtype=np.int64)
    texts = [articles[index].text for index in rows.tolist()]
    sizes = fingerprints.sizes[rows]
    first_copy = exact_duplicates(texts, sizes, fingerprints.codes[rows], min_exact_shingles(settings or Settings()))
    originals = np.flatnonzero(first_copy == np.arange(len(texts)))
    pairs = find_candidates(fingerprints.keys[rows[originals]], sizes[originals])
    return Candidates(rows, texts, first_copy, originals[pairs] if len(pairs) else pairs)


def clusters(articles: Sequence[Article], found: Candidates, copies: np.ndarray,
             sets: ShingleSets, settings: Settings | None = None) -> tuple[list[int | None], tuple[Cluster, ...]]:
    """Stage 7: clusters from the verified pairs ``copies`` and the exact copies; a label per article (``None``
    for an unusable one) and the clusters, numbered in order of their first member."""
    exact = np.flatnonzero(found.first_copy != np.arange(len(found.texts)))
    exact = exact[substantial(found.first_copy[exact], sets, settings or Settings())]  # boilerplate-only pages
    edges = np.concatenate([copies.reshape(-1, 2), np.stack([found.first_copy[exact], exact], axis=1)])
    components = connected_components(len(found.texts), edges)
    labels: list[int | None] = [None] * len(articles)
    return labels, build_clusters(components, found.rows.tolist(), articles, sets, labels, settings)


# --- inputs: what every engine accepts --------------------------------------------------------------------

class Inputs:
    """Inputs in memory; a plain string's id is its position."""

    def __init__(self, items: Sequence[Document | Article | str]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def inputs(self, start: int, stop: int) -> list[Document | Article]:
        return list(map(as_input, self.items[start:stop], range(start, stop)))


def checked_inputs(docs: Iterable[Document | Article | str]) -> list[Document | Article | str]:
    items = list(docs)
    for item in items:
        if not isinstance(item, (Article, Document, str)):
            raise TypeError(f"cluster() takes Documents, Articles or strings, not {type(item).__name__}")
    return items


def as_input(item: Document | Article | str, number: int) -> Document | Article:
    """A plain string becomes a document whose id is its position."""
    return Document(id=str(number), text=item) if isinstance(item, str) else item


#: An article's fields as a plain tuple (``Article(*values)`` makes it again): cheaper to pickle between processes.
article_values: Callable[[Article], tuple[Any, ...]] = attrgetter(*(item.name for item in fields(Article)))

#: Below this many inputs, cleaning stays in this process (forking costs more).
_PARALLEL_CLEAN = 1000


def clean_all(docs: Iterable[Document | Article | str], progress: Progress | None = None,
              workers: int = 1) -> list[Article]:
    """Every input cleaned (an ``Article`` as it is; a string as plain text with its position as id), in ranges
    spread over ``workers`` processes on large batches."""
    items = checked_inputs(docs)
    parallel = workers if len(items) >= _PARALLEL_CLEAN else 1
    chunk = 256 if parallel == 1 else max(64, min(1024, len(items) // (8 * parallel) + 1))

    def done(stop: int) -> None:
        if progress is not None:
            progress("clean", stop, len(items))

    done(0)
    parts = map_ranges(_clean_range, Inputs(items), split(len(items), chunk), workers=parallel, done=done,
                       pack=_pack_articles, unpack=_unpack_articles)
    return [article for part in parts for article in part]


def _clean_range(items: Inputs, start: int, stop: int) -> list[Article]:
    return [item if isinstance(item, Article) else clean(item) for item in items.inputs(start, stop)]


def _pack_articles(articles: list[Article]) -> list[tuple[Any, ...]]:
    return [article_values(article) for article in articles]


def _unpack_articles(values: list[tuple[Any, ...]]) -> list[Article]:
    return [Article(*fields) for fields in values]
