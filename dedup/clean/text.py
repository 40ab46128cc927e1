"""Plain text: the article body of a plain-text article or a whole-page text dump.

A line classifier in the manner of jusText, in three passes:

1. each line on its own: chrome patterns (menus, share/follow/sign-in prompts, credits and captions, contact and
   legal lines, bylines and timestamps), length, stopword density in the document's language (jusText's
   stoplists) and sentence punctuation make it body, near-body, short or chrome;
2. context: a near-body line that ends a sentence joins a body neighbour; a run of other lines between two body
   lines is kept when it is short (a subheading) or reads as a list of prose or of data, and dropped when it is
   a list of links, a menu or teasers;
3. region: the article is the best-scoring stretch of lines (body lines add their length, other lines and list
   headers cost), never across a footer or a comments header, so teaser summaries after the article and the
   comments below it stay out.

A plain article whose lines all read as prose skips the passes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ..documents import split_date_line
from .article import Article
from .news import header_timestamp, is_dateline, metadata_lines, news_fields, precise_date

__all__ = ["clean_paragraphs", "clean_text", "drop_repeated", "reads_as_prose", "split_lines"]


# --- stopwords -----------------------------------------------------------------------------------------------

_LANGUAGES = ("English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Russian", "Polish",
              "Indonesian", "Turkish", "Swedish", "Czech", "Romanian", "Ukrainian", "Danish", "Hungarian")
_ENGLISH_FALLBACK = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours out over own said same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours""".split()
)


