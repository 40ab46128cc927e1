"""Normalisation, tokens and shingle hashes, computed with numpy over a whole batch of texts at once.

Normalisation: compatibility forms of the wide scripts (full-width and half-width forms, CJK compatibility
characters and punctuation, Arabic presentation forms, ligatures) are folded by NFKC, traditional Chinese characters
are folded to simplified ones (a one-to-one table from OpenCC), then the text is lower-cased. A token is a maximal
run of word characters: ASCII letters and digits, and any other character except punctuation (Latin-1 U+0080-U+00BF,
general punctuation U+2000-U+207F with the curly quotes and dashes, CJK, full-width, Arabic and Indic punctuation:
``_PUNCTUATION``). In the scripts that do not put spaces between words (Han, Kana, Thai, Lao, Khmer, Myanmar:
``_UNSPACED``) every character is a token of its own. The batch is encoded to UTF-8 once and tokenised on the byte
array (``bytes.translate`` classes the ASCII bytes, the code points of the other characters are decoded with numpy
and looked up in a table of classes), so there is no Python loop over words. A token's hash is computed from its
bytes read as little-endian 64-bit words straight out of the buffer (one unaligned gather per 8 bytes of token: most
tokens take one), chained as ``v = v * P + chunk`` and finished with the splitmix64 mixer together with the token's
length. Common British spellings are folded onto American ones in hash space; a shingle hash is the polynomial
``((t0 * P + t1) * P + ...)`` over consecutive token hashes (mod 2^64). It is not mixed again: MinHash mixes every
shingle hash with its seed anyway. A shingle is ``ngram`` words, or ``chars_per_shingle(ngram)`` characters of an
unspaced script (a character weighs ``ngram / chars`` words, so a shingle of mixed text is the shortest run of
tokens that weighs ``ngram`` words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ._han_variants import SIMPLIFIED, TRADITIONAL

__all__ = ["CHARS_PER_WORD", "Shingles", "chars_per_shingle", "fold", "normalize_word", "shingle", "token_offsets",
           "token_spans"]

_U64 = np.uint64
_TOKEN_PRIME = _U64(0x100000001B3)
_SHINGLE_PRIME = _U64(0x9E3779B97F4A7C15)
#: ``_LOW_BYTES[k]`` keeps the low ``k`` bytes of a little-endian 64-bit word.
_LOW_BYTES = np.array([0] + [(1 << (8 * k)) - 1 for k in range(1, 8)] + [(1 << 64) - 1], dtype=_U64)
#: Text is tokenised in pieces of about this many bytes (keeps the temporaries in cache and memory bounded).
_PIECE_BYTES = 1 << 21

#: How many characters of a script without spaces carry as much text as one word, for shingle sizes and alignment
#: thresholds: tuned by ``python -m benchmarks.languages`` on half of the SemEval-2022 Chinese articles (BENCHMARKS.md).
CHARS_PER_WORD = 1.6

# Code point ranges (inclusive). Punctuation is no part of a token; later ranges override earlier ones.
_PUNCTUATION = (
    (0x0080, 0x00BF), (0x2000, 0x207F),  # Latin-1 punctuation and symbols; general punctuation
    (0x060C, 0x060C), (0x061B, 0x061B), (0x061F, 0x061F), (0x066A, 0x066D), (0x06D4, 0x06D4),  # Arabic
    (0x0964, 0x0965), (0x0E5A, 0x0E5B), (0x104A, 0x104B), (0x17D4, 0x17D6),  # Indic, Thai, Myanmar, Khmer stops
    (0x2E00, 0x2E7F), (0x3000, 0x3004), (0x3008, 0x3020), (0x3030, 0x3030), (0x303D, 0x303F),  # CJK punctuation
    (0x30FB, 0x30FB), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFEFF, 0xFEFF),  # katakana middle dot, CJK forms, BOM
    (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65),  # full-width punctuation
)
#: Scripts without spaces between words: each character is a token.
_UNSPACED = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF),  # Thai, Lao, Myanmar, Khmer
    (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035), (0x3038, 0x303C),  # radicals, marks
    (0x3040, 0x30FF), (0x3100, 0x312F), (0x3190, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),  # kana, Han
    (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x20000, 0x3FFFF),  # compatibility ideographs, half-width kana, Han
)
#: Blocks of compatibility forms folded by NFKC before tokenising (nothing of Latin-1 or general punctuation, so
#: the tokens of English text do not change).
_FOLDED = (
    (0x2E80, 0x2FDF), (0x3000, 0x33FF), (0xF900, 0xFAFF), (0xFB00, 0xFDFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
    (0xFE70, 0xFEFE), (0xFF00, 0xFFEF),
)
_SPACE, _WORD, _CHAR = 0, 1, 2


def _class_table() -> np.ndarray:
    """The class of every code point of folded text: ``_SPACE``, ``_WORD`` or ``_CHAR`` (a token by itself)."""
    table = np.full(0x110000, _WORD, dtype=np.int8)
    table[:0x80] = [_WORD if chr(code).isalnum() else _SPACE for code in range(0x80)]
    for ranges, kind in ((_UNSPACED, _CHAR), (_PUNCTUATION, _SPACE)):
        for first, last in ranges:
            table[first:last + 1] = kind
    return table


_CLASS = _class_table()


# The folding tables and patterns are built on first use: text without compatibility forms or Han characters (any
# batch of English) never needs them, and building them took 10-25 ms of every start-up.
@cache
def _folding() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """The pattern of runs of compatibility forms and the NFKC of each single one (most runs are one character);
    the simplified form of each traditional Chinese character."""
    runs = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in _FOLDED) + "]+")
    nfkc_of = {chr(code): unicodedata.normalize("NFKC", chr(code)) for first, last in _FOLDED
               for code in range(first, last + 1) if unicodedata.normalize("NFKC", chr(code)) != chr(code)}
    return runs, nfkc_of, dict(zip(TRADITIONAL, SIMPLIFIED, strict=True))


#: The traditional Chinese characters, compiled on first use (``benchmarks.languages`` swaps it to measure the table).
_TRADITIONAL: re.Pattern[str] | None = None


def fold(text: str) -> str:
    """``text`` with its runs of compatibility forms (``_FOLDED``) in NFKC (full-width letters, digits and
    punctuation become ASCII, half-width katakana full-width, presentation forms plain letters), then traditional
    Chinese characters in their simplified form (``_han_variants``)."""
    global _TRADITIONAL
    runs, nfkc_of, simplified = _folding()
    if _TRADITIONAL is None:
        _TRADITIONAL = re.compile(f"[{TRADITIONAL}]")

    def nfkc(match: re.Match[str]) -> str:
        run = match.group()
        return nfkc_of.get(run, run) if len(run) == 1 else unicodedata.normalize("NFKC", run)

    return _TRADITIONAL.sub(lambda match: simplified[match.group()], runs.sub(nfkc, text))


@cache
def _span_class_table() -> np.ndarray:
    """``_CLASS`` for text that is not folded yet: a compatibility form gets the class of what it folds to."""
    table: np.ndarray = _CLASS.copy()
    for first, last in _FOLDED:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code)).lower().strip()
            if folded != chr(code):
                table[code] = _CLASS[ord(folded[0])] if folded else _SPACE
    return table


# bytes.translate table: the class of each ASCII byte; 0 for the bytes of other characters (classed apart).
_ASCII_TABLE = bytes(int(_CLASS[b]) if b < 0x80 else 0 for b in range(256))


def chars_per_shingle(ngram: int) -> int:
    """Characters in a shingle of an unspaced script, for word shingles of ``ngram`` words."""
    return max(1, round(ngram * CHARS_PER_WORD))


def mix64(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise on uint64 (multiplication wraps, which is the intended mod 2^64).
    Works in place on a temporary, so the input is left alone."""
    with np.errstate(over="ignore"):
        z: np.ndarray = values >> _U64(30)
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


