"""Choices read without colour: a chosen option differs from the others in shape, and a
checkbox from a radio button (issue 13). The snapshot runs with NO_COLOR set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.strip import Strip

from formative.tui.app import FormativeApp
from formative.tui.screens.step import StepScreen
from formative.tui.widgets.choices import CHECK_OFF, CHECK_ON, RADIO_OFF, RADIO_ON, CheckList, Radio
from formative.workbook.starter import starter_workbook
from tests.tui.test_snapshots import DEMO_ANSWERS, fill

SnapCompare = Callable[..., bool]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(starter_workbook("demo", "Demo"), encoding="utf-8")
    return path


def text_of(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


async def test_marks_follow_the_choice(demo: Path, tmp_path: Path) -> None:
    """Radio buttons read (•) / ( ) and checkboxes [x] / [ ], and change as the person picks."""
    fill(str(demo), tmp_path / "answers", DEMO_ANSWERS)
    app = FormativeApp(str(demo), answers_dir=tmp_path / "answers")
    async with app.run_test(size=(80, 60)) as pilot:
        screen = app.screen
        assert isinstance(screen, StepScreen)
        await screen.jump_to("choose")
        await pilot.pause()
        radios = list(screen.query_one("#prompt-rhythm").query(Radio))
        marks = [str(radio.render())[:3] for radio in radios]
        assert marks.count(RADIO_ON) == 1 and RADIO_OFF in marks
        checks = screen.query_one(CheckList)
        lines = [text_of(checks.render_line(y))[:3] for y in range(checks.option_count)]
        assert lines.count(CHECK_ON) == 2 and CHECK_OFF in lines
        checks.focus()
        checks.highlighted = lines.index(CHECK_OFF)
        await pilot.press("space")
        await pilot.pause()
        assert text_of(checks.render_line(checks.highlighted))[:3] == CHECK_ON


def test_choices_without_colour(
    snap_compare: SnapCompare, demo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """You should see the demo's "Pick and order" step in black and white (NO_COLOR) at 80×60:
    radio buttons with (•) before "Every two weeks" and ( ) before the others; checkboxes with
    [x] before "In person" and "Group chat" and [ ] before the rest; the ranking numbered
    1. 2. 3.; the scale with [4] in brackets; the dot vote's dots ●● and ●○. Every choice can
    be read without colour."""
    answers = Path.home() / "formative-answers"
    fill(str(demo), answers, DEMO_ANSWERS)
    monkeypatch.setenv("NO_COLOR", "1")
    app = FormativeApp(str(demo), answers_dir=answers)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, StepScreen)
        await screen.jump_to("choose")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 60), run_before=run_before)
