"""Command line: ``python -m dedup cluster DIR``, ``clean FILE...``, ``compare A B``."""

from __future__ import annotations

import argparse
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
    run.add_argument("--format", choices=("table", "json", "jsonl", "csv"), default="table",
                     help="output format (default: table); jsonl gives one object per input document")
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
    run.add_argument("--align", action="store_true",
                     help="add each member's aligned spans against its canonical article (json/jsonl)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.add_argument("--timings", action="store_true", help="print the time of each stage to stderr")

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
    from .cluster import Settings, cluster
    from .documents import load
    from .report import render

    _check_path(args.path)
    settings = Settings(threshold=args.threshold, containment=args.containment, num_perm=args.num_perm,
                        ngram=args.ngram, seed=args.seed)
    progress = ProgressBar(enabled=False if args.quiet else None)
    started = time.perf_counter()
    docs = load(args.path)
    loaded = time.perf_counter() - started
    try:
        result = cluster(docs, settings=settings, progress=progress)
    finally:
        progress.close()
    _write(render(result, args.format, with_alignment=args.align), args.output)
    if args.timings:
        stages = {"load": loaded, **result.timings}
        print("timings: " + ", ".join(f"{name} {seconds:.3f}s" for name, seconds in stages.items()), file=sys.stderr)
    return 0


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
    colour = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    lines = [f"A: {args.a}", _highlight(a.text, [(s.a_start, s.a_end) for s in result.spans], colour), "",
             f"B: {args.b}", _highlight(b.text, [(s.b_start, s.b_end) for s in result.spans], colour), "",
             f"relationship {result.relationship}; similarity {result.similarity:.3f}; "
             f"containment of A in B {result.containment_a:.3f}, of B in A {result.containment_b:.3f}; "
             f"{len(result.spans)} shared span(s)"]
    _write("\n".join(lines) + "\n", args.output)
    return 0


def _highlight(text: str, spans: list[tuple[int, int]], colour: bool) -> str:
    start_mark, end_mark = ("\x1b[1;32m", "\x1b[0m") if colour else ("[[", "]]")
    pieces, position = [], 0
    for start, end in sorted(spans):
        pieces.append(text[position:start])
        pieces.append(start_mark + text[start:end] + end_mark)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
