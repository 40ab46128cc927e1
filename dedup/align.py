"""Alignment: the passages two articles share, as character spans, and what the pair is to each other.

Both texts are tokenised with character offsets (the tokens of ``shingle``: ``shingle.token_offsets``, numpy over
the code points); a token is compared as shingling sees it (compatibility forms folded, lower case, British
spellings folded), and punctuation is not a token, so quote styles, punctuation, spelling and paragraph breaks do
not break a passage. Each distinct word becomes a small integer and each word trigram one integer; rapidfuzz's C
implementation of the Indel (longest common subsequence) alignment runs on the two trigram sequences, and its
matching blocks are the seeds (a shared word is everywhere, a shared trigram is rare, so common words cannot outvote
a short copied passage). The alignment is monotone, so a paragraph moved elsewhere is missed by the first pass; the
trigrams whose words no pass has taken are aligned again (up to ``_PASSES`` times), which finds reordered paragraphs
while a word is used at most once. Seeds that follow one another in both texts with at most ``max_gap`` unmatched
words between them (a changed, added or dropped word) are joined into one span; spans of at least ``min_words``
words on both sides are kept. In the scripts without spaces (Han, Kana, Thai, ...) each character is a token that
weighs ``1 / CHARS_PER_WORD`` words, so ``min_words`` and ``max_gap`` mean as much text there as elsewhere (8 words
are 13 Han characters). Python runs per block and per token, never per character of a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .clean import Article
from .errors import ConfigError
from .shingle import CHARS_PER_WORD, normalize_word, token_offsets

__all__ = ["Span", "Alignment", "align", "relationship", "RELATIONSHIPS"]

RELATIONSHIPS = ("duplicate", "reprint", "contained", "partial", "unrelated")
_SEED = 3
_PASSES = 6
_EPSILON = 1e-9  # sizes in words are sums of character weights (1 / CHARS_PER_WORD): compare with slack


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
    words_a, starts_a, ends_a, weights_a = _weighted_tokens(text_a)
    words_b, starts_b, ends_b, weights_b = _weighted_tokens(text_b)
    # one small integer per distinct word as shingling sees it (lower case, spelling folded)
    distinct = list(dict.fromkeys(words_a + words_b))
    folded = list(map(normalize_word, distinct))
    folded_number = {word: number for number, word in enumerate(dict.fromkeys(folded))}
    number = dict(zip(distinct, map(folded_number.__getitem__, folded), strict=True))
    seeds = _seeds(list(map(number.__getitem__, words_a)), list(map(number.__getitem__, words_b)))
    # size_a[i]: how many words tokens [0, i) of a weigh, so a run of tokens [i, j) weighs size_a[j] - size_a[i]
    size_a = np.concatenate([[0.0], np.cumsum(weights_a)]).tolist()
    size_b = np.concatenate([[0.0], np.cumsum(weights_b)]).tolist()
    spans = []
    covered_a = covered_b = matched = 0.0
    for a0, a1, b0, b1, same in _join(seeds, max_gap, size_a, size_b):
        words_in_a, words_in_b = size_a[a1] - size_a[a0], size_b[b1] - size_b[b0]
        if words_in_a < min_words - _EPSILON or words_in_b < min_words - _EPSILON:
            continue
        score = 2 * same / (words_in_a + words_in_b)
        spans.append(Span(int(starts_a[a0]), int(ends_a[a1 - 1]), int(starts_b[b0]), int(ends_b[b1 - 1]),
                          round(score, 4)))
        covered_a += words_in_a
        covered_b += words_in_b
        matched += same
    containment_a = covered_a / size_a[-1] if words_a else 0.0
    containment_b = covered_b / size_b[-1] if words_b else 0.0
    total = size_a[-1] + size_b[-1]
    similarity = 2 * matched / total if total else 0.0
    return Alignment(
        spans=tuple(sorted(spans, key=lambda span: (span.a_start, span.b_start))),
        similarity=round(similarity, 4),
        containment_a=round(containment_a, 4),
        containment_b=round(containment_b, 4),
        relationship=relationship(similarity, containment_a, containment_b, len(spans)),
    )


def relationship(similarity: float, containment_a: float, containment_b: float, shared: int) -> str:
    """The label of a pair from its overlap figures and its number of ``shared`` passages (a bool will do).

    ``duplicate``: the same words in the same order (case, punctuation, quote style, spelling and paragraph
    breaks aside; one word in a thousand may differ), so one passage; ``reprint``: each has at least 80% of its
    words in shared passages; ``contained``: only one of them does (a copy cut short, or one with text added);
    ``partial``: shared passages, but less than that; ``unrelated``: no shared passage.
    """
    if not shared:
        return "unrelated"
    if similarity >= 0.999 and shared == 1:
        return "duplicate"
    if min(containment_a, containment_b) >= 0.8:
        return "reprint"
    if max(containment_a, containment_b) >= 0.8:
        return "contained"
    return "partial"


def _tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens of ``text`` (``shingle.token_offsets``) and their start and end offsets."""
    words, starts, ends, _ = _weighted_tokens(text)
    return words, starts, ends


