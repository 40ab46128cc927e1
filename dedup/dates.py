"""Dates as news sources write them: ``parse_date`` turns one into a timezone-aware ``datetime``, or ``None``.

Formats: ISO 8601 (a date or a date-time, with or without an offset, ``Z``), RFC 2822 (e-mail and RSS),
``Jan 5, 2020``, ``5 January 2020``, ``2020/01/05``, ``24-02-2022 03:37 IST``. Numbers with ``-`` or ``.``
between them are read day first (``05-01-2020`` is 5 January, as in Europe and India), with ``/`` month first
(``01/05/2020`` is 5 January, as in the US) unless the first number cannot be a month. A date without a time
zone is taken as UTC; a zone abbreviation that is not in ``ZONES`` makes the date unparseable rather than
silently wrong by hours. A text without a day, month and year (``May 2020``, ``10:30``) is not a date.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta, timezone

__all__ = ["ZONES", "parse_date"]

#: Offsets (minutes east of UTC) of the zone abbreviations news sites print. IST is India's (the common one in
#: English-language news), BST British summer time, CST US central.
ZONES: dict[str, int] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330,
    "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "TRT": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
    "BRT": -180, "ART": -180, "PKT": 300, "NPT": 345, "ICT": 420, "WIB": 420, "HKT": 480, "SGT": 480,
    "PHT": 480, "AWST": 480, "JST": 540, "KST": 540, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780, "WAT": 60, "CAT": 120, "SAST": 120, "EAT": 180, "GST": 240,
}
_TZINFOS = {name: timezone(timedelta(minutes=minutes), name) for name, minutes in ZONES.items()}
_LONGEST = 120

_RFC_2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+[+-]\d{4}")
_DAY_FIRST = re.compile(r"\d{1,2}[-.]\d{1,2}[-.]\d{4}\b")
_YEAR = re.compile(r"\d{4}")
# Two defaults that differ in year, month and day: a field missing from the text shows as a difference.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def parse_date(text: str) -> datetime | None:
    """The moment ``text`` names, timezone-aware (UTC when it gives no zone), or ``None`` when it is not a
    date in a known format. Never raises for a string."""
    text = text.strip()
    if not text or len(text) > _LONGEST:
        return None
    found = _iso(text) or _rfc_2822(text) or _general(text)
    if found is not None and found.tzinfo is None:
        found = found.replace(tzinfo=timezone.utc)
    return found


def _iso(text: str) -> datetime | None:
    if not (text[:4].isdigit() and text[4:5] == "-"):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc_2822(text: str) -> datetime | None:
    if _RFC_2822.fullmatch(text) is None:
        return None
    from email.utils import parsedate_to_datetime  # (imported when needed: ``import dedup`` stays quick)

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _general(text: str) -> datetime | None:
    """dateutil with the known zones, day first for ``dd-mm-yyyy``; ``None`` unless year, month and day are
    all in the text (the year with four digits) and any zone is known."""
    if _YEAR.search(text) is None:  # news prints four-digit years; "1 1 1" is not a date
        return None
    from dateutil import parser as dateutil
    from dateutil.parser import UnknownTimezoneWarning

    day_first = _DAY_FIRST.match(text) is not None
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownTimezoneWarning)
        for default in _DEFAULTS:
            try:
                found.append(dateutil.parse(text, default=default, dayfirst=day_first, tzinfos=_TZINFOS))
            except (ValueError, OverflowError, TypeError, UnknownTimezoneWarning):
                return None
    first, second = found
    if first.date() != second.date():
        return None
    return first  # type: ignore[no-any-return]  # dateutil is untyped: parse() gives a datetime
