"""Slow, obvious implementations of the fast paths, used by the tests as oracles. Not part of the API."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import compress, groupby

from ._han_variants import SIMPLIFIED, TRADITIONAL
from .clean import news
from .clean import paragraphs as p
from .clean import text as t
from .clean.news import is_dateline as _is_dateline
from .shingle import _FOLDED, _PUNCTUATION, _SPELLING_PAIRS, _UNSPACED, chars_per_shingle

MASK = (1 << 64) - 1
TOKEN_PRIME = 0x100000001B3
SHINGLE_PRIME = 0x9E3779B97F4A7C15
EMPTY = 0xFFFFFFFF


def mix64(value: int) -> int:
    value &= MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK
    return value ^ (value >> 31)


def _within(code: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(first <= code <= last for first, last in ranges)


_SIMPLIFIED = dict(zip(TRADITIONAL, SIMPLIFIED, strict=True))


def fold(text: str) -> str:
    """NFKC on each run of characters from the compatibility blocks, then traditional characters simplified."""
    runs = groupby(text, key=lambda char: _within(ord(char), _FOLDED))
    text = "".join(unicodedata.normalize("NFKC", "".join(run)) if folded else "".join(run) for folded, run in runs)
    return "".join(_SIMPLIFIED.get(char, char) for char in text)


def is_unspaced(char: str) -> bool:
    """A character of a script without spaces between words (a token by itself)."""
    code = ord(char)
    return _within(code, _UNSPACED) and not _within(code, _PUNCTUATION)


def is_word_char(char: str) -> bool:
    code = ord(char)
    if code < 0x80:
        return char.isascii() and char.isalnum()
    return not _within(code, _PUNCTUATION)


def token_kinds(text: str) -> list[tuple[str, bool]]:
    """The tokens of ``text`` (folded, lower case), each with whether it is an unspaced character."""
    out: list[tuple[str, bool]] = []
    current: list[str] = []
    for char in fold(text).lower():
        if current and (not is_word_char(char) or is_unspaced(char)):
            out.append(("".join(current), False))
            current = []
        if is_unspaced(char):
            out.append((char, True))
        elif is_word_char(char):
            current.append(char)
    if current:
        out.append(("".join(current), False))
    return out


def tokens(text: str) -> list[str]:
    return [token for token, _ in token_kinds(text)]


def token_hash(token: str) -> int:
    """The token's UTF-8 bytes as little-endian 64-bit words, chained ``v = v * TOKEN_PRIME + word``, mixed
    with the length."""
    data = token.encode("utf-8", "surrogatepass")
    value = 0
    for start in range(0, len(data), 8):
        word = int.from_bytes(data[start:start + 8], "little")
        value = word if start == 0 else (value * TOKEN_PRIME + word) & MASK
    return mix64(value ^ ((len(data) * SHINGLE_PRIME) & MASK))


_SPELLING = dict(zip(_SPELLING_PAIRS.split()[0::2], _SPELLING_PAIRS.split()[1::2], strict=True))


def shingle_hashes(text: str, ngram: int) -> list[int]:
    """Each window: the tokens from a start until they weigh ``ngram`` words (a word weighs 1, an unspaced
    character ``ngram / chars_per_shingle(ngram)``); a text lighter than that is one window."""
    kinds = token_kinds(text)
    hashes = [token_hash(_SPELLING.get(token, token)) for token, _ in kinds]
    chars = chars_per_shingle(ngram)
    weights = [ngram if unspaced else chars for _, unspaced in kinds]
    windows = []
    for start in range(len(hashes)):
        total = 0
        for end in range(start, len(hashes)):
            total += weights[end]
            if total >= ngram * chars:
                windows.append(hashes[start:end + 1])
                break
    if hashes and not windows:
        windows = [hashes]
    out = []
    for window in windows:
        value = window[0]
        for token in window[1:]:
            value = (value * SHINGLE_PRIME + token) & MASK
        out.append(value)
    return out


def one_permutation_signature(hashes: Sequence[int], num_perm: int, bin_salt: int, fill_salt: int) -> list[int]:
    bins = [EMPTY] * num_perm
    for value in hashes:
        mixed = mix64(value ^ bin_salt)
        slot = (mixed >> 32) % num_perm
        bins[slot] = min(bins[slot], mixed & 0xFFFFFFFF)
    if not hashes:
        return bins
    filled = list(bins)
    for slot in range(num_perm):
        attempt = 1
        while filled[slot] == EMPTY:
            donor = mix64(((slot * 0x9E3779B97F4A7C15) & MASK) + attempt + fill_salt) % num_perm
            if bins[donor] != EMPTY:
                filled[slot] = bins[donor]
            attempt += 1
    return filled


def candidate_pairs(keys: Sequence[Sequence[int]]) -> set[tuple[int, int]]:
    buckets: dict[int, list[int]] = {}
    for doc, row in enumerate(keys):
        for key in row:
            buckets.setdefault(key, []).append(doc)
    pairs = set()
    for members in buckets.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if members[x] != members[y]:
                    pairs.add((min(members[x], members[y]), max(members[x], members[y])))
    return pairs


def components(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """Union-find; each node labelled with the smallest node of its component."""
    parent = list(range(n))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return [find(node) for node in range(n)]


def jaccard_containment(a: set[int], b: set[int]) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


# --- plain-text cleaning: every pattern on every line, nothing screened or remembered ------------------------

def chrome_line(line: str) -> bool:
    return bool(t._CHROME.match(line) or t._CHROME_ANYWHERE.match(line))


def intl_chrome(line: str) -> bool:
    """Chrome in one of the nine other languages; an ASCII line of 40 characters or more never is."""
    if line.isascii() and len(line) >= t._SHORT_CHARS:
        return False
    return bool(t._CHROME_INTL.match(line) or (len(line) <= t._EVIDENCE_CHARS and (
        t._LEAD_INTL.match(line) or t._PHRASE_INTL.search(line))))


def evidence(line: str) -> bool:
    """The line is chrome by a pattern; a line shaped like prose only when its first word opens a pattern."""
    if t._prose_shaped(line) and not t._opens_chrome(line):
        return False
    if chrome_line(line) or t._WALL.search(line) or intl_chrome(line):
        return True
    if t._BYLINE.match(line):
        words = line.split(None, 2)
        return line[:3].lower() == "by " or not (line.isupper() or (len(words) > 1 and words[1][:1].islower()))
    if len(line) > t._EVIDENCE_CHARS:
        return False
    if t._END.match(line) or t._COMMENTS.match(line):
        return True
    return bool(t._CHROME_PHRASE.search(line) and not t._reported(line))


def chrome_evidence(lines: list[str], stop_at: int = 0) -> list[int]:
    flagged = [index for index, line in enumerate(lines) if evidence(line)]
    return flagged[:stop_at] if stop_at else flagged


def line_class(line: str, stop: frozenset[str]) -> tuple[int, tuple[int, float] | None]:
    """The classifier's first pass on one line: (class, (words, stopword density)); features ``None`` for chrome."""
    size = len(line)
    if size < t._GOOD_CHARS_NO_END and not line.isascii():
        size += len(t._CJK.findall(line))
    if (size < 120 and (chrome_line(line) or t._BYLINE.match(line))) or (
            size <= t._PHRASE_MAX and (t._CHROME_PHRASE.search(line) or (size >= 120 and chrome_line(line)))) \
            or intl_chrome(line):
        return t._BAD, None
    words = t._WORD.findall(line.lower())
    count = len(words)
    end = t._ends_sentence(line)
    if stop:
        density = sum(1 for word in words if word in stop) / count if count else 0.0
    else:
        density = 1.0 if count and (end or t._SENTENCE_INSIDE.search(line)) else 0.0
    if count == 0:
        kind = t._BAD
    elif size < t._SHORT_CHARS:
        kind = t._SHORT
    elif density >= t._STOP_HIGH:
        kind = t._GOOD if (end and size >= t._GOOD_CHARS) or size >= t._GOOD_CHARS_NO_END else t._NEAR
    elif density >= t._STOP_LOW:
        kind = t._NEAR
    else:
        kind = t._BAD
    if kind != t._GOOD and size >= t._GOOD_CHARS and _is_dateline(line):
        kind = t._GOOD
    return kind, (count, density)


