"""`make bench`: run every benchmark and print one table of figures, each against its reference.

Run: .venv/bin/python benchmarks/run.py [--tiny] [--only NAME,NAME]

A benchmark is any script here with `main(argv) -> int` that takes `--tiny` and
`--json PATH` (see figures.py); run.py finds them by that convention, runs each in a
process of its own (they start servers, fork and trap signals), and gathers the
figures. A figure with a reference (a bare Textual app, a one-label app over the same
SSH server) gets its ratio to it. A benchmark that fails, or prints figures without
writing them, is named under the table with the end of its output, and run.py exits 1.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import Figure, read

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"run", "figures", "generate"}
TIMEOUT = {False: 1800.0, True: 240.0}
"""Seconds one benchmark may take, full and tiny."""


def benchmarks(folder: Path = HERE) -> list[str]:
    """The scripts in folder that follow the convention (a `def main(argv` at the top level)."""
    return sorted(
        path.stem
        for path in folder.glob("*.py")
        if path.stem not in NOT_BENCHMARKS and re.search(r"^def main\(argv", path.read_text(encoding="utf-8"), re.M)
    )


def run_one(name: str, tiny: bool, out: Path) -> tuple[list[Figure], str, float]:
    """(its figures, what went wrong or "", seconds taken)."""
    command = [sys.executable, str(HERE / f"{name}.py"), "--json", str(out)] + (["--tiny"] if tiny else [])
    start = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT[tiny], check=False)
    except subprocess.TimeoutExpired:
        return [], f"took longer than {TIMEOUT[tiny]:.0f} s", time.monotonic() - start
    took = time.monotonic() - start
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
    if done.returncode != 0:
        return [], f"exit status {done.returncode}:\n{tail}", took
    if not out.exists():
        return [], f"wrote no figures (--json):\n{tail}", took
    return read(out), "", took


def number(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def table(results: dict[str, list[Figure]]) -> str:
    rows = [("benchmark", "figure", "n", "median", "unit", "x reference")]
    for bench, figures in results.items():
        by_name = {f.name: f for f in figures}
        for f in figures:
            ratio = ""
            ref = by_name.get(f.reference) if f.reference else None
            if ref is not None and ref.median and not math.isnan(ref.median):
                ratio = f"{f.median / ref.median:.2f}x {ref.name}"
            rows.append((bench, f.name, str(f.n), number(f.median), f.unit, ratio))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i != 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tiny", action="store_true", help="every benchmark in its tiny mode (for the test suite)")
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    args = parser.parse_args(argv)
    names = benchmarks()
    if args.only:
        wanted = args.only.split(",")
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            parser.error(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(names)})")
        names = [n for n in names if n in wanted]
    results: dict[str, list[Figure]] = {}
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for name in names:
            print(f"running {name}{' (tiny)' if args.tiny else ''} ...", file=sys.stderr, flush=True)
            figures, problem, took = run_one(name, args.tiny, Path(tmp) / f"{name}.json")
            results[name] = figures
            print(f"  {name}: {len(figures)} figures in {took:.0f} s", file=sys.stderr, flush=True)
            if problem:
                problems.append(f"{name}: {problem}")
    print(table(results))
    for problem in problems:
        print(f"\nFAILED {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
