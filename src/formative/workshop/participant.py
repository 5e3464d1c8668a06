"""A participant's side of a workshop: their own answer file, the room for dot votes, and the bar they read."""

from __future__ import annotations

from typing import Literal

from formative.session import Session
from formative.walk import Walk
from formative.workbook.model import Step
from formative.workshop.folder import Workshop
from formative.workshop.model import State
from formative.workshop.pairs import group_line
from formative.workshop.room import Room
from formative.workshop.timer import clock, phase, remaining, running

Phase = Literal["ok", "warning", "over"]


def open_participant(workshop: Workshop, person: str, room: Room | None = None) -> Session:
    """Open this person's session: only their own file, named safely from their name.

    The room (everyone's answer files, read only) supplies the options of dot votes.
    Participants never commit: the facilitator's app commits the whole folder (git=False).
    """
    if room is None:
        room = Room(workshop)
        room.refresh()
    return Session.open(
        str(workshop.workbook_path),
        workshop.answers_dir,
        person,
        answers_file=workshop.participant_file(person),
        room=room.values,
        git=False,
    )


def follow_room(walk: Walk, state: State) -> bool:
    """Move the walk to the facilitator's step when they lead the pace; returns whether it moved.

    A participant's app opens there (its first paint too) and follows each change of step.
    """
    if state.pace != "lead" or state.step is None or state.step == walk.current.id:
        return False
    return walk.jump(state.step)


def bar_line(state: State, step: Step, person: str, now: float) -> tuple[str, Phase]:
    """The participant's one-line view of the room, and the timer's phase for its colour.

    'Following the facilitator  ·  Pair with Ben  ·  3:12 left'. The time shows only on
    the step the room is on, while a timer is set.
    """
    parts = []
    if state.pace == "lead":
        parts.append("Following the facilitator" if state.step == step.id else "The room is elsewhere")
    else:
        parts.append("Your own pace")
    if step.mode == "solo":
        parts.append("Solo")
    elif step.mode:
        parts.append(group_line(state.pairs.get(step.id, []), person, step.mode))
    timer = state.timer
    shown: Phase = "ok"
    if state.step == step.id and (running(timer) or timer.remaining):
        left = remaining(timer, now)
        colour = phase(left, timer.seconds)
        shown = "over" if colour == "over" else "warning" if colour == "warning" else "ok"
        parts.append(f"{clock(left)} left" + ("" if running(timer) else " (paused)") if left else "Time is up")
    return "  ·  ".join(parts), shown


def next_tick(state: State, step: Step, now: float) -> float | None:
    """Seconds until the bar's time next changes, or None when it cannot (no timer running here)."""
    timer = state.timer
    if state.step != step.id or not running(timer):
        return None
    left = remaining(timer, now)
    if left <= 0:
        return None
    return (left - int(left)) or 1.0
