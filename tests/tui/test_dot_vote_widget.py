"""The dot-vote input, driven like a person would: keys, clicks, limits and saved votes.

The options are the room's answers to an earlier shared step (other people's text),
so they must show literally, never as markup or terminal control codes.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widgets import Static

from formative.tui.widgets.prompts import PromptInput, prompt_widget
from formative.tui.widgets.votes import DotVoteInput, VoteLines, VoteList, dots
from formative.walk import Walk
from formative.workbook import load_workbook_text
from tests.tui.test_prompt_widgets import HOSTILE, HOSTILE_SHOWN, Answers, screen_text

WORKBOOK = """
format = 1
id = "t"
title = "T"
[[sections]]
id = "s"
title = "S"
[[sections.steps]]
id = "ideas"
title = "Our ideas"
shared = true
[[sections.steps.prompts]]
id = "idea"
kind = "list"
label = "Ideas"
[[sections.steps]]
id = "now"
title = "Vote"
[[sections.steps.prompts]]
id = "p"
kind = "dot_vote"
label = "Where do your dots go?"
options_from = "ideas.idea"
{extra}
"""

ROOM = [["Walks", "Breakfast club"], ["Reading circle", "Walks"], "Supper"]
OPTIONS = ["Walks", "Breakfast club", "Reading circle", "Supper"]


class VoteApp(App[None]):
    """Shows the dot vote of step 'now' with a room of answers and records each Changed."""

    def __init__(
        self,
        extra: str = "votes = 3",
        saved: Any = None,
        room: list[Any] | None = None,
        alone: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        super().__init__()
        self.workbook = load_workbook_text(WORKBOOK.format(extra=extra))
        self.answers = Answers({**(alone or {}), ("now", "p"): saved})
        room_values = ROOM if room is None else room
        self.walk = Walk(self.workbook, self.answers, room=None if alone is not None else lambda s, p: room_values)
        self.changes: list[Any] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        step = self.walk.step("now")
        with VerticalScroll():
            yield prompt_widget(step, step.prompts[0], self.walk, self.answers.get("now", "p"))

    def on_mount(self) -> None:
        self.query_one(PromptInput).focus_input()

    def on_prompt_input_changed(self, event: PromptInput.Changed) -> None:
        self.changes.append(event.value)

    def bell(self) -> None:
        self.bells += 1

    @property
    def prompt(self) -> DotVoteInput:
        return self.query_one(DotVoteInput)

    def drawn(self) -> list[str]:
        """Each option's first line as the list draws it: '− + ●○  1 Walks'."""
        if not self.query(VoteLines):
            return []
        lines = self.query_one(VoteLines)
        return [lines.render_line(lines.option_lines(n).start).text for n in range(len(lines.options))]

    def counts(self) -> list[str]:
        """The count shown on each option, read from what is drawn."""
        return [line.split()[3] for line in self.drawn()]

    def options(self) -> list[str]:
        return [" ".join(line.split()[4:]) for line in self.drawn()]

    def problem(self) -> str:
        widget = self.query_one(".prompt--problem", Static)
        return str(widget.render()) if widget.display else ""


def test_dots() -> None:
    assert dots(0, 3) == "○○○"
    assert dots(2, 3) == "●●○"
    assert dots(3, 3) == "●●●"
    assert dots(2, 12) == "●●○○○○○○"
    assert dots(10, 12) == "●●●●●●●●…"


async def test_keyboard_voting_stacks_and_reports_the_votes_left() -> None:
    app = VoteApp()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen.focused, VoteList)
        assert app.options() == OPTIONS
        assert "3 of 3 votes left" in screen_text(app)
        assert app.prompt.value is None
        await pilot.press("plus")
        await pilot.pause()
        assert app.changes[-1] == ["Walks"]
        await pilot.press("down", "down", "right", "space")
        await pilot.pause()
        assert app.prompt.value == ["Walks", "Reading circle", "Reading circle"]
        assert app.counts() == ["1", "0", "2", "0"]
        shown = screen_text(app)
        assert "0 of 3 votes left" in shown
        assert "●●○" in shown
        assert app.bells == 0


async def test_removing_votes_with_minus_left_and_backspace() -> None:
    app = VoteApp(saved=["Walks", "Walks", "Supper"])
    async with app.run_test() as pilot:
        await pilot.press("minus")
        await pilot.pause()
        assert app.prompt.value == ["Walks", "Supper"]
        await pilot.press("end", "backspace")
        await pilot.pause()
        assert app.prompt.value == ["Walks"]
        await pilot.press("home", "left")
        await pilot.pause()
        assert app.prompt.value is None
        assert app.changes[-1] is None
        assert "3 of 3 votes left" in screen_text(app)


