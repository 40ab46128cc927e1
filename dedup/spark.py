"""The Spark engine: the same clusters as :func:`dedup.cluster`, computed over a Spark DataFrame.

Stages, each over DataFrames, each reusing the local engine's own functions on Arrow batches:

    clean (``dedup.clean`` per row, in ``mapInArrow``)
    → shingles, signatures and band keys (the numpy core, batch-wise in ``mapInArrow``)
    → exact copies (a window over the text; ``verify.min_exact_shingles`` shingles at least)
    → candidate pairs (``groupBy`` on the band key; a bucket is expanded into pairs by ``lsh.candidate_pairs``)
    → boilerplate (shingle document counts over the candidates by a ``groupBy``; ``verify.own_words`` and
      ``verify.is_boilerplate`` decide, as ``verify.find_boilerplate`` does) left out of every shingle set
    → verification (``verify.relation`` on each pair's shingle sets, with its two texts for the alignment)
    → connected components (large-star / small-star, in Spark)
    → canonical member (the minimum of ``components.canonical_key``), each member's ``verify.relation`` to it,
      and cluster numbers in input order

Nothing proportional to the corpus is collected to the driver: the graph stays a DataFrame of edges, the
boilerplate (a set of shingle hashes, usually empty) is the one statistic collected and sent back to the executors,
and the result is a DataFrame with one row per input row. Every node number is the row's place in the input order, so
cluster ids, canonical members and similarities equal the local engine's on the same documents.

PySpark (with pyarrow) is the optional extra ``dedup[spark]``; importing this module without it raises
``ImportError``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from .clean import Article, remove_repeated_blocks
from .clean.sitechrome import domain
from .cluster import Clustering
from .components import Cluster, Member, canonical_key, credits_wire
from .documents import Document
from .errors import ConfigError
from .lsh import band_keys, candidate_pairs
from .minhash import signatures_from_shingles
from .pipeline import clean_all
from .settings import Settings, lsh_params
from .shingle import shingle
from .verify import Boilerplate, Relation, is_boilerplate, min_exact_shingles, own_words, relation

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["clean", "cluster", "cluster_documents", "connected_components", "session"]

_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


_LOG4J2_FILE: list[str] = []


def _log4j2_file() -> str:
    """A log4j2 configuration that keeps Spark's JVM to errors (written once per process)."""
    if not _LOG4J2_FILE:
        fd, path = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
        with os.fdopen(fd, "w") as f:
            f.write(_LOG4J2)
        _LOG4J2_FILE.append(path)
    return _LOG4J2_FILE[0]


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
            # in local mode the executors live in the driver's JVM: give it room for the texts
            .config("spark.driver.memory", "4g")
        )
    if shuffle_partitions is None and master.startswith("local"):
        # Spark's default of 200 shuffle partitions is meant for clusters; on one machine it only adds tasks
        cores = master[len("local[") : -1] if master.startswith("local[") else "1"
        threads = (os.cpu_count() or 1) if cores == "*" else int(cores.split(",")[0])
        shuffle_partitions = 2 * threads
    if shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    if quiet:
        builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{_log4j2_file()}")
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


# --- the pipeline -----------------------------------------------------------------------

_DOCUMENT_FIELDS = tuple(field.name for field in fields(Document))
_ARTICLE_FIELDS = tuple(field.name for field in fields(Article))
_ARTICLE_SCHEMA = pa.schema([("node", pa.int64())] + [(name, pa.string()) for name in _ARTICLE_FIELDS])
_ARTICLE_DDL = ", ".join(["node long"] + [f"{name} string" for name in _ARTICLE_FIELDS])
_DDL_TYPES = {pa.int64(): "long", pa.bool_(): "boolean", pa.float64(): "double", pa.string(): "string"}
_RESULT_COLUMNS = ("id", "cluster", "canonical", "canonical_id", "similarity", "containment", "relationship",
                   "credits_wire", "error")


