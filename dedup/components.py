"""Clusters: connected components of the verified pairs, and the canonical member of each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .clean import Article
from .verify import ShingleSets

__all__ = ["Cluster", "Member", "build_clusters", "canonical_key", "connected_components"]


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a cluster and how close it is to the cluster's canonical article."""

    doc: str
    canonical: bool
    similarity: float
    containment: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """Articles that are copies of one story; ``canonical`` is the id of the one to keep."""

    id: int
    canonical: str
    members: tuple[Member, ...]

    def __len__(self) -> int:
        return len(self.members)


def connected_components(n: int, edges: np.ndarray) -> np.ndarray:
    """Component label per node: the smallest node index in its component.

    Union-find over the whole edge list at once: each round hooks every root onto the smallest root it has an
    edge to, then compresses every path. A root with an edge to another component merges with at least one other
    each round, so the number of components still joined by edges halves: O(log n) rounds of O(n + edges) work,
    whatever the graph's diameter (a chain of 100,000 updated versions of a story, in any order, is no slower
    than 100,000 pairs)."""
    parent = np.arange(n, dtype=np.int64)
    if len(edges) == 0:
        return parent
    left, right = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
    while True:
        root_left, root_right = parent[left], parent[right]
        apart = root_left != root_right
        if not apart.any():
            return parent
        left, right = left[apart], right[apart]  # edges inside one component never matter again
        high = np.maximum(root_left[apart], root_right[apart])
        low = np.minimum(root_left[apart], root_right[apart])
        np.minimum.at(parent, high, low)  # roots only ever point to smaller roots: no cycles
        _compress(parent)


def _compress(parent: np.ndarray) -> None:
    """Point every node straight at its root (pointer jumping, in place)."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return
        parent[:] = grand


def canonical_key(article: Article, size: int) -> tuple[bool, str, int, str]:
    """The canonical member of a cluster is the one with the smallest key: the earliest dated, then the largest
    (``size``: its distinct shingles), then the first id."""
    return (article.date is None, article.date or "", -size, article.id)


def build_clusters(components: np.ndarray, usable: Sequence[int], articles: Sequence[Article],
                    sets: ShingleSets, labels: list[int | None]) -> tuple[Cluster, ...]:
    """The clusters of the components, numbered in order of their first member, each member's similarity to its
    cluster's canonical member; ``labels`` (per article) are filled in."""
    # Labels are the smallest member of each component, so sorting by label orders the clusters by their first
    # member, and a stable sort keeps each cluster's members ascending.
    order = np.argsort(components, kind="stable")
    starts = np.flatnonzero(np.diff(components[order], prepend=-1))
    sizes = np.diff(np.append(starts, len(order)))
    order_list = order.tolist()
    groups = [order_list[start:start + size] for start, size in zip(starts.tolist(), sizes.tolist(), strict=True)]
    canonicals = [group[0] if len(group) == 1 else
                  min(group, key=lambda local: canonical_key(articles[usable[local]], sets.size(local)))
                  for group in groups]
    # the overlaps verification did not measure, computed from sets shingled together
    unmeasured = [(local, canonical) for group, canonical in zip(groups, canonicals, strict=True) if len(group) > 1
                  for local in group if not sets.measured_pair(local, canonical)]
    sets.prefetch([local for pair in unmeasured for local in pair])
    clusters = []
    for cluster_id, (group, canonical) in enumerate(zip(groups, canonicals, strict=True)):
        built = []
        for local in group:
            article = articles[usable[local]]
            labels[usable[local]] = cluster_id
            if local == canonical:
                built.append(Member(doc=article.id, canonical=True, similarity=1.0, containment=1.0))
            else:
                jaccard, contained = sets.overlap(local, canonical)
                built.append(Member(doc=article.id, canonical=False, similarity=round(jaccard, 4),
                                    containment=round(contained, 4)))
        clusters.append(Cluster(id=cluster_id, canonical=articles[usable[canonical]].id, members=tuple(built)))
    return tuple(clusters)
