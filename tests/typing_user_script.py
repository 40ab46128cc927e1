"""A user's script: the README's "As a library" block as written, with the types the README names spelled out.

``tests/test_typing.py`` checks it with ``mypy --strict`` and runs it. Run it from the repository root (it reads
``data/samples``); the index goes into the folder named by ``DEDUP_TYPING_DIR`` (a new temporary folder if unset).
"""

from __future__ import annotations

import os
import tempfile

import dedup

docs: list[dedup.Document] = dedup.load("data/samples")
result: dedup.Clustering = dedup.cluster(docs)
for group in result.clusters:
    if len(group) > 1:
        print(group.canonical, [m.doc for m in group.members])

# the Clustering's fields, as the README lists them
articles: tuple[dedup.Article, ...] = result.articles
labels: tuple[int | None, ...] = result.labels
clusters: tuple[dedup.Cluster, ...] = result.clusters
timings: dict[str, float] = result.timings
settings: dedup.Settings = result.settings
member: dedup.Member = clusters[0].members[0]
similarity: float = member.similarity + member.containment
assert len(articles) == len(labels) == len(docs)

result = dedup.cluster_files("data/samples")
assert [group.members for group in result.clusters] == [group.members for group in clusters]

a, b = (dedup.clean(doc) for doc in docs[:2])
alignment: dedup.Alignment = dedup.align(a, b)
spans: tuple[dedup.Span, ...] = alignment.spans
print(alignment.relationship, alignment.containment_a, alignment.containment_b, len(spans))

folder = os.environ.get("DEDUP_TYPING_DIR") or tempfile.mkdtemp()
with dedup.Index(os.path.join(folder, "news.db")) as index:
    seen: dedup.AddResult = index.add(docs[0])
    added: list[dedup.AddResult] = index.add_many(docs[1:])
    print(index.query(docs[2]).matches)
    matches: tuple[dedup.Match, ...] = index.query(docs[2]).matches
    cluster: int | None = seen.cluster
    assert seen.added and all(found.added for found in added) and matches

found: dedup.Cluster | None = result.cluster_of("001_ce003f8fa7d848aa.txt")
records: list[dict[str, object]] = result.records()
print(found, len(records))
assert found is not None and found.canonical == "001_ce003f8fa7d848aa.txt" and found.wire == ("ANI",)
