"""The participant's view of the room: pace, who to work with, how long is left, and what is shared.

Both lines repaint only when their text changes, and without a layout of the screen
(`Static.update(..., layout=False)`): a keystroke or an idle second costs them nothing.
The bar wakes once a second only while the room's timer runs on this step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from formative.tui.widgets.safe_text import literal
from formative.workbook.model import Step
from formative.workshop.folder import now
from formative.workshop.model import State
from formative.workshop.participant import Phase, bar_line, next_tick
from formative.workshop.policy import privacy_notice


class WorkshopBar(Static):
    """One line under the header; in the warning colour near the end of the timer."""

    DEFAULT_CSS = """
    WorkshopBar { height: 1; padding: 0 1; background: $boost; color: $text; }
    WorkshopBar.-warning { color: $warning; text-style: bold; }
    WorkshopBar.-over { color: $error; text-style: bold; }
    """

    line: var[tuple[str, Phase]] = var(("", "ok"))
    """What the bar shows; its watcher repaints the bar, and only when it changed."""

    def __init__(self, person: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.person = person
        self.state: State | None = None
        self.step: Step | None = None
        self.clock: Callable[[], float] = now
        """Wall-clock time, as the facilitator's timer uses it (a test may drive its own)."""
        self._tick: Timer | None = None

    def show(self, state: State, step: Step) -> None:
        """Show the room's state for this step; cheap to call again with nothing changed."""
        self.state, self.step = state, step
        self._update()

    def _update(self) -> None:
        if self.state is None or self.step is None:
            return
        at = self.clock()
        self.line = bar_line(self.state, self.step, self.person, at)
        if self._tick is not None:
            self._tick.stop()
            self._tick = None
        delay = next_tick(self.state, self.step, at)
        if delay is not None:
            self._tick = self.set_timer(delay + 0.01, self._update)

    def watch_line(self, line: tuple[str, Phase]) -> None:
        text, phase = line
        self.set_class(phase == "warning", "-warning")
        self.set_class(phase == "over", "-over")
        self.update(literal(text), layout=False)


class PrivacyBadge(Static):
    """A line on every step the room sees: shared with or without your name, or only as totals."""

    DEFAULT_CSS = """
    PrivacyBadge { height: auto; padding: 0 1; color: $text-accent; text-style: bold; display: none; }
    PrivacyBadge.-shown { display: block; }
    """

    notice: var[str | None] = var(None)
    """The words shown (policy.privacy_notice); None hides the line."""

    def watch_notice(self, notice: str | None) -> None:
        self.set_class(notice is not None, "-shown")
        self.update(literal(f"◆ {notice}" if notice else ""))


def show_room(screen: Screen[Any], state: State, step: Step) -> None:
    """A participant's bar and privacy badge on screen, as the room's state says for step."""
    screen.query_one(WorkshopBar).show(state, step)
    screen.query_one(PrivacyBadge).notice = privacy_notice(state, step)
