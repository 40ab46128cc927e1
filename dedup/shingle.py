"""Normalisation, tokens and shingle hashes, computed with numpy over a whole batch of texts at once.

A token is a maximal run of word characters in the lower-cased text: ASCII letters and digits, and any other
character except Latin-1 punctuation (U+0080-U+00BF) and general punctuation (U+2000-U+207F, which holds the
curly quotes and dashes). The batch is lower-cased and encoded to UTF-8 once and tokenised on the byte array
(``bytes.translate`` marks word bytes, one comparison finds the token edges), so there is no Python loop over
words. A token's hash is computed from its bytes read as little-endian 64-bit words straight out of the buffer
(one unaligned gather per 8 bytes of token: most tokens take one), chained as ``v = v * P + chunk`` and finished
with the splitmix64 mixer together with the token's length. Common British spellings are folded onto American
ones in hash space; a shingle hash is the polynomial ``((t0 * P + t1) * P + ...)`` over ``ngram`` consecutive
token hashes (mod 2^64). It is not mixed again: MinHash mixes every shingle hash with its seed anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Shingles", "shingle", "token_spans", "normalize_word"]

_U64 = np.uint64
_TOKEN_PRIME = _U64(0x100000001B3)
_SHINGLE_PRIME = _U64(0x9E3779B97F4A7C15)
#: ``_LOW_BYTES[k]`` keeps the low ``k`` bytes of a little-endian 64-bit word.
_LOW_BYTES = np.array([0] + [(1 << (8 * k)) - 1 for k in range(1, 8)] + [(1 << 64) - 1], dtype=_U64)
#: Text is tokenised in pieces of about this many bytes (keeps the temporaries in cache and memory bounded).
_PIECE_BYTES = 1 << 21

# bytes.translate table: 1 for a byte that can be part of a token, 0 otherwise.
_WORD_TABLE = bytes(
    1 if (0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A or b >= 0x80) else 0 for b in range(256)
)


def mix64(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise on uint64 (multiplication wraps, which is the intended mod 2^64).
    Works in place on a temporary, so the input is left alone."""
    with np.errstate(over="ignore"):
        z = values >> _U64(30)
        z ^= values
        z *= _U64(0xBF58476D1CE4E5B9)
        z ^= z >> _U64(27)
        z *= _U64(0x94D049BB133111EB)
        z ^= z >> _U64(31)
        return z


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


def _word_mask(buf: bytes) -> np.ndarray:
    """1 for each byte of ``buf`` that belongs to a token, else 0 (int8)."""
    word = np.frombuffer(buf.translate(_WORD_TABLE), dtype=np.int8)
    if buf.isascii():
        return word
    word = word.copy()
    data = np.frombuffer(buf, dtype=np.uint8)
    latin1_punct = np.flatnonzero(data == 0xC2)  # U+0080-U+00BF
    word[latin1_punct] = 0
    word[latin1_punct[latin1_punct + 1 < len(data)] + 1] = 0
    if len(data) >= 3:  # U+2000-U+207F
        general = np.flatnonzero((data[:-2] == 0xE2) & ((data[1:-1] == 0x80) | (data[1:-1] == 0x81)))
        word[general] = 0
        word[general + 1] = 0
        word[general + 2] = 0
    return word


