"""Plain text: the article body of a plain-text article or a whole-page text dump.

Do no harm first. Paragraphs are rebuilt (``paragraphs``: hard wraps undone), then chrome is removed only on
evidence: lines that a chrome pattern matches (found through a literal screen, so the patterns run on few
lines). A text with no such line comes out whole, whatever its tables, lists, short lines or sign-offs; one with
a stray chrome line or two loses just those; a page dump (four chrome lines or more, or one and a navigation
menu or footer) goes through the line classifier. What is left beside chrome must be 20 words or more, or
there is no article (a page that is only a sign-up prompt).

The line classifier, in the manner of jusText, in three passes:

1. each line on its own: chrome patterns (menus, share/follow/sign-in prompts, credits and captions, contact and
   legal lines, bylines and timestamps), length, stopword density in the document's language (jusText's
   stoplists) and sentence punctuation make it body, near-body, short or chrome;
2. context: a wire dateline ("WASHINGTON (Reuters) - ", "NEW YORK, March 3 - ") is body however short its line; a
   near-body line that ends a sentence joins a body neighbour; a run of other lines between two body lines is
   kept when it is short (a subheading, never a footer line) or reads as a list of prose or of data (not when a
   footer stands in it: sources, tags; data judged piece by piece between its chrome lines and list headers, so
   a table and the menu after it are not one list), and dropped when it is a list of links, a menu or teasers; a
   table of figures (an earnings report) is body wherever it stands, and so are the short lines of figures that
   follow a dateline;
3. region: the article is the best-scoring stretch of lines (body lines add their length, a dateline much more,
   other lines and list headers cost), never across a footer or a comments header (nor, in a wire story, a list
   header), so teaser summaries and legal notices after the article and the comments below it stay out; a
   stretch that opens under a short list header ("Popular", "Latest Headlines") counts 0.3 of its score, so a
   list of long teasers does not outscore a short story; a list of dated items that ends the body (tour dates)
   is the article's.

Cost. What the classifier asks of a line depends on the line alone (its class also on the document's language),
so it is found once and remembered across documents (``_FACTS``, ``_CLASSES``, bounded): a site's menus, trending
lists and footers recur on each of its pages. For the lines not remembered, the literals that the chrome patterns
need are looked for once in their joined text (``literals``: in a long text every 4-byte window hashed at once with
numpy), the first word of each line is looked up in a set, and the patterns run only on the lines so flagged;
words are counted on bytes (``_word_counts``), each line once. The literals a single line is screened for are one
trie-shaped regular expression (``literals.any_of``), and the English patterns match an ASCII line in lower case
without IGNORECASE (``_lower_case``), a third of the cost. The facts of a line also say whether it may open a wire
story, a dated item or a numbered one, so the context and region passes look at those lines alone and jump from run
to run of body lines (a dump's 150 lines are each looked at a few times, not in every pass): the lines holding a
fact those passes ask about (some 20 of a dump's 150) are found once per text (``_marked``), and each pass picks its
own among them; the footer, comments and phrase patterns have literal screens of their own.
``dedup._reference.clean_paragraphs`` is the slow version (every pattern on every line, nothing remembered, each
pass looking at each line) that the tests hold this one to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import compress, product, repeat
from operator import not_
from typing import TypeVar, cast

from ..documents import split_date_line
from .article import Article
from .literals import LONG, Literals, any_of, by_windows, lines_holding_each
from .news import header_timestamp, is_dateline, metadata_lines, news_fields, precise_date
from .paragraphs import rebuild_paragraphs

__all__ = ["CHROME_LINES", "PAGE_DUMP", "WHOLE", "clean_paragraphs", "clean_text", "cleaning_path", "drop_repeated",
           "forget_lines", "reads_as_prose", "split_lines"]


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

        text = files("justext").joinpath("stoplists").joinpath(f"{language}.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return _ENGLISH_FALLBACK if language == "English" else frozenset()
    return frozenset(word.lower() for word in text.split())


_Value = TypeVar("_Value")
_ENGLISH_SAMPLE, _SAMPLE = 600, 2000  # words the language is guessed from: English first, then the others


@cache
def _stoplist_bytes(language: str) -> frozenset[bytes]:
    return frozenset(word.encode() for word in _stoplist(language))


# ``_word_counts``: ASCII signs other than the apostrophe become spaces, and so do common non-ASCII signs.
_SPACED = bytes(code if code >= 0x80 or code == 0x27 or chr(code).isalpha() else 0x20 for code in range(256))
_SIGNS = tuple(sign.encode() for sign in "“”‘„«»—–…•·\xa0")


def _word_counts(line: str, language: str) -> tuple[int, int]:
    """(words, stopwords of ``language``) of a line, its words as ``_WORD.findall(line.lower())`` finds them:
    split on bytes; a piece that is not plain ASCII letters (an apostrophe, a letter beyond ASCII, a sign) is
    tokenised by ``_WORD`` itself (``_reference.line_class`` counts with ``_WORD`` alone)."""
    data = line.lower().encode("utf-8", "surrogatepass")
    if not line.isascii():
        for sign in _SIGNS:
            if sign in data:
                data = data.replace(sign, b" ")
    pieces = data.translate(_SPACED).split()
    stop = _stoplist_bytes(language) if language else frozenset()
    stops = sum(map(stop.__contains__, pieces)) if stop else 0
    if line.isascii() and "'" not in line:
        return len(pieces), stops
    odd = [piece for piece in pieces if not piece.isalpha()]
    if not odd:
        return len(pieces), stops
    count = len(pieces) - len(odd)
    if stop:
        stops -= sum(map(stop.__contains__, odd))
        text_stop = _stoplist(language)
    for piece in odd:
        words = _WORD.findall(piece.decode("utf-8", "surrogatepass"))
        count += len(words)
        if stop:
            stops += sum(map(text_stop.__contains__, words))
    return count, stops


def _language(lines: list[str]) -> str:
    """The document's language (``""``: none known): English when a fifth of its first 600 words are English
    stopwords (its prose runs 35-55%), the common case decided early; else the language whose stoplist covers
    most of its first 2,000 words, 8% of them at least. The ``_word_counts`` of the lines counted here are
    remembered in ``_ENGLISH_COUNTS``."""
    total = hits = 0
    known = _ENGLISH_COUNTS
    for line, counts in zip(lines, map(known.get, lines), strict=True):  # each looked up when the loop comes to it
        if counts is None:
            counts = _remember(known, line, _word_counts(line, "English"))
        if total + counts[0] > _ENGLISH_SAMPLE:  # the first words of this line only
            words = _WORD.findall(line.lower())[:_ENGLISH_SAMPLE - total]
            counts = (len(words), sum(map(_stoplist("English").__contains__, words)))
        total, hits = total + counts[0], hits + counts[1]
        if total >= _ENGLISH_SAMPLE:
            break
    if not total:
        return ""
    if hits >= 0.2 * total:
        return "English"
    sample = _WORD.findall("\n".join(lines).lower())[:_SAMPLE]
    best, best_hits = "", 0
    for language in _LANGUAGES:
        found = sum(map(_stoplist(language).__contains__, sample))
        if found > best_hits:
            best, best_hits = language, found
    return best if best_hits >= 0.08 * len(sample) else ""


#: Per-line results remembered across documents: a site's menus, trending lists and footers recur on each of its
#: pages, and what the classifier finds in a line depends on the line alone (and the document's language). Each
#: table is emptied when it reaches ``_REMEMBERED`` lines.
_REMEMBERED = 1 << 15
_ENGLISH_COUNTS: dict[str, tuple[int, int]] = {}   # line -> (words, English stopwords)
_FACTS: dict[str, int] = {}  # line -> _line_facts
_OPENS: dict[str, bool] = {}  # a line's head -> _opens_chrome
_CLASSES: dict[str, dict[str, tuple[int, tuple[int, float] | None]]] = {}  # language -> line -> class, features


def forget_lines() -> None:
    """Empty the tables of per-line results (a benchmark timing documents seen for the first time calls it)."""
    _ENGLISH_COUNTS.clear()
    _CLASSES.clear()
    _FACTS.clear()
    _OPENS.clear()
    _plain_evidence.cache_clear()


def _remember(table: dict[str, _Value], key: str, value: _Value) -> _Value:
    if len(table) >= _REMEMBERED:
        table.clear()
    table[key] = value
    return value


# Letters that IGNORECASE matches to a letter of a literal although ``str.lower`` does not make them that letter
# (dotless i, long s, a combining dot above, Cyrillic letter variants); "\x1f" is whitespace a line may keep.
_FOLD_CHARS = "ıſ\u0307\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\x1f"
_FOLD = str.maketrans({"ı": "i", "ſ": "s", "\u0307": None, "\u1c80": "в", "\u1c81": "д", "\u1c82": "о",
                       "\u1c83": "с", "\u1c84": "т", "\u1c85": "т", "\x1f": " "})


def _folded(text: str) -> str:
    """``text`` in lower case as IGNORECASE compares it with a literal (``_FOLD_CHARS`` folded)."""
    lowered = text.lower()
    if lowered.isascii() and "\x1f" not in lowered or not any(map(lowered.__contains__, _FOLD_CHARS)):
        return lowered
    return lowered.translate(_FOLD)


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
        trending(?:\ now|\ news)? | latest(?:\ news)? | (?:most\ (?:read|popular|viewed|shared|commented)\s*)+
      | top\ stories
      | popular | related(?:\ (?:news|articles?|stories|content|posts?|topics|coverage|videos?|links))?:?
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
      | (?:click|tap)\ here\b.* | (?:watch|listen)\b(?:\ (?:now|live|the\ video))?:?.{0,60}
      | connect\ us\ on\b.* | explore\ further | read\ later | continue\ reading(?:\ below)? | more\s*:
      | image\ (?:copyright|caption)\b.* | courtesy\ of\b.{0,60}
      | follow\ \S+(?:\ \S+)?\ on\ (?:instagram|facebook|twitter|youtube)\b.{0,80} | how\ to\ contact\ us
      | related\s*:\s*.{0,150} | see\ (?:more|also)\s*:.{0,150} | also\s*:.{0,150} | related\ coverage\b.{0,80}
      | [^\W\d][\w'&.\ -]{0,40}\ \(\d{1,6}\)
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# More chrome lines, apart because they can only be told at their end (a photo credit in brackets, an image
# credit, a run of "|"-separated items): scanning a line for them costs more, and ``_chrome_line`` does it only
# when the line holds "(", "|" or "image credit".
_CHROME_ANYWHERE = re.compile(
    r"""(?:
        .{0,200}\((?:photo|image|file\ photo|file\ image|photo\ credit)s?\b[^)]*\)\.?
      | .{0,400}\((?:ap|afp|reuters|getty|epa|ians|pti|ani)\ (?:photo|images?)\b[^)]*\)\.?
      | .{0,200}\bimage\ credit\s*:.{0,60} | .{0,400}?(?-i:Credit):\ ?(?-i:[A-Z0-9])[^.]{0,60}
      | .{20,400}(?:[.)]\ (?-i:less)|(?:\.\.\.|…)\ (?-i:more))
      | [^|]{1,40}(?:\|[^|]{1,40}){2,}
      | [^|]{1,40}\|\s*(?:getty\ images|ap|reuters|afp|shutterstock|associated\ press)
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


