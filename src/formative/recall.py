"""Earlier answers to another workbook, shown read-only beside a question ('recall').

A quarterly review asks "how is it going?" next to what the person wrote when they
designed the community. The answer comes from the same person's answer file for the
other workbook, in the same answers folder; it is read without a lock and never written.
No UI here: the app and plain mode show what `Recall.get` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from formative.answers.naming import answers_path
from formative.answers.store import AnswerFileError, AnswerStore
from formative.answers.values import answer_lines as answer_lines  # its home is answers.values
from formative.walk import Walk
from formative.workbook.errors import WorkbookError
from formative.workbook.linked import linked_workbook_path
from formative.workbook.load import load_workbook
from formative.workbook.model import Workbook


@dataclass(frozen=True)
class Recalled:
    """One earlier answer, ready to show: where it came from and what it says (or why not)."""

    ref: str
    """The recall as written in the workbook, 'workbook:step.prompt'."""
    workbook_title: str
    """The other workbook's title, or its id when it cannot be loaded."""
    label: str
    """The question as it was asked there ('' when unknown)."""
    lines: list[str]
    """The answer, one line per list item or paragraph line; [] when there is none."""
    missing: str | None = None
    """Why there is no answer to show, in a short sentence; None when there is one."""


def shown_path(path: Path) -> str:
    """A path as a person would type it: '~/…' under the home folder."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


class _NoAnswers:
    def get(self, step_id: str, prompt_id: str) -> None:
        return None


class Recall:
    """Looks up one person's answers to other workbooks, caching each file it reads."""

    def __init__(self, beside: Path | None, answers_dir: Path, person: str | None) -> None:
        self.beside = beside
        """The recalling workbook's folder: a linked workbook there wins over a bundled one."""
        self.answers_dir = answers_dir
        self.person = person
        self._opened: dict[str, tuple[Workbook | None, AnswerStore | None, str | None]] = {}

    def answers_file(self, workbook: Workbook) -> Path:
        return answers_path(self.answers_dir, workbook, self.person)

    def _open(self, workbook_id: str) -> tuple[Workbook | None, AnswerStore | None, str | None]:
        """The linked workbook and this person's answers to it, or a reason there are none."""
        if workbook_id in self._opened:
            return self._opened[workbook_id]
        workbook: Workbook | None = None
        store: AnswerStore | None = None
        reason: str | None = None
        path = linked_workbook_path(workbook_id, self.beside)
        if path is None:
            reason = f"No workbook called {workbook_id} was found."
        else:
            try:
                workbook = load_workbook(path, recalls=False)
            except WorkbookError:
                reason = f"The workbook {shown_path(path)} has problems, so its answers cannot be shown."
        if workbook is not None:
            answers = self.answers_file(workbook)
            if not answers.is_file():
                reason = f"No earlier answers found in {shown_path(answers)}."
            else:
                try:
                    store = AnswerStore.open(answers, workbook, lock=False)
                except AnswerFileError as error:
                    reason = f"Earlier answers could not be read: {error}"
        self._opened[workbook_id] = (workbook, store, reason)
        return self._opened[workbook_id]

    def get(self, ref: str) -> Recalled:
        """What the person wrote for 'workbook:step.prompt', or a short reason it cannot be shown."""
        workbook_id, answer = ref.split(":")
        step_id, prompt_id = answer.split(".")
        workbook, store, reason = self._open(workbook_id)
        title = workbook.title if workbook is not None else workbook_id
        step = workbook.step(step_id) if workbook is not None else None
        prompt = step.prompt(prompt_id) if step is not None else None
        label = ""
        if workbook is not None and prompt is not None:
            label = Walk(workbook, store or _NoAnswers()).text(getattr(prompt, "label", ""))
        if reason is None and store is not None:
            lines = answer_lines(store.get(step_id, prompt_id))
            if lines:
                return Recalled(ref, title, label, lines)
            reason = f"No answer to this one in {shown_path(store.path)}."
        return Recalled(ref, title, label, [], reason)
