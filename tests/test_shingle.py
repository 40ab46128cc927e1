from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Article, cluster
from dedup import _reference as ref
from dedup.shingle import (
    CHARS_PER_WORD,
    chars_per_shingle,
    normalize_word,
    shingle,
    token_hashes,
    token_offsets,
    token_spans,
)

from .conftest import ROOT

texts = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ 019,.-'\n\t") + ["é", "ß", "’", "“", "”", "—", "\u00a0", "日", "本", "İ", "😀"]
    ),
    max_size=80,
)


@given(st.lists(texts, max_size=6), st.integers(min_value=1, max_value=6))
@settings(max_examples=200, deadline=None)
def test_shingles_match_the_reference(batch, ngram):
    result = shingle(batch, ngram=ngram)
    assert len(result) == len(batch)
    for index, text in enumerate(batch):
        assert result.of(index).tolist() == ref.shingle_hashes(text, ngram)


@given(st.lists(texts, min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_a_text_hashes_the_same_alone_and_in_a_batch(batch):
    together = shingle(batch, ngram=3)
    for index, text in enumerate(batch):
        assert together.of(index).tolist() == shingle([text], ngram=3).of(0).tolist()


def test_token_spans_cover_the_tokens_hashing_sees():
    text = "Russia’s “peacekeeping” force — 24-02-2022, naïve café"
    spans = token_spans(text)
    assert [text[start:end].lower() for start, end in spans] == ref.tokens(text)


def test_spelling_case_and_quotes_do_not_change_hashes():
    hashes, offsets = token_hashes(["Recognise the ‘colour’ of the Centre", 'recognize the "color" of the center'])
    assert hashes[offsets[0]:offsets[1]].tolist() == hashes[offsets[1]:offsets[2]].tolist()
    assert normalize_word("Recognised") == "recognized"


def test_empty_and_short_texts():
    result = shingle(["", "one two", "   ", "a b c d e f"], ngram=5)
    assert result.counts().tolist() == [0, 1, 0, 2]


def test_token_hashes_of_every_length_match_the_reference():
    # Tokens are read 8 bytes at a time: cover lengths across several 8-byte boundaries, ASCII and not.
    words = ["x" * n for n in range(1, 41)] + ["é" * n for n in range(1, 21)] + ["ab日本" * n for n in range(1, 6)]
    for batch in (words, [" ".join(words)], ["naïve " + " ".join(words[:10]), "plain ascii words only"]):
        hashes, offsets = token_hashes(batch)
        for index, text in enumerate(batch):
            expected = [ref.token_hash(ref._SPELLING.get(token, token)) for token in ref.tokens(text)]
            assert hashes[offsets[index]:offsets[index + 1]].tolist() == expected


# --- every script ------------------------------------------------------------------------------------------------

MIXED = (list("abcXYZ 019,.-'\n") + list("привет") + list("مرحبا،؟") + list("中国日本々國銀們") + list("かなカナ")
         + list("한국어") + list("ภาษาไทย") + list("。、「」，：（）") + list("０Ａｂ，　")
         + ["ｶ", "ﾞ", "ﬁ", "ﻻ", "’", "—", "é"])
mixed_texts = st.text(alphabet=st.sampled_from(MIXED), max_size=80)
FIXTURES = Path(__file__).parent / "fixtures" / "languages" / "articles.json"


@given(st.lists(mixed_texts, max_size=6), st.integers(min_value=1, max_value=6))
@settings(max_examples=300, deadline=None)
def test_shingles_of_mixed_scripts_match_the_reference(batch, ngram):
    result = shingle(batch, ngram=ngram)
    for index, text in enumerate(batch):
        assert result.of(index).tolist() == ref.shingle_hashes(text, ngram)


@given(st.lists(mixed_texts, min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_token_hashes_of_mixed_scripts_match_the_reference(batch):
    hashes, offsets = token_hashes(batch)
    for index, text in enumerate(batch):
        expected = [ref.token_hash(ref._SPELLING.get(token, token)) for token in ref.tokens(text)]
        assert hashes[offsets[index]:offsets[index + 1]].tolist() == expected


@given(st.text(alphabet=st.sampled_from([c for c in MIXED if c not in "ﾞﬁﻻ"]), max_size=80))
@settings(max_examples=200, deadline=None)
def test_token_offsets_find_the_tokens_shingling_hashes(text):
    # compatibility forms that fold to one character each: the spans on the raw text are the hashed tokens
    starts, ends, unspaced = token_offsets(text)
    words = [normalize_word(text[start:end]) for start, end in zip(starts, ends, strict=True)]
    assert list(zip(words, unspaced.tolist(), strict=True)) == [
        (ref._SPELLING.get(token, token), kind) for token, kind in ref.token_kinds(text)]


@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=60), max_size=4), st.integers(1, 6))
@settings(max_examples=200, deadline=None)
def test_shingles_of_any_unicode_match_the_reference(batch, ngram):
    result = shingle(batch, ngram=ngram)
    for index, text in enumerate(batch):
        assert result.of(index).tolist() == ref.shingle_hashes(text, ngram)


def test_han_kana_and_thai_characters_are_tokens_and_punctuation_is_not():
    assert ref.tokens("中国，日本。Tokyo 2020年「かな」") == ["中", "国", "日", "本", "tokyo", "2020", "年", "か", "な"]
    text = "中国，日本。Tokyo 2020年"
    assert [text[s:e] for s, e in token_spans(text)] == ["中", "国", "日", "本", "Tokyo", "2020", "年"]
    assert ref.tokens("ภาษา") == ["ภ", "า", "ษ", "า"]
    assert ref.tokens("한국어 뉴스") == ["한국어", "뉴스"]  # Hangul has spaces: words
    assert ref.tokens("قال، إن") == ["قال", "إن"]  # the Arabic comma is punctuation


def test_full_width_and_half_width_forms_hash_alike():
    wide = shingle(["ＡＢＣ　１２３，中国日本的新闻（ｶﾀｶﾅ）"], ngram=2)
    narrow = shingle(["abc 123,中国日本的新闻(カタカナ)"], ngram=2)
    assert wide.hashes.tolist() == narrow.hashes.tolist()


def test_traditional_characters_hash_as_simplified():
    simplified = "中国人民银行在其网站上表示，将从1月6日起下调存款准备金率。"
    traditional = "中國人民銀行在其網站上表示，將從1月6日起下調存款準備金率。"
    assert shingle([traditional]).hashes.tolist() == shingle([simplified]).hashes.tolist()
    assert normalize_word("銀") == "银" and ref.tokens(traditional) == ref.tokens(simplified)


def test_a_shingle_of_unspaced_text_is_chars_per_shingle_characters():
    chars = chars_per_shingle(5)
    assert chars == round(5 * CHARS_PER_WORD)
    text = "中华人民共和国国务院新闻办公室今天举行发布会"
    assert len(shingle([text], ngram=5).of(0)) == len(text) - chars + 1
    assert len(shingle([text[:chars - 1]], ngram=5).of(0)) == 1  # shorter than a shingle: one of all of it


def test_english_shingles_are_as_before():
    # the digest of the English samples and gold texts with the tokeniser before unspaced scripts were tokenised
    paths = sorted((ROOT / "data" / "samples").glob("*.txt")) + sorted(
        path for path in (ROOT / "tests" / "fixtures" / "pages").glob("*.gold.txt")
        if not any(code in path.name for code in ("-ko", "-ru", "-de", "-pt", "-it")))
    result = shingle([path.read_text(encoding="utf-8") for path in paths], ngram=5)
    assert len(paths) == 13
    assert hashlib.sha256(result.hashes.tobytes() + result.offsets.tobytes()).hexdigest()[:16] == "6cf596a908d9174b"


def _articles() -> list[dict[str, str]]:
    return json.loads(FIXTURES.read_text(encoding="utf-8"))


DATELINES = {"zh": "新华社北京1月2日电 ", "ar": "القاهرة (رويترز) - ", "ru": "МОСКВА, 2 января — РИА Новости. ",
             "de": "Berlin (dpa) - ", "tr": "ANKARA (AA) - ", "pl": "Warszawa (PAP) - "}


def reprint(article: dict[str, str]) -> str:
    """The article with its last paragraph cut and a dateline on its first body paragraph."""
    paragraphs = article["text"].split("\n\n")[:-1]
    title, _, body = paragraphs[0].partition("\n")
    paragraphs[0] = f"{title}\n{DATELINES[article['lang']]}{body}" if body else DATELINES[article["lang"]] + title
    return "\n\n".join(paragraphs)


def _sets(*texts: str) -> list[set[int]]:
    result = shingle(list(texts), ngram=5)
    return [set(result.of(index).tolist()) for index in range(len(texts))]


def test_a_reprint_is_contained_in_its_original_in_every_script():
    for article in _articles():
        original, copy = _sets(article["text"], reprint(article))
        assert len(original & copy) / len(copy) >= 0.8, article["lang"]


def _chinese() -> tuple[dict[str, str], dict[str, str]]:
    """The Reuters story and the other agency's article on the same event."""
    by_side = {article["side"]: article for article in _articles() if article["lang"] == "zh"}
    return by_side["text2"], by_side["text1"]


def test_two_chinese_articles_on_one_event_share_few_shingles_and_a_reprint_most():
    story, other = _chinese()
    original, copy, negative = _sets(story["text"], reprint(story), other["text"])
    common = len(original & copy)
    assert common / len(copy) >= 0.9 and common / len(original | copy) >= 0.5
    assert len(original & negative) / len(original | negative) < 0.1  # names only: 阿尔法罗密欧, 库比卡
    texts = [story["text"], reprint(story), other["text"]]
    clustering = cluster([Article(id=str(index), text=text) for index, text in enumerate(texts)])
    assert clustering.labels[0] == clustering.labels[1] != clustering.labels[2]
