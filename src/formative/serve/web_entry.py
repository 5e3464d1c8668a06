"""What a browser participant runs: the passcode (when the host set one), their name, then the workbook.

textual-serve starts the same command for every browser tab, so the participant's name
cannot be on the command line: the app asks for it. It asks inside the participant's own
app rather than in a small app that then execs `formative run/join`, because under
textual-serve a Textual app that stops sends an "exit" packet, on which the server closes
the browser's session, and a second app in the same session would write the
"__GANGLION__" greeting into a stream the server already reads as framed packets.
Staying in one app is also one interpreter start per participant instead of two.

Run as `python -m formative.serve.web_entry WORKSHOP_DIR` (textual-serve does); the
passcode arrives in the environment, never on a command line that `ps` shows.
"""

from __future__ import annotations

import hmac
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from formative.serve.common import MAX_NAME, clean_name
from formative.serve.web import PASSCODE_ENV
from formative.tui.app import FormativeApp
from formative.workshop.folder import Workshop

PASSCODE_TRIES = 3
"""Wrong passcodes before the session closes; each new try then costs a page reload and a new process."""


class AskScreen(Screen[str]):
    """One question with one line of answer; `check` returns a problem to show, or None to accept."""

    CSS_PATH = "web_entry.tcss"

    def __init__(
        self, question: str, check: Callable[[str], str | None], *, password: bool = False, placeholder: str = ""
    ) -> None:
        super().__init__()
        self.question = question
        self.check = check
        self.password = password
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static("Formative workshop", classes="screen-title")
            yield Label(self.question, markup=False)
            yield Input(placeholder=self.placeholder, password=self.password, max_length=200, id="answer")
            yield Static("", id="problem", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value)
        if problem is None:
            self.dismiss(event.value)
            return
        self.query_one("#problem", Static).update(problem)
        event.input.clear()


class WebParticipantApp(FormativeApp):
    """`formative join`'s app (a FormativeApp on the workshop) with the entry questions in front."""

    CSS_PATH = str(Path(inspect.getfile(FormativeApp)).with_name("app.tcss"))
    """FormativeApp's stylesheet by absolute path: a relative one would resolve beside this file."""

    def __init__(self, workshop: Workshop, passcode: str | None) -> None:
        super().__init__(str(workshop.workbook_path), answers_dir=workshop.answers_dir, workshop=workshop)
        self.passcode = passcode
        self.wrong_passcodes = 0

    def on_mount(self, event: events.Mount | None = None) -> None:
        # Textual calls FormativeApp.on_mount next, which would open the workbook before we know whose it is.
        if event is not None:
            event.prevent_default()
        if self.passcode is None:
            self.ask_name()
        else:
            question = "Workshop passcode (ask your facilitator):"
            self.push_screen(AskScreen(question, self.check_passcode, password=True), lambda _: self.ask_name())

    def check_passcode(self, entered: str) -> str | None:
        assert self.passcode is not None
        if hmac.compare_digest(entered.encode(), self.passcode.encode()):
            return None
        self.wrong_passcodes += 1
        if self.wrong_passcodes >= PASSCODE_TRIES:
            self.exit(return_code=1)
        return "That is not the passcode. Check it with your facilitator."

    def ask_name(self) -> None:
        question = "Your name, as the room should see it:"
        self.push_screen(AskScreen(question, self.check_name, placeholder="then press Enter"), self.start)

    def check_name(self, entered: str) -> str | None:
        name = clean_name(entered)
        return None if name else f"Type your name (up to {MAX_NAME} characters), then Enter."

    def start(self, entered: str | None) -> None:
        self.person = clean_name(entered or "")
        assert self.workbook_ref is not None
        self.open_workbook(self.workbook_ref, self.person)


def main() -> None:
    """Entry point for textual-serve's command: one argument, the workshop folder."""
    if len(sys.argv) != 2:
        sys.exit("usage: python -m formative.serve.web_entry WORKSHOP_DIR")
    # Taken out of the environment so nothing this app starts (git, an editor) inherits it.
    passcode = os.environ.pop(PASSCODE_ENV, "") or None
    app = WebParticipantApp(Workshop.open(Path(sys.argv[1])), passcode)
    app.run()
    sys.exit(app.return_code or 0)


if __name__ == "__main__":
    main()
