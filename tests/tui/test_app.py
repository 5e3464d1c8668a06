"""The whole app, used like a person: keys and clicks, then a look at the answer file.

Most tests use the starter workbook (`formative new`), written to tmp_path: steps
welcome (note, name [required], story), people (names, contacts), choose (rhythm,
ways, first and order [options from people.names], energy) and boost (shown only
when choose.energy is 1). Walks through the bundled workbooks are in test_app_walk.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, RadioButton, Static

from formative.answers.store import AnswerStore
from formative.session import answers_path
from formative.tui.app import FormativeApp
from formative.tui.screens.finish import FinishScreen
from formative.tui.screens.home import HomeScreen
from formative.tui.screens.outline import OutlineScreen
from formative.tui.screens.problem import ProblemScreen
from formative.tui.screens.review import ReviewScreen
from formative.tui.screens.step import StepScreen
from formative.tui.widgets.choices import RankList
from formative.tui.widgets.items import ListRow
from formative.tui.widgets.prompts import PromptInput
from formative.workbook.bundled import bundled_workbooks, coach_led, solo_first
from formative.workbook.load import load_workbook
from formative.workbook.model import Workbook
from formative.workbook.starter import starter_workbook
from tests.tui.driving import (
    SIZE,
    answer_prompt,
    current_step,
    make_app,
    next_step,
    saved_answers,
    step_screen,
    tab_into,
    type_text,
    until,
)
from tests.tui.test_prompt_widgets import screen_text as svg_text

HOSTILE_NAME = "[/] [@click=app.quit] [bold]x"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The starter workbook as a file, as `formative new demo` writes it."""
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


@pytest.fixture
def answers_dir(tmp_path: Path) -> Path:
    return tmp_path / "answers"


def demo_answers(demo: Path, answers_dir: Path) -> Path:
    return answers_path(answers_dir, load_workbook(demo), None)


def screen_text(app: FormativeApp) -> str:
    """The visible text, with runs of spaces (where styles change) made one."""
    return " ".join(svg_text(app).split())


def header(app: FormativeApp) -> str:
    return str(step_screen(app).query_one("#step-header", Static).render())


def status(app: FormativeApp) -> str:
    return str(step_screen(app).query_one("#save-status", Static).render())


def prompt_on_screen(app: FormativeApp, prompt_id: str) -> PromptInput:
    return step_screen(app).query_one(f"#prompt-{prompt_id}", PromptInput)


async def answer(pilot: Pilot[None], app: FormativeApp, prompt_id: str, text: object = None) -> object:
    """Answer one prompt of the current step with keys; returns the value it should save."""
    custom = {prompt_id: text} if text is not None else None
    return await answer_prompt(pilot, prompt_on_screen(app, prompt_id), custom)


async def fill_first_two_steps(pilot: Pilot[None], app: FormativeApp) -> None:
    await answer(pilot, app, "name", "Thursday circle")
    await next_step(pilot)
    assert current_step(app) == "people"
    await answer(pilot, app, "names", ["Ann", "Bob"])
    await next_step(pilot)
    assert current_step(app) == "choose"


# Navigation ----------------------------------------------------------------------------


