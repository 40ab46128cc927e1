"""HTML cleaning: how the two trafilatura passes are merged, what is left out after them, on real pages."""

from __future__ import annotations

import gzip
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Document, clean
from dedup.clean.html import _embeds_lifted, _extract, _merge, _without_end_matter, _without_link_blocks
from dedup.clean.text import split_lines

PAGES = Path(__file__).parent / "fixtures" / "pages"  # the shared fixture pages (test_clean.py)
HTML_PAGES = Path(__file__).parent / "fixtures" / "html_pages"
# scrapinghub pages (MIT, see fixtures/html_pages/LICENSE), scripts and styles stripped (the cleaner's output is the
# same); apart from fixtures/pages, whose set other tests count
URLS = {
    "nj-meth-tweets": "https://www.nj.com/entertainment/2019/11/florida-man-exists-south-dakota-hold-my-beer-meth-were-"
                      "on-it.html",
    "cbssports-rudolph": "https://www.cbssports.com/nfl/news/browns-player-on-mason-rudolphs-role-in-fight-with-myles-"
                         "garrett-he-asked-for-it/",
    "thehill-omar-threat": "https://thehill.com/blogs/blog-briefing-room/news/471031-new-york-man-pleads-guilty-to-"
                           "threatening-to-kill-omar",
    "space-europa": "https://www.space.com/jupiter-moon-europa-water-vapor-confirmed.html",
}


def _page(name: str) -> tuple[str, str]:
    html = gzip.decompress((HTML_PAGES / f"{name}.html.gz").read_bytes()).decode("utf-8")
    return html, (HTML_PAGES / f"{name}.gold.txt").read_text(encoding="utf-8")


def _scores(text: str, gold: str) -> tuple[float, float]:
    """Bag-of-words precision and recall, as benchmarks/clean_quality.py scores them."""
    candidate, truth = (Counter(re.findall(r"\w+", t.casefold())) for t in (text, gold))
    overlap = sum((candidate & truth).values())
    return overlap / sum(candidate.values()), overlap / sum(truth.values())


def _clean(name: str):
    html, gold = _page(name)
    article = clean(Document(id=name, html=html, url=URLS[name]))
    assert article.error is None
    return article, gold


# --- the merge of the precision and recall passes ----------------------------------------------------------------

def test_a_paragraph_precision_mode_cut_link_text_out_of_is_replaced_by_the_whole_one():
    precise = ["First paragraph of the story.", "The league has reported that for his role in the fight.", "End."]
    wide = ["First paragraph of the story.", "The league has reported that the NFL will fine Rudolph for his role "
            "in the fight.", "End."]
    assert _merge(precise, wide) == wide


def test_prose_and_subheadings_found_between_two_precise_paragraphs_are_put_in_and_the_edges_are_not():
    lead = "Sign up for our newsletter to get the news you need every morning in your inbox today."
    middle = "A paragraph that precision mode dropped because a link in it made it look like a menu to it."
    precise = ["The first paragraph of the story, long enough to read as prose to anyone.", "The second paragraph."]
    wide = [lead, precise[0], "Netgear Nighthawk Router for $67.77", middle, "Photo: AP", precise[1], lead]
    assert _merge(precise, wide) == [precise[0], "Netgear Nighthawk Router for $67.77", middle, precise[1]]


def test_precise_paragraphs_the_wide_pass_lacks_stay_in_place():
    precise = ["Only precise at the start.", "Both have this.", "Only precise in the middle.", "Both have this too."]
    wide = ["Both have this.", "Both have this too.", "Trailing chrome of the wide pass."]
    assert _merge(precise, wide) == precise


def test_merging_thousands_of_paragraphs_that_do_not_match_takes_linear_time():
    precise = [f"precise paragraph {index} with words of its own" for index in range(4000)]
    wide = [f"wide paragraph {index} with words of its own and a few more" for index in range(4000)]
    started = time.process_time()
    assert _merge(precise, wide) == precise
    assert time.process_time() - started < 2.0  # about 0.1 s; every pair compared (before) took over 10 s


_WORDS = st.lists(st.sampled_from("the a fight league said on Monday NFL . , Rudolph helmet".split()), min_size=1,
                  max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=8), st.lists(_WORDS, max_size=8), st.randoms(use_true_random=False))
def test_the_merge_never_drops_text_the_precision_pass_had(precise, extra, rng):
    wide = list(precise)
    for paragraph in extra:  # the wide pass finds more paragraphs, and more words inside some
        wide.insert(rng.randrange(len(wide) + 1), paragraph)
    wide = [f"{p} {rng.choice(extra or ['x'])}" if rng.random() < 0.3 else p for p in wide]
    merged = _merge(precise, wide)
    for paragraph in precise:
        assert any(p == paragraph or _in_order(paragraph.split(), p.split()) for p in merged)
    assert len(merged) <= len(precise) + len(wide)


def _in_order(words: list[str], within: list[str]) -> bool:
    rest = iter(within)
    return all(word in rest for word in words)


