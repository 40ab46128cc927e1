"""The batch boilerplate rule (``verify.find_boilerplate``) kept up to date in the index's SQLite file.

Batch ``cluster`` counts a shingle's carriers over the distinct texts that are in an LSH candidate pair (the
*pool*): a shingle carried by ``boilerplate_docs`` of them is frequent, and a frequent shingle is boilerplate when
at least half of its carriers have ``min_shared_words`` words of their own (words no frequent shingle covers). The
index keeps the same figures while articles come and go, in these tables (``SCHEMA``):

    carriers   the distinct texts (by ``code``, a hash of the text) that are in the pool, or stored more than once
               (an exact copy is merged only when enough of it is not boilerplate); for a pooled text carrying a
               frequent shingle, its own words
    carried    (shingle, code) for each pooled text, in two tables as the band keys are (``Index._merge_bands``):
               new rows go to a small one, moved to the large one, sorted, every ``_RECENT_LIMIT`` rows
    copied     the same for the texts stored more than once that are not pooled
    frequent   the shingles carried by ``boilerplate_docs`` pooled texts or more, and whether each is boilerplate
    bounds     per shingle, an upper bound of its rows in ``carried`` (``_Bounds``): only the shingles whose
               bound reaches ``boilerplate_docs`` are counted in ``carried``

A write tells ``Carriers.update`` which texts may have changed (``Change``): those sharing a band key with an
article sketched now (they are in the pool), and those that lost an article or a band-key neighbour (looked at
again). ``update`` counts again the shingles of the texts that entered or left the pool, works out the own words
of the pooled texts whose frequent shingles changed, decides again the frequent shingles whose carriers or their
own words changed, and returns the stored articles whose shingle sets, boilerplate left out, have changed: the
index verifies their pairs again. Only articles in a candidate pair or stored twice can have verified pairs, so
an article that is neither needs no tracking.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from . import storage
from .settings import Settings
from .shingle import shingle
from .verify import Boilerplate, is_boilerplate, min_exact_shingles, own_words, sorted_unique

__all__ = ["SCHEMA", "Carriers", "Change", "text_code"]

#: Rows held in ``carried_recent`` before they move to ``carried``.
_RECENT_LIMIT = 1_000_000
#: The pooled carriers of the shingles in a JSON array (``json_each``), in both tables.
_POOLED = ("(SELECT c.hash, c.code FROM json_each(?) s JOIN carried c ON c.hash = s.value UNION ALL "
           "SELECT c.hash, c.code FROM json_each(?) s JOIN carried_recent c ON c.hash = s.value)")

#: Counters of ``_Bounds`` per hash piece (two pieces a shingle), and per row of ``bounds``.
_BOUND_WIDTH = 1 << 21
_CHUNK = 1 << 10
_FULL = 0xFFFF
#: Pooled texts from which the bounds are kept (below, ``_count`` counts every shingle: few, and no 8 MiB table).
_BOUNDS_FROM = 2_000
#: The chunk of ``bounds`` that says the counters were built, and how (``_layout``; a file written before has none).
_BUILT = -1
_BOUNDS_TABLE = """CREATE TABLE IF NOT EXISTS bounds (   -- upper bounds of each shingle's carried rows (_Bounds)
    chunk INTEGER PRIMARY KEY,
    counters BLOB NOT NULL                  -- _CHUNK uint16 counters, little-endian
)"""

SCHEMA = f"""
CREATE TABLE carriers (                     -- boilerplate: distinct texts in a candidate pair or stored twice
    code INTEGER PRIMARY KEY,               -- sketches.code
    pooled INTEGER NOT NULL,                -- 1: in an LSH candidate pair with another text
    own INTEGER                             -- pooled and carrying a frequent shingle: its words no frequent one covers
);
CREATE TABLE carried (hash INTEGER NOT NULL, code INTEGER NOT NULL, PRIMARY KEY (hash, code)) WITHOUT ROWID;
CREATE TABLE carried_recent (hash INTEGER NOT NULL, code INTEGER NOT NULL, PRIMARY KEY (hash, code)) WITHOUT ROWID;
CREATE TABLE copied (hash INTEGER NOT NULL, code INTEGER NOT NULL, PRIMARY KEY (hash, code)) WITHOUT ROWID;
CREATE TABLE frequent (                     -- shingles carried by boilerplate_docs pooled texts or more
    hash INTEGER PRIMARY KEY,
    boilerplate INTEGER NOT NULL
);
CREATE INDEX frequent_boilerplate ON frequent (hash) WHERE boilerplate = 1;
{_BOUNDS_TABLE};
"""

def text_code(text: str, count: int, seq: int, settings: Settings) -> int:
    """The code of a stored text: equal texts, equal codes (64 bits of BLAKE2b), as batch ``cluster`` takes equal
    texts for one; a text too short to be merged as an exact copy (``verify.min_exact_shingles``) is its own,
    as in batch."""
    data = text.encode("utf-8", "surrogatepass")
    if count < min_exact_shingles(settings):
        data += b"\0" + str(seq).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


@dataclass
class Change:
    """What a write may have changed: ``pooled``, codes now surely in the pool (they share a band key with
    another text); ``recheck``, codes to look at again (an article added, changed or removed, or a band-key
    neighbour gone); ``settled``, codes whose every band-key neighbour is known (an article sketched now has
    them); ``old_sets``, the shingle sets of codes whose articles changed text or left."""

    pooled: set[int] = field(default_factory=set)
    recheck: set[int] = field(default_factory=set)
    settled: set[int] = field(default_factory=set)
    old_sets: dict[int, np.ndarray] = field(default_factory=dict)

    def add(self, other: Change) -> None:
        self.pooled |= other.pooled
        self.recheck |= other.recheck
        self.settled |= other.settled
        self.old_sets.update(other.old_sets)


@dataclass(frozen=True)
class _Status:
    """A code's articles now and whether it is pooled; ``tracked``: pooled or stored more than once."""

    seqs: tuple[int, ...]
    pooled: bool

    @property
    def tracked(self) -> bool:
        return self.pooled or len(self.seqs) > 1


