"""Cleaning: the article body and news metadata out of a page.

HTML goes through trafilatura. Plain text (including whole-page dumps with a site's menus, lists and footers)
goes through a paragraph classifier in the manner of jusText: each line is scored on its length, stopword
density, sentence punctuation and boilerplate patterns, then short or doubtful lines take the class of their
neighbours, so a subheading inside the article survives while a list of teaser headlines does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .documents import Document, split_date_line

__all__ = ["Article", "clean", "clean_text"]


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body text (paragraphs separated by blank lines) and news metadata."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    author: str | None = None
    wire: str | None = None
    dateline: str | None = None
    source: str | None = None
    error: str | None = None


def clean(doc: Document) -> Article:
    """Clean one document: its article body and metadata. Never raises on bad content; sets ``error``."""
    if doc.error is not None:
        return Article(id=doc.id, text="", title=doc.title, date=doc.date, url=doc.url, source=doc.source,
                       error=doc.error)
    if doc.html is not None:
        article = _clean_html(doc)
    else:
        article = clean_text(doc.text, id=doc.id)
        article = replace(article, title=doc.title or article.title, date=doc.date or article.date,
                          url=doc.url, source=doc.source)
    if not article.text.strip() and article.error is None:
        article = replace(article, error="no article text found")
    return article


# --- plain text -------------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours out over own said same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours""".split()
)

