"""News metadata: the wire credit, the dateline, agency headers and credit lines of a story."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress
from operator import methodcaller

__all__ = ["agency", "header_timestamp", "is_agency", "is_dateline", "metadata_lines", "news_fields", "precise_date",
           "time_key", "wire_credit"]

_AGENCIES = r"ANI|PTI|IANS|Reuters|AP|AFP|UNI|Bloomberg|dpa|DPA|Xinhua|AAP|CP|UPI|EFE|Kyodo|Yonhap|TASS|WAM|APA"
_WIRE_CREDIT = re.compile(rf"\((?:(?:{_AGENCIES})(?:\s*[/&,-]\s*(?:{_AGENCIES}))*)\)")
CREDIT_LINE = re.compile(
    r"^\s*\((?:(?:Reporting|Writing|Additional\ reporting|Editing|Compiled|Research)\s+by\b.*"
    r"|(?:By\s+)?[\w .,'-]{2,60};\s*Editing\s+by\b.*)\)\s*$",
    re.IGNORECASE,
)
SYNDICATED = re.compile(r"auto-generated\s+from\s+a\s+syndicated\s+feed|published\s+from\s+a\s+syndicated\s+feed",
                         re.IGNORECASE)
# "ANI | Washington DC | Updated: 24-02-2022 03:37 IST | Created: ..."
AGENCY_HEADER = re.compile(rf"^\s*({_AGENCIES})\s*\|\s*([^|]+?)\s*\|\s*(?:Updated|Published|Created)\s*:.*$",
                            re.IGNORECASE)
# "WASHINGTON (Reuters) -", "LONDON, March 3 (Reuters) -", "NEW DELHI (AP) —", "ST. JOSEPH, Mich. (AP) —"
DATELINE = re.compile(
    rf"^\s*([A-Z][A-Z .,'/-]{{1,40}}?)(?:,\s*[A-Z][A-Za-z.]{{1,14}}(?:\s[A-Z][a-z.]+)?)?"  # ST. JOSEPH, Mich.
    rf"\s*(?:,\s*[A-Z][a-z]{{2,9}}\.?\s+\d{{1,2}}\s*)?\(({_AGENCIES})\)\s*[-–—]+\s*"
)
# "Washington [US], February 24 (ANI):"
DATELINE_COLON = re.compile(
    rf"^\s*([A-Z][\w .'-]{{1,40}}?(?:\s*\[[\w .]+\])?),\s*([A-Z][a-z]{{2,9}}\.?\s+\d{{1,2}})\s*\(({_AGENCIES})\)\s*:\s*"
)
_NOTE_CHARS = 300
_AGENCY_NAMES = {name.lower(): name for name in _AGENCIES.split("|")}


def agency(name: str) -> str:
    return _AGENCY_NAMES.get(name.lower(), name)


def is_agency(name: str) -> bool:
    """``name`` is a wire agency this module knows (not a credit line or a feed note)."""
    return name.lower() in _AGENCY_NAMES


def wire_credit(text: str) -> str | None:
    """The agency credited in the text, e.g. the "(ANI)" that ends a syndicated story."""
    match = _WIRE_CREDIT.search(text)
    return agency(re.split(r"\s*[/&,-]\s*", match.group(0)[1:-1])[0]) if match else None


def news_fields(body: list[str], dateline: str | None, header_wire: str | None,
                 credit: str | None) -> tuple[str | None, str | None]:
    """(dateline, wire): the agency credited at the end of the story, else in its header or dateline, else
    anywhere in it, else the credit line ("Reporting by ...") or the syndicated-feed note."""
    line_dateline, line_wire = _dateline(body[0]) if body else (None, None)
    wire = (wire_credit(body[-1]) if body else None) or header_wire or line_wire or wire_credit("\n".join(body))
    return dateline or line_dateline, wire or credit


def _dateline(first_paragraph: str) -> tuple[str | None, str | None]:
    """(dateline, agency) from the opening of the first body paragraph."""
    match = DATELINE.match(first_paragraph)
    if match:
        return match.group(0).strip(), agency(match.group(2))
    match = DATELINE_COLON.match(first_paragraph)
    if match:
        return match.group(0).strip(), agency(match.group(3))
    return None, None


# --- plain text -------------------------------------------------------------------------------------------

def metadata_lines(lines: list[str]) -> tuple[list[bool], str | None, str | None, str | None]:
    """Which lines are metadata (an agency header, a credit line, a syndicated-feed note), read, then left out of
    the body; and what they say: (flags, header wire, header dateline, credit). Only the lines holding what a
    pattern needs are read."""
    text = "\n" + "\n".join(lines)
    candidates: set[int] = set()
    for needed, holds in (("|", _holds_bar), ("\n(", _opens_bracket), ("yndicated", _holds_syndicated)):
        if needed in text:
            candidates.update(compress(range(len(lines)), map(holds, lines)))
    return _read_metadata(lines, sorted(candidates))


def _read_metadata(lines: list[str], indexes: Iterable[int]) -> tuple[list[bool], str | None, str | None, str | None]:
    """``metadata_lines`` reading the lines at ``indexes`` (ascending) alone."""
    meta = [False] * len(lines)
    header_wire = dateline = credit = None
    for index in indexes:  # the cheap tests first: each pattern needs its literal
        line = lines[index]
        header = AGENCY_HEADER.match(line) if "|" in line else None
        if header:
            header_wire = header_wire or agency(header.group(1))
            dateline = dateline or header.group(2)
            meta[index] = True
        elif line[:1] == "(" and CREDIT_LINE.match(line):
            credit = credit or wire_credit(line) or line[1:-1].strip()
            meta[index] = True
        elif "yndicated" in line and SYNDICATED.search(line):
            credit = credit or "syndicated feed"
            meta[index] = len(line) <= _NOTE_CHARS  # a longer line is a story that ends with the note: it stays
    return meta, header_wire, dateline, credit



_holds_bar = methodcaller("__contains__", "|")
_opens_bracket = methodcaller("startswith", "(")
_holds_syndicated = methodcaller("__contains__", "yndicated")


def is_dateline(line: str) -> bool:
    """The line opens a wire story: "WASHINGTON (Reuters) - ...", "Washington [US], February 24 (ANI): ..."."""
    return bool(DATELINE.match(line) or DATELINE_COLON.match(line))


# --- provenance: when a copy was published ----------------------------------------------------------------

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
#: Offsets of the zone abbreviations news headers use, in minutes east of UTC.
_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "IST": 330, "PKT": 300, "BST": 60, "CET": 60, "CEST": 120, "EET": 120,
          "EEST": 180, "MSK": 180, "GST": 240, "SGT": 480, "HKT": 480, "JST": 540, "KST": 540, "AEST": 600,
          "AEDT": 660, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
          "PST": -480, "PDT": -420}
_ZONE = r"(?P<zone>[A-Z]{1,4}|[+-]\d{2}:?\d{2})?"
_CLOCK = rf"(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::\d{{2}})?\s*(?P<half>[AaPp]\.?[Mm]\.?)?\s*{_ZONE}"
# "Created: 24-02-2022 03:37 IST", "Published: 2022-02-24 09:12 GMT"
_STAMP_LINE = re.compile(
    rf"\b(?P<kind>Created|Published|Posted|Updated|First published)\s*(?:on|at)?\s*:?\s*"
    rf"(?:(?P<day>\d{{1,2}})[-/.](?P<month>\d{{1,2}})[-/.](?P<year>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))"
    rf"(?:,?\s+|T){_CLOCK}", re.IGNORECASE)
# "By Tribune Desk | February 24, 2022 09:12 AM IST", "March 3, 1987 10:15 GMT"
_WORDY_STAMP = re.compile(
    rf"\b(?P<mname>[A-Z][a-z]{{2,8}})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}),?\s+(?:at\s+)?{_CLOCK}")
_HAS_CLOCK = re.compile(r"\d:\d\d")
_KIND_RANK = {"created": 0, "published": 0, "first published": 0, "posted": 1, "updated": 2}


def header_timestamp(lines: list[str], *, limit: int = 20) -> str | None:
    """The publication time stated in the first ``limit`` lines of a story, as ISO 8601 with its UTC offset:
    "Created: 24-02-2022 03:37 IST" gives "2022-02-24T03:37+05:30". A "Created"/"Published" time wins over an
    "Updated" one (the first publication is what provenance asks for); a byline's "February 24, 2022 09:12 AM
    IST" is taken when no such label is found. A time without a zone is not used (its order is unknown)."""
    found: list[tuple[int, str]] = []
    for line in lines[:limit]:
        if ":" not in line or not _HAS_CLOCK.search(line):  # every stamp has a time of day
            continue
        for match in _STAMP_LINE.finditer(line):
            stamp = _stamp(match, int(match["month"]) if match["month"] else None)
            if stamp is not None:
                found.append((_KIND_RANK.get(match["kind"].lower(), 2), stamp))
        if not found:
            for match in _WORDY_STAMP.finditer(line):
                month = _MONTHS.get(match["mname"][:3].lower())
                stamp = _stamp(match, month) if month else None
                if stamp is not None:
                    found.append((3, stamp))
    return min(found)[1] if found else None