def _classes(buf: bytes, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """1 for each byte of ``buf[:size]`` that belongs to a token, else 0 (int8); and the start and end byte
    offsets of the unspaced characters."""
    word = np.frombuffer(buf.translate(_ASCII_TABLE), dtype=np.int8, count=size).copy()
    data = np.frombuffer(buf, dtype=np.uint8)
    lead = np.flatnonzero(data[:size] >= 0xC0)
    b0 = data[lead].astype(np.int32)
    b1, b2, b3 = ((data[lead + k] & 0x3F).astype(np.int32) for k in (1, 2, 3))  # the padding covers lead + 3
    codes = np.where(b0 < 0xE0, ((b0 & 0x1F) << 6) | b1,
                     np.where(b0 < 0xF0, ((b0 & 0x0F) << 12) | (b1 << 6) | b2,
                              ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3))
    kinds = _CLASS[codes]
    in_token = (kinds != _SPACE).view(np.int8)
    word[lead] = in_token
    word[lead + 1] = in_token
    three, four = b0 >= 0xE0, b0 >= 0xF0
    word[lead[three] + 2] = in_token[three]
    word[lead[four] + 3] = in_token[four]
    unspaced = kinds == _CHAR  # all from U+0E00 on: three or four bytes
    return word, lead[unspaced], lead[unspaced] + np.where(four[unspaced], 4, 3)


def _bounds(word: np.ndarray, char_starts: np.ndarray,
            char_ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Token start and end positions from ``word`` (1 for a unit, byte or code point, inside a token; the first
    and last unit must be 0) and the unspaced characters' start and end positions: a run of word units is a token,
    cut before and after each unspaced character. Also whether each token is an unspaced character (``None``
    when there is none)."""
    edges = np.flatnonzero(word[1:] != word[:-1])
    edges += 1
    if not len(char_starts):
        return edges[0::2], edges[1::2], None
    token = word.view(np.bool_)
    begins = np.zeros(len(word), dtype=np.bool_)
    begins[edges[0::2]] = True
    begins[char_starts] = True
    begins[char_ends[token[char_ends]]] = True  # a word right after the character
    ends = np.zeros(len(word), dtype=np.bool_)
    ends[edges[1::2]] = True
    ends[char_ends] = True
    ends[char_starts[token[char_starts - 1]]] = True  # a word right before the character
    starts = np.flatnonzero(begins)
    is_char = np.zeros(len(word), dtype=np.bool_)
    is_char[char_starts] = True
    return starts, np.flatnonzero(ends), is_char[starts]


def _token_bounds(buf: bytes, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Start and end byte offsets of the tokens in ``buf[:size]``, and for each whether it is an unspaced
    character (``None`` when there is none)."""
    if buf.isascii():
        word = np.frombuffer(buf.translate(_ASCII_TABLE), dtype=np.int8, count=size)
        return _bounds(word, _NONE, _NONE)
    return _bounds(*_classes(buf, size))


_NONE = np.empty(0, dtype=np.int64)


def _tokenize(buf: bytes, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Token hashes, start byte offsets in ``buf[:size]``, and whether each token is an unspaced character
    (``None``: none is).

    ``buf[:size]`` must begin and end with a non-word byte, and ``buf`` must carry 8 bytes of padding after
    ``size`` (the 64-bit reads at the end of the last token run into it).
    """
    starts, ends, unspaced = _token_bounds(buf, size)
    if len(starts) == 0:
        return np.empty(0, _U64), starts, unspaced
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
    return mix64(values), starts, unspaced


def _encode(texts: Sequence[str]) -> tuple[bytes, int, np.ndarray]:
    """Folded, lower-cased UTF-8 of the texts, each preceded by a newline, with a final newline and 8 bytes of
    padding. Returns the buffer, its size without padding, and the byte offset of each text (plus the end)."""
    joined = "\n".join(texts)
    if joined.isascii():  # the common case: one encode and one lower for the whole piece
        body = joined.encode("ascii").lower()
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        parts = [
            text.encode("ascii").lower() if text.isascii() else text.lower().encode("utf-8", "surrogatepass")
            for text in texts
        ]
        body, sizes = _joined(parts)
        for index in _wide_texts(body, sizes):  # only these can have something to fold
            parts[index] = fold(texts[index]).lower().encode("utf-8", "surrogatepass")
            body = b""
        if not body:
            body, sizes = _joined(parts)
    starts = np.empty(len(texts) + 1, dtype=np.int64)
    starts[0] = 1
    np.cumsum(sizes + 1, out=starts[1:])
    starts[1:] += 1
    buf = b"\n" + body + b"\n" + bytes(8)
    return buf, len(buf) - 8, starts


def _joined(parts: list[bytes]) -> tuple[bytes, np.ndarray]:
    return b"\n".join(parts), np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))


def _wide_texts(body: bytes, sizes: np.ndarray) -> list[int]:
    """The texts of ``body`` (joined by newlines) with a character from U+2E80 on (UTF-8 E2 BA 80 and above)."""
    data = np.frombuffer(body, dtype=np.uint8)
    wide = np.flatnonzero(data >= 0xE2)
    wide = wide[(data[wide] > 0xE2) | (data[np.minimum(wide + 1, len(data) - 1)] >= 0xBA)]
    if not len(wide):
        return []
    ends = np.cumsum(sizes + 1)
    return [int(value) for value in np.unique(np.searchsorted(ends, wide, side="right"))]


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


def _token_hashes_piece(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    buf, size, text_starts = _encode(texts)
    hashes, starts, unspaced = _tokenize(buf, size)
    return _fold_spelling(hashes), np.searchsorted(starts, text_starts), unspaced


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of every text in the batch, concatenated, and per-text offsets into them."""
    return _concatenate([_token_hashes_piece(texts[a:b])[:2] for a, b in _pieces(texts)])


def shingle(texts: Sequence[str], *, ngram: int = 5) -> Shingles:
    """Hashes of the ``ngram``-word shingles of each text (``chars_per_shingle(ngram)`` characters in scripts
    without spaces; a text shorter than one shingle gives one shingle of all its tokens; an empty one gives
    none)."""
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
    hashes, offsets, unspaced = _token_hashes_piece(texts)
    if unspaced is None:
        return _word_shingles(hashes, offsets, ngram)
    # the texts with unspaced characters apart (a few in a batch of English), the others the fast way
    counts = np.diff(offsets)
    mixed = np.bincount(np.repeat(np.arange(len(counts)), counts)[unspaced], minlength=len(counts)) > 0
    in_mixed = np.repeat(mixed, counts)
    words, word_offsets = _word_shingles(hashes[~in_mixed], _offsets(counts[~mixed]), ngram)
    chars, char_offsets = _mixed_shingles(hashes[in_mixed], _offsets(counts[mixed]), unspaced[in_mixed], ngram)
    shingle_counts = np.zeros(len(counts), dtype=np.int64)
    shingle_counts[~mixed] = np.diff(word_offsets)
    shingle_counts[mixed] = np.diff(char_offsets)
    result = np.empty(len(words) + len(chars), dtype=_U64)
    from_mixed = np.repeat(mixed, shingle_counts)
    result[~from_mixed] = words
    result[from_mixed] = chars
    return result, _offsets(shingle_counts)


def _offsets(counts: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets


def _word_shingles(hashes: np.ndarray, offsets: np.ndarray, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``ngram``-word shingles of a batch without unspaced characters."""
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


def _mixed_shingles(hashes: np.ndarray, offsets: np.ndarray, unspaced: np.ndarray,
                    ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingles of a batch with unspaced characters: each window is the shortest run of tokens from its start
    that weighs ``ngram`` words (a word weighs ``chars``, a character ``ngram``, a shingle ``ngram * chars``), so
    a window of words alone is the ``ngram``-word shingle of ``_shingle_piece``."""
    chars = chars_per_shingle(ngram)
    weight = np.zeros(len(hashes) + 1, dtype=np.int64)
    np.cumsum(np.where(unspaced, ngram, chars), out=weight[1:])
    ends = np.searchsorted(weight, weight[:-1] + ngram * chars)  # window i is tokens [i, ends[i])
    counts = np.diff(offsets)
    text_end = np.repeat(offsets[1:], counts)
    whole = ends <= text_end
    per_text = np.bincount(np.repeat(np.arange(len(counts)), counts)[whole], minlength=len(counts))
    short = np.flatnonzero((counts > 0) & (per_text == 0))  # shorter than one shingle: one of all its tokens
    per_text[short] = 1
    begins = whole.copy()
    begins[offsets[short]] = True
    first = np.flatnonzero(begins)
    lengths = np.where(whole[first], ends[first], text_end[first]) - first
    longest = int(lengths.max(initial=1))
    padded = np.concatenate([hashes, np.zeros(longest, dtype=_U64)])
    combined = hashes[first]
    with np.errstate(over="ignore"):
        for step in range(1, longest):
            stepped = combined * _SHINGLE_PRIME
            stepped += padded[first + step]
            np.copyto(combined, stepped, where=lengths > step)
    out_offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(per_text, out=out_offsets[1:])
    return combined, out_offsets


def _combine(tokens: np.ndarray) -> np.uint64:
    value: np.uint64 = np.uint64(tokens[0])
    with np.errstate(over="ignore"):
        for token in tokens[1:]:
            value = np.uint64(value * _SHINGLE_PRIME + token)
    return value


def token_offsets(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Character offsets of the tokens of ``text`` (starts, ends) and whether each is an unspaced character, by
    the rule of ``shingle`` applied before folding (a compatibility form counts as what it folds to; one that
    folds to several characters stays one character here)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = np.zeros(len(codes) + 2, dtype=np.int8)  # a non-token unit at each end
    classes[1:-1] = _span_class_table()[codes]
    chars = np.flatnonzero(classes == _CHAR)
    starts, ends, unspaced = _bounds((classes != _SPACE).view(np.int8), chars, chars + 1)
    return starts - 1, ends - 1, np.zeros(len(starts), dtype=np.bool_) if unspaced is None else unspaced


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of the tokens of ``text`` (``token_offsets``)."""
    starts, ends, _ = token_offsets(text)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def normalize_word(word: str) -> str:
    """A token as shingling sees it: compatibility forms folded, lower case, British spellings folded to
    American."""
    word = fold(word).lower()
    return _SPELLING_WORDS.get(word, word)