def stopwords_for(text: str) -> frozenset[str]:
    """The stoplist of a text's language: English when 20% of its first 600 words are English stopwords, else the
    list covering most of its first 2,000 words (8% of them at least)."""
    words = t._WORD.findall(text.lower())
    if not words:
        return frozenset()
    english = t._stoplist("English")
    if sum(1 for word in words[:600] if word in english) >= 0.2 * len(words[:600]):
        return english
    best: frozenset[str] = frozenset()
    best_hits = 0
    for language in t._LANGUAGES:
        stop = t._stoplist(language)
        hits = sum(1 for word in words[:2000] if word in stop)
        if hits > best_hits:
            best, best_hits = stop, hits
    return best if best_hits >= 0.08 * len(words[:2000]) else frozenset()


def footer(line: str) -> int:
    """``clean.text._footer`` with both patterns run on the line."""
    return (t._END_LINE if t._END.match(line) else 0) | (t._COMMENTS_LINE if t._COMMENTS.match(line) else 0)


def line_facts(lines: list[str]) -> list[int]:
    """``clean.text._line_facts`` with every pattern on every line: nothing screened, nothing remembered."""
    facts = []
    for line in lines:
        fact = t._SCREENED | footer(line) | (t._WALLED if t._WALL.search(line) else 0)
        if len(line) <= t._LIST_HEADER_CHARS and t._LIST_HEADER.match(line):
            fact |= t._LIST_HEAD
        if len(line) < t._SHORT_CHARS and t._SAYS.match(line):
            fact |= t._SAYS_LINE
        if len(line) < t._ROW_CHARS and t.table_row(line):
            fact |= t._ROW
        if _is_dateline(line) or t._PLACE_DATELINE.match(line):
            fact |= t._STORY
        if t._DATED.match(line):
            fact |= t._MONTH_LINE
        if t._NUMBERED.match(line):
            fact |= t._DIGIT_HEAD
        facts.append(fact)
    return facts


