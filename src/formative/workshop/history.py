"""A workshop folder's history in git: the session as it happened, step by step.

The facilitator's app commits when the room moves to another step and at the End;
participants' apps never commit (one committer per folder, so no two gits race).
Each commit names its files: workshop.toml, .gitignore and the answer files in
answers/ — never `.formative/` (server secrets), presence files, locks, or the
conflict and recovery copies beside an answer file. No UI here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from formative.answers.git import (
    GitError,
    Outcome,
    commit_outcome,
    git_off_reason,
    init_repository,
    work_tree,
)
from formative.answers.store import is_side_file
from formative.workbook.model import Workbook
from formative.workshop.ending import end_files
from formative.workshop.model import ANSWERS_FOLDER, WORKSHOP_FILE, State


def _regular(path: Path) -> bool:
    """A plain file, not a link, pipe or device someone placed in the folder."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def room_files(folder: Path) -> list[Path]:
    """The files that make up the session: the workshop file, .gitignore, everyone's answer files,
    and once the coach has ended it, the report and each person's copy."""
    report, copies = end_files(folder)
    files = [folder / WORKSHOP_FILE, folder / ".gitignore", report]
    answers = folder / ANSWERS_FOLDER
    if answers.is_dir():
        files += sorted(
            p for p in answers.glob("*.toml") if not p.name.startswith(".") and not is_side_file(p) and _regular(p)
        )
    if copies.is_dir():
        files += sorted(p for p in copies.glob("*.md") if _regular(p))
    return [p for p in files if _regular(p)]


def commit_room(folder: Path, message: str, no_git: bool = False) -> Outcome:
    """Commit the session's files as they are now (blocking: the facilitator's app runs it in a worker).

    Nothing happens when git is off or the folder is in no git work tree.
    """
    if git_off_reason(no_git) is not None:
        return Outcome()
    try:
        root = work_tree(folder)
    except GitError as error:
        return Outcome(error=str(error))
    if root is None:
        return Outcome()
    return commit_outcome(root, room_files(folder), message)


def start_room_history(folder: Path, title: str, no_git: bool = False) -> str | None:
    """Make a new workshop folder a git repository (unless it is in one already) and commit it.

    Returns a sentence for the coach when git could not be used; None otherwise.
    """
    if git_off_reason(no_git) is not None:
        return None
    try:
        if work_tree(folder) is None:
            init_repository(folder, f"{title}: a new workshop folder")
    except GitError as error:
        return f"The workshop is ready, but git cannot keep its history: {error}"
    outcome = commit_room(folder, f"{title}: workshop created")
    return f"The workshop is ready, but was not committed: {outcome.error}" if outcome.error else None


def room_commit_message(title: str, workbook: Workbook, before: State, after: State) -> str | None:
    """The commit message when the facilitator's change is worth a commit: another step, or the End."""
    if after.ended is not None and before.ended is None:
        return f"{title}: the end"
    if before.step is not None and after.step != before.step:
        step = workbook.step(before.step)
        return f"{title}: {step.title if step is not None else before.step}"
    return None
