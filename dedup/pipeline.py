"""The pipeline every engine runs, one stage after another:

    clean          html or plain text → Article (body, title, date, wire, dateline); paragraph hashes
    site chrome    paragraphs a site repeats across its documents dropped
    fingerprint    shingles → MinHash signatures → LSH band keys; a hash of each text
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

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np

from ._parallel import map_ranges, split
from .clean import (
    Article,
    block_hashes,
    clean,
    clean_with_block_hashes,
    site_of,
)
from .clean.sitechrome import MIN_DOCS, MIN_SHARE, block_key, chrome_count, paragraphs_of, strip_repeated
from .components import Cluster, build_clusters, connected_components
from .documents import Document
from .lsh import band_keys, find_candidates
from .minhash import signatures_from_shingles
from .settings import Settings, lsh_params
from .shingle import Shingles
from .verify import ShingleSets, exact_duplicates, min_exact_shingles, substantial

#: ``progress(stage, done, total)`` is called as stages advance.
Progress = Callable[[str, int, int], None]

__all__ = ["Candidates", "Cleaned", "Fingerprints", "Inputs", "article_values", "as_input", "candidates",
           "checked_inputs", "clean_all", "clean_inputs", "clusters", "remove_site_chrome", "sign",
           "text_codes", "texts_of"]


@dataclass
class Cleaned:
    """Cleaned articles, and (for site chrome) the ``clean.block_hashes`` of those that have a site: every
    paragraph's, in order (hash values, count per article)."""

    articles: list[Article]
    blocks: tuple[np.ndarray, np.ndarray]

    @classmethod
    def concatenate(cls, parts: Sequence[Cleaned]) -> Cleaned:
        return cls([article for part in parts for article in part.articles],
                   (np.concatenate([part.blocks[0] for part in parts]),
                    np.concatenate([part.blocks[1] for part in parts])))


@dataclass
class Fingerprints:
    """Articles and what the later stages need of each: shingle count (repeats included, ``Signatures.sizes``),
    ``hash`` of the text, LSH band keys."""

    articles: list[Article]
    sizes: np.ndarray
    codes: np.ndarray
    keys: np.ndarray


def clean_inputs(inputs: Sequence[Document | Article], settings: Settings) -> Cleaned:
    """Stage 1: each input cleaned (an ``Article`` passes as it is), with the paragraph hashes (in order) of the
    articles that have a site when site chrome is on."""
    cleaned = [_clean_with_block_hashes(item) for item in inputs]
    articles = [article for article, _hashes in cleaned]
    hashes = [found if settings.site_chrome and site_of(article) is not None else [] for article, found in cleaned]
    counts = np.fromiter(map(len, hashes), dtype=np.int64, count=len(hashes))
    values = np.fromiter(chain.from_iterable(hashes), dtype=np.int64, count=int(counts.sum()))
    return Cleaned(articles, (values, counts))


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


def remove_site_chrome(cleaned: Cleaned, settings: Settings) -> None:
    """Stage 2: what ``clean.remove_repeated_blocks`` does to the batch, done (in place) to the few articles it
    can change.

    The paragraph hashes of stage 1 say which paragraphs a site may repeat often enough to be its chrome (equal
    paragraphs have equal hashes, so none is missed); only the articles carrying one are read again, and only
    those paragraphs compared as text, so the result is exactly ``remove_repeated_blocks``'s. It runs in this
    process: forked workers lost here (each touched text is copied into the worker and the changed ones sent
    back; on the realistic speed corpus, 0.17 s in one process against 0.27 s in two at 20,000 articles, 1.0
    against 1.35 s at 100,000).
    """
    articles = cleaned.articles
    values, counts = cleaned.blocks
    sites = [site_of(article) for article in articles]
    marked, needed = _maybe_chrome(sites, values, counts)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    owner = np.repeat(np.arange(len(counts)), counts)
    carriers = np.flatnonzero(np.bincount(owner[marked], minlength=len(counts)))
    groups: dict[str, list[int]] = {}
    for index in carriers.tolist():
        site = sites[index]
        if site is not None:  # always: a paragraph of no site is never marked
            groups.setdefault(site, []).append(index)
    for site, group in groups.items():
        for index, text in _without_site_chrome(articles, group, needed[site], marked, offsets):
            articles[index] = _with_text(articles[index], text)


