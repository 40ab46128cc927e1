"""Speed benchmark (issue 3): dedup against datasketch and rensa on the same articles.

    python -m benchmarks.speed [--n 20000 100000] [--words 500] [--repeat 3 1] [--skip datasketch@100000]
                               [--source PATH] [--peers datasketch,rensa,dedup]

A seeded generator writes N news-length plain-text articles to a temporary folder;
a fraction of them (10% by default) are trimmed or lightly edited reprints of
others.  The same job (word 5-shingles, MinHash with 128 permutations, LSH at
threshold 0.5, union-find) then runs three ways over the same files, each in a
fresh subprocess so that wall time includes Python start-up and peak RSS is
measured per peer:

    datasketch  MinHash.update_batch + MinHashLSH insert/query
    rensa       RMinHash.update + RMinHashLSH insert/query
    dedup       python -m dedup cluster DIR --format jsonl --quiet

Reported: median wall time, articles/s, peak RSS (from one extra, untimed run
of each peer: the whole process tree sampled, and the largest process's own
maximum), our ratio to each peer,
recall of the planted reprint pairs, and dedup's stage timings.  The table is
written into the "Speed (issue 3)" section of BENCHMARKS.md.

The default text is a seeded synthetic vocabulary with Zipfian word
frequencies (real English function words at the head, made-up words in the
tail), so the benchmark runs without ../shared.  ``--source PATH`` takes word
frequencies from real text instead (a file or folder, e.g.
../shared/data/lee/lee_background.cor or ../shared/data/reuters21578).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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


def _query_pairs(lsh, sigs):
    """Every (document, match) pair an LSH index answers for the documents' own signatures."""
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            yield i, j


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


def _peer_datasketch(names: list[str], texts: list[str]) -> list[int]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    template = MinHash(num_perm=NUM_PERM, seed=1)  # permutations reused, as a careful user would
    perms, scheme = template.permutations, template.scheme
    sigs = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=NUM_PERM, seed=1, permutations=perms, scheme=scheme)
        m.update_batch([s.encode("utf-8") for s in _shingles(text)])
        lsh.insert(i, m)
        sigs.append(m)

    return _union_find(len(texts), _query_pairs(lsh, sigs))


def _peer_rensa(names: list[str], texts: list[str]) -> list[int]:
    from rensa import RMinHash, RMinHashLSH

    fp = lambda t, b, r: _integrate(lambda s: 1 - (1 - s**r) ** b, 0.0, t)  # noqa: E731
    fn = lambda t, b, r: _integrate(lambda s: 1 - (1 - (1 - s**r) ** b), t, 1.0)  # noqa: E731

    # rensa needs bands dividing num_perm: datasketch's error criterion over those (32 x 4 here).
    bands = min((b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0),
                key=lambda b: fp(THRESHOLD, b, NUM_PERM // b) + fn(THRESHOLD, b, NUM_PERM // b))
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=bands)
    sigs = []
    for i, text in enumerate(texts):
        m = RMinHash(num_perm=NUM_PERM, seed=1)
        m.update(_shingles(text))
        lsh.insert(i, m)
        sigs.append(m)

    return _union_find(len(texts), _query_pairs(lsh, sigs))


def _integrate(f, a: float, b: float, steps: int = 2000) -> float:
    h = (b - a) / steps
    return h * (sum(f(a + (i + 0.5) * h) for i in range(steps)))


_PEERS = {"datasketch": _peer_datasketch, "rensa": _peer_rensa}


def _run_peer(name: str, directory: Path, out: Path) -> None:
    names, texts = _read_corpus(directory)
    roots = _PEERS[name](names, texts)
    with out.open("w", encoding="utf-8") as f:
        for doc, root in zip(names, roots, strict=True):
            f.write(json.dumps({"doc": doc, "cluster": root}) + "\n")


# ---------------------------------------------------------------------------
# Measuring a subprocess: wall time and peak RSS of its whole tree
# ---------------------------------------------------------------------------


# Runs a command and reports the largest resident set of any process in its tree. The kernel's own figure for a
# child of this (large) benchmark process would start at this process's size: exec keeps the high-water mark of
# the memory it replaces. The child of this small wrapper starts clean.
_MAXRSS_WRAPPER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
                   "print('MAXRSS_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
                   "sys.exit(code)")


