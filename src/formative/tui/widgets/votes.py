"""The dot-vote input: spread a few votes over the room's answers to an earlier step.

Keys when the list has the focus: ↑/↓ move, + / → / Space add a vote to the
highlighted option, - / ← / Backspace take one back. The mouse can click the small
− and + buttons, or a row to add a vote to it. The options are other people's
answers, so they are shown literally (see `safe_text`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from formative.answers.values import AnswerValue
from formative.tui.widgets.prompt_base import PromptInput, mouse_button
from formative.tui.widgets.safe_text import literal
from formative.workbook.model import DotVote

MAX_DOTS = 8
"""More dots than this in a row would crowd a small screen; the number says the rest."""


def saved_votes(value: Any) -> list[str]:
    """A saved dot vote (a list of option strings), or [] if it is anything else."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return []


def dots(count: int, cap: int) -> str:
    """●●○ for 2 votes of at most 3; long rows are cut short with '…'."""
    if cap <= MAX_DOTS:
        return "●" * count + "○" * max(0, cap - count)
    return "●" * min(count, MAX_DOTS) + ("…" if count > MAX_DOTS else "○" * (MAX_DOTS - count))


def votes_word(n: int) -> str:
    return "vote" if n == 1 else "votes"


class VoteRow(Horizontal):
    """One option: − and + buttons, its dots and count, and the option's text."""

    def __init__(self, index: int, option: str) -> None:
        super().__init__(classes="vote--row")
        self.index = index
        self.option = option
        self.dots = Static("", classes="vote--dots")
        self.count = Static("", classes="vote--count")

    def compose(self) -> ComposeResult:
        for button in (
            mouse_button("−", "Take a vote back (- or ←)", classes="vote-remove"),
            mouse_button("+", "Add a vote (+ or →)", classes="vote-add"),
        ):
            button.active_effect_duration = 0  # a Button ignores clicks while it flashes; votes come fast
            yield button
        yield self.dots
        yield self.count
        yield Static(literal(self.option), classes="vote--option")

    def show(self, count: int, cap: int) -> None:
        """Repaint the dots and the count; their width never changes, so the screen is not laid out again."""
        self.dots.update(Content(dots(count, cap)), layout=False)
        self.count.update(Content(f"{count:>2}"), layout=False)
        self.set_class(count > 0, "-voted")