# --- what is left out after the merge ----------------------------------------------------------------------------

def test_prompts_closing_the_page_and_their_heading_are_left_out():
    story = ["The story starts here and goes on for a while, as stories do.", "It ends here."]
    tail = ["Pick Six Newsletter", "Get the day's big stories delivered to your inbox.", "SOURCE: Al Jazeera News",
            "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube."]
    assert _without_end_matter(story + tail) == story


def test_a_newsletter_heading_closing_the_page_goes_with_the_lines_under_it():
    story = ["The story starts here and goes on for a while, as stories do.", "It ends here."]
    tail = ["Pick Six Newsletter", "Get the day's big stories + fun stuff you love like mock drafts and picks."]
    assert _without_end_matter(story + tail) == story


def test_a_quotation_closing_the_story_is_kept_even_when_it_speaks_of_subscriptions():
    story = ["The story starts here.", "“What kind of products are going to be left that readers feel are worth a "
             "digital subscription?” he asks. “Not the ones you see now.”"]
    assert _without_end_matter(story) == story


def test_a_list_closing_the_story_is_kept_even_when_it_says_sign_up():
    steps = ["Here is how to sign up for the bundle:", "- Sign up for a Hulu ad-free account for $11.99 a month",
             "- Sign up for the Disney+ bundle using the same email as your Hulu account"]
    assert _without_end_matter(steps) == steps


def test_a_prompt_inside_the_story_is_kept():
    story = ["Subscribers to the newsletter were told you can keep your plan.", "The story goes on after it."]
    assert _without_end_matter(story) == story


def test_blocks_of_links_to_other_stories_are_left_out():
    story = ["Police said the demonstrators had no option but to surrender.",
             "Related: Possible Water Plumes on Europa: The Discovery in Images",
             "DON'T MISS", "China furious at Macron for Hong Kong protest jibe [INSIGHT]",
             "Lakers vs Nets: NBA make final decision on game amid China turmoil [VIDEO]",
             "Protesters believe the extradition bill is an example of eroding autonomy."]
    assert _without_link_blocks(story) == [story[0], story[-1]]


def test_a_related_sentence_of_the_story_is_kept():
    story = ["Related: the two cases were heard by the same judge.", "Also, the court said it would rule soon."]
    assert _without_link_blocks(story) == story


# --- real pages ----------------------------------------------------------------------------------------------------

def test_link_text_that_precision_mode_cut_is_back_once():
    article, gold = _clean("cbssports-rudolph")
    assert article.text.count("has reported that the NFL will fine Rudolph for his role in the fight") == 1
    assert "reported that for his role" not in article.text
    precision, recall = _scores(article.text, gold)
    assert recall == 1.0 and precision >= 0.93  # 0.74 when both versions of the paragraph were kept


def test_hover_cards_inside_a_sentence_are_not_text():
    article, gold = _clean("thehill-omar-threat")
    assert "Hillicon Valley" not in article.text
    assert "threatened to kill Rep. Ilhan Omar (D-Minn.)" in article.text
    assert min(_scores(article.text, gold)) >= 0.98


def test_tweets_embedded_in_a_story_are_kept_whatever_their_wrapper_is_called():
    article, gold = _clean("nj-meth-tweets")
    assert "Yes this is real and yes the state spent nearly half a million dollars on it" in article.text
    assert min(_scores(article.text, gold)) >= 0.98  # recall 0.73 when the wrappers' class lost the tweets


def test_related_links_and_the_author_note_are_left_out_of_a_story():
    article, gold = _clean("space-europa")
    assert "Related:" not in article.text and "Follow him on Twitter" not in article.text
    assert article.text.rstrip().endswith("if they just get really lucky.")
    assert min(_scores(article.text, gold)) >= 0.99


def test_an_embedded_post_is_lifted_out_of_its_wrapper_and_nothing_else_moves():
    html = ('<html><body><article><p>Before.</p><div class="social-media-embed"><blockquote class="twitter-tweet">'
            "<p>The tweet.</p></blockquote><script></script></div><p>After.</p></article></body></html>")
    lifted = _embeds_lifted(html)
    assert "social-media-embed" not in lifted and "twitter-tweet" not in lifted
    assert re.search(r"Before\..*<blockquote><p>The tweet\.</p></blockquote>.*After\.", lifted)
    page = "<html><body><p>No embed here.</p></body></html>"
    assert _embeds_lifted(page) is page


ALL_PAGES = sorted([*PAGES.glob("*.html.gz"), *HTML_PAGES.glob("*.html.gz")])


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda path: path.name)
def test_on_real_pages_the_merge_holds_every_paragraph_of_the_precision_pass(path):
    html = gzip.decompress(path.read_bytes()).decode("utf-8")
    precise, wide = (split_lines(str((_extract(html, None, precision=mode, metadata=False) or {}).get("text") or ""))
                     for mode in (True, False))
    merged = _merge(precise, wide)
    assert precise
    for paragraph in precise:
        assert any(p == paragraph or _in_order(paragraph.split(), p.split()) for p in merged)
