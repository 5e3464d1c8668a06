"""Walking the bundled workbooks with the Walk alone (no UI): every step, the new ones in detail.

Each walk answers every prompt with a valid value, moves on with the walk's own rules
(which refuse a step with problems), and checks what the new steps show and hide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from formative.answers.values import AnswerValue
from formative.session import Session
from formative.walk import Walk
from formative.workbook.bundled import bundled_workbooks
from formative.workbook.model import (
    AnswerPrompt,
    DotVote,
    ListPrompt,
    LongText,
    MultipleChoice,
    Ranking,
    Records,
    Scale,
    ShortText,
    SingleChoice,
    Step,
    Workbook,
)


class Answers:
    """The smallest answer reader a Walk accepts, keyed by (step, prompt)."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], Any] = {}

    def get(self, step_id: str, prompt_id: str) -> Any:
        return self.data.get((step_id, prompt_id))

    def set(self, step_id: str, prompt_id: str, value: Any) -> None:
        self.data[step_id, prompt_id] = value


BY_ID = {b.workbook.id: b.workbook for b in bundled_workbooks()}


def valid_answer(walk: Walk, step: Step, prompt: AnswerPrompt, scale: int | None = None) -> AnswerValue:
    """An answer that passes the prompt's checks: first options, the second-lowest number, short text."""
    options = walk.options(prompt) or []
    if isinstance(prompt, ShortText):
        return "A short answer"[: prompt.max_length or None]
    if isinstance(prompt, LongText):
        return "First line.\nSecond line."
    if isinstance(prompt, SingleChoice):
        return options[0] if options else "My own answer"
    if isinstance(prompt, MultipleChoice):
        wanted = max(prompt.min_picks or 1, 1)
        return options[:wanted] if options else ["My own answer"]
    if isinstance(prompt, Scale):
        return scale if scale is not None else prompt.min + 1
    if isinstance(prompt, ListPrompt):
        return [f"Item {n}" for n in range(1, max(prompt.min_items or 0, 2) + 1)]
    if isinstance(prompt, Records):
        record = {field.id: f"{field.id} text" for field in prompt.fields}
        return [
            dict(record, **{prompt.fields[0].id: f"Person {n}"}) for n in range(1, max(prompt.min_items or 0, 2) + 1)
        ]
    if isinstance(prompt, Ranking):
        return walk.ranking_order(step, prompt)
    assert isinstance(prompt, DotVote)
    return options[: prompt.votes]


def walk_through(workbook: Workbook, scales: dict[str, int] | None = None) -> tuple[Walk, list[str]]:
    """Answer every visible step and move on; returns the walk and the steps visited."""
    answers = Answers()
    walk = Walk(workbook, answers)
    visited = []
    for _ in range(len(workbook.steps) + 1):
        if walk.finished:
            break
        step = walk.current
        visited.append(step.id)
        for prompt in step.answer_prompts:
            scale = (scales or {}).get(f"{step.id}.{prompt.id}")
            answers.set(step.id, prompt.id, valid_answer(walk, step, prompt, scale))
        assert walk.go_next() == [], f"{workbook.id}:{step.id} refused valid answers"
    assert walk.finished
    return walk, visited


@pytest.mark.parametrize("workbook_id", sorted(BY_ID))
def test_every_bundled_workbook_walks_to_the_end(workbook_id: str) -> None:
    workbook = BY_ID[workbook_id]
    walk, visited = walk_through(workbook)
    assert visited == [step.id for step in walk.visible_steps()]
    assert walk.progress().answered == walk.progress().answerable


@pytest.mark.parametrize(
    ("workbook_id", "step_id"),
    [
        ("formative-community", "purpose"),
        ("formative-community", "keep-alive"),
        ("formative-community", "invitation"),
        ("formative-community", "unstick"),
        ("work-your-network", "ask"),
        ("network-to-community", "team"),
        ("network-to-community", "patterns"),
        ("community-design-workshop", "join"),
        ("community-design-workshop", "invite"),
        ("community-design-workshop", "commit"),
    ],
)
def test_each_new_step_is_walked_and_asks_for_something(workbook_id: str, step_id: str) -> None:
    """The answers that show every conditional step (a low score on each scale) reach it."""
    _, visited = walk_through(BY_ID[workbook_id], {"first-moves.confidence": 2})
    assert step_id in visited
    step = BY_ID[workbook_id].step(step_id)
    assert step is not None and step.answer_prompts


def test_low_confidence_gets_a_follow_up_and_high_confidence_does_not() -> None:
    workbook = BY_ID["formative-community"]
    _, low = walk_through(workbook, {"first-moves.confidence": 2})
    _, high = walk_through(workbook, {"first-moves.confidence": 4})
    assert "unstick" in low and "unstick" not in high
    assert low.index("unstick") == low.index("first-moves") + 1


def test_the_invitation_is_drafted_with_the_design_in_view() -> None:
    workbook = BY_ID["formative-community"]
    answers = Answers()
    walk = Walk(workbook, answers)
    answers.set("welcome", "name", "The Drawing Table")
    answers.set("purpose", "purpose", "nobody works out pricing alone")
    answers.set("container", "why", "we all draw for a living")
    answers.set("construct", "rhythm", "Once a month")
    answers.set("conversation-order", "topics_rank", ["Pricing", "Portfolios"])
    answers.set("community", "in_a_word", "braver")
    step = workbook.step("invitation")
    assert step is not None
    shown = walk.text(step.body)
    for answer in ("The Drawing Table", "nobody works out pricing alone", "we all draw", "Once a month", "Pricing"):
        assert answer in shown


