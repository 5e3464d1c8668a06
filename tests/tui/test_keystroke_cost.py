"""What one keystroke costs the step screen: no layout of the screen, and no repaint of lines that did not change.

Thirty people typing over SSH on two cores share one CPU budget, so per-key work that
can wait does. These tests watch Textual's own Layout and Update messages (the requests
a widget makes to lay the screen out or to repaint itself) through run_test's
message_hook while keys are typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input, TextArea

from formative.tui.widgets.prompts import LengthCount, PromptInput
from formative.tui.widgets.status import SaveStatus
from tests.tui.driving import SIZE, make_app, step_screen
from tests.tui.redraws import Requests

WORKBOOK = """\
format = 1
id = "keys"
title = "Keys"

[[sections]]
id = "main"
title = "Main"

[[sections.steps]]
id = "write"
title = "Write"

[[sections.steps.prompts]]
id = "name"
kind = "short_text"
label = "A name"
max_length = 30
required = true

[[sections.steps.prompts]]
id = "story"
kind = "long_text"
label = "A story"
max_length = 2000
"""


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "keys.toml"
    path.write_text(WORKBOOK, encoding="utf-8")
    return path


async def type_watched(workbook: Path, answers: Path, prompt_id: str, keys: str) -> tuple[Requests, str]:
    """Type keys into a prompt (after a first key, so the line under the step already says Unsaved)."""
    requests = Requests()
    app = make_app(str(workbook), answers)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0  # the autosave stays due later: the keys below are one burst
        screen.query_one(f"#prompt-{prompt_id}", PromptInput).focus_input()
        await pilot.press("x")
        await pilot.pause()
        requests.on = True
        await pilot.press(*keys)
        await pilot.pause()
        requests.on = False
        typed = str(screen.session.answer("write", prompt_id))
    return requests, typed


async def test_typing_in_a_long_answer_lays_nothing_out(workbook: Path, tmp_path: Path) -> None:
    """The old count line laid the whole screen out on every key, even while hidden."""
    requests, typed = await type_watched(workbook, tmp_path / "answers", "story", "twenty keys typed now")
    assert typed == "xtwenty keys typed now"
    assert sum(requests.layouts.values()) == 0, requests.layouts
    assert requests.repaints["LengthCount"] == 0
    assert requests.repaints["SaveStatus"] == 0, "the line said Unsaved before these keys and still does"


async def test_typing_in_a_short_answer_lays_nothing_out(workbook: Path, tmp_path: Path) -> None:
    """Textual's Input asked for a layout of the whole screen on every key, as its text widened."""
    requests, typed = await type_watched(workbook, tmp_path / "answers", "name", "a few keys")
    assert typed == "xa few keys"
    assert sum(requests.layouts.values()) == 0, requests.layouts
    assert requests.repaints["LengthCount"] == 0
    assert requests.repaints["SaveStatus"] == 0


async def test_a_short_answer_longer_than_its_box_scrolls_to_the_cursor(workbook: Path, tmp_path: Path) -> None:
    """Without those layouts the line still scrolls as it grows, and back to its start on Home."""
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=(36, 24)) as pilot:  # a narrow terminal: the box is shorter than the answer
        screen = step_screen(app)
        screen.query_one("#prompt-name", PromptInput).focus_input()
        field = screen.query_one("#prompt-name Input", Input)
        await pilot.press(*"abcdefghijklmnopqrstuvwxyz0123")
        await pilot.pause()
        width = field.scrollable_content_region.width
        assert field.virtual_size.width == 31 > width
        assert field.scroll_offset.x == 31 - width, "the cursor after the last letter is in view"
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_offset.x == 0


async def test_a_count_near_its_limit_repaints_its_line_alone(workbook: Path, tmp_path: Path) -> None:
    """Past 80% of 30 characters the count shows; each key then repaints the count, never the screen's layout."""
    requests = Requests()
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0
        screen.query_one("#prompt-story", PromptInput).focus_input()  # the long answer: its area never lays out
        area = screen.query_one(TextArea)
        area.insert("y" * 1600)  # 80% of 2,000: the count appears
        await requests.settle(pilot)  # its appearing lays the screen out, before the keys are watched
        count = screen.query_one("#prompt-story LengthCount", LengthCount)
        assert count.display and "1,600 / 2,000 characters" in str(count.render())
        requests.on = True
        await pilot.press(*"abcde")
        await pilot.pause()
        requests.on = False
        assert "1,605 / 2,000 characters" in str(count.render())
    assert requests.layouts["LengthCount"] == 0, requests.layouts
    assert 1 <= requests.repaints["LengthCount"] <= 5


