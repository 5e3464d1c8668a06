"""What the wall shows, decided without a terminal: names per step, how to join, the passcode, the End."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from formative.answers.store import AnswerStore
from formative.tui.facilitator.blockfont import HEIGHT, block_lines, block_width, wrap_blocks
from formative.workshop.ending import write_end
from formative.workshop.facilitation import toggle_names
from formative.workshop.folder import Workshop, create_workshop, save_state
from formative.workshop.policy import names_shown
from formative.workshop.presence import GONE_AFTER, Beacon
from formative.workshop.room import Room
from formative.workshop.room_feed import RoomFeed
from formative.workshop.serving import Serving
from formative.workshop.wall import (
    PASSCODE_SECONDS,
    privacy_words,
    shows_join,
    shows_passcode,
    toggle_join,
    toggle_passcode,
    wall_summary,
)


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    create_workshop(tmp_path / "ws", "community-design-workshop", "Room", ["Ada", "Bo", "Cy"])
    return Workshop.open(tmp_path / "ws")


def answer(workshop: Workshop, name: str, step: str, prompt: str, value: object) -> Path:
    path = workshop.participant_file(name)
    with AnswerStore.open(path, workshop.workbook, person=name) as store:
        store.set(step, prompt, value)
    return path


def test_names_are_anonymous_by_default_and_switch_per_step(workshop: Workshop) -> None:
    state, harvest = workshop.state, workshop.workbook.step("harvest")
    vote = workshop.workbook.step("vote")
    assert harvest is not None and vote is not None
    assert not names_shown(state, harvest) and privacy_words(state, harvest) == "anonymous"
    state = toggle_names(state, harvest)
    assert state.names == {"harvest": True} and names_shown(state, harvest)
    assert not names_shown(state, vote), "only that step"
    assert privacy_words(state, harvest) == "with names"
    assert toggle_names(state, harvest).names == {"harvest": False}
    notes_step = workshop.workbook.step("intention")
    assert notes_step is not None and privacy_words(state, notes_step) == "", "a private step sends nothing"


def test_how_to_join_shows_on_the_first_step_while_serving_until_the_coach_says(workshop: Workshop) -> None:
    serving = {"ssh": Serving("ssh", "ssh -t -p 2222 YOURNAME@10.0.0.5", [], "otter", os.getpid())}
    state = workshop.state  # on the first step
    assert not shows_join(state, workshop.workbook, {}), "nothing to show without a server"
    assert shows_join(state, workshop.workbook, serving)
    later = state.model_copy(update={"step": "welcome"})
    assert not shows_join(later, workshop.workbook, serving)
    shown = toggle_join(later, workshop.workbook, serving)
    assert shown.join is True and shows_join(shown, workshop.workbook, serving)
    assert toggle_join(state, workshop.workbook, serving).join is False


def test_the_passcode_shows_for_a_while_or_until_pressed_again(workshop: Workshop) -> None:
    state = toggle_passcode(workshop.state.model_copy(update={"join": False}), 1000.0)
    assert shows_passcode(state, 1000.0) and shows_passcode(state, 1000.0 + PASSCODE_SECONDS - 1)
    assert not shows_passcode(state, 1000.0 + PASSCODE_SECONDS)
    assert state.join is True, "showing the passcode shows how to join"
    assert toggle_passcode(state, 1010.0).passcode_until is None
    assert "otter" not in state.model_dump_json(), "the passcode itself never goes into workshop.toml"


def test_the_coachs_summary_of_the_wall(workshop: Workshop) -> None:
    harvest = workshop.workbook.step("harvest")
    assert harvest is not None
    state = workshop.state.model_copy(update={"step": "harvest", "revealed": ["harvest"], "ended": 5.0})
    summary = wall_summary(state, harvest, workshop.workbook, {}, 0.0)
    assert summary == "wall: answers shown, anonymous, ended"
    held = wall_summary(state, harvest, workshop.workbook, {}, 0.0, held=True)
    assert held == "wall: answers at 3, anonymous, ended", "revealed, but kept back until three have answered"


def test_block_letters_are_three_rows_and_fall_back(workshop: Workshop) -> None:
    lines = block_lines("Our 4 Cs!")
    assert lines is not None and len(lines) == HEIGHT
    assert {len(line) for line in lines} == {block_width("Our 4 Cs!")}
    assert set("".join(lines)) <= set(" ▀▄█")
    assert block_lines("Grüße") is None and block_width("日本") is None, "no glyph: the caller shows bold text"
    wrapped = wrap_blocks("Welcome, agreements and check-in", 80, 2)
    assert wrapped is not None and len(wrapped) == 2 * HEIGHT and max(map(len, wrapped)) <= 80
    assert wrap_blocks("Welcome, agreements and check-in", 80, 1) is None
    assert wrap_blocks("Supercalifragilistic", 20, 3) is None, "a word wider than the screen is never cut"


def test_the_feed_rereads_only_what_changed(workshop: Workshop) -> None:
    room = Room(workshop)
    feed = RoomFeed(workshop, room)
    feed.load()
    path = answer(workshop, "Ada", "welcome", "arriving", "curious")
    beacon = Beacon(workshop.answers_dir, path, "Ada")
    beacon.arrive("welcome")
    presence_file = beacon.path
    changed = feed.apply({path, presence_file, workshop.answers_dir / ".ada.toml.lock"})
    assert changed.answers and changed.presence and not changed.state and not changed.serving
    step = workshop.workbook.step("welcome")
    assert step is not None
    assert [(r.name, r.status) for r in feed.rows(step, time.time())][:1] == [("Ada", "here")]
    beacon.beat()
    assert not feed.apply({presence_file}), "a heartbeat changes nothing on screen"
    save_state(workshop, workshop.state.model_copy(update={"step": "welcome"}))
    assert not feed.apply({workshop.path}), "the coach's own write: no re-read"
    other = Workshop.open(workshop.folder)
    save_state(other, other.state.model_copy(update={"step": "harvest"}))
    assert feed.apply({workshop.path}).state and workshop.state.step == "harvest"
    stale = time.time() - GONE_AFTER - 5
    os.utime(presence_file, (stale, stale))  # Ada's app was killed: no event says so
    feed.sweep()  # the screen redraws the roster after every sweep: staleness is a matter of time
    assert [(r.name, r.status) for r in feed.rows(step, time.time())][:1] == [("Ada", "gone")]


def test_an_answer_event_rereads_that_file_alone(workshop: Workshop) -> None:
    """One person typing in a room of thirty: each save re-reads their file, not the folder (the sweep does that)."""
    room = Room(workshop)
    feed = RoomFeed(workshop, room)
    ada = answer(workshop, "Ada", "welcome", "arriving", "curious")
    answer(workshop, "Bo", "welcome", "arriving", "tired")
    feed.load()
    answer(workshop, "Bo", "welcome", "arriving", "awake now")  # no event for Bo reaches the feed
    answer(workshop, "Ada", "welcome", "arriving", "very curious")
    assert feed.apply({ada}).answers
    values = {p.name: p.answers["welcome"]["arriving"] for p in room.participants}
    assert values == {"Ada": "very curious", "Bo": "tired"}
    assert (
        feed.sweep().answers
        and {p.name: p.answers["welcome"]["arriving"] for p in room.participants}["Bo"] == "awake now"
    )


def test_end_writes_the_report_and_each_copy_privately(workshop: Workshop) -> None:
    answer(workshop, "Ada", "harvest", "pitch", "Supper club")
    answer(workshop, "Room", "harvest", "pitch", "Walking group")
    ended = write_end(Room(workshop), today=date(2025, 3, 13))
    assert ended.report == workshop.folder / "report.md"
    assert "13 March 2025" in ended.report.read_text(encoding="utf-8")
    assert [p.name for p in ended.copies] == ["ada.md"], "Room is not a person"
    assert (workshop.folder / "each").stat().st_mode & 0o077 == 0
    assert ended.copies[0].stat().st_mode & 0o077 == 0