def test_the_coffee_message_is_for_everyone_not_only_those_who_dread_asking() -> None:
    workbook = BY_ID["work-your-network"]
    _, confident = walk_through(workbook, {"holders.ease": 5})
    assert "ask" in confident and "ask-help" not in confident
    _, dreading = walk_through(workbook, {"holders.ease": 1})
    assert dreading.index("ask-help") < dreading.index("ask")


def test_a_small_network_is_enough_and_its_patterns_come_back() -> None:
    workbook = BY_ID["network-to-community"]
    answers = Answers()
    walk = Walk(workbook, answers)
    answers.set("count", "callable", "Fewer than 5")
    walk.jump("who")
    answers.set("who", "people", [{"person": "Marta"}, {"person": "Priya"}])
    assert walk.problems() == [], "two people must be enough"
    answers.set("value", "valuable", ["Marta"])
    answers.set("team", "thin", "Mentors")
    answers.set("patterns", "noticed", "Everyone who helps me is from nursing.")
    patterns, pick = workbook.step("patterns"), workbook.step("pick")
    assert patterns is not None and pick is not None
    assert "Marta" in walk.text(patterns.body) and "Mentors" in walk.text(patterns.body)
    assert "Everyone who helps me is from nursing." in walk.text(pick.body)
    team = workbook.step("team")
    assert team is not None
    supporters = team.prompt("supporters")
    assert supporters is not None and walk.options(supporters) == ["Marta", "Priya"]  # type: ignore[arg-type]


def test_the_workshop_invitation_shows_the_design() -> None:
    workbook = BY_ID["community-design-workshop"]
    answers = Answers()
    walk = Walk(workbook, answers)
    answers.set("intention", "name", "New managers' breakfast")
    answers.set("conversation", "topics", ["Feedback", "Hiring", "Firing"])
    step = workbook.step("invite")
    assert step is not None
    assert "New managers' breakfast" in walk.text(step.body) and "Feedback, Hiring, Firing" in walk.text(step.body)


# The review workbook and its earlier answers ---------------------------------------------


def design(answers_dir: Path, person: str | None, values: dict[tuple[str, str], AnswerValue]) -> None:
    """Answers to Design a Formative Community, saved as the app would save them."""
    session = Session.open("formative-community", answers_dir, person)
    for (step_id, prompt_id), value in values.items():
        session.set_answer(step_id, prompt_id, value)
    session.save()
    session.close()


def test_the_review_walks_to_the_end_and_shows_earlier_answers(tmp_path: Path) -> None:
    design(
        tmp_path,
        "Rosa",
        {
            ("welcome", "name"): "The Drawing Table",
            ("construct", "rhythm"): "Once a month",
            ("container", "people"): ["Jonah", "Aisha"],
            ("community", "in_a_word"): "braver\nand less alone",
        },
    )
    session = Session.open("tend-your-community", tmp_path, "Rosa")
    try:
        rhythm = session.recall.get("formative-community:construct.rhythm")
        assert rhythm.missing is None
        assert rhythm.workbook_title == "Design a Formative Community"
        assert rhythm.label == "How often will you get together?"
        assert rhythm.lines == ["Once a month"]
        assert session.recall.get("formative-community:container.people").lines == ["• Jonah", "• Aisha"]
        assert session.recall.get("formative-community:community.in_a_word").lines == ["braver", "and less alone"]
        unanswered = session.recall.get("formative-community:keep-alive.missed")
        assert unanswered.lines == [] and unanswered.missing and "No answer to this one" in unanswered.missing
        _, visited = walk_through(session.workbook)
        assert visited == [step.id for step in session.workbook.steps]
    finally:
        session.close()
    # Read, never written: the earlier file is exactly as it was.
    earlier = tmp_path / "formative-community--rosa.toml"
    before = earlier.read_bytes()
    Session.open("tend-your-community", tmp_path, "Rosa").close()
    assert earlier.read_bytes() == before


def test_the_review_finds_only_the_same_persons_answers(tmp_path: Path) -> None:
    design(tmp_path, "Rosa", {("construct", "rhythm"): "Once a month"})
    session = Session.open("tend-your-community", tmp_path, "Jonah")
    try:
        recalled = session.recall.get("formative-community:construct.rhythm")
    finally:
        session.close()
    assert recalled.lines == []
    assert recalled.missing == f"No earlier answers found in {tmp_path / 'formative-community--jonah.toml'}."


def test_a_broken_earlier_file_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "formative-community.toml").write_text("this is [not toml", encoding="utf-8")
    session = Session.open("tend-your-community", tmp_path)
    try:
        recalled = session.recall.get("formative-community:welcome.name")
    finally:
        session.close()
    assert (
        recalled.lines == [] and recalled.missing and recalled.missing.startswith("Earlier answers could not be read")
    )
    assert (tmp_path / "formative-community.toml").read_text(encoding="utf-8") == "this is [not toml"
