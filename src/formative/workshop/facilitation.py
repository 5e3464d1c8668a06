"""What the facilitator's keys do to the room's state, and what the room has said so far.

Pure functions over State and Room, with no UI: the facilitator view calls them and
writes the result with save_state, and tests check them without a terminal.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from formative.answers.store import AnswerStore
from formative.answers.values import is_answered
from formative.walk import Walk, answer_items
from formative.workbook.model import (
    AnswerPrompt,
    DotVote,
    ListPrompt,
    LongText,
    MultipleChoice,
    Scale,
    ShortText,
    SingleChoice,
    Step,
    Workbook,
)
from formative.workshop import timer as timers
from formative.workshop.model import State
from formative.workshop.pairs import make_groups
from formative.workshop.room import Participant, Room, SharedAnswer

ROOM_NAME = "Room"
"""The participant whose answer file holds what the facilitator types for the room."""

GROUP_SIZE = {"pair": 2, "table": 4, "group": 4}
"""People per group when the facilitator makes groups ('g'); pairs and tables are made on entering their step.

Tables of 4 with the leftovers joining the last table give tables of four to six for most rooms."""

CountedPrompt = Scale | SingleChoice | MultipleChoice | DotVote
"""Prompts the projector shows as a bar chart rather than as answer cards."""


def group_names(room: Room) -> list[str]:
    """Who can be put in a group: everyone expected or present except the room's own file."""
    return [name for name in room.names() if name != ROOM_NAME]


def enter_step(state: State, step: Step, names: list[str], seed: int | None = None) -> State:
    """Go to a step: its timebox on a stopped timer, and pairs (or tables) made if it has none yet.

    Group steps are whole-room by default (as in the bundled workshop); 'g' makes small groups.
    """
    pairs = dict(state.pairs)
    if step.mode in ("pair", "table") and not pairs.get(step.id) and len(names) > 1:
        pairs[step.id] = make_groups(names, GROUP_SIZE[step.mode], seed)
    timer = timers.set_minutes(step.timebox or 0)
    return state.model_copy(update={"step": step.id, "timer": timer, "pairs": pairs})


def neighbour(workbook: Workbook, step_id: str | None, delta: int) -> Step | None:
    """The step delta places away, or None at either end."""
    ids = [step.id for step in workbook.steps]
    index = ids.index(step_id) if step_id in ids else 0
    target = index + delta
    return workbook.steps[target] if 0 <= target < len(ids) else None


def toggle_timer(state: State, at: float) -> State:
    timer = state.timer
    changed = timers.pause(timer, at) if timers.running(timer) else timers.start(timer, at)
    return state.model_copy(update={"timer": changed})


def change_time(state: State, seconds: int, at: float) -> State:
    """Add (positive) or take off (negative) time, keeping the timer running or paused."""
    timer = state.timer
    changed = timers.add(timer, seconds, at) if seconds >= 0 else timers.take(timer, -seconds, at)
    return state.model_copy(update={"timer": changed})


def toggle_reveal(state: State, step_id: str) -> State:
    revealed = [s for s in state.revealed if s != step_id]
    if len(revealed) == len(state.revealed):
        revealed.append(step_id)
    return state.model_copy(update={"revealed": revealed})


def reshuffle(state: State, step: Step, names: list[str], seed: int | None = None) -> State:
    """New groups for this step (pairs on pair steps, small groups otherwise)."""
    size = GROUP_SIZE.get(step.mode or "group", GROUP_SIZE["group"])
    pairs = {**state.pairs, step.id: make_groups(names, size, seed)}
    return state.model_copy(update={"pairs": pairs})


def has_answered(room: Room, person: Participant, step: Step) -> bool:
    """Whether this person has answered the step: something given, nothing required missing."""
    if not any(is_answered(person.get(step.id, p.id)) for p in step.answer_prompts):
        return False
    return not Walk(room.workshop.workbook, person, room=room.values).problems(step)


def counts(room: Room, step: Step, prompt: CountedPrompt) -> list[tuple[str, int]]:
    """How many people chose each option (or voted for it), in the order the options are offered."""
    if isinstance(prompt, DotVote):
        return room.tally(step, prompt)
    if isinstance(prompt, Scale):
        options = [str(n) for n in range(prompt.min, prompt.max + 1)]
    else:
        # Options taken from each person's earlier answers differ per person: count what was chosen.
        options = list(prompt.options or answer_items(room.values(step.id, prompt.id)))
    tally: Counter[str] = Counter({option: 0 for option in options})
    other = 0
    for value in room.values(step.id, prompt.id):
        for choice in value if isinstance(value, list) else [value]:
            if str(choice) in tally:
                tally[str(choice)] += 1
            else:
                other += 1
    found = [(option, tally[option]) for option in options]
    return [*found, ("Something else", other)] if other else found


def answer_cards(room: Room, step: Step, anonymous: bool) -> list[SharedAnswer]:
    """The step's shared answers as cards; anonymous ones in an order that does not follow the roster."""
    found = [a for a in room.shared_answers(step) if not isinstance(step.prompt(a.prompt_id), CountedPrompt)]
    if anonymous:
        found.sort(key=lambda a: hashlib.sha256(f"{a.prompt_id}\0{a.name}".encode()).hexdigest())
    return found


def capture_prompt(step: Step) -> ShortText | LongText | ListPrompt | None:
    """The prompt the room's typed answers go to: the step's first text or list prompt."""
    for prompt in step.answer_prompts:
        if isinstance(prompt, ShortText | LongText | ListPrompt):
            return prompt
    return None


def add_room_answer(store: AnswerStore, step: Step, prompt: AnswerPrompt, text: str) -> None:
    """Add one typed answer: a new item in a list, a new line in text. Saves at once."""
    text = text.strip()
    if not text:
        return
    old: Any = store.get(step.id, prompt.id)
    if isinstance(prompt, ListPrompt):
        items = [str(item) for item in old] if isinstance(old, list) else []
        store.set(step.id, prompt.id, [*items, text])
    else:
        before = str(old).rstrip("\n") if is_answered(old) else ""
        store.set(step.id, prompt.id, f"{before}\n{text}" if before else text)
    store.save()


class NoAnswers:
    """An answer reader with no answers: what the room sees before any one person's answers."""

    def get(self, step_id: str, prompt_id: str) -> None:
        return None