_TOGGLES = (" less", " more")  # a slideshow caption's "show more" / "show less"


def _ends_chrome(line: str) -> bool:
    """The line's end may close a chrome pattern: a category's count ("Politics (15)"), a caption's toggle."""
    return line[-1] == ")" or line.endswith(_TOGGLES)


def _chrome_line(line: str) -> bool:
    """The whole line is chrome by ``_CHROME`` or ``_CHROME_ANYWHERE`` (an ASCII line matched lower-cased:
    ``_lower_case``)."""
    if not line.isascii():
        return _CHROME.match(line) is not None or _CHROME_ANYWHERE.match(line) is not None
    lowered = line.lower()
    if _CHROME_LOWER.match(lowered):
        return True
    tail = line.rstrip()  # a match ends where the line's whitespace does
    if ("|" in line or "Credit:" in line or tail.endswith(_ANYWHERE_ENDS) and (tail[-1] != ")" or "(" in line)
            or "image credit" in lowered):
        return _CHROME_ANYWHERE.match(line) is not None
    return False


_ANYWHERE_ENDS = (")", ").", *_TOGGLES)  # how a match of ``_CHROME_ANYWHERE`` without "|" or a credit ends


def _lower_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (IGNORECASE, written in lower case, no case-sensitive part) without IGNORECASE: on an ASCII line
    in lower case it matches where ``pattern`` matches on the line, at a third of the cost of IGNORECASE."""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_CHROME_LOWER = _lower_case(_CHROME)
# Phrases that make a whole (not too long) line chrome wherever they occur in it.
_CHROME_PHRASE = re.compile(
    r"""\b(?:all\ rights\ reserved | privacy\ policy | terms\ (?:of|and)\ (?:use|service|conditions) | cookie\ policy
      | terms\ &\ conditions | disclaimer | uses?\ cookies | use\ of\ cookies
      | auto-generated\ from\ a\ syndicated\ feed
      | already\ (?:a\ subscriber|registered|have\ an\ account) | create\ (?:a\ )?(?:free\ )?account
      | to\ continue\ reading | subscribers?\ only | for\ subscribers | newsletters? | sign\ up\ for
      | may\ not\ be\ (?:published|reproduced|redistributed)
      | (?:we'?ll|we\ will)\ (?:send|deliver|e-?mail)\b | (?:breaking\ )?news\ alerts | e-?mail\ alerts
      | (?:to|in)\ your\ inbox | thanks?\ (?:you\ )?for\ (?:subscribing|signing\ up) | enter\ your\ e-?mail
      | by\ signing\ up | your\ e-?mail\ address | log\ ?in\ or\ register | unlimited\ access
      | reached\ (?:your|the)\ (?:free\ )?(?:article\ )?limit | unsubscribe\ at\ any\ time | no\ spam
      | community\ guidelines | visit\ our\ corporate\ site | have\ a\ (?:news\ )?tip | by\ clicking\ here)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_PHRASE_MAX = 400  # longer lines are prose even if they mention a newsletter
#: A literal of each alternative of ``_CHROME_PHRASE`` that every match of it holds (lower case), the tighter screen
#: ``_chrome_phrase`` runs: prose holds "terms", "account" or "continue" often, these rarely.
_PHRASE_LITERALS = ("all rights reserved", "privacy policy", "terms of ", "terms and ", "cookie policy",
                    "terms & conditions", "disclaimer", "use cookies", "uses cookies", "use of cookies",
                    "auto-generated from a syndicated feed", "already a subscriber", "already registered",
                    "already have an account", "create a", "create free", "create account", "to continue reading",
                    "subscriber only", "subscribers only", "for subscribers", "newsletter", "sign up for",
                    "may not be ", "well ", "we'll ", "we will ", "news alerts", "mail alerts", "your inbox",
                    "for subscribing", "for signing up", "enter your e", "by signing up", "mail address",
                    "in or register", "unlimited access", "reached your ", "reached the ", "unsubscribe at any time",
                    "no spam", "community guidelines", "visit our corporate site", "have a tip", "have a news tip",
                    "by clicking here")
_PHRASE_SCREEN = any_of(_PHRASE_LITERALS)
_PHRASE_LOWER = _lower_case(_CHROME_PHRASE)


def _chrome_phrase(line: str) -> bool:
    """``_CHROME_PHRASE`` is in the line: in an ASCII line only when a literal it needs is (``_may_match``), looked
    for lower-cased (``_lower_case``)."""
    if not line.isascii():
        return _CHROME_PHRASE.search(line) is not None
    lowered = line.lower()
    return _PHRASE_SCREEN.search(lowered) is not None and _PHRASE_LOWER.search(lowered) is not None

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
    | \d+\ (?:thoughts?|responses?|comments?|replies)\ (?:on|to)\b.{0,200}
    | (?:leave|post|add|write)\ a\ (?:comment|reply)\b.*
      | join\ the\ (?:conversation|discussion)\b.* | top\ rated\ comments | show\ comments | view\ comments
      | .*\bcomments\ powered\ by\b.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_SAYS = re.compile(r"[\w.'-]+(?: [\w.'-]+){0,2} (?:says|said|wrote):?$", re.IGNORECASE)  # a commenter's name
_THREAD = 2
_SAYS_ENDS = (" says", " said", " wrote")
_END = re.compile(
    r"""(?:©.* | \(c\)\ \d{4}.* | copyright\b.* | .*\ball\ rights\ reserved\b.* | comments\ are\ closed.*
      | about\ (?:the\ )?authors?\b.{0,40} | tags?\s*:.* | filed\ under\b.* | topics?\s*:.* | categor(?:y|ies)\s*:.*
      | first\ published\b.* | (?:posted|published)\ in\b.{0,60} | about\ this\ (?:article|story) | sources?\s*:
      | topics)$""",
    re.IGNORECASE | re.VERBOSE,
)
# Headers of link lists (related, trending, newsletter prompts): they cost the body region a little extra.
_LIST_HEADER = re.compile(
    r""".{0,40}\b(?:related|recommended|trending|popular|most\ (?:read|viewed|shared|popular)|latest
      |more\ (?:from|in|on|stories|news|articles)|top\ stories|also\ read|read\ (?:more|next|also)
      |you\ (?:may|might)\ (?:also\ )?like|editor'?s\ picks?|what\ to\ read\ next|further\ reading|around\ the\ web
      |from\ the\ web|sponsored|promoted|partner\ content|newsletter|subscribe|sign\ up|want\ more
      |more(?=:))\b.{0,80}$""",
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
_BUTTONS = ("comment", "comment:")  # a share bar's button ("Tweet", "Share", "Comment"), not a comments header
_JOIN = 0.3                # a neighbouring region this good (relative) across a footer line is joined ...
_JOIN_GAP = 4              # ... when at most this many lines apart
_UNDER_LIST = 0.3          # a region that opens under a list header (teasers, most read) counts this much ...
_UNDER_LINES = 3           # ... the header this many lines above it at most, with no body line between


def _classify(lines: list[str], facts: list[int]) -> tuple[list[int], list[tuple[int, float] | None]]:
    """First pass: each line on its own. Returns classes and (words, stopword density) per line (None = chrome;
    a short line's features are not counted: no rule reads them). ``facts``: the ``_line_facts`` of the lines;
    the chrome patterns run on the lines they may match alone."""
    language = _language(lines)
    known = _CLASSES.setdefault(language, {})
    counted = _ENGLISH_COUNTS if language == "English" else {}  # lines counted in English, this text's first
    found = list(map(known.get, lines))
    for index in list(compress(range(len(found)), map(not_, found))):  # the lines not remembered (None)
        line = lines[index]
        value = known.get(line)  # a line met earlier in this text
        if value is None:
            value = _remember(known, line, _line_class(line, bool(facts[index] & _SCREENED), language, counted))
        found[index] = value
    classified = cast("list[tuple[int, tuple[int, float] | None]]", found)  # every line found now
    if not classified:
        return [], []
    kinds, feats = zip(*classified, strict=True)
    return list(kinds), list(feats)


_UNCOUNTED = (0, 0.0)  # the features of a short line


def _line_class(line: str, screened: bool, language: str,
                counted: dict[str, tuple[int, int]]) -> tuple[int, tuple[int, float] | None]:
    """``_classify`` on one line (``_reference.line_class`` is the obvious version); ``counted``: the
    ``_word_counts`` of some lines in ``language``."""
    size = len(line)
    if size < _GOOD_CHARS_NO_END and not line.isascii():
        size += len(_CJK.findall(line))  # a CJK character counts two
    if screened and _classed_chrome(line, size):
        return _BAD, None
    if size < _SHORT_CHARS:
        return (_SHORT, _UNCOUNTED) if _WORD.search(line.lower()) else (_BAD, _UNCOUNTED)
    count, stops = counted.get(line) or _word_counts(line, language)
    end = _ends_sentence(line)
    if language:
        density = stops / count if count else 0.0
    else:  # no known stopwords (CJK, unknown language): sentence punctuation stands in for them
        density = 1.0 if count and (end or _SENTENCE_INSIDE.search(line)) else 0.0
    if count == 0:
        kind = _BAD
    elif density >= _STOP_HIGH:
        kind = _GOOD if (end and size >= _GOOD_CHARS) or size >= _GOOD_CHARS_NO_END else _NEAR
    elif density >= _STOP_LOW:
        kind = _NEAR
    else:
        kind = _BAD
    if kind != _GOOD and size >= _GOOD_CHARS and _may_be_dateline(line):
        kind = _GOOD  # "WASHINGTON (Reuters) - ..." opens a wire story whatever its stopwords
    return kind, (count, density)


def _classed_chrome(line: str, size: int) -> bool:
    """The classifier's chrome test: a chrome line or byline (under 120 characters), a chrome phrase (400 at
    most) or chrome in another language."""
    return bool((size < 120 and (_chrome_line(line) or _BYLINE.match(line)))
                or (size <= _PHRASE_MAX and (_chrome_phrase(line) or (size >= 120 and _chrome_line(line))))
                or _intl_chrome(line))


def _may_be_dateline(line: str) -> bool:
    """``is_dateline``, run only on lines that open with a capital and hold a bracket (every dateline does)."""
    return "A" <= line[0] <= "Z" and "(" in line and is_dateline(line)


# A wire dateline without the agency: the place in capitals, perhaps its state, the month and day, a dash
# ("NEW YORK, March 3 - ", "ST. JOSEPH, Mich., March 3 - ", "NEW YORK, MARCH 3 - ").
_PLACE_DATELINE = re.compile(
    r"[A-Z]{2}[A-Z .'&/-]{0,40},(?:\s*[A-Z][A-Za-z.]{1,14}(?:\s[A-Z][a-z.]+)?,)?"
    r"\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT"
    r"|NOV|DEC)[A-Z]{0,6})\.?\s+\d{1,2}\s*[-–—]+\s*\S")


def _opens_story(line: str) -> bool:
    """A wire dateline opens the line: with the agency ("WASHINGTON (Reuters) - ") or without it."""
    return _may_be_dateline(line) or ("A" <= line[0] <= "Z" and "A" <= line[1:2] <= "Z"
                                      and _PLACE_DATELINE.match(line) is not None)


def _context(lines: list[str], raw: list[int], feats: list[tuple[int, float] | None], facts: list[int],
             marked: list[int]) -> list[bool]:
    """Second pass: a wire dateline is body however short its line; a near-body line that ends a sentence joins a
    body neighbour; a run of other lines between two body lines is kept when short (a subheading) or when it
    reads as a list of prose or data, else dropped. ``marked``: the ``_marked`` lines of ``facts``."""
    n = len(raw)
    raw = list(raw)
    stories = _holding(facts, marked, _STORY)
    for i in stories:
        if feats[i] is not None:
            raw[i] = _GOOD
    kinds = list(raw)
    for i in compress(range(n), map(_NEAR.__eq__, raw)):
        if _ends_sentence(lines[i]) and ((i > 0 and raw[i - 1] == _GOOD) or (i + 1 < n and raw[i + 1] == _GOOD)):
            kinds[i] = _GOOD
    good = list(map(_GOOD.__eq__, kinds))
    body = bytes(good)  # as it stands now: the loop changes only the lines of runs it has passed
    i = body.find(0)
    while i >= 0:
        j = body.find(1, i)
        j = n if j < 0 else j
        if 0 < i and j < n:  # a run i..j-1 between two body lines
            _judge_run(lines, kinds, feats, facts, good, i, j)
        i = body.find(0, j)
    _numbered_lists(lines, feats, good, facts, _holding(facts, marked, _DIGIT_HEAD))
    _dated_lists(lines, feats, good, facts, _holding(facts, marked, _MONTH_LINE))
    _tables(lines, raw, feats, good, facts, _holding(facts, marked, _ROW))
    _after_datelines(lines, feats, good, facts, stories)
    return good


def _judge_run(lines: list[str], kinds: list[int], feats: list[tuple[int, float] | None], facts: list[int],
               good: list[bool], i: int, j: int) -> None:
    """The run ``i..j-1`` of other lines between two body lines: kept when short (a subheading) or when it reads
    as a list of prose or data; dropped when a footer is inside it or a list header opens it."""
    run = range(i, j)
    if j - i > _MAX_GAP and any(map(_END_LINE.__and__, facts[i:j])):
        return  # a footer inside: what follows it (sources, tags) is not the article's list
    if j - i <= _MAX_GAP:  # a subheading, but never a footer line ("About this article")
        for r in run:
            if kinds[r] in (_SHORT, _NEAR) and not facts[r] & _END_LINE:
                good[r] = True
    elif not facts[i] & _LIST_HEAD:  # a run under a list header is a list of links, not the article's
        weak = [r for r in run if feats[r] is not None]
        digits = sum(1 for r in weak if _DIGIT.search(lines[r]))
        near = [r for r in run if kinds[r] == _NEAR]
        if len(weak) >= _DATA_WEAK * (j - i) and digits >= _DATA_DIGITS * (j - i):
            for r in _data_pieces(lines, run, feats, facts):
                good[r] = not facts[r] & _END_LINE
        elif near and len(near) >= _LIST_NEAR * (j - i):
            counted = [feature for r in near if (feature := feats[r]) is not None]  # near lines have features
            words = sum(count for count, _density in counted)
            stops = sum(count * density for count, density in counted)
            if words and stops / words >= _LIST_STOP:
                for r in run:
                    if kinds[r] in (_SHORT, _NEAR) and not facts[r] & _END_LINE:
                        good[r] = True


def _after_datelines(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool],
                     facts: list[int], stories: list[int]) -> None:
    """The short lines of figures that follow a wire dateline are the story's (an earnings report: "Net 705,496
    vs 257,153", "Pre-tax 295.6 mln stg vs 599.3 mln."), up to the first chrome line, list header or footer, or
    three lines in a row of something else; the labels and notes between them ("Six mths") go with them.
    ``stories``: the lines that a wire dateline opens (``_STORY``)."""
    n = len(lines)
    for i in stories:
        if not good[i]:
            continue
        last, j = i, i + 1
        while j < n and feats[j] is not None and not facts[j] & (_LIST_HEAD | _ENDS_OR_COMMENTS) \
                and j - last <= _MAX_GAP + 1:
            if not good[j] and len(lines[j]) < _ROW_CHARS and _DIGIT.search(lines[j]):
                last = j
            j += 1
        for k in range(i + 1, last + 1):
            good[k] = True


def _data_pieces(lines: list[str], run: range, feats: list[tuple[int, float] | None], facts: list[int]) -> list[int]:
    """The lines of a run of data that are the article's: the run split at its chrome lines and list headers, the
    pieces that hold figures themselves (a table, then a menu or a list of teasers after a section name, is not
    one list), none under a list header."""
    kept: list[int] = []
    piece: list[int] = []
    header = False
    for r in (*run, None):
        if r is not None and feats[r] is not None and not facts[r] & _LIST_HEAD:
            piece.append(r)
            continue
        if piece and not header and sum(1 for k in piece if _DIGIT.search(lines[k])) >= _DATA_DIGITS * len(piece):
            kept.extend(piece)
        piece, header = [], r is not None and bool(facts[r] & _LIST_HEAD)
    return kept


_NUMBERED = re.compile(r"(\d{1,2})[.)]\s+\S")
# A list item that opens with a date: "June 9 – West Palm Beach, FL", "Oct. 3: Phoenix".
_DATED = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.IGNORECASE)
_DATED_ITEMS = 3
#: How a ``_DATED`` match opens: a month's first three letters in any case, "ſ" for "s" (IGNORECASE equates them).
_MONTH_HEADS = frozenset(
    "".join(letters) for month in "jan feb mar apr may jun jul aug sep oct nov dec".split()
    for letters in product(*[(char, char.upper(), *("ſ" if char == "s" else ())) for char in month]))
