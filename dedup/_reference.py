"""Slow, obvious implementations of the fast paths, used by the tests as oracles. Not part of the API."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import groupby

from ._han_variants import SIMPLIFIED, TRADITIONAL
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


def context(lines: list[str], raw: list[int], feats: list[tuple[int, float] | None]) -> list[bool]:
    """Second pass: a near-body line that ends a sentence joins a body neighbour; a run of other lines between
    two body lines is kept when short (a subheading) or when it reads as a list of prose or data, else dropped."""
    n = len(raw)
    kinds = list(raw)
    for i, kind in enumerate(raw):
        if kind == t._NEAR and t._ends_sentence(lines[i]) and (
                (i > 0 and raw[i - 1] == t._GOOD) or (i + 1 < n and raw[i + 1] == t._GOOD)):
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
            run = range(i, j)
            if j - i <= t._MAX_GAP:  # a subheading, never a footer line
                for r in run:
                    if kinds[r] in (t._SHORT, t._NEAR) and not t._END.match(lines[r]):
                        good[r] = True
            elif not t._LIST_HEADER.match(lines[i]):
                weak = [r for r in run if feats[r] is not None]
                digits = sum(1 for r in weak if t._DIGIT.search(lines[r]))
                near = [r for r in run if kinds[r] == t._NEAR]
                if len(weak) >= t._DATA_WEAK * (j - i) and digits >= t._DATA_DIGITS * (j - i):
                    for r in weak:
                        good[r] = not t._END.match(lines[r])
                elif near and len(near) >= t._LIST_NEAR * (j - i):
                    counted = [feature for r in near if (feature := feats[r]) is not None]  # near lines have features
                    words = sum(count for count, _density in counted)
                    stops = sum(count * density for count, density in counted)
                    if words and stops / words >= t._LIST_STOP:
                        for r in run:
                            if kinds[r] in (t._SHORT, t._NEAR) and not t._END.match(lines[r]):
                                good[r] = True
        i = j
    numbered_lists(lines, feats, good)
    dated_lists(lines, feats, good)
    return good


def dated_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool]) -> None:
    """Three dated items or more, one after another and none chrome, right after the body or under a short heading
    that follows it, are body."""
    i = 1
    while i < len(lines):
        head = i if good[i - 1] else i - 1
        heading_ok = head == i or (feats[head] is not None and not t._LIST_HEADER.match(lines[head])
                                   and len(lines[head]) < t._DATED_CHARS)
        if good[i] or head == 0 or not good[head - 1] or not heading_ok:
            i += 1
            continue
        end = i
        while end < len(lines) and not good[end] and feats[end] is not None \
                and len(lines[end]) < t._DATED_CHARS and t._DATED.match(lines[end]):
            end += 1
        if end - i >= t._DATED_ITEMS:
            good[head:end] = [True] * (end - head)
            i = end
        else:
            i += 1


def numbered_lists(lines: list[str], feats: list[tuple[int, float] | None], good: list[bool]) -> None:
    """A numbered list (1., 2., 3. ...) that starts right after body text is the article's own list (a top-ten,
    steps, a recipe): its items and the non-chrome lines between them are body. A list under a header (Most
    read, Related, Trending) or not following the body is left alone."""
    n = len(lines)
    i = 0
    while i < n:
        match = t._NUMBERED.match(lines[i])
        if match is None or match.group(1) != "1" or good[i]:
            i += 1
            continue
        items, expected, j, gap = [i], 2, i + 1, 0
        while j < n and gap <= 2:
            nxt = t._NUMBERED.match(lines[j])
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
                and not t._LIST_HEADER.match(lines[before]):
            before -= 1
        if len(items) >= 3 and before >= 0 and good[before] and i - before <= 2:
            end = items[-1]
            if end + 1 < n and not good[end + 1] and feats[end + 1] is not None and len(lines[end + 1]) < 200 \
                    and not t._LIST_HEADER.match(lines[end + 1]):
                end += 1  # the last item's own second line (a link, a price)
            for k in range(i, end + 1):
                if feats[k] is not None:
                    good[k] = True
            i = end + 1
        else:
            i += 1


def best_run(lines: list[str], good: list[bool], lo: int, hi: int) -> tuple[int, int, float]:
    """Maximum-sum run of lines in [lo, hi): body lines add their length, other lines cost."""
    best = (lo, lo - 1, 0.0)
    start, total = lo, 0.0
    for i in range(lo, hi):
        line = lines[i]
        if good[i]:
            value = float(len(line))
            if not (i > 0 and good[i - 1]) and not (i + 1 < len(lines) and good[i + 1]):
                value *= t._ISOLATED
            if line[:1].isupper() and (_is_dateline(line)):
                value += t._DATELINE_BONUS  # a wire story starts here
        else:
            value = -(t._ALPHA * len(line) + t._BETA)
            if t._LIST_HEADER.match(line):
                value -= t._LIST_HEADER_COST
        if total <= 0:
            start, total = i, 0.0
        total += value
        if total > best[2]:
            best = (start, i, total)
    return best


def regions(lines: list[str], good: list[bool]) -> list[tuple[int, int]]:
    """The article body: the best run between footer lines, joined by neighbours nearly as good."""
    says = [i for i, line in enumerate(lines) if len(line) < t._SHORT_CHARS
            and line.rstrip(":")[-6:].lower().endswith(t._SAYS_ENDS) and t._SAYS.match(line)]
    thread = set(says) if len(says) >= t._THREAD else set()  # "joetoronto says:" twice or more: a comment thread
    cuts = [i for i, line in enumerate(lines)  # a comments header between two comments may read as body
            if (not good[i] and (t._END.match(line) or t._COMMENTS.match(line))) or i in thread
            or (good[i] and t._COMMENTS.match(line))]
    bounds = [-1, *cuts, len(lines)]
    runs = [best_run(lines, good, bounds[j] + 1, bounds[j + 1]) for j in range(len(bounds) - 1)]
    weight = [1.0] * len(runs)
    for j in range(1, len(runs)):
        weight[j] = t._AFTER_COMMENTS if t._COMMENTS.match(lines[bounds[j]]) or bounds[j] in thread else weight[j - 1]
    top = max(range(len(runs)), key=lambda j: runs[j][2] * weight[j])
    if runs[top][2] <= 0:
        return []
    chosen = [runs[top]]
    for step in (1, -1):
        j = top
        while 0 <= j + step < len(runs):
            nxt = runs[j + step]
            gap = nxt[0] - runs[j][1] if step == 1 else runs[j][0] - nxt[1]
            if nxt[2] < t._JOIN * runs[top][2] or gap > t._JOIN_GAP:
                break
            chosen.append(nxt)
            j += step
    return [(a, b) for a, b, _ in chosen]


def body_indexes(lines: list[str]) -> list[int]:
    """Indexes of the lines that are article body."""
    if not lines:
        return []
    stop = stopwords_for("\n".join(lines))
    raw, feats = map(list, zip(*(line_class(line, stop) for line in lines), strict=True))
    good = context(lines, raw, feats)
    keep: list[int] = []
    for a, b in regions(lines, good):
        keep.extend(i for i in range(a, b + 1)
                    if good[i] or (raw[i] == t._NEAR and len(lines[i]) >= t._NEAR_KEEP))
    keep.sort()
    return keep


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


def cut_walls(lines: list[str]) -> list[str]:
    """The lines cut where a registration wall starts (``lines`` itself when there is none)."""
    walls = [t._WALL.search(line) for line in lines]
    if not any(walls):
        return lines
    cut = (line if wall is None else line[: wall.start()].rstrip() for line, wall in zip(lines, walls, strict=True))
    return [line for line in cut if line]


def headline(line: str) -> bool:
    """3-25 words, not a sentence (may end in ? or !), no separators, not chrome, a byline or a photo credit."""
    words = line.count(" ") + 1
    tail = line[-40:]
    return (3 <= words <= 25 and len(line) <= 200 and line[-1] not in ".:;,…)]" and "|" not in line
            and not evidence(line)
            and not t._CREDIT_TAIL.search(tail)
            and not line.lower().startswith("by "))


def title_of(lines: list[str], keep: list[int]) -> str | None:
    """The headline: the first body line when it is headline-like and more body follows; else the nearest
    headline-like line above the body, looking past captions, bylines and metadata; else the first line when
    it is headline-like and the text goes on after it."""
    first_body = keep[0] if keep else len(lines)
    if len(keep) > 1 and headline(lines[first_body]):
        return lines[first_body]
    for index in range(first_body - 1, max(-1, first_body - 12), -1):
        if headline(lines[index]):
            return lines[index]
    if len(lines) > 1 and headline(lines[0]) and (first_body > 0 or lines[0][-1] not in t._PROSE_END):
        return lines[0]
    return None


def clean_paragraphs(text: str) -> tuple[list[str], str | None, str | None, str | None, str | None]:
    """The slow ``clean.text.clean_paragraphs``: (paragraphs, title, date, wire, dateline); each paragraph
    whitespace-collapsed, as
    ``rebuild_paragraphs`` made it."""
    from .clean.news import header_timestamp, metadata_lines, news_fields, precise_date
    from .clean.paragraphs import rebuild_paragraphs
    from .documents import split_date_line

    date, text = split_date_line(text)
    lines = rebuild_paragraphs(text)
    meta, header_wire, dateline, credit = metadata_lines(lines)
    date = precise_date(date, header_timestamp(lines))
    if any(meta):
        lines = [line for line, flag in zip(lines, meta, strict=True) if not flag]
    flagged = chrome_evidence(lines, stop_at=t._DUMP_CHROME)  # that many make a page dump: no need for the rest
    if t._path(lines, flagged) == t.PAGE_DUMP:
        lines = cut_walls(lines)
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
    title = title_of(lines, keep)
    body = [lines[index] for index in keep if lines[index] != title]
    if flagged:  # a standfirst or teaser that the page repeats; a text without chrome is left as it is
        body = t.drop_repeated(body)
    dateline, wire = news_fields(body, dateline, header_wire, credit)
    return body, title, date, wire, dateline


def member(values: Sequence[int], members: Sequence[int]) -> list[bool]:
    """Which ``values`` are among ``members``."""
    found = set(members)
    return [value in found for value in values]
