"""The engines against each other: the persistent index, fed in any order and batch sizes, from several processes
and with removals, gives exactly the batch clusters and canonical members, site chrome and the boilerplate rule
included."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import Article, Index, Settings, cluster

from .conftest import ROOT

_WORDS = [f"w{n}" for n in range(3000)]


def _words(rng: np.random.Generator, count: int) -> str:
    ranks = np.minimum(rng.zipf(1.3, size=count), len(_WORDS)) - 1
    return " ".join(_WORDS[rank] for rank in ranks.tolist())


def site_corpus(seed: int, n_sites: int = 4, n_stories: int = 24) -> list[Article]:
    """Articles on several sites: each site wraps every story in its own chrome paragraphs (a menu, a newsletter
    prompt, a footer: long enough that two different stories of one site look alike with them), each carried by
    a varying share of the site's pages, so that a paragraph crosses the site-chrome rule as the site grows or
    shrinks. Stories are syndicated: some run on several sites, cut or lightly edited."""
    rng = np.random.default_rng(seed)
    chrome = [[_words(rng, int(rng.integers(25, 60))) for _ in range(4)] for _ in range(n_sites)]
    share = [rng.uniform(0.15, 0.95, size=4) for _ in range(n_sites)]
    stories = [[_words(rng, int(rng.integers(25, 50))) for _ in range(int(rng.integers(2, 5)))]
               for _ in range(n_stories)]
    articles = []
    for number in range(int(n_stories * 1.8)):
        story = stories[number % n_stories] if number < n_stories else stories[int(rng.integers(n_stories))]
        site = int(rng.integers(n_sites))
        body = list(story[: max(1, len(story) - int(rng.integers(0, 2)))])
        if number >= n_stories and rng.random() < 0.5:
            body[0] = body[0].replace(" w1 ", " w2999 ", 1)
        own = [paragraph for paragraph, p in zip(chrome[site], share[site], strict=True) if rng.random() < p]
        paragraphs = own[:2] + body + own[2:]
        articles.append(Article(id=f"s{number:03d}", text="\n\n".join(paragraphs),
                                url=f"https://site{site}.example/{number}", date=f"2026-02-{1 + number % 27:02d}"))
    return articles


def disclaimer_corpus(seed: int, n_stories: int = 30, share: float = 0.75, n_sites: int = 3) -> list[Article]:
    """Different short stories, about three in four of their articles ending with one 90-word disclaimer (more
    text than the story: without the boilerplate rule, different stories look like copies); some stories
    reprinted, lightly edited, with or without the disclaimer. Most articles have no site; the few on a site
    may also lose the disclaimer as site chrome."""
    rng = np.random.default_rng(seed)
    disclaimer = _words(np.random.default_rng(10_000 + seed % 3), 90)
    chrome = [[_words(rng, int(rng.integers(25, 60))) for _ in range(2)] for _ in range(n_sites)]
    stories = [[_words(rng, int(rng.integers(20, 40))) for _ in range(int(rng.integers(2, 4)))]
               for _ in range(n_stories)]
    articles = []
    for number in range(int(n_stories * 1.6)):
        story = stories[number % n_stories] if number < n_stories else stories[int(rng.integers(n_stories))]
        body = list(story[: max(1, len(story) - int(rng.integers(0, 2)))])
        if number >= n_stories and rng.random() < 0.5:
            body[0] = body[0].replace(" w1 ", " w2999 ", 1)
        if rng.random() < share:
            body.append(disclaimer)
        site = int(rng.integers(n_sites)) if rng.random() < 0.3 else None
        if site is not None:
            body = chrome[site][:1] + body + chrome[site][1:]
        articles.append(Article(id=f"d{number:03d}", text="\n\n".join(body), date=f"2026-02-{1 + number % 27:02d}",
                                url=None if site is None else f"https://site{site}.example/{number}"))
    return articles


#: The batch boilerplate rule switched off.
NO_BOILERPLATE = Settings(boilerplate_docs=10**9)


def batch_view(articles: list[Article], rule: Settings | None = None) -> tuple[set[frozenset[str]], dict[str, str]]:
    """The batch engine's partition and, per article, its cluster's canonical member."""
    result = cluster(articles, settings=rule)
    groups = {frozenset(member.doc for member in group.members) for group in result.clusters}
    canonical = {member.doc: group.canonical for group in result.clusters for member in group.members}
    return groups, canonical


def index_view(index: Index) -> tuple[set[frozenset[str]], dict[str, str]]:
    records = list(index.export())
    groups: dict[int, set[str]] = {}
    for record in records:
        if record["cluster"] is not None:
            groups.setdefault(record["cluster"], set()).add(record["doc"])
    return {frozenset(group) for group in groups.values()}, {r["doc"]: r["canonical_doc"] for r in records}


def test_site_chrome_changes_the_clusters_of_this_corpus():
    """The corpus exercises the rule: with their sites' chrome, reprints on other sites are missed."""
    for seed in range(3):
        articles = site_corpus(seed)
        with_chrome = cluster(articles)
        without = cluster(articles, settings=Settings(site_chrome=False))
        assert len(with_chrome.clusters) < len(without.clusters)


