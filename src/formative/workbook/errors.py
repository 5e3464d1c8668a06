"""Located errors: what went wrong, in which file, at which line, column and field."""

from __future__ import annotations

from dataclasses import dataclass

FieldPath = tuple[str | int, ...]


def format_path(path: FieldPath) -> str:
    """Render ('sections', 1, 'steps', 2) as 'sections[1].steps[2]'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as we can."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    path: FieldPath = ()

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {format_path(self.path)}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class WorkbookError(Exception):
    """A workbook could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