async def test_refuses_more_than_the_votes_and_more_than_the_limit_per_option() -> None:
    app = VoteApp(extra="votes = 3\nmax_per_option = 2")
    async with app.run_test() as pilot:
        assert "at most 2 on one answer" in screen_text(app)
        await pilot.press("plus", "plus", "plus")
        await pilot.pause()
        assert app.prompt.value == ["Walks", "Walks"]
        assert app.bells == 1
        assert "at most 2 votes" in app.problem()
        await pilot.press("down", "plus")
        await pilot.pause()
        assert app.problem() == ""
        assert app.prompt.value == ["Walks", "Walks", "Breakfast club"]
        await pilot.press("down", "plus")
        await pilot.pause()
        assert app.bells == 2
        assert "All 3 votes are used" in app.problem()
        assert app.prompt.value == ["Walks", "Walks", "Breakfast club"]
        await pilot.press("minus")
        await pilot.pause()
        assert app.bells == 3
        assert "no votes to take back" in app.problem()
        await pilot.press("up", "minus")
        await pilot.pause()
        assert app.prompt.value == ["Walks", "Walks"]
        assert app.problem() == ""


def click(pilot: Pilot[None], index: int, where: str) -> Awaitable[bool]:
    """Click option `index`'s − or + (drawn at the start of its first line), or its text."""
    lines = pilot.app.query_one(VoteLines)
    x = {"remove": 1, "add": 4, "option": lines.prefix + 1}[where]
    return pilot.click(VoteLines, offset=(x, lines.option_lines(index).start))


def click_point(app: App[None], index: int) -> tuple[int, int]:
    """Where on the screen option `index`'s first line is drawn."""
    lines = app.query_one(VoteLines)
    region = app.screen.find_widget(lines).region
    return region.x, region.y + lines.option_lines(index).start


async def test_mouse_buttons_and_rows() -> None:
    app = VoteApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await click(pilot, 1, "add")
        await click(pilot, 1, "add")
        await pilot.pause()
        assert app.prompt.value == ["Breakfast club", "Breakfast club"]
        await click(pilot, 1, "remove")
        await click(pilot, 3, "option")
        await pilot.pause()
        assert app.prompt.value == ["Breakfast club", "Supper"]
        assert app.query_one(VoteList).highlighted == 3
        assert isinstance(app.screen.focused, VoteList)


async def test_saved_value_restores_the_counts_without_a_change() -> None:
    app = VoteApp(saved=["Supper", "Walks", "Supper"])
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.counts() == ["1", "0", "0", "2"]
        assert app.prompt.value == ["Walks", "Supper", "Supper"]
        assert app.changes == []
        assert "0 of 3 votes left" in screen_text(app)


async def test_votes_for_answers_no_longer_in_the_room_are_dropped_with_a_note() -> None:
    app = VoteApp(saved=["Walks", "Knitting"])
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.prompt.value == ["Walks"]
        assert "No longer among the answers" in screen_text(app)
        assert "Knitting" in screen_text(app)
        assert "2 of 3 votes left" in screen_text(app)


@pytest.mark.parametrize("wrong", ["Walks", 3, {"Walks": 2}, ["Walks", 2], [["Walks"]], True])
async def test_wrong_shaped_saved_value_is_shown_and_kept_until_replaced(wrong: Any) -> None:
    """A hand-edited file's odd value is shown and never overwritten by a stray key; Replace starts afresh."""
    app = VoteApp(saved=wrong)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.prompt.value is None
        assert app.counts() == []
        assert "Your answer file holds" in screen_text(app)
        await pilot.press("plus", "space", "right", "enter")
        await pilot.pause()
        assert app.changes == []
        assert await app.prompt.refresh_options() is False, "a held answer has no options to refresh"
        await pilot.press("tab", "enter")  # to Replace, and press it
        await pilot.pause()
        assert app.counts() == ["0", "0", "0", "0"]
        assert app.changes == []
        await pilot.press("plus")
        await pilot.pause()
        assert app.prompt.value == ["Walks"]
        assert app.changes == [["Walks"]]


async def test_hostile_options_show_literally_and_trigger_nothing() -> None:
    room = [[HOSTILE, "[/]"], "[@click=app.quit]"]
    app = VoteApp(room=room, saved=["[@click=app.quit]", "[gone][/gone]\x1b[31m"])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.query_one(VoteLines).options == [HOSTILE, "[/]", "[@click=app.quit]"]
        assert app.options()[1:] == ["[/]", "[@click=app.quit]"]
        assert HOSTILE_SHOWN in app.drawn()[0]
        shown = screen_text(app)
        assert "[@click=app.quit]boom[/]" in shown
        assert "[gone][/gone]␛[31m" in shown
        await click(pilot, 2, "option")
        await pilot.press("up", "up", "plus")
        await pilot.pause()
        assert app.is_running
        assert app.prompt.value == [HOSTILE, "[@click=app.quit]", "[@click=app.quit]"]


