"""The first paint: the step a sitting opens on, shown while the workbook is validated.

It looks like the step screen that replaces it a moment later (the same frame, header,
mode line and guidance), but holds no session: nothing here can save, so nothing is
answered here. Every key and paste that reaches it is kept, in order, and handed to
the step screen, which replays them once its answers exist: words typed as soon as
the screen appears are never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from formative.first_step import FirstStep
from formative.tui.screens.step_frame import StepBody, StepHeader, guidance_widgets, header_content, meta_line
from formative.tui.widgets.status import SaveStatus

if TYPE_CHECKING:
    from formative.workbook.model import Step
    from formative.workshop.model import State


def kept_copy(event: events.Key | events.Paste) -> events.Key | events.Paste:
    """A fresh event with the same key or text: one that has been handled once cannot be posted again."""
    return events.Paste(event.text) if isinstance(event, events.Paste) else events.Key(event.key, event.character)


def typed_text(typed: list[events.Key | events.Paste]) -> tuple[str, list[events.Key | events.Paste]]:
    """The words at the start of what was typed (characters, pastes, Backspace), and the keys after them."""
    text = ""
    for index, event in enumerate(typed):
        if isinstance(event, events.Paste):
            text += event.text
        elif event.is_printable and event.character:
            text += event.character
        elif event.key == "backspace":
            text = text[:-1]
        else:
            return text, typed[index:]
    return text, []


@dataclass(frozen=True)
class RoomRows:
    """A workshop participant's bar and privacy badge on the first paint, as the step screen will show them."""

    state: State
    step: Step
    person: str


class FirstPaintScreen(Screen[None]):
    """The sitting's step from the plain TOML (or the cache); keys wait here for the step screen."""

    DEFAULT_CSS = """
    FirstPaintScreen #footer-space {
        height: 1;
        background: $footer-background;
    }
    """

    def __init__(self, first: FirstStep, answers_path: Path, room: RoomRows | None = None) -> None:
        super().__init__()
        self.first = first
        self.answers_path = answers_path
        self.room = room
        """In a workshop: the room's lines under the header (the step screen has them in the same place)."""
        self.typed: list[events.Key | events.Paste] = []
        """Keys and pastes in the order they came, for the step screen to replay (and Ctrl+Q, last,
        when the person quits after typing: the app quits once the words are in the answer)."""

    def compose(self) -> ComposeResult:
        """The step's words in the step screen's places; the controls' rows are kept free for it.

        The header, the mode line and the guidance are what a person reads first. The progress
        bar, Back / Next and the keys (a dozen widgets, as much again as all the rest to style
        and draw) take their places with the step screen a moment later, so nothing moves.
        """
        first = self.first
        yield StepHeader(
            header_content(first, first.position, first.visible, first.section_title, first.title), id="step-header"
        )
        yield Static(id="progress")
        if self.room is not None:
            from formative.tui.widgets.workshop_bar import PrivacyBadge, WorkshopBar

            yield WorkshopBar(self.room.person, id="workshop-bar")
            yield PrivacyBadge(id="privacy")
        with StepBody(id="step-content"):
            meta = meta_line(first.mode, first.timebox, first.has_example)
            if meta is not None:
                yield meta
            yield from guidance_widgets(first, first.intro, first.body)
        yield Static(id="nav")
        yield SaveStatus(self.answers_path, id="save-status")
        yield Static(id="footer-space")

    class Painted(Message):
        """The first paint is on the terminal: the app may start the heavy loading now, not before."""

    def on_mount(self) -> None:
        if self.room is not None:
            from formative.tui.widgets.workshop_bar import show_room

            show_room(self, self.room.state, self.room.step)
        self.query_one("#step-content", VerticalScroll).focus()
        self.call_after_refresh(self.post_message, self.Painted())

    def take_key(self, event: events.Key | events.Paste) -> bool:
        """Each key and paste as the app takes it (FormativeApp.on_event): kept here, in order.

        Taken on its way to the focused widget, a key could still be on that way when the step
        screen took over: the replay went without it, keys typed after it went straight into
        the answer, and it came last ('zesty' saved as 'ezsty' over SSH)."""
        self.typed.append(kept_copy(event))
        return True

    def on_key(self, event: events.Key) -> None:
        """A key that reached the screen another way (posted to a widget): kept too, never acted on."""
        event.stop()
        event.prevent_default()
        self.typed.append(kept_copy(event))

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.typed.append(kept_copy(event))
