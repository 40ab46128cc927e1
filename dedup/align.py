"""Alignment: the passages two articles share, as character spans, and what the pair is to each other.

Both texts are tokenised with character offsets; tokens are compared lower-cased with British spellings folded,
so quotes, punctuation and spelling do not break a passage. Shared word trigrams seed matches; runs of seeds on
one diagonal are taken longest first, one-to-one (so reordered paragraphs still align and a repeated passage is
used once), and runs separated by a few changed, added or dropped words are joined into one span. rapidfuzz
scores each span.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from .clean import Article
from .errors import ConfigError
from .shingle import normalize_word, token_spans

__all__ = ["Span", "Alignment", "align", "RELATIONSHIPS"]

RELATIONSHIPS = ("duplicate", "reprint", "contained", "partial", "unrelated")
_SEED = 3


@dataclass(frozen=True, slots=True)
class Span:
    """A passage of ``a`` (``a[a_start:a_end]``) found in ``b`` (``b[b_start:b_end]``); ``score`` in [0, 1]."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two articles overlap.

    ``containment_a`` is the share of ``a``'s words inside shared spans (``containment_b`` likewise);
    ``similarity`` the share of both texts' words that are shared. ``relationship`` is one of ``RELATIONSHIPS``.
    """

    spans: tuple[Span, ...]
    similarity: float
    containment_a: float
    containment_b: float
    relationship: str


def align(a: str | Article, b: str | Article, *, min_words: int = 8, max_gap: int = 4) -> Alignment:
    """Find the passages ``a`` and ``b`` share (at least ``min_words`` words each, tolerating up to ``max_gap``
    differing words inside a passage) and label the pair."""
    if min_words < _SEED:
        raise ConfigError(f"min_words must be at least {_SEED}, got {min_words!r}")
    if max_gap < 0:
        raise ConfigError(f"max_gap must not be negative, got {max_gap!r}")
    text_a = a.text if isinstance(a, Article) else a
    text_b = b.text if isinstance(b, Article) else b
    spans_a, spans_b = token_spans(text_a), token_spans(text_b)
    words_a = [normalize_word(text_a[start:end]) for start, end in spans_a]
    words_b = [normalize_word(text_b[start:end]) for start, end in spans_b]
    runs = _runs(words_a, words_b)
    chosen = _one_to_one(runs)
    merged = _merge(chosen, max_gap)
    spans = []
    covered_a = covered_b = 0
    for a0, a1, b0, b1 in merged:
        if a1 - a0 < min_words or b1 - b0 < min_words:
            continue
        start_a, end_a = spans_a[a0][0], spans_a[a1 - 1][1]
        start_b, end_b = spans_b[b0][0], spans_b[b1 - 1][1]
        score = fuzz.ratio(text_a[start_a:end_a], text_b[start_b:end_b], processor=utils.default_process) / 100
        spans.append(Span(start_a, end_a, start_b, end_b, round(score, 4)))
        covered_a += a1 - a0
        covered_b += b1 - b0
    containment_a = covered_a / len(words_a) if words_a else 0.0
    containment_b = covered_b / len(words_b) if words_b else 0.0
    total = len(words_a) + len(words_b)
    similarity = (covered_a + covered_b) / total if total else 0.0
    return Alignment(
        spans=tuple(sorted(spans, key=lambda span: (span.a_start, span.b_start))),
        similarity=round(similarity, 4),
        containment_a=round(containment_a, 4),
        containment_b=round(containment_b, 4),
        relationship=relationship(similarity, containment_a, containment_b, bool(spans)),
    )


def relationship(similarity: float, containment_a: float, containment_b: float, shared: bool) -> str:
    """The label of a pair from its overlap figures."""
    if not shared:
        return "unrelated"
    if similarity >= 0.98:
        return "duplicate"
    if min(containment_a, containment_b) >= 0.8:
        return "reprint"
    if max(containment_a, containment_b) >= 0.8:
        return "contained"
    return "partial"


def _runs(words_a: list[str], words_b: list[str]) -> list[tuple[int, int, int, int]]:
    """Maximal runs ``(a0, a1, b0, b1)`` of consecutive shared seeds on one diagonal."""
    seeds_b: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(words_b) - _SEED + 1):
        seeds_b.setdefault(tuple(words_b[j:j + _SEED]), []).append(j)
    open_runs: dict[int, list[int]] = {}
    runs = []
    for i in range(len(words_a) - _SEED + 1):
        matches = seeds_b.get(tuple(words_a[i:i + _SEED]), ())
        still_open: dict[int, list[int]] = {}
        for j in matches:
            diagonal = j - i
            run = open_runs.pop(diagonal, None)
            if run is None:
                run = [i, j]
            still_open[diagonal] = run
        for diagonal, (start_a, start_b) in open_runs.items():
            length = i - 1 - start_a + _SEED
            runs.append((start_a, start_a + length, start_b, start_b + length))
        open_runs = still_open
    end = len(words_a) - _SEED + 1
    for start_a, start_b in open_runs.values():
        length = end - 1 - start_a + _SEED
        runs.append((start_a, start_a + length, start_b, start_b + length))
    return runs


def _one_to_one(runs: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Longest runs first; a later run keeps only the part of it that is free in both texts."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen = []
    for a0, a1, b0, b1 in sorted(runs, key=lambda run: (run[0] - run[1], run[0], run[2])):
        best: tuple[int, int] | None = None
        start = None
        for offset in range(a1 - a0 + 1):
            free = offset < a1 - a0 and (a0 + offset) not in used_a and (b0 + offset) not in used_b
            if free and start is None:
                start = offset
            elif not free and start is not None:
                if best is None or offset - start > best[1] - best[0]:
                    best = (start, offset)
                start = None
        if best is None or best[1] - best[0] < _SEED:
            continue
        lo, hi = best
        used_a.update(range(a0 + lo, a0 + hi))
        used_b.update(range(b0 + lo, b0 + hi))
        chosen.append((a0 + lo, a0 + hi, b0 + lo, b0 + hi))
    return chosen


def _merge(runs: list[tuple[int, int, int, int]], max_gap: int) -> list[tuple[int, int, int, int]]:
    merged: list[list[int]] = []
    for a0, a1, b0, b1 in sorted(runs):
        if merged:
            last = merged[-1]
            gap_a, gap_b = a0 - last[1], b0 - last[3]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                last[1], last[3] = a1, max(last[3], b1)
                continue
        merged.append([a0, a1, b0, b1])
    return [tuple(run) for run in merged]  # type: ignore[misc]
