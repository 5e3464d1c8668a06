"""The workbooks that ship with Formative, found inside the installed package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from formative.workbook.load import load_workbook
from formative.workbook.model import Workbook

SCHEMA_FILE = "formative-workbook.schema.json"


def bundled_dir() -> Path:
    """Where the bundled workbooks live: in the wheel, or in the source checkout."""
    packaged = Path(str(resources.files("formative"))) / "workbooks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "workbooks"


def bundled_paths() -> list[Path]:
    return sorted(bundled_dir().glob("*.toml"))


@dataclass(frozen=True)
class BundledWorkbook:
    path: Path
    workbook: Workbook


def bundled_workbooks() -> list[BundledWorkbook]:
    """Every bundled workbook, loaded and checked."""
    return [BundledWorkbook(path, load_workbook(path)) for path in bundled_paths()]


def find_workbook(name_or_path: str) -> Path:
    """Resolve a bundled workbook id or a file path to a path (which may not exist)."""
    candidate = bundled_dir() / f"{name_or_path}.toml"
    if "/" not in name_or_path and "\\" not in name_or_path and candidate.is_file():
        return candidate
    return Path(name_or_path)
