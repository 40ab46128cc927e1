from __future__ import annotations

import csv
import io
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
import tomllib
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup import Article, Cluster, Clustering, ConfigError, Member, Settings, align, cluster
from dedup.cli import main
from dedup.report import (
    COMPARED_PER_CLUSTER,
    FORMATS,
    RECORD_FIELDS,
    compare_text,
    inner_edits,
    records,
    render,
    schema,
)

from .conftest import SAMPLES, SEED_000, SEED_001

CHROMIUM = Path("/usr/bin/chromium")
EVIL = "</script><script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
STORY = ("The harbour authority will expand the container terminal by forty berths over the next decade, officials "
         "said on Tuesday.\n\nShipping lines have asked for deeper channels for years, as the largest vessels can "
         "only enter the port at high tide and must often wait offshore for a berth.\n\nEnvironmental groups "
         "criticised the dredging plan, saying it would disturb the feeding grounds of wading birds.")


def _evil_clustering():
    original = Article(id="wire/<b>original</b>.txt", text=STORY, title=EVIL, date="2024-01-01",
                       url="javascript:alert(1)")
    copy = Article(id="site/copy.txt", text=f"{EVIL}\n\n{STORY}\n\nAlso read: {EVIL}", title="A copy",
                   date="2024-01-02", url="https://example.org/copy")
    return cluster([original, copy])


def _split(page: str) -> tuple[str, dict]:
    """The page without its data, and the data."""
    start = page.index('<script type="application/json" id="data">') + len('<script type="application/json" id="data">')
    end = page.index("</script>", start)
    return page[:start] + page[end:], json.loads(page[start:end])


def _records_of_page(page: str) -> list[dict]:
    data = _split(page)[1]
    return [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]


def test_html_is_one_self_contained_page_and_escapes_article_text():
    page = render(_evil_clustering(), "html")
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the data and the code, nothing else
    assert "<img" not in page and "</b>" not in page
    template, data = _split(page)
    assert not re.search(r"""<link\b|\bsrc\s*=|@import|url\(|https?:""", template)  # nothing fetched
    docs = {record["doc"]: record for record in _records_of_page(page)}
    assert docs["wire/<b>original</b>.txt"]["title"] == EVIL  # the text survives, escaped only in transit
    assert EVIL in data["texts"]["1"]
    (group,) = data["clusters"]
    assert group["size"] == 2 and data["rows"][group["canonical"]][data["fields"].index("date")] == "2024-01-01"
    (member,) = group["compared"]
    copy_text = data["texts"][str(member["doc"])]
    assert [copy_text[s[0]:s[1]] for s in member["spans"]] == [STORY.rstrip(".")]


def test_compare_text_marks_shared_cut_and_added_words():
    a = "Local council news first.\n\n" + STORY
    b = STORY + "\n\nAlso read: ferry timetable changes for the summer season"
    result = align(a, b)
    plain = compare_text(a, b, result, name_a="a.txt", name_b="b.txt")
    assert "[-Local council news first.-]\n\nThe harbour authority" in plain
    assert "wading birds.\n\n{+Also read: ferry timetable changes for the summer season+}" in plain
    assert "relationship: reprint" in plain and "\x1b[" not in plain
    coloured = compare_text(a, b, result, colour=True)
    assert "\x1b[42;30mThe harbour authority" in coloured and "\x1b[31;9mLocal council news first." in coloured


