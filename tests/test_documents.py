from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from dedup import Document, InputError, load

from .conftest import ROOT, SAMPLES, SEED_000


def test_the_samples_load_with_relative_ids_and_seed_dates():
    docs = load(SAMPLES)
    ids = [doc.id for doc in docs]
    assert ids == sorted(ids)
    assert "000_6bbe357bb2cbdd54.txt" in ids
    seed = next(doc for doc in docs if doc.id == "000_6bbe357bb2cbdd54.txt")
    assert seed.date == "2022-02-24"
    assert seed.text.startswith("United States Secretary of State")
    assert all(doc.error is None for doc in docs)


def test_a_single_file_keeps_the_path_as_given():
    (doc,) = load(str(SEED_000))
    assert doc.id == str(SEED_000)


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        load(tmp_path / "nope")


def test_every_kind_of_input_and_every_bad_one_appears_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("date 2022-01-02\nBody text here.", encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"Compressed body."))
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"id": "x1", "text": "First.", "url": "https://a.example/1", "date": "2021-05-06"}) + "\n"
        + "{not json\n" + json.dumps({"html": "<p>Second</p>"}) + "\n" + json.dumps({"other": 1}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "e.json").write_text(json.dumps({"text": "From JSON.", "title": "T"}), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 au lait, na\xefve.".encode("latin-1"))
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(b"some text")[:-6])
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    docs = {doc.id: doc for doc in load(tmp_path)}
    assert set(docs) == {
        "a.txt", "sub/b.html", "c.txt.gz", "d.jsonl#x1", "d.jsonl#2", "d.jsonl#3", "d.jsonl#4", "e.json",
        "empty.txt", "binary.txt", "latin.txt", "broken.json", "broken.txt.gz",
    }
    assert docs["a.txt"].date == "2022-01-02" and docs["a.txt"].text == "Body text here."
    assert docs["sub/b.html"].html is not None
    assert docs["c.txt.gz"].text == "Compressed body."
    assert docs["d.jsonl#x1"].url == "https://a.example/1" and docs["d.jsonl#x1"].date == "2021-05-06"
    assert "malformed JSON" in docs["d.jsonl#2"].error
    assert docs["d.jsonl#3"].html == "<p>Second</p>"
    assert "no \"text\" or \"html\"" in docs["d.jsonl#4"].error
    assert docs["e.json"].title == "T"
    assert docs["empty.txt"].error == "empty file"
    assert "binary" in docs["binary.txt"].error
    assert docs["latin.txt"].text == "Café au lait, naïve."
    assert "malformed JSON" in docs["broken.json"].error
    assert "gzip" in docs["broken.txt.gz"].error
    usable = {name for name, doc in docs.items() if doc.error is None}
    assert usable == {"a.txt", "sub/b.html", "c.txt.gz", "d.jsonl#x1", "d.jsonl#3", "e.json", "latin.txt"}


def test_files_over_the_size_limit_are_refused_not_read(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 1000, encoding="utf-8")
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 100_000))
    docs = {doc.id: doc for doc in load(tmp_path, max_bytes=2000)}
    assert "too large" in docs["big.txt"].error
    assert "too large" in docs["bomb.txt.gz"].error


def test_date_line_on_the_same_line_as_the_body():
    doc = Document.from_text(" date 2022-02-24 United States Secretary", id="x")
    assert doc.date == "2022-02-24" and doc.text == "United States Secretary"


# --- inputs that used to stop, hang or shrink a run (issues 14, 16, 18) -------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"


def _by_id(docs):
    ids = [doc.id for doc in docs]
    assert len(ids) == len(set(ids)), "document ids must be unique"
    return dict(zip(ids, docs, strict=True))


