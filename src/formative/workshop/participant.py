"""A participant's side of a workshop: their own answer file, and the room for dot votes."""

from __future__ import annotations

from formative.session import Session
from formative.workshop.folder import Workshop
from formative.workshop.room import Room


def open_participant(workshop: Workshop, person: str, room: Room | None = None) -> Session:
    """Open this person's session: only their own file, named safely from their name.

    The room (everyone's answer files, read only) supplies the options of dot votes.
    Participants never commit: the facilitator's app commits the whole folder (git=False).
    """
    if room is None:
        room = Room(workshop)
        room.refresh()
    return Session.open(
        str(workshop.workbook_path),
        workshop.answers_dir,
        person,
        answers_file=workshop.participant_file(person),
        room=room.values,
        git=False,
    )
