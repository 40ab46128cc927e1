"""Which lines of a text hold one of a set of literal strings (the plain-text cleaner's screen).

Two ways that give the same lines (tested): ``by_find`` looks for each literal once in the whole text with
``str.find`` and maps its few occurrences to their lines; ``by_windows`` hashes every 4-byte window of the text's
UTF-8 bytes at once with numpy and checks only the windows hashed like a literal's first four bytes (a few dozen
in a page dump). ``lines_holding`` takes the second from ``LONG`` characters on, where it costs less.

For one line, ``any_of`` gives a regular expression whose ``search`` tells whether the line holds one of a set of
literals, as ``any(literal in line ...)`` does (tested), for a fraction of the cost: the literals as a trie.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

__all__ = ["LONG", "Literals", "any_of", "by_find", "by_windows", "by_windows_each", "lines_holding",
           "lines_holding_each"]

#: Characters from which ``by_windows`` costs less than ``by_find`` (below, its arrays' fixed cost is more).
LONG = 600


def _window_hash(windows: np.ndarray) -> np.ndarray:
    """A 16-bit hash of 4-byte windows (multiply-shift, wrapping in 32 bits)."""
    hashed: np.ndarray = (windows * np.uint32(0x9E3779B1)) >> np.uint32(16)
    return hashed


@dataclass(frozen=True, slots=True, eq=False)
class Literals:
    """Literal strings ready for ``by_windows``: ``first`` marks the hashes of their first four UTF-8 bytes,
    ``by_first`` gives the literals by those bytes, ``short`` holds those under four bytes."""

    words: tuple[str, ...]
    first: np.ndarray
    by_first: dict[int, tuple[bytes, ...]]
    short: tuple[bytes, ...]

    @classmethod
    def of(cls, words: tuple[str, ...]) -> Literals:
        first = np.zeros(1 << 16, dtype=bool)
        by_first: dict[int, list[bytes]] = {}
        short = []
        for word in words:
            data = word.encode("utf-8")
            if len(data) < 4:
                short.append(data)
                continue
            window = int.from_bytes(data[:4], "little")
            by_first.setdefault(window, []).append(data)
            first[int(_window_hash(np.array([window], dtype=np.uint32))[0])] = True
        return cls(words, first, {window: tuple(found) for window, found in by_first.items()}, tuple(short))


def lines_holding(text: str, literals: Literals) -> set[int]:
    """The numbers of the lines of ``text`` that hold one of ``literals``."""
    return by_windows(text, literals) if len(text) >= LONG else by_find(text, literals.words)


def lines_holding_each(text: str, sets: tuple[Literals, ...]) -> list[set[int]]:
    """``lines_holding`` of each of ``sets`` in one text (the windows of a long text hashed once for all)."""
    if len(text) >= LONG:
        return by_windows_each(text, sets)
    return [by_find(text, literals.words) for literals in sets]


def by_find(text: str, words: tuple[str, ...]) -> set[int]:
    """``lines_holding`` with ``str.find``: each literal looked for once in the whole text."""
    present = [word for word in words if word in text]
    if not present:
        return set()
    starts = list(accumulate(map(len, text.split("\n")), lambda at, size: at + size + 1, initial=0))
    hits = set()
    for word in present:
        at = text.find(word)
        while at >= 0:
            line = bisect_right(starts, at) - 1
            hits.add(line)
            at = text.find(word, starts[line + 1])
    return hits


def by_windows(text: str, literals: Literals) -> set[int]:
    """``lines_holding`` with numpy: every 4-byte window hashed at once, the few that may open a literal checked."""
    return by_windows_each(text, (literals,))[0]


def by_windows_each(text: str, sets: tuple[Literals, ...]) -> list[set[int]]:
    """``by_windows`` of each of ``sets``, the windows hashed once."""
    data = text.encode("utf-8", "surrogatepass")
    size = len(data) - 3
    if size <= 0:
        return [by_find(text, literals.words) for literals in sets]
    raw = np.frombuffer(data, dtype=np.uint8)
    windows = np.ndarray((size,), dtype="<u4", buffer=data, strides=(1,))  # the 4 bytes at each offset, no copy
    hashed = _window_hash(windows)
    return [_lines_found(data, raw, windows, hashed, literals) for literals in sets]


def _lines_found(data: bytes, raw: np.ndarray, windows: np.ndarray, hashed: np.ndarray, literals: Literals) -> set[int]:
    """The lines of ``data`` (its bytes ``raw``, 4-byte ``windows`` and their ``hashed``) holding one of
    ``literals``."""
    candidates = np.flatnonzero(literals.first[hashed])
    by_first = literals.by_first
    found = [at for at, window in zip(candidates.tolist(), windows[candidates].tolist(), strict=True)
             if data.startswith(by_first.get(window, ()), at)]
    for literal in literals.short:
        at = data.find(literal)
        while at >= 0:
            found.append(at)
            at = data.find(literal, at + 1)
    if not found:
        return set()
    newlines = np.flatnonzero(raw == 0x0A)
    return set(np.searchsorted(newlines, np.array(found, dtype=np.int64)).tolist())


_Trie = dict[str, "_Trie"]  # a character -> the trie of what may follow it; "" marks the end of a word


def any_of(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that ``search`` finds in a text when the text holds one of ``words`` (case as given). The words
    are a trie: at each position of the text the regular expression tries the few branches of its character, not
    every word (``any(map(text.__contains__, words))`` costs a call per word: four times as much on a short line).
    A word that holds a shorter one is left out: the shorter one is found first."""
    trie: _Trie = {}
    for word in sorted(set(words)):  # a word sorts before the words it is a prefix of
        node = trie
        for char in word:
            if "" in node:
                break  # a prefix of this word is a word
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}
    return re.compile(_alternatives(trie) if trie else "(?!)")  # no words: nothing is found


def _alternatives(node: _Trie) -> str:
    if "" in node:
        return ""
    branches = [re.escape(char) + _alternatives(child) for char, child in node.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
