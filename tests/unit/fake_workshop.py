"""A realistic eight-person run of the bundled community-design workshop, for report tests.

Eight people with the answers people really give (short, uneven, some steps skipped),
the facilitator's captured patterns under the name Room, and three dots each.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formative.answers import AnswerStore
from formative.workshop.facilitation import ROOM_NAME
from formative.workshop.folder import Workshop, create_workshop, save_state

WORKBOOK = "community-design-workshop"
TITLE = "Thursday circle, Leeds Central Library"

Answers = Mapping[tuple[str, str], Any]

PITCHES = {
    "Ada Okafor": "New managers' breakfast: six first-time managers, monthly, so we leave braver.",
    "Ben Hartley": "Solo consultants' circle: pricing, pipelines and honest numbers, every two weeks.",
    "Chiara Rossi": "Walking book club for career changers: one chapter, one long walk, once a month.",
    "Dmitri Ivanov": "Data leads' supper: four of us, quarterly, bring one failure each.",
    "Esi Mensah": "Founders over soup: early-stage founders who admit what is not working.",
    "Farah Haddad": "Return-to-work circle for parents coming back after leave.",
    "Zoë Lindqvist": "Design critique night: show unfinished work to people who will be kind and blunt.",
    "李小龙": "Kitchen-table mentors: three generations of engineers, one meal a month.",
}

PEOPLE: dict[str, dict[tuple[str, str], Any]] = {
    "Ada Okafor": {
        ("welcome", "arriving"): "curious",
        ("welcome", "hoping"): "A peer group I can actually start next month",
        ("networking", "feel"): 2,
        ("networking", "image"): "A hotel ballroom, name badges, warm white wine",
        ("reframe", "callable"): "5 to 15",
        ("why-community", "matters"): ["Getting better together, with accountability"],
        ("intention", "for"): "Growing in my current role",
        ("intention", "name"): "New managers' breakfast",
        ("container", "people"): ["Marta from my old team", "another first-time manager"],
        ("container", "why"): "All new to managing people, all willing to be honest about it",
        ("construct", "rhythm"): "Once a month",
        ("construct", "ways"): ["In person over food"],
        ("conversation", "topics"): ["giving hard feedback", "hiring", "saying no to my own boss"],
        ("conversation", "share"): "One win and one worry each time",
        ("feeling", "feeling"): "braver, and less alone with it",
        ("feeling", "edge"): 4,
        ("harvest", "one_c"): "Construct",
        ("commit", "commitments"): [{"what": "Invite Marta", "when": "Friday"}],
        ("checkout", "leaving"): "ready",
    },
    "Ben Hartley": {
        ("welcome", "arriving"): "tired",
        ("networking", "feel"): 1,
        ("networking", "image"): "Trying to escape the small talk by the coffee urn",
        ("reframe", "callable"): "Fewer than 5",
        ("intention", "for"): "Running my own business",
        ("intention", "name"): "Solo consultants' circle",
        ("container", "why"): "We all sell our own time and never talk about the numbers.",
        ("construct", "rhythm"): "Every two weeks",
        ("construct", "ways"): ["Video call", "Group chat between meetings"],
        ("conversation", "topics"): ["pricing", "pipelines", "saying no to bad clients"],
        ("feeling", "feeling"): "clearer about money",
        ("feeling", "edge"): 5,
        ("harvest", "one_c"): "Container",
        ("checkout", "leaving"): "lighter",
    },
    "Chiara Rossi": {
        ("welcome", "arriving"): "hopeful",
        ("welcome", "hoping"): "Courage to leave accountancy",
        ("networking", "feel"): 2,
        ("networking", "image"): "Business cards I never look at again",
        ("reframe", "callable"): "5 to 15",
        ("intention", "for"): "Thinking through a career change",
        ("intention", "name"): "Walking book club",
        ("container", "why"): (
            "People in the middle of a career change.\n"
            "Not coaches, not people who have it figured out.\n\n"
            "People who are still deciding."
        ),
        ("construct", "rhythm"): "Once a month",
        ("construct", "ways"): ["On a walk"],
        ("conversation", "topics"): ["what we are reading", "money worries", "small experiments"],
        ("conversation", "share"): "Book recommendations and job ads",
        ("feeling", "feeling"): "less mad for wanting to change",
        ("feeling", "edge"): 2,
        ("harvest", "one_c"): "Community",
        ("checkout", "leaving"): "clearer",
    },
    "Dmitri Ivanov": {
        ("welcome", "arriving"): "sceptical",
        ("networking", "feel"): 3,
        ("reframe", "callable"): "15 to 50",
        ("intention", "for"): "Growing in my current role",
        ("intention", "name"): "Data leads' supper",
        ("container", "why"): "Data leads in small companies: we are each the only one.",
        ("construct", "rhythm"): "Once a quarter",
        ("construct", "ways"): ["In person over food"],
        ("conversation", "topics"): ["stakeholders", "hiring juniors", "what broke this quarter"],
        ("feeling", "feeling"): "like someone else has the same mess",
        ("feeling", "edge"): 4,
        ("harvest", "one_c"): "Construct",
        ("checkout", "leaving"): "convinced, mostly",
    },
    "Esi Mensah": {
        ("welcome", "arriving"): "distracted",
        ("welcome", "hoping"): "Fewer, better coffees",
        ("networking", "feel"): 2,
        ("networking", "image"): "Pitch nights with warm beer",
        ("reframe", "callable"): "5 to 15",
        ("intention", "for"): "Running my own business",
        ("intention", "name"): "Founders over soup",
        ("container", "why"): "Early-stage founders who will admit what is not working",
        ("construct", "rhythm"): "Every two weeks",
        ("construct", "ways"): ["In person over food", "Group chat between meetings"],
        ("conversation", "topics"): ["cash", "first hires", "burnout"],
        ("conversation", "share"): "Introductions to customers",
        ("feeling", "feeling"): "fed, and a bit braver",
        ("feeling", "edge"): 3,
        ("harvest", "one_c"): "Conversation",
        ("checkout", "leaving"): "hungry",
    },
    "Farah Haddad": {
        ("welcome", "arriving"): "nervous",
        ("networking", "feel"): 1,
        ("reframe", "callable"): "Fewer than 5",
        ("intention", "for"): "Balancing work and life",
        ("intention", "name"): "Return-to-work circle",
        ("container", "why"): "Parents coming back after leave",
        ("construct", "rhythm"): "Once a month",
        ("construct", "ways"): ["Video call"],
        ("conversation", "topics"): ["childcare", "confidence", "flexible hours"],
        ("feeling", "feeling"): "normal again",
        ("feeling", "edge"): 2,
        ("checkout", "leaving"): "hopeful",
    },
    "Zoë Lindqvist": {
        ("welcome", "arriving"): "caffeinated",
        ("welcome", "hoping"): "Steal good ideas",
        ("networking", "feel"): 4,
        ("networking", "image"): "Lanyards",
        ("reframe", "callable"): "15 to 50",
        ("intention", "for"): "Growing in my current role",
        ("intention", "name"): "Design critique night",
        ("container", "why"): "Designers who show work before it is finished",
        ("construct", "rhythm"): "Every two weeks",
        ("construct", "ways"): ["In person over food", "A shared document"],
        ("conversation", "topics"): ["unfinished work", "critique without cruelty", "portfolio"],
        ("conversation", "share"): "Drafts for feedback",
        ("feeling", "feeling"): "seen, and pushed",
        ("feeling", "edge"): 5,
        ("harvest", "one_c"): "Community",
        ("checkout", "leaving"): "energised",
    },
    "李小龙": {
        ("welcome", "arriving"): "calm",
        ("networking", "feel"): 3,
        ("reframe", "callable"): "5 to 15",
        ("intention", "for"): "Learning about an industry I am not part of yet",
        ("intention", "name"): "Kitchen-table mentors",
        ("container", "why"): "Three generations of engineers",
        ("construct", "rhythm"): "Once a month",
        ("construct", "ways"): ["In person over food"],
        ("conversation", "topics"): ["career stories", "new tools", "leaving well"],
        ("feeling", "feeling"): "part of a longer story",
        ("feeling", "edge"): 3,
        ("harvest", "one_c"): "Container",
        ("checkout", "leaving"): "grateful",
    },
}

DOTS = {
    "Ada Okafor": ["Walking book club for career changers: one chapter, one long walk, once a month."] * 2
    + ["Founders over soup: early-stage founders who admit what is not working."],
    "Ben Hartley": [PITCHES["Ada Okafor"], PITCHES["Chiara Rossi"], PITCHES["Esi Mensah"]],
    "Chiara Rossi": [PITCHES["Ada Okafor"], PITCHES["Ada Okafor"], PITCHES["Zoë Lindqvist"]],
    "Dmitri Ivanov": [PITCHES["Ben Hartley"], PITCHES["Chiara Rossi"], PITCHES["李小龙"]],
    "Esi Mensah": [PITCHES["Chiara Rossi"], PITCHES["Zoë Lindqvist"], PITCHES["Zoë Lindqvist"]],
    "Farah Haddad": [PITCHES["Ada Okafor"], PITCHES["Chiara Rossi"]],
    "Zoë Lindqvist": [PITCHES["Chiara Rossi"], PITCHES["Esi Mensah"], PITCHES["Farah Haddad"]],
    "李小龙": [PITCHES["Ada Okafor"], PITCHES["Dmitri Ivanov"], PITCHES["Chiara Rossi"]],
}

ROOM_PATTERNS = [
    "Almost nobody chose weekly",
    "Food comes up again and again",
    "Most of us want to be pushed, not comforted",
]


def everyone() -> dict[str, dict[tuple[str, str], Any]]:
    """Each person's full answers: their own words, their pitch and their dots."""
    people = {}
    for name, answers in PEOPLE.items():
        people[name] = {**answers, ("harvest", "pitch"): PITCHES[name], ("vote", "dots"): DOTS[name]}
    return people


def write_answers(workshop: Workshop, name: str, values: Answers) -> Path:
    path = workshop.participant_file(name)
    with AnswerStore.open(path, workshop.workbook, person=name) as store:
        for (step_id, prompt_id), value in values.items():
            store.set(step_id, prompt_id, value)
    return path


def make_workshop(
    folder: Path,
    people: Mapping[str, Answers] | None = None,
    *,
    anonymous: bool = False,
    room: list[str] | None = None,
    roster: list[str] | None = None,
) -> Workshop:
    """A workshop folder with these people's answer files (default: the eight above).

    room: the patterns the facilitator captured for the room (default: three).
    """
    people = everyone() if people is None else people
    create_workshop(folder, WORKBOOK, TITLE, list(people) if roster is None else roster)
    workshop = Workshop.open(folder)
    for name, values in people.items():
        write_answers(workshop, name, values)
    patterns = ROOM_PATTERNS if room is None else room
    if patterns:
        write_answers(workshop, ROOM_NAME, {("patterns", "themes"): patterns})
    save_state(workshop, workshop.state.model_copy(update={"anonymous": anonymous}))
    return workshop
