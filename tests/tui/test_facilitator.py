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

from formative.answers.store import AnswerStore
from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.widgets import AnswerCard, BigTimer, Roster
from formative.tui.screens.problem import ProblemScreen
from formative.workshop.folder import Workshop, create_workshop, load_workshop_file
from formative.workshop.model import State
from formative.workshop.presence import Beacon

SIZE = (80, 24)
TICK = 0.6
"""Long enough for two 0.25 s polls."""


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
        assert "Welcome, agreements and check-in" in screen_text(app)
        await pilot.press("left")
        assert saved(folder).step == "join"
        await pilot.press("left")  # the first step: stays
        assert saved(folder).step == "join"
        assert "Getting everyone in" in screen_text(app)


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


async def test_anonymous_hides_names_on_cards(folder: Path) -> None:
    answer(folder, "Ada", "welcome", "arriving", "curious")
    answer(folder, "Bo", "welcome", "arriving", "tired")
    set_step(folder, "welcome", revealed=["welcome"])
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert saved(folder).anonymous is True
        assert sorted(cards(app)) == ["curious", "tired"]
        assert "anonymous" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert sorted(cards(app)) == ["Ada  curious", "Bo  tired"]


async def test_roster_shows_progress_and_people_not_on_it(folder: Path) -> None:
    answer(folder, "Ada", "welcome", "arriving", "curious")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        roster = str(app.screen.query_one(Roster).visual)
        assert "1/1 answered" in roster and "✓ Ada" in roster and "· Bo" in roster
        answer(folder, "Dee", "welcome", "hoping", "a plan")  # not on the roster; no required answer yet
        await pilot.pause(TICK)
        roster = str(app.screen.query_one(Roster).visual)
        assert "Dee" in roster and "✓ Dee" not in roster and "1/2 answered" in roster


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
        assert "Pairs:" in screen_text(app)
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
        await pilot.press("right", "space", "r", "a")
    before = saved(folder)
    again = make_app(folder, FakeClock(1060.0))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert saved(folder) == before
        assert before.step == "networking" and before.revealed == ["networking"] and before.anonymous
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