_BOILERPLATE = re.compile(
    r"""^(?:
        trending | latest\ news | most\ (?:read|popular|viewed|shared) | top\ stories | related(?:\ (?:news|articles|stories))?
      | (?:you\ may\ )?also\ (?:read|like|see) | read\ (?:more|next|also) | recommended(?:\ for\ you)?
      | (?:share|follow|connect)\ (?:this|us|on|with)\b.* | share(?:\ this)?(?:\ article|\ story)? | tweet | email
      | (?:subscribe|sign\ up)\b.* | .*\bnewsletter\b.* | give\ feedback | feedback
      | advertisement | sponsored(?:\ content)? | skip\ to\ (?:main\ )?content | (?:main|left|right)\ menu | menu
      | exit\ mobile\ version | back\ to\ top | (?:log|sign)\ ?in | register | home
      | (?:image|photo|picture|video)\ (?:credit|source)s?\b.* | \(?(?:image|photo|file\ photo|file\ image)\s*:.*
      | file\ photo\b.* | ©.* | copyright\b.* | all\ rights\ reserved.*
      | (?:e-?mail|phone|tel|fax|contact(?:\ us)?)\s*:.* | .*\b(?:privacy\ policy|terms\ of\ (?:use|service)|cookie\ policy)\b.*
      | .*\bdisclaimer\b.* | .*\ballow\ cookies\b.* | your\ browser\ does\ not\ support\b.*
      | .*\b(?:already\ (?:a\ subscriber|registered)|create\ (?:a\ )?(?:free\ )?account|to\ continue\ reading)\b.*
      | \(this\ story\ has\ not\ been\ edited\b.* | .*\bauto-generated\ from\ a\ syndicated\ feed\b.*
      | country\s*: | •.* | \d{1,2}
      | (?:opinion|blog|interview|sectors|editions|other\ (?:links|products)|connect|devshots)(?:\s*/\s*\w+)*
      | (?:linkedin|facebook|twitter|quora|youtube|rss|instagram|whatsapp|telegram|reddit|pinterest)(?:\s+\w+){0,6}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_WIRE_CREDIT = re.compile(
    r"\((ANI|PTI|IANS|Reuters|AP|AFP|UNI|Bloomberg|dpa|Xinhua|AAP|CP|UPI)\)|"
    r"^\s*\((?:Reporting|Writing|Additional reporting)\s+by\b[^)]*\)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_CREDIT_LINE = re.compile(r"^\s*\((?:Reporting|Writing|Additional reporting|Editing)\s+by\b.*\)\s*$", re.IGNORECASE)
_SYNDICATED = re.compile(r"auto-generated from a syndicated feed", re.IGNORECASE)
_AGENCY_HEADER = re.compile(
    r"^\s*(ANI|PTI|IANS|Reuters|AP|AFP|UNI)\s*\|\s*([^|]+?)\s*\|\s*Updated:.*$", re.IGNORECASE
)
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .,'-]{2,40}?)\s*(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}\s*)?"
    r"\((Reuters|AP|AFP|ANI|PTI|IANS|UNI|Bloomberg)\)\s*[-–—]+\s*"
)
_SENTENCE_END = re.compile(r"""[.!?:;]["'”’)\]]*\s*$|[.!?]["'”’]?\s""")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_BYLINE = re.compile(r"^\s*(?:by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}|(?:updated|published|posted|created)\s*:?.*\d{4}.*)\s*$",
                     re.IGNORECASE)

_GOOD, _BAD, _SHORT, _NEAR = "good", "bad", "short", "near"


def clean_text(text: str, *, id: str = "") -> Article:
    """Clean a plain-text article or whole-page text dump: drop chrome lines, keep every body paragraph."""
    date, text = split_date_line(text)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    wire: str | None = None
    dateline: str | None = None
    classes: list[str] = []
    for line in lines:
        header = _AGENCY_HEADER.match(line)
        if header:
            wire = wire or header.group(1)
            dateline = dateline or header.group(2)
            classes.append(_BAD)
            continue
        if _CREDIT_LINE.match(line):
            wire = wire or _wire_from(line)
            classes.append(_BAD)
            continue
        if _SYNDICATED.search(line):
            classes.append(_BAD)
            continue
        classes.append(_classify(line))
    title = _title(lines, classes)
    if title is not None:
        classes = [_BAD if line == title else kind for line, kind in zip(lines, classes)]
    _revise_by_context(classes)
    body = _drop_repeated([line for line, kind in zip(lines, classes) if kind == _GOOD])
    text_out = "\n\n".join(body)
    wire = _wire_from(text_out) or wire
    if dateline is None and body:
        match = _DATELINE.match(body[0])
        if match:
            dateline = match.group(0).strip()
            wire = wire or match.group(2)
    return Article(id=id, text=text_out, title=title, date=date, wire=wire, dateline=dateline)


def _wire_from(text: str) -> str | None:
    match = _WIRE_CREDIT.search(text)
    if match is None:
        return None
    if match.group(1):
        return match.group(1)
    return match.group(0).strip()


def _classify(line: str) -> str:
    if _BOILERPLATE.match(line) or _BYLINE.match(line):
        return _BAD
    words = _WORD.findall(line)
    count = len(words)
    if count == 0:
        return _BAD
    if count < 8:
        return _SHORT
    stop = sum(1 for word in words if word.lower() in _STOPWORDS) / count
    sentence = _SENTENCE_END.search(line) is not None
    if count >= 15 and stop >= 0.22 and sentence:
        return _GOOD
    if stop < 0.12 and not sentence:
        return _BAD
    if count >= 40 and stop >= 0.15:
        return _GOOD
    return _NEAR


def _revise_by_context(classes: list[str]) -> None:
    """Short and near-good lines take the class of the nearest decided neighbours (jusText's context pass)."""
    n = len(classes)

    def neighbour(index: int, step: int) -> str:
        index += step
        while 0 <= index < n:
            if classes[index] in (_GOOD, _BAD):
                return classes[index]
            index += step
        return _BAD

    revised = list(classes)
    for index, kind in enumerate(classes):
        if kind == _NEAR:
            before, after = neighbour(index, -1), neighbour(index, 1)
            revised[index] = _GOOD if _GOOD in (before, after) else _BAD
    classes[:] = revised
    for index, kind in enumerate(classes):
        if kind == _SHORT:
            before, after = neighbour(index, -1), neighbour(index, 1)
            classes[index] = _GOOD if before == _GOOD and after == _GOOD else _BAD


def _drop_repeated(paragraphs: list[str]) -> list[str]:
    """Drop a paragraph the page repeats later, whole or inside a longer paragraph (a standfirst that opens the
    body again); the later copy is the one in place."""
    keys = [" ".join(paragraph.lower().split()) for paragraph in paragraphs]
    kept = []
    for index, (paragraph, key) in enumerate(zip(paragraphs, keys)):
        later = keys[index + 1:]
        if any(key in other for other in later) and key.count(" ") >= 5:
            continue
        if key in later:
            continue
        kept.append(paragraph)
    return kept


def _title(lines: list[str], classes: list[str]) -> str | None:
    """The first headline-like line before the body starts: 4-30 words, no sentence end."""
    for line, kind in zip(lines, classes):
        if kind == _GOOD:
            return None
        words = len(line.split())
        if 4 <= words <= 30 and not _SENTENCE_END.search(line) and not _BOILERPLATE.match(line):
            return line
    return None


# --- HTML -------------------------------------------------------------------------------------------------


def _clean_html(doc: Document) -> Article:
    import trafilatura  # deferred: importing it costs about half a second

    try:
        result = trafilatura.bare_extraction(
            doc.html, url=doc.url, with_metadata=True, include_comments=False, include_tables=True,
            favor_recall=True, deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many kinds on malformed markup
        return Article(id=doc.id, text="", url=doc.url, source=doc.source, error=f"cannot parse HTML: {exc}")
    if result is None:
        return Article(id=doc.id, text="", url=doc.url, source=doc.source, error="no article text found in HTML")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    body = data.get("text") or ""
    from_text = clean_text(body, id=doc.id)
    title = doc.title or data.get("title")
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    paragraphs = [p for p in paragraphs if not _is_strippable(p) and p != title]
    text = "\n\n".join(_drop_repeated(paragraphs))
    return Article(
        id=doc.id,
        text=text,
        title=title,
        date=doc.date or data.get("date"),
        url=doc.url or data.get("url"),
        sitename=data.get("sitename"),
        author=data.get("author"),
        wire=from_text.wire,
        dateline=from_text.dateline,
        source=_domain(doc.url or data.get("url")) or doc.source,
    )


def _is_strippable(paragraph: str) -> bool:
    return bool(_CREDIT_LINE.match(paragraph) or _SYNDICATED.search(paragraph)
                or re.match(r"^\s*(?:advertisement|exit mobile version|©.*|copyright\b.*)\s*$", paragraph, re.I))


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"^[a-z]+://(?:www\.)?([^/:]+)", url, re.IGNORECASE)
    return match.group(1).lower() if match else None