def test_deep_json_nesting_is_one_unusable_record(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    (tmp_path / "deep.json").write_text(deep, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"text": "Before."}) + "\n" + '{"text": "x", "n": ' + deep + "}\n"
        + json.dumps({"text": "After."}) + "\n", encoding="utf-8")
    docs = _by_id(load(tmp_path))
    assert "nested too deeply" in docs["deep.json"].error
    assert "nested too deeply" in docs["feed.jsonl#2"].error
    assert docs["feed.jsonl#1"].text == "Before." and docs["feed.jsonl#3"].text == "After."


def test_a_file_name_that_is_not_utf8_gets_an_escaped_unique_id_and_is_read(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"\xff.txt"), "wb") as handle:
        handle.write(b"Undecodable name, readable body.")
    (tmp_path / "\\xff.txt").write_text("A name that looks like the escape.", encoding="utf-8")
    docs = _by_id(load(tmp_path))
    assert set(docs) == {"\\xff.txt", "\\xff.txt~2"}
    for doc_id in docs:
        doc_id.encode("utf-8")
        json.dumps(docs[doc_id].path, ensure_ascii=False).encode("utf-8")
    assert sorted(doc.text for doc in docs.values()) == ["A name that looks like the escape.",
                                                         "Undecodable name, readable body."]
    (doc,) = load(os.fsdecode(os.path.join(folder, b"\xff.txt")))
    assert doc.error is None and doc.id.endswith("/\\xff.txt")


def test_a_gzip_file_of_several_members_is_read_whole(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"First member. ") + gzip.compress(b"Second member."))
    lines = [json.dumps({"id": n, "text": f"Record {n}."}) + "\n" for n in range(4)]
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress("".join(lines[:2]).encode())
                                          + gzip.compress("".join(lines[2:]).encode()))
    docs = _by_id(load(tmp_path))
    assert docs["a.txt.gz"].text == "First member. Second member."
    assert [docs[f"b.jsonl.gz#{n}"].text for n in range(4)] == [f"Record {n}." for n in range(4)]


def test_gzip_limits_still_hold_for_several_members(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 1000) + gzip.compress(b"a" * 100_000))
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(b"whole") + gzip.compress(b"some text" * 50)[:-6])
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(b"{" * 50_000_000))
    docs = _by_id(load(tmp_path, max_bytes=2000))
    assert "too large" in docs["bomb.txt.gz"].error
    assert "truncated" in docs["cut.txt.gz"].error
    assert "decompression bomb" in docs["bomb.jsonl.gz"].error


def test_json_lines_numbers_count_every_line(tmp_path):
    record = json.dumps({"text": "Numbered."})
    (tmp_path / "feed.jsonl").write_bytes(f"\n\n{record}\n  \n\n{record}\n\n\n{record}".encode() + b"\n" * 100_000)
    (tmp_path / "cut.jsonl").write_text(f"{record}\n{record}", encoding="utf-8")
    assert [doc.id for doc in load(tmp_path)] == ["cut.jsonl#1", "cut.jsonl#2", "feed.jsonl#3", "feed.jsonl#6",
                                                  "feed.jsonl#9"]


def test_json_lines_split_at_newline_only(tmp_path):
    records = [{"id": n, "text": f"One{separator}two, a line{separator}separator inside a string."}
               for n, separator in enumerate(["\u2028", "\u2029", "\u0085"])]
    (tmp_path / "feed.jsonl").write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    docs = _by_id(load(tmp_path))
    assert list(docs) == ["feed.jsonl#0", "feed.jsonl#1", "feed.jsonl#2"]
    assert [doc.text for doc in docs.values()] == [record["text"] for record in records]


