from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import ConfigError, align, clean, load
from dedup.align import _tokens
from dedup.shingle import normalize_word, token_spans

from .conftest import SEED_000, SEED_001, SEED_004
from .test_shingle import DATELINES, _articles, _chinese, reprint


@pytest.fixture(scope="module")
def seeds():
    return [clean(load(path)[0]) for path in (SEED_000, SEED_001, SEED_004)]


def test_the_state_department_statement_is_one_span_with_offsets(seeds):
    a, b, _ = seeds
    result = align(a, b)
    start_a = a.text.index("Secretary Blinken condemned")
    start_b = b.text.index("Secretary Blinken condemned")
    end_a = a.text.index("as a “peacekeeping” force") + len("as a “peacekeeping” force")
    end_b = b.text.index('as a "peacekeeping" force') + len('as a "peacekeeping" force')
    covering = [s for s in result.spans if s.a_start <= start_a and s.a_end >= end_a]
    assert len(covering) == 1
    span = covering[0]
    assert span.b_start <= start_b and span.b_end >= end_b
    assert a.text[span.a_start:span.a_end].startswith("Secretary Blinken condemned")
    assert b.text[span.b_start:span.b_end].startswith("Secretary Blinken condemned")
    assert span.score > 0.9
    assert result.relationship == "partial"


def test_seed_004_is_unrelated_to_000_and_001(seeds):
    a, b, c = seeds
    assert align(a, c).relationship == "unrelated"
    assert align(b, c).relationship == "unrelated"


def test_identity_and_symmetry(seeds):
    a, b, _ = seeds
    same = align(a, a)
    assert same.relationship == "duplicate" and same.similarity == 1.0
    forward, backward = align(a, b), align(b, a)
    assert forward.similarity == backward.similarity
    assert forward.containment_a == backward.containment_b


def test_a_trimmed_copy_is_contained():
    paragraphs = [f"Paragraph {n} of the report says the harbour authority will expand the container terminal "
                  f"by {n * 10} berths over the next decade, officials said on Tuesday." for n in range(1, 9)]
    full = "\n\n".join(paragraphs)
    trimmed = "\n\n".join(paragraphs[:4])
    result = align(trimmed, full)
    assert result.relationship == "contained"
    assert result.containment_a == 1.0


def test_min_words_is_validated():
    with pytest.raises(ConfigError):
        align("a b c", "a b c", min_words=1)


# A wire story of eight paragraphs; the reprint tests below edit it the ways syndication does.
STORY = [
    "The harbour authority will expand the container terminal by forty berths over the next decade, officials "
    "said on Tuesday, in the largest investment in the port since it opened.",
    "Officials said the authority would recognise the concerns of residents living near the docks and would "
    "publish a noise study before construction begins next spring.",
    "\"We have listened to the neighbours,\" the chair of the authority said. \"The plan balances jobs and the "
    "quality of life in the old town.\"",
    "The expansion is expected to cost about 2.4 billion dollars and to create some three thousand jobs during "
    "construction, according to the business case published with the plan.",
    "Shipping lines have asked for deeper channels for years, as the largest vessels can only enter the port at "
    "high tide and must often wait offshore for a berth.",
    "Environmental groups criticised the dredging plan, saying it would disturb the feeding grounds of wading "
    "birds on the mudflats south of the estuary.",
    "The regional government must still approve the plan. A decision is expected before the end of the year, "
    "after a public consultation that opens next month.",
    "Trade unions welcomed the announcement and called for local hiring targets to be written into every "
    "construction contract signed by the authority.",
]
INTRO = ("Our city has waited a long time for good news from the waterfront, and this week it finally came, "
         "writes our business editor in a note to readers.")


def _covered(text: str, spans: list[tuple[int, int]], passage: str) -> bool:
    """Whether one span covers ``passage`` from its first word to its last."""
    tokens = token_spans(passage)
    start = text.index(passage)
    return any(s <= start + tokens[0][0] and e >= start + tokens[-1][1] for s, e in spans)


