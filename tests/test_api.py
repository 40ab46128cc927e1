from __future__ import annotations

import dataclasses

import dedup

PUBLIC = {
    "AddResult", "Index", "Match",  # the persistent index (issue 7)
    "IndexBusy", "IndexCorrupt", "IndexFull",  # the index's failures (issue 14)
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


def test_options_and_settings_together_are_a_config_error():
    import pytest

    with pytest.raises(dedup.ConfigError, match="threshold"):
        dedup.cluster(["a text"], threshold=0.3, settings=dedup.Settings())
    assert dedup.cluster(["a text"], threshold=0.3).settings.threshold == 0.3
    assert dedup.cluster(["a text"], containment=None).settings.containment is None
    assert dedup.cluster(["a text"], settings=dedup.Settings(ngram=3)).settings.ngram == 3


def test_clean_takes_a_string_like_cluster_does():
    text = "The minister said on Tuesday that the talks would resume next week in Geneva, officials confirmed."
    article = dedup.clean(text)
    assert article.error is None and article.text == text


def test_clustering_looks_up_by_id_and_gives_records(tmp_path):
    import pytest

    from .conftest import SAMPLES

    result = dedup.cluster_files(SAMPLES)
    ids = [article.id for article in result.articles]
    for doc, label in zip(ids, result.labels, strict=True):
        assert result.cluster_of(doc) == result.clusters[label]
        assert result.article(doc).id == doc
    with pytest.raises(KeyError):
        result.cluster_of("no such article")
    records = result.records()
    assert [record["doc"] for record in records] == ids
    assert [record["cluster"] for record in records] == list(result.labels)
    pandas = pytest.importorskip("pandas")
    frame = result.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame["doc"]) == ids
