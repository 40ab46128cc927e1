"""What the benchmarks share."""

from __future__ import annotations

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
