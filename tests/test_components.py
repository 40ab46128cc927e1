"""Clusters and their canonical member: the story's origin (issue 15)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dedup import cluster, load
from dedup.clean import Article
from dedup.clean.news import header_timestamp, precise_date, time_key
from dedup.components import canonical_key, connected_components, credits_wire
from dedup.verify import relate

SAMPLES = Path(__file__).parent.parent / "data" / "samples"


@pytest.fixture(scope="module")
def samples():
    docs = load(SAMPLES)
    return docs, cluster(docs)


def test_the_ani_wire_copy_is_the_canonical_member_of_its_cluster(samples) -> None:
    _docs, result = samples
    found = result.cluster_of("001_ce003f8fa7d848aa.txt")
    assert found is not None and found.canonical == "001_ce003f8fa7d848aa.txt"
    assert found.wire == ("ANI",)
    assert found.first_seen == "2022-02-24T03:37+05:30"
    members = {member.doc: member for member in found.members}
    assert set(members) == {"001_ce003f8fa7d848aa.txt", "002_northern_tribune_reprint.txt",
                            "003_global_desk_reprint.html"}
    assert members["001_ce003f8fa7d848aa.txt"].credits_wire and members["001_ce003f8fa7d848aa.txt"].canonical
    assert members["002_northern_tribune_reprint.txt"].credits_wire
    assert not members["003_global_desk_reprint.html"].credits_wire
    assert {members[doc].relationship for doc in members if doc != found.canonical} <= {"reprint", "contained"}


def test_the_reuters_story_never_joins_the_blinken_cluster(samples) -> None:
    _docs, result = samples
    reuters = result.cluster_of("004_0cdd86806f2c5362.txt")
    assert reuters is not None and len(reuters) == 1 and reuters.wire == ("Reuters",)
    assert result.cluster_of("000_6bbe357bb2cbdd54.txt") != result.cluster_of("001_ce003f8fa7d848aa.txt")


def test_seeds_000_and_001_quote_one_statement_they_are_partial(samples) -> None:
    _docs, result = samples
    texts = {article.id: article for article in result.articles}
    seed_000, seed_001 = texts["000_6bbe357bb2cbdd54.txt"], texts["001_ce003f8fa7d848aa.txt"]
    found = relate(seed_000, seed_001)
    assert not found.is_copy and found.relationship == "partial"
    assert relate(seed_001, seed_000) == found


def test_header_timestamps_are_read_with_their_zone() -> None:
    header = "ANI | Washington DC | Updated: 25-02-2022 10:00 IST | Created: 24-02-2022 03:37 IST"
    assert header_timestamp([header]) == "2022-02-24T03:37+05:30"  # created, not updated
    assert header_timestamp(["By Tribune Desk | February 24, 2022 09:12 AM IST"]) == "2022-02-24T09:12+05:30"
    assert header_timestamp(["Published: 2022-02-24 9:05 pm GMT"]) == "2022-02-24T21:05+00:00"
    assert header_timestamp(["Updated: 24-02-2022 03:37"]) is None  # no zone: its order is unknown
    assert header_timestamp(["Nothing to see here."]) is None


def test_precise_date_takes_a_time_of_the_same_day_only() -> None:
    assert precise_date("2022-02-24", "2022-02-24T03:37+05:30") == "2022-02-24T03:37+05:30"
    assert precise_date("2022-02-25", "2022-02-24T03:37+05:30") == "2022-02-25"
    assert precise_date(None, "2022-02-24T03:37+05:30") == "2022-02-24T03:37+05:30"
    assert precise_date("2022-02-24", None) == "2022-02-24"


def test_times_compare_as_instants_and_a_date_alone_sorts_after_its_times() -> None:
    india = time_key("2022-02-24T03:37+05:30")
    london = time_key("2022-02-24T00:30:00+00:00")
    assert india == (False, "2022-02-23", False, "22:07") and india < london
    assert time_key("2022-02-24T06:30:00Z") < time_key("2022-02-24") < time_key("2022-02-25T00:01+00:00")
    assert time_key(None) > time_key("1987-03-12")


def test_canonical_key_order_earliest_then_wire_then_largest_then_id() -> None:
    def article(doc: str, date: str | None, wire: str | None = None) -> Article:
        return Article(doc, "text", date=date, wire=wire)

    early = canonical_key(article("z", "2022-02-24T03:37+05:30"), 10)
    wired = canonical_key(article("y", "2022-02-24", "ANI"), 10)
    larger = canonical_key(article("x", "2022-02-24"), 500)
    first = canonical_key(article("a", "2022-02-24"), 10)
    later = canonical_key(article("b", "2022-02-24"), 10)
    undated = canonical_key(article("c", None, "Reuters"), 10_000)
    assert sorted([undated, later, first, larger, wired, early]) == [early, wired, larger, first, later, undated]


def test_credits_wire_wants_an_agency() -> None:
    assert credits_wire(Article("a", "t", wire="ANI"))
    assert not credits_wire(Article("a", "t", wire="syndicated feed"))
    assert not credits_wire(Article("a", "t"))


def test_connected_components_smallest_member_labels() -> None:
    edges = np.array([[3, 1], [1, 4], [0, 2]])
    assert connected_components(6, edges).tolist() == [0, 1, 0, 1, 1, 5]
