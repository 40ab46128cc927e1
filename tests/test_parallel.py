"""Results never depend on the number of worker processes or on the size of the pieces they get."""

from __future__ import annotations

import json
from importlib import import_module

import numpy as np
import pytest

from dedup import _parallel, cluster, cluster_files, load, signatures
from dedup.errors import ConfigError

cluster_module = import_module("dedup.cluster")
documents_module = import_module("dedup.documents")
minhash_module = import_module("dedup.minhash")
shingle_module = import_module("dedup.shingle")


def _square_range(state, start, stop):
    return [value * value for value in state[start:stop]]


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("size", [1, 4, 100])
def test_map_ranges_keeps_input_order(workers, size):
    values = list(range(37))
    seen = []
    parts = _parallel.map_ranges(_square_range, values, _parallel.split(len(values), size), workers=workers,
                                 done=seen.append)
    assert [value for part in parts for value in part] == [value * value for value in values]
    assert seen == sorted(seen) and seen[-1] == len(values)


def test_workers_are_validated():
    assert _parallel.resolve_workers(3) == 3
    assert _parallel.resolve_workers(None) >= 1
    with pytest.raises(ConfigError):
        _parallel.resolve_workers(0)


def _corpus(n: int, seed: int = 5) -> list[str]:
    rng = np.random.default_rng(seed)
    vocabulary = [f"w{k}" for k in range(3000)] + ["the", "of", "and", "to", "in", "said"] * 50
    texts = []
    for number in range(n):
        if number % 7 == 3:  # a reprint of an earlier text with its last fifth cut
            words = texts[number - 3].split()
            texts.append(" ".join(words[: len(words) * 4 // 5]))
        elif number % 11 == 5:  # an exact copy
            texts.append(texts[number - 1])
        else:
            texts.append(" ".join(rng.choice(vocabulary, int(rng.integers(30, 300)))) + ".")
    return texts


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of a few hundred bytes and no size floor for forking, so a small batch is split many ways."""
    monkeypatch.setattr(shingle_module, "_PIECE_BYTES", 700)
    monkeypatch.setattr(minhash_module, "_PARALLEL_CHARS", 0)
    monkeypatch.setattr(cluster_module, "_PARALLEL_ITEMS", 0)
    monkeypatch.setattr(cluster_module, "_PARALLEL_PAIRS", 0)
    monkeypatch.setattr(documents_module, "_PARALLEL_FILES", 0)


def test_signatures_do_not_depend_on_workers_or_pieces(small_pieces, monkeypatch):
    texts = _corpus(120)
    reference = signatures(texts, num_perm=64, workers=1)
    for piece_bytes, workers in ((700, 2), (5000, 2), (10**9, 1), (300, 3)):
        monkeypatch.setattr(shingle_module, "_PIECE_BYTES", piece_bytes)
        result = signatures(texts, num_perm=64, workers=workers)
        assert np.array_equal(result.matrix, reference.matrix)
        assert np.array_equal(result.sizes, reference.sizes)


def test_shingles_do_not_depend_on_pieces(monkeypatch):
    texts = _corpus(60)
    whole = shingle_module.shingle(texts, ngram=5)
    monkeypatch.setattr(shingle_module, "_PIECE_BYTES", 500)
    pieces = shingle_module.shingle(texts, ngram=5)
    assert np.array_equal(whole.hashes, pieces.hashes)
    assert np.array_equal(whole.offsets, pieces.offsets)


def _summary(result):
    return (result.labels, [(c.canonical, [(m.doc, m.canonical, m.similarity, m.containment) for m in c.members])
                            for c in result.clusters], [a.text for a in result.articles])


def test_clusters_do_not_depend_on_workers_or_pieces(small_pieces, monkeypatch):
    texts = _corpus(150)
    reference = cluster(texts, workers=1)
    assert any(len(c) > 2 for c in reference.clusters)  # the corpus has real clusters
    for piece_bytes, workers in ((700, 2), (10**9, 2), (400, 3)):
        monkeypatch.setattr(shingle_module, "_PIECE_BYTES", piece_bytes)
        assert _summary(cluster(texts, workers=workers)) == _summary(reference)


def test_load_does_not_depend_on_workers(small_pieces, tmp_path):
    texts = _corpus(40)
    for number, text in enumerate(texts):
        folder = tmp_path / f"d{number % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"{number:03d}.txt").write_text(f"date 2026-01-{number % 28 + 1:02d}\n{text}\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert load(tmp_path, workers=2) == load(tmp_path, workers=1)


def _site_folder(root, texts):
    """Three sub-folders (sites) whose pages carry the site's own promo line, plus unusable files and a JSON
    lines file of several records."""
    promos = {0: "Subscribe to the Morning Brief for the day's news in five minutes.",
              1: "Follow the Valley Courier on every platform for more local stories.", 2: ""}
    for number, text in enumerate(texts):
        site = number % 3
        folder = root / f"site{site}"
        folder.mkdir(exist_ok=True)
        body = f"{text}\n\n{promos[site]}" if promos[site] else text
        (folder / f"{number:03d}.txt").write_text(f"date 2026-02-{number % 28 + 1:02d}\n{body}\n", encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    records = [{"id": f"r{n}", "text": texts[n]} for n in range(3)] + [{"no": "text"}]
    (root / "feed.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n{broken\n", encoding="utf-8")


def test_clustering_files_in_one_pass_equals_loading_then_clustering(small_pieces, monkeypatch, tmp_path):
    monkeypatch.setattr(cluster_module, "_MIN_CHUNK", 3)
    _site_folder(tmp_path, _corpus(60))
    reference = cluster(load(tmp_path), workers=1)
    assert any(len(c) > 2 for c in reference.clusters)
    assert sum(a.error is not None for a in reference.articles) == 4
    assert any(a.text != b.text for a, b in zip(reference.articles, cluster(load(tmp_path), workers=1,
               settings=cluster_module.Settings(site_chrome=False)).articles, strict=True))  # promos were dropped
    for workers in (1, 2, 3):
        assert _summary(cluster_files(tmp_path, workers=workers)) == _summary(reference)


def _fail_on_range(state, start, stop):
    if start <= state < stop:
        raise ValueError(f"bad item {state}")
    return list(range(start, stop))


@pytest.mark.parametrize("bad", [0, 17, 39])
def test_an_error_in_any_worker_is_raised_here(bad):
    with pytest.raises(ValueError, match=f"bad item {bad}"):
        _parallel.map_ranges(_fail_on_range, bad, _parallel.split(40, 1), workers=3)
