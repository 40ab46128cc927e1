"""Alignment: the passages two articles share, as character spans, and what the pair is to each other.

Both texts are tokenised with character offsets (the tokens of ``shingle``); a token is compared lower-cased
with British spellings folded, and punctuation is not a token, so quote styles, punctuation, spelling and
paragraph breaks do not break a passage. Each distinct word becomes a small integer, and rapidfuzz's C
implementation of the Indel (longest common subsequence) alignment runs on the two integer sequences: its
matching blocks of at least ``_SEED`` words are the seeds. The alignment is monotone, so a paragraph moved
elsewhere is missed by the first pass; the words no pass has matched are aligned again (up to ``_PASSES``
times), which finds reordered paragraphs while a word is used at most once. Seeds that follow one another in
both texts with at most ``max_gap`` unmatched words between them (a changed, added or dropped word) are joined
into one span; spans of at least ``min_words`` words on both sides are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel

from .clean import Article
from .errors import ConfigError
from .shingle import normalize_word, token_spans

__all__ = ["Span", "Alignment", "align", "relationship", "RELATIONSHIPS"]

RELATIONSHIPS = ("duplicate", "reprint", "contained", "partial", "unrelated")
_SEED = 3
# the token rule of shingle.token_spans: word characters are ASCII letters and digits and every code point from
# U+00C0 except general punctuation (U+2000-U+207F, curly quotes and dashes among them)
_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u1fff\u2080-\uffff\U00010000-\U0010ffff]+")
_PASSES = 6


@dataclass(frozen=True, slots=True)
class Span:
    """A passage of ``a`` (``a[a_start:a_end]``) found in ``b`` (``b[b_start:b_end]``).

    ``score`` in [0, 1] is the Indel similarity of the two passages' word sequences (1.0: the same words, up to
    case, punctuation and spelling).
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two articles overlap.

    ``containment_a`` is the share of ``a``'s words inside shared spans (``containment_b`` likewise);
    ``similarity`` is the share of both texts' words matched word for word inside the spans (1.0 for the same
    text). ``relationship`` is one of ``RELATIONSHIPS``.
    """

    spans: tuple[Span, ...]
    similarity: float
    containment_a: float
    containment_b: float
    relationship: str


def align(a: str | Article, b: str | Article, *, min_words: int = 8, max_gap: int = 4) -> Alignment:
    """Find the passages ``a`` and ``b`` share (at least ``min_words`` words each, tolerating up to ``max_gap``
    differing words at a time inside a passage) and label the pair.

    Symmetric: ``align(b, a)`` gives the same spans with the sides swapped.
    """
    if not isinstance(min_words, int) or min_words < _SEED:
        raise ConfigError(f"min_words must be an integer of at least {_SEED}, got {min_words!r}")
    if not isinstance(max_gap, int) or max_gap < 0:
        raise ConfigError(f"max_gap must be a non-negative integer, got {max_gap!r}")
    text_a = a.text if isinstance(a, Article) else a
    text_b = b.text if isinstance(b, Article) else b
    if (len(text_b), text_b) < (len(text_a), text_a):
        swapped = _align(text_b, text_a, min_words, max_gap)
        return Alignment(
            spans=tuple(sorted((Span(s.b_start, s.b_end, s.a_start, s.a_end, s.score) for s in swapped.spans),
                               key=lambda span: (span.a_start, span.b_start))),
            similarity=swapped.similarity,
            containment_a=swapped.containment_b,
            containment_b=swapped.containment_a,
            relationship=swapped.relationship,
        )
    return _align(text_a, text_b, min_words, max_gap)


def _align(text_a: str, text_b: str, min_words: int, max_gap: int) -> Alignment:
    words_a, starts_a, ends_a = _tokens(text_a)
    words_b, starts_b, ends_b = _tokens(text_b)
    # one small integer per distinct word as shingling sees it (lower case, spelling folded)
    folded: dict[str, int] = {}
    number = {word: folded.setdefault(normalize_word(word), len(folded)) for word in dict.fromkeys(words_a + words_b)}
    ids_a = np.fromiter(map(number.__getitem__, words_a), dtype=np.int64, count=len(words_a))
    ids_b = np.fromiter(map(number.__getitem__, words_b), dtype=np.int64, count=len(words_b))
    seeds = _seeds(ids_a, ids_b)
    spans = []
    covered_a = covered_b = matched = 0
    for a0, a1, b0, b1, same in _join(seeds, max_gap):
        if a1 - a0 < min_words or b1 - b0 < min_words:
            continue
        score = 2 * same / (a1 - a0 + b1 - b0)
        spans.append(Span(int(starts_a[a0]), int(ends_a[a1 - 1]), int(starts_b[b0]), int(ends_b[b1 - 1]),
                          round(score, 4)))
        covered_a += a1 - a0
        covered_b += b1 - b0
        matched += same
    containment_a = covered_a / len(ids_a) if len(ids_a) else 0.0
    containment_b = covered_b / len(ids_b) if len(ids_b) else 0.0
    total = len(ids_a) + len(ids_b)
    similarity = 2 * matched / total if total else 0.0
    return Alignment(
        spans=tuple(sorted(spans, key=lambda span: (span.a_start, span.b_start))),
        similarity=round(similarity, 4),
        containment_a=round(containment_a, 4),
        containment_b=round(containment_b, 4),
        relationship=relationship(similarity, containment_a, containment_b, bool(spans)),
    )


def relationship(similarity: float, containment_a: float, containment_b: float, shared: bool) -> str:
    """The label of a pair from its overlap figures.

    ``duplicate``: the same words (case, punctuation, quote style, spelling and paragraph breaks aside; one
    word in a thousand may differ); ``reprint``: each has at least 80% of its words in shared passages;
    ``contained``: only one of them does (a copy cut short, or one with text added); ``partial``: shared
    passages, but less than that; ``unrelated``: no shared passage.
    """
    if not shared:
        return "unrelated"
    if similarity >= 0.999:
        return "duplicate"
    if min(containment_a, containment_b) >= 0.8:
        return "reprint"
    if max(containment_a, containment_b) >= 0.8:
        return "contained"
    return "partial"


def _tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens of ``text`` (as ``shingle.token_spans`` finds them) and their start and end offsets.

    The words come from one ``findall`` and the offsets from a numpy mask over the code points, so no Python
    code runs per character or per match object.
    """
    words = _TOKEN.findall(text)
    codes = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    letter = codes | 32
    word = (((codes >= 48) & (codes <= 57)) | ((letter >= 97) & (letter <= 122))
            | ((codes >= 0xC0) & (codes <= 0x1FFF)) | (codes >= 0x2080))
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if len(starts) != len(words):  # cannot happen while the mask mirrors _TOKEN; keep the slow, sure path
        spans = token_spans(text)
        words = [text[start:end] for start, end in spans]
        starts = np.array([start for start, _ in spans], dtype=np.int64)
        ends = np.array([end for _, end in spans], dtype=np.int64)
    return words, starts, ends


