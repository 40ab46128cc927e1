"""Cleaning quality: bag-of-words precision/recall/F1 against gold article bodies.

Run as ``python -m benchmarks.clean_quality [--data ../shared/data]``.

Data: ``<data>/scrapinghub/html/<id>.html.gz`` (181 real news pages, chrome included) and
``<data>/scrapinghub/ground-truth.json`` (``{<id>: {"articleBody": ..., "url": ...}}``).

Two inputs per page:

(a) the HTML page itself;
(b) a whole-page plain-text dump made here by :func:`page_dump`: the text of every block element of
    ``<body>`` in document order, chrome included, one line per block -- what select-all and copy in a
    browser gives.  ``script``/``style``/``noscript``/``template`` (and other never-rendered elements) are
    skipped.

Systems, on the same input: ``trafilatura.extract`` alone (default options, never ``deduplicate=True``;
the dump is passed as-is, as a user would) and ``dedup.clean``.

Tokenisation (:func:`tokens`): ``re.findall(r"\\w+", text.casefold())`` -- Unicode word characters, so
punctuation is ignored and "U.S." gives ``u``, ``s``.  Scores compare bags (multisets) of tokens:
``overlap = sum(min(count_candidate[t], count_gold[t]))``, precision = overlap / len(candidate),
recall = overlap / len(gold).  *Micro* sums overlap and lengths over all pages before dividing (long
pages weigh more); *mean* averages the per-page precision, recall and F1 (an empty candidate scores
P = R = F1 = 0 on that page).  F1 = 2PR / (P + R) in both cases (micro F1 from micro P and R).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from benchmarks import _corpus
from benchmarks._common import cpu_model, write_section

SECTION = "## Cleaning quality (issue 4)"

# ---------------------------------------------------------------------------------------------------
# Plain-text page dumps

def page_dump(html: str | bytes) -> str:
    """The visible text of a page's body, one line per block element, in document order (the corpus generator's
    dump of the parsed page)."""
    return _corpus.page_dump(lxml.html.document_fromstring(html))


# ---------------------------------------------------------------------------------------------------
# Scoring

_TOKEN = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    """Casefolded Unicode word tokens (punctuation dropped)."""
    return _TOKEN.findall(text.casefold()) if text else []


@dataclass(frozen=True, slots=True)
class PageScore:
    overlap: int
    n_candidate: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.overlap / self.n_candidate if self.n_candidate else 0.0

    @property
    def recall(self) -> float:
        return self.overlap / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(candidate: str | None, gold: str) -> PageScore:
    c, g = Counter(tokens(candidate)), Counter(tokens(gold))
    overlap = sum((c & g).values())
    return PageScore(overlap, sum(c.values()), sum(g.values()))


@dataclass(frozen=True, slots=True)
class Summary:
    micro_p: float
    micro_r: float
    micro_f1: float
    mean_p: float
    mean_r: float
    mean_f1: float
    empty: int  # pages where the system returned no text

    @classmethod
    def of(cls, scores: list[PageScore]) -> Summary:
        ov = sum(s.overlap for s in scores)
        nc = sum(s.n_candidate for s in scores)
        ng = sum(s.n_gold for s in scores)
        mp, mr = (ov / nc if nc else 0.0), (ov / ng if ng else 0.0)
        return cls(
            mp,
            mr,
            _f1(mp, mr),
            statistics.fmean(s.precision for s in scores),
            statistics.fmean(s.recall for s in scores),
            statistics.fmean(s.f1 for s in scores),
            sum(1 for s in scores if s.n_candidate == 0),
        )


# ---------------------------------------------------------------------------------------------------
# Data and systems


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: str
    gold: str


def load_pages(data: Path) -> list[Page]:
    root = data / "scrapinghub"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for pid in sorted(truth):
        raw = gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes())
        pages.append(Page(pid, truth[pid].get("url", ""), raw.decode("utf-8"), truth[pid]["articleBody"]))
    return pages


def trafilatura_html(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html, url=page.url or None) or ""


def trafilatura_text(text: str) -> str:
    import trafilatura

    return trafilatura.extract(text) or ""


def trafilatura_wrapped(text: str) -> str:
    """trafilatura on the dump wrapped as HTML, one <p> per line (not what a user passing text does)."""
    import html as _html

    import trafilatura

    body = "".join(f"<p>{_html.escape(line)}</p>" for line in text.splitlines())
    return trafilatura.extract(f"<html><body>{body}</body></html>") or ""


def _dedup_clean() -> Callable[..., str] | None:
    try:
        from dedup.clean import clean
        from dedup.documents import Document
    except ImportError:
        return None

    def run(pid: str, *, text: str = "", html: str | None = None, url: str | None = None) -> str:
        doc = _make_document(Document, pid, text=text, html=html, url=url)
        return clean(doc).text or ""

    return run


def _make_document(cls: type, pid: str, **fields: object) -> object:
    """Build a dedup Document with whatever of id/text/html/url/path its constructor accepts."""
    import dataclasses
    import inspect

    if dataclasses.is_dataclass(cls):
        names = {f.name for f in dataclasses.fields(cls)}
    else:
        names = set(inspect.signature(cls).parameters)
    kw: dict[str, object] = {"id": pid, **fields}
    if "path" in names:
        kw.setdefault("path", f"{pid}.html" if fields.get("html") else f"{pid}.txt")
    return cls(**{k: v for k, v in kw.items() if k in names})


def evaluate(pages: list[Page], systems: dict[str, Callable[[Page], str]]) -> dict[str, tuple[list[PageScore], float]]:
    out = {}
    for name, fn in systems.items():
        scores, t0 = [], time.perf_counter()
        for p in pages:
            scores.append(score(fn(p), p.gold))
        out[name] = (scores, time.perf_counter() - t0)
    return out


# ---------------------------------------------------------------------------------------------------
# Report


def _machine() -> str:
    cpu = cpu_model()
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def _versions() -> str:
    import trafilatura

    return f"trafilatura {trafilatura.__version__}, lxml {etree.__version__}"


def render(results: dict[str, tuple[list[PageScore], float]], n_pages: int, command: str,
           harm: dict[str, list[Kept]] | None = None) -> str:
    rows = [
        "| input | system | micro P | micro R | micro F1 | mean P | mean R | mean F1 | micro F1 even / odd pages "
        "| empty | time (s) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (scores, secs) in results.items():
        s = Summary.of(scores)
        even, odd = Summary.of(scores[0::2]), Summary.of(scores[1::2])
        inp, _, system = name.partition(": ")
        rows.append(
            f"| {inp} | {system} | {s.micro_p:.3f} | {s.micro_r:.3f} | {s.micro_f1:.3f} | {s.mean_p:.3f} "
            f"| {s.mean_r:.3f} | {s.mean_f1:.3f} | {even.micro_f1:.3f} / {odd.micro_f1:.3f} | {s.empty} | {secs:.1f} |"
        )
    notes = _target_notes(results)
    return "\n".join(
        [
            SECTION,
            "",
            f"Command: `{command}`  ",
            f"Machine: {_machine()}; {_versions()}.  ",
            f"Data: scrapinghub article-extraction benchmark, {n_pages} pages with gold `articleBody`.",
            "",
            (
                'Bag-of-words scores against the gold body. Tokens: `re.findall(r"\\w+", text.casefold())`; '
                "overlap is the multiset intersection. *Micro* sums overlap and lengths over all pages; *mean* "
                "averages per-page scores (an empty output scores 0). *Dump* = the page's whole visible text, "
                "one line per block element, chrome included (select-all + copy), made by the benchmark; "
                "trafilatura gets it as-is (a plain-text string; trafilatura parses it as HTML, finds no tree and "
                "returns None), and, for reference, wrapped as HTML with one `<p>` per line. "
                "trafilatura runs with default options (never `deduplicate=True`). "
                "Time is wall-clock for all pages, one process, noisy shared machine."
            ),
            "",
            *rows,
            "",
            *notes,
            *(_harm_section(harm) if harm else []),
        ]
    )


def _harm_section(harm: dict[str, list[Kept]]) -> list[str]:
    return [
        "### Do no harm: already-clean texts (issue 12)",
        "",
        "Each text is given to `dedup.clean` as plain text; *words kept* is the bag-of-words overlap (tokens as "
        "above) of the article's title and text with the input, over the input's words (a headline moved to "
        "`title` is not lost). Reuters-21578: every `<BODY>` of files 000-010 with its `<TITLE>` line above it, "
        "entities decoded, hard-wrapped at ~70 columns with indented paragraph starts, tables and the REUTER "
        "sign-off as the SGML holds them; the tidied version has one paragraph a line. SemEval: the texts of the "
        "training pairs that are one line (many are scraped pages that hold a registration wall or a sign-up "
        "prompt in that line; the few that are only a headline and a wall are reported unusable, by design). "
        "Targets: every shape >= 99% of words kept, at most 1% of documents under 90%, none reported unusable. "
        "Before issue 12 (a054701), in the order of the table: words kept 0.2865, 0.9416, 0.9550, 1.0000, 0.9810, "
        "1.0000; documents under 90% 10,033, 1,921, 24, 0, 5, 0; reported unusable 1,747, 955, 0, 0, 5, 0.",
        "",
        *render_harm(harm),
        "",
    ]


def _target_notes(results: dict[str, tuple[list[PageScore], float]]) -> list[str]:
    """Lines comparing this run with the issue's targets (only for the systems that ran)."""
    notes = []
    ours_html, theirs_html = results.get("HTML: dedup.clean"), results.get("HTML: trafilatura alone")
    if ours_html and theirs_html:
        a, b = Summary.of(ours_html[0]), Summary.of(theirs_html[0])
        met = a.micro_f1 > b.micro_f1 and a.mean_f1 > b.mean_f1
        notes.append(
            f"- Target HTML F1 above trafilatura alone: {'met' if met else 'NOT met'} "
            f"(micro {a.micro_f1:.3f} vs {b.micro_f1:.3f}, mean {a.mean_f1:.3f} vs {b.mean_f1:.3f}). dedup.clean runs "
            "trafilatura twice per page (precision mode for the text and metadata, recall mode to recover "
            "mid-article paragraphs), hence about twice the time."
        )
    dump = results.get("dump: dedup.clean")
    if dump:
        s = Summary.of(dump[0])
        micro = s.micro_f1 >= 0.90 and s.micro_r >= 0.95
        mean = s.mean_f1 >= 0.90 and s.mean_r >= 0.95
        notes.append(
            f"- Target dumps F1 >= 0.90 with recall >= 0.95: micro (token-weighted) {'met' if micro else 'NOT met'} "
            f"(F1 {s.micro_f1:.3f}, R {s.micro_r:.3f}); per-page mean {'met' if mean else 'NOT met'} "
            f"(F1 {s.mean_f1:.3f}, R {s.mean_r:.3f}). The pages that lose most are list-shaped (product widgets, "
            "recipes, tables whose gold bodies keep every item) or put teaser summaries where the body region "
            "looks best."
        )
        notes.append(
            "- The plain-text classifier's thresholds were chosen by looking at these same 181 pages, so this is "
            "not a held-out score; the even/odd split shows it does not hinge on a few pages. The committed "
            "fixture pages (tests/fixtures/pages) pin per-page floors in tests/test_clean.py."
        )
        even, odd = Summary.of(dump[0][0::2]), Summary.of(dump[0][1::2])
        notes.append(
            f"- Issue 12 (target micro F1 >= 0.96: {'met' if s.micro_f1 >= 0.96 else 'NOT met'}, {s.micro_f1:.4f}; "
            "0.943 before issue 12, 0.950 at 66352a1). Every change aimed at dumps was made looking at the even "
            "pages only, the odd pages held out: comment threads ending the article (\"joetoronto says:\" twice or "
            "more); then caption credits (\"...Credit: ESA\", \"Image copyright ...\", \"Name | Getty Images\", "
            "slideshow captions with their more/less toggle), a category and its count (\"Politics (15)\"), "
            "\"Related: <headline>\", newsletter reassurances, tip lines, footers (\"About this article\", "
            "\"Sources:\", \"Topics\"), a run under a list header not kept as the article's list, and a list of "
            "dated items that ends the body kept; last, a short footer line (\"About this article\") never kept as a "
            "subheading between body lines, so the list of sources under it is not the article. Micro F1 on the "
            "even pages 0.939 (before issue 12) -> 0.951 "
            f"(66352a1) -> {even.micro_f1:.3f}; on the odd pages, held out, 0.948 -> 0.949 -> {odd.micro_f1:.3f}. The "
            "evidence thresholds (4 chrome lines, or one and 6 menu-like lines above or below the prose, make a page "
            "dump) were chosen looking at all dumps and gold bodies."
        )
    return notes + ([""] if notes else [])


