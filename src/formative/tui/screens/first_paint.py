"""The first paint: a fresh sitting's first step, shown while the workbook is validated.

It looks like the step screen that replaces it a moment later (the same frame, header,
mode line and guidance), but holds no session: nothing here can save, so nothing is
answered here. Every key and paste that reaches it is kept, in order, and handed to
the step screen, which replays them once its answers exist: words typed as soon as
the screen appears are never lost.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, ProgressBar

from formative.first_step import FirstStep
from formative.tui.screens.step_frame import (
    StepHeader,
    compose_bottom,
    compose_top,
    guidance_widgets,
    header_content,
    meta_line,
)


class FirstPaintScreen(Screen[None]):
    """A fresh sitting's first step from the plain TOML; keys wait here for the step screen."""

    BINDINGS = [  # the step screen's, so the footer does not change under the person's eyes
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+b", "back", "Back"),
        Binding("ctrl+o", "outline", "Outline"),
        Binding("ctrl+r", "review", "Review"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, first: FirstStep, answers_path: Path) -> None:
        super().__init__()
        self.first = first
        self.answers_path = answers_path
        self.typed: list[events.Key | events.Paste] = []
        """Keys and pastes in the order they came, for the step screen to replay."""
        self.quit_asked = False
        """Ctrl+Q came after something was typed: quit once the step screen has taken it in."""

    def compose(self) -> ComposeResult:
        yield from compose_top()
        yield from compose_bottom(self.answers_path)

    async def on_mount(self) -> None:
        first = self.first
        self.query_one(StepHeader).update(
            header_content(first, first.position, first.visible, first.section_title, first.title)
        )
        self.query_one(ProgressBar).update(progress=0 if first.answerable else 100)
        self.query_one("#back", Button).disabled = first.position == 1
        content = self.query_one("#step-content", VerticalScroll)
        meta = meta_line(first.mode, first.timebox, first.has_example)
        guidance = guidance_widgets(first, first.intro, first.body)
        await content.mount_all([*([meta] if meta is not None else []), *guidance])
        content.focus()

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.typed.append(events.Key(event.key, event.character))

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.typed.append(events.Paste(event.text))

    # Never run: keys are kept before bindings see them. The footer shows what they will do.
    def action_next(self) -> None: ...

    def action_back(self) -> None: ...

    def action_outline(self) -> None: ...

    def action_review(self) -> None: ...
