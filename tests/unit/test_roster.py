"""The coach's roster: here, gone, not come, off-roster arrivals, and who answered this step."""

from __future__ import annotations

import time
from pathlib import Path

from formative.answers.store import AnswerStore
from formative.workshop.folder import Workshop, create_workshop
from formative.workshop.presence import Beacon, read_presence
from formative.workshop.room import Room
from formative.workshop.roster import headcount, roster_rows


def test_here_gone_expected_and_off_roster(tmp_path: Path) -> None:
    create_workshop(tmp_path / "ws", "community-design-workshop", "T", ["Ada", "Ben", "Cy", "Dmitri"])
    workshop = Workshop.open(tmp_path / "ws")
    step = workshop.workbook.step("join")
    assert step is not None
    beacons = {}
    for name in ["ada", "Ben", "Esi"]:  # ada over SSH; Esi is not on the roster
        path = workshop.participant_file(name)
        beacons[name] = Beacon(workshop.answers_dir, path, name)
        beacons[name].arrive("join")
        with AnswerStore.open(path, workshop.workbook, person=name) as store:
            if name != "Ben":
                store.set("join", "from", "the kitchen")
    with AnswerStore.open(workshop.participant_file("Room"), workshop.workbook, person="Room") as store:
        store.set("join", "from", "captured by the coach")
    beacons["Ben"].leave()
    room = Room(workshop)
    room.refresh()
    rows = roster_rows(room, read_presence(workshop.answers_dir), step, time.time())
    table = [(r.name, r.status, r.on_roster, r.answered) for r in rows]
    assert table == [
        ("Ada", "here", True, True),
        ("Ben", "gone", True, False),
        ("Cy", "expected", True, False),
        ("Dmitri", "expected", True, False),
        ("Esi", "here", False, True),
    ]
    assert str(headcount(rows)) == "2 here · 2 answered"


def test_someone_here_before_their_first_answer(tmp_path: Path) -> None:
    create_workshop(tmp_path / "ws", "community-design-workshop", "T", [])
    workshop = Workshop.open(tmp_path / "ws")
    Beacon(workshop.answers_dir, workshop.participant_file("Fay"), "Fay").arrive("join")
    room = Room(workshop)
    room.refresh()
    step = workshop.workbook.steps[0]
    rows = roster_rows(room, read_presence(workshop.answers_dir), step, time.time())
    assert [(r.name, r.status, r.step) for r in rows] == [("Fay", "here", "join")]
