"""Verification: the one rule that says two articles are copies, and what the pair is to each other.

A pair is a copy when most of the shorter article is covered by text the two share, small edits tolerated. The
exact word-shingle sets decide the clear cases (the fast path, over arrays): Jaccard similarity from
``threshold``, or containment of the smaller set from ``containment``, make a copy; containment below
``ALIGN_FROM`` makes none. Between the two, where a word changed in every other sentence has broken too many
shingles to say, ``align.align`` decides: a copy when its passages (which tolerate changed words) cover at least
``containment`` of the shorter article: one threshold, whether shared text is counted in shingles or in aligned
words. (0.7 was tried: recall on rewritten copies rose by about one point, and two template-generated stock
articles of the SemEval negatives, identical but for the company's name, became copies.) Two articles are never
copies on fewer than ``min_shared_words`` shared words, so pages whose only text is a newsletter prompt stay
apart.

Boilerplate: text that many documents carry although they are otherwise different stories (a legal disclaimer
under every story of a feed) does not count. ``find_boilerplate`` finds it in a batch, without any site: a
shingle carried by at least ``boilerplate_docs`` documents is boilerplate when most of those documents have at
least ``min_shared_words`` words of their own (words no frequent shingle covers); thirty lightly edited copies
of one wire story have next to no words of their own (a changed word is covered by the shingles around it), so
their shared text still counts. The rule then runs on the shingle sets, and aligns the texts, without it.

The label is one of ``align.RELATIONSHIPS`` and comes from the same figures: ``duplicate``, ``reprint``,
``contained`` for copies; ``partial`` (shared passages only: related, never merged) and ``unrelated`` for the
rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .align import align
from .clean import Article
from .settings import Settings
from .shingle import Shingles, shingle

__all__ = ["ALIGN_FROM", "Boilerplate", "Relation", "ShingleSets", "copies", "decisions", "exact_duplicates",
           "find_boilerplate", "is_boilerplate", "min_exact_shingles", "overlap", "own_words", "relate",
           "relation", "shingle_rule", "substantial", "verify"]

#: Containment of the smaller shingle set below which a pair is not a copy without aligning the texts.
ALIGN_FROM = 0.3
#: Shared shingles from which a pair that is no copy is ``partial`` (about one eight-word passage).
_PARTIAL_SHINGLES = 4
#: A frequent shingle is boilerplate when at least this share of the documents carrying it have text of their own.
_OWN_SHARE = 0.5
#: From this many values on, ``_member`` looks them up in a bit table first; the table has at most 2**_TABLE_BITS
#: slots.
_TABLE_FROM = 4096
_TABLE_BITS = 24
#: From this many values on (a few hundred MiB), ``_maybe_repeated`` first counts them in at most 2**_BUCKET_BITS
#: buckets of their top bits, so as not to copy them all (below, one copy sorted costs less time).
_BUCKET_FROM = 1 << 23
_BUCKET_BITS = 22
#: ``_find`` looks values up this many at a time.
_LOOKUP_RUN = 1 << 16
#: Long arrays of values are looked up this many at a time (temporaries of a few MiB, not of the whole batch).
_CHUNK = 1 << 22


@dataclass(frozen=True, slots=True)
class Relation:
    """What two articles are to each other, by the verification rule.

    ``similarity`` and ``containment``: Jaccard similarity and containment (share of the smaller in the larger)
    of their shingle sets, boilerplate left out; ``shared_words``: about how many words of text they share;
    ``coverage``: the share of the shorter article inside aligned passages when the alignment decided (``None``
    when the shingles did); ``relationship``: one of ``align.RELATIONSHIPS``.
    """

    is_copy: bool
    relationship: str
    similarity: float
    containment: float
    shared_words: int
    coverage: float | None = None


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Shingle hashes (sorted, distinct) that do not count towards a copy."""

    hashes: np.ndarray

    @classmethod
    def empty(cls) -> Boilerplate:
        return cls(np.empty(0, dtype=np.uint64))

    def strip(self, values: np.ndarray) -> np.ndarray:
        """A sorted shingle set without the boilerplate."""
        if not len(self.hashes) or not len(values):
            return values
        kept: np.ndarray = values[~_member(values, self.hashes)]
        return kept

    def strip_text(self, text: str, ngram: int) -> str:
        """``text`` without the paragraphs most of whose shingles are boilerplate (what the alignment reads)."""
        if not len(self.hashes):
            return text
        paragraphs = text.split("\n\n")
        found = shingle(paragraphs, ngram=ngram)
        kept = [paragraph for number, paragraph in enumerate(paragraphs)
                if not len(found.of(number)) or _member(found.of(number), self.hashes).mean() < 0.5]
        return "\n\n".join(kept)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which ``values`` are in ``sorted_set`` (a boolean mask)."""
    found = np.zeros(len(values), dtype=bool)
    found[_find(values, sorted_set)[0]] = True
    return found


def _find(values: np.ndarray, sorted_set: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``values`` are in ``sorted_set``: (the ascending positions in ``values`` of those that are, and the
    index of each in ``sorted_set``). Many values are looked up by their top hash bits: a bit table says which may
    be in the set, and a directory where the members with those bits start."""
    if not len(sorted_set) or not len(values):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if len(values) < _TABLE_FROM or values.dtype != np.uint64 or sorted_set.dtype != np.uint64:
        # a value above the whole set gets the slot past its end, clipped to its last (smaller) member: not equal
        slots = np.searchsorted(sorted_set, values)
        hit = sorted_set.take(slots, mode="clip") == values
        return np.flatnonzero(hit), slots[hit]
    bits = min(_TABLE_BITS, max(16, int(len(sorted_set)).bit_length() + 4))  # at least 16 slots per member
    shift = np.uint64(64 - bits)
    counts = np.bincount((sorted_set >> shift).view(np.int64), minlength=1 << bits)  # the top bits as indexes
    starts = np.cumsum(counts) - counts
    found = [_find_run(values[start:start + _LOOKUP_RUN], start, sorted_set, shift, counts > 0, starts, counts)
             for start in range(0, len(values), _LOOKUP_RUN)]  # temporaries that stay in the cache
    return np.concatenate([where for where, _slots in found]), np.concatenate([slots for _where, slots in found])


