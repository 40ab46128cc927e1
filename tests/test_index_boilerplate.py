"""The index's boilerplate tables: the upper bounds that spare ``Carriers`` most of its counting (``_Bounds``)
are never below the carried rows, whatever the collisions, full counters or the file's age."""

from __future__ import annotations

import random

import numpy as np
import pytest

from dedup import Index
from dedup import index_boilerplate as ib

from .test_engines import add_in_batches, batch_view, disclaimer_corpus, index_view


def _carried(index: Index) -> np.ndarray:
    rows = index._db.execute("SELECT hash FROM carried UNION ALL SELECT hash FROM carried_recent").fetchall()
    return np.array([value for (value,) in rows], dtype=np.int64).view(np.uint64)


def _stored_counters(index: Index) -> np.ndarray:
    chunks = 2 * ib._BOUND_WIDTH // ib._CHUNK  # those of a former layout may follow: never read
    rows = index._db.execute("SELECT chunk, counters FROM bounds WHERE chunk BETWEEN 0 AND ? ORDER BY chunk",
                             (chunks - 1,)).fetchall()
    assert [chunk for chunk, _blob in rows] == list(range(chunks))
    return np.concatenate([np.frombuffer(blob, dtype="<u2") for _chunk, blob in rows])


@pytest.mark.parametrize("seed", [0, 1])
def test_the_counters_are_the_carried_rows_of_each_slot(tmp_path, monkeypatch, seed):
    """Without a full counter the bounds are exact sums: each counter, the carried rows whose shingles use it."""
    monkeypatch.setattr(ib, "_BOUNDS_FROM", 0)
    articles = disclaimer_corpus(seed)
    random.Random(seed).shuffle(articles)
    with Index(tmp_path / "b.db") as index:
        index._carriers._recent_limit = 400
        add_in_batches(index, articles, [7, 2, 11])
        index.remove([article.id for article in articles[:: 4]])
        hashes = _carried(index)
        assert len(hashes)
        mask = np.uint64(ib._BOUND_WIDTH - 1)
        slots = np.concatenate(((hashes & mask).astype(np.int64),
                                ((hashes >> np.uint64(32)) & mask).astype(np.int64) + ib._BOUND_WIDTH))
        expected = np.bincount(slots, minlength=2 * ib._BOUND_WIDTH)
        assert np.array_equal(_stored_counters(index), expected)


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_colliding_and_full_counters_still_give_the_batch_clusters(tmp_path, monkeypatch, seed):
    """Eight counters a piece, full at 5: every shingle's bound is too high or unknown, never too low."""
    monkeypatch.setattr(ib, "_BOUND_WIDTH", 8)
    monkeypatch.setattr(ib, "_CHUNK", 4)
    monkeypatch.setattr(ib, "_FULL", 5)
    monkeypatch.setattr(ib, "_BOUNDS_FROM", 0)
    articles = disclaimer_corpus(seed)
    shuffled = list(articles)
    random.Random(seed).shuffle(shuffled)
    gone = {article.id for article in shuffled[: len(shuffled) // 4]}
    with Index(tmp_path / "c.db") as index:
        add_in_batches(index, shuffled, [5, 1, 9])
        index.remove(sorted(gone))
        assert index.check() == []
        assert index_view(index) == batch_view([a for a in articles if a.id not in gone])
        assert (_stored_counters(index) == 5).any()


def test_the_bounds_are_built_from_the_carried_rows_once_enough_texts_are_pooled(tmp_path, monkeypatch):
    """Below ``_BOUNDS_FROM`` pooled texts (or in a file written before the bounds were kept) every shingle is
    counted; the first write past it builds the bounds from the carried rows."""
    articles = disclaimer_corpus(6)
    with Index(tmp_path / "old.db") as index:
        index.add_many(articles[:40])
        assert index._db.execute("SELECT count(*) FROM bounds").fetchone()[0] == 0
        index._db.execute("DROP TABLE bounds")
    monkeypatch.setattr(ib, "_BOUNDS_FROM", 1)
    with Index(tmp_path / "old.db") as index:
        add_in_batches(index, articles[40:], [3, 8])
        assert index_view(index) == batch_view(articles)
        assert _stored_counters(index).sum() == 2 * len(_carried(index))


def test_bounds_of_another_layout_are_built_again(tmp_path, monkeypatch):
    monkeypatch.setattr(ib, "_BOUNDS_FROM", 0)
    articles = disclaimer_corpus(7)
    with Index(tmp_path / "w.db") as index:
        index.add_many(articles[:30])
    monkeypatch.setattr(ib, "_BOUND_WIDTH", 1 << 12)
    with Index(tmp_path / "w.db") as index:
        add_in_batches(index, articles[30:], [4, 9])
        assert index_view(index) == batch_view(articles)
        assert _stored_counters(index).sum() == 2 * len(_carried(index))
