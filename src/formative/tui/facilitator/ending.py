"""The End: a confirmation that says what will be written where, before anything is."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from formative.tui.widgets.status import display_path
from formative.workshop.ending import end_files, report_exists


class EndScreen(ModalScreen[bool]):
    """Returns True to end (write the report and each person's copy), False to go back."""

    DEFAULT_CSS = """
    EndScreen { align: center middle; }
    EndScreen #end { width: 70; max-width: 100%; height: auto; border: round $warning;
                     background: $surface; padding: 0 1; }
    EndScreen #end-buttons { height: auto; margin-top: 1; }
    EndScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape,n", "dismiss(False)", "Back"), Binding("y", "dismiss(True)", "End")]

    def __init__(self, folder: Path, people: int, ended: bool) -> None:
        super().__init__()
        self.folder = folder
        self.people = people
        self.ended = ended

    def compose(self) -> ComposeResult:
        report, each = end_files(self.folder)
        title = "Write the report again?" if self.ended else "End the workshop?"
        lines = [
            f"Writes the room's report to {display_path(report)}"
            + (" (replacing the one there)" if report_exists(self.folder) else ""),
            f"and each person's own copy into {display_path(each)}/ ({self.people} people).",
            "Participants' screens then say the workshop has ended and where their copy is.",
        ]
        with Vertical(id="end"):
            yield Static(Content(title).stylize("bold"))
            yield Static(Content("\n".join(lines)), id="end-text")
            with Horizontal(id="end-buttons"):
                yield Button("End and write (y)" if not self.ended else "Write again (y)", id="yes", variant="warning")
                yield Button("Back (Esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
