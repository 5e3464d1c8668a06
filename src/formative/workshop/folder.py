"""A workshop as a folder: workshop.toml plus one answer file per participant.

One writer per file: the facilitator writes workshop.toml (guarded by the same lock
as answer files), each participant writes only their own answer file.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from formative.answers.atomic import PUBLIC_FILE, atomic_write_text, make_private_folder
from formative.answers.header import read_answer_file
from formative.answers.lock import FileLock
from formative.answers.naming import safe_stem
from formative.workbook.bundled import bundled_dir, find_workbook
from formative.workbook.errors import Problem, WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, load_workbook, parse_toml, read_text, validate_model
from formative.workbook.model import Workbook
from formative.workshop.model import ANSWERS_FOLDER, STATE_FOLDER, WORKSHOP_FILE, State, WorkshopFile, WorkshopInfo


def read_roster(path: Path) -> list[str]:
    """Names from a text file, one per line; blank lines and '#' comments are skipped."""
    names = []
    for line in read_text(path, MAX_ANSWER_BYTES).splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            names.append(name)
    return list(dict.fromkeys(names))


def create_workshop(folder: Path, workbook_ref: str, title: str | None, roster: list[str]) -> Path:
    """Write a new workshop folder; refuses to overwrite an existing workshop."""
    workbook_path = find_workbook(workbook_ref)
    workbook = load_workbook(workbook_path)
    path = folder / WORKSHOP_FILE
    if path.exists():
        raise WorkbookError([Problem(str(path), "a workshop already exists here; choose another folder")])
    folder.mkdir(parents=True, exist_ok=True)
    make_private_folder(folder / ANSWERS_FOLDER)
    bundled = workbook_path.parent == bundled_dir()
    reference = workbook.id if bundled else os.path.relpath(workbook_path.resolve(), folder.resolve())
    data = WorkshopFile(
        workshop=WorkshopInfo(title=title or workbook.title, workbook=reference),
        roster=roster,
        state=State(step=workbook.steps[0].id),
    )
    write_gitignore(folder)
    # Public like a workbook: it holds no answers, only the title, the roster's names
    # (which the room sees on the wall) and the facilitator's state; answers/ is private.
    atomic_write_text(path, render_workshop(data), new_mode=PUBLIC_FILE)
    return path


GITIGNORE_LINES = {
    ".*.lock": "lock files: one sits beside each file an app has open",
    ".*.tmp": "half-written files a crash can leave behind",
    f"{STATE_FOLDER}/": "the SSH host key and other server secrets (formative serve)",
}
"""What a workshop folder keeps out of git, and why (each reason is written above its line)."""


def write_gitignore(folder: Path) -> Path:
    """Make folder/.gitignore ignore GITIGNORE_LINES, adding only the lines it lacks."""
    path = folder / ".gitignore"
    text = read_text(path, MAX_ANSWER_BYTES) if os.path.lexists(path) else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [(pattern, why) for pattern, why in GITIGNORE_LINES.items() if pattern not in present]
    if missing:
        lines = [f"# Formative: {why}\n{pattern}\n" for pattern, why in missing]
        separator = "\n" if text and not text.endswith("\n") else ""
        atomic_write_text(path, text + separator + "".join(lines), new_mode=PUBLIC_FILE)
    return path


def state_folder(workshop_dir: Path) -> Path:
    """WORKSHOP/.formative, for the server's host key and secrets: made 0700, ignored by git.

    Its own .gitignore of "*" keeps everything in it out of git even in a workshop
    folder that has no .gitignore of its own (made before Formative wrote one, or
    copied without it), the way tool caches such as pytest's protect themselves.
    """
    folder = workshop_dir / STATE_FOLDER
    make_private_folder(folder)
    ignore = folder / ".gitignore"
    if not os.path.lexists(ignore):
        text = "# Formative: server secrets live here; never commit them.\n*\n"
        atomic_write_text(ignore, text, new_mode=PUBLIC_FILE)
    return folder


def render_workshop(data: WorkshopFile) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("A Formative workshop. The facilitator's app rewrites [state]; edit the rest freely."))
    doc.add(tomlkit.nl())
    dumped = data.model_dump(mode="json", exclude_none=True)
    doc["workshop"] = dumped["workshop"]
    roster = tomlkit.array()
    roster.extend(dumped["roster"])
    doc["roster"] = roster.multiline(len(dumped["roster"]) > 3)
    doc["state"] = dumped["state"]
    return doc.as_string()


def load_workshop_file(path: Path) -> WorkshopFile:
    text = read_text(path, MAX_ANSWER_BYTES)
    return validate_model(WorkshopFile, parse_toml(text, str(path)), text, str(path))


@dataclass
class Workshop:
    """An open workshop folder: its file, its workbook, and where answers go."""

    folder: Path
    data: WorkshopFile
    workbook: Workbook
    workbook_path: Path

    @classmethod
    def open(cls, folder: Path) -> Workshop:
        path = folder / WORKSHOP_FILE
        if not os.path.lexists(path):  # anything else there gets the safe reader's own words
            raise WorkbookError([Problem(str(path), "no workshop here; create one with `formative workshop new`")])
        data = load_workshop_file(path)
        ref = data.workshop.workbook
        local = folder / ref
        workbook_path = local if local.suffix == ".toml" and os.path.lexists(local) else find_workbook(ref)
        return cls(folder, data, load_workbook(workbook_path), workbook_path)

    @property
    def path(self) -> Path:
        return self.folder / WORKSHOP_FILE

    @property
    def answers_dir(self) -> Path:
        return self.folder / ANSWERS_FOLDER

    @property
    def state(self) -> State:
        return self.data.state

    def reload(self) -> bool:
        """Re-read workshop.toml if it changed; returns whether the state changed."""
        try:
            fresh = load_workshop_file(self.path)
        except WorkbookError:
            return False  # a half-edited file: keep the last good state
        changed = fresh != self.data
        self.data = fresh
        return changed

    def participant_file(self, name: str) -> Path:
        """This person's answer file: a safe name, never another person's file.

        Two names that make the same file name ("Ana" and "Ana!") get -2, -3, …: an
        existing file belongs to whoever its [formative] person says (ignoring case,
        so "ada" over SSH and "Ada" in a terminal are one person).
        """
        stem = safe_stem(name)
        candidate, number = stem, 2
        while True:
            path = self.answers_dir / f"{candidate}.toml"
            owner = _person_in(path)
            if owner is None or owner.casefold() == name.casefold():
                return path
            candidate, number = f"{stem}-{number}", number + 1


def _person_in(path: Path) -> str | None:
    """The person an existing answer file belongs to; None when the file is free.

    Anything at the path that is not a readable answer file (a named pipe, a broken
    link, a folder, broken TOML) belongs to nobody we know: it is taken, never reused.
    """
    if not os.path.lexists(path):
        return None
    try:
        header, _ = read_answer_file(path)
    except WorkbookError:
        return "\0unreadable"  # never reuse a file we cannot read
    person = header.person if header else None
    return person if person is not None else "\0unknown"


class FacilitatorLock:
    """The facilitator's claim on workshop.toml: a second facilitator is refused."""

    def __init__(self, workshop: Workshop) -> None:
        self._lock = FileLock(workshop.path)
        self._lock.acquire()

    def release(self) -> None:
        self._lock.release()


def save_state(workshop: Workshop, state: State) -> None:
    """Write the facilitator's state, keeping the rest of the file as the coach wrote it."""
    path = workshop.path
    text = read_text(path, MAX_ANSWER_BYTES)
    parse_toml(text, str(path))  # a hand-broken file gets a located error before tomlkit sees it
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as error:
        raise WorkbookError([Problem(str(path), f"TOML syntax: {error}")]) from None
    doc["state"] = state.model_dump(mode="json", exclude_none=True)
    atomic_write_text(path, doc.as_string())
    workshop.data = workshop.data.model_copy(update={"state": state})


def now() -> float:
    """Wall-clock time shared by every process on the machine (timers end at the same moment)."""
    return time.time()