def measure(cmd: list[str], *, cwd: Path, stdout=None, memory: bool = False) -> tuple[float, int, str, float]:
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
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE)

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
    pairs = truth["pairs"]
    found = sum(1 for a, b, _ in pairs if a in clusters and clusters[a] == clusters.get(b))
    missed_by_kind: dict[str, int] = {}
    for a, b, kind in pairs:
        if not (a in clusters and clusters[a] == clusters.get(b)):
            missed_by_kind[kind] = missed_by_kind.get(kind, 0) + 1
    # Precision of merges: a reprint's group is its source's group.
    group = {b: b for _a, b, _k in pairs}
    group.update({a: b for a, b, _k in pairs})
    members: dict[object, list[str]] = {}
    for doc, c in clusters.items():
        members.setdefault(c, []).append(doc)
    merged = wrong = 0
    for docs in members.values():
        if len(docs) < 2:
            continue
        sizes: dict[str, int] = {}
        for d in docs:
            g = group.get(d, d)
            sizes[g] = sizes.get(g, 0) + 1
        k = len(docs)
        merged += k * (k - 1) // 2
        wrong += k * (k - 1) // 2 - sum(s * (s - 1) // 2 for s in sizes.values())
    return {
        "recall": found / len(pairs) if pairs else 1.0,
        "found": found,
        "planted": len(pairs),
        "merged_pairs": merged,
        "wrong_pairs": wrong,
        "missed_by_kind": missed_by_kind,
        "documents": len(clusters),
    }


def true_jaccards(directory: Path, truth: dict, limit: int = 2000) -> list[float]:
    out = []
    for a, b, _k in truth["pairs"][:limit]:
        sa = set(_shingles((directory / a).read_text(encoding="utf-8")))
        sb = set(_shingles((directory / b).read_text(encoding="utf-8")))
        out.append(len(sa & sb) / len(sa | sb))
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


