"""Paragraphs rebuilt from plain text before anything is classified.

Hard-wrapped text (wire copy at ~70 columns with indented paragraph starts, email bodies, PDF-extracted text) is
unwrapped: a line joins the next one when it was cut because the next word did not fit (it is long for the
text's width, or it stops mid-sentence) and the next line does not start a paragraph (blank line before it, an
indent, a bullet). A paragraph that a blank line broke mid-sentence (it stops without punctuation, the next one
goes on in lower case) is joined back. Text with one paragraph a line, one-line articles and short lines (table
rows, list items, headings) stay as they are. Each paragraph comes whitespace-collapsed.
"""

from __future__ import annotations

import re
from itertools import pairwise

__all__ = ["rebuild_paragraphs", "wrap_width"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1b\x7f]")  # &#3; and friends from SGML wire copy
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1C), 0x7F])  # the same as UTF-8 bytes
_MIN_WIDTH, _MAX_WIDTH = 40, 132  # hard wraps are at 40-132 columns
_FULL = 0.75      # a line this long for the width was (probably) cut because the next word did not fit
_RAGGED = 0.5     # ... and one this long that stops mid-sentence was cut too
_GOES_ON_SHARE = 0.2  # a wrapped text: this share of its long lines stop mid-sentence and go on in lower case
_FEW = 4
_MANY = 20  # from this many lines on, the width is the 90th percentile of the line lengths
_OPEN_SHARE = 0.5
_INDENTED = 2  # wrapped text with this many indented lines starts its paragraphs indented
_SPLIT_MIN = 30   # a paragraph this long (and this many words, not title case) that stops mid-sentence may
_SPLIT_WORDS = 5  # go on after a blank line
_TITLE_CASE = 0.6   # a paragraph this long that stops mid-sentence may go on after a blank line
_ENDS = frozenset(".!?。！？…:;\"'”’»)]")
_BULLET = re.compile(r"\s*(?:[-*•·–—]\s+(?![a-z])|\d{1,2}[.)]\s|\(?[a-z]\)\s)")


