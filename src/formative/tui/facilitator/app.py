"""The facilitator's app: holds the workshop's lock, the room, and the room's own answer file.

One facilitator per workshop: a second one gets a problem screen and changes nothing
(the wall's mirror, `formative project`, takes no lock: it only reads).
All live state is in workshop.toml, so restarting resumes the workshop where it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from textual.binding import Binding

from formative.answers.lock import LockedError
from formative.answers.store import AnswerStore
from formative.tui.facilitator.live import RoomApp
from formative.tui.facilitator.screen import FacilitatorScreen
from formative.tui.screens.problem import ProblemScreen
from formative.tui.widgets.status import display_path
from formative.workshop.facilitation import ROOM_NAME
from formative.workshop.folder import FacilitatorLock, Workshop, now


class FacilitatorApp(RoomApp):
    """`formative facilitate DIR`: the coach's screen that runs a workshop (it may be projected too)."""

    TITLE = "Formative facilitator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        workshop: Workshop,
        theme: str = "default",
        *,
        clock: Callable[[], float] = now,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(workshop, theme, clock=clock, rng=rng)
        self.lock: FacilitatorLock | None = None
        self.store: AnswerStore | None = None
        """The room's answer file for capture mode, opened on first use and kept open."""

    def on_mount(self) -> None:
        try:
            self.lock = FacilitatorLock(self.workshop)
        except LockedError as error:
            message = (
                f"{display_path(self.workshop.path)} is being facilitated by another Formative "
                f"({error.holder}).\nOne facilitator per workshop: close that one first. "
                f"To show the workshop on a second screen, run `formative project {self.workshop.folder}`."
            )
            self.push_screen(ProblemScreen("This workshop already has a facilitator", message))
            return
        self.sub_title = self.workshop.data.workshop.title
        self.push_screen(FacilitatorScreen(self.workshop, self.room))

    def room_store(self) -> AnswerStore:
        """The answer file of the participant 'Room', where captured answers go."""
        if self.store is None:
            path = self.workshop.participant_file(ROOM_NAME)
            self.store = AnswerStore.open(path, self.workshop.workbook, person=ROOM_NAME)
        return self.store

    def on_unmount(self) -> None:
        store, self.store = self.store, None
        try:
            if store is not None:
                store.close()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None
