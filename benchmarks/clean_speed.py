"""Plain-text cleaning cost: CPU time per article of ``dedup.clean`` on real texts of several shapes.

Run as ``python -m benchmarks.clean_speed [--data ../shared/data] [--repeat 5]``.

Each corpus is cleaned once to warm up, then ``--repeat`` times, each pass timed with ``time.process_time`` (CPU
time of this one process, so other jobs on a shared machine count less than in wall time); the table gives the
median pass and the range, in microseconds per article. Documents are built before timing
(``Document.from_text``); the time is ``clean(document)`` alone.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.clean_quality import clean_shapes, load_pages, page_dump


def corpora(data: Path) -> dict[str, list[str]]:
    shapes = clean_shapes(data)
    return {
        "Reuters-21578, one paragraph a line (wire-like)": shapes["the same, one paragraph a line"],
        "Reuters-21578 bodies as the SGML holds them": shapes["Reuters-21578 bodies as the SGML holds them"],
        "scrapinghub gold bodies": shapes["scrapinghub gold bodies"],
        "SemEval one-line articles, 9 other languages": shapes["SemEval one-line articles, 9 other languages"],
        "scrapinghub page dumps (chrome included)": [page_dump(page.html) for page in load_pages(data)],
    }


def per_article_us(texts: list[str], repeat: int) -> list[float]:
    from dedup.clean import clean
    from dedup.documents import Document

    documents = [Document.from_text(text, id=str(number)) for number, text in enumerate(texts)]
    for document in documents:  # warm-up: imports, regex and stoplist caches
        clean(document)
    passes = []
    for _ in range(repeat):
        start = time.process_time()
        for document in documents:
            clean(document)
        passes.append((time.process_time() - start) / len(documents) * 1e6)
    return passes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clean_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="data root (default ../shared/data)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per corpus (default 5)")
    args = parser.parse_args(argv)
    print("| corpus | articles | CPU us per article, median pass | range over passes |")
    print("|---|---:|---:|---:|")
    for name, texts in corpora(args.data).items():
        passes = per_article_us(texts, args.repeat)
        print(f"| {name} | {len(texts):,} | {statistics.median(passes):.1f} | {min(passes):.1f}-{max(passes):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
