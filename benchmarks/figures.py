"""The figures a benchmark measures, in the form `benchmarks/run.py` gathers into one table.

Every benchmark is a script with `main(argv) -> int` that takes `--tiny` (a few seconds,
for the test suite) and `--json PATH` (write its figures there). A figure is a median
over n samples; `reference` names another figure of the same run (a bare Textual app,
say) that run.py divides by, so each figure can be read against what it costs anyway.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    name: str
    median: float
    unit: str
    n: int
    reference: str | None = None
    """The name of the figure this one is compared with (in the same benchmark's figures)."""


def figure(name: str, samples: Sequence[float], unit: str, reference: str | None = None) -> Figure:
    """The median of samples (nan when there are none)."""
    return Figure(name, statistics.median(samples) if samples else float("nan"), unit, len(samples), reference)


def add_options(parser: argparse.ArgumentParser, tiny_help: str = "a few seconds, for the test suite") -> None:
    parser.add_argument("--tiny", action="store_true", help=tiny_help)
    parser.add_argument("--json", type=Path, help="also write the figures here (for benchmarks/run.py)")


def write(path: Path | None, figures: Sequence[Figure]) -> None:
    if path is not None:
        path.write_text(json.dumps([asdict(f) for f in figures], indent=1), encoding="utf-8")


def read(path: Path) -> list[Figure]:
    return [Figure(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


RECORDED: list[Figure] = []
"""Figures a benchmark has recorded so far in this process (its main writes them with --json)."""


def record(name: str, samples: Sequence[float], unit: str, reference: str | None = None) -> None:
    RECORDED.append(figure(name, samples, unit, reference))
