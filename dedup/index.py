"""The persistent near-duplicate index: articles arrive one at a time (or in batches) for months, and each is
checked against everything stored before it, in milliseconds, across restarts and several writer processes.

    >>> with dedup.Index("seen.db") as index:
    ...     result = index.add(doc)
    ...     if result.matches:
    ...         print(result.doc, "reprints", result.matches[0].doc, "in cluster", result.cluster)

Storage is one SQLite file (standard library ``sqlite3``, WAL journal; the rows in ``storage``): the settings,
each article's MinHash signature, its LSH band keys (indexed tables, a small recent one and a large one: a lookup
is a B-tree seek per band in each), its exact shingle set (sorted uint64, for verification by the same rule as
batch ``cluster``), a hash of its text, its cleaned text (compressed), its cluster, the verified edges between
articles (so that removing an article can split its cluster exactly), a log of merges and splits, for site-chrome
removal, per site, its number of articles and the hashes of the paragraphs each carries, and the counts of the
boilerplate rule. Nothing is pickled.

Clusters are the connected components of the verified-copy graph, exactly as in batch ``cluster``: adding the
same articles to an index, in any order, any batch sizes and from several processes, gives the same partition and
the same canonical members. Site chrome is learnt as articles arrive: when a paragraph crosses the batch rule for
its site (in at least 3 and 20% of the site's articles; ``clean.sitechrome``), or falls back below it as the site
grows, the site's stored articles that carry it are sketched again from their stored text, their copies verified
again, and the clusters they were in taken apart and joined again. A cluster's id is allocated when its first
article arrives; when an article bridges clusters, the oldest (smallest) id survives and the merge is logged;
when removing an article (or its site chrome) disconnects its cluster, the part holding the oldest article keeps
the id and the split is logged. ``clusters`` and
``export`` also number the clusters as batch ``cluster`` does (from 0, in the order of each cluster's first
article), so that the same articles get the same numbers from both engines.

The batch boilerplate rule (``verify.find_boilerplate``: shingles carried by ``boilerplate_docs`` otherwise
different documents do not count) is kept up to date too (``index_boilerplate``): per distinct text in an LSH
candidate pair (and per text stored twice), its shingles; per shingle carried by enough of them, whether it is
boilerplate. When a shingle becomes boilerplate or stops being it, the stored articles that carry it are verified
again and their clusters taken apart and joined again, as for site chrome.

Writes are one ``BEGIN IMMEDIATE`` transaction per ``add_many`` batch (or ``remove``/``prune`` call):
concurrent writers queue on SQLite's lock (busy timeout, then whole-transaction retries), candidates are read
inside the transaction so nothing added concurrently is missed, and a process killed mid-batch leaves the
file as it was before the batch. Cleaning, shingling and signatures are computed before taking the lock.
SQLite's failures come out as ``dedup.errors``: ``IndexBusy`` (the lock stayed taken past the time-out and the
retries), ``IndexFull`` (no room to write), ``IndexCorrupt`` (a damaged file; ``check`` lists the damage instead
of raising), ``InputError`` (a file that cannot be opened, read or written); a failed write stored nothing.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, NoReturn, TypeVar

import numpy as np

from . import __version__, index_boilerplate, storage
from .clean import Article
from .clean.sitechrome import chrome_count, paragraphs_of, site_of, stable_block_hash, strip_repeated
from .components import canonical_key, connected_components
from .documents import Document
from .errors import ConfigError, IncompatibleIndex, IndexBusy, IndexCorrupt, IndexFull, InputError
from .index_boilerplate import Carriers, Change, text_code
from .lsh import band_keys
from .pipeline import clean_all, sign
from .settings import DEFAULT, Default, Settings, lsh_params
from .shingle import shingle
from .verify import Boilerplate, Relation, relation, sorted_unique

__all__ = ["Index", "AddResult", "Match", "IndexStats", "NORMALIZATION_VERSION"]

#: Bump when cleaning, tokenising or shingle hashing changes what shingles a text gives: indexes built before
#: then no longer compare equal and refuse to open.
NORMALIZATION_VERSION = 3  # 2: plain articles with a credit line or byline cleaned as prose; 3: tokens of every script
_FORMAT = "dedup-index"
#: 2: site paragraphs and texts for site-chrome removal; docs.instant, the date as a UTC instant; 3: the boilerplate
#: rule's tables (``index_boilerplate``), sketches.code; 4: sketches.code screens texts by their shingles counted
#: with repeats, as batch ``verify.exact_duplicates`` does (3 counted distinct ones)
_FORMAT_VERSION = 4
_APPLICATION_ID = 0x64447570  # "dDup" in the SQLite header
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Band keys held in the small table before they move to the large one (about 10,000 articles' worth).
_RECENT_LIMIT = 400_000

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order; never reused
    id TEXT NOT NULL UNIQUE,
    cluster INTEGER,                        -- NULL for an unusable input
    size INTEGER NOT NULL,                  -- distinct shingles, the boilerplate left out (ranks the canonical)
    date TEXT,
    added TEXT NOT NULL,                    -- UTC, ISO 8601
    title TEXT,
    url TEXT,
    error TEXT,
    wire TEXT,                              -- the agency the article credits (for the canonical member)
    -- the date as a sortable UTC instant (format of ``added``), NULL if unreadable; computed by the connection
    -- function dedup_instant (``_instant``), so only dedup writes this table
    instant TEXT GENERATED ALWAYS AS (dedup_instant(date)) STORED
);
CREATE INDEX docs_cluster ON docs (cluster);
CREATE INDEX docs_instant ON docs (coalesce(instant, added));
CREATE TABLE sketches (
    seq INTEGER PRIMARY KEY,                -- docs.seq
    signature BLOB NOT NULL,                -- num_perm uint32, little-endian
    shingles BLOB NOT NULL,                 -- sorted distinct shingle hashes, uint64 little-endian
    code INTEGER NOT NULL                   -- the text's ``index_boilerplate.text_code``: equal texts, equal codes
);
CREATE INDEX sketches_code ON sketches (code);
CREATE TABLE bands (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE bands_recent (key INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE edges (                        -- verified copies; a arrived after b
    a INTEGER NOT NULL, b INTEGER NOT NULL, similarity REAL NOT NULL, containment REAL NOT NULL,
    relationship TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX edges_b ON edges (b);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,                     -- 'merge': absorbed joined survivor, 'split': absorbed left survivor
    doc TEXT,                               -- the article added (merge) or removed (split)
    survivor INTEGER NOT NULL,
    absorbed INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier article the new one is a copy of: Jaccard ``similarity`` of their shingle sets,
    ``containment`` (share of the smaller set inside the larger) and the ``relationship`` label
    (``duplicate``, ``reprint``, ``contained`` or ``partial``, by ``dedup.align.relationship`` on the shingle
    figures)."""

    doc: str
    cluster: int
    similarity: float
    containment: float
    relationship: str


