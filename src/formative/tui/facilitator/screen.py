"""The coach's screen: the wall's content plus the roster, the notes and every control.

Every key changes the facilitator's State through `workshop.facilitation` (or
`workshop.wall`) and writes it with save_state at once, so a crash loses nothing and
participants and the mirror follow it. What the room does arrives by change
notification (live.py); what each part shows is a reactive (widgets.py), so only the
parts whose words changed are drawn again.
"""

from __future__ import annotations

from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static

from formative.answers.git import queue_for
from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError
from formative.tui.facilitator.live import LiveScreen, RoomApp
from formative.tui.facilitator.roster_panel import RosterPanel
from formative.tui.facilitator.wall import WallHead, WallStage
from formative.tui.facilitator.widgets import BigTimer, Words
from formative.tui.git_jobs import GitDone, commit_in_background
from formative.tui.widgets.key_footer import KeyFooter
from formative.tui.widgets.prompt_base import TextInput
from formative.tui.widgets.safe_text import answers_markdown, answers_text, literal
from formative.workbook.errors import WorkbookError
from formative.workbook.model import Step
from formative.workshop import facilitation as f
from formative.workshop import wall
from formative.workshop.ending import Ended, end_files, write_end
from formative.workshop.folder import save_state
from formative.workshop.history import commit_room, room_commit_message
from formative.workshop.model import RoomTimer, State
from formative.workshop.room import Room, shows_room, skipped_summary
from formative.workshop.room_feed import Changed
from formative.workshop.roster import present_names


