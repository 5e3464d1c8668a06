"""The coach's new keys (o, n, j, P, e), the wall's layouts, and the read-only mirror (`formative project`)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from textual.widgets import OptionList

from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.ending import EndScreen
from formative.tui.facilitator.join_panel import JoinPanel, qr_lines
from formative.tui.facilitator.mirror import MirrorApp
from formative.tui.facilitator.outline import StepOutline
from formative.tui.facilitator.widgets import AnswerCard, BarChart, BigText
from formative.workshop.folder import Workshop, load_workshop_file
from formative.workshop.model import State
from formative.workshop.wall import PASSCODE_SECONDS
from tests.tui.room_scene import NOW, add_serving, answer, room_of_30


class Clock:
    def __init__(self, at: float = NOW) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def saved(folder: Path) -> State:
    return load_workshop_file(folder / "workshop.toml").state


def text_of(app: Any) -> str:
    import html

    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


async def wait_until(pilot: Any, check: Any, what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        await pilot.pause(0.02)


@pytest.fixture
def room(tmp_path: Path) -> Path:
    room_of_30(tmp_path / "ws")
    return tmp_path / "ws"


def coach(folder: Path, clock: Clock | None = None) -> FacilitatorApp:
    return FacilitatorApp(Workshop.open(folder), theme="projector", clock=clock or Clock())


def title(app: Any) -> str:
    return str(app.screen.query_one("#step-title", BigText).text.plain)


async def test_o_lists_the_steps_and_enter_jumps(room: Path) -> None:
    app = coach(room)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        assert isinstance(app.screen, StepOutline)
        steps = app.screen.query_one(OptionList)
        assert steps.highlighted == 12, "the current step (13, harvest) is highlighted"
        assert "13  Our communities   TABLES · 6 min · shared" in str(steps.get_option_at_index(12).prompt)
        await pilot.press("down", "enter")
        await pilot.pause()
        state = saved(room)
        assert state.step == "vote" and state.timer.seconds == 240 and state.timer.ends_at is None
        assert title(app) == "Where the room's energy is"
        await pilot.press("o", "escape")
        assert saved(room).step == "vote"


async def test_e_ends_the_workshop_after_asking(room: Path) -> None:
    clock = Clock(1234.0)
    app = coach(room, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, EndScreen)
        await pilot.press("escape")
        assert not (room / "report.md").exists() and saved(room).ended is None
        await pilot.press("e", "y")
        await wait_until(pilot, lambda: saved(room).ended is not None, "the end (written in a thread)")
        await pilot.pause()
        assert saved(room).ended == 1234.0
        report = (room / "report.md").read_text(encoding="utf-8")
        assert "Thursday circle" in report and "Walking group for new parents" in report
        copies = sorted(p.name for p in (room / "each").iterdir())
        assert "ada.md" in copies and "zoe-lindqvist.md" in copies and "room.md" not in copies
        assert "the workshop has ended" in str(app.screen.query_one("#mode").visual)


async def test_next_on_the_last_step_offers_the_end(room: Path) -> None:
    app = coach(room)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o", "end", "enter")
        await pilot.pause()
        assert saved(room).step == "checkout"
        await pilot.press("right")
        assert isinstance(app.screen, EndScreen)
        await pilot.press("n")
        assert saved(room).ended is None


async def test_n_on_a_private_step_changes_nothing(room: Path) -> None:
    from formative.workshop.folder import save_state

    workshop = Workshop.open(room)
    save_state(workshop, workshop.state.model_copy(update={"step": "intention"}))
    app = coach(room)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert saved(room).names == {}


def decode(lines: list[str]) -> str:
    """Read the drawn QR code back as a phone would: half blocks to modules, modules to pixels."""
    top = {" ": 0, "▀": 1, "▄": 0, "█": 1}
    bottom = {" ": 0, "▀": 0, "▄": 1, "█": 1}
    modules = [row for line in lines for row in ([top[c] for c in line], [bottom[c] for c in line])]
    scale = 4
    pixels = bytes(0 if dark else 255 for row in modules for _ in range(scale) for dark in row for _ in range(scale))
    image = memoryview(pixels).cast("B", shape=[len(modules) * scale, len(modules[0]) * scale])
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return str(found[0].text)


def test_the_qr_code_scans() -> None:
    lines = qr_lines("http://192.168.1.20:8000")
    assert len(lines) == 15 and {len(line) for line in lines} == {29}, "version 2, quiet zone of 2"
    assert decode(lines) == "http://192.168.1.20:8000"


async def test_how_to_join_j_hides_it_and_p_shows_the_passcode(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    room_of_30(folder, step="join", revealed=False, serving=True)
    clock = Clock()
    app = coach(folder, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(JoinPanel)
        assert panel.display
        screen = text_of(app)
        assert "ssh -t -p 2222 YOURNAME@192.168.1.20" in screen and "http://192.168.1.20:8000" in screen
        assert "tulip" not in screen and "P shows it" in screen
        drawn = [line.plain[-29:] for line in panel.layout_lines(200)[:15]]  # the code, right of the text
        assert decode(drawn) == "http://192.168.1.20:8000"
        await pilot.press("P")
        await pilot.pause()
        assert "Passcode: tulip" in "\n".join(line.plain for line in panel.text_lines())
        assert "tulip" in text_of(app)
        assert "tulip" not in (folder / "workshop.toml").read_text(encoding="utf-8")
        clock.at = NOW + PASSCODE_SECONDS + 1
        await pilot.pause(0.6)
        assert "tulip" not in text_of(app), "it hides itself after a while"
        await pilot.press("j")
        await pilot.pause()
        assert saved(folder).join is False and not panel.display
        await pilot.press("j")
        await pilot.pause()
        assert panel.display
    os.unlink(folder / ".formative" / "serving-ssh.toml")


async def test_a_server_starting_later_shows_how_to_join(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    room_of_30(folder, step="join", revealed=False)
    app = coach(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(JoinPanel)
        assert not panel.display
        add_serving(folder)
        await wait_until(pilot, lambda: panel.display, "the join panel")


async def test_captured_answers_are_cards_of_their_own_and_labels_are_whole(room: Path) -> None:
    app = coach(room)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        cards = [str(card.visual) for card in app.screen.query(AnswerCard)]
        assert "Walking group for new parents" in cards and "A repair café on Saturdays" in cards
        assert len(cards) == 18
    for name, feel in (("Ada", 1), ("Ben", 5), ("Chidi", 2)):  # three: totals of fewer wait (policy.held_back)
        answer(Workshop.open(room), name, {("networking", "feel"): feel})
    from formative.workshop.folder import save_state

    workshop = Workshop.open(room)
    save_state(workshop, workshop.state.model_copy(update={"step": "networking", "revealed": ["networking"]}))
    app = coach(room)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one(BarChart)
        labels = [label for label, _ in chart.rows]
        assert labels[0].startswith("1 · ") and labels[-1].startswith("5 · "), labels
    save_state(workshop, workshop.state.model_copy(update={"step": "vote", "revealed": ["vote"]}))
    app = coach(room)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = text_of(app)
        assert "New managers' breakfast: six first-time managers, monthly, so we leave braver." in screen


async def test_the_mirror_follows_the_coach_and_never_shows_notes(room: Path) -> None:
    clock = Clock()
    app = coach(room, clock)
    mirror = MirrorApp(Workshop.open(room), theme="projector", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot, mirror.run_test(size=(100, 30)) as wall:
        await pilot.pause()
        await wall.pause()
        assert title(mirror) == "Our communities"
        await pilot.press("right")  # the coach moves on
        await wait_until(wall, lambda: title(mirror) == "Where the room's energy is", "the mirror following")
        await pilot.press("f")  # notes on the coach's screen
        await pilot.pause()
        assert "Facilitator notes" in text_of(app)
        assert saved(room).notes_visible
        await wall.pause(0.3)
        assert "Facilitator notes" not in text_of(mirror)
        assert not mirror.screen.query("#notes"), "the mirror never builds the notes"
        await pilot.press("space")
        await wait_until(wall, lambda: mirror.screen.query_one("#timer").has_class("-idle") is False, "timer")
        await pilot.press("r")
        await wait_until(wall, lambda: bool(mirror.screen.query(BarChart)), "the vote's tally on the wall")


async def test_the_mirror_changes_nothing(room: Path) -> None:
    before = (room / "workshop.toml").read_bytes()
    mirror = MirrorApp(Workshop.open(room), theme="projector", clock=Clock())
    async with mirror.run_test(size=(100, 30)) as wall:
        await wall.pause()
        await wall.press("right", "space", "r", "n", "e", "y", "f", "j", "P", "g", "c", "x", "o", "enter")
        await wall.pause()
        assert "This is the wall" in " ".join(str(n.message) for n in mirror._notifications)
    assert (room / "workshop.toml").read_bytes() == before
    assert not (room / "report.md").exists()
    assert not list(room.glob("answers/.*.lock")), "no lock taken"


async def test_help_lists_every_key_and_j_or_p_without_a_server_say_why(room: Path) -> None:
    from formative.tui.facilitator.help import HELP, FacilitatorHelp
    from formative.tui.facilitator.screen import FacilitatorScreen

    app = coach(room)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, FacilitatorHelp)
        keys = {b.key for b in FacilitatorScreen.BINDINGS}
        for key in ("o", "n,a", "j", "P", "e", "f", "g", "p", "c", "x", "r"):
            assert key in keys and f"| **{key.split(',')[0]}** |" in HELP, key
        assert "100×30" in HELP, "the best terminal size for the room"
        assert "Facilitator keys" in text_of(app)
        await pilot.press("escape")
        before = saved(room)
        await pilot.press("j", "P")
        await pilot.pause()
        assert saved(room) == before
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "No server hosts this workshop now" in messages and "No running server has a passcode" in messages