@dataclass(frozen=True, slots=True)
class AddResult:
    """What the index says about one article.

    From ``add``: ``cluster`` is the article's cluster (``None`` when it is unusable, see ``error``); ``added`` is
    false when its id was already stored (then nothing changed and ``matches`` are the ones found when it was
    added); ``merged`` lists cluster ids it absorbed into ``cluster`` by bridging them.
    From ``query``: ``cluster`` is the cluster the article would join (``None``: it would start a new one) and
    ``merged`` the clusters adding it would merge; ``added`` is false.
    """

    doc: str
    cluster: int | None
    matches: tuple[Match, ...]
    added: bool
    merged: tuple[int, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class IndexStats:
    """Counts and sizes of an index."""

    path: str
    documents: int
    unusable: int
    clusters: int
    clusters_with_copies: int
    largest_cluster: int
    edges: int
    merges: int
    splits: int
    bytes: int
    bytes_per_document: float
    settings: dict[str, Any]
    created: str | None


class Index:
    """A persistent near-duplicate index in one SQLite file.

    A new file is created with the given settings (defaults as in ``cluster``). An existing index keeps its
    own: leave the options out to use them; an option given with another value than stored raises
    ``IncompatibleIndex``, as does a file that is not a dedup index (the file is then left untouched) or an
    index of an older format. Any number of processes may create the same new file at once: one creates it,
    the others find it created.

    One ``Index`` object per thread; any number of processes may open the same file.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        threshold: float | None = None,
        containment: float | None | Default = DEFAULT,
        num_perm: int | None = None,
        ngram: int | None = None,
        seed: int | None = None,
        create: bool = True,
        timeout: float = 60.0,
        retries: int = 8,
    ) -> None:
        self.path = os.fspath(path)
        self._timeout = timeout
        self._retries = retries
        asked = {"threshold": threshold, "containment": containment, "num_perm": num_perm, "ngram": ngram,
                 "seed": seed}
        asked = {key: value for key, value in asked.items() if value is not None or key == "containment"}
        if asked.get("containment") is DEFAULT:
            del asked["containment"]
        for attempt in range(retries + 1):
            try:
                self._db, self.settings = self._open(asked, create)
                break
            except sqlite3.Error as exc:  # busy: another process is creating or recovering it
                if not _busy(exc) or attempt == retries:
                    self._raise(exc, "open")
                _pause(attempt)
        self.bands, self.rows = lsh_params(self.settings)
        self._recent_limit = _RECENT_LIMIT
        self._carriers = Carriers(self._db, self.settings, self._clustered_texts, self._neighbours)

    # --- opening ------------------------------------------------------------------------------------------

    def _open(self, asked: dict[str, Any], create: bool) -> tuple[sqlite3.Connection, Settings]:
        fresh = _probe(self.path, create=create, timeout=self._timeout)
        if fresh and not create:
            raise IncompatibleIndex(f"{self.path} is an empty database, not a dedup index")
        self._db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        try:
            self._db.create_function("dedup_instant", 1, _instant, deterministic=True)
            if fresh:
                self._create(Settings(**asked))
            settings = self._load_settings(asked)
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA temp_store = MEMORY")
            self._db.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB of page cache at most
            # checkpoint every 64 MiB of WAL rather than 4 MiB: pages rewritten by consecutive batches (the recent
            # band keys) are copied into the database once per checkpoint (measured: 17% fewer bytes written)
            self._db.execute("PRAGMA wal_autocheckpoint = 16384")
            for statement in storage.TEMP_SCHEMA.split(";\n"):
                if statement.strip():
                    self._db.execute(statement)
        except BaseException:
            self._db.close()
            raise
        return self._db, settings

    def _create(self, settings: Settings) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")

        def create() -> None:
            # looked at again under the write lock: another process may have created it since the probe
            if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                return  # another process won the race
            if self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise IncompatibleIndex(f"{self.path} is an SQLite database but not a dedup index")
            # statement by statement: executescript() would commit the transaction
            for statement in (_SCHEMA + storage.SCHEMA + index_boilerplate.SCHEMA).split(";\n"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            self._db.execute(f"PRAGMA user_version = {_FORMAT_VERSION}")
            meta = {"format": _FORMAT, "format_version": str(_FORMAT_VERSION),
                    "normalization_version": str(NORMALIZATION_VERSION), "created": _now(),
                    "created_by": f"dedup {__version__}", "last_cluster": "0", **_settings_meta(settings)}
            self._db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))

        self._write(create)

    def _load_settings(self, asked: dict[str, Any]) -> Settings:
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                raise
            kind = IndexCorrupt if _corrupt(exc) else IncompatibleIndex
            raise kind(f"{self.path} is not a readable dedup index ({exc})") from exc
        return _check_meta(self.path, meta, asked)

    # --- context manager ----------------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __len__(self) -> int:
        with self._reading():
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        with self._reading():
            return self._db.execute("SELECT 1 FROM docs WHERE id = ?", (doc_id,)).fetchone() is not None

    # --- adding -------------------------------------------------------------------------------------------

    def add(self, doc: Document | Article | str, *, id: str | None = None) -> AddResult:
        """Add one article; its matches among the articles stored before it and its cluster.

        A string is cleaned as plain text; its id is ``id`` or, if not given, a hash of the text. Adding an id
        that is already stored changes nothing (``added`` is false).
        """
        return self.add_many([doc], ids=None if id is None else [id])[0]

    def add_many(self, docs: Iterable[Document | Article | str], *, ids: Sequence[str] | None = None
                 ) -> list[AddResult]:
        """Add a batch in one transaction: all of it is stored, or (if the process dies) none of it. Each
        article is matched against everything stored before and against the batch's earlier articles."""
        batch = _Batch(self._articles(docs, ids), self.settings)
        return self._write(lambda: self._store(batch))

    def query(self, doc: Document | Article | str, *, id: str | None = None) -> AddResult:
        """What ``add`` would say about the article, without storing anything."""
        batch = _Batch(self._articles([doc], None if id is None else [id]), self.settings)
        article = batch.articles[0]
        if article.error is not None:
            return AddResult(doc=article.id, cluster=None, matches=(), added=False, error=article.error)
        matches = []
        with self._reading():
            sketch = self._query_sketch(batch)
            boilerplate = self._carriers.boilerplate()
            pairs = storage.candidates(self._db, np.array([0]), sketch.keys[None]) if sketch.size else []
            stored = storage.fetch(self._db, {other for _pos, other in pairs})
            for seq in sorted(stored):
                other_id, cluster, shingles = stored[seq]
                found = self._relation(sketch.shingles, shingles, self._texts_of(sketch.text, seq, boilerplate),
                                       boilerplate)
                if found.is_copy:
                    matches.append(Match(other_id, cluster, found.similarity, found.containment,
                                         found.relationship))
        clusters = sorted({match.cluster for match in matches})
        return AddResult(doc=article.id, cluster=clusters[0] if clusters else None, matches=_ordered(matches),
                         added=False, merged=tuple(clusters[1:]))

    def _query_sketch(self, batch: _Batch) -> _Sketch:
        """The article's sketch with its site's chrome as it is now."""
        if 0 not in batch.site:
            return batch.sketches[0]
        text = batch.text_without(0, storage.chrome_of(self._db, batch.site[0]))
        return batch.sketches[0] if text is None else _sketches([text], self.settings)[0]

    def _clustered_texts(self, seqs: Iterable[int]) -> dict[int, str]:
        """Stored articles' texts as they are clustered: without their sites' chrome as it is now."""
        texts = storage.texts(self._db, seqs)
        chrome: dict[int, frozenset[int]] = {}
        for seq, site in storage.sites_of(self._db, texts).items():
            if site not in chrome:
                chrome[site] = storage.chrome_of(self._db, site)
            paragraphs = paragraphs_of(texts[seq])
            texts[seq] = _without(texts[seq], paragraphs, list(map(stable_block_hash, paragraphs)), chrome[site])
        return texts

    def _texts_of(self, first: str | int, second: str | int, boilerplate: Boilerplate
                  ) -> Callable[[], tuple[str, str]]:
        """The two texts the rule aligns when the shingles cannot tell, without their boilerplate, read only then
        (a stored article by its seq, a sketched one by its text)."""
        def texts() -> tuple[str, str]:
            found = [self._clustered_texts([item])[item] if isinstance(item, int) else item
                     for item in (first, second)]
            return boilerplate.strip_text(found[0], self.settings.ngram), \
                boilerplate.strip_text(found[1], self.settings.ngram)

        return texts

    def _neighbours(self, seqs: list[int]) -> list[tuple[int, int]]:
        """(seq, other) for every stored article sharing a band key with the stored articles ``seqs``."""
        keys = self._keys_of(seqs)
        if not keys:
            return []
        return storage.candidates(self._db, np.array(list(keys), dtype=np.int64), np.stack(list(keys.values())))

    def _keys_of(self, seqs: Iterable[int]) -> dict[int, np.ndarray]:
        """The band keys of these stored articles (of those with shingles), from their signatures."""
        storage.want(self._db, seqs)
        rows = self._db.execute("SELECT s.seq, s.signature FROM wanted w CROSS JOIN sketches s ON s.seq = w.seq "
                                "WHERE length(s.shingles) > 0 ORDER BY w.seq").fetchall()
        if not rows:
            return {}
        matrix = np.stack([np.frombuffer(signature, dtype="<u4") for _seq, signature in rows])
        return dict(zip([seq for seq, _ in rows], _signed(band_keys(matrix, self.bands, self.rows)), strict=True))

    def _articles(self, docs: Iterable[Document | Article | str], ids: Sequence[str] | None) -> list[Article]:
        items = list(docs)
        if ids is not None and len(ids) != len(items):
            raise ConfigError(f"{len(ids)} ids for {len(items)} documents")
        articles = []
        for number, (item, article) in enumerate(zip(items, clean_all(items), strict=True)):
            if ids is not None:
                article = replace(article, id=ids[number])
            elif isinstance(item, str):
                article = replace(article, id=hashlib.sha1(item.encode("utf-8", "surrogatepass")).hexdigest()[:20])
            articles.append(article)
        return articles

    def _relation(self, mine: np.ndarray, theirs: np.ndarray, texts: Callable[[], tuple[str, str]],
                  boilerplate: Boilerplate) -> Relation:
        """The copy rule of every engine (``verify.relation``) on two whole shingle sets, the ``boilerplate``
        left out: ``texts`` gives the two texts to align when the shingle sets cannot tell."""
        return relation(boilerplate.strip(mine), boilerplate.strip(theirs), self.settings, texts)

    # The add path: admit the new ids, count their sites' paragraphs, sketch them (and the stored articles whose
    # site chrome changed), count their shingles for the boilerplate rule, link each sketched article (and each one
    # whose boilerplate changed) to its verified copies, recompute the clusters they touch.

    def _store(self, batch: _Batch) -> list[AddResult]:
        seq_of = self._admit(batch)
        chrome, site_ids = self._count_sites(batch, seq_of)
        storage.store_texts(self._db, [(seq_of[pos], site_ids.get(batch.site.get(pos, "")), batch.articles[pos].text)
                                       for pos in seq_of if pos in batch.sketches])
        fresh = self._fresh_sketches(batch, seq_of, chrome, site_ids)
        refreshed = self._refreshed_sketches(chrome, exclude=set(seq_of.values()))
        change = self._carriers.before(refreshed)
        expanded = set(storage.clusters_of(self._db, refreshed).values())
        dirty = {**refreshed, **fresh}
        self._save_sketches(dirty, refreshed)
        linked = self._link(dirty, change, expanded)
        self._save_sizes((linked.resized | set(refreshed)) - set(fresh), dirty, linked.boilerplate)
        linked.names.update((seq_of[pos], batch.articles[pos].id) for pos in seq_of)
        outcome = self._recluster(set(fresh), linked.edges, expanded)
        self._save_docs(batch, seq_of, fresh, outcome, linked.boilerplate)
        self._merge_bands()
        return self._results(batch, seq_of, linked.edges, linked.names, outcome)

    def _admit(self, batch: _Batch) -> dict[int, int]:
        """pos -> seq of the batch's articles not stored yet (the first of repeated ids), seqs allocated."""
        db = self._db
        db.execute("DELETE FROM names")
        db.executemany("INSERT INTO names VALUES (?, ?)", ((pos, a.id) for pos, a in enumerate(batch.articles)))
        known = {doc_id for (doc_id,) in db.execute("SELECT n.id FROM names n JOIN docs d ON d.id = n.id")}
        last_seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'docs'").fetchone()
        next_seq = (last_seq[0] if last_seq else 0) + 1
        seq_of: dict[int, int] = {}
        for pos, article in enumerate(batch.articles):
            if article.id not in known:
                known.add(article.id)
                seq_of[pos] = next_seq
                next_seq += 1
        return seq_of

    def _count_sites(self, batch: _Batch, seq_of: dict[int, int]
                     ) -> tuple[dict[int, tuple[frozenset[int], frozenset[int]]], dict[str, int]]:
        """Store the new articles' site paragraphs; per site touched, (its chrome before, its chrome now)."""
        by_site: dict[str, list[int]] = {}
        for pos in seq_of:
            if pos in batch.site:
                by_site.setdefault(batch.site[pos], []).append(pos)
        site_ids = storage.site_ids(self._db, by_site)
        chrome = {}
        for name, positions in by_site.items():
            site = site_ids[name]
            storage.store_paragraphs(self._db, site, [(seq_of[pos], batch.articles[pos].text,
                                                       set(batch.hashes[pos])) for pos in positions], len(positions))
            chrome[site] = self._site_chrome(site, {value for pos in positions for value in batch.hashes[pos]})
        return chrome, site_ids

    def _site_chrome(self, site: int, among: set[int] | None) -> tuple[frozenset[int], frozenset[int]]:
        """(chrome before, chrome now) of a site after its count changed, saved; ``among``: the hashes whose
        counts changed (None: any may have)."""
        docs = self._db.execute("SELECT docs FROM sites WHERE id = ?", (site,)).fetchone()[0]
        old, now = storage.chrome_hashes(self._db, site, chrome_count(docs), among)
        if now != old:
            storage.save_chrome(self._db, site, now)
        return old, now

    def _fresh_sketches(self, batch: _Batch, seq_of: dict[int, int],
                        chrome: dict[int, tuple[frozenset[int], frozenset[int]]],
                        site_ids: dict[str, int]) -> dict[int, _Sketch]:
        """seq -> sketch of each new usable article, of its text without its site's chrome as it is now."""
        fresh = {seq_of[pos]: batch.sketches[pos] for pos in seq_of if pos in batch.sketches}
        stripped = {}
        for pos in seq_of:
            if pos in batch.site:
                text = batch.text_without(pos, chrome[site_ids[batch.site[pos]]][1])
                if text is not None:
                    stripped[seq_of[pos]] = text
        fresh.update(zip(stripped, _sketches(list(stripped.values()), self.settings), strict=True))
        return fresh

    def _refreshed_sketches(self, chrome: dict[int, tuple[frozenset[int], frozenset[int]]],
                            exclude: set[int]) -> dict[int, _Sketch]:
        """seq -> new sketch of each stored article whose text changes with its site's chrome."""
        changed: dict[int, str] = {}
        for site, (old, now) in chrome.items():
            if old == now:
                continue
            seqs = [seq for seq in storage.carriers(self._db, site, old ^ now) if seq not in exclude]
            for seq, text in storage.texts(self._db, seqs).items():
                paragraphs = paragraphs_of(text)
                hashes = list(map(stable_block_hash, paragraphs))
                before, after = (_without(text, paragraphs, hashes, found) for found in (old, now))
                if before != after:
                    changed[seq] = after
        return dict(zip(changed, _sketches(list(changed.values()), self.settings), strict=True))

    def _save_sketches(self, dirty: dict[int, _Sketch], refreshed: dict[int, _Sketch]) -> None:
        """Sketches and band keys of the sketched articles; the refreshed ones lose their old keys and edges."""
        db = self._db
        old = sorted(self._keys_of(refreshed).items())
        storage.replace_bands(db, old, [(seq, dirty[seq].keys) for seq in sorted(dirty) if dirty[seq].size])
        storage.delete_edges(db, refreshed)
        db.executemany("INSERT OR REPLACE INTO sketches VALUES (?, ?, ?, ?)",
                       [(seq, sketch.signature.astype("<u4").tobytes(), storage.pack_set(sketch.shingles),
                         text_code(sketch.text, sketch.count, seq, self.settings))
                        for seq, sketch in sorted(dirty.items())])

    def _save_sizes(self, seqs: set[int], dirty: dict[int, _Sketch], boilerplate: Boilerplate) -> None:
        """The sizes (boilerplate left out) of these stored articles."""
        stored = storage.fetch(self._db, seqs - dirty.keys())
        sets = {seq: dirty[seq].shingles if seq in dirty else stored[seq][2] for seq in seqs if seq in dirty or
                seq in stored}
        self._db.executemany("UPDATE docs SET size = ? WHERE seq = ?",
                             [(len(boilerplate.strip(sets[seq])), seq) for seq in sorted(sets)])

    def _link(self, dirty: dict[int, _Sketch], change: Change, expanded: set[int]) -> _Linked:
        """Count the boilerplate again (``index_boilerplate``) with the sketched articles' candidates; then verify
        their pairs and the pairs of the stored articles whose boilerplate changed (their edges dropped and their
        clusters added to ``expanded``)."""
        probing = [seq for seq in sorted(dirty) if dirty[seq].size]
        keys = np.stack([dirty[seq].keys for seq in probing]) if probing else np.empty((0, self.bands), np.int64)
        pairs = storage.candidates(self._db, np.array(probing, dtype=np.int64), keys)
        self._carriers.pairs(change, pairs)
        relink, started = self._carriers.update(change)
        again = sorted(relink - dirty.keys())
        storage.delete_edges(self._db, again)
        expanded.update(storage.clusters_of(self._db, again).values())
        boilerplate = self._carriers.boilerplate()
        edges, names = self._verify(pairs + self._neighbours(again), dirty, boilerplate)
        return _Linked(edges, names, boilerplate, relink | started)

    def _verify(self, pairs: list[tuple[int, int]], dirty: dict[int, _Sketch], boilerplate: Boilerplate
                ) -> tuple[list[_Edge], dict[int, str]]:
        """The verified copies among the candidate pairs (each pair once, later first), stored, and the ids of the
        stored articles they link to."""
        unordered = sorted({(max(a, b), min(a, b)) for a, b in pairs if a != b})
        stored = storage.fetch(self._db, {seq for pair in unordered for seq in pair if seq not in dirty})
        edges = []
        for later, earlier in unordered:
            mine, theirs = (dirty[seq].shingles if seq in dirty else stored[seq][2] for seq in (later, earlier))
            first, second = (dirty[seq].text if seq in dirty else seq for seq in (later, earlier))
            texts = self._texts_of(first, second, boilerplate)
            found = self._relation(mine, theirs, texts, boilerplate)
            if found.is_copy:
                edges.append(_Edge(later, earlier, found.similarity, found.containment, found.relationship))
        self._db.executemany("INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?, ?)", edges)
        names = storage.ids_of(self._db, {seq for pair in unordered for seq in pair if seq in dirty})
        names.update((seq, found[0]) for seq, found in stored.items())
        return edges, names

    def _recluster(self, fresh: set[int], edges: list[_Edge], expanded: set[int]) -> _Outcome:
        """The clusters of the new articles and of every cluster the change touches, as connected components of
        the verified copies: a cluster whose article was refreshed is taken apart into its members, the others
        stay whole. An old cluster's id goes to the part holding its oldest member; merged ids go to the
        smallest; a part that holds no old cluster's oldest member gets a new id."""
        members = storage.cluster_members(self._db, expanded)
        linked = {seq for edge in edges for seq in (edge.later, edge.earlier)} - fresh - members.keys()
        intact = storage.clusters_of(self._db, linked)
        graph = _Graph(sorted(set(intact.values())), sorted(members), sorted(fresh), intact)
        pairs = [(edge.later, edge.earlier) for edge in edges] + storage.edges_within(self._db, members)
        labels = graph.components(pairs)
        owner = {cluster: labels[graph.cluster_node[cluster]] for cluster in graph.cluster_node}
        for seq in sorted(members, reverse=True):  # the oldest member last: its part owns the id
            owner[members[seq]] = labels[graph.seq_node[seq]]
        outcome = self._assign(graph, labels, owner, members)
        outcome.stored.update(intact)
        return outcome

    def _assign(self, graph: _Graph, labels: list[int], owner: dict[int, int], members: dict[int, int]) -> _Outcome:
        outcome = _Outcome()
        last = int(self._db.execute("SELECT value FROM meta WHERE key = 'last_cluster'").fetchone()[0])
        owned: dict[int, list[int]] = {}
        for cluster, component in sorted(owner.items()):
            owned.setdefault(component, []).append(cluster)
        survivor_of: dict[int, int] = {}
        for component in sorted(set(labels)):
            ids = owned.get(component)
            if ids is None:
                last += 1
                ids = [last]
            survivor_of[component] = ids[0]
            outcome.merged[ids[0]] = tuple(ids[1:])
            outcome.events.extend(("merge", graph.first_fresh.get(component), ids[0], absorbed)
                                  for absorbed in ids[1:])
        for seq, component in graph.seq_components(labels):
            outcome.cluster_of_seq[seq] = survivor_of[component]
        for cluster, component in graph.cluster_components(labels):
            outcome.renamed[cluster] = survivor_of[component]
        split = {(members[seq], outcome.cluster_of_seq[seq]) for seq in members
                 if owner[members[seq]] != labels[graph.seq_node[seq]]}
        outcome.events.extend(("split", None, old, new) for old, new in sorted(split))
        outcome.last_cluster = last
        return outcome

    def _save_docs(self, batch: _Batch, seq_of: dict[int, int], fresh: dict[int, _Sketch],
                   outcome: _Outcome, boilerplate: Boilerplate) -> None:
        """The new articles' rows, then the clusters."""
        now = _now()
        rows = []
        for pos, seq in seq_of.items():
            article = batch.articles[pos]
            size = len(boilerplate.strip(fresh[seq].shingles)) if seq in fresh else 0
            rows.append((seq, article.id, outcome.cluster_of_seq.get(seq), size, article.date, now, article.title,
                         article.url, article.error, article.wire))
        self._save_clusters(outcome, {seq: batch.articles[pos].id for pos, seq in seq_of.items()}, exclude=fresh)
        self._db.executemany("INSERT INTO docs (seq, id, cluster, size, date, added, title, url, error, wire) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _save_clusters(self, outcome: _Outcome, ids: dict[int, str], *, cause: str | None = None,
                       exclude: Iterable[int] = ()) -> None:
        """Renamed clusters, the new cluster of each article taken apart (but those in ``exclude``), the events
        (their article: the new one that caused a merge, else ``cause``) and the last cluster id."""
        db = self._db
        for old, new in sorted(outcome.renamed.items()):
            if old != new:
                db.execute("UPDATE docs SET cluster = ? WHERE cluster = ?", (new, old))
        skip = set(exclude)
        db.executemany("UPDATE docs SET cluster = ? WHERE seq = ?",
                       [(cluster, seq) for seq, cluster in sorted(outcome.cluster_of_seq.items()) if seq not in skip])
        now = _now()
        db.executemany("INSERT INTO events (at, kind, doc, survivor, absorbed) VALUES (?, ?, ?, ?, ?)",
                       [(now, kind, ids.get(seq, cause) if seq is not None else cause, survivor, absorbed)
                        for kind, seq, survivor, absorbed in outcome.events])
        db.execute("UPDATE meta SET value = ? WHERE key = 'last_cluster'", (str(outcome.last_cluster),))

    def _results(self, batch: _Batch, seq_of: dict[int, int], edges: list[_Edge], names: dict[int, str],
                 outcome: _Outcome) -> list[AddResult]:
        matches: dict[int, list[Match]] = {}
        for edge in edges:
            matches.setdefault(edge.later, []).append(Match(names[edge.earlier], outcome.final(edge.earlier),
                                                            edge.similarity, edge.containment, edge.relationship))
        results = []
        reported: set[int] = set()
        for pos, article in enumerate(batch.articles):
            seq = seq_of.get(pos)
            if seq is None:
                results.append(self._existing(article.id))
                continue
            cluster = outcome.cluster_of_seq.get(seq)
            merged: tuple[int, ...] = ()
            if cluster is not None and cluster not in reported:
                merged = outcome.merged.get(cluster, ())
                if merged:
                    reported.add(cluster)
            results.append(AddResult(doc=article.id, cluster=cluster, matches=_ordered(matches.get(seq, [])),
                                     added=True, merged=merged, error=article.error))
        return results

    def _merge_bands(self) -> None:
        """Move the recent band keys into the main table once there are enough of them.

        Band keys are hashes, so a batch's keys land all over the B-tree: inserted straight into a large table
        they would dirty (and write to the WAL) nearly every page of it at every batch. They go to a small
        table first and move over, sorted, in one pass over the large one every ``_recent_limit`` keys."""
        count = self._db.execute("SELECT count(*) FROM bands_recent").fetchone()[0]
        if count >= self._recent_limit:
            self._db.execute("INSERT OR IGNORE INTO bands SELECT key, seq FROM bands_recent ORDER BY key, seq")
            self._db.execute("DELETE FROM bands_recent")

    def _existing(self, doc_id: str) -> AddResult:
        seq, cluster, error = self._db.execute("SELECT seq, cluster, error FROM docs WHERE id = ?",
                                               (doc_id,)).fetchone()
        rows = self._db.execute(
            "SELECT d.id, d.cluster, e.similarity, e.containment, e.relationship FROM edges e "
            "JOIN docs d ON d.seq = e.b WHERE e.a = ?", (seq,)).fetchall()
        matches = [Match(*row) for row in rows]
        return AddResult(doc=doc_id, cluster=cluster, matches=_ordered(matches), added=False, error=error)

    # --- removing -----------------------------------------------------------------------------------------

    def remove(self, ids: str | Iterable[str]) -> int:
        """Remove articles by id (unknown ids are ignored); returns how many were removed. A cluster that the
        removal disconnects is split: the part with the oldest article keeps the id."""
        wanted = [ids] if isinstance(ids, str) else list(ids)
        return self._write(lambda: self._remove(wanted))

    def prune(self, *, before: str | date | datetime) -> int:
        """Remove the articles dated before the instant ``before``; returns how many were removed.

        ``before``: a ``datetime`` (naive: UTC), a ``date`` (its midnight, UTC) or a text date as articles carry
        them (ISO 8601 such as ``2024-03-01``, RFC 2822 such as ``Fri, 01 Mar 2024 09:00:00 +0100``, or
        ``Mar 1, 2024``). Article dates are compared as instants, whatever their text form; an article whose date
        is missing or unreadable counts from the moment it was added."""
        limit = _limit(before)

        def prune() -> int:
            rows = self._db.execute("SELECT id FROM docs WHERE coalesce(instant, added) < ?", (limit,)).fetchall()
            return self._remove([doc_id for (doc_id,) in rows])

        return self._write(prune)

    def _remove(self, ids: list[str]) -> int:
        """Remove the articles; their sites' chrome is counted again (stored articles whose text changes with it
        are sketched and linked again) and the clusters they were in are taken apart and joined again."""
        db = self._db
        db.execute("DELETE FROM names")
        db.executemany("INSERT INTO names VALUES (?, ?)", enumerate(ids))
        rows = db.execute("SELECT DISTINCT d.seq, d.id, d.cluster FROM names n JOIN docs d ON d.id = n.id").fetchall()
        if not rows:
            return 0
        seqs = [seq for seq, *_ in rows]
        change = self._carriers.before(seqs)
        sites = Counter(storage.sites_of(db, seqs).values())
        storage.replace_bands(db, sorted(self._keys_of(seqs).items()), [])
        storage.delete_articles(db, seqs)
        chrome = {}
        for site, count in sorted(sites.items()):
            db.execute("UPDATE sites SET docs = docs - ? WHERE id = ?", (count, site))
            chrome[site] = self._site_chrome(site, None)
        refreshed = self._refreshed_sketches(chrome, exclude=set())
        change.add(self._carriers.before(refreshed))
        expanded = {cluster for _seq, _id, cluster in rows if cluster is not None}
        expanded |= set(storage.clusters_of(db, refreshed).values())
        self._save_sketches(refreshed, refreshed)
        linked = self._link(refreshed, change, expanded)
        self._save_sizes(linked.resized | set(refreshed), refreshed, linked.boilerplate)
        self._save_clusters(self._recluster(set(), linked.edges, expanded), {}, cause=rows[0][1])
        return len(rows)

    # --- reading ------------------------------------------------------------------------------------------

    def cluster_of(self, doc_id: str) -> int | None:
        """The cluster id of a stored article as ``add`` and ``query`` give it (``None`` if unusable); ``KeyError``
        if the id is not stored."""
        with self._reading():
            row = self._db.execute("SELECT cluster FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        cluster: int | None = row[0]
        return cluster

    def clusters(self) -> dict[int, tuple[str, ...]]:
        """Every cluster's member ids, in arrival order, numbered as batch ``cluster`` numbers them: from 0, in
        the order of each cluster's first article (the same articles, given to ``cluster`` in arrival order, get
        the same numbers). These numbers are not the ids ``add``, ``query`` and ``cluster_of`` give: those stay
        fixed while articles come and go, the numbers here close up the gaps."""
        out: list[list[str]] = []
        numbers: dict[int, int] = {}
        with self._reading("docs"):
            rows = self._db.execute("SELECT cluster, id FROM docs WHERE cluster IS NOT NULL ORDER BY seq").fetchall()
        for cluster, doc_id in rows:
            number = numbers.setdefault(cluster, len(numbers))
            if number == len(out):
                out.append([])
            out[number].append(doc_id)
        return {number: tuple(members) for number, members in enumerate(out)}

    def export(self) -> Iterator[dict[str, Any]]:
        """One record per stored article, in arrival order: ``doc``, ``cluster`` (numbered as in ``clusters``,
        that is as batch ``cluster`` numbers them), ``index_cluster`` (the id ``add``, ``query`` and ``cluster_of``
        give), ``canonical`` (the earliest dated, then largest, article of its cluster, as batch ``cluster`` picks
        it), ``canonical_doc``, ``size`` (of the cluster), ``error``, ``title``, ``date``, ``url``, ``added``.

        The records are one snapshot of the index, read in one transaction: do not write through this ``Index``
        until the iteration ends. ``IndexCorrupt`` (before the first record) if the articles' table is damaged."""
        with self._reading("docs"):
            numbers: dict[int, int] = {}
            canonical: dict[int, tuple[Any, ...]] = {}
            sizes: dict[int, int] = {}
            for cluster, doc_id, size, day, wire in self._db.execute(
                    "SELECT cluster, id, size, date, wire FROM docs WHERE cluster IS NOT NULL ORDER BY seq"):
                numbers.setdefault(cluster, len(numbers))
                key = canonical_key(Article(id=doc_id, text="", date=day, wire=wire), size)
                sizes[cluster] = sizes.get(cluster, 0) + 1
                if cluster not in canonical or key < canonical[cluster]:
                    canonical[cluster] = key
            rows = self._db.execute("SELECT id, cluster, error, title, date, url, added FROM docs ORDER BY seq")
            for doc_id, cluster, error, title, day, url, added in rows:
                head = canonical.get(cluster)
                yield {"doc": doc_id, "cluster": numbers.get(cluster), "index_cluster": cluster,
                       "canonical": head is not None and head[-1] == doc_id,
                       "canonical_doc": None if head is None else head[-1], "size": sizes.get(cluster),
                       "error": error, "title": title, "date": day, "url": url, "added": added}

    def stats(self) -> IndexStats:
        """Counts and sizes, read in one snapshot; ``IndexCorrupt`` if a table they are counted from is damaged."""
        db = self._db
        with self._reading("docs", "edges", "events", "meta"):
            documents, unusable = db.execute("SELECT count(*), count(error) FROM docs").fetchone()
            clusters, with_copies, largest = db.execute(
                "SELECT count(*), coalesce(sum(n > 1), 0), coalesce(max(n), 0) FROM "
                "(SELECT count(*) AS n FROM docs WHERE cluster IS NOT NULL GROUP BY cluster)").fetchone()
            edges = db.execute("SELECT count(*) FROM edges").fetchone()[0]
            events = dict(db.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        size = sum(os.path.getsize(name) for name in (self.path, self.path + "-wal") if os.path.exists(name))
        return IndexStats(path=self.path, documents=documents, unusable=unusable, clusters=clusters,
                          clusters_with_copies=with_copies, largest_cluster=largest, edges=edges,
                          merges=events.get("merge", 0), splits=events.get("split", 0), bytes=size,
                          bytes_per_document=round(size / documents, 1) if documents else 0.0,
                          settings={**asdict(self.settings), "bands": self.bands, "rows": self.rows,
                                    "normalization_version": NORMALIZATION_VERSION},
                          created=meta.get("created"))

    def check(self, *, quick: bool = False) -> list[str]:
        """Problems found in the stored data, empty when it is sound; damage is reported here, not raised.

        SQLite's ``integrity_check`` (``quick_check`` with ``quick``: no index-against-table comparison, faster
        on large files), table by table if a damaged page stops the whole-file check; then the index's own
        invariants: every usable article with its sketch, band keys and a cluster, no dangling rows, edges only
        inside a cluster, cluster ids below the next one to allocate."""
        pragma = "quick_check" if quick else "integrity_check"
        with self._reading():
            problems = self._sqlite_check(pragma)
            for name, sql in _INVARIANTS.items():
                try:
                    count = self._db.execute(sql).fetchone()[0]
                except sqlite3.DatabaseError as exc:
                    if not _corrupt(exc):
                        raise
                    problems.append(f"{name}: cannot be checked ({exc})")
                    continue
                if count:
                    problems.append(f"{count} {name}")
        return problems

    def _sqlite_check(self, pragma: str) -> list[str]:
        try:
            return _damage(self._db.execute(f"PRAGMA {pragma}"))
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise
        # the check stops at the first damaged page it reads as rows: check each table (and its indexes) alone
        try:
            tables = [name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc):
                raise
            return [f"the schema is unreadable ({exc})"]
        problems = []
        for table in tables:
            try:
                rows = self._db.execute(f"PRAGMA {pragma}({table})")
                problems += [f"table {table}: {line}" for line in _damage(rows)]
            except sqlite3.DatabaseError as exc:
                if not _corrupt(exc):
                    raise
                problems.append(f"table {table}: {exc}")
        return problems or [f"SQLite's {pragma} stopped at a damaged page"]

    @contextmanager
    def _reading(self, *sound: str) -> Iterator[None]:
        """One read transaction (one snapshot of the file) unless one is already open; SQLite errors become
        dedup errors. The tables named in ``sound`` (and their indexes) go through SQLite's quick check first, a
        pass over their pages only (``check`` looks at the whole file): ``IndexCorrupt`` rather than reading a
        damaged page as data. ``cell_size_check`` has SQLite check each page's cells as it reads them."""
        own = not self._db.in_transaction
        try:
            if own:
                self._db.execute("PRAGMA cell_size_check = ON")
                self._db.execute("BEGIN")
            for table in sound:
                damage = _damage(self._db.execute(f"PRAGMA quick_check({table})"))
                if damage:
                    raise IndexCorrupt(f"{self.path} is damaged (table {table}: {'; '.join(damage[:3])}"
                                       f"{'; ...' if len(damage) > 3 else ''}); Index.check() lists the damage. "
                                       "Rebuild the index from the articles, or restore a copy")
            yield
        except sqlite3.Error as exc:
            self._raise(exc, "read")
        finally:
            if own:
                with suppress(sqlite3.ProgrammingError):  # closed while an export() iterator was still held
                    self._rollback()
                    self._db.execute("PRAGMA cell_size_check = OFF")

    # --- transactions -------------------------------------------------------------------------------------

    def _write(self, work: Callable[[], T]) -> T:
        """Run ``work`` in one ``BEGIN IMMEDIATE`` transaction; retry the whole of it while the database is
        busy (beyond the busy timeout), then raise ``IndexBusy``. Whatever fails, nothing of ``work`` is kept."""
        for attempt in range(self._retries + 1):
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    result = work()
                    self._db.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
                return result
            except sqlite3.Error as exc:
                if not _busy(exc) or attempt == self._retries:
                    self._raise(exc, "write to")
                _pause(attempt)
        raise AssertionError("unreachable")

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:  # the error being handled matters more; closing the connection rolls back
                pass

    def _raise(self, exc: sqlite3.Error, doing: str) -> NoReturn:
        """Raise the dedup error that says what ``exc`` means for this index (``exc`` itself if none does)."""
        code = _code(exc)
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            raise IndexBusy(f"{self.path} stayed locked by other processes: waited {self._timeout:g} s for the "
                            f"lock, {self._retries + 1} times ({exc}). Give a longer timeout= or more retries=, or "
                            "write smaller batches") from exc
        if code == _SQLITE_FULL:
            raise IndexFull(f"cannot {doing} {self.path}: the disk, a quota or SQLite's page limit is full ({exc}); "
                            "nothing of this write was stored") from exc
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            raise IndexCorrupt(f"{self.path} is damaged ({exc}); Index.check() lists the damage. Rebuild the index "
                               "from the articles, or restore a copy") from exc
        if code in (_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN):
            raise InputError(f"cannot {doing} {self.path}: {exc}") from exc
        raise exc


@dataclass(frozen=True)
class _Sketch:
    """What the index stores to find and verify an article: its sorted distinct shingle hashes, MinHash signature
    and LSH band keys (int64)."""

    shingles: np.ndarray
    signature: np.ndarray
    keys: np.ndarray
    text: str  # the text sketched: the article's, without its site's chrome
    count: int  # its shingles, repeats included (``verify.exact_duplicates`` takes no shorter text for a copy)

    @property
    def size(self) -> int:
        return len(self.shingles)


def _sketches(texts: Sequence[str], settings: Settings) -> list[_Sketch]:
    if not texts:
        return []
    shingles = shingle(texts, ngram=settings.ngram)
    counts, matrix, keys = sign(shingles, settings)
    return [_Sketch(sorted_unique(shingles.of(row)), matrix[row], _signed(keys[row]), texts[row], int(counts[row]))
            for row in range(len(texts))]


class _Batch:
    """A batch of cleaned articles, sketched (whole, before site chrome) and their sites' paragraph hashes, all
    computed before taking the write lock."""

    def __init__(self, articles: list[Article], settings: Settings) -> None:
        self.articles = articles
        usable = [pos for pos, article in enumerate(articles) if article.error is None]
        self.sketches = dict(zip(usable, _sketches([articles[pos].text for pos in usable], settings), strict=True))
        self.site: dict[int, str] = {}
        self.paragraphs: dict[int, list[str]] = {}
        self.hashes: dict[int, list[int]] = {}
        for pos in usable if settings.site_chrome else ():
            site = site_of(articles[pos])
            if site is not None:
                self.site[pos] = site
                self.paragraphs[pos] = paragraphs_of(articles[pos].text)
                self.hashes[pos] = list(map(stable_block_hash, self.paragraphs[pos]))

    def text_without(self, pos: int, chrome: frozenset[int]) -> str | None:
        """The article's text without the paragraphs in ``chrome``; None when that leaves it as it is."""
        text = self.articles[pos].text
        stripped = _without(text, self.paragraphs[pos], self.hashes[pos], chrome)
        return None if stripped == text else stripped


def _without(text: str, paragraphs: list[str], hashes: list[int], chrome: frozenset[int]) -> str:
    """``text`` as the batch rule leaves it once the paragraphs whose hashes are in ``chrome`` are its site's
    chrome (``clean.sitechrome.strip_repeated``)."""
    if not chrome:
        return text
    stripped = strip_repeated(paragraphs, [value in chrome for value in hashes])
    return text if stripped is None else stripped


class _Linked(NamedTuple):
    """What ``Index._link`` found: the verified copies, the ids of the stored articles they link, the boilerplate
    they were verified without, and the stored articles whose sizes may have changed with it."""

    edges: list[_Edge]
    names: dict[int, str]
    boilerplate: Boilerplate
    resized: set[int]


class _Edge(NamedTuple):
    """A verified copy: the later article, the earlier one, and their figures (as in ``Match``)."""

    later: int
    earlier: int
    similarity: float
    containment: float
    relationship: str


class _Graph:
    """The articles and clusters a change touches, as nodes: clusters that stay whole (one node each, first),
    then the members of clusters taken apart, then the new articles, each in ascending order."""

    def __init__(self, clusters: list[int], members: list[int], fresh: list[int], intact: dict[int, int]) -> None:
        self.cluster_node = {cluster: node for node, cluster in enumerate(clusters)}
        self.seq_node = {seq: len(clusters) + number for number, seq in enumerate([*members, *fresh])}
        self.fresh = fresh
        self.intact = intact
        self.first_fresh: dict[int, int] = {}

    def node(self, seq: int) -> int:
        found = self.seq_node.get(seq)
        return self.cluster_node[self.intact[seq]] if found is None else found

    def components(self, pairs: list[tuple[int, int]]) -> list[int]:
        """Component label of each node (its smallest node); remembers each component's first new article."""
        edges = np.array([(self.node(a), self.node(b)) for a, b in pairs], dtype=np.int64).reshape(-1, 2)
        labels: list[int] = connected_components(len(self.cluster_node) + len(self.seq_node), edges).tolist()
        for seq in reversed(self.fresh):
            self.first_fresh[labels[self.seq_node[seq]]] = seq
        return labels

    def seq_components(self, labels: list[int]) -> Iterator[tuple[int, int]]:
        return ((seq, labels[node]) for seq, node in self.seq_node.items())

    def cluster_components(self, labels: list[int]) -> Iterator[tuple[int, int]]:
        return ((cluster, labels[node]) for cluster, node in self.cluster_node.items())


@dataclass
class _Outcome:
    """The clusters after a change: of each article taken apart or new, the old clusters renamed (merged), the
    ids each survivor absorbed, and the merge and split events ((kind, seq of the new article or None,
    survivor, absorbed))."""

    cluster_of_seq: dict[int, int] = field(default_factory=dict)
    renamed: dict[int, int] = field(default_factory=dict)
    merged: dict[int, tuple[int, ...]] = field(default_factory=dict)
    events: list[tuple[str, int | None, int, int]] = field(default_factory=list)
    stored: dict[int, int] = field(default_factory=dict)
    last_cluster: int = 0

    def final(self, seq: int) -> int:
        """The cluster an article is in after the change."""
        found = self.cluster_of_seq.get(seq)
        if found is not None:
            return found
        cluster = self.stored[seq]
        return self.renamed.get(cluster, cluster)


# --- helpers ----------------------------------------------------------------------------------------------


def _signed(keys: np.ndarray) -> np.ndarray:
    """uint64 band keys as the int64 SQLite stores."""
    return keys.view(np.int64)


def _ordered(matches: list[Match]) -> tuple[Match, ...]:
    return tuple(sorted(matches, key=lambda match: (-match.similarity, -match.containment, match.doc)))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _instant(text: str | None) -> str | None:
    """An article's date as a sortable UTC instant in the format of ``added`` (``None`` if unreadable). Dates
    without a time are midnight, dates without a time zone UTC."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    for parse in (datetime.fromisoformat, email.utils.parsedate_to_datetime, _month_day_year):
        try:
            value = parse(text)
            break
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
    else:
        return None
    try:
        return _utc(value)
    except (ValueError, OverflowError):  # a year beyond 1..9999 once in UTC
        return None


def _month_day_year(text: str) -> datetime:
    """``Jan 5, 2020`` and ``January 5, 2020``."""
    for pattern in ("%b %d, %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(text)


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")


def _limit(before: str | date | datetime) -> str:
    """``prune``'s ``before`` as an instant comparable with ``_instant``'s."""
    if isinstance(before, datetime):
        return _utc(before)
    if isinstance(before, date):
        return _utc(datetime(before.year, before.month, before.day))
    limit = _instant(before) if isinstance(before, str) else None
    if limit is None:
        raise ConfigError(f"prune needs a date (YYYY-MM-DD, ISO 8601, RFC 2822 or 'Mar 1, 2024'), a date or a "
                          f"datetime; got {before!r}")
    return limit


def _damage(rows: Iterable[tuple[str]]) -> list[str]:
    """The problems an ``integrity_check`` or ``quick_check`` lists (it says ``ok`` when there are none)."""
    return [line for (text,) in rows for line in text.splitlines() if line not in ("ok", "*** in database main ***")]


def _pause(attempt: int) -> None:
    time.sleep(min(2.0, 0.05 * 2**attempt) * (1 + random.random()))


# primary SQLite result codes (https://sqlite.org/rescode.html); extended codes keep them in their low byte
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 3, 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


#: what SQLite's messages say, for Python 3.10 (its exceptions carry no ``sqlite_errorcode``)
_MESSAGES = (("locked", _SQLITE_BUSY), ("busy", _SQLITE_BUSY), ("full", _SQLITE_FULL),
             ("malformed", _SQLITE_CORRUPT), ("not a database", _SQLITE_NOTADB), ("readonly", _SQLITE_READONLY),
             ("unable to open", _SQLITE_CANTOPEN), ("disk i/o", _SQLITE_IOERR))


def _code(exc: sqlite3.Error) -> int | None:
    code: int | None = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    message = str(exc).lower()
    return next((code for words, code in _MESSAGES if words in message), None)


def _busy(exc: sqlite3.Error) -> bool:
    return _code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED)


def _corrupt(exc: sqlite3.Error) -> bool:
    return _code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


#: ``Index.check``'s invariants: each query counts the rows that break one.
_INVARIANTS = {
    "articles without a sketch": "SELECT count(*) FROM docs d WHERE d.error IS NULL AND NOT EXISTS "
                                 "(SELECT 1 FROM sketches s WHERE s.seq = d.seq)",
    "sketches without an article": "SELECT count(*) FROM sketches s WHERE NOT EXISTS "
                                   "(SELECT 1 FROM docs d WHERE d.seq = s.seq)",
    "band keys without an article": "SELECT count(*) FROM (SELECT seq FROM bands UNION ALL SELECT seq FROM "
                                    "bands_recent) WHERE seq NOT IN (SELECT seq FROM docs)",
    "articles without band keys": "SELECT count(*) FROM docs WHERE size > 0 AND seq NOT IN "
                                  "(SELECT seq FROM bands UNION SELECT seq FROM bands_recent)",
    "edges without both articles": "SELECT count(*) FROM edges e WHERE NOT EXISTS (SELECT 1 FROM docs d "
                                   "WHERE d.seq = e.a) OR NOT EXISTS (SELECT 1 FROM docs d WHERE d.seq = e.b)",
    "edges across clusters": "SELECT count(*) FROM edges e JOIN docs x ON x.seq = e.a JOIN docs y "
                             "ON y.seq = e.b WHERE x.cluster IS NOT y.cluster",
    "usable articles without a cluster": "SELECT count(*) FROM docs WHERE error IS NULL AND cluster IS NULL",
    "boilerplate carriers without an article": "SELECT count(*) FROM carriers k WHERE NOT EXISTS "
                                               "(SELECT 1 FROM sketches s WHERE s.code = k.code)",
    "carried shingles of no carrier": "SELECT count(*) FROM (SELECT DISTINCT code FROM carried) c WHERE NOT EXISTS "
                                      "(SELECT 1 FROM carriers k WHERE k.code = c.code)",
    "clusters above the last allocated id": "SELECT count(DISTINCT cluster) FROM docs WHERE cluster > "
                                            "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_cluster')",
}


def _settings_meta(settings: Settings) -> dict[str, str]:
    return {**{name: json.dumps(value) for name, value in settings.as_dict().items()}, "lsh": _lsh_layout(settings)}


def _lsh_layout(settings: Settings) -> str:
    """The LSH bands and rows the settings resolve to: a new version of dedup may tune them differently for the
    same settings, and the stored band keys only answer for the layout they were made with."""
    bands, rows = lsh_params(settings)
    return f"{bands}x{rows}"


def _stored_settings(meta: dict[str, str]) -> Settings:
    return Settings(**{name: json.loads(meta[name]) for name in Settings.field_names()})


def _check_meta(path: str, meta: dict[str, str], asked: dict[str, Any]) -> Settings:
    if meta.get("format") != _FORMAT:
        raise IncompatibleIndex(f"{path} is an SQLite database but not a dedup index")
    if meta.get("format_version") != str(_FORMAT_VERSION):
        raise IncompatibleIndex(f"{path} is a dedup index of format {meta.get('format_version')}; this version "
                                f"of dedup reads format {_FORMAT_VERSION}. Rebuild the index")
    if meta.get("normalization_version") != str(NORMALIZATION_VERSION):
        raise IncompatibleIndex(
            f"{path} was built with text normalisation version {meta.get('normalization_version')}; this version "
            f"of dedup shingles text with version {NORMALIZATION_VERSION}, so its articles would not match. "
            "Rebuild the index")
    try:
        stored = _stored_settings(meta)
    except (KeyError, ValueError, TypeError) as exc:
        raise IncompatibleIndex(f"{path} has unreadable settings ({exc})") from None
    differing = [f"{key}={getattr(stored, key)!r} (asked for {value!r})" for key, value in asked.items()
                 if getattr(stored, key) != value]
    if differing:
        raise IncompatibleIndex(
            f"{path} was built with {', '.join(differing)}; an index only answers for the settings it was built "
            "with. Leave these options out to use the stored ones, or build a new index")
    if meta.get("lsh") != _lsh_layout(stored):
        raise IncompatibleIndex(
            f"{path} holds LSH band keys for {meta.get('lsh', 'an older layout')} (bands x rows); this version of "
            f"dedup uses {_lsh_layout(stored)} for its settings, so new articles would not find the stored ones. "
            "Rebuild the index")
    return stored


def _probe(path: str, *, create: bool, timeout: float) -> bool:
    """Whether ``path`` must be created; refuses (without writing to it) a file that is not a dedup index."""
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{path} is a directory, not an index file")
    if not file.exists():
        if not create:
            raise InputError(f"no such index: {path}")
        if not file.parent.exists():
            raise InputError(f"no such directory: {file.parent}")
        return True
    try:
        with open(file, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not header:
        return True  # an empty file is an empty database
    if not header.startswith(_SQLITE_MAGIC):
        raise IncompatibleIndex(f"{path} is not a dedup index (not an SQLite database)")
    # A look at the header fields and the settings, through SQLite (the WAL may hold the newest pages).
    for attempt in range(8):
        try:
            return _look(path, file, timeout)
        except sqlite3.Error as exc:  # busy: another process is creating or recovering it
            if not _busy(exc) or attempt == 7:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _look(path: str, file: Path, timeout: float) -> bool:
    """Whether the SQLite file ``path`` is empty; refuses one that is not a dedup index of this version.

    Everything is read in one transaction, so in one snapshot: a process creating the index at the same
    moment is seen before or after its schema commit, never half-way. The connection only reads; it is opened
    read-write (``mode=rw`` creates nothing) because a read-only connection to a WAL file leaves -wal and -shm
    files behind, which only their owner can safely delete: SQLite itself removes them when the last
    connection closes."""
    try:
        probe = sqlite3.connect(file.resolve().as_uri() + "?mode=rw", uri=True, timeout=timeout,
                                isolation_level=None)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open {path}: {exc}") from exc
    try:
        probe.execute("BEGIN")
        application_id, tables = probe.execute(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        if application_id == 0 and tables == 0:
            return True  # an empty database
        if application_id != _APPLICATION_ID:
            raise IncompatibleIndex(f"{path} is an SQLite database but not a dedup index")
        meta = dict(probe.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error as exc:
        if _busy(exc):
            raise
        if _code(exc) in (_SQLITE_PERM, _SQLITE_IOERR, _SQLITE_CANTOPEN):
            raise InputError(f"cannot read {path}: {exc}") from exc
        kind = IndexCorrupt if _corrupt(exc) else IncompatibleIndex
        raise kind(f"{path} is not a readable dedup index ({exc})") from exc
    finally:
        probe.close()
    _check_meta(path, meta, {})
    return False