def test_fifos_and_broken_links_in_a_folder_are_records_with_reasons(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "real.txt").write_text("A real article.", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    docs = _by_id(load(tmp_path))
    assert docs["pipe.txt"].error == "not a regular file"
    assert docs["dangling.txt"].error == "broken symbolic link"
    assert docs["loop.txt"].error == "symbolic link loop"
    assert docs["real.txt"].text == docs["link.txt"].text == "A real article."
    assert [doc.error for doc in load(tmp_path / "dangling.txt")] == ["broken symbolic link"]
    assert [doc.error for doc in load("/dev/null")] == ["not a regular file"]


def test_a_fifo_given_directly_never_blocks(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code = f"import dedup; print([d.error for d in dedup.load({str(fifo)!r})])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "['not a regular file']", done.stderr


def test_a_folder_that_cannot_be_listed_is_a_record_with_the_reason(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("Hidden from us.", encoding="utf-8")
    (tmp_path / "open.txt").write_text("Readable.", encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    code = ("import json, sys, dedup; "
            "print(json.dumps({d.id: d.error for d in dedup.load(sys.argv[1])}))")
    command = [sys.executable, "-c", code, str(tmp_path)]
    if os.geteuid() == 0:  # root reads any folder: run without the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and setpriv is missing: cannot make a folder unreadable")
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert json.loads(done.stdout) == {"locked/": "permission denied", "open.txt": None}, done.stderr


def test_a_json_lines_feed_over_the_file_limit_is_read_record_by_record(tmp_path):
    body = "Markets rose on Monday as investors weighed the central bank's decision. " * 15
    lines = [json.dumps({"id": n, "text": f"Story {n}. {body}"}) + "\n" for n in range(30_000)]
    lines[7] = json.dumps({"id": 7, "text": "x" * 3000}) + "\n"
    (tmp_path / "feed.jsonl").write_text("".join(lines), encoding="utf-8")
    assert (tmp_path / "feed.jsonl").stat().st_size > 30 * 1024 * 1024
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress("".join(lines[:50]).encode(), compresslevel=1))
    docs = load(tmp_path, max_bytes=2000)
    assert len(docs) == 30_050
    bad = [doc for doc in docs if doc.error is not None]
    assert [doc.id for doc in bad] == ["feed.jsonl#8", "feed.jsonl.gz#8"]
    assert "too large" in bad[0].error
    assert docs[29_999].text.startswith("Story 29999.")


def test_records_with_the_same_id_get_unique_ids_in_order(tmp_path):
    lines = [{"id": "2", "text": "First."}, {"id": "2", "text": "Second."}, {"text": "No id, line three."},
             {"id": 2, "text": "Third two."}, {"id": "3", "text": "Takes line three's id."}]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    (tmp_path / "feed.jsonl#2~2.txt").write_text("A file whose name a record id could take.", encoding="utf-8")
    docs = load(tmp_path)
    assert [doc.id for doc in docs] == ["feed.jsonl#2", "feed.jsonl#2~2", "feed.jsonl#3", "feed.jsonl#2~3",
                                        "feed.jsonl#3~2", "feed.jsonl#2~2.txt"]
    assert [doc.text for doc in docs][:2] == ["First.", "Second."]
    assert [doc.id for doc in load(tmp_path)] == [doc.id for doc in docs]


def test_record_ids_never_take_another_files_id(tmp_path):
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "x.txt", "text": "A record."}) + "\n", encoding="utf-8")
    (tmp_path / "feed.jsonl#x.txt").write_text("A file.", encoding="utf-8")
    assert [doc.id for doc in load(tmp_path)] == ["feed.jsonl#x.txt~2", "feed.jsonl#x.txt"]


