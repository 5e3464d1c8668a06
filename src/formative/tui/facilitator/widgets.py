"""Widgets of the wall, each readable from the back of a room and each redrawn only when it changes.

What each shows is a Textual reactive: setting the same value again draws nothing, and
a new value lays the screen out only where the widget's size can change with it.
Every name and answer reaches the screen through `literal()`: the projector shows
exactly what people typed, never as markup and never as terminal control codes.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.containers import Grid
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Digits, Static

from formative.answers.values import format_answer
from formative.tui.facilitator.blockfont import wrap_blocks
from formative.tui.widgets.safe_text import literal
from formative.workshop.model import RoomTimer
from formative.workshop.timer import clock, phase, remaining, running

CARD_LIMIT = 280
"""Characters of one answer shown on a card; the rest is cut with '…' (the report has it all)."""
CARD_WIDTH = 36
"""The narrowest a column of cards may be: below it, fewer columns."""


def shorten(text: str, limit: int = CARD_LIMIT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def columns_for(width: int, narrowest: int = CARD_WIDTH, most: int = 4) -> int:
    return max(1, min(most, width // narrowest))


class Words(Static):
    """A line (or a few) of text held in a reactive: the same words again draw nothing.

    fixed: the widget's size never follows its words (one line, cut with '…'), so new
    words repaint it alone; otherwise they lay the screen out, as they may wrap or widen.
    """

    words: var[Content] = var(Content(""))

    def __init__(self, *, fixed: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.fixed = fixed

    def watch_words(self, words: Content) -> None:
        self.update(words, layout=not self.fixed)


class BigTimer(Digits):
    """The countdown in big digits, coloured by phase: warning near the end, error when over."""

    reading: var[tuple[str, str]] = var(("0:00", "ok"))
    """(the digits, the phase: ok, warning, over or idle)."""

    def show(self, timer: RoomTimer, at: float) -> str:
        """Show the timer at time `at`; returns a word for its state ('running', 'paused', …)."""
        left = remaining(timer, at)
        idle = timer.seconds == 0 and left == 0 and not running(timer)
        self.reading = (clock(left), "idle" if idle else phase(left, timer.seconds))
        if idle:
            return "no timebox"
        if self.reading[1] == "over":
            return "time is up"
        return "running" if running(timer) else "paused"

    def watch_reading(self, reading: tuple[str, str]) -> None:
        """Digits.update lays out again only when the width changes: a second is a repaint."""
        digits, now = reading
        self.update(digits)
        for name in ("idle", "warning", "over"):
            self.set_class(now == name, f"-{name}")


class BigText(Widget):
    """A title in block letters as tall as the timer's digits, or in bold when it would not fit.

    big_lines: how many lines of block letters it may take (each three rows); 0 never.
    tall_enough: the screen height below which it stays in bold, to leave room for answers.
    A second line of block letters is used only from TWO_LINES_FROM rows.
    """

    TWO_LINES_FROM = 40

    DEFAULT_CSS = """
    BigText { height: auto; }
    """

    text: reactive[Content] = reactive(Content(""), layout=True)
    """The words; a new title may take another number of lines, so it lays the screen out."""

    def __init__(
        self, *, big_lines: int = 1, tall_enough: int = 0, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.big_lines = big_lines
        self.tall_enough = tall_enough

    def blocks(self, width: int) -> list[str] | None:
        height = self.app.size.height
        if self.big_lines < 1 or height < self.tall_enough:
            return None
        return wrap_blocks(self.text.plain, width, self.big_lines if height >= self.TWO_LINES_FROM else 1)

    @property
    def is_big(self) -> bool:
        return self.blocks(self.content_region.width) is not None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        blocks = self.blocks(width)
        if blocks is not None:
            return len(blocks)
        return max(1, len(self.text.wrap(max(width, 1))))

    def render(self) -> RenderResult:
        blocks = self.blocks(self.content_region.width)
        if blocks is None:
            return self.text
        return Content("\n".join(blocks))


Card = tuple[str | None, object]
"""(the name, or None when anonymous; the answer)."""


class AnswerCard(Static):
    """One person's shared answer: the name (unless anonymous) then the text, cut if very long."""

    card: var[Card] = var((None, ""), init=False)

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card

    def watch_card(self, card: Card) -> None:
        name, value = card
        text = literal(shorten(format_answer(value) if isinstance(value, list) else str(value)))
        self.update(text if name is None else literal(name).stylize("bold $accent") + Content("  ") + text)