def _tokenize(buf: bytes, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token hashes, start and end byte offsets in ``buf[:size]``.

    ``buf[:size]`` must begin and end with a non-word byte, and ``buf`` must carry 8 bytes of padding after
    ``size`` (the 64-bit reads at the end of the last token run into it).
    """
    word = _word_mask(buf)[:size]
    edges = np.flatnonzero(word[1:] != word[:-1])
    edges += 1
    starts, ends = edges[0::2], edges[1::2]
    if len(starts) == 0:
        return np.empty(0, _U64), starts, ends
    lengths = ends - starts
    # Every byte position read as a little-endian uint64 (overlapping, unaligned): words[i] = buf[i:i+8].
    words = np.ndarray(shape=(size,), dtype=_U64, buffer=buf, strides=(1,))
    values = words[starts]
    values &= _LOW_BYTES[np.minimum(lengths, 8)]
    long = np.flatnonzero(lengths > 8)
    offset = 8
    with np.errstate(over="ignore"):
        while len(long):
            rest = lengths[long] - offset
            chunk = words[starts[long] + offset] & _LOW_BYTES[np.minimum(rest, 8)]
            values[long] = values[long] * _TOKEN_PRIME + chunk
            long = long[rest > 8]
            offset += 8
        values ^= lengths.astype(_U64) * _SHINGLE_PRIME
    return mix64(values), starts, ends


def _encode(texts: Sequence[str]) -> tuple[bytes, int, np.ndarray]:
    """Lower-cased UTF-8 of the texts, each preceded by a newline, with a final newline and 8 bytes of padding.
    Returns the buffer, its size without padding, and the byte offset of each text (plus the end)."""
    joined = "\n".join(texts)
    if joined.isascii():  # the common case: one encode and one lower for the whole piece
        body = joined.encode("ascii").lower()
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        parts = [
            text.encode("ascii").lower() if text.isascii() else text.lower().encode("utf-8", "surrogatepass")
            for text in texts
        ]
        body = b"\n".join(parts)
        sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    starts = np.empty(len(texts) + 1, dtype=np.int64)
    starts[0] = 1
    np.cumsum(sizes + 1, out=starts[1:])
    starts[1:] += 1
    buf = b"\n" + body + b"\n" + bytes(8)
    return buf, len(buf) - 8, starts


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
    buf, size, _ = _encode([" ".join(british + american)])
    hashes, _, _ = _tokenize(buf, size)
    source, target = hashes[: len(british)], hashes[len(british):]
    order = np.argsort(source)
    return source[order], target[order]


_SPELLING_FROM, _SPELLING_TO = _spelling_table()
_SPELLING_WORDS = dict(zip(_SPELLING_PAIRS.split()[0::2], _SPELLING_PAIRS.split()[1::2], strict=True))


#: A 2^16-entry filter on the low bits of the British spellings' hashes: only the rare hits are looked up.
_SPELLING_FILTER = np.zeros(1 << 16, dtype=bool)
_SPELLING_FILTER[(_SPELLING_FROM & _U64(0xFFFF)).astype(np.intp)] = True


def _fold_spelling(hashes: np.ndarray) -> np.ndarray:
    """Replace the hashes of British spellings by those of the American ones (in place; returns ``hashes``)."""
    low16 = hashes.view(np.uint16)[:: 4] if np.little_endian else (hashes & _U64(0xFFFF)).astype(np.intp)
    maybe = np.flatnonzero(_SPELLING_FILTER[low16])
    if len(maybe):
        candidates = hashes[maybe]
        slot = np.searchsorted(_SPELLING_FROM, candidates)
        np.minimum(slot, len(_SPELLING_FROM) - 1, out=slot)
        hit = _SPELLING_FROM[slot] == candidates
        hashes[maybe[hit]] = _SPELLING_TO[slot[hit]]
    return hashes


def _pieces(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Split the batch into runs of texts of about ``_PIECE_BYTES`` characters each."""
    bounds = []
    start = total = 0
    for index, text in enumerate(texts):
        total += len(text)
        if total >= _PIECE_BYTES:
            bounds.append((start, index + 1))
            start, total = index + 1, 0
    if start < len(texts) or not bounds:
        bounds.append((start, len(texts)))
    return bounds


def _token_hashes_piece(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    buf, size, text_starts = _encode(texts)
    hashes, starts, _ = _tokenize(buf, size)
    return _fold_spelling(hashes), np.searchsorted(starts, text_starts)


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of every text in the batch, concatenated, and per-text offsets into them."""
    return _concatenate([_token_hashes_piece(texts[a:b]) for a, b in _pieces(texts)])


def shingle(texts: Sequence[str], *, ngram: int = 5) -> Shingles:
    """Hashes of the word ``ngram``-shingles of each text (a text shorter than ``ngram`` words gives one
    shingle of all its words; an empty one gives none)."""
    hashes, offsets = _concatenate([_shingle_piece(texts[a:b], ngram) for a, b in _pieces(texts)])
    return Shingles(hashes=hashes, offsets=offsets)


def _concatenate(pieces: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if len(pieces) == 1:
        return pieces[0]
    hashes = np.concatenate([piece[0] for piece in pieces])
    shifts = np.cumsum([0] + [len(piece[0]) for piece in pieces[:-1]])
    tails = [piece[1][1:] + shift for piece, shift in zip(pieces, shifts, strict=True)]
    offsets = np.concatenate([pieces[0][1][:1], *tails])
    return hashes, offsets


def _shingle_piece(texts: Sequence[str], ngram: int) -> tuple[np.ndarray, np.ndarray]:
    hashes, offsets = _token_hashes_piece(texts)
    counts = np.diff(offsets)
    if ngram == 1 or len(hashes) == 0:
        return hashes, offsets
    windows = max(len(hashes) - ngram + 1, 0)
    combined = hashes[:windows].copy()
    with np.errstate(over="ignore"):
        for step in range(1, ngram):
            combined *= _SHINGLE_PRIME
            combined += hashes[step:step + windows]
    shingle_counts = np.maximum(counts - ngram + 1, 0)
    short = np.flatnonzero((counts > 0) & (counts < ngram))
    shingle_counts[short] = 1
    out_offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(shingle_counts, out=out_offsets[1:])
    # Shingle k of text i is the window starting at token offsets[i] + k.
    source = np.repeat(offsets[:-1] - out_offsets[:-1], shingle_counts)
    source += np.arange(len(source), dtype=np.int64)
    if len(short):
        np.minimum(source, max(windows - 1, 0), out=source)
    result = combined[source] if windows else np.zeros(len(source), dtype=_U64)
    for index in short.tolist():
        result[out_offsets[index]] = _combine(hashes[offsets[index]:offsets[index + 1]])
    return result, out_offsets


def _combine(tokens: np.ndarray) -> np.uint64:
    value = tokens[0]
    with np.errstate(over="ignore"):
        for token in tokens[1:]:
            value = value * _SHINGLE_PRIME + token
    return value


_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u1fff\u2080-\uffff\U00010000-\U0010ffff]+")


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of the tokens of ``text``, by the same rule as ``shingle``."""
    return [match.span() for match in _TOKEN.finditer(text)]


def normalize_word(word: str) -> str:
    """Lower case with British spellings folded to American, as shingling sees a word."""
    word = word.lower()
    return _SPELLING_WORDS.get(word, word)
