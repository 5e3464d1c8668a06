"""The coach's view of who is in the room: here, gone or not come, and who has answered this step.

Three sources make one list: the roster (who was expected), the presence files (whose
app is running now, and on which step), and the answer files (who has ever joined, and
what they answered). Names are matched as people read them (`same_person`), so "ada"
joining over SSH is the roster's "Ada", and a lookalike is not a second person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from formative.workbook.model import Step
from formative.workshop.facilitation import ROOM_NAME, has_answered
from formative.workshop.names import same_person
from formative.workshop.presence import Seen
from formative.workshop.room import Participant, Room

Status = Literal["here", "gone", "expected"]


@dataclass(frozen=True)
class RosterRow:
    name: str
    status: Status
    """here: their app runs now; gone: they joined and left (or their app was killed); expected: not come yet."""
    on_roster: bool
    """False for someone who joined under a name the roster does not list."""
    step: str | None
    """The step their app shows, while here."""
    answered: bool
    """Whether they have answered the step the room is on (something given, nothing required missing)."""


@dataclass(frozen=True)
class Headcount:
    here: int
    answered: int
    """Of those here (or who answered and left), how many answered the current step."""
    expected: int
    """Roster names not come yet."""
    gone: int

    def __str__(self) -> str:
        return f"{self.here} here · {self.answered} answered"


def roster_rows(
    room: Room, presence: dict[str, Seen], step: Step, now: float, answered: set[str] | None = None
) -> list[RosterRow]:
    """Everyone, roster order first, then arrivals not on the roster by arrival.

    answered: names of people who answered `step`, when the caller already knows them;
    otherwise has_answered is asked of each participant (a Walk each: fine for 60 people).
    """
    roster = room.workshop.data.roster
    people = [p for p in room.participants if not same_person(p.name, ROOM_NAME)]
    live = {seen.stem: seen for seen in presence.values() if seen.here(now)}

    def row(name: str, person: Participant | None, on_roster: bool) -> RosterRow:
        seen = live.get(person.path.stem) if person is not None else None
        if seen is None:
            seen = next((s for s in live.values() if same_person(s.name, name)), None)
        status: Status = "here" if seen is not None else ("gone" if person is not None else "expected")
        if answered is not None:
            done = any(same_person(name, other) for other in answered)
        else:
            done = person is not None and has_answered(room, person, step)
        return RosterRow(name, status, on_roster, seen.step if seen else None, done)

    rows = []
    for name in roster:
        person = next((p for p in people if same_person(p.name, name)), None)
        rows.append(row(name, person, True))
    listed = set(roster)
    extra = [p for p in people if not any(same_person(p.name, name) for name in listed)]
    arrived = {s.stem: s.arrived for s in presence.values()}
    extra.sort(key=lambda p: (arrived.get(p.path.stem, float("inf")), p.name.casefold()))
    rows += [row(p.name, p, False) for p in extra]
    known = {p.path.stem for p in people}
    for seen in sorted(live.values(), key=lambda s: s.arrived):
        # Here before their answer file exists (it is written on their first answer).
        if seen.stem not in known and not any(same_person(seen.name, r.name) for r in rows):
            rows.append(RosterRow(seen.name, "here", False, seen.step, False))
    return rows


def headcount(rows: list[RosterRow]) -> Headcount:
    return Headcount(
        here=sum(r.status == "here" for r in rows),
        answered=sum(r.answered for r in rows),
        expected=sum(r.status == "expected" for r in rows),
        gone=sum(r.status == "gone" for r in rows),
    )


def present_names(rows: list[RosterRow]) -> list[str]:
    """The names of the people here now (the roster's spelling), for drawing pairs and tables."""
    return [row.name for row in rows if row.status == "here"]
