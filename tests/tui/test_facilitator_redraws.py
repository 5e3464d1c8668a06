"""The coach's screen and the wall redraw only what changed: nothing while the room sits still.

The coach's laptop projects this screen all day, beside thirty people's apps. These
tests watch the Layout and Update messages (tests/tui/redraws.py) while the room of 30
(tests/tui/room_scene.py) is idle, while one person types, while someone new answers,
and while the coach presses a key, and name every widget allowed to redraw.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual.pilot import Pilot

from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.live import LiveScreen, RoomApp
from formative.tui.facilitator.mirror import MirrorApp
from formative.tui.facilitator.widgets import AnswerCard, BigTimer
from formative.workshop.folder import Workshop, save_state
from formative.workshop.model import RoomTimer
from formative.workshop.presence import Beacon
from tests.tui.driving import until
from tests.tui.redraws import Requests
from tests.tui.room_scene import HERE, NOW, PITCHES, answer, room_of_30

SIZE = (100, 30)


class Clock:
    def __init__(self, at: float = NOW) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def room(tmp_path: Path) -> Path:
    room_of_30(tmp_path / "ws")
    return tmp_path / "ws"


def coach(folder: Path, clock: Clock | None = None) -> FacilitatorApp:
    app = FacilitatorApp(Workshop.open(folder), theme="projector", clock=clock or Clock(), rng=random.Random(7))
    app.animation_level = "none"
    return app


def mirror(folder: Path) -> MirrorApp:
    app = MirrorApp(Workshop.open(folder), theme="projector", clock=Clock(), rng=random.Random(7))
    app.animation_level = "none"
    return app


def live(app: RoomApp) -> LiveScreen:
    screen = app.screen
    assert isinstance(screen, LiveScreen)
    return screen


async def settled(pilot: Pilot[None], app: RoomApp, requests: Requests | None = None) -> LiveScreen:
    """The screen drawn, its folder watched, and (given requests) nothing asked for a while: what follows
    is the room's doing, not the first paint still settling on a busy machine."""
    await until(pilot, lambda: isinstance(app.screen, LiveScreen) and live(app).watcher is not None, "the watch")
    for _ in range(50):
        if requests is not None:
            requests.clear()
            requests.on = True
        await pilot.pause(0.3)
        if requests is None or not requests.widgets:
            break
    else:
        raise AssertionError(f"the first paint never settled: {requests.named() if requests else ''}")
    if requests is not None:
        requests.on = False
    return live(app)


def card_showing(app: RoomApp, text: str) -> AnswerCard | None:
    return next((card for card in app.screen.query(AnswerCard) if text in str(card.render())), None)


async def test_an_idle_room_redraws_nothing(room: Path) -> None:
    """Heartbeats from the 22 people here, the sweep and the clock's ticks (the timer frozen): no request at all."""
    requests = Requests()
    app = coach(room)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = await settled(pilot, app, requests)
        requests.on = True
        workshop = Workshop.open(room)
        for name in HERE:
            Beacon(workshop.answers_dir, workshop.participant_file(name), name).beat()
        for _ in range(3):
            screen.sweep()
            screen.tick()
            await pilot.pause(0.3)
        requests.on = False
    assert requests.named() == set()


async def test_a_running_clock_repaints_its_digits_alone(room: Path) -> None:
    """A second passes on the running timer: the big digits repaint, in place; nothing is laid out."""
    requests = Requests()
    clock = Clock()
    app = coach(room, clock)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = await settled(pilot, app, requests)
        requests.on = True
        for second in range(1, 4):
            clock.at = NOW + second
            screen.tick()
            await pilot.pause()
        requests.on = False
    assert requests.named() == {"#timer"}
    assert sum(requests.layouts.values()) == 0, requests.layouts


async def test_one_person_typing_redraws_their_card_alone(room: Path) -> None:
    """Ada, who had answered, saves her answer again with more words (her app's autosave as she types):
    her card is drawn again; the count, the roster, the top line and the rest stay as they were."""
    requests = Requests()
    app = coach(room)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        await settled(pilot, app, requests)
        card = card_showing(app, PITCHES[0])
        assert card is not None
        requests.on = True
        workshop = Workshop.open(room)
        for words in (" And", " And kinder", " And kinder."):
            answer(workshop, "Ada", {("harvest", "pitch"): PITCHES[0] + words})
            await until(pilot, lambda words=words: PITCHES[0] + words in str(card.render()), "her words on the card")
        await pilot.pause(0.3)
        requests.on = False
    assert requests.widgets, "her card was drawn again"
    assert all(widget is card for widget in requests.widgets), requests.named()