def add_in_batches(index: Index, articles: list[Article], sizes: list[int]) -> None:
    start, turn = 0, 0
    while start < len(articles):
        size = sizes[turn % len(sizes)]
        index.add_many(articles[start:start + size])
        start, turn = start + size, turn + 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False),
       sizes=st.lists(st.integers(1, 12), min_size=1, max_size=6))
def test_index_in_any_order_and_batch_sizes_gives_the_batch_clusters(tmp_path_factory, seed, order, sizes):
    articles = site_corpus(seed)
    expected = batch_view(articles)
    shuffled = list(articles)
    order.shuffle(shuffled)
    path = tmp_path_factory.mktemp("index") / "i.db"
    with Index(path) as index:
        add_in_batches(index, shuffled, sizes)
        assert index.check() == []
        assert index_view(index) == expected


def test_the_disclaimer_corpus_triggers_the_boilerplate_rule():
    """Without the rule the disclaimer chains different stories into large clusters; with it, they stay apart."""
    for seed in range(3):
        articles = disclaimer_corpus(seed)
        with_rule, without = batch_view(articles), batch_view(articles, NO_BOILERPLATE)
        assert max(map(len, with_rule[0])) <= 6 < max(map(len, without[0]))


def test_exact_copies_of_a_disclaimer_page_are_merged_only_without_the_rule():
    articles = duplicated_disclaimers(0)
    with_rule, without = batch_view(articles), batch_view(articles, NO_BOILERPLATE)
    pair = frozenset({"p0-0", "p0-1"})
    assert not any(pair <= group for group in with_rule[0]) and any(pair <= group for group in without[0])


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_batch_boilerplate_does_not_depend_on_the_order(seed, order):
    """What an incremental engine must reproduce is well defined: the batch result, boilerplate rule included,
    is the same in any input order."""
    articles = disclaimer_corpus(seed)
    shuffled = list(articles)
    order.shuffle(shuffled)
    assert batch_view(shuffled) == batch_view(articles)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False),
       sizes=st.lists(st.integers(1, 12), min_size=1, max_size=6), removed=st.floats(0.0, 0.4))
def test_index_on_boilerplate_corpora_gives_the_batch_clusters(tmp_path_factory, seed, order, sizes, removed):
    """Shingles cross the boilerplate rule as articles arrive and leave, in any order and batch sizes."""
    articles = disclaimer_corpus(seed)
    shuffled = list(articles)
    order.shuffle(shuffled)
    gone = {article.id for article in shuffled[: int(len(shuffled) * removed)]}
    with Index(tmp_path_factory.mktemp("index") / "b.db") as index:
        add_in_batches(index, shuffled, sizes)
        index.remove(sorted(gone))
        assert index.check() == []
        assert index_view(index) == batch_view([a for a in articles if a.id not in gone])


def test_index_on_a_boilerplate_corpus_gives_the_batch_clusters(tmp_path):
    articles = duplicated_disclaimers(0)
    shuffled = list(articles)
    random.Random(0).shuffle(shuffled)
    with Index(tmp_path / "x.db") as index:
        index._carriers._recent_limit = 500  # shingle carriers move to the large table every few articles
        add_in_batches(index, shuffled, [5, 1, 9])
        assert index._db.execute("SELECT count(*) FROM carried").fetchone()[0] > 0
        assert index_view(index) == batch_view(articles)


