"""HTML: the article body and metadata of a page, through trafilatura. Two passes: precision mode (text and
metadata) and recall mode, merged so that no precise paragraph is lost (link text that precision mode cut from a
paragraph is put back; prose and subheadings only the recall pass found between two precise paragraphs are put in;
recall mode alone when precision mode found almost nothing). Before them, embedded posts are lifted out of
wrappers trafilatura discards, and screen-reader labels and hover cards are pruned; after them, blocks of links
to other stories and the reader prompts that close a page are left out."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

from ..documents import Document
from .article import Article
from .news import metadata_lines, news_fields
from .sitechrome import domain
from .text import drop_repeated, reads_as_prose, split_lines

__all__ = ["MAX_HTML_CHARS", "MAX_HTML_ELEMENTS", "clean_html", "too_complex"]

#: Pages beyond these budgets get an error instead of an extraction: trafilatura (lxml) takes about 60 us and
#: 1 kB per element, per pass, and runs two or three passes; a page of a million tiny elements took 183 s and
#: 1 GB. Real news pages hold a few thousand elements (the 181 scrapinghub pages: at most 3,229 tags, 1.5 MB).
MAX_HTML_CHARS = 16_000_000
MAX_HTML_ELEMENTS = 100_000
_START_TAG = re.compile(r"<[A-Za-z]")


def too_complex(html: str) -> str | None:
    """Why the page is over the extraction budget ("page too complex: ..."), or None. Costs a few milliseconds
    on a page of megabytes: one count of "<", and the exact count of start tags only when that is over budget."""
    if len(html) > MAX_HTML_CHARS:
        return f"page too complex: {len(html):,} characters of HTML (limit {MAX_HTML_CHARS:,})"
    if html.count("<") > MAX_HTML_ELEMENTS:
        elements = len(_START_TAG.findall(html))
        if elements > MAX_HTML_ELEMENTS:
            return f"page too complex: {elements:,} elements (limit {MAX_HTML_ELEMENTS:,})"
    return None


#: Posts embedded in a story (a tweet, an Instagram post): quoted text the story is about.
_EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed")


def _embeds_lifted(html: str) -> str:
    """The page with each embedded post taken out of the wrappers that hold nothing else: trafilatura drops a
    wrapper whose class says "social" or "embed" with the quote it holds, and keeps an unwrapped one."""
    if not any(name in html for name in _EMBED_CLASSES):
        return html
    import lxml.html

    try:
        page = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html
    condition = " or ".join(_class_token(name) for name in _EMBED_CLASSES)
    for post in page.xpath(f"//blockquote[{condition}]"):
        text = post.text_content().strip()
        outer = post
        while (parent := outer.getparent()) is not None and parent.tag not in ("body", "article", "main") \
                and parent.text_content().strip() == text:
            outer = parent
        post.attrib.pop("class", None)
        if outer is not post:
            post.tail = outer.tail
            outer.getparent().replace(outer, post)
    return str(lxml.html.tostring(page, encoding="unicode"))


def _class_token(token: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


#: Classes of elements a reader never sees as part of the text: screen-reader-only labels and hover cards (a
#: person's card with links to other stories, shown on mouse-over of a name inside a sentence).
_UNSEEN = ("sr-only", "screen-reader-text", "visually-hidden", "element-invisible", "tooltip", "tooltiptext", "popover",
           "hovercard", "rollover-block", "rollover-people-block")


def _unseen(html: str) -> str | None:
    """The XPath of the page's unseen elements, or None when no such class name is in the page (most pages)."""
    present = [name for name in _UNSEEN if name in html]
    return "//*[" + " or ".join(map(_class_token, present)) + "]" if present else None


def _extract(html: str, url: str | None, *, precision: bool, metadata: bool = True) -> dict[str, object] | None:
    import trafilatura  # deferred: importing it costs about half a second

    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=metadata, include_comments=False, include_tables=True,
        favor_precision=precision, favor_recall=not precision, deduplicate=False, prune_xpath=_unseen(html),
    )
    if result is None:
        return None
    return result.as_dict() if hasattr(result, "as_dict") else dict(result)


