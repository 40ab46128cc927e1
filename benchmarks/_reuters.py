"""Reuters-21578 SGML, read as the wire ran it.

``read(folder)`` gives every ``<REUTERS>`` record of ``reut2-*.sgm`` that has a ``<BODY>``; the body text keeps
its native shape: lines hard-wrapped at about 70 columns, paragraphs that start with an indented line, earnings
tables (one indented row per line, no end punctuation) and the ``Reuter`` sign-off.  The files are latin-1;
entities (``&lt;``, ``&amp;``) are decoded and numeric control characters (``&#3;`` ends every body, ``&#1;``,
``&#5;``, ``&#127;`` ...) dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

_RECORD = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SIGN_OFF = re.compile(r"(?:\n[ \t]*|[ \t]{2,})(reuter)\s*$", re.I)
_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}


@dataclass(frozen=True, slots=True)
class Record:
    newid: int
    date: str  # YYYY-MM-DD
    title: str
    dateline: str  # e.g. "HOUSTON, Feb 26 - " (the wire prints it at the start of the body's first line)
    topics: tuple[str, ...]
    body: str  # as the SGML holds it, without the sign-off
    sign_off: str  # "Reuter", "REUTER" or "" when the body has none


def unescape(text: str) -> str:
    """SGML text to plain text: entities decoded, control characters (numeric entities like ``&#3;``) dropped."""
    return _CONTROL.sub("", html.unescape(text))


def _tag(record: str, name: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", record, re.S)
    return match.group(1) if match else ""


def _date(text: str) -> str:
    match = re.match(r"\s*(\d+)-([A-Z]{3})-(\d{4})", text)
    return f"{match.group(3)}-{_MONTHS.get(match.group(2), 1):02d}-{int(match.group(1)):02d}" if match else ""


def parse(sgml: str) -> list[Record]:
    """The records of one SGML file's text that have a body."""
    records = []
    for attributes, record in _RECORD.findall(sgml):
        raw = _tag(record, "BODY")
        if not raw.strip():
            continue
        body = unescape(raw).rstrip()
        sign_off = _SIGN_OFF.search("\n" + body)
        if sign_off:
            body = ("\n" + body)[: sign_off.start()].lstrip("\n").rstrip()
        newid = _NEWID.search(attributes)
        records.append(Record(
            newid=int(newid.group(1)) if newid else -1,
            date=_date(_tag(record, "DATE")),
            title=" ".join(unescape(_tag(record, "TITLE")).split()),
            dateline=unescape(_tag(record, "DATELINE")).strip(),
            topics=tuple(re.findall(r"<D>(.*?)</D>", _tag(record, "TOPICS"))),
            body=body,
            sign_off=sign_off.group(1) if sign_off else "",
        ))
    return records


def read(folder: Path) -> list[Record]:
    """Every record with a body in ``folder/reut2-*.sgm`` (latin-1), in file order."""
    files = sorted(Path(folder).glob("reut2-*.sgm"))
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm files in {folder}")
    return [record for path in files for record in parse(path.read_text(encoding="latin-1"))]


def blocks(body: str) -> list[list[str]]:
    """The body's paragraphs and table rows, each a list of its raw lines: a block starts at an indented line
    (the wire's paragraph start) or after a blank line."""
    out: list[list[str]] = []
    for line in body.split("\n"):
        if not line.strip():
            if out and out[-1]:
                out.append([])
            continue
        if not out or not out[-1] or line[:1] in " \t":
            if out and not out[-1]:
                out[-1].append(line)
            else:
                out.append([line])
        else:
            out[-1].append(line)
    return [block for block in out if block]


def is_table_row(block: list[str]) -> bool:
    """A one-line block without end punctuation that holds a number: a row of an earnings or statistics table."""
    line = block[0].strip()
    return len(block) == 1 and line[-1:] not in ".!?\"')" and any(c.isdigit() for c in line)