class VoteList(Vertical, can_focus=True):
    """The options with their votes; the keys act on the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "cursor_end(0)", "First", show=False),
        Binding("end", "cursor_end(1)", "Last", show=False),
        Binding("plus,equals_sign,right,space", "vote(1)", "Add a vote", show=False),
        Binding("minus,left,backspace", "vote(-1)", "Take a vote back", show=False),
    ]

    class Voted(Message):
        """The person asked to add (+1) or take back (-1) a vote on one option."""

        def __init__(self, index: int, delta: int) -> None:
            super().__init__()
            self.index = index
            self.delta = delta

    def __init__(self, rows: list[VoteRow]) -> None:
        super().__init__(*rows)
        self.rows = rows
        self.highlighted = 0

    def on_mount(self) -> None:
        self.highlight(self.highlighted)

    def highlight(self, index: int) -> None:
        if not self.rows:
            return
        self.highlighted = max(0, min(len(self.rows) - 1, index))
        for n, row in enumerate(self.rows):
            row.set_class(n == self.highlighted, "-highlight")
        if self.is_mounted:
            self.rows[self.highlighted].scroll_visible(animate=False)

    def action_cursor(self, delta: int) -> None:
        self.highlight(self.highlighted + delta)

    def action_cursor_end(self, last: int) -> None:
        self.highlight(len(self.rows) - 1 if last else 0)

    def action_vote(self, delta: int) -> None:
        if self.rows:
            self.post_message(self.Voted(self.highlighted, delta))

    def row_of(self, widget: Widget | None) -> VoteRow | None:
        node = widget
        while node is not None and not isinstance(node, VoteRow):
            node = node.parent if isinstance(node.parent, Widget) else None
        return node

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        row = self.row_of(event.button)
        if row is None:
            return
        self.focus()
        self.highlight(row.index)
        self.post_message(self.Voted(row.index, -1 if event.button.has_class("vote-remove") else 1))

    def on_click(self, event: events.Click) -> None:
        row = self.row_of(event.widget)
        if row is None or isinstance(event.widget, Button):
            return
        self.focus()
        self.highlight(row.index)
        self.post_message(self.Voted(row.index, 1))


class DotVoteInput(PromptInput):
    """Spread `votes` votes over the options, stacking up to `max_per_option` on one.

    The answer is a list of option strings, one entry per vote, in the options'
    order (["A", "A", "C"]: two votes for A, one for C); None when no vote is given.
    """

    prompt: DotVote
    _highlight_option: str | None = None
    """The option to highlight when the options are shown again (refresh_options)."""
    DEFAULT_CSS = """
    DotVoteInput {
        VoteList {
            height: auto; max-height: 16; overflow-y: auto;
            border: tall $border-blurred; background: $surface; padding: 0 1 0 0;
            &:focus { border: tall $border; background-tint: $foreground 5%; }
        }
        .vote--row { height: auto; }
        .vote--row:hover { background: $boost; }
        VoteList:focus > .vote--row.-highlight {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        VoteList > .vote--row.-highlight { background: $block-cursor-blurred-background; }
        .vote--row .mouse-button { margin: 0 1 0 0; }
        .vote--row .vote-remove { margin: 0; }
        .vote--dots { width: auto; min-width: 2; margin: 0 1 0 0; color: $text-accent; }
        .vote--count { width: 3; color: $text-muted; }
        .vote--row.-voted .vote--count { color: $text; text-style: bold; }
        .vote--option { width: 1fr; }
        .vote--left { color: $text-muted; }
    }
    """

    def compose_input(self) -> ComposeResult:
        self.options = self.walk.options(self.prompt) or []
        saved = saved_votes(self.saved)
        self.counts = [saved.count(option) for option in self.options]
        self.rows = [VoteRow(n, option) for n, option in enumerate(self.options)]
        self.vote_list: VoteList | None = None
        if not self.options:
            yield self.hint(self.empty_hint())
            return
        for row, count in zip(self.rows, self.counts, strict=True):
            row.show(count, self.cap)
        self.vote_list = VoteList(self.rows)
        if self._highlight_option in self.options:
            self.vote_list.highlighted = self.options.index(self._highlight_option)
        yield self.vote_list
        self.left = self.hint("", classes="vote--left")
        self._show_left()
        yield self.left
        gone = [v for v in dict.fromkeys(saved) if v not in self.options]
        if gone:
            yield self.hint(f"No longer among the answers, so those votes are gone: {', '.join(gone)}")
        yield self.hint("↑/↓ move · + or → adds a vote · - or ← takes one back")

    def empty_hint(self) -> str:
        step_id = self.prompt.options_from.split(".")[0]
        try:
            title = f"“{self.walk.text(self.walk.step(step_id).title)}”"
        except KeyError:
            title = "an earlier step"
        if self.walk.room is None:
            return f"Nothing to vote on yet: the options are your answers to {title}, still empty."
        return f"Nothing to vote on yet: the options are the room's answers to {title}, still empty."

    @property
    def cap(self) -> int:
        """The most votes one option can take."""
        limit = self.prompt.max_per_option
        return min(limit, self.prompt.votes) if limit is not None else self.prompt.votes

    @property
    def used(self) -> int:
        return sum(self.counts)

    def _show_left(self) -> None:
        votes = self.prompt.votes
        text = f"{max(0, votes - self.used)} of {votes} {votes_word(votes)} left"
        if self.prompt.max_per_option is not None and self.prompt.max_per_option < votes:
            text += f" · at most {self.prompt.max_per_option} on one answer"
        self.left.update(literal(text), layout=False)  # one line whose length moves by a digit at most

    def vote(self, index: int, delta: int) -> None:
        """Add (+1) or take back (-1) a vote; refuse with a bell and a message when it cannot."""
        if not 0 <= index < len(self.counts):
            return
        count = self.counts[index]
        votes = self.prompt.votes
        if delta > 0 and self.used >= votes:
            return self.refuse(f"All {votes} {votes_word(votes)} are used. Take one back (- or ←) to move it.")
        if delta > 0 and count >= self.cap:
            limit = self.cap
            return self.refuse(f"One answer can take at most {limit} {votes_word(limit)}.")
        if delta < 0 and count == 0:
            return self.refuse("This answer has no votes to take back.")
        self.counts[index] = count + delta
        self.rows[index].show(self.counts[index], self.cap)
        self.show_problem(None)  # a reactive: clearing a message that is not there costs nothing
        self._show_left()
        self.answer_changed()

    def refuse(self, message: str) -> None:
        self.show_problem(message)
        self.app.bell()

    def current_value(self) -> AnswerValue | None:
        votes = [option for option, count in zip(self.options, self.counts, strict=True) for _ in range(count)]
        return votes or None

    def main_input(self) -> Widget | None:
        return self.vote_list

    async def refresh_options(self) -> bool:
        """Show the room's answers as they are now (someone answered after the step opened).

        Votes given so far stay, the highlighted answer stays highlighted and the focus
        stays in the list. Votes for answers that are not (or no longer) among the options
        are kept as saved, and count again if the answer comes back. Returns whether the
        options changed.
        """
        options = self.walk.options(self.prompt) or []
        if options == self.options or self.read_only or not self.composed:
            return False
        self.answer_changed()  # hand over what was voted a moment ago before rebuilding
        had_focus = self.screen.focused is not None and self in self.screen.focused.ancestors_with_self
        if self.vote_list is not None and self.options:
            self._highlight_option = self.options[self.vote_list.highlighted]
        kept = [vote for vote in saved_votes(self.saved) if vote not in self.options]
        self.saved = [*(saved_votes(self.current_value())), *kept] or None
        await self.recompose()
        if had_focus and self.vote_list is not None:
            self.screen.set_focus(self.vote_list)
        return True

    @on(VoteList.Voted)
    def _voted(self, event: VoteList.Voted) -> None:
        event.stop()
        self.vote(event.index, event.delta)
