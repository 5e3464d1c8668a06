"""SVG snapshots of the facilitator view as a room would see it on the projector.

The clock is fixed (FacilitatorApp's `clock`), so a running timer always shows the same
time. Update with `pytest tests/tui/test_facilitator_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from formative.answers.store import AnswerStore
from formative.tui.facilitator.app import FacilitatorApp
from formative.tui.facilitator.mirror import MirrorApp
from formative.workshop.folder import Workshop, create_workshop, save_state
from formative.workshop.model import RoomTimer
from tests.tui.room_scene import room_of_30

SnapCompare = Callable[..., bool]
NOW = 1000.0

PITCHES = {
    "Ada": "New managers' breakfast: six first-time managers, monthly, so we leave braver.",
    "Bo": "Solo consultants' circle: five freelancers, supper once a month, less alone.",
    "Cy": "Night owls [/]: parents of toddlers who meet online after bedtime.",
}


@pytest.fixture
def harvest(tmp_path: Path) -> Workshop:
    """The 'Our communities' step, revealed, with three pitches and a running timer at 4:32."""
    folder = tmp_path / "ws"
    create_workshop(folder, "community-design-workshop", "Thursday workshop", ["Ada", "Bo", "Cy"])
    workshop = Workshop.open(folder)
    for name, pitch in PITCHES.items():
        with AnswerStore.open(workshop.participant_file(name), workshop.workbook, person=name) as store:
            store.set("welcome", "arriving", "curious")
            store.set("harvest", "pitch", pitch)
    timer = RoomTimer(seconds=600, ends_at=NOW + 272)
    update = {"step": "harvest", "revealed": ["harvest"], "timer": timer, "anonymous": False}
    save_state(workshop, workshop.state.model_copy(update=update))
    return Workshop.open(folder)


def test_facilitator_80x24(snap_compare: SnapCompare, harvest: Workshop) -> None:
    """You should see, white on black: "Thursday works…" small at the top left, "Step 13/19 · lead ·
    running" and in yellow "wall: answers shown, with names" at the right; "OUR COMMUNITIES" in yellow
    block letters with big 4:32 digits at the right; "TABLES · in fours to sixes at your table   shared
    with the room, with names" under it; "Answers · 3 people so far · with names", the question, then three
    cards (Ada, Bo, Cy in yellow, each answer after the name, bars alternating yellow and blue, "Night owls
    [/]" literally); the roster at the right: "0 here · 3 answered", "3 gone", ✓ Ada, Bo, Cy greyed (they
    answered and their apps are not running), and the legend; the footer lists → Next … ? Help."""
    app = FacilitatorApp(harvest, theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(80, 24))


def test_facilitator_60x20(snap_compare: SnapCompare, harvest: Workshop) -> None:
    """You should see the same screen at a zoomed projector font (60×20): the title in bold (no room for
    block letters), the mode on two lines beside the 4:32 digits, the answer cards packed without blank
    lines between them and wrapping, a narrow one-column roster with its legend on three lines, and the
    start of the footer keys. Nothing overlaps."""
    app = FacilitatorApp(harvest, theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(60, 20))


# A room of 30 (tests/tui/room_scene.py): 22 here, 3 gone, 5 not come, 2 not on the roster --------


@pytest.fixture
def room30(tmp_path: Path) -> Path:
    room_of_30(tmp_path / "ws")
    return tmp_path / "ws"


def test_coach_100x30_room_of_30(snap_compare: SnapCompare, room30: Path) -> None:
    """You should see "OUR COMMUNITIES" in yellow block letters with the big 4:32 at the right, "TABLES · in
    fours to sixes at your table   shared with the room, anonymous"; at the top right "Step 13/19 · lead ·
    running   wall: answers shown, anonymous"; the answers (without names) as cards with yellow and blue
    bars, under the question; at the right the roster in two columns, headed "22 here · 16 answered" and
    "5 not come · 3 gone": ✓ for answered, • here, ○ gone (greyed), · not come (greyed), Cleo and Dara
    marked + (Cleo on step 2), and the legend at the bottom. All 30 names show; none is cut."""
    app = FacilitatorApp(Workshop.open(room30), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(100, 30))


def test_coach_160x45_room_of_30(snap_compare: SnapCompare, room30: Path) -> None:
    """You should see the same room at 160×45: the question "YOUR COMMUNITY IN ONE SENTENCE" in blue block
    letters, 18 cards in three columns (the two the coach captured, "Walking group for new parents" and
    "A repair café on Saturdays", as cards of their own), then the four tables (6, 6, 5, 5) as cards in three columns,
    then the step's instructions; the roster in one column at the right, all 30 names."""
    app = FacilitatorApp(Workshop.open(room30), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(160, 45))


def test_coach_vote_step_100x30(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """You should see the dot vote revealed: "Where the room's energy is" in bold (too long for block
    letters at this size), the question, and one bar per community with its whole sentence wrapped beside
    the bar (blank lines between them), 3, 2, 2, 1 and zeros; the roster at the right."""
    room_of_30(tmp_path / "ws", step="vote")
    app = FacilitatorApp(Workshop.open(tmp_path / "ws"), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(100, 30))


def test_coach_join_panel_100x30(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """You should see "GETTING EVERYONE IN" in block letters; under it "How to join" with the ssh line
    "ssh -t -p 2222 YOURNAME@192.168.1.20", the URL "http://192.168.1.20:8000", "Passcode: P shows it"
    (never the passcode itself), and the QR code of the URL black on a white square; the roster at the right."""
    room_of_30(tmp_path / "ws", step="join", revealed=False, serving=True)
    app = FacilitatorApp(Workshop.open(tmp_path / "ws"), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(100, 30))


def test_mirror_100x30(snap_compare: SnapCompare, room30: Path) -> None:
    """You should see the wall's mirror: "Thursday circle" and "Step 13/19 · 22 here · 16 answered" at the
    top, "OUR COMMUNITIES" in block letters with 4:32, and the answers as cards in two columns across the
    whole width; no roster, no notes, no footer of keys."""
    app = MirrorApp(Workshop.open(room30), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(100, 30))


def test_mirror_160x45(snap_compare: SnapCompare, room30: Path) -> None:
    """You should see the mirror at 160×45 filled: the block-letter title and question, 18 cards in four
    columns, the four tables, the instructions."""
    app = MirrorApp(Workshop.open(room30), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(160, 45))


def test_mirror_join_160x45(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """You should see how to join on the wall: the ssh line and the URL (with the laptop.local variants in
    grey), "Passcode: ask the coach", and beside them the QR code, black on white."""
    room_of_30(tmp_path / "ws", step="join", revealed=False, serving=True)
    app = MirrorApp(Workshop.open(tmp_path / "ws"), theme="projector", clock=lambda: NOW, rng=random.Random(7))
    assert snap_compare(app, terminal_size=(160, 45))