def _merge(precise: list[str], wide: list[str]) -> list[str]:
    """The precise paragraphs in the wide extraction's order, each replaced by the wide paragraph that holds all of
    its words when precision mode cut link text out of it, plus the prose paragraphs that only the wide extraction
    found *between* two of them (precision mode drops a link-heavy paragraph in mid-article; the wide mode's extra
    edges are chrome). A precise paragraph the wide extraction lacks stays where it was."""
    anchors = _anchors(precise, wide)
    if not anchors:
        return precise
    merged = list(precise[:anchors[0][0]])
    for (p_index, w_index), (p_next, w_next) in zip(anchors, [*anchors[1:], (len(precise), len(wide))], strict=True):
        merged.append(wide[w_index])
        if p_next < len(precise):
            merged.extend(_found_between(wide[w_index + 1:w_next + 1]))
        merged.extend(precise[p_index + 1:p_next])
    return merged


def _found_between(gap: list[str]) -> list[str]:
    """Of the wide paragraphs between two anchors (the second one last), the prose ones and the headings over
    prose (a subheading or product name that precision mode dropped with its link)."""
    found = []
    for paragraph, following in pairwise(gap):
        if reads_as_prose(paragraph) or (_subheading(paragraph) and reads_as_prose(following)):
            found.append(paragraph)
    return found


def _subheading(paragraph: str) -> bool:
    return (_heading_shaped(paragraph) and paragraph[:1].isalnum() and not paragraph.isupper()
            and _LINKS_HEADER.match(paragraph) is None and _HTML_CHROME.match(paragraph) is None)


def _anchors(precise: list[str], wide: list[str]) -> list[tuple[int, int]]:
    """(precise index, wide index) of the paragraphs both extractions hold, in the order of both: the same
    paragraph, or else a wide one among the next few that holds the precise one's words in order (link text put
    back)."""
    where: dict[str, list[int]] = {}
    for index, paragraph in enumerate(wide):
        where.setdefault(paragraph, []).append(index)
    anchors: list[tuple[int, int]] = []
    start = 0
    for p_index, paragraph in enumerate(precise):
        same = where.get(paragraph, [])
        at = bisect_left(same, start)
        w_index: int | None = same[at] if at < len(same) else next(
            (index for index in range(start, min(start + _NEAR, len(wide))) if _holds(wide[index], paragraph)), None)
        if w_index is not None:
            anchors.append((p_index, w_index))
            start = w_index + 1
    return anchors


_NEAR = 30  # wide paragraphs looked at for one that holds a precise paragraph: the cost stays linear