def _weighted_tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """``_tokens`` and how many words each token weighs (1 for a word, ``1 / CHARS_PER_WORD`` for a character of
    a script without spaces)."""
    starts, ends, unspaced = token_offsets(text)
    words = list(map(text.__getitem__, map(slice, starts.tolist(), ends.tolist())))
    return words, starts, ends, np.where(unspaced, 1 / CHARS_PER_WORD, 1.0)


def _seeds(ids_a: list[int], ids_b: list[int]) -> list[tuple[int, int, int]]:
    """Runs ``(a0, b0, length)`` of equal words (at least ``_SEED``), one-to-one.

    The alignment runs on word ``_SEED``-grams, not words: a shared word is everywhere, a shared trigram is
    rare, so common words cannot outvote a short copied passage. Each pass aligns the trigrams whose words no
    earlier pass has taken.
    """
    from rapidfuzz.distance import Indel  # deferred: ``python -m dedup cluster`` without --align never needs it

    n_a, n_b = len(ids_a), len(ids_b)
    if n_a < _SEED or n_b < _SEED:
        return []
    size = max(max(ids_a), max(ids_b)) + 1
    grams_a, grams_b = (
        (array[:-2] * size + array[1:-1]) * size + array[2:]
        for array in (np.array(ids_a, dtype=np.int64), np.array(ids_b, dtype=np.int64))
    )  # exact while size**3 < 2**63, i.e. below two million distinct words
    taken_a, taken_b = bytearray(n_a), bytearray(n_b)
    view_a, view_b = np.frombuffer(taken_a, dtype=np.uint8), np.frombuffer(taken_b, dtype=np.uint8)
    seeds: list[tuple[int, int, int]] = []
    for number in range(_PASSES):
        if number == 0:
            left, right = list(range(n_a - 2)), list(range(n_b - 2))
            opcodes = Indel.opcodes(grams_a.tolist(), grams_b.tolist())
        else:
            free_a = np.flatnonzero((view_a[:-2] | view_a[1:-1] | view_a[2:]) == 0)
            free_b = np.flatnonzero((view_b[:-2] | view_b[1:-1] | view_b[2:]) == 0)
            if not len(free_a) or not len(free_b):
                break
            opcodes = Indel.opcodes(grams_a[free_a].tolist(), grams_b[free_b].tolist())
            left, right = free_a.tolist(), free_b.tolist()
        found = 0
        for block in opcodes.as_matching_blocks():
            for a0, b0, grams in _contiguous(block, left, right):
                seed = _widened(a0, b0, a0 + grams + _SEED - 1, ids_a, ids_b, taken_a, taken_b)
                if seed is not None:
                    a0, b0, length = seed
                    seeds.append(seed)
                    taken_a[a0:a0 + length] = b"\x01" * length
                    taken_b[b0:b0 + length] = b"\x01" * length
                    found += 1
        if not found:
            break
    return seeds


