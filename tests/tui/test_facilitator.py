"""The facilitator view, driven with Pilot: keys change workshop.toml, answers arrive live.

Participants are simulated by writing their answer files through AnswerStore, as their
own apps would; the facilitator's app only ever reads them.
"""

from __future__ import annotations

import html
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from formative.answers.store import AnswerStore
from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.roster_panel import RosterPanel
from formative.tui.facilitator.widgets import AnswerCard, BigText, BigTimer
from formative.tui.screens.problem import ProblemScreen
from formative.workshop.folder import Workshop, create_workshop, load_workshop_file
from formative.workshop.model import State
from formative.workshop.presence import Beacon

SIZE = (80, 24)
TICK = 0.6
"""Long enough for two 0.25 s timer ticks, and for a change notification to arrive."""


class FakeClock:
    """Wall-clock time that moves only when a test says so."""

    def __init__(self, at: float = 1000.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The bundled workshop, on its welcome step (the one after joining): 4 minutes, shared.

    The coach chose to show names (the default is anonymous)."""
    create_workshop(tmp_path / "ws", "community-design-workshop", "Test room", ["Ada", "Bo", "Cy"])
    set_step(tmp_path / "ws", "welcome", anonymous=False)
    return tmp_path / "ws"


def answer(folder: Path, name: str, step_id: str, prompt_id: str, value: Any) -> None:
    """Save one answer as the participant's own app would, and let go of the file."""
    workshop = Workshop.open(folder)
    store = AnswerStore.open(workshop.participant_file(name), workshop.workbook, person=name)
    try:
        store.set(step_id, prompt_id, value)
    finally:
        store.close()


def saved(folder: Path) -> State:
    return load_workshop_file(folder / "workshop.toml").state


def make_app(folder: Path, clock: FakeClock | None = None) -> FacilitatorApp:
    app = FacilitatorApp(Workshop.open(folder), theme="projector", clock=clock or FakeClock())
    app.animation_level = "none"
    return app


def screen_text(app: FacilitatorApp) -> str:
    """What the screen shows, as text (the SVG with its entities decoded)."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def title(app: FacilitatorApp) -> str:
    """The step title (drawn in block letters when it fits, so not as text on the screen)."""
    return app.screen.query_one("#step-title", BigText).text.plain


def cards(app: FacilitatorApp) -> list[str]:
    return [str(card.visual) for card in app.screen.query(AnswerCard)]


def set_step(folder: Path, step_id: str, **changes: Any) -> None:
    from formative.workshop.folder import save_state

    workshop = Workshop.open(folder)
    save_state(workshop, workshop.state.model_copy(update={"step": step_id, **changes}))


async def test_next_and_back_write_the_step_and_set_its_timebox(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert saved(folder).step == "welcome"
        await pilot.press("right")
        state = saved(folder)
        assert state.step == "networking"
        assert state.timer.seconds == 120 and state.timer.remaining == 120 and state.timer.ends_at is None
        await pilot.press("ctrl+n")
        assert saved(folder).step == "reframe"
        await pilot.press("left")
        assert saved(folder).step == "networking"
        await pilot.press("ctrl+b")
        assert saved(folder).step == "welcome"
        assert title(app) == "Welcome, agreements and check-in"
        await pilot.press("left")
        assert saved(folder).step == "join"
        await pilot.press("left")  # the first step: stays
        assert saved(folder).step == "join"
        assert title(app) == "Getting everyone in"


async def test_timer_starts_pauses_and_takes_minutes(folder: Path) -> None:
    clock = FakeClock(1000.0)
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timer = app.screen.query_one(BigTimer)
        assert timer.value == "4:00"
        await pilot.press("space")
        assert saved(folder).timer.ends_at == 1240.0
        clock.at = 1100.0
        await pilot.pause(TICK)
        assert timer.value == "2:20"
        await pilot.press("plus")
        assert saved(folder).timer.ends_at == 1300.0
        await pilot.press("space")
        state = saved(folder).timer
        assert state.ends_at is None and state.remaining == 200.0
        await pilot.press("minus")
        assert saved(folder).timer.remaining == 140.0
        clock.at = 5000.0  # paused: time passing changes nothing
        await pilot.pause(TICK)
        assert timer.value == "2:20"


async def test_timer_turns_to_warning_then_over(folder: Path) -> None:
    clock = FakeClock(1000.0)
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")
        timer = app.screen.query_one(BigTimer)
        clock.at = 1000.0 + 240 - 30
        await pilot.pause(TICK)
        assert timer.has_class("-warning") and not timer.has_class("-over")
        clock.at = 2000.0
        await pilot.pause(TICK)
        assert timer.has_class("-over") and timer.value == "0:00"
        assert "time is up" in screen_text(app)


async def test_answers_arrive_live_hidden_until_revealed(folder: Path) -> None:
    answer(folder, "Ada", "welcome", "arriving", "curious")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1 person so far" in screen_text(app)
        assert cards(app) == []
        assert "curious" not in screen_text(app)
        await pilot.press("r")
        assert saved(folder).revealed == ["welcome"]
        await pilot.pause()
        assert cards(app) == ["Ada  curious"]
        answer(folder, "Bo", "welcome", "arriving", "tired")
        await pilot.pause(TICK)
        assert cards(app) == ["Ada  curious", "Bo  tired"]
        await pilot.press("r")
        await pilot.pause()
        assert saved(folder).revealed == []
        assert "tired" not in screen_text(app)


async def test_n_switches_names_for_this_step_only(folder: Path) -> None:
    answer(folder, "Ada", "welcome", "arriving", "curious")
    answer(folder, "Bo", "welcome", "arriving", "tired")
    answer(folder, "Cy", "welcome", "arriving", "hopeful")  # three: answers without names show (policy.held_back)
    set_step(folder, "welcome", revealed=["welcome"])
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert sorted(cards(app)) == ["Ada  curious", "Bo  tired", "Cy  hopeful"]  # the room chose names (fixture)
        assert str(app.screen.query_one("#mode", Static).visual).endswith("shared with the room, with names")
        await pilot.press("n")
        await pilot.pause()
        assert saved(folder).names == {"welcome": False}
        assert saved(folder).anonymous is False, "the room's default is untouched"
        assert sorted(cards(app)) == ["curious", "hopeful", "tired"]
        assert str(app.screen.query_one("#mode", Static).visual).endswith("shared with the room, anonymous")
        await pilot.press("a")  # the old key does the same
        await pilot.pause()
        assert saved(folder).names == {"welcome": True}
        assert sorted(cards(app)) == ["Ada  curious", "Bo  tired", "Cy  hopeful"]


def roster(app: FacilitatorApp) -> str:
    panel = app.screen.query_one(RosterPanel)
    rendered = panel.render()
    return rendered.plain if hasattr(rendered, "plain") else str(rendered)


async def wait_until(pilot: Any, check: Any, what: str, timeout: float = 5.0) -> None:
    """Let the app run until check() holds: change notification is fast but not instant."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        await pilot.pause(0.02)


def arrive(folder: Path, name: str, step_id: str = "welcome") -> Beacon:
    workshop = Workshop.open(folder)
    beacon = Beacon(workshop.answers_dir, workshop.participant_file(name), name)
    beacon.arrive(step_id)
    return beacon


async def test_roster_shows_who_is_here_gone_not_come_and_answered(folder: Path) -> None:
    answer(folder, "Ada", "welcome", "arriving", "curious")
    ada = arrive(folder, "Ada")
    answer(folder, "Cy", "welcome", "arriving", "tired")  # answered, then left
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = roster(app)
        assert "1 here · 2 answered" in text and "1 not come · 1 gone" in text
        assert "✓ Ada" in text and "· Bo" in text and "✓ Cy" in text
        assert "Room" not in text
        dee = arrive(folder, "Dee", "join")  # not on the roster, on another step, no answer file yet
        await wait_until(pilot, lambda: "Dee" in roster(app), "Dee's arrival")
        assert "• Dee + step 1" in roster(app) and "2 here" in roster(app)
        dee.leave()
        ada.leave()
        await wait_until(pilot, lambda: "0 here" in roster(app), "Ada and Dee leaving")
        assert "Dee" not in roster(app), "someone who never answered and left is not kept"


async def test_notes_hidden_by_default_and_shown_with_f(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#notes").display
        assert "BEFORE THE SESSION" not in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        assert saved(folder).notes_visible is True
        assert "BEFORE THE SESSION" in screen_text(app)
        await pilot.press("f")
        await pilot.pause()
        assert "BEFORE THE SESSION" not in screen_text(app)


async def test_pair_steps_get_pairs_and_g_reshuffles(folder: Path) -> None:
    set_step(folder, "reframe")
    workshop = Workshop.open(folder)
    for name in ("Ada", "Bo", "Cy"):  # here now: pairs are drawn from the people present
        Beacon(workshop.answers_dir, workshop.participant_file(name), name).arrive("reframe")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right")
        state = saved(folder)
        assert state.step == "why-community"
        assert sorted(n for g in state.pairs["why-community"] for n in g) == ["Ada", "Bo", "Cy"]
        await pilot.press("g")
        assert sorted(n for g in saved(folder).pairs["why-community"] for n in g) == ["Ada", "Bo", "Cy"]
        assert "Pair 1" in screen_text(app)
        await pilot.press("p")
        assert saved(folder).pace == "free"


async def test_second_facilitator_is_refused(folder: Path) -> None:
    first = make_app(folder)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        second = make_app(folder)
        async with second.run_test(size=SIZE) as other:
            await other.pause()
            assert isinstance(second.screen, ProblemScreen)
            assert "already has a facilitator" in screen_text(second)
            await other.press("escape")
        assert second.return_code == 1
        await pilot.press("right")  # the first one carries on
        assert saved(folder).step == "networking"
    third = make_app(folder)  # released on exit
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(third.screen, ProblemScreen)


async def test_restart_resumes_step_timer_and_reveal(folder: Path) -> None:
    clock = FakeClock(1000.0)
    app = make_app(folder, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right", "space", "r", "n")
    before = saved(folder)
    again = make_app(folder, FakeClock(1060.0))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert saved(folder) == before
        assert before.step == "networking" and before.revealed == ["networking"]
        assert before.names == {"networking": False}
        assert again.screen.query_one(BigTimer).value == "1:00"  # still running: a minute of two has gone


HOSTILE = [
    "[/]",
    "[@click=app.quit]quit[/]",
    "\x1b[2J\x1b[31mred",
    "x" * 10_000,
    "שלום עולם مرحبا بالعالم",
]


async def test_hostile_answers_render_literally_and_break_nothing(folder: Path) -> None:
    for n, text in enumerate(HOSTILE):
        answer(folder, f"[bold]P{n}[/bold]\x1b]0;t\x07", "welcome", "arriving", text)
    set_step(folder, "welcome", revealed=["welcome"])
    app = make_app(folder)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause(TICK)
        svg = app.export_screenshot()
        text = html.unescape(svg).replace("\xa0", " ")
        assert "\x1b" not in svg and "\x07" not in svg
        assert "[/]" in text
        assert "[@click=app.quit]quit[/]" in text
        assert "␛[2J␛[31mred" in text
        assert "[bold]P0[/bold]␛]0;t␇" in text
        assert "xxxx…" in text and "x" * 300 not in text
        assert "שלום" in text
        for key in ("a", "a", "f", "f", "r", "r", "space", "right", "left"):
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_capture_takes_a_burst_of_answers_in_order(folder: Path) -> None:
    """The coach types fast (or the laptop is busy): keys after Enter reached the box before
    the screen handled Enter, and clearing the box then lost them."""
    from tests.tui.driving import burst

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        burst(pilot, *"brave", "enter", *"tired", "enter", *"ok")
        await pilot.pause()
        assert app.screen.query_one("#capture-input", Input).value == "ok"
        await pilot.press("escape")
    data = tomllib.loads((folder / "answers" / "room.toml").read_text(encoding="utf-8"))
    assert data["answers"]["welcome"]["arriving"] == "brave\ntired"


async def test_capture_mode_writes_the_rooms_answers(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.press(*"brave", "enter")
        await pilot.press(*"tired", "space", *"but", "enter")
        await pilot.press("r")  # typed into the box, not a reveal
        await pilot.press("escape")
        assert saved(folder).revealed == []
        data = tomllib.loads((folder / "answers" / "room.toml").read_text(encoding="utf-8"))
        assert data["formative"]["person"] == "Room"
        assert data["answers"]["welcome"]["arriving"] == "brave\ntired but"
        await pilot.press("r")  # the box is closed: r reveals again
        await pilot.pause(TICK)
        assert saved(folder).revealed == ["welcome"]
        assert any("Room  brave" in card for card in cards(app))
    set_step(folder, "patterns")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c", *"small", "enter", *"slow", "enter")
    data = tomllib.loads((folder / "answers" / "room.toml").read_text(encoding="utf-8"))
    assert data["answers"]["patterns"]["themes"] == ["small", "slow"]


async def test_dot_vote_and_choice_steps_show_a_tally(folder: Path) -> None:
    from formative.tui.facilitator.widgets import BarChart

    answer(folder, "Ada", "reframe", "callable", "5 to 15")
    answer(folder, "Bo", "reframe", "callable", "5 to 15")
    answer(folder, "Cy", "reframe", "callable", "Fewer than 5")
    set_step(folder, "reframe", revealed=["reframe"])
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(BarChart)
        assert chart.rows == [("Fewer than 5", 1), ("5 to 15", 2), ("15 to 50", 0), ("More than 50", 0)]


def shared_title(app: FacilitatorApp) -> str:
    from formative.tui.facilitator.widgets import Words

    return app.screen.query_one("#shared-title", Words).words.plain


async def test_one_or_two_answers_wait_on_the_wall_until_nobodys_can_be_told_apart(folder: Path) -> None:
    """The roster ticks who has answered: one answer without a name is that person's, and totals
    of two people are their two choices. So revealed totals wait for three people, and
    answers without names for three sources (a line the coach captured counts); named
    answers show at once."""
    from formative.tui.facilitator.widgets import BarChart

    answer(folder, "Ada", "reframe", "callable", "5 to 15")
    answer(folder, "Bo", "reframe", "callable", "Fewer than 5")
    set_step(folder, "reframe", revealed=["reframe"])  # names on (the fixture): totals are held all the same
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2 people so far" in shared_title(app)
        assert "shown once 3 have answered, so that nobody's can be told apart" in shared_title(app)
        assert "wall: answers at 3, with names" in str(app.screen.query_one("#where").visual)
        assert not app.screen.query_one("#shared-body").display and not app.screen.query(BarChart)
        answer(folder, "Cy", "reframe", "callable", "5 to 15")
        await wait_until(pilot, lambda: bool(app.screen.query(BarChart)), "the chart at three people")
        assert app.screen.query_one(BarChart).rows[:2] == [("Fewer than 5", 1), ("5 to 15", 2)]
        assert "shown once" not in shared_title(app)
        assert "wall: answers shown, with names" in str(app.screen.query_one("#where").visual)

    answer(folder, "Ada", "welcome", "arriving", "curious")
    set_step(folder, "welcome", revealed=["welcome"])
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert cards(app) == ["Ada  curious"], "with names, one answer shows: it says whose it is anyway"
        await pilot.press("n")  # without names for this step
        await pilot.pause()
        assert cards(app) == [] and "shown once 3 have answered" in shared_title(app)
        await pilot.press("c", *"slow", "enter", *"small", "enter", "escape")  # the coach captures two for the room
        await wait_until(pilot, lambda: len(cards(app)) == 3, "Ada's card among the room's two")
        assert sorted(cards(app)) == ["curious", "slow", "small"]


@pytest.mark.timeout(30)
async def test_a_named_pipe_in_answers_is_named_and_the_room_goes_on(folder: Path) -> None:
    """Before, the room scan opened evil.toml and waited for a writer: the screen froze for good."""
    import os

    answer(folder, "Ada", "welcome", "arriving", "curious")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "skipped" not in screen_text(app)
        os.mkfifo(folder / "answers" / "evil.toml")
        (folder / "answers" / "zero.toml").symlink_to("/dev/zero")
        await pilot.pause(TICK)
        text = screen_text(app)
        assert "2 files in answers/ skipped: evil.toml: this is a named pipe (FIFO)" in text
        await pilot.press("right")
        assert saved(folder).step == "networking", "the facilitator's keys still work"
        (folder / "answers" / "evil.toml").unlink()
        (folder / "answers" / "zero.toml").unlink()
        await pilot.pause(TICK)
        assert "skipped" not in screen_text(app)
