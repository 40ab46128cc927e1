"""The plain-text cleaner's fast path (literal screens, per-line results remembered across documents) gives what
the slow reference gives: every pattern on every line, nothing remembered (``dedup._reference``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _reference
from dedup.clean import text as text_module
from dedup.clean.text import chrome_evidence, clean_paragraphs, forget_lines, split_lines

FIXTURES = Path(__file__).parent / "fixtures"
DUMPS = [path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "pages").glob("*.dump.txt"))
         + sorted((FIXTURES / "dumps").glob("*.txt"))]
SEMEVAL = [json.loads(line)["text"] for line in
           (FIXTURES / "clean_shapes" / "semeval_en.jsonl").read_text(encoding="utf-8").splitlines()]
POOL = sorted({line for text in DUMPS + SEMEVAL for line in split_lines(text)})
# Letters that IGNORECASE matches to an ASCII or Cyrillic letter although str.lower does not give it.
TRICKY = ["ı", "İ", "ſ", "K", "\u0307", "\u1c80", "\u1c83", "’", "|", "(", "©", "'", "订閱", "相關"]


def test_every_fixture_dump_is_cleaned_as_the_reference_cleans_it():
    forget_lines()
    for text in DUMPS:
        assert clean_paragraphs(text) == _reference.clean_paragraphs(text)


def test_remembered_lines_change_nothing():
    forget_lines()
    cold = [clean_paragraphs(text) for text in DUMPS]
    warm = [clean_paragraphs(text) for text in reversed(DUMPS)]
    assert cold == warm[::-1]


def _mutate(line: str, how: int, tricky: str) -> str:
    if how == 1:
        return line.upper()
    if how == 2:
        return line.lower()
    if how == 3:
        return line.title()
    if how == 4:
        middle = len(line) // 2
        return line[:middle] + tricky + line[middle:]
    if how == 5:
        return tricky + line
    return line


LINES = st.tuples(st.sampled_from(POOL), st.integers(0, 8), st.sampled_from(TRICKY)).map(lambda t: _mutate(*t))


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=60))
def test_random_dumps_from_real_lines_are_cleaned_as_the_reference_cleans_them(lines):
    text = "\n".join(lines)
    assert clean_paragraphs(text) == _reference.clean_paragraphs(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINES, min_size=5, max_size=40), st.lists(st.sampled_from(SEMEVAL[:20]), min_size=1, max_size=3))
def test_a_line_seen_in_a_document_of_another_language_is_classed_anew(chrome, stories):
    """The same chrome around stories in several languages: a line's class is remembered per language."""
    german = "Die Regierung hat am Mittwoch ein neues Paket beschlossen, das nach Angaben des Ministers die " \
             "Emissionen bis zum Jahr 2030 deutlich senken soll und von den Ländern mitgetragen wird."
    for body in (*stories, german + "\n" + german.replace("Mittwoch", "Donnerstag")):
        text = "\n".join([*chrome[:3], body, *chrome[3:]])
        assert clean_paragraphs(text) == _reference.clean_paragraphs(text)


def test_letters_that_only_ignorecase_equates_pass_the_screen():
    """"Prıvacy polıcy" and "ſubscribe" match the patterns (IGNORECASE); the literal screen must let them by."""
    forget_lines()
    for old, new in (("i", "ı"), ("s", "ſ"), ("I", "İ")):
        for text in DUMPS[:6]:
            odd = "\n".join(line.replace(old, new) if len(line) < 120 else line for line in text.splitlines())
            assert clean_paragraphs(odd) == _reference.clean_paragraphs(odd)


WORDISH = st.lists(st.sampled_from(list("ab zXYI'’-.,“”—–…•éüßş1_\xa0ıİ\u0307\u0301дé中") + ["the", "don't", "it’s",
                                                                                             "und"])).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(WORDISH, st.text()), st.sampled_from(["English", "German", ""]))
def test_word_counts_are_those_of_the_word_pattern(line, language):
    from dedup.clean.text import _WORD, _stoplist, _word_counts

    words = _WORD.findall(line.lower())
    stop = _stoplist(language) if language else frozenset()
    assert _word_counts(line, language) == (len(words), sum(1 for word in words if word in stop))


def test_a_list_of_tour_dates_that_ends_the_body_is_the_articles_and_the_reference_agrees():
    body = ("The band said on Monday that it would tour again next summer for the first time in a decade, with a "
            "new line-up and a new album, and that tickets would go on sale this Friday.")
    dates = ["June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre", "June 10 – Tampa, FL @ MIDFLORIDA Amphitheatre",
             "June 14 – Alpharetta, GA @ Ameris Bank Amphitheatre", "June 17 – Nashville, TN @ Bridgestone Arena"]
    chrome = ["Home", "Music", "News", "Share this", "Follow us", "Subscribe"]
    text = "\n".join([*chrome, body, body.replace("band", "group"), "Tour dates", *dates, "Most Read", "Privacy"])
    forget_lines()
    paragraphs = clean_paragraphs(text)[0]
    assert paragraphs == _reference.clean_paragraphs(text)[0]
    assert all(date in paragraphs for date in dates) and "Most Read" not in paragraphs


