"""The bundled workbooks: they load, the workshop adds up, and the seed ideas are all there."""

from __future__ import annotations

from typing import Any

import pytest

from formative.workbook.bundled import BundledWorkbook, bundled_workbooks
from formative.workbook.model import PROMPT_KINDS, Workbook

EXPECTED_IDS = {
    "formative-community",
    "network-to-community",
    "work-your-network",
    "community-design-workshop",
}

# Keys whose values are identifiers or references, not words a person reads.
_NOT_TEXT = {"id", "kind", "options_from", "answer", "answers", "mode", "format"}

# Every idea from the two seed articles, with phrases (lower case) of which at least
# one must appear somewhere in the bundled workbooks' readable text.
SEED_IDEAS: list[tuple[str, list[str]]] = [
    # "Stop Building Your Network - Start Building Your Community"
    (
        "conventional advice: the bigger the network the better",
        ["the bigger the better", "grow your network", "bigger your network"],
    ),
    ("connection with like-minded people for mutual benefit matters", ["think like you", "like-minded"]),
    ("networks as loose strands", ["loose strand"]),
    ("superficial conversations", ["superficial", "shallow", "small talk"]),
    ("guessing at the value proposition", ["guessing what anyone gets", "ought to be getting something"]),
    ("network size treated as equity", ["seem to be worth", "size of the list"]),
    ("the networking lunch with hundreds of strangers", ["networking lunch"]),
    ("belonging and trust", ["belonging and trust", "belong"]),
    ("reframe: network becomes community", ["network to community", "from network to community"]),
    ("value over volume", ["value over volume"]),
    ("concentration over dilution", ["concentration over dilution", "concentration beats dilution"]),
    ("connects to what really matters", ["what really matters"]),
    ("Formative Communities", ["formative community", "formative communities"]),
    ("Designing Your Life", ["designing your life"]),
    ("Bill Burnett", ["burnett"]),
    ("Dave Evans", ["evans"]),
    ("a purpose and a shape, not a free-for-all", ["free-for-all"]),
    ("Container", ["container"]),
    ("Container: who is part of it, and why", ["who is part of it", "who is in it, and why", "who belongs"]),
    ("Construct", ["construct"]),
    ("Construct: how members connect", ["how members connect", "how you connect", "how and when the members connect"]),
    ("Conversation (the C)", ["**conversation**", "conversation:"]),
    ("Conversation: what we talk about and share", ["what you talk about and share", "what we talk about and share"]),
    ("Community (the C)", ["**community**", "community:"]),
    ("Community: the emotion or feeling it creates", ["the feeling it creates", "the feeling we create"]),
    ("making meaning", ["making meaning", "make meaning"]),
    ("making sense of things when overwhelmed", ["overwhelmed"]),
    ("a home base", ["home base"]),
    ("feeling grounded", ["grounded"]),
    ("safe but not always comfortable", ["safe, but not always comfortable", "safe, though not always comfortable"]),
    ("discovery and reflection", ["discovery and reflection"]),
    ("hearing the deeper notes of work and life", ["deeper notes"]),
    ("generative and self-sustaining", ["generative and self-sustaining"]),
    ("grows from the effort of all its members", ["effort of all its members", "everyone contributes"]),
    ("sharing knowledge generously", ["generously"]),
    ("collective wisdom", ["collective wisdom"]),
    ("earned experience", ["hard-won experience", "experience they have earned"]),
    ("getting better together", ["getting better together"]),
    ("commitment to each other's progress", ["each other's progress", "one another's progress"]),
    ("the tide rises for everyone", ["rise with them", "lift everyone", "rise together"]),
    ("circle of accountability", ["circle of accountability"]),
    ("reaching what you could not reach alone", ["struggle to reach alone", "could not do alone"]),
    ("working alone is isolating", ["working alone", "work alone", "working on your own"]),
    ("self-doubt", ["self-doubt"]),
    ("community is the antidote to isolation", ["antidote"]),
    ("kinds of circles: clients, peers, shared learning", ["long-standing clients"]),
    ("the pandemic turned us towards community", ["pandemic"]),
    ("surround yourself with people who have the habits you want", ["already have the habits", "already live them"]),
    ("be a catalyst", ["catalyst"]),
    # "4 Ways To Work Your Professional Network"
    ("digital tools muddle what a network is", ["apps and platforms", "number on your profile"]),
    ("is a network your mentoring groups or former colleagues?", ["mentoring"]),
    ("Dunbar's number", ["dunbar"]),
    ("150 stable relationships", ["150"]),
    ("930 LinkedIn average", ["930"]),
    ("set your intention", ["set your intention"]),
    ("intention: learn an industry", ["an industry i am not part of"]),
    ("intention: advance in your current role", ["advancing in my current role", "growing in my current role"]),
    ("intention: balance work and life", ["balancing work"]),
    ("the intention shows which people you need more of", ["people to seek out", "want more of around you"]),
    ("more meetings is not more progress", ["feel productive"]),
    ("a focused approach beats a wide net", ["scattergun", "wide net"]),
    ("coffee with the future you", ["coffee with the future you"]),
    ("titles on your growth path", ["growth path"]),
    ("learn what they do and how they got there", ["how they got"]),
    ("quality, not quantity", ["quality, not quantity"]),
    ("too many connections", ["too many connections"]),
    ("energy for each relationship falls as numbers rise", ["less energy and focus"]),
    ("ten coffees with two people", ["ten coffees with two"]),
    ("people you naturally connect with and admire", ["admire"]),
    ("don't force a connection", ["do not force", "don't force"]),
    ("a two-way street", ["two-way street"]),
    ("the other person wants something from it too", ["want something from the relationship"]),
    ("offer a fresh perspective", ["fresh perspective", "fresh view"]),
    ("give honest feedback others don't", ["honest feedback"]),
    ("what you bring to the table", ["bring to the table"]),
    ("a living, breathing thing", ["living, breathing"]),
    ("it grows, shrinks and changes", ["grows, shrinks and changes"]),
    ("some connections become friendships, some fade", ["friendships"]),
    ("the aim is a flourishing career, not popularity", ["flourish"]),
    ("review cadence", ["how often will you look at your network again", "review how it is going", "first review"]),
]


