"""The workbooks that ship with Formative, found inside the installed package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from formative.workbook.linked import bundled_dir
from formative.workbook.linked import find_workbook as find_workbook  # re-exported: callers name it here
from formative.workbook.load import load_workbook
from formative.workbook.model import Workbook

SCHEMA_FILE = "formative-workbook.schema.json"

__all__ = [
    "SCHEMA_FILE",
    "BundledWorkbook",
    "bundled_dir",
    "bundled_paths",
    "bundled_workbooks",
    "coach_led",
    "find_workbook",
    "solo_first",
]


def bundled_paths() -> list[Path]:
    return sorted(bundled_dir().glob("*.toml"))


@dataclass(frozen=True)
class BundledWorkbook:
    path: Path
    workbook: Workbook


def bundled_workbooks() -> list[BundledWorkbook]:
    """Every bundled workbook, loaded and checked."""
    return [BundledWorkbook(path, load_workbook(path)) for path in bundled_paths()]


GROUP_MODES = frozenset({"pair", "table", "group"})


def coach_led(workbook: Workbook) -> bool:
    """Whether a workbook is written for a room (steps in pairs or groups, facilitator notes)."""
    return any(step.mode in GROUP_MODES or step.facilitator_notes for step in workbook.steps)


def solo_first(bundled: list[BundledWorkbook]) -> list[BundledWorkbook]:
    """Workbooks for one person first, coach-led ones after (a newcomer alone starts with the former)."""
    return sorted(bundled, key=lambda b: coach_led(b.workbook))
