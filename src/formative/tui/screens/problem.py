"""A clear screen for a file we must not touch: locked, unparseable, or not a workbook."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from formative.tui.widgets.footer import KeyFooter
from formative.tui.widgets.safe_text import literal


class ProblemScreen(Screen[None]):
    """Says what is wrong and that nothing was changed; the only way on is back or quit."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("q", "app.quit", "Quit")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static(literal(self.title_text).stylize("bold $error"), classes="screen-title")
            yield Static(literal(self.message), id="problem-message")
            yield Static(Content("Nothing was changed."), classes="dim")
            yield Button("Quit", id="quit", variant="error")
        yield KeyFooter()

    def on_button_pressed(self) -> None:
        self.app.exit(return_code=1)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss()
        else:
            self.app.exit(return_code=1)
