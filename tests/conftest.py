from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
SEED_000 = SAMPLES / "000_6bbe357bb2cbdd54.txt"
SEED_001 = SAMPLES / "001_ce003f8fa7d848aa.txt"
SEED_004 = SAMPLES / "004_0cdd86806f2c5362.txt"


@pytest.fixture(autouse=True)
def _reset_trafilatura_caches():
    yield
    if "trafilatura" in sys.modules:
        from trafilatura.meta import reset_caches

        reset_caches()
