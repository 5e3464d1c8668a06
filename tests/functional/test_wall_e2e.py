"""The presenter view with real processes: `facilitate` on the laptop, `project` on the wall, one `join`.

The wall follows the coach's steps and reveals, never shows the notes, refuses keys,
takes no lock; End writes the report and each person's copy and the wall says so.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.test_workshop_room import WORKBOOK
from tests.functional.tmux import FORMATIVE, Pane, have_tmux

pytestmark = pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")


@pytest.fixture
def panes() -> Iterator[list[Pane]]:
    opened: list[Pane] = []
    yield opened
    for pane in opened:
        pane.close()


def start(panes: list[Pane], home: Path, *args: str, width: int = 100, height: int = 30) -> Pane:
    pane = Pane([FORMATIVE, *args], {"TERM": "xterm-256color", "HOME": str(home)}, width, height)
    panes.append(pane)
    return pane


@pytest.mark.timeout(120)
def test_coach_laptop_wall_mirror_and_a_participant(tmp_path: Path, panes: list[Pane]) -> None:
    workbook = tmp_path / "room-test.toml"
    workbook.write_text(
        WORKBOOK.replace(
            "timebox = 2\nshared = true", 'timebox = 2\nshared = true\nfacilitator_notes = "Say hello first"', 1
        ),
        encoding="utf-8",
    )
    folder = tmp_path / "ws"
    roster = tmp_path / "names.txt"
    roster.write_text("Ada\nBo\n", encoding="utf-8")
    subprocess.run(
        [FORMATIVE, "workshop", "new", str(workbook), str(folder), "--title", "Wall test", "--roster", str(roster)],
        check=True,
        timeout=60,
        capture_output=True,
    )
    coach = start(panes, tmp_path, "facilitate", str(folder))
    coach.wait_for("Step 1/3")
    wall = start(panes, tmp_path, "project", str(folder))
    wall.wait_for("Step 1/3")
    ada = start(panes, tmp_path, "join", str(folder), "--as", "Ada", width=80, height=24)

    ada.wait_for("One idea for our community")
    ada.type("Supper club on Thursdays")
    ada.wait_for("Supper club on Thursdays")
    coach.wait_for("✓ Ada", timeout=10)  # the roster: Ada has answered
    coach.keys("r")
    # Revealed, but one answer without a name is Ada's (the roster ticks her): held until three.
    wall.wait_for("shown once 3 have answered", timeout=10)
    assert "Supper club on Thursdays" not in wall.screen()
    coach.keys("c")  # the coach captures two ideas called out in the room: Ada's is one of three
    coach.wait_for("Enter adds it")
    for idea in ("Walks on Sundays", "A book swap"):
        coach.type(idea)
        coach.wait_for(idea)  # in the box: typed before capture began, the keys would go elsewhere
        coach.keys("Enter")
    coach.keys("Escape")
    wall.wait_for("Supper club on Thursdays", timeout=10)  # revealed on the wall, anonymous
    wall.wait_for("shared with the room, anonymous")

    coach.keys("f")
    coach.wait_for("Say hello first")
    time.sleep(0.5)
    assert "Say hello first" not in wall.screen() and "Facilitator notes" not in wall.screen()

    before = (folder / "workshop.toml").read_bytes()
    wall.keys("Right", "r", "e", "y")
    wall.wait_for("This is the wall")
    assert (folder / "workshop.toml").read_bytes() == before, "the mirror changed the workshop"

    coach.keys("Right")
    wall.wait_for("Step 2/3", timeout=10)
    ada.wait_for("Vote on the ideas", timeout=10)

    coach.keys("e")
    coach.wait_for("End the workshop?")
    coach.keys("y")
    wall.wait_for("the workshop has", timeout=10)
    assert "Supper club on Thursdays" in (folder / "report.md").read_text(encoding="utf-8")
    assert (folder / "each" / "ada.md").exists()
    coach.keys("C-q")
    coach.wait_closed()
    wall.keys("C-q")
    wall.wait_closed()