_DATED_CHARS = 200


def _dated_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool],
                 facts: list[int], months: list[int]) -> None:
    """A list of dated items (tour dates, a schedule) that ends the body, right after it or under a short
    heading that follows it, is the article's own: three items or more, one after another, none chrome.
    ``months``: the lines that may open with a month (``_MONTH_LINE``)."""
    n = len(lines)
    lasts = months[_DATED_ITEMS - 1:]
    if not any(last - first == _DATED_ITEMS - 1 for first, last in zip(months, lasts, strict=False)):
        return  # no run of lines that may open with a month as long as a list needs
    i = 1
    while i < n:
        head = i if good[i - 1] else i - 1
        if good[i] or not (good[head - 1] if head > 0 else False) or (head < i and (
                feats[head] is None or facts[head] & _LIST_HEAD or len(lines[head]) >= _DATED_CHARS)):
            i += 1
            continue
        end = i
        while end < n and not good[end] and feats[end] is not None and len(lines[end]) < _DATED_CHARS \
                and _DATED.match(lines[end]):
            end += 1
        if end - i >= _DATED_ITEMS:
            for k in range(head, end):
                good[k] = True
            i = end
        else:
            i += 1


_ROW_CHARS = 100
_NUMBER = re.compile(r"\d[\d,.:/]*")  # "2,276,000", "13.1", a time "01:36" or a date "11/15" counts one
_TWO_NUMBERS = re.compile(r"\d[\d,.:/]*[^\d,.:/].*?\d")  # a screen for ``table_row``: ``_NUMBER`` twice
_ROW_WORDS = 3      # a table row has at most this many words more than numbers


