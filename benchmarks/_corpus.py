"""Seeded generator of a syndication corpus from real articles and real site chrome.

Used by ``python -m benchmarks.quality`` (the full corpus) and to regenerate the CI slice in
``tests/fixtures/quality_slice/``.  Everything it reads comes from ``<data>`` (``../shared/data``):

* stories: scrapinghub gold ``articleBody`` texts and Reuters-21578 ``<BODY>`` texts (the earnings
  briefs of topic ``earn`` among them: formulaic look-alikes of each other);
* host pages: scrapinghub pages whose own article could be located in the markup.  A copy of a story
  is the host page with its article paragraphs replaced by the (edited) story, its headline replaced
  by the copy's title, and its description/JSON-LD metadata dropped -- so the copy carries that
  site's real chrome, and two different stories on one host share all of it;
* hard negatives that are never copied: the SemEval-2022 en-en articles (different articles about the
  same event; some pairs share only a registration wall) and the Lee corpus (same-topic articles).

Each copy is written either as the page (``.html``) or as a whole-page plain-text dump (``.txt``:
the text of every block element of ``<body>`` in document order, chrome included, as select-all and
copy in a browser gives; :func:`page_dump`).  Edits per copy: retitles, credit and dateline changes,
bottom cuts down to about half, local intro paragraphs, "Also read" inserts, paragraph merges and
splits, US/UK spelling, quote styles, small copy edits, wire updates that add paragraphs.

Layout of the output directory: ``corpus/<site>/<name>.{html,txt}`` (one folder per host site, as a
crawl stores pages; ``reuters/`` for the wire originals, ``semeval/``, ``lee/``) and ``gold.jsonl``
with one ``{"doc": <path relative to corpus/>, "story": <id>}`` per document: one story per cluster.
"""

from __future__ import annotations

import gzip
import hashlib
import html as htmllib
import json
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

# ---------------------------------------------------------------------------------------------------
# Plain-text page dumps (select-all + copy)

