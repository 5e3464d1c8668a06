"""The live loop both room screens share: change notification in, the parts that changed redrawn.

A worker watches the workshop folder (watch.py: inotify through watchfiles, a stat
loop where that is missing) and hands each batch of paths to the RoomFeed, which
re-reads only those files; the screen then redraws only what they changed. Two slow
timers remain: the clock (four times a second, and only while something moves with
time: a timer running down, the passcode on the wall) and a sweep every SWEEP_SECONDS for
what no event reports, such as a participant's app killed without a goodbye going stale.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from formative.answers.store import AnswerStore
from formative.tui import THEMES, css_memo, redraw
from formative.tui.theme import PROJECTOR
from formative.walk import Walk
from formative.workbook.model import Step
from formative.workshop import facilitation as f
from formative.workshop import wall
from formative.workshop.folder import Workshop, now
from formative.workshop.model import State
from formative.workshop.policy import AnonymousOrder
from formative.workshop.room import Room
from formative.workshop.room_feed import Changed, RoomFeed
from formative.workshop.timer import remaining, running
from formative.workshop.watch import Watcher

TICK_SECONDS = 0.25
SWEEP_SECONDS = 5.0
WATCH_STEP_MS = 50
"""The watch thread's wake-up (watch.py): 10 ms cost the idle coach ~4 ms CPU a second; 50 adds ≤ 40 ms."""
EVERYTHING = Changed(state=True, answers=True, presence=True, serving=True)


class RoomApp(App[None]):
    """What the coach's app and the wall's mirror have in common: the workshop, the room, a clock, the theme."""

    CSS_PATH = "facilitator.tcss"
    ENABLE_COMMAND_PALETTE = False
    """The footer's room goes to the workshop keys; themes come from --theme."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide"), (140, "-huge")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    """A zoomed projector font (60×20) gets a narrower roster and a tighter head."""

    def __init__(
        self,
        workshop: Workshop,
        theme: str = "default",
        *,
        clock: Callable[[], float] = now,
        rng: random.Random | None = None,
    ) -> None:
        css_memo.install()  # the theme's reparse at start parses nothing twice
        redraw.install()
        super().__init__()
        self.workshop = workshop
        self.room = Room(workshop)
        self.clock = clock
        """Wall-clock time shared with participants; tests pass a fixed one for steady snapshots."""
        self.order = AnonymousOrder(rng)
        """The random order of answers shown without names, kept while the app runs so cards stay put;
        tests pass a seeded rng for steady snapshots."""
        self.register_theme(PROJECTOR)
        self.theme = THEMES.get(theme, theme)

    def room_store(self) -> AnswerStore | None:
        """Where answers captured for the room go; None on a screen that only shows the room (the projector)."""
        return None


class LiveScreen(Screen[None]):
    """A screen that follows the workshop folder; subclasses say what to draw when something changed."""

    AUTO_FOCUS = None
    ticker: Timer
    BINDINGS = [
        Binding("down", "scroll(1)", show=False),
        Binding("up", "scroll(-1)", show=False),
        Binding("pagedown", "scroll(10)", show=False),
        Binding("pageup", "scroll(-10)", show=False),
    ]

    def __init__(self, workshop: Workshop, room: Room) -> None:
        super().__init__()
        self.workshop = workshop
        self.room = room
        self.feed = RoomFeed(workshop, room)
        self.empty_walk = Walk(workshop.workbook, f.NoAnswers(), room=room.values)
        """Workbook text with no one person's answers filled in: the wall is everyone's."""
        self.watcher: Watcher | None = None

    @property
    def state(self) -> State:
        return self.workshop.state

    @property
    def step(self) -> Step:
        found = self.workshop.workbook.step(self.state.step) if self.state.step else None
        return found or self.workshop.workbook.steps[0]

    def now(self) -> float:
        app = self.app
        return app.clock() if isinstance(app, RoomApp) else now()

    def on_mount(self) -> None:
        self.feed.load()
        self.start()
        self.ticker = self.set_interval(TICK_SECONDS, self.tick)
        self.redraw(EVERYTHING)
        self.set_interval(SWEEP_SECONDS, self.sweep)
        self.follow_files()

    def start(self) -> None:
        """Before the first draw (the coach's screen enters its first step here)."""

    def draw(self, changed: Changed) -> None:
        raise NotImplementedError

    def redraw(self, changed: Changed) -> None:
        """Draw what changed; a new state may start or stop the clock."""
        self.draw(changed)
        if changed.state:
            self.tick()

    def tick(self) -> None:
        """What moves with time alone, redrawn if it changed; the clock then ticks on only while something does."""
        at = self.now()
        self.show_time(at)
        if (running(self.state.timer) and remaining(self.state.timer, at) > 0) or wall.shows_passcode(self.state, at):
            self.ticker.resume()
        else:
            self.ticker.pause()

    def show_time(self, at: float) -> None:
        raise NotImplementedError

    def action_scroll(self, lines: int) -> None:
        self.query_one("#stage").scroll_relative(y=lines, animate=False)

    def sweep(self) -> None:
        changed = self.feed.sweep()
        self.redraw(changed | Changed(presence=True))  # presence goes stale by time alone

    @work(exclusive=True, group="follow-files")
    async def follow_files(self) -> None:
        self.watcher = Watcher(self.feed.watched(), step_ms=WATCH_STEP_MS)
        async for paths in self.watcher.changes():
            changed = self.feed.apply(paths)
            if changed:
                self.redraw(changed)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