async def test_back_and_forward_keep_answers(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        assert current_step(app) == "welcome"
        assert "Step 1 of 3" in header(app)
        await answer(pilot, app, "name", "Thursday circle")
        await answer(pilot, app, "story", None)
        await next_step(pilot)
        assert current_step(app) == "people"
        assert "Step 2 of 3" in header(app)
        await answer(pilot, app, "names", ["Ann", "Bob"])
        await pilot.press("ctrl+b")
        assert current_step(app) == "welcome"
        assert prompt_on_screen(app, "name").query_one(Input).value == "Thursday circle"
        assert prompt_on_screen(app, "story").value == "first line\nsecond line"
        await next_step(pilot)
        assert [row.input.value for row in app.screen.query(ListRow)] == ["Ann", "Bob"]
        await pilot.click("#back")  # the mouse goes back too
        assert current_step(app) == "welcome"
        assert "Thursday circle" in screen_text(app)
    saved = saved_answers(demo_answers(demo, answers_dir))
    assert saved["welcome"] == {"name": "Thursday circle", "story": "first line\nsecond line"}
    assert saved["people"] == {"names": ["Ann", "Bob"]}


async def test_words_that_arrive_with_a_tab_go_to_the_answer_it_moves_to(demo: Path, answers_dir: Path) -> None:
    """Tab and the words after it in one read (a fast typist, or an SSH link that delivers keys in a batch).

    Textual runs a widget's Tab binding only once the key has bubbled up from the focused
    answer, so the keys queued behind it went to the answer Tab was leaving ("Ottersa long").
    """
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tab_into(pilot, prompt_on_screen(app, "name"))
        await type_text(pilot, "Otters")
        for key, character in [("tab", "\t"), *((c, c) for c in "long")]:
            app.post_message(events.Key(key, character))  # as the driver posts a batch: no pause between
        await pilot.pause()
        assert prompt_on_screen(app, "name").query_one(Input).value == "Otters"
        assert prompt_on_screen(app, "story").value == "long"
        for key, character in [("shift+tab", None), *((c, c) for c in "!")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert prompt_on_screen(app, "story").value == "long"  # back with Shift+Tab: the "!" is not left behind
        assert prompt_on_screen(app, "name").query_one(Input).value.endswith("!")


async def test_outline_jumps_to_the_chosen_step(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, OutlineScreen)
        outline = app.screen.query_one(OptionList)
        assert outline.highlighted_option is not None and outline.highlighted_option.id == "welcome"
        assert "Who is in it" in screen_text(app)
        assert "Low on energy?" not in screen_text(app)  # hidden until energy is 1
        for _ in range(outline.option_count):
            if outline.highlighted_option is not None and outline.highlighted_option.id == "choose":
                break
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, StepScreen)
        assert current_step(app) == "choose"
        assert "Step 3 of 3" in header(app)
        await pilot.press("ctrl+o", "escape")  # closing the outline goes nowhere
        assert current_step(app) == "choose"


async def test_resume_opens_the_first_unfinished_step(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await fill_first_two_steps(pilot, app)
        await pilot.press("ctrl+q")
    assert not app.is_running

    again = make_app(str(demo), answers_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current_step(again) == "choose"
        assert "Choose" in header(again) and "Step 3 of 3" in header(again)
        await pilot.press("ctrl+b")
        assert [row.input.value for row in again.screen.query(ListRow)] == ["Ann", "Bob"]


async def test_review_shows_answers_and_edit_jumps_there(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await fill_first_two_steps(pilot, app)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        shown = screen_text(app)
        assert "Thursday circle" in shown
        assert "• Ann" in shown and "• Bob" in shown
        assert "Not answered yet" in shown  # the story
        edit = next(b for b in app.screen.query(Button) if b.name == "welcome")
        await pilot.click(edit)
        assert isinstance(app.screen, StepScreen)
        assert current_step(app) == "welcome"
        await until(pilot, lambda: bool(app.screen.query("#prompt-name")), "the welcome step showing")
        assert prompt_on_screen(app, "name").query_one(Input).value == "Thursday circle"
        await pilot.press("ctrl+r", "escape")  # Escape returns to the same step
        assert current_step(app) == "welcome"


# Checks, conditions and dynamic options -------------------------------------------------


async def test_required_answer_keeps_you_on_the_step(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        assert current_step(app) == "welcome"
        problem = prompt_on_screen(app, "name").query_one(".prompt--problem", Static)
        assert problem.display
        shown = screen_text(app)
        assert "This one needs an answer before you go on." in shown
        assert "1 answer needs attention" in shown
        assert app.focused is prompt_on_screen(app, "name").query_one(Input)
        await type_text(pilot, "Us")
        await next_step(pilot)
        assert current_step(app) == "people"


async def test_show_if_step_follows_the_earlier_answer(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await fill_first_two_steps(pilot, app)
        energy = prompt_on_screen(app, "energy")
        await tab_into(pilot, energy)
        await pilot.press("1")
        assert energy.value == 1
        await next_step(pilot)
        assert current_step(app) == "boost"
        assert "Step 4 of 4" in header(app)
        assert "You rated your energy 1 of 5" in screen_text(app)
        await pilot.press("ctrl+b")
        assert current_step(app) == "choose"
        await tab_into(pilot, prompt_on_screen(app, "energy"))
        await pilot.press("right", "right")
        await next_step(pilot)
        assert isinstance(app.screen, FinishScreen)  # boost is hidden again: choose was last
    saved = saved_answers(demo_answers(demo, answers_dir))
    assert saved["choose"]["energy"] == 3
    assert "boost" not in saved


async def test_options_typed_in_a_list_show_up_in_later_choices(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, app, "name", "Circle")
        await next_step(pilot)
        await answer(pilot, app, "names", ["Ann", "Bob", "Cy"])
        await next_step(pilot)
        first = prompt_on_screen(app, "first")
        assert [str(b.label) for b in first.query(RadioButton)] == ["Ann", "Bob", "Cy"]
        assert app.screen.query_one("#prompt-order").query_one(RankList).order == ["Ann", "Bob", "Cy"]
        await tab_into(pilot, first)
        await pilot.press("down", "enter")
        order = await answer(pilot, app, "order")
        assert order == ["Bob", "Ann", "Cy"]
        await pilot.press("ctrl+s")
    saved = saved_answers(demo_answers(demo, answers_dir))
    assert saved["choose"] == {"first": "Bob", "order": ["Bob", "Ann", "Cy"]}


# Saving ---------------------------------------------------------------------------------


async def test_save_indicator_goes_from_unsaved_to_saved(demo: Path, answers_dir: Path) -> None:
    path = demo_answers(demo, answers_dir)
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Ours")
        assert "Unsaved" in status(app)
        await pilot.pause(1.0)
        assert "✓ Saved" in status(app)
        assert "✓ Saved" in screen_text(app)
        assert saved_answers(path)["welcome"]["name"] == "Ours"
        await type_text(pilot, "!")
        assert "Unsaved" in status(app)
        await pilot.press("ctrl+s")  # saving by hand does not wait
        assert "✓ Saved" in status(app)
        assert saved_answers(path)["welcome"]["name"] == "Ours!"


async def test_ctrl_q_saves_what_was_just_typed(demo: Path, answers_dir: Path) -> None:
    path = demo_answers(demo, answers_dir)
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Quick")
        await pilot.press("ctrl+q")
    assert not app.is_running
    assert saved_answers(path)["welcome"]["name"] == "Quick"


# Files we must not touch ----------------------------------------------------------------


async def test_locked_answer_file_names_the_holder_and_stays_untouched(demo: Path, answers_dir: Path) -> None:
    path = demo_answers(demo, answers_dir)
    store = AnswerStore.open(path, load_workbook(demo))
    try:
        store.set("welcome", "name", "Held")
        store.save()
        before = path.read_bytes()
        app = make_app(str(demo), answers_dir)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ProblemScreen)
            message = str(app.screen.query_one("#problem-message", Static).render())
            assert f"process {os.getpid()}" in message
            assert "open in another Formative" in message
            assert "Nothing was changed." in screen_text(app)
            await pilot.press("q")
        assert path.read_bytes() == before
    finally:
        store.close()


async def test_unparseable_answer_file_shows_the_line_and_stays_untouched(demo: Path, answers_dir: Path) -> None:
    path = demo_answers(demo, answers_dir)
    answers_dir.mkdir()
    path.write_bytes(b"[formative\n")
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemScreen)
        message = str(app.screen.query_one("#problem-message", Static).render())
        assert re.search(re.escape(str(path)) + r":1:\d+: this answer file is not valid TOML", message), message
        await pilot.click("#quit")
    assert app.return_code == 1
    assert path.read_bytes() == b"[formative\n"


# Hostile text ---------------------------------------------------------------------------


async def test_markup_in_answers_is_shown_literally_everywhere(demo: Path, answers_dir: Path) -> None:
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, app, "name", HOSTILE_NAME)
        await answer(pilot, app, "story", None)
        await next_step(pilot)
        assert current_step(app) == "people"  # its body says "You called it **{welcome.name}**"
        assert f"You called it {HOSTILE_NAME}" in screen_text(app)
        await answer(pilot, app, "names", ["[/]", "[bold]x"])
        await pilot.click(".step-body")  # a click on the shown text triggers nothing
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen)
        shown = screen_text(app)
        assert HOSTILE_NAME in shown
        assert "• [/]" in shown and "• [bold]x" in shown
        await pilot.press("escape")
        await next_step(pilot)
        assert [str(b.label) for b in prompt_on_screen(app, "first").query(RadioButton)] == ["[/]", "[bold]x"]
        assert app.is_running
        assert isinstance(app.screen, StepScreen)
    saved = saved_answers(demo_answers(demo, answers_dir))
    assert saved["welcome"]["name"] == HOSTILE_NAME
    assert saved["people"]["names"] == ["[/]", "[bold]x"]


async def test_saved_escape_sequence_shows_as_a_visible_symbol(demo: Path, answers_dir: Path) -> None:
    path = demo_answers(demo, answers_dir)
    with AnswerStore.open(path, load_workbook(demo)) as store:
        store.set("welcome", "name", "\x1b[2Jwiped")
        store.save()
    before = path.read_bytes()
    app = make_app(str(demo), answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current_step(app) == "people"  # resumed after the answered welcome step
        svg = app.export_screenshot()
        assert "\x1b" not in svg
        assert "You called it ␛[2Jwiped" in screen_text(app)
        await pilot.press("ctrl+b")
        assert "\x1b" not in app.export_screenshot()
        assert "␛[2Jwiped" in screen_text(app)
        await pilot.press("ctrl+r")
        assert "\x1b" not in app.export_screenshot()
        assert "␛[2Jwiped" in screen_text(app)
    assert path.read_bytes() == before  # looking changed nothing


# Home screen ----------------------------------------------------------------------------


def bundled_titles() -> list[str]:
    """In the home screen's order: workbooks for one person first, the coach-led workshop last."""
    return [b.workbook.title for b in solo_first(bundled_workbooks())]


async def test_home_lists_the_bundled_workbooks_and_opens_the_chosen_one(answers_dir: Path) -> None:
    workbooks: list[Workbook] = [b.workbook for b in solo_first(bundled_workbooks())]
    assert coach_led(workbooks[-1]) and not any(coach_led(w) for w in workbooks[:-1])
    app = make_app(None, answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query("#continue")
        start = app.screen.query_one("#start", OptionList)
        assert start.option_count == len(workbooks) == 5
        prompts = [str(start.get_option_at_index(n).prompt) for n in range(len(workbooks))]
        assert [p.split("\n")[0] for p in prompts] == bundled_titles()
        assert app.focused is start
        await pilot.press("down", "enter")
        assert isinstance(app.screen, StepScreen)
        chosen = workbooks[1]
        assert app.session is not None and app.session.workbook.id == chosen.id
        assert current_step(app) == chosen.steps[0].id


async def test_home_offers_to_continue_an_answer_file(answers_dir: Path) -> None:
    workbook = next(b.workbook for b in bundled_workbooks() if b.workbook.id == "formative-community")
    with AnswerStore.open(answers_path(answers_dir, workbook, None), workbook) as store:
        store.set("welcome", "name", "Guild")
        store.save()
    app = make_app(None, answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        resume = app.screen.query_one("#continue", OptionList)
        assert resume.option_count == 1
        label = str(resume.get_option_at_index(0).prompt)
        assert workbook.title in label
        assert "1 of 13 steps answered · next: What it is for" in label
        assert app.focused is resume
        await pilot.press("enter")
        assert isinstance(app.screen, StepScreen)
        assert current_step(app) == "purpose"


# Themes ---------------------------------------------------------------------------------


async def test_projector_theme(answers_dir: Path) -> None:
    app = make_app("formative-community", answers_dir, theme="projector")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "projector"
        assert isinstance(app.screen, StepScreen)


async def test_no_color_still_runs(answers_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("formative-community", answers_dir)
    async with app.run_test(size=SIZE) as pilot:
        await next_step(pilot)  # past the opening page, to the first question
        await answer(pilot, app, "name", "Plain")
        await next_step(pilot)
        assert current_step(app) != "welcome"
        assert app.is_running
        assert "Step 3 of" in screen_text(app)
    workbook = next(b.workbook for b in bundled_workbooks() if b.workbook.id == "formative-community")
    assert saved_answers(answers_path(answers_dir, workbook, None))["welcome"]["name"] == "Plain"