# fmt: off
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math",
        "iframe", "object", "embed", "canvas", "video", "audio", "picture", "source", "track",
        "map", "input", "textarea", "select", "option", "base",
    }
)
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
        "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul", "br",
    }
)
# fmt: on
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"\s+")


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def page_dump(root: etree._Element) -> str:
    """The visible text of a page's body, one line per block element, in document order."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(buf)).strip()
        buf.clear()
        if line:
            lines.append(line)

    def walk(el: etree._Element) -> None:
        tag = el.tag.lower().rpartition("}")[2] if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP or _hidden(el):
            pass  # not rendered; its tail is
        else:
            block = tag in _BLOCK
            if block:
                flush()
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
            if block:
                flush()
        if el.tail:
            buf.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------
# Source material

_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _shingles(text: str, n: int = 5) -> set[int]:
    words = _WORD.findall(text.casefold())
    return {hash(tuple(words[i : i + n])) for i in range(max(0, len(words) - n + 1))}


@dataclass(frozen=True)
class Story:
    id: str
    kind: str  # "page" (scrapinghub gold body), "wire" (Reuters), "earn" (Reuters earnings brief)
    title: str
    paragraphs: tuple[str, ...]
    dateline: str = ""  # e.g. "LOS ANGELES, Feb 26 - "
    date: str = ""  # YYYY-MM-DD
    page: str = ""  # scrapinghub id of the story's own page


@dataclass
class Host:
    """A scrapinghub page whose own article paragraphs were located in the markup."""

    id: str
    site: str
    raw: bytes
    parent: str  # xpath of the element holding the article paragraphs
    first: int  # index range of the article's children in that element
    last: int
    gold: str  # the page's own body, normalised (leftovers of it are removed from copies)
    title: str  # the page's own headline
    h1: list[str] = field(default_factory=list)  # xpaths of headline elements


def _site(url: str) -> str:
    host = urlsplit(url).hostname or "unknown"
    return host.removeprefix("www.")


def _english(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    if len(words) < 50:
        return False
    common = sum(w in {"the", "and", "of", "to", "a", "in", "is", "that", "for", "on"} for w in words)
    return common / len(words) > 0.12


def load_scrapinghub(data: Path) -> tuple[list[Story], list[Host]]:
    truth = json.loads((data / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    stories: list[Story] = []
    hosts: list[Host] = []
    for pid in sorted(truth):
        body = truth[pid]["articleBody"]
        url = truth[pid].get("url") or ""
        paragraphs = tuple(p for p in (_norm(x) for x in body.split("\n")) if p)
        if not _english(body):
            continue
        raw = gzip.decompress((data / "scrapinghub" / "html" / f"{pid}.html.gz").read_bytes())
        root = lxml.html.document_fromstring(raw)
        title = _page_title(root)
        stories.append(Story(f"page-{pid[:10]}", "page", title, paragraphs, page=pid))
        host = _locate(pid, _site(url), raw, root, _norm(body), title)
        if host is not None:
            hosts.append(host)
    return stories, hosts


def _page_title(root: etree._Element) -> str:
    for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content', "//h1", "//title"):
        found = root.xpath(xp)
        if found:
            text = _norm(found[0] if isinstance(found[0], str) else found[0].text_content())
            if text:
                return text
    return ""


def _locate(pid: str, site: str, raw: bytes, root: etree._Element, gold: str, title: str) -> Host | None:
    """Find the element holding the page's own article paragraphs (most of the gold body)."""
    hits = [el for el in root.iter("p") if len(t := _norm(el.text_content())) > 30 and t in gold]
    if len(hits) < 3:
        return None
    parents = Counter(el.getparent() for el in hits)
    parent, _ = parents.most_common(1)[0]
    mine = [el for el in hits if el.getparent() is parent]
    covered = sum(len(_norm(el.text_content())) for el in mine) / max(1, len(gold))
    if covered < 0.7:
        return None
    children = list(parent)
    idx = [children.index(el) for el in mine]
    tree = root.getroottree()
    h1 = [tree.getpath(el) for el in root.iter("h1") if _similar(_norm(el.text_content()), title)]
    if not h1:
        h1 = [tree.getpath(el) for el in root.iter("h1")][:1]
    return Host(pid, site, raw, tree.getpath(parent), min(idx), max(idx), gold, title, h1)


def _similar(a: str, b: str) -> bool:
    wa, wb = set(_WORD.findall(a.casefold())), set(_WORD.findall(b.casefold()))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.6


_REUTERS = re.compile(r"<REUTERS(.*?)</REUTERS>", re.S)


def load_reuters(data: Path) -> list[Story]:
    stories = []
    for path in sorted((data / "reuters21578").glob("reut2-*.sgm")):
        for rec in _REUTERS.findall(path.read_text(encoding="latin-1")):
            body = _tag(rec, "BODY")
            title = _tag(rec, "TITLE")
            if not body or not title:
                continue
            newid = re.search(r'NEWID="(\d+)"', rec).group(1)  # type: ignore[union-attr]
            topics = re.findall(r"<D>(.*?)</D>", _tag(rec, "TOPICS"))
            body = htmllib.unescape(re.sub(r"&#\d+;", "", body))
            body = re.sub(r"\s*Reuter\s*$", "", body.strip(), flags=re.I)
            earn = "earn" in topics
            # Paragraphs (and the rows of earnings tables) start with an indented line.
            parts = re.split(r"\n(?=\s)", body)
            paragraphs = tuple(p for p in (_norm(x) for x in parts) if p)
            date = _reuters_date(_tag(rec, "DATE"))
            dateline = _norm(htmllib.unescape(_tag(rec, "DATELINE")))
            stories.append(
                Story(
                    f"reuters-{newid}",
                    "earn" if earn else "wire",
                    _norm(htmllib.unescape(title)),
                    paragraphs,
                    dateline,
                    date,
                )
            )
    return stories