def test_a_short_footer_line_ends_the_article_before_its_list_of_sources():
    text = (FIXTURES / "clean_shapes" / "politifact_sources.dump.txt").read_text(encoding="utf-8")
    forget_lines()
    paragraphs = clean_paragraphs(text)[0]
    assert paragraphs == _reference.clean_paragraphs(text)[0]
    assert paragraphs[-1].startswith('And U.S. imports of "intermediate goods" from China')
    assert not [p for p in paragraphs if p.startswith(("About this article", "Sources:", "PolitiFact,", "Email "))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(POOL), LINES, st.text(min_size=1)), min_size=1, max_size=80))
def test_literals_found_with_numpy_are_those_str_find_finds(lines):
    from dedup.clean.literals import Literals, by_find, by_windows, by_windows_each
    from dedup.clean.text import _LIST_WORDS, _SCREEN_LITERALS, _folded

    text = _folded("\n".join(line.replace("\n", " ") for line in lines))
    for words in (_SCREEN_LITERALS, _LIST_WORDS):
        assert by_windows(text, Literals.of(words)) == by_find(text, words)
    both = (Literals.of(_SCREEN_LITERALS), Literals.of(_LIST_WORDS))
    assert by_windows_each(text, both) == [by_find(text, _SCREEN_LITERALS), by_find(text, _LIST_WORDS)]


@pytest.mark.parametrize("line", [
    "A reference habitation module for a crewed Mars mission compared to its hibernation-based equivalent. Credit: ESA",
    "Officials were seen in Mongolia attempting to control the spread of the plagueCredit: The Siberian Times",
    "Politics (15)", "Related: The 15 Weirdest Galaxies in Our Universe", "Most Read Most Shared", "Explore further",
    "Image copyright Getty Images", "Image caption Scooter Braun has managed Justin Bieber", "Alex Wong | Getty Images",
    "Continue Reading Below", "About this article", "Sources:", "Topics", "Courtesy of Andrew Vaughan", "Read Later",
    "New York Islanders' Brock Nelson puts the game-winning goal behind the goaltender. (AP Photo/Gene J. Puskar) less",
    "Comments are subject to our community guidelines, which can be viewed here.",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
])
def test_chrome_found_on_the_even_scrapinghub_pages_is_evidence(line):
    assert chrome_evidence([line]) == [0]


@pytest.mark.parametrize("line", [
    "No spam, we promise. You can unsubscribe at any time and we'll never share your details without your permission.",
    "Have a tip? Amy Kuperinsky may be reached at akuperinsky@example.com.",
])
def test_prompts_that_read_as_sentences_are_chrome_inside_a_page_dump_only(line):
    from dedup.clean.text import _classed_chrome

    assert chrome_evidence([line]) == [] and _classed_chrome(line, len(line))


@pytest.mark.parametrize("line", [
    "Trade credit: 1.2 billion dlrs vs 900 mln dlrs a year earlier.",
    "It was one of the best nights of the year, the coach said, and the fans wanted more",
    "The company said its Politics unit (15 staff) would move to London next year.",
    "Sources said the talks would resume on Monday after a week-long break in Geneva.",
])
def test_wire_prose_near_those_patterns_is_not_evidence(line):
    assert chrome_evidence([line]) == []


@pytest.mark.parametrize("line", [
    "Vicente Aguiar loads garage door trims into his pickup truck in Hialeah, Fla. (AP Photo/Alan Diaz, File)",
    "SEE MORE: Hong Kong protests: 800 students under siege in university", "Also: See Black Friday coverage at CNET",
    "Related coverage from How to Do Everything: Money:",
])
def test_captions_and_teaser_links_are_chrome(line):
    from dedup.clean.text import _classed_chrome

    assert _classed_chrome(line, len(line))


@pytest.mark.parametrize("line", ["Bluesky'da paylaş", "阅讀更多", "注冊", "Politics (15)", "PRİVACY POLİCY"])
def test_evidence_the_screen_might_miss_is_found_as_the_reference_finds_it(line):
    assert chrome_evidence([line]) == _reference.chrome_evidence([line]) == [0]


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=30))
def test_evidence_is_the_references_on_mutated_real_lines(lines):
    lines = split_lines("\n".join(lines))
    assert chrome_evidence(lines) == _reference.chrome_evidence(lines)