@cache
def _stoplist(language: str) -> frozenset[str]:
    """jusText's stopword list for a language (jusText comes with trafilatura)."""
    try:
        from importlib.resources import files

        text = files("justext").joinpath("stoplists", f"{language}.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return _ENGLISH_FALLBACK if language == "English" else frozenset()
    return frozenset(word.lower() for word in text.split())


def _stopwords_for(words: list[str]) -> frozenset[str]:
    """The stoplist of the document's language: the one covering most of its words (English checked first)."""
    if not words:
        return frozenset()
    sample = words[:2000]
    english = _stoplist("English")
    if sum(map(english.__contains__, sample[:600])) >= 0.2 * len(sample[:600]):
        return english  # clearly English (its prose runs 35-55% stopwords): the common case, decided early
    best, best_hits = frozenset(), 0
    for language in _LANGUAGES:
        stop = _stoplist(language)
        hits = sum(map(stop.__contains__, sample))
        if hits > best_hits:
            best, best_hits = stop, hits
    return best if best_hits >= 0.08 * len(sample) else frozenset()


# --- line patterns -------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_DIGIT = re.compile(r"\d")
_CLOSERS = "\"'”’»)]"
_ENDERS = frozenset(".!?。！？…:;")


def _ends_sentence(line: str) -> bool:
    """The line ends with sentence punctuation, perhaps followed by closing quotes or brackets."""
    return line.rstrip(_CLOSERS)[-1:] in _ENDERS
_SENTENCE_INSIDE = re.compile(r"""[.!?。！？][\s"'”’»)]""")

# Whole lines that are chrome: menus and section names, share/follow/sign-in prompts, credits and captions,
# contact lines, legal lines, list bullets.
_CHROME = re.compile(
    r"""(?:
        trending(?:\ now)? | latest(?:\ news)? | most\ (?:read|popular|viewed|shared|commented) | top\ stories
      | popular | related(?:\ (?:news|articles?|stories|content|posts?|topics|coverage|videos?))?:?
      | more\ (?:from|on|in|stories|news)\b.* | (?:you\ (?:may|might)\ )?also\ (?:read|like|see)\b.*
      | read\ (?:more|next|also)\b.* | recommended(?:\ for\ you)? | don'?t\ miss:?
      | (?:share|follow|connect)\ (?:this|us|on|with)\b.*
      | share(?:\ this)?(?:\ (?:article|story|post|page))?(?:\ on\ \w+)?
      | tweet | e-?mail | print | comments?(?:\ \(\d+\))? | \d+\ comments? | reply | advertisement | advert
      | advertising
      | sponsored(?:\ content)? | (?:subscribe|sign\ up|log\ ?in|sign\ ?in|log\ ?out|register)\b.{0,80}
      | give\ feedback | feedback | skip\ to\ (?:main\ )?content | (?:main|left|right)\ menu | menu | close | search
      | exit\ mobile\ version | back\ to\ top | home | ads? | loading\.* | next | previous | show\ more
      | see\ (?:all|more)
      | (?:image|photo|picture|video|graphic)\s*(?:credit|source|courtesy)s?\b.*
      | (?:photo|image|picture)s?\s*(?:by|:).*
      | \(?(?:file\ )?(?:photo|image|picture|pic)\s*:.*
      | ©.* | \(c\)\ .* | copyright\b.*
      | (?:e-?mail|phone|tel|telephone|fax|contact(?:\ us)?|call\ us|whatsapp)\s*:.*
      | your\ browser\ does\ not\ support\b.*
      | \(this\ story\ has\ not\ been\ edited\b.*
      | country\s*: | [•·|]\s*.{0,60}
      | (?:opinion|blog|interview|sectors|editions|other\ (?:links|products)|connect|devshots)(?:\s*/\s*\w+)*
      | (?:linkedin|facebook|twitter|quora|youtube|rss|instagram|whatsapp|telegram|reddit|pinterest|flipboard
         |messenger|sms)(?:[\s,|/]+\w+){0,8}
      | (?:click|tap)\ here\b.* | (?:watch|listen)(?:\ (?:now|live|the\ video))?:?.{0,60}
      | connect\ us\ on\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# More chrome lines, apart because they can only be told at their end (a photo credit in brackets, an image
# credit, a run of "|"-separated items): scanning a line for them costs more, and ``_chrome_line`` does it only
# when the line holds "(", "|" or "image credit".
_CHROME_ANYWHERE = re.compile(
    r"""(?:
        .{0,200}\((?:photo|image|file\ photo|file\ image|photo\ credit)s?\b[^)]*\)\.?
      | .{0,200}\bimage\ credit\s*:.{0,60}
      | [^|]{1,40}(?:\|[^|]{1,40}){2,}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _chrome_line(line: str) -> bool:
    """The whole line is chrome by ``_CHROME`` or ``_CHROME_ANYWHERE``."""
    if _CHROME.match(line):
        return True
    if "(" in line or "|" in line or not line.isascii() or "image credit" in line.lower():
        return _CHROME_ANYWHERE.match(line) is not None
    return False
# Phrases that make a whole (not too long) line chrome wherever they occur in it.
_CHROME_PHRASE = re.compile(
    r"""\b(?:all\ rights\ reserved | privacy\ policy | terms\ (?:of|and)\ (?:use|service|conditions) | cookie\ policy
      | terms\ &\ conditions | disclaimer | uses?\ cookies | use\ of\ cookies
      | auto-generated\ from\ a\ syndicated\ feed
      | already\ (?:a\ subscriber|registered|have\ an\ account) | create\ (?:a\ )?(?:free\ )?account
      | to\ continue\ reading | subscribers?\ only | for\ subscribers | newsletters? | sign\ up\ for
      | may\ not\ be\ (?:published|reproduced|redistributed))\b""",
    re.IGNORECASE | re.VERBOSE,
)
_PHRASE_MAX = 400  # longer lines are prose even if they mention a newsletter
# A word of each alternative of _CHROME_PHRASE, for _may_match.
_PHRASE_WORDS = ("rights", "privacy", "terms", "cookie", "disclaimer", "syndicated", "already", "account", "continue",
                 "subscriber", "newsletter", "sign", "may not")

# Bylines, timestamps, "5 min read".
_BYLINE = re.compile(
    r"""(?:
        (?:by|por|von|par|di|от|автор)\s+\S+(?:\s+\S+){0,6} | by\s+[^|]{1,60}\|.{0,120}
      | (?:updated|published|posted|created|last\ updated|modified)\b.{0,80}
      | [\w .,'-]{0,60}\|\s*(?:updated|published)\b.{0,80}
      | \W*(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})
        (?:[\s,]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+\w{2,4})?)?\W*
      | \W*(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?
        \s+\d{1,2},?\s+\d{4}.{0,30}
      | \W*\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?,?\s+\d{4}.{0,30}
      | (?:updated\s+)?\d+\s*(?:[smhdw]|mins?|minutes?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|secs?)\.?
        \s+(?:ago|read)\b.{0,30}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines after which the article is over: comment sections, footers, tag lists.
_COMMENTS = re.compile(
    r"""(?:\[?\s*\d*\s*(?:comments?|responses?|replies|reactions)\s*\]?.{0,30}
    | (?:leave|post|add|write)\ a\ (?:comment|reply)\b.*
      | join\ the\ (?:conversation|discussion)\b.* | top\ rated\ comments | show\ comments | view\ comments
      | .*\bcomments\ powered\ by\b.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_END = re.compile(
    r"""(?:©.* | \(c\)\ \d{4}.* | copyright\b.* | .*\ball\ rights\ reserved\b.* | comments\ are\ closed.*
      | about\ (?:the\ )?authors?\b.{0,40} | tags?\s*:.* | filed\ under\b.* | topics?\s*:.* | categor(?:y|ies)\s*:.*
      | first\ published\b.* | (?:posted|published)\ in\b.{0,60})$""",
    re.IGNORECASE | re.VERBOSE,
)
# Headers of link lists (related, trending, newsletter prompts): they cost the body region a little extra.
_LIST_HEADER = re.compile(
    r""".{0,40}\b(?:related|recommended|trending|popular|most\ (?:read|viewed|shared|popular)|latest
      |more\ (?:from|in|on|stories|news|articles)|top\ stories|also\ read|read\ (?:more|next|also)
      |you\ (?:may|might)\ (?:also\ )?like|editor'?s\ picks?|what\ to\ read\ next|further\ reading|around\ the\ web
      |from\ the\ web|sponsored|promoted|partner\ content|newsletter|subscribe|sign\ up|want\ more)\b.{0,80}$""",
    re.IGNORECASE | re.VERBOSE,
)

# --- classification ------------------------------------------------------------------------------------------

_BAD, _SHORT, _NEAR, _GOOD = 0, 1, 2, 3

_SHORT_CHARS = 40          # shorter lines are "short": their neighbours decide
_GOOD_CHARS = 60           # a stopword-rich line that ends a sentence and is this long is body
_GOOD_CHARS_NO_END = 200   # ... or this long without ending a sentence
_STOP_HIGH = 0.30          # stopword density of body prose (jusText's thresholds)
_STOP_LOW = 0.22
_MAX_GAP = 2               # non-body lines between two body lines that are kept (a subheading, a split sentence)
_LIST_STOP = 0.35          # a longer run is kept when it is stopword-rich prose (a bulleted list) ...
_LIST_NEAR = 0.6
_DATA_WEAK = 0.9           # ... or data (statistics, ingredients): nearly all of it not chrome, a third with digits
_DATA_DIGITS = 0.35
_NEAR_KEEP = 100           # inside the body, long near-body lines are kept
_ALPHA, _BETA = 0.5, 20.0  # region score: a non-body line costs ALPHA * its length + BETA
_ISOLATED = 0.5            # a body line without a body neighbour counts half (teasers alternate with headlines)
_LIST_HEADER_COST = 100.0
_DATELINE_BONUS = 3000.0
_AFTER_COMMENTS = 0.05     # regions after a comments header hardly count
_JOIN = 0.3                # a neighbouring region this good (relative) across a footer line is joined ...
_JOIN_GAP = 4              # ... when at most this many lines apart


def _classify(lines: list[str]) -> tuple[list[int], list[tuple[int, float] | None]]:
    """First pass: each line on its own. Returns classes and (words, stopword density) per line (None = chrome)."""
    stop = _stopwords_for(_WORD.findall("\n".join(lines).lower()))
    classes: list[int] = []
    feats: list[tuple[int, float] | None] = []
    for line in lines:
        size = len(line)
        if (size < 120 and (_chrome_line(line) or _BYLINE.match(line))) or (
                size <= _PHRASE_MAX and ((_may_match(line, _PHRASE_WORDS) and _CHROME_PHRASE.search(line))
                                         or (size >= 120 and _chrome_line(line)))):
            classes.append(_BAD)
            feats.append(None)
            continue
        words = _WORD.findall(line.lower())
        count = len(words)
        end = _ends_sentence(line)
        if stop:
            density = sum(map(stop.__contains__, words)) / count if count else 0.0
        else:  # no known stopwords (CJK, unknown language): sentence punctuation stands in for them
            density = 1.0 if count and (end or _SENTENCE_INSIDE.search(line)) else 0.0
        if count == 0:
            kind = _BAD
        elif size < _SHORT_CHARS:
            kind = _SHORT
        elif density >= _STOP_HIGH:
            kind = _GOOD if (end and size >= _GOOD_CHARS) or size >= _GOOD_CHARS_NO_END else _NEAR
        elif density >= _STOP_LOW:
            kind = _NEAR
        else:
            kind = _BAD
        if kind != _GOOD and size >= _GOOD_CHARS and (is_dateline(line)):
            kind = _GOOD  # "WASHINGTON (Reuters) - ..." opens a wire story whatever its stopwords
        classes.append(kind)
        feats.append((count, density))
    return classes, feats


def _context(lines: list[str], raw: list[int], feats: list[tuple[int, float] | None]) -> list[bool]:
    """Second pass: a near-body line that ends a sentence joins a body neighbour; a run of other lines between
    two body lines is kept when short (a subheading) or when it reads as a list of prose or data, else dropped."""
    n = len(raw)
    kinds = list(raw)
    for i, kind in enumerate(raw):
        if kind == _NEAR and _ends_sentence(lines[i]) and (
                (i > 0 and raw[i - 1] == _GOOD) or (i + 1 < n and raw[i + 1] == _GOOD)):
            kinds[i] = _GOOD
    good = [kind == _GOOD for kind in kinds]
    i = 0
    while i < n:
        if good[i]:
            i += 1
            continue
        j = i
        while j < n and not good[j]:
            j += 1
        if 0 < i and j < n:  # a run i..j-1 between two body lines
            run = range(i, j)
            if j - i <= _MAX_GAP:
                for r in run:
                    if kinds[r] in (_SHORT, _NEAR):
                        good[r] = True
            else:
                weak = [r for r in run if feats[r] is not None]
                digits = sum(1 for r in weak if _DIGIT.search(lines[r]))
                near = [r for r in run if kinds[r] == _NEAR]
                if len(weak) >= _DATA_WEAK * (j - i) and digits >= _DATA_DIGITS * (j - i):
                    for r in weak:
                        good[r] = True
                elif near and len(near) >= _LIST_NEAR * (j - i):
                    words = sum(feats[r][0] for r in near)  # type: ignore[index]
                    stops = sum(feats[r][0] * feats[r][1] for r in near)  # type: ignore[index]
                    if words and stops / words >= _LIST_STOP:
                        for r in run:
                            if kinds[r] in (_SHORT, _NEAR):
                                good[r] = True
        i = j
    _numbered_lists(lines, feats, good)
    return good


_NUMBERED = re.compile(r"(\d{1,2})[.)]\s+\S")


def _numbered_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool]) -> None:
    """A numbered list (1., 2., 3. ...) that starts right after body text is the article's own list (a top-ten,
    steps, a recipe): its items and the non-chrome lines between them are body. A list under a header (Most
    read, Related, Trending) or not following the body is left alone."""
    n = len(lines)
    i = 0
    while i < n:
        match = _NUMBERED.match(lines[i])
        if match is None or match.group(1) != "1" or good[i]:
            i += 1
            continue
        items, expected, j, gap = [i], 2, i + 1, 0
        while j < n and gap <= 2:
            nxt = _NUMBERED.match(lines[j])
            if nxt is not None and int(nxt.group(1)) == expected:
                items.append(j)
                expected, gap = expected + 1, 0
            elif feats[j] is None:
                break  # chrome ends the list
            else:
                gap += 1
            j += 1
        before = i - 1
        while before >= 0 and not good[before] and i - before <= 2 and feats[before] is not None \
                and not _LIST_HEADER.match(lines[before]):
            before -= 1
        if len(items) >= 3 and before >= 0 and good[before] and i - before <= 2:
            end = items[-1]
            if end + 1 < n and not good[end + 1] and feats[end + 1] is not None and len(lines[end + 1]) < 200 \
                    and not _LIST_HEADER.match(lines[end + 1]):
                end += 1  # the last item's own second line (a link, a price)
            for k in range(i, end + 1):
                if feats[k] is not None:
                    good[k] = True
            i = end + 1
        else:
            i += 1


def _best_run(lines: list[str], good: list[bool], lo: int, hi: int) -> tuple[int, int, float]:
    """Maximum-sum run of lines in [lo, hi): body lines add their length, other lines cost."""
    best = (lo, lo - 1, 0.0)
    start, total = lo, 0.0
    for i in range(lo, hi):
        line = lines[i]
        if good[i]:
            value = float(len(line))
            if not (i > 0 and good[i - 1]) and not (i + 1 < len(lines) and good[i + 1]):
                value *= _ISOLATED
            if line[:1].isupper() and (is_dateline(line)):
                value += _DATELINE_BONUS  # a wire story starts here
        else:
            value = -(_ALPHA * len(line) + _BETA)
            if _LIST_HEADER.match(line):
                value -= _LIST_HEADER_COST
        if total <= 0:
            start, total = i, 0.0
        total += value
        if total > best[2]:
            best = (start, i, total)
    return best


def _regions(lines: list[str], good: list[bool]) -> list[tuple[int, int]]:
    """The article body: the best run between footer lines, joined by neighbours nearly as good."""
    cuts = [i for i, line in enumerate(lines) if not good[i] and (_END.match(line) or _COMMENTS.match(line))]
    bounds = [-1, *cuts, len(lines)]
    runs = [_best_run(lines, good, bounds[j] + 1, bounds[j + 1]) for j in range(len(bounds) - 1)]
    weight = [1.0] * len(runs)
    for j in range(1, len(runs)):
        weight[j] = _AFTER_COMMENTS if _COMMENTS.match(lines[bounds[j]]) else weight[j - 1]
    top = max(range(len(runs)), key=lambda j: runs[j][2] * weight[j])
    if runs[top][2] <= 0:
        return []
    chosen = [runs[top]]
    for step in (1, -1):
        j = top
        while 0 <= j + step < len(runs):
            nxt = runs[j + step]
            gap = nxt[0] - runs[j][1] if step == 1 else runs[j][0] - nxt[1]
            if nxt[2] < _JOIN * runs[top][2] or gap > _JOIN_GAP:
                break
            chosen.append(nxt)
            j += step
    return [(a, b) for a, b, _ in chosen]


def _body_indexes(lines: list[str]) -> list[int]:
    """Indexes of the lines that are article body."""
    if not lines:
        return []
    raw, feats = _classify(lines)
    good = _context(lines, raw, feats)
    keep: list[int] = []
    for a, b in _regions(lines, good):
        keep.extend(i for i in range(a, b + 1)
                    if good[i] or (raw[i] == _NEAR and len(lines[i]) >= _NEAR_KEEP))
    keep.sort()
    return keep



_PROSE_END = frozenset(".!?\"'”’)»…。！？")
# Cheap literal hints (in lower case) that a text may hold chrome or metadata lines; a text with none of them
# whose lines all read as prose skips the passes.
_HINTS = ("©", "copyright", "reserved", "newsletter", "subscri", "cookie", "disclaimer", "syndicated", "credit",
          "photo", "image", "mobile version", "(reporting", "(writing", "(editing", "|", "•", "comments", "read more",
          "sign up", "log in")
_PROSE_CHARS = 25
_PROBE_CHARS = 200  # longer lines inside a prose text are paragraphs, not chrome


def split_lines(text: str) -> list[str]:
    """Non-empty lines, whitespace collapsed."""
    lines = [line for line in map(str.strip, text.splitlines()) if line]
    if "  " not in text and "\t" not in text and "\x1f" not in text and text.isascii():
        return lines
    return [" ".join(line.split()) if "  " in line or "\t" in line or "\x1f" in line
            or (not line.isascii() and not line.isprintable()) else line for line in lines]


# Registration walls and paywall prompts that a page dump runs into the article's own line (the wall's form
# fields follow on the same line): the line is cut where the prompt starts.
#: Literals (lower case, one space between words) one of which every match of ``_WALL`` holds in a line from
#: ``split_lines`` (where whitespace is single spaces), for ``_may_match``.
_WALL_MARKERS = ("free trial", "registered", "enter your details", "continue reading", "already a subscriber",
                 "create a free account", "sign up to read", "subscribe to read", "subscribers only", "reached your",
                 "remaining")
_WALL = re.compile(r"\b(?:take\s+a\s+free\s+trial|start\s+(?:your|a)\s+free\s+trial|registered\s+users\s+can"
                   r"|enter\s+your\s+details|(?:to|and)\s+continue\s+reading|already\s+a\s+subscriber"
                   r"|already\s+registered|create\s+a\s+free\s+account|sign\s+up\s+to\s+read|subscribe\s+to\s+read"
                   r"|(?:for|available\s+to)\s+subscribers\s+only|reached\s+your\s+(?:free\s+)?(?:article\s+)?limit"
                   r"|free\s+articles?\s+remaining)\b", re.IGNORECASE)


def _may_match(line: str, literals: tuple[str, ...]) -> bool:
    """False when a pattern cannot match: the line is ASCII (where IGNORECASE is plain lower-casing) and holds none
    of the literals that every match needs. Regular expressions of many alternatives cost microseconds per line;
    this costs a fraction of one."""
    if not line.isascii():
        return True
    lowered = line.lower()
    return any(map(lowered.__contains__, literals))


def _cut_walls(lines: list[str]) -> list[str]:
    """The lines cut where a registration wall starts (``lines`` itself when there is none)."""
    walls = [_WALL.search(line) if _may_match(line, _WALL_MARKERS) else None for line in lines]
    if not any(walls):
        return lines
    cut = (line if wall is None else line[: wall.start()].rstrip() for line, wall in zip(lines, walls, strict=True))
    return [line for line in cut if line]


def _is_prose(lines: list[str]) -> bool:
    """A plain article: every line but a possible title reads as prose (a sentence or more) and none of the
    lines where chrome could hide -- the first, the last two and any short one -- holds a chrome hint."""
    if not all(len(line) >= _PROSE_CHARS and line[-1] in _PROSE_END for line in lines[1:]):
        return False
    probe = "\n".join([*lines[:1], *(line for line in lines[1:-2] if len(line) < _PROBE_CHARS), *lines[-2:]]).lower()
    return not any(map(probe.__contains__, _HINTS))


def clean_text(text: str, *, id: str = "") -> Article:
    """Clean a plain-text article or whole-page text dump: drop chrome lines, keep every body paragraph."""
    body, title, date, wire, dateline = clean_paragraphs(text)
    return Article(id=id, text="\n\n".join(body), title=title, date=date, wire=wire, dateline=dateline)


def clean_paragraphs(text: str) -> tuple[list[str], str | None, str | None, str | None, str | None]:
    """``clean_text``'s (paragraphs, title, date, wire, dateline); each paragraph is one line of ``split_lines``."""
    date, text = split_date_line(text)
    lines = split_lines(text)
    meta, header_wire, dateline, credit = metadata_lines(lines)
    date = precise_date(date, header_timestamp(lines))
    rest = [line for line, flag in zip(lines, meta, strict=True) if not flag] if any(meta) else lines
    if _is_prose(rest):  # a plain article, perhaps with a credit line or a header: every other line is body
        lines = rest[1:] if rest and _is_chrome(rest[0]) else rest  # a byline above the story
        # only the first line (a possible title) may hold a wall's form fields: the others end like sentences
        lines = _cut_walls(lines[:1]) + lines[1:]
        keep = list(range(len(lines)))
    else:
        cut = _cut_walls(lines)
        if cut is not lines:
            lines = cut
            meta, header_wire, dateline, credit = metadata_lines(lines)
        keep = [index for index in _body_indexes(lines) if not meta[index]]
        if not keep:  # nothing reads as an article: keep what is not plainly chrome rather than nothing
            keep = [index for index, line in enumerate(lines) if not meta[index] and not _is_chrome(line)
                    and len(line) >= _GOOD_CHARS]
    title = _title(lines, keep)
    body = drop_repeated([lines[index] for index in keep if lines[index] != title])
    dateline, wire = news_fields(body, dateline, header_wire, credit)
    return body, title, date, wire, dateline


@lru_cache(maxsize=64)  # the byline check and the title search ask about the same first lines
def _is_chrome(line: str) -> bool:
    return bool(_chrome_line(line) or _BYLINE.match(line)
                or (len(line) <= _PHRASE_MAX and _may_match(line, _PHRASE_WORDS) and _CHROME_PHRASE.search(line)))


_CREDIT_TAIL = re.compile(r"(?:associated press|getty images|ap photo|reuters|afp|shutterstock|file photo|via)\W*$",
                          re.IGNORECASE)  # searched in the last 40 characters only
_CREDIT_WORDS = ("press", "images", "photo", "reuters", "afp", "shutterstock", "via")  # for _may_match


def _headline(line: str) -> bool:
    """3-25 words, not a sentence (may end in ? or !), no separators, not chrome, a byline or a photo credit."""
    words = line.count(" ") + 1
    return (3 <= words <= 25 and len(line) <= 200 and line[-1] not in ".:;,…)]" and "|" not in line
            and not _is_chrome(line) and not (_may_match(line[-40:], _CREDIT_WORDS) and _CREDIT_TAIL.search(line[-40:]))
            and not line.lower().startswith("by "))


def _title(lines: list[str], keep: list[int]) -> str | None:
    """The headline: the first body line when it is headline-like and more body follows; else the nearest
    headline-like line above the body, looking past captions, bylines and metadata; else the first line when
    it is headline-like and the text goes on after it."""
    first_body = keep[0] if keep else len(lines)
    if len(keep) > 1 and _headline(lines[first_body]):
        return lines[first_body]
    for index in range(first_body - 1, max(-1, first_body - 12), -1):
        if _headline(lines[index]):
            return lines[index]
    if len(lines) > 1 and _headline(lines[0]) and (first_body > 0 or lines[0][-1] not in _PROSE_END):
        return lines[0]
    return None


def drop_repeated(paragraphs: list[str]) -> list[str]:
    """Drop an opening paragraph that the text repeats later, whole or inside a longer paragraph (a standfirst
    or summary that opens the body again); the later copy is the one in place. Repeats further down (list items
    of a recipe or a table) stay. Paragraphs come whitespace-collapsed from ``split_lines``."""
    if len(paragraphs) < 2:
        return paragraphs
    keys = [paragraph.lower() for paragraph in paragraphs]
    lower = "\n".join(keys)
    drop = set()
    start = 0
    for index in range(min(5, len(keys) - 1)):
        key = keys[index]
        start += len(key) + 1
        if index < 3 or key.count(" ") >= 5:
            at = lower.find(key[:32], start)  # a short needle first: a long one costs a table per search
            if at >= 0 and lower.find(key, at) >= 0:
                drop.add(index)
    return [paragraph for index, paragraph in enumerate(paragraphs) if index not in drop] if drop else paragraphs




def reads_as_prose(paragraph: str) -> bool:
    """A paragraph long enough to be body that ends like a sentence."""
    return len(paragraph) >= _GOOD_CHARS and paragraph[-1] in _PROSE_END
