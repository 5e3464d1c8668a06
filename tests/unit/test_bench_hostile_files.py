"""benchmarks/hostile_files.py runs (tiny mode) and prints a figure for every line it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "hostile_files.py"


@pytest.mark.timeout(60)
def test_hostile_files_benchmark_tiny_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=50, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for kind in ("named pipe", "link to /dev/zero", "symbolic link loop", "10 GB sparse file", "5000-deep arrays"):
        assert any(line.startswith(f"refuse {kind}") and " ms" in line for line in lines), result.stdout
    assert any(line.startswith("room scan, a tick with nothing changed") for line in lines)
