"""Text made safe to print on a terminal: no escape sequences, no control characters."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """`text` without terminal escape sequences and control characters (tabs and newlines are kept)."""
    return _UNSAFE.sub("", text)