def test_dates_are_validated_on_entry_and_kept_as_given(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": 1, "text": "Good.", "date": "24-02-2022 03:37 IST"}) + "\n"
        + json.dumps({"id": 2, "text": "Bad.", "date": "last Tuesday"}) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2022-02-30\nNo such day.", encoding="utf-8")
    docs = _by_id(load(tmp_path))
    assert docs["a.jsonl#1"].date == "24-02-2022 03:37 IST" and docs["a.jsonl#1"].date_error is None
    assert docs["a.jsonl#2"].date == "last Tuesday" and "unrecognised date" in docs["a.jsonl#2"].date_error
    assert docs["a.jsonl#2"].error is None
    assert docs["b.txt"].date == "2022-02-30" and docs["b.txt"].date_error is not None


def test_documents_with_the_new_fields_survive_worker_processes(tmp_path):
    for number in range(2100):
        (tmp_path / f"{number:05}.txt").write_text(f"date 2022-02-3{number % 2}\nArticle {number}.",
                                                   encoding="utf-8")
    one, two = load(tmp_path), load(tmp_path, workers=2)
    assert one == two
    assert one[1].date_error is not None and one[0].encoding == "utf-8"


EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_legacy_encodings_decode_to_the_right_text(name):
    (doc,) = load(FIXTURES / name)
    truth = (FIXTURES / name).read_bytes().decode(EXPECTED[name])
    assert doc.error is None
    assert (doc.html if name.endswith(".html") else doc.text) == truth
    assert codecs.lookup(doc.encoding).name in {codecs.lookup(EXPECTED[name]).name, *_SUPERSETS[EXPECTED[name]]}


_SUPERSETS = {"cp1251": set(), "shift_jis": {"cp932"}, "gbk": {"gb18030"}, "iso8859_2": set(), "euc_kr": {"cp949"}}


def test_a_wrong_declaration_is_not_trusted_and_a_bom_comes_first(tmp_path):
    text = (FIXTURES / "ru-windows-1251.html").read_bytes().replace(b"windows-1251", b"utf-8")
    (tmp_path / "wrong.html").write_bytes(text)
    (tmp_path / "bom.html").write_bytes(codecs.BOM_UTF8 + '<meta charset="cp1251"><p>Привет</p>'.encode())
    docs = _by_id(load(tmp_path))
    assert docs["wrong.html"].encoding == "cp1251" and "Андхра-Прадешем" in docs["wrong.html"].html
    assert docs["bom.html"].encoding == "utf-8" and "Привет" in docs["bom.html"].html


def test_warc_responses_become_documents_with_url_and_date(tmp_path):
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (FIXTURES / "ru-windows-1251.html").read_bytes()
    for name, compressed in (("crawl.warc", False), ("crawl.warc.gz", True)):
        with open(tmp_path / name, "wb") as handle:
            writer = WARCWriter(handle, gzip=compressed)
            writer.write_record(writer.create_warcinfo_record(name, {"software": "test"}))
            request = writer.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b"GET /a"))
            writer.write_record(request)
            for url, content_type, body, status in [
                ("https://news.example/a", "text/html", page, "200 OK"),
                ("https://news.example/b", "text/html; charset=utf-8", "<p>Zażółć gęślą jaźń</p>".encode(), "200 OK"),
                ("https://news.example/c.png", "image/png", b"\x89PNG\r\n", "200 OK"),
                ("https://news.example/gone", "text/html", b"<p>Not here</p>", "404 Not Found"),
            ]:
                headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2020-01-05T10:00:00Z"}))
    whole = (tmp_path / "crawl.warc").read_bytes()
    third = whole.index(b"WARC/1.0", whole.index(b"WARC/1.0", 1) + 1)
    (tmp_path / "cut.warc").write_bytes(whole[:third + 700] + b"garbage" * 50)
    (tmp_path / "broken.warc").write_bytes(whole[:third + 3] + b"garbage" * 50)
    docs = _by_id(load(tmp_path))
    first = docs["crawl.warc#3"]
    assert first.url == "https://news.example/a" and first.date == "2020-01-05T10:00:00Z"
    assert first.encoding == "cp1251" and "Андхра-Прадешем" in first.html and first.date_error is None
    assert "Zażółć gęślą jaźń" in docs["crawl.warc#4"].html
    assert "image/png" in docs["crawl.warc#5"].error and "404" in docs["crawl.warc#6"].error
    assert [doc_id for doc_id in docs if doc_id.startswith("crawl.warc#")] == [
        f"crawl.warc#{n}" for n in range(3, 7)]
    assert [docs[f"crawl.warc.gz#{n}"].url for n in range(3, 7)] == [docs[f"crawl.warc#{n}"].url for n in range(3, 7)]
    assert docs["cut.warc#3"].error == "truncated WARC record"
    assert docs["broken.warc#3"].error.startswith("broken WARC record; the rest of the file is not read")
    assert [doc_id for doc_id in docs if doc_id.startswith(("broken", "cut"))] == ["broken.warc#3", "cut.warc#3"]
    assert warcio is not None


