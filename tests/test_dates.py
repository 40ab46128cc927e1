from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.dates import ZONES, parse_date

UTC = timezone.utc


def _at(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


@pytest.mark.parametrize(("text", "expected"), [
    ("2020-01-05", datetime(2020, 1, 5, tzinfo=UTC)),
    ("2020-01-05T10:30:00Z", datetime(2020, 1, 5, 10, 30, tzinfo=UTC)),
    ("2020-01-05T10:30:00+05:30", datetime(2020, 1, 5, 10, 30, tzinfo=_at(330))),
    ("2020-01-05 10:30", datetime(2020, 1, 5, 10, 30, tzinfo=UTC)),
    ("Sun, 05 Jan 2020 10:30:00 -0500", datetime(2020, 1, 5, 10, 30, tzinfo=_at(-300))),
    ("Sun, 05 Jan 2020 10:30:00 GMT", datetime(2020, 1, 5, 10, 30, tzinfo=UTC)),
    ("Jan 5, 2020", datetime(2020, 1, 5, tzinfo=UTC)),
    ("January 5, 2020 9:41 AM EST", datetime(2020, 1, 5, 9, 41, tzinfo=_at(-300))),
    ("5 January 2020", datetime(2020, 1, 5, tzinfo=UTC)),
    ("24-02-2022 03:37 IST", datetime(2022, 2, 24, 3, 37, tzinfo=_at(330))),
    ("05-01-2020", datetime(2020, 1, 5, tzinfo=UTC)),  # day first with dashes (Europe, India)
    ("01/05/2020", datetime(2020, 1, 5, tzinfo=UTC)),  # month first with slashes (US)
    ("2020/01/05", datetime(2020, 1, 5, tzinfo=UTC)),
    ("Feb 24, 2022 10:00 PDT", datetime(2022, 2, 24, 10, tzinfo=_at(-420))),
    ("24 Feb 2022 10:00 CEST", datetime(2022, 2, 24, 10, tzinfo=_at(120))),
    ("24 Feb 2022 10:00 JST", datetime(2022, 2, 24, 10, tzinfo=_at(540))),
    ("24 Feb 2022 10:00 AEST", datetime(2022, 2, 24, 10, tzinfo=_at(600))),
])
def test_common_news_formats(text, expected):
    found = parse_date(text)
    assert found == expected and found.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", [
    "", "   ", "hello", "May 2020", "2020", "10:30", "Sunday", "1 1 1", "2022-02-30", "31/31/2020",
    "24-02-2022 03:37 XYZT", "last Tuesday", "x" * 500,
])
def test_what_is_not_a_whole_date_is_none(text):
    assert parse_date(text) is None


def test_an_unknown_zone_neither_guesses_nor_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_date("24 Feb 2022 10:00 QQT") is None


moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0))
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(_at)


@given(moments, offsets)
@settings(max_examples=200, deadline=None)
def test_iso_and_rfc_2822_round_trip(moment, offset):
    aware = moment.replace(tzinfo=offset)
    assert parse_date(aware.isoformat()) == aware
    assert parse_date(format_datetime(aware)) == aware


@given(moments, st.sampled_from(sorted(ZONES)))
@settings(max_examples=200, deadline=None)
def test_zone_abbreviations_give_their_offset(moment, zone):
    text = moment.strftime(f"%d %B %Y %H:%M {zone}")
    found = parse_date(text)
    assert found is not None and found.utcoffset() == timedelta(minutes=ZONES[zone])
    assert found.replace(tzinfo=None) == moment.replace(second=0)


@given(moments)
@settings(max_examples=200, deadline=None)
def test_naive_dates_are_utc(moment):
    for text in (moment.strftime("%b %d, %Y"), moment.strftime("%Y/%m/%d"), moment.date().isoformat()):
        assert parse_date(text) == datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_is_always_aware(text):
    found = parse_date(text)
    assert found is None or found.tzinfo is not None