def run(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="dedup-speed-"))
    try:
        corpus = tmp / "articles"
        t0 = time.perf_counter()
        truth = generate(corpus, n=args.n, words=args.words, reprint_rate=args.reprints,
                         seed=args.seed, source=args.source, identical=args.identical)
        gen_s = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        jac = true_jaccards(corpus, truth)
        print(f"generated {args.n} articles ({size / 1e6:.1f} MB, {len(truth['pairs'])} planted pairs, "
              f"true 5-shingle Jaccard min {min(jac):.2f} median {statistics.median(jac):.2f}) "
              f"in {gen_s:.1f} s", file=sys.stderr)
        py = sys.executable
        commands = {
            "datasketch": lambda out: [py, "-m", "benchmarks.speed", "--peer", "datasketch", str(corpus), str(out)],
            "rensa": lambda out: [py, "-m", "benchmarks.speed", "--peer", "rensa", str(corpus), str(out)],
            "dedup": lambda out: [py, "-m", "dedup", "cluster", str(corpus), "--format", "jsonl", "--quiet",
                                  "--threshold", str(THRESHOLD), "--num-perm", str(NUM_PERM),
                                  "--ngram", str(NGRAM), "--timings", "-o", str(out)] + list(args.dedup_args),
        }
        peers = [p for p in args.peers.split(",") if p and f"{p}@{args.n}" not in args.skip]
        results: dict[str, dict] = {p: {"wall": [], "rss": [], "cpu": []} for p in peers}
        timings: list[dict[str, float]] = []
        for rep in range(args.repeat):
            for peer in peers:  # interleaved, so a noisy neighbour hits every peer alike
                out = tmp / f"{peer}.jsonl"
                wall, _rss, err, cpu = measure(commands[peer](out), cwd=ROOT)
                results[peer]["cpu"].append(cpu)
                results[peer]["wall"].append(wall)
                if rep == 0:
                    results[peer]["score"] = score(_read_clusters(out), truth)
                if peer == "dedup":
                    t = _dedup_timings(err)
                    if t:
                        timings.append(t)
                print(f"  {peer:<10} run {rep + 1}: {wall:7.2f} s  cpu {cpu:7.2f} s", file=sys.stderr)
        for peer in peers:  # one more run each, for memory only
            _wall, rss, _err, _cpu = measure(commands[peer](tmp / f"{peer}.memory.jsonl"), cwd=ROOT, memory=True)
            results[peer]["rss"].append(rss)
            print(f"  {peer:<10} memory run: {rss / 2**20:7.0f} MiB", file=sys.stderr)
        summary = {
            "n": args.n, "words": args.words, "bytes": size, "pairs": len(truth["pairs"]),
            "jaccard_min": min(jac), "jaccard_median": statistics.median(jac), "kinds": truth["kinds"],
            "peers": {}, "timings": None,
        }
        for peer, r in results.items():
            wall = statistics.median(r["wall"])
            summary["peers"][peer] = {"wall": wall, "rate": args.n / wall, "rss": max(r["rss"]),
                                      "cpu": statistics.median(r["cpu"]),
                                      "walls": r["wall"], **r["score"]}
        if timings:
            keys = list(timings[0])
            summary["timings"] = {k: statistics.median(t.get(k, 0.0) for t in timings) for k in keys}
        return summary
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def table(summaries: list[dict], command: str, load: tuple | None = None) -> str:
    lines = [SECTION, ""]
    busy = ""
    if load:
        busy = f" One-minute load average {load[0][0]:.1f} at the start and {load[1][0]:.1f} at the end."
    lines.append(f"Machine: {_machine()}.{busy}")
    lines.append("")
    lines.append(f"Command: `{command}`")
    lines.append("")
    lines.append(
        "Job: word 5-shingles, 128 permutations, LSH threshold 0.5, union-find; each peer in a fresh "
        "subprocess over the same files, wall time including Python start-up, median of the repeats, peers "
        "interleaved. Peak RSS: from one more run of each peer, not timed: the larger of the peak, sampled "
        "every 20 ms, of the summed PSS of its process tree (forked workers' shared pages counted once) and the "
        "largest single process's maximum RSS (the timed runs are not sampled: sampling competes with them). "
        "CPU: user + system seconds of the process and its workers (less sensitive than wall time to other "
        "jobs on the machine). Recall: planted reprint pairs (trimmed to 80-97% and/or copy-edited, retitled, "
        "intro or credit added) that end up in one cluster. Wrong pairs: merged pairs that were not "
        "planted as one story. dedup runs its full pipeline (cleaning included; the peers do not clean)."
    )
    lines.append("")
    lines.append("| articles | peer | wall s (median) | articles/s | dedup speed-up (wall) | CPU s (median) | "
                 "peak RSS MiB | recall | wrong pairs |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in summaries:
        ours = s["peers"].get("dedup")
        for peer, r in s["peers"].items():
            ratio = f"{r['wall'] / ours['wall']:.2f}x" if ours and peer != "dedup" else ""
            lines.append(
                f"| {s['n']:,} | {peer} | {r['wall']:.2f} | {r['rate']:,.0f} | {ratio} | {r['cpu']:.1f} | "
                f"{r['rss'] / 2**20:,.0f} | {r['recall']:.4f} ({r['found']}/{r['planted']}) | {r['wrong_pairs']} |"
            )
    lines.append("")
    for s in summaries:
        lines.append(
            f"{s['n']:,} articles: {s['bytes'] / 1e6:.1f} MB, {s['pairs']} planted pairs, true 5-shingle "
            f"Jaccard of the planted pairs min {s['jaccard_min']:.2f}, median {s['jaccard_median']:.2f}."
        )
        t = s.get("timings")
        if t:
            parts = ", ".join(f"{k} {v:.2f}" for k, v in t.items())
            lines.append(f"dedup stages at {s['n']:,} (seconds, median): {parts}.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--peer"]:
        _run_peer(argv[1], Path(argv[2]), Path(argv[3]))
        return 0
    p = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[20_000, 100_000], help="articles (several sizes allowed)")
    p.add_argument("--words", type=int, default=500, help="mean words per article")
    p.add_argument("--reprints", type=float, default=0.1, help="fraction of articles that are reprints")
    p.add_argument("--identical", type=int, default=0, help="exact copies of one article (a pathological bucket)")
    p.add_argument("--repeat", type=int, nargs="+", default=None,
                   help="repeats (one value, or one per --n size; default 3, and 1 at 100,000)")
    p.add_argument("--skip", action="append", default=None, metavar="PEER@N",
                   help="leave a peer out at one size (repeatable; default: datasketch@100000, which takes minutes)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--source", default=None, help="text file or folder for word frequencies (e.g. ../shared/data/lee)")
    p.add_argument("--peers", default="datasketch,rensa,dedup", help="comma-separated subset")
    p.add_argument("--dedup-args", nargs=argparse.REMAINDER, default=[], help="extra args for dedup cluster")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="markdown file ('-' for none)")
    args = p.parse_args(argv)
    summaries = []
    load_before = os.getloadavg()
    if args.skip is None:
        args.skip = ["datasketch@100000"]
    if args.repeat is None:
        args.repeat = [1 if n >= 100_000 else 3 for n in args.n]
    if len(args.repeat) not in (1, len(args.n)):
        p.error("--repeat takes one value or one per --n size")
    for number, n in enumerate(args.n):
        repeat = args.repeat[number] if len(args.repeat) > 1 else args.repeat[0]
        one = argparse.Namespace(**{**vars(args), "n": n, "repeat": repeat})
        summaries.append(run(one))
    text = table(summaries, " ".join(["python -m benchmarks.speed", *argv]), load=(load_before, os.getloadavg()))
    print(text)
    print(json.dumps(summaries, indent=1, default=str), file=sys.stderr) if os.environ.get("SPEED_JSON") else None
    if args.output != "-":
        write_section(Path(args.output), SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
