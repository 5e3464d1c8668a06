"""The workbooks that ship with Formative, found inside the installed package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from formative.workbook.linked import bundled_dir
from formative.workbook.linked import find_workbook as find_workbook  # re-exported: callers name it here
from formative.workbook.load import load_workbook
from formative.workbook.model import Workbook

SCHEMA_FILE = "formative-workbook.schema.json"

__all__ = ["SCHEMA_FILE", "BundledWorkbook", "bundled_dir", "bundled_paths", "bundled_workbooks", "find_workbook"]


def bundled_paths() -> list[Path]:
    return sorted(bundled_dir().glob("*.toml"))


@dataclass(frozen=True)
class BundledWorkbook:
    path: Path
    workbook: Workbook


def bundled_workbooks() -> list[BundledWorkbook]:
    """Every bundled workbook, loaded and checked."""
    return [BundledWorkbook(path, load_workbook(path)) for path in bundled_paths()]