def clean(df: DataFrame, *, order: str | None = None) -> DataFrame:
    """Clean every row of ``df`` as :func:`dedup.cluster` does.

    ``df`` needs an ``id`` column and a ``text`` or ``html`` column (``html`` wins where it is not null); the
    other :class:`~dedup.Document` fields (``url``, ``title``, ``date``, ``source``, ``path``, ``error``) are used
    where present. Returns ``node`` (long) and the :class:`~dedup.Article` fields, one row per input row. ``node``
    is the row's place in the input order, which decides cluster numbers and ties: the integer column ``order``
    when given, else ``monotonically_increasing_id()`` (the order of the partitions).
    """
    columns = set(df.columns)
    if "id" not in columns or not {"text", "html"} & columns:
        raise ConfigError(f"the DataFrame needs an id column and a text or html column; it has {sorted(columns)}")
    if order is not None and order not in columns:
        raise ConfigError(f"no column {order!r} to order the rows by")
    present = [name for name in _DOCUMENT_FIELDS if name in columns]
    node = F.col(order).cast("long") if order is not None else F.monotonically_increasing_id()
    prepared = df.select(node.alias("node"), *[F.col(name).cast("string") for name in present])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            values = batch.to_pydict()
            docs = []
            for row in range(batch.num_rows):
                given = {name: values[name][row] for name in present}
                given["text"] = given.get("text") or ""
                if given["id"] is None:
                    given["id"] = str(values["node"][row])
                docs.append(Document(**given))
            articles = list(clean_all(docs))
            arrays = [batch.column("node")]
            arrays += [pa.array([getattr(a, name) for a in articles], pa.string()) for name in _ARTICLE_FIELDS]
            yield pa.RecordBatch.from_arrays(arrays, schema=_ARTICLE_SCHEMA)

    return prepared.mapInArrow(run, _ARTICLE_DDL)


def cluster(
    df: DataFrame,
    *,
    order: str | None = None,
    threshold: float = 0.5,
    containment: float | None = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    seed: int = 1,
    settings: Settings | None = None,
) -> DataFrame:
    """Cluster the articles of a DataFrame; the Spark counterpart of :func:`dedup.cluster`.

    ``df`` and ``order`` are as for :func:`clean`; the settings are those of :func:`dedup.cluster`. Returns one
    row per input row: ``id``, ``cluster`` (long; numbered from 0 in the input order of each cluster's first
    member, null for an unusable row), ``canonical`` (bool), ``canonical_id``, ``similarity``, ``containment``
    and ``relationship`` (to the canonical member, by ``verify.relation``), ``credits_wire`` (bool), ``error``.
    The intermediate stages are checkpointed as they complete, so this call runs the pipeline and the returned
    DataFrame is cheap to read.
    """
    if settings is None:
        settings = Settings(threshold=threshold, containment=containment, num_perm=num_perm, ngram=ngram, seed=seed)
    return _run(df, order, settings).result.select(*_RESULT_COLUMNS)


def cluster_documents(
    docs: Sequence[Document],
    *,
    spark: SparkSession | None = None,
    master: str = "local[*]",
    settings: Settings | None = None,
) -> Clustering:
    """:func:`dedup.cluster` on loaded documents, computed by Spark: the same :class:`~dedup.Clustering`.

    Runs on ``spark``, or else on a session for ``master`` (from :func:`session`) that is stopped afterwards
    unless it was already running. The documents are sent to Spark from the driver, and the cleaned articles and
    cluster rows are collected back to build the result, so this suits what the driver can hold; :func:`cluster`
    keeps everything distributed.
    """
    settings = settings if settings is not None else Settings()
    if spark is None:
        running = SparkSession.getActiveSession()
        spark = session(master)
        try:
            return cluster_documents(docs, spark=spark, settings=settings)
        finally:
            if running is None:
                spark.stop()
    rows = {name: [getattr(doc, name) for doc in docs] for name in _DOCUMENT_FIELDS}
    table = pa.table({"node": pa.array(range(len(docs)), pa.int64())}
                     | {name: pa.array(rows[name], pa.string()) for name in _DOCUMENT_FIELDS})
    df = _from_arrow(spark, table)
    run = _run(df, "node", settings)
    started = time.perf_counter()
    articles = [
        Article(**{name: row[name] for name in _ARTICLE_FIELDS})
        for row in run.articles.orderBy("node").collect()
    ]
    found = run.result.where(F.col("cluster").isNotNull()).orderBy("node").collect()
    labels: list[int | None] = [None] * len(articles)
    for row in found:
        labels[row["node"]] = row["cluster"]
    clusters = _clusters(found, articles)
    run.timings["collect"] = time.perf_counter() - started
    return Clustering(articles=tuple(articles), labels=tuple(labels), clusters=clusters, settings=settings,
                      timings=run.timings)