def _find_run(values: np.ndarray, first: int, sorted_set: np.ndarray, shift: np.uint64, table: np.ndarray,
              starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_find`` of a run of values (``first``: its position) through the bit ``table`` and the directory of the
    set's members by top bits (``starts``, ``counts``): each value compared with the members of its bits, the
    first of them, then the next while some remain."""
    top = (values >> shift).view(np.int64)
    maybe = np.flatnonzero(table.take(top))
    wanted, top = values[maybe], top[maybe]
    slots, left = starts.take(top), counts.take(top)
    hit = sorted_set.take(slots) == wanted
    step = 1
    while len(untried := np.flatnonzero(~hit & (left > step))):
        later = slots[untried] + step
        equal = sorted_set.take(later) == wanted[untried]
        slots[untried[equal]], hit[untried[equal]] = later[equal], True
        step += 1
    return first + maybe[hit], slots[hit]


def _repeated(values: np.ndarray, least: int) -> np.ndarray:
    """The distinct values that ``values`` holds at least ``least`` (2 or more) times, sorted."""
    ordered = np.sort(values)
    reach = least - 1  # in sorted order, a value held ``least`` times equals the value ``reach`` places on
    if len(ordered) <= reach:
        return ordered[:0]
    return sorted_unique(ordered[:-reach][ordered[:-reach] == ordered[reach:]])


def _maybe_repeated(values: np.ndarray, least: int) -> np.ndarray | None:
    """Positions in ``values`` (ascending) of all those it may hold ``least`` times: ``None`` (every position) for
    a small array; for a large one, those whose top bits are in a bucket that ``least`` values fall in (counted run
    by run, without a copy of the whole array)."""
    if len(values) < max(_BUCKET_FROM, 1) or values.dtype != np.uint64:
        return None
    bits = min(_BUCKET_BITS, len(values).bit_length())
    shift = np.uint64(64 - bits)
    counts = np.zeros(1 << bits, dtype=np.int64)
    runs = range(0, len(values), _CHUNK)
    for start in runs:
        counts += np.bincount((values[start:start + _CHUNK] >> shift).view(np.int64), minlength=1 << bits)
    full = counts >= least
    return np.concatenate([start + np.flatnonzero(full[(values[start:start + _CHUNK] >> shift).view(np.int64)])
                           for start in runs])


def find_boilerplate(shingles: Shingles, settings: Settings) -> Boilerplate:
    """The boilerplate of a batch (``shingles`` of distinct texts, in text order): shingles carried by at least
    ``settings.boilerplate_docs`` documents, most of which have ``min_shared_words`` words of their own."""
    return _boilerplate_at(shingles, settings)[0]


def _boilerplate_at(shingles: Shingles, settings: Settings) -> tuple[Boilerplate, np.ndarray]:
    """``find_boilerplate``, and the positions of ``shingles`` that carry it (ascending)."""
    least, nothing = settings.boilerplate_docs, np.empty(0, dtype=np.int64)
    if len(shingles) < least:
        return Boilerplate.empty(), nothing
    maybe = _maybe_repeated(shingles.hashes, least)
    values = shingles.hashes if maybe is None else shingles.hashes[maybe]
    repeated = _repeated(values, least)  # carried by ``least`` documents, or held that many times
    if not len(repeated):
        return Boilerplate.empty(), nothing
    found, which = _find(values, repeated)
    del values
    positions = found if maybe is None else maybe[found]
    doc = np.searchsorted(shingles.offsets, positions, side="right") - 1
    # each (document, repeated shingle) it carries: far fewer than all shingles
    carrier, value = np.divmod(sorted_unique(doc * len(repeated) + which), len(repeated))
    carriers = np.bincount(value, minlength=len(repeated))
    frequent = carriers >= least
    covered = frequent[which]
    own = _own_words(shingles.offsets, positions[covered], doc[covered], settings.ngram)
    counted = frequent[value] & (own[carrier] >= settings.min_shared_words)
    with_own = np.bincount(value[counted], minlength=len(repeated))
    boilerplate = frequent & is_boilerplate(carriers, with_own)
    return Boilerplate(repeated[boilerplate]), positions[boilerplate[which]]


def is_boilerplate(carriers: np.ndarray, with_own: np.ndarray) -> np.ndarray:
    """Which frequent shingles are boilerplate (a boolean mask), from the documents carrying each (``carriers``)
    and how many of those have words of their own (``with_own``)."""
    return np.asarray(with_own >= _OWN_SHARE * carriers)


def own_words(shingles: Shingles, frequent: np.ndarray, ngram: int) -> np.ndarray:
    """For each document, its words that no ``frequent`` shingle covers (a shingle covers its ``ngram`` words)."""
    positions = _find(shingles.hashes, frequent)[0]
    return _own_words(shingles.offsets, positions, np.searchsorted(shingles.offsets, positions, side="right") - 1,
                      ngram)


def _own_words(offsets: np.ndarray, positions: np.ndarray, doc: np.ndarray, ngram: int) -> np.ndarray:
    """``own_words`` given the ascending shingle ``positions`` of the batch that are frequent and the document
    of each. The shingle at position p covers words p .. p + ngram - 1 (of its document, counted from its first
    shingle); the words the frequent ones cover are the union of those runs: each run up to where the next one
    of its document starts."""
    counts = np.diff(offsets.astype(np.int64))
    own = np.where(counts > 0, counts + ngram - 1, 0)
    if not len(positions):
        return own
    covers = np.full(len(positions), ngram, dtype=np.int64)
    same_doc = doc[1:] == doc[:-1]
    covers[:-1][same_doc] = np.minimum(ngram, np.diff(positions)[same_doc])
    return own - np.bincount(doc, weights=covers, minlength=len(counts)).astype(np.int64)


def exact_duplicates(texts: Sequence[str], sizes: np.ndarray, codes: np.ndarray, min_shingles: int = 1) -> np.ndarray:
    """For each text, the index of the first text equal to it (itself when it is the first); texts with fewer
    than ``min_shingles`` shingles even counting repeats (``sizes``: none, or a newsletter prompt alone) are
    never taken for one (``substantial`` then counts the distinct shingles of the others). ``codes``: ``hash``
    of each text."""
    n = len(texts)
    first_copy = np.arange(n, dtype=np.int64)
    if n < 2:
        return first_copy
    order = np.argsort(codes, kind="stable")  # equal codes keep ascending indexes
    sorted_codes = codes[order]
    run_start = np.ones(n, dtype=bool)
    np.not_equal(sorted_codes[1:], sorted_codes[:-1], out=run_start[1:])
    leader = order[np.maximum.accumulate(np.where(run_start, np.arange(n), 0))]
    first_copy[order] = leader
    for index in np.flatnonzero(first_copy != np.arange(n)).tolist():  # equal hashes: check the texts
        if sizes[index] < min_shingles or texts[index] != texts[first_copy[index]]:
            first_copy[index] = index
    return first_copy


class ShingleSets:
    """Sorted unique shingle hashes per document of ``texts``, boilerplate left out: those of the candidate pairs'
    documents computed together (``for_pairs``), any other's when first asked for. An exact copy shares its first
    occurrence's set (``first_copy``: the first occurrence of each text)."""

    def __init__(self, texts: Sequence[str], sets: dict[int, np.ndarray], *, ngram: int = 5,
                 first_copy: np.ndarray | None = None, boilerplate: Boilerplate | None = None) -> None:
        self._texts, self._ngram, self._first_copy = texts, ngram, first_copy
        self.boilerplate = boilerplate or Boilerplate.empty()
        self._cache = sets
        self._relations: dict[tuple[int, int], Relation] = {}
        self._measured: list[_Measured] = []

    @classmethod
    def for_pairs(cls, texts: Sequence[str], pairs: np.ndarray, settings: Settings,
                  first_copy: np.ndarray | None = None) -> ShingleSets:
        """The sets of the documents of the candidate ``pairs``, computed together, without the boilerplate
        they show (``find_boilerplate``)."""
        needed = sorted_unique(pairs.ravel()).tolist()
        shingles = shingle([texts[index] for index in needed], ngram=settings.ngram)
        boilerplate, carried = _boilerplate_at(shingles, settings)
        return cls(texts, dict(zip(needed, _sets_without(shingles, carried), strict=True)), ngram=settings.ngram,
                   first_copy=first_copy, boilerplate=boilerplate)

    def _first(self, index: int) -> int:
        return index if self._first_copy is None else int(self._first_copy[index])

    def __getitem__(self, index: int) -> np.ndarray:
        index = self._first(index)
        if index not in self._cache:
            self.prefetch([index])
        return self._cache[index]

    def prefetch(self, indexes: Sequence[int]) -> None:
        """Compute the sets of these documents that are not known yet, together (one ``shingle`` call over all
        of them costs far less than one per document)."""
        missing = sorted({i for i in map(self._first, indexes) if i not in self._cache})
        if missing:
            shingles = shingle([self._texts[i] for i in missing], ngram=self._ngram)
            for row, index in enumerate(missing):
                self._cache[index] = self.boilerplate.strip(sorted_unique(shingles.of(row)))

    def measured_pair(self, i: int, j: int) -> bool:
        """Whether the relation of documents ``i`` and ``j`` is known (measured, or the same document)."""
        i, j = self._first(i), self._first(j)
        key = (i, j) if i < j else (j, i)
        if i == j or key in self._relations:
            return True
        figures = self._figures(key)
        return figures is not None and figures.decided is not None

    def size(self, index: int) -> int:
        """The number of distinct shingles of a document (boilerplate aside)."""
        return len(self[index])

    def remember(self, relations: dict[tuple[int, int], Relation]) -> None:
        """Take relations measured elsewhere (by another process, on the same texts)."""
        self._relations.update(relations)

    def relation(self, i: int, j: int, settings: Settings) -> Relation:
        """``relation`` of documents ``i`` and ``j`` (their texts aligned when the shingles cannot tell),
        remembered."""
        i, j = self._first(i), self._first(j)
        key = (i, j) if i < j else (j, i)
        found = self._relations.get(key)
        if found is None:
            figures, texts = self._figures(key), self._texts_of(i, j)
            if figures is None:
                found = relation(self[i], self[j], settings, texts)
            elif figures.decided is None:
                found = figures.aligned(texts(), settings)
            else:
                found = figures.relation(settings)
            self._relations[key] = found
        return found

    def keys(self, pairs: np.ndarray) -> np.ndarray:
        """The pairs as the sets know them: each document as its first exact copy, the smaller first."""
        firsts = pairs if self._first_copy is None else self._first_copy[pairs]
        return np.sort(firsts.reshape(-1, 2), axis=1)

    def shared(self, keys: np.ndarray) -> np.ndarray:
        """The number of shingles each pair of ``keys`` shares (boilerplate aside)."""
        return np.fromiter((_common(self[i], self[j]) for i, j in keys.tolist()), dtype=np.int64, count=len(keys))

    def measure(self, keys: np.ndarray, shared: np.ndarray, settings: Settings) -> np.ndarray:
        """Take the figures of the pairs ``keys`` (from ``keys``) sharing ``shared`` shingles (from ``shared``, in
        any process); returns which of them only the alignment can decide (a boolean mask)."""
        sizes = {index: self.size(index) for index in np.unique(keys).tolist()}
        first = np.fromiter((sizes[index] for index in keys[:, 0].tolist()), dtype=np.int64, count=len(keys))
        second = np.fromiter((sizes[index] for index in keys[:, 1].tolist()), dtype=np.int64, count=len(keys))
        measured = _Measured.of(keys, shared, first, second, settings)
        self._measured.append(measured)
        undecided: np.ndarray = measured.decided[measured.order] < 0
        return undecided

    def copies(self, pairs: np.ndarray, settings: Settings) -> np.ndarray:
        """Which of the ``pairs`` are copies (a boolean mask); those measured and decided on their shingles are
        looked up all at once."""
        keys = self.keys(pairs)
        found = np.zeros(len(keys), dtype=np.int8) - 1
        for measured in self._measured:
            rows, known = measured.rows(keys)
            found[known] = np.where(found[known] < 0, measured.decided[rows[known]], found[known])
        for number in np.flatnonzero(found < 0).tolist():
            i, j = keys[number].tolist()
            found[number] = self.relation(i, j, settings).is_copy
        return found.astype(bool)

    def relations(self, pairs: np.ndarray, settings: Settings) -> dict[tuple[int, int], Relation]:
        """``relation`` of each pair, by the pair's key (for ``remember`` in another process)."""
        found = {}
        for i, j in pairs.tolist():
            i, j = self._first(i), self._first(j)
            found[(i, j) if i < j else (j, i)] = self.relation(i, j, settings)
        return found

    def _figures(self, key: tuple[int, int]) -> _Figures | None:
        for measured in self._measured:
            figures = measured.figures(key)
            if figures is not None:
                return figures
        return None

    def overlap(self, i: int, j: int) -> tuple[float, float]:
        """``overlap`` of the sets of documents ``i`` and ``j``."""
        i, j = self._first(i), self._first(j)
        found = self._relations.get((i, j) if i < j else (j, i))
        return (found.similarity, found.containment) if found is not None else overlap(self[i], self[j])

    def _texts_of(self, i: int, j: int) -> Callable[[], tuple[str, str]]:
        texts = self._texts
        return lambda: (self.boilerplate.strip_text(texts[i], self._ngram),
                        self.boilerplate.strip_text(texts[j], self._ngram))


def _sets_without(shingles: Shingles, carried: np.ndarray) -> list[np.ndarray]:
    """The sorted distinct shingles of each document without those at the positions ``carried`` (ascending)."""
    if not len(carried):
        return [sorted_unique(shingles.of(row)) for row in range(len(shingles))]
    dropped = np.zeros(len(shingles.hashes), dtype=bool)
    dropped[carried] = True
    carrying = np.zeros(len(shingles), dtype=bool)
    carrying[np.searchsorted(shingles.offsets, carried, side="right") - 1] = True
    bounds = shingles.offsets.tolist()
    return [sorted_unique(shingles.hashes[start:end][~dropped[start:end]] if carries else shingles.hashes[start:end])
            for start, end, carries in zip(bounds[:-1], bounds[1:], carrying.tolist(), strict=True)]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` without its overhead (it matters when called once per document) and by sorting (numpy's
    hash-based ``unique`` is several times slower on millions of values)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Exact Jaccard similarity and containment (share of the smaller set in the larger) of two sorted sets."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    common = _common(a, b)
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


#: ``_common`` sorts the two sets together unless the larger is this many times the smaller.
_SORT_RATIO = 8


def _common(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted sets share: equal neighbours once sorted together (numpy's vectorised sort of a
    thousand values costs less than as many binary searches), or the smaller set's values looked up in a much
    larger one."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) > _SORT_RATIO * len(a):
        return int(np.count_nonzero(_member(a, b)))
    merged = np.concatenate((a, b))
    merged.sort()
    return int(np.count_nonzero(merged[1:] == merged[:-1]))


def shingle_rule(jaccard: float, contained: float, common: int, smaller: int, settings: Settings) -> bool | None:
    """The fast path of the rule: ``True`` (a copy), ``False`` (not), or ``None`` when only the alignment can
    tell. ``common``: shared shingles; ``smaller``: shingles of the smaller set."""
    if _shared_words(common, settings.ngram) < settings.min_shared_words:
        return False
    if jaccard >= settings.threshold:
        return True
    if settings.containment is None or smaller < settings.min_shingles:
        return False
    if contained >= settings.containment:
        return True
    return None if contained >= ALIGN_FROM else False


def relation(a: np.ndarray, b: np.ndarray, settings: Settings,
             texts: Callable[[], tuple[str, str]] | None = None) -> Relation:
    """The rule on two sorted shingle sets (boilerplate already left out). ``texts`` gives the two texts for the
    alignment of a borderline pair; without it such a pair is not a copy."""
    figures = _Figures.of(a, b, settings)
    if figures.decided is None and texts is not None:
        return figures.aligned(texts(), settings)
    return figures.relation(settings)


@dataclass(frozen=True, slots=True)
class _Figures:
    """The shingle figures of a pair and what the fast path of the rule says of them (``None``: align)."""

    jaccard: float
    contained: float
    common: int
    larger: int
    decided: bool | None

    @classmethod
    def of(cls, a: np.ndarray, b: np.ndarray, settings: Settings) -> _Figures:
        jaccard, contained = overlap(a, b)
        smaller, larger = sorted((len(a), len(b)))
        common = round(contained * smaller)
        return cls(jaccard, contained, common, larger, shingle_rule(jaccard, contained, common, smaller, settings))

    def relation(self, settings: Settings) -> Relation:
        """The relation when the shingles decide (a borderline pair is then not a copy)."""
        copy = bool(self.decided)
        return Relation(copy, _label(copy, self.jaccard, self.common, self.larger, settings), round(self.jaccard, 4),
                        round(self.contained, 4), _shared_words(self.common, settings.ngram))

    def aligned(self, texts: tuple[str, str], settings: Settings) -> Relation:
        """The relation of a borderline pair by the alignment of its two texts."""
        found = align(*texts)
        coverage = max(found.containment_a, found.containment_b)
        copy = coverage >= (settings.containment or 1.0)
        label = found.relationship if copy else ("partial" if found.spans else "unrelated")
        return Relation(copy, label, round(self.jaccard, 4), round(self.contained, 4),
                        _shared_words(self.common, settings.ngram), round(coverage, 4))


def decisions(jaccard: np.ndarray, contained: np.ndarray, common: np.ndarray, smaller: np.ndarray,
              settings: Settings) -> np.ndarray:
    """``shingle_rule`` of many pairs at once: 1 (a copy), 0 (not), -1 (only the alignment can tell)."""
    decided = np.zeros(len(common), dtype=np.int8)
    if settings.containment is not None:
        decided[contained >= ALIGN_FROM] = -1
        decided[contained >= settings.containment] = 1
        decided[smaller < settings.min_shingles] = 0
    decided[jaccard >= settings.threshold] = 1
    decided[np.where(common > 0, common + settings.ngram - 1, 0) < settings.min_shared_words] = 0
    return decided


@dataclass(frozen=True, slots=True)
class _Measured:
    """The shingle figures of many pairs and what the fast path of the rule says of each, in the order of their
    codes (``i << 32 | j``) for lookups."""

    codes: np.ndarray
    order: np.ndarray  # for each pair as given, its row here
    jaccard: np.ndarray
    contained: np.ndarray
    common: np.ndarray
    larger: np.ndarray
    decided: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, shared: np.ndarray, first: np.ndarray, second: np.ndarray,
           settings: Settings) -> _Measured:
        codes = _codes(keys)
        sort = np.argsort(codes, kind="stable")
        order = np.empty_like(sort)
        order[sort] = np.arange(len(sort))
        common, smaller, larger = shared[sort], np.minimum(first, second)[sort], np.maximum(first, second)[sort]
        union = smaller + larger - common
        jaccard = np.divide(common, union, out=np.zeros(len(common)), where=(smaller > 0) & (union > 0))
        contained = np.divide(common, smaller, out=np.zeros(len(common)), where=smaller > 0)
        return cls(codes[sort], order, jaccard, contained, common, larger,
                   decisions(jaccard, contained, common, smaller, settings))

    def rows(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The row of each pair of ``keys`` here, and whether it is here at all."""
        codes = _codes(keys)
        rows = np.searchsorted(self.codes, codes)
        return rows, self.codes.take(rows, mode="clip") == codes

    def figures(self, key: tuple[int, int]) -> _Figures | None:
        """The figures of one pair, if it is here."""
        code = key[0] << 32 | key[1]
        row = int(np.searchsorted(self.codes, code))
        if row == len(self.codes) or int(self.codes[row]) != code:
            return None
        decided = int(self.decided[row])
        return _Figures(float(self.jaccard[row]), float(self.contained[row]), int(self.common[row]),
                        int(self.larger[row]), None if decided < 0 else bool(decided))


def _codes(keys: np.ndarray) -> np.ndarray:
    return (keys[:, 0].astype(np.int64) << 32) | keys[:, 1].astype(np.int64)


def substantial(indexes: np.ndarray, sets: ShingleSets, settings: Settings) -> np.ndarray:
    """Which of the documents ``indexes`` keep ``min_exact_shingles`` distinct shingles once the batch's
    boilerplate is left out (a boolean mask): an exact copy is merged as the rule would merge the pair (an exact
    copy of a page that is nothing but a disclaimer is no copy of a story)."""
    least = min_exact_shingles(settings)
    sets.prefetch(indexes.tolist())
    return np.fromiter((sets.size(index) >= least for index in indexes.tolist()), dtype=bool, count=len(indexes))


def min_exact_shingles(settings: Settings) -> int:
    """Distinct shingles an exact copy needs to be merged, as the rule needs them shared by any pair:
    ``min_shared_words`` words' worth."""
    return max(1, settings.min_shared_words - settings.ngram + 1)


def _shared_words(common: int, ngram: int) -> int:
    return common + ngram - 1 if common else 0


def _label(copy: bool, jaccard: float, common: int, larger: int, settings: Settings) -> str:
    if not copy:
        return "partial" if common >= _PARTIAL_SHINGLES else "unrelated"
    if jaccard >= 0.999:
        return "duplicate"
    if jaccard >= settings.threshold or common >= 0.8 * larger:
        return "reprint"
    return "contained"


def relate(a: str | Article, b: str | Article, settings: Settings | None = None, *,
           boilerplate: Boilerplate | None = None) -> Relation:
    """Whether two articles are copies and what they are to each other: the rule every engine applies, for one
    pair (``compare``). ``boilerplate``: text not to count (e.g. ``find_boilerplate`` of their batch)."""
    settings = settings or Settings()
    text_a = a.text if isinstance(a, Article) else a
    text_b = b.text if isinstance(b, Article) else b
    strip = boilerplate or Boilerplate.empty()
    found = shingle([text_a, text_b], ngram=settings.ngram)
    set_a, set_b = (strip.strip(sorted_unique(found.of(index))) for index in (0, 1))
    return relation(set_a, set_b, settings,
                    lambda: (strip.strip_text(text_a, settings.ngram), strip.strip_text(text_b, settings.ngram)))


def verify(pairs: np.ndarray, sets: ShingleSets | Sequence[np.ndarray], settings: Settings) -> np.ndarray:
    """The candidate pairs that the rule keeps (``ShingleSets`` remember each pair's relation, for the clusters'
    members)."""
    kept: np.ndarray = pairs[copies(pairs, sets, settings)]
    return kept


def copies(pairs: np.ndarray, sets: ShingleSets | Sequence[np.ndarray], settings: Settings) -> np.ndarray:
    """Which of the pairs are copies (a boolean mask). Plain shingle sets have no texts to align: a borderline
    pair among them is not a copy."""
    if isinstance(sets, ShingleSets):
        return sets.copies(pairs, settings)
    found = (relation(sets[i], sets[j], settings).is_copy for i, j in pairs.tolist())
    return np.fromiter(found, dtype=bool, count=len(pairs))