def _seeds(ids_a: np.ndarray, ids_b: np.ndarray) -> list[tuple[int, int, int]]:
    """Runs ``(a0, b0, length)`` of equal words (at least ``_SEED``), one-to-one.

    The alignment runs on word ``_SEED``-grams, not words: a shared word is everywhere, a shared trigram is
    rare, so common words cannot outvote a short copied passage. Each pass aligns the trigrams whose words no
    earlier pass has taken.
    """
    if len(ids_a) < _SEED or len(ids_b) < _SEED:
        return []
    size = np.uint64(int(max(ids_a.max(), ids_b.max())) + 1)
    with np.errstate(over="ignore"):
        grams_a, grams_b = (
            (ids[:-2].astype(np.uint64) * size + ids[1:-1].astype(np.uint64)) * size + ids[2:].astype(np.uint64)
            for ids in (ids_a, ids_b)
        )
    free_a = np.ones(len(ids_a), dtype=bool)
    free_b = np.ones(len(ids_b), dtype=bool)
    seeds: list[tuple[int, int, int]] = []
    for _ in range(_PASSES):
        left = np.flatnonzero(free_a[:-2] & free_a[1:-1] & free_a[2:])
        right = np.flatnonzero(free_b[:-2] & free_b[1:-1] & free_b[2:])
        if not len(left) or not len(right):
            break
        found = 0
        for block in Indel.opcodes(grams_a[left].tolist(), grams_b[right].tolist()).as_matching_blocks():
            if not block.size:
                continue
            where_a = left[block.a:block.a + block.size]
            where_b = right[block.b:block.b + block.size]
            # a block of the compacted sequences may bridge words taken by an earlier pass: cut it there
            breaks = np.flatnonzero((np.diff(where_a) != 1) | (np.diff(where_b) != 1)) + 1
            for start, end in zip([0, *breaks.tolist()], [*breaks.tolist(), block.size], strict=True):
                a0, b0 = int(where_a[start]), int(where_b[start])
                a1, b1 = int(where_a[end - 1]) + _SEED, int(where_b[end - 1]) + _SEED
                # two blocks of one pass can share the two words where they meet: the first keeps them
                while a0 < a1 and not (free_a[a0] and free_b[b0]):
                    a0, b0 = a0 + 1, b0 + 1
                while a1 > a0 and not (free_a[a1 - 1] and free_b[b1 - 1]):
                    a1, b1 = a1 - 1, b1 - 1
                if a1 - a0 < _SEED:
                    continue
                # equal words next to a block that no trigram covers (e.g. before a changed word): take them
                while a0 and b0 and free_a[a0 - 1] and free_b[b0 - 1] and ids_a[a0 - 1] == ids_b[b0 - 1]:
                    a0, b0 = a0 - 1, b0 - 1
                while a1 < len(ids_a) and b1 < len(ids_b) and free_a[a1] and free_b[b1] and ids_a[a1] == ids_b[b1]:
                    a1, b1 = a1 + 1, b1 + 1
                seeds.append((a0, b0, a1 - a0))
                free_a[a0:a1] = False
                free_b[b0:b1] = False
                found += 1
        if not found:
            break
    return seeds


def _join(seeds: list[tuple[int, int, int]], max_gap: int) -> list[tuple[int, int, int, int, int]]:
    """Seeds that follow each other in both texts within ``max_gap`` words, joined: ``(a0, a1, b0, b1, same)``
    with ``same`` the words matched inside."""
    joined: list[list[int]] = []
    open_spans: list[list[int]] = []
    for a0, b0, length in sorted(seeds):
        open_spans = [span for span in open_spans if a0 - span[1] <= max_gap]
        best = None
        for span in open_spans:
            gap_a, gap_b = a0 - span[1], b0 - span[3]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap and (best is None or gap_a + gap_b < best[0]):
                best = (gap_a + gap_b, span)
        if best is not None:
            span = best[1]
            span[1], span[3] = a0 + length, b0 + length
            span[4] += length
        else:
            span = [a0, a0 + length, b0, b0 + length, length]
            joined.append(span)
            open_spans.append(span)
    return [(a0, a1, b0, b1, same) for a0, a1, b0, b1, same in joined]