def classify(lines: list[str], facts: list[int]) -> tuple[list[int], list[tuple[int, float] | None]]:
    """``clean.text._classify``: ``line_class`` of every line in the text's language (``facts`` unused: every
    pattern runs on every line)."""
    stop = stopwords_for("\n".join(lines))
    found = [line_class(line, stop) for line in lines]
    return [kind for kind, _feats in found], [feats for _kind, feats in found]


def body_indexes(lines: list[str]) -> list[int]:
    """Indexes of the lines that are article body: this module's facts, classes, context and region passes."""
    if not lines:
        return []
    facts = line_facts(lines)
    raw, feats = classify(lines, facts)
    good = context(lines, raw, feats, facts)
    keep: list[int] = []
    for a, b in regions(lines, good, facts):
        keep.extend(i for i in range(a, b + 1)
                    if good[i] or (raw[i] == t._NEAR and len(lines[i]) >= t._NEAR_KEEP))
    keep.sort()
    return keep


# The classifier's context and region passes as they were before the line facts said which lines open a wire
# story, a dated or a numbered item (``clean.text`` looks at those lines alone and jumps from run to run): each
# line looked at in turn.

def context(lines: list[str], raw: list[int], feats: list[tuple[int, float] | None], facts: list[int]) -> list[bool]:
    """Second pass: a wire dateline is body however short its line; a near-body line that ends a sentence joins a
    body neighbour; a run of other lines between two body lines is kept when short (a subheading) or when it
    reads as a list of prose or data, else dropped."""
    n = len(raw)
    raw = [t._GOOD if kind != t._GOOD and feats[i] is not None and t._opens_story(lines[i]) else kind
           for i, kind in enumerate(raw)]
    kinds = list(raw)
    for i in compress(range(n), map(t._NEAR.__eq__, raw)):
        if t._ends_sentence(lines[i]) and ((i > 0 and raw[i - 1] == t._GOOD) or (i + 1 < n and raw[i + 1] == t._GOOD)):
            kinds[i] = t._GOOD
    good = [kind == t._GOOD for kind in kinds]
    i = 0
    while i < n:
        if good[i]:
            i += 1
            continue
        j = i
        while j < n and not good[j]:
            j += 1
        if 0 < i and j < n:  # a run i..j-1 between two body lines
            t._judge_run(lines, kinds, feats, facts, good, i, j)
        i = j
    numbered_lists(lines, feats, good, facts)
    dated_lists(lines, feats, good, facts)
    t._tables(lines, raw, feats, good, facts, [i for i, fact in enumerate(facts) if fact & t._ROW])
    after_datelines(lines, feats, good, facts)
    return good


