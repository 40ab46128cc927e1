"""Clusters: connected components of the verified pairs, and the canonical member of each.

The canonical member is the story's origin as far as the copies tell: the earliest publication time (date and
time of day, moved to UTC), then a copy that credits the wire agency, then the most complete (the most distinct
shingles), then the first id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .clean import Article
from .clean.news import is_agency, time_key
from .settings import Settings
from .verify import ShingleSets

__all__ = ["Cluster", "Member", "build_clusters", "canonical_key", "connected_components"]


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a cluster and how close it is to the cluster's canonical article: Jaccard ``similarity``
    and ``containment`` of their shingle sets, and their ``relationship`` by the verification rule (one of
    ``align.RELATIONSHIPS``; ``"duplicate"`` for the canonical itself). A member joined through another copy can
    be only ``partial`` to the canonical. ``credits_wire``: the article credits a wire agency."""

    doc: str
    canonical: bool
    similarity: float
    containment: float
    relationship: str = "duplicate"
    credits_wire: bool = False


@dataclass(frozen=True, slots=True)
class Cluster:
    """Articles that are copies of one story; ``canonical`` is the id of the one to keep (the origin). ``wire``:
    the agencies credited by any member, sorted; ``first_seen``: the earliest publication date or time of a
    member, as its article states it."""

    id: int
    canonical: str
    members: tuple[Member, ...]
    wire: tuple[str, ...] = ()
    first_seen: str | None = None

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


def canonical_key(article: Article, size: int) -> tuple[bool, str, bool, str, bool, int, str]:
    """The canonical member of a cluster is the one with the smallest key: the earliest published (by
    ``clean.news.time_key``: UTC day, then time of day, a date alone after the times of its day), then one
    crediting a wire agency, then the largest (``size``: its distinct shingles), then the first id."""
    return (*time_key(article.date), not credits_wire(article), -size, article.id)


def credits_wire(article: Article) -> bool:
    """The article names a wire agency as its source (header, dateline or credit)."""
    return article.wire is not None and is_agency(article.wire)


def build_clusters(components: np.ndarray, usable: Sequence[int], articles: Sequence[Article],
                   sets: ShingleSets, labels: list[int | None],
                   settings: Settings | None = None) -> tuple[Cluster, ...]:
    """One cluster per component (``components``: a label per usable article, the smallest member's index),
    numbered in order of their first member; ``labels`` is filled in for every member."""
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
    # the sets of the pairs verification did not measure, shingled together rather than one at a time
    unmeasured = [(local, canonical) for group, canonical in zip(groups, canonicals, strict=True) if len(group) > 1
                  for local in group if not sets.measured_pair(local, canonical)]
    sets.prefetch([index for pair in unmeasured for index in pair])
    clusters = []
    for cluster_id, (members, canonical) in enumerate(zip(groups, canonicals, strict=True)):
        for local in members:
            labels[usable[local]] = cluster_id
        clusters.append(_cluster(cluster_id, members, canonical, usable, articles, sets, settings or Settings()))
    return tuple(clusters)


def _cluster(cluster_id: int, members: list[int], canonical: int, usable: Sequence[int], articles: Sequence[Article],
             sets: ShingleSets, settings: Settings) -> Cluster:
    if len(members) == 1:  # most articles: no shingle sets needed
        article = articles[usable[members[0]]]
        only = Member(article.id, True, 1.0, 1.0, "duplicate", credits_wire(article))
        return Cluster(cluster_id, article.id, (only,), _wires([article]), article.date)
    built = []
    for local in members:
        article = articles[usable[local]]
        if local == canonical:
            built.append(Member(article.id, True, 1.0, 1.0, "duplicate", credits_wire(article)))
        else:
            found = sets.relation(local, canonical, settings)
            built.append(Member(article.id, False, found.similarity, found.containment, found.relationship,
                                credits_wire(article)))
    first = articles[usable[canonical]]
    return Cluster(cluster_id, first.id, tuple(built), _wires([articles[usable[local]] for local in members]),
                   first.date)


def _wires(articles: Sequence[Article]) -> tuple[str, ...]:
    return tuple(sorted({article.wire for article in articles if article.wire and is_agency(article.wire)}))
