"""The walk through a workbook: where you are, where you may go, and what is missing.

This is the whole set of navigation rules, with no UI: the Textual app, the plain
line-by-line mode and the tests all drive the same Walk. It reads answers through
any object with get(step_id, prompt_id), so it works on an AnswerStore or a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from formative.answers.values import check_answer, format_answer, is_answered
from formative.workbook.model import (
    AnswerPrompt,
    ChoiceBase,
    Condition,
    DotVote,
    Ranking,
    Section,
    ShortText,
    SingleChoice,
    Step,
    Workbook,
)
from formative.workbook.text import interpolate


class AnswerReader(Protocol):
    def get(self, step_id: str, prompt_id: str) -> Any: ...


RoomReader = Callable[[str, str], list[Any]]
"""Everyone's answers to one prompt in a workshop, for dot votes: (step_id, prompt_id) -> values."""


def answer_items(values: list[Any]) -> list[str]:
    """Answers as distinct non-blank strings: text as is, lists item by item, records by first field."""
    items: list[str] = []
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item = next(iter(item.values()), "")
            if isinstance(item, str) and item.strip():
                items.append(item.strip())
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class PromptProblem:
    """Something a person must fix before moving on, tied to one prompt."""

    step_id: str
    prompt_id: str
    message: str


@dataclass(frozen=True)
class Progress:
    position: int
    """1-based number of the current step among the visible steps."""
    visible: int
    """How many steps are visible now (hidden steps do not count)."""
    answered: int
    """How many visible steps that ask something are finished."""
    answerable: int
    """How many visible steps ask something."""

    @property
    def fraction(self) -> float:
        return self.answered / self.answerable if self.answerable else 1.0


def _condition_holds(condition: Condition, value: Any) -> bool:
    if condition.answered is not None:
        return is_answered(value) == condition.answered
    if condition.equals is not None:
        return bool(value == condition.equals)
    if condition.not_equals is not None:
        return bool(value != condition.not_equals)
    is_number = isinstance(value, int) and not isinstance(value, bool)
    if condition.at_least is not None:
        return is_number and value >= condition.at_least
    if condition.at_most is not None:
        return is_number and value <= condition.at_most
    return isinstance(value, list) and condition.includes in value