def _strings(value: Any, key: str | None = None) -> list[str]:
    """Every readable string in a dumped workbook, skipping ids and references."""
    if key in _NOT_TEXT:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, key)]
    return []


def _text(workbook: Workbook) -> str:
    """All readable text, lower case, with runs of white space (line breaks) as one space."""
    return " ".join(" ".join(_strings(workbook.model_dump())).lower().split())


@pytest.fixture(scope="module")
def bundled() -> list[BundledWorkbook]:
    return bundled_workbooks()


@pytest.fixture(scope="module")
def by_id(bundled: list[BundledWorkbook]) -> dict[str, Workbook]:
    return {b.workbook.id: b.workbook for b in bundled}


@pytest.fixture(scope="module")
def combined_text(bundled: list[BundledWorkbook]) -> str:
    return "\n".join(_text(b.workbook) for b in bundled)


def test_every_bundled_workbook_loads(bundled: list[BundledWorkbook]) -> None:
    assert {b.workbook.id for b in bundled} == EXPECTED_IDS
    for b in bundled:
        assert b.path.stem == b.workbook.id, f"{b.path.name} should be named after its id"
        assert b.workbook.steps, f"{b.path.name} has no steps"
        assert b.workbook.minutes, f"{b.path.name} has no estimated minutes"
        assert b.workbook.authors == ["Formative"]


def test_bundled_files_declare_the_schema(bundled: list[BundledWorkbook]) -> None:
    for b in bundled:
        first = b.path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "#:schema ./formative-workbook.schema.json", b.path.name


def test_workshop_timeboxes_add_up_to_its_minutes(by_id: dict[str, Workbook]) -> None:
    workshop = by_id["community-design-workshop"]
    assert workshop.minutes == 90
    total = sum(step.timebox or 0 for step in workshop.steps)
    assert total == workshop.minutes, f"timeboxes add up to {total}, not {workshop.minutes}"


def test_every_workshop_step_is_ready_for_a_coach(by_id: dict[str, Workbook]) -> None:
    workshop = by_id["community-design-workshop"]
    for step in workshop.steps:
        assert step.timebox, f"step '{step.id}' has no timebox"
        assert step.mode, f"step '{step.id}' has no mode"
        assert step.facilitator_notes and step.facilitator_notes.strip(), f"step '{step.id}' has no facilitator notes"
    modes = {step.mode for step in workshop.steps}
    assert modes == {"solo", "pair", "group"}
    assert any(step.shared for step in workshop.steps), "no step shares answers with the room"


@pytest.mark.parametrize(("idea", "phrases"), SEED_IDEAS, ids=[idea for idea, _ in SEED_IDEAS])
def test_seed_idea_is_covered(idea: str, phrases: list[str], combined_text: str) -> None:
    assert any(phrase in combined_text for phrase in phrases), (
        f"seed idea missing from the bundled workbooks: {idea} (looked for {phrases})"
    )


def test_formative_community_has_a_canvas_of_the_four_cs(by_id: dict[str, Workbook]) -> None:
    canvas = by_id["formative-community"].canvas
    assert canvas is not None, "formative-community has no canvas"
    assert [cell.title for cell in canvas.cells] == ["Container", "Construct", "Conversation", "Community"]


def test_every_prompt_kind_is_used(bundled: list[BundledWorkbook]) -> None:
    used = {prompt.kind for b in bundled for step in b.workbook.steps for prompt in step.prompts}
    missing = sorted(set(PROMPT_KINDS) - used)
    assert not missing, f"prompt kinds never used in the bundled workbooks: {', '.join(missing)}"


def test_bundled_set_uses_the_format_features(bundled: list[BundledWorkbook]) -> None:
    steps = [step for b in bundled for step in b.workbook.steps]
    prompts = [prompt for step in steps for prompt in step.prompts]
    assert any(step.show_if for step in steps), "no step uses show_if"
    sources = [getattr(p, "options_from", None) for p in prompts]
    assert any(s and s.count(".") == 1 for s in sources), "no options_from takes a list answer"
    assert any(s and s.count(".") == 2 for s in sources), "no options_from takes a records field"
    assert any(getattr(p, "allow_other", False) for p in prompts), "no choice allows 'other'"
    assert any(getattr(p, "required", False) for p in prompts)
    assert not all(getattr(p, "required", True) for p in prompts), "everything is required"
    assert any("{" in step.body for step in steps), "no body shows an earlier answer"
