"""The step screen: one step of the walk, its guidance and prompts, and honest saving.

In a workshop it follows the facilitator by change notification, never by polling:
a worker waits on the workshop folder (and, on a step that needs the room, such as a
dot vote, on answers/ too) and acts only when a file there changes. An idle
participant's app then does nothing at all but a heartbeat every few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, ProgressBar, TextArea

from formative.answers.store import AnswerFileError, SaveResult
from formative.answers.values import is_answered
from formative.session import Session
from formative.tui.git_jobs import GitDone, commit_in_background
from formative.tui.screens.first_paint import kept_copy, typed_text
from formative.tui.screens.step_frame import (
    NavHint,
    StepHeader,
    compose_bottom,
    compose_top,
    guidance_widgets,
    header_content,
    meta_line,
)
from formative.tui.widgets.last_time import COPY_KEY, LastTime
from formative.tui.widgets.prompts import PromptInput, prompt_widget
from formative.tui.widgets.recall import EarlierAnswer, ExampleAnswer, earlier_answers, example_for
from formative.tui.widgets.status import SaveStatus
from formative.tui.widgets.votes import DotVoteInput
from formative.walk import PromptProblem, Walk
from formative.workbook.model import DotVote, Prompt, Step

if TYPE_CHECKING:  # a solo run loads no workshop code: these are imported where a workshop needs them
    from formative.workshop.folder import Workshop
    from formative.workshop.presence import Beacon
    from formative.workshop.room import Room
    from formative.workshop.watch import Watcher

ROOM_CATCH_UP = 0.5
"""Seconds after starting to watch answers/ when the room is read once more: an answer saved
while the watch was being set up would otherwise wait for its next change."""

AUTOSAVE_DELAY = 0.6
"""Seconds after the last change before answers are written (well within a second)."""

AUTOSAVE_MAX_WAIT = 1.0
"""Seconds at most between the first unsaved change and its save, however steadily someone types."""

SHARED_AUTOSAVE_DELAY, SHARED_AUTOSAVE_MAX_WAIT = 0.15, 0.35
QUIET_SAVE = 0.5
"""Seconds within which a step's answers are always saved (a shared step's, in a workshop) for the
line under it to go on saying Saved meanwhile: '● Unsaved' for a third of a second, three times a
second while someone types, was flicker to read and a fifth of each keystroke's CPU (two repaints
a save). A save that fails says so, as anywhere."""
SOONEST_TIMER = 0.001
"""An overdue save still waits this long: Textual's timer divides by its delay when it runs late
(textual/timer.py `_run`, skip), so a 0-second timer on a busy loop dies with ZeroDivisionError
and the save never comes."""
"""The same on a shared step of a workshop: the wall shows answers as they are saved, and a
keystroke should reach it within half a second (the coach's watch and paint take the rest)."""

COMMIT_DELAY = 0.3
"""Seconds between leaving a step and its commit starting: the next step is drawn first."""


class StepScreen(Screen[None]):
    """Shows the walk's current step; moving, saving and checks go through the session."""

    BINDINGS = [
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+b", "back", "Back"),
        # The app's Quit, named here so the footer shows it early: at 60 or 40 columns, or with a
        # text area's keys in front, the keys at the end of the footer are cut off.
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("ctrl+o", "outline", "Outline"),
        Binding("ctrl+r", "review", "Review"),
        Binding("ctrl+s", "save", "Save", show=False),
        Binding("f1", "app.help", "Help"),
        Binding("f2", "examples", "Example", show=False),  # the footer is full at 80 columns; see the meta line
        Binding(COPY_KEY, "copy_last", "Copy last time", show=False),  # named in each "Last time" block
        Binding("ctrl+t", "history", "History", show=False),  # in the help and the palette
        # Tab moves the focus before the keys behind it are handed out: without priority, the app
        # gives "Otters<Tab>why" (one burst, as a fast typist over SSH sends it) all to the first
        # answer, because Tab moves the focus only once that answer has handled it.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(
        self,
        session: Session,
        workshop: Workshop | None = None,
        room: Room | None = None,
        beacon: Beacon | None = None,
        typed_ahead: Iterable[events.Key | events.Paste] = (),
    ) -> None:
        super().__init__()
        self.session = session
        self._autosave: Timer | None = None
        self.clock: Callable[[], float] = time.monotonic
        """The clock autosave deadlines are measured on (a test may drive its own)."""
        self._unsaved_since: float | None = None
        self.autosave_due: float | None = None
        """When (on self.clock) the pending autosave runs; None when nothing waits."""
        self._last_notice: str | None = None
        self.workshop = workshop
        """Set when the person joined a workshop: the screen then follows its state."""
        self.room = room
        self.beacon = beacon
        """Keeps the person's presence file (the coach's roster) on the step shown; None outside a workshop."""
        self._watcher: Watcher | None = None
        self._watching_room = False
        """Whether the running watch includes answers/ (only on steps that need the room)."""
        self._end_screen: Screen[None] | None = None
        self.examples_shown = False
        """Whether worked examples show under their prompts (F2); kept from step to step."""
        self._visiting: Step | None = None
        self._visit_changed = False
        """Whether the person changed an answer during this visit of the step (then leaving it commits)."""
        self._last_git_error: str | None = None
        self._flagged: set[str] = set()
        """Prompts that show a warning from the last try to go on; an edit that resolves one clears it."""
        self.typed_ahead: list[events.Key | events.Paste] = (
            typed_ahead if isinstance(typed_ahead, list) else list(typed_ahead)
        )
        """Keys and pastes that reached the first paint before this screen existed: replayed once it shows.

        The first paint's own list, not a copy: a key it takes while this screen is being shown
        joins the others."""
        self.built = False
        """Whether on_mount has built the step's widgets: a key taken before then (the app shows
        this screen at once, and builds it on its own turn) waits in typed_ahead, replayed after."""

    @property
    def walk(self) -> Walk:
        return self.session.walk

    def compose(self) -> ComposeResult:
        yield from compose_top()
        if self.workshop is not None:
            from formative.tui.widgets.workshop_bar import PrivacyBadge, WorkshopBar

            yield WorkshopBar(self.session.store.person or "", id="workshop-bar")
            yield PrivacyBadge(id="privacy")
        yield from compose_bottom(self.session.path)

    async def on_mount(self) -> None:
        self.save_status = self.query_one(SaveStatus)
        if self.workshop is not None:
            self.follow_workshop(initial=True)
        await self.show_step()
        self.show_session_notices()
        self.built = True
        if self.typed_ahead:
            # After the focus this step just asked for (which the app sets on its next turn):
            # a key typed into the first answer must not be selected, then replaced, by it.
            self.app.call_later(self.replay_typed_ahead)

    def on_unmount(self) -> None:
        self.stop_watching()

    # Following a workshop ----------------------------------------------------------------

    @property
    def led(self) -> bool:
        """Whether the facilitator sets the pace (participants then move with the room)."""
        return self.workshop is not None and self.workshop.state.pace == "lead"

    def follow_workshop(self, initial: bool = False) -> bool:
        """Move to the facilitator's step when leading; returns whether the step changed."""
        if self.workshop is None or not self.led:
            return False
        from formative.workshop.participant import follow_room

        target = self.workshop.state.step
        if not initial and target is not None and target != self.walk.current.id:
            self.save_now()
        return follow_room(self.walk, self.workshop.state)

    @staticmethod
    def needs_room(step: Step) -> bool:
        """Steps whose widgets show the room's answers (a dot vote's options)."""
        return any(isinstance(prompt, DotVote) for prompt in step.prompts)

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def _watch_for(self, step: Step) -> None:
        """Start (or restart) the watch this step needs: workshop.toml always, answers/ on room steps."""
        if self.workshop is None:
            return
        room = self.needs_room(step) and self.room is not None
        if self._watcher is not None and room == self._watching_room:
            return
        self.stop_watching()
        self._watching_room = room
        folders = [self.workshop.folder.resolve()]
        if room:
            folders.append(self.workshop.answers_dir.resolve())
            self.set_timer(ROOM_CATCH_UP, self.room_changed)
        from formative.workshop.watch import PARTICIPANT_STEP_MS, Watcher

        self._watcher = Watcher(folders, recursive=False, step_ms=PARTICIPANT_STEP_MS)
        self.follow_changes(self._watcher)

    @work(exclusive=True, group="workshop-watch")
    async def follow_changes(self, watcher: Watcher) -> None:
        """Wait for changes to the workshop's files and act on them; nothing runs in between."""
        async for changed in watcher.changes():
            if watcher is not self._watcher or not await self.show_changes(changed):
                return

    async def show_changes(self, changed: set[Path]) -> bool:
        """Follow workshop.toml and the room's answers; False once the app closed under it.

        A change that lands as the app exits finds its widgets gone (NoMatches): that ends the
        watch quietly instead of ending the app with a traceback. Anywhere else it is a bug."""
        from formative.workshop.model import WORKSHOP_FILE

        assert self.workshop is not None
        answers = self.workshop.answers_dir.resolve()
        try:
            if self.workshop.folder.resolve() / WORKSHOP_FILE in changed:
                await self.workshop_changed()
            in_answers = [path for path in changed if path.parent == answers]
            if in_answers and self._watching_room:
                await self.room_changed(in_answers)
        except NoMatches:
            if not (self.app._exit or self._closing):
                raise
            return False
        return True

    async def workshop_changed(self) -> None:
        """The facilitator wrote workshop.toml: follow the step, and show the pace, timer, names and the end."""
        assert self.workshop is not None
        if not self.workshop.reload():
            return
        self.refresh_bindings()
        self._enable_nav()
        if self.follow_workshop():
            await self.show_step()
        else:
            self.show_room_state()

    async def room_changed(self, paths: Iterable[Path] | None = None) -> None:
        """Answer files changed: re-read just those, and show a dot vote's new options."""
        if self.room is None or not self.room.refresh(paths):
            return
        for vote in list(self.query(DotVoteInput)):
            await vote.refresh_options()

    def show_room_state(self) -> None:
        """The bar, the privacy badge and the end, as the workshop's state says now."""
        if self.workshop is None:
            return
        from formative.tui.widgets.workshop_bar import show_room

        state = self.workshop.state
        show_room(self, state, self.walk.current)
        if state.ended is not None and self._end_screen is None:
            self.show_end()
        elif state.ended is None and self._end_screen is not None:
            end, self._end_screen = self._end_screen, None
            if self.app.screen is end:  # the coach took the end back: carry on where we were
                end.dismiss()

    def show_end(self) -> None:
        """The workshop has ended: save, and show the person where their answers are."""
        from formative.tui.screens.end import EndScreen

        assert self.workshop is not None
        self.save_now()
        self._end_screen = EndScreen(self.session, self.workshop)
        self.app.push_screen(self._end_screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out moving keys while the facilitator leads the pace; offer F2 only where there are examples."""
        if action in ("next", "back", "outline") and self.led:
            return None
        if action == "examples":
            return any(getattr(p, "example", None) for p in self.walk.current.prompts)
        if action == "copy_last":
            return bool(self.query(LastTime))
        return True

    def action_examples(self) -> None:
        """Show or hide the worked examples of this step's prompts."""
        self.examples_shown = not self.examples_shown
        for example in self.query(ExampleAnswer):
            example.set_class(self.examples_shown, "-shown")
        shown = [e for e in self.query(ExampleAnswer) if e.display]
        if shown:
            shown[0].scroll_visible(animate=False)

    def refuse_when_led(self) -> bool:
        if self.led:
            self.notify("The facilitator is leading the pace: the room moves together.", markup=False)
            return True
        return False

    async def show_step(self) -> None:
        """Rebuild the content for the walk's current step, laid out and drawn once when it is all in place."""
        with self.app.batch_update():
            await self._build_step()

    async def _build_step(self) -> None:
        step = self.walk.current
        self.end_visit(step)
        walk = self.walk
        if self.room is not None and self.needs_room(step) and not self._watching_room:
            self.room.refresh()  # the room as it is now, before its answers become options
        section = walk.section_of(step)
        progress = walk.progress()
        self.query_one(StepHeader).heading = header_content(
            walk, progress.position, progress.visible, section.title, step.title
        )
        self.query_one(ProgressBar).update(progress=round(progress.fraction * 100))
        content = self.query_one("#step-content", VerticalScroll)
        # Scroll up while the old step still fills the page: once it is removed the scrollbar is
        # hidden, and would come back at the old step's position (Textual skips hidden scrollbars).
        content.scroll_home(animate=False, immediate=True)
        await content.remove_children()
        widgets: list[Any] = []
        hint = any(getattr(prompt, "example", None) for prompt in step.prompts)
        meta = meta_line(step.mode, step.timebox, hint)
        if meta is not None:
            widgets.append(meta)
        guidance = guidance_widgets(walk, section.intro if step is section.steps[0] else None, step.body)
        widgets.extend(guidance)
        recalled_first: list[EarlierAnswer] = []
        for prompt in step.prompts:
            recalls = earlier_answers([self.session.recall.get(ref) for ref in getattr(prompt, "recall", [])])
            if not any(isinstance(w, PromptInput) for w in widgets):
                recalled_first += recalls
            widgets.extend(recalls)
            widgets.extend(self.last_time_blocks(step, prompt))
            widgets.append(prompt_widget(step, prompt, walk, self.session.answer(step.id, prompt.id)))
            widgets.extend(example.set_class(self.examples_shown, "-shown") for example in example_for(prompt))
        await content.mount_all(widgets)
        content.scroll_home(animate=False)
        self.refresh_bindings()
        self._enable_nav()
        self.query_one(NavHint).attention = 0
        self._flagged = set()
        if recalled_first or self.typed_ahead:
            # Earlier answers are read before the first question; typing still starts it. Keys from
            # the first paint wait for their replay: until then, keys typed on must come here (the
            # screen queues them behind those), not straight into a focused answer ahead of them.
            content.focus()
        else:
            self._focus_start([widget.markdown for widget in guidance], above=2 if meta is not None else 0)
        if self.beacon is not None:
            self.beacon.moved(step.id)
        self.show_room_state()
        self._watch_for(step)

    def _enable_nav(self) -> None:
        first = self.walk.progress().position == 1
        self.query_one("#back", Button).disabled = first or self.led
        self.query_one("#next", Button).disabled = self.led

    def _focus_start(self, guidance: list[str], above: int = 0) -> None:
        """Focus the first answer when the guidance above it fits on screen; else let people read.

        Focusing an input below the fold would scroll the guidance away unread; focusing
        the scrolling body lets arrows and Page Down read on, and Tab reaches the answers.
        The estimate uses only the text and the terminal size, so it is the same every time
        and is ready before the first paint: keys typed as soon as the step shows are kept.
        above: lines over the guidance (the mode line); in a workshop the bar and the privacy
        badge take a line each. Should the estimate still be short, the focused answer is
        brought into view once laid out: nobody types into a box they cannot see.
        """
        content = self.query_one("#step-content", VerticalScroll)
        inputs = list(content.query(PromptInput))
        if not inputs:
            self.query_one("#next", Button).focus()
            return
        width = max(self.size.width - 4, 20)
        needed = sum(len(line) // width + 1 for text in guidance for line in text.strip().splitlines())
        chrome = 8 if self.size.height >= 22 else 5
        if self.workshop is not None:
            from formative.workshop.policy import privacy_notice

            chrome += 1 + (privacy_notice(self.workshop.state, self.walk.current) is not None)
        if needed + above + 4 <= self.size.height - chrome:
            inputs[0].focus_input()
        else:
            content.focus()

    def _keep_focus_in_view(self) -> None:
        focused = self.focused
        if focused is not None and not self.can_view_entire(focused):
            focused.scroll_visible(animate=False)

    def on_resize(self, event: events.Resize) -> None:
        """A smaller window (or a browser's terminal taking its size) must not hide the answer being typed."""
        self.call_after_refresh(self._keep_focus_in_view)

    def take_key(self, event: events.Key | events.Paste) -> bool:
        """Each key and paste, in the order typed, before the app hands it on; True: kept here.

        Deciding as the app takes each key (not as it bubbles up from the guidance) keeps fast
        typing in order. Keys arriving before the first paint's keys are replayed join those.
        Keys taken before this screen is built wait with those, for the same replay.
        Typing while reading the guidance starts the first answer instead of being lost: a
        printable key focuses that answer (a text box, a dot vote, a scale) before the app
        hands it on, so it and every key behind it take the same way into that answer:
        bubbled up from the guidance, a key would reach it after keys typed later, which the
        app gave the answer directly once it had the focus ('the quick obrwn fox').
        """
        if self.typed_ahead or not self.built:
            self.typed_ahead.append(kept_copy(event))
            return True
        if isinstance(event, events.Key) and event.is_printable and self.is_current:
            if self.focused is None or self.focused is self.query_one("#step-content", VerticalScroll):
                self._typing_target()  # focuses the first answer: the app hands this key to it
        return False

    def _typing_target(self) -> Widget | None:
        """Where typing goes: the focused answer, else the first answer (focused now); None when neither."""
        content = self.query_one("#step-content", VerticalScroll)
        focused = self.focused
        if focused is content or focused is None:  # reading the guidance, or nothing focused yet
            inputs = list(content.query(PromptInput))
            target = self._input_of(inputs[0]) if inputs else None
            if target is not None:
                self.set_focus(target)
            return target
        if isinstance(focused, Input | TextArea) and content in focused.ancestors:
            return focused  # already typing in an answer
        return None

    def replay_typed_ahead(self) -> None:
        """What was typed on the first paint, as if typed now: no word typed early is lost.

        The words (keys, pastes and Backspace up to the first other key) go into the first
        answer as text, once the focus has reached it (focusing an Input selects its text,
        which the next key would replace). The keys after them go to the app as key presses
        (Tab, Ctrl+N, …). Keys typed meanwhile reach the answer after the words.
        """
        typed, self.typed_ahead = self.typed_ahead, []
        text, rest = typed_text(typed)
        target = self._typing_target() if len(rest) < len(typed) else None
        if not isinstance(target, Input | TextArea):
            target, rest = None, typed  # no text answer to take the words: the keys as they came

        def type_in() -> None:
            if isinstance(target, Input):
                target.insert_text_at_cursor(text)
            elif isinstance(target, TextArea):
                target.insert(text)
            for event in rest:
                again = kept_copy(event)
                again.set_sender(self.app)
                self.app.post_message(again)

        if target is not None:
            target.call_later(type_in)  # after the Focus event waiting in its queue
        else:
            type_in()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused answer is always in view (however the focus got there: a click, Tab, the
        app regaining the browser's focus), and in a workshop its cursor stays still: a blinking
        one repaints the screen twice a second, in every idle participant's app at once."""
        self.call_after_refresh(self._keep_focus_in_view)
        if self.workshop is not None and isinstance(event.widget, Input | TextArea):
            event.widget.cursor_blink = False

    @staticmethod
    def _input_of(prompt: PromptInput) -> Widget | None:
        if prompt.read_only:
            return prompt.held
        return prompt.main_input()

    # Answers and saving -------------------------------------------------------------

    @on(PromptInput.Changed)
    def answer_changed(self, event: PromptInput.Changed) -> None:
        widget = event.prompt_input
        if event.edit <= widget.stored:
            return  # a save already took this answer (or a newer one) from the prompt
        widget.stored = event.edit
        self.session.set_answer(event.step_id, event.prompt_id, event.value)
        if self._flagged:
            self.recheck_problems()
        if self.session.store.dirty:
            self._visit_changed = True
            if self.autosave_waits()[1] > QUIET_SAVE:
                self.save_status.unsaved()
            self._schedule_autosave()

    def _schedule_autosave(self) -> None:
        """Save a moment after typing pauses, and never later than the max wait after the first change.

        A key only moves the deadline (it never comes sooner while typing goes on): the one
        timer waiting finds it moved when it fires and waits on for the rest, so steady
        typing starts no timer per key.
        """
        now = self.clock()
        if self._unsaved_since is None:
            self._unsaved_since = now
        delay, max_wait = self.autosave_waits()
        due = min(now + delay, self._unsaved_since + max_wait)
        if self._autosave is not None and due == self.autosave_due:
            return  # already set for the max wait: typing on does not move it
        self.autosave_due = due
        if self._autosave is None or due <= now:  # an overdue save (a busy loop) goes at once
            self._start_autosave_timer(now)

    def _start_autosave_timer(self, now: float) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        assert self.autosave_due is not None
        self._autosave = self.set_timer(max(self.autosave_due - now, SOONEST_TIMER), self._autosave_due)

    def _autosave_due(self) -> None:
        """The timer fired: save, unless keys since it was set moved the deadline on."""
        self._autosave = None
        if self.autosave_due is None:
            return
        now = self.clock()
        if now < self.autosave_due:
            self._start_autosave_timer(now)
        else:
            self.save_now()

    def autosave_waits(self) -> tuple[float, float]:
        """(seconds after the last change, seconds at most after the first): sooner where the wall reads along."""
        if self.workshop is not None and self.walk.current.shared:
            return SHARED_AUTOSAVE_DELAY, SHARED_AUTOSAVE_MAX_WAIT
        return AUTOSAVE_DELAY, AUTOSAVE_MAX_WAIT

    def save_now(self) -> None:
        """Write pending answers; a failure is shown, never swallowed."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        self._unsaved_since = self.autosave_due = None
        self.take_typed()
        try:
            result = self.session.save()
        except (OSError, AnswerFileError) as error:
            self.query_one(SaveStatus).failed(str(error))
            self.notify(f"Could not save: {error}", markup=False, severity="error", timeout=10)
            return
        self._show_result(result)
        if result.changed_on_disk:
            self.call_later(self.refresh_prompts, result.changed_on_disk)

    def take_typed(self) -> None:
        """Store what the answers on screen hold but have not yet said (their Changed messages still queued)."""
        for widget in self.query(PromptInput):
            pending, value = widget.take_answer()
            if pending:
                self.session.set_answer(widget.step.id, widget.prompt.id, value)
                self._visit_changed |= self.session.store.dirty

    def _show_result(self, result: SaveResult) -> None:
        """Saved, or saved with a warning worth reading, or kept aside because the file is broken."""
        status = self.query_one(SaveStatus)
        notice = result.notice
        if result.problem is not None:
            where = f"; your answers are in {result.recovery_file.name}" if result.recovery_file else ""
            status.failed(f"the file on disk has an error{where}")
        elif result.side_file is not None:
            status.warned(f"Saved; the version from disk is in {result.side_file.name}:")
        else:
            status.saved()
        if notice is not None and notice != self._last_notice:
            severity: SeverityLevel = "information"
            if result.problem:
                severity = "error"
            elif result.side_file or result.recreated:
                severity = "warning"
            self.notify(notice, markup=False, severity=severity, timeout=5 if severity == "information" else 15)
        self._last_notice = notice

    async def refresh_prompts(self, keys: frozenset[tuple[str, str]]) -> None:
        """Show answers the file on disk changed, on prompts nobody is editing right now."""
        content = self.query_one("#step-content", VerticalScroll)
        for widget in list(self.query(PromptInput)):
            key = (widget.step.id, widget.prompt.id)
            fresh = self.session.answer(*key)
            if key not in keys or widget.parent is not content or not widget.composed or widget.edits != widget.stored:
                continue
            if widget.value == fresh and not widget.read_only:
                continue
            had_focus = self.focused is not None and widget in self.focused.ancestors_with_self
            index = content.children.index(widget)
            await widget.remove()
            replacement = prompt_widget(self.walk.current, widget.prompt, self.walk, fresh)
            await content.mount(replacement, before=index if index < len(content.children) else None)
            if had_focus and isinstance(replacement, PromptInput):
                replacement.focus_input()

    def action_save(self) -> None:
        self.save_now()

    # Moving -----------------------------------------------------------------------------

    def show_problems(self, problems: list[PromptProblem], focus: bool = True) -> None:
        """Mark each prompt that stops the person going on, and count them between Back and Next."""
        by_prompt = {p.prompt_id: p.message for p in reversed(problems)}
        first: PromptInput | None = None
        for widget in self.query(PromptInput):
            message = by_prompt.get(widget.prompt.id)
            if message is not None or widget.prompt.id in self._flagged:
                widget.show_problem(message)
            if message and first is None:
                first = widget
        self._flagged = set(by_prompt)
        self.query_one(NavHint).attention = len(by_prompt)
        if first is not None and focus:
            first.focus_input()
            first.scroll_visible()

    def recheck_problems(self) -> None:
        """After an edit: warnings go as soon as what they asked for is done (none are added while typing)."""
        step = self.walk.current
        still = [p for p in self.walk.problems(step) if p.prompt_id in self._flagged]
        self.show_problems(still, focus=False)

    async def action_next(self) -> None:
        if self.refuse_when_led():
            return
        self.save_now()
        problems = self.walk.go_next()
        if problems:
            self.show_problems(problems)
            return
        if self.walk.finished:
            from formative.tui.screens.finish import FinishScreen

            self.end_visit(None)
            self.app.push_screen(FinishScreen(self.session))
            return
        await self.show_step()

    async def action_back(self) -> None:
        if self.refuse_when_led():
            return
        self.save_now()
        if self.walk.go_back():
            await self.show_step()

    async def jump_to(self, step_id: str | None) -> None:
        if step_id and self.walk.jump(step_id):
            await self.show_step()

    def action_outline(self) -> None:
        from formative.tui.screens.outline import OutlineScreen

        if self.refuse_when_led():
            return
        self.save_now()
        self.app.push_screen(OutlineScreen(self.walk), self.jump_to)

    def action_review(self) -> None:
        from formative.tui.screens.review import ReviewScreen

        self.save_now()
        self.app.push_screen(ReviewScreen(self.session), self.jump_to)

    def action_export(self) -> None:
        """Write the answers as Markdown into the exports folder (in the background)."""
        from formative.tui.exports import export_in_background

        self.save_now()
        export_in_background(self, self.session, "markdown")

    def action_export_svg(self) -> None:
        """Write the canvas as SVG into the exports folder (in the background)."""
        from formative.tui.exports import export_in_background

        self.save_now()
        export_in_background(self, self.session, "svg")

    def action_canvas(self) -> None:
        from formative.tui.screens.canvas import CanvasScreen

        self.save_now()
        self.app.push_screen(CanvasScreen(self.session))

    @on(Button.Pressed, "#next")
    async def next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#back")
    async def back_pressed(self) -> None:
        await self.action_back()

    async def on_screen_resume(self) -> None:
        """Coming back from review or finish: answers may have moved the walk."""
        if self.is_mounted and self.walk.finished:
            self.walk.go_back()
            await self.show_step()

    # History: commits as the person goes, last sitting's answers, earlier versions ---------

    def end_visit(self, next_step: Step | None) -> None:
        """Leaving a step the person changed commits the answer file, in the background.

        At most one commit per visit; showing the same step again is not leaving it.
        """
        visited, changed = self._visiting, self._visit_changed
        if visited is not None and next_step is not None and visited.id == next_step.id:
            return
        self._visiting, self._visit_changed = next_step, False
        commits = self.session.commits
        if visited is not None and changed and commits is not None:
            # Queued once the next step is on screen, so git's processes do not compete with drawing it.
            commit = partial(self.session.commit, visited)
            self.set_timer(COMMIT_DELAY, partial(commit_in_background, self.app, commits.queue, commit, self))

    @on(GitDone)
    def git_done(self, event: GitDone) -> None:
        """A commit failed (say so once per kind of failure: the answers are saved), or has a note."""
        outcome = event.outcome
        if outcome.error is not None:
            self.query_one(SaveStatus).warned("Saved, not committed to git:")
            if outcome.error != self._last_git_error:
                self.notify(f"Not committed to git: {outcome.error}", markup=False, severity="warning", timeout=15)
            self._last_git_error = outcome.error
            return
        self._last_git_error = None
        if outcome.note is not None:
            self.notify(outcome.note, markup=False, timeout=20)

    def answers_pulled(self) -> None:
        """A sync brought in commits: saving takes the file's new answers in and shows them."""
        self.save_now()

    def show_session_notices(self) -> None:
        for notice in self.session.notices:
            self.notify(notice, markup=False, severity="warning", timeout=15)
        self.session.notices.clear()

    def last_time_blocks(self, step: Step, prompt: Prompt) -> list[LastTime]:
        """What the person wrote for this prompt in the last sitting, when there was anything."""
        value = self.session.last_answer(step.id, prompt.id)
        return [LastTime(self.session.last_day, value, step.id, prompt.id)] if is_answered(value) else []

    async def action_copy_last(self) -> None:
        """Copy last sitting's answer into its prompt (the focused one, else the first empty one)."""
        self.save_now()
        blocks = {block.key: block for block in self.query(LastTime)}
        inputs = [w for w in self.query(PromptInput) if (w.step.id, w.prompt.id) in blocks]
        focused = [w for w in inputs if self.focused is not None and w in self.focused.ancestors_with_self]
        empty = [w for w in inputs if not is_answered(self.session.answer(w.step.id, w.prompt.id))]
        candidates = focused or empty
        if not candidates:
            self.notify("Every answer here already has words: clear one to copy in last time's.", markup=False)
            return
        target = candidates[0]
        key = (target.step.id, target.prompt.id)
        if is_answered(self.session.answer(*key)):
            self.notify("This answer is not empty: clear it first to copy in last time's.", markup=False)
            return
        self.session.set_answer(*key, blocks[key].value)
        self._visit_changed = True
        self.save_now()
        await self.refresh_prompts(frozenset({key}))
        for widget in self.query(PromptInput):
            if (widget.step.id, widget.prompt.id) == key:
                field = self._input_of(widget)
                if field is None:
                    continue
                # Focused now (widget.focus() waits a turn of the app), then the cursor sent to the end in
                # the field's own queue: behind its Focus (which selects the text), ahead of any key typed
                # after Ctrl+L. Sent after the next refresh, it came after such a key on a slow machine.
                self.set_focus(field)
                widget.scroll_visible(animate=False)
                field.call_later(self._cursor_to_end)

    def _cursor_to_end(self) -> None:
        """After copying in: write on from the end (focusing an input selects its text, which typing replaces)."""
        if isinstance(self.focused, Input):
            self.focused.action_end()
        elif isinstance(self.focused, TextArea):
            self.focused.move_cursor(self.focused.document.end)

    def action_history(self) -> None:
        """Earlier versions of this step's answers, from git."""
        from formative.tui.screens.history import HistoryScreen

        self.save_now()
        self.app.push_screen(HistoryScreen(self.session, self.walk.current))
