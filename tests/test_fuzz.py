"""Generated inputs thrown at ``load`` and ``cluster_files``: whatever the bytes, encodings, nesting, names and
file types, no exception escapes, every input file comes back (a JSON lines file once per record), ids are
unique valid text, and each unusable document says why."""

from __future__ import annotations

import gzip
import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import cluster_files, load

ENCODINGS = ["utf-8", "utf-16", "cp1252", "cp1251", "shift_jis", "gbk", "euc_kr", "iso8859_2", "latin-1"]
KINDS = [".txt", ".html", ".htm", ".json", ".jsonl", ".txt.gz", ".html.gz", ".jsonl.gz", ".json.gz", ".warc",
         ".warc.gz", ".parquet", ".TXT"]
SPECIAL = ["fifo", "dangling link", "link loop"]

name_bytes = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=10)
    .map(lambda name: name.encode("utf-8")),
    st.binary(min_size=1, max_size=10).filter(lambda name: b"/" not in name and b"\x00" not in name),
)
texts = st.text(max_size=120)
encoded = st.tuples(texts, st.sampled_from(ENCODINGS)).map(lambda pair: pair[0].encode(pair[1], "replace"))
nested = st.integers(0, 3000).map(lambda depth: ("[" * depth + "]" * depth).encode())
records = st.one_of(
    st.fixed_dictionaries({"text": texts}, optional={
        "id": st.one_of(st.text(max_size=4), st.integers(0, 3)), "html": texts, "date": st.text(max_size=25),
        "url": texts, "deep": st.integers(0, 2000).map(lambda depth: [[]] if depth < 2 else json.loads(
            "[" * min(depth, 900) + "]" * min(depth, 900)))}),
    texts, st.integers(), st.none(),
)
separators = st.sampled_from(["\n", "\r\n", "\u2028", "\u0085", "\n\n"])
json_lines = st.tuples(st.lists(st.one_of(records.map(lambda record: json.dumps(record, ensure_ascii=False)),
                                          texts), max_size=6), separators, st.booleans()).map(
    lambda parts: (parts[1].join(parts[0]) + ("\n" if parts[2] else "")).encode("utf-8", "surrogatepass"))
LABELS = ["utf-8", "windows-1251", "shift_jis", "gb2312", "base64", "rot13", "hex", "zlib", "utf-7", "utf-16",
          "utf-32", "x-user-defined", "bogus", ""]
declared = st.tuples(st.sampled_from(LABELS), texts, st.sampled_from(ENCODINGS)).map(
    lambda parts: f'<html><head><meta charset="{parts[0]}"></head><body><p>{parts[1]}</p></body></html>'.encode(
        parts[2], "replace"))
plain = st.one_of(st.binary(max_size=300), encoded, nested, json_lines, declared)
contents = st.one_of(plain, st.lists(plain, min_size=1, max_size=3).map(
    lambda members: b"".join(gzip.compress(member) for member in members)), st.sampled_from(SPECIAL))
entries = st.dictionaries(st.tuples(name_bytes, st.sampled_from(KINDS)).map(lambda pair: pair[0] + pair[1].encode()),
                          contents, min_size=1, max_size=6)


def _write(folder: bytes, files: dict[bytes, bytes | str]) -> list[bytes]:
    """Create ``files`` in ``folder``; the names ``load`` should see (not hidden)."""
    for name, content in files.items():
        path = os.path.join(folder, name)
        if content == "fifo":
            os.mkfifo(path)
        elif content == "dangling link":
            os.symlink(os.path.join(folder, b"nowhere"), path)
        elif content == "link loop":
            os.symlink(path, path)
        else:
            with open(path, "wb") as handle:
                handle.write(content)
    return [name for name in files if not name.startswith(b".")]


def _expected_records(name: bytes, content: bytes | str) -> int | None:
    """How many documents an uncompressed JSON lines file gives (``None``: not checked for this file)."""
    if not isinstance(content, bytes) or not name.lower().endswith(b".jsonl"):
        return None
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 1
    lines = content.split(b"\n")
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return max(1, sum(1 for line in lines if line and not line.isspace()))


def _check(docs, names: list[bytes], files: dict) -> None:
    ids = [doc.id for doc in docs]
    assert len(ids) == len(set(ids))
    for doc in docs:
        for value in (doc.id, doc.text, doc.html, doc.path, doc.url, doc.title, doc.date, doc.error, doc.date_error):
            assert value is None or isinstance(value, str) and value.encode("utf-8") is not None
        assert doc.error is None or doc.error.strip()
    per_file: dict[str, int] = {}
    for doc in docs:
        per_file[doc.path] = per_file.get(doc.path, 0) + 1
    assert len(per_file) == len(names)
    shown = {os.fsdecode(name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"): name
             for name in names}
    for path, count in per_file.items():
        name = shown.get(path)
        expected = _expected_records(name, files[name]) if name is not None else None
        assert expected is None or count == expected, (path, count, expected)


@given(entries)
@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_load_keeps_its_contract_on_generated_inputs(files):
    with tempfile.TemporaryDirectory() as folder:
        names = _write(os.fsencode(folder), files)
        docs = load(folder, max_bytes=4000)
        _check(docs, names, files)


@given(entries)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_cluster_files_keeps_its_contract_on_generated_inputs(files):
    with tempfile.TemporaryDirectory() as folder:
        names = _write(os.fsencode(folder), files)
        docs = load(folder)
        result = cluster_files(folder, workers=1)
        assert [article.id for article in result.articles] == [doc.id for doc in docs]
        assert all(article.error is None or article.error.strip() for article in result.articles)
        assert len({doc.path for doc in docs}) == len(names)


@given(st.binary(max_size=200).map(lambda data: data.replace(b"a", b"\n")), st.lists(st.integers(1, 40), max_size=8),
       st.integers(0, 30), st.integers(0, 3))
@settings(max_examples=300, deadline=None)
def test_streamed_lines_are_a_plain_split_whatever_the_chunks(data, cuts, max_bytes, skipped):
    from dedup.documents import _lines

    chunks, start = [], 0
    for cut in cuts:
        chunks.append(data[start:start + cut])
        start += cut
    chunks.append(data[start:])
    expected = [(skipped + number, line if len(line) <= max_bytes else None)
                for number, line in enumerate(data.split(b"\n"), start=1) if line]
    assert list(_lines(chunks, max_bytes, skipped)) == expected
