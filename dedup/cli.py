"""Command line: ``dedup cluster DIR``, ``clean FILE...``, ``compare A B``, ``index ...`` (also ``python -m dedup``).

Every command checks its paths, its options and its output file before it starts working (usage errors exit
with 2); results go to stdout or to ``-o FILE`` (written to a temporary file beside it, renamed over it only on
success); diagnostics and the progress display go to stderr. Text from the inputs is made safe to print
(``terminal.terminal_safe``) when it goes to a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypedDict

from . import __version__
from .errors import DedupError, InputError
from .progress import ProgressDisplay, is_terminal
from .terminal import terminal_safe

if TYPE_CHECKING:  # imported where they are used: each command loads only what it needs
    from .clean import Article
    from .cluster import Clustering
    from .documents import Document
    from .index import AddResult, Index, Match
    from .settings import Settings

    _Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    _TextHandler = logging.StreamHandler[TextIO]
else:
    _TextHandler = logging.StreamHandler  # subscriptable at run time from Python 3.11 only

log = logging.getLogger("dedup")

#: A path argument that reads standard input (``dedup.load("-")``); ``-o -`` is standard output.
STDIN = "-"
#: Loggers of the libraries dedup calls: their warnings (and Python warnings) show only with ``--verbose``.
_QUIETER = {logging.DEBUG: logging.DEBUG, logging.INFO: logging.WARNING, logging.WARNING: logging.ERROR,
            logging.ERROR: logging.ERROR}


class UsageError(Exception):
    """A command line that cannot run: a missing path, an option that does not apply, an unwritable output."""


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {value}")
    return value


def _below_one(text: str) -> float:
    value = _probability(text)
    if value == 1.0:
        raise argparse.ArgumentTypeError("must be in (0, 1), got 1.0")
    return value


def _positive(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {value}")
        return value

    return parse


def _common_options() -> argparse.ArgumentParser:
    """-v/-q/--log-level, accepted before and after the command (defaults suppressed so neither hides the other)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="more messages on stderr: -v also shows the warnings of the libraries dedup uses "
                             "(trafilatura, htmldate, ...), -vv debugging messages")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress display, and no messages but errors")
    common.add_argument("--log-level", type=str.upper, choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        default=argparse.SUPPRESS, help="level of dedup's messages on stderr (default: WARNING)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="dedup", parents=[common],
        description="Find syndicated news: copies of one wire story across sites. "
                    "(`python -m dedup` runs the same program.)")
    parser.add_argument("--version", action="version", version=f"dedup {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_cluster_command(commands, common)

    cleaner = commands.add_parser("clean", parents=[common], help="print the cleaned article text and metadata of "
                                  "files", description="Clean files: the article body and its news metadata.")
    cleaner.add_argument("files", nargs="+", metavar="FILE", help="article file (- reads standard input)")
    cleaner.add_argument("--format", choices=("text", "jsonl"), default="text", help="output format (default: text)")
    cleaner.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")

    compare = commands.add_parser("compare", parents=[common], help="align two articles and show what they share",
                                  description="Align two articles: shared spans, containment, relationship.")
    compare.add_argument("a", metavar="A", help="article file (- reads standard input)")
    compare.add_argument("b", metavar="B", help="article file")
    compare.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    compare.add_argument("--min-words", type=_positive(3, 10_000), default=8,
                         help="shortest shared passage reported, in words (default: 8)")
    compare.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    _add_index_commands(commands, common)
    return parser


def _add_cluster_command(commands: _Commands, common: argparse.ArgumentParser) -> None:
    run = commands.add_parser("cluster", parents=[common], help="cluster the articles of a directory (or file) into "
                              "reprint groups", description="Cluster articles into groups of copies of one story.")
    run.add_argument("path", metavar="DIR", help="directory (walked recursively) or file of articles: .txt, "
                     ".html/.htm, .json/.jsonl, and their .gz forms; - reads standard input")
    run.add_argument("--format", choices=("table", "json", "jsonl", "csv", "html"), default="table",
                     help="output format (default: table); jsonl gives one object per input document; html is "
                          "one self-contained page comparing each copy with its canonical article")
    run.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    run.add_argument("--threshold", type=_probability, default=0.5,
                     help="Jaccard similarity of word shingles from which two articles are copies (default: 0.5)")
    run.add_argument("--containment", type=_probability, default=0.8,
                     help="share of the shorter article's shingles inside the longer one from which it is a "
                          "(trimmed or extended) copy (default: 0.8)")
    run.add_argument("--candidate-threshold", type=_below_one, default=None,
                     help="Jaccard similarity the LSH bands are tuned for: lower finds more heavily cut or "
                          "rewritten copies and costs more candidate pairs to verify (default: 0.4 x the lower of "
                          "--threshold and --containment)")
    run.add_argument("--num-perm", type=_positive(8, 4096), default=128,
                     help="MinHash signature length (default: 128)")
    run.add_argument("--ngram", type=_positive(1, 32), default=5, help="words per shingle (default: 5)")
    run.add_argument("--seed", type=_positive(0, 2**32 - 1), default=1, help="hashing seed (default: 1)")
    run.add_argument("--keep-site-chrome", action="store_true",
                     help="do not drop the paragraphs a site repeats across its documents (a site is the url's "
                          "domain, else the sub-folder of DIR a file is in)")
    run.add_argument("--align", action="store_true",
                     help="add each member's aligned spans against its canonical article (json/jsonl only)")
    run.add_argument("--all", action="store_true", help="table: list the articles without copies too")
    run.add_argument("--min-size", type=_positive(1, 1_000_000), metavar="N",
                     help="table: list only the clusters of at least N articles")
    run.add_argument("--workers", type=_positive(1, 1024), metavar="N",
                     help="processes for reading, cleaning and fingerprinting (default: the idle cores; "
                          "the DEDUP_WORKERS environment variable sets the default)")
    run.add_argument("--timings", action="store_true", help="print the time of each stage to stderr")
    run.add_argument("--engine", choices=("local", "spark"), default="local",
                     help="local (default), or spark: the same clusters computed by Apache Spark (needs the "
                          "spark extra: pip install 'dedup[spark]')")
    run.add_argument("--spark-master", metavar="URL",
                     help="Spark master for --engine spark (default: local[*], all cores of this machine)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 1 failure, 2 usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else 2 if exit.code else 0
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", 0)
    if quiet and (verbose or getattr(args, "log_level", None)):
        return _usage_error("--quiet goes with neither --verbose nor --log-level")
    display = ProgressDisplay(enabled=False if quiet else None)
    with _logging_to_stderr(_log_level(args), display):
        try:
            return _checked_run(args, display)
        except UsageError as exc:
            return _usage_error(str(exc))
        except InputError as exc:
            _error(str(exc))
            return 2
        except DedupError as exc:
            _error(str(exc))
            return 1
        except BrokenPipeError:
            return 1
        except OSError as exc:
            _error(str(exc))
            return 1
        except KeyboardInterrupt:
            return 130


def _checked_run(args: argparse.Namespace, display: ProgressDisplay) -> int:
    _check(args)
    try:
        with _Output.to(getattr(args, "output", None)) as output:
            return _run(args, output, display)
    finally:
        display.close()  # before any message: nothing is left of it on the terminal


def _run(args: argparse.Namespace, output: _Output, display: ProgressDisplay) -> int:
    if args.command == "cluster":
        return _cluster(args, output, display)
    if args.command == "clean":
        return _clean(args, output)
    if args.command == "compare":
        return _compare(args, output)
    return _index(args, output, display)


def _error(message: str) -> None:
    print(_for(sys.stderr, f"dedup: error: {message}"), file=sys.stderr)


def _usage_error(message: str) -> int:
    _error(message)
    return 2


def _for(stream: TextIO, text: str) -> str:
    """``text`` made safe to print if ``stream`` is a terminal."""
    return terminal_safe(text) if is_terminal(stream) else text


# --- logging: configured here only (the library attaches a NullHandler) ----------------------------------------


def _log_level(args: argparse.Namespace) -> int:
    if getattr(args, "log_level", None):
        level: int = getattr(logging, args.log_level)
        return level
    if getattr(args, "quiet", False):
        return logging.ERROR
    return {0: logging.WARNING, 1: logging.INFO}.get(getattr(args, "verbose", 0), logging.DEBUG)


class _StderrHandler(_TextHandler):
    """Log records on stderr, made safe for a terminal, drawn above the progress display."""

    def __init__(self, display: ProgressDisplay) -> None:
        super().__init__(sys.stderr)
        self.display = display
        self.pid = os.getpid()

    def format(self, record: logging.LogRecord) -> str:
        return _for(self.stream, super().format(record))

    def emit(self, record: logging.LogRecord) -> None:
        if os.getpid() != self.pid:  # a forked worker: the display (and its lock) belongs to the parent
            super().emit(record)
            return
        with self.display.hidden():
            super().emit(record)


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        own = record.name == "dedup" or record.name.startswith("dedup.")
        return f"{'dedup' if own else record.name}: {super().format(record).rstrip()}"


@contextlib.contextmanager
def _logging_to_stderr(level: int, display: ProgressDisplay) -> Iterator[None]:
    """dedup's messages from ``level`` on; the other libraries' (and Python warnings, which logging captures)
    only from ERROR, unless ``level`` is INFO (then from WARNING) or DEBUG."""
    root, own = logging.getLogger(), logging.getLogger("dedup")
    saved = root.level, own.level
    handler = _StderrHandler(display)
    handler.setFormatter(_Formatter("%(message)s"))
    root.addHandler(handler)
    root.setLevel(_QUIETER[level])
    own.setLevel(level)
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(saved[0])
        own.setLevel(saved[1])


# --- checks before any work --------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> None:
    """Raise ``UsageError`` for what would fail or be ignored later: paths that do not exist, options that do
    not apply. (The output file is checked by opening it, before the work too.)"""
    command = args.command if args.command != "index" else f"index {args.index_command}"
    paths = _input_paths(args, command)
    if paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read once only")
    for path in paths:
        if path != STDIN and not os.path.exists(path):
            raise UsageError(f"no such file or directory: {path}")
        if command not in ("cluster", "index add") and os.path.isdir(path):
            raise UsageError(f"{path} is a directory; {command} takes files")
    if command == "cluster":
        _check_cluster_options(args)
    elif command == "index add" and args.root is not None and not os.path.isdir(args.root):
        raise UsageError(f"--root: no such directory: {args.root}")
    elif args.command == "index" and command != "index add" and not os.path.isfile(args.db):
        raise UsageError(f"no such index: {args.db}")


def _input_paths(args: argparse.Namespace, command: str) -> list[str]:
    if command == "cluster":
        return [args.path]
    if command == "clean":
        return list(args.files)
    if command == "compare":
        return [args.a, args.b]
    if command == "index add":
        return list(args.paths)
    return [args.file] if command == "index query" else []


def _check_cluster_options(args: argparse.Namespace) -> None:
    if args.align and args.format not in ("json", "jsonl"):
        raise UsageError(f"--align adds spans to the json and jsonl formats, not to {args.format}")
    for option, keyword in _TABLE_OPTIONS.items():
        if keyword not in _table_options(args):
            continue
        if args.format != "table":
            raise UsageError(f"{option} applies to the table format, not to {args.format}")
        if keyword not in _render_parameters():
            raise UsageError(f"{option} needs a dedup.report.render that takes {keyword} (this version's does not)")
    if args.engine == "spark" and args.workers is not None:
        raise UsageError("--workers applies to the local engine; Spark sizes its own executors")
    if args.engine != "spark" and args.spark_master is not None:
        raise UsageError("--spark-master applies to --engine spark only")


# --- output: stdout, or a temporary file renamed over -o on success ----------------------------------------


class _Output:
    """Where a command's result goes. ``to(path)`` opens it before the work starts (an unwritable ``-o`` fails
    at once); a file is written beside ``path`` and renamed over it only when the command succeeds, so a
    failed run leaves the previous output as it was. On a terminal, text is made safe to print."""

    def __init__(self, handle: TextIO, path: str | None = None, temporary: str | None = None) -> None:
        self.handle = handle
        self.path = path
        self.temporary = temporary
        self.terminal = path is None and is_terminal(handle)

    @classmethod
    @contextlib.contextmanager
    def to(cls, path: str | None) -> Iterator[_Output]:
        if path is None or path == STDIN:
            yield cls(sys.stdout)
            sys.stdout.flush()
            return
        output = cls._open(path)
        try:
            yield output
        except BaseException:
            output.handle.close()
            if output.temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(output.temporary)
            raise
        output.handle.close()
        if output.temporary is not None and output.path is not None:  # a temporary file always has a path
            os.replace(output.temporary, output.path)

    @classmethod
    def _open(cls, path: str) -> _Output:
        import tempfile

        target = os.path.realpath(path)  # a symbolic link keeps pointing to the output
        try:
            if os.path.isdir(target):
                raise IsADirectoryError(21, "is a directory")
            if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):  # /dev/null, a pipe: no rename
                return cls(open(target, "w", encoding="utf-8"), target)
            folder, name = os.path.split(target)
            descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        os.chmod(descriptor, _new_file_mode(target))
        return cls(open(descriptor, "w", encoding="utf-8"), target, temporary)

    def write(self, text: str, *, trusted: bool = False) -> None:
        """Write ``text``; on a terminal, without escape sequences unless ``trusted`` (the text made them)."""
        self.handle.write(terminal_safe(text) if self.terminal and not trusted else text)
        if self.path is None:
            self.handle.flush()


def _new_file_mode(path: str) -> int:
    """The permissions of the file being replaced, or those of a new file (0666 less the umask)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# --- commands ----------------------------------------------------------------------------------------------


def _cluster(args: argparse.Namespace, output: _Output, display: ProgressDisplay) -> int:
    # The run allocates hundreds of thousands of objects that live to its end, with few reference cycles: the
    # cyclic collector would traverse them again and again for nothing (3% of the time on 20,000 articles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_cluster(args, output, display)
    finally:
        if collecting:
            gc.enable()


def _run_cluster(args: argparse.Namespace, output: _Output, display: ProgressDisplay) -> int:
    from ._parallel import tune_allocator
    from .cluster import Settings, cluster, cluster_files
    from .documents import load
    from .report import render

    tune_allocator()  # fewer page faults in the numpy core (see its docstring)
    settings = Settings(threshold=args.threshold, containment=args.containment,
                        candidate_threshold=args.candidate_threshold, num_perm=args.num_perm, ngram=args.ngram,
                        seed=args.seed, site_chrome=not args.keep_site_chrome)
    if args.engine == "spark":
        started = time.perf_counter()
        docs = load(args.path)
        loaded = time.perf_counter() - started
        result = _spark_cluster(docs, settings, args.spark_master or "local[*]")
        stages = {"load": loaded, **result.timings}
    elif args.path == STDIN:
        started = time.perf_counter()
        docs = load(STDIN)
        loaded = time.perf_counter() - started
        result = cluster(docs, settings=settings, progress=display, workers=args.workers)
        stages = {"load": loaded, **result.timings}
    else:
        result = cluster_files(args.path, settings=settings, progress=display, workers=args.workers)
        stages = dict(result.timings)
    display.close()
    started = time.perf_counter()
    output.write(render(result, args.format, with_alignment=args.align, **_table_options(args)))
    stages["output"] = time.perf_counter() - started
    if args.timings:
        print("timings: " + ", ".join(f"{name} {seconds:.3f}s" for name, seconds in stages.items()), file=sys.stderr)
    return 0


#: The table's options, and the keyword arguments of ``report.render`` they become.
_TABLE_OPTIONS = {"--all": "all_clusters", "--min-size": "min_size"}


class _TableOptions(TypedDict, total=False):
    all_clusters: bool
    min_size: int


def _table_options(args: argparse.Namespace) -> _TableOptions:
    """The table options given, as keyword arguments of ``report.render``."""
    options: _TableOptions = {}
    if args.all:
        options["all_clusters"] = True
    if args.min_size is not None:
        options["min_size"] = args.min_size
    return options


def _render_parameters() -> set[str]:
    import inspect

    from .report import render

    return set(inspect.signature(render).parameters)


def _spark_cluster(docs: list[Document], settings: Settings, master: str) -> Clustering:
    try:
        from .spark import cluster_documents
    except ImportError as exc:
        raise DedupError(f"--engine spark needs PySpark and pyarrow ({exc}); pip install 'dedup[spark]'") from None
    return cluster_documents(docs, master=master, settings=settings)


def _clean(args: argparse.Namespace, output: _Output) -> int:
    from .clean import clean
    from .documents import load

    for path in args.files:
        for doc in load(path):
            article = clean(doc)
            if args.format == "jsonl":
                record = {"doc": article.id, "text": article.text, "title": article.title, "date": article.date,
                          "wire": article.wire, "dateline": article.dateline, "url": article.url,
                          "sitename": article.sitename, "author": article.author, "error": article.error}
                output.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif article.error is not None:
                log.warning("%s: %s", article.id, article.error)
            else:
                header = f"== {article.id}" + (f" | {article.title}" if article.title else "")
                output.write(f"{header}\n{article.text}\n\n")
    return 0


def _compare(args: argparse.Namespace, output: _Output) -> int:
    from dataclasses import replace

    from .align import align
    from .clean import clean
    from .documents import load
    from .verify import relate

    articles = []
    for path in (args.a, args.b):
        docs = load(path)
        if len(docs) != 1:
            raise InputError(f"{path} holds {len(docs)} documents; compare takes one article per file")
        article = clean(docs[0])
        if article.error is not None:
            _error(f"{path}: {article.error}")
            return 1
        if output.terminal and args.format == "text":  # aligned as shown: the offsets must hold in the safe text
            article = replace(article, text=terminal_safe(article.text))
        articles.append(article)
    a, b = articles
    rule = relate(a, b)  # the copy rule of cluster and the index: the same answer for the same pair
    result = replace(align(a, b, min_words=args.min_words), relationship=rule.relationship)
    if args.format == "json":
        spans = [{"a_start": s.a_start, "a_end": s.a_end, "b_start": s.b_start, "b_end": s.b_end, "score": s.score}
                 for s in result.spans]
        document = {
            "a": {"doc": args.a, "text": a.text, "title": a.title, "date": a.date, "wire": a.wire},
            "b": {"doc": args.b, "text": b.text, "title": b.title, "date": b.date, "wire": b.wire},
            "copy": rule.is_copy, "relationship": rule.relationship, "jaccard": rule.similarity,
            "containment": rule.containment, "aligned": result.similarity, "containment_a": result.containment_a,
            "containment_b": result.containment_b, "spans": spans,
        }
        output.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return 0
    from .report import compare_text

    colour = output.terminal and "NO_COLOR" not in os.environ
    names = (terminal_safe(args.a), terminal_safe(args.b)) if output.terminal else (args.a, args.b)
    text = compare_text(a.text, b.text, result, name_a=names[0], name_b=names[1], colour=colour)
    output.write(text, trusted=True)  # on a terminal, made of safe text and its own colours
    return 0


# --- index: dedup index add|query|export|stats|remove|prune DB ... ---------------------


def _day(text: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_index_commands(commands: _Commands, common: argparse.ArgumentParser) -> None:
    index = commands.add_parser(
        "index", parents=[common], help="a persistent index of the articles seen so far (one SQLite file)",
        description="A persistent near-duplicate index: add articles as they arrive, ask whether one was seen.")
    actions = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", parents=[common],
                             description="Add articles; print each one's cluster and the earlier articles it copies.",
                             help="add articles (files or directories) to the index, creating it if needed")
    add.add_argument("db", metavar="DB", help="index file")
    add.add_argument("paths", nargs="+", metavar="PATH", help="file or directory (walked recursively) of articles; "
                     "- reads standard input")
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
    add.add_argument("--workers", type=_positive(1, 1024), metavar="N",
                     help=f"processes for cleaning, from {_PARALLEL_CLEAN} articles on (default: the idle cores; "
                          "the DEDUP_WORKERS environment variable sets the default)")
    query = actions.add_parser("query", parents=[common], help="which stored articles a file copies (stores "
                               "nothing)", description="Look an article up without adding it.")
    query.add_argument("db", metavar="DB")
    query.add_argument("file", metavar="FILE", help="one article (- reads standard input)")
    query.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    export = actions.add_parser("export", parents=[common], help="every stored article with its cluster",
                                description="One JSON object per stored article: doc, cluster, canonical, ...")
    export.add_argument("db", metavar="DB")
    export.add_argument("--format", choices=("jsonl",), default="jsonl", help="output format (default: jsonl)")
    export.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    stats = actions.add_parser("stats", parents=[common], help="counts, settings and size of the index")
    stats.add_argument("db", metavar="DB")
    stats.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    remove = actions.add_parser("remove", parents=[common], help="remove articles by id")
    remove.add_argument("db", metavar="DB")
    remove.add_argument("ids", nargs="+", metavar="ID")
    prune = actions.add_parser("prune", parents=[common],
                               help="remove the articles dated before a day (undated: the day added)")
    prune.add_argument("db", metavar="DB")
    prune.add_argument("--before", type=_day, required=True, metavar="DATE", help="YYYY-MM-DD")


def _index(args: argparse.Namespace, output: _Output, display: ProgressDisplay) -> int:
    from .index import Index

    command = args.index_command
    if command == "add":
        return _index_add(args, output, display)
    with Index(args.db, create=False) as index:
        if command == "query":
            return _index_query(index, args, output)
        if command == "export":
            output.write("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in index.export()))
            return 0
        if command == "stats":
            from dataclasses import asdict

            stats = asdict(index.stats())
            if args.format == "json":
                output.write(json.dumps(stats, indent=2) + "\n")
            else:
                settings = stats.pop("settings")
                stats.update(settings)
                output.write("".join(f"{key:<22} {value}\n" for key, value in stats.items()))
            return 0
        if command == "remove":
            missing = [doc_id for doc_id in args.ids if doc_id not in index]
            removed = index.remove(args.ids)
            for doc_id in missing:
                log.warning("not in the index: %s", doc_id)
            output.write(f"removed {removed} document(s)\n")
            return 1 if missing else 0
        removed = index.prune(before=args.before)
        output.write(f"removed {removed} document(s) dated before {args.before}\n")
        return 0


def _index_add(args: argparse.Namespace, output: _Output, display: ProgressDisplay) -> int:
    from .index import Index

    options = {name: getattr(args, name) for name in ("threshold", "containment", "num_perm", "ngram", "seed")
               if getattr(args, name) is not None}
    with Index(args.db, **options) as index:  # opened first: a file that is no index fails before any work
        docs = [doc for path in args.paths for doc in _index_documents(path, args.root)]
        articles = _cleaned(docs, args.workers, display)
        for start in range(0, len(articles), args.batch_size):
            results = index.add_many(articles[start:start + args.batch_size])
            display("index", start + len(results), len(articles))
            with display.hidden():
                output.write("".join(_index_line(result, args.format) for result in results))
    return 0


#: From this many documents on, ``index add`` cleans them in several processes (as ``cluster`` does).
_PARALLEL_CLEAN = 1000


def _cleaned(docs: list[Document], workers: int | None, progress: ProgressDisplay) -> list[Article]:
    """``clean`` of every document, spread over ``workers`` processes for a large batch, in small ranges so
    that the progress display moves on slow HTML."""
    from ._parallel import map_ranges, resolve_workers, split
    from .clean import clean

    def clean_range(state: list[Document], start: int, stop: int) -> list[Article]:
        return [clean(doc) for doc in state[start:stop]]

    parallel = resolve_workers(workers) if len(docs) >= _PARALLEL_CLEAN else 1
    progress("clean", 0, len(docs))
    parts = map_ranges(clean_range, docs, split(len(docs), 16), workers=parallel,
                       done=lambda stop: progress("clean", stop, len(docs)))
    return [article for part in parts for article in part]


def _index_documents(path: str, root: str | None) -> list[Document]:
    from dataclasses import replace
    from pathlib import PurePath

    from .documents import load

    docs = load(path)
    if root is None or path == STDIN:
        return docs
    out = []
    for doc in docs:
        file = os.path.join(path, doc.path or "") if os.path.isdir(path) else path
        suffix = doc.id[len(doc.path):] if doc.path and doc.id.startswith(doc.path) else ""
        out.append(replace(doc, id=PurePath(os.path.relpath(file, root)).as_posix() + suffix))
    return out


def _match_record(match: Match) -> dict[str, Any]:
    return {"doc": match.doc, "cluster": match.cluster, "similarity": match.similarity,
            "containment": match.containment, "relationship": match.relationship}


def _index_line(result: AddResult, fmt: str) -> str:
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


def _index_query(index: Index, args: argparse.Namespace, output: _Output) -> int:
    from .documents import load

    docs = load(args.file)
    if len(docs) != 1:
        raise InputError(f"{args.file} holds {len(docs)} documents; query takes one article per file")
    result = index.query(docs[0])
    if result.error is not None:
        _error(f"{args.file}: {result.error}")
        return 1
    if args.format == "json":
        record = {"doc": result.doc, "cluster": result.cluster, "merged": list(result.merged),
                  "matches": [_match_record(match) for match in result.matches]}
        output.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return 0
    if result.cluster is None:
        output.write(f"{result.doc}: new story (no copy in the index)\n")
    else:
        lines = [f"{result.doc}: would join cluster {result.cluster}"]
        lines += [f"  {m.doc}\t{m.relationship}\tsimilarity {m.similarity:.3f}\tcontainment {m.containment:.3f}"
                  for m in result.matches]
        output.write("\n".join(lines) + "\n")
    return 0
