"""The room-idle benchmark (benchmarks/room_idle.py) in its tiny mode, run by `make test` so it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "room_idle.py"


@pytest.mark.benchmark
@pytest.mark.timeout(300)
def test_room_idle_tiny_prints_its_table(tmp_path: Path) -> None:
    """Two real `formative join` apps in ptys (a typist and one other) and the coach's, on a text step and a dot vote.

    This asserts that the benchmark runs and measures (every figure printed, for each
    step), not how fast anything is: speed is read from the full run, never asserted.
    """
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--tiny", "--details", str(figures)],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr
    rows = json.loads(figures.read_text(encoding="utf-8"))
    assert [(row["people"], row["step"]) for row in rows] == [(2, "ideas"), (2, "vote")]
    for row in rows:
        keys = ("idle_median", "idle_worst", "key_typist", "key_others", "coach_idle", "coach_typing")
        assert all(row[key] >= 0 for key in keys), row
    assert any(row["key_typist"] > 0 for row in rows), "typing cost nothing at all: the keys did not arrive"
    assert "idle ms/s" in done.stdout
