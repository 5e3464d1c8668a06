"""SVG snapshots of a worked example shown with F2, and of earlier answers above a review question.

Update with `pytest tests/tui/test_recall_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from formative.tui.app import FormativeApp
from formative.tui.screens.step import StepScreen
from tests.tui.test_snapshots import fill

SnapCompare = Callable[..., bool]


@pytest.fixture
def answers() -> Path:
    return Path.home() / "formative-answers"


def test_example_shown_under_its_prompt(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see the end of the Purpose step of Design a Formative Community after F2: the
    end of the first example ("each of us keeps making work we are proud of, …") with an accent
    bar on its left, then "A year from now, how would you know it was working?" with its help and
    an empty text box, and under it a second block: "Example" in bold and Rosa's answer reflowed
    to the screen's width, in muted text."""
    fill("formative-community", answers, {("welcome", "name"): "The Drawing Table"})
    app = FormativeApp("formative-community", answers_dir=answers)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, StepScreen)
        await screen.jump_to("purpose")
        await pilot.press("f2")
        await settle(pilot)
        screen.query_one("#step-content").scroll_end(animate=False)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_earlier_answers_above_a_review_question(snap_compare: SnapCompare, answers: Path) -> None:
    """You should see the rhythm step of Tend your community, where the walk resumed, from the
    top: "F2 for an example", the body with "The Drawing Table" in bold, then two muted blocks
    with a bar on the left: "In Design a Formative Community (How often will you get together?)
    you wrote:" with "Once a month", and one for the typical gathering with "First Tuesday, 7 to
    9pm [bold]" shown literally; then the question "How often have you actually met?". The page
    is not scrolled: the earlier answers are read before the first question."""
    fill(
        "formative-community",
        answers,
        {
            ("welcome", "name"): "The Drawing Table",
            ("construct", "rhythm"): "Once a month",
            ("construct", "format"): "First Tuesday, 7 to 9pm [bold]",
        },
    )
    fill(
        "tend-your-community",
        answers,
        {("welcome", "name"): "The Drawing Table", ("welcome", "state"): "Paused for now"},
    )
    app = FormativeApp("tend-your-community", answers_dir=answers)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StepScreen) and screen.walk.current.id == "rhythm"  # resumed there

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def settle(pilot: Pilot[None]) -> None:
    """Let focus-scrolling and layout finish, however loaded the machine is."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