def _tag(rec: str, name: str) -> str:
    m = re.search(rf"<{name}>(.*?)</{name}>", rec, re.S)
    return m.group(1) if m else ""


_MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}


def _reuters_date(text: str) -> str:
    m = re.match(r"\s*(\d+)-([A-Z]{3})-(\d{4})", text)
    return f"{m.group(3)}-{_MONTHS.get(m.group(2), 1):02d}-{int(m.group(1)):02d}" if m else ""


def load_semeval(data: Path) -> list[tuple[str, str]]:
    """(article id, text) for every distinct article of the en-en pairs."""
    seen: dict[str, str] = {}
    for line in (data / "semeval2022" / "train-en.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        a, b = row["pair_id"].split("_")
        seen.setdefault(a, row["text1"])
        seen.setdefault(b, row["text2"])
    return sorted(seen.items())


def semeval_pairs(data: Path) -> list[tuple[str, str]]:
    out = []
    for line in (data / "semeval2022" / "train-en.jsonl").read_text(encoding="utf-8").splitlines():
        a, b = json.loads(line)["pair_id"].split("_")
        out.append((a, b))
    return out


def load_lee(data: Path) -> list[str]:
    return [
        _norm(x) for x in (data / "lee" / "lee_background.cor").read_text(encoding="latin-1").splitlines() if x.strip()
    ]


def _distinct(stories: list[Story], limit: float, keep: Iterable[set[int]] = ()) -> list[Story]:
    """Drop stories that share more than `limit` of their 5-shingles with one kept earlier (re-issues)."""
    kept: list[Story] = []
    sets: list[set[int]] = list(keep)
    for s in stories:
        sh = _shingles(" ".join(s.paragraphs))
        if not sh:
            continue
        if any(len(sh & o) / min(len(sh), len(o)) > limit for o in sets):
            continue
        kept.append(s)
        sets.append(sh)
    return kept


# ---------------------------------------------------------------------------------------------------
# Edits

# fmt: off
_SPELLING = [
    ("color", "colour"), ("colors", "colours"), ("honor", "honour"), ("labor", "labour"), ("favor", "favour"),
    ("favorite", "favourite"), ("center", "centre"), ("centers", "centres"), ("theater", "theatre"),
    ("organize", "organise"), ("organized", "organised"), ("organization", "organisation"),
    ("organizations", "organisations"), ("recognize", "recognise"), ("recognized", "recognised"),
    ("realize", "realise"), ("realized", "realised"), ("analyze", "analyse"), ("analyzed", "analysed"),
    ("defense", "defence"), ("program", "programme"), ("programs", "programmes"), ("traveled", "travelled"),
    ("canceled", "cancelled"), ("gray", "grey"), ("neighbor", "neighbour"), ("neighbors", "neighbours"),
    ("behavior", "behaviour"), ("criticize", "criticise"), ("criticized", "criticised"),
    ("apologize", "apologise"), ("authorized", "authorised"), ("emphasize", "emphasise"),
    ("jewelry", "jewellery"), ("catalog", "catalogue"), ("aluminum", "aluminium"), ("percent", "per cent"),
    ("license", "licence"), ("modeling", "modelling"), ("labeled", "labelled"), ("fiber", "fibre"),
    ("liter", "litre"), ("meter", "metre"), ("harbor", "harbour"), ("rumor", "rumour"),
    ("privatization", "privatisation"), ("utilize", "utilise"), ("minimize", "minimise"),
    ("maximize", "maximise"), ("stabilize", "stabilise"), ("subsidize", "subsidise"),
]
_US2UK = {a: b for a, b in _SPELLING}
_UK2US = {b: a for a, b in _SPELLING}


def _swap_words(text: str, table: dict[str, str]) -> str:
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)) + r")\b", re.I)

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        new = table[word.lower()]
        return new.capitalize() if word[0].isupper() else new

    return pattern.sub(sub, text)


def _curly(text: str) -> str:
    text = re.sub(r'(^|[\s(\[{-])"', "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", text)
    text = re.sub(r"(^|[\s(\[{-])'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


def _straight(text: str) -> str:
    return text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})


