"""The workbook format: models, loading with located errors, references, bundled files."""

from formative.workbook.errors import Problem, WorkbookError
from formative.workbook.load import load_workbook, load_workbook_text
from formative.workbook.model import Step, Workbook

__all__ = ["Problem", "Step", "Workbook", "WorkbookError", "load_workbook", "load_workbook_text"]
