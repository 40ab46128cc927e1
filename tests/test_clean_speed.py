"""The plain-text cleaner's issue-17 fast paths give what their slow versions in ``dedup._reference`` give: the
footer and comments patterns behind a literal screen, the tighter screens of ``_CHROME_ANYWHERE`` and the chrome
phrases, the line facts that say which lines may open a wire story, a dated or a numbered item, the context and
region passes that look at those lines alone (found once per text among the ``_marked`` lines; the structured
blocks below give them numbered, dated and wire lists, tables, threads and near-body lines to find), and the
metadata patterns run on the lines holding their literal."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _reference
from dedup.clean import news
from dedup.clean import text as text_module
from tests.test_clean_fast import LINES, POOL

# Real lines, lines mutated with letters that only IGNORECASE equates, and short made-up lines around the literals
# the new screens look for.
WORDS = ["Comments", "comment", "Reply", "responses", "3 thoughts on", "Join the conversation", "Tags:", "TOPICS",
         "Source:", "Sources", "About the author", "about this story", "Filed under", "(c) 2020", "© 2021",
         "Copyright", "All rights reserved", "Posted in", "first published", "ſource:", "Categories:", "caption",
         "(Photo: AP)", "(Reuters photo)", "Credit: AP", "image credit: x", "show more", "... more", ". less",
         "Privacy Policy", "terms of use", "Sign up for", "We'll send", "well send", "newsletter", "JAN 3", "ſep 12",
         "1. First", "12) item", "١. item", "LONDON (Reuters) - ", "NEW YORK, March 3 - ", "|", " ", "  ", "\t",
         "\u0307", "İ", "ı", "K"]
MADE_UP = st.lists(st.sampled_from(WORDS + ["a", "the", "x", "7", ".", ":", ")", "("]), min_size=1, max_size=7).map(
    lambda parts: "".join(parts).strip() or "x")
ANY_LINE = st.one_of(st.sampled_from(POOL), LINES, MADE_UP)


@settings(max_examples=500, deadline=None)
@given(ANY_LINE)
def test_footer_and_comments_lines_behind_the_screen_are_the_references(line):
    assert text_module._footer(line) == _reference.footer(line)


@settings(max_examples=500, deadline=None)
@given(ANY_LINE, st.sampled_from(["", " ", "  ", "\t", "\x1f", "\xa0"]))
def test_chrome_lines_behind_the_tighter_screen_are_the_references(line, tail):
    assert text_module._chrome_line(line + tail) == _reference.chrome_line(line + tail)


@settings(max_examples=500, deadline=None)
@given(ANY_LINE, st.sampled_from([str, str.upper, str.lower, str.title]))
def test_chrome_phrases_behind_their_literals_are_what_the_pattern_finds(line, case):
    line = case(line)
    assert text_module._chrome_phrase(line) == bool(text_module._CHROME_PHRASE.search(line))


def test_every_letter_ignorecase_equates_with_a_months_opens_a_month_line():
    letters = set("".join(text_module._MONTH_HEADS).lower()) & set("abcdefghijklmnopqrstuvwxyz")
    for letter in sorted(letters):
        pattern = re.compile(letter, re.IGNORECASE)
        equated = {chr(code) for code in range(0x10000) if pattern.fullmatch(chr(code))}
        for month in "jan feb mar apr may jun jul aug sep oct nov dec".split():
            for at in [at for at, char in enumerate(month) if char == letter]:
                assert all(month[:at] + char + month[at + 1:] in text_module._MONTH_HEADS for char in equated)


@settings(max_examples=300, deadline=None)
@given(st.lists(ANY_LINE, min_size=1, max_size=30))
def test_line_facts_are_the_references_and_their_screens_hold_every_match(lines):
    text_module.forget_lines()
    fast, slow = text_module._line_facts(lines), _reference.line_facts(lines)
    screens = text_module._MONTH_LINE | text_module._DIGIT_HEAD | text_module._SCREENED
    exact = ~screens & ~text_module._WALLED & ~text_module._END_LINE & ~text_module._COMMENTS_LINE
    for line, quick, obvious in zip(lines, fast, slow, strict=True):
        assert quick & exact == obvious & exact, line
        assert obvious & (text_module._MONTH_LINE | text_module._DIGIT_HEAD) & ~quick == 0, line
        if quick & text_module._SCREENED:  # the patterns run on a screened line give what they give everywhere
            assert quick & (text_module._END_LINE | text_module._COMMENTS_LINE) == _reference.footer(line)


def _passes(lines: list[str], good_from: list[bool] | None = None):
    facts = _reference.line_facts(lines)
    raw, feats = _reference.classify(lines, facts)
    marked = text_module._marked(facts)
    fast_good = text_module._context(lines, raw, feats, facts, marked)
    slow_good = _reference.context(lines, raw, feats, facts)
    good = good_from if good_from is not None else slow_good
    fast_regions = text_module._regions(lines, good, facts, marked)
    return fast_good, slow_good, fast_regions, _reference.regions(lines, good, facts)


@settings(max_examples=200, deadline=None)
@given(st.lists(ANY_LINE, min_size=1, max_size=60))
def test_context_and_regions_are_the_references(lines):
    fast_good, slow_good, fast_regions, slow_regions = _passes(lines)
    assert fast_good == slow_good
    assert fast_regions == slow_regions


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(ANY_LINE, st.booleans()), min_size=1, max_size=60))
def test_regions_of_any_body_lines_are_the_references(pairs):
    lines = [line for line, _good in pairs]
    _fast, _slow, fast_regions, slow_regions = _passes(lines, [good for _line, good in pairs])
    assert fast_regions == slow_regions


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ANY_LINE, st.sampled_from([
    "ANI | Washington DC | Updated: 24-02-2022 03:37 IST", "(Reporting by Jane Doe; Editing by John Roe)",
    "This story is auto-generated from a syndicated feed.", "(ANI)", "a | b"])), min_size=1, max_size=20))
def test_metadata_lines_are_the_references(lines):
    assert news.metadata_lines(lines) == _reference.metadata_lines(lines)


def test_a_line_of_the_fixtures_gets_the_references_facts_context_and_regions():
    from tests.test_clean_fast import DUMPS

    for dump in DUMPS:
        lines = text_module.split_lines(dump)
        fast_good, slow_good, fast_regions, slow_regions = _passes(lines)
        assert (fast_good, fast_regions) == (slow_good, slow_regions)


# Blocks of lines that give the context and region passes something to do: body prose, numbered and dated lists,
# tables of figures, wire datelines and the lines after them, list headers, footers, commenters' names.
PROSE = ["The company said on Tuesday that it would cut costs and that the plan had been agreed by the board.",
         "It was not clear when the talks would resume, officials said, and neither side gave a date for them."]
_NEAR_LINE = "the plan for the new bridge over the river in the north of the city and the cost of it to the town"
BLOCKS = [PROSE, ["1. The first step is to read the whole recipe.", "2. Then the second one", "3) third", "4. last"],
          ["June 9 - West Palm Beach, FL", "Oct. 3: Phoenix", "Jan 12 Denver", "Dec 1 Boston"],
          ["Tour dates", "June 9 - West Palm Beach, FL", "Oct. 3: Phoenix", "Jan 12 Denver"],
          ["Shr 43 cts vs 37 cts", "Net 2,276,000 vs 1,674,000", "Revs 12.1 mln vs 11.3 mln", "Six mths",
           "Shr 80 cts vs 70 cts", "Net 4,100,000 vs 3,900,000"],
          ["NEW YORK, March 3 - Shr 10 cts vs 5 cts", "Net 705,496 vs 257,153", "Six mths", "Net 1.2 mln vs 1.1 mln"],
          ["WASHINGTON (Reuters) - The dollar rose on Tuesday as traders weighed the outlook for rates."],
          ["Related Articles", "Markets rally as the dollar falls on the rate outlook today",
           "Oil slips as supply worries ease for a second day in a row"],
          ["Most Read", "1. Markets rally today", "2. Oil slips again", "3. Gold holds"],
          ["Tags: markets", "Sources:", "3 Comments", "joetoronto says:", "Great story.", "maryk says:", "Agreed."],
          ["Home", "Share this article", "Read more", "Newsletter", "Short line", "Leave a comment"],
          ["joetoronto says:", PROSE[1], "maryk says:", PROSE[0]],
          *([PROSE[0], _NEAR_LINE.ljust(size, "s"), "Home", "Short line", PROSE[1]] for size in (99, 100, 101))]
BLOCK = st.one_of(st.sampled_from(BLOCKS), st.lists(ANY_LINE, min_size=1, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=12))
def test_context_and_regions_of_structured_lines_are_the_references(blocks):
    lines = [line for block in blocks for line in block]
    fast_good, slow_good, fast_regions, slow_regions = _passes(lines)
    assert fast_good == slow_good
    assert fast_regions == slow_regions


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 1023), max_size=40))
def test_the_lines_holding_a_fact_are_found_among_the_marked_ones(facts):
    marked = text_module._marked(facts)
    assert marked == [i for i, fact in enumerate(facts) if fact & text_module._MARKS]
    for bit in range(10):
        fact = 1 << bit
        if fact & text_module._MARKS:
            assert text_module._holding(facts, marked, fact) == [i for i, value in enumerate(facts) if value & fact]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ANY_LINE, st.sampled_from(["中文新闻标题在这里", "a b", "x"])), max_size=12), st.data())
def test_enough_words_counted_until_there_are_is_the_sum_of_all(lines, data):
    keep = data.draw(st.lists(st.integers(0, max(len(lines) - 1, 0)), max_size=len(lines))) if lines else []
    obvious = sum(text_module._words(lines[index]) for index in keep) >= text_module._LEFT_WORDS
    assert text_module._enough_words(lines, keep) == obvious


@settings(max_examples=200, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=12))
def test_body_lines_of_structured_lines_are_the_references(blocks):
    lines = [line for block in blocks for line in block]
    text_module.forget_lines()
    assert text_module._body_indexes(lines, text_module._line_facts(lines)) == _reference.body_indexes(lines)
