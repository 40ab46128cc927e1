from __future__ import annotations

import csv
import fcntl
import gzip
import inspect
import io
import json
import os
import pty
import shutil
import stat
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest

from dedup.cli import main
from dedup.progress import ProgressDisplay
from dedup.report import render

from .conftest import ROOT, SAMPLES, SEED_000, SEED_001

PAGES = ROOT / "tests" / "fixtures" / "pages"
#: An OSC 52 clipboard write, a screen clear, an 8-bit CSI and a bell: none may reach a terminal from an input.
HOSTILE = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\x07"


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
    assert _run(capsys, "cluster", str(SAMPLES), "--candidate-threshold", "1")[0] == 2
    assert _run(capsys, "frobnicate")[0] == 2
    assert _run(capsys)[0] == 2


def test_candidate_threshold_reaches_the_settings(capsys):
    for given, expected in ((["--candidate-threshold", "0.25"], 0.25), ([], None)):
        code, out, _ = _run(capsys, "cluster", str(SAMPLES), "--format", "json", *given)
        assert code == 0 and json.loads(out)["settings"]["candidate_threshold"] == expected


def test_help_documents_every_option(capsys):
    code, out, _ = _run(capsys, "cluster", "--help")
    assert code == 0
    for option in ("--format", "--output", "--threshold", "--containment", "--num-perm", "--ngram", "--seed",
                   "--align", "--quiet", "--keep-site-chrome", "--engine", "--candidate-threshold"):
        assert option in out


def test_clean_and_compare_commands(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = _run(capsys, "clean", str(SEED_001), str(empty), "--format", "jsonl")
    assert code == 0
    first, second = map(json.loads, out.splitlines())
    assert first["wire"] == "ANI" and "TRENDING" not in first["text"]
    assert second["doc"] == str(empty) and second["error"] and second["text"] == ""
    code, out, _ = _run(capsys, "compare", str(SEED_000), str(SEED_001), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["relationship"] == "partial"
    span = document["spans"][0]
    assert document["a"]["text"][span["a_start"]:span["a_end"]]


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


# --- the program's name -------------------------------------------------------------------------------------


def test_the_program_is_called_dedup(capsys):
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and out.startswith("usage: dedup ")
    code, out, _ = _run(capsys, "index", "add", "--help")
    assert code == 0 and out.startswith("usage: dedup index add ")
    assert _run(capsys, "--version")[1] == "dedup 0.1.0\n"


# --- checks before any work: exit 2 ----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["cluster", "{tmp}/missing"],
    ["clean", str(SEED_000), "{tmp}/missing.txt"],
    ["clean", "{tmp}"],
    ["compare", str(SEED_000), "{tmp}/missing.txt"],
    ["compare", str(SEED_000), "{tmp}"],
    ["index", "add", "{tmp}/new.db", str(SEED_000), "{tmp}/missing"],
    ["index", "add", "{tmp}/new.db", str(SEED_000), "--root", "{tmp}/missing"],
    ["index", "query", "{tmp}/missing.db", str(SEED_000)],
    ["index", "stats", "{tmp}/missing.db"],
    ["cluster", str(SAMPLES), "-o", "/nonexistent/dir/x.json"],
    ["cluster", str(SAMPLES), "-o", "{tmp}"],
    ["clean", str(SEED_000), "-o", "/nonexistent/dir/x.txt"],
    ["compare", str(SEED_000), str(SEED_001), "-o", "/nonexistent/dir/x.txt"],
    ["cluster", str(SAMPLES), "--align"],
    ["cluster", str(SAMPLES), "--align", "--format", "csv"],
    ["cluster", str(SAMPLES), "--all", "--format", "json"],
    ["cluster", str(SAMPLES), "--min-size", "3", "--format", "jsonl"],
    ["cluster", str(SAMPLES), "--spark-master", "local[2]"],
    ["cluster", str(SAMPLES), "--engine", "spark", "--workers", "2"],
    ["cluster", str(SAMPLES), "--workers", "0"],
    ["compare", "-", "-"],
    ["cluster", str(SAMPLES), "-q", "-v"],
])
def test_what_cannot_run_exits_2_before_any_work(capsys, tmp_path, argv):
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("dedup: error: ") or "error:" in err
    assert not (tmp_path / "new.db").exists()  # index add opened no index


