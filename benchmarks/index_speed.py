"""Persistent index benchmark (issue 7): adding, querying and storing articles with ``dedup.Index``.

    python -m benchmarks.index_speed [--n 100000] [--batch 1000] [--queries 1000] [--words 500] [--seed 7]

A seeded in-memory generator (numpy, no files) writes news-length plain-text articles: Zipfian words from a
made-up vocabulary with real English function words at the head, sentences and paragraphs, a ``date`` line;
10% of them are reprints of an earlier article (bottom cut to 80-97%, a few words changed, sometimes a local
intro sentence). They are added to a fresh index in batches; each batch is first cleaned (``dedup.clean``, as
``add_many`` would do on Documents) and then added as Articles, so the table shows cleaning and the index
separately. Then single-article ``query`` latencies at N stored (half new stories, half unseen reprints of
stored ones), from a Document (cleaning included) and from an Article. Then bytes on disk per article (after
close, WAL checkpointed) with SQLite's per-table breakdown, and, unless ``--no-verify``, batch
``dedup.cluster`` on the same articles to check that the index gives the same partition.

Results go to the "Persistent index (issue 7)" section of BENCHMARKS.md (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks._common import cpu_model, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Persistent index (issue 7)"

_FUNCTION_WORDS = """the of and to a in that is was he for it with as his on be at by i this had not are but from
or have an they which one you were her all she there would their we him been has when who will more no if out so
said what up its about into than them can only other new some could time these two may then do first any my now
such like our over man me even most made after also did many before must through back years where much your way
well down should because each just those people how too little state good very make world still own see men work
long get here between both life being under never day same another know while last might us great old year off
come since against go came right used take three""".split()
_SYLLABLES = ["ka", "lo", "mi", "ter", "on", "bra", "vel", "sun", "dor", "pi", "za", "rem", "tu", "gal", "fen",
              "ri", "mos", "ta", "ne", "quo", "lis", "ar", "bel", "cor", "dis", "ex", "fo", "gu", "hin", "ja"]


class Generator:
    """Seeded articles as (id, text, source id or None) with plain-text news layout."""

    def __init__(self, seed: int, words: int, vocabulary: int = 40_000) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = words
        made_up: list[str] = []
        taken = set(_FUNCTION_WORDS)
        while len(made_up) < vocabulary - len(_FUNCTION_WORDS):
            parts = self.rng.integers(0, len(_SYLLABLES), size=int(self.rng.integers(2, 5)))
            word = "".join(_SYLLABLES[p] for p in parts.tolist())
            if word not in taken:
                taken.add(word)
                made_up.append(word)
        vocab = _FUNCTION_WORDS + made_up
        size = len(vocab)
        weights = 1.0 / (np.arange(size) + 2.7)
        self.cdf = np.cumsum(weights) / weights.sum()
        # four spellings of each word: plain, Capitalised (sentence start), with a full stop, both
        self.table = np.array(vocab + [w.capitalize() for w in vocab] + [w + "." for w in vocab]
                              + [w.capitalize() + "." for w in vocab], dtype=object)
        self.size = size

    def _ids(self, count: int) -> np.ndarray:
        return np.searchsorted(self.cdf, self.rng.random(count)).astype(np.int32)

    def _render(self, ids: np.ndarray, day: str, title: np.ndarray) -> str:
        n = len(ids)
        ends = np.zeros(n, dtype=bool)
        position = int(self.rng.integers(12, 28))
        sentence_ends = []
        while position < n:
            sentence_ends.append(position - 1)
            position += int(self.rng.integers(12, 28))
        sentence_ends.append(n - 1)
        ends[sentence_ends] = True
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        starts[np.array(sentence_ends[:-1], dtype=np.int64) + 1] = True
        words = self.table[ids + self.size * starts + 2 * self.size * ends].tolist()
        for number, end in enumerate(sentence_ends[:-1]):
            if number % 3 == 2:
                words[end] += "\n\n"
        heading = " ".join(self.table[title + self.size].tolist())
        return f"date {day}\n{heading}\n\n" + " ".join(words).replace("\n\n ", "\n\n") + "\n"

    def articles(self, n: int, reprint_rate: float = 0.1):
        """Yield ``(id, text, source)``; ``source`` is the id of the article a reprint copies."""
        bodies: list[np.ndarray] = []
        base = np.datetime64("2026-01-01")
        for number in range(n):
            day = str(base + number * 300 // max(n, 1))
            doc_id = f"{number // 1000:03d}/{number:06d}.txt"
            if bodies and self.rng.random() < reprint_rate:
                source = int(self.rng.integers(len(bodies)))
                ids = bodies[source][: int(len(bodies[source]) * self.rng.uniform(0.8, 0.97))].copy()
                for _ in range(int(self.rng.integers(1, 2 + len(ids) // 120))):
                    ids[int(self.rng.integers(len(ids)))] = self._ids(1)[0]
                if self.rng.random() < 0.3:
                    ids = np.concatenate([self._ids(int(self.rng.integers(12, 28))), ids])
                bodies.append(bodies[source])  # a reprint's own copies derive from its source's text
                yield doc_id, self._render(ids, day, self._ids(8)), f"{source // 1000:03d}/{source:06d}.txt"
            else:
                ids = self._ids(int(self.words * self.rng.uniform(0.8, 1.2)))
                bodies.append(ids)
                yield doc_id, self._render(ids, day, self._ids(8)), None


def _machine() -> str:
    model = cpu_model()
    return (f"{len(os.sched_getaffinity(0))} cores (nproc), {model}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}")


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def run(args: argparse.Namespace) -> dict:
    import dedup
    from dedup import Document, Index, clean

    work = Path(tempfile.mkdtemp(prefix="dedup-index-", dir=args.tmp))
    path = work / "bench.db"
    try:
        generator = Generator(args.seed, args.words)
        started = time.perf_counter()
        generated = list(generator.articles(args.n + args.queries))
        print(f"generated {len(generated)} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        stored, probes = generated[: args.n], generated[args.n:]
        sources = {doc_id: source for doc_id, _, source in stored if source is not None}

        clean_s = index_s = index_cpu = 0.0
        articles = []
        found = 0
        batch_times = []
        with Index(path) as index:
            for start in range(0, len(stored), args.batch):
                chunk = stored[start:start + args.batch]
                t0 = time.perf_counter()
                cleaned = [clean(Document.from_text(text, id=doc_id)) for doc_id, text, _ in chunk]
                t1, c1 = time.perf_counter(), time.process_time()
                results = index.add_many(cleaned)
                t2, c2 = time.perf_counter(), time.process_time()
                index_cpu += c2 - c1
                clean_s += t1 - t0
                index_s += t2 - t1
                batch_times.append(t2 - t1)
                articles.extend(cleaned)
                found += sum(1 for result in results if result.doc in sources
                             and any(match.doc == sources[result.doc] for match in result.matches))
                if (start // args.batch) % 10 == 9:
                    print(f"  {start + len(chunk)} added: index {index_s:.1f} s, clean {clean_s:.1f} s",
                          file=sys.stderr)
            stats = index.stats()
        print(f"added {len(stored)}: index {index_s:.1f} s, clean {clean_s:.1f} s", file=sys.stderr)

        # query latency at N stored, a fresh connection
        new_docs = [Document.from_text(text, id=doc_id) for doc_id, text, source in probes if source is None]
        # unseen reprints: stored articles cut to 85% of their paragraphs, under new ids
        reprints = []
        rng = np.random.default_rng(args.seed + 2)
        for number in range(args.queries // 2):
            _, text, _ = stored[int(rng.integers(len(stored)))]
            lines = text.split("\n\n")
            keep = max(2, int(len(lines) * 0.85))
            reprints.append(Document.from_text("\n\n".join(lines[:keep]), id=f"probe-reprint-{number}"))
        queries = new_docs[: args.queries - len(reprints)] + reprints
        with Index(path) as index:
            for doc in queries[:20]:  # warm-up
                index.query(doc)
            cleaned_queries = [clean(doc) for doc in queries]
            rounds = []  # (p50, p99) of each measure, per round over all the queries
            for _ in range(args.repeat):
                from_doc, from_article, article_cpu, hits = [], [], [], 0
                for doc, article in zip(queries, cleaned_queries, strict=True):
                    t0 = time.perf_counter()
                    index.query(doc)
                    t1, c1 = time.perf_counter(), time.process_time()
                    answer = index.query(article)
                    t2, c2 = time.perf_counter(), time.process_time()
                    article_cpu.append((c2 - c1) * 1000)
                    from_doc.append((t1 - t0) * 1000)
                    from_article.append((t2 - t1) * 1000)
                    hits += bool(answer.matches) and doc.id.startswith("probe-reprint")
                rounds.append({name: (_percentile(values, 50), _percentile(values, 99)) for name, values in
                               (("q_doc", from_doc), ("q_article", from_article), ("q_article_cpu", article_cpu))})
        size = path.stat().st_size
        db = sqlite3.connect(path)
        tables = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        db.close()

        same = None
        batch_s = None
        if args.verify:
            t0 = time.perf_counter()
            result = dedup.cluster(articles)
            batch_s = time.perf_counter() - t0
            expected = {frozenset(m.doc for m in group.members) for group in result.clusters}
            with Index(path) as index:
                same = {frozenset(members) for members in index.clusters().values()} == expected
        return {
            "n": args.n, "batch": args.batch, "words": args.words, "seed": args.seed,
            "clean_s": clean_s, "index_s": index_s, "index_cpu": index_cpu,
            **{name: tuple(statistics.median(r[name][k] for r in rounds) for k in (0, 1)) for name in rounds[0]},
            "q_range": {name: (min(r[name][1] for r in rounds), max(r[name][1] for r in rounds)) for name in rounds[0]},
            "repeat": args.repeat,
            "batch_p50_s": statistics.median(batch_times),
            "batch_max_s": max(batch_times), "recall": found / max(len(sources), 1), "reprints": len(sources),
            "clusters": stats.clusters, "with_copies": stats.clusters_with_copies,
            "queries": len(queries), "reprint_hits": hits, "reprint_queries": len(reprints),
            "bytes": size, "tables": tables, "same": same, "batch_cluster_s": batch_s,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


_TABLES = {"sketches": "shingle sets + signatures", "bands": "band keys", "docs": "articles",
           "sqlite_autoindex_docs_1": "id index", "docs_cluster": "cluster index", "docs_day": "date index",
           "edges": "verified edges", "edges_b": "edge index"}


def _span(r: dict, name: str) -> str:
    low, high = r["q_range"][name]
    return f"{low:.1f}-{high:.1f} over {r['repeat']} rounds"


def report(r: dict, command: str) -> str:
    total = r["clean_s"] + r["index_s"]
    per = r["bytes"] / r["n"]
    lines = [
        SECTION, "",
        f"Command: `{command}`  ",
        f"Machine: {_machine()}; shared with other jobs (load average {os.getloadavg()[0]:.1f} at the end), so wall "
        "times are noisy; CPU time of the process is given beside them.  ",
        f"Data: {r['n']:,} generated plain-text articles (~{r['words']} words, seed {r['seed']}, "
        f"{r['reprints']:,} reprints of earlier ones), added in batches of {r['batch']:,} to a new index "
        "(default settings: threshold 0.5, containment 0.8, 128 permutations, 37 bands x 3 rows).",
        "",
        "| measure | result | target |",
        "|---|---:|---:|",
        f"| add {r['n']:,} articles, index only (cleaned Articles in): wall | {r['index_s']:.1f} s | <= 120 s "
        "(issue 7), <= 60 s (issue 13) |",
        f"| the same, CPU time of the process | {r['index_cpu']:.1f} s | |",
        f"| cleaning the same articles (`dedup.clean`, done by `add_many` on Documents) | {r['clean_s']:.1f} s | |",
        f"| add from Documents, cleaning included | {total:.1f} s | |",
        f"| one batch of {r['batch']:,}, index only: median / slowest | {r['batch_p50_s'] * 1000:.0f} ms / "
        f"{r['batch_max_s'] * 1000:.0f} ms | |",
        f"| `query` at {r['n']:,} stored, from an Article: p50 / p99 | {r['q_article'][0]:.2f} / "
        f"{r['q_article'][1]:.2f} ms (p99 {_span(r, 'q_article')}) | <= 5 / <= 50 ms (issue 7), p50 <= 2 ms "
        "(issue 13) |",
        f"| the same, CPU time: p50 / p99 | {r['q_article_cpu'][0]:.2f} / {r['q_article_cpu'][1]:.2f} ms | |",
        f"| `query` from a Document (cleaning included): p50 / p99 | {r['q_doc'][0]:.2f} / {r['q_doc'][1]:.2f} ms "
        f"(p99 {_span(r, 'q_doc')}) | |",
        f"| bytes on disk per article (WAL checkpointed) | {per:,.0f} B ({r['bytes'] / 1e6:,.0f} MB in all) | |",
        f"| reprints matched to their source on `add` | {r['recall']:.4f} | |",
        f"| unseen reprints found by `query` | {r['reprint_hits']} / {r['reprint_queries']} | |",
    ]
    if r["same"] is not None:
        lines.append(f"| same partition as batch `dedup.cluster` on the same articles | "
                     f"{'yes' if r['same'] else 'NO'} (batch took {r['batch_cluster_s']:.1f} s) | yes |")
    parts = ", ".join(f"{_TABLES.get(name, name)} {size / r['n']:,.0f}"
                      for name, size in sorted(r["tables"].items(), key=lambda item: -item[1]) if size / r["n"] >= 1)
    lines += [
        "",
        f"Bytes per article by table (SQLite `dbstat`): {parts}. The shingle sets (sorted uint64, kept for exact "
        "verification by the same rule as batch `cluster`) are most of it; zlib does not shrink them (uniform "
        "hashes: 0.3%; delta coding + zlib 4%), so they are stored raw. The boilerplate rule (`index_boilerplate`) "
        "keeps the shingles of every text in an LSH candidate pair (carried, with its recent table), and its texts "
        "stored twice (copied).",
        "",
        f"Queries: {r['queries']} (half new stories, half unseen reprints cut from stored articles), one at a time "
        f"after a 20-query warm-up, on a fresh connection, {r['repeat']} rounds; the table gives the median over "
        "rounds of each round's percentile, and the range of the p99s (wall-clock p99 on a shared 2-core machine "
        "is mostly time spent waiting for a core: compare the CPU-time p99); the latency includes shingling, "
        "signature, the band-key lookup (one `IN` query on the two band-key tables) and exact verification of the "
        "candidates.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.index_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles stored (default: 100000)")
    parser.add_argument("--batch", type=int, default=1000, help="articles per add_many (default: 1000)")
    parser.add_argument("--queries", type=int, default=1000, help="single-article queries timed (default: 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the query measurement (default: 5)")
    parser.add_argument("--words", type=int, default=500, help="mean words per article (default: 500)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tmp", default=None, help="directory for the index file (default: the system's)")
    parser.add_argument("--no-verify", dest="verify", action="store_false",
                        help="skip the batch cluster comparison")
    parser.add_argument("--no-write", dest="write", action="store_false", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    command = "python -m benchmarks.index_speed" + "".join(f" {a}" for a in (argv if argv is not None else
                                                                                    sys.argv[1:]))
    result = run(args)
    text = report(result, command)
    print(text)
    if args.write:
        write_section(ROOT / "BENCHMARKS.md", SECTION, text)
    return 0 if result["same"] in (None, True) else 1


if __name__ == "__main__":
    raise SystemExit(main())
