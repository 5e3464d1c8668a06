"""SVG snapshots of the facilitator view as a room would see it on the projector.

The clock is fixed (FacilitatorApp's `clock`), so a running timer always shows the same
time. Update with `pytest tests/tui/test_facilitator_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from formative.answers.store import AnswerStore
from formative.tui.facilitator.app import FacilitatorApp
from formative.workshop.folder import Workshop, create_workshop, save_state
from formative.workshop.model import Timer

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
    timer = Timer(seconds=600, ends_at=NOW + 272)
    update = {"step": "harvest", "revealed": ["harvest"], "timer": timer, "anonymous": False}
    save_state(workshop, workshop.state.model_copy(update=update))
    return Workshop.open(folder)


def test_facilitator_80x24(snap_compare: SnapCompare, harvest: Workshop) -> None:
    """You should see, white on black: "Thursday workshop" small at the top left and "Step 13/19 ·
    pace: lead · timer running" at the right; the step title "Our communities" on a yellow bar,
    "TABLES · in fours to sixes at your table" under it and big 4:32 digits at the right;
    "Answers · 3 people so far", then three cards (Ada, Bo, Cy in yellow, each answer after the
    name, bars alternating yellow and blue, "Night owls [/]" literally); the roster at the right
    says "3/3 answered" with ✓ Ada 2/19, ✓ Bo, ✓ Cy; the footer lists → Next, ← Back, space Timer,
    r Reveal, ? Help, + +1 min, a Anon, f Notes."""
    app = FacilitatorApp(harvest, theme="projector", clock=lambda: NOW)
    assert snap_compare(app, terminal_size=(80, 24))


def test_facilitator_60x20(snap_compare: SnapCompare, harvest: Workshop) -> None:
    """You should see the same screen at a zoomed projector font (60×20): the title bar and mode line
    with the 4:32 digits beside them, the answer cards packed without blank lines between them (the
    bars alternate colours) and wrapping, the narrower roster with ✓ marks, and the start of the
    footer keys. Nothing overlaps."""
    app = FacilitatorApp(harvest, theme="projector", clock=lambda: NOW)
    assert snap_compare(app, terminal_size=(60, 20))
