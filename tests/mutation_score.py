"""Print the mutation score per module from mutmut's results in mutants/ (run by `make mutate`).

Killed means a test failed, timed out or the mutant crashed the run; a mutant no test
reaches ("no tests") counts as survived. Mutants the time bound left unchecked are
reported apart, not counted.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, 37, -11, -9}
"""mutmut's exit codes for a mutant caught: a failing test, a pytest error, a timeout, a type error, a crash."""
SURVIVED = {0, 5, 33}
"""The tests passed, or no test ran the mutated function."""


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.rglob("*.py.meta"))
    if not metas:
        print("no results in mutants/: run `make mutate` first", file=sys.stderr)
        return 1
    total: Counter[str] = Counter()
    print(f"{'module':<44} {'killed':>7} {'checked':>8} {'score':>6} {'unchecked':>10}")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values()
        if not codes:
            continue
        counts = Counter("killed" if c in KILLED else "survived" if c in SURVIVED else "unchecked" for c in codes)
        total.update(counts)
        checked = counts["killed"] + counts["survived"]
        score = f"{100 * counts['killed'] / checked:.0f}%" if checked else "-"
        module = str(meta.relative_to(root)).removesuffix(".meta")
        print(f"{module:<44} {counts['killed']:>7} {checked:>8} {score:>6} {counts['unchecked']:>10}")
    checked = total["killed"] + total["survived"]
    score = f"{100 * total['killed'] / checked:.1f}%" if checked else "-"
    print(f"{'all':<44} {total['killed']:>7} {checked:>8} {score:>6} {total['unchecked']:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
