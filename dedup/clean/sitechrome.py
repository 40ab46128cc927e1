"""Site chrome: paragraphs that one site repeats across many of its pages, found within a batch."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import compress

from .article import Article

__all__ = ["MIN_DOCS", "MIN_SHARE", "block_hashes", "block_key", "chrome_count", "domain",
           "paragraphs_of", "remove_repeated_blocks", "site_of", "stable_block_hash",
           "strip_repeated"]


#: ``remove_repeated_blocks`` defaults, chosen on the syndication benchmark (BENCHMARKS.md, issue 6).
MIN_DOCS = 3
MIN_SHARE = 0.2


def site_of(article: Article) -> str | None:
    """The site an article belongs to for site-chrome removal: its url's domain, else its ``source``."""
    return (domain(article.url) or article.source) if article.error is None else None


def block_key(paragraph: str) -> str:
    """A paragraph as site-chrome removal compares it: lower case, whitespace runs collapsed to one space."""
    return " ".join(paragraph.lower().split())


def block_hashes(text: str) -> list[int]:
    """``hash(block_key(p))`` of each paragraph ``p`` of ``text``, for the site-chrome stage's screen. Hashes
    agree within one interpreter and the processes forked from it."""
    return [hash(key) for key in map(block_key, text.split("\n\n")) if key]


def remove_repeated_blocks(articles: Sequence[Article], *, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
                           max_repeated: float = 1.0) -> list[Article]:
    """Drop the paragraphs that a site repeats across many of its documents in this batch (its chrome).

    Documents belong to a site by the domain of their url, else by their ``source`` (for files, their folder).
    A paragraph is site chrome when it appears, identical up to case and spacing, in at least ``min_docs``
    documents of one site and in at least ``min_share`` of that site's documents. Text repeated across
    different sites is syndicated content and is never touched. A document made mostly (more than
    ``max_repeated`` of its characters) of such paragraphs is left whole, and so is one that would lose all its
    text: it is a copy of a story the site ran several times, not a page of chrome. The defaults were chosen on
    the syndication benchmark (BENCHMARKS.md, issue 6).
    """
    if min_docs < 2:
        raise ValueError("min_docs must be at least 2")
    if not 0.0 <= min_share <= 1.0 or not 0.0 <= max_repeated <= 1.0:
        raise ValueError("min_share and max_repeated must be between 0 and 1")
    sites = [site_of(article) for article in articles]
    site_docs: dict[str, int] = {}
    for site in sites:
        if site is not None:
            site_docs[site] = site_docs.get(site, 0) + 1
    eligible = [index for index, site in enumerate(sites) if site is not None and site_docs[site] >= min_docs]
    site_names = {index: site for index, site in enumerate(sites) if site is not None}
    if not eligible:
        return list(articles)
    blocks: dict[int, list[str]] = {}
    keys: dict[int, list[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for index in eligible:
        paragraphs = paragraphs_of(articles[index].text)
        blocks[index] = paragraphs
        keys[index] = list(map(block_key, paragraphs))
        for key in set(keys[index]):
            counts[site_names[index], key] = counts.get((site_names[index], key), 0) + 1
    out = list(articles)
    for index in eligible:
        site = site_names[index]
        needed = chrome_count(site_docs[site], min_docs=min_docs, min_share=min_share)
        stripped = strip_repeated(blocks[index], [counts[site, key] >= needed for key in keys[index]],
                                  max_repeated=max_repeated)
        if stripped is not None:
            out[index] = replace(articles[index], text=stripped)
    return out


def chrome_count(site_docs: int, *, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> float:
    """How many of a site's ``site_docs`` documents must carry a paragraph for it to be the site's chrome (never,
    below ``min_docs`` documents)."""
    return max(min_docs, min_share * site_docs) if site_docs >= min_docs else math.inf


def strip_repeated(paragraphs: Sequence[str], repeated: Sequence[bool], *, max_repeated: float = 1.0) -> str | None:
    """The text of ``paragraphs`` without the ``repeated`` ones; ``None`` when the text stays whole: nothing is
    repeated, or all of it (or more than ``max_repeated`` of its characters) is."""
    if len(repeated) != len(paragraphs):
        raise ValueError("one repeated flag per paragraph")
    dropped = sum(map(len, compress(paragraphs, repeated)))
    total = sum(map(len, paragraphs))
    if not dropped or dropped >= total or dropped > max_repeated * total:
        return None
    return "\n\n".join(compress(paragraphs, [not hit for hit in repeated]))


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs site-chrome removal weighs (blank-line separated, not blank)."""
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def stable_block_hash(paragraph: str) -> int:
    """The hash of a paragraph's ``block_key`` that is the same in every process and every run (an index stores
    it), as a signed 64-bit integer."""
    digest = hashlib.blake2b(block_key(paragraph).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def domain(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"^[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", url, re.IGNORECASE)
    return match.group(1).lower() if match else None
