"""What the facilitator's keys do to the room's state, and what the room has said so far.

Pure functions over State and Room, with no UI: the facilitator view calls them and
writes the result with save_state, and tests check them without a terminal.
"""

from __future__ import annotations

import random
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
    Scale,
    ShortText,
    Step,
    Workbook,
)
from formative.workshop import timer as timers
from formative.workshop.model import State
from formative.workshop.names import same_person
from formative.workshop.pairs import Groups, add_late, draw_groups, late_arrivals, mode_of
from formative.workshop.policy import AnonymousOrder, names_shown
from formative.workshop.policy import CountedPrompt as CountedPrompt  # its home is policy; kept here for callers
from formative.workshop.room import Participant, Room, SharedAnswer

ROOM_NAME = "Room"
"""The participant whose answer file holds what the facilitator types for the room."""

DRAWN_MODES = ("pair", "table")
"""Steps whose groups are drawn on entering them; whole-room steps get small groups only on 'g'."""


def people_here(present: list[str]) -> list[str]:
    """Who can be put in a group: the people here now, never the room's own file."""
    return [name for name in present if not same_person(name, ROOM_NAME)]


def earlier_groups(state: State, step: Step, *, including_this: bool) -> list[Groups]:
    """The groups already announced: earlier steps' (and this step's, for a re-draw), to avoid repeating partners."""
    return [groups for step_id, groups in state.pairs.items() if including_this or step_id != step.id]


def enter_step(state: State, step: Step, present: list[str], rng: random.Random | None = None) -> State:
    """Go to a step: its timebox on a stopped timer, and pairs (or tables) drawn if it has none yet.

    present: the names of the people here now (from presence, see roster.present_names):
    absentees are never paired. The draw avoids partners from the groups of earlier steps
    (in state.pairs). rng: the random source (default: the system's); tests pass a seeded one.
    Group steps are whole-room by default (as in the bundled workshop); 'g' makes small groups.
    """
    pairs = dict(state.pairs)
    if step.mode in DRAWN_MODES and not pairs.get(step.id):
        history = earlier_groups(state, step, including_this=False)
        groups = draw_groups(people_here(present), mode_of(step.mode), history, rng)
        if groups:
            pairs[step.id] = groups
    timer = timers.set_minutes(step.timebox or 0)
    return state.model_copy(update={"step": step.id, "timer": timer, "pairs": pairs})


def seat_latecomers(state: State, step: Step, present: list[str], rng: random.Random | None = None) -> State:
    """Put people who arrived after the draw into a group (or draw, if there was nobody to pair before).

    The facilitator calls this when presence shows someone new on a pair or table step;
    groups already announced keep their members (see pairs.add_late). Returns the state
    unchanged when there is nothing to do, so `new is state` says nothing changed.
    """
    if step.mode not in DRAWN_MODES:
        return state
    here = people_here(present)
    groups = state.pairs.get(step.id, [])
    if not groups:
        drawn = draw_groups(here, mode_of(step.mode), earlier_groups(state, step, including_this=False), rng)
        return state.model_copy(update={"pairs": {**state.pairs, step.id: drawn}}) if drawn else state
    late = late_arrivals(groups, here)
    if not late:
        return state
    history = earlier_groups(state, step, including_this=False)
    for name in late:
        groups = add_late(groups, name, history, rng)
    return state.model_copy(update={"pairs": {**state.pairs, step.id: groups}})


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


def reshuffle(state: State, step: Step, present: list[str], rng: random.Random | None = None) -> State:
    """New groups for this step from the people here now (pairs on pair steps, tables of 4–6 otherwise).

    The re-draw avoids this step's groups as well as earlier steps' where it can.
    With fewer than two people here the step has no groups.
    """
    history = earlier_groups(state, step, including_this=True)
    groups = draw_groups(people_here(present), mode_of(step.mode), history, rng)
    pairs = {key: value for key, value in state.pairs.items() if key != step.id}
    if groups:
        pairs[step.id] = groups
    return state.model_copy(update={"pairs": pairs})


def toggle_names(state: State, step: Step) -> State:
    """The coach's key: show this step's answers with names if they were without, and the other way round."""
    return state.model_copy(update={"names": {**state.names, step.id: not names_shown(state, step)}})


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


def answer_cards(room: Room, step: Step, state: State, order: AnonymousOrder) -> list[SharedAnswer]:
    """The step's written answers as cards: in roster order when names are shown (policy.names_shown),
    else in order's random order, which stays put while the same answers are on the wall.

    The caller keeps one AnonymousOrder for as long as it shows the room (the facilitator's session).
    """
    found = [a for a in room.shared_answers(step) if not isinstance(step.prompt(a.prompt_id), CountedPrompt)]
    return found if names_shown(state, step) else order.arrange(step.id, found)


def captured_items(value: object) -> list[object]:
    """What the coach captured for the room, item by item: a list's items, a text's lines (each its own card)."""
    items = value if isinstance(value, list) else str(value).splitlines()
    return [item for item in items if str(item).strip()]


def answer_sources(answers: list[SharedAnswer]) -> tuple[int, int]:
    """(people who answered, items the coach captured for the room): what policy.held_back weighs."""
    people = len({answer.name for answer in answers if answer.name != ROOM_NAME})
    captured = sum(len(captured_items(answer.value)) for answer in answers if answer.name == ROOM_NAME)
    return people, captured


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