def _clusters(rows: Sequence[Any], articles: Sequence[Article]) -> tuple[Cluster, ...]:
    """The clusters from the result rows of the usable articles (in node order), as ``components.build_clusters``
    makes them: the agencies any member credits, and the canonical member's date as ``first_seen``."""
    groups: dict[int, list[Member]] = {}
    nodes: dict[int, list[int]] = {}
    canonical_nodes: dict[int, int] = {}
    for row in rows:
        article = articles[row["node"]]
        groups.setdefault(row["cluster"], []).append(
            Member(doc=row["id"], canonical=row["canonical"], similarity=row["similarity"],
                   containment=row["containment"], relationship=row["relationship"],
                   credits_wire=credits_wire(article))
        )
        nodes.setdefault(row["cluster"], []).append(row["node"])
        canonical_nodes[row["cluster"]] = row["canonical_node"]
    clusters = []
    for number in range(len(groups)):
        first = articles[canonical_nodes[number]]
        members = [articles[node] for node in nodes[number]]
        wire = tuple(sorted({article.wire for article in members if article.wire and credits_wire(article)}))
        clusters.append(Cluster(id=number, canonical=first.id, members=tuple(groups[number]), wire=wire,
                                first_seen=first.date))
    return tuple(clusters)


def _from_arrow(spark: SparkSession, table: pa.Table) -> DataFrame:
    try:  # Spark 4 takes an Arrow table as it is
        return spark.createDataFrame(table)
    except (TypeError, ValueError):  # Spark 3.5: through pandas, with Arrow on
        key = "spark.sql.execution.arrow.pyspark.enabled"
        before = spark.conf.get(key, "false")
        spark.conf.set(key, "true")
        try:
            return spark.createDataFrame(table.to_pandas())
        finally:
            spark.conf.set(key, before)  # type: ignore[arg-type]  # get() with a default never returns None


@dataclass
class _Run:
    articles: DataFrame
    result: DataFrame
    timings: dict[str, float]


def _run(df: DataFrame, order: str | None, settings: Settings) -> _Run:
    timings: dict[str, float] = {}

    def stage(name: str, frame: DataFrame) -> DataFrame:
        started = time.perf_counter()
        frame = _checkpoint(frame)
        timings[name] = time.perf_counter() - started
        return frame

    articles = clean(df, order=order)
    if getattr(settings, "site_chrome", False):
        articles = _without_site_chrome(articles)
    articles = stage("clean", articles)
    features = stage("signatures", _features(articles, settings))
    copies = stage("duplicates", _exact_copies(articles, features, settings))
    originals = features.join(copies.select(F.col("b").alias("node")), "node", "left_anti")
    pairs = stage("candidates", _candidates(originals))
    started = time.perf_counter()
    boilerplate = _boilerplate(pairs, features, articles, settings)
    sets = stage("boilerplate", _sets(features, articles, boilerplate, settings))
    timings["boilerplate"] = time.perf_counter() - started
    exact = _substantial(copies, sets, settings)
    edges = stage("verification", _verify(pairs, sets, boilerplate, settings).union(exact))
    started = time.perf_counter()
    components = connected_components(edges, src="a", dst="b")  # checkpoints as it goes
    timings["components"] = time.perf_counter() - started
    started = time.perf_counter()
    members = _checkpoint(_members(sets, components, boilerplate, settings))
    timings["clusters"] = time.perf_counter() - started
    canonical_ids = articles.select(F.col("node").alias("canonical_node"), F.col("id").alias("canonical_id"))
    result = (
        articles.select("node", "id", "error")
        .join(members, "node", "left")
        .join(canonical_ids, "canonical_node", "left")
        .select(
            "node",
            "id",
            "cluster",
            F.coalesce("canonical", F.lit(False)).alias("canonical"),
            "canonical_node",
            "canonical_id",
            "similarity",
            "containment",
            "relationship",
            F.coalesce("credits_wire", F.lit(False)).alias("credits_wire"),
            "error",
        )
    )
    return _Run(articles=articles, result=stage("result", result), timings=timings)


