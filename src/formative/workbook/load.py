"""Load a workbook from TOML, reporting every problem with file, line, column and field."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from formative.workbook.errors import FieldPath, Problem, WorkbookError
from formative.workbook.locate import key_positions, locate
from formative.workbook.model import PROMPT_KINDS, Workbook
from formative.workbook.refs import check_recalls, check_references

MAX_WORKBOOK_BYTES = 5_000_000
"""Larger files are refused: no real workbook comes near this, a wrong file might."""

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a located Problem."""
    source = str(path)
    if not path.exists():
        raise WorkbookError([Problem(source, "no such file")])
    if path.is_dir():
        raise WorkbookError([Problem(source, "this is a folder, not a workbook file")])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorkbookError([Problem(source, f"cannot read: {error.strerror}")]) from None
    if len(data) > MAX_WORKBOOK_BYTES:
        raise WorkbookError([Problem(source, f"file is too large ({len(data):,} bytes)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not valid UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        raise WorkbookError([Problem(source, message, line, column)]) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, or raise a WorkbookError naming the line and column."""
    if not text.strip():
        raise WorkbookError([Problem(source, "file is empty")])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else None
        column = int(found.group(2)) if found else None
        message = _TOML_POSITION.sub("", message)
        raise WorkbookError([Problem(source, f"TOML syntax: {message}", line, column)]) from None


def _readable_path(loc: tuple[str | int, ...]) -> FieldPath:
    """Drop the union tags pydantic adds to a location ('prompts', 0, 'scale', 'min')."""
    return tuple(part for part in loc if not (isinstance(part, str) and part in PROMPT_KINDS))


def _error_path(error: Any) -> FieldPath:
    path = _readable_path(error["loc"])
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return (*path, "kind")
    return path


def _message(error: Any) -> str:
    kind = error["type"]
    message = str(error["msg"])
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see `formative schema`)"
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        return f"unknown kind '{error['input'].get('kind')}'; expected one of: {', '.join(PROMPT_KINDS)}"
    if kind == "union_tag_not_found":
        return f"'kind' is missing; expected one of: {', '.join(PROMPT_KINDS)}"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and error["loc"] and error["loc"][-1] == "id":
        return "ids use lower-case letters, digits, '-' and '_' only"
    return message


def _in_file_order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_model(
    model: type[ModelT],
    data: dict[str, Any],
    text: str,
    source: str,
    extra_checks: Callable[[ModelT], list[tuple[FieldPath, str]]] | None = None,
) -> ModelT:
    """Validate parsed TOML against a model, locating every problem in the source text.

    extra_checks runs after the model validates, for rules across fields (references).
    """
    positions: dict[FieldPath, tuple[int, int]] | None = None

    def located(path: FieldPath, message: str) -> Problem:
        nonlocal positions
        if positions is None:
            positions = key_positions(text)
        line, column = locate(positions, path) or (1, 1)
        return Problem(source, message, line, column, path)

    try:
        result = model.model_validate(data)
    except ValidationError as error:
        problems = [located(_error_path(e), _message(e)) for e in error.errors()]
        raise WorkbookError(sorted(problems, key=_in_file_order)) from None
    if extra_checks is not None:
        problems = [located(path, message) for path, message in extra_checks(result)]
        if problems:
            raise WorkbookError(sorted(problems, key=_in_file_order))
    return result


def validate_data(
    data: dict[str, Any], text: str, source: str, beside: Path | None = None, recalls: bool = True
) -> Workbook:
    """Validate parsed TOML as a workbook, references included.

    beside is the workbook's folder, where workbooks named by 'recall' are looked for first;
    recalls=False skips those (a linked workbook is loaded that way, so no cycle can form).
    """

    def checks(workbook: Workbook) -> list[tuple[FieldPath, str]]:
        problems = check_references(workbook)
        if recalls:
            problems += check_recalls(workbook, beside, _load_linked)
        return problems

    return validate_model(Workbook, data, text, source, checks)


def _load_linked(path: Path) -> Workbook:
    return load_workbook(path, recalls=False)


def load_workbook_text(
    text: str, source: str = "<workbook>", beside: Path | None = None, recalls: bool = True
) -> Workbook:
    """Load a workbook from TOML text."""
    return validate_data(parse_toml(text, source), text, source, beside, recalls)


def load_workbook(path: Path, recalls: bool = True) -> Workbook:
    """Load and check a workbook file; raises WorkbookError with every problem found."""
    return load_workbook_text(read_text(path), str(path), path.parent, recalls)
