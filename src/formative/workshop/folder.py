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

from formative.answers.atomic import atomic_write_text
from formative.answers.lock import FileLock
from formative.answers.naming import safe_stem
from formative.workbook.bundled import bundled_dir, find_workbook
from formative.workbook.errors import Problem, WorkbookError
from formative.workbook.load import load_workbook, parse_toml, read_text, validate_model
from formative.workbook.model import Workbook
from formative.workshop.model import ANSWERS_FOLDER, WORKSHOP_FILE, State, WorkshopFile, WorkshopInfo


def read_roster(path: Path) -> list[str]:
    """Names from a text file, one per line; blank lines and '#' comments are skipped."""
    names = []
    for line in read_text(path).splitlines():
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
    (folder / ANSWERS_FOLDER).mkdir(exist_ok=True)
    bundled = workbook_path.parent == bundled_dir()
    reference = workbook.id if bundled else os.path.relpath(workbook_path.resolve(), folder.resolve())
    data = WorkshopFile(
        workshop=WorkshopInfo(title=title or workbook.title, workbook=reference),
        roster=roster,
        state=State(step=workbook.steps[0].id),
    )
    atomic_write_text(path, render_workshop(data))
    return path


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
    text = read_text(path)
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
        if not path.is_file():
            raise WorkbookError([Problem(str(path), "no workshop here; create one with `formative workshop new`")])
        data = load_workshop_file(path)
        ref = data.workshop.workbook
        local = folder / ref
        workbook_path = local if local.suffix == ".toml" and local.is_file() else find_workbook(ref)
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
    """The person an existing answer file belongs to; None when the file is free."""
    if not path.exists():
        return None
    try:
        data = parse_toml(read_text(path), str(path))
    except WorkbookError:
        return "\0unreadable"  # never reuse a file we cannot read
    meta = data.get("formative")
    person = meta.get("person") if isinstance(meta, dict) else None
    return str(person) if person is not None else "\0unknown"


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
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    doc["state"] = state.model_dump(mode="json", exclude_none=True)
    atomic_write_text(path, doc.as_string())
    workshop.data = workshop.data.model_copy(update={"state": state})


def now() -> float:
    """Wall-clock time shared by every process on the machine (timers end at the same moment)."""
    return time.time()
