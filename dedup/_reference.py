"""Slow, obvious implementations of the fast paths, used by the tests as oracles. Not part of the API."""

from __future__ import annotations

from collections.abc import Sequence

from .shingle import _SPELLING_PAIRS

MASK = (1 << 64) - 1
TOKEN_PRIME = 0x100000001B3
SHINGLE_PRIME = 0x9E3779B97F4A7C15
EMPTY = 0xFFFFFFFF


def mix64(value: int) -> int:
    value &= MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


def is_word_char(char: str) -> bool:
    code = ord(char)
    if code < 0x80:
        return char.isascii() and char.isalnum()
    return not (0x80 <= code <= 0xBF or 0x2000 <= code <= 0x207F)


def tokens(text: str) -> list[str]:
    out, current = [], []
    for char in text.lower():
        if is_word_char(char):
            current.append(char)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


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
    hashes = [token_hash(_SPELLING.get(token, token)) for token in tokens(text)]
    if not hashes:
        return []
    if len(hashes) < ngram:
        windows = [hashes]
    else:
        windows = [hashes[start:start + ngram] for start in range(len(hashes) - ngram + 1)]
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
