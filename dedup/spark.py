"""The Spark engine: the same pipeline as :func:`dedup.cluster`, over a Spark DataFrame.

Stages, each a function over DataFrames:

    clean → signatures (the numpy core, batch-wise in ``mapInArrow``) → band keys
    → candidate pairs (``groupBy`` on band and key) → verification → connected
    components (large-star / small-star, in Spark) → canonical member

Nothing proportional to the corpus is collected to the driver: the graph stays a
DataFrame of edges from the candidate pairs to the final (id, cluster, canonical).

PySpark is an optional extra (``pip install 'dedup[spark]'``); importing this module
without it raises ``ImportError``.
"""

from __future__ import annotations

import os
import sys
import tempfile

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window

__all__ = ["connected_components", "session"]

_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def session(
    master: str = "local[*]",
    *,
    app_name: str = "dedup",
    shuffle_partitions: int | None = None,
    quiet: bool = True,
    config: dict[str, str] | None = None,
) -> SparkSession:
    """Get or create a SparkSession for dedup.

    For a ``local[...]`` master the driver binds to the loopback interface and the web
    UI is off, so a laptop or CI run opens no port beyond 127.0.0.1. ``quiet`` keeps
    Spark's own logging to errors. Python workers run this interpreter, so they see the
    same numpy and dedup as the driver. ``config`` entries are applied last.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName(app_name)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
        )
    if shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    if quiet:
        fd, path = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
        with os.fdopen(fd, "w") as f:
            f.write(_LOG4J2)
        builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{path}")
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if quiet:
        spark.sparkContext.setLogLevel("ERROR")
    return spark


# --- connected components ---------------------------------------------------------------
#
# Large-star / small-star (Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii,
# "Connected Components in MapReduce and Beyond", SoCC 2014). Edges are kept undirected
# and normalised as (hi, lo) with hi > lo. Writing N(u) for the neighbours of u and
# m(u) = min(N(u) ∪ {u}):
#
#   large-star: every u links each larger neighbour v > u to m(u).
#               For an edge (hi, lo) that is (hi, m(lo)).
#   small-star: every u links itself and each smaller neighbour to the smallest of
#               them, m = min{lo : (u, lo)}: emits (u, m) and (lo, m) for lo != m.
#
# Both keep each component's node set and its smallest node. A round is a large-star
# then a small-star; each row carries whether the round changed it. Large-star changes
# nothing exactly when no `lo` has a smaller neighbour, small-star nothing exactly when
# every `hi` has a single `lo`: then the edges are a forest of stars, each centred on the
# smallest node of its component, and the loop stops. The test is exact (not a
# checksum), and reading it costs a scan of the checkpointed edges, not a shuffle.


def connected_components(
    edges: DataFrame,
    *,
    src: str = "src",
    dst: str = "dst",
    max_rounds: int = 100,
) -> DataFrame:
    """Connected components of an undirected graph given as an edge DataFrame.

    ``src`` and ``dst`` are integer node ids (cast to long; rows with a null are
    ignored). Returns a DataFrame ``(node: long, component: long)`` with one row per
    node that appears in an edge; ``component`` is the smallest node id of the node's
    component. A self-loop makes its node a singleton component. Nothing is collected
    to the driver but one flag per round.

    Each round's edges are checkpointed (reliably when the SparkContext has a
    checkpoint directory, else locally) so the plan does not grow with the rounds.
    """
    a, b = F.col(src).cast("long"), F.col(dst).cast("long")
    pairs = edges.select(a.alias("a"), b.alias("b")).where(a.isNotNull() & b.isNotNull())
    pairs = _checkpoint(pairs)
    nodes = pairs.select(F.col("a").alias("node")).union(pairs.select(F.col("b").alias("node")))
    e = (
        pairs.where(F.col("a") != F.col("b"))
        .select(F.greatest("a", "b").alias("hi"), F.least("a", "b").alias("lo"))
        .distinct()
    )
    for _ in range(max_rounds):
        e = _checkpoint(_round(e))
        if e.where("changed").isEmpty():
            break
        e = e.drop("changed")
    else:  # pragma: no cover - O(log^2 n) rounds suffice; 100 is far beyond any real graph
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    parent = e.select(F.col("hi").alias("node"), F.col("lo").alias("component"))
    return (
        nodes.distinct().join(parent, "node", "left").select("node", F.coalesce("component", "node").alias("component"))
    )


def _round(e: DataFrame) -> DataFrame:
    """One large-star and one small-star step: (hi, lo) -> (hi, lo, changed)."""
    # Large-star, with one window over each node's edges in both directions: a node's
    # `down` rows give m(node), its `up` rows are the larger neighbours relinked to it.
    both = e.select(F.col("hi").alias("node"), F.col("lo").alias("other"), F.lit(False).alias("up")).union(
        e.select(F.col("lo").alias("node"), F.col("hi").alias("other"), F.lit(True).alias("up"))
    )
    by_node = Window.partitionBy("node")
    down = F.min(F.when(~F.col("up"), F.col("other"))).over(by_node)
    large = (
        both.withColumn("m", F.coalesce(down, F.col("node")))
        .where("up")
        .select(
            F.col("other").alias("hi"),
            F.col("m").alias("lo"),
            (F.col("m") != F.col("node")).alias("changed"),
        )
    )
    # Small-star: each hi and its other lo's are relinked to its smallest lo.
    m = F.min("lo").over(Window.partitionBy("hi"))
    small = large.withColumn("m", m)
    star = small.select(
        "hi", F.col("m").alias("lo"), (F.col("changed") | (F.col("lo") != F.col("m"))).alias("changed")
    ).union(
        small.where(F.col("lo") != F.col("m")).select(
            F.col("lo").alias("hi"), F.col("m").alias("lo"), F.lit(True).alias("changed")
        )
    )
    return star.groupBy("hi", "lo").agg(F.max("changed").alias("changed"))


def _checkpoint(df: DataFrame) -> DataFrame:
    if df.sparkSession.sparkContext.getCheckpointDir() is not None:
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)
