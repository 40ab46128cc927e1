"""Spark engine benchmark (issue 8): ``cluster --engine spark`` on 1 and 2 local cores, beside the local engine.

    python -m benchmarks.spark_speed [--n 100000] [--words 500] [--masters 'local[1]' 'local[2]'] [--repeat 1]

The articles are the seeded synthetic corpus of ``benchmarks.speed`` (news-length plain text, 10% trimmed or
lightly edited reprints), written to a temporary folder. Each run is a fresh ``python -m dedup cluster DIR
--format jsonl --timings`` subprocess, so wall time includes Python and JVM start-up; peak memory is the PSS of
the whole process tree (driver, JVM, Python workers), sampled. Every Spark run's jsonl output is compared byte
for byte with the local engine's. The table goes into the "Spark engine (issue 8)" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks._common import tree_pss_kib, write_section
from benchmarks.speed import _machine, generate

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Spark engine (issue 8)"


def measure(cmd: list[str], *, cwd: Path, log: Path) -> tuple[float, int, str]:
    """Run ``cmd`` (stderr to ``log``); return wall seconds, peak memory of its process tree in bytes, stderr."""
    peak = [0]
    done = threading.Event()
    started = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_pss_kib(proc.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    text = log.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{text[-3000:]}")
    return wall, peak[0] * 1024, text


def _dedup_timings(stderr: str) -> dict[str, float]:
    """Stage timings from ``dedup cluster --timings`` ("timings: load 0.123s, clean 0.456s, ...")."""
    for line in stderr.splitlines():
        if line.startswith("timings:"):
            pairs = (part.strip().rpartition(" ") for part in line[len("timings:"):].split(","))
            return {name: float(value[:-1]) for name, _, value in pairs if name and value.endswith("s")}
    return {}


def _versions() -> str:
    out = subprocess.run(
        [sys.executable, "-c", "import pyspark, pyarrow; print(pyspark.__version__, pyarrow.__version__)"],
        capture_output=True, text=True, check=False,
    ).stdout.split()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr.splitlines()
    return f"PySpark {out[0]}, pyarrow {out[1]}, {java[0] if java else 'java ?'}" if len(out) == 2 else "PySpark ?"


def run(n: int, args: argparse.Namespace) -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="dedup-spark-speed-"))
    try:
        corpus = tmp / "articles"
        started = time.perf_counter()
        truth = generate(corpus, n=n, words=args.words, reprint_rate=args.reprints, seed=args.seed, source=None)
        size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        print(f"generated {n} articles ({size / 1e6:.1f} MB, {len(truth['pairs'])} reprints) "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        engines = [("local", [])] + [(master, ["--engine", "spark", "--spark-master", master])
                                     for master in args.masters]
        rows = []
        reference = tmp / "local.jsonl"
        for name, extra in engines:
            walls, peaks, timings = [], [], None
            out = tmp / f"{len(rows)}.jsonl"
            for _ in range(args.repeat):
                cmd = [sys.executable, "-m", "dedup", "cluster", str(corpus), "--format", "jsonl", "--quiet",
                       "--timings", "-o", str(out), *extra]
                wall, peak, err = measure(cmd, cwd=ROOT, log=tmp / "stderr.log")
                walls.append(wall)
                peaks.append(peak)
                timings = _dedup_timings(err)
                print(f"{n} {name}: {wall:.1f} s, peak {peak / 2**30:.2f} GiB, {timings}", file=sys.stderr,
                      flush=True)
            if name == "local":
                shutil.copyfile(out, reference)
            rows.append({
                "n": n, "engine": name, "wall": statistics.median(walls), "walls": walls, "peak": max(peaks),
                "timings": timings or {}, "identical": filecmp.cmp(out, reference, shallow=False),
            })
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def table(rows: list[dict], command: str) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `{command}`  ",
        f"Machine: {_machine()}; {_versions()}. Shared with other jobs, so times are noisy.  ",
        "Data: the seeded synthetic corpus of `benchmarks.speed` (plain text, ~500 words, 10% reprints).  ",
        "Each run is a fresh `python -m dedup cluster DIR --format jsonl --timings` process: wall time includes "
        "loading the files, Python and JVM start-up and writing the output; peak memory is the PSS of the whole "
        "process tree (driver, JVM, Python workers). *Same output* compares the jsonl with the local engine's, "
        "byte for byte.",
        "",
        "| articles | engine | wall (s) | articles/s | vs local | peak memory (GiB) | same output | stages (s) |",
        "|---:|---|---:|---:|---:|---:|:---:|---|",
    ]
    local = {row["n"]: row["wall"] for row in rows if row["engine"] == "local"}
    for row in rows:
        engine = "local engine" if row["engine"] == "local" else f"spark `{row['engine']}`"
        stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in row["timings"].items())
        lines.append(
            f"| {row['n']:,} | {engine} | {row['wall']:.1f} | {row['n'] / row['wall']:,.0f} "
            f"| {row['wall'] / local[row['n']]:.2f}x | {row['peak'] / 2**30:.2f} | "
            f"{'yes' if row['identical'] else '**no**'} | {stages} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m benchmarks.spark_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000], help="articles (several sizes allowed)")
    parser.add_argument("--words", type=int, default=500, help="mean words per article")
    parser.add_argument("--reprints", type=float, default=0.1, help="fraction of articles that are reprints")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"], help="Spark masters to run")
    parser.add_argument("--repeat", type=int, default=1, help="runs per engine (the median is reported)")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="markdown file ('-' for none)")
    args = parser.parse_args(argv)
    rows = [row for n in args.n for row in run(n, args)]
    text = table(rows, "python -m benchmarks.spark_speed " + " ".join(argv))
    print(text)
    if args.output != "-":
        write_section(Path(args.output), SECTION, text)
    return 0 if all(row["identical"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
