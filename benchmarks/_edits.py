"""Rewrite-style edits for the copy-rule benchmark (issue 15): what a copy desk does to a wire story.

Each edit takes a text (paragraphs separated by blank lines), a seeded ``random.Random`` and ``every``: the
edit touches one sentence (or quote) in every ``every``, at random positions. Only the last one drops
paragraphs (half of them, before changing words); the others keep the original's length.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

SENTENCE = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\u201d]))\s+(?=["\u201c]?[A-Z])')
_WORD = re.compile(r"[A-Za-z]{4,}")
_QUOTE = re.compile(r'(?<!\w)"([^"]{20,}?)"(?!\w)|\u201c([^\u201d]{20,}?)\u201d')

#: Word-for-word substitutes of the kind copy desks make (both directions are used).
SYNONYMS = {
    "said": "stated", "investors": "analysts", "funds": "liquidity", "company": "firm", "big": "large",
    "about": "around", "also": "additionally", "buy": "purchase", "sell": "dispose of", "rise": "increase",
    "fall": "decline", "expected": "anticipated", "government": "administration", "officials": "authorities",
    "shares": "stock", "profit": "earnings", "talks": "negotiations", "agreed": "consented", "plan": "proposal",
    "help": "assist", "begin": "start", "end": "finish", "show": "indicate", "told": "informed",
    "major": "leading", "market": "sector", "rate": "level", "cut": "reduce", "price": "cost",
    "total": "overall", "year": "twelve months", "week": "seven days", "month": "four weeks",
}
SYNONYMS |= {value: key for key, value in list(SYNONYMS.items()) if " " not in value}
#: Replacements for a changed word when no synonym is known.
_FILLERS = ["reported", "notable", "several", "recent", "overall", "current", "official", "separate"]


def _sentences(text: str) -> list[list[str]]:
    return [SENTENCE.split(paragraph) for paragraph in text.split("\n\n")]


def _join(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(sentences) for sentences in paragraphs)


def _each_nth(text: str, rng: random.Random, every: int, change: Callable[[str, random.Random], str]) -> str:
    """``change`` applied to one sentence in every ``every`` (a random phase, then every ``every``-th)."""
    paragraphs = _sentences(text)
    phase = rng.randrange(every)
    count = 0
    for sentences in paragraphs:
        for number, sentence in enumerate(sentences):
            if count % every == phase:
                sentences[number] = change(sentence, rng)
            count += 1
    return _join(paragraphs)


def _change_word(sentence: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(sentence))
    if not words:
        return sentence
    match = rng.choice(words)
    word = match.group(0)
    new = SYNONYMS.get(word.lower()) or rng.choice([w for w in _FILLERS if w != word.lower()])
    return sentence[:match.start()] + new + sentence[match.end():]


def _synonyms(sentence: str, rng: random.Random) -> str:
    """Every word of the sentence that has a synonym swapped (at least one word changed)."""
    swapped = re.sub(r"\b[a-z]+\b", lambda m: SYNONYMS.get(m.group(0), m.group(0)), sentence)
    return swapped if swapped != sentence else _change_word(sentence, rng)


def _cut_clause(sentence: str, rng: random.Random) -> str:
    """A clause between commas dropped ("The company, which ..., said" -> "The company said")."""
    parts = sentence.split(", ")
    if len(parts) < 2:
        return sentence
    drop = rng.randrange(1, len(parts))
    kept = parts[:drop] + parts[drop + 1:]
    result = ", ".join(kept)
    return result if result.endswith((".", "!", "?", '"')) else result + "."


def change_words(text: str, rng: random.Random, every: int) -> str:
    """One word changed (a synonym, else another word) in one sentence of every ``every``."""
    return _each_nth(text, rng, every, _change_word)


def synonyms(text: str, rng: random.Random, every: int) -> str:
    """Every word with a synonym swapped, in one sentence of every ``every``."""
    return _each_nth(text, rng, every, _synonyms)


def cut_clauses(text: str, rng: random.Random, every: int) -> str:
    """A clause cut from one sentence of every ``every``."""
    return _each_nth(text, rng, every, _cut_clause)


def reorder_sentences(text: str, rng: random.Random, every: int) -> str:
    """In one paragraph of every ``every`` that has two sentences or more, the sentences shuffled."""
    paragraphs = _sentences(text)
    movable = [number for number, sentences in enumerate(paragraphs) if len(sentences) > 1]
    for position, number in enumerate(movable):
        if position % every == 0:
            sentences = paragraphs[number]
            order = list(range(len(sentences)))
            while order == sorted(order):
                rng.shuffle(order)
            paragraphs[number] = [sentences[index] for index in order]
    return _join(paragraphs)


def paraphrase_quotes(text: str, rng: random.Random, every: int) -> str:
    """One direct quote of every ``every`` turned into reported speech: the quote marks dropped, "I"/"we"
    to "he"/"they", and a synonym swapped in."""
    count = 0

    def paraphrase(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if (count - 1) % every:
            return match.group(0)
        quote = match.group(1) or match.group(2)
        quote = re.sub(r"\bI\b", "he", re.sub(r"\bwe\b", "they", re.sub(r"\bWe\b", "They", quote)))
        return "that " + _synonyms(quote, rng)

    return _QUOTE.sub(paraphrase, text)


def cut_and_change_words(text: str, rng: random.Random, every: int) -> str:
    """The second half of the paragraphs cut (a reprint cut to fit), then ``change_words``: the case issue 15
    starts from, where the shingles alone can no longer tell."""
    paragraphs = text.split("\n\n")
    return change_words("\n\n".join(paragraphs[:max(1, (len(paragraphs) + 1) // 2)]), rng, every)


def rewrite(text: str, rng: random.Random, every: int) -> str:
    """All the edits above at once, each at its rate: a copy-desk rewrite."""
    for edit in (reorder_sentences, cut_clauses, paraphrase_quotes, synonyms, change_words):
        text = edit(text, rng, every)
    return text


EDITS: dict[str, Callable[[str, random.Random, int], str]] = {
    "word changed": change_words,
    "synonyms": synonyms,
    "clause cut": cut_clauses,
    "sentences reordered": reorder_sentences,
    "quotes paraphrased": paraphrase_quotes,
    "all of these": rewrite,
    "cut to half, word changed": cut_and_change_words,
}
