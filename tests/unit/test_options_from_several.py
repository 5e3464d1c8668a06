"""'options_from' naming several earlier answers: merged in order, each option once (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest

from formative.answers.values import check_answer
from formative.walk import Walk
from formative.workbook import WorkbookError, load_workbook_text
from formative.workbook.model import Ranking

WORKBOOK = """\
format = 1
id = "several"
title = "Several"

[[sections]]
id = "one"
title = "One"

[[sections.steps]]
id = "plans"
title = "Plans"

[[sections.steps.prompts]]
id = "first"
kind = "short_text"
label = "First plan"

[[sections.steps.prompts]]
id = "second"
kind = "short_text"
label = "Second plan"

[[sections.steps.prompts]]
id = "others"
kind = "list"
label = "Other ideas"

[[sections.steps.prompts]]
id = "people"
kind = "records"
label = "People"
fields = [{ id = "name", label = "Name" }]

[[sections.steps]]
id = "choose"
title = "Choose"

[[sections.steps.prompts]]
id = "order"
kind = "ranking"
label = "Rank them"
options_from = SOURCES
"""


class Answers(dict[tuple[str, str], Any]):
    def get(self, step_id: str, prompt_id: str) -> Any:  # type: ignore[override]
        return super().get((step_id, prompt_id))


def walk_with(sources: str, answers: dict[tuple[str, str], Any]) -> tuple[Walk, Ranking]:
    workbook = load_workbook_text(WORKBOOK.replace("SOURCES", sources))
    prompt = workbook.steps[1].prompts[0]
    assert isinstance(prompt, Ranking)
    return Walk(workbook, Answers(answers)), prompt


def problems_of(sources: str) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(WORKBOOK.replace("SOURCES", sources), "wb.toml")
    return [str(p) for p in caught.value.problems]


def test_options_from_several_answers_are_merged_in_order_without_repeats() -> None:
    walk, prompt = walk_with(
        '["plans.first", "plans.second", "plans.others", "plans.people.name"]',
        {
            ("plans", "first"): "Ceramics by the sea",
            ("plans", "second"): "  ",
            ("plans", "others"): ["Open a bakery", "Ceramics by the sea", ""],
            ("plans", "people"): [{"name": "Ada"}, {"name": ""}],
        },
    )
    options = walk.options(prompt)
    assert options == ["Ceramics by the sea", "Open a bakery", "Ada"]
    assert walk.ranking_order(walk.step("choose"), prompt) == options
    assert check_answer(prompt, ["Open a bakery", "Ada", "Ceramics by the sea"], options) == []
    assert check_answer(prompt, ["Open a bakery"], options) == ["Put every option in order."]


def test_one_short_text_can_give_an_option() -> None:
    walk, prompt = walk_with('"plans.first"', {("plans", "first"): "Ceramics"})
    assert walk.options(prompt) == ["Ceramics"]


def test_nothing_answered_gives_no_options() -> None:
    walk, prompt = walk_with('["plans.first", "plans.others"]', {})
    assert walk.options(prompt) == []


def test_each_reference_is_checked_and_located() -> None:
    [problem] = problems_of('["plans.first", "plans.secnd"]')
    assert problem.startswith("wb.toml:42:32: sections[0].steps[1].prompts[0].options_from[1]:"), problem
    assert "has no prompt 'secnd'" in problem


def test_a_later_answer_is_refused_in_the_list_too() -> None:
    problems = problems_of('["plans.first", "choose.order"]')
    assert any("options_from[1]" in p and "not an earlier step" in p for p in problems), problems


def test_a_long_text_cannot_give_options() -> None:
    text = WORKBOOK.replace('kind = "short_text"\nlabel = "Second plan"', 'kind = "long_text"\nlabel = "Second plan"')
    with pytest.raises(WorkbookError) as caught:
        load_workbook_text(text.replace("SOURCES", '["plans.first", "plans.second"]'), "wb.toml")
    [problem] = caught.value.problems
    assert "options_from[1]" in str(problem) and "short text or single choice" in str(problem)


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ('["plans.first", "plans.first"]', "'options_from' names the same answer twice"),
        ("[]", "List should have at least 1 item"),
    ],
)
def test_the_list_itself_is_checked(sources: str, expected: str) -> None:
    problems = problems_of(sources)
    assert any(expected in p for p in problems), problems


def test_the_same_source_twice_is_said_in_plain_words() -> None:
    problems = problems_of('["plans.first", "plans.first"]')
    assert any(p.endswith(": 'options_from' names the same answer twice") for p in problems), problems