def _stamp(match: re.Match[str], month: int | None) -> str | None:
    if match["zone"] is None:
        return None
    offset = _zone_offset(match["zone"])
    if offset is None:
        return None
    if match.groupdict().get("iso"):
        year, month, day = map(int, match["iso"].split("-"))
    else:
        year, day = int(match["year"]), int(match["day"])
    hour, minute = int(match["hour"]), int(match["minute"])
    if match["half"]:
        hour = hour % 12 + (12 if match["half"][0] in "Pp" else 0)
    if not (month and 1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60):
        return None
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}{sign}{hours:02d}:{minutes:02d}"


def _zone_offset(zone: str) -> int | None:
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        return minutes if zone[0] == "+" else -minutes
    return _ZONES.get(zone.upper())


def precise_date(date: str | None, stamp: str | None) -> str | None:
    """``stamp`` (a time of day) when it is on the day ``date`` says, or there is no ``date``; else ``date``."""
    if stamp is None or (date is not None and not stamp.startswith(date[:10])):
        return date
    return stamp


def time_key(date: str | None) -> tuple[bool, str, bool, str]:
    """An order of publication times: (no date, UTC day, no time of day, UTC time). A date alone sorts after any
    time on that day; a time with a UTC offset is moved to UTC first ("2022-02-24T03:37+05:30" is
    "2022-02-23" at "22:07"), so copies stamped in different zones compare by the instant."""
    if not date:
        return True, "", True, ""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
                     date)
    if match is None:
        return False, date, True, ""
    if match[4] is None or match[6] is None:
        return False, match.group(0)[:10], True, ""
    from datetime import datetime, timedelta, timezone

    offset = _zone_offset(match[6]) if match[6] != "Z" else 0
    local = datetime(int(match[1]), int(match[2]), int(match[3]), int(match[4]), int(match[5]))
    utc = (local - timedelta(minutes=offset or 0)).replace(tzinfo=timezone.utc)
    return False, utc.strftime("%Y-%m-%d"), False, utc.strftime("%H:%M")