def table_row(line: str) -> bool:
    """The line reads as a row of figures: two numbers or more, and hardly more words than numbers ("Net
    2,276,000 vs 1,674,000", "Oper shr 33 cts vs 18 cts"; not a headline with a number or two in it)."""
    numbers = len(_NUMBER.findall(line))
    return numbers >= 2 and len(_WORD.findall(line)) <= numbers + _ROW_WORDS
_TABLE_ROWS = 4     # a table: this many rows or more ...
_TABLE_SHARE = 0.6  # ... and this share of its lines, none chrome, none a footer


def _tables(lines: list[str], raw: list[int], feats: list[tuple[int, float] | None], good: list[bool],
            facts: list[int], rows: list[int]) -> None:
    """A table of figures (an earnings report: "Shr 43 cts vs 37 cts", "Net 2,276,000 vs 1,674,000") is body
    wherever it stands: a run of short lines, none chrome, none prose (a poll's "Yes, the game is cool (29%, 1,186
    Votes)" is not a table), most of them holding two numbers or more. ``rows``: the lines that hold two numbers
    or more (``_ROW``)."""
    if len(rows) < _TABLE_ROWS:
        return

    def cell(k: int) -> bool:
        return (not good[k] and raw[k] in (_SHORT, _BAD) and feats[k] is not None and len(lines[k]) < _ROW_CHARS
                and not facts[k] & _ENDS_OR_COMMENTS)

    end = 0
    for row in rows:  # the run of cells around each row not yet looked at
        if row < end or not cell(row):
            continue
        start, end = row, row + 1
        while start > 0 and cell(start - 1):
            start -= 1
        while end < len(lines) and cell(end):
            end += 1
        count = sum(1 for index in range(start, end) if facts[index] & _ROW)
        if count >= _TABLE_ROWS and count >= _TABLE_SHARE * (end - start):
            for index in range(start, end):
                good[index] = True


def _numbered_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool],
                    facts: list[int], heads: list[int]) -> None:
    """A numbered list (1., 2., 3. ...) that starts right after body text is the article's own list (a top-ten,
    steps, a recipe): its items and the non-chrome lines between them are body. A list under a header (Most
    read, Related, Trending) or not following the body is left alone. Only the lines whose facts say they may
    open a numbered item (``heads``: ``_DIGIT_HEAD``) are matched."""
    matches = [(index, _NUMBERED.match(lines[index])) for index in heads]
    if not any(match is not None and match.group(1) == "1" for _index, match in matches):
        return  # no list starts
    numbered: list[re.Match[str] | None] = [None] * len(lines)
    for index, match in matches:
        numbered[index] = match
    _mark_numbered_lists(lines, feats, good, facts, numbered)


def _mark_numbered_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool], facts: list[int],
                        numbered: list[re.Match[str] | None]) -> None:
    """``_numbered_lists`` given the ``_NUMBERED`` match of each line (``None``: none)."""
    n = len(lines)
    resume = 0
    for i in [index for index, match in enumerate(numbered) if match is not None and match.group(1) == "1"]:
        if i < resume or good[i]:
            continue
        items, expected, j, gap = [i], 2, i + 1, 0
        while j < n and gap <= 2:
            nxt = numbered[j]
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
                and not facts[before] & _LIST_HEAD:
            before -= 1
        if len(items) >= 3 and before >= 0 and good[before] and i - before <= 2:
            end = items[-1]
            if end + 1 < n and not good[end + 1] and feats[end + 1] is not None and len(lines[end + 1]) < 200 \
                    and not facts[end + 1] & _LIST_HEAD:
                end += 1  # the last item's own second line (a link, a price)
            for k in range(i, end + 1):
                if feats[k] is not None:
                    good[k] = True
            resume = end + 1


def _run_values(lines: list[str], good: list[bool], facts: list[int], marked: list[int]) -> list[float]:
    """What each line adds to a region's score: a body line its length (half without a body neighbour; a
    dateline opening a wire story much more), another line costs. ``marked``: the ``_marked`` lines."""
    n = len(lines)
    sizes = list(map(len, lines))
    costs = _costs(max(sizes, default=0))
    values = list(map(costs.__getitem__, sizes))
    for i in _holding(facts, marked, _LIST_HEAD):
        values[i] -= _LIST_HEADER_COST
    for i in compress(range(n), good):  # a few lines in a page dump: their values replace those above
        line = lines[i]
        value = float(len(line))
        if not (i > 0 and good[i - 1]) and not (i + 1 < n and good[i + 1]):
            value *= _ISOLATED
        if facts[i] & _STORY:
            value += _DATELINE_BONUS  # a wire story starts here
        values[i] = value
    return values


_COSTS: list[float] = []  # _COSTS[size]: what a non-body line of this many characters costs a region


def _costs(longest: int) -> list[float]:
    """``_COSTS``, long enough for a line of ``longest`` characters."""
    if len(_COSTS) <= longest:
        _COSTS.extend(-(_ALPHA * size + _BETA) for size in range(len(_COSTS), longest + 1 + 1024))
    return _COSTS


def _best_run(values: list[float], lo: int, hi: int) -> tuple[int, int, float]:
    """Maximum-sum run of lines in [lo, hi) by their ``_run_values``."""
    best = (lo, lo - 1, 0.0)
    start, total = lo, 0.0
    for i in range(lo, hi):
        if total <= 0:
            start, total = i, 0.0
        total += values[i]
        if total > best[2]:
            best = (start, i, total)
    return best


def _regions(lines: list[str], good: list[bool], facts: list[int], marked: list[int]) -> list[tuple[int, int]]:
    """The article body: the best run between footer lines, joined by neighbours nearly as good; a wire story
    (a text with a dateline) also ends at a list header ("Related Articles", "Top stories"): what follows is the
    page's. ``facts``: the ``_line_facts`` of the lines; ``marked``: the ``_marked`` ones."""
    says = _holding(facts, marked, _SAYS_LINE)
    thread = set(says) if len(says) >= _THREAD else set()  # "joetoronto says:" twice or more: a comment thread
    wire = any(good[i] for i in _holding(facts, marked, _STORY))
    may_cut = _holding(facts, marked, _ENDS_OR_COMMENTS | _LIST_HEAD | _SAYS_LINE)  # each cut has one of these
    cuts = [i for i in may_cut  # a comments header between two comments may read as body
            if facts[i] & (_COMMENTS_LINE if good[i] else _ENDS_OR_COMMENTS) or i in thread
            or (wire and facts[i] & _LIST_HEAD and not good[i] and len(lines[i]) < _SHORT_CHARS)]
    bounds = [-1, *cuts, len(lines)]
    values = _run_values(lines, good, facts, marked)
    body = bytes(good)
    runs = []
    for j in range(len(bounds) - 1):  # a body line adds to a run, any other line takes from it: the best run
        lo, hi = bounds[j] + 1, bounds[j + 1]  # starts at a body line and ends at one
        first = body.find(1, lo, hi)
        runs.append(_best_run(values, first, body.rfind(1, lo, hi) + 1) if first >= 0 else (lo, lo - 1, 0.0))
    return _chosen_runs(lines, bounds, runs, good, facts, thread)