def test_parquet_rows_become_documents(tmp_path):
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as parquet

    table = pyarrow.table({
        "id": ["a", "b", None, "a"],
        "text": ["First story.", None, "Third story.", "Repeated id."],
        "html": [None, "<p>Second story.</p>", None, None],
        "url": ["https://news.example/1", None, None, None],
        "date": ["2020-01-05", "5 January 2020", "nonsense", None],
    })
    parquet.write_table(table, tmp_path / "rows.parquet")
    parquet.write_table(pyarrow.table({"body": ["no text column"]}), tmp_path / "other.parquet")
    stamped = pyarrow.table({"text": ["Dated by a timestamp column."],
                             "date": pyarrow.array([datetime(2020, 1, 5, 10, 30)], pyarrow.timestamp("s"))})
    parquet.write_table(stamped, tmp_path / "stamped.parquet")
    (tmp_path / "fake.parquet").write_bytes(b"not parquet at all")
    docs = _by_id(load(tmp_path))
    assert [doc_id for doc_id in docs if doc_id.startswith("rows")] == [
        "rows.parquet#a", "rows.parquet#b", "rows.parquet#3", "rows.parquet#a~2"]
    assert docs["rows.parquet#a"].url == "https://news.example/1"
    assert docs["rows.parquet#b"].html == "<p>Second story.</p>"
    assert docs["rows.parquet#3"].date_error is not None
    assert "no \"text\" or \"html\" column" in docs["other.parquet"].error
    assert docs["fake.parquet"].error
    assert docs["stamped.parquet#1"].date == "2020-01-05T10:30:00" and docs["stamped.parquet#1"].date_error is None


def _run_stdin(data: bytes, cwd: Path) -> list:
    code = "import json, dedup; print(json.dumps([[d.id, d.text, d.error] for d in dedup.load('-')]))"
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, timeout=60, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_load_dash_reads_json_lines_from_standard_input(tmp_path):
    data = ("\n" + json.dumps({"id": "a", "text": "From a pipe."}) + "\n{broken\n"
            + json.dumps({"text": "Third\u2028line."}, ensure_ascii=False) + "\n").encode()
    assert _run_stdin(data, tmp_path) == [["-#a", "From a pipe.", None], ["-#3", "", _any_str],
                                          ["-#4", "Third\u2028line.", None]]


def test_load_dash_reads_a_list_of_paths_from_standard_input(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text("In a folder.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A file.", encoding="utf-8")
    found = _run_stdin(b"site\nb.txt\n\nmissing.txt\nb.txt\n", tmp_path)
    assert found == [["site/a.txt", "In a folder.", None], ["b.txt", "A file.", None],
                     ["missing.txt", "", "no such file or directory"], ["b.txt~2", "A file.", None]]


class _AnyStr:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)


_any_str = _AnyStr()


@pytest.mark.parametrize(("text", "encoding"), [
    ("Привет, мир", "cp1251"), ("Café au lait, naïve.", "cp1252"), ("東京の株式市場", "shift_jis"),
    ("中国政府周一宣布", "gbk"), ("서울 증시는 월요일", "euc_kr"), ("Αθήνα σήμερα", "cp1253"),
])
def test_short_texts_that_tie_in_detection_read_as_words_not_mojibake(tmp_path, text, encoding):
    (tmp_path / "short.txt").write_bytes(text.encode(encoding))
    (doc,) = load(tmp_path / "short.txt")
    assert doc.text == text
