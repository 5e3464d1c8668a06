"""The web login benchmark runs in its tiny mode and still shows what it measures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "web_login.py"


def test_web_login_benchmark_tiny_mode() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--tiny"], capture_output=True, text=True, timeout=100, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"tokenless websocket refused in [\d.]+ ms median", done.stdout)
    assert "10 raw websockets at once: 10 refused, 0 processes started" in done.stdout
    guesses = re.search(r"(\d+) answered in 2 s", done.stdout)
    assert guesses is not None
    assert int(guesses.group(1)) <= 3  # 1 s, then 2 s: the delays hold even with 6 guesses in flight
    assert "a real participant then logged in" in done.stdout
    assert "1 app(s) started" in done.stdout
