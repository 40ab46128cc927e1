"""Output: a readable table, JSON, JSON lines, CSV and a self-contained HTML page of a clustering; the text
view of ``compare``."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import asdict

from .align import Alignment, _tokens, align
from .cluster import Clustering
from .shingle import normalize_word

__all__ = ["records", "render", "compare_text", "inner_edits"]

FORMATS = ("table", "json", "jsonl", "csv", "html")


def records(result: Clustering, *, with_alignment: bool = False) -> Iterator[dict]:
    """One flat record per input article, in input order."""
    texts = {article.id: article.text for article in result.articles} if with_alignment else {}
    for article, label in zip(result.articles, result.labels, strict=True):
        if label is None:
            record = {"doc": article.id, "cluster": None, "canonical": False, "error": article.error}
        else:
            group = result.clusters[label]
            members = group.members
            member = members[0] if len(members) == 1 else next(m for m in members if m.doc == article.id)
            record = {"doc": article.id, "cluster": label, "canonical": member.canonical, "error": article.error,
                      "canonical_doc": group.canonical, "size": len(members), "similarity": member.similarity,
                      "containment": member.containment}
            if with_alignment:
                record["alignment"] = (None if member.canonical
                                       else _alignment_record(align(article.text, texts[group.canonical])))
        record["title"] = article.title
        record["date"] = article.date
        record["wire"] = article.wire
        record["dateline"] = article.dateline
        record["url"] = article.url
        yield record


_JSON_LINE = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps builds a new one per call
_quote = json.encoder.encode_basestring  # a JSON string, as that encoder writes it


def _string(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _jsonl(result: Clustering) -> str:
    """``records`` as JSON lines, the same text as ``_JSON_LINE`` writes; the record of an article alone in its
    cluster (most of them) is written from a template, at less than half the cost."""
    lines = []
    for record in records(result):
        if (record["size"] if record["cluster"] is not None else 0) != 1 or record["canonical"] is not True or (
                record["similarity"], record["containment"], record["error"]) != (1.0, 1.0, None):
            lines.append(_JSON_LINE.encode(record))
            continue
        doc = _quote(record["doc"])
        lines.append(f'{{"doc": {doc}, "cluster": {record["cluster"]:d}, "canonical": true, "error": null, '
                     f'"canonical_doc": {_quote(record["canonical_doc"])}, "size": 1, "similarity": 1.0, '
                     f'"containment": 1.0, "title": {_string(record["title"])}, "date": {_string(record["date"])}, '
                     f'"wire": {_string(record["wire"])}, "dateline": {_string(record["dateline"])}, '
                     f'"url": {_string(record["url"])}}}')
    lines.append("")
    return "\n".join(lines) if len(lines) > 1 else ""


def _alignment_record(alignment: Alignment) -> dict:
    return {
        "relationship": alignment.relationship,
        "similarity": alignment.similarity,
        "containment_doc": alignment.containment_a,
        "containment_canonical": alignment.containment_b,
        "spans": [
            {"doc_start": s.a_start, "doc_end": s.a_end, "canonical_start": s.b_start, "canonical_end": s.b_end,
             "score": s.score}
            for s in alignment.spans
        ],
    }


def render(result: Clustering, fmt: str, *, with_alignment: bool = False) -> str:
    """The clustering as text in one of ``FORMATS``."""
    if fmt == "jsonl":
        if with_alignment:
            return "".join(_JSON_LINE.encode(record) + "\n" for record in records(result, with_alignment=True))
        return _jsonl(result)
    if fmt == "json":
        document = {
            "settings": asdict(result.settings),
            "summary": _summary(result),
            "clusters": [
                {"id": group.id, "canonical": group.canonical, "size": len(group),
                 "members": [asdict(member) for member in group.members]}
                for group in result.clusters
            ],
            "documents": list(records(result, with_alignment=with_alignment)),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        fields = ["doc", "cluster", "canonical", "canonical_doc", "size", "similarity", "containment", "error",
                  "title", "date", "wire"]
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(records(result))
        return buffer.getvalue()
    if fmt == "table":
        return _table(result)
    if fmt == "html":
        return _html(result)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _summary(result: Clustering) -> dict:
    multi = [group for group in result.clusters if len(group) > 1]
    return {
        "documents": len(result.articles),
        "unusable": sum(1 for article in result.articles if article.error is not None),
        "clusters": len(result.clusters),
        "clusters_with_copies": len(multi),
        "copies": sum(len(group) - 1 for group in multi),
    }


def _table(result: Clustering) -> str:
    lines = []
    multi = [group for group in result.clusters if len(group) > 1]
    singles = [group for group in result.clusters if len(group) == 1]
    width = max([len(member.doc) for group in result.clusters for member in group.members] + [20])
    if multi:
        lines.append(f"{'cluster':>7}  {'document':<{width}}  {'similarity':>10}  {'containment':>11}")
    for group in multi:
        ordered = sorted(group.members, key=lambda member: (not member.canonical, member.doc))
        for number, member in enumerate(ordered):
            label = f"{group.id:>7}" if number == 0 else " " * 7
            mark = " *" if member.canonical else "  "
            lines.append(f"{label}  {member.doc:<{width}}  {member.similarity:>10.3f}  "
                         f"{member.containment:>11.3f}{mark}")
        lines.append("")
    if singles:
        lines.append(f"{len(singles)} article(s) without copies:")
        lines.extend(f"{group.id:>7}  {group.canonical}" for group in singles)
        lines.append("")
    errors = [article for article in result.articles if article.error is not None]
    if errors:
        lines.append(f"{len(errors)} unusable input(s):")
        lines.extend(f"         {article.id}: {article.error}" for article in errors)
        lines.append("")
    summary = _summary(result)
    lines.append(
        f"{summary['documents']} documents, {summary['clusters']} clusters, {summary['clusters_with_copies']} with "
        f"copies ({summary['copies']} copies), {summary['unusable']} unusable.  * = canonical"
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
            edits: list[tuple[int, int]] = ()) -> str:  # type: ignore[assignment]
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
        lead = len((_LEAD_AFTER_SPAN if position else _BLANKS).match(gap).group())
        trail = len((_TRAIL_BEFORE_SPAN if start < len(text) else _BLANKS_AT_END).search(gap).group())
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
# html: one self-contained page (inline CSS and JS, no network); the data travel as JSON and the page builds
# its DOM with textContent only, so no article text is ever parsed as HTML.


def _html(result: Clustering) -> str:
    articles = result.articles
    index = {article.id: number for number, article in enumerate(articles)}
    docs = [{"id": a.id, "title": a.title, "date": a.date, "url": a.url, "site": a.sitename, "wire": a.wire,
             "text": a.text, "error": a.error} for a in articles]
    clusters = []
    for group in result.clusters:
        canonical = articles[index[group.canonical]]
        members = []
        for member in group.members:
            if member.canonical:
                continue
            copy_text = articles[index[member.doc]].text
            alignment = align(copy_text, canonical.text)
            edits_copy, edits_canonical = inner_edits(copy_text, canonical.text, alignment)
            members.append({
                "doc": index[member.doc], "jaccard": member.similarity, "containment": member.containment,
                "relationship": alignment.relationship, "similarity": alignment.similarity,
                "copied": alignment.containment_a, "kept": alignment.containment_b,
                "spans": [[s.a_start, s.a_end, s.b_start, s.b_end] for s in alignment.spans],
                "edits": [[list(edit) for edit in edits_copy], [list(edit) for edit in edits_canonical]],
            })
        members.sort(key=lambda item: (-item["similarity"], articles[item["doc"]].id))
        clusters.append({"id": group.id, "canonical": index[group.canonical], "size": len(group),
                         "members": members})
    data = {"summary": _summary(result), "settings": asdict(result.settings), "docs": docs, "clusters": clusters}
    # ASCII only: any text survives the trip (even a lone surrogate), whatever encoding the page is saved in
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    # inside <script> only "</" (and "<!--") can end or confuse the element; escape every "<", ">" and "&"
    payload = payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return _PAGE.replace("/*DATA*/", payload, 1)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>dedup report</title>
<style>
:root { --copied: #d3f0d8; --copied-hot: #8fd9a0; --added: #fff1a8; --cut: #fbd3d3; --ink: #1d2330;
        --muted: #5f6b7a; --line: #d9dee5; --bg: #f5f7fa; --card: #fff; --accent: #2f5fb3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); background: var(--bg); }
header { position: sticky; top: 0; z-index: 2; background: var(--card); border-bottom: 1px solid var(--line);
         padding: 10px 20px; }
h1 { font-size: 18px; margin: 0 12px 0 0; display: inline-block; }
.summary { color: var(--muted); display: inline-block; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-top: 8px; }
.controls input[type=search] { width: 320px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 4px;
                                font: inherit; }
.controls select { padding: 4px; font: inherit; }
.legend span { padding: 1px 6px; border-radius: 3px; margin-right: 6px; }
main { padding: 12px 20px 40px; }
.count { color: var(--muted); margin: 4px 0 10px; }
details.cluster { background: var(--card); border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; }
details.cluster > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline;
                            list-style: none; }
details.cluster > summary::-webkit-details-marker { display: none; }
details.cluster > summary::before { content: "\\25B8"; color: var(--muted); }
details.cluster[open] > summary::before { content: "\\25BE"; }
.cid { color: var(--muted); font-variant-numeric: tabular-nums; min-width: 4.5em; }
.size { font-weight: 600; min-width: 6.5em; }
.ctitle { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sim { color: var(--muted); font-variant-numeric: tabular-nums; }
.body { padding: 0 12px 12px; }
.pair { border-top: 1px solid var(--line); padding-top: 10px; margin-top: 10px; }
.pairhead { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: baseline; margin-bottom: 6px; }
.badge { font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #e6ebf2; color: var(--ink); }
.badge.duplicate, .badge.reprint { background: #cde8d3; }
.badge.contained { background: #dcdcf7; }
.badge.partial { background: #f7e3c4; }
.badge.unrelated { background: #f3cfcf; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.col { min-width: 0; border: 1px solid var(--line); border-radius: 4px; }
.colhead { padding: 6px 10px; background: #eef1f5; border-bottom: 1px solid var(--line); font-size: 13px; }
.colhead .doc { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
                color: var(--muted); word-break: break-all; }
.colhead .title { font-weight: 600; }
.text { padding: 8px 10px; max-height: 440px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere;
        font-family: Georgia, "Times New Roman", serif; font-size: 14px; line-height: 1.5; }
mark { color: inherit; border-radius: 2px; }
mark.copied { background: var(--copied); }
mark.copied.hot { background: var(--copied-hot); }
mark.added { background: var(--added); text-decoration: underline dotted #b08a00; }
mark.cut { background: var(--cut); text-decoration: line-through; text-decoration-color: #c0392b; }
.more { margin: 10px 0; padding: 6px 14px; font: inherit; cursor: pointer; }
.errors { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.errors li { font-family: ui-monospace, monospace; font-size: 12px; }
a { color: var(--accent); }
@media (max-width: 900px) { .cols { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header>
  <h1>dedup report</h1><span class="summary" id="summary"></span>
  <div class="controls">
    <input type="search" id="q" placeholder="Search titles, file names and text" aria-label="Search">
    <label>Sort <select id="sort">
      <option value="size">largest clusters first</option>
      <option value="simlow">least similar copies first</option>
      <option value="simhigh">most similar copies first</option>
      <option value="name">canonical file name</option>
    </select></label>
    <label><input type="checkbox" id="singles" checked> hide articles without copies</label>
    <span class="legend"><span style="background:var(--copied)">copied</span><span
      style="background:var(--added)">added in the copy</span><span
      style="background:var(--cut);text-decoration:line-through">cut from the copy</span></span>
  </div>
</header>
<main>
  <div class="count" id="count"></div>
  <div id="list"></div>
  <button class="more" id="more" hidden>Show more clusters</button>
  <div id="errors"></div>
</main>
<script type="application/json" id="data">/*DATA*/</script>
<script>
"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
const DOCS = DATA.docs, PAGE = 50, MEMBERS_PAGE = 6;
const WORD = /[\\p{L}\\p{N}]/u;
let shown = 0, view = [];

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function fmt(x) { return (Math.round(x * 1000) / 1000).toFixed(3); }
function minSim(c) { return c.members.length ? Math.min(...c.members.map(m => m.similarity)) : 1; }
function label(doc) { return doc.title || doc.id; }

function summaryLine() {
  const s = DATA.summary;
  document.getElementById("summary").textContent =
    `${s.documents} documents \\u00b7 ${s.clusters} clusters \\u00b7 ${s.clusters_with_copies} with copies ` +
    `(${s.copies} copies) \\u00b7 ${s.unusable} unusable`;
}

let haystacks = null;
function haystack(c) {
  if (!haystacks) haystacks = new Map();
  let h = haystacks.get(c);
  if (h === undefined) {
    const docs = [c.canonical, ...c.members.map(m => m.doc)].map(i => DOCS[i]);
    h = docs.map(d => [d.id, d.title || "", d.text].join("\\n")).join("\\n").toLowerCase();
    haystacks.set(c, h);
  }
  return h;
}

function refresh() {
  const q = document.getElementById("q").value.trim().toLowerCase();
  const hide = document.getElementById("singles").checked;
  const sort = document.getElementById("sort").value;
  view = DATA.clusters.filter(c => (!hide || c.size > 1) && (!q || haystack(c).includes(q)));
  const name = c => DOCS[c.canonical].id;
  const by = {
    size: (x, y) => y.size - x.size || name(x).localeCompare(name(y)),
    simlow: (x, y) => minSim(x) - minSim(y) || y.size - x.size,
    simhigh: (x, y) => minSim(y) - minSim(x) || y.size - x.size,
    name: (x, y) => name(x).localeCompare(name(y)),
  }[sort];
  view.sort(by);
  const state = new URLSearchParams();  // the view in the address, so a link or a reload keeps it
  if (q) state.set("q", q);
  if (sort !== "size") state.set("sort", sort);
  if (!hide) state.set("singles", "show");
  history.replaceState(null, "", state.toString() ? "#" + state.toString() : location.pathname + location.search);
  const list = document.getElementById("list");
  list.replaceChildren();
  shown = 0;
  more();
  const first = list.querySelector("details.cluster");
  if (first && first.dataset.size > 1) first.open = true;
}

function more() {
  const list = document.getElementById("list");
  const end = Math.min(view.length, shown + PAGE);
  const frag = document.createDocumentFragment();
  for (; shown < end; shown++) frag.append(card(view[shown]));
  list.append(frag);
  const button = document.getElementById("more");
  button.hidden = shown >= view.length;
  button.textContent = `Show more clusters (${view.length - shown} left)`;
  document.getElementById("count").textContent =
    `${view.length} cluster(s) match; showing ${shown}. ` +
    "Click a cluster to compare its copies with the canonical article.";
}

function card(c) {
  const d = el("details", "cluster");
  d.dataset.size = c.size;
  const s = el("summary");
  const canon = DOCS[c.canonical];
  s.append(el("span", "cid", `#${c.id}`), el("span", "size", c.size > 1 ? `${c.size} articles` : "1 article"),
           el("span", "ctitle", label(canon)),
           el("span", "sim", c.members.length ? `similarity \\u2265 ${fmt(minSim(c))}` : "no copies"));
  d.append(s);
  d.addEventListener("toggle", () => { if (d.open && !d.dataset.built) { d.dataset.built = "1"; build(d, c); } });
  return d;
}

function build(d, c) {
  const body = el("div", "body");
  d.append(body);
  if (!c.members.length) {
    const pair = el("div", "pair");
    const cols = el("div", "cols");
    cols.append(column(DOCS[c.canonical], "canonical", [], null));
    pair.append(cols);
    body.append(pair);
    return;
  }
  let next = 0;
  const button = el("button", "more");
  const page = () => {
    const end = Math.min(c.members.length, next + MEMBERS_PAGE);
    for (; next < end; next++) body.insertBefore(pairView(c, c.members[next]), button);
    button.hidden = next >= c.members.length;
    button.textContent = `Show more copies (${c.members.length - next} left)`;
  };
  button.addEventListener("click", page);
  body.append(button);
  page();
}

function pairView(c, m) {
  const pair = el("div", "pair");
  const head = el("div", "pairhead");
  head.append(el("span", `badge ${m.relationship}`, m.relationship),
              el("span", "sim", `aligned words ${fmt(m.similarity)} \\u00b7 ` +
                                `copy made of shared text ${fmt(m.copied)} \\u00b7 canonical kept ${fmt(m.kept)} ` +
                                `\\u00b7 shingle Jaccard ${fmt(m.jaccard)} \\u00b7 ${m.spans.length} span(s)`));
  const cols = el("div", "cols");
  const canonSpans = m.spans.map((s, i) => [s[2], s[3], i]);
  const copySpans = m.spans.map((s, i) => [s[0], s[1], i]);
  cols.append(column(DOCS[c.canonical], "canonical", canonSpans, "cut", m.edits[1]),
              column(DOCS[m.doc], "copy", copySpans, "added", m.edits[0]));
  cols.addEventListener("mouseover", e => hot(cols, e, true));
  cols.addEventListener("mouseout", e => hot(cols, e, false));
  pair.append(head, cols);
  return pair;
}

function hot(cols, e, on) {
  const t = e.target.closest && e.target.closest("mark.copied");
  if (!t) return;
  for (const m of cols.querySelectorAll(`mark.copied[data-span="${t.dataset.span}"]`)) m.classList.toggle("hot", on);
}

function column(doc, role, spans, own, edits) {
  const col = el("div", "col");
  const head = el("div", "colhead");
  head.append(el("div", "doc", `${role}: ${doc.id}`));
  const meta = [doc.date, doc.site, doc.wire].filter(Boolean).join(" \\u00b7 ");
  head.append(el("div", "title", doc.title || "(no title)"));
  if (meta) head.append(el("div", "doc", meta));
  if (doc.url && /^https?:\\/\\//i.test(doc.url)) {
    const a = el("a", "doc", doc.url);
    a.href = doc.url; a.rel = "noopener noreferrer nofollow"; a.target = "_blank";
    head.append(a);
  }
  col.append(head, marked(doc.text, spans, own, edits || []));
  return col;
}

function marked(text, spans, own, edits) {
  const box = el("div", "text");
  let pos = 0;
  // blanks, and punctuation clinging to a copied span (a full stop, an opening quote), stay unmarked
  const gap = end => {
    const piece = text.slice(pos, end);
    if (!piece) return;
    const lead = piece.match(pos ? /^[^\\p{L}\\p{N}\\s]*\\s*/u : /^\\s*/u)[0].length;
    const trail = piece.match(end < text.length ? /\\s*[^\\p{L}\\p{N}\\s]*$/u : /\\s*$/u)[0].length;
    const body = lead + trail < piece.length ? piece.slice(lead, piece.length - trail) : "";
    if (own && WORD.test(body)) {
      box.append(piece.slice(0, lead), el("mark", own, body), piece.slice(piece.length - trail));
    } else box.append(piece);
  };
  for (const [start, end, i] of spans.slice().sort((x, y) => x[0] - y[0])) {
    if (start < pos) continue;
    gap(start);
    const m = el("mark", "copied");
    let cursor = start;  // words changed inside the copied passage are marked as added/cut too
    for (const [es, ee] of edits) {
      if (es < cursor || ee > end) continue;
      m.append(text.slice(cursor, es), el("mark", own, text.slice(es, ee)));
      cursor = ee;
    }
    m.append(text.slice(cursor, end));
    m.dataset.span = i;
    box.append(m);
    pos = end;
  }
  gap(text.length);
  return box;
}

function errors() {
  const bad = DOCS.filter(d => d.error);
  if (!bad.length) return;
  const box = el("div", "errors");
  box.append(el("strong", null, `${bad.length} unusable input(s)`));
  const ul = el("ul");
  for (const d of bad) ul.append(el("li", null, `${d.id}: ${d.error}`));
  box.append(ul);
  document.getElementById("errors").append(box);
}

let timer = 0;
document.getElementById("q").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(refresh, 150);
});
document.getElementById("sort").addEventListener("change", refresh);
document.getElementById("singles").addEventListener("change", refresh);
document.getElementById("more").addEventListener("click", more);
function restore() {
  const state = new URLSearchParams(location.hash.slice(1));
  document.getElementById("q").value = state.get("q") || "";
  const sort = document.getElementById("sort");
  if ([...sort.options].some(o => o.value === state.get("sort"))) sort.value = state.get("sort");
  document.getElementById("singles").checked = state.get("singles") !== "show";
}
summaryLine();
errors();
restore();
refresh();
</script>
</body>
</html>
"""
