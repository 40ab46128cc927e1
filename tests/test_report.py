from __future__ import annotations

import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Article, align, cluster
from dedup.cli import main
from dedup.report import compare_text, inner_edits, records, render

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


def test_html_is_one_self_contained_page_and_escapes_article_text():
    page = render(_evil_clustering(), "html")
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the data and the code, nothing else
    assert "<img" not in page and "</b>" not in page
    template, data = _split(page)
    assert not re.search(r"""<link\b|\bsrc\s*=|@import|url\(|https?:""", template)  # nothing fetched
    docs = {doc["id"]: doc for doc in data["docs"]}
    assert docs["wire/<b>original</b>.txt"]["title"] == EVIL  # the text survives, escaped only in transit
    assert EVIL in docs["site/copy.txt"]["text"]
    (group,) = data["clusters"]
    assert group["size"] == 2 and docs[data["docs"][group["canonical"]]["id"]]["date"] == "2024-01-01"
    (member,) = group["members"]
    copy_text = data["docs"][member["doc"]]["text"]
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
    assert set(document) >= {"a", "b", "similarity", "containment_a", "containment_b", "relationship", "spans"}
    for span in document["spans"]:
        piece_a = document["a"]["text"][span["a_start"]:span["a_end"]]
        piece_b = document["b"]["text"][span["b_start"]:span["b_end"]]
        assert re.findall(r"\w+", piece_a)[:3] == re.findall(r"\w+", piece_b)[:3]


# --- a real browser ---------------------------------------------------------------------------------------------


def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000"]
    return subprocess.run([str(CHROMIUM), *flags, *extra, page.as_uri()], capture_output=True, text=True,
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


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_the_report_of_the_samples_renders_in_chromium(tmp_path):
    report = tmp_path / "report.html"
    assert main(["cluster", str(SAMPLES), "--format", "html", "-o", str(report), "--quiet"]) == 0
    shot = tmp_path / "report.png"
    completed = _chromium(tmp_path, report, f"--screenshot={shot}")
    assert shot.exists(), completed.stderr[-2000:]
    assert shot.stat().st_size > 20_000
    pixels = _png_pixels(shot)
    assert pixels.shape[:2] == (1000, 1400)
    rgb = pixels[..., :3].reshape(-1, 3).astype(np.int32)
    packed = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    _, counts = np.unique(packed, return_counts=True)
    assert counts.max() < 0.8 * len(packed)  # not one blank colour
    assert len(counts) > 200  # text, antialiased

    def share(colour: tuple[int, int, int]) -> float:
        return float((np.abs(rgb - np.array(colour)).max(axis=1) <= 2).mean())

    # the first cluster opens by itself: copied text (green), an added credit (yellow), a cut intro (red)
    assert share((0xD3, 0xF0, 0xD8)) > 0.05
    assert share((0xFF, 0xF1, 0xA8)) > 0.0005
    assert share((0xFB, 0xD3, 0xD3)) > 0.001


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_hostile_article_text_stays_text_in_chromium(tmp_path):
    report = tmp_path / "evil.html"
    report.write_text(render(_evil_clustering(), "html"), encoding="utf-8")
    dom = _chromium(tmp_path, report, "--dump-dom").stdout
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
    (member,) = _split(page)[1]["clusters"][0]["members"]
    assert member["edits"] == [[list(edit) for edit in edits_b], [list(edit) for edit in edits_a]]


def test_html_carries_any_text_even_lone_surrogates(tmp_path):
    odd = STORY + "\n\nNon-ASCII: Zürich, 東京, emoji \U0001F600, a lone \udc80 surrogate, \u2028 separator."
    page = render(cluster([Article(id="a", text=odd), Article(id="b", text=odd)]), "html")
    assert page.isascii()
    assert _split(page)[1]["docs"][0]["text"] == odd


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_the_view_is_kept_in_the_address(tmp_path):
    report = tmp_path / "report.html"
    assert main(["cluster", str(SAMPLES), "--format", "html", "-o", str(report), "--quiet"]) == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000", "--dump-dom"]
    shown = {}
    for state in ("", "#singles=show&sort=name", "#q=northern_tribune&singles=show"):
        dom = subprocess.run([str(CHROMIUM), *flags, report.as_uri() + state], capture_output=True, text=True,
                             timeout=120).stdout
        shown[state] = re.search(r"(\d+) cluster\(s\) match", dom).group(1)
        if state == "#singles=show&sort=name":
            ids = re.findall(r'<span class="cid">#(\d+)</span>', dom)
            assert len(ids) == 3
    assert shown == {"": "1", "#singles=show&sort=name": "3", "#q=northern_tribune&singles=show": "1"}


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
