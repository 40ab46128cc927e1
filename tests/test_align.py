from __future__ import annotations

import pytest

from dedup import ConfigError, align, clean, load

from .conftest import SEED_000, SEED_001, SEED_004


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
