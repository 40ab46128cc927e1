"""The Spark engine on real local Spark (2 cores), against slow oracles and the local engine."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("pyspark")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dedup import ConfigError, Document, Settings, cluster, load  # noqa: E402
from dedup import spark as dspark  # noqa: E402
from dedup.cli import main  # noqa: E402
from dedup.report import render  # noqa: E402

from .conftest import ROOT, SAMPLES  # noqa: E402

QUALITY_SLICE = ROOT / "tests" / "fixtures" / "quality_slice" / "corpus"


@pytest.fixture(scope="module")
def spark():
    session = dspark.session("local[2]", app_name="dedup-tests", shuffle_partitions=2)
    yield session
    session.stop()


# --- connected components against union-find --------------------------------------------


def _union_find_components(edges, nodes=()):
    """Slow oracle: node -> smallest node of its component."""
    parent: dict[int, int] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node in nodes:
        find(node)
    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def _spark_components(spark, edges):
    df = spark.createDataFrame(list(edges), "src long, dst long")
    rows = dspark.connected_components(df).collect()
    result = {row["node"]: row["component"] for row in rows}
    assert len(result) == len(rows), "one row per node"
    return result


def _check(spark, edges):
    assert _spark_components(spark, edges) == _union_find_components(edges)


def test_components_of_a_long_chain_in_shuffled_label_order(spark):
    rng = random.Random(7)
    labels = list(range(150))
    rng.shuffle(labels)
    _check(spark, list(zip(labels[:-1], labels[1:], strict=True)))


def test_components_of_a_chain_with_decreasing_labels(spark):
    _check(spark, [(i + 1, i) for i in range(100)][::-1])


def test_components_of_stars_centred_anywhere(spark):
    # a star centred on its smallest node, one on its largest, one on a middle node
    edges = [(0, i) for i in range(1, 50)]
    edges += [(199, i) for i in range(100, 199)]
    edges += [(1050, i) for i in range(1000, 1100) if i != 1050]
    _check(spark, edges)


def test_components_keep_self_loops_and_duplicate_edges(spark):
    edges = [(5, 5), (1, 2), (2, 1), (1, 2), (9, 8), (8, 9), (7, 7), (3, 4)]
    assert _spark_components(spark, edges) == {
        1: 1,
        2: 1,
        3: 3,
        4: 3,
        5: 5,
        7: 7,
        8: 8,
        9: 8,
    }


def test_components_of_seeded_random_graphs(spark):
    rng = random.Random(20260)
    for n, m in [(1500, 1200)]:
        # ids spread over a wide range, as document ids would be
        ids = rng.sample(range(10**12), n)
        edges = [(ids[rng.randrange(n)], ids[rng.randrange(n)]) for _ in range(m)]
        _check(spark, edges)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=60))
def test_components_match_union_find(spark, edges):
    if not edges:
        return
    _check(spark, edges)


def test_components_of_no_edges_is_empty(spark):
    assert _spark_components(spark, []) == {}


# --- the pipeline against the local engine ----------------------------------------------

_FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by this had not are but from or have an they "
    "which one were her all she there would their we him been has when who will more no if out so said what up its "
    "about into than them can only other new some could time these two may then do first"
).split()


def _generated(n: int, *, seed: int, identical: int = 0) -> list[Document]:
    """A seeded corpus of news-length articles: a third of them reprints of earlier ones, cut from the bottom, with
    a local intro or with copy edits; dates on most; ``identical`` exact copies of the first story scattered in."""
    rng = random.Random(seed)
    letters, vowels = "bcdfghjklmnprstvwz", "aeiou"
    vocab = sorted(
        {"".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    )

    def sentence() -> str:
        words = [rng.choice(_FUNCTION_WORDS) if rng.random() < 0.45 else rng.choice(vocab)
                 for _ in range(rng.randint(8, 20))]
        return " ".join(words).capitalize() + "."

    stories: list[list[str]] = []
    docs = []
    for number in range(n):
        date = f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}" if rng.random() < 0.7 else None
        if stories and rng.random() < 0.35:
            paragraphs = list(rng.choice(stories))
            if rng.random() < 0.5:
                paragraphs = paragraphs[: max(2, int(len(paragraphs) * rng.uniform(0.5, 0.9)))]
            if rng.random() < 0.5:
                paragraphs.insert(0, sentence())
            if rng.random() < 0.5:
                paragraphs = [" ".join(w if rng.random() > 0.03 else rng.choice(vocab) for w in p.split())
                              for p in paragraphs]
        else:
            paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(4, 9))]
            stories.append(paragraphs)
        docs.append(Document(id=f"{number:05d}.txt", text="\n\n".join(paragraphs), date=date))
    for copy in range(identical):
        docs.insert(rng.randrange(len(docs)), Document(id=f"copy-{copy:03d}.txt", text="\n\n".join(stories[0])))
    return docs


def _feed_and_rewrites(seed: int) -> list[Document]:
    """A seeded corpus for the copy rule's finer points: 30 short stories of one feed under one disclaimer
    (boilerplate: only the disclaimer is shared) and two pages of the disclaimer alone (exact copies of nothing but
    boilerplate); three copies of a newsletter prompt (too short to be exact copies); 12 stories, a third crediting
    Reuters, each with a copy that changed one word in every sentence (borderline: the alignment decides), dates
    with and without a time of day."""
    rng = random.Random(seed)
    letters, vowels = "bcdfghjklmnprstvwz", "aeiou"
    vocab = sorted(
        {"".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(2, 4))) for _ in range(4000)}
    )

    def sentence(length: int = 0) -> str:
        return " ".join(rng.choice(_FUNCTION_WORDS) if rng.random() < 0.45 else rng.choice(vocab)
                        for _ in range(length or rng.randint(12, 18))).capitalize() + "."

    disclaimer = " ".join(sentence(15) for _ in range(4))
    docs = [Document(id=f"feed-{n:02d}", text=f"{sentence()} {sentence()} {sentence()}\n\n{disclaimer}",
                     date=f"2026-03-{10 + n % 9}T0{n % 10}:15+02:00") for n in range(30)]
    docs += [Document(id=f"only-{n}", text=disclaimer) for n in range(2)]
    docs += [Document(id=f"prompt-{n}", text="Sign up for our newsletter today.") for n in range(3)]
    for n in range(12):
        sentences = [sentence() for _ in range(10)]
        edited = []
        for text in sentences:
            words = text.split()
            words[len(words) // 2] = rng.choice(vocab)
            edited.append(" ".join(words))
        credit = " (Reuters)" if n % 3 == 0 else ""
        docs.append(Document(id=f"story-{n:02d}", text=f"LONDON{credit} - " + " ".join(sentences),
                             date=f"2026-04-{10 + n}"))
        docs.append(Document(id=f"edit-{n:02d}", text=" ".join(edited),
                             date=f"2026-04-{10 + n}T08:00Z" if n % 2 else None))
    rng.shuffle(docs)
    return docs


def _assert_same(local, distributed):
    assert distributed.articles == local.articles
    assert distributed.labels == local.labels
    assert distributed.clusters == local.clusters
    assert distributed.settings == local.settings


def test_samples_give_the_local_clustering(spark):
    docs = load(SAMPLES)
    local = cluster(docs)
    distributed = dspark.cluster_documents(docs, spark=spark)
    _assert_same(local, distributed)
    assert any(len(group) > 1 for group in distributed.clusters)
    assert render(distributed, "jsonl") == render(local, "jsonl")


def test_generated_corpus_gives_the_local_clustering(spark):
    # 2,000 articles and 80 exact copies of one story: a bucket larger than lsh.candidate_pairs expands in full
    docs = _generated(2000, seed=3, identical=80)
    local = cluster(docs)
    assert max(len(group) for group in local.clusters) > 64
    assert sum(len(group) > 1 for group in local.clusters) > 300
    _assert_same(local, dspark.cluster_documents(docs, spark=spark))


def test_generated_corpus_at_other_settings_gives_the_local_clustering(spark):
    docs = _generated(600, seed=11)
    settings = Settings(threshold=0.3, containment=None, num_perm=64, ngram=3, seed=7)
    _assert_same(cluster(docs, settings=settings), dspark.cluster_documents(docs, spark=spark, settings=settings))


def test_real_pages_of_the_quality_slice_give_the_local_clustering(spark):
    # real html pages and page dumps with real chrome, some unusable, through trafilatura on the executors
    docs = load(QUALITY_SLICE)
    _assert_same(cluster(docs), dspark.cluster_documents(docs, spark=spark))


def test_cli_engine_spark_prints_what_the_local_engine_prints(spark, capsys):
    assert main(["cluster", str(SAMPLES), "--format", "jsonl"]) == 0
    local = capsys.readouterr().out
    assert main(["cluster", str(SAMPLES), "--format", "jsonl", "--engine", "spark", "--spark-master", "local[2]"]) == 0
    assert capsys.readouterr().out == local
    assert not spark.sparkContext._jsc.sc().isStopped(), "a session the CLI did not start is left running"


def test_dataframe_api_on_text_and_html_columns(spark):
    docs = load(SAMPLES)
    local = cluster(docs)
    rows = [(doc.id, doc.text, doc.html, doc.date) for doc in docs]
    df = spark.createDataFrame(rows, "id string, text string, html string, date string").repartition(3)
    got = {row["id"]: row for row in dspark.cluster(df).collect()}
    assert set(got) == {doc.id for doc in docs}
    for article, label in zip(local.articles, local.labels, strict=True):
        row = got[article.id]
        group = local.clusters[label]
        assert row["canonical_id"] == group.canonical
        assert row["canonical"] == (article.id == group.canonical)
        members = {member.doc for member in group.members}
        assert {other for other, r in got.items() if r["cluster"] == row["cluster"]} == members


def test_dataframe_api_keeps_unusable_rows_without_a_cluster(spark):
    df = spark.createDataFrame(
        [("a", "   ", 0), ("b", "Nothing here is chrome; this sentence is the article and it is long enough.", 1)],
        "id string, text string, n long",
    )
    rows = {row["id"]: row for row in dspark.cluster(df, order="n").collect()}
    assert rows["a"]["cluster"] is None and rows["a"]["error"] and rows["a"]["canonical"] is False
    assert rows["b"]["cluster"] == 0 and rows["b"]["canonical"] and rows["b"]["error"] is None


def test_dataframe_api_checks_its_columns(spark):
    with pytest.raises(ConfigError):
        dspark.cluster(spark.createDataFrame([("x",)], "body string"))
    with pytest.raises(ConfigError):
        dspark.cluster(spark.createDataFrame([("x", "y")], "id string, text string"), order="missing")


def test_numbering_in_order_across_partitions(spark):
    rng = random.Random(5)
    values = rng.sample(range(10**9), 500)
    df = spark.createDataFrame([(v,) for v in values], "component long").repartition(7)
    got = {row["component"]: row["cluster"] for row in dspark._number(df, "component", "cluster").collect()}
    assert got == {value: rank for rank, value in enumerate(sorted(values))}


def test_site_corpus_gives_the_local_clustering_and_the_index_clusters(spark, tmp_path):
    """The three engines on one corpus of sites with chrome: Spark == local, and the index gives the same."""
    from dedup import Index

    from .test_engines import index_view, site_corpus

    docs = [Document(id=a.id, text=a.text, url=a.url, date=a.date) for a in site_corpus(21)]
    local = cluster(docs)
    _assert_same(local, dspark.cluster_documents(docs, spark=spark))
    with Index(tmp_path / "e.db") as index:
        index.add_many(docs[::-1])
        groups = {frozenset(member.doc for member in group.members) for group in local.clusters}
        assert index_view(index)[0] == groups


def test_boilerplate_borderline_copies_and_wire_credits_give_the_local_clustering(spark):
    docs = _feed_and_rewrites(5)
    local = cluster(docs)
    grouped = [group for group in local.clusters if len(group) > 1]
    # the rule's finer points are at work: without them the feed and the disclaimer pages would be one cluster
    assert len(grouped) == 12 and all(len(group) == 2 for group in grouped)
    assert all(member.containment < 0.8 and member.relationship == "reprint"
               for group in grouped for member in group.members if not member.canonical)
    assert any(group.wire == ("Reuters",) for group in grouped)
    assert local.cluster_of("only-0") != local.cluster_of("only-1")
    distributed = dspark.cluster_documents(docs, spark=spark)
    _assert_same(local, distributed)
    assert render(distributed, "jsonl") == render(local, "jsonl")
    rows = {row["id"]: row for row in dspark.cluster(spark.createDataFrame(
        [(doc.id, doc.text, doc.date) for doc in docs], "id string, text string, date string")).collect()}
    for group in grouped:
        for member in group.members:
            assert rows[member.doc]["relationship"] == member.relationship
            assert rows[member.doc]["credits_wire"] == member.credits_wire


def test_exact_copies_at_the_word_threshold_give_the_local_clustering(spark):
    from .test_engines import copies_at_the_word_threshold

    docs = [Document(id=a.id, text=a.text) for a in copies_at_the_word_threshold()]
    local = cluster(docs)
    assert sum(len(group) == 2 for group in local.clusters) == 1
    _assert_same(local, dspark.cluster_documents(docs, spark=spark))
