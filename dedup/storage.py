"""The index's SQLite rows for adding and removing articles: candidates by band key, shingle sets, sketches, edges,
cluster members, and the site paragraphs that site-chrome removal counts.

Every function runs inside the caller's transaction on the index's connection; none commits. Band keys are the
int64 view of ``lsh.band_keys``; shingle sets are sorted uint64, little-endian.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["SCHEMA", "TEMP_SCHEMA", "by_key", "candidates", "carriers", "chrome_hashes", "chrome_of", "cluster_members",
           "clusters_of", "delete_articles", "delete_edges", "edges_within", "fetch", "ids_of", "pack_set",
           "replace_bands", "save_chrome", "site_ids", "sites_of", "store_paragraphs", "store_texts", "texts",
           "text_codes", "shingle_sets", "unpack_set", "want"]

SCHEMA = """
CREATE TABLE sites (                        -- site-chrome removal: a site's usable articles and its chrome now
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    docs INTEGER NOT NULL,
    chrome BLOB NOT NULL                    -- sorted int64 paragraph hashes that are the site's chrome
);
CREATE TABLE paragraphs (                   -- distinct paragraph hashes (clean.sitechrome.stable_block_hash)
    site INTEGER NOT NULL, hash INTEGER NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (site, hash, seq)
) WITHOUT ROWID;
CREATE INDEX paragraphs_seq ON paragraphs (seq);
CREATE TABLE texts (                        -- each usable article's cleaned text before site chrome (zlib): for
    seq INTEGER PRIMARY KEY,                -- site chrome, and the alignment of borderline pairs
    site INTEGER,                           -- sites.id, NULL without a site
    text BLOB NOT NULL
);
"""

TEMP_SCHEMA = """
CREATE TEMP TABLE IF NOT EXISTS probe (pos INTEGER NOT NULL, key INTEGER NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS wanted (seq INTEGER PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS names (pos INTEGER NOT NULL, id TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS hashes (hash INTEGER PRIMARY KEY);
"""


def by_key(owners: np.ndarray, keys: np.ndarray) -> list[list[int]]:
    """``[owner, key]`` rows sorted by key (``owners`` already repeated per key): sorted keys walk the B-tree in
    order, which keeps the pages an insert or a join touches in the CPU cache."""
    flat = keys.ravel()
    order = np.argsort(flat, kind="stable")
    rows: list[list[int]] = np.column_stack((owners[order], flat[order])).tolist()
    return rows


def pack_set(shingles: np.ndarray) -> bytes:
    # Raw little-endian uint64. Measured on generated news: zlib leaves 0.3% (the hashes are uniform), and
    # delta coding plus zlib 4%, not worth the decoding on every verification.
    return shingles.astype("<u8").tobytes()


def unpack_set(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


def want(db: sqlite3.Connection, seqs: Iterable[int]) -> None:
    db.execute("DELETE FROM wanted")
    db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((seq,) for seq in seqs))


def _by_seq(db: sqlite3.Connection, seqs: Iterable[int], table: str, column: str) -> dict[int, Any]:
    """seq -> ``column`` of ``table`` for these articles, where it is not NULL."""
    want(db, seqs)
    return dict(db.execute(f"SELECT t.seq, t.{column} FROM wanted w CROSS JOIN {table} t ON t.seq = w.seq "
                           f"WHERE t.{column} IS NOT NULL").fetchall())


def candidates(db: sqlite3.Connection, seqs: np.ndarray, keys: np.ndarray) -> list[tuple[int, int]]:
    """(seq, other) for every stored article ``other`` sharing a band key with ``seqs[i]`` (``keys[i]``)."""
    db.execute("DELETE FROM probe")
    if not len(seqs):
        return []
    db.executemany("INSERT INTO probe VALUES (?, ?)", by_key(np.repeat(seqs, keys.shape[1]), keys))
    return db.execute("SELECT p.pos, b.seq FROM probe p JOIN bands b ON b.key = p.key UNION "
                      "SELECT p.pos, b.seq FROM probe p JOIN bands_recent b ON b.key = p.key").fetchall()


def fetch(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, tuple[str, int, np.ndarray]]:
    """id, cluster and shingle set of stored articles."""
    want(db, seqs)
    rows = db.execute("SELECT d.seq, d.id, d.cluster, s.shingles FROM wanted w CROSS JOIN docs d ON d.seq = w.seq "
                      "JOIN sketches s ON s.seq = w.seq").fetchall()
    return {seq: (doc_id, cluster, unpack_set(blob)) for seq, doc_id, cluster, blob in rows}


def replace_bands(db: sqlite3.Connection, old: Sequence[tuple[int, np.ndarray]],
                  new: Sequence[tuple[int, np.ndarray]]) -> None:
    """Delete the band keys ``old`` ((seq, keys) each) and insert ``new`` into the recent table."""
    if old:
        rows = [(key, seq) for seq, keys in old for key in keys.tolist()]
        db.executemany("DELETE FROM bands WHERE key = ? AND seq = ?", rows)
        db.executemany("DELETE FROM bands_recent WHERE key = ? AND seq = ?", rows)
    if new:
        keys = np.stack([keys for _seq, keys in new])
        owners = np.repeat(np.array([seq for seq, _keys in new], dtype=np.int64), keys.shape[1])
        db.executemany("INSERT OR IGNORE INTO bands_recent (seq, key) VALUES (?, ?)", by_key(owners, keys))


def delete_edges(db: sqlite3.Connection, seqs: Iterable[int]) -> None:
    rows = [(seq,) for seq in seqs]
    db.executemany("DELETE FROM edges WHERE a = ?", rows)
    db.executemany("DELETE FROM edges WHERE b = ?", rows)


def delete_articles(db: sqlite3.Connection, seqs: Sequence[int]) -> None:
    """Every row of these articles but their band keys (the caller knows those from their signatures)."""
    rows = [(seq,) for seq in seqs]
    delete_edges(db, seqs)
    for table in ("sketches", "docs", "texts", "paragraphs"):
        db.executemany(f"DELETE FROM {table} WHERE seq = ?", rows)


def text_codes(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, int]:
    """seq -> ``sketches.code`` of these stored articles."""
    return _by_seq(db, seqs, "sketches", "code")


def shingle_sets(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, np.ndarray]:
    """seq -> stored shingle set of these articles."""
    return {seq: unpack_set(blob) for seq, blob in _by_seq(db, seqs, "sketches", "shingles").items()}


def clusters_of(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, int]:
    """The cluster of each of these articles that is in one (an unusable article is in none)."""
    return _by_seq(db, seqs, "docs", "cluster")


def ids_of(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, str]:
    return _by_seq(db, seqs, "docs", "id")


def cluster_members(db: sqlite3.Connection, clusters: Iterable[int]) -> dict[int, int]:
    """seq -> cluster of every stored member of these clusters."""
    members: dict[int, int] = {}
    for cluster in sorted(set(clusters)):
        for (seq,) in db.execute("SELECT seq FROM docs WHERE cluster = ?", (cluster,)):
            members[seq] = cluster
    return members


def edges_within(db: sqlite3.Connection, seqs: Iterable[int]) -> list[tuple[int, int]]:
    """The stored edges whose both ends are among ``seqs``."""
    want(db, seqs)
    return db.execute("SELECT e.a, e.b FROM wanted w CROSS JOIN edges e ON e.a = w.seq "
                      "WHERE e.b IN (SELECT seq FROM wanted)").fetchall()


# --- site paragraphs ------------------------------------------------------------------------------------------


def site_ids(db: sqlite3.Connection, names: Iterable[str]) -> dict[str, int]:
    """The id of each site, created (with no documents) when new."""
    found = {}
    for name in sorted(set(names)):
        db.execute("INSERT OR IGNORE INTO sites (name, docs, chrome) VALUES (?, 0, ?)", (name, b""))
        found[name] = db.execute("SELECT id FROM sites WHERE name = ?", (name,)).fetchone()[0]
    return found


def store_paragraphs(db: sqlite3.Connection, site: int, articles: Sequence[tuple[int, str, Collection[int]]],
                     added: int) -> None:
    """Count ``added`` articles more (fewer when negative) for ``site`` and store the new ones' distinct
    paragraph hashes ((seq, text, hashes) each)."""
    db.execute("UPDATE sites SET docs = docs + ? WHERE id = ?", (added, site))
    db.executemany("INSERT OR IGNORE INTO paragraphs VALUES (?, ?, ?)",
                   [(site, value, seq) for seq, _text, hashes in articles for value in hashes])


def store_texts(db: sqlite3.Connection, articles: Sequence[tuple[int, int | None, str]]) -> None:
    """The cleaned texts (before site chrome) of new usable articles: (seq, site id or None, text) each."""
    db.executemany("INSERT OR REPLACE INTO texts VALUES (?, ?, ?)",
                   [(seq, site, zlib.compress(text.encode("utf-8", "surrogatepass"), 1))
                    for seq, site, text in articles])


def chrome_hashes(db: sqlite3.Connection, site: int, needed: float,
                  among: Iterable[int] | None) -> tuple[frozenset[int], frozenset[int]]:
    """(chrome stored for the site, chrome now): the paragraph hashes carried by at least ``needed`` of its
    articles, looked for ``among`` these hashes and the stored chrome (every hash when ``among`` is None)."""
    old = chrome_of(db, site)
    if needed == float("inf"):
        return old, frozenset()
    if among is None:
        rows = db.execute("SELECT hash FROM paragraphs WHERE site = ? GROUP BY hash HAVING count(*) >= ?",
                          (site, needed))
    else:
        _hashes(db, {*among, *old})
        rows = db.execute("SELECT p.hash FROM hashes h JOIN paragraphs p ON p.site = ? AND p.hash = h.hash "
                          "GROUP BY p.hash HAVING count(*) >= ?", (site, needed))
    return old, frozenset(value for (value,) in rows)


def chrome_of(db: sqlite3.Connection, site: int | str) -> frozenset[int]:
    """The paragraph hashes stored as a site's chrome (the site by id or by name; none for an unknown site)."""
    column = "id" if isinstance(site, int) else "name"
    row = db.execute(f"SELECT chrome FROM sites WHERE {column} = ?", (site,)).fetchone()
    return frozenset(np.frombuffer(row[0], dtype="<i8").tolist()) if row else frozenset()


def _hashes(db: sqlite3.Connection, values: Iterable[int]) -> None:
    db.execute("DELETE FROM hashes")
    db.executemany("INSERT OR IGNORE INTO hashes VALUES (?)", ((value,) for value in values))


def save_chrome(db: sqlite3.Connection, site: int, chrome: frozenset[int]) -> None:
    db.execute("UPDATE sites SET chrome = ? WHERE id = ?", (np.array(sorted(chrome), dtype="<i8").tobytes(), site))


def carriers(db: sqlite3.Connection, site: int, hashes: Iterable[int]) -> list[int]:
    """The stored articles of a site that carry any of these paragraph hashes."""
    _hashes(db, hashes)
    return [seq for (seq,) in db.execute("SELECT DISTINCT p.seq FROM hashes h JOIN paragraphs p "
                                         "ON p.site = ? AND p.hash = h.hash ORDER BY p.seq", (site,))]


def sites_of(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, int]:
    """seq -> site id of these articles (those with a site)."""
    return _by_seq(db, seqs, "texts", "site")


def texts(db: sqlite3.Connection, seqs: Iterable[int]) -> dict[int, str]:
    """The stored texts (before site chrome) of these articles."""
    return {seq: zlib.decompress(blob).decode("utf-8", "surrogatepass")
            for seq, blob in _by_seq(db, seqs, "texts", "text").items()}