def _contiguous(block: Any, left: list[int], right: list[int]) -> list[tuple[int, int, int]]:
    """A matching block of the compacted trigram sequences as runs ``(a0, b0, grams)`` of trigrams that are
    consecutive in both texts: the compacted sequences bridge words taken by an earlier pass, so a block is cut
    there."""
    if not block.size:
        return []
    last = block.size - 1
    if left[block.a + last] - left[block.a] == last and right[block.b + last] - right[block.b] == last:
        return [(left[block.a], right[block.b], block.size)]
    pieces, start = [], 0
    for k in range(1, block.size + 1):
        if (k == block.size or left[block.a + k] != left[block.a + k - 1] + 1
                or right[block.b + k] != right[block.b + k - 1] + 1):
            pieces.append((left[block.a + start], right[block.b + start], k - start))
            start = k
    return pieces


def _widened(a0: int, b0: int, a1: int, ids_a: list[int], ids_b: list[int], taken_a: bytearray,
             taken_b: bytearray) -> tuple[int, int, int] | None:
    """The seed ``(a0, b0, length)`` of the words ``a0 .. a1`` (``b0 ..`` in the other text): without the words an
    earlier seed took, widened over the equal words next to it that no trigram covers (e.g. before a changed word);
    ``None`` when fewer than ``_SEED`` words are left."""
    b1 = b0 + a1 - a0
    # two blocks of one pass can share the two words where they meet: the first keeps them
    while a0 < a1 and (taken_a[a0] or taken_b[b0]):
        a0, b0 = a0 + 1, b0 + 1
    while a1 > a0 and (taken_a[a1 - 1] or taken_b[b1 - 1]):
        a1, b1 = a1 - 1, b1 - 1
    if a1 - a0 < _SEED:
        return None
    n_a, n_b = len(ids_a), len(ids_b)
    while a0 and b0 and not taken_a[a0 - 1] and not taken_b[b0 - 1] and ids_a[a0 - 1] == ids_b[b0 - 1]:
        a0, b0 = a0 - 1, b0 - 1
    while a1 < n_a and b1 < n_b and not taken_a[a1] and not taken_b[b1] and ids_a[a1] == ids_b[b1]:
        a1, b1 = a1 + 1, b1 + 1
    return a0, b0, a1 - a0


def _join(seeds: list[tuple[int, int, int]], max_gap: int, size_a: list[float],
          size_b: list[float]) -> list[tuple[int, int, int, int, float]]:
    """Seeds that follow each other in both texts within ``max_gap`` words, joined: ``(a0, a1, b0, b1, same)``
    with ``same`` the words matched inside (``size_a``, ``size_b``: the words before each token, as in
    ``_align``)."""
    joined: list[list[Any]] = []  # [a0, a1, b0, b1, same]: word positions and the words matched
    open_spans: list[list[Any]] = []
    limit = max_gap + _EPSILON
    for a0, b0, length in sorted(seeds):
        open_spans = [span for span in open_spans if size_a[a0] - size_a[span[1]] <= limit]
        best = None
        for span in open_spans:
            gap_a, gap_b = size_a[a0] - size_a[span[1]], size_b[b0] - size_b[span[3]]
            if a0 >= span[1] and b0 >= span[3] and gap_a <= limit and gap_b <= limit and (
                    best is None or gap_a + gap_b < best[0]):
                best = (gap_a + gap_b, span)
        weight = size_a[a0 + length] - size_a[a0]
        if best is not None:
            span = best[1]
            span[1], span[3] = a0 + length, b0 + length
            span[4] += weight
        else:
            span = [a0, a0 + length, b0, b0 + length, weight]
            joined.append(span)
            open_spans.append(span)
    return [(a0, a1, b0, b1, same) for a0, a1, b0, b1, same in joined]