class CardGrid(Grid):
    """Cards in as many columns as the width takes, so answers fill the wall rather than one long list."""

    narrowest = CARD_WIDTH

    def on_resize(self, event: Resize) -> None:
        columns = columns_for(event.size.width, self.narrowest)
        if self.styles.grid_size_columns != columns:
            self.styles.grid_size_columns = columns


class AnswerCards(CardGrid):
    """Answer cards, updated in place so a new answer adds one card (and a changed one redraws alone)."""

    cards: var[tuple[Card, ...]] = var(())

    def watch_cards(self) -> None:
        self.call_later(self.place)  # after the grid is mounted (its first cards come with it)

    def place(self) -> None:
        existing = list(self.query_children(AnswerCard))
        for card, value in zip(existing, self.cards, strict=False):
            card.card = value
        for card in existing[len(self.cards) :]:
            card.remove()
        if len(self.cards) > len(existing):
            self.mount_all([AnswerCard(card) for card in self.cards[len(existing) :]])


class BarChart(Widget):
    """A horizontal bar per option with its whole label (wrapped, never cut): votes, scales, choices."""

    DEFAULT_CSS = """
    BarChart { height: auto; }
    """

    rows: reactive[list[tuple[str, int]]] = reactive(list, layout=True)
    """(label, count) per option; new counts may change how labels wrap, so they lay the screen out."""

    def layout_lines(self, width: int) -> list[Content]:
        width = max(width, 20)
        top = max((count for _, count in self.rows), default=0) or 1
        number_width = len(str(top)) + 1
        labels = [literal(" / ".join(label.splitlines())) for label, _ in self.rows]
        longest = max((label.cell_length for label in labels), default=1)
        least_bar = max(8, width // 4)
        label_width = max(8, min(longest, width - number_width - 2 - least_bar))
        bar_room = max(1, width - label_width - number_width - 2)
        lines: list[Content] = []
        spaced = longest > label_width  # labels that wrap: a blank line keeps each with its bar
        for label, (_, count) in zip(labels, self.rows, strict=True):
            if spaced and lines:
                lines.append(Content(""))
            wrapped = label.wrap(label_width) or [Content("")]
            bar = Content("█" * round(bar_room * count / top)).stylize("$accent")
            first = wrapped[0].pad_right(label_width - wrapped[0].cell_length) + Content(" ")
            lines.append(first + bar + Content(f" {count}").stylize("bold"))
            lines += list(wrapped[1:])
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.layout_lines(width))

    def render(self) -> RenderResult:
        return Content("\n").join(self.layout_lines(self.content_region.width))


class GroupCards(CardGrid):
    """Pairs or tables as cards, 'Table 3  Ada · Ben · Cy · Dee', in columns."""

    narrowest = 40

    groups: var[tuple[str, list[list[str]]]] = var(("Group", []))
    """(what a group is called, the names in each)."""

    def watch_groups(self, groups: tuple[str, list[list[str]]]) -> None:
        title, names = groups
        cards = []
        for n, group in enumerate(names, 1):
            heading = Content(f"{title}\u00a0{n}").stylize("bold $secondary")
            cards.append(heading + Content("  ") + Content(" · ").join(literal(name) for name in group))
        existing = list(self.query_children(Words))
        fresh = [Words(classes="group") for _ in cards[len(existing) :]]
        for card, text in zip(existing + fresh, cards, strict=False):
            card.words = text
        for card in existing[len(cards) :]:
            card.remove()
        self.mount_all(fresh)
