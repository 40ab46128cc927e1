from __future__ import annotations

import dataclasses

import dedup

PUBLIC = {
    "AddResult", "Index", "Match",  # the persistent index (issue 7)
    "Alignment", "Article", "Cluster", "Clustering", "ConfigError", "DedupError", "Document", "IncompatibleIndex",
    "InputError", "Member", "Settings", "Signatures", "Span", "__version__", "align", "clean", "cluster",
    "cluster_files", "load", "signatures",
}


def test_public_names_are_exactly_the_intended_ones():
    # Adding a public name is a decision: add it here too.
    assert set(dedup.__all__) == PUBLIC
    assert dedup.__all__ == sorted(dedup.__all__)
    for name in dedup.__all__:
        assert hasattr(dedup, name)


def test_results_are_frozen_dataclasses():
    for cls in (dedup.Document, dedup.Article, dedup.Cluster, dedup.Clustering, dedup.Member, dedup.Span,
                dedup.Alignment, dedup.Signatures, dedup.Settings):
        assert dataclasses.is_dataclass(cls)
        assert cls.__dataclass_params__.frozen


def test_errors_form_one_tree():
    assert issubclass(dedup.ConfigError, dedup.DedupError) and issubclass(dedup.ConfigError, ValueError)
    assert issubclass(dedup.InputError, dedup.DedupError)
    assert issubclass(dedup.IncompatibleIndex, dedup.DedupError)
