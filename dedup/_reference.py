"""Slow, obvious implementations of the fast paths, used by the tests as oracles. Not part of the API."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import groupby

from ._han_variants import SIMPLIFIED, TRADITIONAL
from .shingle import _FOLDED, _PUNCTUATION, _SPELLING_PAIRS, _UNSPACED, chars_per_shingle

MASK = (1 << 64) - 1
TOKEN_PRIME = 0x100000001B3
SHINGLE_PRIME = 0x9E3779B97F4A7C15
EMPTY = 0xFFFFFFFF


def mix64(value: int) -> int:
    value &= MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


def _within(code: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(first <= code <= last for first, last in ranges)


_SIMPLIFIED = dict(zip(TRADITIONAL, SIMPLIFIED, strict=True))


def fold(text: str) -> str:
    """NFKC on each run of characters from the compatibility blocks, then traditional characters simplified."""
    runs = groupby(text, key=lambda char: _within(ord(char), _FOLDED))
    text = "".join(unicodedata.normalize("NFKC", "".join(run)) if folded else "".join(run) for folded, run in runs)
    return "".join(_SIMPLIFIED.get(char, char) for char in text)


def is_unspaced(char: str) -> bool:
    """A character of a script without spaces between words (a token by itself)."""
    code = ord(char)
    return _within(code, _UNSPACED) and not _within(code, _PUNCTUATION)


def is_word_char(char: str) -> bool:
    code = ord(char)
    if code < 0x80:
        return char.isascii() and char.isalnum()
    return not _within(code, _PUNCTUATION)


def token_kinds(text: str) -> list[tuple[str, bool]]:
    """The tokens of ``text`` (folded, lower case), each with whether it is an unspaced character."""
    out: list[tuple[str, bool]] = []
    current: list[str] = []
    for char in fold(text).lower():
        if current and (not is_word_char(char) or is_unspaced(char)):
            out.append(("".join(current), False))
            current = []
        if is_unspaced(char):
            out.append((char, True))
        elif is_word_char(char):
            current.append(char)
    if current:
        out.append(("".join(current), False))
    return out


def tokens(text: str) -> list[str]:
    return [token for token, _ in token_kinds(text)]


def token_hash(token: str) -> int:
    """The token's UTF-8 bytes as little-endian 64-bit words, chained ``v = v * TOKEN_PRIME + word``, mixed
    with the length."""
    data = token.encode("utf-8", "surrogatepass")
    value = 0
    for start in range(0, len(data), 8):
        word = int.from_bytes(data[start:start + 8], "little")
        value = word if start == 0 else (value * TOKEN_PRIME + word) & MASK
    return mix64(value ^ ((len(data) * SHINGLE_PRIME) & MASK))


_SPELLING = dict(zip(_SPELLING_PAIRS.split()[0::2], _SPELLING_PAIRS.split()[1::2], strict=True))


def shingle_hashes(text: str, ngram: int) -> list[int]:
    """Each window: the tokens from a start until they weigh ``ngram`` words (a word weighs 1, an unspaced
    character ``ngram / chars_per_shingle(ngram)``); a text lighter than that is one window."""
    kinds = token_kinds(text)
    hashes = [token_hash(_SPELLING.get(token, token)) for token, _ in kinds]
    chars = chars_per_shingle(ngram)
    weights = [ngram if unspaced else chars for _, unspaced in kinds]
    windows = []
    for start in range(len(hashes)):
        total = 0
        for end in range(start, len(hashes)):
            total += weights[end]
            if total >= ngram * chars:
                windows.append(hashes[start:end + 1])
                break
    if hashes and not windows:
        windows = [hashes]
    out = []
    for window in windows:
        value = window[0]
        for token in window[1:]:
            value = (value * SHINGLE_PRIME + token) & MASK
        out.append(value)
    return out


def one_permutation_signature(hashes: Sequence[int], num_perm: int, bin_salt: int, fill_salt: int) -> list[int]:
    bins = [EMPTY] * num_perm
    for value in hashes:
        mixed = mix64(value ^ bin_salt)
        slot = (mixed >> 32) % num_perm
        bins[slot] = min(bins[slot], mixed & 0xFFFFFFFF)
    if not hashes:
        return bins
    filled = list(bins)
    for slot in range(num_perm):
        attempt = 1
        while filled[slot] == EMPTY:
            donor = mix64(((slot * 0x9E3779B97F4A7C15) & MASK) + attempt + fill_salt) % num_perm
            if bins[donor] != EMPTY:
                filled[slot] = bins[donor]
            attempt += 1
    return filled


def candidate_pairs(keys: Sequence[Sequence[int]]) -> set[tuple[int, int]]:
    buckets: dict[int, list[int]] = {}
    for doc, row in enumerate(keys):
        for key in row:
            buckets.setdefault(key, []).append(doc)
    pairs = set()
    for members in buckets.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if members[x] != members[y]:
                    pairs.add((min(members[x], members[y]), max(members[x], members[y])))
    return pairs


def components(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """Union-find; each node labelled with the smallest node of its component."""
    parent = list(range(n))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return [find(node) for node in range(n)]


def jaccard_containment(a: set[int], b: set[int]) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


def member(values: Sequence[int], members: Sequence[int]) -> list[bool]:
    """Which ``values`` are among ``members``."""
    found = set(members)
    return [value in found for value in values]
