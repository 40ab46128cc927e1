from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _reference as ref
from dedup.shingle import normalize_word, shingle, token_hashes, token_spans

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