def test_removing_articles_gives_the_batch_clusters_of_what_is_left(tmp_path):
    """Removal lowers a site's counts: paragraphs stop (or start) being chrome and stored articles change."""
    articles = site_corpus(11)
    rng = np.random.default_rng(2)
    gone = {articles[k].id for k in rng.choice(len(articles), size=len(articles) // 3, replace=False).tolist()}
    with Index(tmp_path / "r.db") as index:
        index.add_many(articles)
        index.remove(sorted(gone))
        assert index.check() == []
        assert index_view(index) == batch_view([a for a in articles if a.id not in gone])


def test_query_strips_the_site_chrome_it_has_learnt(tmp_path):
    articles = site_corpus(5)
    with Index(tmp_path / "q.db") as index:
        index.add_many(articles[:-1])
        said = index.query(articles[-1])
        done = index.add(articles[-1])
        assert {match.doc for match in said.matches} <= {match.doc for match in done.matches}


_WORKER = """
import json, sys
from dedup import Article, Index
path, batch = sys.argv[1], int(sys.argv[2])
articles = [Article(**record) for record in map(json.loads, sys.stdin)]
with Index(path, timeout=5.0, retries=50) as index:
    for start in range(0, len(articles), batch):
        index.add_many(articles[start:start + batch])
"""


def duplicated_disclaimers(seed: int) -> list[Article]:
    """The disclaimer corpus with pages that are little but the disclaimer, each stored two or three times (exact
    copies are merged only when enough of them is not boilerplate), and pages too short to count as copies."""
    articles = disclaimer_corpus(seed)
    disclaimer = _words(np.random.default_rng(10_000 + seed % 3), 90)  # as disclaimer_corpus draws it
    for number in range(3):
        page = f"{disclaimer}\n\nw{number} w5 w6 w7 w8"
        articles += [Article(id=f"p{number}-{copy}", text=page, date="2026-02-03") for copy in range(2 + number % 2)]
    return articles + [Article(id=f"short{number}", text="w1 w2 w3 w4 w5 w6") for number in range(3)]


def copies_at_the_word_threshold(least: int = Settings().min_shared_words) -> list[Article]:
    """Exact copies, each stored twice, of texts whose first phrase repeats: ``least`` words (one shingle fewer
    distinct than ``verify.min_exact_shingles``, as many counting repeats), one more, and one fewer."""
    articles = []
    for words in (least - 1, least, least + 1):
        phrase = [f"x{n}" for n in range(5)]
        text = " ".join(phrase + phrase + [f"y{words}{n}" for n in range(words - 10)])
        articles += [Article(id=f"w{words}-{copy}", text=text + ".") for copy in range(2)]
    return articles


def test_exact_copies_need_the_distinct_shingles_the_rule_needs_in_every_engine(tmp_path):
    """An exact copy is merged as the rule would merge the pair: on ``min_shared_words`` words of distinct
    shingles, however often a phrase repeats. The index (which has no exact-copy shortcut) agrees with batch."""
    least = Settings().min_shared_words
    articles = copies_at_the_word_threshold(least)
    groups, _canonical = batch_view(articles)
    assert groups == {frozenset({f"w{least + 1}-0", f"w{least + 1}-1"})} | {
        frozenset({f"w{words}-{copy}"}) for words in (least - 1, least) for copy in range(2)}
    with Index(tmp_path / "t.db") as index:
        add_in_batches(index, articles[::-1], [1])
        assert index_view(index)[0] == groups


_PHRASES = ("x0 x1 x2 x3 x4", "y0 y1 y2 y3 y4 y5", "z0 z1 z2 z3 z4 z5 z6")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(st.integers(0, len(_PHRASES) - 1), min_size=2, max_size=6), min_size=1, max_size=6),
       copies=st.lists(st.integers(1, 3), min_size=6, max_size=6))
def test_texts_of_repeated_phrases_give_the_batch_clusters_in_the_index(tmp_path_factory, texts, copies):
    """Texts of 10 to 42 words made of three phrases, repeated (so they have fewer distinct shingles than
    shingles) and shared between texts, each stored one to three times: the index gives the batch clusters."""
    articles = [Article(id=f"t{number}-{copy}", text=" ".join(_PHRASES[phrase] for phrase in phrases) + ".")
                for number, phrases in enumerate(texts) for copy in range(copies[number])]
    with Index(tmp_path_factory.mktemp("index") / "r.db") as index:
        add_in_batches(index, articles, [1])
        assert index_view(index)[0] == batch_view(articles)[0]


@pytest.mark.parametrize("corpus", ["sites", "disclaimers"])
def test_four_writers_in_random_order_give_the_batch_clusters(tmp_path, corpus):
    articles = site_corpus(7, n_sites=3, n_stories=30) if corpus == "sites" else duplicated_disclaimers(4)
    shuffled = [articles[k] for k in np.random.default_rng(1).permutation(len(articles)).tolist()]
    path = tmp_path / "w.db"
    workers = []
    for k in range(4):
        process = subprocess.Popen([sys.executable, "-c", _WORKER, str(path), str(3 + k)], cwd=ROOT,
                                   stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        process.stdin.write("".join(json.dumps({"id": a.id, "text": a.text, "url": a.url, "date": a.date}) + "\n"
                                    for a in shuffled[k::4]))
        process.stdin.close()
        workers.append(process)
    for process in workers:
        assert process.wait(timeout=180) == 0, process.stderr.read()
    with Index(path) as index:
        assert index.check() == []
        assert index_view(index) == batch_view(articles)
