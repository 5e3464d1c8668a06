"""What the wall shows, decided from the facilitator's state alone (no UI).

The coach's screen and the wall's mirror (`formative project`) both draw from these
answers, so the mirror shows exactly what the coach's indicator says it shows.
"""

from __future__ import annotations

from formative.workbook.model import Step, Workbook
from formative.workshop.model import State
from formative.workshop.policy import ANONYMOUS_FLOOR, names_shown, revealed, shows_room
from formative.workshop.serving import Kind, Serving

PASSCODE_SECONDS = 30.0
"""How long P shows the passcode on the wall (pressing P again hides it sooner)."""


def step_number(workbook: Workbook, step_id: str | None) -> int:
    """1-based position of the step (1 for an unknown one)."""
    ids = [step.id for step in workbook.steps]
    return ids.index(step_id) + 1 if step_id in ids else 1


def shows_join(state: State, workbook: Workbook, serving: dict[Kind, Serving]) -> bool:
    """How to join is on the wall while a server runs: on the first step, or wherever the coach shows it."""
    if not serving:
        return False
    if state.join is not None:
        return state.join
    return step_number(workbook, state.step) == 1


def toggle_join(state: State, workbook: Workbook, serving: dict[Kind, Serving]) -> State:
    return state.model_copy(update={"join": not shows_join(state, workbook, serving)})


def shows_passcode(state: State, now: float) -> bool:
    return state.passcode_until is not None and now < state.passcode_until


def toggle_passcode(state: State, now: float) -> State:
    """P: show the passcode on the wall for PASSCODE_SECONDS, or hide it now; showing it also shows how to join."""
    if shows_passcode(state, now):
        return state.model_copy(update={"passcode_until": None})
    return state.model_copy(update={"passcode_until": now + PASSCODE_SECONDS, "join": True})


def privacy_words(state: State, step: Step) -> str:
    """'anonymous' or 'with names', for shared steps; '' where nothing of this step reaches the wall."""
    if not shows_room(step):
        return ""
    return "with names" if names_shown(state, step) else "anonymous"


def wall_summary(
    state: State, step: Step, workbook: Workbook, serving: dict[Kind, Serving], now: float, *, held: bool = False
) -> str:
    """The coach's reminder of what the wall shows now: 'wall: answers shown, anonymous, join'.

    held: revealed answers kept back until more people answer (policy.held_back)."""
    parts = []
    if shows_room(step):
        shown = f"answers at {ANONYMOUS_FLOOR}" if held else "answers shown"
        parts.append(shown if revealed(state, step) else "answers hidden")
        parts.append(privacy_words(state, step))
    if shows_join(state, workbook, serving):
        parts.append("join + passcode" if shows_passcode(state, now) else "join")
    if state.ended is not None:
        parts.append("ended")
    return "wall: " + (", ".join(parts) or "the step, no answers")