async def test_someone_new_answering_adds_a_card_and_repaints_the_count_and_roster_only(room: Path) -> None:
    """Kofi (here, no answer yet) answers: one card more, '17 people', his roster mark ✓ (a repaint: the
    roster keeps its width); the top line, the head, the tables and the instructions are not touched."""
    requests = Requests()
    app = coach(room)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        await settled(pilot, app, requests)
        requests.on = True
        answer(Workshop.open(room), "Kofi", {("harvest", "pitch"): "A Thursday run club"})
        await until(pilot, lambda: card_showing(app, "A Thursday run club") is not None, "Kofi's card")
        await pilot.pause(0.3)
        requests.on = False
        shared = app.screen.query_one("#shared")
        outside = {w for w in requests.widgets if shared not in w.ancestors_with_self}
    # A card more lays out the answers, so the stage around them and its scrollbar follow; nothing else.
    asked = {f"#{w.id}" for w in outside if type(w).__name__ not in ("WallStage", "ScrollBar")}
    assert asked == {"#roster"}, asked
    assert "#shared-title" in requests.named()
    assert requests.layouts["RosterPanel"] == 0


async def test_the_timer_key_redraws_the_clock_and_the_top_line_only(room: Path) -> None:
    """Space pauses the timer: workshop.toml is written, and only the digits and 'running' → 'paused' change."""
    requests = Requests()
    app = coach(room)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        await settled(pilot, app, requests)
        requests.on = True
        await pilot.press("space")
        await pilot.pause(0.3)
        requests.on = False
        assert "paused" in str(app.screen.query_one("#where").render())
    # 'paused' is shorter than 'running': the top line is laid out, so the title beside it repaints.
    assert requests.named() <= {"#timer", "#where", "#workshop-title"}, requests.named()
    assert "#where" in requests.named()


async def test_the_mirror_redraws_only_the_card_that_changed(room: Path) -> None:
    """The projector's mirror, as Ada types: her card, nothing else (the headcount line reads the same)."""
    requests = Requests()
    app = mirror(room)
    async with app.run_test(size=SIZE, message_hook=requests.hook) as pilot:
        screen = await settled(pilot, app, requests)
        card = card_showing(app, PITCHES[0])
        assert card is not None
        requests.on = True
        bolder = PITCHES[0].replace("braver", "bolder")  # as long as before: the card keeps its height
        answer(Workshop.open(room), "Ada", {("harvest", "pitch"): bolder})
        await until(pilot, lambda: bolder in str(card.render()), "her words on the card")
        screen.sweep()
        screen.tick()
        await pilot.pause(0.3)
        requests.on = False
    assert requests.widgets and all(widget is card for widget in requests.widgets), requests.named()


@pytest.mark.parametrize("how", ["coach pauses", "mirror reads the pause", "time is up"])
async def test_the_clock_sleeps_while_nothing_moves_with_time(room: Path, how: str) -> None:
    """The coach pauses the timer (space on their screen; the mirror reads it from workshop.toml), or its time
    runs out (0:00 stays). With no passcode on the wall nothing then changes with time, and the four-a-second
    clock stops asking until the timer runs again. (The old screens asked four times a second all day.)"""
    clock = Clock()
    app = mirror(room) if how.startswith("mirror") else coach(room, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await settled(pilot, app)
        timer = screen.query_one(BigTimer)
        asked: list[float] = []
        show = timer.show
        timer.show = lambda clock, at: (asked.append(at), show(clock, at))[-1]  # type: ignore[method-assign]
        await until(pilot, lambda: len(asked) >= 2, "the clock ticking (the room's timer runs)")
        if how == "coach pauses":
            await pilot.press("space")
        elif how == "time is up":
            clock.at = NOW + 300
        else:
            workshop = Workshop.open(room)
            save_state(workshop, workshop.state.model_copy(update={"timer": RoomTimer(seconds=600, remaining=272)}))
        await until(pilot, lambda: app.workshop.state.timer.ends_at is None or timer.value == "0:00", "the change")
        await pilot.pause(0.3)
        asked.clear()
        await pilot.pause(1.0)
        assert asked == [], "the clock asked with nothing moving"
        assert timer.value == ("0:00" if how == "time is up" else "4:32")
