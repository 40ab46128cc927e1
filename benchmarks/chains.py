"""Quadratic corners (issue 14): a chain of updated versions of one story against as many unrelated articles.

    python -m benchmarks.chains [--sizes 30000 100000] [--seed 3]

A story updated again and again (each version keeps most of the one before and adds or replaces a paragraph)
makes a long path in the copy graph: version k is a copy of k-1 and k+1 but not of versions far from it. The
versions are shuffled, so they arrive in any order. Timed: ``dedup.cluster`` over the chain and over as many
unrelated articles of the same length, in this process, and connected components alone over a path of the same
length in shuffled label order. The chain must cost time linear in its edges, like the unrelated articles.
Results go to BENCHMARKS.md (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks._common import cpu_model, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Chains of versions (issue 14)"


def _paragraph(rng: np.random.Generator, words: int = 30) -> str:
    return " ".join(f"w{rank}" for rank in rng.integers(0, 50_000, size=words).tolist())


def chain(n: int, seed: int) -> list[str]:
    """n versions of a story of 6 paragraphs; each version replaces one paragraph of the one before."""
    rng = np.random.default_rng(seed)
    paragraphs = [_paragraph(rng) for _ in range(6)]
    versions = []
    for number in range(n):
        paragraphs[number % 6] = _paragraph(rng)
        versions.append("\n\n".join(paragraphs))
    return [versions[k] for k in rng.permutation(n).tolist()]


def unrelated(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed + 1)
    return ["\n\n".join(_paragraph(rng) for _ in range(6)) for _ in range(n)]


def timed_cluster(texts: list[str]) -> tuple[float, int, float]:
    """Seconds for ``dedup.cluster``, the largest cluster, seconds of its components-and-clusters stage."""
    import dedup

    started = time.perf_counter()
    result = dedup.cluster(texts)
    return time.perf_counter() - started, max(len(group) for group in result.clusters), result.timings["clusters"]


def timed_components(n: int, seed: int) -> float:
    from dedup.components import connected_components

    labels = np.random.default_rng(seed).permutation(n)
    edges = np.stack([labels[:-1], labels[1:]], axis=1)
    started = time.perf_counter()
    found = connected_components(n, edges)
    seconds = time.perf_counter() - started
    assert (found == found.min()).all()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chains", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for n in args.sizes:
        chain_seconds, largest, chain_clusters = timed_cluster(chain(n, args.seed))
        unrelated_seconds, _, unrelated_clusters = timed_cluster(unrelated(n, args.seed))
        rows.append((n, chain_seconds, largest, chain_clusters, unrelated_seconds, unrelated_clusters,
                     timed_components(n, args.seed)))
        print(rows[-1], file=sys.stderr)
    lines = [SECTION, "",
             f"Machine: {cpu_model()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}. "
             f"Command: `python -m benchmarks.chains --sizes {' '.join(map(str, args.sizes))}`. A shuffled chain of "
             "versions of one story (each replaces one of six paragraphs of the one before) against as many "
             "unrelated articles; `dedup.cluster` in this process. Connected components alone over a shuffled path "
             "of the same length.", "",
             "A version is a copy of its neighbours two or three steps away too, so the chain has several verified "
             "pairs per article where the unrelated articles have none: what must stay linear is the time per "
             "article as the chain grows, and the clusters stage (components and canonical members).", "",
             "| articles | chain: cluster s | ms per article | largest cluster | clusters stage s | "
             "unrelated: cluster s | clusters stage s | components of a path s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, chain_seconds, largest, chain_clusters, unrelated_seconds, unrelated_clusters, components in rows:
        lines.append(f"| {n:,} | {chain_seconds:.2f} | {1000 * chain_seconds / n:.3f} | {largest:,} | "
                     f"{chain_clusters:.2f} | {unrelated_seconds:.2f} | {unrelated_clusters:.2f} | {components:.3f} |")
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_write:
        write_section(ROOT / "BENCHMARKS.md", SECTION, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