def test_one_span_survives_spelling_quotes_and_word_edits():
    a = " ".join(STORY[:3])
    b = (a.replace("recognise", "recognize").replace("neighbours", "neighbors").replace('"', "\u201c", 1)
         .replace("forty", "40").replace("over the next decade", "over the decade"))
    result = align(a, b)
    assert len(result.spans) == 1
    span = result.spans[0]
    assert (span.a_start, span.a_end) == (0, a.rindex("town") + 4)  # the closing quote is not a token
    assert (span.b_start, span.b_end) == (0, b.rindex("town") + 4)
    assert 0.9 < span.score < 1.0
    assert result.relationship == "reprint"


def test_split_and_merged_paragraphs_do_not_break_a_span():
    a = "\n\n".join(STORY)
    split = STORY[3].replace("jobs during ", "jobs\n\nduring ")
    b = "\n\n".join([STORY[0] + " " + STORY[1], *STORY[2:3], split, *STORY[4:]])
    result = align(a, b)
    assert len(result.spans) == 1
    assert result.relationship == "duplicate" and result.similarity == 1.0


def test_reordered_paragraphs_still_align_and_added_text_is_left_out():
    a = "\n\n".join(STORY)
    order = [0, 1, 5, 6, 2, 3, 4]  # paragraph 7 cut, 5 and 6 moved up
    b = "\n\n".join([INTRO] + [STORY[i] for i in order] + ["Also read: Council to vote on new cycle lanes downtown"])
    result = align(a, b)
    spans_a = [(s.a_start, s.a_end) for s in result.spans]
    spans_b = [(s.b_start, s.b_end) for s in result.spans]
    for i in order:
        assert _covered(a, spans_a, STORY[i]) and _covered(b, spans_b, STORY[i])
    assert not _covered(a, spans_a, STORY[7])
    assert not any(s < len(INTRO) for s, _ in spans_b)
    assert all(e <= b.index("Also read") for _, e in spans_b)
    for span in result.spans:  # each span joins the same words on both sides
        assert a[span.a_start:span.a_end].split()[:3] == b[span.b_start:span.b_end].split()[:3]
    assert result.containment_a < 0.95 and result.containment_b < 0.95
    assert result.relationship == "reprint"


def test_a_short_shared_quote_is_partial_and_min_words_is_honoured():
    quote = "the plan balances jobs and the quality of life in the old town"
    a = "\n\n".join(STORY[:2]) + f"\n\nThe mayor said {quote}."
    b = INTRO + f" As one official put it, {quote}, and that is the whole story."
    result = align(a, b, min_words=8)
    assert result.relationship == "partial"
    assert [b[s.b_start:s.b_end] for s in result.spans] == [quote]
    assert align(a, b, min_words=14).relationship == "unrelated"


def test_swapped_arguments_swap_the_sides():
    a = "\n\n".join(STORY[:6])
    b = "\n\n".join([INTRO, *STORY[2:8]])
    forward, backward = align(a, b), align(b, a)
    assert sorted((s.b_start, s.b_end, s.a_start, s.a_end, s.score) for s in backward.spans) == sorted(
        (s.a_start, s.a_end, s.b_start, s.b_end, s.score) for s in forward.spans)
    assert (forward.containment_a, forward.containment_b) == (backward.containment_b, backward.containment_a)


def test_empty_and_tiny_texts():
    assert align("", "").relationship == "unrelated"
    assert align("", STORY[0]).spans == ()
    assert align("a b", "a b").spans == ()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_tokens_are_the_tokens_of_shingle(text):
    words, starts, ends = _tokens(text)
    spans = token_spans(text)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == spans
    assert words == [text[start:end] for start, end in spans]


def test_the_same_paragraphs_in_another_order_are_a_reprint_not_a_duplicate():
    a = "\n\n".join(STORY)
    b = "\n\n".join(STORY[4:] + STORY[:4])
    result = align(a, b)
    assert result.similarity == 1.0 and len(result.spans) == 2
    assert result.relationship == "reprint"