class Carriers:
    """The boilerplate tables of one index connection (every call inside the caller's write transaction).
    ``texts(seqs)``: the stored articles' texts as they are clustered (without their site's chrome);
    ``candidates(seqs)``: (seq, other) for every stored article sharing a band key with ``seqs``."""

    def __init__(self, db: sqlite3.Connection, settings: Settings,
                 texts: Callable[[Collection[int]], dict[int, str]],
                 candidates: Callable[[list[int]], list[tuple[int, int]]]) -> None:
        self.db, self.settings = db, settings
        self._texts, self._candidates = texts, candidates
        self._recent_limit = _RECENT_LIMIT

    def boilerplate(self) -> Boilerplate:
        """The shingles that do not count towards a copy now."""
        rows = self.db.execute("SELECT hash FROM frequent WHERE boilerplate = 1").fetchall()
        return Boilerplate(_unsigned(rows))

    def before(self, seqs: Collection[int]) -> Change:
        """What changes when these stored articles change text or go: their codes and sets, and the codes of their
        band-key neighbours (call before the change)."""
        change = Change()
        if not seqs:
            return change
        codes = storage.text_codes(self.db, seqs)
        for seq, values in storage.shingle_sets(self.db, seqs).items():
            change.old_sets[codes[seq]] = values
        change.recheck.update(codes.values())
        neighbours = {other for _seq, other in self._candidates(sorted(seqs))} - set(seqs)
        change.recheck.update(storage.text_codes(self.db, neighbours).values())
        return change

    def pairs(self, change: Change, pairs: Iterable[tuple[int, int]]) -> None:
        """Take the candidate pairs of the articles sketched now (each with itself among them): both texts of a
        pair of different texts are in the pool; every code met is looked at again, and the sketched articles'
        codes are settled (their articles share their band keys)."""
        pairs = list(pairs)
        codes = storage.text_codes(self.db, {seq for pair in pairs for seq in pair})
        for a, b in pairs:
            if codes[a] != codes[b]:
                change.pooled.update((codes[a], codes[b]))
        change.recheck.update(codes.values())
        change.settled.update(codes[a] for a, _b in pairs)

    def update(self, change: Change) -> tuple[set[int], set[int]]:
        """Bring the tables up to date after a write. Returns (the stored articles whose shingle sets without the
        boilerplate changed: their pairs must be verified again; the articles whose texts started being tracked:
        their stored sizes may be out of date)."""
        before = dict(self.db.execute("SELECT k.code, k.pooled FROM json_each(?) c JOIN carriers k ON k.code = c.value",
                                      (_json(change.recheck | change.pooled),)))
        status = self._status(change)
        bounds = _Bounds(self.db)  # before the carried rows change: a file without bounds builds them from those
        moved, sets = self._track(status, before, change.old_sets)
        counted = _union(sets[code] for code in moved)
        least = self.settings.boilerplate_docs
        was_over = bounds.bound(counted) >= least
        bounds.carry([sets[code] for code in moved if status[code].pooled], 1)
        bounds.carry([sets[code] for code in moved if not status[code].pooled], -1)
        turned, frequent, dropped = self._count(counted, was_over, bounds.bound(counted) >= least)
        bounds.save()
        owned = self._own_words({code for code in moved if status[code].pooled} | self._carrying(turned))
        decided = self._decide(turned | frequent | owned) | dropped
        relink = {seq for code in self._carrying(decided) for seq in self._seqs(code, status)}
        started = {seq for code, found in status.items() if found.tracked and code not in before for seq in found.seqs}
        self._merge()
        return relink, started

    def _merge(self) -> None:
        """Move the recent carried rows into the large table once there are enough of them (sorted, in one pass:
        inserted straight into the large table, each batch's rows would dirty most of its pages)."""
        if self.db.execute("SELECT count(*) FROM carried_recent").fetchone()[0] >= self._recent_limit:
            self.db.execute("INSERT INTO carried SELECT hash, code FROM carried_recent ORDER BY hash, code")
            self.db.execute("DELETE FROM carried_recent")

    # --- the steps of ``update`` ------------------------------------------------------------------------------

    def _status(self, change: Change) -> dict[int, _Status]:
        """Each code of the change: its articles now, and whether it is pooled (from the pairs of this write, or
        from the band keys of one of its articles)."""
        seqs: dict[int, list[int]] = {code: [] for code in change.recheck | change.pooled}
        for seq, code in _seqs_of(self.db, seqs):
            seqs[code].append(seq)
        unknown = {code: found[0] for code, found in seqs.items()
                   if found and code not in change.pooled and code not in change.settled}
        neighbours = self._candidates(sorted(unknown.values()))
        codes = storage.text_codes(self.db, {seq for pair in neighbours for seq in pair})
        pooled = set(change.pooled) | {codes[seq] for seq, other in neighbours if codes[seq] != codes[other]}
        return {code: _Status(tuple(sorted(found)), code in pooled and bool(found)) for code, found in seqs.items()}

    def _sets(self, codes: Iterable[int], status: dict[int, _Status], old: dict[int, np.ndarray]
              ) -> dict[int, np.ndarray]:
        """The shingle set of each of these codes: of one of its articles, or as it was for a code without any."""
        first = {status[code].seqs[0]: code for code in codes if status[code].seqs}
        sets = {code: old[code] for code in codes if not status[code].seqs}
        for seq, values in storage.shingle_sets(self.db, first).items():
            sets[first[seq]] = values
        return sets

    def _track(self, status: dict[int, _Status], before: dict[int, int], old: dict[int, np.ndarray]
               ) -> tuple[set[int], dict[int, np.ndarray]]:
        """Save each code's tracking; (the codes that entered or left the pool, the sets of the codes whose
        tracking changed)."""
        db = self.db
        moved = {code for code, found in status.items() if bool(before.get(code)) != found.pooled}
        started = {code for code, found in status.items() if code not in before and found.tracked}
        stopped = {code for code, found in status.items() if code in before and not found.tracked}
        sets = self._sets(moved | started | stopped, status, old)
        db.executemany("DELETE FROM carriers WHERE code = ?", ((code,) for code in sorted(stopped)))
        db.executemany("INSERT INTO carriers VALUES (?, ?, NULL)",
                       ((code, int(status[code].pooled)) for code in sorted(started)))
        db.executemany("UPDATE carriers SET pooled = ?, own = NULL WHERE code = ?",
                       [(int(status[code].pooled), code) for code in sorted(moved - started - stopped)])
        was_pooled = {code for code, pooled in before.items() if pooled}
        was_copied = before.keys() - was_pooled
        pooled = {code for code, found in status.items() if found.pooled}
        copied = {code for code, found in status.items() if found.tracked and not found.pooled}
        for table in ("carried", "carried_recent"):
            db.executemany(f"DELETE FROM {table} WHERE hash = ? AND code = ?", _rows(sets, was_pooled - pooled))
        db.executemany("DELETE FROM copied WHERE hash = ? AND code = ?", _rows(sets, was_copied - copied))
        db.executemany("INSERT INTO carried_recent VALUES (?, ?)", _rows(sets, pooled - was_pooled))
        db.executemany("INSERT INTO copied VALUES (?, ?)", _rows(sets, copied - was_copied))
        return moved, sets

    def _count(self, hashes: np.ndarray, was_over: np.ndarray, over: np.ndarray) -> tuple[set[int], set[int], set[int]]:
        """Count the pooled carriers of these shingles again: (those that became or stopped being frequent,
        those of them frequent now, those that stopped being frequent and were boilerplate); frequent rows
        saved. Only the shingles whose upper bound (``_Bounds``) was or is ``boilerplate_docs`` or more
        (``was_over``, ``over``) can have been or be frequent."""
        if not len(hashes):
            return set(), set(), set()
        values = _json(hashes[over].view(np.int64).tolist())
        now = {value for (value,) in self.db.execute(
            f"SELECT hash FROM {_POOLED} GROUP BY hash HAVING count(*) >= ?",
            (values, values, self.settings.boilerplate_docs))}
        was = dict(self.db.execute("SELECT f.hash, f.boilerplate FROM json_each(?) s JOIN frequent f ON "
                                   "f.hash = s.value", (_json(hashes[was_over].view(np.int64).tolist()),)))
        self.db.executemany("DELETE FROM frequent WHERE hash = ?", ((value,) for value in sorted(was.keys() - now)))
        self.db.executemany("INSERT INTO frequent VALUES (?, 0)", ((value,) for value in sorted(now - was.keys())))
        return now ^ was.keys(), now, {value for value, boilerplate in was.items() if boilerplate and value not in now}

    def _carrying(self, hashes: Collection[int]) -> set[int]:
        """The tracked codes that carry any of these shingles."""
        if not hashes:
            return set()
        values = _json(hashes)
        return {code for (code,) in self.db.execute(
            f"SELECT code FROM {_POOLED} UNION SELECT c.code FROM json_each(?) s JOIN copied c ON c.hash = s.value",
            (values, values, values))}

    def _own_words(self, codes: set[int]) -> set[int]:
        """Work out again the own words of these codes (those pooled); the frequent shingles carried by those
        whose own words crossed ``min_shared_words`` (their boilerplate must be decided again)."""
        rows = self.db.execute(
            "SELECT k.code, k.own, s.shingles, min(s.seq) FROM json_each(?) c JOIN carriers k ON k.code = c.value "
            "AND k.pooled = 1 JOIN sketches s ON s.code = k.code GROUP BY k.code", (_json(codes),)).fetchall()
        if not rows:
            return set()
        sets = {code: storage.unpack_set(blob) for code, _own, blob, _seq in rows}
        frequent = _unsigned(self.db.execute("SELECT f.hash FROM json_each(?) s JOIN frequent f ON f.hash = s.value",
                                             (_json(_union(sets.values()).view(np.int64).tolist()),)))
        carrying = {code: seq for code, _own, _blob, seq in rows if np.isin(sets[code], frequent).any()}
        own: dict[int, int | None] = dict.fromkeys(sets)
        if carrying:
            texts = self._texts(carrying.values())
            found = shingle([texts[seq] for seq in carrying.values()], ngram=self.settings.ngram)
            own.update(zip(carrying, own_words(found, frequent, self.settings.ngram).tolist(), strict=True))
        self.db.executemany("UPDATE carriers SET own = ? WHERE code = ?", [(own[code], code) for code in sorted(own)])
        least = self.settings.min_shared_words
        crossed = [code for code, was, _blob, _seq in rows if _enough(was, least) != _enough(own[code], least)]
        values = _union(sets[code] for code in crossed)
        return set(frequent[np.isin(frequent, values)].view(np.int64).tolist())

    def _decide(self, hashes: set[int]) -> set[int]:
        """Decide again whether these shingles (those frequent) are boilerplate; the shingles whose answer
        changed."""
        if not hashes:
            return set()
        asked = _json(hashes)
        rows = self.db.execute(
            f"SELECT f.hash, f.boilerplate, count(*), sum(k.own >= ?) FROM {_POOLED} c JOIN frequent f "
            "ON f.hash = c.hash JOIN carriers k ON k.code = c.code GROUP BY f.hash",
            (self.settings.min_shared_words, asked, asked)).fetchall()
        changed: set[int] = set()
        if rows:
            values, was, carriers, with_own = (np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
            now = is_boilerplate(carriers, with_own)
            flips = values[now != was.astype(bool)]
            self.db.executemany("UPDATE frequent SET boilerplate = 1 - boilerplate WHERE hash = ?",
                                ((value,) for value in flips.tolist()))
            changed |= set(flips.tolist())
        return changed

    def _seqs(self, code: int, status: dict[int, _Status]) -> tuple[int, ...]:
        found = status.get(code)
        if found is not None:
            return found.seqs
        return tuple(seq for (seq,) in self.db.execute("SELECT seq FROM sketches WHERE code = ?", (code,)))


class _Bounds:
    """Per shingle, an upper bound of its rows in ``carried`` (its pooled carriers): a count-min sketch, two
    16-bit counters a shingle (indexed by two 21-bit pieces of its hash), each the number of carried rows whose
    shingles share it; a counter that fills up stays full. A shingle whose smaller counter is below
    ``boilerplate_docs`` is surely not frequent, so ``_count`` counts only the few others in ``carried`` (a
    B-tree seek per shingle in each table). Stored in ``_CHUNK``-counter rows of ``bounds``, read and written
    only where touched; one instance per write. Kept once ``_BOUNDS_FROM`` texts are pooled: built then from
    the carried rows (so is it in a file written before it existed), and never dropped."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.counters = np.zeros(2 * _BOUND_WIDTH, dtype=np.uint16)
        self.loaded: set[int] = set()
        self.dirty: set[int] = set()
        built = None
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bounds'").fetchone():
            built = db.execute("SELECT counters FROM bounds WHERE chunk = ?", (_BUILT,)).fetchone()
        self.built = built is not None and built[0] == _layout()  # counters of another layout are built again
        self.active = self.built
        if not self.built:
            pooled = db.execute("SELECT count(*) FROM carriers WHERE pooled = 1").fetchone()[0]
            if pooled >= _BOUNDS_FROM:
                self.active = True
                self._build()

    def bound(self, hashes: np.ndarray) -> np.ndarray:
        """The upper bound of each of these shingles' carried rows (a full counter bounds nothing)."""
        if not self.active:
            return np.full(len(hashes), np.iinfo(np.int64).max)
        first, second = self._slots(hashes)
        least = np.minimum(self.counters[first], self.counters[second]).astype(np.int64)
        return np.where(least == _FULL, np.iinfo(np.int64).max, least)

    def carry(self, sets: list[np.ndarray], step: int) -> None:
        """Count one carried row more (``step`` 1) or fewer (-1) for each shingle of each set."""
        if not sets or not self.active:
            return
        slots, counts = np.unique(np.concatenate(self._slots(np.concatenate(sets))), return_counts=True)
        now = self.counters[slots].astype(np.int64)
        if step > 0:
            now = np.minimum(now + counts, _FULL)
        else:
            now = np.where(now == _FULL, _FULL, now - counts)
        self.counters[slots] = now
        self.dirty.update((slots // _CHUNK).tolist())

    def save(self) -> None:
        if not self.active:
            return
        if self.built:
            rows = [(chunk, self._chunk(chunk).astype("<u2").tobytes()) for chunk in sorted(self.dirty)]
        else:
            self.db.execute(_BOUNDS_TABLE)
            chunks = range(len(self.counters) // _CHUNK)
            rows = [(chunk, self._chunk(chunk).astype("<u2").tobytes()) for chunk in chunks]
            rows.append((_BUILT, _layout()))
        self.db.executemany("INSERT OR REPLACE INTO bounds VALUES (?, ?)", rows)

    def _chunk(self, chunk: int) -> np.ndarray:
        return self.counters[chunk * _CHUNK:(chunk + 1) * _CHUNK]

    def _slots(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The two counters of each shingle, their chunks read first."""
        first = (hashes & np.uint64(_BOUND_WIDTH - 1)).astype(np.int64)
        second = ((hashes >> np.uint64(32)) & np.uint64(_BOUND_WIDTH - 1)).astype(np.int64) + _BOUND_WIDTH
        self._load(np.concatenate((first, second)))
        return first, second

    def _load(self, slots: np.ndarray) -> None:
        if not self.built:
            return  # every counter built from the carried rows
        wanted = sorted(set(np.unique(slots // _CHUNK).tolist()) - self.loaded)
        if not wanted:
            return
        for chunk, blob in self.db.execute("SELECT b.chunk, b.counters FROM json_each(?) j JOIN bounds b "
                                           "ON b.chunk = j.value", (_json(wanted),)):
            self.counters[chunk * _CHUNK:(chunk + 1) * _CHUNK] = np.frombuffer(blob, dtype="<u2")
        self.loaded.update(wanted)

    def _build(self) -> None:
        """The counters from the carried rows: for a new file, or one written before they were kept (once)."""
        hashes = _unsigned(self.db.execute("SELECT hash FROM carried UNION ALL SELECT hash FROM carried_recent"))
        if len(hashes):
            self.carry([hashes], 1)


def _layout() -> bytes:
    """What the sentinel chunk of ``bounds`` holds: the layout the counters were built with."""
    return f"{_BOUND_WIDTH} {_CHUNK} {_FULL}".encode()


def _enough(own: int | None, least: int) -> bool:
    return own is not None and own >= least


def _unsigned(rows: Iterable[tuple[int]]) -> np.ndarray:
    """Shingle hashes as stored (int64) back to a sorted uint64 array."""
    return np.sort(np.array([value for (value,) in rows], dtype=np.int64).view(np.uint64))


def _union(sets: Iterable[np.ndarray]) -> np.ndarray:
    found = list(sets)
    return sorted_unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint64)


def _rows(sets: dict[int, np.ndarray], codes: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(shingle, code) for every shingle of these codes' sets, sorted (in B-tree order: inserts and deletes touch
    each page once); tuples zipped from two flat lists cost a third less than a 2-D array's ``tolist``."""
    codes = list(codes)
    if not codes:
        return iter(())
    values = np.concatenate([sets[code] for code in codes]).view(np.int64)
    owners = np.repeat(np.array(codes, dtype=np.int64), [len(sets[code]) for code in codes])
    order = np.lexsort((owners, values))
    return zip(values[order].tolist(), owners[order].tolist(), strict=True)


def _json(values: Iterable[int]) -> str:
    """Integers as one JSON array, for SQLite's ``json_each`` (one parameter instead of a temporary table)."""
    return json.dumps(sorted(values))


def _seqs_of(db: sqlite3.Connection, codes: Iterable[int]) -> list[tuple[int, int]]:
    """(seq, code) of the stored articles with these codes."""
    return db.execute("SELECT s.seq, s.code FROM json_each(?) c JOIN sketches s ON s.code = c.value",
                      (_json(codes),)).fetchall()