_PLACES = [
    "Springfield", "Leeds", "Brisbane", "Cork", "Hamilton", "Durban", "Fresno", "Winnipeg", "Nagpur",
    "Dunedin", "Bristol", "Tucson", "Halifax", "Perth", "Omaha", "Glasgow", "Pune", "Tacoma",
]
_NAMES = [
    "Mark Potter", "Alison Williams", "Sarah Chen", "David Brunnstrom", "Priya Nair", "Tom Hals",
    "Leigh Thomas", "Jonathan Oatis", "Maria Gomez", "Peter Cooney", "Ruth Pitchford", "Ankit Ajmera",
]
# fmt: on
_INTROS = [
    "Editor's note: This report is carried from our wire partners and has been updated for readers in {place}.",
    "Readers in {place} have been following this story closely; here is the latest as it develops.",
    "In {place}, local officials said on {day} they were watching developments and would comment later in the week.",
    "The following report is of particular interest to businesses and families across {place} and the wider region.",
    "{place} residents asked us about this after last week's meeting. Here is what we know so far.",
]
_UPDATES = [
    "{who} did not immediately respond to a request for further comment on {day}.",
    "Further details were not immediately available, a spokesperson for {who} said late on {day}.",
    "{who} is expected to give more details at a news conference on {day}, people familiar with the plans said.",
    "Analysts said they would be watching closely for any further statements from {who} in the coming days.",
    "Earlier on {day}, {who} had declined to say when a final decision would be taken.",
]
_CREDITS = [
    "(Reporting by {name}; Editing by {name2})",
    "({name} reported from {place}; additional reporting by {name2})",
    "Copyright 2019 The Associated Press. All rights reserved. "
    "This material may not be published, broadcast, rewritten or redistributed.",
    "This story has not been edited by our staff and is published from a syndicated news agency feed.",
    "-- {name}, staff writer, contributed to this report.",
    "(This story has been auto-generated from a syndicated feed.)",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_AGENCIES = ["Reuters", "AP", "AFP", "ANI", "PTI"]


def _entity(paragraphs: tuple[str, ...] | list[str]) -> str:
    """A capitalised name from the story (for update sentences), or a generic one."""
    for p in paragraphs[:3]:
        for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})", p):
            name = m.group(1)
            if name not in {"The", "A", "An", "He", "She", "It", "They", "But", "In", "On"} | set(_DAYS):
                return name
    return "the company"


@dataclass(frozen=True)
class Copy:
    title: str
    paragraphs: tuple[str, ...]
    edits: tuple[str, ...]