def _none_for_missing(record: dict[str, Any]) -> dict[str, Any]:
    """A pandas record with its missing values (None or NaN, the one value unequal to itself) as None."""
    return {name: (None if value is None or value != value else value) for name, value in record.items()}


def _without_site_chrome(articles: DataFrame) -> DataFrame:
    """``clean.remove_repeated_blocks`` as the local engine applies it to the whole batch. It counts paragraphs
    within each site only (the url's domain, else the source), so it runs on each site's group of articles."""
    schema = pa.schema(list(_ARTICLE_SCHEMA) + [pa.field("site", pa.string())])

    def sites(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            values = batch.to_pydict()
            found = [
                (domain(values["url"][row]) or values["source"][row]) if values["error"][row] is None else None
                for row in range(batch.num_rows)
            ]
            yield pa.RecordBatch.from_arrays(batch.columns + [pa.array(found, pa.string())], schema=schema)

    def per_site(frame: pd.DataFrame) -> pd.DataFrame:  # one site's articles
        records: list[dict[str, Any]] = frame[list(_ARTICLE_FIELDS)].to_dict("records")
        articles = [Article(**_none_for_missing(record)) for record in records]
        frame = frame[["node", *_ARTICLE_FIELDS]].copy()
        frame["text"] = [article.text for article in remove_repeated_blocks(articles)]
        return frame

    with_site = articles.mapInArrow(sites, _ARTICLE_DDL + ", site string")
    alone = with_site.where(F.col("site").isNull()).drop("site")
    grouped = with_site.where(F.col("site").isNotNull()).groupBy("site").applyInPandas(per_site, _ARTICLE_DDL)
    return alone.unionByName(grouped)


def _exact_copies(articles: DataFrame, features: DataFrame, settings: Settings) -> DataFrame:
    """Edges ``(a, b)`` from each article to the first one (smallest node) with the same text, as the local engine
    joins exact copies directly (``verify.exact_duplicates``): articles with fewer than
    ``verify.min_exact_shingles`` shingles (repeats included) are never joined this way."""
    least = min_exact_shingles(settings)
    texts = features.where(F.col("count") >= least).select("node").join(articles.select("node", "text"), "node")
    first = F.min("node").over(Window.partitionBy("text"))
    return (
        texts.withColumn("a", first)
        .where(F.col("a") != F.col("node"))
        .select("a", F.col("node").alias("b"))
    )


def _substantial(copies: DataFrame, sets: DataFrame, settings: Settings) -> DataFrame:
    """The exact-copy edges whose first occurrence keeps ``verify.min_exact_shingles`` distinct shingles once the
    boilerplate is left out (``verify.substantial``): a page that is nothing but a disclaimer joins no copy."""
    kept = sets.where(F.size("shingles") >= min_exact_shingles(settings)).select(F.col("node").alias("a"))
    return copies.join(kept, "a").select("a", "b")


def _rank_type() -> list[tuple[str, pa.DataType, str]]:
    """Arrow and Spark types of the fields of ``canonical_key`` (the canonical member is its minimum)."""
    sample = canonical_key(Article(id="", text=""), 0)
    types = []
    for number, value in enumerate(sample):
        if isinstance(value, bool):
            arrow, spark = pa.bool_(), "boolean"
        elif isinstance(value, int):
            arrow, spark = pa.int64(), "long"
        elif isinstance(value, float):
            arrow, spark = pa.float64(), "double"
        elif isinstance(value, str):
            arrow, spark = pa.string(), "string"
        else:  # pragma: no cover - the key is made of these types
            raise TypeError(f"canonical key field of type {type(value).__name__} has no Spark counterpart")
        types.append((f"k{number}", arrow, spark))
    return types


def _list_array(arrays: Sequence[np.ndarray]) -> pa.ListArray:
    offsets = np.zeros(len(arrays) + 1, dtype=np.int32)
    np.cumsum([len(a) for a in arrays], out=offsets[1:])
    values = np.concatenate(arrays).view(np.int64) if arrays else np.empty(0, np.int64)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, pa.int64()))


