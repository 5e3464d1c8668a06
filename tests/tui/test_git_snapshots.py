"""SVG snapshots of a second sitting: 'Last time' above a question, the History screen, a review due.

Dates come from commits made with a fixed GIT_AUTHOR_DATE, so the pictures do not change
with the day the tests run. Update with `pytest tests/tui/test_git_snapshots.py
--snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from formative.session import begin_sitting
from formative.tui.app import FormativeApp
from formative.tui.screens.history import HistoryScreen
from formative.tui.screens.home import HomeScreen
from formative.tui.screens.step import StepScreen
from tests.tui.test_snapshots import fill

SnapCompare = Callable[..., bool]
AIM = "To learn how product teams decide what to build [bold]"
PICTURE = "I would know three product managers well enough to ask a hard question.\nAnd one would ask me."


@pytest.fixture
def answers() -> Path:
    return Path.home() / "formative-answers"


@pytest.fixture
def second_sitting(answers: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work your network answered on 1 Jun 2026 (aim and picture), then a second sitting begun."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-06-01T09:30:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-06-01T09:30:00+00:00")
    fill("work-your-network", answers, {("aim", "aim"): AIM, ("aim", "picture"): PICTURE})
    begin_sitting("work-your-network", answers)
    return answers


async def on_aim(pilot: Pilot[None]) -> StepScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen)
    await screen.jump_to("aim")
    await pilot.pause()
    return screen


def test_last_time_above_each_question(snap_compare: SnapCompare, second_sitting: Path) -> None:
    """You should see the step "What is your network for?" of Work your network, with above each
    of its two questions a muted block with a bar on its left, like the recall blocks: "Last time
    (1 Jun 2026) · ctrl+l copies it in:" in italics, then what was written, literally ("[bold]"
    shows as typed; the second answer on two lines). The answer boxes below are empty."""
    app = FormativeApp("work-your-network", answers_dir=second_sitting)

    async def run_before(pilot: Pilot[None]) -> None:
        await on_aim(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_history_screen(snap_compare: SnapCompare, second_sitting: Path) -> None:
    """You should see "History: What is your network for?", "2 commits of work-your-network.toml;
    oldest first.", then each question in bold with its versions below in muted blocks with a bar
    on the left, indented under it: "1 Jun 2026 09:30 · sitting 1" with the answer (two lines for
    the second), then "… · sitting 2" with "(no answer)", where the new sitting began empty; the
    third question says "No committed answer yet."."""
    app = FormativeApp("work-your-network", answers_dir=second_sitting)

    async def run_before(pilot: Pilot[None]) -> None:
        await on_aim(pilot)
        await pilot.press("ctrl+t")
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(pilot.app.screen, HistoryScreen) and pilot.app.screen.query(".history-version"):
                break

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_home_screen_with_a_review_due(
    snap_compare: SnapCompare, answers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """You should see the home screen's Continue list with "Work your network, four ways", its
    progress, and on a third line in the warning colour "due for a review: last sitting 4 months
    ago · a starts again"; the footer offers "a Start again"."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-06-01T09:30:00+00:00")
    fill("work-your-network", answers, {("aim", "aim"): AIM})
    monkeypatch.setattr(HomeScreen, "now", staticmethod(lambda: datetime(2026, 10, 15, 12, 0).astimezone()))
    assert snap_compare(FormativeApp(None, answers_dir=answers), terminal_size=(80, 24))