def edit(story: Story, rng: random.Random, other_titles: list[str]) -> Copy:
    """One republished copy of a story, with a random mix of the edits real reprints show."""
    paras = list(story.paragraphs)
    title = story.title
    edits: list[str] = []
    place = rng.choice(_PLACES)
    day = rng.choice(_DAYS)
    short = story.kind == "earn"

    if rng.random() < 0.5 and len(paras) >= 4 and not short:  # bottom cut to 50-90% of the words
        total = sum(len(p.split()) for p in paras)
        keep = rng.uniform(0.5, 0.9) * total
        n, acc = 0, 0
        while n < len(paras) and acc < keep:
            acc += len(paras[n].split())
            n += 1
        paras = paras[: max(2, n)]
        edits.append("cut")
    if rng.random() < 0.3 and len(paras) >= 3:  # merge two adjacent paragraphs
        i = rng.randrange(len(paras) - 1)
        paras[i : i + 2] = [paras[i] + " " + paras[i + 1]]
        edits.append("merge")
    if rng.random() < 0.3:  # split a long paragraph at a sentence boundary
        long = [i for i, p in enumerate(paras) if len(re.findall(r"[.!?] [A-Z]", p)) >= 1]
        if long:
            i = rng.choice(long)
            cuts = [m.end() - 1 for m in re.finditer(r"[.!?] (?=[A-Z])", paras[i])]
            c = rng.choice(cuts)
            paras[i : i + 1] = [paras[i][:c].strip(), paras[i][c:].strip()]
            edits.append("split")
    if rng.random() < 0.4:  # US/UK spelling
        table = _US2UK if rng.random() < 0.6 else _UK2US
        paras = [_swap_words(p, table) for p in paras]
        title = _swap_words(title, table)
        edits.append("spelling")
    if rng.random() < 0.5:  # quote style
        fn = _curly if rng.random() < 0.6 else _straight
        paras = [fn(p) for p in paras]
        title = fn(title)
        edits.append("quotes")
    if rng.random() < 0.5:  # small copy edits
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(paras))
            paras[i] = _copy_edit(paras[i], rng)
        edits.append("copyedit")
    if rng.random() < 0.25:  # wire update adds paragraphs at the end
        who = _entity(paras)
        extra = rng.sample(_UPDATES, rng.randint(1, 3))
        paras += [u.format(who=who, day=day) for u in extra]
        title = "UPDATE 1-" + title
        edits.append("update")
    if rng.random() < 0.3 and len(paras) >= 3:  # "Also read" insert
        i = rng.randint(1, len(paras) - 1)
        paras.insert(i, "Also read: " + rng.choice(other_titles))
        edits.append("alsoread")
    if rng.random() < 0.3 and not short:  # local intro
        paras.insert(0, rng.choice(_INTROS).format(place=place, day=day))
        edits.append("intro")
    if rng.random() < 0.5:  # dateline and agency credit on the first body paragraph
        city = story.dateline.split(",")[0].strip() if story.dateline else rng.choice(_PLACES).upper()
        agency = rng.choice(_AGENCIES)
        lead = 1 if "intro" in edits and len(paras) > 1 else 0
        body = paras[lead]
        if story.dateline and body.startswith(story.dateline.strip()):
            body = body[len(story.dateline.strip()) :].lstrip()
        paras[lead] = (
            rng.choice([f"{city} ({agency}) - ", f"{city}, {day} ({agency}) -- ", f"{agency} | {city} | "]) + body
        )
        edits.append("dateline")
    if rng.random() < 0.5:  # credit line at the end
        paras.append(rng.choice(_CREDITS).format(name=rng.choice(_NAMES), name2=rng.choice(_NAMES), place=place))
        edits.append("credit")
    if rng.random() < 0.6:  # retitle
        title = _retitle(title, paras, rng, place)
        edits.append("retitle")
    return Copy(title, tuple(paras), tuple(edits))


def _copy_edit(p: str, rng: random.Random) -> str:
    words = p.split(" ")
    choice = rng.randrange(4)
    if choice == 0 and len(words) > 8:  # drop a word
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    if choice == 1 and re.search(r"\bsaid\b", p):
        return re.sub(r"\bsaid\b", "says", p, count=1)
    if choice == 2 and re.search(r"\b(pct|percent)\b", p):
        return re.sub(r"\b(pct|percent)\b", rng.choice(["per cent", "%", "percent"]), p, count=1)
    subs = [("about", "around"), ("but", "however"), ("also", "additionally"), ("big", "large"), ("said", "stated")]
    rng.shuffle(subs)
    for a, b in subs:
        if re.search(rf"\b{a}\b", p):
            return re.sub(rf"\b{a}\b", b, p, count=1)
    return p


def _retitle(title: str, paras: list[str], rng: random.Random, place: str) -> str:
    base = title.removeprefix("UPDATE 1-")
    choice = rng.randrange(5)
    if choice == 0:
        return base.title() if not base.istitle() else base.capitalize()
    if choice == 1:
        return rng.choice(["Report: ", "WATCH: ", "Explainer: ", f"{place}: "]) + base
    if choice == 2:
        words = _norm(
            re.sub(r"^[A-Z ,]+\([A-Za-z]+\) -+|^[A-Za-z]+ \| [^|]+\| ", "", paras[-1 if len(paras) < 2 else 0])
        ).split()
        return " ".join(words[:12]).rstrip(",.;:") if words else base
    if choice == 3:
        return base + rng.choice([" - report", " | World News", " (updated)", ", officials say"])
    return base.upper() if len(base) < 80 else base


