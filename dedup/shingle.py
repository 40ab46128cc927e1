"""Normalisation, tokens and shingle hashes, computed with numpy over a whole batch of texts at once.

A token is a maximal run of word characters in the lower-cased text: ASCII letters and digits, and any other
character except Latin-1 punctuation (U+0080-U+00BF) and general punctuation (U+2000-U+207F, which holds the
curly quotes and dashes). The batch is encoded to UTF-8 once and tokenised on the byte array, so there is no
Python loop over words. Each token hash is a polynomial over its bytes, finished with the splitmix64 mixer;
common British spellings are folded onto American ones in hash space; a shingle hash combines ``ngram``
consecutive token hashes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Shingles", "shingle", "token_spans", "normalize_word"]

_U64 = np.uint64
_BYTE_PRIME = _U64(0x100000001B3)
_SHINGLE_PRIME = _U64(0x9E3779B97F4A7C15)
_MAX_WEIGHT = 64
with np.errstate(over="ignore"):
    _POWERS = np.concatenate([[_U64(1)], np.cumprod(np.full(_MAX_WEIGHT - 1, _BYTE_PRIME, dtype=_U64), dtype=_U64)])

_WORD_BYTE = np.zeros(256, dtype=bool)
for _char in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _WORD_BYTE[_char] = True
_WORD_BYTE[0x80:] = True


def mix64(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise on uint64 (multiplication wraps, which is the intended mod 2^64)."""
    with np.errstate(over="ignore"):
        z = values ^ (values >> _U64(30))
        z = z * _U64(0xBF58476D1CE4E5B9)
        z = z ^ (z >> _U64(27))
        z = z * _U64(0x94D049BB133111EB)
        return z ^ (z >> _U64(31))


@dataclass(frozen=True, slots=True)
class Shingles:
    """Shingle hashes of a batch: document ``i`` owns ``hashes[offsets[i]:offsets[i+1]]`` (in text order,
    repeats included)."""

    hashes: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def of(self, index: int) -> np.ndarray:
        return self.hashes[self.offsets[index]:self.offsets[index + 1]]

    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)


def _word_mask(data: np.ndarray) -> np.ndarray:
    word = _WORD_BYTE[data]
    latin1_punct = np.flatnonzero(data == 0xC2)
    word[latin1_punct] = False
    word[latin1_punct[latin1_punct + 1 < len(data)] + 1] = False
    if len(data) >= 3:
        general = np.flatnonzero((data[:-2] == 0xE2) & ((data[1:-1] == 0x80) | (data[1:-1] == 0x81)))
        word[general] = False
        word[general + 1] = False
        word[general + 2] = False
    return word


