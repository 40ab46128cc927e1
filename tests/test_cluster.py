from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Article, ConfigError, Settings, cluster, load
from dedup import _reference as ref
from dedup.components import connected_components

from .conftest import SAMPLES

SEEDS = ("000_6bbe357bb2cbdd54.txt", "001_ce003f8fa7d848aa.txt", "004_0cdd86806f2c5362.txt")


def _groups(result):
    return {frozenset(member.doc for member in group.members) for group in result.clusters}


def test_samples_cluster_the_ani_reprints_and_keep_other_seeds_apart():
    result = cluster(load(SAMPLES))
    groups = _groups(result)
    assert frozenset({SEEDS[1], "002_northern_tribune_reprint.txt", "003_global_desk_reprint.html"}) in groups
    assert frozenset({SEEDS[0]}) in groups
    assert frozenset({SEEDS[2]}) in groups


@pytest.mark.parametrize("threshold", [0.2, 0.3, 0.5, 0.8])
def test_seed_004_never_clusters_with_000_or_001(threshold):
    docs = [doc for doc in load(SAMPLES) if doc.id in SEEDS]
    result = cluster(docs, threshold=threshold, containment=threshold)
    label = dict(zip((a.id for a in result.articles), result.labels, strict=True))
    assert label[SEEDS[2]] not in (label[SEEDS[0]], label[SEEDS[1]])


def test_every_input_appears_once_with_unusable_ones_unlabelled():
    docs = load(SAMPLES)
    extra = [Article(id="bad", text="", error="empty file")]
    result = cluster(list(docs) + extra)
    assert [a.id for a in result.articles] == [d.id for d in docs] + ["bad"]
    assert result.labels[-1] is None
    members = [m.doc for group in result.clusters for m in group.members]
    assert sorted(members) == sorted(d.id for d in docs)


