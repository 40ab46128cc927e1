from __future__ import annotations

import gzip
import json

import pytest

from dedup import Document, InputError, load

from .conftest import SAMPLES, SEED_000


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
