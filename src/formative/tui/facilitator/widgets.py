"""Small widgets of the facilitator view, each readable from the back of a room.

Every name and answer reaches the screen through `literal()`: the projector shows
exactly what people typed, never as markup and never as terminal control codes.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Digits, Static

from formative.answers.values import format_answer
from formative.tui.widgets.safe_text import literal
from formative.workshop.model import Timer
from formative.workshop.timer import clock, phase, remaining, running

CARD_LIMIT = 280
"""Characters of one answer shown on a card; the rest is cut with '…' (the report has it all)."""


def shorten(text: str, limit: int = CARD_LIMIT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class BigTimer(Digits):
    """The countdown in big digits, coloured by phase: warning near the end, error when over."""

    def show(self, timer: Timer, at: float) -> str:
        """Show the timer at time `at`; returns a word for its state ('running', 'paused', …)."""
        left = remaining(timer, at)
        idle = timer.seconds == 0 and left == 0 and not running(timer)
        now = "ok" if idle else phase(left, timer.seconds)
        self.update(clock(left))
        self.set_class(idle, "-idle")
        self.set_class(now == "warning", "-warning")
        self.set_class(now == "over", "-over")
        if idle:
            return "no timebox"
        if now == "over":
            return "time is up"
        return "running" if running(timer) else "paused"


class AnswerCard(Static):
    """One person's shared answer: the name (unless anonymous) then the text, cut if very long."""

    def show(self, name: str | None, value: object) -> None:
        text = literal(shorten(format_answer(value) if isinstance(value, list) else str(value)))
        if name is None:
            self.update(text)
        else:
            self.update(literal(name).stylize("bold $accent") + Content("  ") + text)


class AnswerCards(Vertical):
    """A column of answer cards, updated in place so a new answer adds one card, not a new page."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[tuple[str | None, object]] = []
        self.ready = False

    def on_mount(self) -> None:
        self.ready = True
        self.show(self.pending)

    def show(self, cards: list[tuple[str | None, object]]) -> None:
        if not self.ready:
            self.pending = cards
            return
        existing = list(self.query_children(AnswerCard))
        for card, (name, value) in zip(existing, cards, strict=False):
            card.show(name, value)
        for card in existing[len(cards) :]:
            card.remove()
        fresh = []
        for name, value in cards[len(existing) :]:
            card = AnswerCard()
            card.show(name, value)
            fresh.append(card)
        if fresh:
            self.mount_all(fresh)


class BarChart(Widget):
    """A horizontal bar per option, sized to the widget: for votes, scales and choices."""

    DEFAULT_CSS = """
    BarChart { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[tuple[str, int]] = []

    def show(self, rows: list[tuple[str, int]]) -> None:
        if rows != self.rows:
            self.rows = rows
            self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.rows)

    def render(self) -> RenderResult:
        width = max(self.content_region.width, 20)
        label_width = min(max((len(label) for label, _ in self.rows), default=1), max(8, width // 3))
        top = max((count for _, count in self.rows), default=0) or 1
        number_width = len(str(top)) + 1
        bar_room = max(1, width - label_width - number_width - 2)
        lines = []
        for label, count in self.rows:
            shown = label if len(label) <= label_width else label[: label_width - 1] + "…"
            bar = "█" * round(bar_room * count / top)
            line = literal(shown.ljust(label_width)) + Content(" ")
            line += Content(bar).stylize("$accent") + Content(f" {count}").stylize("bold")
            lines.append(line)
        return Content("\n").join(lines)


class Roster(Static):
    """Everyone expected or present: ✓ when they have answered this step, and steps done of all."""

    def show(self, rows: list[tuple[str, bool | None, str]]) -> None:
        """rows: (name, answered this step (None: not joined), 'n/m' steps done)."""
        done = sum(1 for _, answered, _ in rows if answered)
        joined = sum(1 for _, answered, _ in rows if answered is not None)
        lines = [Content(f"{done}/{joined} answered").stylize("bold")]
        for name, answered, steps in rows:
            if answered is None:
                lines.append(Content("· ").stylize("$text-muted") + literal(name).stylize("$text-muted"))
                continue
            mark = Content("✓ ").stylize("bold $success") if answered else Content("  ")
            lines.append(mark + literal(name) + Content(f" {steps}").stylize("$text-muted"))
        self.update(Content("\n").join(lines))