# ---------------------------------------------------------------------------------------------------
# Do no harm: already-clean article texts of several shapes should come out whole

_RECORD = re.compile(r"<REUTERS\b.*?</REUTERS>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)


def reuters_stories(sgml: str) -> list[str]:
    """Each ``<BODY>`` of a Reuters-21578 SGML file with its ``<TITLE>`` line above it, exactly as the file
    holds them (hard-wrapped, indented paragraphs, tables, the "Reuter" sign-off), entities decoded."""
    import html as _html

    stories = []
    for record in _RECORD.findall(sgml):
        body = _BODY.search(record)
        if body is None:
            continue
        title = _TITLE.search(record)
        head = _html.unescape(title.group(1)) + "\n" if title else ""
        stories.append(head + _html.unescape(body.group(1)))
    return stories


def one_paragraph_a_line(story: str) -> str:
    """A raw Reuters story as already-clean text: the title line, then one paragraph a line (a paragraph starts
    at an indented line)."""
    title, _, body = story.partition("\n")
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n(?=[ \t])", body)]
    return "\n".join([title, *(paragraph for paragraph in paragraphs if paragraph)])


def clean_shapes(data: Path) -> dict[str, list[str]]:
    """Already-clean texts by shape: raw and tidied Reuters-21578 stories, scrapinghub gold bodies as plain
    text, Lee articles and one-line SemEval articles (English and the nine other languages)."""
    raw = [story for path in sorted((data / "reuters21578").glob("reut2-*.sgm"))
           for story in reuters_stories(path.read_bytes().decode("latin-1"))]
    truth = json.loads((data / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    lee = [line for name in ("lee_background.cor", "lee.cor")
           for line in (data / "lee" / name).read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    semeval: dict[str, list[str]] = {"en": [], "other": []}
    for name, key in (("train-en.jsonl", "en"), ("train-multi.jsonl", "other")):
        for line in (data / "semeval2022" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            semeval[key] += [row[field] for field in ("text1", "text2") if row[field].strip()
                             and "\n" not in row[field].strip()]
    return {
        "Reuters-21578 bodies as the SGML holds them": raw,
        "the same, one paragraph a line": [one_paragraph_a_line(story) for story in raw],
        "scrapinghub gold bodies": [truth[key]["articleBody"] for key in sorted(truth)],
        "Lee articles (one line each)": lee,
        "SemEval one-line articles, English": semeval["en"],
        "SemEval one-line articles, 9 other languages": semeval["other"],
    }


@dataclass(frozen=True, slots=True)
class Kept:
    words: int         # input words
    kept: int          # of them, in the cleaned title and text (bag overlap)
    unusable: bool     # the cleaner reported an error

    @property
    def share(self) -> float:
        return self.kept / self.words if self.words else 1.0


def words_kept(text: str) -> Kept:
    """How much of an already-clean text ``dedup.clean`` keeps: its words found again in the article's title and
    text (a title line moved to ``title`` is not lost)."""
    from dedup.clean import clean

    article = clean(text)
    given, out = Counter(tokens(text)), Counter(tokens(f"{article.title or ''} {article.text}"))
    return Kept(sum(given.values()), sum((given & out).values()), article.error is not None)


def render_harm(results: dict[str, list[Kept]]) -> list[str]:
    rows = ["| already-clean shape | documents | words kept (micro) | documents under 90% | reported unusable "
            "| even / odd documents (micro) |", "|---|---:|---:|---:|---:|---:|"]
    for shape, kept in results.items():
        micro = sum(k.kept for k in kept) / max(1, sum(k.words for k in kept))
        halves = [sum(k.kept for k in part) / max(1, sum(k.words for k in part)) for part in (kept[0::2], kept[1::2])]
        under = sum(1 for k in kept if k.share < 0.9)
        rows.append(f"| {shape} | {len(kept):,} | {micro:.4f} | {under} ({under / max(1, len(kept)):.1%}) "
                    f"| {sum(k.unusable for k in kept)} | {halves[0]:.4f} / {halves[1]:.4f} |")
    return rows


FIXTURE_PAGES = {
    # name: scrapinghub id prefix.  Same-site pairs (ap, nbc, aljazeera) exercise corpus-aware chrome.
    "aljazeera-helicopter": "7916ecca969f",
    "aljazeera-moonshot": "42aad16bde92",
    "ap-tories": "e7994d550087",
    "ap-sondland": "82b6d780c792",
    "nbc-hitler-house": "5a822960e9a2",
    "nbc-omar-threat": "7a457a4f7173",
    "jpost-stabbed": "e372e42c0a3d",
    "newsnation-oxygen-bar": "076f4f33bf75",
    "hawaiinewsnow-jupiter": "f344ca5fb36e",
    # Other languages: the stopword list follows the document's language; Korean has none (punctuation rules).
    "entermedia-ko": "0ec95c7261d1",
    "remember8090-it": "b6fb53e9fb04",
    "comwrap-de": "57b4dafd18cf",
    "jaraguadosul-pt": "f6ac15a4d985",
    "wday-ru": "c82b3d1d540b",
}


def write_fixtures(pages: list[Page], dest: Path) -> None:
    """Copy the FIXTURE_PAGES into dest: <name>.html.gz, <name>.gold.txt, <name>.dump.txt, index.json."""
    dest.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, prefix in FIXTURE_PAGES.items():
        (page,) = [p for p in pages if p.id.startswith(prefix)]
        (dest / f"{name}.html.gz").write_bytes(gzip.compress(page.html.encode("utf-8"), mtime=0))
        (dest / f"{name}.gold.txt").write_text(page.gold.rstrip("\n") + "\n", encoding="utf-8")
        (dest / f"{name}.dump.txt").write_text(page_dump(page.html), encoding="utf-8")
        index[name] = {"id": page.id, "url": page.url}
    (dest / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")


def _worst(pages: list[Page], scores: list[PageScore], n: int) -> Iterable[str]:
    ranked = sorted(zip(pages, scores, strict=True), key=lambda ps: ps[1].f1)[:n]
    for p, s in ranked:
        yield f"  {p.id[:16]} P={s.precision:.2f} R={s.recall:.2f} F1={s.f1:.2f} {p.url}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.clean_quality", description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"), help="data root (default ../shared/data)")
    ap.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"), help="file whose section is refreshed")
    ap.add_argument("--no-write", action="store_true", help="print only; do not touch BENCHMARKS.md")
    ap.add_argument("--limit", type=int, default=0, help="first N pages only (implies --no-write)")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages per system on stderr")
    ap.add_argument("--only", default="", help="comma-separated substrings of system names to run")
    ap.add_argument("--make-fixtures", type=Path, metavar="DIR", help="write the test fixture pages to DIR and exit")
    args = ap.parse_args(argv)
    if not (args.data / "scrapinghub" / "ground-truth.json").is_file():
        ap.error(f"no scrapinghub data under {args.data}")

    pages = load_pages(args.data)
    if args.make_fixtures:
        write_fixtures(pages, args.make_fixtures)
        return 0
    if args.limit:
        pages = pages[: args.limit]
    dumps = {p.id: page_dump(p.html) for p in pages}

    systems: dict[str, Callable[[Page], str]] = {
        "HTML: trafilatura alone": trafilatura_html,
    }
    clean = _dedup_clean()
    if clean is not None:
        systems["HTML: dedup.clean"] = lambda p: clean(p.id, html=p.html, url=p.url)
    systems["dump: trafilatura alone"] = lambda p: trafilatura_text(dumps[p.id])
    systems["dump: trafilatura on the dump as <p> per line"] = lambda p: trafilatura_wrapped(dumps[p.id])
    if clean is not None:
        systems["dump: dedup.clean"] = lambda p: clean(p.id, text=dumps[p.id])
    systems["dump: no cleaning (the dump itself)"] = lambda p: dumps[p.id]
    if args.only:
        keys = [k.strip() for k in args.only.split(",") if k.strip()]
        systems = {n: f for n, f in systems.items() if any(k in n for k in keys)}

    results = evaluate(pages, systems)
    shapes = {} if args.only else clean_shapes(args.data)
    harm = {shape: list(map(words_kept, texts)) for shape, texts in shapes.items()} or None
    command = "python -m benchmarks.clean_quality --data ../shared/data"
    section = render(results, len(pages), command, harm)
    print(section)
    if args.worst:
        for name, (scores, _) in results.items():
            print(f"{name}: worst {args.worst}", file=sys.stderr)
            for line in _worst(pages, scores, args.worst):
                print(line, file=sys.stderr)
    if not (args.no_write or args.limit or args.only):
        write_section(args.out, SECTION, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