def _holds(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` with words put in (every word of shorter, in order, and at least half of it)."""
    if len(shorter) < 0.5 * len(longer) or len(shorter) >= len(longer):
        return False
    words = iter(longer.split())
    return all(word in words for word in shorter.split())


def clean_html(doc: Document) -> Article:
    html = doc.html or ""
    reason = too_complex(html)
    if reason is not None:
        return Article(id=doc.id, text="", url=doc.url, source=doc.source, error=reason)
    try:
        html = _embeds_lifted(html)
        data = _extract(html, doc.url, precision=True)
        wider = _extract(html, doc.url, precision=False, metadata=False)
        precise = split_lines(str((data or {}).get("text") or ""))
        wide = split_lines(str((wider or {}).get("text") or ""))
        if sum(map(len, precise)) < 0.5 * sum(map(len, wide)):  # precision mode lost the body of an odd page
            paragraphs = wide
            if data is None:
                data = _extract(html, doc.url, precision=False)
        else:
            paragraphs = _merge(precise, wide)
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many kinds on malformed markup
        return Article(id=doc.id, text="", url=doc.url, source=doc.source, error=f"cannot parse HTML: {exc}")
    if data is None or not paragraphs:
        return Article(id=doc.id, text="", url=doc.url, source=doc.source, error="no article text found in HTML")
    title = doc.title or _str(data.get("title"))
    meta, header_wire, dateline, credit = metadata_lines(paragraphs)
    kept = [paragraph for paragraph, flag in zip(paragraphs, meta, strict=True)
            if not flag and paragraph != title and not _HTML_CHROME.match(paragraph)]
    kept = _without_end_matter(_without_link_blocks(drop_repeated(kept)))
    dateline, wire = news_fields(kept, dateline, header_wire, credit)
    url = doc.url or _str(data.get("url"))
    return Article(
        id=doc.id,
        text="\n\n".join(kept),
        title=title,
        date=doc.date or _str(data.get("date")),
        url=url,
        sitename=_str(data.get("sitename")),
        author=_str(data.get("author")),
        wire=wire,
        dateline=dateline,
        source=domain(url) or doc.source,
    )


def _without_end_matter(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the reader prompts that close a page after the story (newsletter and follow prompts,
    "Source:", "Filed under:"; a newsletter's heading and the few short lines under it) and without the heading
    left above them."""
    end = len(paragraphs)
    for index in range(end - 1, max(0, end - 1 - _SIGN_UP_LINES), -1):
        if len(paragraphs[index]) > _PROMPT_CHARS or paragraphs[index].startswith("- "):
            break
        if _heading_shaped(paragraphs[index]) and _SIGN_UP.search(paragraphs[index]):
            end = index
            break
    while end > 1 and _prompt(paragraphs[end - 1]):
        end -= 1
    if end < len(paragraphs):
        while end > 1 and _heading_shaped(paragraphs[end - 1]) and paragraphs[end - 1].lstrip("- ")[:1].isalpha():
            end -= 1
    return paragraphs[:end]


def _without_link_blocks(paragraphs: list[str]) -> list[str]:
    """The paragraphs without blocks of links to other stories: a "Related:" line, or a header ("Don't miss",
    "You may also like") and the headlines under it."""
    kept: list[str] = []
    in_block = False
    for paragraph in paragraphs:
        header = _LINKS_HEADER.match(paragraph)
        if header and not header.group(1):
            in_block = True
            continue
        if header and len(paragraph) <= _PROMPT_CHARS and not _ends_sentence(header.group(1)):
            continue
        if in_block and _heading_shaped(paragraph):
            continue
        in_block = False
        kept.append(paragraph)
    return kept


def _prompt(paragraph: str) -> bool:
    """A short paragraph, neither a list item nor a quotation, that asks the reader to subscribe or follow, or
    labels the story."""
    return (len(paragraph) <= _PROMPT_CHARS and paragraph[:2] != "- " and paragraph[0] not in _QUOTES
            and _PROMPT.search(paragraph) is not None)


_QUOTES = "\"'“‘«„"


_PROMPT_CHARS = 400
_SIGN_UP = re.compile(r"(?i)\b(?:newsletters?|subscribe|sign[ -]up)\b")
_SIGN_UP_LINES = 4
_PROMPT = re.compile(
    r"(?i)^(?:sources?|filed under|tags?|topics?|categor(?:y|ies))\s*:"
    r"|\b(?:newsletters?|subscri\w*|sign[ -]up|inbox|delivered)\b.*\b(?:you|your|our)\b"
    r"|\b(?:you|your|our)\b.*\b(?:newsletters?|subscri\w*|sign[ -]up|inbox)\b"
    r"|\bfollow\b.{0,40}\b(?:on|at)\s+(?:twitter|facebook|instagram|youtube|linkedin)\b"
    r"|^follow\b.{0,60}\bcoverage\b|^listen\b.{0,40}\blive\b|^tell us what you think|^comments?$"
    r"|^if you (?:enjoyed|liked) (?:this|reading)"
)
_LINKS_HEADER = re.compile(
    r"(?i)^(?:related(?: (?:stories|articles?|news|content|coverage|posts?))?|see (?:also|more)|read (?:more|also)"
    r"|more|also|don'?t miss|you (?:may|might) also like|most read(?: in [\w ]+)?|recommended(?: for you)?)"
    r"\s*(?:[:.…|]+\s*(.*))?$"
)


def _heading_shaped(paragraph: str) -> bool:
    """Short and not ending a sentence: a heading, a headline, a label."""
    return len(paragraph) <= _HEADLINE_CHARS and not _ends_sentence(paragraph)


_HEADLINE_CHARS = 150


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’»)]|")[-1:] in ".!?。！？…"


_HTML_CHROME = re.compile(
    r"^\s*(?:advertisement|advert|exit mobile version|©.*|copyright\b.*|.*\ball rights reserved\b.*"
    r"|(?:share|follow us)(?: on)?:?(?:\s+\w+){0,4}|your browser does not support\b.*)\s*$",
    re.IGNORECASE,
)


def _str(value: object) -> str | None:
    return str(value) if value else None
