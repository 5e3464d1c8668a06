"""A realistic room of 30 for the facilitator's and the wall's tests and snapshots.

28 names on the roster and 2 who joined without being on it; 22 here (their apps'
presence files are fresh), 3 gone (they answered, then left), 5 not come. On the
table step 'harvest' 16 people have written their community's pitch, and the coach
typed two more for the room (captured answers, one per line).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from formative.answers.store import AnswerStore
from formative.workshop.folder import Workshop, create_workshop, save_state
from formative.workshop.model import RoomTimer
from formative.workshop.pairs import draw_groups
from formative.workshop.presence import Beacon
from formative.workshop.serving import Serving, write_serving

NOW = 1000.0
ROSTER = [
    "Ada", "Ben", "Chidi", "Dmitri", "Esi", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Mateo", "Nia",
    "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tomás", "Uma", "Viktor", "Wen", "Xena", "Yusuf", "Zoë Lindqvist",
    "Anouk", "Bram",
]  # fmt: skip
NOT_COME = ["Dmitri", "Esi", "Yusuf", "Anouk", "Bram"]
GONE = ["Gus", "Omar", "Wen"]
OFF_ROSTER = ["Cleo", "Dara"]
HERE = [n for n in ROSTER if n not in NOT_COME + GONE] + OFF_ROSTER
PITCHES = [
    "New managers' breakfast: six first-time managers, monthly, so we leave braver.",
    "Solo consultants' circle: supper once a month, less alone with the hard calls.",
    "Night owls: parents of toddlers who meet online after bedtime.",
    "Career changers' walk: a Saturday walk for people leaving teaching.",
    "The second-draft club: writers who swap one chapter a fortnight.",
    "Nurses who code: a quiet Slack and a quarterly hack day.",
    "Retired engineers mentoring apprentices, one morning a week.",
    "A book circle for first-generation students and their parents.",
    "Freelance designers' pricing circle: honest numbers, shared monthly.",
    "Climbing partners who talk about work on the drive home.",
    "Founders of small shops: a Tuesday breakfast before opening.",
    "Gardeners on our street: seed swaps and a shared tool shed.",
    "Data people in public health, one lunch a month.",
    "New to the city: a Sunday supper that rotates between flats.",
    "Researchers writing their first grant, meeting every two weeks.",
    "A choir for people who are sure they cannot sing.",
]
ANSWERED = [n for n in HERE if n not in ("Kofi", "Lena", "Rosa", "Sami", "Uma", "Dara")][:14] + GONE[:2]


def answer(workshop: Workshop, name: str, values: dict[tuple[str, str], object]) -> Path:
    path = workshop.participant_file(name)
    with AnswerStore.open(path, workshop.workbook, person=name) as store:
        for (step_id, prompt_id), value in values.items():
            store.set(step_id, prompt_id, value)
    return path


def room_of_30(folder: Path, *, step: str = "harvest", revealed: bool = True, serving: bool = False) -> Workshop:
    create_workshop(folder, "community-design-workshop", "Thursday circle", ROSTER)
    workshop = Workshop.open(folder)
    pitches = iter(PITCHES)
    for name in [*HERE, *GONE]:
        values: dict[tuple[str, str], object] = {("welcome", "arriving"): "curious"}
        if name in ANSWERED:
            values[("harvest", "pitch")] = next(pitches)
        path = answer(workshop, name, values)
        if name in HERE:
            Beacon(workshop.answers_dir, path, name).arrive(step if name != "Cleo" else "welcome")
    answer(workshop, "Room", {("harvest", "pitch"): "Walking group for new parents\nA repair café on Saturdays"})
    votes = {"Ada": PITCHES[:3], "Ben": [PITCHES[0], PITCHES[0], PITCHES[4]], "Chidi": [PITCHES[2], PITCHES[4]]}
    for name, dots in votes.items():
        answer(workshop, name, {("vote", "dots"): dots})
    groups = draw_groups(HERE, "table", rng=random.Random(3))  # as the coach's `g` draws them: 6, 6, 5, 5
    update = {
        "step": step,
        "revealed": [step] if revealed else [],
        "timer": RoomTimer(seconds=600, ends_at=NOW + 272),
        "pairs": {"harvest": groups},
    }
    save_state(workshop, workshop.state.model_copy(update=update))
    if serving:
        add_serving(folder)
    return Workshop.open(folder)


def add_serving(folder: Path) -> None:
    """Both servers' files, as `serve ssh` and `serve web` on 0.0.0.0 would write them (this process as their pid)."""
    pid = os.getpid()
    ssh = Serving("ssh", "ssh -t -p 2222 YOURNAME@192.168.1.20", ["ssh -t -p 2222 YOURNAME@laptop.local"], "tulip", pid)
    web = Serving("web", "http://192.168.1.20:8000", ["http://laptop.local:8000"], "tulip", pid)
    write_serving(folder, ssh)
    write_serving(folder, web)
