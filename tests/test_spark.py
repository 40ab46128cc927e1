"""The Spark engine on real local Spark (2 cores), against slow oracles and the local engine."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("pyspark")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dedup import spark as dspark  # noqa: E402


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
    labels = list(range(300))
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
    for n, m in [(400, 380), (2000, 1500)]:
        # ids spread over a wide range, as document ids would be
        ids = rng.sample(range(10**12), n)
        edges = [(ids[rng.randrange(n)], ids[rng.randrange(n)]) for _ in range(m)]
        _check(spark, edges)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=60))
def test_components_match_union_find(spark, edges):
    if not edges:
        return
    _check(spark, edges)


def test_components_of_no_edges_is_empty(spark):
    assert _spark_components(spark, []) == {}