def _maybe_chrome(sites: Sequence[str | None], values: np.ndarray,
                  counts: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """Which paragraph hashes (``values``, ``counts`` per article) their site carries in as many of its articles
    as chrome needs (``clean.chrome_count``), and that count for each site. A hash's count of articles is never
    below the count of any paragraph that has it, so every paragraph of the site's chrome is marked."""
    site_ids: dict[str, int] = {}
    doc_site = np.fromiter((-1 if site is None else site_ids.setdefault(site, len(site_ids)) for site in sites),
                           dtype=np.int64, count=len(sites))
    site_docs = np.bincount(doc_site[doc_site >= 0], minlength=len(site_ids))
    needed = {site: chrome_count(int(site_docs[number]), min_docs=MIN_DOCS, min_share=MIN_SHARE)
              for site, number in site_ids.items()}
    owner = np.repeat(np.arange(len(sites)), counts)
    block_site = doc_site[owner]
    if not len(values) or not site_ids:
        return np.zeros(len(values), dtype=bool), needed
    with np.errstate(over="ignore"):
        keys = values ^ (block_site * np.int64(-7046029254386353131))  # (site, paragraph hash) in one key
    order = np.lexsort((owner, keys))
    sorted_keys, sorted_owner = keys[order], owner[order]
    new_key = np.ones(len(keys), dtype=bool)
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=new_key[1:])
    new_doc = new_key.copy()
    new_doc[1:] |= sorted_owner[1:] != sorted_owner[:-1]
    run = np.cumsum(new_key) - 1
    documents = np.bincount(run, weights=new_doc)[run]  # articles carrying each position's key
    least = np.array([needed[site] for site in site_ids] + [np.inf])  # a paragraph of no site: never chrome
    marked = np.empty(len(keys), dtype=bool)
    marked[order] = documents >= least[block_site[order]]
    return marked, needed


def _without_site_chrome(articles: Sequence[Article], group: list[int], needed: float, marked: np.ndarray,
                         offsets: np.ndarray) -> list[tuple[int, str]]:
    """The articles ``group`` of one site (the carriers of its marked paragraphs) that lose its chrome (paragraphs
    carried by ``needed`` of its articles): their indexes and their texts without it."""
    paragraphs = [paragraphs_of(articles[index].text) for index in group]
    keys = [_marked_keys(found, marked[offsets[index]:offsets[index + 1]])
            for index, found in zip(group, paragraphs, strict=True)]
    carried = Counter(key for found in keys for key in set(found.values()))
    changed = []
    for index, found, marks in zip(group, paragraphs, keys, strict=True):
        repeated = [False] * len(found)
        for number, key in marks.items():
            repeated[number] = carried[key] >= needed
        stripped = strip_repeated(found, repeated)
        if stripped is not None:
            changed.append((index, stripped))
    return changed


def _with_text(article: Article, text: str) -> Article:
    """``article`` with another text (``dataclasses.replace`` without its cost)."""
    fields_ = list(article_values(article))
    fields_[_TEXT] = text
    return Article(*fields_)


def _marked_keys(paragraphs: list[str], marks: np.ndarray) -> dict[int, str]:
    """``clean.block_key`` of the marked paragraphs, by position (of every paragraph, should the hashes not be one
    per paragraph)."""
    numbers = np.flatnonzero(marks).tolist() if len(marks) == len(paragraphs) else range(len(paragraphs))
    return {number: block_key(paragraphs[number]) for number in numbers}


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
_TEXT = [item.name for item in fields(Article)].index("text")

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