def test_an_unwritable_output_fails_before_the_run(capsys, tmp_path):
    started = time.monotonic()
    code, _, err = _run(capsys, "cluster", str(PAGES), "-o", "/nonexistent/dir/x.json", "--format", "json")
    assert code == 2 and "cannot write /nonexistent/dir/x.json" in err
    assert time.monotonic() - started < 0.5  # the pages were not cleaned (that takes seconds)


# --- -o: a temporary file renamed over the output on success -------------------------------------------------


def test_output_is_replaced_only_when_the_run_succeeds(capsys, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous output\n", encoding="utf-8")
    target.chmod(0o640)
    two = tmp_path / "two.jsonl"
    two.write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    code, _, err = _run(capsys, "compare", str(SEED_000), str(two), "--format", "json", "-o", str(target))
    assert code == 2 and "holds 2 documents" in err  # fails after the output was opened and A was read
    assert target.read_text(encoding="utf-8") == "previous output\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.json", "two.jsonl"]  # no temporary left
    code, _, _ = _run(capsys, "compare", str(SEED_000), str(SEED_001), "--format", "json", "-o", str(target))
    assert code == 0 and json.loads(target.read_text(encoding="utf-8"))["relationship"] == "partial"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file's permissions
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.json", "two.jsonl"]


