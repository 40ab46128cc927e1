"""News metadata: the wire credit, the dateline, agency headers and credit lines of a story."""

from __future__ import annotations

import re

__all__ = ["agency", "is_dateline", "metadata_lines", "news_fields", "wire_credit"]

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
    the body; and what they say: (flags, header wire, header dateline, credit)."""
    meta = [False] * len(lines)
    header_wire = dateline = credit = None
    for index, line in enumerate(lines):  # the cheap tests first: each pattern needs its literal
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



def is_dateline(line: str) -> bool:
    """The line opens a wire story: "WASHINGTON (Reuters) - ...", "Washington [US], February 24 (ANI): ..."."""
    return bool(DATELINE.match(line) or DATELINE_COLON.match(line))
