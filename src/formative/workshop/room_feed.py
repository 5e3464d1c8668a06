"""The coach's live picture of the room, kept up to date from change notifications.

The facilitator's screen (and the wall's mirror) watch the workshop folder (watch.py)
and hand every batch of changed paths to `RoomFeed.apply`, which re-reads only what
changed: workshop.toml, an answer file, one presence file, a server's serving file.
What each screen then redraws depends on what `apply` says changed. A slow `sweep`
(every few seconds) catches what no event reports: an app killed without removing its
presence file goes stale by time alone, and a missed event costs a few stat calls.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from formative.workbook.model import Step
from formative.workshop.facilitation import ROOM_NAME, has_answered
from formative.workshop.folder import Workshop
from formative.workshop.model import STATE_FOLDER, WORKSHOP_FILE
from formative.workshop.names import same_person
from formative.workshop.presence import PRESENCE_FOLDER, Seen, read_one, read_presence
from formative.workshop.room import Room
from formative.workshop.roster import RosterRow, roster_rows
from formative.workshop.serving import Kind, Serving, read_serving


@dataclass(frozen=True)
class Changed:
    """What a batch of file changes touched."""

    state: bool = False
    """workshop.toml now says something else (the coach moved on, revealed, …)."""
    answers: bool = False
    presence: bool = False
    serving: bool = False

    def __or__(self, other: Changed) -> Changed:
        return Changed(
            self.state or other.state,
            self.answers or other.answers,
            self.presence or other.presence,
            self.serving or other.serving,
        )

    def __bool__(self) -> bool:
        return self.state or self.answers or self.presence or self.serving


def _resolved(path: Path) -> Path:
    with contextlib.suppress(OSError):
        return path.resolve()
    return path


class RoomFeed:
    """The room's answers, who is here, and how to join, as of the last change."""

    def __init__(self, workshop: Workshop, room: Room) -> None:
        self.workshop = workshop
        self.room = room
        self.presence: dict[str, Seen] = {}
        self.serving: dict[Kind, Serving] = {}
        self._folder = _resolved(workshop.folder)
        self._answers = _resolved(workshop.answers_dir)
        self._answered: tuple[str, set[str]] | None = None
        """(step id, names who answered it): answers change far less often than presence does."""
        self._workshop_mtime = self._mtime()

    def watched(self) -> list[Path]:
        """The folders to watch: the workshop (workshop.toml, .formative/) and answers (with .presence/)."""
        return [self.workshop.folder, self.workshop.answers_dir]

    def load(self) -> None:
        self.room.refresh()
        self.presence = read_presence(self.workshop.answers_dir)
        self.serving = read_serving(self.workshop.folder)
        self._answered = None

    def _mtime(self) -> int:
        try:
            return self.workshop.path.stat().st_mtime_ns
        except OSError:
            return 0

    def saved(self) -> None:
        """The coach's app has just written workshop.toml: its own event needs no re-read."""
        self._workshop_mtime = self._mtime()

    def _reload_state(self) -> bool:
        mtime = self._mtime()
        if mtime == self._workshop_mtime:
            return False
        self._workshop_mtime = mtime
        return self.workshop.reload()

    def apply(self, paths: set[Path]) -> Changed:
        """Re-read what these changed paths hold; returns what changed for the screen."""
        state = presence = serving = False
        answers: list[Path] = []
        for path in paths:
            parent, name = _resolved(path.parent), path.name
            if name.startswith(".") or not name.endswith(".toml"):
                continue  # lock files, half-written temporary files
            if parent == self._folder and name == WORKSHOP_FILE:
                state = True
            elif parent == self._answers:
                answers.append(path)
            elif parent == self._answers / PRESENCE_FOLDER:
                presence = self._presence_file(path) or presence
            elif parent == self._folder / STATE_FOLDER and name.startswith("serving-"):
                serving = True
        changed = Changed()
        if state:
            changed |= Changed(state=self._reload_state())
        if answers and self.room.refresh(answers):  # those files alone: 30 people, one typing, one read
            self._answered = None
            changed |= Changed(answers=True)
        if presence:
            changed |= Changed(presence=True)
        if serving:
            changed |= Changed(serving=self._reread_serving())
        return changed

    def _presence_file(self, path: Path) -> bool:
        seen = read_one(path)
        before = self.presence.get(path.stem)
        if seen is None:
            return self.presence.pop(path.stem, None) is not None
        self.presence[path.stem] = seen
        return before is None or (before.name, before.step, before.arrived) != (seen.name, seen.step, seen.arrived)

    def _reread_serving(self) -> bool:
        fresh = read_serving(self.workshop.folder)
        changed = fresh != self.serving
        self.serving = fresh
        return changed

    def sweep(self) -> Changed:
        """The slow look: everything, for what no event said (a killed app, a missed event)."""
        state = self._reload_state()
        answers = self.room.refresh()
        if answers:
            self._answered = None
        presence = read_presence(self.workshop.answers_dir)
        moved = {k: (s.name, s.step, s.arrived) for k, s in presence.items()} != {
            k: (s.name, s.step, s.arrived) for k, s in self.presence.items()
        }
        self.presence = presence
        return Changed(state, answers, moved, self._reread_serving())

    def answered(self, step: Step) -> set[str]:
        """Names of the people who have answered this step (something given, nothing required missing)."""
        if self._answered is None or self._answered[0] != step.id:
            names = set()
            for person in self.room.participants:
                if same_person(person.name, ROOM_NAME):
                    continue
                if has_answered(self.room, person, step):
                    names.add(person.name)
            self._answered = (step.id, names)
        return self._answered[1]

    def rows(self, step: Step, now: float) -> list[RosterRow]:
        """Everyone expected or present, with who is here and who has answered the step."""
        return roster_rows(self.room, self.presence, step, now, answered=self.answered(step))