class Walk:
    """A person's position in a workbook, and the rules for moving through it."""

    def __init__(self, workbook: Workbook, answers: AnswerReader, room: RoomReader | None = None) -> None:
        self.workbook = workbook
        self.answers = answers
        self.room = room
        """In a workshop, everyone's answers; None when walking alone."""
        self.steps: list[Step] = workbook.steps
        self._index = {step.id: n for n, step in enumerate(self.steps)}
        self._section = {step.id: section for section in workbook.sections for step in section.steps}
        self.position = 0
        self.finished = False
        """True once the person moved on from the last visible step."""

    # What is where -----------------------------------------------------------------

    @property
    def current(self) -> Step:
        return self.steps[self.position]

    def section_of(self, step: Step) -> Section:
        return self._section[step.id]

    def step(self, step_id: str) -> Step:
        return self.steps[self._index[step_id]]

    def is_visible(self, step: Step) -> bool:
        if step.show_if is None:
            return True
        step_id, prompt_id = step.show_if.answer.split(".")
        return _condition_holds(step.show_if, self.answers.get(step_id, prompt_id))

    def visible_steps(self) -> list[Step]:
        return [step for step in self.steps if self.is_visible(step)]

    # Text and options -----------------------------------------------------------------

    def text(self, template: str, escape: Callable[[str], str] | None = None) -> str:
        """Workbook text with earlier answers filled in as plain text.

        escape protects the answers where the result is parsed again, e.g. as Markdown.
        """

        def answer(step_id: str, prompt_id: str) -> str:
            text = format_answer(self.answers.get(step_id, prompt_id))
            return escape(text) if escape else text

        return interpolate(template, answer)

    def options(self, prompt: AnswerPrompt) -> list[str] | None:
        """The options a choice, ranking or dot-vote prompt offers now; None for other kinds."""
        if isinstance(prompt, DotVote):
            step_id, prompt_id = prompt.options_from.split(".")
            if self.room is not None:
                return answer_items(self.room(step_id, prompt_id))
            return answer_items([self.answers.get(step_id, prompt_id)])
        if not isinstance(prompt, ChoiceBase | Ranking):
            return None
        if prompt.options is not None:
            return list(prompt.options)
        options: list[str] = []
        for source in prompt.option_sources:
            options += self._options_from(source)
        return list(dict.fromkeys(options))

    def _options_from(self, source: str) -> list[str]:
        """The options one earlier answer gives: a list's items, a records field, or one text."""
        step_id, prompt_id, *field = source.split(".")
        value = self.answers.get(step_id, prompt_id)
        if isinstance(value, str) and step_id in self._index:
            giver = self.step(step_id).prompt(prompt_id)
            value = [value] if isinstance(giver, ShortText | SingleChoice) else None
        if not isinstance(value, list):
            return []
        items = [r.get(field[0], "") if isinstance(r, dict) else r for r in value] if field else value
        return [i.strip() for i in items if isinstance(i, str) and i.strip()]

    def ranking_order(self, step: Step, prompt: Ranking) -> list[str]:
        """The ranking as it stands: the saved order of options still offered, then new ones."""
        options = self.options(prompt) or []
        saved = self.answers.get(step.id, prompt.id)
        # A hand-edited file may name an option twice: keep its first place only.
        ranked = list(dict.fromkeys(o for o in saved if o in options)) if isinstance(saved, list) else []
        return ranked + [o for o in options if o not in ranked]

    # Checks -----------------------------------------------------------------------------

    def problems(self, step: Step | None = None) -> list[PromptProblem]:
        """Every missing required answer and broken constraint on the step."""
        step = step or self.current
        found = []
        for prompt in step.answer_prompts:
            value = self.answers.get(step.id, prompt.id)
            for message in check_answer(prompt, value, self.options(prompt)):
                found.append(PromptProblem(step.id, prompt.id, message))
        return found

    def is_finished(self, step: Step) -> bool:
        """A step is finished when it has no problems and, if it asks anything, an answer."""
        if self.problems(step):
            return False
        prompts = step.answer_prompts
        return not prompts or any(is_answered(self.answers.get(step.id, p.id)) for p in prompts)

    def progress(self) -> Progress:
        visible = self.visible_steps()
        answerable = [step for step in visible if step.answer_prompts]
        return Progress(
            position=next((n for n, step in enumerate(visible, 1) if step is self.current), 1),
            visible=len(visible),
            answered=sum(1 for step in answerable if self.is_finished(step)),
            answerable=len(answerable),
        )

    # Moving -----------------------------------------------------------------------------

    def _visible_after(self, index: int, direction: int) -> int | None:
        index += direction
        while 0 <= index < len(self.steps):
            if self.is_visible(self.steps[index]):
                return index
            index += direction
        return None

    def go_next(self, force: bool = False) -> list[PromptProblem]:
        """Move on, unless the current step has problems (returned, and we stay).

        force moves on regardless, for a person who wants to come back later. Moving
        on from the last visible step sets `finished`.
        """
        problems = self.problems()
        if problems and not force:
            return problems
        following = self._visible_after(self.position, 1)
        if following is None:
            self.finished = True
        else:
            self.position = following
        return []

    def go_back(self) -> bool:
        """Go to the previous visible step; False at the first one."""
        if self.finished:
            self.finished = False
            return True
        previous = self._visible_after(self.position, -1)
        if previous is None:
            return False
        self.position = previous
        return True

    def jump(self, step_id: str) -> bool:
        """Go straight to a visible step; False if it is unknown or hidden."""
        index = self._index.get(step_id)
        if index is None or not self.is_visible(self.steps[index]):
            return False
        self.position = index
        self.finished = False
        return True

    def resume(self) -> Step:
        """Go to where the person left off: the first unfinished step that asks something.

        Notes-only steps just before it come first, so the question keeps its context.
        With everything finished, it goes to the last visible step.
        """
        visible = self.visible_steps()
        target = next((s for s in visible if s.answer_prompts and not self.is_finished(s)), None)
        if target is None:
            self.jump(visible[-1].id)
            return self.current
        index = visible.index(target)
        while index > 0 and not visible[index - 1].answer_prompts:
            index -= 1
        self.jump(visible[index].id)
        return self.current


class _NoAnswers:
    def get(self, step_id: str, prompt_id: str) -> None:
        return None


def steps_summary(workbook: Workbook) -> str:
    """'15 steps, 13 to answer' (or '11 steps' when every one asks something), for a newcomer.

    The first is the N of the step header's 'Step 1 of N', the second the N of 'n of N
    steps answered': naming both, a list of workbooks agrees with each count the person
    meets later (a page to read is a step too, with nothing to answer)."""
    progress = Walk(workbook, _NoAnswers()).progress()
    steps = f"{progress.visible} step{'' if progress.visible == 1 else 's'}"
    if progress.answerable == progress.visible:
        return steps
    return f"{steps}, {progress.answerable} to answer"