def after_datelines(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool],
                     facts: list[int]) -> None:
    """The short lines of figures that follow a wire dateline are the story's (an earnings report: "Net 705,496
    vs 257,153", "Pre-tax 295.6 mln stg vs 599.3 mln."), up to the first chrome line, list header or footer, or
    three lines in a row of something else; the labels and notes between them ("Six mths") go with them."""
    n = len(lines)
    for i in range(n):
        if not good[i] or not t._opens_story(lines[i]):
            continue
        last, j = i, i + 1
        while j < n and feats[j] is not None and not facts[j] & (t._LIST_HEAD | t._ENDS_OR_COMMENTS) \
                and j - last <= t._MAX_GAP + 1:
            if not good[j] and len(lines[j]) < t._ROW_CHARS and t._DIGIT.search(lines[j]):
                last = j
            j += 1
        for k in range(i + 1, last + 1):
            good[k] = True


def dated_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool],
                 facts: list[int]) -> None:
    """A list of dated items (tour dates, a schedule) that ends the body, right after it or under a short
    heading that follows it, is the article's own: three items or more, one after another, none chrome."""
    n = len(lines)
    i = 1
    while i < n:
        head = i if good[i - 1] else i - 1
        if good[i] or not (good[head - 1] if head > 0 else False) or (head < i and (
                feats[head] is None or facts[head] & t._LIST_HEAD or len(lines[head]) >= t._DATED_CHARS)):
            i += 1
            continue
        end = i
        while end < n and not good[end] and feats[end] is not None and len(lines[end]) < t._DATED_CHARS \
                and t._DATED.match(lines[end]):
            end += 1
        if end - i >= t._DATED_ITEMS:
            for k in range(head, end):
                good[k] = True
            i = end
        else:
            i += 1


def numbered_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool],
                   facts: list[int]) -> None:
    """``text._numbered_lists`` with every line matched (no line facts screening them)."""
    numbered = [t._NUMBERED.match(line) if line[0].isdecimal() else None for line in lines]  # \d is a decimal
    t._mark_numbered_lists(lines, feats, good, facts, numbered)


def run_values(lines: list[str], good: list[bool], facts: list[int]) -> list[float]:
    """What each line adds to a region's score: a body line its length (half without a body neighbour; a
    dateline opening a wire story much more), another line costs."""
    n = len(lines)
    values = [-(t._ALPHA * len(line) + t._BETA) for line in lines]
    for i in compress(range(n), map(t._LIST_HEAD.__and__, facts)):
        values[i] -= t._LIST_HEADER_COST
    for i in compress(range(n), good):  # a few lines in a page dump: their values replace those above
        line = lines[i]
        value = float(len(line))
        if not (i > 0 and good[i - 1]) and not (i + 1 < n and good[i + 1]):
            value *= t._ISOLATED
        if t._opens_story(line):
            value += t._DATELINE_BONUS  # a wire story starts here
        values[i] = value
    return values


def regions(lines: list[str], good: list[bool], facts: list[int]) -> list[tuple[int, int]]:
    """The article body: the best run between footer lines, joined by neighbours nearly as good; a wire story
    (a text with a dateline) also ends at a list header ("Related Articles", "Top stories"): what follows is the
    page's. ``facts``: the ``line_facts`` of the lines."""
    says = [i for i, fact in enumerate(facts) if fact & t._SAYS_LINE]
    thread = set(says) if len(says) >= t._THREAD else set()  # "joetoronto says:" twice or more: a comment thread
    wire = any(good[i] and t._opens_story(line) for i, line in enumerate(lines))
    cuts = [i for i, fact in enumerate(facts)  # a comments header between two comments may read as body
            if fact & (t._COMMENTS_LINE if good[i] else t._ENDS_OR_COMMENTS) or i in thread
            or (wire and fact & t._LIST_HEAD and not good[i] and len(lines[i]) < t._SHORT_CHARS)]
    bounds = [-1, *cuts, len(lines)]
    values = run_values(lines, good, facts)
    runs = [t._best_run(values, bounds[j] + 1, bounds[j + 1]) for j in range(len(bounds) - 1)]
    return t._chosen_runs(lines, bounds, runs, good, facts, thread)


