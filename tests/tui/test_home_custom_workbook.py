"""Home lists answers to a custom workbook and resumes them where they were (issue 13, item 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import OptionList

from formative.session import Session
from formative.tui.screens.step import StepScreen
from tests.tui.driving import SIZE, current_step, make_app

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "odyssey-plan.toml"


async def test_home_continues_a_custom_workbooks_answers(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "odyssey.toml")
    answers = tmp_path / "answers"
    session = Session.open(tmp_path / "odyssey.toml", answers)
    session.set_answer("welcome", "now", "Designer, restless")
    session.save()
    session.close()
    app = make_app(None, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        resume = app.screen.query_one("#continue", OptionList)
        assert resume.option_count == 1
        assert "Three lives: your Odyssey Plans" in str(resume.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert app.session is not None and app.session.workbook.id == "odyssey-plan"
        assert current_step(app) == "plan-1"
