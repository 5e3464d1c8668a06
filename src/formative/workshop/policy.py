"""Who sees what in a workshop: one place for the room's rules, used by the wall, the report and participants.

- A step shows the room its answers when it is shared, or when it holds a dot vote
  (the votes are counted for the room even on a step that is otherwise private).
- Scales, choices and dot votes are only ever shown as totals; written answers are
  shown as they are, with the person's name or without it.
- Names: the coach's choice for the step wins, then the workbook's (`named` on a
  step), then the room's default (`anonymous`, true unless the coach says otherwise).
- Without names, answers appear in a random order: random keys drawn from the
  system's random source and remembered per (step, prompt, person), so the order
  cannot be recomputed from the roster and does not jump about while the wall redraws.
- The wall shows a step's answers only once the coach reveals them (`revealed`), and
  not while so few have answered that they could be told apart (`held_back`): the
  coach's roster, often on the same projected screen, ticks who has answered.
- Participants are told all this on the step itself (`privacy_notice`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar

from formative.workbook.model import AnswerPrompt, DotVote, MultipleChoice, Scale, SingleChoice, Step
from formative.workshop.model import State

CountedPrompt = Scale | SingleChoice | MultipleChoice | DotVote
"""Prompts the room sees only as totals (a bar chart on the wall, a tally in the report), never per person."""


def shows_room(step: Step) -> bool:
    """Whether the room sees this step's results: shared steps, and any step with a dot vote."""
    return step.shared or any(isinstance(p, DotVote) for p in step.prompts)


def room_prompts(step: Step) -> list[AnswerPrompt]:
    """The prompts whose answers the room may see: all of a shared step, else only its votes."""
    return [p for p in step.answer_prompts if step.shared or isinstance(p, DotVote)]


def names_shown(state: State, step: Step) -> bool:
    """Whether this step's written answers go to the room with people's names."""
    default = step.named if step.named is not None else not state.anonymous
    return state.names.get(step.id, default)


def revealed(state: State, step: Step) -> bool:
    """Whether the wall shows this step's answers now: the coach reveals each step (r), hidden until then."""
    return step.id in state.revealed


ANONYMOUS_FLOOR = 3
"""People who must have answered before answers without names, or totals, reach the wall."""


def held_back(state: State, step: Step, people: int, captured: int = 0) -> bool:
    """Whether the wall keeps a revealed step's answers back for now: one or two people's.

    Totals of one or two people are their choices, and one answer without a name is the
    answer of the one person ticked on the roster. So totals wait for ANONYMOUS_FLOOR
    people, and written answers without names for as many sources (a line the coach
    captured for the room counts: it hides a person's card among others). Named written
    answers are not held: the names are shown anyway.
    """
    if people == 0 or people >= ANONYMOUS_FLOOR:
        return False
    if any(isinstance(p, CountedPrompt) for p in room_prompts(step)):
        return True
    return not names_shown(state, step) and people + captured < ANONYMOUS_FLOOR


WITH_NAME = "Shared with the room — with your name"
WITHOUT_NAME = "Shared with the room — without your name"


def privacy_notice(state: State, step: Step) -> str | None:
    """What a participant reads beside the prompts of a step the room sees; None on a private step."""
    if not shows_room(step):
        return None
    prompts = room_prompts(step)
    counted = [p for p in prompts if isinstance(p, CountedPrompt)]
    if len(counted) < len(prompts):
        notice = WITH_NAME if names_shown(state, step) else WITHOUT_NAME
        return notice + (" (choices and votes only as totals)" if counted else "")
    if any(isinstance(p, DotVote) for p in prompts):
        return "Your votes go to the room as totals only — nobody sees who voted for what"
    return "Shared with the room as totals only — nobody sees what you chose"


class Attributed(Protocol):
    """An answer as the room sees it: whose, and to which prompt."""

    @property
    def name(self) -> str: ...

    @property
    def prompt_id(self) -> str: ...


A = TypeVar("A", bound=Attributed)


class AnonymousOrder:
    """A random order for answers shown without names, stable while the same answers are shown.

    Each (step, prompt, person) gets a random key the first time it is shown; answers are
    sorted by it. A new answer lands at a random place and the others keep theirs, so the
    wall does not reshuffle on every redraw; a new AnonymousOrder (the next session,
    the next export) draws new keys. Keys are never derived from names.
    """

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rng = rng or random.SystemRandom()
        self._keys: dict[tuple[str, str, str], float] = {}

    def key(self, step_id: str, prompt_id: str, name: str) -> float:
        return self._keys.setdefault((step_id, prompt_id, name), self.rng.random())

    def arrange(self, step_id: str, answers: Sequence[A]) -> list[A]:
        return sorted(answers, key=lambda a: self.key(step_id, a.prompt_id, a.name))