def metadata_lines(lines: list[str]) -> tuple[list[bool], str | None, str | None, str | None]:
    """``news.metadata_lines`` reading every line (no screen for the lines that may hold a pattern's literal)."""
    return news._read_metadata(lines, range(len(lines)))


def drop_flagged(lines: list[str], flagged: list[int]) -> list[str]:
    """``lines`` without the flagged ones; a line that a registration wall runs into is cut where it starts."""
    chrome = set(flagged)
    kept = []
    for index, line in enumerate(lines):
        if index in chrome:
            wall = t._WALL.search(line) if len(line) > t._PHRASE_MAX else None
            line = line[: wall.start()].rstrip() if wall is not None else ""
        if line:
            kept.append(line)
    return kept


def headline(line: str) -> bool:
    """3-25 words, not a sentence (may end in ? or !), no separators, not chrome, a byline, a photo credit, a
    row of figures or a wire dateline."""
    words = line.count(" ") + 1
    tail = line[-40:]
    return (3 <= words <= 25 and len(line) <= 200 and line[-1] not in ".:;,…)]" and "|" not in line
            and not evidence(line)
            and not t._CREDIT_TAIL.search(tail)
            and not line.lower().startswith("by ")
            and not (len(line) < t._ROW_CHARS and t.table_row(line))
            and not _is_dateline(line) and not t._PLACE_DATELINE.match(line))


def rebuild_paragraphs(text: str) -> list[str]:
    """``clean.paragraphs.rebuild_paragraphs`` with the obvious control-character search and ``unwrap``."""
    text = p._CONTROL.sub(" ", text)
    raw = text.splitlines()
    nonblank = [line.rstrip() for line in raw if line and not line.isspace()]
    if not nonblank:
        return []
    width = wrap_width(nonblank)
    spaced = "  " in text or "\t" in text or not (text.isascii() or text.replace("\n", " ").isprintable())
    if not width and "\n\n" not in text and "\n \n" not in text:
        paragraphs = [line.strip() for line in nonblank]
        return list(map(p._collapsed, paragraphs)) if spaced else paragraphs
    pieces = unwrap(raw, width)
    if spaced:
        pieces = [(p._collapsed(paragraph), after) for paragraph, after in pieces]
    pieces = [(paragraph, after) for paragraph, after in pieces if paragraph]
    return p._join_split(pieces) if pieces else []