async def test_a_short_answers_count_changes_in_the_keys_own_turn(workbook: Path, tmp_path: Path) -> None:
    """The count near the limit is new before anything else runs: it repaints in the letter's frame.

    Counted on Input.Changed (a message handled later), it repainted in a frame of its own,
    so each key near the limit cost two screen updates (152 of 200 keys in a forked
    participant: 8.1 -> 6.8 ms of CPU per key once merged)."""
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=SIZE) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0
        field = screen.query_one("#prompt-name Input", Input)
        count = screen.query_one("#prompt-name LengthCount", LengthCount)
        field.value = "y" * 24  # 80% of 30
        assert count.counts == ("24 / 30 characters", False)  # no await between: the same turn
        field.insert_text_at_cursor("zzzzzzz")
        assert count.counts == ("31 / 30 characters (1 too many)", True)
        await pilot.pause()
        assert "31 / 30 characters (1 too many)" in str(count.render())
        await pilot.press("backspace")
        await pilot.pause()
        assert count.counts == ("30 / 30 characters", False)


async def test_a_long_answers_count_changes_in_the_edits_own_turn(workbook: Path, tmp_path: Path) -> None:
    """As a short answer's: counted on TextArea.Changed (handled later), the count near its limit
    repainted in a frame of its own, a second screen update for each key."""
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=SIZE) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0
        area = screen.query_one(TextArea)
        count = screen.query_one("#prompt-story LengthCount", LengthCount)
        area.insert("y" * 1600)  # 80% of 2,000
        assert count.counts == ("1,600 / 2,000 characters", False)  # no await between: the same turn
        area.insert("zz")
        assert count.counts == ("1,602 / 2,000 characters", False)
        await pilot.pause()
        area.undo()  # undone edits are counted when their Changed message arrives
        await pilot.pause()
        assert count.counts == ("1,600 / 2,000 characters", False)


async def test_the_save_line_repaints_only_when_it_changes(workbook: Path, tmp_path: Path) -> None:
    """Saved → Unsaved on the first key, Saved again on the save: two repaints, whatever the keys in between."""
    requests = Requests()
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0
        screen.query_one("#prompt-name", PromptInput).focus_input()
        await pilot.pause()
        status = screen.query_one(SaveStatus)
        requests.on = True
        await pilot.press(*"abcdef")
        await pilot.pause()
        assert "Unsaved" in str(status.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        requests.on = False
        assert "Saved" in str(status.render())
    assert requests.repaints["SaveStatus"] == 2
    assert requests.layouts["SaveStatus"] == 0


def widget_names(widgets: list[Widget]) -> list[str]:
    return [type(widget).__name__ for widget in widgets]


async def test_the_input_kinds_typed_into_are_the_ones_measured(workbook: Path, tmp_path: Path) -> None:
    """The prompts above are a text input and a text area (what the names in the counts stand for)."""
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=SIZE):
        screen = step_screen(app)
        assert widget_names(list(screen.query(Input))) == ["TextInput"]
        assert widget_names(list(screen.query(TextArea))) == ["ProseArea"]


async def test_a_count_that_wraps_onto_a_second_line_gets_its_height(workbook: Path, tmp_path: Path) -> None:
    """At 40 columns '(1 too many)' pushes the count onto two lines: then the screen is laid out, and nothing is cut."""
    requests = Requests()
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=(40, 24), message_hook=requests.hook) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0
        screen.query_one("#prompt-story", PromptInput).focus_input()
        screen.query_one(TextArea).insert("y" * 1999)
        await pilot.pause()
        count = screen.query_one("#prompt-story LengthCount", LengthCount)
        assert count.size.height == 1
        requests.on = True
        await pilot.press("a", "b")
        await pilot.pause()
        requests.on = False
        assert "(1 too many)" in str(count.render())
        assert count.size.height == 2
    assert requests.layouts["LengthCount"] >= 1


async def test_a_standing_warning_is_not_drawn_again_on_every_key(workbook: Path, tmp_path: Path) -> None:
    """Ctrl+N with the required name empty flags it; typing the story checks again on every key,
    and the warning, its mark and the count between Back and Next stay as they are, undrawn."""
    requests = Requests()
    app = make_app(str(workbook), tmp_path / "answers")
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = step_screen(app)
        screen.clock = lambda: 0.0
        await pilot.press("ctrl+n")
        await pilot.pause()
        name = screen.query_one("#prompt-name", PromptInput)
        hint = screen.query_one("#nav-hint")
        assert name.has_class("-invalid")
        assert "1 answer needs attention" in str(hint.render())
        screen.query_one("#prompt-story", PromptInput).focus_input()
        await pilot.press("x")
        await pilot.pause()
        requests.on = True
        await pilot.press(*"a story")
        await pilot.pause()
        requests.on = False
        assert name.has_class("-invalid") and "1 answer needs attention" in str(hint.render())
        drawn = [widget for widget in requests.widgets if widget is hint or name in widget.ancestors_with_self]
    assert drawn == []
