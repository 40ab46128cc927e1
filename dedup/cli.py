"""Command line: ``python -m dedup cluster DIR``, ``clean FILE...``, ``compare A B``."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .errors import DedupError, InputError

log = logging.getLogger("dedup")


class ProgressBar:
    """A one-line progress bar on a terminal (stderr by default); silent when the stream is not a terminal."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._last = 0.0
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        fraction = done / total if total else 1.0
        filled = int(30 * fraction)
        self.stream.write(f"\r{stage:<10} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {value}")
    return value


def _positive(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dedup", description="Find syndicated news: copies of one wire story across sites."
    )
    parser.add_argument("--version", action="version", version=f"dedup {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("cluster", help="cluster the articles of a directory (or file) into reprint groups",
                              description="Cluster articles into groups of copies of one story.")
    run.add_argument("path", metavar="DIR", help="directory (walked recursively) or file of articles: .txt, "
                     ".html/.htm, .json/.jsonl, and their .gz forms")
    run.add_argument("--format", choices=("table", "json", "jsonl", "csv", "html"), default="table",
                     help="output format (default: table); jsonl gives one object per input document; html is "
                          "one self-contained page comparing each copy with its canonical article")
    run.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    run.add_argument("--threshold", type=_probability, default=0.5,
                     help="Jaccard similarity of word shingles from which two articles are copies (default: 0.5)")
    run.add_argument("--containment", type=_probability, default=0.8,
                     help="share of the shorter article's shingles inside the longer one from which it is a "
                          "(trimmed or extended) copy (default: 0.8)")
    run.add_argument("--num-perm", type=_positive(8, 4096), default=128,
                     help="MinHash signature length (default: 128)")
    run.add_argument("--ngram", type=_positive(1, 32), default=5, help="words per shingle (default: 5)")
    run.add_argument("--seed", type=_positive(0, 2**32 - 1), default=1, help="hashing seed (default: 1)")
    run.add_argument("--keep-site-chrome", action="store_true",
                     help="do not drop the paragraphs a site repeats across its documents (a site is the url's "
                          "domain, else the sub-folder of DIR a file is in)")
    run.add_argument("--align", action="store_true",
                     help="add each member's aligned spans against its canonical article (json/jsonl)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.add_argument("--timings", action="store_true", help="print the time of each stage to stderr")
    run.add_argument("--engine", choices=("local", "spark"), default="local",
                     help="local (default), or spark: the same clusters computed by Apache Spark (needs the "
                          "spark extra: pip install 'dedup[spark]')")
    run.add_argument("--spark-master", metavar="URL", default="local[*]",
                     help="Spark master for --engine spark (default: local[*], all cores of this machine)")

    cleaner = commands.add_parser("clean", help="print the cleaned article text and metadata of files",
                                  description="Clean files: the article body and its news metadata.")
    cleaner.add_argument("files", nargs="+", metavar="FILE")
    cleaner.add_argument("--format", choices=("text", "jsonl"), default="text", help="output format (default: text)")
    cleaner.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")

    compare = commands.add_parser("compare", help="align two articles and show what they share",
                                  description="Align two articles: shared spans, containment, relationship.")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    compare.add_argument("--min-words", type=_positive(3, 10_000), default=8,
                         help="shortest shared passage reported, in words (default: 8)")
    compare.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    _add_index_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 1 failure, 2 usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    logging.basicConfig(level=logging.WARNING, format="dedup: %(message)s")
    try:
        if args.command == "cluster":
            return _cluster(args, parser)
        if args.command == "clean":
            return _clean(args, parser)
        if args.command == "index":
            return _index(args)
        return _compare(args, parser)
    except InputError as exc:
        print(f"dedup: error: {exc}", file=sys.stderr)
        return 2
    except DedupError as exc:
        print(f"dedup: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except OSError as exc:
        print(f"dedup: error: {exc}", file=sys.stderr)
        return 1


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)


def _check_path(path: str) -> None:
    if not os.path.exists(path):
        raise InputError(f"no such file or directory: {path}")


def _cluster(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    # The run allocates hundreds of thousands of objects that live to its end, with few reference cycles: the
    # cyclic collector would traverse them again and again for nothing (3% of the time on 20,000 articles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_cluster(args)
    finally:
        if collecting:
            gc.enable()


def _run_cluster(args: argparse.Namespace) -> int:
    from ._parallel import tune_allocator
    from .cluster import Settings, cluster_files
    from .documents import load
    from .report import render

    tune_allocator()  # fewer page faults in the numpy core (see its docstring)

    _check_path(args.path)
    settings = Settings(threshold=args.threshold, containment=args.containment, num_perm=args.num_perm,
                        ngram=args.ngram, seed=args.seed, site_chrome=not args.keep_site_chrome)
    progress = ProgressBar(enabled=False if args.quiet else None)
    try:
        if args.engine == "spark":
            started = time.perf_counter()
            docs = load(args.path)
            loaded = time.perf_counter() - started
            result = _spark_cluster(docs, settings, args.spark_master)
            stages = {"load": loaded, **result.timings}
        else:
            result = cluster_files(args.path, settings=settings, progress=progress)
            stages = dict(result.timings)
    finally:
        progress.close()
    started = time.perf_counter()
    _write(render(result, args.format, with_alignment=args.align), args.output)
    stages["output"] = time.perf_counter() - started
    if args.timings:
        print("timings: " + ", ".join(f"{name} {seconds:.3f}s" for name, seconds in stages.items()), file=sys.stderr)
    return 0


def _spark_cluster(docs, settings, master: str):
    try:
        from .spark import cluster_documents
    except ImportError as exc:
        raise DedupError(f"--engine spark needs PySpark and pyarrow ({exc}); pip install 'dedup[spark]'") from None
    return cluster_documents(docs, master=master, settings=settings)


def _clean(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .clean import clean
    from .documents import Document, load

    out = []
    for path in args.files:
        if not os.path.exists(path):
            docs = [Document(id=path, path=path, error="no such file or directory")]
        elif os.path.isdir(path):
            docs = [Document(id=path, path=path, error="is a directory; give files")]
        else:
            docs = load(path)
        for doc in docs:
            article = clean(doc)
            if args.format == "jsonl":
                record = {"doc": article.id, "text": article.text, "title": article.title, "date": article.date,
                          "wire": article.wire, "dateline": article.dateline, "url": article.url,
                          "sitename": article.sitename, "author": article.author, "error": article.error}
                out.append(json.dumps(record, ensure_ascii=False) + "\n")
            elif article.error is not None:
                print(f"dedup: {article.id}: {article.error}", file=sys.stderr)
            else:
                header = f"== {article.id}" + (f" | {article.title}" if article.title else "")
                out.append(f"{header}\n{article.text}\n\n")
    _write("".join(out), args.output)
    return 0


def _compare(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .align import align
    from .clean import clean
    from .documents import load

    articles = []
    for path in (args.a, args.b):
        _check_path(path)
        if os.path.isdir(path):
            raise InputError(f"{path} is a directory; compare takes two files")
        docs = load(path)
        if len(docs) != 1:
            raise InputError(f"{path} holds {len(docs)} documents; compare takes one article per file")
        article = clean(docs[0])
        if article.error is not None:
            print(f"dedup: error: {path}: {article.error}", file=sys.stderr)
            return 1
        articles.append(article)
    a, b = articles
    result = align(a, b, min_words=args.min_words)
    if args.format == "json":
        spans = [{"a_start": s.a_start, "a_end": s.a_end, "b_start": s.b_start, "b_end": s.b_end, "score": s.score}
                 for s in result.spans]
        document = {
            "a": {"doc": args.a, "text": a.text, "title": a.title, "date": a.date, "wire": a.wire},
            "b": {"doc": args.b, "text": b.text, "title": b.title, "date": b.date, "wire": b.wire},
            "similarity": result.similarity, "containment_a": result.containment_a,
            "containment_b": result.containment_b, "relationship": result.relationship, "spans": spans,
        }
        _write(json.dumps(document, ensure_ascii=False, indent=2) + "\n", args.output)
        return 0
    from .report import compare_text

    colour = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _write(compare_text(a.text, b.text, result, name_a=args.a, name_b=args.b, colour=colour), args.output)
    return 0


# --- index (issue 7): python -m dedup index add|query|export|stats|remove|prune DB ... ---------------------


def _day(text: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_index_commands(commands) -> None:
    index = commands.add_parser(
        "index", help="a persistent index of the articles seen so far (one SQLite file)",
        description="A persistent near-duplicate index: add articles as they arrive, ask whether one was seen.")
    actions = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add articles (files or directories) to the index, creating it if needed",
                             description="Add articles; print each one's cluster and the earlier articles it copies.")
    add.add_argument("db", metavar="DB", help="index file")
    add.add_argument("paths", nargs="+", metavar="PATH", help="file or directory (walked recursively) of articles")
    add.add_argument("--root", metavar="DIR", help="document ids are paths relative to DIR (default: relative to "
                     "the directory given, or the file path as given)")
    add.add_argument("--batch-size", type=_positive(1, 1_000_000), default=1000,
                     help="articles per transaction (default: 1000)")
    add.add_argument("--format", choices=("text", "jsonl"), default="text", help="output format (default: text)")
    add.add_argument("--threshold", type=_probability, help="Jaccard similarity for copies (new index; default 0.5)")
    add.add_argument("--containment", type=_probability, help="containment for copies (new index; default 0.8)")
    add.add_argument("--num-perm", type=_positive(8, 4096), help="MinHash signature length (new index; default 128)")
    add.add_argument("--ngram", type=_positive(1, 32), help="words per shingle (new index; default 5)")
    add.add_argument("--seed", type=_positive(0, 2**32 - 1), help="hashing seed (new index; default 1)")
    query = actions.add_parser("query", help="which stored articles a file copies (stores nothing)",
                               description="Look an article up without adding it.")
    query.add_argument("db", metavar="DB")
    query.add_argument("file", metavar="FILE", help="one article")
    query.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    export = actions.add_parser("export", help="every stored article with its cluster",
                                description="One JSON object per stored article: doc, cluster, canonical, ...")
    export.add_argument("db", metavar="DB")
    export.add_argument("--format", choices=("jsonl",), default="jsonl", help="output format (default: jsonl)")
    export.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    stats = actions.add_parser("stats", help="counts, settings and size of the index")
    stats.add_argument("db", metavar="DB")
    stats.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    remove = actions.add_parser("remove", help="remove articles by id")
    remove.add_argument("db", metavar="DB")
    remove.add_argument("ids", nargs="+", metavar="ID")
    prune = actions.add_parser("prune", help="remove the articles dated before a day (undated: the day added)")
    prune.add_argument("db", metavar="DB")
    prune.add_argument("--before", type=_day, required=True, metavar="DATE", help="YYYY-MM-DD")


def _index(args: argparse.Namespace) -> int:
    from .index import Index

    command = args.index_command
    if command == "add":
        for path in args.paths:
            _check_path(path)
        options = {name: getattr(args, name) for name in ("threshold", "containment", "num_perm", "ngram", "seed")
                   if getattr(args, name) is not None}
        docs = [doc for path in args.paths for doc in _index_documents(path, args.root)]
        with Index(args.db, **options) as index:
            for start in range(0, len(docs), args.batch_size):
                results = index.add_many(docs[start:start + args.batch_size])
                _write("".join(_index_line(result, args.format) for result in results), None)
        return 0
    with Index(args.db, create=False) as index:
        if command == "query":
            return _index_query(index, args)
        if command == "export":
            _write("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in index.export()), args.output)
            return 0
        if command == "stats":
            from dataclasses import asdict

            stats = asdict(index.stats())
            if args.format == "json":
                _write(json.dumps(stats, indent=2) + "\n", None)
            else:
                settings = stats.pop("settings")
                stats.update(settings)
                _write("".join(f"{key:<22} {value}\n" for key, value in stats.items()), None)
            return 0
        if command == "remove":
            missing = [doc_id for doc_id in args.ids if doc_id not in index]
            removed = index.remove(args.ids)
            for doc_id in missing:
                print(f"dedup: not in the index: {doc_id}", file=sys.stderr)
            print(f"removed {removed} document(s)")
            return 1 if missing else 0
        removed = index.prune(before=args.before)
        print(f"removed {removed} document(s) dated before {args.before}")
        return 0


def _index_documents(path: str, root: str | None) -> list:
    from dataclasses import replace
    from pathlib import PurePath

    from .documents import load

    docs = load(path)
    if root is None:
        return docs
    out = []
    for doc in docs:
        file = os.path.join(path, doc.path or "") if os.path.isdir(path) else path
        suffix = doc.id[len(doc.path):] if doc.path and doc.id.startswith(doc.path) else ""
        out.append(replace(doc, id=PurePath(os.path.relpath(file, root)).as_posix() + suffix))
    return out


def _match_record(match) -> dict:
    return {"doc": match.doc, "cluster": match.cluster, "similarity": match.similarity,
            "containment": match.containment, "relationship": match.relationship}


def _index_line(result, fmt: str) -> str:
    if fmt == "jsonl":
        record = {"doc": result.doc, "cluster": result.cluster, "added": result.added, "merged": list(result.merged),
                  "error": result.error, "matches": [_match_record(match) for match in result.matches]}
        return json.dumps(record, ensure_ascii=False) + "\n"
    if result.error is not None:
        return f"{result.doc}\tunusable: {result.error}\n"
    status = "" if result.added else " (already indexed)"
    copies = ", ".join(f"{m.doc} ({m.relationship} {m.similarity:.2f})" for m in result.matches[:3])
    more = f" and {len(result.matches) - 3} more" if len(result.matches) > 3 else ""
    merged = f"; merged clusters {', '.join(map(str, result.merged))}" if result.merged else ""
    return f"{result.doc}\tcluster {result.cluster}{status}\t{copies + more or 'new story'}{merged}\n"


def _index_query(index, args: argparse.Namespace) -> int:
    from .documents import load

    _check_path(args.file)
    if os.path.isdir(args.file):
        raise InputError(f"{args.file} is a directory; query takes one file")
    docs = load(args.file)
    if len(docs) != 1:
        raise InputError(f"{args.file} holds {len(docs)} documents; query takes one article per file")
    result = index.query(docs[0])
    if result.error is not None:
        print(f"dedup: error: {args.file}: {result.error}", file=sys.stderr)
        return 1
    if args.format == "json":
        record = {"doc": result.doc, "cluster": result.cluster, "merged": list(result.merged),
                  "matches": [_match_record(match) for match in result.matches]}
        _write(json.dumps(record, ensure_ascii=False, indent=2) + "\n", None)
        return 0
    if result.cluster is None:
        _write(f"{result.doc}: new story (no copy in the index)\n", None)
    else:
        lines = [f"{result.doc}: would join cluster {result.cluster}"]
        lines += [f"  {m.doc}\t{m.relationship}\tsimilarity {m.similarity:.3f}\tcontainment {m.containment:.3f}"
                  for m in result.matches]
        _write("\n".join(lines) + "\n", None)
    return 0
