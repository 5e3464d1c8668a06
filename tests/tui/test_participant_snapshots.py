"""SVG snapshots of a participant in a workshop: the bar and the privacy badge on a shared step, and the end.

Update with `pytest tests/tui/test_participant_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from formative.tui.app import FormativeApp
from formative.tui.screens.end import EndScreen
from formative.workshop.folder import Workshop, create_workshop, save_state
from formative.workshop.model import RoomTimer
from formative.workshop.report import write_copies
from formative.workshop.room import Room
from tests.unit.fake_workshop import write_answers

SnapCompare = Callable[..., bool]
TABLES = [["Eve", "Fay", "Gus", "Hal"], ["Ada", "Ben", "Cy", "Dee"]]


def hosted_ada(tmp_path: Path, **state: object) -> FormativeApp:
    """Ada, joined over SSH (paths shown within the workshop), on the bundled workshop."""
    create_workshop(tmp_path / "ws", "community-design-workshop", "Thursday circle", ["Ada", "Ben", "Cy", "Dee"])
    workshop = Workshop.open(tmp_path / "ws")
    save_state(workshop, workshop.state.model_copy(update=state))
    app = FormativeApp(
        str(workshop.workbook_path), answers_dir=workshop.answers_dir, person="Ada", workshop=workshop, hosted=True
    )
    app.animation_level = "none"
    return app


def test_a_shared_table_step(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """You should see "Our communities" ("Step 13 of 19 · Harvest") with, under the progress bar,
    the bar "Following the facilitator  ·  Table 2: Ben, Cy, Dee  ·  6:00 left (paused)" and under
    it, in bold accent, "◆ Shared with the room — without your name"; then the guidance and "Your
    community in one sentence · required" with its (focused) text box."""
    timer = RoomTimer(seconds=360, remaining=360)
    app = hosted_ada(tmp_path, step="harvest", pairs={"harvest": TABLES}, timer=timer)
    assert snap_compare(app, terminal_size=(80, 24))


def test_the_end_of_the_workshop(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """You should see, with no step around it: "The workshop has ended. Thank you." in bold, "Your
    answers are saved; the coach will send you your copy." and "Your copy is already written:
    each/ada.md" (a path within the workshop, never the server's), a focused Quit button, then
    Ada's answers, read-only: "Our communities", "Your community in one sentence" and her pitch."""
    app = hosted_ada(tmp_path, step="harvest")
    workshop = Workshop.open(tmp_path / "ws")
    write_answers(workshop, "Ada", {("harvest", "pitch"): "A walking book club for career changers"})

    async def run_before(pilot: Pilot[None]) -> None:
        room = Room(workshop)
        room.refresh()
        write_copies(room)
        save_state(workshop, workshop.state.model_copy(update={"ended": time.time()}))
        deadline = time.monotonic() + 10
        while not isinstance(pilot.app.screen, EndScreen):
            assert time.monotonic() < deadline, "the end did not reach the participant"
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
