"""The workbook format: models, loading with located errors, references, bundled files.

The names below load on first use (PEP 562), so a light submodule such as
`workbook.depth` can be imported on the way to the first paint without pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from formative.workbook.errors import Problem, WorkbookError
    from formative.workbook.load import load_workbook, load_workbook_text
    from formative.workbook.model import Step, Workbook

_HOMES = {
    "Problem": "formative.workbook.errors",
    "WorkbookError": "formative.workbook.errors",
    "load_workbook": "formative.workbook.load",
    "load_workbook_text": "formative.workbook.load",
    "Step": "formative.workbook.model",
    "Workbook": "formative.workbook.model",
}

__all__ = ["Problem", "Step", "Workbook", "WorkbookError", "load_workbook", "load_workbook_text"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
