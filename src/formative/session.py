"""A person's sitting with a workbook: which file, which answers, where they are.

The Textual app and the plain line-by-line mode both open a Session; it ties the
workbook, the answer store and the walk together and knows where answer files live.
No UI here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from formative.answers.atomic import make_private_folder
from formative.answers.git import (
    FileCommits,
    GitError,
    Outcome,
    commit_paths,
    git_off_reason,
    init_repository,
    is_committed,
    queue_for,
    work_tree,
)
from formative.answers.header import read_answer_file
from formative.answers.history import Version, day, last_sitting, last_written
from formative.answers.naming import ANSWERS_ENV as ANSWERS_ENV  # re-exported: the CLI names it
from formative.answers.naming import answers_path as answers_path  # its home is answers.naming; kept for callers
from formative.answers.naming import default_answers_dir as default_answers_dir
from formative.answers.store import AnswerFileError, AnswerStore, SaveResult, is_side_file
from formative.answers.values import AnswerValue
from formative.answers.workbook_path import note_where_workbook_lives, workbook_location, workbook_of_answers
from formative.recall import Recall
from formative.walk import Progress, RoomReader, Walk
from formative.workbook.bundled import bundled_workbooks, find_workbook
from formative.workbook.errors import WorkbookError
from formative.workbook.load import load_workbook
from formative.workbook.model import LongText, ShortText, Step, Workbook


class Session:
    """One open answer file, walked through one workbook. close() saves, commits and unlocks."""

    def __init__(
        self,
        workbook: Workbook,
        workbook_path: Path,
        store: AnswerStore,
        room: RoomReader | None = None,
        commits: FileCommits | None = None,
    ) -> None:
        self.workbook = workbook
        self.workbook_path = workbook_path
        self.store = store
        self.walk = Walk(workbook, store, room=room)
        self.recall = Recall(workbook_path.parent, store.path.parent, store.person)
        """The same person's answers to other workbooks, for prompts with 'recall'."""
        self.commits = commits
        """Commits the answer file when it sits in a git work tree (and git is on); else None."""
        self.last_time: Version | None = None
        """From the second sitting on: the answers as the sitting before left them (read from git)."""
        self.notices: list[str] = []
        """Things to tell the person once the session shows (git could not be used, say)."""

    @classmethod
    def open(
        cls,
        workbook_ref: str | Path,
        answers_dir: Path,
        person: str | None = None,
        answers_file: Path | None = None,
        room: RoomReader | None = None,
        git: bool = True,
    ) -> Session:
        """Load the workbook (bundled id or path), open its answer file and resume.

        answers_file overrides the file name made from the workbook and person. With
        git (unless turned off), a folder created here becomes a git repository, and
        the file is committed as the person goes when its folder is in a work tree;
        a workshop participant's session passes git=False (the facilitator commits).

        Raises WorkbookError, AnswerFileError or LockedError with a message for people.
        """
        path = find_workbook(str(workbook_ref))
        workbook = load_workbook(path)
        path_of_answers = answers_file or answers_path(answers_dir, workbook, person)
        created = not os.path.lexists(path_of_answers.parent)
        make_private_folder(path_of_answers.parent)
        location = workbook_location(path, path_of_answers)
        store = AnswerStore.open(path_of_answers, workbook, person, workbook_path=location)
        note_where_workbook_lives(store, path)
        session = cls(workbook, path, store, room)
        if git and git_off_reason() is None:
            session._start_history(created)
        session.walk.resume()
        return session

    def _start_history(self, created_folder: bool) -> None:
        """Find (or, in a folder made just now, make) the git repository, and last sitting's answers."""
        folder = self.path.parent
        try:
            root = work_tree(folder)
            if root is None and created_folder:
                init_repository(folder)
                root = work_tree(folder)
            if root is None:
                return
            self.commits = FileCommits(self.path, root)
            if self.store.sitting > 1:
                self.last_time = last_sitting(self.path, self.store.sitting)
        except GitError as error:
            self.notices.append(f"Your answers are saved, but git cannot keep their history here: {error}")

    @property
    def path(self) -> Path:
        return self.store.path

    def set_answer(self, step_id: str, prompt_id: str, value: AnswerValue | None) -> None:
        self.store.set(step_id, prompt_id, value)

    def answer(self, step_id: str, prompt_id: str) -> Any:
        return self.store.get(step_id, prompt_id)

    def type_into_first_answer(self, text: str) -> bool:
        """Add words typed before the step's widgets existed to its first answer, as typing there would.

        Only a text answer takes them (after what it holds, up to its length limit); returns whether
        it did. For an app closing before it could replay keys typed on its first paint.
        """
        step = self.walk.current
        first = next(iter(step.answer_prompts), None)
        if not text or not isinstance(first, ShortText | LongText):
            return False
        before = self.answer(step.id, first.id)
        value = (before if isinstance(before, str) else "") + text
        self.set_answer(step.id, first.id, value[: first.max_length] if first.max_length else value)
        return True

    def save(self) -> SaveResult:
        """Write pending answers, taking in changes made to the file on disk (see AnswerStore.sync)."""
        return self.store.sync()

    def commit_message(self, step: Step | None = None) -> str:
        step = step or self.walk.current
        return f"{self.workbook.title}: {self.walk.text(step.title)}"

    def commit(self, step: Step | None = None) -> Outcome:
        """Commit the answer file as it is on disk, named after the step (blocking: use a worker).

        Only this file, and only when it changed; nothing when the folder is not in git.
        """
        if self.commits is None:
            return Outcome()
        return self.commits.commit(self.commit_message(step))

    def close(self) -> list[str]:
        """Save, release the lock, then commit what is left; returns what the person should read.

        Commits queued by the app run first, so the history keeps their order.
        """
        self.store.close()
        if self.commits is None:
            return []
        if not self.commits.queue.wait_idle():
            return ["Git was still busy with an earlier commit; your answers are saved, not committed."]
        outcome = self.commit()
        if outcome.error:
            return [f"Your answers are saved, but were not committed: {outcome.error}"]
        return [outcome.note] if outcome.note else []

    def last_answer(self, step_id: str, prompt_id: str) -> Any:
        """What the person wrote last sitting, or None (no earlier sitting, or no answer then)."""
        return self.last_time.get(step_id, prompt_id) if self.last_time is not None else None

    @property
    def last_day(self) -> str:
        """'3 Sep 2026': when the last sitting's answers were written."""
        return day(self.last_time.when) if self.last_time is not None else ""


