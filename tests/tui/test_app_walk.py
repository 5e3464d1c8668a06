"""Whole walks through every bundled workbook, answering every prompt with keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formative.session import answers_path
from formative.tui.screens.finish import FinishScreen
from formative.workbook.bundled import bundled_workbooks
from tests.tui.driving import SIZE, answer_step, current_step, make_app, next_step, saved_answers
from tests.tui.test_prompt_widgets import screen_text as svg_text

SHAPES: dict[str, Callable[[Any], bool]] = {
    "short_text": lambda v: isinstance(v, str),
    "long_text": lambda v: isinstance(v, str) and "\n" in v,
    "single_choice": lambda v: isinstance(v, str),
    "scale": lambda v: type(v) is int,
    "multiple_choice": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "list": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "ranking": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "records": lambda v: isinstance(v, list) and all(isinstance(r, dict) and r for r in v),
    "dot_vote": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
}
"""The shape each kind of answer has in the answer file, as tomllib reads it."""

BUNDLED = [
    "formative-community",
    "network-to-community",
    "work-your-network",
    "community-design-workshop",
    "tend-your-community",
]


def test_the_bundled_workbooks_are_the_four_we_walk() -> None:
    assert sorted(b.workbook.id for b in bundled_workbooks()) == sorted(BUNDLED)


@pytest.mark.parametrize("workbook_id", BUNDLED)
async def test_walk_every_step_to_the_finish(workbook_id: str, tmp_path: Path) -> None:
    app = make_app(workbook_id, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        workbook = app.session.workbook
        expected: dict[str, dict[str, object]] = {}
        visited = []
        for _ in range(len(workbook.steps) + 1):
            if isinstance(app.screen, FinishScreen):
                break
            step_id = current_step(app)
            visited.append(step_id)
            answers = await answer_step(pilot)
            if answers:
                expected[step_id] = answers
            await next_step(pilot)
            assert isinstance(app.screen, FinishScreen) or current_step(app) != step_id, (
                f"ctrl+n stayed on {step_id}: {app.screen.query_one('#nav-hint').render()}"
            )
        assert isinstance(app.screen, FinishScreen)
        answerable = sum(1 for step in workbook.steps if step.answer_prompts)
        shown = " ".join(svg_text(app).split())
        assert f"You reached the end of {workbook.title}" in shown
        assert f"{answerable} of {answerable} steps answered." in shown
        path = answers_path(tmp_path, workbook, None)
    # Answers that pick the first option and the second-lowest number show every
    # conditional step of the bundled workbooks, so no step is skipped.
    assert visited == [s.id for s in workbook.steps]
    saved = saved_answers(path)
    assert saved == expected
    for step in workbook.steps:
        for prompt in step.answer_prompts:
            assert SHAPES[prompt.kind](saved[step.id][prompt.id]), f"{step.id}.{prompt.id}"