def _uint64_lists(column: pa.Array) -> list[np.ndarray]:
    """A list<long> column as one uint64 array per row (the shingle hashes' own type)."""
    lengths = column.value_lengths().to_numpy(zero_copy_only=False)
    flat = column.flatten().to_numpy(zero_copy_only=False).view(np.uint64)
    return np.split(flat, np.cumsum(lengths)[:-1]) if len(lengths) else []


def _features(articles: DataFrame, settings: Settings) -> DataFrame:
    """For each usable article: ``node``, ``shingles`` (its sorted unique shingle hashes), ``count`` (its shingles,
    repeats included) and ``keys`` (its LSH band keys; none when it has no shingle)."""
    bands, rows = lsh_params(settings)
    schema = pa.schema([("node", pa.int64()), ("shingles", pa.list_(pa.int64())), ("count", pa.int64()),
                        ("keys", pa.list_(pa.int64()))])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            shingles = shingle(batch.column("text").to_pylist(), ngram=settings.ngram)
            sigs = signatures_from_shingles(shingles, num_perm=settings.num_perm, ngram=settings.ngram,
                                            seed=settings.seed)
            keys = band_keys(sigs.matrix, bands, rows)
            sets = [np.unique(shingles.of(row)) for row in range(batch.num_rows)]
            keyed = [keys[row] if sigs.sizes[row] > 0 else keys[row, :0] for row in range(batch.num_rows)]
            yield pa.RecordBatch.from_arrays(
                [batch.column("node"), _list_array(sets), pa.array(sigs.sizes, pa.int64()), _list_array(keyed)],
                schema=schema,
            )

    usable = articles.where(F.col("error").isNull()).select("node", "text")
    return usable.mapInArrow(run, "node long, shingles array<long>, count long, keys array<long>")


