"""The facilitator's app: holds the workshop's lock, the room, and the room's own answer file.

One facilitator per workshop: a second one gets a problem screen and changes nothing.
All live state is in workshop.toml, so restarting resumes the workshop where it was.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.binding import Binding

from formative.answers.lock import LockedError
from formative.answers.store import AnswerStore
from formative.tui import THEMES
from formative.tui.facilitator.screen import FacilitatorScreen
from formative.tui.screens.problem import ProblemScreen
from formative.tui.theme import PROJECTOR
from formative.tui.widgets.status import display_path
from formative.workshop.facilitation import ROOM_NAME
from formative.workshop.folder import FacilitatorLock, Workshop, now
from formative.workshop.room import Room


class FacilitatorApp(App[None]):
    """`formative facilitate DIR`: the projected screen that runs a workshop."""

    CSS_PATH = "facilitator.tcss"
    TITLE = "Formative facilitator"
    ENABLE_COMMAND_PALETTE = False
    """The footer's room goes to the workshop keys; themes come from --theme."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    """A zoomed projector font (60×20) gets a narrower roster and a tighter head."""
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, workshop: Workshop, theme: str = "default", *, clock: Callable[[], float] = now) -> None:
        super().__init__()
        self.workshop = workshop
        self.room = Room(workshop)
        self.clock = clock
        """Wall-clock time shared with participants; tests pass a fixed one for steady snapshots."""
        self.lock: FacilitatorLock | None = None
        self.store: AnswerStore | None = None
        """The room's answer file for capture mode, opened on first use and kept open."""
        self.register_theme(PROJECTOR)
        self.theme = THEMES.get(theme, theme)

    def on_mount(self) -> None:
        try:
            self.lock = FacilitatorLock(self.workshop)
        except LockedError as error:
            message = (
                f"{display_path(self.workshop.path)} is being facilitated by another Formative "
                f"({error.holder}).\nOne facilitator per workshop: close that one first."
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
