"""benchmarks/room_presence.py runs (tiny mode) and prints the three figures it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "room_presence.py"


@pytest.mark.timeout(90)
def test_room_presence_benchmark_tiny_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=80, check=False
    )
    assert result.returncode == 0, result.stderr
    for label in ("arrive → shown here", "leave → shown gone", "answer saved → card on the wall"):
        line = next((line for line in result.stdout.splitlines() if line.startswith(label)), "")
        assert "median" in line and "worst" in line and "n=3" in line, result.stdout
