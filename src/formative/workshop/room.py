"""The room: every participant's answer file, read (never written) by the facilitator and by dot votes.

Files are re-read only when their size or modification time changes, and a caller that
was told which files changed (a change notification) can ask for just those: a
participant's app never re-scans the folder. A file caught half written or hand-broken
keeps its last good answers.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formative.answers.header import read_answer_file
from formative.answers.store import is_side_file
from formative.answers.values import is_answered
from formative.walk import Walk, answer_items
from formative.workbook.errors import Problem, WorkbookError
from formative.workbook.load import MAX_ANSWER_BYTES, check_regular
from formative.workbook.model import DotVote, Step
from formative.workshop.folder import Workshop
from formative.workshop.policy import room_prompts as room_prompts  # their home is policy; kept here for callers
from formative.workshop.policy import shows_room as shows_room


@dataclass
class Participant:
    name: str
    path: Path
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    signature: tuple[int, int] = (0, 0)

    def get(self, step_id: str, prompt_id: str) -> Any:
        return self.answers.get(step_id, {}).get(prompt_id)


@dataclass(frozen=True)
class SharedAnswer:
    """One person's answer to a prompt of a shared step, ready to show (or hide the name)."""

    name: str
    prompt_id: str
    value: Any


def _where(problem: Problem) -> str:
    """A problem's message, with its line when it has one (the file is named beside it)."""
    return f"{problem.message} (line {problem.line})" if problem.line else problem.message


def _read_participant(path: Path, signature: tuple[int, int]) -> Participant:
    """One answer file, read through the safe reader; WorkbookError when it is not one."""
    header, answers = read_answer_file(path)
    if header is None:
        raise WorkbookError([Problem(str(path), "not a Formative answer file (no [formative] table)")])
    if not isinstance(answers, dict) or not all(isinstance(v, dict) for v in answers.values()):
        raise WorkbookError([Problem(str(path), "'answers' must hold one table per step, as [answers.STEP_ID]")])
    return Participant(header.person or path.stem, path, answers, signature)


def skipped_summary(problems: dict[Path, str]) -> str:
    """One line for the facilitator: '1 file in answers/ skipped: evil.toml: this is a named pipe …'."""
    if not problems:
        return ""
    noun = "file" if len(problems) == 1 else "files"
    details = "; ".join(f"{path.name}: {message}" for path, message in sorted(problems.items()))
    return f"{len(problems)} {noun} in answers/ skipped: {details}"


class Room:
    """Everyone in the workshop, as their answer files say."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self._people: dict[Path, Participant] = {}
        self._failed: dict[Path, tuple[tuple[int, int], str]] = {}
        self.problems: dict[Path, str] = {}
        """Files in answers/ that were skipped, and why: shown to the facilitator."""

    def refresh(self, changed: Iterable[Path] | None = None) -> bool:
        """Re-read changed answer files; returns whether anything changed.

        changed: the paths a change notification named (only those inside the answers
        folder count, by name); None looks at every file in the folder. A participant
        following the room reads just the files that changed, never the whole folder.

        A file that cannot be an answer file (a named pipe, a link to a device, too large,
        not TOML, someone else's format) is skipped without being read whole, and named
        in problems. A good file that turns bad keeps its last good answers.
        """
        folder = self.workshop.answers_dir
        problems = dict(self.problems)
        if changed is None:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
            paths = [path for path in paths if not is_side_file(path)]
            gone = (set(self._people) | set(self._failed) | set(problems)) - set(paths)
            problems = {}
        else:
            names = {path.name for path in changed if path.suffix == ".toml" and not path.name.startswith(".")}
            paths = [folder / name for name in sorted(names) if not is_side_file(folder / name)]
            gone = {path for path in paths if not os.path.lexists(path)}
            paths = [path for path in paths if path not in gone]
        updated = False
        for path in paths:
            problems.pop(path, None)
            result = self._read(path)
            if isinstance(result, str):
                problems[path] = result
            else:
                updated = result or updated
        for path in gone:
            updated = self._people.pop(path, None) is not None or updated
            self._failed.pop(path, None)
            problems.pop(path, None)
        updated = updated or problems != self.problems
        self.problems = problems
        return updated

    def _read(self, path: Path) -> bool | str:
        """Re-read one file if its signature changed: whether it changed, or the problem that skips it."""
        try:
            info = check_regular(path, MAX_ANSWER_BYTES)
        except WorkbookError as error:
            if not os.path.lexists(path):  # removed since the folder was listed
                self._failed.pop(path, None)
                return self._people.pop(path, None) is not None
            return _where(error.problems[0])
        signature = (info.st_mtime_ns, info.st_size)
        known = self._people.get(path)
        if known is not None and known.signature == signature:
            return False
        failed = self._failed.get(path)
        if failed is not None and failed[0] == signature:
            return failed[1]
        try:
            person = _read_participant(path, signature)
        except WorkbookError as error:
            problem = _where(error.problems[0])
            self._failed[path] = (signature, problem)
            return problem
        self._failed.pop(path, None)
        self._people[path] = person
        return True

    @property
    def participants(self) -> list[Participant]:
        """Roster order first, then anyone else by name."""
        order = {name: n for n, name in enumerate(self.workshop.data.roster)}
        return sorted(self._people.values(), key=lambda p: (order.get(p.name, len(order)), p.name.casefold()))

    def names(self) -> list[str]:
        """Everyone expected or present, roster first."""
        present = [p.name for p in self.participants]
        return list(dict.fromkeys([*self.workshop.data.roster, *present]))

    def values(self, step_id: str, prompt_id: str) -> list[Any]:
        """Everyone's answers to one prompt (for dot-vote options)."""
        return [p.get(step_id, prompt_id) for p in self.participants if is_answered(p.get(step_id, prompt_id))]

    def shared_answers(self, step: Step) -> list[SharedAnswer]:
        """Answers to a step's prompts, person by person, in roster order."""
        found = []
        for person in self.participants:
            for prompt in room_prompts(step):
                value = person.get(step.id, prompt.id)
                if is_answered(value):
                    found.append(SharedAnswer(person.name, prompt.id, value))
        return found

    def tally(self, step: Step, prompt: DotVote) -> list[tuple[str, int]]:
        """Votes per option, most first; options nobody voted for are listed with 0.

        A hand-edited file counts as the widget would let it: its first `votes` votes,
        at most `max_per_option` of them on one answer.
        """
        options = answer_items(self.values(*prompt.options_from.split(".")))
        counts: Counter[str] = Counter({option: 0 for option in options})
        per_option = prompt.max_per_option or prompt.votes
        for person in self.participants:
            votes = person.get(step.id, prompt.id)
            if not isinstance(votes, list):
                continue
            mine: Counter[str] = Counter()
            for vote in votes[: prompt.votes]:
                if isinstance(vote, str) and vote in counts and mine[vote] < per_option:
                    mine[vote] += 1
            counts.update(mine)
        return sorted(counts.items(), key=lambda item: (-item[1], options.index(item[0])))

    def progress(self, person: Participant) -> tuple[int, int, str]:
        """(finished steps, steps that ask something, title of the step they would resume at)."""
        walk = Walk(self.workshop.workbook, person, room=self.values)
        progress = walk.progress()
        return progress.answered, progress.answerable, walk.resume().title
