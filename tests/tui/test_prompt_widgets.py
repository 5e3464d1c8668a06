"""The prompt input widgets, driven like a person would: keys, typing and clicks.

Each test mounts one prompt of a tiny workbook in a bare app and checks the answer
the widget reports (PromptInput.Changed and .value), and that text a person wrote is
shown literally, never as markup or terminal control codes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Markdown, OptionList, RadioButton, RadioSet, SelectionList, Static, TextArea

from formative.tui.widgets.choices import RankList
from formative.tui.widgets.items import ListRow, RecordGroup
from formative.tui.widgets.prompt_base import ItemInput, as_file_text
from formative.tui.widgets.prompts import NoteView, PromptInput, ScaleBar, ScalePoint, prompt_widget
from formative.walk import Walk
from formative.workbook import load_workbook_text
from tests.tui.driving import burst

HOSTILE = "[@click=app.quit]boom[/] [bold]x [/] \x1b[2J\x1b]0;pwned\x07"
HOSTILE_SHOWN = "[@click=app.quit]boom[/] [bold]x [/] ␛[2J␛]0;pwned␇"

WORKBOOK = """
format = 1
id = "t"
title = "T"
[[sections]]
id = "s"
title = "S"
[[sections.steps]]
id = "earlier"
title = "Earlier"
[[sections.steps.prompts]]
id = "name"
kind = "short_text"
label = "Name"
[[sections.steps.prompts]]
id = "people"
kind = "list"
label = "People"
[[sections.steps]]
id = "now"
title = "Now"
[[sections.steps.prompts]]
{prompt}
"""


class Answers(dict[tuple[str, str], Any]):
    """A dict-backed answer reader, as Walk expects."""

    def get(self, step_id: str, prompt_id: str) -> Any:  # type: ignore[override]
        return super().get((step_id, prompt_id))


class PromptApp(App[None]):
    """Shows the one prompt of step 'now' and records every Changed message."""

    def __init__(self, prompt_toml: str, answers: dict[tuple[str, str], Any] | None = None) -> None:
        super().__init__()
        self.workbook = load_workbook_text(WORKBOOK.format(prompt=prompt_toml))
        self.answers = Answers(answers or {})
        self.walk = Walk(self.workbook, self.answers)
        self.changes: list[Any] = []

    def compose(self) -> ComposeResult:
        step = self.walk.step("now")
        with VerticalScroll():
            yield prompt_widget(step, step.prompts[0], self.walk, self.answers.get("now", step.prompts[0].id))

    def on_mount(self) -> None:
        widget = self.query_one(PromptInput) if self.query(PromptInput) else None
        if widget is not None:
            widget.focus_input()

    def on_prompt_input_changed(self, event: PromptInput.Changed) -> None:
        assert (event.step_id, event.prompt_id) == ("now", "p")
        self.changes.append(event.value)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one(PromptInput)

    @contextmanager
    def suspend(self) -> Iterator[None]:
        """The headless test driver cannot suspend; run the editor in place."""
        yield


def screen_text(app: App[Any]) -> str:
    """The visible text of the screen, taken from an SVG screenshot."""
    svg = app.export_screenshot()
    text = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    return text.replace("\xa0", " ")


def kinds(prompt: str, **extra: str) -> str:
    lines = ['id = "p"', 'label = "Question"', prompt, *(f"{k} = {v}" for k, v in extra.items())]
    return "\n".join(lines)


# Text ---------------------------------------------------------------------------------


async def test_short_text_typing_posts_each_change_and_empty_is_none() -> None:
    app = PromptApp(kinds('kind = "short_text"', max_length="5"))
    async with app.run_test() as pilot:
        await pilot.press(*"hello!")
        await pilot.pause()
        assert app.prompt.value == "hello!"
        assert app.changes[-1] == "hello!"
        assert "6 / 5 characters (1 too many)" in screen_text(app)
        await pilot.press(*["backspace"] * 6)
        await pilot.pause()
        assert app.prompt.value is None
        assert app.changes[-1] is None


async def test_short_text_starts_with_saved_answer_and_no_change_message() -> None:
    app = PromptApp(kinds('kind = "short_text"'), {("now", "p"): "Ada"})
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one(Input).value == "Ada"
        assert app.changes == []
        await pilot.press("end", "!")
        assert app.prompt.value == "Ada!"


async def test_long_text_types_lines() -> None:
    app = PromptApp(kinds('kind = "long_text"'))
    async with app.run_test() as pilot:
        await pilot.press(*"one", "enter", *"two")
        await pilot.pause()
        assert app.prompt.value == "one\ntwo"
        assert app.changes[-1] == "one\ntwo"


async def test_long_text_ctrl_e_edits_in_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "added by editor\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    app = PromptApp(kinds('kind = "long_text"'), {("now", "p"): "first line\n"})
    async with app.run_test() as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.query_one(TextArea).text == "first line\nadded by editor\n"
        assert app.changes[-1] == "first line\nadded by editor\n"


async def test_long_text_ctrl_e_without_editor_notifies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    app = PromptApp(kinds('kind = "long_text"'), {("now", "p"): "kept"})
    async with app.run_test() as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.query_one(TextArea).text == "kept"
        assert any("No editor found" in n.message for n in app._notifications)


# Choices ------------------------------------------------------------------------------


async def test_single_choice_keyboard_and_other_text() -> None:
    app = PromptApp(kinds('kind = "single_choice"', options='["Red", "Green"]', allow_other="true"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.prompt.value == "Red"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.changes[-1] == "Green"
        await pilot.press("tab", *"Teal")
        await pilot.pause()
        assert app.query(RadioButton).last().value is True
        assert app.prompt.value == "Teal"


async def test_single_choice_saved_other_and_click() -> None:
    app = PromptApp(
        kinds('kind = "single_choice"', options='["Red", "Green"]', allow_other="true"), {("now", "p"): "Mauve"}
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one(".choice--other", Input).value == "Mauve"
        assert app.prompt.value == "Mauve"
        await pilot.click(RadioButton)
        await pilot.pause()
        assert app.prompt.value == "Red"


async def test_single_choice_empty_dynamic_options_explains() -> None:
    app = PromptApp(kinds('kind = "single_choice"', options_from='"earlier.people"'))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.query(RadioSet)
        assert "still empty" in screen_text(app)
        assert app.prompt.value is None


async def test_multiple_choice_toggles_with_space_and_adds_other() -> None:
    prompt = kinds(
        'kind = "multiple_choice"', options='["A", "B", "C"]', min_picks="1", max_picks="2", allow_other="true"
    )
    app = PromptApp(prompt, {("now", "p"): ["C"]})
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Pick 1–2." in screen_text(app)
        assert app.prompt.value == ["C"]
        await pilot.press("space")
        await pilot.pause()
        assert app.changes[-1] == ["A", "C"]
        await pilot.press("tab", *"mine")
        await pilot.pause()
        assert app.prompt.value == ["A", "C", "mine"]


# Scale --------------------------------------------------------------------------------


async def test_scale_arrows_digits_and_click() -> None:
    app = PromptApp(kinds('kind = "scale"', min="0", max="10", min_label='"low"', max_label='"high"'))
    async with app.run_test(size=(60, 20)) as pilot:
        assert app.prompt.value is None
        await pilot.press("right")
        assert app.prompt.value == 0
        await pilot.press("right", "right")
        assert app.prompt.value == 2
        await pilot.press("7")
        assert app.prompt.value == 7
        await pilot.press("1", "0")
        assert app.prompt.value == 10
        await pilot.press("left")
        await pilot.pause()
        assert app.changes[-1] == 9
        chosen = app.query_one(ScalePoint.__name__ + ".-chosen", ScalePoint)
        assert chosen.number == 9
        await pilot.click(app.query(ScalePoint)[3])
        await pilot.pause()
        assert app.prompt.value == 3
        assert "low" in screen_text(app) and "high" in screen_text(app)


# List and records ---------------------------------------------------------------------


async def test_a_burst_of_keys_lands_in_order_in_a_list() -> None:
    """Keys that arrive in one read: Textual ran Enter (a binding) only after the characters
    behind it, and the list read its box later still: 'Ann1⏎Bob1⏎' became one item 'Ann1Bob1'."""
    app = PromptApp(kinds('kind = "list"', item_label='"Name"'))
    async with app.run_test() as pilot:
        burst(pilot, *"Ann1", "enter", *"Bob1", "enter", *"Cy")
        await pilot.pause()
        assert app.prompt.value == ["Ann1", "Bob1", "Cy"]
        assert app.query_one(".list--add", Input).value == "Cy"


async def test_a_burst_of_keys_lands_in_order_in_text_answers() -> None:
    """Backspace and the arrows are bindings too: in a burst they ran after the letters behind them."""
    app = PromptApp(kinds('kind = "short_text"'))
    async with app.run_test() as pilot:
        burst(pilot, *"abcx", "backspace", "d", "left", "left", "Z")
        await pilot.pause()
        assert app.prompt.value == "abZcd"
    app = PromptApp(kinds('kind = "long_text"'))
    async with app.run_test() as pilot:
        burst(pilot, *"hellx", "backspace", "o", "enter", *"world")
        await pilot.pause()
        assert app.prompt.value == "hello\nworld"


async def test_list_add_reorder_remove_and_limit() -> None:
    app = PromptApp(kinds('kind = "list"', item_label='"Name"', max_items="2"))
    async with app.run_test() as pilot:
        assert app.screen.focused is app.query_one(".list--add")
        await pilot.press(*"Ann", "enter", *"Bob", "enter")
        await pilot.pause()
        assert app.prompt.value == ["Ann", "Bob"]
        assert len(app.query(ListRow)) == 2
        await pilot.press(*"Cy", "enter")
        await pilot.pause()
        assert len(app.query(ListRow)) == 2
        assert "at most 2 names" in screen_text(app)
        assert app.prompt.value == ["Ann", "Bob", "Cy"]
        await pilot.press(*["backspace"] * 2)
        app.query(ItemInput).last().focus()
        await pilot.press("alt+up")
        await pilot.pause()
        assert app.prompt.value == ["Bob", "Ann"]
        assert app.screen.focused is app.query(ItemInput).first()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.changes[-1] == ["Ann"]
        assert str(app.query_one(ListRow).number.render()) == "1."


async def test_list_remove_with_mouse() -> None:
    app = PromptApp(kinds('kind = "list"'), {("now", "p"): ["one", "two"]})
    async with app.run_test() as pilot:
        await pilot.click(".item-remove")
        await pilot.pause()
        assert app.prompt.value == ["two"]


RECORDS = kinds(
    'kind = "records"',
    item_label='"Person"',
    max_items="2",
    fields='[{ id = "who", label = "Name", required = true }, { id = "role", label = "Role" }]',
)


async def test_records_fill_add_reorder_remove() -> None:
    app = PromptApp(RECORDS)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.press(*"Sam", "enter", *"peer")
        await pilot.pause()
        assert app.prompt.value == [{"who": "Sam", "role": "peer"}]
        await pilot.click(".records--add")
        await pilot.pause()
        assert len(app.query(RecordGroup)) == 2
        assert app.prompt.value == [{"who": "Sam", "role": "peer"}]
        await pilot.press(*"Kim")
        await pilot.pause()
        assert app.changes[-1] == [{"who": "Sam", "role": "peer"}, {"who": "Kim"}]
        await pilot.press("alt+up")
        await pilot.pause()
        assert app.prompt.value == [{"who": "Kim"}, {"who": "Sam", "role": "peer"}]
        await pilot.click(".records--add")
        await pilot.pause()
        assert "at most 2 persons" in screen_text(app)
        app.query(ItemInput).first().focus()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.prompt.value == [{"who": "Sam", "role": "peer"}]
        assert len(app.query(RecordGroup)) == 1
        assert "Person 1" in screen_text(app)


async def test_records_keep_fields_the_workbook_no_longer_asks_for() -> None:
    app = PromptApp(RECORDS, {("now", "p"): [{"who": "Sam", "old": "kept"}]})
    async with app.run_test() as pilot:
        await pilot.press("end", "!")
        await pilot.pause()
        assert app.prompt.value == [{"old": "kept", "who": "Sam!"}]


# Ranking ------------------------------------------------------------------------------


async def test_ranking_unset_until_moved_or_kept() -> None:
    app = PromptApp(kinds('kind = "ranking"', options='["A", "B", "C"]'))
    async with app.run_test() as pilot:
        assert app.prompt.value is None
        await pilot.press("alt+down")
        await pilot.pause()
        assert app.prompt.value == ["B", "A", "C"]
        assert app.query_one(RankList).highlighted == 1
        await pilot.press("alt+down")
        await pilot.pause()
        assert app.changes[-1] == ["B", "C", "A"]
        await pilot.press("alt+down")
        assert app.prompt.value == ["B", "C", "A"]

    app = PromptApp(kinds('kind = "ranking"', options='["A", "B", "C"]'))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.changes == [["A", "B", "C"]]


async def test_ranking_buttons_and_saved_order() -> None:
    app = PromptApp(kinds('kind = "ranking"', options='["A", "B", "C"]'), {("now", "p"): ["C", "A"]})
    async with app.run_test() as pilot:
        assert app.prompt.value == ["C", "A", "B"]
        await pilot.click(".rank-down")
        await pilot.pause()
        assert app.prompt.value == ["A", "C", "B"]


# Hostile and broken input ----------------------------------------------------------------


async def test_hostile_text_shows_literally_and_triggers_nothing() -> None:
    prompt = kinds(
        'kind = "single_choice"',
        label='"Who? {earlier.name}"',
        help='"Earlier: {earlier.name}"',
        options_from='"earlier.people"',
        allow_other="true",
    ).replace('label = "Question"\n', "")
    answers = {("earlier", "name"): HOSTILE, ("earlier", "people"): [HOSTILE, "[/]"], ("now", "p"): HOSTILE + "!"}
    app = PromptApp(prompt, answers)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        label = app.query_one(".prompt--label", Static)
        assert HOSTILE_SHOWN in str(label.render())
        assert HOSTILE_SHOWN in str(app.query_one(".prompt--help", Static).render())
        assert [str(b.label) for b in app.query(RadioButton)][:2] == [HOSTILE_SHOWN, "[/]"]
        assert app.query_one(".choice--other", Input).value == HOSTILE_SHOWN + "!"
        assert "[@click=app.quit]boom[/]" in screen_text(app)
        await pilot.click(RadioButton)
        await pilot.press("enter")
        await pilot.pause()
        assert app.prompt.value == HOSTILE
        await pilot.press("tab", *"[/]")
        await pilot.pause()
        assert app.is_running
        assert app.prompt.value == "[/]"


async def test_hostile_dynamic_options_in_lists_rankings_and_notes() -> None:
    answers = {("earlier", "people"): [HOSTILE], ("earlier", "name"): "*[link](http://x)* [b]y"}
    app = PromptApp(kinds('kind = "ranking"', options_from='"earlier.people"'), answers)
    async with app.run_test(size=(120, 30)) as pilot:
        assert HOSTILE_SHOWN in str(app.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert app.prompt.value == [HOSTILE]
        assert app.is_running

    app = PromptApp('id = "p"\nkind = "note"\ntext = "Hello {earlier.name}"', answers)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.query_one(NoteView), Markdown)
        shown = screen_text(app)
        assert "Hello *[link](" in shown
        assert "[b]y" in shown


@pytest.mark.parametrize(
    ("prompt", "wrong"),
    [
        (kinds('kind = "short_text"'), ["a list"]),
        (kinds('kind = "long_text"'), 42),
        (kinds('kind = "single_choice"', options='["A"]'), {"a": 1}),
        (kinds('kind = "multiple_choice"', options='["A"]'), "A"),
        (kinds('kind = "scale"'), "3"),
        (kinds('kind = "scale"'), True),
        (kinds('kind = "scale"'), 99),
        (kinds('kind = "list"'), 7),
        (kinds('kind = "list"'), ["ok", 3]),
        (RECORDS, ["not a record"]),
        (RECORDS, [{"who": 5}]),
        (kinds('kind = "ranking"', options='["A", "B"]'), "A"),
    ],
)
async def test_wrong_shaped_saved_value_is_shown_read_only_and_kept_until_replaced(prompt: str, wrong: Any) -> None:
    """The file's value is on screen, keys do not change it; Replace gives an empty input to answer afresh."""
    app = PromptApp(prompt, {("now", "p"): wrong})
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert app.prompt.read_only
        assert app.prompt.value is None
        shown = " ".join(screen_text(app).split())
        assert f"Your answer file holds {as_file_text(wrong)} here, which is not" in shown
        assert "Replace" in shown
        await pilot.press(*"typed", "space", "enter", "right", "plus", "1", "backspace", "ctrl+d", "enter")
        await pilot.pause()
        assert app.changes == []
        assert app.prompt.read_only
        await pilot.press("tab", "enter")  # to Replace, and press it
        await pilot.pause()
        assert not app.prompt.read_only
        assert app.prompt.value is None
        assert "Your answer file holds" not in screen_text(app)
        assert app.changes == []  # choosing Replace alone changes nothing in the file


