from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from dedup.cli import ProgressBar, main

from .conftest import ROOT, SAMPLES, SEED_000, SEED_001


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_jsonl_has_one_object_per_input_file(capsys):
    code, out, _ = _run(capsys, "cluster", str(SAMPLES), "--format", "jsonl", "--quiet")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    files = sorted(path.name for path in SAMPLES.iterdir() if path.is_file())
    assert sorted(record["doc"] for record in records) == files
    by_doc = {record["doc"]: record for record in records}
    reprints = {"001_ce003f8fa7d848aa.txt", "002_northern_tribune_reprint.txt", "003_global_desk_reprint.html"}
    assert len({by_doc[doc]["cluster"] for doc in reprints}) == 1
    assert sum(by_doc[doc]["canonical"] for doc in reprints) == 1
    assert by_doc["004_0cdd86806f2c5362.txt"]["cluster"] != by_doc["001_ce003f8fa7d848aa.txt"]["cluster"]
    assert all(record["error"] is None for record in records)


def test_unusable_files_are_reported_and_the_run_succeeds(capsys, tmp_path):
    (tmp_path / "good.txt").write_text(SEED_000.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 4)
    code, out, _ = _run(capsys, "cluster", str(tmp_path), "--format", "jsonl")
    assert code == 0
    records = {record["doc"]: record for record in map(json.loads, out.splitlines())}
    assert set(records) == {"good.txt", "empty.txt", "binary.html"}
    assert records["empty.txt"]["error"] == "empty file" and records["empty.txt"]["cluster"] is None
    assert "binary" in records["binary.html"]["error"]
    assert records["good.txt"]["error"] is None and records["good.txt"]["canonical"] is True


def test_json_csv_and_table_formats(capsys, tmp_path):
    code, out, _ = _run(capsys, "cluster", str(SAMPLES), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["summary"]["documents"] == len(document["documents"])
    assert any(group["size"] == 3 for group in document["clusters"])
    target = tmp_path / "out.csv"
    assert main(["cluster", str(SAMPLES), "--format", "csv", "-o", str(target)]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == len(document["documents"])
    code, out, _ = _run(capsys, "cluster", str(SAMPLES))
    assert "002_northern_tribune_reprint.txt" in out and "* = canonical" in out


def test_align_adds_spans_against_the_canonical(capsys):
    code, out, _ = _run(capsys, "cluster", str(SAMPLES), "--format", "jsonl", "--align")
    records = [json.loads(line) for line in out.splitlines()]
    copies = [record for record in records if record["cluster"] is not None and record["size"] > 1
              and not record["canonical"]]
    assert copies and all(record["alignment"]["spans"] for record in copies)


def test_usage_errors_exit_2(capsys, tmp_path):
    assert _run(capsys, "cluster", str(tmp_path / "missing"))[0] == 2
    assert _run(capsys, "cluster", str(SAMPLES), "--threshold", "1.5")[0] == 2
    assert _run(capsys, "cluster", str(SAMPLES), "--format", "xml")[0] == 2
    assert _run(capsys, "frobnicate")[0] == 2
    assert _run(capsys)[0] == 2


def test_help_documents_every_option(capsys):
    code, out, _ = _run(capsys, "cluster", "--help")
    assert code == 0
    for option in ("--format", "--output", "--threshold", "--containment", "--num-perm", "--ngram", "--seed",
                   "--align", "--quiet", "--keep-site-chrome", "--engine"):
        assert option in out


def test_clean_and_compare_commands(capsys, tmp_path):
    missing = str(tmp_path / "missing.txt")
    code, out, _ = _run(capsys, "clean", str(SEED_001), missing, "--format", "jsonl")
    assert code == 0
    first, second = map(json.loads, out.splitlines())
    assert first["wire"] == "ANI" and "TRENDING" not in first["text"]
    assert second["doc"] == missing and second["error"] and second["text"] == ""
    code, out, _ = _run(capsys, "compare", str(SEED_000), str(SEED_001), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["relationship"] == "partial"
    span = document["spans"][0]
    assert document["a"]["text"][span["a_start"]:span["a_end"]]


def test_progress_bar_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    quiet, loud = io.StringIO(), Terminal()
    ProgressBar(quiet)("clean", 5, 10)
    ProgressBar(loud)("clean", 5, 10)
    assert quiet.getvalue() == ""
    assert "5/10" in loud.getvalue()


@pytest.mark.parametrize("args", [["--version"], ["cluster", "data/samples", "--format", "jsonl", "-q"]])
def test_python_dash_m_runs(args):
    completed = subprocess.run([sys.executable, "-m", "dedup", *args], cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout


def test_site_chrome_is_dropped_per_sub_folder_unless_kept(capsys, tmp_path):
    promo = "Get the Harbour Times briefing in your inbox every morning: all the news you need in five minutes flat."
    stories = [" ".join(f"Story {n} sentence {k} tells of a different local event with quotes and background."
                        for k in range(3)) for n in range(4)]
    (tmp_path / "harbourtimes").mkdir()
    for n, story in enumerate(stories):
        (tmp_path / "harbourtimes" / f"{n}.txt").write_text(f"{story}\n\n{promo}\n\n{promo} {promo}", encoding="utf-8")
    code, out, _ = _run(capsys, "cluster", str(tmp_path), "--format", "jsonl", "--keep-site-chrome")
    kept = {json.loads(line)["cluster"] for line in out.splitlines()}
    code, out, _ = _run(capsys, "cluster", str(tmp_path), "--format", "jsonl")
    dropped = {json.loads(line)["cluster"] for line in out.splitlines()}
    assert code == 0
    assert len(dropped) == 4  # four different stories once the site's promo is gone
    assert len(kept) < 4  # the shared promo makes them look alike
