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
from formative.answers.workbook_path import note_where_workbook_lives, workbook_location, workbook_of_answers
from formative.recall import Recall
from formative.walk import Progress, RoomReader, Walk
from formative.workbook.bundled import bundled_workbooks, find_workbook
from formative.workbook.errors import WorkbookError
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
