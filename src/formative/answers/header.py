"""The [formative] table at the top of an answer file, read in one place.

Folder scans (the home screen, the workshop room, a workshop's names, the history)
read it without opening the store; the store reads it from its own document. Hand
edits happen, so each field is read leniently: a value of the wrong type counts as
missing rather than failing the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from formative.workbook.load import MAX_ANSWER_BYTES, parse_toml, read_text


@dataclass(frozen=True)
class Header:
    workbook: str | None = None
    """The workbook's id."""
    person: str | None = None
    """Whose answers these are; None in a one-person answers folder."""
    workbook_path: str | None = None
    """Where a workbook that is not bundled lives, relative to the answer file."""
    sitting: int = 1
    """Which sitting the answers belong to (1 when the file does not say, or says nothing usable)."""
    started: date | None = None
    """The day that sitting began."""

    @classmethod
    def of(cls, meta: Any) -> Header | None:
        """The header a parsed [formative] table holds; None when there is no such table."""
        if not isinstance(meta, dict):
            return None
        workbook, person, where = meta.get("workbook"), meta.get("person"), meta.get("workbook_path")
        sitting, started = meta.get("sitting"), meta.get("started")
        return cls(
            workbook=workbook if isinstance(workbook, str) else None,
            person=str(person) if person is not None else None,
            workbook_path=where if isinstance(where, str) and where else None,
            sitting=sitting if isinstance(sitting, int) and not isinstance(sitting, bool) and sitting >= 1 else 1,
            started=started.date() if isinstance(started, datetime) else started if isinstance(started, date) else None,
        )


def read_answer_file(path: Path) -> tuple[Header | None, Any]:
    """An answer file's header and its answers table, read through the safe reader (no lock, no store).

    Raises WorkbookError, located, when the file cannot be read or is not TOML.
    """
    data = parse_toml(read_text(path, MAX_ANSWER_BYTES), str(path))
    return Header.of(data.get("formative")), data.get("answers", {})