def test_max_gap_is_how_many_differing_words_a_span_bridges():
    a = " ".join(STORY[:2])
    inserted = "(five words added right here)"
    cut = a.index("officials said on Tuesday")
    b = a[:cut] + inserted + " " + a[cut:]
    assert len(align(a, b, max_gap=4).spans) == 2
    joined = align(a, b, max_gap=5)
    assert len(joined.spans) == 1 and inserted in b[joined.spans[0].b_start:joined.spans[0].b_end]
    with pytest.raises(ConfigError):
        align(a, b, max_gap=-1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(STORY) - 1), max_size=10), st.lists(st.integers(0, len(STORY) - 1), max_size=10),
       st.integers(3, 20))
def test_spans_are_in_bounds_one_to_one_and_join_equal_words(picks_a, picks_b, min_words):
    a = "\n\n".join(STORY[i] for i in picks_a)
    b = "\n\n".join([INTRO] + [STORY[i] for i in picks_b])
    result = align(a, b, min_words=min_words)
    for side in ("a", "b"):
        ranges = sorted((getattr(s, f"{side}_start"), getattr(s, f"{side}_end")) for s in result.spans)
        text = a if side == "a" else b
        assert all(0 <= start < end <= len(text) for start, end in ranges)
        assert all(end <= start for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False))  # no overlaps
    for span in result.spans:
        words_a = _words(a[span.a_start:span.a_end])
        words_b = _words(b[span.b_start:span.b_end])
        assert len(words_a) >= min_words and len(words_b) >= min_words
        assert words_a[:1] == words_b[:1] and words_a[-1:] == words_b[-1:]
    shared = set(picks_a) & set(picks_b)
    if any(len(STORY[i].split()) >= min_words for i in shared):
        assert result.spans
    assert 0.0 <= result.containment_a <= 1.0 and 0.0 <= result.containment_b <= 1.0


def _words(text: str) -> list[str]:
    return [normalize_word(text[start:end]) for start, end in token_spans(text)]


# --- every script ------------------------------------------------------------------------------------------------


def test_two_copies_of_a_chinese_story_align_on_characters():
    story, _ = _chinese()
    a, b = story["text"], reprint(story)
    result = align(a, b)
    assert result.relationship == "contained" and result.containment_b >= 0.9
    body_a, body_b = a.index("伦敦"), b.index("伦敦")
    assert b[:body_b].endswith(DATELINES["zh"])
    covering = [s for s in result.spans if s.a_start == body_a]
    assert len(covering) == 1 and covering[0].b_start == body_b and covering[0].score == 1.0
    assert a[covering[0].a_end - 1] == b[covering[0].b_end - 1] == "了"  # the last character of the copied part


def test_the_other_agencys_chinese_article_is_not_a_copy():
    story, other = _chinese()
    result = align(story["text"], other["text"])
    assert result.relationship in ("partial", "unrelated") and result.similarity < 0.2


def test_reprints_align_in_every_script():
    for article in _articles():
        result = align(article["text"], reprint(article))
        assert result.relationship in ("contained", "reprint"), article["lang"]
        assert result.containment_b >= 0.9, article["lang"]


def test_min_words_counts_han_characters_as_words():
    passage = "中华人民共和国国务院新闻办公室"  # 15 characters: more than 8 words' worth
    a = f"今天下雨了，我们在家里看书。{passage}举行发布会。"
    b = f"昨日晴朗，他们去海边游泳玩耍。据{passage}消息。"
    result = align(a, b, min_words=8)
    assert [(a[s.a_start:s.a_end], b[s.b_start:s.b_end]) for s in result.spans] == [(passage, passage)]
    short = passage[:8]  # 8 characters weigh 5 words
    a, b = a.replace(passage, short), b.replace(passage, short)
    assert align(a, b, min_words=8).relationship == "unrelated"
    assert [a[s.a_start:s.a_end] for s in align(a, b, min_words=5).spans] == [short]


def test_a_copy_in_traditional_characters_aligns_with_the_simplified_story():
    story, _ = _chinese()
    traditional = story["text"].translate(str.maketrans("银将赛车后备联", "銀將賽車後備聯"))
    assert traditional != story["text"]
    result = align(story["text"], traditional)
    assert result.relationship == "duplicate" and result.similarity == 1.0