async def test_empty_room_shows_a_dim_line_and_takes_no_votes() -> None:
    app = VoteApp(room=[None, "", []])
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert not app.query(VoteList)
        assert "the room's answers to “Our ideas”, still empty" in screen_text(app)
        assert app.prompt.value is None
        await pilot.press("plus")
        assert app.changes == []


async def test_alone_the_options_are_your_own_answers() -> None:
    app = VoteApp(alone={("ideas", "idea"): ["Mine", "Also mine"]})
    async with app.run_test() as pilot:
        await pilot.press("down", "plus")
        await pilot.pause()
        assert app.prompt.value == ["Also mine"]

    app = VoteApp(alone={})
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert "your answers to “Our ideas”, still empty" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_fits_small_screens(size: tuple[int, int]) -> None:
    room = [["A long idea that has to wrap across the narrow width of a projector"], "Short"]
    app = VoteApp(extra="votes = 12", room=room)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.prompt.size.width <= size[0]
        assert app.prompt.virtual_region.width <= size[0]
        await pilot.press("plus")
        await pilot.pause()
        assert app.prompt.value == ["A long idea that has to wrap across the narrow width of a projector"]


async def test_thirty_options_are_drawn_by_the_same_widgets_as_three() -> None:
    """Issue 11: a room of 30 gave 180 widgets per app (six per option); the list is one widget however long."""
    widgets = []
    for options in (3, 30):
        app = VoteApp(room=[f"Idea {n}" for n in range(options)])
        async with app.run_test(size=(80, 24)):
            assert len(app.prompt.options) == options
            widgets.append(sum(1 for _ in app.prompt.walk_children()))
    assert widgets[0] == widgets[1], f"{widgets[0]} widgets for 3 options, {widgets[1]} for 30"


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_highlight_stays_in_sight_and_clicks_find_their_option_when_scrolled(size: tuple[int, int]) -> None:
    """The list scrolls to the highlight, and on a small screen the page scrolls to it too."""
    app = VoteApp(room=[f"Idea {n}" for n in range(30)])
    async with app.run_test(size=size) as pilot:
        vote_list = app.query_one(VoteList)
        lines = app.query_one(VoteLines)

        def in_sight(index: int) -> bool:
            try:
                return app.screen.get_widget_at(*click_point(app, index))[0] is lines
            except NoWidget:  # off the screen
                return False

        await pilot.press("end")
        await pilot.pause()
        assert vote_list.highlighted == 29
        assert vote_list.scroll_y > 0
        assert in_sight(29), "the last option is on the screen"
        await click(pilot, 29, "add")
        await pilot.pause()
        assert app.prompt.value == ["Idea 29"]
        await pilot.press("up")
        await pilot.pause()
        assert in_sight(28)
        await click(pilot, 28, "option")
        await pilot.pause()
        assert app.prompt.value == ["Idea 28", "Idea 29"]
        assert vote_list.highlighted == 28
        await pilot.press("home")
        await pilot.pause()
        assert in_sight(0)


async def test_a_long_option_wraps_under_its_own_column_and_a_click_anywhere_on_it_votes() -> None:
    long = "A walking group that meets every second Saturday by the canal and ends at the café"
    app = VoteApp(room=[long, "Short"])
    async with app.run_test(size=(60, 24)) as pilot:
        lines = app.query_one(VoteLines)
        first, second = lines.option_lines(0)[:2]
        drawn = [lines.render_line(y).text for y in (first, second)]
        assert drawn[0].startswith(" −  +  ○○○  0 A walking group")
        assert drawn[1][: lines.prefix].strip() == "", "the text goes on under its own column"
        assert " ".join(" ".join(drawn).split()[4:]).startswith(long[:40])
        assert lines.option_lines(1).start == lines.option_lines(0).stop
        await pilot.click(VoteLines, offset=(1, second))  # under the −: part of the option, not a button
        await pilot.pause()
        assert app.prompt.value == [long]


async def test_hovering_a_button_lights_it_and_names_its_key() -> None:
    app = VoteApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lines = app.query_one(VoteLines)
        plain = lines.render_line(1)
        await pilot.hover(VoteLines, offset=(4, 1))  # the + of the second option
        await pilot.pause()
        assert str(lines.tooltip) == "Add a vote (+ or →)"
        hovered = lines.render_line(1)
        assert hovered.text == plain.text
        assert hovered != plain, "the hovered row and its + look different"
        await pilot.hover(VoteLines, offset=(1, 1))
        await pilot.pause()
        assert str(lines.tooltip) == "Take a vote back (- or ←)"
        await pilot.hover(VoteLines, offset=(lines.prefix + 2, 1))
        await pilot.pause()
        assert lines.tooltip is None
