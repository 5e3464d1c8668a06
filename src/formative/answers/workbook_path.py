"""Where the workbook of an answer file lives, recorded in its [formative] table (issue 13).

A bundled workbook is found by its id. A workbook of one's own may live anywhere, so the
answer file records its place (`workbook_path`), relative to the answer file when the two
share a folder; export, the home screen and history read it back to find the workbook.
"""

from __future__ import annotations

import os
from pathlib import Path

from formative.answers.header import Header, read_answer_file
from formative.answers.store import AnswerStore
from formative.workbook.bundled import bundled_dir, find_workbook
from formative.workbook.errors import Problem, WorkbookError


def is_bundled(workbook_path: Path) -> bool:
    return Path(os.path.abspath(workbook_path)).parent == Path(os.path.abspath(bundled_dir()))


def workbook_location(workbook_path: Path, answers_file: Path) -> str | None:
    """What an answer file records of where its workbook lives: None for a bundled workbook.

    Relative to the answer file's folder ('../odyssey.toml') when the two share a folder
    below the root of the file system, so a folder moved whole keeps working; else absolute.
    """
    if is_bundled(workbook_path):
        return None
    workbook = os.path.abspath(workbook_path)
    folder = os.path.abspath(answers_file.parent)
    try:
        shared = os.path.commonpath([workbook, folder])
    except ValueError:  # different drives
        return workbook
    if shared == os.path.dirname(shared):  # only the root in common
        return workbook
    return Path(os.path.relpath(workbook, folder)).as_posix()


def recorded_workbook(answers_file: Path, recorded: str | None) -> Path | None:
    """The workbook path an answer file records, made absolute from the answer file's folder."""
    if not recorded:
        return None
    return answers_file.parent / Path(recorded).expanduser()


def _same_file(a: Path | None, b: Path) -> bool:
    try:
        return a is not None and os.path.samefile(a, b)
    except OSError:
        return False


def note_where_workbook_lives(store: AnswerStore, workbook_path: Path) -> None:
    """Record a custom workbook's place in its answer file when the file has it elsewhere, or nowhere.

    Opened from the place already recorded (however the path is written), nothing changes.
    """
    location = workbook_location(workbook_path, store.path)
    recorded = recorded_workbook(store.path, store.recorded_workbook_path)
    if location is not None and not _same_file(recorded, workbook_path):
        store.record_workbook_path(location)


def workbook_of_answers(answers_file: Path, header: Header | None) -> Path:
    """The workbook an answer file belongs to, from its [formative] table.

    The recorded workbook_path for a workbook that is not bundled, else the bundled one by id.
    Raises WorkbookError with a message that says what to do when neither can be found.
    """
    workbook_id = header.workbook if header else None
    if workbook_id is None:
        raise WorkbookError([Problem(str(answers_file), 'no [formative] workbook = "…" line; pass --workbook PATH')])
    recorded = header.workbook_path if header else None
    if recorded:
        path = recorded_workbook(answers_file, recorded)
        assert path is not None
        if path.is_file():
            return path
        raise WorkbookError(
            [
                Problem(
                    str(answers_file),
                    f"this answer file's workbook '{workbook_id}' was at {recorded}, which no longer exists; "
                    "pass --workbook PATH",
                )
            ]
        )
    bundled = find_workbook(workbook_id)
    if "/" not in workbook_id and is_bundled(bundled) and bundled.is_file():
        return bundled
    raise WorkbookError(
        [
            Problem(
                str(answers_file),
                f"workbook '{workbook_id}' is not bundled, and this answer file does not say where it lives; "
                "pass --workbook PATH",
            )
        ]
    )


def workbook_for_answers(answers_file: Path) -> Path:
    """The workbook of an answer file, read from the file (see workbook_of_answers)."""
    header, _ = read_answer_file(answers_file)
    return workbook_of_answers(answers_file, header)
