"""Every language: reprints found per language on real news in ten languages.

Run as ``python -m benchmarks.languages [--data ../shared/data] [--seed N] [--output BENCHMARKS.md]``.

Articles: the SemEval-2022 Task 8 training pairs, ``semeval2022/train-multi.jsonl`` (Arabic, Chinese, French,
German, Italian, Polish, Russian, Spanish, Turkish) and ``train-en.jsonl`` (English). The pairs are split in two
halves by a seeded shuffle; per-script constants (``dedup.shingle.CHARS_PER_WORD``) are tuned on the first half and
every figure in the table is measured on the second. In each pair one article (chosen at random) is the story and
gets one or two reprints, made the way ``benchmarks._corpus.edit`` makes them, with the edits in the article's
language: cut from the bottom to 50-90% of its characters at a sentence end (p 0.5), quote style changed (p 0.5), a
local dateline with an agency (p 0.5), a credit or closing line (p 0.5) (at least one of cut, dateline and closing
line), and for Chinese full-width punctuation and digits made half-width (p 0.3) and the text converted to
traditional characters with OpenCC's ``s2t`` (p 0.3, as a Hong Kong or Taiwan site republishes it). The other
article of the pair, same event but a different article, is a hard negative; all articles of the language are in one
batch. Originals that are one article scraped twice (character 8-gram Jaccard >= 0.5 or containment >= 0.8, a
measure independent of dedup's tokens) are one gold story.

dedup: ``dedup.cluster`` with default settings on the plain texts of one language. Metrics over all pairs of
documents of the language: pairwise precision, recall and F1 of the predicted same-cluster pairs, and how many hard
negative pairs (the SemEval partners) were put in one cluster.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from benchmarks._common import cpu_model, write_section
from benchmarks.quality import Scores, score

SECTION = "## Languages (issue 16)"
ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ar", "de", "es", "fr", "it", "pl", "ru", "tr", "zh")
NAMES = {"en": "English", "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
         "pl": "Polish", "ru": "Russian", "tr": "Turkish", "zh": "Chinese"}
#: Characters per shingle tried for the unspaced scripts (``chars_per_shingle(5)``), i.e. CHARS_PER_WORD = k / 5.
CANDIDATE_CHARS = (2, 3, 4, 5, 6, 7, 8, 9, 10, 12)


@dataclass(frozen=True)
class Pair:
    lang: str
    pair_id: str
    texts: tuple[str, str]


def load_pairs(data: Path) -> dict[str, list[Pair]]:
    """The SemEval pairs per language (English from train-en.jsonl), texts stripped."""
    pairs: dict[str, list[Pair]] = {lang: [] for lang in LANGUAGES}
    for name in ("train-multi.jsonl", "train-en.jsonl"):
        with open(data / "semeval2022" / name, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                lang = row.get("lang", "en")
                pairs[lang].append(Pair(lang, row["pair_id"], (row["text1"].strip(), row["text2"].strip())))
    return pairs


def halves(pairs: Sequence[Pair], seed: int) -> tuple[list[Pair], list[Pair]]:
    """A seeded split of the pairs: (tuning half, test half)."""
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    middle = len(order) // 2
    return [pairs[i] for i in sorted(order[:middle])], [pairs[i] for i in sorted(order[middle:])]


# ---------------------------------------------------------------------------------------------------
# Reprints in the article's language

_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])[\"'”’»」』)）]*\s*")
# fmt: off
_PLACES = {
    "en": ["SPRINGFIELD", "LEEDS", "BRISBANE", "DURBAN"], "ar": ["القاهرة", "عمان", "بيروت", "الرياض"],
    "de": ["Berlin", "München", "Köln", "Hamburg"], "es": ["MADRID", "Sevilla", "Bogotá", "Lima"],
    "fr": ["PARIS", "Lyon", "Marseille", "Bruxelles"], "it": ["ROMA", "Milano", "Napoli", "Torino"],
    "pl": ["Warszawa", "Kraków", "Gdańsk", "Poznań"], "ru": ["МОСКВА", "Санкт-Петербург", "Казань", "Новосибирск"],
    "tr": ["ANKARA", "İstanbul", "İzmir", "Bursa"], "zh": ["北京", "上海", "广州", "香港"],
}
_DATELINES = {
    "en": ["{place} ({agency}) - ", "{place}, {day} ({agency}) -- ", "{agency} | {place} | "],
    "ar": ["{place} - ({agency}) - ", "{place} ({agency}) – "],
    "de": ["{place} (dpa) - ", "{place}. ", "{place} (AFP) – "],
    "es": ["{place}, {d} mar (EFE).- ", "{place} (AFP) - ", "{place}, {d} de marzo (Europa Press) - "],
    "fr": ["{place}, {d} mars (AFP) - ", "{place} (Reuters) - ", "({place}) "],
    "it": ["{place}, {d} MAR - ", "(ANSA) - {place}, {d} MAR - ", "{place} (Adnkronos) - "],
    "pl": ["{place} (PAP) - ", "{place}. ", "PAP, {place} - "],
    "ru": ["{place}, {d} марта — РИА Новости. ", "{place}, {d} мар - ТАСС. ", "{place}. "],
    "tr": ["{place} (AA) - ", "{place} (DHA) – ", "{place} - "],
    "zh": ["新华社{place}3月{d}日电 ", "中新网{place}3月{d}日电 ", "（记者 王晓明）{place}消息，", "{place}讯 "],
}
_AGENCIES = {"en": ["Reuters", "AP", "AFP"], "ar": ["رويترز", "أ ف ب", "وكالات"]}
_CLOSINGS = {
    "en": ["(Reporting by Sarah Chen; Editing by Peter Cooney)", "-- Mark Potter, staff writer, contributed to "
           "this report.", "(This story has been auto-generated from a syndicated feed.)"],
    "ar": ["المصدر: رويترز", "(وكالات)", "تابعونا على تويتر للمزيد من الأخبار."],
    "de": ["(dpa/AFP)", "Quelle: dpa", "Mehr zum Thema lesen Sie in unserem Newsletter."],
    "es": ["(Con información de EFE y Reuters)", "Síguenos en Twitter.", "Fuente: Europa Press"],
    "fr": ["(Avec AFP)", "Lire aussi : les dernières informations sur notre site.", "Source : Reuters"],
    "it": ["(ANSA).", "Riproduzione riservata ©", "Fonte: Adnkronos"],
    "pl": ["Źródło: PAP", "(PAP)", "Czytaj także: najnowsze wiadomości z kraju."],
    "ru": ["Подписывайтесь на наш канал в Telegram.", "Источник: ТАСС", "(РИА Новости)"],
    "tr": ["Kaynak: Anadolu Ajansı", "(AA)", "Haberin devamı için sitemizi takip edin."],
    "zh": ["（责任编辑：王晓明）", "（完）", "来源：新华社", "【编辑：李娜】"],
}
_QUOTES = {
    "en": [("“", "”"), ('"', '"')], "ar": [("«", "»"), ("“", "”"), ('"', '"')],
    "de": [("„", "“"), ('"', '"'), ("»", "«")],
    "es": [("«", "»"), ("“", "”"), ('"', '"')], "fr": [("« ", " »"), ("“", "”"), ('"', '"')],
    "it": [("«", "»"), ("“", "”"), ('"', '"')], "pl": [("„", "”"), ('"', '"'), ("«", "»")],
    "ru": [("«", "»"), ("„", "“"), ('"', '"')], "tr": [("“", "”"), ('"', '"'), ("«", "»")],
    "zh": [("“", "”"), ("「", "」"), ('"', '"')],
}
# fmt: on
_QUOTED = re.compile(r"(?:« |[\"“„«「『»])(.{1,300}?)(?: »|[\"”“»」』«])")
_HALF_WIDTH = {ord(full): half for full, half in zip("，。：；！？（）０１２３４５６７８９", ",.:;!?()0123456789",
                                                     strict=True)}
_TITLE_LINE = re.compile(r"[^\n]{1,200}(?<![.!?。！？؟])\n+")


@lru_cache(maxsize=1)
def _opencc_s2t():  # noqa: ANN202 -- opencc has no type hints
    import opencc  # the bench extra

    return opencc.OpenCC("s2t")


def _traditional(text: str) -> str:
    return _opencc_s2t().convert(text)


def sentences(text: str) -> list[str]:
    """The text cut after each sentence end (Latin, Arabic and CJK stops); the pieces join back to the text."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def reprint(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """One republished copy of ``text`` with a random mix of the edits reprints show, in ``lang``."""
    edits: list[str] = []
    if rng.random() < 0.5:
        parts, keep = sentences(text), rng.uniform(0.5, 0.9) * len(text)
        kept: list[str] = []
        total = 0
        for part in parts:
            if total >= keep and kept:
                break
            kept.append(part)
            total += len(part)
        if len(kept) < len(parts):
            text = "".join(kept).rstrip()
            edits.append("cut")
    if rng.random() < 0.5:
        opening, closing = rng.choice(_QUOTES[lang])
        text = _QUOTED.sub(lambda m: opening + m.group(1) + closing, text)
        edits.append("quotes")
    if lang == "zh" and rng.random() < 0.3:
        text = text.translate(_HALF_WIDTH)
        edits.append("half-width")
    if lang == "zh" and rng.random() < 0.3:  # republished in Hong Kong or Taiwan
        text = _traditional(text)
        edits.append("traditional")
    dateline, closing_line = rng.random() < 0.5, rng.random() < 0.5
    if not (dateline or closing_line or "cut" in edits):
        dateline = True
    if dateline:  # on the first body paragraph, after a title line if there is one (as _corpus.edit does)
        template = rng.choice(_DATELINES[lang])
        lead = template.format(place=rng.choice(_PLACES[lang]), agency=rng.choice(_AGENCIES.get(lang, ["AFP"])),
                               day=rng.choice(["Monday", "Tuesday", "Friday"]), d=rng.randint(1, 28))
        title = _TITLE_LINE.match(text)
        at = title.end() if title else 0
        text = text[:at] + lead + text[at:]
        edits.append("dateline")
    if closing_line:
        text = text + ("" if lang == "zh" else "\n") + rng.choice(_CLOSINGS[lang])
        edits.append("closing")
    return text, tuple(edits)


# ---------------------------------------------------------------------------------------------------
# Corpus and scores


@dataclass(frozen=True)
class Corpus:
    texts: list[str]
    gold: np.ndarray  # story label per text
    hard_negatives: list[tuple[int, int]]  # the SemEval partners (original indices)
    reprints: int
    merged: int  # originals merged into another's story (one article scraped twice)


def _grams(text: str, n: int = 8) -> set[str]:
    squeezed = re.sub(r"\s+", " ", text.casefold())
    return {squeezed[i:i + n] for i in range(max(len(squeezed) - n + 1, 1))}


def _same_article(texts: Sequence[str]) -> list[int]:
    """A story label per original: originals that are one article scraped twice share one."""
    grams = [_grams(text) for text in texts]
    label = list(range(len(texts)))

    def find(i: int) -> int:
        while label[i] != i:
            i = label[i]
        return i

    for i in range(len(texts)):
        for j in range(i):
            common = len(grams[i] & grams[j])
            if common / len(grams[i] | grams[j]) >= 0.5 or common / min(len(grams[i]), len(grams[j])) >= 0.8:
                root_i, root_j = find(i), find(j)
                label[max(root_i, root_j)] = min(root_i, root_j)
    return [find(i) for i in range(len(texts))]


def build(pairs: Sequence[Pair], lang: str, seed: int) -> Corpus:
    """Originals (each distinct text once), then the reprints of one article of each pair."""
    rng = random.Random(f"{seed}:{lang}")
    index: dict[str, int] = {}
    originals: list[str] = []
    hard: list[tuple[int, int]] = []
    stories: list[int] = []
    for pair in pairs:
        ids = []
        for text in pair.texts:
            if text not in index:
                index[text] = len(originals)
                originals.append(text)
            ids.append(index[text])
        if ids[0] != ids[1]:
            hard.append((ids[0], ids[1]))
        stories.append(ids[rng.randrange(2)])
    labels = _same_article(originals)
    texts, gold = list(originals), list(labels)
    for story in dict.fromkeys(stories):
        for _ in range(rng.choice((1, 1, 2))):
            texts.append(reprint(originals[story], lang, rng)[0])
            gold.append(labels[story])
    merged = len(originals) - len(set(labels))
    return Corpus(texts, np.asarray(gold), hard, len(texts) - len(originals), merged)


@dataclass(frozen=True)
class Result:
    lang: str
    documents: int
    reprints: int
    precision: float
    recall: float
    f1: float
    hard_merged: int
    hard_pairs: int
    seconds: float
    f1_uncleaned: float  # the texts given to cluster as cleaned articles: the tokens and shingles alone


def _cluster_scores(corpus: Corpus, *, cleaned: bool) -> tuple[Scores, np.ndarray, float]:
    import dedup

    docs = corpus.texts if cleaned else [dedup.Article(id=str(i), text=t) for i, t in enumerate(corpus.texts)]
    began = time.perf_counter()
    clustering = dedup.cluster(docs, workers=1)
    seconds = time.perf_counter() - began
    labels = np.array([-1 - i if label is None else label for i, label in enumerate(clustering.labels)])
    pred = np.unique(labels, return_inverse=True)[1]
    return score(corpus.gold, pred), pred, seconds


def evaluate(corpus: Corpus, lang: str) -> Result:
    scores, pred, seconds = _cluster_scores(corpus, cleaned=True)
    hard_merged = sum(int(pred[a] == pred[b]) for a, b in corpus.hard_negatives
                      if corpus.gold[a] != corpus.gold[b])
    uncleaned = _cluster_scores(corpus, cleaned=False)[0]
    return Result(lang, len(corpus.texts), corpus.reprints, scores.precision, scores.recall, scores.f1,
                  hard_merged, len(corpus.hard_negatives), seconds, uncleaned.f1)


# ---------------------------------------------------------------------------------------------------
# Tuning and the run


def _set_chars(chars: int) -> None:
    from dedup import shingle

    shingle.CHARS_PER_WORD = chars / 5


def shared_shingles(corpus: Corpus, ngram: int = 5) -> float:
    """The share of the originals' distinct shingles that another story's original holds too: how much text a
    shingle carries (a shingle too short for its script is shared by chance)."""
    from dedup.shingle import shingle

    originals = len(corpus.texts) - corpus.reprints
    shingles = shingle(corpus.texts[:originals], ngram=ngram)
    hashes, stories = [], []
    for index in range(originals):
        distinct = np.unique(shingles.of(index))
        hashes.append(distinct)
        stories.append(np.full(len(distinct), corpus.gold[index]))
    pairs = np.unique(np.stack([np.concatenate(hashes).view(np.int64), np.concatenate(stories)]), axis=1)
    values, counts = np.unique(pairs[0], return_counts=True)  # stories per shingle
    shared = values[counts > 1]
    total = sum(len(h) for h in hashes)
    return sum(int(np.isin(h.view(np.int64), shared).sum()) for h in hashes) / total if total else 0.0


def without_han_table(corpus: Corpus) -> Result:
    """``evaluate`` on Chinese with the traditional-to-simplified table switched off."""
    from dedup import shingle

    table = shingle._TRADITIONAL
    shingle._TRADITIONAL = re.compile(r"(?!)")
    try:
        return evaluate(corpus, "zh")
    finally:
        shingle._TRADITIONAL = table


def fold_seconds(texts: Sequence[str], *, repeat: int = 20) -> tuple[float, float]:
    """Microseconds per text of ``shingle.fold`` and of the whole ``shingle`` (one text at a time, best of
    ``repeat`` passes over ``texts``)."""
    from dedup.shingle import fold, shingle

    times = []
    for function in (fold, lambda text: shingle([text])):
        best = float("inf")
        for _ in range(repeat):
            began = time.perf_counter()
            for text in texts:
                function(text)
            best = min(best, time.perf_counter() - began)
        times.append(best / len(texts) * 1e6)
    return times[0], times[1]


def tune(tuning: Corpus, testing: Corpus, english: float) -> tuple[int, list[str]]:
    """Characters per shingle for the unspaced scripts (Chinese here): the size whose shingles are shared by
    different stories about as often as English 5-word shingles (``english``) on the tuning half, i.e. that carries
    as much text. Returns the choice and, per candidate, that share and the pairwise F1 (through cleaning, and of
    the tokens alone) on the tuning and the test half."""
    rows, distances = [], []
    for chars in CANDIDATE_CHARS:
        _set_chars(chars)
        tuned, tested = evaluate(tuning, "zh"), evaluate(testing, "zh")
        shared = shared_shingles(tuning)
        rows.append(f"| {chars} | {chars / 5:.1f} | {shared:.4f} | {tuned.f1_uncleaned:.3f} | {tuned.f1:.3f} | "
                    f"{tested.f1_uncleaned:.3f} | {tested.f1:.3f} |")
        distances.append((abs(shared - english), chars))
    return min(distances)[1], rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.languages", description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"), help="development data folder")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--tune", action="store_true", help="also sweep the characters per shingle (Chinese)")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="markdown file ('-' for none)")
    args = parser.parse_args(argv)
    import dedup
    from dedup import shingle

    pairs = load_pairs(Path(args.data))
    split = {lang: halves(pairs[lang], args.seed) for lang in LANGUAGES}
    tuning = {lang: build(split[lang][0], lang, args.seed) for lang in LANGUAGES}
    testing = {lang: build(split[lang][1], lang, args.seed + 1) for lang in LANGUAGES}
    # an older dedup (for a before/after run) has no per-script shingles: 0
    chosen = shingle.chars_per_shingle(5) if hasattr(shingle, "chars_per_shingle") else 0
    shared_tuning = {lang: shared_shingles(tuning[lang]) for lang in LANGUAGES}
    sweep: list[str] = []
    if args.tune:
        best, sweep = tune(tuning["zh"], testing["zh"], shared_tuning["en"])
        print(f"best characters per shingle on the tuning half: {best} (in use: {chosen})", file=sys.stderr)
        _set_chars(chosen)
    results = []
    for lang in LANGUAGES:
        results.append(evaluate(testing[lang], lang))
        print(_row(results[-1], shared_tuning[lang]), file=sys.stderr)
    notes = []
    if hasattr(shingle, "_TRADITIONAL"):
        plain = without_han_table(testing["zh"])
        chinese = next(result for result in results if result.lang == "zh")
        fold_us, shingle_us = fold_seconds(testing["zh"].texts)
        notes.append(f"Traditional-to-simplified table (3,761 characters from OpenCC, in `dedup._han_variants`): "
                     f"Chinese F1 {chinese.f1:.3f} with it, {plain.f1:.3f} without (uncleaned "
                     f"{chinese.f1_uncleaned:.3f} and {plain.f1_uncleaned:.3f}); `fold` (NFKC and the table) costs "
                     f"{fold_us:.1f} µs of the {shingle_us:.1f} µs `shingle` takes per Chinese text (one at a time, "
                     "best of 20).")
    command = "python -m benchmarks.languages " + " ".join(argv if argv is not None else sys.argv[1:])
    text = _table(results, shared_tuning, sweep, command.strip(), chosen, dedup.__version__, notes)
    print(text)
    if args.output != "-":
        write_section(Path(args.output), SECTION, text)
    return 0


def _row(result: Result, shared: float) -> str:
    return (f"| {NAMES[result.lang]} | {result.documents} | {result.reprints} | {result.precision:.3f} | "
            f"{result.recall:.3f} | {result.f1:.3f} | {result.f1_uncleaned:.3f} | {result.hard_merged} / "
            f"{result.hard_pairs} | {shared:.4f} | {result.seconds:.2f} |")


def _table(results: list[Result], shared: dict[str, float], sweep: list[str], command: str, chars: int,
           version: str, notes: list[str]) -> str:
    english = next(r for r in results if r.lang == "en")
    worst = min(results, key=lambda r: r.f1)
    worst_tokens = min(results, key=lambda r: r.f1_uncleaned)
    lines = [
        SECTION,
        "",
        f"`{command}` (dedup {version}, Python {platform.python_version()}, {cpu_model()}; seconds on a busy "
        "shared machine, one process). Test half of the SemEval-2022 pairs of each language (the tuning half only "
        "chose the characters per shingle); one article of each pair reprinted once or twice (cut, quotes, "
        "dateline, closing line in the language; half-width punctuation and traditional characters in Chinese), "
        "its partner a hard negative; every article of the language in one batch. `dedup.cluster` with default "
        f"settings (word 5-shingles; {chars}-character shingles in Han, Kana, Thai, Lao, Khmer and Myanmar text). "
        "*F1 uncleaned*: the same texts given as cleaned `Article`s, so the cleaner drops nothing: the tokens and "
        "shingles alone. *shared shingles*: share of the distinct shingles of the tuning half's originals that an "
        "original of another story holds too (how much text a shingle carries).",
        "",
        "| language | documents | reprints | precision | recall | F1 | F1 uncleaned | hard negatives merged "
        "| shared shingles | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(result, shared[result.lang]) for result in results),
        "",
        f"Lowest F1: {NAMES[worst.lang]} {worst.f1:.3f} (English {english.f1:.3f}); of the tokens alone (uncleaned): "
        f"{NAMES[worst_tokens.lang]} {worst_tokens.f1_uncleaned:.3f} (English {english.f1_uncleaned:.3f}).",
    ]
    for note in notes:
        lines += ["", note]
    if sweep:
        lines += [
            "",
            "Characters per shingle in Chinese (`--tune`; CHARS_PER_WORD = characters / 5): shared shingles and F1 "
            "on the tuning half, F1 on the test half. Chosen: the size whose shingles are shared by other stories "
            f"about as often as English 5-word shingles ({shared['en']:.4f}) on the tuning half.",
            "",
            "| characters | CHARS_PER_WORD | shared shingles | F1 uncleaned, tuning | F1, tuning | F1 uncleaned, "
            "test | F1, test |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            *sweep,
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