def _chosen_runs(lines: list[str], bounds: list[int], runs: list[tuple[int, int, float]], good: list[bool],
                 facts: list[int], thread: set[int]) -> list[tuple[int, int]]:
    """Of the best ``runs`` of the regions between ``bounds``, the one that weighs most (a region after comments
    or under a list header weighs less) and the good runs next to it, near enough to join it."""
    weight = [1.0] * len(runs)
    for j in range(1, len(runs)):
        cut = bounds[j]
        comments = facts[cut] & _COMMENTS_LINE and lines[cut].lower() not in _BUTTONS or cut in thread
        weight[j] = _AFTER_COMMENTS if comments else weight[j - 1]
    for j, (start, _end, _score) in enumerate(runs):
        if _under_list_header(lines, start, good, facts):
            weight[j] *= _UNDER_LIST
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


def _under_list_header(lines: list[str], start: int, good: list[bool], facts: list[int]) -> bool:
    """The lines just above ``start`` (none of them body) hold the header of a list of links, a short line
    (not a headline that says "latest", not a sign-up prompt or button): the region is the list's items."""
    for i in range(start - 1, max(start - 1 - _UNDER_LINES, -1), -1):
        if facts[i] & _LIST_HEAD and len(lines[i]) < _SHORT_CHARS and not _PROMPT_HEADER.match(lines[i]):
            return True
        if good[i]:
            return False
    return False


def _footer(line: str) -> int:
    """``_END_LINE`` when a footer pattern matches the line, ``_COMMENTS_LINE`` when a comments header does; each
    pattern run only when the line, lower-cased as IGNORECASE compares it, opens with a word the pattern opens with
    or holds a literal that the pattern needs anywhere (``_reference.footer`` runs both on every line)."""
    lowered = line.lower() if line.isascii() else _folded(line)
    end = (lowered.startswith(_END_STARTS) or "all rights reserved" in lowered) and _END.match(line)
    comments = _COMMENTS_SCREEN.search(lowered) and _COMMENTS.match(line)
    return (_END_LINE if end else 0) | (_COMMENTS_LINE if comments else 0)


#: How every match of ``_END`` starts, but for one that holds "all rights reserved" (lower case, ``_folded``).
_END_STARTS = ("©", "(c) ", "copyright", "comments are closed", "about ", "tag", "filed under", "topic", "categor",
               "first published", "posted in", "published in", "source")
#: A literal one of which every match of ``_COMMENTS`` holds.
_COMMENTS_SCREEN = any_of(("comment", "respons", "repl", "reaction", "thought", "join the "))


# Words one of which every match of ``_LIST_HEADER`` holds (lower case), and the longest line it matches.
_LIST_WORDS = ("related", "recommended", "trending", "popular", "most ", "latest", "more ", "top stories",
               "also read", "read ", "you may", "you might", "editor", "what to read", "further reading",
               "around the web", "from the web", "sponsored", "promoted", "partner content", "newsletter",
               "subscribe", "sign up", "want more", "more:")
_LIST_HEADER_CHARS = 140
# The list headers that are a prompt or a button rather than the header of a list of links.
_PROMPT_HEADER = re.compile(r".{0,40}\b(?:newsletter|subscribe|sign\ up|want\ more)\b", re.IGNORECASE)


_Classify = Callable[[list[str], list[int]], tuple[list[int], list[tuple[int, float] | None]]]


def _body_indexes(lines: list[str], facts: list[int], classify: _Classify = _classify) -> list[int]:
    """Indexes of the lines that are article body (``facts``: their ``_line_facts``; ``classify``: the first
    pass, which the reference gives its own)."""
    if not lines:
        return []
    raw, feats = classify(lines, facts)
    marked = _marked(facts)
    good = _context(lines, raw, feats, facts, marked)
    keep: list[int] = []
    for a, b in _regions(lines, good, facts, marked):  # the body lines, and the long near-body ones
        keep.extend(compress(range(a, b + 1), good[a:b + 1]))
        keep.extend(i for i in compress(range(a, b + 1), map(_NEAR.__eq__, raw[a:b + 1]))
                    if not good[i] and len(lines[i]) >= _NEAR_KEEP)
    keep.sort()
    return keep


_PROSE_END = frozenset(".!?\"'”’)»…。！？")

# The same kinds of chrome in German, Spanish, French, Italian, Russian, Turkish, Polish, Arabic and Chinese:
# whole lines (share, related articles, read also, sign in, advertising, comments, home, search, close) ...
_CHROME_INTL = re.compile(
    r"""(?:
        teilen | auf\ \w+\ teilen | mehr\ zum\ thema | weitere\ artikel | verwandte\ artikel | ähnliche\ artikel
      | das\ könnte\ sie\ (?:auch\ )?interessieren | lesen\ sie\ (?:auch|mehr) | mehr\ lesen | weiterlesen | anzeige
      | werbung | kommentare | startseite | suche | anmelden | abmelden | registrieren | schließen | meistgelesen
      | zurück\ zur\ übersicht | impressum | datenschutz(?:erklärung)?
      | compartir(?:\ en\ \w+)? | noticias\ relacionadas | (?:también\ )?te\ puede\ interesar | lee\ también
      | leer\ más | más\ noticias | publicidad | comentarios | lo\ más\ leído | inicio | buscar | cerrar
      | iniciar\ sesión | regístrate | suscríbete | política\ de\ privacidad | aviso\ legal
      | partager(?:\ sur\ \w+)? | articles\ similaires | à\ lire\ aussi | lire\ aussi | lire\ la\ suite
      | sur\ le\ même\ sujet | vous\ aimerez\ aussi | abonnez-vous | s'abonner | se\ connecter | publicité
      | commentaires | les\ plus\ lus | accueil | rechercher | fermer | mentions\ légales
      | politique\ de\ confidentialité
      | condividi(?:\ su\ \w+)? | articoli\ correlati | leggi\ anche | leggi\ di\ più | potrebbe\ interessarti
      | iscriviti | accedi | registrati | pubblicità | commenti | lascia\ un\ commento | i\ più\ letti | cerca
      | chiudi
      | поделиться | читайте\ также | читать\ далее | подробнее | похожие\ статьи | популярное
      | самое\ читаемое | подписаться | войти | регистрация | реклама | комментарии | главная | поиск | закрыть
      | политика\ конфиденциальности
      | paylaş | \w+'(?:t|d)a\ paylaş | ilgili\ haberler | benzer\ haberler | bunlar\ da\ ilginizi\ çekebilir
      | devamını\ oku | daha\ fazla | abone\ ol | giriş\ yap | üye\ ol | reklam | yorumlar
      | en\ çok\ okunanlar | ana\ sayfa | kapat | gizlilik\ politikası
      | udostępnij | podziel\ się | czytaj\ (?:także|też|więcej) | zobacz\ (?:także|też) | powiązane\ artykuły
      | najczęściej\ czytane | subskrybuj | zaloguj\ się | zarejestruj\ się | komentarze | strona\ główna
      | szukaj | zamknij | polityka\ prywatności
      | شارك | مشاركة | اقرأ\ أيضا[ًً]? | اقرأ\ المزيد | أخبار\ ذات\ صلة | مقالات\ ذات\ صلة | الأكثر\ قراءة
      | اشترك | تسجيل\ الدخول | إعلان | التعليقات | الرئيسية | بحث | إغلاق
      | 分享(?:到|至)?\S{0,10} | 相[关關](?:新[闻聞]|文章|[阅閱][读讀]) | 延伸[阅閱][读讀] | 推荐[阅閱][读讀]
      | [阅閱][读讀]更多 | 更多 | [订訂][阅閱] | [登登][录入] | [注註][册冊] | [广廣][告] | [评評][论論] | 首[页頁]
      | 搜索 | [关關][闭閉] | [热熱][门門] | [责責]任[编編][辑輯].{0,12} | 免[责責][声聲]明 | [扫掃]一[扫掃].{0,20}
    )\W{0,3}$""",
    re.IGNORECASE | re.VERBOSE,
)
# ... and lines that open with "read also:" and the like, or hold a copyright or sign-up phrase.
_LEAD_INTL = re.compile(
    r"(?:lesen\s+sie\s+auch|mehr\s+zum\s+thema|lee\s+también|à\s+lire\s+aussi|lire\s+aussi|leggi\s+anche"
    r"|читайте\s+также|czytaj\s+(?:także|też)|zobacz\s+(?:także|też)|اقرأ\s+أيضا|相[关關][阅閱][读讀]"
    r"|延伸[阅閱][读讀]|推荐[阅閱][读讀])\s*[:：]", re.IGNORECASE)
_PHRASE_INTL = re.compile(
    r"rechte\s+vorbehalten|newsletter\s+abonnieren|derechos\s+reservados|suscríbete\s+a|droits\s+réservés"
    r"|inscrivez-vous|abonnez-vous\s+à|diritti\s+riservati|iscriviti\s+alla|права\s+защищены|подпишитесь"
    r"|hakları\s+saklıdır|bültenimize|prawa\s+zastrzeżone|zapisz\s+się\s+do|الحقوق\s+محفوظة|اشترك\s+في"
    r"|版[权權]所有|[订訂][阅閱](?:我们|我們|新闻|新聞)", re.IGNORECASE)