def wrap_width(lines: list[str]) -> int:
    """The column at which the text is hard-wrapped, or 0 when it is not: the widest lines are
    ``_MIN_WIDTH``-``_MAX_WIDTH`` columns and many long lines stop mid-sentence with the next line going on in
    lower case. ``lines`` are right-stripped, non-blank."""
    if len(lines) < 3:
        return 0
    lengths = sorted(map(len, lines))
    width = lengths[-1] if len(lengths) < _MANY else lengths[(len(lengths) * 9) // 10]
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        return 0
    floor = _FULL * width
    long_lines = goes_on = stops_open = 0
    for line, nxt in pairwise(lines):
        if len(line) >= floor:
            long_lines += 1
            if line[-1] not in _ENDS:
                stops_open += 1
                goes_on += _lower_case_start(nxt)
    needed = 1 if long_lines <= _FEW else 2  # a short story has few long lines
    if goes_on >= needed and goes_on >= _GOES_ON_SHARE * long_lines:
        return width
    # wire copy: paragraphs start indented and most long lines stop mid-sentence, whatever case goes on
    if not stops_open or stops_open < _OPEN_SHARE * long_lines:
        return 0
    indents = {len(line) - len(line.lstrip()) for line in lines}
    return width if len(indents) > 1 else 0


_LINKS = ("http", "www.")


def _lower_case_start(line: str) -> bool:
    """The line goes on a sentence in lower case (a link on a line of its own does not)."""
    return _goes_on(line.lstrip())


def _goes_on(content: str) -> bool:
    """``_lower_case_start`` of a line already left-stripped."""
    return content[:1].islower() and not content.startswith(_LINKS)


def _in_capitals(line: str) -> bool:
    return line.isupper() and line.count(" ") >= 2


def _joins(line: str, nxt: str, content: str, width: int, indent_style: bool, first: bool, case_changes: bool) -> bool:
    """In text wrapped at ``width``: ``line`` (right-stripped) goes on in ``nxt`` (non-blank, not indented;
    ``content``: it stripped). ``indent_style``: paragraphs start indented, so an unindented line goes on the one
    above it, unless that is the ``first`` line of the text (a headline). ``case_changes``: one of the two lines
    is ``_in_capitals`` and the other not."""
    full = len(line) + 1 + len(content.split(None, 1)[0]) > width - 2  # the next word did not fit
    if case_changes or (not full and _BULLET.match(content)):
        return False  # a headline in capitals above the story; a list item
    if _goes_on(content):
        return True  # the sentence goes on
    if indent_style:
        return not first
    if full:
        return True
    return len(line) >= _RAGGED * width and line[-1] not in _ENDS


def _unwrap(raw: list[str], width: int) -> list[tuple[str, bool]]:
    """(paragraph, after a blank line) of text wrapped at ``width`` (0: not wrapped, one paragraph a line), from
    its right-stripped lines ``raw``; a blank line, an indented line or a bullet starts a paragraph.
    ``_reference.unwrap`` is the obvious version; this one strips and measures each line once."""
    if not width:
        return _lines_as_paragraphs(raw)
    lines = [(line, content, len(line) - len(content)) for line, content in zip(raw, map(str.lstrip, raw), strict=True)]
    indents = [indent for _stripped, content, indent in lines if content]
    base = min(indents)
    indent_style = sum(1 for indent in indents if indent > base) >= _INDENTED
    paragraphs: list[tuple[str, bool]] = []
    current: list[str] = []
    headline = indents[0] == base  # a first line not indented like the paragraphs below it may be a headline
    previous = ""
    after_blank = blank = previous_caps = False
    for stripped, content, indent in lines:
        if not content:
            blank = True
            continue
        caps = _in_capitals(stripped)
        if current and not blank and indent <= base and _joins(
                previous, stripped, content, width, indent_style, not paragraphs and len(current) == 1 and headline,
                caps != previous_caps):
            if previous[-1] == "-" and previous[-2:-1].isalnum():  # "secure-" + "fit": one word
                current[-1] += content
            else:
                current.append(content)
        else:
            if current:
                paragraphs.append((" ".join(current), after_blank))
            current, after_blank = [content], blank
        previous, previous_caps, blank = stripped, caps, False
    if current:
        paragraphs.append((" ".join(current), after_blank))
    return paragraphs


def _lines_as_paragraphs(raw: list[str]) -> list[tuple[str, bool]]:
    """``_unwrap`` of text that is not wrapped: each non-blank line a paragraph."""
    paragraphs = []
    blank = False
    for line in map(str.strip, raw):
        if line:
            paragraphs.append((line, blank))
            blank = False
        else:
            blank = True
    return paragraphs


def _split_mid_sentence(paragraph: str, nxt: str) -> bool:
    """``paragraph`` stops mid-sentence and ``nxt`` goes on with a lower-case word: one paragraph broken in two
    (not a headline followed by its tags or its site's name)."""
    last = paragraph[-1]
    if len(paragraph) < _SPLIT_MIN or not (last.isalpha() or last in ",-") or paragraph[-2:] == " -":
        return False
    first = nxt.split(None, 1)[0].rstrip(",;:")
    if not (first.isalpha() and first.islower()):
        return False
    words = paragraph.split()
    return len(words) >= _SPLIT_WORDS and sum(1 for word in words if word[:1].isupper()) < _TITLE_CASE * len(words)


def _join_split(paragraphs: list[tuple[str, bool]]) -> list[str]:
    """The paragraphs, with those that a blank line broke mid-sentence joined back."""
    joined = [paragraphs[0][0]]
    for paragraph, after_blank in paragraphs[1:]:
        if after_blank and _split_mid_sentence(joined[-1], paragraph):
            previous = joined[-1]
            glue = "" if previous[-1] == "-" and previous[-2:-1].isalpha() else " "
            joined[-1] = previous + glue + paragraph
        else:
            joined.append(paragraph)
    return joined


def _collapsed(paragraph: str) -> str:
    """``" ".join(paragraph.split())``: whitespace runs made one space, none at either end (a printable paragraph
    without two spaces in a row or one at an end is that already)."""
    if paragraph.isprintable() and "  " not in paragraph and paragraph[:1] != " " and paragraph[-1:] != " ":
        return paragraph
    return " ".join(paragraph.split())


def _has_control(text: str) -> bool:
    """``_CONTROL.search(text)``, faster: a table-driven pass over the UTF-8 bytes, where these characters are the
    only bytes of their values (every byte of a longer sequence is 0x80 or more)."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def rebuild_paragraphs(text: str) -> list[str]:
    """The text's paragraphs, whitespace-collapsed: hard wraps undone, mid-sentence splits joined back."""
    if _has_control(text):
        text = _CONTROL.sub(" ", text)
    raw = list(map(str.rstrip, text.splitlines()))
    nonblank = [line for line in raw if line]
    if not nonblank:
        return []
    width = wrap_width(nonblank)
    spaced = "  " in text or "\t" in text or not (text.isascii() or text.replace("\n", " ").isprintable())
    if not width and "\n\n" not in text and "\n \n" not in text:  # one paragraph a line: nothing to rebuild
        paragraphs = [line.strip() for line in nonblank]
        return list(map(_collapsed, paragraphs)) if spaced else paragraphs
    pieces = _unwrap(raw, width)
    if spaced:  # whitespace beyond single spaces: collapsed
        pieces = [(_collapsed(paragraph), after) for paragraph, after in pieces]
    pieces = [(paragraph, after) for paragraph, after in pieces if paragraph]
    return _join_split(pieces) if pieces else []
