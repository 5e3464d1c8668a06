"""`formative project FOLDER`: the wall's mirror of a running workshop, for the projector.

It follows workshop.toml as the coach's `facilitate` writes it (step, timer, reveal,
names, groups, how to join) and never writes anything: no lock, no state, no keys that
change the workshop. The facilitator's notes are not even built here, so no key or
state can bring them onto the wall.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from formative.tui.facilitator.live import LiveScreen, RoomApp
from formative.tui.facilitator.wall import WallHead, WallStage
from formative.tui.facilitator.widgets import BigTimer, Words
from formative.tui.widgets.safe_text import answers_markdown, answers_text, literal
from formative.workshop import wall
from formative.workshop.room_feed import Changed
from formative.workshop.roster import headcount

READ_ONLY = "This is the wall: it follows `formative facilitate`. Drive the workshop from there (Ctrl+Q closes this)."


class MirrorScreen(LiveScreen):
    """The wall alone: the head, and the stage without notes; a headcount at the top."""

    _told = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(literal(self.workshop.data.workshop.title), id="workshop-title")
            yield Words(id="where")
        yield WallHead(id="head")
        yield WallStage(for_coach=False, id="stage")

    def draw(self, changed: Changed) -> None:
        step, state, walk = self.step, self.state, self.empty_walk
        stage = self.query_one(WallStage)
        if changed.state:
            self.query_one(WallHead).show(answers_text(walk, step.title), state, step)
            stage.show_groups(state, step)
            stage.instructions = answers_markdown(walk, step.body)
        if changed.state or changed.serving:
            stage.show_join(state, walk, self.feed.serving, self.now())
        if changed.state or changed.answers:
            stage.show_shared(state, step, self.room, walk)
        if changed.state or changed.answers or changed.presence:
            self.draw_where()

    def draw_where(self) -> None:
        step = self.step
        count = headcount(self.feed.rows(step, self.now()))
        number = wall.step_number(self.workshop.workbook, step.id)
        text = f"Step {number}/{len(self.workshop.workbook.steps)} · {count.here} here · {count.answered} answered"
        self.query_one("#where", Words).words = Content(text)

    def show_time(self, at: float) -> None:
        self.query_one(BigTimer).show(self.state.timer, at)
        self.query_one(WallStage).show_join(self.state, self.empty_walk, self.feed.serving, at)

    def on_key(self, event: events.Key) -> None:
        """Any other key: say once where the workshop is driven from; change nothing."""
        if event.key in ("ctrl+q", "up", "down", "pageup", "pagedown"):
            return
        event.stop()
        if not self._told:
            self._told = True
            self.notify(READ_ONLY, markup=False)


class MirrorApp(RoomApp):
    """Read-only: Ctrl+Q closes it; nothing else it does reaches the workshop."""

    TITLE = "Formative wall"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def on_mount(self) -> None:
        self.sub_title = self.workshop.data.workshop.title
        self.push_screen(MirrorScreen(self.workshop, self.room))
