"""The Formative Textual app: home screen or straight into a workbook, saving throughout."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError
from formative.session import Session
from formative.tui import THEMES
from formative.tui.screens.home import HomeScreen
from formative.tui.screens.step import StepScreen
from formative.tui.theme import PROJECTOR
from formative.tui.widgets.status import display_path
from formative.workbook.errors import WorkbookError
from formative.workshop.folder import Workshop
from formative.workshop.participant import open_participant
from formative.workshop.room import Room


class FormativeApp(App[None]):
    """Opens the home screen, or one workbook when given; owns the open session."""

    CSS_PATH = "app.tcss"
    TITLE = "Formative"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-medium"), (80, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    """Small or zoomed terminals (60×20 on a projector, 40×12) get a compact layout."""
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
    ]

    def __init__(
        self,
        workbook: str | None = None,
        *,
        answers_dir: Path,
        person: str | None = None,
        theme: str = "default",
        workshop: Workshop | None = None,
        hosted: bool = False,
    ) -> None:
        super().__init__()
        self.hosted = hosted
        """A participant hosted by `serve ssh` or `serve web`: a stranger on the coach's machine.

        They get their own answers and nothing else: no outside editor, no suspending to a
        shell, no screenshots written to the server's disk, no server paths, process ids,
        user or host names on screen."""
        self.workbook_ref = workbook
        self.answers_dir = answers_dir
        self.person = person
        self.session: Session | None = None
        self.workshop = workshop
        """Set when joining a workshop: the app then follows the facilitator's pace."""
        self.room = Room(workshop) if workshop is not None else None
        self.register_theme(PROJECTOR)
        self.theme = THEMES.get(theme, theme)

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.workbook_ref is None:
            self.push_screen(HomeScreen(self.answers_dir))
        else:
            self.open_workbook(self.workbook_ref, self.person)

    def _install_signal_handlers(self) -> None:
        """Save on SIGTERM and SIGHUP (an SSH connection dropping) before exiting."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # Not possible off the main thread (as under some test runners): then skip.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.save_and_exit)

    def save_and_exit(self) -> None:
        self.save_session()
        self.exit()

    def save_session(self) -> None:
        if self.session is not None:
            try:
                self.session.save()
            except OSError as error:
                self.notify(f"Could not save: {error}", severity="error", markup=False)

    def open_workbook(self, workbook_ref: str, person: str | None, answers_file: Path | None = None) -> None:
        """Open a session and show its step screen, or a problem screen that touches nothing."""
        from formative.tui.screens.problem import ProblemScreen

        try:
            if self.workshop is not None and self.room is not None and person:
                session = open_participant(self.workshop, person, self.room)
            else:
                session = Session.open(workbook_ref, self.answers_dir, person, answers_file=answers_file)
        except WorkbookError as error:
            self.push_screen(ProblemScreen("This workbook has problems", str(error)))
            return
        except LockedError as error:
            message = (
                f"{display_path(error.path)} is already open in another Formative ({error.holder}).\n"
                "Close that one first, or answer under another name with --as."
            )
            self.push_screen(ProblemScreen("These answers are open elsewhere", message))
            return
        except AnswerFileError as error:
            self.push_screen(ProblemScreen("This answer file cannot be read", str(error)))
            return
        if self.session is not None:
            self.session.close()
        self.session = session
        self.sub_title = session.workbook.title
        self.push_screen(StepScreen(session, self.workshop, self.room))

    def on_home_screen_open_workbook(self, message: HomeScreen.OpenWorkbook) -> None:
        self.open_workbook(message.workbook_id, message.person, message.answers_file)

    def action_help(self) -> None:
        from formative.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.close_session()
        self.exit()

    def close_session(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            session.close()

    def on_unmount(self) -> None:
        self.close_session()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, StepScreen):
            yield SystemCommand("Outline", "Jump to any step", screen.action_outline)
            yield SystemCommand("Review answers", "Read every answer so far", screen.action_review)
            yield SystemCommand("Save now", "Write the answer file", screen.save_now)
            yield SystemCommand("Export Markdown", "Write your answers as a document", screen.action_export)
            if screen.session.workbook.canvas is not None:
                yield SystemCommand("Show the canvas", "Your key answers on one page", screen.action_canvas)
        for label, help_text, name in (
            ("Projector theme", "High contrast for a wall", "projector"),
            ("Default theme", "Back to the usual colours", "textual-dark"),
        ):
            yield SystemCommand(label, help_text, partial(setattr, self, "theme", name))
