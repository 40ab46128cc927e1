from __future__ import annotations

import hashlib
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _reference as ref
from dedup import signatures
from dedup.errors import ConfigError
from dedup.minhash import EMPTY, datasketch_signatures, salts, signatures_from_shingles
from dedup.shingle import shingle

from .conftest import SAMPLES

words = st.sampled_from("the a wire story reuters said on monday minister talks sanctions oil price".split())
texts = st.lists(words, max_size=60).map(" ".join)


@given(st.lists(texts, min_size=1, max_size=5), st.sampled_from([8, 16, 64, 128]), st.integers(0, 2**32 - 1))
@settings(max_examples=100, deadline=None)
def test_one_permutation_signatures_match_the_reference(batch, num_perm, seed):
    result = signatures(batch, num_perm=num_perm, ngram=3, seed=seed)
    bin_salt, fill_salt = (int(value) for value in salts(seed))
    for index, text in enumerate(batch):
        expected = ref.one_permutation_signature(ref.shingle_hashes(text, 3), num_perm, bin_salt, fill_salt)
        assert result.matrix[index].tolist() == expected


def test_signature_of_a_document_does_not_depend_on_its_batch():
    texts = [f"story number {n} about the minister and the talks on oil prices in the gulf" for n in range(20)]
    together = signatures(texts, num_perm=64)
    for index in (0, 7, 19):
        alone = signatures([texts[index]], num_perm=64)
        assert np.array_equal(together.matrix[index], alone.matrix[0])


def test_identical_texts_have_identical_signatures_and_empty_text_stays_empty():
    result = signatures(["same words in the same order here", "same words in the same order here", ""])
    assert result.jaccard(0, 1) == 1.0
    assert (result.matrix[2] == EMPTY).all()
    assert result.sizes.tolist()[2] == 0


def test_estimated_jaccard_tracks_the_exact_value():
    rng = np.random.default_rng(7)
    vocabulary = [f"w{n}" for n in range(5000)]
    base = list(rng.choice(vocabulary, 600))
    for keep in (0.9, 0.6, 0.3):
        other = base[: int(len(base) * keep)] + list(rng.choice(vocabulary, int(len(base) * (1 - keep))))
        shingles = shingle([" ".join(base), " ".join(other)], ngram=5)
        a, b = set(shingles.of(0).tolist()), set(shingles.of(1).tolist())
        exact = len(a & b) / len(a | b)
        estimate = signatures_from_shingles(shingles, num_perm=512, ngram=5, seed=3).jaccard(0, 1)
        assert abs(estimate - exact) < 0.08, (keep, exact, estimate)


@pytest.mark.parametrize("scheme", ["legacy", "affine32"])
def test_datasketch_compatible_mode_is_bit_for_bit(scheme):
    datasketch = pytest.importorskip("datasketch")
    rng = np.random.default_rng(11)
    documents = [[f"shingle {rng.integers(0, 300)}".encode() for _ in range(rng.integers(0, 50))] for _ in range(12)]
    values = [[struct.unpack("<I", hashlib.sha1(item).digest()[:4])[0] for item in doc] for doc in documents]
    ours = datasketch_signatures(values, num_perm=128, seed=5, scheme=scheme)
    for row, doc in enumerate(documents):
        theirs = datasketch.MinHash(num_perm=128, seed=5, scheme=scheme)
        theirs.update_batch(doc)
        assert np.array_equal(ours[row], theirs.hashvalues)


def test_settings_are_validated():
    with pytest.raises(ConfigError):
        signatures(["x"], num_perm=3)
    with pytest.raises(ConfigError):
        signatures(["x"], ngram=0)
    with pytest.raises(ConfigError):
        signatures(["x"], seed=-1)


def test_signature_digest_of_the_samples_is_pinned():
    # A fixed seed gives fixed signatures: a change here means every stored signature changes.
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("00[014]_*.txt"))]
    result = signatures(texts, num_perm=128, ngram=5, seed=1)
    digest = hashlib.sha256(result.matrix.tobytes()).hexdigest()[:16]
    assert digest == PINNED_DIGEST


PINNED_DIGEST = "b6a49cbfb5f004ec"