def test_compare_command_text_and_json(capsys):
    assert main(["compare", str(SEED_000), str(SEED_001)]) == 0
    out = capsys.readouterr().out
    assert "[-" in out and "{+" in out and "relationship: partial" in out
    assert main(["compare", str(SEED_000), str(SEED_001), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {"a", "b", "copy", "relationship", "jaccard", "containment", "aligned", "containment_a",
                             "containment_b", "spans"}
    assert document["copy"] is False and document["relationship"] == "partial"  # shared quotes, never merged
    for span in document["spans"]:
        piece_a = document["a"]["text"][span["a_start"]:span["a_end"]]
        piece_b = document["b"]["text"][span["b_start"]:span["b_end"]]
        assert re.findall(r"\w+", piece_a)[:3] == re.findall(r"\w+", piece_b)[:3]


# --- a real browser ---------------------------------------------------------------------------------------------


def _chromium(tmp_path: Path, page: Path, *extra: str, state: str = "") -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000"]
    return subprocess.run([str(CHROMIUM), *flags, *extra, page.as_uri() + state], capture_output=True, text=True,
                          timeout=120)


def _png_pixels(path: Path) -> np.ndarray:
    """The ``(height, width, channels)`` pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium
    writes), decoded with zlib: filters none/sub/up with numpy, average and Paeth byte by byte."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        chunks.append((data[position + 4:position + 8], data[position + 8:position + 8 + length]))
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    n = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * n
    out = bytearray(stride * (height + 1))  # starts with the zero row above the image
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)]
        base = (row + 1) * stride
        up = out[base - stride:base]
        if kind == 0:
            out[base:base + stride] = line
        elif kind == 1:
            sums = np.cumsum(np.frombuffer(line, np.uint8).reshape(width, n), axis=0, dtype=np.uint8)
            out[base:base + stride] = sums.tobytes()
        elif kind == 2:
            out[base:base + stride] = (np.frombuffer(line, np.uint8) + np.frombuffer(up, np.uint8)).tobytes()
        else:
            current = bytearray(stride)
            for i in range(stride):
                a = current[i - n] if i >= n else 0
                b = up[i]
                if kind == 3:
                    current[i] = (line[i] + ((a + b) >> 1)) & 255
                    continue
                c = up[i - n] if i >= n else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                current[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            out[base:base + stride] = current
    return np.frombuffer(bytes(out), np.uint8)[stride:].reshape(height, width, n)


def _colour_share(shot: Path) -> callable:
    pixels = _png_pixels(shot)
    assert pixels.shape[:2] == (1000, 1400)
    rgb = pixels[..., :3].reshape(-1, 3).astype(np.int32)
    packed = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    _, counts = np.unique(packed, return_counts=True)
    assert counts.max() < 0.8 * len(packed)  # not one blank colour
    assert len(counts) > 200  # text, antialiased

    def share(colour: tuple[int, int, int]) -> float:
        return float((np.abs(rgb - np.array(colour)).max(axis=1) <= 2).mean())

    return share


def _screenshot(tmp_path: Path, report: Path, state: str = "") -> Path:
    shot = tmp_path / f"shot{len(list(tmp_path.glob('shot*.png')))}.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", f"--screenshot={shot}"]
    completed = subprocess.run([str(CHROMIUM), *flags, report.as_uri() + state], capture_output=True, text=True,
                               timeout=120)
    assert shot.exists(), completed.stderr[-2000:]
    return shot


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_the_overview_renders_in_chromium(tmp_path):
    report = tmp_path / "report.html"
    assert main(["cluster", str(SAMPLES), "--format", "html", "-o", str(report), "--quiet"]) == 0
    share = _colour_share(_screenshot(tmp_path, report))
    # the overview comes first: the timeline (first appearances dark, copies light), the size histogram and the
    # top sites and wires as bars; no article text, so no alignment colours
    assert share((0x2F, 0x5F, 0xB3)) > 0.01
    assert share((0x9D, 0xB8, 0xE8)) > 0.005
    assert share((0xD3, 0xF0, 0xD8)) < 0.001
    cards = {}
    for state in ("", "#wire=ANI"):  # the filters apply to the overview too
        dom = _chromium(tmp_path, report, "--dump-dom", state=state).stdout
        cards[state] = re.findall(r'<div class="stat"><b>(\d+)</b><span>([^<]+)</span>', dom)
        wires = re.findall(r'<button title="show only ([^"]+)">', dom.split('id="wires"')[1])
        assert wires == (["ANI", "Reuters"] if not state else ["ANI"])
    assert cards[""] == [("5", "documents"), ("1", "cluster with copies"), ("2", "copies"),
                         ("2", "articles without copies"), ("0", "unusable inputs")]
    # 001 (the ANI wire copy, canonical) and 003 credit ANI: one cluster, one copy of its canonical
    assert cards["#wire=ANI"] == [("2", "documents"), ("1", "cluster with copies"), ("1", "copy"),
                                  ("0", "articles without copies"), ("0", "unusable inputs")]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_a_cluster_renders_in_chromium(tmp_path):
    report = tmp_path / "report.html"
    assert main(["cluster", str(SAMPLES), "--format", "html", "-o", str(report), "--quiet"]) == 0
    share = _colour_share(_screenshot(tmp_path, report, "#view=clusters"))
    # the first cluster opens by itself: copied text (green), an added credit (yellow), a cut intro (red)
    assert share((0xD3, 0xF0, 0xD8)) > 0.05
    assert share((0xFF, 0xF1, 0xA8)) > 0.0005
    assert share((0xFB, 0xD3, 0xD3)) > 0.001


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_hostile_article_text_stays_text_in_chromium(tmp_path):
    report = tmp_path / "evil.html"
    report.write_text(render(_evil_clustering(), "html"), encoding="utf-8")
    dom = _chromium(tmp_path, report, "--dump-dom", state="#view=clusters").stdout
    assert "<title>dedup report</title>" in dom and "pwned" not in dom.split("<body>")[0]
    assert '<mark class="copied"' in dom  # the page ran and rendered the pair
    assert "&lt;img src=x onerror=" in dom  # shown as text ...
    assert "<img" not in dom  # ... never an element
    assert 'href="javascript:' not in dom



def test_words_changed_inside_a_shared_span_are_marked_on_both_sides():
    b = STORY.replace("forty", "40").replace("criticised", "criticized").replace("for years, ", "")
    result = align(STORY, b)
    assert len(result.spans) == 1
    edits_a, edits_b = inner_edits(STORY, b, result)
    assert [STORY[s:e] for s, e in edits_a] == ["forty", "for years"]  # spelling is not an edit
    assert [b[s:e] for s, e in edits_b] == ["40"]
    plain = compare_text(STORY, b, result)
    assert "berths" in plain and "by [-forty-] berths" in plain and "by {+40+} berths" in plain
    page = render(cluster([Article(id="a", text=STORY, date="2024-01-01"), Article(id="b", text=b)]), "html")
    (member,) = _split(page)[1]["clusters"][0]["compared"]
    assert member["edits"] == [[list(edit) for edit in edits_b], [list(edit) for edit in edits_a]]


def test_html_carries_any_text_even_lone_surrogates(tmp_path):
    odd = STORY + "\n\nNon-ASCII: Zürich, 東京, emoji \U0001F600, a lone \udc80 surrogate, \u2028 separator."
    page = render(cluster([Article(id="a", text=odd), Article(id="b", text=odd)]), "html")
    assert page.isascii()
    assert _split(page)[1]["texts"]["0"] == odd


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_the_view_is_kept_in_the_address(tmp_path):
    report = tmp_path / "report.html"
    assert main(["cluster", str(SAMPLES), "--format", "html", "-o", str(report), "--quiet"]) == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", "--dump-dom"]
    shown = {}
    states = ("#view=clusters", "#view=clusters&singles=show&sort=name", "#q=northern_tribune&singles=show",
              "#view=clusters&singles=show&site=Global+Desk", "#view=clusters&singles=show&wire=Reuters",
              "#view=clusters&singles=show&from=2022-02-25")
    for state in states:
        dom = subprocess.run([str(CHROMIUM), *flags, report.as_uri() + state], capture_output=True, text=True,
                             timeout=120).stdout
        shown[state] = re.search(r"(\d+) clusters? match", dom).group(1)
        if state == "#view=clusters&singles=show&sort=name":
            ids = re.findall(r'<span class="cid">#(\d+)</span>', dom)
            assert len(ids) == 3
        if state.startswith("#q="):  # a search shows the clusters, its hits marked
            assert re.search(r'<mark class="hit">northern_tribune</mark>', dom)
    assert list(shown.values()) == ["1", "3", "1", "1", "1", "0"]


_FIELD = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(['"quoted"', "back\\slash", "\u2028", "\ud800",
                                                                    "tab\there", "ünïcödé", EVIL]))


@given(st.lists(st.tuples(_FIELD, _FIELD, _FIELD, _FIELD, st.booleans(), st.integers(0, 2)), min_size=1,
                max_size=8))
@settings(max_examples=60, deadline=None)
def test_json_lines_are_exactly_what_json_writes(fields):
    articles = []
    for number, (title, date, wire, dateline, unusable, story) in enumerate(fields):
        text = "" if unusable else f"{STORY} {'local detail ' * story}"
        articles.append(Article(id=f"{number}/{title}", text=text, title=title, date=date, wire=wire,
                                dateline=dateline, url=title, error="empty file" if unusable else None))
    result = cluster(articles)
    expected = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records(result))
    assert render(result, "jsonl") == expected
    assert expected.count("\n") == len(articles)


# --- one schema for every format -------------------------------------------------------------------------------


def _mixed_clustering():
    """A cluster of three (a titled, dated original credited to a wire; a copy with its own title; an untitled
    copy), an article alone, and an unusable input."""
    local = "Local council news first, with a few words of its own for the readers of the town."
    return cluster([
        Article(id="wire/original.txt", text=STORY, title="Harbour to grow", date="2024-01-01",
                url="https://wire.example/harbour", sitename="Wire Desk", wire="Reuters",
                dateline="LONDON (Reuters) -"),
        Article(id="site-a/copy.txt", text=f"{local}\n\n{STORY}", title="Port expansion", date="2024-01-02",
                url="https://site-a.example/port"),
        Article(id="site-b/untitled.txt", text=STORY.replace("forty", "40"), date="2024-01-03"),
        Article(id="site-b/other.txt", text=ALONE, title="Ferry timetable", date="2024-01-02"),
        Article(id="broken.txt", text="", error="empty file"),
    ])


ALONE = ("The ferry company will change its summer timetable next month, adding two evening crossings to the "
         "island and dropping the first morning boat, which carried few passengers last year, a spokeswoman said.")


def _check(value, schema: dict, root: dict, where: str = "$") -> list[str]:
    """The ways ``value`` breaks ``schema`` (the subset of JSON Schema that dedup/schema.json uses)."""
    if "$ref" in schema:
        assert schema["$ref"] == "#"
        schema = root
    if "oneOf" in schema:
        fits = [option for option in schema["oneOf"] if not _check(value, option, root, where)]
        return [] if len(fits) == 1 else [f"{where}: {len(fits)} of oneOf fit"]
    if "enum" in schema and not any(value is v or (type(value) is type(v) and value == v) for v in schema["enum"]):
        return [f"{where}: {value!r} not in {schema['enum']}"]
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    python = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None),
              "object": dict, "array": list}
    if kinds and not any(isinstance(value, python[kind]) and (kind == "boolean" or not isinstance(value, bool))
                         for kind in kinds):
        return [f"{where}: {value!r} is not {kinds}"]
    errors = []
    if isinstance(value, dict):
        errors += [f"{where}: no {key}" for key in schema.get("required", []) if key not in value]
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            errors += [f"{where}: unexpected {key}" for key in value if key not in properties]
        for key, item in value.items():
            if key in properties:
                errors += _check(item, properties[key], root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for number, item in enumerate(value):
            errors += _check(item, schema["items"], root, f"{where}[{number}]")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            errors.append(f"{where}: {value} out of range")
    return errors


def _from_csv(row: dict, properties: dict) -> dict:
    """A CSV row read back into JSON values, by the types the schema allows."""
    record = {}
    for key, cell in row.items():
        kinds = properties[key].get("type", ["string", "null"])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if cell == "" and ("null" in kinds or None in properties[key].get("enum", [])):
            record[key] = None
        elif "boolean" in kinds:
            record[key] = {"true": True, "false": False}[cell]
        elif "integer" in kinds:
            record[key] = int(cell)
        elif "number" in kinds:
            record[key] = float(cell)
        else:
            record[key] = cell
    return record


def test_every_format_writes_the_records_of_schema_json():
    result = _mixed_clustering()
    root = schema()
    assert tuple(root["required"]) == RECORD_FIELDS
    expected = list(records(result))
    assert [record["doc"] for record in expected] == [article.id for article in result.articles]
    jsonl = [json.loads(line) for line in render(result, "jsonl").splitlines()]
    document = json.loads(render(result, "json"))
    rows = list(csv.DictReader(io.StringIO(render(result, "csv"), newline="")))
    csv_records = [_from_csv(row, root["properties"]) for row in rows]
    page_records = _records_of_page(render(result, "html"))
    aligned = [json.loads(line) for line in render(result, "jsonl", with_alignment=True).splitlines()]
    assert _check(document, root["$defs"]["document"], root) == []
    for name, found in [("jsonl", jsonl), ("json", document["documents"]), ("csv", csv_records),
                        ("html", page_records), ("jsonl --align", aligned)]:
        assert [error for record in found for error in _check(record, root, root)] == [], name
        assert [list(record)[:len(RECORD_FIELDS)] for record in found] == [list(RECORD_FIELDS)] * 5, name
    assert jsonl == document["documents"] == csv_records == expected
    # the page and --align add the relationship and aligned share of the copies they align; nothing else differs
    unaligned = [{**record, "relationship": None, "aligned": None, "alignment": None, "text": None}
                 for record in aligned]
    assert unaligned == [{**record, "alignment": None, "text": None} for record in expected]
    # --align records carry the text their offsets point into: each span is a passage of both records' texts
    texts = {article.id: article.text for article in result.articles if article.error is None}
    assert all(record["text"] == texts.get(record["doc"]) for record in aligned)
    for record in aligned:
        for span in (record["alignment"] or {}).get("spans", []):
            assert record["text"][span["doc_start"]:span["doc_end"]].strip()
            assert texts[record["canonical_doc"]][span["canonical_start"]:span["canonical_end"]].strip()
    assert [{**record, "relationship": None, "aligned": None} for record in page_records] == expected
    by_doc = {record["doc"]: record for record in aligned}
    assert by_doc["site-b/untitled.txt"]["relationship"] == "reprint"
    assert by_doc["site-a/copy.txt"]["relationship"] == "contained"
    assert {r["doc"]: r["relationship"] for r in page_records if r["relationship"]} == {
        "site-a/copy.txt": "contained", "site-b/untitled.txt": "reprint"}
    original = by_doc["wire/original.txt"]
    assert (original["site"], original["url"], original["wire"], original["dateline"], original["title"]) == (
        "Wire Desk", "https://wire.example/harbour", "Reuters", "LONDON (Reuters) -", "Harbour to grow")
    assert by_doc["site-a/copy.txt"]["site"] == "site-a.example"  # the url's domain when the page names no site
    assert by_doc["broken.txt"] == {**by_doc["broken.txt"], "cluster": None, "size": None, "error": "empty file"}
    assert document["clusters"][0]["members"] == ["wire/original.txt", "site-a/copy.txt", "site-b/untitled.txt"]


def test_the_package_ships_its_data_files():
    package = Path(dedup.__file__).parent
    shipped = tomllib.loads((package.parent / "pyproject.toml").read_text(encoding="utf-8"))
    declared = set(shipped["tool"]["setuptools"]["package-data"]["dedup"])
    present = {path.name for path in package.iterdir() if path.is_file() and path.suffix not in (".py", ".pyc")}
    assert declared == present >= {"schema.json", "report_page.html", "py.typed"}


# --- csv: what a spreadsheet would run stays text ---------------------------------------------------------------


def test_csv_cells_cannot_become_formulas_and_carriage_returns_are_quoted():
    dangerous = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd"]
    articles = [Article(id=f"{number}.txt", text=f"{STORY} {'extra words ' * number * 40}", title=title,
                        date="2024-01-01") for number, title in enumerate(dangerous)]
    articles.append(Article(id="=cmd|' /C calc'!A0", text=ALONE, title="line one\rline two", wire="-AP"))
    out = render(cluster(articles), "csv")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 1 + len(articles)  # a bare carriage return did not split a row
    header, *body = rows
    titles = [dict(zip(header, row, strict=True))["title"] for row in body]
    assert titles == ["'" + title for title in dangerous] + ["line one\rline two"]
    assert body[-1][0] == "'=cmd|' /C calc'!A0" and dict(zip(header, body[-1], strict=True))["wire"] == "'-AP"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in body for cell in row)
    assert '"line one\rline two"' in out


# --- the table ---------------------------------------------------------------------------------------------------


def test_the_table_prints_no_terminal_escape_sequences():
    osc52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # would put "rm -rf ~" on the clipboard
    clear = "\x1b[2J\x1b[H"
    articles = [Article(id=f"evil\x1b[31m{osc52}.txt", text=clear + STORY, title=f"{osc52}Harbour{clear} grows\x07"),
                Article(id="copy\x9b2J.txt", text=f"{clear}{STORY}\n\n{osc52}"),
                Article(id="alone.txt", text=f"{osc52}{clear}{ALONE}"),
                Article(id="bad\x1b[2J.txt", text="", error=f"unreadable {clear}")]
    out = render(cluster(articles), "table", all_clusters=True)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert "Harbour grows" in out and "evil.txt" in out and "copy2J.txt" in out
    assert "The ferry company will change" in out  # an untitled article shows its first words, cleaned
    assert "bad.txt: unreadable" in out


def test_the_table_lists_copies_by_default_with_titles_sites_dates_and_plurals():
    result = _mixed_clustering()
    out = render(result, "table")
    header = out.splitlines()[0].split()
    assert header == ["cluster", "size", "jaccard", "contain", "date", "site", "title", "document"]
    rows = out.splitlines()[1:4]
    assert "Harbour to grow" in rows[0] and "Wire Desk" in rows[0] and "2024-01-01" in rows[0] and " * " in rows[0]
    assert rows[0].split()[:2] == ["0", "3"]
    assert "Port expansion" in rows[1] and "site-a.example" in rows[1]
    assert "The harbour authority will expand the c…" in rows[2]  # untitled: its first words, cut to the column
    assert "Ferry timetable" not in out
    assert "1 article without copies not listed (--all lists them)." in out
    assert "1 unusable input:\n  broken.txt: empty file" in out
    assert "5 documents: 2 clusters, 1 with copies (2 copies), 1 unusable." in out
    listed = render(result, "table", all_clusters=True)
    assert "Ferry timetable" in listed and "not listed" not in listed
    small = render(result, "table", min_size=4)
    assert "Harbour to grow" not in small and "4 articles in clusters of fewer than 4 not listed" in small
    pair = render(cluster([Article(id="a", text=STORY, date="2024-03-01T09:30:00Z"), Article(id="b", text=STORY)]),
                  "table")
    assert "2 documents: 1 cluster, 1 with copies (1 copy), 0 unusable." in pair
    assert " 2024-03-01 " in pair  # a date's time is left out
    with pytest.raises(ConfigError):
        render(result, "table", min_size=0)


# --- every format in linear time ---------------------------------------------------------------------------------


class _CountedId(str):
    """A document id that counts how often it is compared with another string."""

    comparisons = 0

    def __eq__(self, other):
        _CountedId.comparisons += 1
        return str.__eq__(self, other)

    def __ne__(self, other):
        _CountedId.comparisons += 1
        return str.__ne__(self, other)

    __hash__ = str.__hash__


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_large_cluster_is_written_without_searching_its_members(fmt):
    """One cluster of 3,000 copies: finding each article's member used to compare it with the members before it
    (4.5 million comparisons); now a handful per article, whatever the cluster's size."""
    n = 3000
    ids = [_CountedId(f"site{number % 7}/{number:05d}.txt") for number in range(n)]
    articles = tuple(Article(id=doc, text=STORY, title=None if number % 2 else f"Copy {number}", date="2024-01-02")
                     for number, doc in enumerate(ids))
    members = tuple(Member(doc=doc, canonical=number == 0, similarity=1.0 if number == 0 else 0.9,
                           containment=1.0) for number, doc in enumerate(ids))
    result = Clustering(articles=articles, labels=(0,) * n, clusters=(Cluster(0, ids[0], members),),
                        settings=Settings())
    _CountedId.comparisons = 0
    out = render(result, fmt)
    assert _CountedId.comparisons <= 3 * n
    assert out.count("00017.txt") == (2 if fmt == "json" else 1)
    if fmt == "html":  # a hundred copies side by side, the other copies by title only
        data = _split(out)[1]
        assert len(data["texts"]) == 1 + COMPARED_PER_CLUSTER and len(data["clusters"][0]["members"]) == n


# --- the page: small, labelled, searchable ------------------------------------------------------------------------


def test_articles_without_copies_are_in_the_page_by_title_only():
    page = render(_mixed_clustering(), "html")
    data = _split(page)[1]
    assert "Ferry timetable" in page and "evening crossings" not in page
    leads = dict(zip((row[0] for row in data["rows"]), data["leads"], strict=True))
    assert leads["site-b/untitled.txt"].startswith("The harbour authority will expand the container terminal")
    assert leads["wire/original.txt"] is None


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_untitled_clusters_are_labelled_by_their_first_words_in_chromium(tmp_path):
    local = "Local council news first, with a few words of its own for the readers of the town."
    report = tmp_path / "untitled.html"
    result = cluster([Article(id="feeds/0001.txt", text=STORY, date="2024-01-01"),
                      Article(id="feeds/0002.txt", text=f"{local}\n\n{STORY}", date="2024-01-02")])
    report.write_text(render(result, "html"), encoding="utf-8")
    dom = _chromium(tmp_path, report, "--dump-dom", state="#view=clusters").stdout
    (label,) = re.findall(r'<span class="ctitle untitled"[^>]*>([^<]*)</span>', dom)
    assert label.startswith("The harbour authority will expand") and "0001" not in label


@given(st.lists(st.integers(0, 5), min_size=1, max_size=30), st.randoms(use_true_random=False), st.booleans())
@settings(max_examples=60, deadline=None)
def test_records_find_each_member_as_a_search_would(labels, random, shuffled):
    """The cursor over each cluster's members gives what searching the cluster gives, whether the members are in
    input order (as ``cluster`` makes them) or not (the fallback)."""
    ids = [f"{number}.txt" for number in range(len(labels))]
    names = sorted(set(labels))
    clusters = []
    for label, name in enumerate(names):
        docs = [doc for doc, own in zip(ids, labels, strict=True) if own == name]
        members = [Member(doc, number == 0, round(random.random(), 4), round(random.random(), 4))
                   for number, doc in enumerate(docs)]
        if shuffled:
            random.shuffle(members)
        clusters.append(Cluster(label, docs[0], tuple(members)))
    result = Clustering(tuple(Article(id=doc, text=STORY) for doc in ids),
                        tuple(names.index(name) for name in labels), tuple(clusters), Settings())
    for article, label, record in zip(result.articles, result.labels, records(result), strict=True):
        member = next(m for m in result.clusters[label].members if m.doc == article.id)
        assert (record["cluster"], record["canonical"], record["jaccard"], record["containment"]) == (
            label, member.canonical, member.similarity, member.containment)
