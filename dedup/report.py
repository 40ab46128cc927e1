"""Output: a readable table, JSON, JSON lines, CSV and a self-contained HTML page of a clustering; the text
view of ``compare``.

Every machine format carries the same record per input article (``RECORD_FIELDS``, described by the JSON Schema
``dedup/schema.json``): JSON lines one per line, JSON under ``"documents"``, CSV one per row, the HTML page in its
embedded data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from importlib.resources import files
from typing import Any

from .align import Alignment, _tokens, align
from .clean import Article, site_of
from .cluster import Clustering, Member
from .errors import ConfigError
from .shingle import normalize_word
from .terminal import terminal_safe

__all__ = ["COMPARED_PER_CLUSTER", "FORMATS", "RECORD_FIELDS", "compare_text", "inner_edits", "records", "render",
           "schema"]

FORMATS = ("table", "json", "jsonl", "csv", "html")
#: The fields of an output record, in the order every format writes them.
RECORD_FIELDS = ("doc", "cluster", "size", "canonical", "canonical_doc", "relationship", "jaccard", "containment",
                 "aligned", "title", "site", "url", "date", "dateline", "wire", "error")


def schema() -> dict[str, Any]:
    """The JSON Schema of an output record (``dedup/schema.json``); its ``$defs`` hold the ``json`` document."""
    document: dict[str, Any] = json.loads(files(__package__).joinpath("schema.json").read_text(encoding="utf-8"))
    return document


def records(result: Clustering, *, with_alignment: bool = False) -> Iterator[dict[str, Any]]:
    """One flat record per input article, in input order (the fields of ``RECORD_FIELDS``; with
    ``with_alignment`` also ``text``, the cleaned text as clustered, and ``alignment``: the copy's spans against its
    canonical article, as character offsets into the two records' ``text``)."""
    if not with_alignment:
        for row in _rows(result):
            yield dict(zip(RECORD_FIELDS, row, strict=True))
        return
    texts = {article.id: article.text for article in result.articles}
    for article, row in zip(result.articles, _rows(result), strict=True):
        record = dict(zip(RECORD_FIELDS, row, strict=True))
        record["text"] = article.text if article.error is None else None
        record["alignment"] = None
        if record["cluster"] is not None and not record["canonical"]:
            alignment = align(article.text, texts[record["canonical_doc"]])
            record["relationship"] = alignment.relationship
            record["aligned"] = alignment.similarity
            record["alignment"] = _alignment_record(alignment)
        yield record


def _members(result: Clustering) -> Iterator[Member | None]:
    """The member of each input article (``None`` for an unusable one), in input order, in linear time: a
    cluster lists its members in input order, so a cursor per cluster finds each one (a dictionary of the
    cluster's members is the fallback for a clustering built otherwise)."""
    clusters = result.clusters
    cursors = [0] * len(clusters)
    fallback: dict[int, dict[str, Member]] = {}
    for article, label in zip(result.articles, result.labels, strict=True):
        if label is None:
            yield None
            continue
        members = clusters[label].members
        at = cursors[label]
        cursors[label] = at + 1
        member = members[at] if at < len(members) else None
        if member is None or member.doc != article.id:
            if label not in fallback:
                fallback[label] = {m.doc: m for m in members}
            member = fallback[label][article.id]
        yield member


def _rows(result: Clustering) -> Iterator[tuple[Any, ...]]:
    """The values of each article's record, in ``RECORD_FIELDS`` order (relationship and aligned left empty)."""
    clusters = result.clusters
    for article, label, member in zip(result.articles, result.labels, _members(result), strict=True):
        site = _site(article)
        if member is None or label is None:
            yield (article.id, None, None, False, None, None, None, None, None, article.title, site, article.url,
                   article.date, article.dateline, article.wire, article.error)
            continue
        group = clusters[label]
        yield (article.id, label, len(group.members), member.canonical, group.canonical, None, member.similarity,
               member.containment, None, article.title, site, article.url, article.date, article.dateline,
               article.wire, article.error)


def _site(article: Article) -> str | None:
    """The site's own name, else the url's domain, else the sub-folder the article was found in."""
    return article.sitename or site_of(article)


def _alignment_record(alignment: Alignment) -> dict[str, Any]:
    return {
        "containment_doc": alignment.containment_a,
        "containment_canonical": alignment.containment_b,
        "spans": [
            {"doc_start": s.a_start, "doc_end": s.a_end, "canonical_start": s.b_start, "canonical_end": s.b_end,
             "score": s.score}
            for s in alignment.spans
        ],
    }


def render(result: Clustering, fmt: str, *, with_alignment: bool = False, all_clusters: bool = False,
           min_size: int = 2) -> str:
    """The clustering as text in one of ``FORMATS``.

    ``with_alignment`` (json, jsonl): each copy's spans, relationship and aligned share against its canonical.
    ``all_clusters`` and ``min_size`` choose the clusters the table lists: those of at least ``min_size``
    articles (default 2: copies only), every one with ``all_clusters``. The machine formats and the page always
    hold every input.
    """
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 1:
        raise ConfigError(f"min_size must be a positive integer, got {min_size!r}")
    if fmt == "jsonl":
        return "".join(_json_line(record) + "\n" for record in records(result, with_alignment=with_alignment))
    if fmt == "json":
        return _json(result, with_alignment)
    if fmt == "csv":
        return _csv(result)
    if fmt == "table":
        return _table(result, 1 if all_clusters else min_size)
    if fmt == "html":
        return _html(result)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


_json_line = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps builds a new one per call


def _json(result: Clustering, with_alignment: bool) -> str:
    """The settings, the summary, the clusters (member ids) and the records; one cluster and one record a line,
    so that a large result is written at the speed of JSON lines and stays readable."""
    settings = json.dumps(asdict(result.settings), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    summary = json.dumps(_summary(result), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    clusters = ",\n    ".join(
        _json_line({"id": group.id, "canonical": group.canonical, "size": len(group.members),
                    "members": [member.doc for member in group.members]})
        for group in result.clusters)
    documents = ",\n    ".join(map(_json_line, records(result, with_alignment=with_alignment)))
    return (f'{{\n  "settings": {settings},\n  "summary": {summary},\n'
            f'  "clusters": [{_block(clusters)}],\n  "documents": [{_block(documents)}]\n}}\n')


def _block(lines: str) -> str:
    return f"\n    {lines}\n  " if lines else ""


# --------------------------------------------------------------------------------------------------------------
# csv


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _csv_cell(value: object) -> str:
    """One CSV field: a text a spreadsheet would run as a formula gets a leading ``'`` (OWASP's rule), and a
    field holding a comma, a quote, a line feed or a bare carriage return is quoted."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(result: Clustering) -> str:
    lines = [",".join(RECORD_FIELDS)]
    lines.extend(",".join(map(_csv_cell, row)) for row in _rows(result))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------------------
# table


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _summary(result: Clustering) -> dict[str, int]:
    multi = [group for group in result.clusters if len(group) > 1]
    return {
        "documents": len(result.articles),
        "unusable": sum(1 for article in result.articles if article.error is not None),
        "clusters": len(result.clusters),
        "clusters_with_copies": len(multi),
        "copies": sum(len(group) - 1 for group in multi),
    }


def _cell(text: str | None, width: int) -> str:
    """``text`` on one line, safe for a terminal, cut to ``width`` characters."""
    if text is None:
        return ""
    if text.isprintable() and len(text) <= width:  # no control character, no line break: most texts
        return text
    flat = " ".join(terminal_safe(text).split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def _lead(text: str, words: int = 12) -> str:
    """The first ``words`` words of ``text`` (what stands for an untitled article)."""
    first = text[:words * 20].split()[:words]
    return " ".join(first) + (" …" if len(first) == words else "")


def _by_cluster(result: Clustering) -> list[list[tuple[int, Member]]]:
    """Each cluster's articles (their input positions) with their members: canonical first, then in input
    order."""
    groups: list[list[tuple[int, Member]]] = [[] for _ in result.clusters]
    for index, (member, label) in enumerate(zip(_members(result), result.labels, strict=True)):
        if member is not None and label is not None:
            if member.canonical:
                groups[label].insert(0, (index, member))
            else:
                groups[label].append((index, member))
    return groups


_TITLE, _SITE = 40, 18


def _table(result: Clustering, smallest: int) -> str:
    """Clusters of at least ``smallest`` articles, largest first: one row per article (title, else its first
    words; site; date; shingle measures against the canonical article, marked ``*``), every text made safe for
    a terminal; then the unusable inputs and the summary."""
    articles = result.articles
    groups = _by_cluster(result)
    listed = sorted((label for label, group in enumerate(groups) if len(group) >= smallest),
                    key=lambda label: (-len(groups[label]), label))
    lines = []
    if listed:
        lines.append(f"{'cluster':>7}  {'size':>5}  {'jaccard':>7}  {'contain':>7}  {'date':<10}  "
                     f"{'site':<{_SITE}}  {'title':<{_TITLE}}    document")
    for label in listed:
        for number, (index, member) in enumerate(groups[label]):
            article = articles[index]
            head = f"{label:>7}  {len(groups[label]):>5}" if number == 0 else " " * 14
            site = _cell(_site(article), _SITE)
            title = _cell(article.title or _lead(article.text), _TITLE)
            date = _cell((article.date or "")[:10], 10)
            lines.append(f"{head}  {member.similarity:>7.3f}  {member.containment:>7.3f}  {date:<10}"
                         f"  {site:<{_SITE}}  {title:<{_TITLE}} {'*' if member.canonical else ' '}  "
                         f"{_cell(article.id, 10_000)}")
        if len(groups[label]) > 1:
            lines.append("")
    if listed and len(groups[listed[-1]]) == 1:
        lines.append("")
    hidden = sum(len(group) for group in groups if 0 < len(group) < smallest)
    if hidden:
        kind = "without copies" if smallest == 2 else f"in clusters of fewer than {smallest}"
        lines.append(f"{_count(hidden, 'article')} {kind} not listed (--all lists them).")
    errors = [article for article in articles if article.error is not None]
    if errors:
        lines.append(f"{_count(len(errors), 'unusable input')}:")
        lines.extend(f"  {_cell(article.id, 10_000)}: {_cell(article.error, 200)}" for article in errors)
    summary = _summary(result)
    lines.append(
        f"{_count(summary['documents'], 'document')}: {_count(summary['clusters'], 'cluster')}, "
        f"{summary['clusters_with_copies']} with copies ({_count(summary['copies'], 'copy', 'copies')}), "
        f"{summary['unusable']} unusable.  * = canonical"
    )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------------------
# compare: the two texts with what they share marked


_WORDS = re.compile(r"[^\W_]")
_BLANKS = re.compile(r"\s*")
_BLANKS_AT_END = re.compile(r"\s*$")
_LEAD_AFTER_SPAN = re.compile(r"[^\w\s]*\s*")
_TRAIL_BEFORE_SPAN = re.compile(r"\s*[^\w\s]*$")
_ANSI = {"shared": ("\x1b[42;30m", "\x1b[0m"), "cut": ("\x1b[31;9m", "\x1b[0m"), "added": ("\x1b[33;4m", "\x1b[0m")}
_PLAIN = {"shared": ("", ""), "cut": ("[-", "-]"), "added": ("{+", "+}")}


def inner_edits(a: str, b: str, alignment: Alignment) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The words inside shared spans that differ between ``a`` and ``b`` (a changed, added or dropped word that
    the span tolerated), as character ranges into ``a`` and into ``b``.

    Words are compared as alignment compares them (case, punctuation and spelling aside); rapidfuzz's Indel
    opcodes on the two spans' word sequences give the differences.
    """
    from rapidfuzz.distance import Indel  # deferred: the plain cluster outputs never need it

    edits_a: list[tuple[int, int]] = []
    edits_b: list[tuple[int, int]] = []
    for span in alignment.spans:
        if span.score >= 1.0:
            continue
        words_a, starts_a, ends_a = _tokens(a[span.a_start:span.a_end])
        words_b, starts_b, ends_b = _tokens(b[span.b_start:span.b_end])
        vocabulary: dict[str, int] = {}
        ids_a = [vocabulary.setdefault(normalize_word(word), len(vocabulary)) for word in words_a]
        ids_b = [vocabulary.setdefault(normalize_word(word), len(vocabulary)) for word in words_b]
        for op in Indel.opcodes(ids_a, ids_b):
            if op.tag == "equal":
                continue
            if op.src_end > op.src_start:
                edits_a.append((span.a_start + int(starts_a[op.src_start]), span.a_start + int(ends_a[op.src_end - 1])))
            if op.dest_end > op.dest_start:
                edits_b.append((span.b_start + int(starts_b[op.dest_start]),
                                span.b_start + int(ends_b[op.dest_end - 1])))
    return sorted(edits_a), sorted(edits_b)


def _marked(text: str, spans: list[tuple[int, int]], own: str, *, colour: bool,
            edits: Sequence[tuple[int, int]] = ()) -> str:
    """``text`` with the ``spans`` marked as shared and the words outside them as ``own`` (cut or added);
    ``edits`` (ranges inside the spans) are marked as ``own`` too.

    Blanks, and punctuation that clings to a shared span (its closing full stop, an opening quote), stay
    outside the marks.
    """
    marks = _ANSI if colour else _PLAIN
    pieces, position = [], 0
    inner = sorted(edits)
    for start, end in sorted(spans) + [(len(text), len(text))]:
        if start < position:
            continue
        gap = text[position:start]
        lead = _length((_LEAD_AFTER_SPAN if position else _BLANKS).match(gap))
        trail = _length((_TRAIL_BEFORE_SPAN if start < len(text) else _BLANKS_AT_END).search(gap))
        body = gap[lead:len(gap) - trail] if lead + trail < len(gap) else ""
        if _WORDS.search(body):
            opening, closing = marks[own]
            pieces.append(gap[:lead] + opening + body + closing + gap[len(gap) - trail:])
        else:
            pieces.append(gap)
        cursor = start
        for edit_start, edit_end in inner:
            if edit_start < cursor or edit_end > end:
                continue
            opening, closing = marks["shared"]
            pieces.append(opening + text[cursor:edit_start] + closing if edit_start > cursor else "")
            opening, closing = marks[own]
            pieces.append(opening + text[edit_start:edit_end] + closing)
            cursor = edit_end
        if end > cursor:
            opening, closing = marks["shared"]
            pieces.append(opening + text[cursor:end] + closing)
        position = end
    return "".join(pieces)


def _length(found: re.Match[str] | None) -> int:
    """The length of what a pattern that matches every text (if only with nothing) found."""
    assert found is not None
    return len(found.group())


def compare_text(a: str, b: str, alignment: Alignment, *, name_a: str = "A", name_b: str = "B",
                 colour: bool = False) -> str:
    """The text view of ``python -m dedup compare``: both texts, shared spans highlighted (green on a
    terminal), words only in A marked as cut (``[-…-]``, red struck through) and words only in B as added
    (``{+…+}``, yellow underlined) -- outside the spans and inside them (a changed word) -- then the summary."""
    legend = ("green = shared, red struck through = only in A (cut), yellow underlined = only in B (added)"
              if colour else "unmarked = shared, [-...-] = only in A (cut), {+...+} = only in B (added)")
    edits_a, edits_b = inner_edits(a, b, alignment)
    lines = [
        f"== A: {name_a}",
        _marked(a, [(s.a_start, s.a_end) for s in alignment.spans], "cut", colour=colour, edits=edits_a),
        "",
        f"== B: {name_b}",
        _marked(b, [(s.b_start, s.b_end) for s in alignment.spans], "added", colour=colour, edits=edits_b),
        "",
        f"({legend})",
        f"relationship: {alignment.relationship}; similarity {alignment.similarity:.3f}; containment of A in B "
        f"{alignment.containment_a:.3f}, of B in A {alignment.containment_b:.3f}; {len(alignment.spans)} shared "
        "span(s)",
    ]
    lines.extend(
        f"  A[{s.a_start}:{s.a_end}] ~ B[{s.b_start}:{s.b_end}]  score {s.score:.3f}  "
        f"{_excerpt(a[s.a_start:s.a_end])}"
        for s in alignment.spans
    )
    return "\n".join(lines) + "\n"


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


# --------------------------------------------------------------------------------------------------------------
# html: one self-contained page (inline CSS and JS, no network; dedup/report_page.html); the data travel as JSON
# and the page builds its DOM with textContent only, so no article text is ever parsed as HTML.

#: Copies of one cluster shown side by side with the canonical article (the least similar first); the others are
#: listed by title, as are articles without copies: the page stays small and quick to write for any cluster.
COMPARED_PER_CLUSTER = 100


def _html(result: Clustering) -> str:
    articles = result.articles
    rows = [list(row) for row in _rows(result)]
    texts: dict[int, str] = {}
    clusters = []
    for label, group in enumerate(_by_cluster(result)):
        if len(group) > 1:
            clusters.append(_html_cluster(label, group, articles, rows, texts))
    data = {"summary": _summary(result), "settings": asdict(result.settings), "fields": RECORD_FIELDS,
            "rows": rows, "leads": [None if article.title else _lead(article.text) for article in articles],
            "texts": texts, "clusters": clusters, "compared_per_cluster": COMPARED_PER_CLUSTER}
    # ASCII only: any text survives the trip (even a lone surrogate), whatever encoding the page is saved in
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    # inside <script> only "</" (and "<!--") can end or confuse the element; escape every "<", ">" and "&"
    payload = payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    page = files(__package__).joinpath("report_page.html").read_text(encoding="utf-8")
    return page.replace("/*DATA*/", payload, 1)


def _html_cluster(label: int, group: Sequence[tuple[int, Member]], articles: Sequence[Article],
                  rows: list[list[Any]], texts: dict[int, str]) -> dict[str, Any]:
    """A cluster of the page: its members, and its first ``COMPARED_PER_CLUSTER`` copies (least similar first)
    aligned with the canonical article; their texts go into ``texts`` and their relationship into ``rows``.
    Copies with the same text share one alignment."""
    canonical = articles[group[0][0]].text
    texts[group[0][0]] = canonical
    chosen = sorted(group[1:], key=lambda item: (item[1].similarity, item[1].containment, item[0]))
    done: dict[str, tuple[Alignment, tuple[list[tuple[int, int]], list[tuple[int, int]]]]] = {}
    compared: list[dict[str, Any]] = []
    for index, _ in chosen[:COMPARED_PER_CLUSTER]:
        text = articles[index].text
        if text not in done:
            alignment = align(text, canonical)
            done[text] = (alignment, inner_edits(text, canonical, alignment))
        alignment, (edits_copy, edits_canonical) = done[text]
        texts[index] = text
        rows[index][5], rows[index][8] = alignment.relationship, alignment.similarity
        compared.append({"doc": index, "copied": alignment.containment_a, "kept": alignment.containment_b,
                         "spans": [[s.a_start, s.a_end, s.b_start, s.b_end] for s in alignment.spans],
                         "edits": [[list(edit) for edit in edits_copy], [list(edit) for edit in edits_canonical]]})
    compared.sort(key=lambda item: (-rows[item["doc"]][8], rows[item["doc"]][0]))
    return {"id": label, "canonical": group[0][0], "size": len(group), "members": [index for index, _ in group],
            "compared": compared}
