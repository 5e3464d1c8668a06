"""benchmarks/git_commit.py runs (tiny mode): every figure it promises is printed, and every commit landed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "git_commit.py"


@pytest.mark.benchmark
@pytest.mark.timeout(90)
def test_git_commit_benchmark_tiny_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=80, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for figure in (
        "Ctrl+N on the UI thread, no commit",
        "Ctrl+N on the UI thread, commit queued",
        "event-loop lag while the commit runs",
        "background commit, in a worker thread",
    ):
        assert any(line.startswith(figure) and " ms" in line for line in lines), result.stdout
    assert "commits made: 2 of 2" in lines, result.stdout