class SittingError(Exception):
    """A new sitting cannot begin; nothing was changed. The message says why, for people."""


def begin_sitting(
    workbook_ref: str | Path,
    answers_dir: Path,
    person: str | None = None,
    answers_file: Path | None = None,
    *,
    no_git: bool = False,
    today: date | None = None,
) -> str:
    """Start a new sitting of a workbook: keep the last one in git, then empty the answers.

    The file as it stands is committed first (it is the last sitting); only once git
    holds it are the answers cleared and `[formative] sitting = N`, `started = DATE`
    written, and that too is committed. Without git the old sitting could not be kept,
    so nothing is touched and SittingError says why. Returns what happened, in a sentence.
    Raises WorkbookError, AnswerFileError or LockedError as Session.open does.
    """
    workbook_path = find_workbook(str(workbook_ref))
    workbook = load_workbook(workbook_path)
    path = answers_file or answers_path(answers_dir, workbook, person)
    if not path.exists():
        return f"No answers to {workbook.title} yet in {path}: this is your first sitting."
    folder = path.parent
    why = "the answers of the last sitting are kept only in git"
    reason = git_off_reason(no_git)
    if reason is not None:
        raise SittingError(f"Cannot start again: {reason}, and {why}. Nothing was changed.")
    try:
        root = work_tree(folder)
    except GitError as error:
        raise SittingError(f"Cannot start again: {error}. Nothing was changed.") from None
    if root is None:
        raise SittingError(
            f"Cannot start again: {folder} is not in a git repository, and {why}. "
            f"Make it one with `git -C {folder} init`, then try again. Nothing was changed."
        )
    store = AnswerStore.open(path, workbook, person)
    try:
        return queue_for(root).run_now(lambda: _next_sitting(store, root, today or date.today()))
    finally:
        store.close()


def _next_sitting(store: AnswerStore, root: Path, today: date) -> str:
    """Commit the sitting as it stands, and only once git holds it, empty the answers and commit that."""
    title, path, number = store.workbook.title, store.path, store.sitting
    if not any(store.step_values(step_id) for step_id in store.step_ids()):
        raise SittingError(f"Sitting {number} of {title} has no answers yet: there is nothing to start again from.")
    try:
        commit_paths(root, [path], f"{title}: sitting {number}, as you left it")
        kept = is_committed(root, path)
    except GitError as error:
        raise SittingError(
            f"Cannot start again: the last sitting could not be committed ({error}). Nothing was changed."
        ) from None
    if not kept:
        raise SittingError(
            f"Cannot start again: git does not keep {path.name} (is it in .gitignore?). Nothing was changed."
        )
    store.start_sitting(number + 1, today)
    store.save()
    try:
        commit_paths(root, [path], f"{title}: sitting {number + 1} begins")
    except GitError as error:
        return f"Sitting {number + 1} of {title} begins (not committed yet: {error})."
    return f"Sitting {number + 1} of {title} begins: what you wrote last time shows beside each question."


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
    sitting: int = 1
    last_written: datetime | None = None
    """When it was last written (its last commit, else the file's time); only for workbooks with a review rhythm."""

    def due_for_review(self, now: datetime) -> bool:
        """Whether the workbook's review rhythm (review_every_days) says it is time to sit again."""
        every = self.workbook.review_every_days
        return every is not None and self.last_written is not None and (now - self.last_written).days >= every


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
            header, _ = read_answer_file(path)
        except WorkbookError as error:
            skipped.append(str(error.problems[0]))
            continue
        try:
            workbook_path = workbook_of_answers(path, header)
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
        when = last_written(path, git=git_off_reason() is None) if workbook.review_every_days else None
        found.append(
            InProgress(path, workbook, store.person, walk.progress(), step.title, workbook_path, store.sitting, when)
        )
    return found, skipped
