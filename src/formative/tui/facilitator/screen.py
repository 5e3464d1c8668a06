"""The projected screen: step, mode and groups, a big timer, the room's progress and answers.

Every key changes the facilitator's State through `workshop.facilitation` and writes it
with save_state at once, so a crash loses nothing and participants follow within a tick.
A 0.25 s tick re-reads changed answer files (a few stat calls) and redraws only on change.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, Static

from formative.answers.lock import LockedError
from formative.answers.store import AnswerFileError
from formative.tui.facilitator.widgets import AnswerCards, BarChart, BigTimer, Roster
from formative.tui.widgets.safe_text import answers_markdown, answers_text, literal
from formative.walk import Walk
from formative.workbook.errors import WorkbookError
from formative.workbook.model import Step
from formative.workshop import facilitation as f
from formative.workshop.folder import Workshop, now, save_state
from formative.workshop.model import State, Timer
from formative.workshop.policy import AnonymousOrder, names_shown, room_prompts, shows_room
from formative.workshop.presence import read_presence
from formative.workshop.room import Room, skipped_summary
from formative.workshop.roster import present_names, roster_rows

MODE_TEXT = {
    "solo": ("SOLO", "on your own, quietly"),
    "pair": ("PAIRS", "talk with your partner"),
    "table": ("TABLES", "in fours to sixes at your table"),
    "group": ("WHOLE ROOM", "together"),
}
NBSP = "\u00a0"


class FacilitatorScreen(Screen[None]):
    """One screen for the whole workshop; the coach drives it with single keys."""

    BINDINGS = [
        Binding("right,ctrl+n", "step(1)", "Next", key_display="→"),
        Binding("left,ctrl+b", "step(-1)", "Back", key_display="←"),
        Binding("space", "timer", "Timer", key_display="space"),
        Binding("r", "reveal", "Reveal"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("plus,equals_sign", "time(60)", "+1 min", key_display="+"),
        Binding("a", "anonymous", "Anon"),
        Binding("f", "notes", "Notes"),
        Binding("minus", "time(-60)", "−1 min", show=False),
        Binding("p", "pace", "Pace", show=False),
        Binding("g", "groups", "Groups", show=False),
        Binding("c", "capture", "Capture", show=False),
        Binding("x", "release", "Release a name", show=False),
        Binding("escape", "leave_capture", "Stop capture", show=False),
        Binding("down", "scroll(1)", show=False),
        Binding("up", "scroll(-1)", show=False),
        Binding("pagedown", "scroll(10)", show=False),
        Binding("pageup", "scroll(-10)", show=False),
    ]

    AUTO_FOCUS = None
    """Nothing takes keys but the screen, until capture mode focuses its input."""

    def __init__(self, workshop: Workshop, room: Room) -> None:
        super().__init__()
        self.workshop = workshop
        self.room = room
        self.empty_walk = Walk(workshop.workbook, f.NoAnswers(), room=room.values)
        """Workbook text with no one person's answers filled in: the projector is everyone's."""
        self._shown_step: str | None = None
        self._workshop_mtime = 0
        self._timer_word = ""
        self._blocks: dict[str, BarChart | AnswerCards] = {}
        self._blocks_step: str | None = None
        self.order = AnonymousOrder()
        """The random order of answers shown without names, kept for this session so cards stay put."""

    # Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(literal(self.workshop.data.workshop.title), id="workshop-title")
            yield Static(id="where")
        with Horizontal(id="head"):
            with Vertical(id="head-text"):
                yield Static(id="step-title")
                yield Static(id="mode")
            yield BigTimer("0:00", id="timer")
        with Horizontal(id="main"):
            with VerticalScroll(id="stage", can_focus=False):
                yield Static(id="groups")
                with Vertical(id="notes"):
                    yield Static(Content("Facilitator notes · f hides them"), classes="notes-title")
                    yield Markdown(id="notes-text")
                with Vertical(id="shared"):
                    yield Static(id="shared-title")
                    yield Vertical(id="shared-body")
                yield Markdown(id="instructions")
            with VerticalScroll(id="roster-box", can_focus=False):
                yield Roster(id="roster")
        yield Static(id="skipped")
        with Vertical(id="capture"):
            yield Static(id="capture-label")
            yield Input(id="capture-input", placeholder="one answer, Enter adds it · Esc stops", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#capture").display = False
        self.room.refresh()
        state = self.workshop.state
        step = self.step_or_none(state)
        if step is None or state.timer == Timer():
            # A new workshop (or an unknown step): enter it properly. Otherwise resume as saved.
            step = step or self.workshop.workbook.steps[0]
            self.save(f.enter_step(state, step, self.present()))
        self.redraw()
        self.tick_timer()
        self.set_interval(0.25, self.poll)

    # State -------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self.workshop.state

    def present(self) -> list[str]:
        """The people here now (their apps' presence files), for drawing pairs and tables."""
        presence = read_presence(self.workshop.answers_dir)
        return present_names(roster_rows(self.room, presence, self.step, now()))

    def step_or_none(self, state: State) -> Step | None:
        return self.workshop.workbook.step(state.step) if state.step else None

    @property
    def step(self) -> Step:
        return self.step_or_none(self.state) or self.workshop.workbook.steps[0]

    def now(self) -> float:
        from formative.tui.facilitator.app import FacilitatorApp

        app = self.app
        return app.clock() if isinstance(app, FacilitatorApp) else 0.0

    def save(self, state: State) -> None:
        """Write the state at once (participants follow it) and show it."""
        try:
            save_state(self.workshop, state)
        except (OSError, WorkbookError) as error:
            self.notify(f"Could not save workshop.toml: {error}", severity="error", markup=False)
            return
        self._workshop_mtime = self._mtime()
        if self.is_mounted:
            self.redraw()
            self.tick_timer()

    def _mtime(self) -> int:
        try:
            return self.workshop.path.stat().st_mtime_ns
        except OSError:
            return 0

    def poll(self) -> None:
        """Four times a second: the timer digits, changed answer files, a hand-edited workshop.toml."""
        changed = self.room.refresh()
        mtime = self._mtime()
        if mtime != self._workshop_mtime:
            self._workshop_mtime = mtime
            changed = self.workshop.reload() or changed
        if changed:
            self.redraw()
        self.tick_timer()

    # Drawing -----------------------------------------------------------------------------

    def tick_timer(self) -> None:
        word = self.query_one(BigTimer).show(self.state.timer, self.now())
        if word != self._timer_word:
            self._timer_word = word
            self.draw_where()

    def draw_where(self) -> None:
        """The top line, small: step n of m, the pace, anonymity, the timer's state."""
        state, step = self.state, self.step
        steps = self.workshop.workbook.steps
        number = next(n for n, s in enumerate(steps, 1) if s.id == step.id)
        where = [f"Step {number}/{len(steps)}", f"pace: {state.pace}"]
        if state.anonymous:
            where.append("anonymous")
        where.append(f"timer {self._timer_word}")
        self.query_one("#where", Static).update(Content(" · ".join(where)))

    def redraw(self) -> None:
        step = self.step
        self.draw_where()
        self.query_one("#step-title", Static).update(answers_text(self.empty_walk, step.title))
        self.draw_mode(step)
        self.draw_groups(step)
        self.draw_notes(step)
        self.draw_shared(step)
        self.draw_roster(step)
        if self._shown_step != step.id:
            self._shown_step = step.id
            self.query_one("#instructions", Markdown).update(answers_markdown(self.empty_walk, step.body))
            self.query_one("#stage").scroll_home(animate=False)
        self.draw_capture_label(step)
        self.draw_skipped()

    def draw_skipped(self) -> None:
        """Files in answers/ the room scan skipped (a named pipe, broken TOML), named on one muted line."""
        summary = skipped_summary(self.room.problems)
        box = self.query_one("#skipped", Static)
        box.display = bool(summary)
        box.update(literal(summary))

    def draw_mode(self, step: Step) -> None:
        text = Content("")
        if step.mode:
            word, what = MODE_TEXT[step.mode]
            text = Content(word).stylize("bold $secondary") + Content(f" · {what}")
        self.query_one("#mode", Static).update(text)

    def draw_groups(self, step: Step) -> None:
        groups = self.state.pairs.get(step.id, [])
        box = self.query_one("#groups", Static)
        box.display = bool(step.mode in ("pair", "group") and (groups or step.mode == "pair"))
        if not groups:
            box.update(Content("No pairs yet: press g when people have joined."))
            return
        label = "Pairs" if step.mode == "pair" else "Groups"
        pieces = [Content(f"{label}: ").stylize("bold")]
        for n, group in enumerate(groups):
            if n:
                pieces.append(Content("  ·  ").stylize("$text-muted"))
            names = [literal(name.replace(" ", NBSP)) for name in group]
            pieces.append(Content(f"{NBSP}&{NBSP}").stylize("$text-muted").join(names).stylize("bold"))
        box.update(Content("").join(pieces))

    def draw_notes(self, step: Step) -> None:
        notes = self.query_one("#notes")
        notes.display = self.state.notes_visible
        if self.state.notes_visible:
            text = step.facilitator_notes or "_No notes for this step._"
            self.query_one("#notes-text", Markdown).update(answers_markdown(self.empty_walk, text))

    def draw_shared(self, step: Step) -> None:
        box = self.query_one("#shared")
        box.display = shows_room(step)
        if not shows_room(step):
            return
        revealed = step.id in self.state.revealed
        given = self.room.shared_answers(step)
        people = len({answer.name for answer in given})
        title = Content(f"Answers · {people} {'person' if people == 1 else 'people'} so far").stylize("bold")
        if not revealed:
            title += Content(" · hidden, r reveals").stylize("$text-muted")
        self.query_one("#shared-title", Static).update(title)
        body = self.query_one("#shared-body", Vertical)
        body.display = revealed
        if revealed:
            self.draw_answers(step, body)
        self.query_one("#shared").set_class(revealed, "-revealed")

    def draw_answers(self, step: Step, body: Vertical) -> None:
        """One block per prompt: a chart for counted prompts, cards for written ones, updated in place."""
        if self._blocks_step != step.id:
            body.remove_children()
            self._blocks, self._blocks_step = {}, step.id
        anonymous = not names_shown(self.state, step)
        cards = f.answer_cards(self.room, step, self.state, self.order)
        for prompt in room_prompts(step):
            content = self._blocks.get(prompt.id)
            if content is None:
                label = Static(answers_text(self.empty_walk, prompt.label), classes="prompt-label")
                content = self._blocks[prompt.id] = BarChart() if isinstance(prompt, f.CountedPrompt) else AnswerCards()
                body.mount(Vertical(label, content, classes="answer-block"))
            if isinstance(content, BarChart) and isinstance(prompt, f.CountedPrompt):
                content.show(f.counts(self.room, step, prompt))
            elif isinstance(content, AnswerCards):
                mine = [(None if anonymous else a.name, a.value) for a in cards if a.prompt_id == prompt.id]
                content.show(mine)

    def draw_roster(self, step: Step) -> None:
        people = {p.name: p for p in self.room.participants}
        rows: list[tuple[str, bool | None, str]] = []
        for name in self.room.names():
            person = people.get(name)
            if person is None:
                rows.append((name, None, ""))
                continue
            done, total, _ = self.room.progress(person)
            rows.append((name, f.has_answered(self.room, person, step), f"{done}/{total}"))
        self.query_one(Roster).show(rows)

    def draw_capture_label(self, step: Step) -> None:
        prompt = f.capture_prompt(step)
        text = answers_text(self.empty_walk, prompt.label) if prompt else Content("nothing to capture here")
        self.query_one("#capture-label", Static).update(Content("Room: ").stylize("bold") + text)

    # Keys --------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        target = f.neighbour(self.workshop.workbook, self.state.step, delta)
        if target is None:
            self.notify("That is the last step." if delta > 0 else "This is the first step.", markup=False)
            return
        self.save(f.enter_step(self.state, target, self.present()))

    def action_timer(self) -> None:
        self.save(f.toggle_timer(self.state, self.now()))

    def action_time(self, seconds: int) -> None:
        self.save(f.change_time(self.state, seconds, self.now()))

    def action_reveal(self) -> None:
        if not shows_room(self.step):
            self.notify("This step is not shared: its answers stay with each person.", markup=False)
            return
        self.save(f.toggle_reveal(self.state, self.step.id))

    def action_anonymous(self) -> None:
        self.save(self.state.model_copy(update={"anonymous": not self.state.anonymous}))

    def action_pace(self) -> None:
        self.save(self.state.model_copy(update={"pace": "free" if self.state.pace == "lead" else "lead"}))

    def action_notes(self) -> None:
        self.save(self.state.model_copy(update={"notes_visible": not self.state.notes_visible}))

    def action_groups(self) -> None:
        names = self.present()
        if len(names) < 2:
            self.notify("Groups need at least two people here.", markup=False)
            return
        self.save(f.reshuffle(self.state, self.step, names))

    def action_help(self) -> None:
        from formative.tui.facilitator.help import FacilitatorHelp

        self.app.push_screen(FacilitatorHelp())

    def action_release(self) -> None:
        from formative.tui.facilitator.release import ReleaseScreen

        self.app.push_screen(ReleaseScreen(self.workshop))

    def action_scroll(self, lines: int) -> None:
        self.query_one("#stage").scroll_relative(y=lines, animate=False)

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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from formative.tui.facilitator.app import FacilitatorApp

        step, prompt = self.step, f.capture_prompt(self.step)
        app = self.app
        if prompt is None or not isinstance(app, FacilitatorApp) or not event.value.strip():
            return
        try:
            f.add_room_answer(app.room_store(), step, prompt, event.value)
        except (LockedError, AnswerFileError, OSError) as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return
        event.input.clear()
        self.poll()