_INTL_FIRST = """teilen auf mehr weitere verwandte ähnliche das lesen weiterlesen anzeige werbung kommentare startseite
    suche anmelden abmelden registrieren schließen meistgelesen zurück impressum datenschutz datenschutzerklärung
    compartir noticias también te lee leer más publicidad comentarios lo inicio buscar cerrar iniciar regístrate
    suscríbete política aviso partager articles à lire sur vous abonnez-vous s'abonner se publicité commentaires
    les accueil rechercher fermer mentions politique condividi articoli leggi potrebbe iscriviti accedi registrati
    pubblicità commenti lascia cerca chiudi поделиться читайте читать подробнее похожие популярное самое
    подписаться войти регистрация реклама комментарии главная поиск закрыть политика paylaş ilgili benzer bunlar
    devamını daha abone giriş üye reklam yorumlar en ana kapat gizlilik udostępnij podziel czytaj zobacz powiązane
    najczęściej subskrybuj zaloguj zarejestruj komentarze strona szukaj zamknij polityka شارك مشاركة اقرأ أخبار
    مقالات الأكثر اشترك تسجيل إعلان التعليقات الرئيسية بحث إغلاق""".split()
_INTL_HEADS = frozenset(map(_folded, _INTL_FIRST))
_INTL_PREFIXES = tuple("""分享 相关 相關 延伸 推荐 阅读 閱讀 更多 订阅 訂閱 登录 登入 注册 註冊 广告 廣告 评论 評論 首页
    首頁 搜索 关闭 關閉 热门 熱門 责任 責任 免责 免責 扫一扫 掃一掃""".split())
_INTL_LITERALS = ("rechte vorbehalten", "newsletter abonnieren", "derechos reservados", "suscríbete", "droits réservés",
                  "inscrivez-vous", "abonnez-vous", "diritti riservati", "iscriviti", "права защищены", "подпишитесь",
                  "hakları saklıdır", "bültenimize", "prawa zastrzeżone", "zapisz się", "الحقوق محفوظة", "اشترك",
                  "版权所有", "版權所有", "订阅", "訂閱")
_INTL_SCREEN = tuple(map(_folded, (*_INTL_LITERALS, "订閱", "訂阅")))  # as ``_folded`` lines hold them
_INTL_ANY = any_of(_INTL_SCREEN)


# --- evidence of chrome --------------------------------------------------------------------------------------
# Chrome is removed on evidence only. A line is evidence when a chrome pattern (``_is_chrome``, ``_END``,
# ``_COMMENTS``, a registration wall) matches it; the patterns run only on the lines that a literal screen flags:
# the line's first word can start a match (``_SCREEN_FIRST``), it starts with a digit or a sign that can (a date,
# "3 comments", "©", "(Photo"), or it holds a literal that a match anywhere needs (``_SCREEN_ANYWHERE``).
_SCREEN_FIRST = frozenset(_folded(word) for word in
    """trending latest most top popular related more you also read recommended don't dont share follow connect
    tweet e-mail email print comment comments reply advertisement advert advertising sponsored subscribe sign log
    login signin logout register give feedback skip main left right menu close search exit back home ad ads
    loading next previous show see image images photo photos picture pictures pic video videos graphic copyright
    phone tel telephone fax contact call whatsapp your country opinion blog interview sectors editions other
    devshots linkedin facebook twitter quora youtube rss instagram telegram reddit pinterest flipboard messenger
    sms click tap watch listen by por von par di от автор updated published posted created last modified mon
    monday tue tuesday wed wednesday thu thursday fri friday sat saturday sun sunday jan january feb february mar
    march apr april may jun june jul july aug august sep sept september oct october nov november dec december
    about tags tag filed topics topic category categories first leave post add write join view responses replies
    reactions we we'll thank thanks enter get file graphics response explore how source sources courtesy""".split()
    + _INTL_FIRST)
_SCREEN_START = frozenset("©([•·|@#*»›>0123456789")
# Literals one of which every match beyond a line's first word needs (photo credits in brackets, "|" runs, walls,
# the phrases, footers and comment headers), looked for only in lines not shaped like prose: a line of
# ``_PROSE_LINE`` characters or more that ends a sentence is chrome only when its first word says so.
_SCREEN_ANYWHERE = ("|", "image credit", "credit:", "free trial", "register", "enter your", "continue", "already",
                    "account", "no spam", "community guidelines", "corporate site", "have a tip", "have a news tip",
                    "clicking here", "sign up", "subscri", "reached", "remaining", "rights reserved", "privacy",
                    "terms", "cookie", "disclaimer", "syndicated", "newsletter", "may not", "alerts", "inbox",
                    "comments powered", "signing up", "mail", "unlimited", "we'll", "well send", "well deliver",
                    "we will", "thank", "(photo", "(image", "(file", "(pic", "(ap ", "(afp ", "(reuters ", "(getty ",
                    "(epa ", "(ians ", "(pti ", "(ani ", *_INTL_LITERALS)
#: ``_SCREEN_ANYWHERE`` as ``_folded`` text holds them, with the mixed simplified/traditional forms of "subscribe".
_SCREEN_LITERALS = tuple(dict.fromkeys(_folded(literal) for literal in (*_SCREEN_ANYWHERE, "订閱", "訂阅")))
# Words that chrome patterns follow with more letters, no space or a sign ("Facebook,Twitter", "January",
# "Opinion/Blog", "tags:politics"), matched as prefixes of the first word.
_SCREEN_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon", "tue",
                    "wed", "thu", "fri", "sat", "sun", "watch", "listen", "image", "photo", "picture", "video",
                    "graphic", "opinion", "blog", "interview", "sectors", "editions", "other", "devshots", "linkedin",
                    "facebook", "twitter", "quora", "youtube", "rss", "instagram", "whatsapp", "telegram", "reddit",
                    "pinterest", "flipboard", "messenger", "sms", "e-mail", "email", "phone", "tel", "fax", "contact",
                    "country", "comment", "response", "repl", "reaction", "loading", "related", "tag", "topic",
                    "categor", "file", "copyright", "subscri", "sign", "log", "register", "by", "updated",
                    "published", "posted", "created", "modified", "advert", "sponsored", "share", "follow", "connect",
                    *_INTL_PREFIXES)
_SCREEN_PREFIXES = tuple(_folded(prefix) for prefix in _SCREEN_PREFIXES)
_PREFIXES_BY_START: dict[str, tuple[str, ...]] = {}  # by their first two characters (none is shorter)
for _prefix in _SCREEN_PREFIXES:
    _PREFIXES_BY_START[_prefix[:2]] = (*_PREFIXES_BY_START.get(_prefix[:2], ()), _prefix)
_NOT_WORD = "".join(chr(code) for code in range(0x2070) if not (chr(code).isalnum() or chr(code) == "_"))
_SENTENCE_END = frozenset(".!?\"'”’»…。！？")
_EVIDENCE_CHARS = 200  # a longer line is a paragraph whatever words it holds


def _opens_chrome(line: str) -> bool:
    """The line's first word (or sign) can open a chrome pattern: a date, a bracket, "Share", "Photo:" ...; the
    answer remembered by the line's head (its first word, 24 characters at most: all that the test reads)."""
    space = line.find(" ", 0, 24)
    head = line[:space] if space > 0 else line[:24]
    opens = _OPENS.get(head)
    if opens is None:
        opens = _remember(_OPENS, head, _head_opens_chrome(head))
    return opens


def _head_opens_chrome(head: str) -> bool:
    """``_opens_chrome`` of a line whose head is ``head``."""
    first = head[0]
    if first in _SCREEN_START:
        return True
    head = head.lower()
    if not (first.isalnum() or first == "_"):  # patterns may skip signs before a date: "— 12/03/2019"
        head = head.lstrip(_NOT_WORD)
        if not head or head[0].isdigit():
            return True
    head = head.rstrip(":,.!?-")
    if not head.isascii():
        head = _folded(head)  # "İ".lower() is "i" and a combining dot, "ı" is no "i": the patterns see an "i"
    if head in _SCREEN_FIRST:
        return True
    prefixes = _PREFIXES_BY_START.get(head[:2])
    return prefixes is not None and head.startswith(prefixes)


def _prose_shaped(line: str) -> bool:
    """Long enough, ends a sentence, and neither a run of "|" items nor a photo credit in brackets."""
    return len(line) >= _PROSE_LINE and line[-1] in _SENTENCE_END and line[-2:] != ")." and "|" not in line


def _evidence(line: str) -> bool:
    """``line`` is chrome by a pattern: a chrome line, a footer or comments line, or a registration wall; in
    English or one of nine other languages."""
    if _chrome_line(line) or (_may_match(line, _WALL_SCREEN) and _WALL.search(line)):
        return True
    if _intl_chrome(line):
        return True
    if _BYLINE.match(line):  # but not a headline in capitals or a line going on in lower case after "par", "di"
        words = line.split(None, 2)
        return line[:3].lower() == "by " or not (line.isupper() or (len(words) > 1 and words[1][:1].islower()))
    if len(line) > _EVIDENCE_CHARS:  # a paragraph that mentions a newsletter or ends "All rights reserved." is
        return False  # not chrome; a long caption is
    if _END.match(line) or _COMMENTS.match(line):
        return True
    return _chrome_phrase(line) and not _reported(line)


_ADDRESS = re.compile(r"\b(?:you|your|our|we|us)\b", re.IGNORECASE)
_REPORTED_WORDS = 10
_HEADLINE_WORDS = 5