# ---------------------------------------------------------------------------------------------------
# Republishing into host pages


def republish(host: Host, title: str, paragraphs: Iterable[str]) -> etree._Element:
    """The host page with its own article replaced by `paragraphs` and its headline by `title`."""
    root = lxml.html.document_fromstring(host.raw)
    tree = root.getroottree()
    parent = tree.xpath(host.parent)[0]
    children = list(parent)
    anchor = children[host.first]
    new = []
    for text in paragraphs:
        p = etree.Element("p")
        p.text = text
        new.append(p)
    pos = parent.index(anchor)
    for el in children[host.first : host.last + 1]:
        parent.remove(el)
    for k, p in enumerate(new):
        parent.insert(pos + k, p)
    for xp in host.h1:
        found = tree.xpath(xp)
        if found:
            h = found[0]
            for ch in list(h):
                h.remove(ch)
            h.text = title
    # Leftovers of the page's own story outside the replaced range (captions, stray paragraphs).
    fresh = set(new)
    for el in list(root.iter("p", "li", "blockquote", "figcaption", "h2", "h3", "span", "div")):
        if el in fresh or el.getparent() is None:
            continue
        text = _norm(el.text_content())
        if len(text) > 40 and text in host.gold:
            el.drop_tree()
    # The page's own standfirst (usually its description) goes too.
    for desc in root.xpath('//meta[@name="description"]/@content | //meta[@property="og:description"]/@content'):
        desc = _norm(desc)
        if len(desc) > 40:
            for el in list(root.iter("p", "h2", "div", "span")):
                if el not in fresh and el.getparent() is not None and _norm(el.text_content()) == desc:
                    el.drop_tree()
    # Metadata that would carry the page's own story.
    for el in root.xpath(
        '//script[@type="application/ld+json"] | //meta[@name="description"] | '
        '//meta[@property="og:description"] | //meta[@name="twitter:description"]'
    ):
        el.drop_tree()
    for el in root.xpath('//meta[@property="og:title"] | //meta[@name="twitter:title"]'):
        el.set("content", title)
    for el in root.xpath("//title"):
        el.text = f"{title} | {host.site}"
    return root


def to_bytes(root: etree._Element) -> bytes:
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


# ---------------------------------------------------------------------------------------------------
# The corpus


@dataclass(frozen=True)
class Doc:
    path: str  # relative to corpus/
    story: str
    content: bytes
    kind: str  # page | wire | earn | semeval | lee
    edits: tuple[str, ...] = ()
    source: str = ""  # the SemEval article id of a SemEval document


@dataclass(frozen=True)
class Scale:
    """How much of each source goes in; copies per story are drawn from max_copies."""

    wire: int = 230
    earn: int = 130
    pages: int = 10_000  # all usable scrapinghub stories
    semeval: int = 10_000  # all
    lee: int = 300
    max_copies: int = 5
    html_share: float = 0.5


FULL = Scale()
SLICE = Scale(wire=22, earn=14, pages=14, semeval=60, lee=24, max_copies=4, html_share=0.3)