async def test_a_text_prompt_holding_a_number_shows_it_and_replace_then_typing_answers() -> None:
    app = PromptApp(kinds('kind = "short_text"'), {("now", "p"): 42})
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "Your answer file holds 42 here, which is not text." in " ".join(screen_text(app).split())
        await pilot.press(*"Ada", "enter")
        await pilot.pause()
        assert app.changes == []
        await pilot.click(".prompt--replace")
        await pilot.pause()
        await pilot.press(*"Ada")
        await pilot.pause()
        assert app.changes[-1] == "Ada"
        assert app.query_one(Input).has_focus


async def test_a_scale_answer_off_the_scale_is_shown_not_dropped() -> None:
    app = PromptApp(kinds('kind = "scale"'), {("now", "p"): 9})
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "holds 9 here, which is not on this scale (1–5)" in " ".join(screen_text(app).split())
        await pilot.press("right", "3")
        assert app.changes == []


async def test_show_problem_and_focus_input() -> None:
    app = PromptApp(kinds('kind = "multiple_choice"', options='["A"]'))
    async with app.run_test() as pilot:
        problem = app.query_one(".prompt--problem", Static)
        assert not problem.display
        app.prompt.show_problem("Pick [b]one[/b].")
        await pilot.pause()
        assert problem.display
        assert "Pick [b]one[/b]." in str(problem.render())
        app.prompt.show_problem(None)
        await pilot.pause()
        assert not problem.display
        app.screen.set_focus(None)
        app.prompt.focus_input()
        await pilot.pause()
        assert isinstance(app.screen.focused, SelectionList)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_every_kind_fits_small_screens(size: tuple[int, int]) -> None:
    for prompt in [
        kinds('kind = "scale"', min="0", max="10", min_label='"not at all"', max_label='"completely"'),
        RECORDS,
        kinds('kind = "ranking"', options='["A long option that must wrap or fit", "B"]'),
    ]:
        app = PromptApp(prompt)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            widget = app.prompt
            assert widget.size.width <= size[0]
            assert widget.virtual_region.width <= size[0]
            bar = app.query(ScaleBar)
            if bar:
                assert all(p.size.width >= 2 for p in app.query(ScalePoint))


@pytest.mark.parametrize(
    ("prompt", "saved"),
    [
        (kinds('kind = "short_text"'), "Ada"),
        (kinds('kind = "long_text"'), "one\ntwo"),
        (kinds('kind = "single_choice"', options='["A", "B"]'), "B"),
        (kinds('kind = "multiple_choice"', options='["A", "B"]'), ["A", "B"]),
        (kinds('kind = "scale"'), 4),
        (kinds('kind = "list"'), ["x", "y"]),
        (RECORDS, [{"who": "Sam", "role": "peer"}, {"who": "Kim"}]),
        (kinds('kind = "ranking"', options='["A", "B"]'), ["B", "A"]),
    ],
)
async def test_saved_answer_round_trips_without_a_change(prompt: str, saved: Any) -> None:
    app = PromptApp(prompt, {("now", "p"): saved})
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.prompt.value == saved
        assert app.changes == []
