"""The kill-loop benchmark (benchmarks/kill_loop.py) in its tiny mode, run by `make test`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "kill_loop.py"
MAX_SECONDS_LOST = 2.0


@pytest.mark.benchmark
@pytest.mark.timeout(400)
def test_kill_loop_tiny_loses_little_and_every_file_parses(tmp_path: Path) -> None:
    """Two rounds of: start the real app in a pty, type 5 keys/s, SIGKILL at a random moment.

    This asserts correctness, not speed: every answer file parses, holds the start of
    what was typed, and opens again; and no round loses more than 2 s of typing. That
    bound is a correctness property (autosave must save within about a second while
    someone types, so a kill cannot take more), kept generous for a loaded machine.
    The figures themselves are printed, not asserted.
    """
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--tiny", "--details", str(figures)],
        capture_output=True,
        text=True,
        timeout=380,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr
    summary = json.loads(figures.read_text(encoding="utf-8"))
    assert summary["rounds"] == 2
    assert all(r["typed"] > 0 for r in summary["rounds_detail"]), summary
    assert summary["all_parsed"], summary
    assert summary["all_prefix"], summary
    assert summary["all_reopened"], summary
    assert summary["seconds_worst"] <= MAX_SECONDS_LOST, summary
    assert "keys lost" in done.stdout and "seconds of typing lost" in done.stdout