def generate(data: Path, seed: int = 0, scale: Scale = FULL) -> list[Doc]:
    """The whole corpus in memory (deterministic for a given data directory, seed and scale)."""
    rng = random.Random(seed)
    pages, hosts = load_scrapinghub(data)
    reuters = load_reuters(data)
    wires = [s for s in reuters if s.kind == "wire" and 120 <= sum(len(p.split()) for p in s.paragraphs) <= 900]
    earns = [s for s in reuters if s.kind == "earn" and 25 <= sum(len(p.split()) for p in s.paragraphs)]
    rng.shuffle(pages)
    rng.shuffle(wires)
    rng.shuffle(earns)
    pages = _distinct(pages[: scale.pages], 0.3)
    page_sets = [_shingles(" ".join(s.paragraphs)) for s in pages]
    wires = _distinct(wires[: int(scale.wire * 1.15)], 0.3, page_sets)[: scale.wire]
    earns = _distinct(earns[: int(scale.earn * 1.3)], 0.8)[: scale.earn]
    stories = pages + wires + earns
    titles = [s.title for s in stories]
    by_page = {h.id: h for h in hosts}

    docs: list[Doc] = []
    names: set[str] = set()

    def name(site: str, story: str, k: int, ext: str) -> str:
        digest = hashlib.sha1(f"{seed}/{story}/{k}".encode()).hexdigest()[:12]
        path = f"{site}/{digest}{ext}"
        assert path not in names
        names.add(path)
        return path

    for story in stories:
        # The first publication: the story's own page, or the wire copy as plain text.
        if story.kind == "page":
            own = by_page.get(story.page)
            raw = gzip.decompress((data / "scrapinghub" / "html" / f"{story.page}.html.gz").read_bytes())
            site = own.site if own else _site(_page_url(data, story.page))
            if rng.random() < scale.html_share:
                docs.append(Doc(name(site, story.id, 0, ".html"), story.id, raw, story.kind))
            else:
                text = page_dump(lxml.html.document_fromstring(raw))
                docs.append(Doc(name(site, story.id, 0, ".txt"), story.id, text.encode(), story.kind))
        else:
            lead = (story.dateline.strip() + " ") if story.dateline else ""
            body = [lead + story.paragraphs[0], *story.paragraphs[1:]]
            text = f"date {story.date}\n{story.title}\n\n" + "\n\n".join(body) + "\n"
            docs.append(Doc(name("reuters", story.id, 0, ".txt"), story.id, text.encode(), story.kind))
        # Reprints on other sites.
        if story.kind == "earn":
            n = rng.choice([0, 0, 1, 1, 2])
        else:
            n = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5][: 4 + scale.max_copies])
        choices = [h for h in hosts if h.id != story.page]
        for k, host in enumerate(rng.sample(choices, min(n, len(choices))), 1):
            cp = edit(story, rng, [t for t in titles if t != story.title])
            root = republish(host, cp.title, cp.paragraphs)
            if rng.random() < scale.html_share:
                docs.append(Doc(name(host.site, story.id, k, ".html"), story.id, to_bytes(root), story.kind, cp.edits))
            else:
                docs.append(
                    Doc(name(host.site, story.id, k, ".txt"), story.id, page_dump(root).encode(), story.kind, cp.edits)
                )

    # Singletons, except where the source itself holds the same article twice (one SemEval article is
    # there under two ids; the Lee corpus repeats a few items, once inside a two-item bulletin).
    semeval = _pick_semeval(data, scale.semeval, rng)
    same = _same_story([t for _, t in semeval], 0.98)
    for k, (aid, text) in enumerate(semeval):
        story = f"semeval-{semeval[same[k]][0]}"
        docs.append(Doc(name("semeval", aid, 0, ".txt"), story, text.strip().encode() + b"\n", "semeval", source=aid))
    lee = load_lee(data)
    picks = sorted(rng.sample(range(len(lee)), min(scale.lee, len(lee))))
    same = _same_story([lee[i] for i in picks], 0.85)
    for k, i in enumerate(picks):
        story = f"lee-{picks[same[k]]}"
        docs.append(Doc(name("lee", f"lee-{i}", 0, ".txt"), story, lee[i].encode() + b"\n", "lee"))
    return docs


