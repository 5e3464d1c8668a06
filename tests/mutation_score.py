"""Print the mutation score per module from mutmut's results in mutants/ (run by `make mutate`).

Killed means a test failed, the mutant crashed the run, or it ran out of time; the time-outs
are also shown apart, because on a loaded machine a mutant that changes nothing can run out
of wall time too. A mutant no test reaches ("no tests") counts as survived. Mutants the time
bound left unchecked are reported apart, not counted.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

CAUGHT = {1, 3, 37, -11, -9}
"""mutmut's exit codes for a mutant caught: a failing test, a pytest error, a type error, a crash."""
TIMED_OUT = {36, 24, -24, 152, 255}
"""The mutant's tests ran out of time (SIGXCPU): counted as killed, and shown apart."""
SURVIVED = {0, 5, 33}
"""The tests passed, or no test ran the mutated function."""


def outcome(code: int | None) -> str:
    if code in CAUGHT:
        return "caught"
    if code in TIMED_OUT:
        return "timeout"
    if code in SURVIVED:
        return "survived"
    return "unchecked"


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.rglob("*.py.meta"))
    if not metas:
        print("no results in mutants/: run `make mutate` first", file=sys.stderr)
        return 1
    total: Counter[str] = Counter()
    print(f"{'module':<40} {'killed':>7} {'timeout':>8} {'survived':>9} {'checked':>8} {'score':>6} {'unchecked':>10}")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values()
        if codes:
            counts = Counter(outcome(code) for code in codes)
            total.update(counts)
            print(_row(str(meta.relative_to(root)).removesuffix(".meta"), counts, "{:.0f}%"))
    print(_row("all", total, "{:.1f}%"))
    return 0


def _row(name: str, counts: Counter[str], score_format: str) -> str:
    killed = counts["caught"] + counts["timeout"]
    checked = killed + counts["survived"]
    score = score_format.format(100 * killed / checked) if checked else "-"
    return (
        f"{name:<40} {killed:>7} {counts['timeout']:>8} {counts['survived']:>9} {checked:>8} {score:>6}"
        f" {counts['unchecked']:>10}"
    )


if __name__ == "__main__":
    sys.exit(main())
