"""What the benchmarks share."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo ("unknown CPU" where there is none)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def write_section(path: Path, heading: str, text: str) -> None:
    """Put one benchmark's section into BENCHMARKS.md: replace the section that starts with ``heading`` (up to
    the next ``## `` heading), or append it; other sections stay as they are."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    text = text.rstrip("\n") + "\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        following = old.find("\n## ", start + len(heading))
        new = old[:start] + text + ("\n" + old[following + 1:] if following >= 0 else "")
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def tree_pss_kib(pid: int) -> int:
    """Memory of a process and all its descendants: the sum of their PSS (shared pages split among the processes
    that map them, so forked workers are not counted twice); VmRSS where smaps_rollup is missing."""
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            total += _pss_kib(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    stack.extend(int(child) for child in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        pass
    with open(f"/proc/{pid}/status") as f:
        return next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