def _boilerplate(pairs: DataFrame, features: DataFrame, articles: DataFrame, settings: Settings) -> Boilerplate:
    """``verify.find_boilerplate`` of the candidates' documents, in Spark: the shingles carried by at least
    ``boilerplate_docs`` of them (a ``groupBy``), each carrier's own words (``verify.own_words``, on the
    executors), then ``verify.is_boilerplate`` on each frequent shingle's counts. Collected: it is a set of
    shingle hashes, not of documents."""
    nodes = pairs.select(F.col("a").alias("node")).union(pairs.select(F.col("b").alias("node"))).distinct()
    carried = features.join(nodes, "node").select("node", F.explode("shingles").alias("hash"))
    frequent = carried.groupBy("hash").agg(F.count("*").alias("carriers"))
    frequent = _checkpoint(frequent.where(F.col("carriers") >= settings.boilerplate_docs))
    if frequent.isEmpty():
        return Boilerplate.empty()
    carriers = carried.join(frequent, "hash")
    lists = carriers.groupBy("node").agg(F.collect_list("hash").alias("frequent"))

    def own(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            shingles = shingle(batch.column("text").to_pylist(), ngram=settings.ngram)
            # any document's frequent shingles will do: a document's words are covered by its own shingles only
            found = _uint64_lists(batch.column("frequent"))
            known = np.unique(np.concatenate(found)) if found else np.empty(0, np.uint64)
            substantial = own_words(shingles, known, settings.ngram) >= settings.min_shared_words
            yield pa.RecordBatch.from_arrays([batch.column("node"), pa.array(substantial)],
                                             names=["node", "substantial"])

    owners = lists.join(articles.select("node", "text"), "node").mapInArrow(own, "node long, substantial boolean")
    counted = (
        carriers.join(owners, "node")
        .groupBy("hash", "carriers")
        .agg(F.sum(F.col("substantial").cast("long")).alias("with_own"))
        .collect()
    )
    if not counted:
        return Boilerplate.empty()
    hashes = np.array([row["hash"] for row in counted], dtype=np.int64).view(np.uint64)
    keep = is_boilerplate(np.array([row["carriers"] for row in counted], dtype=np.int64),
                          np.array([row["with_own"] for row in counted], dtype=np.int64))
    return Boilerplate(np.unique(hashes[keep]))


def _sets(features: DataFrame, articles: DataFrame, boilerplate: Boilerplate, settings: Settings) -> DataFrame:
    """For each usable article: ``node``, ``shingles`` (its shingle set without the boilerplate), ``text``,
    ``rank`` (its ``components.canonical_key``, by the size of that set) and ``credits_wire``."""
    rank = _rank_type()
    rank_arrow = pa.struct([(name, arrow) for name, arrow, _ in rank])
    schema = pa.schema([("node", pa.int64()), ("shingles", pa.list_(pa.int64())), ("text", pa.string()),
                        ("rank", rank_arrow), ("credits_wire", pa.bool_())])
    ddl = "node long, shingles array<long>, text string, rank struct<{}>, credits_wire boolean".format(
        ", ".join(f"{name}: {spark}" for name, _, spark in rank)
    )

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            values = batch.to_pydict()
            articles = [Article(**{name: values[name][row] for name in _ARTICLE_FIELDS})
                        for row in range(batch.num_rows)]
            sets = [boilerplate.strip(found) for found in _uint64_lists(batch.column("shingles"))]
            ranks = [canonical_key(article, len(found)) for article, found in zip(articles, sets, strict=True)]
            rank_array = pa.StructArray.from_arrays(
                [pa.array([key[number] for key in ranks], arrow) for number, (_, arrow, _) in enumerate(rank)],
                fields=list(rank_arrow),
            )
            yield pa.RecordBatch.from_arrays(
                [batch.column("node"), _list_array(sets), batch.column("text"), rank_array,
                 pa.array([credits_wire(article) for article in articles], pa.bool_())],
                schema=schema,
            )

    joined = features.select("node", "shingles").join(articles.select("node", *_ARTICLE_FIELDS), "node")
    return joined.mapInArrow(run, ddl)


def _candidates(features: DataFrame) -> DataFrame:
    """Pairs ``(a, b)``, ``a < b``, of articles sharing a band key. Keys of different bands differ by design (the
    band number is mixed into the key), so grouping by the key alone is grouping by (band, key), as the local
    engine does. Each bucket's members, in input order, become pairs by ``lsh.candidate_pairs`` itself, so a
    bucket larger than its ``max_bucket`` is chained exactly as the local engine chains it."""
    buckets = (
        features.select("node", F.explode("keys").alias("key"))
        .groupBy("key")
        .agg(F.sort_array(F.collect_list("node")).alias("members"))
        .where(F.size("members") > 1)
        .select("members")
    )

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            members = batch.column("members")
            sizes = members.value_lengths().to_numpy(zero_copy_only=False)
            flat = members.flatten().to_numpy(zero_copy_only=False)
            bucket = np.repeat(np.arange(len(sizes), dtype=np.uint64), sizes).reshape(-1, 1)
            pairs = np.sort(flat[candidate_pairs(bucket)], axis=1) if len(flat) else np.empty((0, 2), np.int64)
            pairs = pairs[pairs[:, 0] != pairs[:, 1]]
            yield pa.RecordBatch.from_arrays([pa.array(pairs[:, 0], pa.int64()), pa.array(pairs[:, 1], pa.int64())],
                                             names=["a", "b"])

    return buckets.mapInArrow(run, "a long, b long").distinct()


def _relations(own: pa.Array, theirs: pa.Array, own_texts: pa.Array, their_texts: pa.Array,
               boilerplate: Boilerplate, settings: Settings) -> list[Relation]:
    """``verify.relation`` of each row's two articles, given their shingle sets (boilerplate left out) and their
    texts (what the alignment of a borderline pair reads, boilerplate paragraphs left out)."""
    left, right = _uint64_lists(own), _uint64_lists(theirs)
    texts = list(zip(own_texts.to_pylist(), their_texts.to_pylist(), strict=True))

    def both(row: int) -> Callable[[], tuple[str, str]]:
        return lambda: (boilerplate.strip_text(texts[row][0], settings.ngram),
                        boilerplate.strip_text(texts[row][1], settings.ngram))

    return [relation(left[row], right[row], settings, both(row)) for row in range(len(texts))]


def _verify(pairs: DataFrame, sets: DataFrame, boilerplate: Boilerplate, settings: Settings) -> DataFrame:
    """The candidate pairs that are copies by ``verify.relation``, on both articles' shingle sets and texts."""
    side = sets.select("node", "shingles", "text")
    joined = (
        pairs.join(side.toDF("a", "sa", "ta"), "a")
        .join(side.toDF("b", "sb", "tb"), "b")
        .select("a", "b", "sa", "sb", "ta", "tb")
    )

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            found = _relations(batch.column("sa"), batch.column("sb"), batch.column("ta"), batch.column("tb"),
                               boilerplate, settings)
            kept = np.fromiter((pair.is_copy for pair in found), dtype=bool, count=len(found))
            yield pa.RecordBatch.from_arrays([batch.column("a").filter(pa.array(kept)),
                                              batch.column("b").filter(pa.array(kept))], names=["a", "b"])

    return joined.mapInArrow(run, "a long, b long")


def _members(sets: DataFrame, components: DataFrame, boilerplate: Boilerplate, settings: Settings) -> DataFrame:
    """``node, cluster, canonical, canonical_node, similarity, containment, relationship, credits_wire`` for
    every usable article, given the connected components of the verified pairs: each member's ``verify.relation``
    to the canonical member (the minimum of ``components.canonical_key``)."""
    labelled = (
        sets.select("node", "rank")
        .join(components, "node", "left")
        .select("node", "rank", F.coalesce("component", "node").alias("component"))
    )
    best = labelled.groupBy("component").agg(
        F.min(F.struct("rank", "node")).getField("node").alias("canonical_node")
    )
    numbered = _number(best, "component", "cluster")
    joined = (
        labelled.select("node", "component")
        .join(numbered, "component")
        .join(sets.select("node", "shingles", "text", "credits_wire"), "node")
        .join(sets.select("node", "shingles", "text").toDF("canonical_node", "canonical_shingles", "canonical_text"),
              "canonical_node")
        .select("node", "cluster", "canonical_node", "shingles", "canonical_shingles", "text", "canonical_text",
                "credits_wire")
    )
    schema = pa.schema([("node", pa.int64()), ("cluster", pa.int64()), ("canonical", pa.bool_()),
                        ("canonical_node", pa.int64()), ("similarity", pa.float64()), ("containment", pa.float64()),
                        ("relationship", pa.string()), ("credits_wire", pa.bool_())])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            canonical = np.asarray(batch.column("node").to_numpy(zero_copy_only=False)
                                   == batch.column("canonical_node").to_numpy(zero_copy_only=False))
            others = pa.array(~canonical)
            own, theirs, own_text, their_text = (batch.column(name).filter(others) for name in
                                                 ("shingles", "canonical_shingles", "text", "canonical_text"))
            found = iter(_relations(own, theirs, own_text, their_text, boilerplate, settings))
            rows = [None if itself else next(found) for itself in canonical.tolist()]
            yield pa.RecordBatch.from_arrays(
                [batch.column("node"), batch.column("cluster"), pa.array(canonical), batch.column("canonical_node"),
                 pa.array([1.0 if row is None else row.similarity for row in rows], pa.float64()),
                 pa.array([1.0 if row is None else row.containment for row in rows], pa.float64()),
                 pa.array(["duplicate" if row is None else row.relationship for row in rows], pa.string()),
                 batch.column("credits_wire")],
                schema=schema,
            )

    return joined.mapInArrow(run, ", ".join(f"{field.name} {_DDL_TYPES[field.type]}" for field in schema))


def _number(df: DataFrame, column: str, name: str) -> DataFrame:
    """Add ``name``: the rank (from 0) of each row by the distinct values of ``column``, computed without a
    single-partition window: sort (range-partitioned), count each partition, offset each partition's rows."""
    ordered = _checkpoint(df.orderBy(column).withColumn("_part", F.spark_partition_id()))
    counts = sorted((row["_part"], row["count"]) for row in ordered.groupBy("_part").count().collect())
    offsets, total = [], 0
    for part, count in counts:
        offsets.append((part, total))
        total += count
    spark = df.sparkSession
    offset_df = spark.createDataFrame(offsets, "_part int, _offset long")
    within = F.row_number().over(Window.partitionBy("_part").orderBy(column)) - 1
    return (
        ordered.join(F.broadcast(offset_df), "_part")
        .withColumn(name, (within + F.col("_offset")).cast("long"))
        .drop("_part", "_offset")
    )
