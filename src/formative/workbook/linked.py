"""Where workbooks are found by id: the bundled folder, and a workbook named by another's 'recall'.

Kept apart from bundled.py and load.py (which import each other's neighbours) so that
loading can find a linked workbook without an import cycle.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_dir() -> Path:
    """Where the bundled workbooks live: in the wheel, or in the source checkout."""
    packaged = Path(str(resources.files("formative"))) / "workbooks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "workbooks"


def linked_workbook_path(workbook_id: str, beside: Path | None) -> Path | None:
    """The workbook a recall names by id: 'ID.toml' beside the recalling workbook, else bundled.

    The id has no '/' or '.', so this never reaches outside those two folders.
    """
    for folder in (beside, bundled_dir()):
        if folder is not None and (folder / f"{workbook_id}.toml").is_file():
            return folder / f"{workbook_id}.toml"
    return None


def find_workbook(name_or_path: str) -> Path:
    """Resolve a bundled workbook id or a file path to a path (which may not exist)."""
    candidate = bundled_dir() / f"{name_or_path}.toml"
    if "/" not in name_or_path and "\\" not in name_or_path and candidate.is_file():
        return candidate
    return Path(name_or_path)
