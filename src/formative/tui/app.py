"""The Formative Textual app: home screen or straight into a workbook, saving throughout."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.actions import ActionParseResult
from textual.actions import parse as parse_action
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from formative.tui import THEMES, css_memo, redraw
from formative.tui.hosting import NOT_HERE, display_path, shown_path, shown_text
from formative.tui.theme import PROJECTOR

if TYPE_CHECKING:  # imported where used: a solo run paints its first step before loading these
    from formative.session import Session
    from formative.tui.git_jobs import SyncDone
    from formative.tui.screens.home import HomeScreen
    from formative.workshop.folder import Workshop
    from formative.workshop.presence import Beacon
    from formative.workshop.room import Room


@dataclass(frozen=True)
class Problem:
    """Why a workbook could not be opened, for the problem screen."""

    title: str
    message: str


PARTING = "Saved to "
"""The parting line printed to the shell on quit begins so: 'Saved to ~/formative-answers/x.toml. Run …'."""
FRAME_TIME = 0.05
"""Seconds a participant's first paint has to reach the terminal before their step screen is built.

Textual hands each frame to a thread of its own, which writes it once it gets the
interpreter; the step screen's build (on the main thread, a few hundred ms of CPU) would
hold the interpreter meanwhile. With thirty apps building at once on two cores, finished
first frames waited a second or two to leave: the pause lets the frame out first."""
HOSTED_REFUSED_ACTIONS = frozenset({"export", "export_svg", "screenshot", "suspend_process"})
"""Actions that write files on the server or hand its terminal to another program: never for a hosted participant."""
HOSTED_SYSTEM_COMMANDS = frozenset({"Theme", "Quit", "Keys", "Maximize", "Minimize"})
"""Textual's own palette commands a hosted participant keeps (an allow-list: Screenshot, and any new one, stay out)."""


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
        git: bool = True,
        paint_first: bool = False,
    ) -> None:
        css_memo.install()  # before super().__init__: the app's stylesheet parses through it
        redraw.install()
        super().__init__()
        self.paint_first = paint_first
        """Show the sitting's step from the plain TOML (or the cache), then load (see first_step.py).

        The command line asks for it; tests drive the app without it, so the step screen is
        there as soon as the app runs."""
        self._opened: Session | None = None
        """A participant's session, opened before the first paint, shown after it."""
        self.git = git
        """Whether answers are committed to git (False with --no-git); see answers/git.py."""
        self.farewell: list[str] = []
        """What to tell the person once the app has closed (a commit that failed on quit, say)."""
        self.hosted = hosted
        """A participant hosted by `serve ssh` or `serve web`: a stranger on the coach's machine.

        They get their own answers and nothing else: no outside editor, no suspending to a
        shell, no screenshots or exports written to the server's disk, no links opened on
        the server, no server paths, process ids, user or host names on screen."""
        self.hosted_root: Path | None = None
        """When hosted: the folder paths are shown relative to (the workshop's)."""
        if hosted:
            self.hosted_root = workshop.folder if workshop is not None else answers_dir
        self.workbook_ref = workbook
        self.answers_dir = answers_dir
        self.person = person
        self.session: Session | None = None
        self.workshop = workshop
        """Set when joining a workshop: the app then follows the facilitator's pace."""
        self.room: Room | None = None
        if workshop is not None:
            from formative.workshop.room import Room

            self.room = Room(workshop)
        self.beacon: Beacon | None = None
        """In a workshop: this person's presence file, which the coach's roster reads (see presence.py)."""
        self.after_first_paint: Callable[[], None] | None = None
        """Called once a participant's first paint is out, before their step screen is built.

        The host passes its priority step here (serve/child.py: an arriving app runs above the
        apps already painted, so thirty arriving at once all see their step sooner)."""
        self.register_theme(PROJECTOR)
        self.theme = THEMES.get(theme, theme)

    @classmethod
    def joining(cls, workshop: Workshop, person: str, *, hosted: bool = False, theme: str = "default") -> FormativeApp:
        """A participant's app in a workshop (`formative join`, SSH, the web): the room's step painted first."""
        return cls(
            str(workshop.workbook_path),
            answers_dir=workshop.answers_dir,
            person=person,
            theme=theme,
            workshop=workshop,
            hosted=hosted,
            paint_first=True,
        )

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.workbook_ref is None:
            from formative.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen(self.answers_dir, git=self.git))
        elif self.paint_first_step(self.workbook_ref):
            return  # sync starts once the session shows (show_opened): git is not on the first paint's path
        else:
            self.open_workbook(self.workbook_ref, self.person)
        self.start_sync()

    def start_sync(self) -> None:
        """With sync on, pull in the background; the step screen takes in what it brings."""
        if self.workshop is None and not self.hosted:
            from formative.tui.git_jobs import start_sync

            start_sync(self, self.answers_dir)

    def paint_first_step(self, workbook_ref: str) -> bool:
        """Show the step the sitting opens on at once, and open the session after the paint.

        Returns False (the caller opens the session as usual) unless asked to paint first,
        alone (a workshop follows the room), with a step first_step.py can tell without
        loading: a fresh sitting's first step, or the one the last sitting remembered.
        """
        if not self.paint_first:
            return False
        if self.workshop is not None:
            return self.paint_participant_first(workbook_ref)
        if self.hosted:
            return False
        from formative.first_step import first_step
        from formative.tui.screens.first_paint import FirstPaintScreen

        first = first_step(workbook_ref, self.answers_dir, self.person)
        if first is None:
            return False
        self.push_screen(FirstPaintScreen(first, first.answers_path))
        return True

    def paint_participant_first(self, workbook_ref: str) -> bool:
        """A participant's step (the room's, when the coach leads) painted before its step screen is built.

        Opening their session is quick (the workbook is loaded before their app starts); the
        step screen's widgets are most of an arrival's cost. Thirty people arriving together
        each see their step at once, then get its answers a moment later, their keys kept.
        """
        from formative.first_step import preview
        from formative.tui.screens.first_paint import FirstPaintScreen, RoomRows
        from formative.workshop.participant import follow_room

        opened = self.try_open(workbook_ref, self.person)
        if isinstance(opened, Problem) or self.workshop is None:
            self.show_opened(opened)
            return True
        follow_room(opened.walk, self.workshop.state)
        self._opened = opened
        room = RoomRows(self.workshop.state, opened.walk.current, opened.store.person or self.person or "")
        self.push_screen(FirstPaintScreen(preview(opened.walk, opened.path), opened.path, room))
        return True

    def on_first_paint_screen_painted(self) -> None:
        """Load once the first paint is out: a worker started sooner takes the CPU it needs."""
        if self.after_first_paint is not None:
            self.after_first_paint()
        if self._opened is not None:
            self.set_timer(FRAME_TIME, self._show_participant)
        elif self.workbook_ref is not None:
            self.load_session(self.workbook_ref, self.person)

    def _show_participant(self) -> None:
        if self._opened is not None:
            opened, self._opened = self._opened, None
            self.show_opened(opened)

    @work(thread=True, exclusive=True, group="open-workbook", exit_on_error=True)
    def load_session(self, workbook_ref: str, person: str | None) -> Session | Problem:
        """Import, validate and open off the event loop: the first paint stays live and keeps keys.

        The result is shown by on_worker_state_changed, on the event loop (should the app
        close first, the worker is cancelled and the session's lock ends with the process).
        """
        from formative.tui.screens import step  # noqa: F401  (its import is most of the wait)

        return self.try_open(workbook_ref, person)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        opened = event.worker.result
        if event.worker.group == "open-workbook" and event.state == WorkerState.SUCCESS and opened is not None:
            self.show_opened(opened)

    def _install_signal_handlers(self) -> None:
        """Save on SIGTERM and SIGHUP (an SSH connection dropping) before exiting."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # Not possible off the main thread (as under some test runners): then skip.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.save_and_exit)

    def save_and_exit(self) -> None:
        self.save_session()
        self.leave_room()
        self.exit()

    def join_room(self, session: Session) -> None:
        """Tell the room this person is here: a presence file, touched every HEARTBEAT seconds."""
        if self.workshop is None or self.beacon is not None:
            return
        from formative.workshop.presence import HEARTBEAT, Beacon

        self.beacon = Beacon(self.workshop.answers_dir, session.path, session.store.person or self.person or "")
        self.beacon.arrive(session.walk.current.id)
        self.set_interval(HEARTBEAT, self.beacon.beat)

    def leave_room(self) -> None:
        """Remove the presence file: the coach's roster shows the person gone at once. Safe to call twice."""
        if self.beacon is not None:
            self.beacon.leave()

    async def run_async(self, *args: Any, **kwargs: Any) -> None:
        """Run the app; however it ends (quit, a signal, a crash), the person leaves the room."""
        try:
            return await super().run_async(*args, **kwargs)
        finally:
            self.leave_room()

    def save_session(self) -> None:
        """Save now (SIGTERM, SIGHUP), with the keys just typed: the answers on a step screen may not
        have told it of them yet, and keys typed on a participant's first paint wait, unreplayed,
        until their step screen is built."""
        from formative.tui.screens.first_paint import FirstPaintScreen, typed_text
        from formative.tui.screens.step import StepScreen

        session = self.session or self._opened
        if session is None:
            return
        for screen in self.screen_stack:
            waiting: list[events.Key | events.Paste] = []
            if isinstance(screen, StepScreen) and screen.session is session:
                screen.take_typed()
                waiting = screen.typed_ahead
            elif isinstance(screen, FirstPaintScreen):
                waiting = screen.typed
            if waiting and session.type_into_first_answer(typed_text(waiting)[0]):
                waiting.clear()  # the step screen and its first paint share the list: kept once
        try:
            session.save()
        except OSError as error:
            self.notify(f"Could not save: {error}", severity="error", markup=False)

    def open_workbook(self, workbook_ref: str, person: str | None, answers_file: Path | None = None) -> None:
        """Open a session and show its step screen, or a problem screen that touches nothing."""
        self.show_opened(self.try_open(workbook_ref, person, answers_file))

    def try_open(self, workbook_ref: str, person: str | None, answers_file: Path | None = None) -> Session | Problem:
        """The opened session, or why not (safe off the event loop: it builds no widget)."""
        from formative.answers.lock import LockedError
        from formative.answers.store import AnswerFileError
        from formative.session import Session
        from formative.workbook.errors import WorkbookError

        try:
            if self.workshop is not None and self.room is not None and person:
                from formative.workshop.participant import open_participant

                return open_participant(self.workshop, person, self.room)
            return Session.open(workbook_ref, self.answers_dir, person, answers_file=answers_file, git=self.git)
        except WorkbookError as error:
            return Problem("This workbook has problems", shown_text(self, str(error)))
        except LockedError as error:
            if self.hosted:  # the holder names a process, a user and a host: not for a stranger's eyes
                message = "Your answers are already open in another window. Close that one first, then come back."
            else:
                message = (
                    f"{shown_path(self, error.path)} is already open in another Formative ({error.holder}).\n"
                    "Close that one first, or answer under another name with --as."
                )
            return Problem("These answers are open elsewhere", message)
        except AnswerFileError as error:
            return Problem("This answer file cannot be read", shown_text(self, str(error)))

    def show_opened(self, opened: Session | Problem) -> None:
        """The step screen of a new session (taking the first paint's keys), or the problem screen.

        After a first paint, the step screen takes its place and replays what was typed on it.
        """
        from formative.tui.screens.first_paint import FirstPaintScreen
        from formative.tui.screens.problem import ProblemScreen
        from formative.tui.screens.step import StepScreen

        first_paint = self.screen if isinstance(self.screen, FirstPaintScreen) else None
        screen: Screen[None]
        if isinstance(opened, Problem):
            screen = ProblemScreen(opened.title, opened.message)
        else:
            self.close_session()
            self.session = opened
            self.sub_title = opened.workbook.title
            self.join_room(opened)
            typed = first_paint.typed if first_paint is not None else []
            screen = StepScreen(opened, self.workshop, self.room, self.beacon, typed_ahead=typed)
        if first_paint is None:
            self.push_screen(screen)
            return
        self.switch_screen(screen)
        self.start_sync()

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes go past the screen's take_key first (first paint, step screen), in the order typed."""
        if isinstance(event, events.Key | events.Paste) and not (isinstance(event, events.Key) and event.is_forwarded):
            take_key = getattr(self.screen, "take_key", None)
            if take_key is not None and take_key(event):
                return
        await super().on_event(event)

    def on_sync_done(self, message: SyncDone) -> None:
        """A pull at start: say what it brought (or why not), and show the answers it changed."""
        report = message.report
        if report.note is not None:
            self.notify(report.note, markup=False, severity="warning" if report.problem else "information", timeout=20)
        from formative.tui.screens.home import HomeScreen
        from formative.tui.screens.step import StepScreen

        if report.changed and isinstance(self.screen, StepScreen | HomeScreen):
            self.screen.answers_pulled()

    def on_home_screen_open_workbook(self, message: HomeScreen.OpenWorkbook) -> None:
        self.open_workbook(message.workbook_id, message.person, message.answers_file)

    def action_help(self) -> None:
        from formative.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        from formative.tui.screens.first_paint import FirstPaintScreen
        from formative.tui.screens.step import StepScreen

        if isinstance(self.screen, FirstPaintScreen):
            # (Ctrl+Q typed is taken with the other keys; this is Quit from elsewhere.) The step
            # screen replays the keys typed before it, then quits with the words in the answer.
            self.screen.typed.append(events.Key("ctrl+q", None))
            return
        if isinstance(self.screen, StepScreen):
            self.screen.save_now()  # what was typed a moment ago, even with its Changed message on the way
        self.close_session()
        self.exit()

    def close_session(self) -> None:
        self.leave_room()
        if self._opened is not None:  # gone before its step screen showed: nothing was answered in it
            opened, self._opened = self._opened, None
            opened.close()
        if self.session is not None:
            session, self.session = self.session, None
            self.farewell += session.close()
            if not self.hosted:  # the parting line says where the answers are, once, for the last workbook open
                self.farewell = [line for line in self.farewell if not line.startswith(PARTING)]
                self.farewell.append(f"{PARTING}{display_path(session.path)}. Run {self.resume_command()} to continue.")
            if self.workshop is None and not self.hosted:
                self.remember_where(session)

    def remember_where(self, session: Session) -> None:
        """Keep the step this sitting resumes on next time, so that start paints it first (first_step.py)."""
        from formative.first_step import remember

        try:
            remember(session)
        except OSError as error:  # only a faster start is lost: the next one loads as before
            self.farewell.append(f"Could not keep where you are for a faster start next time: {error}")

    def on_exit_app(self) -> None:
        """However the app exits (quit, a signal, its terminal or browser gone: the driver's end of
        input), save while the screens still have their widgets: on unmount they are gone."""
        self.save_session()

    def on_unmount(self) -> None:
        self.close_session()

    def resume_command(self) -> str:
        """'`formative`', or with --answers when the answers are not in the folder it opens by itself."""
        from formative.session import default_answers_dir

        if self.answers_dir.resolve() == default_answers_dir().resolve():
            return "`formative`"
        shown = display_path(self.answers_dir)
        home, tilde, rest = shown.partition("~/")
        folder = f"~/{shlex.quote(rest)}" if tilde and not home else shlex.quote(shown)  # ~ must stay unquoted
        return f"`formative --answers {folder}`"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from formative.tui.screens.finish import FinishScreen  # not needed for the first paint
        from formative.tui.screens.step import StepScreen

        for command in super().get_system_commands(screen):
            if not self.hosted or command.title in HOSTED_SYSTEM_COMMANDS:
                yield command
        if isinstance(screen, FinishScreen):
            if screen.session.workbook.canvas is not None:
                yield SystemCommand("Show the canvas", "Your key answers on one page", screen.action_canvas)
                if not self.hosted:
                    yield SystemCommand(
                        "Export the canvas as SVG", "A one-page picture to print", screen.action_export_svg
                    )
            if not self.hosted:
                yield SystemCommand("Export Markdown", "Write your answers as a document", screen.action_export)
        if isinstance(screen, StepScreen):
            yield SystemCommand("Outline", "Jump to any step", screen.action_outline)
            yield SystemCommand("Review answers", "Read every answer so far", screen.action_review)
            yield SystemCommand("Save now", "Write the answer file", screen.save_now)
            yield SystemCommand(
                "History of this step", "Earlier versions of its answers (ctrl+t)", screen.action_history
            )
            if screen.check_action("copy_last", ()):
                yield SystemCommand(
                    "Copy last time's answer", "Start from what you wrote (ctrl+l)", screen.action_copy_last
                )
            if not self.hosted:  # it writes a file beside the answers, on the server for a hosted participant
                yield SystemCommand("Export Markdown", "Write your answers as a document", screen.action_export)
            if screen.session.workbook.canvas is not None:
                yield SystemCommand("Show the canvas", "Your key answers on one page", screen.action_canvas)
                if not self.hosted:
                    yield SystemCommand(
                        "Export the canvas as SVG", "A one-page picture to print", screen.action_export_svg
                    )
        for label, help_text, name in (
            ("Projector theme", "High contrast for a wall", "projector"),
            ("Default theme", "Back to the usual colours", "textual-dark"),
        ):
            yield SystemCommand(label, help_text, partial(setattr, self, "theme", name))

    # A hosted participant's app opens no door to the server -------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (screens' and widgets' too) comes through here: no server paths when hosted."""
        super().notify(shown_text(self, message), title=title, severity=severity, timeout=timeout, markup=markup)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Any = None,
    ) -> bool:
        """Every key binding and action link comes through here: refuse the server-side ones when hosted."""
        _, name, _ = parse_action(action) if isinstance(action, str) else action
        if self.hosted and name in HOSTED_REFUSED_ACTIONS:
            self.notify(NOT_HERE, severity="warning", markup=False)
            return True
        return await super().run_action(action, default_namespace, namespaces)

    @contextlib.contextmanager
    def suspend(self) -> Iterator[None]:
        """No other program gets a hosted participant's terminal (it would run on the coach's machine)."""
        if self.hosted:
            raise SuspendNotSupported("A hosted participant's app never suspends.")
        with super().suspend():
            yield

    def action_suspend_process(self) -> None:
        if self.hosted:
            self.notify(NOT_HERE, severity="warning", markup=False)
            return
        super().action_suspend_process()

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """A link: in a hosted participant's browser it opens there; over SSH it would open on the server."""
        if self.hosted and not self.is_web:
            self.notify(f"Open this link on your own computer: {url}", markup=False, timeout=15)
            return
        super().open_url(url, new_tab=new_tab)

    def deliver_text(self, *args: Any, **kwargs: Any) -> str | None:
        """Files delivered to a hosted participant over SSH would land on the server's disk: refused."""
        if self.hosted and not self.is_web:
            self.notify(NOT_HERE, severity="warning", markup=False)
            return None
        return super().deliver_text(*args, **kwargs)

    def deliver_binary(self, *args: Any, **kwargs: Any) -> str | None:
        if self.hosted and not self.is_web:
            self.notify(NOT_HERE, severity="warning", markup=False)
            return None
        return super().deliver_binary(*args, **kwargs)