def test_output_through_a_symbolic_link_and_to_a_device(capsys, tmp_path):
    real = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["cluster", str(SAMPLES), "--format", "csv", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("doc,cluster")
    assert main(["cluster", str(SAMPLES), "--format", "csv", "-o", os.devnull]) == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    code, out, _ = _run(capsys, "cluster", str(SAMPLES), "--format", "csv", "-o", "-")
    assert code == 0 and out.startswith("doc,cluster")


# --- standard input --------------------------------------------------------------------------------------------


def test_dash_reads_standard_input(tmp_path):
    paths = "".join(f"{path}\n" for path in sorted(SAMPLES.iterdir()))
    completed = subprocess.run([sys.executable, "-m", "dedup", "cluster", "-", "--format", "jsonl"], cwd=ROOT,
                               input=paths, capture_output=True, text=True)
    if "no such file or directory: -" in completed.stderr:
        pytest.skip("dedup.load('-') reads standard input on the inputs branch, not merged here yet")
    assert completed.returncode == 0, completed.stderr
    assert len(completed.stdout.splitlines()) == len(list(SAMPLES.iterdir()))


# --- output on a terminal --------------------------------------------------------------------------------------


def _on_terminal(argv, *, stdout_tty=True, stderr_tty=True, columns=100):
    """Run ``python -m dedup ARGV`` with stdout and/or stderr on pseudo-terminals; (exit code, stdout, stderr)."""
    masters, ends = {}, {}
    for name, wanted in (("stdout", stdout_tty), ("stderr", stderr_tty)):
        if wanted:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            masters[name], ends[name] = master, slave
        else:
            ends[name] = subprocess.PIPE
    process = subprocess.Popen([sys.executable, "-m", "dedup", *argv], cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=ends["stdout"], stderr=ends["stderr"],
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    received = {}

    def read(name: str) -> None:
        chunks = []
        if name in masters:
            os.close(ends[name])
            while True:
                try:
                    chunk = os.read(masters[name], 65536)
                except OSError:  # EIO: the terminal's other end is closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(masters[name])
        else:
            chunks.append(getattr(process, name).read())
        received[name] = b"".join(chunks)

    readers = [threading.Thread(target=read, args=(name,)) for name in ("stdout", "stderr")]
    for reader in readers:
        reader.start()
    code = process.wait(timeout=120)
    for reader in readers:
        reader.join(timeout=10)
    return code, received["stdout"], received["stderr"]


def _hostile_article(tmp_path, name="story.txt"):
    text = SEED_000.read_text(encoding="utf-8").replace("\n\n", f" {HOSTILE}\n\n", 3)
    assert HOSTILE in text
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _has_escapes(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    return any(sequence in text for sequence in ("\x1b]52", "\x1b[2J", "\x9b", "\x07"))


def test_clean_output_is_made_safe_on_a_terminal_only(capsys, tmp_path):
    story = _hostile_article(tmp_path, f"story{HOSTILE}.txt")  # the file name too
    code, out, err = _on_terminal(["clean", str(story)])
    assert code == 0 and err == b""
    assert b"ANI" in out or b"==" in out
    assert not _has_escapes(out)
    code, out, _ = _run(capsys, "clean", str(story))  # not a terminal: the text as it is
    assert code == 0 and HOSTILE in out


def test_compare_keeps_its_colours_but_not_the_articles_escapes(tmp_path):
    story = _hostile_article(tmp_path)
    code, out, _ = _on_terminal(["compare", str(story), str(SEED_000)])
    assert code == 0
    assert b"\x1b[42;30m" in out  # its own marking of shared passages
    assert not _has_escapes(out)
    code, out, _ = _on_terminal(["compare", str(story), str(SEED_000), "--format", "json"])
    # cleaning turns control characters into spaces, so the texts in the JSON hold no ESC, raw or escaped
    assert code == 0 and not _has_escapes(out) and b"\\u001b" not in out


def test_index_output_is_made_safe_on_a_terminal(tmp_path):
    story = _hostile_article(tmp_path, f"story{HOSTILE}.txt")
    db = tmp_path / "news.db"
    code, out, _ = _on_terminal(["index", "add", str(db), str(story), str(SEED_000)])
    assert code == 0 and b"cluster" in out and not _has_escapes(out)
    code, out, _ = _on_terminal(["index", "query", str(db), str(SEED_000)])
    assert code == 0 and b"would join cluster" in out and not _has_escapes(out)


# --- progress --------------------------------------------------------------------------------------------------


def test_progress_display_is_silent_off_a_terminal():
    stream = io.StringIO()
    with ProgressDisplay(stream) as display:
        display("clean", 5, 10)
        display("clean", 10, 10)
    assert stream.getvalue() == ""


def _read_all(master: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            return
        if not chunk:
            return
        into.append(chunk)


def test_progress_display_moves_between_reports_and_leaves_nothing():
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    chunks: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(master, chunks))
    reader.start()
    with open(slave, "w", encoding="utf-8", closefd=True) as terminal:
        display = ProgressDisplay(terminal, refresh=0.05)
        assert display.enabled
        display("clean", 0, 636)
        time.sleep(1.5)  # a slow stage: no report, and the clock still runs
        display("clean", 636, 636)
        display("cluster", 636, 636)
        display.close()
    reader.join(timeout=10)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    frames = [frame for frame in shown.split("\r") if frame.strip()]
    assert any("0/636 [00:00<?" in frame for frame in frames)
    assert any("0/636 [00:01<?" in frame for frame in frames)  # redrawn between reports
    assert any("636/636" in frame and "docs/s" in frame for frame in frames)  # count and rate
    assert any(frame.startswith("cluster") for frame in frames)  # one bar per stage
    assert shown.endswith("\r") and shown.rsplit("\r", 2)[1].strip() == ""  # erased at the end


def test_cluster_shows_progress_on_a_terminal_unless_quiet():
    code, out, err = _on_terminal(["cluster", str(PAGES), "--format", "jsonl"], stdout_tty=False)
    assert code == 0 and len(out.splitlines()) == 43
    assert b"clean" in err and b"docs/s" in err and b"/43" in err
    assert err.endswith(b"\r") and err.rsplit(b"\r", 2)[1].strip() == b""  # no stale line
    code, out, err = _on_terminal(["cluster", str(PAGES), "--format", "jsonl", "-q"], stdout_tty=False)
    assert code == 0 and err == b""


# --- logging: only dedup's own messages ------------------------------------------------------------------------


def _pages_that_upset_the_libraries(folder):
    """Real pages, one with a date dateutil warns about (UnknownTimezoneWarning) and one whose body is empty
    (trafilatura logs "discarding data: None")."""
    folder.mkdir()
    for name in ("ap-tories.html.gz", "ap-sondland.html.gz", "aljazeera-moonshot.html.gz"):
        shutil.copy(PAGES / name, folder / name)
    html = gzip.decompress((PAGES / "ap-tories.html.gz").read_bytes()).decode("utf-8")
    dated = html.replace("<head>", '<head><meta property="article:published_time" content="2019-11-20 06:01 EST">', 1)
    (folder / "dated.html").write_text(dated, encoding="utf-8")
    head = html[:html.index("<body")]
    (folder / "empty.html").write_text(head + "<body></body></html>", encoding="utf-8")


def test_library_warnings_show_only_with_verbose(tmp_path):
    folder = tmp_path / "pages"
    _pages_that_upset_the_libraries(folder)
    command = [sys.executable, "-m", "dedup", "cluster", str(folder), "--format", "jsonl"]
    loud = subprocess.run([*command, "-v"], cwd=ROOT, capture_output=True, text=True)
    assert loud.returncode == 0
    assert "UnknownTimezoneWarning" in loud.stderr and "trafilatura" in loud.stderr  # what the test guards against
    assert "dedup: discarding data" not in loud.stderr  # named after their own logger, not dedup
    quiet = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert quiet.stdout == loud.stdout and len(quiet.stdout.splitlines()) == 5


def test_log_level_sets_dedup_messages(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = _run(capsys, "clean", str(empty))
    assert code == 0 and err == f"dedup: {empty}: empty file\n"
    code, _, err = _run(capsys, "clean", str(empty), "-q")
    assert code == 0 and err == ""
    code, _, err = _run(capsys, "clean", str(empty), "--log-level", "error")
    assert code == 0 and err == ""


# --- workers and table options ---------------------------------------------------------------------------------


def test_workers_do_not_change_the_result(capsys, tmp_path):
    outputs = []
    for workers in ("1", "2"):
        code, out, _ = _run(capsys, "cluster", str(PAGES), "--format", "jsonl", "--workers", workers)
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1]
    db = tmp_path / "news.db"
    code, out, _ = _run(capsys, "index", "add", str(db), str(SAMPLES), "--workers", "2", "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 5


@pytest.mark.skipif("all_clusters" not in inspect.signature(render).parameters,
                    reason="report.render takes all_clusters/min_size on the report branch, not merged here yet")
def test_table_lists_singletons_with_all_and_sizes_with_min_size(capsys):
    _, plain, _ = _run(capsys, "cluster", str(SAMPLES))
    _, everything, _ = _run(capsys, "cluster", str(SAMPLES), "--all")
    _, large, _ = _run(capsys, "cluster", str(SAMPLES), "--min-size", "3")
    assert "004_0cdd86806f2c5362.txt" in everything
    assert "002_northern_tribune_reprint.txt" in large
    assert len(everything) >= len(plain)


def test_compare_and_cluster_give_one_answer_for_every_pair_of_samples(capsys):
    """compare applies cluster's copy rule: a pair it calls a copy is in one cluster, a pair in two clusters
    is no copy for it."""
    import itertools

    from dedup import cluster_files

    result = cluster_files(SAMPLES)
    label = {article.id: result.labels[number] for number, article in enumerate(result.articles)}
    copies = 0
    for a, b in itertools.combinations(sorted(label), 2):
        assert main(["compare", str(SAMPLES / a), str(SAMPLES / b), "--format", "json"]) == 0
        found = json.loads(capsys.readouterr().out)
        copies += found["copy"]
        if found["copy"]:
            assert label[a] == label[b], (a, b)
        if label[a] != label[b]:
            assert not found["copy"] and found["relationship"] in ("partial", "unrelated"), (a, b)
    assert copies == 3  # 001, 002 and 003, pairwise