def wrap_width(lines: list[str]) -> int:
    """``clean.paragraphs.wrap_width``: each long line's ending and the next line's start looked at in turn."""
    if len(lines) < 3:
        return 0
    lengths = sorted(map(len, lines))
    width = lengths[-1] if len(lengths) < p._MANY else lengths[(len(lengths) * 9) // 10]
    if not p._MIN_WIDTH <= width <= p._MAX_WIDTH:
        return 0
    floor = p._FULL * width
    long_lines = goes_on = stops_open = 0
    for index in [index for index, line in enumerate(lines[:-1]) if len(line) >= floor]:
        line = lines[index]
        long_lines += 1
        stops_open += line[-1] not in p._ENDS
        goes_on += line[-1] not in p._ENDS and p._lower_case_start(lines[index + 1])
    needed = 1 if long_lines <= p._FEW else 2
    if goes_on >= needed and goes_on >= p._GOES_ON_SHARE * long_lines:
        return width
    indents = {len(line) - len(line.lstrip()) for line in lines}
    return width if stops_open and len(indents) > 1 and stops_open >= p._OPEN_SHARE * long_lines else 0


def _joins(line: str, nxt: str, width: int, indent_style: bool, first: bool) -> bool:
    """In text wrapped at ``width``: ``line`` (right-stripped) goes on in ``nxt`` (non-blank, not indented)."""
    full = len(line) + 1 + len(nxt.split(None, 1)[0]) > width - 2  # the next word did not fit
    if (p._BULLET.match(nxt) and not full) or p._in_capitals(line) != p._in_capitals(nxt):
        return False  # a list item; a headline in capitals above the story
    if p._lower_case_start(nxt):
        return True  # the sentence goes on
    if indent_style:
        return not first
    if full:
        return True
    return len(line) >= p._RAGGED * width and line[-1] not in p._ENDS


def unwrap(raw: list[str], width: int) -> list[tuple[str, bool]]:
    """``clean.paragraphs._unwrap``: (paragraph, after a blank line); a blank line, an indented line or a bullet
    starts a paragraph; each line stripped and measured where it is used."""
    indents = [len(line) - len(line.lstrip()) for line in raw if line.strip()]
    base = min(indents)
    indent_style = bool(width) and sum(1 for indent in indents if indent > base) >= p._INDENTED
    paragraphs: list[tuple[str, bool]] = []
    current: list[str] = []
    headline = indents[0] == base
    previous = ""
    after_blank = blank = False
    for line in raw:
        stripped = line.rstrip()
        if not stripped.strip():
            blank = True
            continue
        indented = len(stripped) - len(stripped.lstrip()) > base
        if current and width and not blank and not indented and _joins(
                previous, stripped, width, indent_style, not paragraphs and len(current) == 1 and headline):
            if previous[-1] == "-" and previous[-2:-1].isalnum():
                current[-1] += stripped.lstrip()
            else:
                current.append(stripped.strip())
        else:
            if current:
                paragraphs.append((" ".join(current), after_blank))
            current, after_blank = [stripped.strip()], blank
        previous, blank = stripped, False
    if current:
        paragraphs.append((" ".join(current), after_blank))
    return paragraphs


def clean_paragraphs(text: str) -> tuple[list[str], str | None, str | None, str | None, str | None]:
    """The slow ``clean.text.clean_paragraphs``: (paragraphs, title, date, wire, dateline); each paragraph
    whitespace-collapsed, as
    ``rebuild_paragraphs`` made it."""
    from .clean.news import header_timestamp, news_fields, precise_date
    from .documents import split_date_line

    date, text = split_date_line(text)
    lines = rebuild_paragraphs(text)
    meta, header_wire, dateline, credit = metadata_lines(lines)
    date = precise_date(date, header_timestamp(lines))
    if any(meta):
        lines = [line for line, flag in zip(lines, meta, strict=True) if not flag]
    flagged = chrome_evidence(lines, stop_at=t._DUMP_CHROME)  # that many make a page dump: no need for the rest
    if t._path(lines, flagged) == t.PAGE_DUMP:
        lines = t._cut_walls(lines, line_facts(lines))
        keep = body_indexes(lines)
        if not keep:  # nothing reads as an article: keep what is not plainly chrome rather than nothing
            chrome = set(chrome_evidence(lines))
            keep = [index for index, line in enumerate(lines) if index not in chrome and len(line) >= t._GOOD_CHARS]
    elif flagged:  # an article with a stray chrome line or two: only those go
        lines = drop_flagged(lines, flagged)
        keep = list(range(len(lines)))
    else:  # no evidence of chrome: the text comes out whole
        keep = list(range(len(lines)))
    if flagged and sum(t._words(lines[index]) for index in keep) < t._LEFT_WORDS:
        keep = []  # chrome and a few words around it (a heading, a button): no article
    title = t._title(lines, keep, headline)
    body = [lines[index] for index in keep if lines[index] != title]
    if flagged:  # a standfirst or teaser that the page repeats; a text without chrome is left as it is
        body = t.drop_repeated(body)
    dateline, wire = news_fields(body, dateline, header_wire, credit)
    return body, title, date, wire, dateline


def member(values: Sequence[int], members: Sequence[int]) -> list[bool]:
    """Which ``values`` are among ``members``."""
    found = set(members)
    return [value in found for value in values]
