"""The dot-vote input: spread a few votes over the room's answers to an earlier step.

Keys when the list has the focus: ↑/↓ move, + / → / Space add a vote to the
highlighted option, - / ← / Backspace take one back. The mouse can click the small
− and + at the start of an option, or the option itself to add a vote to it. The
options are other people's answers, so they are shown literally (see `safe_text`).
However many options the room gives, the list is one widget (VoteLines).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from formative.answers.values import AnswerValue
from formative.tui.widgets.prompt_base import PromptInput
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


def gone_votes(saved: list[str], options: list[str]) -> list[str]:
    """Answers voted for that are no longer among the options, each named once."""
    return [vote for vote in dict.fromkeys(saved) if vote not in options]


def votes_word(n: int) -> str:
    return "vote" if n == 1 else "votes"


BUTTON_WIDTH = 3
"""The − and + at the start of an option's first line: a glyph with a space either side."""
COUNT_WIDTH = 3
BUTTONS = (("−", -1, "Take a vote back (- or ←)"), ("+", 1, "Add a vote (+ or →)"))
"""(glyph, what a click does to the votes, its tooltip), in the order drawn."""


def dots_width(cap: int) -> int:
    """Cells the dots take on every row (at least 2): fixed for the vote, so a vote never moves the text."""
    return max(2, cap if cap <= MAX_DOTS else MAX_DOTS + 1)