def test_an_address_with_two_numbers_is_a_row_of_figures_on_both_paths():
    # found by the random-dump test: "Road, Suite" between the numbers slipped past the fast path's screen
    text = "420 Waiakamilo Road, Suite 205\n\"And I asked, well, on whose authority?\" said Hill, who will testify."
    assert clean_paragraphs(text) == _reference.clean_paragraphs(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789,.:/ aR-", max_size=24))
def test_the_row_screen_lets_through_every_line_with_two_numbers(line):
    assert bool(text_module._TWO_NUMBERS.search(line)) == (len(text_module._NUMBER.findall(line)) >= 2)


# --- paragraphs rebuilt: ``clean.paragraphs`` against ``_reference.rebuild_paragraphs`` --------------------------

def _wire_stories() -> list[str]:
    from benchmarks.clean_quality import reuters_stories

    raw = (FIXTURES / "clean_shapes" / "reuters21578.sgm").read_bytes().decode("latin-1")
    return reuters_stories(raw)


WIRE = _wire_stories()
GOLD = [page["articleBody"] for page in
        json.loads((FIXTURES / "clean_shapes" / "scrapinghub_gold.json").read_text(encoding="utf-8")).values()]


def test_paragraphs_of_every_fixture_text_are_the_references():
    from dedup.clean.paragraphs import rebuild_paragraphs

    for text in WIRE + GOLD + DUMPS + SEMEVAL:
        assert rebuild_paragraphs(text) == _reference.rebuild_paragraphs(text)


# Lines of wrapped wire copy, mutated the ways that decide a join: indents, blank lines, capitals, bullets,
# hyphens, links, control characters, odd whitespace.
WIRE_LINES = sorted({line for story in WIRE for line in story.splitlines()})
EDITS = ["", "  ", "    ", "\t", "- ", "* ", "1. ", "a) ", "http://x.y ", "\x03", "\x1f", "\u2028", "\xa0", "-",
         "ıİ", "\r"]


def _edit_line(line: str, how: int, edit: str) -> str:
    if how == 1:
        return edit + line
    if how == 2:
        return line + edit
    if how == 3:
        return line.upper()
    if how == 4:
        return line.lower()
    if how == 5:
        return ""
    return line


WRAPPED = st.tuples(st.sampled_from(WIRE_LINES), st.integers(0, 9), st.sampled_from(EDITS)).map(
    lambda edit: _edit_line(*edit))


@settings(max_examples=300, deadline=None)
@given(st.lists(WRAPPED, min_size=1, max_size=40), st.sampled_from(["\n", "\r\n"]))
def test_paragraphs_of_mutated_wire_copy_are_the_references(lines, newline):
    from dedup.clean.paragraphs import rebuild_paragraphs

    text = newline.join(lines)
    assert rebuild_paragraphs(text) == _reference.rebuild_paragraphs(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_paragraphs_of_any_text_are_the_references(text):
    from dedup.clean.paragraphs import rebuild_paragraphs

    assert rebuild_paragraphs(text) == _reference.rebuild_paragraphs(text)


# --- literal screens: ``literals.any_of`` against ``any(word in text ...)`` ---------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab|(ı中", min_size=1, max_size=5), max_size=8),
       st.text(alphabet="ab|( ıi中", max_size=30))
def test_any_of_finds_a_word_exactly_when_the_text_holds_one(words, text):
    from dedup.clean.literals import any_of

    assert (any_of(words).search(text) is not None) == any(word in text for word in words)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(POOL), LINES), min_size=1, max_size=20))
def test_the_screens_of_the_cleaner_find_what_str_find_finds(lines):
    from dedup.clean import text
    from dedup.clean.literals import any_of

    screens = (text._SCREEN_LITERALS, text._INTL_SCREEN, text._PHRASE_LITERALS, text._WALL_MARKERS,
               text._CREDIT_WORDS)
    for line in lines:
        lowered = text._folded(line)
        for words in screens:
            assert (any_of(words).search(lowered) is not None) == any(word in lowered for word in words)


# --- patterns matched lower-cased without IGNORECASE on ASCII lines ------------------------------------------------

def test_patterns_matched_lower_cased_are_written_in_lower_case():
    import re

    from dedup.clean import text

    for pattern in (text._CHROME, text._CHROME_PHRASE):
        assert pattern.flags & re.IGNORECASE and "(?-i" not in pattern.pattern
        assert not re.search(r"[A-Z]", re.sub(r"\\[A-Za-z]", "", pattern.pattern))


ASCII_LINES = st.one_of(st.sampled_from([line for line in POOL if line.isascii()]),
                        LINES.filter(str.isascii), st.text(alphabet=st.characters(max_codepoint=127)))


@settings(max_examples=400, deadline=None)
@given(ASCII_LINES, st.sampled_from([str.upper, str.lower, str.title, str]))
def test_an_ascii_line_lower_cased_matches_as_ignorecase_matches_it(line, case):
    from dedup.clean import text

    line = case(line)
    for pattern, lower in ((text._CHROME, text._CHROME_LOWER), (text._CHROME_PHRASE, text._PHRASE_LOWER)):
        assert bool(pattern.match(line)) == bool(lower.match(line.lower()))
        assert bool(pattern.search(line)) == bool(lower.search(line.lower()))
    assert text._chrome_phrase(line) == bool(text._CHROME_PHRASE.search(line))  # the screen drops no match
    assert text._chrome_line(line) == bool(text._CHROME.match(line) or text._CHROME_ANYWHERE.match(line))


@pytest.mark.parametrize("line", ["Well deliver the best stories to you", "WELL SEND YOU THE NEWS", "well send it"])
def test_we_will_without_the_apostrophe_is_screened_as_the_reference_reads_it(line):
    assert chrome_evidence([line]) == _reference.chrome_evidence([line]) == [0]