_IMPERATIVE = frozenset("get sign subscribe join enter click stay never don't receive follow download register want "
                        "keep be discover read sign-up".split())


def _reported(line: str) -> bool:
    """A sentence that reports on a newsletter or a privacy policy rather than a prompt to the reader: it ends
    with a full stop or a colon and runs ten words or more (or is a headline in capitals of five words or more),
    does not address the reader and does not open with a command."""
    words = line.count(" ") + 1
    shaped = (line[-1] in ".:" and words >= _REPORTED_WORDS) or (line.isupper() and words >= _HEADLINE_WORDS)
    return shaped and not _ADDRESS.search(line) and line.split(None, 1)[0].lower() not in _IMPERATIVE


def chrome_evidence(lines: list[str], *, stop_at: int = 0) -> list[int]:
    """Indexes of the lines that are chrome by a pattern, run only on the lines that the literal screen lets
    through (the literals that may occur anywhere in a line are looked for once in the whole text). With
    ``stop_at``, only the first ``stop_at`` of them when there are that many."""
    flagged = []
    opens = _OPENS
    for index, line in enumerate(lines):  # _evidence_rule, inline: it runs on every line of every text
        if len(line) >= _PROSE_LINE and line[-1] in _SENTENCE_END and line[-2:] != ")." and "|" not in line:
            space = line.find(" ", 0, 24)  # _prose_shaped; its _opens_chrome, the head looked up here first
            head_opens = opens.get(line[:space] if space > 0 else line[:24])
            if not ((_opens_chrome(line) if head_opens is None else head_opens) and _evidence(line)):
                continue
        elif not _plain_evidence(line):
            continue
        flagged.append(index)
        if len(flagged) == stop_at:
            break
    return flagged


def _evidence_rule(line: str) -> bool:
    """``line`` is chrome by a pattern (``_evidence``), a line shaped like prose only when its first word opens a
    pattern; the patterns run only on lines that the literal screen lets through."""
    if _prose_shaped(line):
        return _opens_chrome(line) and _evidence(line)
    return _plain_evidence(line)


@lru_cache(maxsize=_REMEMBERED)
def _plain_evidence(line: str) -> bool:
    """``_evidence_rule`` of a line not shaped like prose."""
    if not _may_open_chrome(line):
        lowered = _folded(line)
        if len(lowered) >= LONG:  # a long line: its windows hashed at once cost less than the finds
            if not by_windows(lowered, _SCREEN):
                return False
        elif not _SCREEN_ANY.search(lowered):
            return False
    return _evidence(line)


def _may_open_chrome(line: str) -> bool:
    """The literal screen's test of a line's ends: its first word or sign opens a chrome pattern, its end may
    close one, or, for patterns of the other languages, its first word holds an apostrophe ("Bluesky'da
    paylaş") or it opens with a Chinese character (simplified and traditional forms mix: "阅讀更多")."""
    return (_opens_chrome(line) or _ends_chrome(line) or "'" in line[:24].split(" ", 1)[0]
            or "\u4e00" <= line[0] <= "\u9fff")


def _literal_hits(lines: list[str], indexes: list[int]) -> tuple[set[int], set[int]]:
    """Those of ``indexes`` whose line holds one of ``_SCREEN_LITERALS``, and those whose line holds one of
    ``_LIST_WORDS``, looked for in the text of those lines at once (``literals.lines_holding_each``)."""
    if not indexes:
        return set(), set()
    text = _folded("\n".join([lines[index] for index in indexes]))
    found, listed = lines_holding_each(text, (_SCREEN, _LIST))
    return {indexes[line] for line in found}, {indexes[line] for line in listed}


_SCREEN = Literals.of(_SCREEN_LITERALS)
_SCREEN_ANY = any_of(_SCREEN_LITERALS)
_LIST = Literals.of(_LIST_WORDS)


# What ``_line_facts`` says of a line, as bits.
_SCREENED = 1        # a chrome pattern of the classifier may match it
_WALLED = 2          # a registration wall starts in it
_END_LINE = 4        # a footer (``_END``)
_COMMENTS_LINE = 8   # a comments header (``_COMMENTS``)
_LIST_HEAD = 16      # the header of a link list (``_LIST_HEADER``)
_SAYS_LINE = 32      # a commenter's name ("joetoronto says:")
_ROW = 64            # a table row: a short line that holds two numbers ("Net 2,276,000 vs 1,674,000")
_STORY = 128         # a wire dateline opens it (``_opens_story``)
_MONTH_LINE = 256    # it may open with a date (``_DATED``): its first three characters are a month's
_DIGIT_HEAD = 512    # it may be a numbered list's item (``_NUMBERED``): it opens with a digit
_ENDS_OR_COMMENTS = _END_LINE | _COMMENTS_LINE

#: The facts that the context and region passes look for: a page dump's 150 lines hold some 20 of them, so each
#: pass looks at those lines (``_marked``) rather than at every line.
_MARKS = _END_LINE | _COMMENTS_LINE | _LIST_HEAD | _SAYS_LINE | _ROW | _STORY | _MONTH_LINE | _DIGIT_HEAD


def _marked(facts: list[int]) -> list[int]:
    """Indexes of the lines whose facts hold one of ``_MARKS``."""
    return list(compress(range(len(facts)), map(_MARKS.__and__, facts)))


def _holding(facts: list[int], marked: list[int], fact: int) -> list[int]:
    """Indexes of the lines whose facts hold ``fact`` (one of ``_MARKS``), ``marked``: the ``_marked`` lines."""
    return [i for i in marked if facts[i] & fact]


def _line_facts(lines: list[str]) -> list[int]:
    """What the classifier asks of each line beside its class, as bits, remembered per line. A line is
    ``_SCREENED`` when a literal that a chrome pattern needs is in it (the literals of the lines not remembered
    looked for in one text), its first word or sign opens a pattern, or, for patterns of the other languages,
    its first word holds an apostrophe ("Twitter'da paylaş") or it opens with a Chinese character; the footer,
    comments and wall patterns run on screened lines alone."""
    facts = list(map(_FACTS.get, lines, repeat(-1)))
    missing = list(compress(range(len(facts)), map((0).__gt__, facts)))
    hits, listed = _literal_hits(lines, missing)
    for index in missing:
        line = lines[index]
        fact = _LIST_HEAD if index in listed and len(line) <= _LIST_HEADER_CHARS and _LIST_HEADER.match(line) else 0
        if len(line) < _SHORT_CHARS and line.rstrip(":")[-6:].lower().endswith(_SAYS_ENDS) and _SAYS.match(line):
            fact |= _SAYS_LINE
        if len(line) < _ROW_CHARS and _TWO_NUMBERS.search(line) and table_row(line):
            fact |= _ROW
        if _opens_story(line):
            fact |= _STORY
        if line[:3] in _MONTH_HEADS:
            fact |= _MONTH_LINE
        if line[:1].isdecimal():  # \d is a decimal
            fact |= _DIGIT_HEAD
        if index in hits or _may_open_chrome(line):
            fact |= _SCREENED | _footer(line) | (_WALLED if index in hits and _WALL.search(line) else 0)
        facts[index] = _remember(_FACTS, line, fact)
    return facts


_LEFT_WORDS = 20    # fewer words than this left beside chrome are not an article
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _enough_words(lines: list[str], keep: list[int]) -> bool:
    """The lines at ``keep`` hold ``_LEFT_WORDS`` words or more (``_words``), counted until they do."""
    total = 0
    for index in keep:
        total += _words(lines[index])
        if total >= _LEFT_WORDS:
            return True
    return False


def _words(line: str) -> int:
    """Words of a line: as many as spaces allow, or half its Chinese, Japanese and Korean characters."""
    words = line.count(" ") + 1
    return words if line.isascii() else max(words, len(_CJK.findall(line)) // 2)
_DUMP_CHROME = 4    # this many chrome lines make a page dump ...
_DUMP_MENU = 6      # ... and so does one with this many menu-like lines above or below all the prose
_PROSE_LINE = 80    # a line this long is prose for the menu count


def _menu_like(line: str) -> bool:
    """Short, no digits, no sentence punctuation: a menu item, a section name, a button."""
    return len(line) < _SHORT_CHARS and line[-1] not in _PROSE_END and not any(map(str.isdigit, line))


def _page_layout(lines: list[str], flagged: list[int]) -> bool:
    """The text is a page dump (run the classifier), not an article with a stray chrome line (drop just it):
    several chrome lines, or one and a navigation menu or a footer (chrome and menu-like lines before the first
    prose line or after the last one). A list inside the article is not a menu."""
    if len(flagged) >= _DUMP_CHROME:
        return True
    chrome = set(flagged)
    prose = [index for index, line in enumerate(lines) if len(line) >= _PROSE_LINE]
    head = range(prose[0]) if prose else range(len(lines))
    tail = range(prose[-1] + 1, len(lines)) if prose else range(0)
    for part in (head, tail):
        if sum(1 for index in part if index in chrome or _menu_like(lines[index])) >= _DUMP_MENU:
            return True
    return False


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
                 "create a free account", "sign up to read", "subscribe to read", "subscribers only", "reached",
                 "remaining")
