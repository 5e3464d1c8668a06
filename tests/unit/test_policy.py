"""The room's policy: names per step, what participants are told, and the order of answers without names."""

from __future__ import annotations

import hashlib
import random
from datetime import date
from pathlib import Path

import pytest

from formative.workbook.model import Step
from formative.workshop.facilitation import ROOM_NAME, answer_cards, answer_sources, toggle_names
from formative.workshop.folder import Workshop, save_state
from formative.workshop.model import State
from formative.workshop.policy import (
    WITH_NAME,
    WITHOUT_NAME,
    AnonymousOrder,
    held_back,
    names_shown,
    privacy_notice,
    revealed,
)
from formative.workshop.report import render_report
from formative.workshop.room import Room, SharedAnswer
from tests.unit.fake_workshop import make_workshop
from tests.unit.rendered import read


def step(named: bool | None = None, **fields: object) -> Step:
    prompts = fields.pop("prompts", [{"id": "idea", "kind": "short_text", "label": "Idea"}])
    return Step.model_validate(
        {"id": "ideas", "title": "Ideas", "shared": True, "named": named, "prompts": prompts, **fields}
    )


@pytest.mark.parametrize(
    ("anonymous", "named", "coach", "shown"),
    [
        (True, None, None, False),  # the default: anonymous
        (False, None, None, True),  # the coach named the whole room
        (True, True, None, True),  # the workbook asks for names on this step
        (False, False, None, False),  # the workbook asks for none, in a named room
        (True, True, False, False),  # the coach's choice for the step wins over the workbook
        (False, False, True, True),
        (True, None, True, True),
    ],
)
def test_names_shown_follows_coach_then_workbook_then_room(
    anonymous: bool, named: bool | None, coach: bool | None, shown: bool
) -> None:
    names = {} if coach is None else {"ideas": coach}
    state = State(anonymous=anonymous, names=names)
    assert names_shown(state, step(named)) is shown


def test_toggle_names_switches_one_step_only() -> None:
    state = State(anonymous=True, names={"other": True})
    flipped = toggle_names(state, step())
    assert flipped.names == {"other": True, "ideas": True}
    assert names_shown(flipped, step()) is True
    assert names_shown(toggle_names(flipped, step()), step()) is False
    assert flipped.anonymous is True, "the room's default is not the step's choice"


def test_privacy_notice_says_what_the_room_sees() -> None:
    anonymous, named = State(), State(anonymous=False)
    assert privacy_notice(anonymous, step()) == WITHOUT_NAME
    assert privacy_notice(named, step()) == WITH_NAME
    assert privacy_notice(anonymous, step(named=True)) == WITH_NAME
    private = Step.model_validate(
        {"id": "me", "title": "Me", "prompts": [{"id": "a", "kind": "short_text", "label": "A"}]}
    )
    assert privacy_notice(anonymous, private) is None
    vote = Step.model_validate(
        {
            "id": "vote",
            "title": "Vote",
            "prompts": [{"id": "dots", "kind": "dot_vote", "label": "Dots", "options_from": "ideas.idea"}],
        }
    )
    assert privacy_notice(named, vote) == "Your votes go to the room as totals only — nobody sees who voted for what"
    scale = {"id": "feel", "kind": "scale", "label": "Feel", "min": 1, "max": 5}
    assert (
        privacy_notice(named, step(prompts=[scale]))
        == "Shared with the room as totals only — nobody sees what you chose"
    )
    mixed = step(prompts=[scale, {"id": "why", "kind": "short_text", "label": "Why"}])
    assert privacy_notice(anonymous, mixed) == WITHOUT_NAME + " (choices and votes only as totals)"


def test_one_or_two_answers_are_held_back_while_they_could_be_told_apart() -> None:
    """The roster shows who has answered: one answer without a name, or totals of two people,
    would say whose they are. Written answers with names show at once; a captured line hides
    a person's card among others as well as another person's would."""
    anonymous, named = State(), State(anonymous=False)
    scale = step(prompts=[{"id": "feel", "kind": "scale", "label": "Feel", "min": 1, "max": 5}])
    assert held_back(anonymous, step(), people=1)
    assert held_back(anonymous, step(), people=2)
    assert not held_back(anonymous, step(), people=3)
    assert not held_back(anonymous, step(), people=0), "nothing of anyone's to hold"
    assert not held_back(named, step(), people=1), "named: whose it is is shown anyway"
    assert held_back(named, scale, people=2), "totals of two are their choices, names or not"
    assert not held_back(named, scale, people=3)
    assert held_back(anonymous, step(), people=1, captured=1)
    assert not held_back(anonymous, step(), people=1, captured=2)
    assert held_back(anonymous, scale, people=1, captured=5), "a captured line is no total"


