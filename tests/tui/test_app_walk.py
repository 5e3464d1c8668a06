"""Whole walks through the bundled workbooks in the app.

One workbook (the shortest, tend-your-community) is answered prompt by prompt with keys.
Every workbook is walked step by step from its first step to the finish as a returning
person would: valid answers (the Walk-level walk of test_bundled_walks) already in the
file, the first step typed with keys. Each step's widgets must take the saved answers
and hand them back unchanged. Each prompt kind's keys are tested in test_prompt_widgets
and test_dot_vote_widget; the content's rules, Walk by Walk, in test_bundled_walks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formative.answers import AnswerStore
from formative.session import answers_path
from formative.tui.screens.finish import FinishScreen
from formative.workbook.bundled import bundled_workbooks
from tests.tui.driving import SIZE, answer_step, current_step, make_app, next_step, saved_answers
from tests.tui.test_prompt_widgets import screen_text as svg_text
from tests.unit.test_bundled_walks import BY_ID, Answers, walk_through

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


KEYED = "tend-your-community"
"""The one workbook answered entirely with keys: the shortest (a keyed walk of each took 68 s of the suite)."""


async def test_walk_every_step_to_the_finish_with_keys(tmp_path: Path) -> None:
    workbook_id = KEYED
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


@pytest.mark.parametrize("workbook_id", BUNDLED)
async def test_every_step_takes_its_saved_answers_and_moves_on(workbook_id: str, tmp_path: Path) -> None:
    workbook = BY_ID[workbook_id]
    walk, expected_steps = walk_through(workbook)
    assert isinstance(walk.answers, Answers)
    first = next(step for step in workbook.steps if step.answer_prompts)
    path = answers_path(tmp_path, workbook, None)
    expected: dict[str, dict[str, object]] = {}
    with AnswerStore.open(path, workbook) as store:
        for (step_id, prompt_id), value in walk.answers.data.items():
            if step_id != first.id:  # left for the keys, so the app resumes on the first step
                store.set(step_id, prompt_id, value)
                expected.setdefault(step_id, {})[prompt_id] = value
    app = make_app(workbook_id, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        visited = []
        for _ in range(len(workbook.steps) + 1):
            if isinstance(app.screen, FinishScreen):
                break
            step_id = current_step(app)
            visited.append(step_id)
            if step_id == first.id:
                expected[step_id] = await answer_step(pilot)
            await next_step(pilot)
            assert isinstance(app.screen, FinishScreen) or current_step(app) != step_id, (
                f"ctrl+n stayed on {step_id}: {app.screen.query_one('#nav-hint').render()}"
            )
        answerable = sum(1 for step in workbook.steps if step.answer_prompts)
        assert f"{answerable} of {answerable} steps answered." in " ".join(svg_text(app).split())
    assert visited == expected_steps
    assert saved_answers(path) == expected, "a step's widgets changed the answers they were given"
