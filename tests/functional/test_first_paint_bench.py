"""The first-paint benchmark (benchmarks/first_paint.py) in its tiny mode, run by `make test` so it cannot rot."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "first_paint.py"


@pytest.mark.benchmark
@pytest.mark.timeout(240)
def test_first_paint_tiny_prints_its_table(tmp_path: Path) -> None:
    """Bare, fresh, resumed and remembered runs in ptys: every figure is measured (a number), none asserted fast.

    The settled figure needs the key typed at the first paint to be echoed: a run whose
    typed key were lost would have no figure and fail here.
    """
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--tiny", "--details", str(figures)],
        capture_output=True,
        text=True,
        timeout=220,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr
    rows = json.loads(figures.read_text(encoding="utf-8"))
    assert [row["run"] for row in rows] == ["bare", "fresh", "resumed", "remembered"]
    for row in rows:
        assert row["n"] == 1
        for figure in ("first_paint", "settled", "cpu"):
            assert math.isfinite(row[figure]) and row[figure] > 0, row
        assert row["settled"] >= row["first_paint"], row
    assert "first paint" in done.stdout and "1.00x)" in done.stdout
