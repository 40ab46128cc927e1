"""Output speed: every format for one cluster of N copies against N articles without copies (issue 18).

    python -m benchmarks.output_speed [--n 100000] [--repeat 3]

Builds the two clusterings directly (no cleaning or fingerprinting: only ``dedup.report.render`` is timed), with
titles, dates, sites and distinct texts of about 250 words, and prints the median time of each format. The cyclic
garbage collector is off, as in ``python -m dedup cluster``. ``table`` lists copies only (nothing, for the
singletons); ``table --all`` lists every cluster, the like-for-like comparison.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from dedup import Article, Cluster, Clustering, Member, Settings
from dedup.report import FORMATS, render

_WORDS = ("the harbour authority will expand the container terminal by forty berths over the next decade officials "
          "said on tuesday shipping lines have asked for deeper channels for years").split()


def _articles(n: int) -> tuple[Article, ...]:
    body = " ".join(_WORDS[i % len(_WORDS)] for i in range(250))
    return tuple(Article(id=f"site{k % 50:02d}/{k:06d}.txt", text=f"{body} story {k}.", title=f"Harbour story {k}",
                         date=f"2026-01-{1 + k % 28:02d}", sitename=f"site{k % 50:02d}", wire="Reuters")
                 for k in range(n))


def clusterings(n: int) -> dict[str, Clustering]:
    articles = _articles(n)
    ids = [article.id for article in articles]
    singles = Clustering(articles, tuple(range(n)),
                         tuple(Cluster(k, doc, (Member(doc, True, 1.0, 1.0),)) for k, doc in enumerate(ids)),
                         Settings())
    members = tuple(Member(doc, k == 0, 1.0 if k == 0 else 0.9, 1.0 if k == 0 else 0.95) for k, doc in enumerate(ids))
    one = Clustering(articles, (0,) * n, (Cluster(0, ids[0], members),), Settings())
    return {"singletons": singles, "one cluster": one}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    cases = clusterings(args.n)
    gc.disable()
    print(f"{'format':<18}" + "".join(f"{name:>16}" for name in cases) + f"{'ratio':>8}")
    for fmt, options in [(fmt, {}) for fmt in FORMATS] + [("table", {"all_clusters": True})]:
        seconds = []
        for result in cases.values():
            runs = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                render(result, fmt, **options)
                runs.append(time.perf_counter() - started)
            seconds.append(statistics.median(runs))
        name = fmt + (" --all" if options else "")
        print(f"{name:<18}" + "".join(f"{s:>15.3f}s" for s in seconds) + f"{seconds[1] / seconds[0]:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
