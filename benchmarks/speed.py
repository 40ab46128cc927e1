"""Speed benchmark (issues 3 and 17): dedup against datasketch and rensa on the same articles.

    python -m benchmarks.speed [--corpus realistic|generated|both] [--data ../shared/data]
                               [--sizes 20000 100000] [--repeat 3] [--skip datasketch@100000]
                               [--peers datasketch,rensa,dedup] [--no-one-worker] [--output BENCHMARKS.md]

Two seeded corpora, each written to a temporary folder (default: both, as two rows per size):

    realistic  news-length articles built from Reuters-21578 <BODY> texts in their native shape (hard wraps,
               indented paragraph starts, earnings tables, the REUTER sign-off), written hard-wrapped,
               re-flowed to one paragraph per line, or inside whole-page text dumps of real host pages;
               read from --data (reuters21578/ and scrapinghub/) and nowhere else
    generated  a synthetic Zipfian vocabulary (real English function words at the head, made-up words in
               the tail), one paragraph per line; needs no data (``--source PATH`` takes word frequencies
               from real text instead)

10% of the articles (``--reprints``) are planted reprints of others: cut, copy-edited, retitled, with a local
intro or a credit line; their pairs are the ground truth for recall.  The same job (word 5-shingles, MinHash
with 128 permutations, LSH at threshold 0.5, union-find) then runs over the same files, each peer in a fresh
subprocess so that wall time includes Python start-up, interleaved, ``--repeat`` times:

    datasketch        MinHash.bulk + MinHashLSH.insertion_session, a query per document
    rensa             RMinHash.from_token_sets + RMinHashLSH.insert_many + query_all
    dedup             python -m dedup cluster DIR --format jsonl --quiet --timings
    dedup (1 worker)  the same with DEDUP_WORKERS=1

Reported: median wall time, articles/s, CPU, peak memory (one extra, untimed run of each peer), our ratio to
each peer, candidate pairs, recall of the planted pairs and wrong merges, dedup's stage timings, and what the
corpus is like: words per article, shapes, tables, sign-offs, and the share of articles that take each path of
dedup's plain-text cleaner (the text whole, stray chrome lines dropped, or a page dump through the line classifier;
n/a when the cleaner does not offer `dedup.clean.cleaning_path`). The table is written into the "Speed (issue 3)"
section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import cpu_model, tree_pss_kib, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Speed (issue 3)"

# ---------------------------------------------------------------------------
# Corpus generation
# ---------------------------------------------------------------------------

# The head of an English frequency list: these carry most of the mass.
_FUNCTION_WORDS = """the of and to a in that is was he for it with as his on be at by i this had not
are but from or have an they which one you were her all she there would their we him been has when
who will more no if out so said what up its about into than them can only other new some could time
these two may then do first any my now such like our over man me even most made after also did many
before must through back years where much your way well down should because each just those people mr
how too little state good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go came
right used take three states himself few house use during without again place american around however
home small found mrs thought went say part once general high upon school every don does got united
left number course war until always away something fact though water less public put think almost hand
enough far took head yet government system better set told nothing night end why called didn find look
asked later knew point next program city business give group toward young days let room president side
social given present several order national possible rather second per face among form important often
things looked early white case john become large big need four within felt along children saw best
church ever least power development light thing seemed family interest want members others mind country
area done turned although open god service certain kind problem began different door thus help sense
means whole matter perhaps itself york times law human line above name example action company hands
local show whether five history gave today either act feet across taken past quite anything seen having
death week experience body word half really field am car words already themselves information tell
together college shall money period held keep sure probably free seems political real cannot behind
miss question air office making brought whose special heard major problems ago became federal moment
study available known result street economic boy reason change position south board individual job
society areas west close turn love community true court force full seem am policy minister officials
spokesman reported told statement foreign security talks agreed percent market prices billion million
shares bank trade oil officials week monday tuesday wednesday thursday friday saturday sunday""".split()

_SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he hi ho ka ke ki ko la le li "
    "lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve "
    "vi vo wa we wi ya yo za ze zi an en in on ar er ir or al el il ol as es is os ang ing ong ast est ist"
).split()

_CITIES = ["WASHINGTON", "LONDON", "NEW DELHI", "TOKYO", "PARIS", "BERLIN", "SYDNEY", "NAIROBI",
           "SAO PAULO", "SEOUL", "CAIRO", "MOSCOW", "BEIJING", "OTTAWA", "MADRID", "ROME"]
_WIRES = ["Reuters", "AP", "AFP", "ANI", "PTI", "Bloomberg"]


def _vocabulary(rng, source: str | None, size: int = 60_000):
    """Return (words, probabilities) for unigram sampling."""
    import numpy as np

    if source:
        path = Path(source)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        counts: dict[str, int] = {}
        for f in files:
            text = f.read_bytes().decode("latin-1")
            text = re.sub(r"<[^>]+>", " ", text)
            for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text):
                w = w.lower()
                counts[w] = counts.get(w, 0) + 1
        if len(counts) < 100:
            raise SystemExit(f"--source {source}: too little text")
        words = sorted(counts, key=lambda w: (-counts[w], w))
        freq = np.array([counts[w] for w in words], dtype=np.float64)
        # Real text has a long tail that a few MB cannot show: extend it with
        # made-up words at the tail's frequency so articles do not collide.
        extra = max(0, size - len(words))
        words += _made_up_words(rng, extra, set(words))
        freq = np.concatenate([freq, np.full(extra, freq[-1])])
        return words, freq / freq.sum()
    words = list(dict.fromkeys(_FUNCTION_WORDS))
    words += _made_up_words(rng, size - len(words), set(words))
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    freq = 1.0 / ranks**1.05  # Zipf
    return words, freq / freq.sum()


def _made_up_words(rng, count: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    syl = _SYLLABLES
    while len(out) < count:
        k = int(rng.integers(2, 5))
        w = "".join(syl[int(i)] for i in rng.integers(0, len(syl), k))
        if w not in taken:
            taken.add(w)
            out.append(w)
    return out


class _Writer:
    """Turns word-id streams into sentences and paragraphs."""

    def __init__(self, rng, words, probs):
        import numpy as np

        self.rng = rng
        self.words = words
        self.vocab = np.array(words, dtype=object)
        self.cdf = np.cumsum(probs)
        self.buffer = np.empty(0, dtype=np.int64)
        self.pos = 0

    def _ids(self, k: int):
        import numpy as np

        if self.pos + k > len(self.buffer):
            self.buffer = np.searchsorted(self.cdf, self.rng.random(max(k, 1_000_000)) * self.cdf[-1])
            self.pos = 0
        out = self.buffer[self.pos:self.pos + k]
        self.pos += k
        return out

    def sentence(self) -> list[str]:
        return self.sentences(1)[0]

    def sentences(self, count: int) -> list[list[str]]:
        lengths = self.rng.integers(8, 31, count)
        commas = self.rng.random(count)
        flat = self.vocab[self._ids(int(lengths.sum()))].tolist()
        out = []
        pos = 0
        for k, c in zip(lengths.tolist(), commas.tolist(), strict=True):
            ws = flat[pos:pos + k]
            pos += k
            ws[0] = ws[0].capitalize()
            if k > 12 and c < 0.5:
                j = 3 + int(c * 2 * (k - 6))
                ws[j] = ws[j] + ","
            ws[-1] = ws[-1] + "."
            out.append(ws)
        return out

    def article(self, n_words: int) -> tuple[str, list[list[str]]]:
        """A title and paragraphs (lists of words) totalling about n_words words."""
        title_ids = self._ids(int(self.rng.integers(6, 12)))
        title = " ".join(self.words[i].capitalize() for i in title_ids)
        target = int(n_words * self.rng.uniform(0.8, 1.2))
        sents = self.sentences(max(1, target // 19 + 1))
        per_para = self.rng.integers(2, 5, len(sents))
        paragraphs: list[list[str]] = []
        total = i = 0
        while i < len(sents) and total < target:
            para = [w for s in sents[i:i + int(per_para[i])] for w in s]
            i += int(per_para[i])
            paragraphs.append(para)
            total += len(para)
        city = _CITIES[int(self.rng.integers(len(_CITIES)))]
        wire = _WIRES[int(self.rng.integers(len(_WIRES)))]
        paragraphs[0] = [city, f"({wire})", "-"] + paragraphs[0]
        return title, paragraphs


def _reprint(rng, writer: _Writer, title: str, paragraphs: list[list[str]]):
    """A trimmed and/or lightly edited copy of an article."""
    paras = [list(p) for p in paragraphs]
    kind = []
    if rng.random() < 0.6:  # bottom cut, keeping 80-97% of the words
        kind.append("trim")
        total = sum(len(p) for p in paras)
        keep = int(total * rng.uniform(0.8, 0.97))
        out, n = [], 0
        for p in paras:
            if n >= keep:
                break
            out.append(p[: keep - n])
            n += len(out[-1])
        out[-1][-1] = out[-1][-1].rstrip(".,") + "."
        paras = out
    if rng.random() < 0.7 or not kind:  # a few word-level copy edits
        kind.append("edit")
        words_total = sum(len(p) for p in paras)
        for _ in range(int(rng.integers(1, 2 + words_total // 120))):
            pi = int(rng.integers(len(paras)))
            p = paras[pi]
            if len(p) < 4:
                continue
            j = int(rng.integers(1, len(p) - 1))
            r = rng.random()
            if r < 0.5:
                p[j] = writer.words[int(writer._ids(1)[0])]
            elif r < 0.75:
                del p[j]
            else:
                p.insert(j, writer.words[int(writer._ids(1)[0])])
    if rng.random() < 0.3:  # a local intro sentence
        kind.append("intro")
        paras.insert(0, writer.sentence())
    if rng.random() < 0.5:
        kind.append("retitle")
        title = " ".join(w.capitalize() for w in writer.sentence()[:8]).rstrip(".,")
    if rng.random() < 0.3:
        kind.append("credit")
        paras.append(["(Reporting", "by", writer.words[int(writer._ids(1)[0])].capitalize(),
                      writer.words[int(writer._ids(1)[0])].capitalize() + ";", "Editing", "by",
                      writer.words[int(writer._ids(1)[0])].capitalize() + ")"])
    return title, paras, "+".join(kind)


def _render(date: str, title: str, paragraphs: list[list[str]]) -> str:
    body = "\n\n".join(" ".join(p) for p in paragraphs)
    return f"date {date}\n{title}\n\n{body}\n"


def generate(out_dir: Path, *, n: int, words: int, reprint_rate: float, seed: int,
             source: str | None, identical: int = 0) -> dict:
    """Write n articles to out_dir; return the truth (planted pairs)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab, probs = _vocabulary(rng, source)
    writer = _Writer(rng, vocab, probs)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_reprints = int(round(n * reprint_rate))
    n_identical = identical
    n_orig = n - n_reprints - n_identical
    if n_orig < 1:
        raise SystemExit("too many reprints for --n")
    # Shuffle positions so reprints are spread among originals.
    order = rng.permutation(n)
    originals: list[tuple[str, list[list[str]]]] = []
    names: list[str] = []
    pairs: list[tuple[str, str, str]] = []
    kinds: dict[str, int] = {}
    width = len(str(n))
    base = np.datetime64("2026-01-01")
    for k in range(n):
        name = f"{k // 1000:03d}/{int(order[k]):0{width}d}.txt"
        names.append(name)
    k = 0
    for _ in range(n_orig):
        title, paras = writer.article(words)
        originals.append((title, paras))
        date = str(base + int(rng.integers(0, 300)))
        _write(out_dir / names[k], _render(date, title, paras))
        k += 1
    for _ in range(n_reprints):
        src = int(rng.integers(n_orig))
        title, paras, kind = _reprint(rng, writer, *originals[src])
        kinds[kind] = kinds.get(kind, 0) + 1
        date = str(base + int(rng.integers(0, 300)))
        _write(out_dir / names[k], _render(date, title, paras))
        pairs.append((names[k], names[src], kind))
        k += 1
    for _ in range(n_identical):  # a pathological bucket: exact copies of article 0
        _write(out_dir / names[k], _render("2026-01-01", *originals[0]))
        pairs.append((names[k], names[0], "identical"))
        k += 1
    return {"n": n, "words": words, "seed": seed, "source": source, "pairs": pairs, "kinds": kinds}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# The realistic corpus: wire articles in their native shape (Reuters-21578 bodies)
