"""`make bench` (benchmarks/run.py): every benchmark follows the convention, and the table comes out.

The benchmarks that have no test of their own (core, ui, ssh_load) run here in their tiny
modes through run.py; the others' tiny modes run in their own tests. Figures are printed,
never asserted: speed is read from the full run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
NOT_BENCHMARKS = {"run", "figures", "generate", "label_app"}


def test_run_finds_every_benchmark_by_its_main() -> None:
    """A script in benchmarks/ without `main(argv)` would silently drop out of `make bench`."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from run import benchmarks
    finally:
        sys.path.remove(str(BENCHMARKS))
    scripts = {path.stem for path in BENCHMARKS.glob("*.py")} - NOT_BENCHMARKS
    assert set(benchmarks()) == scripts


@pytest.mark.benchmark
@pytest.mark.timeout(300)
def test_run_tiny_prints_one_table_with_references() -> None:
    only = "core,ssh_load,ui"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--tiny", "--only", only],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    print(done.stdout, done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split("  ")[0] for line in done.stdout.splitlines()[2:] if line.strip()]
    assert set(rows) == set(only.split(",")), done.stdout
    assert "x first screen s, one-label app" in done.stdout  # ssh_load against the reference app
    assert "x first screen, bare Textual (one label)" in done.stdout  # ui against bare Textual
    assert "FAILED" not in done.stdout
