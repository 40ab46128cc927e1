"""The copy rule (issue 15): one definition of a copy for cluster, compare, the index and Spark."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from importlib import import_module
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import _edits, quality
from dedup import Settings, cluster
from dedup import _reference as reference
from dedup import verify as verify_module
from dedup.clean import Article
from dedup.errors import ConfigError
from dedup.shingle import shingle
from dedup.verify import (
    ALIGN_FROM,
    Boilerplate,
    ShingleSets,
    copies,
    find_boilerplate,
    overlap,
    own_words,
    relate,
    relation,
    shingle_rule,
    sorted_unique,
)

cluster_module = import_module("dedup.cluster")  # the package exports the function `cluster`
FIXTURES = Path(__file__).parent / "fixtures"
STORIES = [json.loads(line) for line in (FIXTURES / "reuters" / "stories.jsonl").read_text().splitlines()]
SENTENCE = re.compile(r'(?<=[.!?])\s+(?=[A-Z"])')

#: 180 words of legal text of the kind a feed appends to every story (the benchmark's).
DISCLAIMER = quality.DISCLAIMER
PROMPT = "Sign up for our morning newsletter and get the day's top stories delivered straight to your inbox."


def reprint(text: str) -> str:
    """A lightly edited reprint as issue 15 describes it: the second half cut, a word changed in every other
    sentence, "investors" -> "analysts", "funds" -> "liquidity", one sentence added."""
    paragraphs = text.split("\n\n")
    count, edited = 0, []
    for paragraph in paragraphs[:(len(paragraphs) + 1) // 2]:
        sentences = []
        for sentence in SENTENCE.split(paragraph):
            count += 1
            if count % 2 == 0:
                words = sentence.split()
                words[min(3, len(words) - 1)] = "revised"
                sentence = " ".join(words)
            sentences.append(sentence)
        edited.append(" ".join(sentences))
    body = "\n\n".join(edited).replace("investors", "analysts").replace(" funds", " liquidity")
    return body + "\n\nThe survey was published on Thursday."


def sets_of(*texts: str) -> list[np.ndarray]:
    found = shingle(list(texts), ngram=5)
    return [sorted_unique(found.of(index)) for index in range(len(texts))]


def test_the_lightly_edited_reprint_is_borderline_for_shingles_and_a_copy_by_the_rule() -> None:
    original = STORIES[0]["text"]
    copy = reprint(original)
    _jaccard, contained = overlap(*sets_of(original, copy))
    assert ALIGN_FROM <= contained < 0.8  # the shingles alone cannot say: a word changed in every other sentence
    found = relate(original, copy)
    assert found.is_copy and found.relationship == "contained"
    assert found.coverage is not None and found.coverage >= 0.8
    result = cluster([original, copy])
    assert len(result.clusters) == 1
    assert {member.relationship for member in result.clusters[0].members} == {"duplicate", "contained"}


def test_relate_is_symmetric_and_a_text_is_its_own_duplicate() -> None:
    original, copy = STORIES[0]["text"], reprint(STORIES[0]["text"])
    assert relate(original, copy) == relate(copy, original)
    same = relate(original, original)
    assert same.is_copy and same.relationship == "duplicate" and same.similarity == 1.0


def test_different_stories_are_unrelated() -> None:
    found = relate(STORIES[1]["text"], STORIES[2]["text"])
    assert not found.is_copy and found.relationship == "unrelated"


def test_a_shared_passage_is_partial_and_never_merged() -> None:
    quote = " ".join(STORIES[3]["text"].split()[:40])
    a = STORIES[1]["text"] + "\n\n" + quote
    b = STORIES[2]["text"] + "\n\n" + quote
    found = relate(a, b)
    assert not found.is_copy and found.relationship == "partial"
    assert len(cluster([a, b]).clusters) == 2


def test_prompt_only_pages_are_never_copies() -> None:
    found = relate(PROMPT, PROMPT + "\n\nShare this article")
    assert not found.is_copy and found.shared_words < Settings().min_shared_words
    pages = [Article(str(number), text) for number, text in enumerate([PROMPT, PROMPT, PROMPT + " Share it."])]
    assert len(cluster(pages).clusters) == 3  # cleaned already: the cleaner may drop such pages altogether


def test_the_same_disclaimer_under_different_stories_chains_nothing() -> None:
    docs = [story["text"] + "\n\n" + DISCLAIMER for story in STORIES]
    result = cluster(docs)
    assert len(result.clusters) == len(docs)


def test_pages_left_with_the_disclaimer_alone_are_not_exact_copies() -> None:
    docs = [Article(story["id"], story["text"] + "\n\n" + DISCLAIMER) for story in STORIES]
    docs += [Article("lost-1", DISCLAIMER), Article("lost-2", DISCLAIMER)]  # their story lost in cleaning
    assert len(cluster(docs).clusters) == len(docs)


def test_a_disclaimer_does_not_hide_a_real_copy() -> None:
    docs = [story["text"] + "\n\n" + DISCLAIMER for story in STORIES]
    docs.append(reprint(STORIES[0]["text"]) + "\n\n" + DISCLAIMER)
    result = cluster(docs)
    assert len(result.clusters) == len(docs) - 1
    assert result.labels[0] == result.labels[-1]


def test_thirty_edited_copies_of_one_wire_story_still_count() -> None:
    words = STORIES[5]["text"].split(" ")
    copies_ = []
    for number in range(30):  # each copy changes a different word: no copy equals another
        changed = list(words)
        changed[(7 * number) % len(words)] = f"edit{number}"
        copies_.append(" ".join(changed))
    docs = copies_ + [story["text"] for story in STORIES[6:30]]
    result = cluster(docs)
    assert len({result.labels[index] for index in range(30)}) == 1
    assert len(result.clusters) == 1 + len(STORIES[6:30])


def test_boilerplate_is_the_frequent_text_of_otherwise_different_documents() -> None:
    settings = Settings()
    docs = [story["text"] + "\n\n" + DISCLAIMER for story in STORIES[:25]]
    found = find_boilerplate(shingle(docs, ngram=5), settings)
    disclaimer = sets_of(DISCLAIMER)[0]
    assert set(disclaimer.tolist()) <= set(found.hashes.tolist())
    story = sets_of(STORIES[0]["text"])[0]
    assert not set(story.tolist()) & set(found.hashes.tolist())
    assert found.strip_text(docs[0], 5) == STORIES[0]["text"]
    few = find_boilerplate(shingle(docs[:5], ngram=5), settings)  # fewer carriers than boilerplate_docs
    assert len(few.hashes) == 0


def test_shingle_rule_bands() -> None:
    settings = Settings()
    assert shingle_rule(0.9, 0.95, 200, 210, settings) is True
    assert shingle_rule(0.3, 0.85, 200, 230, settings) is True
    assert shingle_rule(0.3, 0.6, 120, 200, settings) is None
    assert shingle_rule(0.1, 0.2, 40, 200, settings) is False
    assert shingle_rule(1.0, 1.0, 15, 15, settings) is False  # 19 shared words: too few


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300)), min_size=1, max_size=40),
       st.sampled_from([None, 0.8, 0.3]), st.sampled_from([0.5, 0.9]), st.integers(0, 40))
def test_the_rule_over_arrays_equals_the_rule_of_each_pair(triples: list[tuple[int, int, int]],
                                                           containment: float | None, threshold: float,
                                                           min_words: int) -> None:
    rule = Settings(containment=containment, threshold=threshold, min_shared_words=min_words)
    common, first, second = (np.asarray(column, dtype=np.int64) for column in zip(*triples, strict=True))
    first, second = np.maximum(first, common), np.maximum(second, common)  # no set shares more than it has
    keys = np.column_stack([np.arange(len(common)), np.arange(len(common)) + 1000])
    measured = verify_module._Measured.of(keys, common, first, second, rule)
    expected = []
    for shared, a, b in zip(common.tolist(), first.tolist(), second.tolist(), strict=True):
        jaccard, contained = (shared / (a + b - shared), shared / min(a, b)) if min(a, b) else (0.0, 0.0)
        expected.append(shingle_rule(jaccard, contained, shared, min(a, b), rule))
    found = [measured.figures((int(i), int(j))).decided for i, j in keys.tolist()]
    assert found == expected


def test_copies_agree_with_relation_and_shingle_sets_remember() -> None:
    texts = [STORIES[0]["text"], reprint(STORIES[0]["text"]), STORIES[1]["text"]]
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    sets = ShingleSets.for_pairs(texts, pairs, Settings())
    keep = copies(pairs, sets, Settings())
    assert keep.tolist() == [True, False, False]
    plain = sets_of(*texts)
    assert [relation(plain[i], plain[j], Settings()).is_copy for i, j in pairs.tolist()] == [False, False, False]
    assert sets.measured_pair(0, 1) and sets.relation(0, 1, Settings()).is_copy and sets.size(0) == len(plain[0])


def test_boilerplate_strip_keeps_sorted_sets_sorted() -> None:
    values = np.array([1, 3, 5, 7], dtype=np.uint64)
    assert Boilerplate(np.array([3, 7], dtype=np.uint64)).strip(values).tolist() == [1, 5]
    assert Boilerplate.empty().strip(values) is values


@pytest.mark.parametrize("field, value", [("min_shared_words", -1), ("boilerplate_docs", 1)])
def test_new_settings_are_checked(field: str, value: int) -> None:
    with pytest.raises(ConfigError):
        Settings(**{field: value})


# --- the vectorised boilerplate rule against a slow, obvious one -------------------------------------------

def own_words_reference(shingles, frequent: set[int], ngram: int) -> list[int]:
    own = []
    for index in range(len(shingles)):
        hashes = shingles.of(index).tolist()
        if not hashes:
            own.append(0)
            continue
        covered = [False] * (len(hashes) + ngram - 1)
        for start, value in enumerate(hashes):
            if value in frequent:
                for word in range(start, start + ngram):
                    covered[word] = True
        own.append(covered.count(False))
    return own


def boilerplate_reference(shingles, settings: Settings) -> set[int]:
    sets = [set(shingles.of(index).tolist()) for index in range(len(shingles))]
    carriers: dict[int, list[int]] = {}
    for doc, values in enumerate(sets):
        for value in values:
            carriers.setdefault(value, []).append(doc)
    frequent = {value for value, docs in carriers.items() if len(docs) >= settings.boilerplate_docs}
    own = own_words_reference(shingles, frequent, settings.ngram)
    return {value for value in frequent
            if sum(own[doc] >= settings.min_shared_words for doc in carriers[value]) >= 0.5 * len(carriers[value])}


WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=30), min_size=1, max_size=8), st.integers(2, 4),
       st.integers(0, 6))
def test_boilerplate_equals_the_reference(docs: list[list[str]], min_docs: int, min_words: int) -> None:
    shingles = shingle([" ".join(words) for words in docs], ngram=3)
    rule = Settings(ngram=3, boilerplate_docs=min_docs, min_shared_words=min_words)
    expected = boilerplate_reference(shingles, rule)
    assert set(find_boilerplate(shingles, rule).hashes.tolist()) == expected
    with pytest.MonkeyPatch.context() as patch:  # as a large batch: by buckets of the top bits first
        patch.setattr(verify_module, "_BUCKET_FROM", 0)
        patch.setattr(verify_module, "_BUCKET_BITS", 3)
        assert set(find_boilerplate(shingles, rule).hashes.tolist()) == expected
    frequent = np.asarray(sorted({value for index in range(len(shingles)) for value in shingles.of(index).tolist()}),
                          dtype=np.uint64)[::2]
    assert own_words(shingles, frequent, 3).tolist() == own_words_reference(shingles, set(frequent.tolist()), 3)


# --- the fast paths of verification against slow, obvious ones -----------------------------------------------

HASHES = st.integers(0, 2**64 - 1)


@settings(max_examples=40, deadline=None)
@given(st.lists(HASHES, max_size=50), st.lists(HASHES, min_size=1, max_size=300), st.integers(0, 2**32))
def test_membership_through_the_bit_table_equals_the_reference(members: list[int], others: list[int],
                                                               seed: int) -> None:
    rng = np.random.default_rng(seed)
    pool = np.asarray(members + others, dtype=np.uint64)
    values = pool[rng.integers(0, len(pool), size=verify_module._TABLE_FROM + 100)]  # large enough for the table
    sorted_set = np.unique(np.asarray(members, dtype=np.uint64))
    assert verify_module._member(values, sorted_set).tolist() == reference.member(values.tolist(), members)
    near = sorted_set ^ np.uint64(1)  # the same top bits as members, not members
    assert verify_module._member(np.concatenate([values, near]), sorted_set).tolist() == reference.member(
        values.tolist() + near.tolist(), members)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verify_module, "_LOOKUP_RUN", 1000)  # the table read in runs
        assert verify_module._member(values, sorted_set).tolist() == reference.member(values.tolist(), members)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2**40 - 1)), min_size=1, max_size=60),
       st.integers(0, 2**32), st.sampled_from([50, 1 << 16]))
def test_lookup_where_members_share_their_top_bits_equals_the_reference(members: list[tuple[int, int]],
                                                                         seed: int, run: int) -> None:
    rng = np.random.default_rng(seed)
    sorted_set = np.unique(np.asarray([(top << 56) | low for top, low in members], dtype=np.uint64))
    others = rng.integers(0, 2**64, size=verify_module._TABLE_FROM, dtype=np.uint64) >> np.uint64(5)  # top bits 0
    values = rng.permutation(np.concatenate([others, sorted_set, sorted_set ^ np.uint64(1)]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verify_module, "_LOOKUP_RUN", run)
        where, slots = verify_module._find(values, sorted_set)
    members_list = sorted_set.tolist()
    expected = [(position, members_list.index(value)) for position, value in enumerate(values.tolist())
                if value in members_list]
    assert list(zip(where.tolist(), slots.tolist(), strict=True)) == expected


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32), st.integers(2, 6), st.sampled_from([1, 700, 1 << 22]), st.sampled_from([1, 6, 22]),
       st.booleans())
def test_repeated_values_equal_the_reference(seed: int, least: int, chunk: int, bucket_bits: int,
                                             buckets: bool) -> None:
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 2**64, size=int(rng.integers(50, 3000)), dtype=np.uint64)
    values = rng.choice(pool, size=int(rng.integers(0, 8000)))
    counts = Counter(values.tolist())
    with pytest.MonkeyPatch.context() as patch:  # runs and buckets of every size
        patch.setattr(verify_module, "_CHUNK", chunk)
        patch.setattr(verify_module, "_BUCKET_FROM", 0 if buckets else 1 << 23)
        patch.setattr(verify_module, "_BUCKET_BITS", bucket_bits)
        maybe = verify_module._maybe_repeated(values, least)
    assert (maybe is None) == (not buckets or len(values) == 0)  # a small array: every position
    maybe = np.arange(len(values)) if maybe is None else maybe
    assert np.all(np.diff(maybe) > 0)
    assert {index for index, value in enumerate(values.tolist()) if counts[value] >= least} <= set(maybe.tolist())
    repeated = verify_module._repeated(values[maybe], least)
    assert repeated.tolist() == sorted(value for value, count in counts.items() if count >= least)


def test_own_words_of_stories_under_a_disclaimer_equal_the_reference() -> None:
    docs = [story["text"] + "\n\n" + DISCLAIMER for story in STORIES[:25]] + ["", "one two"]
    shingles = shingle(docs, ngram=5)
    for frequent in (sets_of(DISCLAIMER)[0][::3], sets_of(DISCLAIMER + " " + STORIES[3]["text"])[0]):
        expected = own_words_reference(shingles, set(frequent.tolist()), 5)
        assert own_words(shingles, frequent, 5).tolist() == expected


def test_sets_without_the_boilerplate_positions_equal_the_stripped_sets() -> None:
    docs = [story["text"] + "\n\n" + DISCLAIMER for story in STORIES[:25]] + [STORIES[30]["text"], ""]
    shingles = shingle(docs, ngram=5)
    boilerplate, carried = verify_module._boilerplate_at(shingles, Settings())
    assert len(carried) and set(shingles.hashes[carried].tolist()) == set(boilerplate.hashes.tolist())
    expected = [boilerplate.strip(np.unique(shingles.of(row))).tolist() for row in range(len(docs))]
    assert [found.tolist() for found in verify_module._sets_without(shingles, carried)] == expected
    assert expected[25] == np.unique(shingles.of(25)).tolist()  # the story without the disclaimer keeps everything


def test_only_the_borderline_pairs_need_the_alignment_and_the_others_are_remembered() -> None:
    texts = [STORIES[0]["text"], reprint(STORIES[0]["text"]), STORIES[1]["text"], STORIES[0]["text"] + " Ends."]
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 3]])
    sets = ShingleSets.for_pairs(texts, pairs, Settings())
    keys = sets.keys(pairs)
    needed = sets.measure(keys, sets.shared(keys), Settings())
    assert needed.tolist() == [True, False, False, True]
    assert sets.measured_pair(0, 2) and sets.measured_pair(0, 3) and not sets.measured_pair(0, 1)
    assert [sets.relation(i, j, Settings()) for i, j in pairs.tolist()] == [
        relate(texts[i], texts[j]) for i, j in pairs.tolist()]


def test_the_alignments_spread_over_processes_give_the_same_clusters(monkeypatch) -> None:
    rng = random.Random(3)  # copy-desk rewrites of one sentence in two: most pairs need the alignment
    docs = [text for story in STORIES[:12] for text in (story["text"], _edits.rewrite(story["text"], rng, 2))]
    docs += [story["text"] for story in STORIES[12:40]]  # more candidate pairs, most of them no copies
    alone = cluster(docs, workers=1)
    monkeypatch.setattr(cluster_module, "_PARALLEL_PAIRS", 1)
    monkeypatch.setattr(cluster_module, "_PARALLEL_SHARED", 1)  # the shared shingles counted over processes too
    spread = cluster(docs, workers=2)
    assert spread.labels == alone.labels and spread.clusters == alone.clusters
    aligned = [m for c in alone.clusters for m in c.members if m.containment < 0.8 and m.relationship != "partial"]
    assert len(aligned) >= 5  # copies that only the alignment (in the forked processes) could accept


def test_lsh_bands_find_copies_cut_to_half_and_rewritten() -> None:
    rng = random.Random(5)
    docs = []
    for story in STORIES[:40]:
        paragraphs = story["text"].split("\n\n")
        docs += [story["text"], _edits.rewrite("\n\n".join(paragraphs[:(len(paragraphs) + 1) // 2]), rng, 4)]

    def found(settings: Settings) -> int:
        labels = cluster(docs, settings=settings, workers=1).labels
        return sum(labels[2 * number] == labels[2 * number + 1] for number in range(40))

    assert Settings().lsh_threshold == pytest.approx(0.2)
    assert found(Settings()) >= 35 > found(Settings(candidate_threshold=0.3))  # 35 and 30 when written


def test_boilerplate_of_a_larger_batch_equals_the_reference() -> None:
    docs = [story["text"] + ("\n\n" + DISCLAIMER if number % 3 else "") for number, story in enumerate(STORIES[:40])]
    shingles = shingle(docs + [DISCLAIMER] * 3, ngram=5)
    assert len(shingles.hashes) >= verify_module._TABLE_FROM  # counted by buckets first, looked up in the table
    rule = Settings(boilerplate_docs=20)
    found = find_boilerplate(shingles, rule)
    assert len(found.hashes) and set(found.hashes.tolist()) == boilerplate_reference(shingles, rule)