def test_canonical_is_the_earliest_dated_then_the_most_complete():
    body = " ".join(f"sentence {n} of the wire story about the port strike and the talks." for n in range(40))
    docs = [
        Article(id="late-full", text=body + " Extra closing paragraph added by the paper.", date="2022-03-02"),
        Article(id="early-cut", text=body[: int(len(body) * 0.7)], date="2022-03-01"),
        Article(id="undated", text=body),
    ]
    result = cluster(docs)
    assert len(result.clusters) == 1
    assert result.clusters[0].canonical == "early-cut"
    undated = cluster([Article(id="short", text=body[: len(body) // 2]), Article(id="long", text=body)])
    assert undated.clusters[0].canonical == "long"


def test_result_does_not_depend_on_input_order():
    docs = list(load(SAMPLES))
    forward = _groups(cluster(docs))
    backward = _groups(cluster(docs[::-1]))
    assert forward == backward


def test_strings_are_accepted():
    text = ("The minister said on Monday that the talks would resume next week in Geneva with all parties present, "
            "and that a first draft of the agreement could be ready by the end of the month.")  # 25+ words (issue 15)
    result = cluster([text, text, "Something else entirely about football results and a new coach at the club."])
    assert result.labels[0] == result.labels[1] != result.labels[2]


def test_settings_are_validated():
    with pytest.raises(ConfigError):
        Settings(threshold=0)
    with pytest.raises(ConfigError):
        Settings(containment=1.5)
    with pytest.raises(ConfigError):
        cluster([], num_perm=2)


@given(st.integers(1, 40), st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60))
@settings(max_examples=200, deadline=None)
def test_connected_components_match_union_find(n, raw_edges):
    edges = [(a % n, b % n) for a, b in raw_edges]
    array = np.array(edges, dtype=np.int64).reshape(-1, 2)
    assert connected_components(n, array).tolist() == ref.components(n, edges)


def test_a_long_chain_is_one_component():
    n = 3000
    edges = np.stack([np.arange(n - 1), np.arange(1, n)], axis=1)[::-1].copy()
    assert set(connected_components(n, edges).tolist()) == {0}


@given(st.sets(st.integers(0, 80)), st.sets(st.integers(0, 80)))
@settings(max_examples=200, deadline=None)
def test_overlap_matches_the_reference(a, b):
    from dedup.verify import overlap

    ours = overlap(np.array(sorted(a), dtype=np.uint64), np.array(sorted(b), dtype=np.uint64))
    assert ours == pytest.approx(ref.jaccard_containment(a, b))


def test_thousands_of_identical_articles_form_one_cluster_and_nothing_is_lost():
    rng = np.random.default_rng(3)
    vocabulary = [f"w{n}" for n in range(4000)]
    story = " ".join(rng.choice(vocabulary, 300))
    others = [" ".join(rng.choice(vocabulary, 300)) for _ in range(50)]
    trimmed = " ".join(story.split()[:240])  # a cut copy of the story joins it through verification
    articles = [Article(id=f"copy{n}", text=story) for n in range(3000)]
    articles += [Article(id=f"other{n}", text=text) for n, text in enumerate(others)]
    articles.append(Article(id="trimmed", text=trimmed))
    result = cluster(articles, workers=1)
    sizes = sorted(len(group) for group in result.clusters)
    assert sizes[-1] == 3001 and sizes[:-1] == [1] * 50
    assert result.clusters[0].canonical == "copy0"
    assert {member.similarity for member in result.clusters[0].members if member.doc.startswith("copy")} == {1.0}


def test_clustering_files_takes_a_folder_or_one_file_and_refuses_a_missing_path(tmp_path):
    from dedup import InputError, cluster_files

    assert _groups(cluster_files(SAMPLES)) == _groups(cluster(load(SAMPLES)))
    single = cluster_files(SAMPLES / SEEDS[0])
    assert [article.id for article in single.articles] == [str(SAMPLES / SEEDS[0])]
    with pytest.raises(InputError):
        cluster_files(tmp_path / "missing")


def _sites_batch(seed: int) -> list[Article]:
    """Articles of a few sites (by ``source``), each site with its own menu and footer paragraphs on most of its
    pages, a one-word sign-off on some, and a few stories that two sites both ran."""
    rng = np.random.default_rng(seed)
    words = [f"w{n}" for n in range(400)]

    def paragraph(size: int) -> str:
        return " ".join(rng.choice(words, size).tolist()) + "."

    stories = [[paragraph(40) for _ in range(5)] for _ in range(12)]
    out = []
    for site in range(4):
        chrome = [paragraph(8), paragraph(12)]
        for page in range(rng.integers(2, 14)):
            body = stories[int(rng.integers(len(stories)))] if rng.random() < 0.4 else [paragraph(40) for _ in range(4)]
            extra = [c for c in chrome if rng.random() < 0.7] + (["REUTER"] if rng.random() < 0.5 else [])
            out.append(Article(id=f"s{site}-{page}", text="\n\n".join(body + extra), source=f"site{site}"))
    out.append(Article(id="no-site", text="\n\n".join(stories[0] + ["REUTER"])))
    out.append(Article(id="unusable", text="", error="empty file", source="site0"))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_site_chrome_stage_equals_removing_repeated_blocks_over_the_whole_batch(seed):
    from dedup import pipeline
    from dedup.clean import remove_repeated_blocks

    articles = _sites_batch(seed)
    settings = Settings()
    found = pipeline.clean_inputs(articles, settings)
    pipeline.remove_site_chrome(found, settings)
    assert found.articles == remove_repeated_blocks(articles)
    assert any(article.text != before.text for article, before in zip(found.articles, articles, strict=True))


@pytest.mark.parametrize("workers", [1, 2])
def test_the_batch_is_fingerprinted_on_its_texts_without_site_chrome(workers, monkeypatch):
    import importlib

    from dedup import pipeline
    from dedup.clean import remove_repeated_blocks
    from dedup.shingle import shingle

    cluster_module = importlib.import_module("dedup.cluster")
    monkeypatch.setattr(cluster_module, "_PARALLEL_ITEMS", 2)  # cleaning and fingerprints over processes
    monkeypatch.setattr(pipeline, "_PARALLEL_CLEAN", 2)
    seen, candidates = [], pipeline.candidates

    def recorded(found, settings=None):  # the real stage, its input kept
        seen.append(found)
        return candidates(found, settings)

    monkeypatch.setattr(pipeline, "candidates", recorded)
    for seed in range(3):
        articles = _sites_batch(seed)
        found = cluster(articles, workers=workers)
        stripped = remove_repeated_blocks(articles)
        assert found.articles == tuple(stripped) != tuple(articles)
        texts = pipeline.texts_of(stripped)
        sizes, _matrix, keys = pipeline.sign(shingle(texts, ngram=5), Settings())
        fingerprints = seen[-1]
        assert np.array_equal(fingerprints.sizes, sizes) and np.array_equal(fingerprints.keys, keys)
        assert np.array_equal(fingerprints.codes, pipeline.text_codes(texts))
