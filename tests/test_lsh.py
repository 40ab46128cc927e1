from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _reference as ref
from dedup.errors import ConfigError
from dedup.lsh import band_keys, candidate_pairs, optimal_params


@pytest.mark.parametrize("threshold", [0.2, 0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize("num_perm", [32, 128])
def test_bands_and_rows_are_the_ones_datasketch_chooses(threshold, num_perm):
    lsh = pytest.importorskip("datasketch.lsh")
    assert optimal_params(threshold, num_perm) == lsh._optimal_param(threshold, num_perm, 0.5, 0.5)


def test_threshold_out_of_range_is_a_config_error():
    with pytest.raises(ConfigError):
        optimal_params(1.5, 128)


@given(st.lists(st.lists(st.integers(0, 6), min_size=4, max_size=4), min_size=0, max_size=40))
@settings(max_examples=200, deadline=None)
def test_candidate_pairs_match_the_bucket_reference(rows):
    keys = np.array(rows, dtype=np.uint64).reshape(len(rows), 4)
    # different bands must not collide: offset each band's keys
    keys = keys + (np.arange(4, dtype=np.uint64) * np.uint64(1000))
    found = {tuple(pair) for pair in candidate_pairs(keys, max_bucket=1000).tolist()}
    assert found == ref.candidate_pairs(keys.tolist())


def test_a_huge_bucket_stays_linear_and_connected():
    keys = np.zeros((5000, 2), dtype=np.uint64)
    keys[:, 1] = np.arange(5000, dtype=np.uint64) + 10_000
    pairs = candidate_pairs(keys, max_bucket=64)
    assert len(pairs) < 3 * 5000
    labels = ref.components(5000, [tuple(pair) for pair in pairs.tolist()])
    assert set(labels) == {0}


def test_band_keys_equal_only_where_the_band_is_equal():
    matrix = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 2, 3, 4]], dtype=np.uint32)
    keys = band_keys(matrix, 2, 2)
    assert keys[0, 0] == keys[1, 0] and keys[0, 1] != keys[1, 1]
    assert keys[0, 1] == keys[2, 1] and keys[0, 0] != keys[2, 0]
    assert keys[0, 0] != keys[0, 1]
