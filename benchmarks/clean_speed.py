"""Plain-text cleaning cost: CPU time per article of ``dedup.clean`` on real texts of several shapes.

Run as ``python -m benchmarks.clean_speed [--data ../shared/data] [--repeat 5]``.

Each corpus is cleaned once to warm up, then ``--repeat`` times, each pass timed with ``time.process_time`` (CPU
time of this one process, so other jobs on a shared machine count less than in wall time); the table gives the
median pass and the range, in microseconds per article. Documents are built before timing
(``Document.from_text``); the time is ``clean(document)`` alone. The cleaner remembers per-line results across
documents (a site's menus and footers recur on each of its pages): they are forgotten before each pass, so every
pass sees its documents for the first time, as a clustering run does. The scrapinghub page dumps are one page per
site (nothing recurs); the speed benchmark's realistic page dumps are Reuters stories inside the page-dump chrome
of those host pages, as ``python -m benchmarks.speed`` builds them, so a site's chrome recurs as in a crawl.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from benchmarks._common import cpu_model, write_section
from benchmarks.clean_quality import clean_shapes, load_pages, page_dump

REALISTIC_DUMPS = 2_000
REALISTIC_CORPUS = 20_000

SECTION = "## Plain-text cleaning cost (issue 12)"
#: The same command at a054701 (before issue 12), 2026-11-30 13:37 UTC, load average 5-7 (busy shared machine).
BEFORE = {
    "Reuters-21578, one paragraph a line (wire-like)": 161.9,
    "Reuters-21578 bodies as the SGML holds them": 303.1,
    "scrapinghub gold bodies": 698.4,
    "SemEval one-line articles, 9 other languages": 107.5,
    "scrapinghub page dumps (chrome included)": 2069.8,
}

#: The same command run with the code of 66352a1 (before the page-dump fast path: literal screens, per-line memory,
#: numpy literal search, byte word counts), 2026-11-30 16:29 UTC, load average 1.6, minutes before the figures
#: in BENCHMARKS.md.
PREVIOUS = {
    "Reuters-21578, one paragraph a line (wire-like)": 34.2,
    "Reuters-21578 bodies as the SGML holds them": 60.3,
    "scrapinghub gold bodies": 213.0,
    "SemEval one-line articles, 9 other languages": 55.2,
    "scrapinghub page dumps (chrome included)": 2976.0,
    f"speed benchmark's realistic page dumps ({REALISTIC_DUMPS:,}, seed 0)": 2125.6,
    f"speed benchmark's realistic corpus, every shape ({REALISTIC_CORPUS:,}, seed 0)": 542.6,
}


def corpora(data: Path) -> dict[str, list[str]]:
    shapes = clean_shapes(data)
    return {
        "Reuters-21578, one paragraph a line (wire-like)": shapes["the same, one paragraph a line"],
        "Reuters-21578 bodies as the SGML holds them": shapes["Reuters-21578 bodies as the SGML holds them"],
        "scrapinghub gold bodies": shapes["scrapinghub gold bodies"],
        "SemEval one-line articles, 9 other languages": shapes["SemEval one-line articles, 9 other languages"],
        "scrapinghub page dumps (chrome included)": [page_dump(page.html) for page in load_pages(data)],
        f"speed benchmark's realistic page dumps ({REALISTIC_DUMPS:,}, seed 0)": realistic_dumps(data, REALISTIC_DUMPS),
        f"speed benchmark's realistic corpus, every shape ({REALISTIC_CORPUS:,}, seed 0)": realistic_corpus(data),
    }


def realistic_corpus(data: Path, n: int = REALISTIC_CORPUS) -> list[str]:
    """The texts of ``python -m benchmarks.speed --corpus realistic --sizes <n>`` (seed 0): hard-wrapped,
    re-flowed and page-dump articles with 10% reprints, in the order of their file names."""
    import tempfile

    from benchmarks.speed import generate_realistic

    with tempfile.TemporaryDirectory() as folder:
        generate_realistic(Path(folder), n=n, reprint_rate=0.1, seed=0, data=data)
        return [path.read_text(encoding="utf-8") for path in sorted(Path(folder).rglob("*.txt"))]


def realistic_dumps(data: Path, n: int, seed: int = 0) -> list[str]:
    """``n`` page dumps as ``benchmarks.speed``'s realistic corpus writes them: a Reuters-21578 story (title and
    paragraphs) inside the page-dump chrome of a scrapinghub host page drawn at random."""
    import random

    from benchmarks import _corpus, _reuters
    from benchmarks.speed import _Rewriter, _wire_article, _wire_pools, render_wire

    rng = random.Random(seed)
    usable, by_topic = _wire_pools(_reuters.read(data / "reuters21578"))
    rewriter = _Rewriter(rng, usable)
    frames = _corpus.dump_frames(_corpus.load_scrapinghub(data)[1])
    return [render_wire(_wire_article(rng, rewriter, usable, by_topic), "dump", rng.choice(frames)) for _ in range(n)]


def per_article_us(texts: list[str], repeat: int) -> list[float]:
    from dedup.clean import clean, text
    from dedup.documents import Document

    forget_lines = getattr(text, "forget_lines", lambda: None)  # code before the per-line memory has none

    documents = [Document.from_text(text, id=str(number)) for number, text in enumerate(texts)]
    for document in documents:  # warm-up: imports, regex and stoplist caches
        clean(document)
    passes = []
    for _ in range(repeat):
        forget_lines()  # each pass sees its documents for the first time
        start = time.process_time()
        for document in documents:
            clean(document)
        passes.append((time.process_time() - start) / len(documents) * 1e6)
    return passes


def _us(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clean_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="data root (default ../shared/data)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per corpus (default 5)")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="file whose section is refreshed")
    parser.add_argument("--no-write", action="store_true", help="print only; do not touch BENCHMARKS.md")
    args = parser.parse_args(argv)
    rows = ["| corpus | articles | CPU us per article, median pass | range over passes | before the page-dump fast "
            "path (66352a1) | before issue 12 |", "|---|---:|---:|---:|---:|---:|"]
    for name, texts in corpora(args.data).items():
        passes = per_article_us(texts, args.repeat)
        previous, before = (_us(table.get(name)) for table in (PREVIOUS, BEFORE))
        rows.append(f"| {name} | {len(texts):,} | {statistics.median(passes):.1f} | {min(passes):.1f}-"
                    f"{max(passes):.1f} | {previous} | {before} |")
    section = "\n".join([
        SECTION, "",
        f"Command: `python -m benchmarks.clean_speed --data ../shared/data --repeat {args.repeat}`  ",
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}; measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f} (a busy "
        "shared machine: CPU time of one process, not wall time).", "",
        __doc__.split("\n\n", 2)[2].replace("\n", " ").strip(), "",
        *rows, "",
        "Targets of issue 12: <= 40 us per article on wire-like text, <= 60 us on raw Reuters-21578 bodies. "
        "*Before issue 12* is the same command on the code before it (a054701). Page dumps: the chrome patterns "
        "run only on the lines a literal screen flags (the literals found in a dump's text at once with numpy), "
        "words are counted once per line on bytes, and what the classifier finds in a line is remembered across "
        "documents. The scrapinghub dumps are one page per site, so nothing recurs there and the memory does not "
        "help; in the realistic dumps a site's chrome recurs, as in a crawl, and it does. Before each timed pass "
        "the memory is emptied.", ""])
    print(section)
    if not args.no_write:
        write_section(args.out, SECTION, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