def _pick_semeval(data: Path, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """About n SemEval articles, whole listed pairs; the pairs sharing the most text come first."""
    texts = dict(load_semeval(data))
    pairs = semeval_pairs(data)
    rng.shuffle(pairs)

    def overlap(pair: tuple[str, str]) -> float:
        a, b = _shingles(texts[pair[0]]), _shingles(texts[pair[1]])
        return len(a & b) / min(len(a), len(b)) if a and b else 0.0

    pairs.sort(key=overlap, reverse=True)  # stable: ties keep the shuffled order
    picked: set[str] = set()
    for a, b in pairs:
        if len(picked) >= n:
            break
        picked.update((a, b))
    return sorted((aid, texts[aid]) for aid in picked)


def _same_story(texts: list[str], limit: float) -> list[int]:
    """For each text, the index of the first text it is the same article as (5-shingle containment)."""
    sets = [_shingles(t) for t in texts]
    rep = list(range(len(texts)))
    for j in range(len(texts)):
        for i in range(j):
            a, b = sets[i], sets[j]
            if rep[i] == i and a and b and len(a & b) / min(len(a), len(b)) >= limit:
                rep[j] = i
                break
    return rep


def _page_url(data: Path, pid: str) -> str:
    truth = json.loads((data / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    return truth[pid].get("url") or ""


def write(docs: list[Doc], out: Path, *, gzip_html: bool = False) -> Path:
    """Write corpus/<site>/<name> and gold.jsonl under `out`; returns the corpus directory."""
    corpus = out / "corpus"
    gold = []
    for d in docs:
        path = d.path + (".gz" if gzip_html and d.path.endswith(".html") else "")
        target = corpus / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress(d.content, mtime=0) if path.endswith(".gz") else d.content
        target.write_bytes(data)
        row = {"doc": path, "story": d.story, "kind": d.kind, "edits": list(d.edits)}
        if d.source:
            row["source"] = d.source
        gold.append(row)
    with (out / "gold.jsonl").open("w", encoding="utf-8") as f:
        for row in gold:
            f.write(json.dumps(row) + "\n")
    return corpus


# ---------------------------------------------------------------------------------------------------
# Pieces for other generators (the speed benchmark's realistic corpus)


def local_intro(rng: random.Random) -> str:
    """A local intro paragraph of the kind reprints open with."""
    return rng.choice(_INTROS).format(place=rng.choice(_PLACES), day=rng.choice(_DAYS))


def credit_line(rng: random.Random) -> str:
    """A credit or syndication line of the kind reprints end with."""
    return rng.choice(_CREDITS).format(name=rng.choice(_NAMES), name2=rng.choice(_NAMES), place=rng.choice(_PLACES))


@dataclass(frozen=True)
class DumpFrame:
    """A host page's whole-page text dump around its article: the chrome lines above the headline, between the
    headline and the article's paragraphs, and after them (menus, trending lists, newsletter prompts, footers)."""

    site: str
    head: tuple[str, ...]
    between: tuple[str, ...]
    tail: tuple[str, ...]

    def dump(self, title: str, paragraphs: Iterable[str]) -> str:
        return "\n".join([*self.head, title, *self.between, *paragraphs, *self.tail]) + "\n"


_TITLE_MARK = "Xqzv headline placeholder Xqzv"
_BODY_MARK = "Xqzv article placeholder Xqzv"


def dump_frames(hosts: Iterable[Host]) -> list[DumpFrame]:
    """The page-dump chrome of each host page (``page_dump`` of the page republished with placeholders); hosts
    whose dump loses the placeholder article are left out."""
    frames = []
    for host in hosts:
        lines = page_dump(republish(host, _TITLE_MARK, [_BODY_MARK])).splitlines()
        if _BODY_MARK not in lines:
            continue
        body = lines.index(_BODY_MARK)
        title = lines.index(_TITLE_MARK) if _TITLE_MARK in lines[:body] else body
        head = tuple(line for line in lines[:title] if _TITLE_MARK not in line)
        between = tuple(line for line in lines[title + 1 : body] if _TITLE_MARK not in line)
        tail = tuple(line for line in lines[body + 1 :] if _TITLE_MARK not in line and _BODY_MARK not in line)
        frames.append(DumpFrame(host.site, head, between, tail))
    return frames
