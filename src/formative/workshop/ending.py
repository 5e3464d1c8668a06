"""The End of a workshop: the report and each person's copy, written into the workshop folder.

The coach presses End on the facilitator's screen; the files land beside workshop.toml
(`report.md`, and `each/NAME.md` per person), private to the coach like the answers,
so that nothing needs a command from the README afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from formative.answers.atomic import atomic_write_text
from formative.workshop.report import COPIES_FOLDER, render_report, write_copies
from formative.workshop.room import Room

REPORT_FILE = "report.md"


@dataclass(frozen=True)
class Ended:
    report: Path
    copies: list[Path]


def end_files(workshop_dir: Path) -> tuple[Path, Path]:
    """Where End writes: the report, and the folder of each person's copy."""
    return workshop_dir / REPORT_FILE, workshop_dir / COPIES_FOLDER


def report_exists(workshop_dir: Path) -> bool:
    return os.path.lexists(end_files(workshop_dir)[0])


def write_end(room: Room, today: date | None = None) -> Ended:
    """Write the report and each person's copy from the room's answers as they are now."""
    room.refresh()
    report, _ = end_files(room.workshop.folder)
    atomic_write_text(report, render_report(room, today=today))
    copies = write_copies(room, today=today)  # with the index each participant's app reads to name its copy
    return Ended(report, list(copies.values()))