def _tokenize(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token hashes, start and end byte offsets for a UTF-8 byte array of lower-cased text."""
    word = _word_mask(data)
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if len(starts) == 0:
        return np.empty(0, _U64), starts, ends
    lengths = ends - starts
    word_bytes = data[word].astype(_U64)
    first = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=first[1:])
    position = np.arange(len(word_bytes), dtype=np.int64) - np.repeat(first, lengths)
    np.minimum(position, _MAX_WEIGHT - 1, out=position)
    with np.errstate(over="ignore"):
        sums = np.add.reduceat(word_bytes * _POWERS[position], first)
        hashes = mix64(sums ^ (lengths.astype(_U64) * _SHINGLE_PRIME))
    return hashes, starts, ends


# British spellings folded onto American ones before shingling (the commonest in news copy).
_SPELLING_PAIRS = """
recognise recognize recognised recognized recognises recognizes recognising recognizing
organise organize organised organized organises organizes organising organizing organisation organization
organisations organizations realise realize realised realized criticise criticize criticised criticized
apologise apologize apologised apologized authorise authorize authorised authorized emphasise emphasize
emphasised emphasized prioritise prioritize mobilise mobilize mobilised mobilized stabilise stabilize
legalise legalize privatise privatize privatisation privatization utilise utilize summarise summarize
characterise characterize categorise categorize minimise minimize maximise maximize finalise finalize
finalised finalized hospitalised hospitalized sympathise sympathize jeopardise jeopardize normalise normalize
colour color colours colors favour favor favourite favorite favoured favored honour honor honoured honored
labour labor labours labors neighbour neighbor neighbours neighbors neighbouring neighboring behaviour behavior
rumour rumor rumours rumors harbour harbor humour humor armoured armored endeavour endeavor vigour vigor
centre center centres centers theatre theater metre meter metres meters litre liter litres liters
defence defense offence offense licence license programme program programmes programs
travelled traveled travelling traveling cancelled canceled cancelling canceling labelled labeled
modelling modeling fuelled fueled counselling counseling jewellery jewelry grey gray analyse analyze
analysed analyzed paralysed paralyzed catalogue catalog dialogue dialog ageing aging judgement judgment
manoeuvre maneuver tonne ton tonnes tons sceptical skeptical storey story kerb curb tyre tire tyres tires
"""


def _spelling_table() -> tuple[np.ndarray, np.ndarray]:
    words = _SPELLING_PAIRS.split()
    british, american = words[0::2], words[1::2]
    hashes, _, _ = _tokenize(np.frombuffer(" ".join(british + american).encode(), dtype=np.uint8))
    source, target = hashes[: len(british)], hashes[len(british):]
    order = np.argsort(source)
    return source[order], target[order]


_SPELLING_FROM, _SPELLING_TO = _spelling_table()
_SPELLING_WORDS = dict(zip(_SPELLING_PAIRS.split()[0::2], _SPELLING_PAIRS.split()[1::2]))


def _fold_spelling(hashes: np.ndarray) -> np.ndarray:
    slot = np.searchsorted(_SPELLING_FROM, hashes)
    np.minimum(slot, len(_SPELLING_FROM) - 1, out=slot)
    hit = _SPELLING_FROM[slot] == hashes
    if hit.any():
        hashes = hashes.copy()
        hashes[hit] = _SPELLING_TO[slot[hit]]
    return hashes


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of every text in the batch, concatenated, and per-text offsets into them."""
    encoded = [text.lower().encode("utf-8", errors="replace") for text in texts]
    sizes = np.fromiter((len(item) + 1 for item in encoded), dtype=np.int64, count=len(encoded))
    data = np.frombuffer(b"\n".join(encoded) + b"\n", dtype=np.uint8)
    hashes, starts, _ = _tokenize(data)
    hashes = _fold_spelling(hashes)
    text_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(sizes, out=text_starts[1:])
    offsets = np.searchsorted(starts, text_starts)
    return hashes, offsets


def shingle(texts: Sequence[str], *, ngram: int = 5) -> Shingles:
    """Hashes of the word ``ngram``-shingles of each text (a text shorter than ``ngram`` words gives one
    shingle of all its words; an empty one gives none)."""
    hashes, offsets = token_hashes(texts)
    counts = np.diff(offsets)
    n_tokens = len(hashes)
    if n_tokens == 0:
        return Shingles(hashes=hashes, offsets=offsets)
    valid = n_tokens - ngram + 1
    combined = hashes[: max(valid, 0)].copy()
    with np.errstate(over="ignore"):
        for step in range(1, ngram):
            combined = combined * _SHINGLE_PRIME + hashes[step: step + len(combined)]
    combined = mix64(combined)
    shingle_counts = np.maximum(counts - ngram + 1, 0)
    short = np.flatnonzero((counts > 0) & (counts < ngram))
    starts = offsets[:-1]
    keep = np.repeat(starts, shingle_counts) + _ranges(shingle_counts)
    result = combined[keep] if len(keep) else np.empty(0, _U64)
    if len(short):
        shingle_counts[short] = 1
        pieces = np.split(result, np.cumsum(np.maximum(counts - ngram + 1, 0))[:-1])
        for index in short:
            pieces[index] = _combine(hashes[offsets[index]:offsets[index + 1]])
        result = np.concatenate(pieces)
    out_offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(shingle_counts, out=out_offsets[1:])
    return Shingles(hashes=result, offsets=out_offsets)


def _combine(tokens: np.ndarray) -> np.ndarray:
    value = tokens[:1].copy()
    with np.errstate(over="ignore"):
        for token in tokens[1:]:
            value = value * _SHINGLE_PRIME + token
    return mix64(value)


def _ranges(counts: np.ndarray) -> np.ndarray:
    """``concatenate([arange(c) for c in counts])`` without the loop."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.arange(total, dtype=np.int64) - np.repeat(ends - counts, counts)


_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u1fff\u2080-\uffff\U00010000-\U0010ffff]+")


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of the tokens of ``text``, by the same rule as ``shingle``."""
    return [match.span() for match in _TOKEN.finditer(text)]


def normalize_word(word: str) -> str:
    """Lower case with British spellings folded to American, as shingling sees a word."""
    word = word.lower()
    return _SPELLING_WORDS.get(word, word)
