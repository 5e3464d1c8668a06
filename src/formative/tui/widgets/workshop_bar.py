"""The participant's view of the room: what mode, how long is left, who to work with."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from formative.tui.widgets.safe_text import literal
from formative.workbook.model import Step
from formative.workshop.model import State
from formative.workshop.pairs import partners
from formative.workshop.timer import clock, phase, remaining, running

MODE_WORDS = {"solo": "Solo", "pair": "Pair", "table": "Table", "group": "Group"}


class WorkshopBar(Static):
    """One line under the header, refreshed every second; in the warning colour near the end."""

    DEFAULT_CSS = """
    WorkshopBar { height: 1; padding: 0 1; background: $boost; color: $text; }
    WorkshopBar.-warning { color: $warning; text-style: bold; }
    WorkshopBar.-over { color: $error; text-style: bold; }
    """

    def __init__(self, person: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.person = person
        self.state: State | None = None
        self.step: Step | None = None
        self.now = 0.0

    def show(self, state: State, step: Step, now: float) -> None:
        self.state, self.step, self.now = state, step, now
        self.update(self.describe())

    def describe(self) -> Content:
        state, step = self.state, self.step
        if state is None or step is None:
            return Content("")
        parts = []
        if state.pace == "lead":
            parts.append("Following the facilitator" if state.step == step.id else "The room is elsewhere")
        else:
            parts.append("Your own pace")
        if step.mode:
            mode = MODE_WORDS[step.mode]
            others = partners(state.pairs.get(step.id, []), self.person)
            parts.append(f"{mode} with {', '.join(others)}" if others else mode)
        timer = state.timer
        if state.step == step.id and (running(timer) or timer.remaining):
            left = remaining(timer, self.now)
            self.set_class(phase(left, timer.seconds) == "warning", "-warning")
            self.set_class(phase(left, timer.seconds) == "over", "-over")
            parts.append(f"{clock(left)} left" + ("" if running(timer) else " (paused)") if left else "Time is up")
        else:
            self.set_class(False, "-warning")
            self.set_class(False, "-over")
        return literal("  ·  ".join(parts))