class VoteLines(Widget):
    """Every option of the vote drawn line by line in one widget: − and +, dots, count, the option's text.

    The options are the room's answers. A widget per option (a row holding two buttons,
    the dots, the count and the text: six each) made a vote over thirty answers cost
    180 widgets to mount, style and lay out in every participant's app as the room
    moved to it, and each focus change restyled them all. Drawn here, the options cost
    one widget whatever the room's size; a vote repaints the one line it changed, and
    the screen is never laid out again for it (every column has a fixed width). Long
    options wrap under their own column, as the widgets did.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vote--highlight",
        "vote--hover",
        "vote--button",
        "vote--button-hover",
        "vote--dots",
        "vote--count",
        "vote--count-voted",
    }
    DEFAULT_CSS = """
    VoteLines {
        height: auto;
        & > .vote--hover { background: $boost; }
        & > .vote--highlight { background: $block-cursor-blurred-background; }
        & > .vote--button { text-style: bold; color: $button-foreground; background: $surface; }
        & > .vote--button-hover { background: $surface-darken-1; }
        &:ansi > .vote--button { background: ansi_default; }
        &:ansi > .vote--button-hover { background: $ansi-background; }
        & > .vote--dots { color: $text-accent; }
        & > .vote--count { color: $text-muted; }
        & > .vote--count-voted { color: $text; text-style: bold; }
    }
    VoteList:focus > VoteLines > .vote--highlight {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    """

    class Pressed(Message):
        """A click on an option: its − (-1), its + (+1), or anywhere else on it (+1)."""

        def __init__(self, index: int, delta: int) -> None:
            super().__init__()
            self.index = index
            self.delta = delta

    def __init__(self, options: list[str], counts: list[int], cap: int) -> None:
        super().__init__()
        self.options = options
        self.counts = counts
        self.cap = cap
        self.highlighted = 0
        self._hover: tuple[int, int] | None = None
        """(option, what a click there does: -1, +1, or 0 off the buttons) under the mouse."""
        self._wrapped: list[list[Content]] = []
        self._lines: list[tuple[int, int]] = []
        """(option, line of that option) for each line drawn."""
        self._first: list[int] = []
        """The first line of each option."""
        self._width = -1

    # Laying out the lines: once per width and set of options, never per vote ------------

    @property
    def prefix(self) -> int:
        """Cells before the option's text: the buttons, a space, the dots, a space, the count."""
        return 2 * BUTTON_WIDTH + 1 + dots_width(self.cap) + 1 + COUNT_WIDTH

    def _wrap(self, width: int) -> None:
        if width == self._width:
            return
        text_width = max(width - self.prefix, 1)
        self._wrapped = [literal(option).wrap(text_width) or [Content()] for option in self.options]
        self._lines = [(n, k) for n, lines in enumerate(self._wrapped) for k in range(len(lines))]
        self._first = []
        start = 0
        for lines in self._wrapped:
            self._first.append(start)
            start += len(lines)
        self._width = width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._wrap(width)
        return len(self._lines)

    def set_options(self, options: list[str], counts: list[int]) -> None:
        """Show other options (the room's answers changed): lines are wrapped again, the list laid out again."""
        self.options, self.counts, self._width = options, counts, -1
        self.highlighted = max(0, min(self.highlighted, len(options) - 1))
        self._hover = None
        self.refresh(layout=True)

    def option_lines(self, index: int) -> range:
        """The lines option `index` takes at the current width."""
        self._wrap(self.size.width)
        return range(self._first[index], self._first[index] + len(self._wrapped[index]))

    def _refresh_option(self, index: int | None, first_line_only: bool = False) -> None:
        if index is None or not 0 <= index < len(self.options) or not self.size.width:
            return
        lines = self.option_lines(index)
        self.refresh(Region(0, lines.start, self.size.width, 1 if first_line_only else len(lines)))

    def set_count(self, index: int, count: int) -> None:
        """One option's votes changed: repaint its first line (the dots and count live there), nothing else."""
        self.counts[index] = count
        self._refresh_option(index, first_line_only=True)

    def highlight(self, index: int) -> None:
        old, self.highlighted = self.highlighted, index
        if old != index:
            self._refresh_option(old)
            self._refresh_option(index)

    # Drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        self._wrap(width)
        if not 0 <= y < len(self._lines):
            return Strip.blank(width, self.visual_style.rich_style)
        index, line = self._lines[y]
        row: tuple[str, ...] = ()
        if index == self.highlighted:
            row = ("vote--highlight",)
        elif self._hover is not None and self._hover[0] == index:
            row = ("vote--hover",)
        row_style = self.get_visual_style(*row)
        rich_row = row_style.rich_style
        blank = RichStyle(bgcolor=rich_row.bgcolor)  # empty cells: the row's background, apart from the text
        segments: list[Segment] = []
        if line == 0:
            for glyph, delta, _tip in BUTTONS:
                hovered = self._hover == (index, delta)
                button = self.get_visual_style(*row, "vote--button", *(["vote--button-hover"] if hovered else []))
                segments.append(Segment(f" {glyph} ", button.rich_style))
            count = self.counts[index]
            shown = dots(count, self.cap)
            counted = ("vote--count", "vote--count-voted") if count > 0 else ("vote--count",)
            segments += [
                Segment(" ", rich_row),
                Segment(shown, self.get_visual_style(*row, "vote--dots").rich_style),
                Segment(" " * (dots_width(self.cap) - len(shown) + 1), blank),
                Segment(f"{count:>2}"[:COUNT_WIDTH], self.get_visual_style(*row, *counted).rich_style),
                Segment(" " * (COUNT_WIDTH - min(len(f"{count:>2}"), COUNT_WIDTH)), blank),
            ]
        else:
            segments.append(Segment(" " * self.prefix, blank))
        text = self._wrapped[index][line]
        segments += text.render_segments(row_style)
        segments.append(Segment(" " * max(width - self.prefix - text.cell_length, 0), blank))
        return Strip(segments).crop(0, width)

    # The mouse ------------------------------------------------------------------------------

    def at(self, x: int, y: int) -> tuple[int, int] | None:
        """(option, what a click does: -1 on −, +1 on +, 0 elsewhere on the option) at a point, or None."""
        self._wrap(self.size.width)
        if not 0 <= y < len(self._lines):
            return None
        index, line = self._lines[y]
        if line == 0 and 0 <= x < 2 * BUTTON_WIDTH:
            return index, BUTTONS[x // BUTTON_WIDTH][1]
        return index, 0

    def _hover_at(self, place: tuple[int, int] | None) -> None:
        if place == self._hover:
            return
        old, self._hover = self._hover, place
        if old is not None:
            self._refresh_option(old[0])
        if place is not None:
            self._refresh_option(place[0])
        self.tooltip = next((Content(tip) for _glyph, delta, tip in BUTTONS if place and place[1] == delta), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        self._hover_at(None if offset is None else self.at(offset.x, offset.y))

    def on_leave(self, event: events.Leave) -> None:
        self._hover_at(None)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        place = None if offset is None else self.at(offset.x, offset.y)
        if place is not None:
            event.stop()
            index, delta = place
            self.post_message(self.Pressed(index, delta or 1))


class VoteList(Vertical, can_focus=True):
    """The options with their votes; the keys act on the highlighted option."""

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

    def __init__(self, lines: VoteLines) -> None:
        super().__init__(lines)
        self.lines = lines

    @property
    def highlighted(self) -> int:
        return self.lines.highlighted

    def highlight(self, index: int, scroll: bool = True) -> None:
        """Move the highlight; when a key or a click moved it (scroll), bring it into view."""
        if not self.lines.options:
            return
        self.lines.highlight(max(0, min(len(self.lines.options) - 1, index)))
        if scroll and self.is_mounted:
            self.call_after_refresh(self._scroll_to_highlight)

    def _scroll_to_highlight(self) -> None:
        """Scroll the list to the highlighted option, then (once it is drawn there) the page."""
        if self.lines.options and self.lines.size.width:
            lines = self.lines.option_lines(self.lines.highlighted)
            self.scroll_to_region(Region(0, lines.start, 1, len(lines)), animate=False, immediate=True)
            self.call_after_refresh(self._scroll_page_to_highlight)

    def _scroll_page_to_highlight(self) -> None:
        """The page scrolls to the highlighted option as it would to a widget: on a small screen the
        list is taller than the page shows, and the highlight must not move out of sight."""
        page = next((a for a in self.ancestors if isinstance(a, Widget) and a.allow_vertical_scroll), None)
        if page is None or not self.lines.options:
            return
        lines = self.lines.option_lines(self.lines.highlighted)
        drawn = self.lines.region  # on the screen, as the list is scrolled now
        on_screen = Region(drawn.x, drawn.y + lines.start, drawn.width, len(lines))
        page.scroll_to_region(on_screen.translate(page.scroll_offset - page.content_region.offset), animate=False)

    def action_cursor(self, delta: int) -> None:
        self.highlight(self.highlighted + delta)

    def action_cursor_end(self, last: int) -> None:
        self.highlight(len(self.lines.options) - 1 if last else 0)

    def action_vote(self, delta: int) -> None:
        if self.lines.options:
            self.post_message(self.Voted(self.highlighted, delta))

    @on(VoteLines.Pressed)
    def _pressed(self, event: VoteLines.Pressed) -> None:
        event.stop()
        self.focus()
        self.highlight(event.index)
        self.post_message(self.Voted(event.index, event.delta))


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
        .vote--left { color: $text-muted; }
    }
    """

    def compose_input(self) -> ComposeResult:
        options = self.walk.options(self.prompt) or []
        saved = saved_votes(self.saved)
        self.lines = VoteLines(options, [saved.count(option) for option in options], self.cap)
        self.vote_list: VoteList | None = None
        self._gone = gone_votes(saved, self.options)
        if not self.options:
            yield self.hint(self.empty_hint())
            return
        if self._highlight_option in self.options:
            self.lines.highlighted = self.options.index(self._highlight_option)
        self.vote_list = VoteList(self.lines)
        yield self.vote_list
        self.left = self.hint("", classes="vote--left")
        self._show_left()
        yield self.left
        if self._gone:
            yield self.hint(f"No longer among the answers, so those votes are gone: {', '.join(self._gone)}")
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
    def options(self) -> list[str]:
        """The options shown (the room's answers as last read)."""
        return self.lines.options

    @property
    def counts(self) -> list[int]:
        """The votes on each option, in the options' order."""
        return self.lines.counts

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
        self.lines.set_count(index, count + delta)
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
        options changed. New options go into the one list widget in place; the prompt is
        built again only when what surrounds the list changes (the first options arrive,
        or the line naming votes that are gone).
        """
        if self.read_only or not self.composed:
            return False  # a held answer shows no options (and has none to refresh)
        options = self.walk.options(self.prompt) or []
        if options == self.options:
            return False
        self.answer_changed()  # hand over what was voted a moment ago before rebuilding
        highlighted = self.options[self.lines.highlighted] if self.options else None
        kept = [vote for vote in saved_votes(self.saved) if vote not in self.options]
        self.saved = [*(saved_votes(self.current_value())), *kept] or None
        saved = saved_votes(self.saved)
        if self.vote_list is not None and options and gone_votes(saved, options) == self._gone:
            self.lines.set_options(options, [saved.count(option) for option in options])
            self._posted = self.current_value()  # as a rebuilt prompt starts: what it shows is not an edit
            self._show_left()
            where = options.index(highlighted) if highlighted in options else self.lines.highlighted
            self.vote_list.highlight(where, scroll=False)  # someone else's answer must not scroll this page
            return True
        self._highlight_option = highlighted
        had_focus = self.screen.focused is not None and self in self.screen.focused.ancestors_with_self
        await self.recompose()
        if had_focus and self.vote_list is not None:
            self.screen.set_focus(self.vote_list)
        return True

    @on(VoteList.Voted)
    def _voted(self, event: VoteList.Voted) -> None:
        event.stop()
        self.vote(event.index, event.delta)
