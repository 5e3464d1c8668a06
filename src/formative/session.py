"""A person's sitting with a workbook: which file, which answers, where they are.

The Textual app and the plain line-by-line mode both open a Session; it ties the
workbook, the answer store and the walk together and knows where answer files live.
No UI here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formative.answers.atomic import make_private_folder
from formative.answers.naming import safe_stem
from formative.answers.store import AnswerFileError, AnswerStore, SaveResult, is_side_file
from formative.answers.values import AnswerValue
from formative.recall import Recall
from formative.walk import Progress, RoomReader, Walk
from formative.workbook.bundled import bundled_dir, bundled_workbooks, find_workbook
from formative.workbook.errors import Problem, WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, load_workbook, parse_toml, read_text
from formative.workbook.model import Workbook

ANSWERS_ENV = "FORMATIVE_ANSWERS"


def default_answers_dir() -> Path:
    """Where answers go unless --answers says otherwise: $FORMATIVE_ANSWERS or ~/formative-answers."""
    configured = os.environ.get(ANSWERS_ENV)
    return Path(configured).expanduser() if configured else Path.home() / "formative-answers"


def answers_path(answers_dir: Path, workbook: Workbook, person: str | None) -> Path:
    """The answer file of one person for one workbook: 'WORKBOOK.toml' or 'WORKBOOK--PERSON.toml'."""
    name = workbook.id if not person else f"{workbook.id}--{safe_stem(person)}"
    return answers_dir / f"{name}.toml"


class Session:
    """One open answer file, walked through one workbook. close() saves and unlocks."""

    def __init__(
        self, workbook: Workbook, workbook_path: Path, store: AnswerStore, room: RoomReader | None = None
    ) -> None:
        self.workbook = workbook
        self.workbook_path = workbook_path
        self.store = store
        self.walk = Walk(workbook, store, room=room)
        self.recall = Recall(workbook_path.parent, store.path.parent, store.person)
        """The same person's answers to other workbooks, for prompts with 'recall'."""

    @classmethod
    def open(
        cls,
        workbook_ref: str | Path,
        answers_dir: Path,
        person: str | None = None,
        answers_file: Path | None = None,
        room: RoomReader | None = None,
    ) -> Session:
        """Load the workbook (bundled id or path), open its answer file and resume.

        answers_file overrides the file name made from the workbook and person.

        Raises WorkbookError, AnswerFileError or LockedError with a message for people.
        """
        path = find_workbook(str(workbook_ref))
        workbook = load_workbook(path)
        path_of_answers = answers_file or answers_path(answers_dir, workbook, person)
        make_private_folder(path_of_answers.parent)
        location = workbook_location(path, path_of_answers)
        store = AnswerStore.open(path_of_answers, workbook, person, workbook_path=location)
        note_where_workbook_lives(store, path)
        session = cls(workbook, path, store, room)
        session.walk.resume()
        return session

    @property
    def path(self) -> Path:
        return self.store.path

    def set_answer(self, step_id: str, prompt_id: str, value: AnswerValue | None) -> None:
        self.store.set(step_id, prompt_id, value)

    def answer(self, step_id: str, prompt_id: str) -> Any:
        return self.store.get(step_id, prompt_id)

    def save(self) -> SaveResult:
        """Write pending answers, taking in changes made to the file on disk (see AnswerStore.sync)."""
        return self.store.sync()

    def close(self) -> None:
        self.store.close()


# Where a workbook that is not bundled lives (issue 13) -----------------------------------


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


def workbook_of_answers(answers_file: Path, meta: Any) -> Path:
    """The workbook an answer file belongs to, from its [formative] table.

    The recorded workbook_path for a workbook that is not bundled, else the bundled one by id.
    Raises WorkbookError with a message that says what to do when neither can be found.
    """
    workbook_id = meta.get("workbook") if isinstance(meta, dict) else None
    if not isinstance(workbook_id, str):
        raise WorkbookError([Problem(str(answers_file), 'no [formative] workbook = "…" line; pass --workbook PATH')])
    recorded = meta.get("workbook_path")
    if isinstance(recorded, str) and recorded:
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
    data = parse_toml(read_text(answers_file, MAX_ANSWER_BYTES), str(answers_file))
    return workbook_of_answers(answers_file, data.get("formative"))


@dataclass(frozen=True)
class InProgress:
    """An answer file found in the answers folder, for the home screen."""

    path: Path
    workbook: Workbook
    person: str | None
    progress: Progress
    resume_title: str
    workbook_path: Path
    """The workbook's file: bundled, or where the answer file says a custom one lives."""


def find_in_progress(answers_dir: Path) -> tuple[list[InProgress], list[str]]:
    """Answer files in the folder, with their workbooks (bundled or custom), and why others were skipped.

    Reads without locking: this is a look, not a write. Conflict and recovery copies
    beside an answer file are not sittings of their own, so they are left out. A custom
    workbook is found where the answer file records it (see workbook_of_answers).
    """
    loaded: dict[Path, Workbook] = {b.path: b.workbook for b in bundled_workbooks()}
    found: list[InProgress] = []
    skipped: list[str] = []
    if not answers_dir.is_dir():
        return found, skipped
    for path in sorted(answers_dir.glob("*.toml")):
        if is_side_file(path):
            continue
        try:
            data = parse_toml(read_text(path, MAX_ANSWER_BYTES), str(path))
        except WorkbookError as error:
            skipped.append(str(error.problems[0]))
            continue
        try:
            workbook_path = workbook_of_answers(path, data.get("formative"))
            if workbook_path not in loaded:
                loaded[workbook_path] = load_workbook(workbook_path)
        except WorkbookError as error:
            skipped.append(str(error.problems[0]))
            continue
        workbook = loaded[workbook_path]
        try:
            store = AnswerStore.open(path, workbook, lock=False)
        except AnswerFileError as error:
            skipped.append(str(error))
            continue
        walk = Walk(workbook, store)
        step = walk.resume()
        found.append(InProgress(path, workbook, store.person, walk.progress(), step.title, workbook_path))
    return found, skipped


def workbook_for(workbook_ref: str) -> tuple[Path, Workbook]:
    path = find_workbook(workbook_ref)
    return path, load_workbook(path)