# ---------------------------------------------------------------------------

#: How articles are written: hard-wrapped as the wire ran them, re-flowed to one paragraph per line, or the
#: article's paragraphs inside a host page's whole-page text dump (site chrome included).
SHAPES = (("wrapped", 0.45), ("reflowed", 0.35), ("dump", 0.20))
#: The chance that a shape keeps the wire's sign-off line: the wire copy always does, a feed's re-flowed text
#: often, a site's page rarely.
_KEEPS_SIGN_OFF = {"wrapped": 1.0, "reflowed": 0.5, "dump": 0.2}
_MEDIAN_WORDS, _SIGMA_WORDS = 480, 0.55  # news length: log-normal words per article
_MEDIAN_BRIEF = 120  # an article led by an earnings brief stays short
_REWRITE = 0.35  # share of content words replaced, so that articles built from one body differ
# Kept as they are when rewriting: function words and the wire's own short forms (their density is what makes
# a line read as prose or as a table).
_KEEP = frozenset(_FUNCTION_WORDS) | frozenset(
    "said says pct mln dlrs cts vs shr shrs net revs avg qtr oper note reuter inc corp co ltd plc company year "
    "billion would could also its it's per".split())
_TOKEN = re.compile(r"[A-Za-z]+|\d")
_DIGIT = re.compile(r"\d")


