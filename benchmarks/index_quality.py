"""One pipeline, two engines (issue 13): the persistent index against batch ``cluster`` on the same articles.

    python -m benchmarks.index_quality [--data ../shared/data] [--seed 0] [--writers 4] [--batch 50]

Corpora: the syndication benchmark's (``benchmarks._corpus``: real stories republished into other real pages'
chrome, sites as sub-folders, hard negatives) and the CI quality slice of real pages
(``tests/fixtures/quality_slice``). Each is loaded once (``dedup.load``); batch ``dedup.cluster`` clusters it;
then ``--writers`` processes add it to a fresh index at once, each a random share in random order and batches of
random size up to ``--batch``, site chrome on. Reported: pairwise precision/recall/F1 of both against the gold
stories, the adjusted Rand index of the index's partition against batch (1.0: the same), whether every canonical
member agrees, time, and the index's bytes per article. A third corpus puts the batch boilerplate rule
(``verify.find_boilerplate``) to work in both engines: the syndication corpus cleaned, one 180-word disclaimer
appended to the articles whose ids hash into one in three, whatever their story (the column "pairs without the
rule" counts the pairs batch merges with the rule switched off). Results go to BENCHMARKS.md
(``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import _corpus
from benchmarks._common import cpu_model, write_section
from benchmarks.quality import DISCLAIMER, Gold, labels, score

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Index and batch: one pipeline (issue 13)"
SLICE = ROOT / "tests" / "fixtures" / "quality_slice"


def _writer(path: str, docs: list, max_batch: int, seed: int) -> None:
    import dedup

    rng = random.Random(seed)
    with dedup.Index(path, timeout=30.0, retries=100) as index:
        start = 0
        while start < len(docs):
            size = rng.randint(1, max_batch)
            index.add_many(docs[start:start + size])
            start += size


def index_run(docs: list, writers: int, max_batch: int, seed: int, folder: Path) -> tuple[list[dict], float, int]:
    """Export records of an index filled by ``writers`` processes at once, seconds, bytes on disk."""
    shuffled = list(docs)
    random.Random(seed).shuffle(shuffled)
    path = str(folder / "index.db")
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    processes = [context.Process(target=_writer, args=(path, shuffled[k::writers], max_batch, seed + k))
                 for k in range(writers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"an index writer exited {process.exitcode}")
    seconds = time.perf_counter() - started
    import dedup

    with dedup.Index(path) as index:
        problems = index.check()
        if problems:
            raise RuntimeError(f"index check: {problems}")
        records = list(index.export())
    size = sum(os.path.getsize(name) for name in (path, path + "-wal") if os.path.exists(name))
    return records, seconds, size


def compare(name: str, docs: list, gold: Gold, args: argparse.Namespace, folder: Path) -> dict:
    import dedup

    started = time.perf_counter()
    batch = dedup.cluster(docs)
    batch_seconds = time.perf_counter() - started
    batch_assign = {m.doc: str(c.id) for c in batch.clusters for m in c.members}
    batch_canonical = {m.doc: c.canonical for c in batch.clusters for m in c.members}
    plain = dedup.cluster(docs, settings=dedup.Settings(boilerplate_docs=10**9))
    records, index_seconds, size = index_run(docs, args.writers, args.batch, args.seed, folder)
    index_assign = {r["doc"]: str(r["cluster"]) for r in records if r["cluster"] is not None}
    index_canonical = {r["doc"]: r["canonical_doc"] for r in records if r["cluster"] is not None}
    truth = labels(gold.story, gold.docs)
    batch_labels, index_labels = labels(batch_assign, gold.docs), labels(index_assign, gold.docs)
    return {"name": name, "docs": len(docs), "batch": score(truth, batch_labels), "index": score(truth, index_labels),
            "ari": score(batch_labels, index_labels).ari, "canonical": index_canonical == batch_canonical,
            "canonical_differ": sum(index_canonical.get(doc) != head for doc, head in batch_canonical.items()),
            "plain_pairs": sum(len(c) * (len(c) - 1) // 2 for c in plain.clusters),
            "pairs": sum(len(c) * (len(c) - 1) // 2 for c in batch.clusters),
            "batch_seconds": batch_seconds, "index_seconds": index_seconds, "bytes": size / len(docs)}


def with_disclaimer(docs: list) -> list:
    """The documents cleaned, and every article whose id hashes into one in three given ``DISCLAIMER`` as its last
    paragraph, whatever its story."""
    from dedup.pipeline import clean_all

    return [dataclasses.replace(article, text=article.text + "\n\n" + DISCLAIMER)
            if article.error is None and hashlib.blake2b(article.id.encode(), digest_size=1).digest()[0] % 3 == 0
            else article for article in clean_all(docs)]


def render(rows: list[dict], args: argparse.Namespace, command: str) -> str:
    lines = [SECTION, "",
             f"Machine: {cpu_model()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
             f"shared with other jobs (times are noisy). Command: `{command}`.",
             f"{args.writers} writer processes add each corpus to a fresh index at once, in random order and batches "
             f"of 1-{args.batch} articles, site chrome on (sites from sub-folders); batch `dedup.cluster` on the "
             "same loaded documents. ARI: the index's partition against batch's (1.0: identical).", "",
             "| corpus | articles | batch P / R / F1 | index P / R / F1 | ARI index vs batch | same canonical "
             "members | pairs merged (batch) | pairs without the boilerplate rule | batch s | index s "
             "| index bytes per article |",
             "|---|---:|---|---|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        b, i = row["batch"], row["index"]
        lines.append(f"| {row['name']} | {row['docs']:,} | {b.precision:.3f} / {b.recall:.3f} / {b.f1:.3f} | "
                     f"{i.precision:.3f} / {i.recall:.3f} / {i.f1:.3f} | {row['ari']:.4f} | "
                     f"{'yes' if row['canonical'] else 'NO (' + str(row['canonical_differ']) + ' articles)'} | "
                     f"{row['pairs']:,} | {row['plain_pairs']:,} | "
                     f"{row['batch_seconds']:.1f} | "
                     f"{row['index_seconds']:.1f} | {row['bytes']:,.0f} |")
    lines += ["", "Both engines apply the boilerplate rule (`verify.find_boilerplate`: shingles carried by 20 or more "
              "otherwise different documents do not count; the index keeps the counts in SQLite, "
              "`dedup/index_boilerplate.py`). The disclaimer corpus: the syndication corpus cleaned, one 180-word "
              "disclaimer appended to a third of its articles, whatever their story."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.index_quality", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=50, help="largest batch a writer adds at once")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="dedup-index-quality-"))
    import dedup

    try:
        rows = []
        if args.data.is_dir():
            generated = folder / "syndication"
            _corpus.write(_corpus.generate(args.data, args.seed), generated)
            gold = Gold.read(generated / "gold.jsonl")
            docs = dedup.load(generated / "corpus")
            rows.append(compare("syndication benchmark", docs, gold, args, generated))
            disclaimed = folder / "disclaimer"
            disclaimed.mkdir()
            rows.append(compare("syndication, a disclaimer under 1/3 of the articles", with_disclaimer(docs), gold,
                                args, disclaimed))
        rows.append(compare("quality slice (real pages)", dedup.load(SLICE / "corpus"),
                            Gold.read(SLICE / "gold.jsonl"), args, folder))
        command = "python -m benchmarks.index_quality" + (f" --seed {args.seed}" if args.seed else "")
        section = render(rows, args, command)
        print(section)
        if not args.no_write:
            write_section(ROOT / "BENCHMARKS.md", SECTION, section)
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