class FacilitatorScreen(LiveScreen):
    """One screen for the whole workshop; the coach drives it with single keys."""

    BINDINGS = [
        Binding("right,ctrl+n", "step(1)", "Next", key_display="→"),
        Binding("left,ctrl+b", "step(-1)", "Back", key_display="←"),
        Binding("space", "timer", "Timer", key_display="space"),
        Binding("r", "reveal", "Reveal"),
        Binding("n,a", "names", "Names", key_display="n"),
        Binding("o", "outline", "Steps"),
        Binding("e", "end", "End"),
        Binding("f", "notes", "Notes"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("plus,equals_sign", "time(60)", "+1 min", key_display="+", show=False),
        Binding("minus", "time(-60)", "−1 min", show=False),
        Binding("j", "join", "Join", show=False),
        Binding("P", "passcode", "Passcode", show=False),
        Binding("p", "pace", "Pace", show=False),
        Binding("g", "groups", "Groups", show=False),
        Binding("c", "capture", "Capture", show=False),
        Binding("x", "release", "Release a name", show=False),
        Binding("escape", "leave_capture", "Stop capture", show=False),
    ]

    _timer_word = ""

    # Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(literal(self.workshop.data.workshop.title), id="workshop-title")
            yield Words(id="where")
        yield WallHead(id="head")
        with Horizontal(id="main"):
            yield WallStage(for_coach=True, id="stage")
            yield RosterPanel({s.id: n for n, s in enumerate(self.workshop.workbook.steps, 1)}, id="roster")
        yield Words(fixed=True, id="skipped")
        with Vertical(id="capture"):
            yield Words(fixed=True, id="capture-label")
            box = TextInput(id="capture-input", placeholder="one answer, Enter adds it · Esc stops", disabled=True)
            box.take = self.capture
            yield box
        yield KeyFooter()

    def start(self) -> None:
        self.query_one("#capture").display = False
        state = self.state
        step = self.workshop.workbook.step(state.step) if state.step else None
        if step is None or state.timer == RoomTimer():
            # A new workshop (or an unknown step): enter it properly. Otherwise resume as saved.
            self.save(f.enter_step(state, step or self.workshop.workbook.steps[0], self.present()))

    # State -------------------------------------------------------------------------------

    def save(self, state: State) -> None:
        """Write the state at once (participants and the mirror follow it) and show it."""
        before = self.workshop.state
        try:
            save_state(self.workshop, state)
        except (OSError, WorkbookError) as error:
            self.notify(f"Could not save workshop.toml: {error}", severity="error", markup=False)
            return
        self.feed.saved()
        self.commit_when_moved(before, state)
        if self.is_mounted:
            self.redraw(Changed(state=True))

    def present(self) -> list[str]:
        """The people here now (their apps' presence files): pairs and tables are drawn from them."""
        return present_names(self.feed.rows(self.step, self.now()))

    def seat_latecomers(self) -> None:
        """Someone arrived on a pair or table step after the draw: into a pair (a trio) or the smallest table."""
        step = self.step
        if step.mode not in ("pair", "table") or self.state.ended is not None:
            return
        state = f.seat_latecomers(self.state, step, self.present())
        if state is not self.state:
            self.save(state)

    # History: the folder committed at each step and at the End -----------------------------

    def commit_when_moved(self, before: State, after: State) -> None:
        """The room moved to another step (or ended): commit the folder in the background."""
        title = self.workshop.data.workshop.title
        message = room_commit_message(title, self.workshop.workbook, before, after)
        if message is not None:
            commit = partial(commit_room, self.workshop.folder, message)
            commit_in_background(self.app, queue_for(self.workshop.folder), commit, self)

    @on(GitDone)
    def git_done(self, event: GitDone) -> None:
        if event.outcome.error is not None:
            self.notify(f"Not committed to git: {event.outcome.error}", severity="warning", markup=False, timeout=15)
        elif event.outcome.note is not None:
            self.notify(event.outcome.note, markup=False, timeout=20)

    # Drawing -----------------------------------------------------------------------------

    def draw(self, changed: Changed) -> None:
        step, state, walk = self.step, self.state, self.empty_walk
        stage = self.query_one(WallStage)
        if changed.state:
            self.query_one(WallHead).show(answers_text(walk, step.title), state, step)
            notes = step.facilitator_notes or "_No notes for this step._"
            stage.notes = answers_markdown(walk, notes) if state.notes_visible else None
            stage.show_groups(state, step)
            stage.instructions = answers_markdown(walk, step.body)
            self.draw_capture_label(step)
        if changed.state or changed.serving:
            stage.show_join(state, walk, self.feed.serving, self.now())
        if changed.state or changed.answers:
            stage.show_shared(state, step, self.room, walk)
            self.draw_skipped()
        if changed.state or changed.answers or changed.presence:
            self.draw_roster(step)
        if changed.presence:
            self.seat_latecomers()
        self.draw_where()

    def show_time(self, at: float) -> None:
        """The digits, the passcode's time on the wall, the top line (each redrawn only if changed)."""
        self._timer_word = self.query_one(BigTimer).show(self.state.timer, at)
        self.query_one(WallStage).show_join(self.state, self.empty_walk, self.feed.serving, at)
        self.draw_where()

    def draw_where(self) -> None:
        """The top line, small: step n of m, the pace, the timer, and what the wall shows."""
        state, step = self.state, self.step
        number = wall.step_number(self.workshop.workbook, step.id)
        where = [f"Step {number}/{len(self.workshop.workbook.steps)}", state.pace, self._timer_word]
        held = self.query_one(WallStage).held
        summary = wall.wall_summary(state, step, self.workshop.workbook, self.feed.serving, self.now(), held=held)
        text = Content(" · ".join(w for w in where if w)) + Content(f"   {summary}").stylize("$accent")
        self.query_one("#where", Words).words = text

    def draw_skipped(self) -> None:
        """Files in answers/ the room scan skipped (a named pipe, broken TOML), named on one muted line."""
        summary = skipped_summary(self.room.problems)
        box = self.query_one("#skipped", Words)
        box.display = bool(summary)
        box.words = literal(summary)

    def draw_roster(self, step: Step) -> None:
        roster = self.query_one(RosterPanel)
        roster.rows, roster.room_step = self.feed.rows(step, self.now()), step.id

    def draw_capture_label(self, step: Step) -> None:
        prompt = f.capture_prompt(step)
        text = answers_text(self.empty_walk, prompt.label) if prompt else Content("nothing to capture here")
        self.query_one("#capture-label", Words).words = Content("Room: ").stylize("bold") + text

    # Keys --------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        target = f.neighbour(self.workshop.workbook, self.state.step, delta)
        if target is None:
            if delta > 0:
                self.action_end()
            else:
                self.notify("This is the first step.", markup=False)
            return
        self.go_to(target)

    def go_to(self, step: Step) -> None:
        self.save(f.enter_step(self.state, step, self.present()))
        self.query_one(WallStage).scroll_home(animate=False)

    def action_timer(self) -> None:
        self.save(f.toggle_timer(self.state, self.now()))

    def action_time(self, seconds: int) -> None:
        self.save(f.change_time(self.state, seconds, self.now()))

    def action_reveal(self) -> None:
        if not shows_room(self.step):
            self.notify("This step is not shared: its answers stay with each person.", markup=False)
            return
        self.save(f.toggle_reveal(self.state, self.step.id))

    def action_names(self) -> None:
        if not shows_room(self.step):
            self.notify("This step is not shared: no names or answers reach the wall.", markup=False)
            return
        state = f.toggle_names(self.state, self.step)
        self.save(state)
        self.notify(f"This step's answers: {wall.privacy_words(state, self.step)}.", markup=False)

    def action_pace(self) -> None:
        self.save(self.state.model_copy(update={"pace": "free" if self.state.pace == "lead" else "lead"}))

    def action_notes(self) -> None:
        self.save(self.state.model_copy(update={"notes_visible": not self.state.notes_visible}))

    def action_join(self) -> None:
        if not self.feed.serving:
            self.notify(
                "No server hosts this workshop now. Start `formative serve ssh` or `formative serve web` "
                "on this folder and how to join appears here.",
                markup=False,
            )
            return
        self.save(wall.toggle_join(self.state, self.workshop.workbook, self.feed.serving))

    def action_passcode(self) -> None:
        if not any(s.passcode for s in self.feed.serving.values()):
            self.notify("No running server has a passcode.", markup=False)
            return
        self.save(wall.toggle_passcode(self.state, self.now()))

    def action_groups(self) -> None:
        names = self.present()
        if len(names) < 2:
            self.notify("Groups need at least two people here.", markup=False)
            return
        self.save(f.reshuffle(self.state, self.step, names))

    def action_outline(self) -> None:
        from formative.tui.facilitator.outline import StepOutline

        def chosen(step_id: str | None) -> None:
            target = self.workshop.workbook.step(step_id) if step_id else None
            if target is not None and target.id != self.state.step:
                self.go_to(target)

        self.app.push_screen(StepOutline(self.workshop.workbook, self.state.step), chosen)

    def action_end(self) -> None:
        from formative.tui.facilitator.ending import EndScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.end_workshop()

        people = len([p for p in self.room.participants if p.name != f.ROOM_NAME])
        self.app.push_screen(EndScreen(self.workshop.folder, people, self.state.ended is not None), confirmed)

    @work(thread=True, exclusive=True, group="end")
    def end_workshop(self) -> None:
        """In a thread (30 people's copies take a few hundred ms), from a Room of its own; then the state says so."""
        try:
            ended = write_end(Room(self.workshop))
        except OSError as error:
            message = f"Could not write the report: {error}"
            self.app.call_from_thread(self.notify, message, title="Not ended", severity="error", markup=False)
            return
        self.app.call_from_thread(self.ended, ended)

    def ended(self, ended: Ended) -> None:
        if self.state.ended is None:
            self.save(self.state.model_copy(update={"ended": self.now()}))
        report, each = end_files(self.workshop.folder)
        self.notify(
            f"Report: {report}\nEach person's copy: {each}/ ({len(ended.copies)} files)",
            title="Workshop ended",
            timeout=20,
            markup=False,
        )

    def action_help(self) -> None:
        from formative.tui.facilitator.help import FacilitatorHelp

        self.app.push_screen(FacilitatorHelp())

    def action_release(self) -> None:
        from formative.tui.facilitator.release import ReleaseScreen

        self.app.push_screen(ReleaseScreen(self.workshop))

    # Capture: typing the room's answers on the one screen ------------------------------

    def action_capture(self) -> None:
        if f.capture_prompt(self.step) is None:
            self.notify("Capture takes text or list questions; this step has none.", markup=False)
            return
        self.query_one("#capture").display = True
        box = self.query_one("#capture-input", Input)
        box.disabled = False
        box.focus()

    def action_leave_capture(self) -> None:
        self.query_one("#capture").display = False
        self.query_one("#capture-input", Input).disabled = True
        self.set_focus(None)

    def capture(self, text: str) -> bool:
        """Enter in the capture box (its take, in the key's own turn): save one answer for the room.

        Returns whether it was saved; the box keeps the text otherwise (and says why)."""
        step, prompt = self.step, f.capture_prompt(self.step)
        app = self.app
        if prompt is None or not isinstance(app, RoomApp) or not text.strip():
            return False
        try:
            store = app.room_store()
            if store is None:
                return False
            f.add_room_answer(store, step, prompt, text)
        except (LockedError, AnswerFileError, OSError) as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return False
        changed = self.feed.apply({self.workshop.answers_dir / store.path.name})
        if changed:
            self.redraw(changed)
        return True