def test_answer_sources_count_people_and_each_captured_item() -> None:
    given = [
        SharedAnswer("Ada", "idea", "supper"),
        SharedAnswer("Ada", "why", "less alone"),  # one person, two prompts
        SharedAnswer(ROOM_NAME, "idea", "walks\n\nbook swap\n"),  # a text: a card per line, blank lines none
        SharedAnswer(ROOM_NAME, "why", ["fun", " "]),  # a list: a card per item
    ]
    assert answer_sources(given) == (1, 3)


def answers(names: list[str]) -> list[SharedAnswer]:
    return [SharedAnswer(name, "idea", f"answer of {name}") for name in names]


NAMES = [f"Person {chr(c)}" for c in range(ord("A"), ord("Z") + 1)]


def test_the_anonymous_order_is_not_a_function_of_the_names() -> None:
    """Two sessions (two orders) arrange the same answers differently, and neither as the roster or a hash does."""
    first = [a.name for a in AnonymousOrder().arrange("ideas", answers(NAMES))]
    second = [a.name for a in AnonymousOrder().arrange("ideas", answers(NAMES))]
    assert sorted(first) == NAMES
    assert first != second, "the same names gave the same order: it is derived from them"
    hashed = sorted(NAMES, key=lambda n: hashlib.sha256(f"idea\0{n}".encode()).hexdigest())
    assert first != NAMES and first != hashed and second != hashed
    seeded = [a.name for a in AnonymousOrder(random.Random(1)).arrange("ideas", answers(NAMES))]
    assert seeded == [a.name for a in AnonymousOrder(random.Random(1)).arrange("ideas", answers(NAMES))]


def test_the_anonymous_order_stays_put_while_the_wall_redraws() -> None:
    order = AnonymousOrder(random.Random(5))
    shown = [a.name for a in order.arrange("ideas", answers(NAMES[:10]))]
    assert [a.name for a in order.arrange("ideas", answers(NAMES[:10]))] == shown, "a redraw moved the cards"
    later = [a.name for a in order.arrange("ideas", answers(NAMES[:11]))]
    assert [name for name in later if name != NAMES[10]] == shown, "a new answer moved the others"
    other_prompt = [a.name for a in order.arrange("ideas", [SharedAnswer(n, "why", "x") for n in NAMES[:10]])]
    assert other_prompt != shown, "two questions in one order would tie each answer to the other"


def test_answer_cards_follow_names_shown(tmp_path: Path) -> None:
    people = {name: {("welcome", "arriving"): f"word of {name}"} for name in NAMES[:12]}
    workshop = make_workshop(tmp_path / "ws", people, anonymous=True, room=[])
    room = Room(workshop)
    room.refresh()
    welcome = workshop.workbook.step("welcome")
    assert welcome is not None
    order = AnonymousOrder()
    hidden = [a.name for a in answer_cards(room, welcome, workshop.state, order)]
    assert sorted(hidden) == NAMES[:12] and hidden != NAMES[:12]
    assert [a.name for a in answer_cards(room, welcome, workshop.state, order)] == hidden
    named = toggle_names(workshop.state, welcome)
    assert [a.name for a in answer_cards(room, welcome, named, order)] == NAMES[:12], "with names: roster order"


def test_the_report_names_a_step_as_the_policy_says(tmp_path: Path) -> None:
    people = {"Ada": {("welcome", "arriving"): "curious"}, "Bo": {("welcome", "arriving"): "tired"}}
    workshop = make_workshop(tmp_path / "ws", people, anonymous=True, room=[])
    room = Room(workshop)
    room.refresh()
    text = read(render_report(room, today=date(2025, 3, 13))).text
    assert "Ada" not in text and "curious" in text
    welcome = workshop.workbook.step("welcome")
    assert welcome is not None
    save_state(workshop, toggle_names(workshop.state, welcome))
    room = Room(Workshop.open(workshop.folder))
    room.refresh()
    text = read(render_report(room, today=date(2025, 3, 13))).text
    assert "Ada: curious" in text and "Bo: tired" in text
    assert "2 people took part" in text and "except on steps that show names" in text


def test_each_step_has_its_own_anonymous_order() -> None:
    """The same people answering two steps must not line up: the order would tie each answer to the other."""
    order = AnonymousOrder()
    first = [a.name for a in order.arrange("ideas", answers(NAMES))]
    assert [a.name for a in order.arrange("later", answers(NAMES))] != first


def test_a_step_is_revealed_only_once_the_coach_reveals_it(tmp_path: Path) -> None:
    workshop = make_workshop(tmp_path / "ws", {}, anonymous=True, room=[])
    welcome = workshop.workbook.step("welcome")
    assert welcome is not None
    assert not revealed(workshop.state, welcome)
    assert revealed(workshop.state.model_copy(update={"revealed": ["welcome"]}), welcome)