_WALL_SCREEN = any_of(_WALL_MARKERS)
_WALL = re.compile(r"\b(?:take\s+a\s+free\s+trial|start\s+(?:your|a)\s+free\s+trial|registered\s+users\s+can"
                   r"|enter\s+your\s+details|(?:to|and)\s+continue\s+reading|already\s+a\s+subscriber\s*\?"
                   r"|already\s+registered\s*\?|create\s+a\s+free\s+account|sign\s+up\s+to\s+read|subscribe\s+to\s+read"
                   r"|(?:for|available\s+to)\s+subscribers\s+only|reached\s+(?:your|the)\s+(?:free\s+)?(?:article\s+)?limit"
                   r"|free\s+articles?\s+remaining)\b", re.IGNORECASE)


def _may_match(line: str, literals: re.Pattern[str]) -> bool:
    """False when a pattern cannot match: the line, in lower case as IGNORECASE compares it (``_folded`` beyond
    ASCII), holds none of the literals that every match needs (``literals``: their ``any_of``). Regular
    expressions of many alternatives cost microseconds per line (tens on a long line beyond ASCII); this costs a
    fraction of one."""
    return literals.search(line.lower() if line.isascii() else _folded(line)) is not None


def _drop_flagged(lines: list[str], flagged: list[int]) -> list[str]:
    """``lines`` without the flagged ones; a line that a registration wall runs into is cut where it starts."""
    chrome = set(flagged)
    kept = []
    for index, line in enumerate(lines):
        if index in chrome:
            wall = _WALL.search(line) if len(line) > _PHRASE_MAX and _may_match(line, _WALL_SCREEN) else None
            line = line[: wall.start()].rstrip() if wall is not None else ""
        if line:
            kept.append(line)
    return kept


def _cut_walls(lines: list[str], facts: list[int]) -> list[str]:
    """The lines cut where a registration wall starts (``lines`` itself when there is none); ``facts``: their
    ``_line_facts``."""
    if not any(map(_WALLED.__and__, facts)):
        return lines
    walls = [_WALL.search(line) if fact & _WALLED else None for line, fact in zip(lines, facts, strict=True)]
    if not any(walls):
        return lines
    cut = (line if wall is None else line[: wall.start()].rstrip() for line, wall in zip(lines, walls, strict=True))
    return [line for line in cut if line]


def clean_text(text: str, *, id: str = "") -> Article:
    """Clean a plain-text article or whole-page text dump: drop chrome lines, keep every body paragraph."""
    body, title, date, wire, dateline = clean_paragraphs(text)
    return Article(id=id, text="\n\n".join(body), title=title, date=date, wire=wire, dateline=dateline)


def clean_paragraphs(text: str) -> tuple[list[str], str | None, str | None, str | None, str | None]:
    """``clean_text``'s (paragraphs, title, date, wire, dateline); each paragraph whitespace-collapsed, as
    ``rebuild_paragraphs`` made it."""
    date, text = split_date_line(text)
    lines = rebuild_paragraphs(text)
    meta, header_wire, dateline, credit = metadata_lines(lines)
    date = precise_date(date, header_timestamp(lines))
    if any(meta):
        lines = [line for line, flag in zip(lines, meta, strict=True) if not flag]
    flagged = chrome_evidence(lines, stop_at=_DUMP_CHROME)  # that many make a page dump: no need for the rest
    if _path(lines, flagged) == PAGE_DUMP:
        facts = _line_facts(lines)
        cut = _cut_walls(lines, facts)
        if cut is not lines:
            lines, facts = cut, _line_facts(cut)
        keep = _body_indexes(lines, facts)
        if not keep:  # nothing reads as an article: keep what is not plainly chrome rather than nothing
            chrome = set(chrome_evidence(lines))
            keep = [index for index, line in enumerate(lines) if index not in chrome and len(line) >= _GOOD_CHARS]
    elif flagged:  # an article with a stray chrome line or two: only those go
        lines = _drop_flagged(lines, flagged)
        keep = list(range(len(lines)))
    else:  # no evidence of chrome: the text comes out whole
        keep = list(range(len(lines)))
    if flagged and not _enough_words(lines, keep):
        keep = []  # chrome and a few words around it (a heading, a button): no article
    title = _title(lines, keep)
    body = [lines[index] for index in keep if lines[index] != title]
    if flagged:  # a standfirst or teaser that the page repeats; a text without chrome is left as it is
        body = drop_repeated(body)
    dateline, wire = news_fields(body, dateline, header_wire, credit)
    return body, title, date, wire, dateline


#: The ways ``clean_paragraphs`` treats a plain text (``cleaning_path``).
WHOLE, CHROME_LINES, PAGE_DUMP = "whole", "chrome lines dropped", "page dump"


def cleaning_path(text: str) -> str:
    """Which way ``clean_paragraphs`` treats a plain text: ``WHOLE`` (no evidence of chrome), ``CHROME_LINES`` (a
    stray chrome line or a few, dropped) or ``PAGE_DUMP`` (the line classifier finds the article). For benchmarks:
    the cost of cleaning depends on it."""
    lines = rebuild_paragraphs(split_date_line(text)[1])
    meta = metadata_lines(lines)[0]
    lines = [line for line, flag in zip(lines, meta, strict=True) if not flag]
    return _path(lines, chrome_evidence(lines, stop_at=_DUMP_CHROME))


def _path(lines: list[str], flagged: list[int]) -> str:
    if flagged and _page_layout(lines, flagged):
        return PAGE_DUMP
    return CHROME_LINES if flagged else WHOLE


@lru_cache(maxsize=64)  # the byline check and the title search ask about the same first lines
def _is_chrome(line: str) -> bool:
    return bool(_chrome_line(line) or _BYLINE.match(line)
                or (len(line) <= _PHRASE_MAX and _chrome_phrase(line))
                or _intl_chrome(line))


def _intl_chrome(line: str) -> bool:
    """Chrome in one of the nine other languages (``_CHROME_INTL``, ``_LEAD_INTL``, ``_PHRASE_INTL``), the
    patterns run only when the first word (``_INTL_HEADS``, a Chinese character, an apostrophe) or a literal
    (``_INTL_SCREEN``) calls for them."""
    if line.isascii() and len(line) >= _SHORT_CHARS:
        return False
    short = len(line) <= _EVIDENCE_CHARS
    lowered = _folded(line if short else line[:32])  # a longer line's first word is all that may call for them
    space = lowered.find(" ", 0, 24)
    head = (lowered[:space] if space > 0 else lowered[:24]).rstrip(":,.!?-")
    if (head in _INTL_HEADS or "\u4e00" <= head[:1] <= "\u9fff" or "'" in head) and (
            _CHROME_INTL.match(line) or (len(line) <= _EVIDENCE_CHARS and _LEAD_INTL.match(line))):
        return True
    return short and _INTL_ANY.search(lowered) is not None and bool(_PHRASE_INTL.search(line))


_CREDIT_TAIL = re.compile(r"(?:associated press|getty images|ap photo|reuters|afp|shutterstock|file photo|via)\W*$",
                          re.IGNORECASE)  # searched in the last 40 characters only
_CREDIT_WORDS = ("press", "images", "photo", "reuters", "afp", "shutterstock", "via")  # for _may_match
_CREDIT_SCREEN = any_of(_CREDIT_WORDS)


def _headline(line: str) -> bool:
    """3-25 words, not a sentence (may end in ? or !), no separators, not chrome, a byline, a photo credit, a
    row of figures or a wire dateline (a story's first line: "NEW YORK, March 3 - Shr 10 cts vs 5 cts")."""
    words = line.count(" ") + 1
    tail = line[-40:]
    return (3 <= words <= 25 and len(line) <= 200 and line[-1] not in ".:;,…)]" and "|" not in line
            and not _evidence_rule(line)
            and not (_may_match(tail, _CREDIT_SCREEN) and _CREDIT_TAIL.search(tail))
            and not line.lower().startswith("by ")
            and not (len(line) < _ROW_CHARS and _TWO_NUMBERS.search(line) and table_row(line))
            and not _opens_story(line))


def _title(lines: list[str], keep: list[int], headline: Callable[[str], bool] = _headline) -> str | None:
    """The headline: the first body line when it is headline-like and more body follows; else the nearest
    headline-like line above the body, looking past captions, bylines and metadata; else the first line when
    it is headline-like and the text goes on after it. ``headline``: the test of a line (the reference gives
    its own)."""
    first_body = keep[0] if keep else len(lines)
    if len(keep) > 1 and headline(lines[first_body]):
        return lines[first_body]
    for index in range(first_body - 1, max(-1, first_body - 12), -1):
        if headline(lines[index]):
            return lines[index]
    if len(lines) > 1 and headline(lines[0]) and (first_body > 0 or lines[0][-1] not in _PROSE_END):
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
        if (index < 3 and key.count(" ") >= 3) or key.count(" ") >= 5:
            at = lower.find(key[:32], start)  # a short needle first: a long one costs a table per search
            if at >= 0 and lower.find(key, at) >= 0:
                drop.add(index)
    return [paragraph for index, paragraph in enumerate(paragraphs) if index not in drop] if drop else paragraphs




def reads_as_prose(paragraph: str) -> bool:
    """A paragraph long enough to be body that ends like a sentence."""
    return len(paragraph) >= _GOOD_CHARS and paragraph[-1] in _PROSE_END