@dataclass
class WireArticle:
    """One generated article before it is written: blocks are the wire's paragraphs and table rows as raw lines
    (indentation and hard wraps kept); the first block's first line carries the dateline."""

    title: str
    date: str
    blocks: list[list[str]]
    sign_off: str
    table_rows: int = 0
    #: The Reuters bodies (indexes into the usable records) the article's text was built from.
    bodies: frozenset[int] = frozenset()


class _Rewriter:
    """Replaces content words (case shape kept) and digits, so that text built from the same body twice does not
    share its 5-shingles; function words, punctuation, line breaks and indentation stay."""

    def __init__(self, rng: random.Random, records) -> None:
        counts: dict[str, int] = {}
        for record in records:
            for word in re.findall(r"[A-Za-z]{3,}", record.body):
                word = word.lower()
                if word not in _KEEP:
                    counts[word] = counts.get(word, 0) + 1
        words = sorted(counts)
        self.rng = rng
        self.pool = rng.choices(words, weights=[counts[w] for w in words], k=200_003)
        self.at = 0

    def _word(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if token.isdigit():
            return self._digit(match)
        if token.lower() in _KEEP or self.rng.random() >= _REWRITE:
            return token
        self.at = (self.at + 1) % len(self.pool)
        new = self.pool[self.at]
        return new.upper() if token.isupper() and len(token) > 1 else new.capitalize() if token[0].isupper() else new

    def _digit(self, match: re.Match[str]) -> str:
        leading = match.start() == 0 or not match.string[match.start() - 1].isdigit()
        return str(self.rng.randrange(1, 10) if leading else self.rng.randrange(10))

    def line(self, line: str, *, table: bool = False) -> str:
        """The line rewritten; a table row (or a dateline) gets new figures only."""
        return _DIGIT.sub(self._digit, line) if table else _TOKEN.sub(self._word, line)


def _same_body(usable) -> list[int]:
    """For each usable record, the first usable record with the same body (whitespace aside): Reuters-21578 files
    some stories more than once under different ids (files 000-010: 9,718 usable records, 9,512 distinct bodies),
    and articles built from two copies of one story share a body as much as articles built from one record."""
    first: dict[str, int] = {}
    return [first.setdefault(" ".join(record.body.split()), index) for index, record in enumerate(usable)]


def _wire_pools(records) -> tuple[list, dict[str, list[int]]]:
    """Records usable as article parts and, per first topic, the indexes of its records."""
    usable = [r for r in records if len(r.body.split()) >= 15]
    by_topic: dict[str, list[int]] = {}
    for index, record in enumerate(usable):
        by_topic.setdefault(record.topics[0] if record.topics else "", []).append(index)
    return usable, by_topic


def _wire_article(rng: random.Random, rewriter: _Rewriter, usable, by_topic) -> WireArticle:
    """A news-length article: a lead body with its dateline, then paragraphs of more bodies on the same topic."""
    from benchmarks._reuters import blocks, is_table_row

    number = rng.randrange(len(usable))
    lead, used = usable[number], {number}
    brief = "earn" in lead.topics
    target = min(3000, max(40, int(rng.lognormvariate(math.log(_MEDIAN_BRIEF if brief else _MEDIAN_WORDS),
                                                       _SIGMA_WORDS))))
    topic = by_topic.get(lead.topics[0] if lead.topics else "", [])
    parts, words, sign_off = [], 0, lead.sign_off
    record = lead
    for _ in range(40):
        for at, block in enumerate(blocks(record.body)):
            if words >= target:
                break
            used.add(number)
            if at == 0 and record is not lead:  # the wire indents a paragraph start (the lead's has a dateline)
                block = ["    " + block[0].lstrip(), *block[1:]]
            parts.append(block)
            words += sum(len(line.split()) for line in block)
        if words >= target:
            break
        number = topic[rng.randrange(len(topic))] if len(topic) > 1 else rng.randrange(len(usable))
        record = usable[number]
    out, rows = [], 0
    for block in parts:
        table = is_table_row(block)
        rows += table
        out.append([rewriter.line(line, table=table) for line in block])
    if lead.dateline:
        out[0][0] = f"    {rewriter.line(lead.dateline, table=True)} {out[0][0].lstrip()}"
    return WireArticle(rewriter.line(lead.title), lead.date, out, sign_off, rows, frozenset(used))


def _wrap(text: str) -> list[str]:
    """A paragraph hard-wrapped as the wire does: an indented first line, about 65 columns."""
    return textwrap.wrap(text, width=65, initial_indent="    ") or [text]


def _wire_reprint(rng: random.Random, rewriter: _Rewriter, source: WireArticle) -> tuple[WireArticle, str]:
    """A republished copy: bottom cut, light copy edits, a local intro, a credit line, a new title."""
    from benchmarks import _corpus

    blocks_ = [list(block) for block in source.blocks]
    title, kind = source.title, []
    if rng.random() < 0.6 and len(blocks_) > 2:  # bottom cut, keeping 80-97% of the words
        total = sum(len(line.split()) for block in blocks_ for line in block)
        keep, kept, count = total * rng.uniform(0.8, 0.97), 0, 0
        while count < len(blocks_) and kept < keep:
            kept += sum(len(line.split()) for line in blocks_[count])
            count += 1
        blocks_ = blocks_[: max(2, count)]
        kind.append("cut")
    if rng.random() < 0.7 or not kind:  # copy edits: a word replaced, dropped or added
        words = sum(len(line.split()) for block in blocks_ for line in block)
        for _ in range(rng.randint(1, 2 + words // 120)):
            block = blocks_[rng.randrange(len(blocks_))]
            at = rng.randrange(len(block))
            line = block[at].split(" ")
            if len(line) > 3:
                j = rng.randrange(1, len(line))
                choice = rng.random()
                if choice < 0.5:
                    line[j] = rewriter.pool[rng.randrange(len(rewriter.pool))]
                elif choice < 0.75:
                    del line[j]
                else:
                    line.insert(j, rewriter.pool[rng.randrange(len(rewriter.pool))])
                block[at] = " ".join(line)
        kind.append("edit")
    if rng.random() < 0.3:
        blocks_.insert(0, _wrap(_corpus.local_intro(rng)))
        kind.append("intro")
    if rng.random() < 0.3:
        blocks_.append(_wrap(_corpus.credit_line(rng)))
        kind.append("credit")
    if rng.random() < 0.5:
        title = rng.choice(["UPDATE 1-{}", "{} - report", "{}", "WRAPUP-{}"]).format(title)
        title = title.title() if rng.random() < 0.5 else title
        kind.append("retitle")
    sign_off = source.sign_off if rng.random() < 0.7 else ""
    return WireArticle(title, source.date, blocks_, sign_off, source.table_rows, source.bodies), "+".join(kind)


def render_wire(article: WireArticle, shape: str, frame=None) -> str:
    """The article as a file: hard-wrapped as the wire ran it, re-flowed, or inside a page dump."""
    if shape == "wrapped":
        lines = [line for block in article.blocks for line in block]
        tail = f"\n {article.sign_off}\n" if article.sign_off else "\n"
        return f"date {article.date}\n{article.title}\n\n" + "\n".join(lines) + tail
    paragraphs = [" ".join(line.strip() for line in block) for block in article.blocks]
    if article.sign_off:
        paragraphs.append(article.sign_off)
    if shape == "reflowed":
        return f"date {article.date}\n{article.title}\n\n" + "\n".join(paragraphs) + "\n"
    return frame.dump(article.title, paragraphs)


def generate_realistic(out_dir: Path, *, n: int, reprint_rate: float, seed: int, data: Path) -> dict:
    """Write n articles built from Reuters-21578 bodies (``data/reuters21578``) in their native shapes, a share
    of them inside page dumps of the scrapinghub host pages (``data/scrapinghub``); return the truth."""
    from benchmarks import _corpus, _reuters

    rng = random.Random(seed)
    records = _reuters.read(data / "reuters21578")
    _stories, hosts = _corpus.load_scrapinghub(data)
    frames = _corpus.dump_frames(hosts)
    usable, by_topic = _wire_pools(records)
    rewriter = _Rewriter(rng, usable)
    n_reprints = int(round(n * reprint_rate))
    n_orig = n - n_reprints
    if n_orig < 1:
        raise SystemExit("too many reprints for the size")
    order = list(range(n))
    rng.shuffle(order)
    width = len(str(n))
    names: list[str] = []  # wire copies in wire/<000>/, page dumps in a folder per site, as a crawl stores them
    shapes, weights = zip(*((shape, share if frames or shape != "dump" else 0.0) for shape, share in SHAPES),
                          strict=True)
    originals, pairs, kinds, docs = [], [], {}, {}
    body_id = _same_body(usable)
    for k in range(n):
        if k < n_orig:
            article = _wire_article(rng, rewriter, usable, by_topic)
            originals.append(article)
        else:
            src = rng.randrange(n_orig)
            article, kind = _wire_reprint(rng, rewriter, originals[src])
            kinds[kind] = kinds.get(kind, 0) + 1
        shape = rng.choices(shapes, weights)[0]
        frame = rng.choice(frames) if shape == "dump" else None
        names.append(f"{frame.site if frame else f'wire/{order[k] // 1000:03d}'}/{order[k]:0{width}d}.txt")
        if k >= n_orig:
            pairs.append((names[k], names[src], kind))
        if article.sign_off and rng.random() >= _KEEPS_SIGN_OFF[shape]:
            article = dataclasses.replace(article, sign_off="")
        _write(out_dir / names[k], render_wire(article, shape, frame))
        docs[names[k]] = {"shape": shape, "table": article.table_rows >= 2, "sign_off": bool(article.sign_off),
                          "bodies": sorted({body_id[body] for body in article.bodies})}
    return {"n": n, "seed": seed, "source": str(data), "pairs": pairs, "kinds": kinds, "docs": docs}


# ---------------------------------------------------------------------------
# Peers (each runs in its own subprocess: `python -m benchmarks.speed --peer NAME DIR OUT`)
# ---------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
NUM_PERM = 128
THRESHOLD = 0.5
NGRAM = 5


def _read_corpus(directory: Path) -> tuple[list[str], list[str]]:
    paths = sorted(p for p in directory.rglob("*") if p.is_file())
    names = [p.relative_to(directory).as_posix() for p in paths]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    return names, texts


def _shingles(text: str) -> list[str]:
    toks = _WORD.findall(text.lower())
    if len(toks) < NGRAM:
        return [" ".join(toks)]
    return list({" ".join(toks[i:i + NGRAM]) for i in range(len(toks) - NGRAM + 1)})


def _candidate_pairs(answers) -> list[tuple[int, int]]:
    """The distinct pairs (i < j) from each document's LSH answer for its own signature."""
    return sorted({(min(i, j), max(i, j)) for i, found in enumerate(answers) for j in found if j != i})


def _union_find(n: int, pairs) -> list[int]:
    # The peers' own (dedup._reference.components does the same): a peer's process must not import dedup.
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def _peer_datasketch(names: list[str], texts: list[str]) -> tuple[list[int], int]:
    """datasketch at its best: ``MinHash.bulk`` (one template's permutations copied, ``update_batch`` per
    document), ``MinHashLSH.insertion_session`` (buffered bucket writes), then a query per document."""
    from datasketch import MinHash, MinHashLSH

    signatures = MinHash.bulk(([s.encode("utf-8") for s in _shingles(text)] for text in texts),
                              num_perm=NUM_PERM, seed=1)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, m in enumerate(signatures):
            session.insert(i, m, check_duplication=False)
    pairs = _candidate_pairs(lsh.query(m) for m in signatures)
    return _union_find(len(texts), pairs), len(pairs)


def _peer_rensa(names: list[str], texts: list[str]) -> tuple[list[int], int]:
    """rensa at its best: ``RMinHash.from_token_sets`` (every signature in one call), ``insert_many`` and
    ``query_all``. (Its digest-matrix API signs as fast but cannot be queried for pairs, only for flags.)"""
    from rensa import RMinHash, RMinHashLSH

    fp = lambda t, b, r: _integrate(lambda s: 1 - (1 - s**r) ** b, 0.0, t)  # noqa: E731
    fn = lambda t, b, r: _integrate(lambda s: 1 - (1 - (1 - s**r) ** b), t, 1.0)  # noqa: E731

    # rensa needs bands dividing num_perm: datasketch's error criterion over those (32 x 4 here).
    bands = min((b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0),
                key=lambda b: fp(THRESHOLD, b, NUM_PERM // b) + fn(THRESHOLD, b, NUM_PERM // b))
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=bands)
    signatures = RMinHash.from_token_sets([_shingles(text) for text in texts], NUM_PERM, 1)
    lsh.insert_many(signatures)
    pairs = _candidate_pairs(lsh.query_all(signatures))
    return _union_find(len(texts), pairs), len(pairs)


def _integrate(f, a: float, b: float, steps: int = 2000) -> float:
    h = (b - a) / steps
    return h * (sum(f(a + (i + 0.5) * h) for i in range(steps)))


_PEERS = {"datasketch": _peer_datasketch, "rensa": _peer_rensa}


def _run_peer(name: str, directory: Path, out: Path) -> None:
    names, texts = _read_corpus(directory)
    roots, candidates = _PEERS[name](names, texts)
    print(f"CANDIDATES {candidates}", file=sys.stderr)
    with out.open("w", encoding="utf-8") as f:
        for doc, root in zip(names, roots, strict=True):
            f.write(json.dumps({"doc": doc, "cluster": root}) + "\n")


def _count_dedup_candidates(directory: Path) -> None:
    """Print dedup's candidate-pair count over a folder (an untimed run): ``cluster_files`` with the benchmark's
    settings, counting what ``dedup.pipeline.find_candidates`` returns. Prints ``CANDIDATES n/a`` when the
    package no longer has that function (it is being rewritten)."""
    try:
        stage = importlib.import_module("dedup.pipeline")
        from dedup import Settings, cluster_files

        find = stage.find_candidates
    except (ImportError, AttributeError):
        print("CANDIDATES n/a", file=sys.stderr)
        return
    counted = [0]

    def counting(*args, **kwargs):
        pairs = find(*args, **kwargs)
        counted[0] += len(pairs)
        return pairs

    stage.find_candidates = counting
    engine = importlib.import_module("dedup.cluster")
    settings = Settings(threshold=THRESHOLD, num_perm=NUM_PERM, ngram=NGRAM)
    verify, bands, names = engine._verify, Counter(), _jaccard_bands(settings.lsh_threshold)
    edges = [settings.lsh_threshold, THRESHOLD]

    def measuring(found, settings, workers):  # each candidate pair's Jaccard similarity (boilerplate aside)
        verified, sets = verify(found, settings, workers)
        bands.update(names[bisect_right(edges, sets.relation(i, j, settings).similarity)]
                     for i, j in found.pairs.tolist())
        return verified, sets

    engine._verify = measuring
    cluster_files(str(directory), settings=settings)
    print(f"CANDIDATES {counted[0]}", file=sys.stderr)
    print(f"CANDIDATE_JACCARD {json.dumps({name: bands[name] for name in names})}", file=sys.stderr)


def _jaccard_bands(target: float) -> tuple[str, str, str]:
    """The bands of a candidate pair's Jaccard similarity: below the LSH ``target``, up to the copy threshold,
    above."""
    return f"below {target:g}", f"{target:g}-{THRESHOLD:g}", f"{THRESHOLD:g} and more"


# ---------------------------------------------------------------------------
# Measuring a subprocess: wall time and peak RSS of its whole tree
# ---------------------------------------------------------------------------


# Runs a command and reports the largest resident set of any process in its tree. The kernel's own figure for a
# child of this (large) benchmark process would start at this process's size: exec keeps the high-water mark of
# the memory it replaces. The child of this small wrapper starts clean.
_MAXRSS_WRAPPER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
                   "print('MAXRSS_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
                   "sys.exit(code)")


def measure(cmd: list[str], *, cwd: Path, stdout=None, memory: bool = False,
            env: dict[str, str] | None = None) -> tuple[float, int, str, float]:
    """Run cmd; return (wall seconds, peak memory in bytes, its stderr, CPU seconds of the process and its
    waited-for descendants).

    Timing runs (``memory=False``) are left alone: no sampling, which reads /proc/PID/smaps_rollup of every
    process of the tree and competes with it for the cores and its memory map; their peak is 0. Memory runs
    sample the summed PSS of the tree every 20 ms and take the larger of that and the largest process's own
    maximum RSS (through a small wrapper process)."""
    peak = [0]
    done = threading.Event()
    if memory:
        cmd = [sys.executable, "-c", _MAXRSS_WRAPPER, *cmd]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=None if env is None else {**os.environ, **env})

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_pss_kib(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    if memory:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-3000:]}")
    for line in err.splitlines():
        if line.startswith("MAXRSS_KIB "):
            peak[0] = max(peak[0], int(line.split()[1]))
    return wall, peak[0] * 1024, err, usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _read_clusters(path: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                obj = json.loads(line)
                out[obj["doc"]] = obj["cluster"]
    return out


def score(clusters: dict[str, object], truth: dict) -> dict:
    """Recall of the planted pairs and wrong merges. An article in no cluster (``None``: dedup's unusable inputs)
    is merged with nothing: it neither finds its planted pair nor makes wrong pairs with the other unusable ones."""
    pairs = truth["pairs"]

    def together(a: str, b: str) -> bool:
        return clusters.get(a) is not None and clusters.get(a) == clusters.get(b)

    found = sum(1 for a, b, _ in pairs if together(a, b))
    docs = truth.get("docs") or {}
    missed_by_kind: dict[str, int] = {}
    missed_by_shape: dict[str, int] = {}
    for a, b, kind in pairs:
        if not together(a, b):
            missed_by_kind[kind] = missed_by_kind.get(kind, 0) + 1
            shape = _pair_shape(a, b, docs)
            missed_by_shape[shape] = missed_by_shape.get(shape, 0) + 1
    # Precision of merges: a reprint's group is its source's group.
    group = {b: b for _a, b, _k in pairs}
    group.update({a: b for a, b, _k in pairs})
    members: dict[object, list[str]] = {}
    for doc, c in clusters.items():
        if c is not None:
            members.setdefault(c, []).append(doc)
    merged = wrong = shared = 0
    wrong_by_shape: dict[str, int] = {}
    for cluster_docs in members.values():
        k = len(cluster_docs)
        merged += k * (k - 1) // 2
        for number, a in enumerate(cluster_docs):
            for b in cluster_docs[number + 1:]:
                if group.get(a, a) == group.get(b, b):
                    continue
                if _share_a_body(docs.get(a), docs.get(b)):
                    shared += 1
                    continue
                wrong += 1
                shape = _pair_shape(a, b, docs)
                wrong_by_shape[shape] = wrong_by_shape.get(shape, 0) + 1
    return {
        "recall": found / len(pairs) if pairs else 1.0,
        "found": found,
        "planted": len(pairs),
        "merged_pairs": merged,
        "wrong_pairs": wrong,
        "shared_body_pairs": shared,
        "wrong_by_shape": wrong_by_shape,
        "missed_by_kind": missed_by_kind,
        "missed_by_shape": missed_by_shape,
        "documents": len(clusters),
    }


def _share_a_body(a: dict | None, b: dict | None) -> bool:
    """Whether two realistic articles were built from one Reuters body: each body is rewritten independently for
    each article, but a body that makes up most of the shorter article leaves a copy of it (words changed, as
    in a rewritten copy), so such a merge is not counted as wrong."""
    return bool(a and b and set(a.get("bodies", ())) & set(b.get("bodies", ())))


def _pair_shape(a: str, b: str, docs: dict) -> str:
    """How the two articles of a pair were written: two page dumps of one site, two dumps, a dump and a wire copy
    (hard-wrapped or re-flowed), two wire copies (``n/a`` for the generated corpus)."""
    if not docs:
        return "n/a"
    shapes = sorted("dump" if docs[doc]["shape"] == "dump" else "wire" for doc in (a, b))
    same_site = a.split("/", 1)[0] == b.split("/", 1)[0]
    return "dumps of one site" if shapes == ["dump", "dump"] and same_site else " and ".join(shapes)


def true_jaccards(directory: Path, truth: dict, limit: int = 2000) -> list[float]:
    out = []
    for a, b, _k in truth["pairs"][:limit]:
        sa = set(_shingles((directory / a).read_text(encoding="utf-8")))
        sb = set(_shingles((directory / b).read_text(encoding="utf-8")))
        out.append(len(sa & sb) / len(sa | sb))
    return out


# ---------------------------------------------------------------------------
# Which cleaning path each article takes (the plain-text cleaner's own decision)
# ---------------------------------------------------------------------------

def cleaning_path_function():
    """The plain-text cleaner's own decision, ``dedup.clean.cleaning_path`` (text -> "whole", "chrome lines
    dropped" or "page dump"); ``None`` if the cleaner does not offer it (the row then reads n/a)."""
    try:
        clean = importlib.import_module("dedup.clean")  # not `from dedup import clean`: that is the function
    except ImportError:
        return None
    found = getattr(clean, "cleaning_path", None)
    return found if callable(found) else None


def _shares(values: list[str]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return {key: counts[key] / len(values) for key in sorted(counts, key=lambda k: -counts[k])}


def characteristics(directory: Path, truth: dict) -> dict:
    """What the corpus is like: size, words per article, shapes, tables, sign-offs, and the share of articles
    that take each cleaning path (``None`` where the cleaner's decision is not importable or fails)."""
    names = sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file())
    texts = [(directory / name).read_text(encoding="utf-8") for name in names]
    words = sorted(len(text.split()) for text in texts)
    out: dict = {
        "bytes": sum(len(text.encode("utf-8")) for text in texts),
        "words": {q: words[min(len(words) - 1, int(len(words) * f))] for q, f in
                  (("p10", 0.1), ("median", 0.5), ("p90", 0.9), ("max", 1.0))},
        "shapes": None, "paths": None, "paths_by_shape": None,
    }
    docs = truth.get("docs")
    if docs:
        out["shapes"] = _shares([docs[name]["shape"] for name in names])
        out["tables"] = sum(docs[name]["table"] for name in names) / len(names)
        out["sign_offs"] = sum(docs[name]["sign_off"] for name in names) / len(names)
        uses = Counter(body for name in names for body in docs[name].get("bodies", ()))
        out["body_pairs"] = sum(count * (count - 1) // 2 for count in uses.values())
    path = cleaning_path_function()
    try:
        paths = [path(text) for text in texts] if path else None
    except Exception as error:  # noqa: BLE001 - a rewritten cleaner's private function: report n/a, go on
        print(f"cleaning path: n/a ({type(error).__name__}: {error})", file=sys.stderr)
        paths = None
    if paths:
        out["paths"] = _shares(paths)
        if docs:
            out["paths_by_shape"] = {shape: _shares([p for p, n in zip(paths, names, strict=True)
                                                     if docs[n]["shape"] == shape]) for shape in out["shapes"]}
    return out


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def _machine() -> str:
    model = cpu_model()
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}, Python {platform.python_version()}"


def _dedup_timings(stderr: str) -> dict[str, float] | None:
    """Stage timings from ``dedup cluster --timings`` ("timings: load 0.123s, clean 0.456s, ...")."""
    for line in stderr.splitlines():
        if line.startswith("timings:"):
            out = {}
            for part in line[len("timings:"):].split(","):
                name, _, value = part.strip().rpartition(" ")
                if name and value.endswith("s"):
                    out[name] = float(value[:-1])
            return out
    return None


def _candidates(stderr: str) -> int | None:
    for line in stderr.splitlines():
        if line.startswith("CANDIDATES "):
            value = line.split()[1]
            return int(value) if value.isdigit() else None
    return None


def _candidate_jaccard(stderr: str) -> dict[str, int] | None:
    for line in stderr.splitlines():
        if line.startswith("CANDIDATE_JACCARD "):
            return json.loads(line.split(" ", 1)[1])
    return None


ONE_WORKER = "dedup (1 worker)"


def _commands(corpus: Path, args) -> dict[str, tuple[list[str], dict[str, str] | None]]:
    py = sys.executable
    dedup = [py, "-m", "dedup", "cluster", str(corpus), "--format", "jsonl", "--quiet", "--threshold", str(THRESHOLD),
             "--num-perm", str(NUM_PERM), "--ngram", str(NGRAM), "--timings", "-o"]
    peer = [py, "-m", "benchmarks.speed", "--peer"]
    return {
        "datasketch": ([*peer, "datasketch", str(corpus)], None),
        "rensa": ([*peer, "rensa", str(corpus)], None),
        "dedup": ([*dedup], None),
        ONE_WORKER: ([*dedup], {"DEDUP_WORKERS": "1"}),
    }


def _generate(corpus: Path, args) -> dict:
    if args.corpus == "realistic":
        return generate_realistic(corpus, n=args.n, reprint_rate=args.reprints, seed=args.seed, data=Path(args.data))
    return generate(corpus, n=args.n, words=args.words, reprint_rate=args.reprints, seed=args.seed,
                    source=args.source, identical=args.identical)


def _time_peers(corpus: Path, tmp: Path, truth: dict, args) -> tuple[dict[str, dict], list[dict[str, float]]]:
    """Timed runs (interleaved, so a noisy neighbour hits every peer alike), then one memory run of each."""
    commands = _commands(corpus, args)
    peers = [p for p in args.peers.split(",") if p and f"{p}@{args.n}" not in args.skip]
    if "dedup" in peers and not args.no_one_worker and f"{ONE_WORKER}@{args.n}" not in args.skip:
        peers.append(ONE_WORKER)
    results: dict[str, dict] = {p: {"wall": [], "rss": [], "cpu": [], "candidates": None} for p in peers}
    timings: list[dict[str, float]] = []
    for rep in range(args.repeat):
        for peer in peers:
            out = tmp / f"{peer.replace(' ', '_')}.jsonl"
            cmd, env = commands[peer]
            extra = list(args.dedup_args) if peer.startswith("dedup") else []
            wall, _rss, err, cpu = measure([*cmd, str(out), *extra], cwd=ROOT, env=env)
            results[peer]["cpu"].append(cpu)
            results[peer]["wall"].append(wall)
            if rep == 0:
                results[peer]["score"] = score(_read_clusters(out), truth)
                results[peer]["candidates"] = _candidates(err)
            if peer == "dedup" and (t := _dedup_timings(err)):
                timings.append(t)
            print(f"  {peer:<16} run {rep + 1}: {wall:7.2f} s  cpu {cpu:7.2f} s", file=sys.stderr)
    for peer in peers:
        cmd, env = commands[peer]
        extra = list(args.dedup_args) if peer.startswith("dedup") else []
        _wall, rss, _err, _cpu = measure([*cmd, str(tmp / "memory.jsonl"), *extra], cwd=ROOT, memory=True, env=env)
        results[peer]["rss"].append(rss)
        print(f"  {peer:<16} memory run: {rss / 2**20:7.0f} MiB", file=sys.stderr)
    if "dedup" in peers:  # an untimed run that counts dedup's candidate pairs (n/a if the package changed)
        try:
            err = measure([sys.executable, "-m", "benchmarks.speed", "--candidates", str(corpus)], cwd=ROOT)[2]
        except RuntimeError as error:
            print(f"dedup candidate count: n/a ({str(error)[-300:]})", file=sys.stderr)
            err = ""
        results["dedup"]["candidates"] = _candidates(err)
        results["dedup"]["candidate_jaccard"] = _candidate_jaccard(err)
        if ONE_WORKER in results:
            results[ONE_WORKER]["candidates"] = results["dedup"]["candidates"]
    return results, timings


def run(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="dedup-speed-"))
    try:
        corpus = tmp / "articles"
        t0 = time.perf_counter()
        truth = _generate(corpus, args)
        gen_s = time.perf_counter() - t0
        about = characteristics(corpus, truth)
        jac = true_jaccards(corpus, truth)
        print(f"{args.corpus}: generated {args.n} articles ({about['bytes'] / 1e6:.1f} MB, {len(truth['pairs'])} "
              f"planted pairs, true 5-shingle Jaccard min {min(jac):.2f} median {statistics.median(jac):.2f}) "
              f"in {gen_s:.1f} s; cleaning paths {about['paths'] or 'n/a'}", file=sys.stderr)
        results, timings = _time_peers(corpus, tmp, truth, args)
        summary = {
            "corpus": args.corpus, "n": args.n, "bytes": about["bytes"], "pairs": len(truth["pairs"]),
            "jaccard_min": min(jac), "jaccard_median": statistics.median(jac), "kinds": truth["kinds"],
            "about": about, "peers": {}, "timings": None,
        }
        for peer, r in results.items():
            wall = statistics.median(r["wall"])
            summary["peers"][peer] = {"wall": wall, "rate": args.n / wall, "rss": max(r["rss"]),
                                      "cpu": statistics.median(r["cpu"]), "walls": r["wall"],
                                      "candidates": r["candidates"], "candidate_jaccard": r.get("candidate_jaccard"),
                                      **r["score"]}
        if timings:
            summary["timings"] = {k: statistics.median(t.get(k, 0.0) for t in timings) for k in timings[0]}
        return summary
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


_JOB = (
    "Job: word 5-shingles, 128 permutations, LSH threshold 0.5, union-find; each peer in a fresh subprocess over "
    "the same files, wall time including Python start-up (and, for dedup, cleaning), median of the repeats, peers "
    "interleaved. datasketch: `MinHash.bulk` (`update_batch` on copies of one template) and "
    "`MinHashLSH.insertion_session`; rensa: `RMinHash.from_token_sets`, `RMinHashLSH.insert_many` and `query_all` "
    "(32 bands of 4); both take every LSH candidate pair as a copy (no verification), as before. dedup runs "
    "`python -m dedup cluster` (cleaning, LSH, verification); \"dedup (1 worker)\" is the same with "
    "DEDUP_WORKERS=1. Candidate pairs: distinct pairs the LSH index answers (dedup's from an extra untimed run "
    "counting `find_candidates`). Peak RSS: from one more run of each peer, not timed: the larger of the peak, "
    "sampled every 20 ms, of the summed PSS of its process tree and the largest single process's maximum RSS. "
    "CPU: user + system seconds of the process and its workers. Recall: planted reprint pairs that end up in one "
    "cluster (an article dedup finds unusable is in no cluster). Wrong pairs: merged pairs that were not planted as "
    "one story; in the realistic corpus, a merged pair of articles built from one Reuters body (each rewritten on "
    "its own, but a body that is most of the shorter article leaves a rewritten copy of it) is counted apart, "
    "after the plus sign, not as wrong; a story Reuters-21578 files twice under two ids is one body."
)
_CORPORA = (
    "Corpora. realistic: articles built (seeded) from Reuters-21578 `<BODY>` texts in their native shape "
    "(hard wraps at about 70 columns, indented paragraph starts, earnings tables, the REUTER sign-off, financial "
    "vocabulary), several bodies of one topic stitched to a log-normal length (median 480 words; 120 for an "
    "earnings brief); 35% of the content words and every figure replaced from the Reuters vocabulary so that "
    "articles built from one body differ; written hard-wrapped as in the source, re-flowed to one paragraph per "
    "line, or inside a whole-page text dump of a scrapinghub host page (menus, trending lists, newsletter "
    "prompts, footers); 10% planted reprints (bottom cut to 80-97%, copy edits, local intro, credit line, new "
    "title, another shape). generated: the seeded synthetic Zipfian vocabulary of issue 3, one paragraph per "
    "line, 10% planted reprints."
)


def _percent(shares: dict[str, float] | None) -> str:
    return ", ".join(f"{k} {v:.0%}" for k, v in shares.items()) if shares else "n/a"


def _corpus_lines(s: dict) -> list[str]:
    about, w = s["about"], s["about"]["words"]
    lines = [f"{s['corpus']}, {s['n']:,} articles: {s['bytes'] / 1e6:.1f} MB; words per article p10 {w['p10']}, "
             f"median {w['median']}, p90 {w['p90']}, max {w['max']}; {s['pairs']} planted pairs, true 5-shingle "
             f"Jaccard min {s['jaccard_min']:.2f}, median {s['jaccard_median']:.2f}."]
    if about.get("shapes"):
        lines.append(f"Shapes: {_percent(about['shapes'])}; with an earnings or statistics table (2+ rows) "
                     f"{about['tables']:.0%}; with the REUTER sign-off {about['sign_offs']:.0%}.")
    if about.get("body_pairs"):
        lines.append(f"Pairs of articles built from one Reuters body (each rewritten on its own; counted per body): "
                     f"{about['body_pairs']:,}. The bodies are a fixed pool, so these grow with the square of the "
                     f"corpus, and with them the candidate pairs below the LSH target.")
    lines.append(f"Cleaning path (dedup's plain-text cleaner): {_percent(about['paths'])}.")
    if about.get("paths_by_shape"):
        lines.append("By shape: " + "; ".join(f"{shape}: {_percent(p)}" for shape, p in about["paths_by_shape"].items())
                     + ".")
    ours = s["peers"].get("dedup")
    if ours and ours.get("candidate_jaccard"):
        lines.append("dedup's candidate pairs by Jaccard similarity (boilerplate aside): "
                     f"{_counts(ours['candidate_jaccard'], ordered=False)}.")
    if ours and (ours.get("missed_by_shape") or ours.get("wrong_by_shape")):
        lines.append(f"dedup's missed planted pairs by shape: {_counts(ours.get('missed_by_shape'))}; its wrong "
                     f"pairs by shape: {_counts(ours.get('wrong_by_shape'))}.")
    t = s.get("timings")
    if t:
        share = f" Verification: {t['verification'] / ours['wall']:.1%} of dedup's wall time (issue 15: at most 10%)." \
            if ours and "verification" in t else ""
        lines.append(f"dedup stages (seconds, median): {', '.join(f'{k} {v:.2f}' for k, v in t.items())}.{share}")
    return lines


def _counts(counts: dict[str, int] | None, ordered: bool = True) -> str:
    items = sorted(counts.items(), key=lambda kv: -kv[1]) if ordered and counts else (counts or {}).items()
    return ", ".join(f"{key} {value:,}" for key, value in items) if counts else "none"


def _wrong(result: dict) -> str:
    shared = result.get("shared_body_pairs")
    return f"{result['wrong_pairs']:,}" + (f" (+{shared:,})" if shared else "")


def table(summaries: list[dict], command: str, load: tuple | None = None) -> str:
    busy = f" One-minute load average {load[0][0]:.1f} at the start and {load[1][0]:.1f} at the end." if load else ""
    lines = [SECTION, "", f"Machine: {_machine()}.{busy}", "", f"Command: `{command}`", "", _JOB, "", _CORPORA, "",
             "| corpus | articles | peer | wall s (median) | articles/s | dedup speed-up (wall) | CPU s (median) | "
             "peak RSS MiB | candidate pairs | recall | wrong pairs |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in summaries:
        ours = s["peers"].get("dedup")
        for peer, r in s["peers"].items():
            ratio = f"{r['wall'] / ours['wall']:.2f}x" if ours and not peer.startswith("dedup") else ""
            candidates = f"{r['candidates']:,}" if r["candidates"] is not None else "n/a"
            lines.append(
                f"| {s['corpus']} | {s['n']:,} | {peer} | {r['wall']:.2f} | {r['rate']:,.0f} | {ratio} | "
                f"{r['cpu']:.1f} | {r['rss'] / 2**20:,.0f} | {candidates} | "
                f"{r['recall']:.4f} ({r['found']}/{r['planted']}) | {_wrong(r)} |")
    lines.append("")
    for s in summaries:
        lines += [*_corpus_lines(s), ""]
    return "\n".join(lines).rstrip() + "\n"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", choices=("realistic", "generated", "both"), default="both",
                   help="which corpus (default: both, as two rows per size)")
    p.add_argument("--data", default="../shared/data", help="data folder with reuters21578/ and scrapinghub/ "
                   "(for --corpus realistic; default ../shared/data)")
    p.add_argument("--sizes", "--n", dest="sizes", type=int, nargs="+", default=[20_000, 100_000],
                   help="articles (several sizes allowed)")
    p.add_argument("--words", type=int, default=500, help="mean words per generated article")
    p.add_argument("--reprints", type=float, default=0.1, help="fraction of articles that are reprints")
    p.add_argument("--identical", type=int, default=0, help="exact copies of one generated article")
    p.add_argument("--repeat", type=int, nargs="+", default=[3],
                   help="timed runs per peer (one value, or one per size)")
    p.add_argument("--skip", action="append", default=None, metavar="PEER@N",
                   help="leave a peer out at one size (repeatable; default: datasketch@100000, which takes minutes)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--source", default=None, help="text for the generated corpus's word frequencies")
    p.add_argument("--peers", default="datasketch,rensa,dedup", help="comma-separated subset")
    p.add_argument("--no-one-worker", action="store_true", help="leave out the DEDUP_WORKERS=1 row")
    p.add_argument("--dedup-args", nargs=argparse.REMAINDER, default=[], help="extra args for dedup cluster")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="markdown file ('-' for none)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--peer"]:
        _run_peer(argv[1], Path(argv[2]), Path(argv[3]))
        return 0
    if argv[:1] == ["--candidates"]:
        _count_dedup_candidates(Path(argv[1]))
        return 0
    p = _parser()
    args = p.parse_args(argv)
    if args.skip is None:
        args.skip = ["datasketch@100000"]
    if len(args.repeat) not in (1, len(args.sizes)):
        p.error("--repeat takes one value or one per size")
    corpora = ["realistic", "generated"] if args.corpus == "both" else [args.corpus]
    if "realistic" in corpora and not (Path(args.data) / "reuters21578").is_dir():
        p.error(f"--data {args.data}: no reuters21578/ folder there")
    load_before = os.getloadavg()
    summaries = []
    for number, n in enumerate(args.sizes):
        repeat = args.repeat[number] if len(args.repeat) > 1 else args.repeat[0]
        for corpus in corpora:
            summaries.append(run(argparse.Namespace(**{**vars(args), "n": n, "repeat": repeat, "corpus": corpus})))
    text = table(summaries, " ".join(["python -m benchmarks.speed", *argv]), load=(load_before, os.getloadavg()))
    print(text)
    if os.environ.get("SPEED_JSON"):
        print(json.dumps(summaries, indent=1, default=str), file=sys.stderr)
    if args.output != "-":
        write_section(Path(args.output), SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
